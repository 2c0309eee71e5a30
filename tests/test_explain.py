"""`explain`: every argument, every section, both languages, Keras's exact words, instant."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from lstm_explorer import explanations as explaining
from lstm_explorer.catalogue import ARGUMENTS, EXPLAINED, RELATED, Panel
from lstm_explorer.keras_doc import KerasDoc, parse_args_section, parse_opening

from conftest import heavy_imports_of

NAMES = [a.name for a in EXPLAINED]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", explaining.LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_every_argument_has_every_section(name, lang):
    item = explaining.explain(name, lang)
    for section in ("what", "shapes", "values", "pytorch", "keras2to3", "try_it"):
        assert getattr(item, section).strip(), (name, lang, section)
    assert item.pitfalls and all(p.strip() for p in item.pitfalls)
    assert item.try_it.startswith("lstm-explore ")
    if lang == "zh":
        assert CJK.search(item.what) and CJK.search(item.shapes) and CJK.search(item.pitfalls[0])


def test_equations_name_every_term():
    for lang in explaining.LANGUAGES:
        equations = explaining.texts(lang)["equations"]["text"]
        for term in ("i_t", "f_t", "c̃_t", "o_t", "c_t", "h_t", "K", "R", "b"):
            assert term in equations, (lang, term)


TRY_COMMANDS = sorted({(explaining.explain(n, lang).try_it) for n in NAMES for lang in explaining.LANGUAGES})


@pytest.mark.parametrize("command", TRY_COMMANDS)
def test_try_it_commands_run(invoke, command):
    args = shlex.split(command)[1:]
    result = invoke(*args)
    assert result.exit_code == 0, (command, result.output)


def _live_docs(keras) -> dict[str, dict[str, str]]:
    """What the imported Keras's docstrings say, per place (keras_doc.PLACES) and name."""
    lstm = keras.layers.LSTM.__doc__
    return {
        "LSTM": parse_args_section(lstm),
        "LSTM.call": parse_args_section(lstm, "Call arguments:"),
        "RNN": parse_args_section(keras.layers.RNN.__doc__),
        "Masking": {"mask_value": parse_opening(keras.layers.Masking.__doc__)},
        "pad_sequences": parse_args_section(keras.utils.pad_sequences.__doc__),
        "Bidirectional": parse_args_section(keras.layers.Bidirectional.__doc__),
        "Bidirectional.opening": {"bidirectional": parse_opening(keras.layers.Bidirectional.__doc__)},
        "Sequential": {"layers": parse_opening(keras.Sequential.__doc__)},
        "Dense": {"dense": parse_opening(keras.layers.Dense.__doc__)},
    }


def test_keras_says_is_the_installed_docstring(keras):
    live = _live_docs(keras)
    for item in EXPLAINED:
        says = explaining.explain(item.name).keras_says
        assert says.text == live[item.documented_in].get(item.name), item.name
        assert says.version == keras.__version__
        assert says.source == "installed Keras"
    assert explaining.explain("mask").keras_says.text.startswith("Binary tensor of shape `(samples, timesteps)`")
    assert "`mask_value`" in explaining.explain("mask_value").keras_says.text
    assert explaining.explain("zero_output_for_mask").keras_says.text.startswith("Boolean (default `False`)")


def test_bundled_copy_when_keras_source_is_unreadable(monkeypatch):
    monkeypatch.setattr(explaining, "read_keras_doc", lambda: KerasDoc("9.9", None, problem="cannot read it"))
    says = explaining.explain("dropout").keras_says
    bundled = explaining.bundled_keras_doc()
    assert says.text == bundled["arguments"]["dropout"]
    assert says.version == bundled["version"]
    assert says.source == "bundled copy (cannot read it)"


def test_bundled_copy_matches_keras_of_the_same_version(keras):
    bundled = explaining.bundled_keras_doc()
    if bundled["version"] == keras.__version__:
        assert bundled["arguments"] == parse_args_section(keras.layers.LSTM.__doc__)
        live = _live_docs(keras)
        copy = explaining.bundled_doc()
        for item in RELATED + tuple(a for a in ARGUMENTS if a.documented_in != "LSTM"):
            assert copy.says(item.documented_in, item.name) == live[item.documented_in][item.name], item.name
    else:
        assert set(bundled["arguments"]) >= {a.name for a in ARGUMENTS if a.is_keras3_argument}


def test_bundled_copy_serves_every_page(monkeypatch):
    monkeypatch.setattr(explaining, "read_keras_doc", lambda: KerasDoc("9.9", None, problem="cannot read it"))
    for item in EXPLAINED:
        if item.name not in ("implementation", "time_major"):  # Keras 3 documents them nowhere
            assert explaining.explain(item.name).keras_says.text, item.name


@pytest.mark.parametrize("spelling", ["return_sequences", "return-sequences", "--return-sequences"])
def test_spellings(invoke, spelling):
    result = invoke("explain", spelling, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "return_sequences"


def test_sections_in_order(invoke):
    out = invoke("explain", "dropout").stdout
    headings = [
        "Keras says",
        "What it does",
        "The LSTM step",
        "Shapes and parameters",
        "Values",
        "Pitfalls",
        "PyTorch",
        "Keras 2 → 3",
        "Try it",
    ]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)


def test_values_list_accepted_names(invoke):
    out = " ".join(invoke("explain", "kernel_regularizer").stdout.split())
    assert "l1_l2, l2, orthogonal_regularizer" in out


def test_chinese_keeps_keras_text_in_english(invoke, keras):
    out = invoke("explain", "dropout", "--lang", "zh").stdout
    assert "Keras 原文" in out and "常见误区" in out
    first_words = " ".join(parse_args_section(keras.layers.LSTM.__doc__)["dropout"].split()[:6])
    assert first_words in " ".join(out.split())


def test_overview_table(invoke):
    result = invoke("explain")
    assert result.exit_code == 0
    for argument in ARGUMENTS:
        assert argument.name in result.stdout
    for panel in Panel:
        if panel not in (Panel.IO, Panel.TRAINING):  # their flags are the tool's own, with no page
            assert panel.value in result.stdout
    rows = json.loads(invoke("explain", "--json").stdout)["arguments"]
    assert [r["name"] for r in rows] == NAMES
    assert rows[NAMES.index("mask")]["panel"] == Panel.CALL.value
    assert rows[NAMES.index("dropout")]["default"] == "0.0"


def test_json_has_every_section(invoke):
    doc = json.loads(invoke("explain", "stateful", "--json", "--lang", "zh").stdout)
    assert doc["lang"] == "zh"
    assert set(doc) >= {
        "keras_says",
        "what",
        "equations",
        "shapes",
        "values",
        "accepted_names",
        "pitfalls",
        "pytorch",
        "keras2to3",
        "try_it",
        "default",
    }


@pytest.mark.parametrize(
    ("typo", "suggestions"),
    [
        ("dropuot", ["dropout", "recurrent_dropout"]),
        ("unit", ["units"]),
        ("return-sequence", ["return_sequences"]),
        ("go_backward", ["go_backwards"]),
    ],
)
def test_typos_suggest(invoke, typo, suggestions):
    result = invoke("explain", typo)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    for name in suggestions:
        assert repr(name) in result.stderr


@pytest.mark.parametrize(
    ("word", "names"),
    [
        ("forget", ["unit_forget_bias"]),
        ("state", ["return_state", "stateful"]),
        ("cudnn", ["use_cudnn"]),
        ("--forget-gate", ["unit_forget_bias"]),
        ("return", ["return_sequences", "return_state"]),
    ],
)
def test_suggestions_match_words_inside_names(invoke, word, names):
    assert explaining.suggestions(word)[: len(names)] == names
    result = invoke("explain", word)
    assert result.exit_code == 2
    for name in names:
        assert repr(name) in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["explain", "forget"],
            "explain: unknown argument 'forget'; did you mean 'unit_forget_bias'? Run 'lstm-explore explain' for the list"
            "; the text of a known Keras error about an LSTM is accepted too.",
        ),
        (
            ["explain", "state"],
            "explain: unknown argument 'state'; did you mean 'return_state', 'stateful' or 'initial_state'? Run 'lstm-explore explain' for the list"
            "; the text of a known Keras error about an LSTM is accepted too.",
        ),
        (
            ["explain", "masks"],
            "explain: unknown argument 'masks'; did you mean 'mask', 'zero_output_for_mask' or 'mask_value'? Run 'lstm-explore explain' for the list"
            "; the text of a known Keras error about an LSTM is accepted too.",
        ),
        (
            ["vary", "mask", "1"],
            "vary: unknown argument 'mask'; did you mean 'zero_output_for_mask'? Run 'lstm-explore explain' for the list.",
        ),
        (
            ["explain", "xy"],
            "explain: unknown argument 'xy'. Run 'lstm-explore explain' for the list; the text of a known Keras error about an LSTM is accepted too.",
        ),
        (
            ["vary", "cudnn", "auto"],
            "vary: unknown argument 'cudnn'; did you mean 'use_cudnn'? Run 'lstm-explore explain' for the list.",
        ),
    ],
)
def test_unknown_argument_message_is_one_punctuated_line(invoke, args, message):
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_short_or_empty_names_suggest_nothing():
    assert explaining.suggestions("") == []
    assert explaining.suggestions("xy") == []
    assert explaining.suggestions("mask") == ["zero_output_for_mask"]
    assert explaining.suggestions("mask", pages=True) == ["zero_output_for_mask", "mask", "mask_value"]


@pytest.mark.parametrize("spelling", ["mask", "initial-state", "--initial-state", "TRAINING", "mask_value", "padding"])
def test_explain_covers_the_call_and_masking_arguments(invoke, spelling):
    result = invoke("explain", spelling, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["name"] == spelling.lstrip("-").replace("-", "_").lower()
    assert doc["keras_says"]["text"]


def test_unknown_language(invoke):
    result = invoke("explain", "units", "--lang", "fr")
    assert result.exit_code == 2
    assert "--lang must be one of en, zh" in result.stderr


def test_explain_never_imports_tensorflow():
    heavy, stdout = heavy_imports_of("explain", "dropout")
    assert heavy == []
    assert "Keras says" in stdout


def test_wrapping_counts_display_columns():
    from lstm_explorer.render.text import display_width, wrap

    text = explaining.explain("dropout", "zh").what + " mixed English words stay whole"
    lines = wrap(text, 40)
    assert all(display_width(line) <= 40 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert "English" in " ".join(lines).split()


def test_plain_output_when_not_a_terminal(invoke):
    for args in (["explain", "units"], ["explain", "units", "--lang", "zh"], ["explain"], ["--help"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout


def test_help_boxes_line_up(invoke):
    from lstm_explorer.render.text import display_width

    lines = [line for line in invoke("--help").stdout.splitlines() if line and line[0] in "╭│╰"]
    assert lines and {display_width(line) for line in lines} == {100}


def test_run_shows_the_same_keras_text_as_explain(invoke, monkeypatch):
    monkeypatch.setattr(explaining, "read_keras_doc", lambda: KerasDoc("9.9", None, problem="cannot read it"))
    out = invoke("--dropout", "0.1").stdout
    flat = " ".join(line.strip("│ ") for line in out.splitlines())
    bundled = explaining.bundled_keras_doc()
    assert f"What Keras {bundled['version']} says" in flat
    assert " ".join(bundled["arguments"]["dropout"].split()) in " ".join(flat.split())


def test_explain_through_the_entry_point_reports_errors_in_one_line():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lstm_explorer", "explain", "dropuot"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr
        == "Error: explain: unknown argument 'dropuot'; did you mean 'dropout' or 'recurrent_dropout'? Run 'lstm-explore explain' for the list"
        "; the text of a known Keras error about an LSTM is accepted too.\n"
    )
