"""Every command, whole, in Chinese: chosen by --lang or by the locale, no English sentence left on
the screen but Keras's own words (labelled as such), and the same numbers as the English run.

The modules' own tests check their sentences one by one; this file reads each command's complete
output the way a reader of the Chinese tutorial would see it.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

import pytest

import lstm_explorer
from tests.test_zh import CJK, untranslated

# Keras's docstrings, quoted in English under a heading that says so, end with the panel's border.
KERAS_PANEL = re.compile(r"^╭─ Keras [^\n]*原文[^\n]*\n(?:│[^\n]*\n)*╰[^\n]*$", re.M)
NUMBER = re.compile(r"-?\d+\.\d{3,}(?:e[+-]\d+)?")
# Column labels of the tables (h0, x1, A0, B2: unit, feature, compared array) are symbols, not words.
COLUMN_LABEL = re.compile(r"\b[A-Za-z]\d+\b")
COMMAND = re.compile(r"lstm-explore[ \w.'()=,-]*")

COMMANDS = {
    "run": ["--units", "2", "--return-sequences", "--return-state"],
    "run_all_effects": [
        "run",
        "--units",
        "2",
        "--dropout",
        "0.3",
        "--training",
        "--kernel-regularizer",
        "l2(0.01)",
        "--kernel-constraint",
        "max_norm(0.5)",
        "--stateful",
        "--go-backwards",
        "--show-effects",
        "--all",
    ],
    "trace": ["trace", "--units", "2", "--dropout", "0.3", "--training"],
    "run_masked": [
        "--batch",
        "3",
        "--timesteps",
        "5",
        "--lengths",
        "5,3,1",
        "--padding",
        "post",
        "--initial-h",
        "0.5",
        "--return-sequences",
        "--scale",
    ],
    "trace_masked": [
        "trace",
        "--batch",
        "3",
        "--timesteps",
        "5",
        "--lengths",
        "5,3,1",
        "--sample",
        "1",
        "--initial-c",
        "1",
    ],
    "vary_padding": ["vary", "padding", "--batch", "2", "--lengths", "10,4"],
    "vary": ["vary", "units", "2", "3"],
    "vary_dropout": ["vary", "dropout", "0", "0.5"],
    "vary_cudnn": ["vary", "use_cudnn"],
}
HELP = [[], ["run"], ["vary"], ["trace"], ["code"], ["explain"]]


def prose(output: str) -> list[str]:
    """Each line of `output` outside Keras's quoted docstrings, as untranslated() should read it:
    column labels and example commands (`lstm-explore vary units 1 2 4 8`) are not prose."""
    lines = KERAS_PANEL.sub("", output).splitlines()
    return [COMMAND.sub("0", COLUMN_LABEL.sub("0", line)) for line in lines]


def english_left(output: str) -> list[str]:
    return [run for line in prose(output) for run in untranslated(line)]


@pytest.fixture(scope="module")
def outputs(invoke):
    """Each command's output in both languages, once."""
    done = {}
    for name, args in COMMANDS.items():
        for lang in ("en", "zh"):
            result = invoke(*args, "--lang", lang)
            assert result.exit_code == 0, result.output
            done[name, lang] = result.stdout
    return done


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_speaks_chinese_only(outputs, name):
    chinese = outputs[name, "zh"]
    assert CJK.search(chinese)
    assert english_left(chinese) == []
    assert english_left(outputs[name, "en"]) != []  # the checker does see English


@pytest.mark.parametrize("name", COMMANDS)
def test_both_languages_show_the_same_numbers(outputs, name):
    def numbers(text: str) -> list[str]:
        return sorted(NUMBER.findall(text))

    english, chinese = outputs[name, "en"], outputs[name, "zh"]
    if name == "run_all_effects":  # the unroll-free demonstrations, but stateful carries no clock either
        assert "unroll" not in COMMANDS[name]
    assert numbers(chinese) == numbers(english)


def test_keras_s_own_words_stay_english_and_say_so(outputs):
    chinese = outputs["run", "zh"]
    panel = KERAS_PANEL.search(chinese)
    assert panel is not None and "英文" in panel.group()
    assert "Positive integer, dimensionality of the output space." in panel.group()


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_code_comments_are_chinese_and_the_code_the_same(invoke, framework):
    scripts = {
        lang: invoke("code", "--framework", framework, "--units", "2", "--return-state", "--lang", lang).stdout
        for lang in ("en", "zh")
    }

    def words(script: str) -> list[str]:
        """The script's docstring and comments: what a person reads rather than Python."""
        tree = ast.parse(script)
        comments = [
            t.string for t in tokenize.generate_tokens(io.StringIO(script).readline) if t.type == tokenize.COMMENT
        ]
        return [ast.get_docstring(tree) or "", *comments]

    def statements(script: str) -> str:
        tree = ast.parse(script)
        if ast.get_docstring(tree) is not None:
            tree.body = tree.body[1:]
        return ast.dump(tree)

    chinese = words(scripts["zh"])
    assert all(CJK.search(text) for text in chinese)
    assert [run for text in chinese for line in text.splitlines() for run in untranslated(line)] == []
    assert statements(scripts["zh"]) == statements(scripts["en"])


@pytest.mark.parametrize("args", HELP, ids=lambda args: " ".join(args) or "lstm-explore")
def test_help_is_chinese(invoke, args):
    result = invoke(*args, "--help", "--lang", "zh")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    body = [line for line in lines if not line.lstrip().startswith(("Usage", "用法"))]
    assert english_left("\n".join(body)) == []
    english = invoke(*args, "--help").stdout
    flags = re.compile(r"--[a-z][\w-]*")
    assert sorted(set(flags.findall(result.stdout))) == sorted(set(flags.findall(english)))


@pytest.mark.parametrize(
    "args",
    [
        ["--units", "0"],
        ["--dropout", "1.5"],
        ["--unitz", "3"],
        ["--units", "x"],
        ["vary"],
        ["vary", "units"],
        ["explain", "dropuot"],
        ["trace", "--unit", "7"],
        ["code", "--framework", "java"],
        ["--input", "no-such-file.npy"],
    ],
    ids=" ".join,
)
def test_errors_are_one_chinese_line(invoke, args):
    english = invoke(*args)
    chinese = invoke(*args, "--lang", "zh")
    assert chinese.exit_code == english.exit_code != 0
    lines = chinese.stderr.strip().splitlines()
    assert len(lines) == 1 and CJK.search(lines[0]), chinese.stderr
    assert english_left(lines[0]) == []


def test_the_locale_chooses_and_the_flag_overrides(runner, outputs):
    from lstm_explorer.cli import app
    from tests.conftest import TERMINAL

    args = COMMANDS["vary"]
    chinese = runner.invoke(app, args, env={**TERMINAL, "LANG": "zh_CN.UTF-8"})
    assert chinese.stdout == outputs["vary", "zh"]
    english = runner.invoke(app, [*args, "--lang", "en"], env={**TERMINAL, "LANG": "zh_CN.UTF-8"})
    assert english.stdout == outputs["vary", "en"]
    by_lc_all = runner.invoke(app, args, env={**TERMINAL, "LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"})
    assert by_lc_all.stdout == outputs["vary", "en"]
    explained = runner.invoke(app, ["explain", "units"], env={**TERMINAL, "LC_MESSAGES": "zh_CN.UTF-8"})
    assert "形状与输出" in explained.stdout


def test_an_unknown_language_is_a_usage_error(invoke):
    result = invoke("--units", "2", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "Error: --lang must be one of en, zh, got 'fr'\n"


def test_the_api_speaks_the_language_it_is_asked_for(run_json):
    assert lstm_explorer.run(units=2, dropout=0.5, lang="zh").to_dict() == run_json(
        "--units", "2", "--dropout", "0.5", "--lang", "zh"
    )
    english = lstm_explorer.run(units=2, dropout=0.5).to_dict()
    assert english == run_json("--units", "2", "--dropout", "0.5")
    assert english != lstm_explorer.run(units=2, dropout=0.5, lang="zh").to_dict()


def test_an_unknown_language_is_refused_in_the_locale_s(runner):
    from lstm_explorer.cli import app
    from tests.conftest import TERMINAL

    result = runner.invoke(app, ["--lang", "fr"], env={**TERMINAL, "LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2
    assert result.stderr == "错误：--lang 只能取以下值之一：en, zh；得到的是 'fr'\n"
