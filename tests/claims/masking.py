"""Claims about the call arguments and the masks: zero_output_for_mask, mask, initial_state, training,
mask_value, padding.

Checks run the installed Keras on the CPU, where the layer runs its generic loop
(keras/src/backend/tensorflow/rnn.py, `rnn`); what cuDNN does with a mask happens only on a GPU and
is cited from `_assert_valid_mask` and `_cudnn_lstm` in the same file.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from claims import Claim, seeded_layer, tool_json, try_json
from claims import keras_module as _keras

UNITS = 2
TF_RNN = "keras/src/backend/tensorflow/rnn.py"
POST = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
PRE = np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [1, 1, 1, 1, 1]], dtype=bool)


def _x(batch: int = 3, timesteps: int = 5, features: int = 2) -> np.ndarray:
    return np.random.default_rng(0).uniform(-1, 1, size=(batch, timesteps, features)).astype("float32")


def _layer(x: np.ndarray | None = None, **kwargs):
    return seeded_layer(UNITS, _x() if x is None else x, **kwargs)


def _call(layer, x, **call):
    result = layer(x, **call)
    return [np.asarray(r) for r in result] if isinstance(result, (list, tuple)) else np.asarray(result)


def _states(batch: int = 3, h: float = 0.5, c: float = -0.3):
    return [np.full((batch, UNITS), h, "float32"), np.full((batch, UNITS), c, "float32")]


def _raises(fn, error_name: str, text: str) -> None:
    try:
        fn()
    except Exception as caught:  # noqa: BLE001 - the type is what is checked
        assert type(caught).__name__ == error_name, type(caught).__name__
        assert text in str(caught), str(caught)
        return
    raise AssertionError(f"no {error_name}")


def _unknown_flag(doc_or_result) -> None:
    """The lead adds --initial-h/--initial-c in parallel: skip a Try check until the flag exists."""
    if "No such option" in doc_or_result:
        pytest.skip("flag not wired yet: " + doc_or_result.strip().splitlines()[0])


def _json_or_skip(args: list[str]) -> dict:
    from claims import tool

    result = tool(*args, "--json")
    if result.exit_code == 2:
        _unknown_flag(result.output)
    assert result.exit_code == 0, result.output
    import json

    return json.loads(result.stdout)


def _try_words(name: str) -> list[str]:
    import shlex

    from lstm_explorer.explanations import texts

    return shlex.split(str(texts("en")[name]["try"]))[1:]


# ----------------------------------------------------------------------------- zero_output_for_mask


def _zero_output_zeroes_sequences():
    x = _x()
    plain = _call(_layer(x, return_sequences=True), x, mask=POST)
    zeroed = _call(_layer(x, return_sequences=True, zero_output_for_mask=True), x, mask=POST)
    assert np.all(zeroed[1, 3:] == 0) and np.allclose(plain[1, 3:], plain[1, 2])
    assert np.allclose(zeroed[POST], plain[POST])


def _zero_output_not_in_signature_but_in_config():
    keras = _keras()
    assert "zero_output_for_mask" not in inspect.signature(keras.layers.LSTM.__init__).parameters
    assert inspect.signature(keras.layers.RNN.__init__).parameters["zero_output_for_mask"].default is False
    layer = keras.layers.LSTM(UNITS, zero_output_for_mask=True)
    assert layer.get_config()["zero_output_for_mask"] is True
    assert keras.layers.LSTM.from_config(layer.get_config()).zero_output_for_mask is True


def _zero_output_last_output():
    x = _x()
    plain = _call(_layer(x), x, mask=POST)
    zeroed = _call(_layer(x, zero_output_for_mask=True), x, mask=POST)
    assert np.all(zeroed[1] == 0) and not np.allclose(plain[1], 0)
    assert np.allclose(zeroed[[0, 2]], plain[[0, 2]])


def _zero_output_pre_padding_unchanged():
    x = _x()
    assert np.allclose(_call(_layer(x, zero_output_for_mask=True), x, mask=PRE), _call(_layer(x), x, mask=PRE))


def _zero_output_states_kept():
    x = _x()
    _, h, c = _call(_layer(x, return_state=True, zero_output_for_mask=True), x, mask=POST)
    _, h_short, c_short = _call(_layer(x, return_state=True), x[:, :3], mask=None)
    assert np.allclose(h[1], h_short[1], atol=1e-6) and np.allclose(c[1], c_short[1], atol=1e-6)
    assert not np.allclose(h[1], 0)


def _zero_output_generic_loop_repeats():
    x = _x()
    seq = _call(_layer(x, return_sequences=True, use_cudnn=False), x, mask=POST)
    assert np.allclose(seq[1, 3], seq[1, 2]) and np.allclose(seq[1, 4], seq[1, 2])


def _bidirectional_overrides():
    keras = _keras()
    wrapped = keras.layers.Bidirectional(keras.layers.LSTM(UNITS, return_sequences=True))
    assert wrapped.forward_layer.zero_output_for_mask and wrapped.backward_layer.zero_output_for_mask
    last = keras.layers.Bidirectional(keras.layers.LSTM(UNITS, zero_output_for_mask=True))
    assert last.forward_layer.zero_output_for_mask is False


# ----------------------------------------------------------------------------- mask


def _true_keeps_step():
    x = _x()
    masked = _call(_layer(x), x, mask=POST)
    assert np.allclose(masked[1], _call(_layer(x), x[:, :3])[1], atol=1e-6)
    assert np.allclose(masked[0], _call(_layer(x), x)[0])


def _masked_step_keeps_states():
    x = _x()
    layer = _layer(x, return_sequences=True, return_state=True)
    seq, h, c = _call(layer, x, mask=POST)
    _, h3, c3 = _call(layer, x[:, :3])
    assert np.allclose(seq[1, 3:], seq[1, 2]) and np.allclose(h[1], h3[1], atol=1e-6)
    assert np.allclose(c[1], c3[1], atol=1e-6)


def _leading_masked_zeros_whatever_state():
    x = _x()
    seq = _call(_layer(x, return_sequences=True), x, mask=PRE, initial_state=_states())
    assert np.all(seq[1, :2] == 0) and not np.allclose(seq[1, 2], 0)


def _mask_default_none():
    assert inspect.signature(_keras().layers.LSTM.call).parameters["mask"].default is None
    x = _x()
    assert np.allclose(_call(_layer(x), x, mask=np.ones((3, 5), bool)), _call(_layer(x), x))


def _mask_ints_work():
    x = _x()
    assert np.allclose(_call(_layer(x), x, mask=POST.astype("int32")), _call(_layer(x), x, mask=POST))


def _all_false_sample():
    x = _x()
    mask = POST.copy()
    mask[1] = False
    out, h, c = _call(_layer(x, return_state=True), x, mask=mask, initial_state=_states())
    assert np.all(out[1] == 0)
    assert np.allclose(h[1], 0.5) and np.allclose(c[1], -0.3)


def _mask_keras2_unchanged():
    params = inspect.signature(_keras().layers.LSTM.call).parameters
    assert list(params) == ["self", "sequences", "initial_state", "mask", "training"]


# ----------------------------------------------------------------------------- initial_state


def _lstm_step(layer, x_t, h, c):
    """One step in NumPy from the layer's weights (gate order i, f, c̃, o)."""
    kernel, recurrent, bias = (np.asarray(w) for w in layer.get_weights())
    z = x_t @ kernel + h @ recurrent + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def _h_first():
    x = _x(timesteps=1)
    layer = _layer(x)
    h0, c0 = _states(h=0.5, c=-0.3)
    expected, _ = _lstm_step(layer, x[:, 0], h0, c0)
    assert np.allclose(_call(layer, x, initial_state=[h0, c0]), expected, atol=1e-5)
    assert not np.allclose(_call(layer, x, initial_state=[c0, h0]), expected, atol=1e-3)


def _default_zeros():
    x = _x()
    layer = _layer(x)
    assert inspect.signature(_keras().layers.LSTM.call).parameters["initial_state"].default is None
    zeros = [np.zeros((3, UNITS), "float32")] * 2
    assert np.allclose(_call(layer, x), _call(layer, x, initial_state=zeros))


def _single_tensor_index_error():
    x = _x()
    layer = _layer(x)
    h0, _ = _states()
    for bad in (h0, [h0]):
        _raises(lambda bad=bad: layer(x, initial_state=bad), "IndexError", "index out of range")
    _raises(lambda: _layer(x, use_cudnn=False)(x, initial_state=[h0]), "IndexError", "tuple index out of range")
    _raises(lambda: layer(x, initial_state=[h0]), "IndexError", "list index out of range")


def _wrong_width_matmul():
    x = _x()
    layer = _layer(x)
    wide = [np.zeros((3, UNITS + 1), "float32"), np.zeros((3, UNITS), "float32")]
    _raises(lambda: layer(x, initial_state=wide), "InvalidArgumentError", "Matrix size-incompatible")
    try:
        layer(x, initial_state=wide)
    except Exception as caught:  # noqa: BLE001
        assert "initial_state" not in str(caught).split("Arguments received")[0]


def _one_sample_broadcast():
    x = _x()
    layer = _layer(x)
    full = _call(layer, x, initial_state=_states())
    for shape in ((UNITS,), (1, UNITS)):
        h, c = np.full(shape, 0.5, "float32"), np.full(shape, -0.3, "float32")
        assert np.allclose(_call(layer, x, initial_state=[h, c]), full, atol=1e-6), shape


def _stateful_initial_state():
    x = _x()
    stateful = _layer(x, stateful=True)
    plain = _layer(x, return_state=True)
    _call(stateful, x)  # the stored state is now not zero
    out = _call(stateful, x, initial_state=_states())
    expected, h, c = _call(plain, x, initial_state=_states())
    assert np.allclose(out, expected, atol=1e-6)
    assert np.allclose(np.asarray(stateful.states[0]), h, atol=1e-6)
    assert np.allclose(np.asarray(stateful.states[1]), c, atol=1e-6)


def _pre_padding_carries_initial_state():
    x = _x()
    layer = _layer(x, return_sequences=True, return_state=True)
    seq, h, c = _call(layer, x, mask=PRE, initial_state=_states())
    assert np.all(seq[1, :2] == 0)
    # The real steps start from the initial state: the same as running only them from it.
    tail, h_tail, _ = _call(layer, x[:, 2:], initial_state=_states())
    assert np.allclose(seq[1, 2:], tail[1], atol=1e-6) and np.allclose(h[1], h_tail[1], atol=1e-6)


def _reset_state_takes_nothing():
    keras = _keras()
    assert list(inspect.signature(keras.layers.LSTM.reset_state).parameters) == ["self"]


# ----------------------------------------------------------------------------- training


def _training_default_false():
    keras = _keras()
    assert inspect.signature(keras.layers.LSTM.call).parameters["training"].default is False
    x = _x()
    layer = _layer(x, dropout=0.5, seed=1)
    assert np.allclose(_call(layer, x), _call(layer, x, training=False))
    assert not np.allclose(_call(layer, x, training=True), _call(layer, x))


def _no_dropout_no_difference():
    x = _x()
    layer = _layer(x)
    assert np.array_equal(_call(layer, x, training=True), _call(layer, x, training=False))


def _repeated_training_calls_differ():
    x = _x()
    layer = _layer(x, dropout=0.5, seed=1)
    first, second = _call(layer, x, training=True), _call(layer, x, training=True)
    assert not np.allclose(first, second)
    assert np.allclose(_call(_layer(x, dropout=0.5, seed=1), x, training=True), first)


def _no_learning_phase():
    backend = _keras().backend
    assert not hasattr(backend, "set_learning_phase") and not hasattr(backend, "learning_phase")


# ----------------------------------------------------------------------------- mask_value


def _masking_mask(x, value=0.0):
    return np.asarray(_keras().layers.Masking(value).compute_mask(x))


def _masking_every_feature():
    keras = _keras()
    assert inspect.signature(keras.layers.Masking.__init__).parameters["mask_value"].default == 0.0
    x = np.array([[[0, 0], [0, 1], [1, 0], [0, 0]]], "float32")
    assert _masking_mask(x).tolist() == [[False, True, True, False]]


def _real_zero_step_masked():
    x = _x(batch=1)
    x[0, 2] = 0.0
    assert _masking_mask(x).tolist() == [[True, True, False, True, True]]


def _normalising_moves_pad():
    x = _x(batch=2)
    x[1, 3:] = 0.0
    assert not _masking_mask(x)[1, 3:].any()
    normalised = (x - x.mean()) / x.std()
    assert _masking_mask(normalised).all()


# ----------------------------------------------------------------------------- padding


def _pad_defaults():
    keras = _keras()
    params = inspect.signature(keras.utils.pad_sequences).parameters
    found = {name: params[name].default for name in ("padding", "truncating", "value", "dtype")}
    assert found == {"padding": "pre", "truncating": "pre", "value": 0.0, "dtype": "int32"}
    assert keras.utils.pad_sequences([[1], [2, 3]]).tolist() == [[0, 1], [2, 3]]


def _pad_int32():
    padded = _keras().utils.pad_sequences([[1.5], [2.0, 3.25]])
    assert padded.dtype == np.int32 and padded.tolist() == [[0, 1], [2, 3]]
    assert _keras().utils.pad_sequences([[1.5]], dtype="float32").tolist() == [[1.5]]


def _pad_truncating():
    assert _keras().utils.pad_sequences([[1, 2, 3, 4]], maxlen=2).tolist() == [[3, 4]]


def _padding_sequence_outputs():
    x = _x()
    layer = _layer(x, return_sequences=True)
    pre = _call(layer, x, mask=PRE)
    post = _call(layer, x, mask=POST)
    assert np.all(pre[1, :2] == 0)
    assert np.allclose(post[1, 3:], post[1, 2]) and not np.allclose(post[1, 2], 0)


def _go_backwards_post():
    x = _x()
    seq = _call(_layer(x, return_sequences=True, go_backwards=True), x, mask=POST)
    assert np.all(seq[1, :2] == 0) and not np.allclose(seq[1, 2], 0)


def _old_path():
    keras = _keras()
    assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences


# ----------------------------------------------------------------------------- sources

_CUDNN_RIGHT = dict(
    source=TF_RNN,
    snippet='You are passing a RNN mask that does not correspond to "\n                "right-padded sequences, while using cuDNN',
)
_CUDNN_ZEROS = dict(source=TF_RNN, snippet="the cudnn kernel will fill zeros for\n    # the output")


def _claim(argument, section, quote, item=None, **how):
    return Claim(argument, section, quote, item, **how)


Z, M, S, T, V, P = "zero_output_for_mask", "mask", "initial_state", "training", "mask_value", "padding"

CLAIMS: list[Claim] = [
    # zero_output_for_mask
    _claim(
        Z,
        "values",
        "False (the default of keras.layers.RNN) or True",
        check=_zero_output_not_in_signature_but_in_config,
    ),
    _claim(Z, "values", "it is kept in get_config()", check=_zero_output_not_in_signature_but_in_config),
    _claim(Z, "values", "it also zeroes the single output (return_sequences=False)", check=_zero_output_last_output),
    _claim(
        Z,
        "values",
        "Keras's docstring says it is only used with return_sequences=True",
        source="keras/src/layers/rnn/rnn.py",
        snippet="Note that this field is only used when `return_sequences`",
    ),
    _claim(
        Z,
        "pitfalls",
        "a padded sample's output becomes zeros instead of its last real h",
        0,
        check=_zero_output_last_output,
    ),
    _claim(
        Z,
        "pitfalls",
        "With pre-padding the last step is real and nothing changes",
        0,
        check=_zero_output_pre_padding_unchanged,
    ),
    _claim(
        Z, "pitfalls", "the returned h and c are still those of the last real step", 1, check=_zero_output_states_kept
    ),
    _claim(
        Z,
        "pitfalls",
        "cuDNN writes zeros at the masked steps of a sequence output whatever this argument says",
        2,
        source=f"GPU only: {TF_RNN} lines 968-981 (_cudnn_lstm has no zero_output_for_mask parameter; 'the cudnn kernel will fill zeros for the output')",
    ),
    _claim(
        Z,
        "pitfalls",
        "the generic loop (CPU) repeats the previous output unless it is True",
        2,
        check=_zero_output_generic_loop_repeats,
    ),
    _claim(Z, "pitfalls", "it is True for a sequence output and False otherwise", 3, check=_bidirectional_overrides),
    _claim(
        Z,
        "keras2to3",
        "Keras 2 (tf.keras) had the same RNN argument",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/base_rnn.py: RNN.__init__(..., zero_output_for_mask=False, **kwargs); LSTM passes **kwargs to it",
    ),
    # mask
    _claim(M, "values", "None by default: every step counts", check=_mask_default_none),
    _claim(M, "values", "A mask of 1 and 0 works like True and False", check=_mask_ints_work),
    _claim(M, "values", "the output of a post-padded sample is the h of its last real step", check=_true_keeps_step),
    _claim(M, "pitfalls", "True keeps a step and False skips it", 0, check=_true_keeps_step),
    _claim(
        M, "pitfalls", "the generic loop (CPU) repeats the previous output there", 1, check=_masked_step_keeps_states
    ),
    _claim(
        M,
        "pitfalls",
        "only the steps before the first real one are zeros, whatever the initial state",
        1,
        check=_leading_masked_zeros_whatever_state,
    ),
    _claim(M, "pitfalls", "zero_output_for_mask=True gives zeros", 1, check=_zero_output_zeroes_sequences),
    _claim(
        M,
        "pitfalls",
        "'You are passing a RNN mask that does not correspond to right-padded sequences, while using cuDNN'",
        2,
        **_CUDNN_RIGHT,
    ),
    _claim(M, "pitfalls", "cuDNN fills masked steps of a sequence output with zeros", 2, **_CUDNN_ZEROS),
    _claim(
        M,
        "pitfalls",
        "Pass use_cudnn=False to get the generic loop everywhere",
        2,
        check=_zero_output_generic_loop_repeats,
    ),
    _claim(
        M, "pitfalls", "its output is zeros and its returned states are the initial states", 3, check=_all_false_sample
    ),
    _claim(M, "keras2to3", "LSTM.call takes mask=None in Keras 2 (tf.keras) and Keras 3", check=_mask_keras2_unchanged),
    _claim(
        M,
        "keras2to3",
        "with True for the steps to use",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py: LSTM.call(self, inputs, mask=None, training=None, initial_state=None), mask True for the steps to use",
    ),
    # initial_state
    _claim(S, "values", "None by default: zeros", check=_default_zeros),
    _claim(S, "values", "a list of two tensors, h first", check=_h_first),
    _claim(
        S,
        "values",
        "A single tensor or a list holding only h fails with a bare IndexError",
        check=_single_tensor_index_error,
    ),
    _claim(
        S,
        "values",
        "a state of the wrong width with an InvalidArgumentError from MatMul ('Matrix size-incompatible')",
        check=_wrong_width_matmul,
    ),
    _claim(S, "pitfalls", "a swapped pair runs without an error but gives other numbers", 0, check=_h_first),
    _claim(
        S,
        "pitfalls",
        "is broadcast to every sample of the batch without an error or a warning",
        1,
        check=_one_sample_broadcast,
    ),
    _claim(
        S,
        "pitfalls",
        "replaces the stored state for that call, and the call's final states are stored as usual",
        2,
        check=_stateful_initial_state,
    ),
    _claim(
        S,
        "pitfalls",
        "the outputs at the padded steps are zeros, not the initial h",
        3,
        check=_pre_padding_carries_initial_state,
    ),
    _claim(S, "keras2to3", "Keras 3's reset_state() takes no argument", check=_reset_state_takes_nothing),
    _claim(
        S,
        "keras2to3",
        "though the RNN docstring still describes one",
        source="keras/src/layers/rnn/rnn.py",
        snippet="calling `reset_state()` with the keyword argument `states`",
    ),
    _claim(
        S,
        "keras2to3",
        "Keras 2 could also set a stateful layer's states with reset_states(states=...)",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/base_rnn.py: RNN.reset_states(self, states=None)",
    ),
    # training
    _claim(T, "values", "LSTM.call's default is False", check=_training_default_false),
    _claim(
        T,
        "values",
        "(its docstring says None)",
        source="keras/src/layers/rnn/lstm.py",
        snippet="`recurrent_dropout` is used  (optional). Defaults to `None`.",
    ),
    _claim(T, "values", "True and False give the same numbers", check=_no_dropout_no_difference),
    _claim(
        T,
        "pitfalls",
        "nothing is dropped unless the layer is called with training=True",
        0,
        check=_training_default_false,
    ),
    _claim(
        T,
        "pitfalls",
        "each call draws new masks, so the calls differ even with a seed",
        1,
        check=_repeated_training_calls_differ,
    ),
    _claim(T, "keras2to3", "Keras 3 has no learning phase", check=_no_learning_phase),
    _claim(
        T,
        "keras2to3",
        "Keras 2 (tf.keras) resolved training=None from a global learning phase",
        source="Keras 2 (tf-keras 2.15) keras/src/backend.py: learning_phase() and set_learning_phase(); base_layer resolves training=None from it",
    ),
    # mask_value
    _claim(V, "values", "Masking's default is 0.0", check=_masking_every_feature),
    _claim(V, "values", "a step [0, 0] is masked and [0, 1] is not", check=_masking_every_feature),
    _claim(V, "pitfalls", "an all-zero step with the default 0.0) is skipped too", 0, check=_real_zero_step_masked),
    _claim(V, "pitfalls", "nothing is masked any more", 1, check=_normalising_moves_pad),
    _claim(V, "pitfalls", "which cuDNN refuses on a GPU", 2, **_CUDNN_RIGHT),
    _claim(V, "pitfalls", "makes the mask not right-padded", 2, check=_real_zero_step_masked),
    _claim(
        V,
        "keras2to3",
        "keras.layers.Masking(mask_value=0.0) in Keras 2 (tf.keras) and Keras 3",
        check=_masking_every_feature,
    ),
    _claim(
        V,
        "keras2to3",
        "Unchanged",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/core/masking.py: Masking(mask_value=0.0), the same any(not_equal) rule",
    ),
    # padding
    _claim(
        P,
        "values",
        "pad_sequences's defaults are padding='pre', truncating='pre', value=0.0 and dtype='int32'",
        check=_pad_defaults,
    ),
    _claim(P, "pitfalls", "float features are truncated to integers (1.5 becomes 1)", 0, check=_pad_int32),
    _claim(P, "pitfalls", "its first steps are dropped and its last ones kept", 1, check=_pad_truncating),
    _claim(P, "pitfalls", "pre-padding gives zeros at the padded leading steps", 2, check=_padding_sequence_outputs),
    _claim(P, "pitfalls", "post-padding repeats the last real output at the end", 2, check=_padding_sequence_outputs),
    _claim(P, "pitfalls", "(zeros with zero_output_for_mask)", 2, check=_zero_output_zeroes_sequences),
    _claim(P, "pitfalls", "cuDNN accepts only right-padded masks", 3, **_CUDNN_RIGHT),
    _claim(P, "pitfalls", "its output sequence starts with them, as zeros", 4, check=_go_backwards_post),
    _claim(P, "keras2to3", "keras.utils.pad_sequences in Keras 3 (the old path still works)", check=_old_path),
    _claim(
        P,
        "keras2to3",
        "with the same defaults",
        source="Keras 2 (tf-keras 2.15) keras/src/utils/data_utils.py: pad_sequences(sequences, maxlen=None, dtype='int32', padding='pre', truncating='pre', value=0.0)",
    ),
]


# ----------------------------------------------------------------------------- Try it


def _outputs(doc: dict) -> np.ndarray:
    return np.asarray(doc["outputs"][0]["values"])


def _try_zero_output():
    words = _try_words(Z)
    zeroed = _outputs(_json_or_skip(words))
    plain = _outputs(_json_or_skip([w for w in words if w != "--zero-output-for-mask"]))
    for sample, length in enumerate((10, 7, 4)):
        assert np.all(zeroed[sample, length:] == 0) and np.allclose(plain[sample, length:], plain[sample, length - 1])
        assert np.allclose(zeroed[sample, :length], plain[sample, :length])


def _try_mask():
    masked = _outputs(try_json(M))
    plain = _outputs(tool_json("--batch", "3", "--return-sequences"))
    for sample, length in enumerate((10, 7, 4)):
        assert np.all(masked[sample, : 10 - length] == 0)  # pre-padding: leading outputs are zeros
        assert not np.allclose(masked[sample], plain[sample]) or length == 10


def _try_initial_state():
    started = _outputs(_json_or_skip(_try_words(S)))
    plain = _outputs(tool_json("--return-sequences"))
    assert started.shape == plain.shape and not np.allclose(started[:, 0], plain[:, 0])


def _try_training():
    words = _try_words(T)
    trained = _outputs(tool_json(*words))
    plain = _outputs(tool_json(*[w for w in words if w != "--training"]))
    assert trained.shape == plain.shape and not np.allclose(trained, plain)


def _try_mask_value():
    masked = _outputs(try_json(V))
    plain = _outputs(tool_json("--features", "1", "--return-sequences"))
    assert np.all(masked[0, 0] == 0) and not np.allclose(plain[0, 0], 0)
    assert not np.allclose(masked[0, 1:], plain[0, 1:])


def _try_padding():
    post = _outputs(try_json(P))
    pre = _outputs(tool_json("--lengths", "10,7,4", "--batch", "3", "--return-sequences"))
    for sample, length in enumerate((10, 7, 4)):
        assert np.allclose(post[sample, length:], post[sample, length - 1])
        assert np.all(pre[sample, : 10 - length] == 0)
        assert length == 10 or not np.allclose(post[sample], pre[sample])


TRY = {
    Z: _try_zero_output,
    M: _try_mask,
    S: _try_initial_state,
    T: _try_training,
    V: _try_mask_value,
    P: _try_padding,
}
