"""Claims about how the layer runs: dropout, recurrent_dropout, seed, unroll, use_cudnn, implementation, time_major.

No GPU here, so where a claim is about the cuDNN path the checks make TensorFlow report a GPU (as
tests/test_effects.py does) and replace `_cudnn_lstm`, the function that would launch the kernel, with
a recorder that declines (NotImplementedError, which `LSTM.inner_loop` answers by running the generic
loop). What Keras hands to cuDNN, and whether it hands anything at all, is then Keras's own decision.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import random
import re
import warnings

import numpy as np

from claims import Claim, seeded_layer, tool, tool_json, try_json
from claims import keras_module as _keras

UNITS = 2
BIG = 2**63


# ----------------------------------------------------------------------------- helpers


def _x(batch: int = 4, timesteps: int = 5, features: int = 3, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=(batch, timesteps, features)).astype("float32")


def _layer(x: np.ndarray | None = None, **kwargs):
    return seeded_layer(UNITS, _x() if x is None else x, **kwargs)


def _out(layer, x: np.ndarray, training: bool = False) -> np.ndarray:
    return np.asarray(layer(x, training=training))


def _signature() -> inspect.Signature:
    return inspect.signature(_keras().layers.LSTM.__init__)


def _tf_rnn():
    return importlib.import_module("keras.src.backend.tensorflow.rnn")


@contextlib.contextmanager
def _gpu_visible():
    """TensorFlow reports one logical GPU, which is all Keras's `_is_gpu_available` asks."""
    import tensorflow as tf

    original = tf.config.list_logical_devices
    devices = [tf.config.LogicalDevice("/device:GPU:0", "GPU")]
    tf.config.list_logical_devices = lambda kind=None: devices if kind == "GPU" else original(kind)
    try:
        yield
    finally:
        tf.config.list_logical_devices = original


@contextlib.contextmanager
def _cudnn_handoffs():
    """With a GPU visible, record every input Keras hands to `_cudnn_lstm`, then decline it."""
    tf_rnn = _tf_rnn()
    original = tf_rnn._cudnn_lstm
    handed: list[np.ndarray] = []

    def recorder(inputs, *args, **kwargs):
        handed.append(np.asarray(inputs))
        raise NotImplementedError

    tf_rnn._cudnn_lstm = recorder
    try:
        with _gpu_visible():
            yield handed
    finally:
        tf_rnn._cudnn_lstm = original


def _handed_to_cudnn(x: np.ndarray | None = None, training: bool = False, **kwargs) -> list[np.ndarray]:
    x = _x() if x is None else x
    with _cudnn_handoffs() as handed:
        layer = _layer(x, **kwargs)
        _out(layer, x, training)
    return handed


def _raises(fn, error: type[BaseException], text: str) -> None:
    try:
        fn()
    except error as caught:
        assert text in str(caught), str(caught)
        return
    raise AssertionError(f"no {error.__name__} containing {text!r}")


def _quietly(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(w.message) for w in caught]


def _usage_error(*args: str, text: str) -> None:
    result = tool(*args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert text in result.output, result.output


def _first_mask(seed: int, x: np.ndarray, **kwargs):
    """The first input-dropout mask a fresh layer with this seed draws (its first call draws the same)."""
    twin = _layer(x, seed=seed, **kwargs)
    return twin.cell.get_dropout_mask(x[:, 0, :])


# ----------------------------------------------------------------------------- dropout


def _clamps(name: str):
    def check():
        (high, low), messages = _quietly(lambda: (_layer(**{name: 1.5}), _layer(**{name: -0.5})))
        assert getattr(high.cell, name) == 1.0 and getattr(low.cell, name) == 0.0
        assert messages == [], messages

    return check


def _rate_one_drops_nothing_generic():
    x = _x()
    plain = _out(_layer(x), x)
    for use_cudnn in (False, "auto"):  # on this CPU 'auto' runs the generic loop too
        assert np.allclose(_out(_layer(x, dropout=1.0, seed=1, use_cudnn=use_cudnn), x, training=True), plain)
    assert not np.allclose(_out(_layer(x, dropout=0.5, seed=1, use_cudnn=False), x, training=True), plain)


def _rate_one_zeroes_cudnn_input():
    x = _x()
    handed = _handed_to_cudnn(x, training=True, dropout=1.0)
    assert len(handed) == 1 and np.abs(x).min() > 0
    assert np.all(handed[0] == 0), handed[0]
    # Without dropout Keras hands the input over as it is: the zeros come from the rate-1.0 mask.
    assert np.allclose(_handed_to_cudnn(x, training=True)[0], x)


def _tool_refuses_rate(flag: str):
    def check():
        for value in ("1.5", "-0.1"):
            _usage_error(flag, value, text="must be between 0 and 1")
        assert tool(flag, "1.0").exit_code == 0

    return check


def _dropout_only_in_training():
    keras = _keras()
    x = _x()
    plain = _out(_layer(x), x)
    layer = _layer(x, dropout=0.5, seed=1)
    assert np.allclose(_out(layer, x), plain)
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layer])
    assert np.allclose(model.predict(x, verbose=0), plain, atol=1e-6)
    assert not np.allclose(_out(layer, x, training=True), plain)


def _tiny_sample_masks():
    x = np.arange(1, 21, dtype="float32").reshape(1, 10, 2) / 20
    both_dropped = 0
    for seed in range(40):
        mask = np.asarray(_first_mask(seed, x, dropout=0.5))
        assert mask.shape == (1, 2) and set(np.unique(mask)) <= {0.0, 2.0}
        if not mask.any():
            both_dropped += 1
            assert np.all(_out(_layer(x, dropout=0.5, seed=seed), x, training=True) == 0)
    assert both_dropped > 0


def _mask_fixed_along_sequence():
    x = _x()
    mask = np.asarray(_first_mask(3, x, dropout=0.5))
    dropped = _out(_layer(x, dropout=0.5, seed=3), x, training=True)
    assert set(np.unique(mask)) == {0.0, 2.0}  # kept features are scaled by 1/(1 - 0.5)
    assert np.allclose(dropped, _out(_layer(x), x * mask[:, None, :]), atol=1e-6)
    # A fresh mask per timestep would give other numbers.
    other = np.asarray(_first_mask(4, x, dropout=0.5))
    steps = np.where(np.arange(x.shape[1])[None, :, None] % 2 == 0, mask[:, None, :], other[:, None, :])
    assert not np.allclose(dropped, _out(_layer(x), x * steps), atol=1e-6)


def _inference_calls_draw_masks(**rates):
    def check():
        keras = _keras()
        x = _x()
        direct = _out(_layer(x, seed=3, **rates), x, training=True)
        assert np.allclose(_out(_layer(x, seed=3, **rates), x, training=True), direct)  # deterministic
        after_call = _layer(x, seed=3, **rates)
        _out(after_call, x)
        assert not np.allclose(_out(after_call, x, training=True), direct)
        after_predict = _layer(x, seed=3, **rates)
        keras.Sequential([keras.Input(shape=x.shape[1:]), after_predict]).predict(x, verbose=0)
        assert not np.allclose(_out(after_predict, x, training=True), direct)

    return check


def _seed_makes_masks_reproducible(**rates):
    def check():
        assert _signature().parameters["seed"].default is None
        x = _x()
        first = _out(_layer(x, seed=5, **rates), x, training=True)
        assert np.allclose(_out(_layer(x, seed=5, **rates), x, training=True), first)
        assert not np.allclose(_out(_layer(x, seed=6, **rates), x, training=True), first)

    return check


# ----------------------------------------------------------------------------- recurrent_dropout


def _recurrent_rate_one_drops_nothing_anywhere():
    x = _x()
    plain = _out(_layer(x), x)
    assert np.allclose(_out(_layer(x, recurrent_dropout=1.0, seed=1), x, training=True), plain)
    assert _handed_to_cudnn(x, training=True, recurrent_dropout=1.0) == []


def _recurrent_forces_per_gate():
    x = _x()
    for rate in (0.3, 1.0):
        assert _layer(x, recurrent_dropout=rate).cell.implementation == 1
    masks = _layer(x, dropout=0.5, recurrent_dropout=0.3, seed=2).cell.get_dropout_mask(x[:, 0, :])
    assert isinstance(masks, list) and len(masks) == 4
    assert not all(np.array_equal(np.asarray(masks[0]), np.asarray(m)) for m in masks[1:])
    assert not isinstance(_layer(x, dropout=0.5, seed=2).cell.get_dropout_mask(x[:, 0, :]), list)


def _recurrent_rules_out_cudnn():
    assert len(_handed_to_cudnn(training=True)) == 1
    assert _handed_to_cudnn(training=True, recurrent_dropout=0.3) == []
    assert _handed_to_cudnn(training=False, recurrent_dropout=0.3) == []


def _recurrent_only_in_training():
    x = _x()
    plain = _out(_layer(x), x)
    layer = _layer(x, recurrent_dropout=0.5, seed=1)
    assert np.allclose(_out(layer, x), plain, atol=1e-6)
    assert not np.allclose(_out(layer, x, training=True), plain)


def _recurrent_first_step_untouched():
    x = _x(timesteps=1)
    plain = _out(_layer(x), x)
    for seed in range(3):
        assert np.allclose(_out(_layer(x, recurrent_dropout=0.5, seed=seed), x, training=True), plain, atol=1e-6)
    longer = _x(timesteps=4)
    assert not np.allclose(
        _out(_layer(longer, recurrent_dropout=0.5, seed=1), longer, training=True), _out(_layer(longer), longer)
    )


def _recurrent_inference_draws_four():
    x = _x()
    layer = _layer(x, recurrent_dropout=0.5, seed=3)
    before = int(np.asarray(layer.cell.seed_generator.state)[1])
    _out(layer, x)
    assert int(np.asarray(layer.cell.seed_generator.state)[1]) - before == 4


# ----------------------------------------------------------------------------- seed


def _seed_range_accepted():
    x = _x()
    for seed in (-1, -(2**63), BIG - 1):
        out = _out(_layer(x, dropout=0.5, seed=seed), x, training=True)
        assert np.isfinite(out).all()


def _seed_out_of_range():
    for seed in (BIG, -(2**63) - 1):
        _raises(
            lambda: _keras().layers.LSTM(UNITS, seed=seed),
            ValueError,
            "Can't convert Python sequence with out-of-range integer to Tensor",
        )


def _seed_not_integer():
    for seed in (1.5, "3"):
        _raises(lambda: _keras().layers.LSTM(UNITS, seed=seed), ValueError, "Argument `seed` must be an integer")


def _tool_seed_range():
    for value in ("-1", str(BIG)):
        _usage_error("--seed", value, text="must be an integer between 0 and")
    assert tool_json("--seed", str(BIG - 1))["config"]["seed"] == BIG - 1
    assert tool_json("--seed", "0")["config"]["seed"] == 0
    assert tool_json()["config"]["seed"] is None


def _unseeded_start_comes_from_python_random():
    keras = _keras()
    x = _x()

    def start(python_seed: int) -> int:
        random.seed(python_seed)
        return int(np.asarray(keras.layers.LSTM(UNITS, dropout=0.5).cell.seed_generator.state)[0])

    saved = random.getstate()
    try:
        assert start(11) == start(11) != start(12)
    finally:
        random.setstate(saved)

    def masks() -> np.ndarray:
        keras.utils.set_random_seed(5)
        layer = keras.layers.LSTM(UNITS, dropout=0.5)
        layer.build(x.shape)
        keras.random.uniform((3,))  # Keras's global generator moves on; the layer's own does not care
        return _out(layer, x, training=True)

    assert np.allclose(masks(), masks())


def _tool_seeds_split():
    def run(*args):
        doc = tool_json("--dropout", "0.5", "--training", "--batch", "4", *args)
        return [np.array(w["values"]) for w in doc["weights"]], np.array(doc["outputs"][0]["values"])

    weights_1, out_1 = run("--seed", "1")
    weights_2, out_2 = run("--seed", "2")
    assert all(np.array_equal(a, b) for a, b in zip(weights_1, weights_2)) and not np.allclose(out_1, out_2)
    other_weights, _ = run("--seed", "1", "--random-seed", "3")
    assert not all(np.array_equal(a, b) for a, b in zip(weights_1, other_weights))


def _seed_leaves_weights():
    keras = _keras()
    keras.utils.set_random_seed(0)
    a, b = keras.layers.LSTM(UNITS, seed=1), keras.layers.LSTM(UNITS, seed=1)
    a.build((1, 5, 3))
    b.build((1, 5, 3))
    assert not np.allclose(a.get_weights()[0], b.get_weights()[0])
    c, d = (keras.layers.LSTM(UNITS, kernel_initializer=keras.initializers.GlorotUniform(seed=1)) for _ in range(2))
    c.build((1, 5, 3))
    d.build((1, 5, 3))
    assert np.array_equal(c.get_weights()[0], d.get_weights()[0])


def _second_training_call_differs():
    x = _x()
    layer = _layer(x, dropout=0.5, seed=3)
    assert not np.allclose(_out(layer, x, training=True), _out(layer, x, training=True))


def _seed_alone_changes_nothing():
    x = _x()
    for rates, training in (({}, True), ({"dropout": 0.5, "recurrent_dropout": 0.5}, False)):
        assert np.allclose(_out(_layer(x, seed=1, **rates), x, training), _out(_layer(x, seed=2, **rates), x, training))


def _seeds_congruent():
    assert _keras().backend.backend() == "tensorflow"
    x = _x(batch=8)

    def masks(seed: int) -> np.ndarray:
        return _out(_layer(x, dropout=0.5, seed=seed), x, training=True)

    assert np.allclose(masks(1), masks(2147483647)) and np.allclose(masks(-1), masks(2147483645))
    assert not np.allclose(masks(1), masks(2)) and not np.allclose(masks(1), masks(2147483646))


# ----------------------------------------------------------------------------- unroll


def _unroll_default_and_flags():
    assert _signature().parameters["unroll"].default is False
    assert tool_json("--unroll")["config"]["unroll"] is True
    assert tool_json("--no-unroll")["config"]["unroll"] is False


def _unroll_needs_time_when_traced():
    import tensorflow as tf

    layer = _layer(unroll=True)
    fn = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec((None, None, 3))])
    _raises(lambda: fn(_x()), ValueError, "Cannot unroll a RNN if the time dimension is undefined")
    fixed = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec((None, 5, 3))])
    assert fixed(_x()).shape == (4, UNITS)


def _graph_size(unroll: bool, timesteps: int) -> int:
    import tensorflow as tf

    layer = _layer(unroll=unroll)
    fn = tf.function(lambda t: layer(t))
    return len(fn.get_concrete_function(tf.TensorSpec((1, timesteps, 3))).graph.get_operations())


def _unroll_graph_grows():
    assert _graph_size(True, 20) > _graph_size(True, 5) + 100
    assert _graph_size(False, 20) == _graph_size(False, 5)


def _unroll_rules_out_cudnn():
    assert len(_handed_to_cudnn()) == 1
    assert _handed_to_cudnn(unroll=True) == []


def _open_time_model():
    keras = _keras()
    inputs = keras.Input(shape=(None, 2))
    model = keras.Model(inputs, keras.layers.LSTM(UNITS, unroll=True)(inputs))
    return keras, model


def _open_time_builds_and_first_length_works():
    _, model = _open_time_model()
    assert model(np.ones((2, 5, 2), "float32")).shape == (2, UNITS)
    assert model(np.ones((2, 7, 2), "float32")).shape == (2, UNITS)  # eager calls take any length
    assert model.predict(np.ones((2, 5, 2), "float32"), verbose=0).shape == (2, UNITS)
    assert model.predict(np.ones((2, 5, 2), "float32"), verbose=0).shape == (2, UNITS)


def _open_time_second_length_fails():
    _, model = _open_time_model()
    model.predict(np.ones((2, 5, 2), "float32"), verbose=0)
    _raises(
        lambda: model.predict(np.ones((2, 6, 2), "float32"), verbose=0),
        ValueError,
        "Cannot unroll a RNN if the time dimension is undefined",
    )
    _, model = _open_time_model()
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 5, 2), "float32"), np.zeros((2, UNITS)), verbose=0)
    _raises(
        lambda: model.fit(np.ones((2, 6, 2), "float32"), np.zeros((2, UNITS)), verbose=0),
        ValueError,
        "Cannot unroll a RNN if the time dimension is undefined",
    )


# ----------------------------------------------------------------------------- use_cudnn


def _auto_falls_back_quietly():
    assert _signature().parameters["use_cudnn"].default == "auto"
    x = _x()
    generic = _out(_layer(x, activation="relu", use_cudnn=False), x)
    with _cudnn_handoffs() as handed:
        out, messages = _quietly(lambda: _out(_layer(x, activation="relu"), x))
    assert handed == [] and messages == [] and np.allclose(out, generic)
    assert len(_handed_to_cudnn(x)) == 1


def _true_fails_at_call():
    x = _x()
    for kwargs in ({}, {"recurrent_dropout": 0.2}):
        keras = _keras()
        layer = keras.layers.LSTM(UNITS, use_cudnn=True, **kwargs)
        inputs = keras.Input(shape=x.shape[1:])
        keras.Model(inputs, layer(inputs))  # created and connected: no error yet
        _raises(lambda: layer(x), ValueError, "use_cudnn=True was specified, but cuDNN is not supported")


def _false_never():
    assert _handed_to_cudnn(use_cudnn=False) == [] and _handed_to_cudnn(training=True, use_cudnn=False) == []


def _tool_use_cudnn_flag():
    assert tool_json("--use-cudnn", "auto")["config"]["use_cudnn"] == "auto"
    assert tool_json("--use-cudnn", "false")["config"]["use_cudnn"] is False
    _usage_error("--use-cudnn", "maybe", text="must be auto, true or false")


CHANGES = ({"activation": "relu"}, {"recurrent_activation": "hard_sigmoid"}, {"unroll": True}, {"use_bias": False})


def _cudnn_ok_conditions():
    keras = _keras()
    tf_rnn = _tf_rnn()

    def ok(**kwargs) -> bool:
        layer = keras.layers.LSTM(UNITS, **kwargs)
        return bool(
            tf_rnn.cudnn_ok(layer.cell.activation, layer.cell.recurrent_activation, layer.unroll, layer.cell.use_bias)
        )

    assert not ok()  # no GPU here
    with _gpu_visible():
        assert ok() and ok(recurrent_dropout=0.5, use_cudnn=False)  # cudnn_ok looks at these four only
        for change in CHANGES:
            assert not ok(**change), change


def _inner_loop_conditions():
    x = _x()
    with _cudnn_handoffs() as handed:
        layer = _layer(x, use_cudnn=True)
        # Keras hands the input over; our recorder declines, and use_cudnn=True then refuses the generic loop.
        _raises(lambda: layer(x), ValueError, "use_cudnn=True was specified")
    assert len(handed) == 1 and len(_handed_to_cudnn(x, use_cudnn="auto")) == 1
    assert _handed_to_cudnn(use_cudnn=False) == [] and _handed_to_cudnn(recurrent_dropout=0.2) == []


def _use_cudnn_in_signature():
    assert _signature().parameters["use_cudnn"].default == "auto"


def _tool_refuses_true():
    _usage_error("--use-cudnn", "true", text="--use-cudnn true needs a GPU")


def _quiet_switch_per_condition():
    x = _x()
    for change in CHANGES + ({"recurrent_dropout": 0.2},):
        generic = _out(_layer(x, use_cudnn=False, **change), x)
        with _cudnn_handoffs() as handed:
            out, messages = _quietly(lambda: _out(_layer(x, **change), x))
        assert handed == [] and messages == [] and np.allclose(out, generic), change


def _mask_assert_falls_back_only_eagerly():
    import tensorflow as tf

    tf_rnn = _tf_rnn()
    left_padded = tf.constant([[False, True, True], [True, True, True]])
    right_padded = tf.constant([[True, True, False], [True, True, True]])
    tf_rnn._assert_valid_mask(right_padded)
    # Eagerly the assertion raises at once, the InvalidArgumentError that `lstm` turns into a fallback.
    _raises(
        lambda: tf_rnn._assert_valid_mask(left_padded),
        tf.errors.InvalidArgumentError,
        "You are passing a RNN mask that does not correspond to right-padded sequences",
    )
    assert "except tf.errors.InvalidArgumentError:" in inspect.getsource(tf_rnn.lstm)

    @tf.function
    def traced(mask):
        try:
            tf_rnn._assert_valid_mask(mask)
        except tf.errors.InvalidArgumentError:  # what `lstm` does; in a graph nothing is raised here
            return tf.constant(0)
        return tf.constant(1)

    traced.get_concrete_function(tf.TensorSpec((2, 3), tf.bool))  # tracing passes
    _raises(
        lambda: traced(left_padded),
        tf.errors.InvalidArgumentError,
        "You are passing a RNN mask that does not correspond to right-padded sequences",
    )
    assert int(traced(right_padded)) == 1


def _supports_jit():
    keras = _keras()
    assert keras.layers.LSTM(UNITS).supports_jit  # no GPU: cudnn_ok is False
    with _gpu_visible():
        for kwargs in ({}, {"use_cudnn": True}, {"recurrent_dropout": 0.3}, {"dropout": 0.3}):
            assert keras.layers.LSTM(UNITS, **kwargs).supports_jit is False, kwargs
        for kwargs in ({"use_cudnn": False},) + CHANGES:
            assert keras.layers.LSTM(UNITS, **kwargs).supports_jit is True, kwargs


def _jit_true_switched_off():
    keras = _keras()
    with _gpu_visible():
        inputs = keras.Input(shape=(5, 3))
        model = keras.Model(inputs, keras.layers.LSTM(UNITS)(inputs))
        _, messages = _quietly(lambda: model.compile("sgd", "mse", jit_compile=True))
    assert model.jit_compile is False
    assert "Model doesn't support `jit_compile=True`. Proceeding with `jit_compile=False`." in messages, messages
    inputs = keras.Input(shape=(5, 3))
    model = keras.Model(inputs, keras.layers.LSTM(UNITS)(inputs))
    model.compile("sgd", "mse", jit_compile=True)
    assert model.jit_compile is True  # without a (reported) GPU the same model keeps XLA


# ----------------------------------------------------------------------------- implementation


def _implementation_not_in_signature():
    assert "implementation" not in _signature().parameters
    documented = re.findall(r"^\s*(\w+):", _keras().layers.LSTM.__doc__ or "", re.MULTILINE)
    assert "use_cudnn" in documented and "implementation" not in documented


def _implementation_any_value():
    x = _x()
    reference = _out(_layer(x, dropout=0.5, seed=1, use_cudnn=False), x, training=True)
    for value in (3, 0, "x"):
        layer, messages = _quietly(lambda: _layer(x, implementation=value, dropout=0.5, seed=1, use_cudnn=False))
        assert messages == [] and layer.cell.implementation == value
        assert np.allclose(_out(layer, x, training=True), reference)
    one = _layer(x, implementation=1, dropout=0.5, seed=1, use_cudnn=False)
    assert not np.allclose(_out(one, x, training=True), reference)


def _implementation_not_saved():
    keras = _keras()
    layer = _layer(implementation=1)
    config = layer.get_config()
    assert "implementation" not in config and "implementation" not in layer.cell.get_config()
    assert keras.layers.LSTM.from_config(config).cell.implementation == 2


def _implementation_forced_and_default():
    assert _layer().cell.implementation == 2
    assert _layer(recurrent_dropout=0.1, implementation=2).cell.implementation == 1


def _tool_implementation_values():
    _usage_error("--implementation", "3", text="--implementation must be 1 or 2")
    assert tool_json("--implementation", "2")["config"]["implementation"] == 2


def _implementation_one_differs_in_training():
    x = _x()
    one = _layer(x, implementation=1, dropout=0.5, seed=1, use_cudnn=False)
    two = _layer(x, implementation=2, dropout=0.5, seed=1, use_cudnn=False)
    assert np.allclose(_out(one, x), _out(two, x), atol=1e-6)
    assert not np.allclose(_out(one, x, training=True), _out(two, x, training=True))
    masks = _layer(x, implementation=1, dropout=0.5, seed=1).cell.get_dropout_mask(x[:, 0, :])
    assert isinstance(masks, list) and len(masks) == 4


def _implementation_one_crash():
    import tensorflow as tf

    x = _x()
    _raises(
        lambda: _out(_layer(x, implementation=1, dropout=0.5, seed=1), x, training=True),
        tf.errors.InvalidArgumentError,
        "Rank of input (4) must be no greater than rank of output shape (3)",
    )
    assert _out(_layer(x, implementation=1, dropout=0.5, seed=1, use_cudnn=False), x, training=True).shape == (4, UNITS)


def _tool_refuses_crash():
    _usage_error("--implementation", "1", "--dropout", "0.5", "--training", text="add --use-cudnn false")


def _implementation_passed_to_cell():
    for value in (1, 2):
        assert _layer(implementation=value).cell.implementation == value


# ----------------------------------------------------------------------------- time_major


def _time_major_rejected(values=(True, False)):
    def check():
        for value in values:
            _raises(
                lambda: _keras().layers.LSTM(UNITS, time_major=value),
                ValueError,
                f"Unrecognized keyword arguments passed to LSTM: {{'time_major': {value}}}",
            )

    return check


def _tool_time_major():
    _usage_error("--time-major", text="--time-major was removed in Keras 3")
    assert tool_json("--no-time-major")["outputs"] == tool_json()["outputs"]


def _transpose_time_major():
    keras = _keras()
    x = _x()
    time_major = np.transpose(x, (1, 0, 2))
    layer = _layer(x, return_sequences=True)
    expected = _out(layer, x)
    assert np.allclose(_out(layer, np.transpose(time_major, (1, 0, 2))), expected)
    assert np.allclose(_out(layer, np.asarray(keras.ops.transpose(time_major, (1, 0, 2)))), expected)
    assert np.transpose(expected, (1, 0, 2)).shape == (x.shape[1], x.shape[0], UNITS)


# ----------------------------------------------------------------------------- claims

LSTM_PY = "keras/src/layers/rnn/lstm.py"
RNN_TF = "keras/src/backend/tensorflow/rnn.py"


def C(argument, section, quote, item=None, check=None, source=None, snippet=None) -> Claim:
    return Claim(argument, section, quote, item, check, source, snippet)


CLAIMS: list[Claim] = [
    # dropout
    C("dropout", "values", "Keras silently clamps values outside [0, 1] (1.5 becomes 1.0)", check=_clamps("dropout")),
    C(
        "dropout",
        "values",
        "The generic loop applies dropout only when 0 < rate < 1, so there a rate of exactly 1.0 drops nothing",
        check=_rate_one_drops_nothing_generic,
    ),
    C(
        "dropout",
        "values",
        "Keras first multiplies the whole input by a mask drawn with rate 1.0, which is all zeros",
        check=_rate_one_zeroes_cudnn_input,
    ),
    C(
        "dropout",
        "values",
        "where the cuDNN kernel runs (a GPU, see use_cudnn), Keras first multiplies the whole input",
        source=LSTM_PY,
        snippet="if training and self.dropout:\n                        dp_mask = self.cell.get_dropout_mask(sequences[:, 0, :])",
    ),
    C("dropout", "values", "This tool refuses values outside [0, 1].", check=_tool_refuses_rate("--dropout")),
    C(
        "dropout",
        "pitfalls",
        "model.predict and plain calls are inference; dropout acts only in fit or when the layer is called with training=True",
        0,
        check=_dropout_only_in_training,
    ),
    C(
        "dropout",
        "pitfalls",
        "the generic loop (every CPU run, and use_cudnn=False) treats exactly 1.0 as no dropout",
        1,
        check=_rate_one_drops_nothing_generic,
    ),
    C(
        "dropout",
        "pitfalls",
        "while in training on a GPU where cuDNN is used it zeroes the whole input",
        1,
        check=_rate_one_zeroes_cudnn_input,
    ),
    C("dropout", "pitfalls", "Keras also clamps larger values to 1.0 without a warning", 1, check=_clamps("dropout")),
    C(
        "dropout",
        "pitfalls",
        "with 1 sample and 2 features the mask has only 2 entries (4 possible masks), and when both are dropped the output is exactly 0",
        2,
        check=_tiny_sample_masks,
    ),
    C("dropout", "pitfalls", "the mask stays fixed along the sequence", 3, check=_mask_fixed_along_sequence),
    C(
        "dropout",
        "pitfalls",
        "every call with dropout > 0 draws masks, inference included (a plain call or predict)",
        4,
        check=_inference_calls_draw_masks(dropout=0.5),
    ),
    C(
        "dropout",
        "keras2to3",
        "Same meaning and same clamping as in Keras 2.",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py: LSTMCell.__init__ sets self.dropout = min(1.0, max(0.0, dropout)) and DropoutRNNCellMixin applies it only when 0 < rate < 1",
    ),
    C(
        "dropout",
        "keras2to3",
        "New in Keras 3 is the seed argument, which makes the masks reproducible.",
        check=_seed_makes_masks_reproducible(dropout=0.5),
    ),
    # recurrent_dropout
    C("recurrent_dropout", "values", "Keras silently clamps values outside [0, 1]", check=_clamps("recurrent_dropout")),
    C(
        "recurrent_dropout",
        "values",
        "a rate of exactly 1.0 drops nothing on every device",
        check=_recurrent_rate_one_drops_nothing_anywhere,
    ),
    C(
        "recurrent_dropout",
        "values",
        "this tool refuses values outside [0, 1]",
        check=_tool_refuses_rate("--recurrent-dropout"),
    ),
    C(
        "recurrent_dropout",
        "values",
        "Any value above 0, 1.0 included, also makes the cell compute each gate separately, so dropout then draws four masks too",
        check=_recurrent_forces_per_gate,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "Any value above 0 rules out the cuDNN kernel on a GPU",
        0,
        check=_recurrent_rules_out_cudnn,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "training becomes many times slower",
        0,
        source="GPU needed: keras/src/layers/rnn/lstm.py LSTM.inner_loop (`if not self.recurrent_dropout:`) sends any recurrent dropout to the generic Python-stepped loop instead of the fused cuDNN kernel",
    ),
    C("recurrent_dropout", "pitfalls", "it acts only in training mode", 1, check=_recurrent_only_in_training),
    C(
        "recurrent_dropout",
        "pitfalls",
        "h_0 is zero, so there is nothing to drop at the first step",
        2,
        check=_recurrent_first_step_untouched,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "exactly 1.0 means no recurrent dropout at all",
        3,
        check=_recurrent_rate_one_drops_nothing_anywhere,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "yet it still rules out cuDNN and switches the cell to computing each gate separately",
        3,
        check=_recurrent_forces_per_gate,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "every call draws the four recurrent masks, inference included",
        4,
        check=_recurrent_inference_draws_four,
    ),
    C(
        "recurrent_dropout",
        "pitfalls",
        "earlier calls change what later training calls drop",
        4,
        check=_inference_calls_draw_masks(recurrent_dropout=0.5),
    ),
    C(
        "recurrent_dropout",
        "keras2to3",
        "No change in meaning",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py: LSTMCell multiplies h_tm1 by one recurrent mask per gate when 0 < recurrent_dropout < 1, as Keras 3 does",
    ),
    C(
        "recurrent_dropout",
        "keras2to3",
        "the seed argument that controls its masks is new in Keras 3",
        check=_seed_makes_masks_reproducible(recurrent_dropout=0.5),
    ),
    # seed
    C(
        "seed",
        "values",
        "Keras takes any integer from -2**63 to 2**63 - 1, negative ones included (seed=-1 works)",
        check=_seed_range_accepted,
    ),
    C(
        "seed",
        "values",
        "others fail with ValueError: Can't convert Python sequence with out-of-range integer to Tensor",
        check=_seed_out_of_range,
    ),
    C("seed", "values", "non-integers with ValueError: Argument `seed` must be an integer", check=_seed_not_integer),
    C("seed", "values", "This tool's --seed takes 0 to 2**63 - 1 (leave it out for None)", check=_tool_seed_range),
    C(
        "seed",
        "values",
        "With None the layer draws its starting seed from Python's random module when it is created, which keras.utils.set_random_seed also fixes",
        check=_unseeded_start_comes_from_python_random,
    ),
    C(
        "seed",
        "values",
        "--random-seed calls keras.utils.set_random_seed and so fixes the weights, while --seed is the LSTM's own argument: changing it changes the masks and leaves the weights alone",
        check=_tool_seeds_split,
    ),
    C(
        "seed",
        "pitfalls",
        "Expecting it to make the initial weights reproducible: use keras.utils.set_random_seed or seeded initializers such as GlorotUniform(seed=1)",
        0,
        check=_seed_leaves_weights,
    ),
    C(
        "seed",
        "pitfalls",
        "a second call of the same layer with training=True draws a different one",
        1,
        check=_second_training_call_differs,
    ),
    C(
        "seed",
        "pitfalls",
        "any call in between, inference included, moves the sequence on",
        1,
        check=_inference_calls_draw_masks(dropout=0.5),
    ),
    C(
        "seed",
        "pitfalls",
        "Setting it without dropout, recurrent_dropout and training mode: nothing changes.",
        2,
        check=_seed_alone_changes_nothing,
    ),
    C(
        "seed",
        "pitfalls",
        "so seed=1 and seed=2147483647 give the same masks, as do -1 and 2147483645",
        3,
        check=_seeds_congruent,
    ),
    C(
        "seed",
        "pitfalls",
        "Keras reduces the seed modulo 2147483646 (2**31 - 2) before drawing",
        3,
        source="keras/src/backend/tensorflow/random.py",
        snippet='seed = tf.cast(tf.math.floormod(seed, tf.int32.max - 1), dtype="int32")',
    ),
    C("seed", "keras2to3", "New in Keras 3.", check=_seed_makes_masks_reproducible(dropout=0.5)),
    C(
        "seed",
        "keras2to3",
        "Keras 2's LSTM had no seed argument and drew its dropout masks from the global TensorFlow random state",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py: LSTM.__init__ has no seed parameter; DropoutRNNCellMixin draws masks with backend.dropout without a seed",
    ),
    # unroll
    C(
        "unroll",
        "values",
        "Boolean, default False. On the command line: --unroll or --no-unroll.",
        check=_unroll_default_and_flags,
    ),
    C(
        "unroll",
        "values",
        "It needs the number of timesteps to be known when the layer is traced.",
        check=_unroll_needs_time_when_traced,
    ),
    C("unroll", "pitfalls", "the graph grows with every timestep", 0, check=_unroll_graph_grows),
    C("unroll", "pitfalls", "unroll=True rules out the cuDNN kernel on a GPU", 1, check=_unroll_rules_out_cudnn),
    C(
        "unroll",
        "pitfalls",
        "which is usually faster than any unrolled loop",
        1,
        source="GPU needed: keras/src/backend/tensorflow/rnn.py _do_lstm_arguments_support_cudnn requires `not unroll`; the cuDNN kernel runs the whole sequence in one fused call",
    ),
    C(
        "unroll",
        "pitfalls",
        "keras.Input(shape=(None, features)) builds the model without complaint, and eager calls and the first predict (traced with the data's own length) work",
        2,
        check=_open_time_builds_and_first_length_works,
    ),
    C(
        "unroll",
        "pitfalls",
        "when predict or fit meets a second sequence length, Keras retraces with the time axis None and fails with ValueError: 'Cannot unroll a RNN if the time dimension is undefined'",
        2,
        check=_open_time_second_length_fails,
    ),
    C(
        "unroll",
        "keras2to3",
        "No change.",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/base_rnn.py: RNN(unroll=False) with the same meaning and the same 'Cannot unroll a RNN if the time dimension is undefined' error",
    ),
    # use_cudnn
    C(
        "use_cudnn",
        "values",
        "'auto' (default): use cuDNN when every condition below holds, otherwise run the generic loop without a message.",
        check=_auto_falls_back_quietly,
    ),
    C("use_cudnn", "values", "True: use it, or fail when the layer is called.", check=_true_fails_at_call),
    C("use_cudnn", "values", "False: never use it.", check=_false_never),
    C("use_cudnn", "values", "On the command line: --use-cudnn auto, true or false.", check=_tool_use_cudnn_flag),
    C(
        "use_cudnn",
        "values",
        "cudnn_ok in keras/src/backend/tensorflow/rnn.py wants activation tanh, recurrent_activation sigmoid, unroll False, use_bias True and a GPU visible to TensorFlow",
        check=_cudnn_ok_conditions,
    ),
    C(
        "use_cudnn",
        "values",
        "LSTM.inner_loop adds use_cudnn auto or True and recurrent_dropout 0",
        check=_inner_loop_conditions,
    ),
    C(
        "use_cudnn",
        "values",
        "With a mask, cuDNN also needs it right-padded.",
        source=RNN_TF,
        snippet="    if mask is not None:\n        _assert_valid_mask(mask)",
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "the error comes only when the layer is called on data, not when it is created or connected to a keras.Input",
        0,
        check=_true_fails_at_call,
    ),
    C("use_cudnn", "pitfalls", "This tool refuses such a request up front.", 0, check=_tool_refuses_true),
    C(
        "use_cudnn",
        "pitfalls",
        "Changing activation, recurrent_activation or use_bias, or adding recurrent_dropout or unroll, under 'auto': the layer quietly switches",
        1,
        check=_quiet_switch_per_condition,
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "the much slower generic loop",
        1,
        source="GPU needed: keras/src/layers/rnn/lstm.py LSTM.inner_loop falls back to RNN.inner_loop, which steps LSTMCell.call once per timestep instead of one fused cuDNN call",
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "Expecting bit-identical numbers from a GPU run with cuDNN and a CPU run.",
        2,
        source="GPU needed: keras/src/backend/tensorflow/rnn.py _cudnn_lstm runs tf CudnnRNNV3 with its own reduction order; results agree with the CPU loop only to float rounding",
    ),
    C("use_cudnn", "pitfalls", "only an eager call falls back", 3, check=_mask_assert_falls_back_only_eagerly),
    C(
        "use_cudnn",
        "pitfalls",
        "in fit, predict or any tf.function the assertion fails at run time",
        3,
        source="GPU needed: keras/src/backend/tensorflow/rnn.py _cudnn_lstm calls _assert_valid_mask (tf.Assert) first; lstm() catches tf.errors.InvalidArgumentError only when raised while it runs, i.e. eagerly; in a traced graph the Assert op fails when the graph runs, outside that try",
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "Keras checks the mask with tf.Assert inside _cudnn_lstm",
        3,
        source=RNN_TF,
        snippet="    tf.Assert(\n        valid,",
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "sets supports_jit = False in its constructor (even if recurrent_dropout > 0 keeps cuDNN out later)",
        4,
        check=_supports_jit,
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "an LSTM created with use_cudnn auto or True while cudnn_ok holds sets supports_jit = False",
        4,
        source=LSTM_PY,
        snippet='            and use_cudnn in (True, "auto")\n        ):\n            self.supports_jit = False',
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "so compile's default jit_compile='auto' leaves XLA off for the whole model",
        4,
        source="keras/src/trainers/trainer.py",
        snippet="if all(x.supports_jit for x in model._flatten_layers()):",
    ),
    C(
        "use_cudnn",
        "pitfalls",
        "jit_compile=True is switched off with the warning 'Model doesn't support `jit_compile=True`. Proceeding with `jit_compile=False`.'",
        4,
        check=_jit_true_switched_off,
    ),
    C("use_cudnn", "keras2to3", "New in Keras 3.", check=_use_cudnn_in_signature),
    C(
        "use_cudnn",
        "keras2to3",
        "Keras 2 chose cuDNN on its own, like 'auto', with no way to force or forbid it per layer.",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py: LSTM.__init__ has no use_cudnn; _could_use_gpu_kernel and the GPU check in call() pick the cuDNN kernel",
    ),
    # implementation
    C("implementation", "values", "Keras's hidden default is 2", check=_implementation_forced_and_default),
    C("implementation", "values", "It is not in Keras 3's signature", check=_implementation_not_in_signature),
    C(
        "implementation",
        "values",
        "Keras takes any value without a check or a warning (the cell only tests implementation == 1, so 3, 0 or 'x' run as 2)",
        check=_implementation_any_value,
    ),
    C(
        "implementation",
        "values",
        "it is left out of get_config(), so it is lost when a model is saved",
        check=_implementation_not_saved,
    ),
    C(
        "implementation",
        "values",
        "Keras switches to 1 by itself whenever recurrent_dropout > 0.",
        check=_implementation_forced_and_default,
    ),
    C("implementation", "values", "This tool accepts only 1 or 2.", check=_tool_implementation_values),
    C(
        "implementation",
        "pitfalls",
        "with dropout in training mode, 1 gives different numbers than 2 (four masks instead of one)",
        0,
        check=_implementation_one_differs_in_training,
    ),
    C(
        "implementation",
        "pitfalls",
        "crashes in Keras 3.15 with 'Rank of input (4) must be no greater than rank of output shape (3)'. Drop the argument, or pass use_cudnn=False",
        1,
        check=_implementation_one_crash,
    ),
    C("implementation", "pitfalls", "this tool refuses the combination with that advice", 1, check=_tool_refuses_crash),
    C(
        "implementation",
        "pitfalls",
        "get_config() omits it, so a reloaded layer uses 2",
        2,
        check=_implementation_not_saved,
    ),
    C(
        "implementation",
        "pitfalls",
        "Keras neither checks nor warns, and anything but 1 silently runs as 2",
        3,
        check=_implementation_any_value,
    ),
    C(
        "implementation",
        "keras2to3",
        "Keras 2 documented it as a performance choice (many small operations or fewer large ones) with the same results apart from dropout masks.",
        source="Keras 2 (tf-keras 2.15) keras/src/layers/rnn/lstm.py LSTM docstring: 'implementation: Implementation mode, either 1 or 2. Mode 1 will structure its operations as a larger number of smaller dot products and additions, whereas mode 2 will batch them into fewer, larger operations.'",
    ),
    C(
        "implementation",
        "keras2to3",
        "Keras 3 removed it from the signature and documentation",
        check=_implementation_not_in_signature,
    ),
    C(
        "implementation",
        "keras2to3",
        "still accepts it silently and passes it to the cell",
        check=_implementation_passed_to_cell,
    ),
    # time_major
    C(
        "time_major",
        "values",
        "Keras 3 raises ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}, and the same for False.",
        check=_time_major_rejected(),
    ),
    C(
        "time_major",
        "values",
        "This tool refuses --time-major and accepts --no-time-major as a no-op.",
        check=_tool_time_major,
    ),
    C(
        "time_major",
        "pitfalls",
        "even False is rejected, so delete the argument",
        0,
        check=_time_major_rejected((False,)),
    ),
    C(
        "time_major",
        "pitfalls",
        "transpose it first, np.transpose(x, (1, 0, 2)) or keras.ops.transpose(x, (1, 0, 2)), and transpose sequence outputs back",
        1,
        check=_transpose_time_major,
    ),
    C(
        "time_major",
        "pitfalls",
        "torch.nn.LSTM is time-major by default.",
        2,
        source="PyTorch docs: torch.nn.LSTM batch_first defaults to False, so input is (L, N, H_in)",
    ),
    C(
        "time_major",
        "keras2to3",
        "Removed in Keras 3; passing it, True or False, raises ValueError.",
        check=_time_major_rejected(),
    ),
]


# ----------------------------------------------------------------------------- Try it


def _doc_weights(doc: dict) -> list[np.ndarray]:
    return [np.array(w["values"], dtype="float32") for w in doc["weights"]]


def _keras_direct(doc: dict, training: bool, **kwargs) -> np.ndarray:
    """The first call of a fresh Keras LSTM with the tool's weights and input."""
    keras = _keras()
    x = np.array(doc["input"]["values"], dtype="float32")
    layer = keras.layers.LSTM(doc["config"]["units"], **kwargs)
    layer.build(x.shape)
    layer.set_weights(_doc_weights(doc))
    return np.asarray(layer(x, training=training))


def _output(doc: dict) -> np.ndarray:
    return np.array(doc["outputs"][0]["values"])


def _try_dropout():
    doc = try_json("dropout")
    assert doc["training"] is True and doc["config"]["dropout"] == 0.5 and doc["config"]["seed"] == 1
    plain = _keras_direct(doc, training=False)
    assert np.allclose(_output(doc), _keras_direct(doc, True, dropout=0.5, seed=1), atol=1e-6)
    assert not np.allclose(_output(doc), plain, atol=1e-3)
    assert np.allclose(doc["effects"]["dropout"]["inference"], plain, atol=1e-6)
    assert np.allclose(_output(tool_json("--batch", "4")), plain, atol=1e-6)


def _try_recurrent_dropout():
    doc = try_json("recurrent_dropout")
    trained = _output(doc)
    plain = _keras_direct(doc, False, return_sequences=True)
    assert np.allclose(
        trained, _keras_direct(doc, True, recurrent_dropout=0.5, seed=1, return_sequences=True), atol=1e-6
    )
    assert np.allclose(trained[:, 0], plain[:, 0], atol=1e-6)  # h_0 = 0: nothing dropped at step 1
    assert not np.allclose(trained[:, 1:], plain[:, 1:], atol=1e-3)


def _try_seed():
    doc = try_json("seed")
    words = ["--dropout", "0.5", "--training", "--batch", "4"]
    other = tool_json(*words, "--seed", "1")
    assert doc["config"]["seed"] == 7
    assert all(np.array_equal(a, b) for a, b in zip(_doc_weights(doc), _doc_weights(other)))
    assert not np.allclose(_output(doc), _output(other))
    assert np.allclose(_output(doc), _keras_direct(doc, True, dropout=0.5, seed=7), atol=1e-6)


def _try_unroll():
    doc = try_json("unroll")
    assert doc["config"]["unroll"] is True and doc["param_count"] == 72
    looped = tool_json("--return-sequences")
    assert np.allclose(_output(doc), _output(looped), atol=1e-6)
    assert doc["effects"]["unroll"]["max_abs_diff"] <= 1e-6
    assert doc["effects"]["cudnn"]["eligible"] is False and looped["effects"]["cudnn"]["eligible"] is True


def _try_use_cudnn():
    doc = try_json("use_cudnn")
    default = tool_json()
    assert doc["config"]["use_cudnn"] is False and default["config"]["use_cudnn"] == "auto"
    assert default["effects"]["cudnn"]["eligible"] is True
    assert doc["effects"]["cudnn"]["eligible"] is False
    assert any("use_cudnn" in c for c in doc["effects"]["cudnn"]["failed_conditions"])
    assert np.allclose(_output(doc), _output(default), atol=1e-6)  # the generic loop, same numbers


def _try_implementation():
    doc = try_json("implementation")
    assert doc["config"]["implementation"] == 1
    two = tool_json("--dropout", "0.5", "--seed", "1", "--training", "--batch", "4", "--use-cudnn", "false")
    assert not np.allclose(_output(doc), _output(two), atol=1e-3)
    assert np.allclose(
        _output(doc), _keras_direct(doc, True, implementation=1, dropout=0.5, seed=1, use_cudnn=False), atol=1e-6
    )
    assert len(doc["dropout_masks"]) == 4 and len(two["dropout_masks"]) == 1


def _try_time_major():
    doc = try_json("time_major")
    assert doc["config"]["time_major"] is False
    assert doc["outputs"] == tool_json()["outputs"]
    assert any("--no-time-major" in note for note in doc["notes"])
    _usage_error("--time-major", text="removed in Keras 3")


TRY = {
    "dropout": _try_dropout,
    "recurrent_dropout": _try_recurrent_dropout,
    "seed": _try_seed,
    "unroll": _try_unroll,
    "use_cudnn": _try_use_cudnn,
    "implementation": _try_implementation,
    "time_major": _try_time_major,
}
