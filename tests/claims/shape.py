"""Claims of the pages on the layer's shape and flow: units, the two activations, the bias switches,
return_sequences, return_state, go_backwards and stateful.

Numbers are checked against a NumPy LSTM step written here from the equations, or against Keras
called directly; nothing is copied from the tool's own output.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings

import numpy as np

from claims import Claim, tool, tool_json, try_json
from claims import keras_module as _keras

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TUTORIAL = np.arange(1, 21, dtype=np.float32).reshape(1, 10, 2)


# ---------------------------------------------------------------- helpers


def _x(batch: int = 1, steps: int = 4, features: int = 2, seed: int = 0) -> np.ndarray:
    return np.random.RandomState(seed).uniform(-1, 1, (batch, steps, features)).astype(np.float32)


def _lstm(units: int = 2, **kwargs):
    """An LSTM whose weights are fixed by seeded initializers."""
    keras = _keras()
    kwargs.setdefault("kernel_initializer", keras.initializers.GlorotUniform(seed=1))
    kwargs.setdefault("recurrent_initializer", keras.initializers.Orthogonal(seed=2))
    return keras.layers.LSTM(units, **kwargs)


def _param(name: str):
    return inspect.signature(_keras().layers.LSTM.__init__).parameters[name].default


def _error(fn, kind: type = Exception) -> str:
    """Run fn, which must raise `kind`; return its message without ANSI escapes."""
    try:
        fn()
    except kind as error:
        return ANSI.sub("", str(error))
    raise AssertionError(f"{fn} raised nothing")


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def identity(v):
    return v


def hard_sigmoid_k3(v):
    return np.clip(v / 6.0 + 0.5, 0.0, 1.0)


def hard_sigmoid_k2(v):
    return np.clip(0.2 * v + 0.5, 0.0, 1.0)


def reference(x, kernel, recurrent, bias=None, act=np.tanh, rec=sigmoid, h0=None, c0=None):
    """The LSTM step of the pages, in NumPy: z = x·K + h·R + b, blocks i, f, c̃, o.

    Returns every h_t, every c_t and every gate (pre-activations and activations) as arrays over time.
    """
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units)) if h0 is None else np.asarray(h0, float)
    c = np.zeros((x.shape[0], units)) if c0 is None else np.asarray(c0, float)
    hs, cs, gates = [], [], []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + (0 if bias is None else bias)
        zi, zf, zc, zo = (z[:, k * units : (k + 1) * units] for k in range(4))
        i, f, o = rec(zi), rec(zf), rec(zo)
        c = f * c + i * act(zc)
        h = o * act(c)
        hs.append(h)
        cs.append(c)
        gates.append({"zc": zc, "i": i, "f": f, "o": o})
    return np.stack(hs, 1), np.stack(cs, 1), gates


def _weights(layer):
    return [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]


def _close(a, b, tol: float = 1e-5) -> None:
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert np.max(np.abs(a - b)) < tol, np.max(np.abs(a - b))


def _far(a, b, tol: float = 1e-3) -> None:
    assert np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))) > tol


def _matches(layer_kwargs: dict, act=np.tanh, rec=sigmoid, x=None, units: int = 2) -> None:
    """The Keras layer built with layer_kwargs gives the NumPy step with act/rec."""
    x = _x() if x is None else x
    layer = _lstm(units, return_sequences=True, **layer_kwargs)
    y = np.asarray(layer(x))
    hs, _, _ = reference(x, *_weights(layer), act=act, rec=rec)
    _close(y, hs)


def _json_layer(doc: dict, **kwargs):
    """A Keras LSTM with the weights of a tool JSON document (built here, called by the caller)."""
    keras = _keras()
    weights = {w["name"]: np.asarray(w["values"], np.float32) for w in doc["weights"]}
    x = np.asarray(doc["input"]["values"], np.float32)
    layer = keras.layers.LSTM(doc["config"]["units"], use_bias="bias" in weights, **kwargs)
    layer.build(x.shape)
    layer.set_weights([weights[n] for n in ("kernel", "recurrent_kernel", "bias") if n in weights])
    return layer, x, weights


def _output(doc: dict, name: str | None = None) -> np.ndarray:
    outputs = {o["name"]: o for o in doc["outputs"]}
    return np.asarray((outputs[name] if name else doc["outputs"][0])["values"])


def _tool_config(*flags: str) -> dict:
    return tool_json(*flags)["config"]


def _default_is(name: str, value) -> None:
    assert _param(name) == value, _param(name)


def _flags_set(name: str, on: str, off: str) -> None:
    assert _tool_config(on)[name] is True and _tool_config(off)[name] is False


# ---------------------------------------------------------------- units


def units_required():
    assert _param("units") is inspect.Parameter.empty


def units_tool_default():
    doc = tool_json()
    assert doc["config"]["units"] == 3 and doc["outputs"][0]["shape"] == [1, 3]


def units_zero():
    assert "expected a positive integer" in _error(lambda: _keras().layers.LSTM(0), ValueError)


def units_string():
    message = _error(lambda: _keras().layers.LSTM("4"), TypeError)
    assert "units" not in message, message


def units_float():
    message = _error(lambda: _keras().layers.LSTM(2.5)(_x()), ValueError)
    assert "shape" in message and "units" not in message, message


def units_state_size():
    for steps in (4, 7):
        out, h, c = _lstm(3, return_state=True)(_x(steps=steps))
        assert out.shape == h.shape == c.shape == (1, 3)
        assert _lstm(3, return_sequences=True)(_x(steps=steps)).shape == (1, steps, 3)


def units_last_h():
    x = _x(batch=2)
    last = np.asarray(_lstm(3)(x))
    sequence = np.asarray(_lstm(3, return_sequences=True)(x))
    assert last.shape == (2, 3)
    _close(last, sequence[:, -1])


def units_four_blocks():
    layer = _lstm(3)
    layer(_x(features=2))
    kernel, recurrent, bias = layer.get_weights()
    assert kernel.shape == (2, 12) and recurrent.shape == (3, 12) and bias.shape == (12,)
    assert layer.count_params() == 4 * (3 * (2 + 3) + 3)


def try_units():
    doc, default = try_json("units"), tool_json()
    assert doc["outputs"][0]["shape"] == [1, 5] and default["outputs"][0]["shape"] == [1, 3]
    assert doc["param_count"] == 4 * (5 * (2 + 5) + 5) and default["param_count"] == 4 * (3 * (2 + 3) + 3)


# ---------------------------------------------------------------- activation


def activation_default():
    _default_is("activation", "tanh")


def activation_case_sensitive():
    for name in ("Tanh", "ReLU"):
        message = _error(lambda: _keras().layers.LSTM(2, activation=name), ValueError)
        assert "Could not interpret activation function identifier" in message, message


def activation_other_names():
    _matches({"activation": "relu"}, act=lambda v: np.maximum(v, 0))
    _matches({"activation": "linear"}, act=identity)
    _matches({"activation": "softsign"}, act=lambda v: v / (1 + np.abs(v)))


def activation_none():
    _matches({"activation": None}, act=identity)
    assert _tool_config("--activation", "none")["activation"] is None


def activation_callable():
    keras = _keras()
    _matches({"activation": keras.activations.relu}, act=lambda v: np.maximum(v, 0))
    _matches({"activation": lambda v: 0.5 * v}, act=lambda v: 0.5 * v)


def activation_threshold():
    for units in (1, 2, 3, 4):
        message = _error(lambda: _lstm(units, activation="threshold")(_x()), TypeError)
        assert "threshold() missing 2 required positional arguments" in message, message


def activation_glu_odd():
    for units in (1, 3, 5):
        message = _error(lambda: _lstm(units, activation="glu")(_x()), ValueError)
        assert "axis size must be divisible by 2" in message, message


def activation_glu_even():
    for units in (4, 6):
        assert "Incompatible shapes" in _error(lambda: _lstm(units, activation="glu")(_x()))


def _glu(v):
    """Keras's glu on the last axis: first half times sigmoid of the second half (width 1 for units=2)."""
    half = v.shape[-1] // 2
    return v[..., :half] * sigmoid(v[..., half:])


def activation_glu_two():
    x = _x(batch=2, steps=5)
    layer = _lstm(2, activation="glu", return_sequences=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = np.asarray(layer(x))
    assert y.shape == (2, 5, 2)
    hs, _, _ = reference(x, *_weights(layer), act=_glu)
    _close(y, hs)
    tanh_hs, _, _ = reference(x, *_weights(layer))
    _far(y, tanh_hs)


def activation_tool_refuses():
    for name in ("glu", "threshold"):
        result = tool("--activation", name)
        assert result.exit_code == 2 and name in result.output, result.output


def _relu_tutorial():
    keras = _keras()
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(3, activation="relu", return_sequences=True)
    return layer, np.asarray(layer(TUTORIAL))


def activation_relu_candidate():
    layer, y = _relu_tutorial()
    hs, _, gates = reference(TUTORIAL, *_weights(layer), act=lambda v: np.maximum(v, 0))
    _close(y, hs, 1e-3)
    assert min(float(g["zc"].min()) for g in gates) < 0  # there were negative values to lose


def activation_relu_grows():
    _, y = _relu_tutorial()
    size = np.abs(y[0]).max(axis=1)
    assert size.max() > 10 and np.all(np.diff(size) > 0), size


def activation_cudnn_true_fails():
    message = _error(lambda: _lstm(2, activation="relu", use_cudnn=True)(_x()), ValueError)
    assert "use_cudnn=True was specified" in message, message


def activation_roles():
    keras = _keras()
    softsign = lambda v: v / (1 + np.abs(v))  # noqa: E731
    _matches({"activation": "softsign", "recurrent_activation": "hard_sigmoid"}, act=softsign, rec=hard_sigmoid_k3)
    layer = _lstm(2, activation="softsign", recurrent_activation="hard_sigmoid", return_sequences=True)
    y = np.asarray(layer(_x()))
    swapped, _, _ = reference(_x(), *_weights(layer), act=hard_sigmoid_k3, rec=softsign)
    _far(y, swapped)
    assert keras.activations.get("softsign") is keras.activations.softsign


def activation_new_names():
    keras = _keras()
    for name in ("sparsemax", "squareplus"):
        assert callable(keras.activations.get(name))
        _lstm(2, activation=name)(_x())


def try_activation():
    doc, default = try_json("activation"), tool_json("--return-sequences")
    assert doc["config"]["activation"] == "relu"
    layer, x, _ = _json_layer(doc, activation="relu", return_sequences=True)
    y = _output(doc)
    hs, _, _ = reference(x.astype(float), *_weights(layer), act=lambda v: np.maximum(v, 0))
    _close(y, hs, 1e-3 * max(1.0, float(np.abs(hs).max())))
    assert np.abs(y).max() > 1 >= np.abs(_output(default)).max()  # relu lets h leave [-1, 1]


# ---------------------------------------------------------------- recurrent_activation


def recurrent_default():
    _default_is("recurrent_activation", "sigmoid")


def recurrent_case_sensitive():
    message = _error(lambda: _keras().layers.LSTM(2, recurrent_activation="Sigmoid"), ValueError)
    assert "Could not interpret activation function identifier" in message


def recurrent_none():
    _matches({"recurrent_activation": None}, rec=identity)
    layer = _lstm(2, recurrent_activation=None)
    layer(TUTORIAL)
    _, _, gates = reference(TUTORIAL, *_weights(layer), rec=identity)
    values = np.concatenate([np.ravel(g[k]) for g in gates for k in ("i", "f", "o")])
    assert values.min() < 0 or values.max() > 1
    assert _tool_config("--recurrent-activation", "none")["recurrent_activation"] is None


def recurrent_hard_sigmoid_formula():
    keras = _keras()
    grid = np.linspace(-5, 5, 101)
    _close(keras.activations.hard_sigmoid(grid), hard_sigmoid_k3(grid), 1e-6)
    _matches({"recurrent_activation": "hard_sigmoid"}, rec=hard_sigmoid_k3)


def recurrent_callable():
    _matches({"recurrent_activation": _keras().activations.hard_sigmoid}, rec=hard_sigmoid_k3)
    _matches({"recurrent_activation": lambda v: 0.5 * v}, rec=lambda v: 0.5 * v)


def _single_gate_layer(rec: str, forget_bias: float, input_bias: float, candidate_bias: float):
    """units=1 with zero kernels: every gate is rec(its bias), so c_t = f·c_{t-1} + i·tanh(b_c)."""
    keras = _keras()
    layer = keras.layers.LSTM(1, recurrent_activation=rec, return_sequences=True, return_state=True)
    layer.build((1, 6, 1))
    layer.set_weights(
        [
            np.zeros((1, 4), np.float32),
            np.zeros((1, 4), np.float32),
            np.array([input_bias, forget_bias, candidate_bias, 0.0], np.float32),
        ]
    )
    return layer


def recurrent_tanh_flips():
    layer = _single_gate_layer("tanh", forget_bias=-2.0, input_bias=0.0, candidate_bias=0.0)
    start = [np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32)]  # h_0 = 0, c_0 = 1
    cells = [np.asarray(layer(np.zeros((1, t, 1), np.float32), initial_state=start)[2]).item() for t in range(1, 7)]
    # i = tanh(0) = 0, so the memory is only multiplied by f = tanh(-2) < 0 at every step
    _close(cells, [np.tanh(-2.0) ** t for t in range(1, 7)], 1e-5)
    assert [np.sign(c) for c in cells] == [-1, 1, -1, 1, -1, 1], cells


def recurrent_relu_grows():
    layer = _single_gate_layer("relu", forget_bias=2.0, input_bias=1.0, candidate_bias=1.0)
    x = np.zeros((1, 6, 1), np.float32)
    _, _, c = layer(x)
    expected = 0.0
    for _ in range(6):
        expected = 2.0 * expected + 1.0 * np.tanh(1.0)
    _close(c, [[expected]], 1e-4)
    assert np.asarray(c).item() > 40  # doubling every step; sigmoid gates keep it below 6


def recurrent_hard_sigmoid_k2_differs():
    layer = _lstm(2, recurrent_activation="hard_sigmoid", return_sequences=True)
    x = 3 * _x()
    y = np.asarray(layer(x))
    k3, _, _ = reference(x, *_weights(layer), rec=hard_sigmoid_k3)
    k2, _, _ = reference(x, *_weights(layer), rec=hard_sigmoid_k2)
    _close(y, k3)
    _far(y, k2)


def recurrent_ops_docstring():
    keras = _keras()
    doc = keras.ops.hard_sigmoid.__doc__
    assert "(0.2 * x) + 0.5 if -2.5 <= x <= 2.5" in doc and "array([0.3, 0.5, 0.7]" in doc
    computed = np.asarray(keras.ops.hard_sigmoid(np.array([-1.0, 0.0, 1.0])))
    _close(computed, [1 / 3, 0.5, 2 / 3], 1e-6)
    grid = np.linspace(-5, 5, 101)
    relu6 = np.clip(grid + 3, 0, 6) / 6
    _close(keras.ops.hard_sigmoid(grid), relu6, 1e-6)
    _close(relu6, hard_sigmoid_k3(grid), 1e-12)


def recurrent_activations_docstring():
    keras = _keras()
    assert keras.activations.get("hard_sigmoid") is keras.activations.hard_sigmoid
    assert "`(x/6) + 0.5` if `-3 < x < 3`" in keras.activations.hard_sigmoid.__doc__


def try_recurrent_activation():
    doc, default = try_json("recurrent_activation"), tool_json("--return-sequences")
    assert doc["config"]["recurrent_activation"] == "hard_sigmoid"
    layer, x, _ = _json_layer(doc)
    y = _output(doc)
    k3, _, _ = reference(x.astype(float), *_weights(layer), rec=hard_sigmoid_k3)
    sig, _, _ = reference(x.astype(float), *_weights(layer), rec=sigmoid)
    _close(y, k3, 1e-4)
    _far(y, sig, 1e-3)
    _far(y, _output(default), 1e-3)


# ---------------------------------------------------------------- use_bias


def use_bias_default():
    _default_is("use_bias", True)


def use_bias_flags():
    _flags_set("use_bias", "--use-bias", "--no-use-bias")


def use_bias_forget_half():
    x = np.zeros((1, 1, 2), np.float32)
    for use_bias, expected in ((False, 0.5), (True, sigmoid(1.0))):
        layer = _lstm(3, use_bias=use_bias)
        layer(x)
        assert len(layer.get_weights()) == (3 if use_bias else 2)
        _, _, gates = reference(x, *_weights(layer))
        _close(gates[0]["f"], np.full((1, 3), expected), 1e-12)


def use_bias_set_weights():
    with_bias, without = _lstm(2), _lstm(2, use_bias=False)
    with_bias(_x())
    without(_x())
    message = _error(lambda: without.set_weights(with_bias.get_weights()), ValueError)
    assert "weight list of length 3, but the layer was expecting 2 weights" in message, message


def try_use_bias():
    doc, default = try_json("use_bias"), tool_json()
    assert [w["name"] for w in doc["weights"]] == ["kernel", "recurrent_kernel"]
    assert "bias" in [w["name"] for w in default["weights"]]
    assert doc["param_count"] == default["param_count"] - 4 * 3


# ---------------------------------------------------------------- unit_forget_bias


def _bias_blocks(units: int = 3, **kwargs):
    layer = _lstm(units, **kwargs)
    layer(_x())
    bias = np.asarray(layer.cell.bias)
    return [bias[k * units : (k + 1) * units] for k in range(4)], layer


def ufb_default():
    _default_is("unit_forget_bias", True)


def ufb_flags():
    _flags_set("unit_forget_bias", "--unit-forget-bias", "--no-unit-forget-bias")


def ufb_once():
    (i, f, c, o), layer = _bias_blocks()
    assert np.all(f == 1) and np.all(i == 0) and np.all(c == 0) and np.all(o == 0)
    layer.cell.bias.assign(np.zeros(12, np.float32))
    layer(_x())
    assert np.all(np.asarray(layer.cell.bias) == 0)  # not set to 1 again after the build


def ufb_only_with_bias():
    layer = _lstm(3, use_bias=False, unit_forget_bias=True)
    layer(_x())
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel"]


def ufb_constant():
    keras = _keras()
    blocks, _ = _bias_blocks(bias_initializer=keras.initializers.Constant(0.5))
    assert [sorted(set(b.tolist())) for b in blocks] == [[0.5], [1.0], [0.5], [0.5]]


def ufb_random():
    keras = _keras()
    for make in (
        lambda: keras.initializers.RandomNormal(seed=3),
        lambda: keras.initializers.RandomNormal(),
        lambda: keras.initializers.RandomUniform(seed=4),
    ):
        (i, f, c, o), _ = _bias_blocks(bias_initializer=make())
        assert np.array_equal(i, c) and np.all(f == 1) and not np.array_equal(i, o), (i, c, o)
        initializer = make()
        assert np.array_equal(np.asarray(initializer((3,))), np.asarray(initializer((3,))))


def ufb_learned():
    keras = _keras()
    inputs = keras.Input((4, 2))
    model = keras.Model(inputs, keras.layers.Dense(1)(_lstm(3)(inputs)))
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.train_on_batch(_x(batch=4), np.ones((4, 1), np.float32))
    forget = np.asarray(model.layers[1].cell.bias)[3:6]
    assert np.all(forget != 1), forget


def ufb_regularizer_pulls():
    import tensorflow as tf

    layer = _lstm(3, bias_regularizer=_keras().regularizers.L2(0.1))
    layer(_x())
    with tf.GradientTape() as tape:
        layer(_x())
        penalty = tf.add_n(layer.losses)
    grad = np.asarray(tape.gradient(penalty, layer.cell.bias))[3:6]
    assert np.all(grad > 0), grad  # an SGD step lowers b_f = 1 towards 0
    _close(grad, 2 * 0.1 * np.ones(3), 1e-6)


def ufb_no_bias_no_effect():
    keras = _keras()
    outputs = []
    for flag in (True, False):
        keras.utils.set_random_seed(5)
        layer = keras.layers.LSTM(3, use_bias=False, unit_forget_bias=flag)
        outputs.append((np.asarray(layer(_x())), [np.asarray(w) for w in layer.get_weights()]))
    assert np.array_equal(outputs[0][0], outputs[1][0])
    assert all(np.array_equal(a, b) for a, b in zip(outputs[0][1], outputs[1][1]))


def try_unit_forget_bias():
    doc, default = try_json("unit_forget_bias"), tool_json()

    def forget(d):
        bias = np.asarray(next(w["values"] for w in d["weights"] if w["name"] == "bias"))
        return bias[3:6]

    assert np.all(forget(doc) == 0) and np.all(forget(default) == 1)
    assert doc["effects"]["unit_forget_bias"]["forget_bias_is_one"] is False


# ---------------------------------------------------------------- return_sequences


def rs_default():
    _default_is("return_sequences", False)


def rs_flags():
    _flags_set("return_sequences", "--return-sequences", "--no-return-sequences")


def rs_stacking():
    keras = _keras()
    message = _error(lambda: keras.layers.LSTM(2)(keras.layers.LSTM(2)(keras.Input((4, 2)))), ValueError)
    assert "expected ndim=3, found ndim=2" in message, message
    assert keras.layers.LSTM(2)(keras.layers.LSTM(2, return_sequences=True)(keras.Input((4, 2)))).shape == (None, 2)


def rs_dense():
    keras = _keras()
    y = keras.layers.Dense(5)(_lstm(3, return_sequences=True)(_x(batch=2, steps=4)))
    assert y.shape == (2, 4, 5)


def gb_reversed():
    x = _x(batch=2, steps=5)
    backwards = _lstm(2, go_backwards=True, return_sequences=True)
    y = np.asarray(backwards(x))
    forwards = _lstm(2, return_sequences=True)
    forwards.build(x.shape)
    forwards.set_weights(backwards.get_weights())
    _close(y, forwards(x[:, ::-1].copy()))
    _far(y, forwards(x))
    _far(y, np.asarray(forwards(x[:, ::-1].copy()))[:, ::-1])


def try_return_sequences():
    doc, default = try_json("return_sequences"), tool_json()
    assert doc["outputs"][0]["shape"] == [1, 10, 3] and default["outputs"][0]["shape"] == [1, 3]
    assert doc["weights"] == default["weights"]
    layer, x, _ = _json_layer(doc, return_sequences=True)
    _close(_output(doc), layer(x), 1e-5)
    _close(_output(doc)[:, -1], _output(default), 1e-6)


# ---------------------------------------------------------------- return_state


def rst_default():
    _default_is("return_state", False)


def rst_flags():
    _flags_set("return_state", "--return-state", "--no-return-state")


def rst_output_is_h():
    output, h, c = _lstm(2, return_state=True)(_x(batch=2))
    assert np.array_equal(np.asarray(output), np.asarray(h))
    _far(h, c)


def rst_order():
    x = _x(batch=2)
    layer = _lstm(2, return_state=True)
    output, h, c = layer(x)
    hs, cs, _ = reference(x, *_weights(layer))
    _close(h, hs[:, -1])
    _close(c, cs[:, -1])


def rst_tuple_to_layer():
    keras = _keras()
    result = _lstm(2, return_state=True)(_x())
    message = _error(lambda: keras.layers.Dense(1)(result), ValueError)
    assert "expects 1 input(s), but it received 3 input tensors" in message, message
    output, h, c = result
    assert keras.layers.Dense(1)(output).shape == (1, 1)


def rst_activity_regularizer():
    x = _x(batch=2)
    layer = _lstm(2, return_state=True, activity_regularizer=_keras().regularizers.L2(0.1))
    output, h, c = layer(x)
    losses = sorted(float(v) for v in layer.losses)
    expected = sorted(0.1 * float(np.sum(np.square(t))) / 2 for t in (output, h, c))
    assert len(losses) == 3
    _close(losses, expected, 1e-6)


def rst_tuple():
    keras = _keras()
    eager = _lstm(2, return_state=True)(_x())
    symbolic = _lstm(2, return_state=True)(keras.Input((4, 2)))
    for result in (eager, symbolic):
        assert isinstance(result, tuple) and not isinstance(result, list) and len(result) == 3


def try_return_state():
    doc, default = try_json("return_state"), tool_json()
    assert [o["name"] for o in doc["outputs"]] == ["last_output", "final_h", "final_c"]
    assert len(default["outputs"]) == 1
    layer, x, _ = _json_layer(doc, return_state=True)
    output, h, c = layer(x)
    assert np.array_equal(_output(doc, "final_h"), _output(doc, "last_output"))
    _close(_output(doc, "final_h"), h, 1e-6)
    _close(_output(doc, "final_c"), c, 1e-5)


# ---------------------------------------------------------------- go_backwards


def gb_default():
    _default_is("go_backwards", False)


def gb_flags():
    _flags_set("go_backwards", "--go-backwards", "--no-go-backwards")


def gb_bidirectional_flips():
    keras = _keras()
    x = _x(batch=2, steps=5)
    both = keras.layers.Bidirectional(_lstm(2, return_sequences=True), merge_mode=None)
    _, backward_half = both(x)
    layer = both.backward_layer
    assert layer.go_backwards
    raw = layer(x)  # the backward LSTM on its own: reversed time order
    _close(backward_half, keras.ops.flip(raw, axis=1))
    _far(backward_half, raw)
    hs, _, _ = reference(x[:, ::-1], *_weights(layer))
    _close(raw, hs)  # step t of the raw sequence has read input steps T-1 … T-1-t


def gb_final_output():
    x = _x(batch=2, steps=5)
    layer = _lstm(2, go_backwards=True)
    y = np.asarray(layer(x))
    hs, _, _ = reference(x[:, ::-1], *_weights(layer))
    forward, _, _ = reference(x, *_weights(layer))
    _close(y, hs[:, -1])
    _far(y, forward[:, -1])


def try_go_backwards():
    doc, default = try_json("go_backwards"), tool_json("--return-sequences")
    layer, x, _ = _json_layer(doc, return_sequences=True)
    y = _output(doc)
    _close(y, layer(x[:, ::-1].copy()), 1e-5)
    _far(y, _output(default), 1e-3)


# ---------------------------------------------------------------- stateful


def _stateful_model(batch: int = 4, units: int = 2, dense: bool = True):
    keras = _keras()
    keras.utils.set_random_seed(0)
    inputs = keras.Input(batch_shape=(batch, 10, 2))
    layer = keras.layers.LSTM(units, stateful=True)
    outputs = layer(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(outputs) if dense else outputs)
    model.compile("sgd", "mse")
    return model, layer


def st_default():
    _default_is("stateful", False)


def st_static_batch():
    keras = _keras()
    for inputs in (keras.Input(batch_shape=(1, 10, 2)), keras.Input((10, 2), batch_size=1)):
        assert _lstm(2, stateful=True)(inputs).shape == (1, 2)


def st_states():
    x = _x(steps=10)
    layer = _lstm(2, stateful=True, return_state=True)
    _, h, c = layer(x)
    assert np.array_equal(np.asarray(layer.states[0]), np.asarray(h))
    assert np.array_equal(np.asarray(layer.states[1]), np.asarray(c))
    assert np.abs(np.asarray(h)).max() > 0
    layer.reset_state()
    assert all(np.all(np.asarray(s) == 0) for s in layer.states)


def st_dynamic_batch():
    keras = _keras()
    message = _error(lambda: keras.layers.LSTM(2, stateful=True)(keras.Input((10, 2))), ValueError)
    expected = (
        "When using `stateful=True` in a RNN, the batch size must be static. "
        "Found dynamic batch size: sequence.shape=(None, 10, 2)"
    )
    assert expected in message, message


def st_carries_over():
    x = _x(batch=4, steps=10)
    model, layer = _stateful_model(dense=False)
    first, second = np.asarray(model(x)), np.asarray(model(x))
    _far(first, second, 1e-4)
    layer.reset_state()
    _close(model(x), first, 1e-6)
    layer.reset_state()
    _close(model.predict(x, verbose=0), first, 1e-5)
    _far(model.predict(x, verbose=0), first, 1e-4)  # the second predict starts from the first's state


def st_carries_over_epochs():
    keras = _keras()
    model, layer = _stateful_model()
    starts = []

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            starts.append(np.abs(np.asarray(layer.states[0])).max())

    x = _x(batch=8, steps=10)
    model.fit(x, np.zeros((8, 1)), batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[Record()])
    assert starts[0] == 0 and starts[1] > 0, starts


def st_no_model_reset_states():
    keras = _keras()
    model, _ = _stateful_model()
    assert not hasattr(model, "reset_states") and not hasattr(keras.Model, "reset_states")


def st_shuffle_default():
    assert inspect.signature(_keras().Model.fit).parameters["shuffle"].default is True


def st_other_batch():
    model, _ = _stateful_model()
    message = _error(lambda: model(_x(batch=3, steps=10)), ValueError)
    assert (
        "If an RNN is stateful, the batch size of the input sequences must be the same as the batch "
        "size of the initial state."
    ) in message, message


def st_fit_batches_of_32():
    keras = _keras()
    inputs = keras.Input((10, 2))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(2)(inputs)))
    model.compile("sgd", "mse")
    sizes = []

    class Sizes(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            sizes.append(batch)

    assert inspect.signature(keras.Model.fit).parameters["batch_size"].default is None
    model.fit(_x(batch=40, steps=10), np.zeros((40, 1)), epochs=1, verbose=0, callbacks=[Sizes()])
    assert len(sizes) == 2  # 40 samples: one batch of 32 and one of 8


def _fit_error(samples: int, **kwargs) -> Exception:
    model, _ = _stateful_model()
    try:
        model.fit(_x(batch=samples, steps=10), np.zeros((samples, 1), np.float32), verbose=0, **kwargs)
    except Exception as error:  # noqa: BLE001 - the kind is what is checked
        return error
    raise AssertionError("fit did not fail")


def st_fit_default_fails():
    import tensorflow as tf

    error = _fit_error(10)
    message = ANSI.sub("", str(error))
    assert isinstance(error, tf.errors.InvalidArgumentError), type(error)
    # Which operation meets the mismatch first depends on the executor's scheduling: the LSTM's own
    # ([10,8] vs. [4,8]) or the loss's ([10,1] vs. [4,1]); either way the message names neither.
    assert message.startswith("Graph execution error"), message
    assert re.search(r"Incompatible shapes: \[10,\d+\] vs\. \[4,\d+\]", message), message
    assert "stateful" not in message and "batch size" not in message.lower(), message


def st_fit_remedies():
    import tensorflow as tf

    x, y = _x(batch=10, steps=10), np.zeros((10, 1), np.float32)
    model, _ = _stateful_model()
    model.fit(x[:8], y[:8], batch_size=4, verbose=0)
    assert "Incompatible shapes" in str(_fit_error(10, batch_size=4))
    model, _ = _stateful_model()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4, drop_remainder=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(dataset, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def st_batch_input_shape():
    message = _error(lambda: _keras().layers.LSTM(2, stateful=True, batch_input_shape=(1, 10, 2)), ValueError)
    assert "Unrecognized keyword arguments passed to LSTM" in message and "batch_input_shape" in message


def st_reset_states_alias():
    layer = _lstm(2, stateful=True)
    layer(_x(steps=10))
    assert np.abs(np.asarray(layer.states[0])).max() > 0
    layer.reset_states()
    assert all(np.all(np.asarray(s) == 0) for s in layer.states)


def try_stateful():
    doc = try_json("stateful")
    assert doc["config"]["stateful"] is True
    effect = doc["effects"]["stateful"]
    layer, x, _ = _json_layer(doc, return_state=True)
    x = x * effect["input_scale"]
    first, h, c = layer(x)
    second, _, _ = layer(x, initial_state=[h, c])
    _close(effect["first_call"], first, 1e-5)
    _close(effect["after_reset"], first, 1e-5)
    _close(effect["second_call"], second, 1e-5)
    _far(effect["second_call"], effect["first_call"], 1e-4)


# ---------------------------------------------------------------- the claims

K2 = "Keras 2 (tf-keras 2.15) "
GPU_RNN = "keras/src/backend/tensorflow/rnn.py"


def _c(argument, section, quote, item=None, check=None, source=None, snippet=None):
    return Claim(argument, section, quote, item, check, source, snippet)


CLAIMS: list[Claim] = [
    # units
    _c("units", "values", "Keras requires it and has no default", check=units_required),
    _c("units", "values", "this tool uses the tutorial's 3 when --units is left out", check=units_tool_default),
    _c("units", "values", "Keras refuses 0 with 'expected a positive integer'", check=units_zero),
    _c(
        "units", "values", "a string such as '4' fails with a bare TypeError that names no argument", check=units_string
    ),
    _c("units", "pitfalls", "units is the size of the state carried from one step to the next", 0, units_state_size),
    _c(
        "units",
        "pitfalls",
        "without return_sequences the layer returns only the last h_t, shape (batch, units)",
        1,
        units_last_h,
    ),
    _c("units", "pitfalls", "LSTM('4') raises a TypeError", 2, units_string),
    _c("units", "pitfalls", "LSTM(2.5) a confusing shape error, neither naming units", 2, units_float),
    _c(
        "units",
        "pitfalls",
        "each of the four gates has its own block of K, R and b, hence the factor 4",
        3,
        units_four_blocks,
    ),
    _c(
        "units",
        "keras2to3",
        "No change.",
        source=K2 + "keras/src/layers/rnn/lstm.py: LSTM.__init__(self, units, "
        "activation='tanh', ...) takes units as its first, required argument, the size of h and c, as Keras 3 does",
    ),
    # activation
    _c("activation", "values", "default 'tanh'", check=activation_default),
    _c("activation", "values", "case-sensitive", check=activation_case_sensitive),
    _c(
        "activation",
        "values",
        "Other names such as relu, linear or softsign work the same way",
        check=activation_other_names,
    ),
    _c(
        "activation",
        "values",
        "None (written none on the command line) means no activation at all, a(x) = x",
        check=activation_none,
    ),
    _c(
        "activation",
        "values",
        "you can also pass a callable, such as keras.activations.relu or your own function",
        check=activation_callable,
    ),
    _c("activation", "values", "this tool refuses both", check=activation_tool_refuses),
    _c(
        "activation",
        "values",
        "threshold needs two more arguments, so every call fails with a TypeError "
        "('threshold() missing 2 required positional arguments')",
        check=activation_threshold,
    ),
    _c(
        "activation",
        "values",
        "with an odd number of units the call fails with 'axis size must be divisible by 2'",
        check=activation_glu_odd,
    ),
    _c("activation", "values", "with an even number from 4 on with 'Incompatible shapes'", check=activation_glu_even),
    _c(
        "activation",
        "values",
        "with units=2 it runs without a warning and computes nonsense: both units get the one value "
        "v₁·σ(v₂) wherever tanh(v) belongs",
        check=activation_glu_two,
    ),
    _c("activation", "pitfalls", "c̃_t loses its negative values", 0, activation_relu_candidate),
    _c(
        "activation",
        "pitfalls",
        "h_t is no longer bounded, so on unscaled input like the tutorial's 1 … 20 the outputs can "
        "grow large from step to step",
        0,
        activation_relu_grows,
    ),
    _c(
        "activation",
        "pitfalls",
        "Any value other than tanh rules out the fast cuDNN kernel on a GPU",
        1,
        source=GPU_RNN,
        snippet="activation in (activations.tanh, tf.tanh, ops.tanh)",
    ),
    _c("activation", "pitfalls", "use_cudnn=True fails", 1, activation_cudnn_true_fails),
    _c(
        "activation",
        "pitfalls",
        "activation acts on c̃_t and on c_t before h_t, recurrent_activation on the gates i_t, f_t, o_t",
        2,
        activation_roles,
    ),
    _c(
        "activation",
        "pitfalls",
        "names are case-sensitive and Keras answers only 'Could not interpret activation function identifier'",
        3,
        activation_case_sensitive,
    ),
    _c(
        "activation",
        "keras2to3",
        "No change to the default or to None meaning linear",
        source=K2 + "keras/src/layers/rnn/lstm.py: "
        "LSTM(units, activation='tanh', ...); keras/src/activations.py get(None) returns linear, as keras.activations.get does in Keras 3",
    ),
    _c(
        "activation",
        "keras2to3",
        "Keras 3 knows more activation names than Keras 2 did, for example sparsemax and squareplus",
        check=activation_new_names,
    ),
    _c(
        "activation",
        "keras2to3",
        "for example sparsemax and squareplus",
        source=K2 + "keras/src/activations.py defines no "
        "sparsemax and no squareplus (sparsemax lived in tensorflow_addons)",
    ),
    # recurrent_activation
    _c("recurrent_activation", "values", "default 'sigmoid'", check=recurrent_default),
    _c("recurrent_activation", "values", "A Keras activation name, case-sensitive", check=recurrent_case_sensitive),
    _c(
        "recurrent_activation",
        "values",
        "none means linear, and then the gates are no longer limited to [0, 1]",
        check=recurrent_none,
    ),
    _c(
        "recurrent_activation", "values", "in Keras 3 it is clip(x/6 + 0.5, 0, 1)", check=recurrent_hard_sigmoid_formula
    ),
    _c("recurrent_activation", "values", "In Python a callable works too", check=recurrent_callable),
    _c(
        "recurrent_activation",
        "pitfalls",
        "With tanh a negative forget gate flips the sign of the memory",
        0,
        recurrent_tanh_flips,
    ),
    _c("recurrent_activation", "pitfalls", "with relu the cell state can grow without limit", 0, recurrent_relu_grows),
    _c(
        "recurrent_activation",
        "pitfalls",
        "Anything but sigmoid rules out the cuDNN kernel on a GPU",
        1,
        source=GPU_RNN,
        snippet="in (activations.sigmoid, tf.sigmoid, ops.sigmoid)",
    ),
    _c("recurrent_activation", "pitfalls", "use_cudnn=True fails", 1, activation_cudnn_true_fails),
    _c(
        "recurrent_activation",
        "pitfalls",
        "Keras 2 computed clip(0.2·x + 0.5, 0, 1)",
        2,
        source=K2 + "keras/src/backend.py hard_sigmoid: x = 0.2 * x + 0.5, then clip_by_value(x, 0., 1.)",
    ),
    _c(
        "recurrent_activation",
        "pitfalls",
        "Keras 3 computes clip(x/6 + 0.5, 0, 1), so the same weights give different outputs",
        2,
        recurrent_hard_sigmoid_k2_differs,
    ),
    _c(
        "recurrent_activation",
        "pitfalls",
        "in Keras 3.15 it still describes (0.2 * x) + 0.5 between −2.5 and 2.5, and its example "
        "prints 0.3, 0.5, 0.7 for −1, 0, 1, while the code computes relu6(x + 3)/6 = clip(x/6 + 0.5, 0, 1), which gives "
        "0.333, 0.5, 0.667",
        3,
        recurrent_ops_docstring,
    ),
    _c(
        "recurrent_activation",
        "pitfalls",
        "relu6(x + 3)/6",
        3,
        source="keras/src/backend/tensorflow/nn.py",
        snippet="return relu6(x + tf.constant(3.0, x.dtype)) / tf.constant(6.0, x.dtype)",
    ),
    _c(
        "recurrent_activation",
        "pitfalls",
        "keras.activations.hard_sigmoid, which recurrent_activation='hard_sigmoid' uses, documents x/6 + 0.5 correctly",
        3,
        recurrent_activations_docstring,
    ),
    _c(
        "recurrent_activation",
        "keras2to3",
        "The default is sigmoid in both tf.keras 2 and Keras 3",
        check=recurrent_default,
    ),
    _c(
        "recurrent_activation",
        "keras2to3",
        "The default is sigmoid in both tf.keras 2 and Keras 3 (standalone Keras before 2.3 defaulted to hard_sigmoid)",
        source=K2 + "keras/src/layers/rnn/lstm.py: recurrent_activation='sigmoid'; standalone "
        "Keras 2.2.5 keras/layers/recurrent.py: LSTM(..., recurrent_activation='hard_sigmoid')",
    ),
    _c(
        "recurrent_activation",
        "keras2to3",
        "Keras 2 used clip(0.2·x + 0.5, 0, 1)",
        source=K2 + "keras/src/backend.py hard_sigmoid: 0.2 * x + 0.5 clipped to [0, 1]",
    ),
    _c("recurrent_activation", "keras2to3", "Keras 3 uses clip(x/6 + 0.5, 0, 1)", check=recurrent_hard_sigmoid_formula),
    # use_bias
    _c("use_bias", "values", "Boolean, default True", check=use_bias_default),
    _c("use_bias", "values", "--use-bias or --no-use-bias", check=use_bias_flags),
    _c(
        "use_bias",
        "pitfalls",
        "Turning it off also removes the forget-gate bias of 1 that unit_forget_bias sets, so the forget "
        "gate starts near σ(0) = 0.5",
        0,
        use_bias_forget_half,
    ),
    _c(
        "use_bias",
        "pitfalls",
        "use_bias=False rules out the cuDNN kernel on a GPU",
        1,
        source=GPU_RNN,
        snippet="and use_bias\n",
    ),
    _c("use_bias", "pitfalls", "set_weights fails because the layer expects 2 arrays, not 3", 2, use_bias_set_weights),
    _c(
        "use_bias",
        "keras2to3",
        "No change.",
        source=K2 + "keras/src/layers/rnn/lstm.py: use_bias=True, the bias of shape "
        "(4 * units,) added only when use_bias is set, as in Keras 3",
    ),
    # unit_forget_bias
    _c("unit_forget_bias", "values", "Boolean, default True", check=ufb_default),
    _c("unit_forget_bias", "values", "--unit-forget-bias or --no-unit-forget-bias", check=ufb_flags),
    _c("unit_forget_bias", "values", "It acts once, when the layer is built", check=ufb_once),
    _c("unit_forget_bias", "values", "only when use_bias is on", check=ufb_only_with_bias),
    _c(
        "unit_forget_bias",
        "pitfalls",
        "it says the option forces bias_initializer='zeros'",
        0,
        source="keras/src/layers/rnn/lstm.py",
        snippet='Setting it to `True` will also force `bias_initializer="zeros"`.',
    ),
    _c(
        "unit_forget_bias",
        "pitfalls",
        "in Keras 3.15 only the forget block is set to 1 and the others keep what bias_initializer "
        "gives (constant(0.5) gives 0.5, 1, 0.5, 0.5 per block",
        0,
        ufb_constant,
    ),
    _c(
        "unit_forget_bias",
        "pitfalls",
        "a random bias_initializer such as random_normal, seeded or not, gives identical i and c̃ "
        "blocks, because Keras calls it twice, once for i and once for c̃ and o together, and each call repeats the same draw",
        0,
        ufb_random,
    ),
    _c("unit_forget_bias", "pitfalls", "it is only a starting value, learned like every other weight", 1, ufb_learned),
    _c("unit_forget_bias", "pitfalls", "a bias_regularizer pulls it towards 0", 1, ufb_regularizer_pulls),
    _c("unit_forget_bias", "pitfalls", "there is no bias, so it does nothing", 2, ufb_no_bias_no_effect),
    _c(
        "unit_forget_bias",
        "keras2to3",
        "No change.",
        source=K2 + "keras/src/layers/rnn/lstm.py LSTMCell.build: with "
        "unit_forget_bias the bias is concatenate([bias_initializer((units,)), ones((units,)), bias_initializer((units * 2,))]), "
        "the same code as Keras 3",
    ),
    # return_sequences
    _c("return_sequences", "values", "Boolean, default False", check=rs_default),
    _c("return_sequences", "values", "--return-sequences or --no-return-sequences", check=rs_flags),
    _c(
        "return_sequences",
        "pitfalls",
        "the second LSTM receives (batch, units) and Keras stops with 'expected ndim=3, found ndim=2'",
        0,
        rs_stacking,
    ),
    _c(
        "return_sequences",
        "pitfalls",
        "Dense then acts on every timestep and the model outputs (batch, timesteps, n)",
        1,
        rs_dense,
    ),
    _c(
        "return_sequences",
        "pitfalls",
        "With go_backwards the returned sequence is in reversed time order",
        2,
        gb_reversed,
    ),
    _c(
        "return_sequences",
        "keras2to3",
        "No change.",
        source=K2 + "keras/src/layers/rnn/base_rnn.py RNN.call: "
        "output = outputs if self.return_sequences else last_output, as in Keras 3",
    ),
    # return_state
    _c("return_state", "values", "Boolean, default False", check=rst_default),
    _c("return_state", "values", "--return-state or --no-return-state", check=rst_flags),
    _c("return_state", "pitfalls", "without return_sequences, output and h hold the same values", 0, rst_output_is_h),
    _c("return_state", "pitfalls", "it is (output, h, c), hidden state before cell state", 1, rst_order),
    _c(
        "return_state",
        "pitfalls",
        "Keras stops with 'expects 1 input(s), but it received 3 input tensors'",
        2,
        rst_tuple_to_layer,
    ),
    _c("return_state", "pitfalls", "it is then applied to all three tensors", 3, rst_activity_regularizer),
    _c("return_state", "keras2to3", "Keras 3 returns a tuple (output, h, c)", check=rst_tuple),
    _c(
        "return_state",
        "keras2to3",
        "Keras 2 returned a list [output, h, c]",
        source=K2 + "keras/src/layers/rnn/base_rnn.py "
        "RNN.call: states = list(states); return generic_utils.to_list(output) + states",
    ),
    _c(
        "return_state",
        "keras2to3",
        "Keras 3.15's own RNN docstring still says 'a list of tensors'",
        source="keras/src/layers/rnn/rnn.py",
        snippet="- If `return_state`: a list of tensors.",
    ),
    _c(
        "return_state",
        "keras2to3",
        "Keras 3 returns a tuple",
        source="keras/src/layers/rnn/rnn.py",
        snippet="return output, *states",
    ),
    # go_backwards
    _c("go_backwards", "values", "Boolean, default False", check=gb_default),
    _c("go_backwards", "values", "--go-backwards or --no-go-backwards", check=gb_flags),
    _c("go_backwards", "pitfalls", "Keras does not reverse it back", 0, gb_reversed),
    _c(
        "go_backwards",
        "pitfalls",
        "Flip it (keras.ops.flip(y, axis=1)) before lining it up with the input, or use "
        "keras.layers.Bidirectional, which does this for you",
        0,
        gb_bidirectional_flips,
    ),
    _c(
        "go_backwards",
        "pitfalls",
        "step t of one meets step T−1−t of the other unless you flip",
        1,
        gb_bidirectional_flips,
    ),
    _c(
        "go_backwards",
        "pitfalls",
        "without return_sequences it is h after reading the first timestep, which is read last",
        2,
        gb_final_output,
    ),
    _c(
        "go_backwards",
        "keras2to3",
        "Keras 2 also returned the reversed sequence",
        source=K2 + "keras/src/backend.py rnn(): "
        "if go_backwards: inputs = reverse(inputs, 0); the outputs are stacked in processing order and not reversed back",
    ),
    # stateful
    _c("stateful", "values", "Boolean, default False", check=st_default),
    _c(
        "stateful",
        "values",
        "It needs a static batch size: keras.Input(batch_shape=(1, 10, 2)) or keras.Input((10, 2), batch_size=1)",
        check=st_static_batch,
    ),
    _c(
        "stateful",
        "values",
        "The state lives in layer.states, and layer.reset_state() sets it back to zeros",
        check=st_states,
    ),
    _c(
        "stateful",
        "pitfalls",
        "Keras stops with 'When using `stateful=True` in a RNN, the batch size must be static. "
        "Found dynamic batch size: sequence.shape=(None, 10, 2)'",
        0,
        st_dynamic_batch,
    ),
    _c(
        "stateful",
        "pitfalls",
        "the state carries over between calls, predict runs and epochs until layer.reset_state()",
        1,
        st_carries_over,
    ),
    _c("stateful", "pitfalls", "and epochs", 1, st_carries_over_epochs),
    _c("stateful", "pitfalls", "Keras 3 models have no reset_states()", 1, st_no_model_reset_states),
    _c("stateful", "pitfalls", "shuffle=True is the default", 2, st_shuffle_default),
    _c(
        "stateful",
        "pitfalls",
        "the call fails with 'If an RNN is stateful, the batch size of the input sequences must be the same "
        "as the batch size of the initial state.'",
        3,
        st_other_batch,
    ),
    _c(
        "stateful",
        "pitfalls",
        "fit then cuts the data into batches of 32 (the last one smaller)",
        4,
        st_fit_batches_of_32,
    ),
    _c(
        "stateful",
        "pitfalls",
        "10 samples fail with a graph InvalidArgumentError whose text says only 'Incompatible shapes: "
        "…' (such as [10,1] vs. [4,1], from whichever operation meets the mismatch first), naming neither stateful nor "
        "the batch size",
        4,
        st_fit_default_fails,
    ),
    _c(
        "stateful",
        "pitfalls",
        "Pass batch_size=4 with a number of samples divisible by 4 (10 samples still fail, on the last "
        "batch of 2), or a tf.data.Dataset batched with drop_remainder=True",
        4,
        st_fit_remedies,
    ),
    _c(
        "stateful",
        "keras2to3",
        "Keras 2's batch_input_shape= on the first layer is rejected in Keras 3",
        check=st_batch_input_shape,
    ),
    _c("stateful", "keras2to3", "(use keras.Input(batch_shape=...))", check=st_static_batch),
    _c("stateful", "keras2to3", "model.reset_states() is gone", check=st_no_model_reset_states),
    _c(
        "stateful",
        "keras2to3",
        "call layer.reset_state() (layer.reset_states() remains as an alias)",
        check=st_reset_states_alias,
    ),
    _c(
        "stateful",
        "keras2to3",
        "Keras 2's batch_input_shape= on the first layer",
        source=K2 + "keras/src/engine/base_layer.py "
        "Layer.__init__ accepts batch_input_shape in kwargs; keras/src/engine/training.py Model.reset_states() calls "
        "reset_states() on every stateful layer",
    ),
]

TRY = {
    "units": try_units,
    "activation": try_activation,
    "recurrent_activation": try_recurrent_activation,
    "use_bias": try_use_bias,
    "unit_forget_bias": try_unit_forget_bias,
    "return_sequences": try_return_sequences,
    "return_state": try_return_state,
    "go_backwards": try_go_backwards,
    "stateful": try_stateful,
}
