"""`explain` given a Keras error: every known message reproduced against the installed Keras.

Each case below misuses an LSTM the way the entry describes, captures what Keras really says, and
checks that the entry's fragment is in it and that `explain_error` maps the real text (as Keras prints
it, and as a pasted traceback) to the entry and its page. A Keras release that rewords a message
fails here, naming the entry to update in lstm_explorer/keras_errors.py.
"""

from __future__ import annotations

import json
import traceback
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from test_zh import untranslated

from lstm_explorer import explanations as explaining
from lstm_explorer.catalogue import EXPLAINED_BY_NAME
from lstm_explorer.keras_errors import KERAS_ERRORS, find, normalised
from lstm_explorer.language import LANGUAGES, messages
from lstm_explorer.render.explain_view import HEADINGS

from conftest import heavy_imports_of

BY_ID = {error.id: error for error in KERAS_ERRORS}
X = np.ones((2, 5, 3), "float32")


def raised(misuse: Callable[[], object]) -> str:
    """The text of what `misuse` raises, traceback and all, as a user would paste it."""
    try:
        misuse()
    except Exception as error:  # noqa: BLE001 - any exception Keras raises is the point
        return "".join(traceback.format_exception(error))
    raise AssertionError("Keras accepted the misuse")


def warned(misuse: Callable[[], object]) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        misuse()
    return "\n".join(str(w.message) for w in caught)


def gpu_visible() -> bool:
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


def _stacked(keras):
    keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.LSTM(4)])


def _one_sample(keras):
    keras.layers.LSTM(4)(X[0])


def _stateful_dynamic(keras):
    keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4, stateful=True)])


def _stateful_batch_changed(keras):
    layer = keras.layers.LSTM(4, stateful=True)
    layer(X)
    layer(np.ones((3, 5, 3), "float32"))


def _state(keras, initial_state):
    keras.layers.LSTM(4)(X, initial_state=initial_state)


def _features_changed(keras):
    layer = keras.layers.LSTM(4)
    layer(X)
    layer(np.ones((2, 5, 4), "float32"))


def _unroll(keras):
    import tensorflow as tf

    layer = keras.layers.LSTM(4, unroll=True)
    tf.function(layer, input_signature=[tf.TensorSpec((None, None, 3))])(X)


def _sequential(keras, *layers):
    keras.Sequential([keras.Input((5, 3)), *layers])


def _split_bidirectional(keras, after):
    lstm = keras.layers.LSTM(2, return_sequences=after == "lstm")
    head = keras.layers.LSTM(2) if after == "lstm" else keras.layers.Dense(1)
    _sequential(keras, keras.layers.Bidirectional(lstm, merge_mode=None), head)


def _states_stacked(keras, bidirectional):
    lstm = keras.layers.LSTM(2, return_sequences=True, return_state=True)
    _sequential(keras, keras.layers.Bidirectional(lstm) if bidirectional else lstm, keras.layers.LSTM(2))


H = np.zeros((2, 4), "float32")
NARROW = np.zeros((2, 3), "float32")

# (entry id, case name, misuse, how Keras reports it). The cuDNN case with activation relu fails the
# same way with and without a GPU: keras/src/layers/rnn/lstm.py (Keras 3.15, LSTM.inner_loop, lines
# 571-577) raises it whenever backend.lstm raised NotImplementedError, i.e. cudnn_ok (activation tanh,
# recurrent_activation sigmoid, use_bias, no unroll, and a GPU) does not hold.
CASES: list[tuple[str, str, Callable[..., object], Callable[[Callable[[], object]], str]]] = [
    ("stacked_without_sequences", "stacked", _stacked, raised),
    ("input_2d", "one sample", _one_sample, raised),
    ("stateful_dynamic_batch", "Input without batch size", _stateful_dynamic, raised),
    ("stateful_batch_changed", "second batch bigger", _stateful_batch_changed, raised),
    ("batch_input_shape", "Keras 2 argument", lambda k: k.layers.LSTM(4, batch_input_shape=(2, 5, 3)), raised),
    ("initial_state_not_a_pair", "one tensor", lambda k: _state(k, H), raised),
    ("initial_state_not_a_pair", "list of h", lambda k: _state(k, [H]), raised),
    ("initial_state_not_a_pair", "tuple of h", lambda k: _state(k, (H,)), raised),
    ("state_width", "states narrower than units", lambda k: _state(k, [NARROW, NARROW]), raised),
    ("state_width", "more features than built for", _features_changed, raised),
    ("time_major", "Keras 2 argument", lambda k: k.layers.LSTM(4, time_major=True), raised),
    ("cudnn_unsupported", "relu", lambda k: k.layers.LSTM(4, use_cudnn=True, activation="relu")(X), raised),
    ("cudnn_value", "string", lambda k: k.layers.LSTM(4, use_cudnn="yes"), raised),
    ("units_not_positive", "zero", lambda k: k.layers.LSTM(0), raised),
    ("units_not_a_number", "string", lambda k: k.layers.LSTM("4"), raised),
    ("units_not_a_number", "None", lambda k: k.layers.LSTM(None), raised),
    ("unknown_activation", "activation", lambda k: k.layers.LSTM(4, activation="rleu"), raised),
    ("unknown_activation", "recurrent", lambda k: k.layers.LSTM(4, recurrent_activation="sigmod"), raised),
    ("unknown_initializer", "kernel", lambda k: k.layers.LSTM(4, kernel_initializer="glorot_unifrom"), raised),
    ("unknown_regularizer", "kernel", lambda k: k.layers.LSTM(4, kernel_regularizer="l3"), raised),
    ("unknown_constraint", "kernel", lambda k: k.layers.LSTM(4, kernel_constraint="nonneg"), raised),
    ("seed_not_int", "string", lambda k: k.layers.LSTM(4, seed="x"), raised),
    ("unroll_unknown_length", "time axis None", _unroll, raised),
    (
        "bidirectional_same_direction",
        "go_backwards inside",
        lambda k: k.layers.Bidirectional(k.layers.LSTM(2, go_backwards=True)),
        raised,
    ),
    (
        "merge_mode_invalid",
        "the string none",
        lambda k: k.layers.Bidirectional(k.layers.LSTM(2), merge_mode="none"),
        raised,
    ),
    ("two_tensors_into_one", "then Dense", lambda k: _split_bidirectional(k, "dense"), raised),
    ("two_tensors_into_one", "then LSTM", lambda k: _split_bidirectional(k, "lstm"), raised),
    ("states_into_next_layer", "LSTM", lambda k: _states_stacked(k, False), raised),
    ("states_into_next_layer", "Bidirectional", lambda k: _states_stacked(k, True), raised),
    ("input_shape_argument", "input_shape", lambda k: k.layers.LSTM(4, input_shape=(5, 3)), warned),
    ("input_shape_argument", "input_dim", lambda k: k.layers.LSTM(4, input_dim=3), warned),
]


@pytest.mark.parametrize(("error_id", "case", "misuse", "capture"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_fragment_is_what_keras_says_and_maps_to_the_page(keras, error_id, case, misuse, capture):
    text = capture(lambda: misuse(keras))
    entry = BY_ID[error_id]
    assert any(fragment in text for fragment in entry.fragments), text
    assert not entry.context or any(normalised(c) in normalised(text) for c in entry.context), text
    found = explaining.explain_error(text)
    assert found is not None and (found.id, found.page) == (error_id, entry.page), text
    assert explaining.explain(text).name == entry.page


def test_cudnn_true_without_a_gpu_fails_the_same_way(keras):
    if gpu_visible():
        pytest.skip("with a GPU, use_cudnn=True and the default configuration runs on cuDNN")
    text = raised(lambda: keras.layers.LSTM(4, use_cudnn=True)(X))
    assert BY_ID["cudnn_unsupported"].fragments[0] in text
    assert explaining.explain_error(text).page == "use_cudnn"


def test_every_entry_is_reproduced_and_names_a_page():
    assert {c[0] for c in CASES} == set(BY_ID)
    assert len(BY_ID) == len(KERAS_ERRORS)
    for entry in KERAS_ERRORS:
        assert entry.page in EXPLAINED_BY_NAME, entry.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_has_a_meaning_and_a_fix_in_every_language(lang):
    for entry in KERAS_ERRORS:
        for field in ("meaning", "fix"):
            assert messages(lang)[f"keras_errors.{entry.id}_{field}"].strip(), (lang, entry.id, field)
    assert {k for k in messages("en") if k.startswith("keras_errors.")} == {
        k for k in messages("zh") if k.startswith("keras_errors.")
    }


def test_the_chinese_meanings_and_fixes_are_translated():
    for key, text in messages("zh").items():
        if key.startswith("keras_errors."):
            assert untranslated(text) == [], key


@pytest.mark.parametrize(
    ("text", "error_id"),
    [
        # The wrapper, ANSI codes (or what a copy leaves of them) and line breaks anywhere.
        (
            "ValueError: Exception encountered when calling LSTM.call().\n\n\x1b[1mlist index out of range\x1b[0m",
            "initial_state_not_a_pair",
        ),
        (
            "Exception encountered when calling LSTM.call().\n[1mlist index\n   out of range[0m",
            "initial_state_not_a_pair",
        ),
        ("EXPECTED NDIM=3,\n found ndim=2", "input_2d"),
        (
            "is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 4)",
            "stacked_without_sequences",
        ),
        ("expected ndim=3, found ndim=2. Full shape received: (5, 3)", "input_2d"),
        # Backticks are optional; a distinctive part is enough.
        ("When using stateful=True in a RNN, the batch size must be static", "stateful_dynamic_batch"),
        ("batch size must be static", "stateful_dynamic_batch"),
        ("Cannot unroll a RNN", "unroll_unknown_length"),
    ],
)
def test_pasted_text_is_normalised(text, error_id):
    found = find(text)
    assert found is not None and found.error.id == error_id


@pytest.mark.parametrize(
    "text",
    [
        "list index out of range",  # a bare IndexError: anything in Python
        "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,16]",
        "'<=' not supported between instances of 'str' and 'int'",
        "not supported",  # too short to be distinctive
        "ndim=2",
        "the batch size",
        "this is not a Keras message at all",
    ],
)
def test_generic_or_short_text_matches_nothing(text):
    assert find(text) is None
    assert explaining.explain_error(text) is None


def test_a_page_name_is_never_taken_for_an_error():
    assert explaining.explain_error("return_sequences") is None
    assert normalised("a `b`\x1b[1m  C\n") == "a b c"


def test_the_cli_shows_the_error_section_then_the_page(invoke):
    result = invoke("explain", "expected ndim=3, found ndim=2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip("═ ") == "Keras error · return_sequences"
    assert lines[1:4] == ["", "Keras says (its own words)", "expected ndim=3, found ndim=2"]
    assert lines.index("What it means") < lines.index("Fix")
    page_title = next(i for i, line in enumerate(lines) if "return_sequences · --return-sequences" in line)
    assert page_title > lines.index("Fix")


def test_the_cli_takes_a_whole_pasted_message(invoke):
    pasted = (
        "ValueError: Exception encountered when calling LSTM.call().\n\n"
        "\x1b[1muse_cudnn=True was specified, but cuDNN is not supported for this layer configuration "
        "with this backend. Pass use_cudnn='auto' to fallback to a non-cuDNN implementation.\x1b[0m\n\n"
        "Arguments received by LSTM.call():\n  • sequences=tf.Tensor(shape=(2, 5, 3), dtype=float32)\n"
    )
    result = invoke("explain", pasted, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["name"] == "use_cudnn"
    assert document["error"] == {
        "id": "cudnn_unsupported",
        "keras_says": BY_ID["cudnn_unsupported"].fragments[0],
        "meaning": messages("en")["keras_errors.cudnn_unsupported_meaning"],
        "fix": messages("en")["keras_errors.cudnn_unsupported_fix"],
        "page": "use_cudnn",
    }


def test_a_page_has_no_error_object(run_json):
    assert "error" not in run_json("explain", "stateful")


def test_chinese_section_keeps_keras_words_in_english(invoke):
    result = invoke("explain", "When using `stateful=True` in a RNN, the batch size must be static", "--lang", "zh")
    assert result.exit_code == 0, result.output
    section = result.stdout.split(HEADINGS["zh"]["keras"])[0]
    lines = section.splitlines()
    assert lines[0].strip("═ ") == "Keras 报错 · stateful"
    assert lines[2:4] == ["Keras 原话（英文）", "When using `stateful=True` in a RNN, the batch size must be static"]
    assert "含义" in lines and "改法" in lines
    assert untranslated("\n".join(lines[4:])) == []
    document = json.loads(
        invoke("explain", "batch size must be static", "--lang", "zh", "--json").stdout,
    )
    assert document["error"]["meaning"] == messages("zh")["keras_errors.stateful_dynamic_batch_meaning"]
    assert document["error"]["keras_says"].startswith("When using `stateful=True`")


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "Error: explain: unknown argument 'list index out of range'. Run 'lstm-explore explain' for the "
            "list; the text of a known Keras error about an LSTM is accepted too.\n",
        ),
        (
            "zh",
            "错误：explain：未知的参数 'list index out of range'。运行 'lstm-explore explain' 可查看参数列表；"
            "也可以给出 Keras 关于 LSTM 的已知报错原文。\n",
        ),
    ],
)
def test_unknown_text_is_refused_saying_errors_are_accepted(invoke, lang, message):
    result = invoke("explain", "list index out of range", "--lang", lang)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == message


def test_explaining_an_error_never_imports_tensorflow():
    heavy, stdout = heavy_imports_of("explain", "expected ndim=3, found ndim=2")
    assert heavy == []
    assert "Keras error · return_sequences" in stdout
