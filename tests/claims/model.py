"""Claims of the pages on the model around the LSTM: bidirectional, merge_mode, layers, dense.

Checks build tiny models with the installed Keras on the CPU and compare them with NumPy, or with
other Keras layers given the same weights; nothing is copied from the tool's own output. Keras 2
(keras-team/tf-keras) and PyTorch claims are cited. The Try checks run the tool's model flags.
"""

from __future__ import annotations

import inspect
import re
import warnings

import numpy as np

from claims import Claim, tool
from claims import keras_module as _keras

B, MM, L, D = "bidirectional", "merge_mode", "layers", "dense"
UNITS = 2
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BIDIRECTIONAL_SOURCE = "keras/src/layers/rnn/bidirectional.py"
POST = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=bool)
MODES = ("concat", "sum", "mul", "ave", None)


# ----------------------------------------------------------------------------- helpers


def _x(batch: int = 2, timesteps: int = 5, features: int = 3, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=(batch, timesteps, features)).astype("float32")


def _np(result):
    return [np.asarray(r) for r in result] if isinstance(result, (list, tuple)) else np.asarray(result)


def _bidirectional(x, merge_mode="concat", units=UNITS, **kwargs):
    """A Bidirectional(LSTM) built on x's shape, its weights fixed by the global seed alone."""
    keras = _keras()
    keras.utils.set_random_seed(0)
    layer = keras.layers.Bidirectional(keras.layers.LSTM(units, name="lstm", **kwargs), merge_mode=merge_mode)
    layer.build(x.shape)
    return layer


def _twin(layer, x, **kwargs):
    """A plain LSTM with `layer`'s weights (one half of a Bidirectional), built on x's shape."""
    keras = _keras()
    twin = keras.layers.LSTM(layer.units, **kwargs)
    twin.build(x.shape)
    twin.set_weights(layer.get_weights())
    return twin


def _error(fn, kind: type = Exception) -> str:
    """Run fn, which must raise `kind`; its message without ANSI escapes."""
    try:
        fn()
    except kind as error:
        return ANSI.sub("", str(error))
    raise AssertionError(f"{fn} raised nothing")


def _sequential(*layers, shape=(5, 3)):
    keras = _keras()
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape), *layers])


def _lstm_params(units: int, input_dim: int) -> int:
    return 4 * (units * (input_dim + units) + units)


# ----------------------------------------------------------------------------- bidirectional


def _backward_copy_goes_backwards():
    layer = _bidirectional(_x())
    assert layer.forward_layer.go_backwards is False and layer.backward_layer.go_backwards is True
    assert (layer.name, layer.forward_layer.name, layer.backward_layer.name)[1:] == ("forward_lstm", "backward_lstm")


def _default_merge_mode_concat():
    assert inspect.signature(_keras().layers.Bidirectional.__init__).parameters["merge_mode"].default == "concat"


def _backward_flipped_into_time_order():
    x = _x()
    layer = _bidirectional(x, return_sequences=True)
    y = _np(layer(x))
    assert np.allclose(y[..., :UNITS], _np(_twin(layer.forward_layer, x, return_sequences=True)(x)), atol=1e-6)
    # The backward half is a forward pass over the reversed input, flipped back: step t is input step t.
    reversed_pass = _np(_twin(layer.backward_layer, x, return_sequences=True)(x[:, ::-1]))
    assert np.allclose(y[..., UNITS:], reversed_pass[:, ::-1], atol=1e-6)
    assert not np.allclose(y[..., UNITS:], reversed_pass, atol=1e-3)


def _states_unmerged_in_order():
    x = _x()
    layer = _bidirectional(x, return_state=True)
    output, fh, fc, bh, bc = _np(layer(x))
    _, fh2, fc2 = _np(_twin(layer.forward_layer, x, return_state=True)(x))
    _, bh2, bc2 = _np(_twin(layer.backward_layer, x, return_state=True)(x[:, ::-1]))
    for got, want in ((fh, fh2), (fc, fc2), (bh, bh2), (bc, bc2)):
        assert got.shape == (2, UNITS) and np.allclose(got, want, atol=1e-6)
    assert output.shape == (2, 2 * UNITS)
    assert np.allclose(output, np.concatenate([fh, bh], axis=-1), atol=1e-6)


def _five_tensors_no_three_way_unpack():
    x = _x()
    returned = _bidirectional(x, return_state=True)(x)
    assert len(returned) == 5

    def unpack():
        output, h, c = returned

    assert "too many values to unpack" in _error(unpack, ValueError)


def _go_backwards_refused():
    keras = _keras()
    message = _error(lambda: keras.layers.Bidirectional(keras.layers.LSTM(UNITS, go_backwards=True)), ValueError)
    assert "Forward layer and backward layer should have different `go_backwards` value" in message


def _last_step_backward_saw_one_step():
    x = _x()
    sequence = _np(_bidirectional(x, return_sequences=True)(x))
    layer = _bidirectional(x)
    last = _np(layer(x))
    # The same seed gives both layers the same weights: the last output's halves sit at t = T−1 and t = 0.
    assert np.allclose(last[:, :UNITS], sequence[:, -1, :UNITS], atol=1e-6)
    assert np.allclose(last[:, UNITS:], sequence[:, 0, UNITS:], atol=1e-6)
    one_step = _np(_twin(layer.backward_layer, x)(x[:, -1:]))
    assert np.allclose(sequence[:, -1, UNITS:], one_step, atol=1e-6)
    assert not np.allclose(sequence[:, -1, UNITS:], last[:, UNITS:], atol=1e-3)


def _masked_steps_zero():
    keras = _keras()
    x = _x()
    layer = _bidirectional(x, return_sequences=True)
    assert layer.forward_layer.zero_output_for_mask and layer.backward_layer.zero_output_for_mask
    y = _np(layer(x, mask=POST))
    assert np.all(y[1, 3:] == 0) and not np.allclose(y[1, :3], 0)
    keras.utils.set_random_seed(0)
    plain = _np(keras.layers.LSTM(UNITS, return_sequences=True)(x, mask=POST))
    assert np.allclose(plain[1, 3:], plain[1, 2]) and not np.allclose(plain[1, 3:], 0)


def _output_depends_on_later_steps():
    x = _x()
    layer = _bidirectional(x, return_sequences=True)
    changed = x.copy()
    changed[:, -1] += 1.0
    before, after = _np(layer(x)), _np(layer(changed))
    assert np.allclose(before[:, 0, :UNITS], after[:, 0, :UNITS])  # the forward half at step 0 has not seen it
    assert np.abs(before[:, 0, UNITS:] - after[:, 0, UNITS:]).max() > 1e-3


def _copies_do_not_keep_weights():
    keras = _keras()
    x = _x()
    keras.utils.set_random_seed(0)
    trained = keras.layers.LSTM(UNITS)
    trained.build(x.shape)
    trained.set_weights([w + 1.0 for w in trained.get_weights()])
    wrapped = keras.layers.Bidirectional(trained)
    wrapped.build(x.shape)
    assert wrapped.forward_layer is not trained and wrapped.backward_layer is not trained
    for copy in (wrapped.forward_layer, wrapped.backward_layer):
        assert not np.allclose(copy.get_weights()[0], trained.get_weights()[0])


def _initial_state_split_in_halves():
    x = _x()
    layer = _bidirectional(x, return_sequences=True)
    rng = np.random.default_rng(1)
    fh, fc, bh, bc = (rng.uniform(-1, 1, (2, UNITS)).astype("float32") for _ in range(4))
    y = _np(layer(x, initial_state=[fh, fc, bh, bc]))
    forward = _np(_twin(layer.forward_layer, x, return_sequences=True)(x, initial_state=[fh, fc]))
    backward = _np(_twin(layer.backward_layer, x, return_sequences=True)(x[:, ::-1], initial_state=[bh, bc]))
    assert np.allclose(y[..., :UNITS], forward, atol=1e-6)
    assert np.allclose(y[..., UNITS:], backward[:, ::-1], atol=1e-6)


def _pair_fails_index_error():
    x = _x()
    layer = _bidirectional(x)
    h = np.zeros((2, UNITS), "float32")
    assert "list index out of range" in _error(lambda: layer(x, initial_state=[h, h]), IndexError)


def _signature_keras3():
    params = inspect.signature(_keras().layers.Bidirectional.__init__).parameters
    assert [(p.name, p.default) for p in params.values()][1:5] == [
        ("layer", inspect.Parameter.empty),
        ("merge_mode", "concat"),
        ("weights", None),
        ("backward_layer", None),
    ]


def _input_shape_only_warns():
    keras = _keras()
    for make in (
        lambda: keras.layers.Bidirectional(keras.layers.LSTM(UNITS), input_shape=(5, 3)),
        lambda: keras.layers.LSTM(UNITS, input_shape=(5, 3)),
    ):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            make()
        assert any("Do not pass an `input_shape`/`input_dim` argument to a layer" in str(w.message) for w in caught)


# ----------------------------------------------------------------------------- merge_mode


def _modes_from_halves():
    x = _x()
    reference = _bidirectional(x, merge_mode=None, return_sequences=True)
    forward, backward = _np(reference(x))
    expected = {
        "concat": np.concatenate([forward, backward], axis=-1),
        "sum": forward + backward,
        "mul": forward * backward,
        "ave": (forward + backward) / 2,
    }
    for mode, want in expected.items():
        layer = _bidirectional(x, merge_mode=mode, return_sequences=True)
        layer.set_weights(reference.get_weights())
        got = _np(layer(x))
        assert got.shape == want.shape and np.allclose(got, want, atol=1e-6), mode


def _states_never_merged():
    x = _x()
    for mode in MODES:
        returned = _np(_bidirectional(x, merge_mode=mode, return_sequences=True, return_state=True)(x))
        states = returned[-4:]
        assert len(returned) == (6 if mode is None else 5), mode
        assert all(s.shape == (2, UNITS) for s in states), mode


def _none_returns_a_tuple():
    x = _x()
    returned = _bidirectional(x, merge_mode=None)(x)
    assert isinstance(returned, tuple) and len(returned) == 2
    docstring = " ".join(_keras().layers.Bidirectional.__doc__.split())
    assert "they will be returned as a list" in docstring


def _invalid_merge_mode():
    keras = _keras()
    for value in ("none", "max", "None"):
        message = _error(lambda: keras.layers.Bidirectional(keras.layers.LSTM(UNITS), merge_mode=value), ValueError)
        assert f"Invalid merge mode. Received: {value}" in message


def _none_output_breaks_sequential():
    keras = _keras()
    message = _error(
        lambda: _sequential(
            keras.layers.Bidirectional(keras.layers.LSTM(UNITS), merge_mode=None), keras.layers.Dense(1)
        ),
        ValueError,
    )
    assert "expects 1 input(s), but it received 2 input tensors" in message
    merged = keras.layers.Concatenate()(_bidirectional(_x(), merge_mode=None)(_x()))
    assert tuple(merged.shape) == (2, 2 * UNITS)


def _next_kernel_changes_width():
    keras = _keras()
    models = {
        mode: _sequential(keras.layers.Bidirectional(keras.layers.LSTM(UNITS), merge_mode=mode), keras.layers.Dense(1))
        for mode in ("concat", "sum")
    }
    shapes = {mode: model.layers[-1].get_weights()[0].shape for mode, model in models.items()}
    assert shapes == {"concat": (2 * UNITS, 1), "sum": (UNITS, 1)}
    assert models["concat"].count_params() - models["concat"].layers[-1].count_params() == 2 * _lstm_params(UNITS, 3)
    assert models["sum"].layers[0].count_params() == 2 * _lstm_params(UNITS, 3)
    _error(lambda: models["sum"].layers[-1].set_weights(models["concat"].layers[-1].get_weights()), ValueError)


def _sum_of_final_h():
    x = _x()
    output, fh, _, bh, _ = _np(_bidirectional(x, merge_mode="sum", return_state=True)(x))
    assert output.shape == (2, UNITS) and np.allclose(output, fh + bh, atol=1e-6)


# ----------------------------------------------------------------------------- layers


def _ndim_error_without_sequences():
    keras = _keras()
    message = _error(lambda: _sequential(keras.layers.LSTM(8), keras.layers.LSTM(4)), ValueError)
    assert "expected ndim=3, found ndim=2" in message and "(None, 8)" in message


def _units_differ_per_layer():
    keras = _keras()
    model = _sequential(keras.layers.LSTM(8, return_sequences=True), keras.layers.LSTM(4), shape=(10, 2))
    lower, upper = model.layers
    assert lower.output.shape == (None, 10, 8) and upper.output.shape == (None, 4)
    assert lower.get_weights()[0].shape == (2, 32) and upper.get_weights()[0].shape == (8, 16)
    assert (lower.count_params(), upper.count_params()) == (_lstm_params(8, 2), _lstm_params(4, 8)) == (352, 208)
    assert model.count_params() == 560


def _input_dim_is_lower_width():
    keras = _keras()
    model = _sequential(
        keras.layers.Bidirectional(keras.layers.LSTM(8, return_sequences=True)), keras.layers.LSTM(4), shape=(10, 2)
    )
    assert model.layers[1].get_weights()[0].shape == (16, 16)
    assert model.layers[1].count_params() == _lstm_params(4, 16)


def _state_list_breaks_sequential():
    keras = _keras()
    message = _error(
        lambda: _sequential(keras.layers.LSTM(UNITS, return_sequences=True, return_state=True), keras.layers.LSTM(2)),
        ValueError,
    )
    assert "expects 1 input(s), but it received 3 input tensors" in message
    inputs = keras.Input((5, 3))
    output, _, _ = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)(inputs)
    assert tuple(keras.layers.LSTM(4)(output).shape) == (None, 4)


def _lstm_dropout_drops_bottom_input():
    keras = _keras()
    x = _x(batch=8)
    keras.utils.set_random_seed(0)
    bottom = keras.layers.LSTM(UNITS, dropout=0.5, seed=1)
    inference, training = _np(bottom(x)), _np(bottom(x, training=True))
    assert bottom.recurrent_dropout == 0 and not np.allclose(inference, training)
    between = keras.layers.Dropout(0.5, seed=1)
    h = np.ones((2, 5, 4), "float32")
    assert np.allclose(_np(between(h)), h) and not np.allclose(_np(between(h, training=True)), h)


# ----------------------------------------------------------------------------- dense


def _dense_per_timestep():
    keras = _keras()
    keras.utils.set_random_seed(0)
    h = _x(features=UNITS)
    dense = keras.layers.Dense(3)
    y = _np(dense(h))
    kernel, bias = dense.get_weights()
    assert y.shape == (2, 5, 3) and np.allclose(y, h @ kernel + bias, atol=1e-6)
    changed = h.copy()
    changed[:, 2] += 1.0
    moved = np.abs(_np(dense(changed)) - y).max(axis=(0, 2))
    assert moved[2] > 1e-3 and np.all(np.delete(moved, 2) == 0)


def _time_distributed_identical():
    keras = _keras()
    keras.utils.set_random_seed(0)
    h = _x(features=UNITS)
    dense = keras.layers.Dense(3)
    dense.build(h.shape)
    wrapped = keras.layers.TimeDistributed(keras.layers.Dense(3))
    wrapped.build(h.shape)
    wrapped.set_weights(dense.get_weights())
    assert np.allclose(_np(wrapped(h)), _np(dense(h)), atol=1e-6)
    assert wrapped.count_params() == dense.count_params() == 3 * (UNITS + 1)


def _dense_linear_by_default():
    keras = _keras()
    assert inspect.signature(keras.layers.Dense.__init__).parameters["activation"].default is None
    assert keras.layers.Dense(1).activation is keras.activations.linear
    keras.utils.set_random_seed(0)
    h = 5 * _x(features=UNITS)[:, 0]
    linear = keras.layers.Dense(1, kernel_initializer="ones")
    assert np.asarray(linear(h)).min() < 0
    squashed = np.asarray(keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")(h))
    assert squashed.min() > 0 and squashed.max() < 1


def _target_broadcast_over_time():
    keras = _keras()
    x = _x(batch=4)
    model = _sequential(keras.layers.LSTM(UNITS, return_sequences=True), keras.layers.Dense(1))
    model.compile(optimizer="sgd", loss="mse")
    target = np.arange(1, 5, dtype="float32").reshape(4, 1)
    loss = model.evaluate(x, target, verbose=0)
    predicted = np.asarray(model(x))
    assert predicted.shape == (4, 5, 1)
    assert np.isclose(loss, np.mean((predicted - target[:, None, :]) ** 2), rtol=1e-5)
    history = model.fit(x, target, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def _dense_after_list_fails():
    keras = _keras()
    message = _error(
        lambda: _sequential(keras.layers.LSTM(UNITS, return_state=True), keras.layers.Dense(1)), ValueError
    )
    assert "expects 1 input(s), but it received 3 input tensors" in message


# ----------------------------------------------------------------------------- the claims

TF_KERAS = "Keras 2 (keras-team/tf-keras) tf_keras/layers/rnn/bidirectional.py"
PYTORCH_DROPOUT = (
    "PyTorch docs: torch.nn.LSTM, dropout: 'If non-zero, introduces a Dropout layer on the outputs of each "
    "LSTM layer except the last layer, with dropout probability equal to dropout'"
)

CLAIMS: list[Claim] = [
    # bidirectional
    Claim(B, "values", "keras.layers.Bidirectional(layer, merge_mode='concat')", check=_default_merge_mode_concat),
    Claim(B, "values", "The backward copy always has go_backwards=True", check=_backward_copy_goes_backwards),
    Claim(B, "values", "flipped back into time order before the merge", check=_backward_flipped_into_time_order),
    Claim(
        B,
        "values",
        "the merged output followed by four unmerged states: forward h, forward c, backward h, backward c",
        check=_states_unmerged_in_order,
    ),
    Claim(
        B,
        "pitfalls",
        "a Bidirectional LSTM returns five tensors, (output, forward_h, forward_c, backward_h, backward_c)",
        0,
        check=_states_unmerged_in_order,
    ),
    Claim(
        B,
        "pitfalls",
        "unpacking into three names fails with 'too many values to unpack'",
        0,
        check=_five_tensors_no_three_way_unpack,
    ),
    Claim(
        B,
        "pitfalls",
        "with 'concat' and no return_sequences that h equals the output itself",
        0,
        check=_states_unmerged_in_order,
    ),
    Claim(
        B,
        "pitfalls",
        "Keras 3 always builds the backward copy with go_backwards=True",
        1,
        check=_backward_copy_goes_backwards,
    ),
    Claim(
        B,
        "pitfalls",
        "Forward layer and backward layer should have different `go_backwards` value",
        1,
        check=_go_backwards_refused,
    ),
    Claim(
        B,
        "pitfalls",
        "at t = T−1 the backward half has read only the last step",
        2,
        check=_last_step_backward_saw_one_step,
    ),
    Claim(
        B,
        "pitfalls",
        "The backward half's final h sits at t = 0; without return_sequences the output holds both halves' final h",
        2,
        check=_last_step_backward_saw_one_step,
    ),
    Claim(
        B,
        "pitfalls",
        "Bidirectional sets zero_output_for_mask to return_sequences on both halves, so masked steps of a sequence output are zeros",
        3,
        check=_masked_steps_zero,
    ),
    Claim(
        B, "pitfalls", "changing the last step changes the output at step 0", 4, check=_output_depends_on_later_steps
    ),
    Claim(
        B,
        "pitfalls",
        "Bidirectional rebuilds both copies from the layer's config, so neither keeps its weights",
        5,
        check=_copies_do_not_keep_weights,
    ),
    Claim(
        B,
        "pitfalls",
        "gives the first half of the list to the forward copy and the second half to the backward one",
        6,
        check=_initial_state_split_in_halves,
    ),
    Claim(
        B,
        "pitfalls",
        "the forward LSTM gets only h and fails with 'list index out of range'",
        6,
        check=_pair_fails_index_error,
    ),
    Claim(
        B,
        "keras2to3",
        "the same Bidirectional(layer, merge_mode='concat', weights=None, backward_layer=None)",
        check=_signature_keras3,
    ),
    Claim(
        B,
        "keras2to3",
        "Keras 2 (tf.keras) has the same Bidirectional(layer, merge_mode='concat', weights=None, backward_layer=None)",
        source=f"{TF_KERAS}: def __init__(self, layer, merge_mode='concat', weights=None, backward_layer=None, **kwargs)",
    ),
    Claim(
        B,
        "keras2to3",
        "the same order of returned states and the same split of initial_state",
        source=f"{TF_KERAS}: Bidirectional.call: states = y[1:] + y_rev[1:]; half = len(initial_state) // 2, "
        "forward_state = initial_state[:half]",
    ),
    Claim(
        B,
        "keras2to3",
        "the same order of returned states and the same split of initial_state",
        source=BIDIRECTIONAL_SOURCE,
        snippet="states = tuple(y[1:] + y_rev[1:])",
    ),
    Claim(
        B,
        "keras2to3",
        "It built the backward copy with go_backwards flipped, so a go_backwards=True layer was accepted",
        source=f'{TF_KERAS}: _recreate_layer_from_config: if go_backwards: config["go_backwards"] = not config["go_backwards"]',
    ),
    Claim(
        B,
        "keras2to3",
        "Keras 3 sets go_backwards=True on the backward copy and refuses such a layer",
        source=BIDIRECTIONAL_SOURCE,
        snippet='config["config"]["go_backwards"] = True',
    ),
    Claim(
        B,
        "keras2to3",
        "Keras 3 sets go_backwards=True on the backward copy and refuses such a layer",
        check=_go_backwards_refused,
    ),
    Claim(
        B,
        "keras2to3",
        "Keras 2 examples pass input_shape= to Bidirectional",
        source=f"{TF_KERAS}: docstring example model.add(Bidirectional(LSTM(10, return_sequences=True), input_shape=(5, 10)))",
    ),
    Claim(
        B,
        "keras2to3",
        "in Keras 3 that only warns, and the model starts with keras.Input",
        check=_input_shape_only_warns,
    ),
    # merge_mode
    Claim(MM, "values", "'concat' by default", check=_default_merge_mode_concat),
    Claim(MM, "values", "'ave' is (forward + backward) / 2", check=_modes_from_halves),
    Claim(
        MM,
        "values",
        "With None, Keras 3 returns a tuple (forward, backward), though its docstring says a list",
        check=_none_returns_a_tuple,
    ),
    Claim(
        MM, "values", "The states returned with return_state are never merged, in any mode", check=_states_never_merged
    ),
    Claim(MM, "values", "Any other value raises 'Invalid merge mode'", check=_invalid_merge_mode),
    Claim(MM, "pitfalls", "the string fails with 'Invalid merge mode. Received: none'", 0, check=_invalid_merge_mode),
    Claim(
        MM,
        "pitfalls",
        "'expects 1 input(s), but it received 2 input tensors'",
        1,
        check=_none_output_breaks_sequential,
    ),
    Claim(
        MM,
        "pitfalls",
        "its input width changes between 2·units and units, so its kernel no longer fits and set_weights fails",
        2,
        check=_next_kernel_changes_width,
    ),
    Claim(
        MM,
        "pitfalls",
        "every mode returns forward h, forward c, backward h and backward c apart",
        3,
        check=_states_never_merged,
    ),
    Claim(
        MM,
        "pitfalls",
        "with 'sum' and no return_sequences the output is forward_h + backward_h",
        3,
        check=_sum_of_final_h,
    ),
    Claim(
        MM,
        "keras2to3",
        "take the same five values with the same default 'concat'",
        check=_modes_from_halves,
    ),
    Claim(
        MM,
        "keras2to3",
        "raise the same 'Invalid merge mode' for anything else",
        source=f"{TF_KERAS}: if merge_mode not in ['sum', 'mul', 'ave', 'concat', None]: raise ValueError("
        "f'Invalid merge mode. Received: {merge_mode}. ...'); default merge_mode='concat'",
    ),
    Claim(MM, "keras2to3", "raise the same 'Invalid merge mode' for anything else", check=_invalid_merge_mode),
    # layers
    Claim(L, "values", "the units may differ from layer to layer", check=_units_differ_per_layer),
    Claim(
        L,
        "values",
        "A lower layer without return_sequences hands a 2-D (batch, units) tensor to the next one, and Keras stops with 'expected ndim=3, found ndim=2'",
        check=_ndim_error_without_sequences,
    ),
    Claim(
        L,
        "pitfalls",
        "the next LSTM receives (batch, units) and Keras stops with 'expected ndim=3, found ndim=2'",
        0,
        check=_ndim_error_without_sequences,
    ),
    Claim(
        L,
        "pitfalls",
        "Every LSTM that feeds another needs return_sequences=True",
        0,
        check=_units_differ_per_layer,
    ),
    Claim(
        L,
        "pitfalls",
        "the next LSTM fails ('expects 1 input(s), but it received 3 input tensors')",
        1,
        check=_state_list_breaks_sequential,
    ),
    Claim(L, "pitfalls", "Use the functional API and pass only the output up", 1, check=_state_list_breaks_sequential),
    Claim(L, "pitfalls", "its input_dim is the units of the layer below", 2, check=_units_differ_per_layer),
    Claim(L, "pitfalls", "(2·units under a Bidirectional with 'concat')", 2, check=_input_dim_is_lower_width),
    Claim(
        L,
        "pitfalls",
        "an LSTM's dropout drops its own input, the bottom layer's raw input too",
        3,
        check=_lstm_dropout_drops_bottom_input,
    ),
    Claim(L, "pitfalls", "PyTorch drops the outputs of every layer but the last", 3, source=PYTORCH_DROPOUT),
    Claim(
        L,
        "keras2to3",
        "stacks LSTMs the same way and fails the same way, 'expected ndim=3, found ndim=2'",
        check=_ndim_error_without_sequences,
    ),
    Claim(
        L,
        "keras2to3",
        "Keras 2 (tf.keras) stacks LSTMs the same way and fails the same way",
        source="Keras 2 (keras-team/tf-keras) tf_keras/engine/input_spec.py assert_input_compatibility: "
        'f\'Input {input_index} of layer "{layer_name}" is incompatible with the layer: expected ndim={spec.ndim}, '
        "found ndim={ndim}. Full shape received: {tuple(shape)}'",
    ),
    Claim(
        L,
        "keras2to3",
        "Keras 2 code often passes input_shape= to the first LSTM",
        source=f"{TF_KERAS} and the Keras 2 guides: Sequential examples give input_shape= to their first recurrent "
        "layer, e.g. model.add(Bidirectional(LSTM(10, return_sequences=True), input_shape=(5, 10)))",
    ),
    Claim(
        L,
        "keras2to3",
        "in Keras 3 that only warns, and the model starts with keras.Input((timesteps, features))",
        check=_input_shape_only_warns,
    ),
    # dense
    Claim(D, "values", "Keras's Dense has activation=None", check=_dense_linear_by_default),
    Claim(D, "values", "On a 3-D input the output at step t depends only on h_t", check=_dense_per_timestep),
    Claim(
        D,
        "values",
        "equals TimeDistributed(Dense) with the same weights; both have the same parameter count",
        check=_time_distributed_identical,
    ),
    Claim(
        D,
        "pitfalls",
        "it acts on the last axis only, and step t of its output depends only on h_t",
        0,
        check=_dense_per_timestep,
    ),
    Claim(
        D,
        "pitfalls",
        "TimeDistributed(Dense) gives the same numbers from the same weights with the same parameter count",
        1,
        check=_time_distributed_identical,
    ),
    Claim(
        D,
        "pitfalls",
        "a target of shape (batch, 1) is broadcast over the timesteps, and fit runs without an error",
        2,
        check=_target_broadcast_over_time,
    ),
    Claim(D, "pitfalls", "Dense is linear unless given an activation", 3, check=_dense_linear_by_default),
    Claim(
        D,
        "pitfalls",
        "'expects 1 input(s), but it received 3 input tensors' after return_state",
        4,
        check=_dense_after_list_fails,
    ),
    Claim(D, "pitfalls", "or merge_mode=None", 4, check=_none_output_breaks_sequential),
    Claim(
        D,
        "keras2to3",
        "in Keras 2 (tf.keras) Dense also acts on the last axis of a 3-D input",
        source="Keras 2 (keras-team/tf-keras) tf_keras/layers/core/dense.py: docstring 'Note: If the input to the layer "
        "has a rank greater than 2, then Dense computes the dot product between the inputs and the kernel along "
        "the last axis of the inputs'; call uses tf.tensordot for rank > 2",
    ),
    Claim(
        D,
        "keras2to3",
        "TimeDistributed is still in Keras 3 and gives the same numbers",
        check=_time_distributed_identical,
    ),
]


# ----------------------------------------------------------------------------- Try it


def _doc(*args: str) -> dict:
    """The tool's JSON for `args`."""
    import json

    result = tool(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _try_args(name: str) -> list[str]:
    import shlex

    from lstm_explorer.explanations import texts

    words = shlex.split(str(texts("en")[name]["try"]))
    assert words[0] == "lstm-explore"
    return words[1:]


def _output(doc: dict, name: str) -> np.ndarray:
    found = [o for o in doc["outputs"] if o["name"] == name]
    assert found, [o["name"] for o in doc["outputs"]]
    return np.asarray(found[0]["values"])


def _sizes(doc: dict) -> tuple[int, int, int]:
    """(timesteps, features, units) of a document's single-LSTM configuration."""
    _, timesteps, features = doc["input"]["shape"]
    return timesteps, features, int(doc["config"]["units"])


def _try_bidirectional():
    wrapped = _doc(*_try_args(B))
    plain = _doc("--return-sequences")
    timesteps, features, units = _sizes(plain)
    sequence = _output(wrapped, "sequence")
    assert sequence.shape == (1, timesteps, 2 * units) and _output(plain, "sequence").shape == (1, timesteps, units)
    assert wrapped["param_count"] == 2 * plain["param_count"] == 2 * _lstm_params(units, features)
    assert any(layer["name"] == "bidirectional" for layer in wrapped["layers"])
    assert not np.allclose(sequence[..., :units], sequence[..., units:])


def _try_merge_mode():
    args = _try_args(MM)
    summed = _output(_doc(*args), "sequence")
    apart = _doc(*[("none" if word == "sum" else word) for word in args])
    forward, backward = _output(apart, "forward_sequence"), _output(apart, "backward_sequence")
    _, _, units = _sizes(apart)
    assert summed.shape == forward.shape == backward.shape and summed.shape[-1] == units
    assert np.allclose(summed, forward + backward, atol=1e-5)


def _try_layers():
    stacked = _doc(*_try_args(L))
    plain = _doc()
    _, features, _ = _sizes(plain)
    widths = [int(w) for w in _try_args(L)[_try_args(L).index("--layers") + 1].split(",")]
    inputs = [features, *widths[:-1]]
    expected = [_lstm_params(u, i) for u, i in zip(widths, inputs, strict=True)]
    counts = [layer["param_count"] for layer in stacked["layers"] if layer["param_count"]]
    assert counts == expected and stacked["param_count"] == sum(expected) != plain["param_count"]
    assert _output(stacked, "last_output").shape == (1, widths[-1])


def _try_dense():
    headed = _doc(*_try_args(D))
    plain = _doc("--return-sequences")
    timesteps, _, units = _sizes(plain)
    y = _output(headed, "dense")
    assert y.shape == (1, timesteps, 1)
    assert headed["param_count"] == plain["param_count"] + 1 * (units + 1)
    # One affine map of h_t, the same at every step: the head's output is exactly [h_t, 1] · w.
    h = _output(plain, "sequence")[0]
    design = np.hstack([h, np.ones((timesteps, 1))])
    w, *_ = np.linalg.lstsq(design, y[0], rcond=None)
    assert np.allclose(design @ w, y[0], atol=1e-4)


TRY = {B: _try_bidirectional, MM: _try_merge_mode, L: _try_layers, D: _try_dense}
