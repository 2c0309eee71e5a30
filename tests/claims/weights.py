"""Claims of the weight pages: the initializers, regularizers and constraints of K, R and b.

Every check builds its own small layer (units 3, the tutorial's 2 features) with Keras directly and
compares it with an independent NumPy computation; the tool is run only where the page speaks of the
tool (its refusals, its --random-seed) and in the Try-it checks, which recompute what the tool shows.
"""

from __future__ import annotations

import numpy as np

import claims
from claims import Claim
from claims import keras_module as _keras

UNITS = 3
KERAS2_REGULARIZERS = "Keras 2 (tf-keras, keras-team/tf-keras tf_keras/regularizers.py)"
KERAS2_INITIALIZERS = "Keras 2 (tf-keras, keras-team/tf-keras tf_keras/initializers/initializers.py and __init__.py)"
KERAS2_LSTM = "Keras 2 (tf-keras, keras-team/tf-keras tf_keras/layers/rnn/lstm.py)"
KERAS2_CONSTRAINTS = "Keras 2 (tf-keras, keras-team/tf-keras tf_keras/constraints.py)"


# ---------------------------------------------------------------------------------------------- helpers


def _x(batch: int = 1, timesteps: int = 10) -> np.ndarray:
    """The tutorial's input shape, scaled to [0, 1) so no gate saturates."""
    x = np.arange(batch * timesteps * 2, dtype=np.float32).reshape(batch, timesteps, 2)
    return x / x.size


def _layer(x: np.ndarray | None = None, **kwargs):
    """An LSTM(3) built and called once on x; returns the layer and its outputs as NumPy arrays."""
    keras = _keras()
    x = _x() if x is None else x
    layer = keras.layers.LSTM(UNITS, **kwargs)
    returned = layer(x)
    returned = list(returned) if isinstance(returned, (list, tuple)) else [returned]
    return layer, [np.asarray(r) for r in returned]


def _weights(layer) -> dict[str, np.ndarray]:
    return {w.name: np.asarray(w.numpy()) for w in layer.weights}


def _losses(layer) -> list[float]:
    return [float(np.asarray(loss)) for loss in layer.losses]


def _sgd_step(layer, x: np.ndarray, learning_rate: float = 0.1) -> None:
    """One SGD step towards a zero output (mean squared error), with the layer's own losses added."""
    import tensorflow as tf

    keras = _keras()
    with tf.GradientTape() as tape:
        returned = layer(x)
        returned = list(returned) if isinstance(returned, (list, tuple)) else [returned]
        loss = sum(tf.reduce_mean(tf.square(r)) for r in returned)
    grads = tape.gradient(loss, layer.trainable_weights)
    keras.optimizers.SGD(learning_rate=learning_rate).apply_gradients(zip(grads, layer.trainable_weights))


def _norms(w: np.ndarray) -> np.ndarray:
    return np.sqrt(np.sum(np.square(w.astype(np.float64)), axis=0))


def _max_norm(w: np.ndarray, cap: float) -> np.ndarray:
    """Keras's MaxNorm by hand: each column scaled by min(norm, cap) / (1e-7 + norm)."""
    norms = _norms(w)
    return w * (np.clip(norms, 0, cap) / (1e-7 + norms))


def _unit_norm(w: np.ndarray) -> np.ndarray:
    return w / (1e-7 + _norms(w))


def _refused(flag: str, value: str, needle: str) -> None:
    result = claims.tool(flag, value)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert needle in result.output, result.output


def _accepted(*args: str) -> dict:
    return claims.tool_json(*args)


def _array(doc: dict, name: str, key: str = "weights") -> np.ndarray:
    return np.array(next(item["values"] for item in doc[key] if item["name"] == name), dtype=np.float32)


def _first_output(doc: dict) -> np.ndarray:
    return np.array(doc["outputs"][0]["values"], dtype=np.float32)


# --------------------------------------------------------------------------------- kernel_initializer


def kernel_default_glorot_bound() -> None:
    import inspect

    keras = _keras()
    assert inspect.signature(keras.layers.LSTM).parameters["kernel_initializer"].default == "glorot_uniform"
    limit = np.sqrt(6 / (2 + 12))
    assert abs(limit - 0.65) < 0.01
    keras.utils.set_random_seed(3)
    kernel = _weights(_layer()[0])["kernel"]
    assert kernel.shape == (2, 12)
    assert np.all(np.abs(kernel) <= limit) and np.max(np.abs(kernel)) > 0.5 * limit
    # The same numbers as GlorotUniform with that fan, and not those of a wider limit.
    direct = np.asarray(keras.initializers.GlorotUniform(seed=5)((2, 12)))
    uniform = np.asarray(keras.initializers.RandomUniform(-limit, limit, seed=5)((2, 12)))
    assert np.allclose(direct, uniform, atol=1e-6)


def either_spelling() -> None:
    keras = _keras()
    assert type(keras.initializers.get("he_normal")) is type(keras.initializers.get("HeNormal"))
    _accepted("--kernel-initializer", "HeNormal")
    _accepted("--kernel-initializer", "he_normal")


def calls_with_literals() -> None:
    keras = _keras()
    doc = _accepted("--kernel-initializer", "random_normal(stddev=0.05, seed=1)")
    expected = np.asarray(keras.initializers.RandomNormal(stddev=0.05, seed=1)((2, 12)))
    assert np.allclose(_array(doc, "kernel"), expected, atol=1e-7)
    doc = _accepted("--kernel-initializer", "constant(0.5)")
    assert np.all(_array(doc, "kernel") == 0.5)


def python_object() -> None:
    keras = _keras()
    init = keras.initializers.RandomNormal(stddev=0.05, seed=1)
    kernel = _weights(_layer(kernel_initializer=init)[0])["kernel"]
    assert np.array_equal(kernel, np.asarray(keras.initializers.RandomNormal(stddev=0.05, seed=1)((2, 12))))


def constant_string_fails() -> None:
    keras = _keras()
    for name in ("constant", "Constant"):
        try:
            keras.initializers.get(name)
        except KeyError as error:
            assert error.args == ("value",), error.args
        else:
            raise AssertionError(f"initializers.get({name!r}) worked")
        try:
            keras.layers.LSTM(UNITS, kernel_initializer=name)
        except KeyError as error:
            assert error.args == ("value",)
        else:
            raise AssertionError(f"LSTM(kernel_initializer={name!r}) worked")


def constant_object_fills_zeros() -> None:
    keras = _keras()
    assert np.all(np.asarray(keras.initializers.Constant()((2, 12))) == 0.0)


def tool_refuses_bare_constant() -> None:
    for flag in ("--kernel-initializer", "--recurrent-initializer", "--bias-initializer"):
        for name in ("constant", "Constant"):
            _refused(flag, name, "constant(")
    assert np.all(_array(_accepted("--kernel-initializer", "constant(0.5)"), "kernel") == 0.5)


def lstm_seed_does_not_fix_weights() -> None:
    first = _weights(_layer(seed=1)[0])
    second = _weights(_layer(seed=1)[0])
    assert not np.array_equal(first["kernel"], second["kernel"])
    assert not np.array_equal(first["recurrent_kernel"], second["recurrent_kernel"])


def lstm_seed_seeds_dropout() -> None:
    keras = _keras()
    x = _x(batch=4)
    outputs = []
    for _ in range(2):
        layer = keras.layers.LSTM(
            UNITS,
            dropout=0.5,
            seed=7,
            kernel_initializer=keras.initializers.RandomNormal(seed=1),
            recurrent_initializer=keras.initializers.Orthogonal(seed=2),
        )
        outputs.append(np.asarray(layer(x, training=True)))
    assert np.array_equal(outputs[0], outputs[1])
    inference = np.asarray(layer(x, training=False))
    assert not np.allclose(outputs[0], inference)


def seeded_initializer_or_global_seed_fix_weights() -> None:
    keras = _keras()
    seeded = [
        _weights(_layer(kernel_initializer=keras.initializers.GlorotUniform(seed=4))[0])["kernel"] for _ in range(2)
    ]
    assert np.array_equal(*seeded)
    fixed = []
    for _ in range(2):
        keras.utils.set_random_seed(11)
        fixed.append(_weights(_layer()[0])["kernel"])
    assert np.array_equal(*fixed)


def tool_random_seed_fixes_weights() -> None:
    a, b = (_array(_accepted("--random-seed", "3"), "kernel") for _ in range(2))
    c = _array(_accepted("--random-seed", "4"), "kernel")
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def zero_kernels_give_zero_output() -> None:
    x = np.random.default_rng(0).normal(size=(2, 10, 2)).astype(np.float32)
    layer, (out,) = _layer(x, kernel_initializer="zeros", recurrent_initializer="zeros", return_sequences=True)
    assert np.all(out == 0.0)
    # c̃ = tanh(0 + b_c̃) = 0 with the default zero bias; with a non-zero b_c̃ it would not be.
    _, (moved,) = _layer(x, kernel_initializer="zeros", recurrent_initializer="zeros", bias_initializer="ones")
    assert np.all(moved != 0.0)
    assert np.array_equal(_weights(layer)["bias"][2 * UNITS : 3 * UNITS], np.zeros(UNITS))


def shared_instance_repeats_k_in_r() -> None:
    keras = _keras()
    keras.utils.set_random_seed(0)
    for cls in (keras.initializers.RandomNormal, keras.initializers.RandomUniform, keras.initializers.TruncatedNormal):
        init = cls()
        w = _weights(_layer(kernel_initializer=init, recurrent_initializer=init)[0])
        kernel, recurrent = w["kernel"], w["recurrent_kernel"]
        assert kernel.shape == (2, 12) and recurrent.shape == (3, 12)
        assert np.array_equal(recurrent[:2], kernel), cls.__name__
        assert not np.allclose(recurrent[2], kernel[0]) and not np.allclose(recurrent[2], kernel[1])
    init = keras.initializers.GlorotUniform()
    w = _weights(_layer(kernel_initializer=init, recurrent_initializer=init)[0])
    assert np.allclose(w["recurrent_kernel"][:2], w["kernel"] * np.sqrt(14 / 15), rtol=1e-5)


def names_make_their_own_objects() -> None:
    keras = _keras()
    keras.utils.set_random_seed(0)
    w = _weights(_layer(kernel_initializer="random_normal", recurrent_initializer="random_normal")[0])
    assert not np.allclose(w["recurrent_kernel"][:2], w["kernel"])
    w = _weights(
        _layer(
            kernel_initializer=keras.initializers.RandomNormal(),
            recurrent_initializer=keras.initializers.RandomNormal(),
        )[0]
    )
    assert not np.allclose(w["recurrent_kernel"][:2], w["kernel"])


def usual_names_still_work() -> None:
    keras = _keras()
    for name in ("glorot_uniform", "GlorotUniform", "normal", "uniform", "one", "zero", "he_normal", "orthogonal"):
        keras.initializers.get(name)
    assert type(keras.initializers.get("normal")).__name__ == "RandomNormal"
    assert type(keras.initializers.get("one")).__name__ == "Ones"


# ------------------------------------------------------------------------------ recurrent_initializer


def orthogonal_default() -> None:
    import inspect

    keras = _keras()
    assert inspect.signature(keras.layers.LSTM).parameters["recurrent_initializer"].default == "orthogonal"
    keras.utils.set_random_seed(1)
    recurrent = _weights(_layer()[0])["recurrent_kernel"].astype(np.float64)
    assert recurrent.shape == (3, 12)
    assert np.allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)


def any_recurrent_initializer_works() -> None:
    for spec in ("orthogonal(gain=0.5)", "glorot_uniform", "random_normal(stddev=0.05, seed=1)"):
        _accepted("--recurrent-initializer", spec)
    recurrent = _array(_accepted("--recurrent-initializer", "orthogonal(gain=0.5)"), "recurrent_kernel").astype(
        np.float64
    )
    assert np.allclose(recurrent @ recurrent.T, 0.25 * np.eye(3), atol=1e-5)


def r_irrelevant_on_one_step() -> None:
    keras = _keras()
    x = _x(timesteps=1)
    kernel = keras.initializers.RandomNormal(seed=1)
    _, (a,) = _layer(x, kernel_initializer=kernel, recurrent_initializer=keras.initializers.Orthogonal(seed=1))
    _, (b,) = _layer(
        x, kernel_initializer=kernel, recurrent_initializer=keras.initializers.RandomNormal(stddev=3.0, seed=2)
    )
    assert np.array_equal(a, b)
    # The same two layers differ once there is a second step.
    x2 = _x(timesteps=2)
    _, (c,) = _layer(x2, kernel_initializer=kernel, recurrent_initializer=keras.initializers.Orthogonal(seed=1))
    _, (d,) = _layer(
        x2, kernel_initializer=kernel, recurrent_initializer=keras.initializers.RandomNormal(stddev=3.0, seed=2)
    )
    assert not np.allclose(c, d)


def glorot_r_is_not_orthogonal() -> None:
    keras = _keras()
    recurrent = _weights(_layer(recurrent_initializer=keras.initializers.GlorotUniform(seed=3))[0])["recurrent_kernel"]
    r = recurrent.astype(np.float64)
    assert np.linalg.norm(r @ r.T - np.eye(3)) > 0.1


def lstm_seed_does_not_fix_r() -> None:
    first, second = (_weights(_layer(seed=1)[0])["recurrent_kernel"] for _ in range(2))
    assert not np.array_equal(first, second)


def orthogonal_initializer_name() -> None:
    keras = _keras()
    assert type(keras.initializers.get("OrthogonalInitializer")) is type(keras.initializers.get("orthogonal"))


# ----------------------------------------------------------------------------------- bias_initializer


def bias_default_zeros() -> None:
    import inspect

    keras = _keras()
    assert inspect.signature(keras.layers.LSTM).parameters["bias_initializer"].default == "zeros"
    bias = _weights(_layer()[0])["bias"]
    assert np.array_equal(bias, np.r_[np.zeros(3), np.ones(3), np.zeros(6)])


def bias_any_initializer() -> None:
    for spec in ("ones", "constant(0.5)", "random_normal(stddev=0.01)"):
        _accepted("--bias-initializer", spec)


def constant_half_blocks() -> None:
    bias = _weights(_layer(bias_initializer=_keras().initializers.Constant(0.5))[0])["bias"]
    assert np.array_equal(bias, np.r_[np.full(3, 0.5), np.ones(3), np.full(6, 0.5)])


def forget_block_overwritten() -> None:
    keras = _keras()
    bias = _weights(_layer(bias_initializer=keras.initializers.Constant(2.0))[0])["bias"]
    assert np.array_equal(bias[UNITS : 2 * UNITS], np.ones(UNITS))
    off = _weights(_layer(bias_initializer=keras.initializers.Constant(2.0), unit_forget_bias=False)[0])["bias"]
    assert np.array_equal(off, np.full(12, 2.0))


def no_bias_nothing_to_fill() -> None:
    keras = _keras()
    layer, (a,) = _layer(
        use_bias=False,
        kernel_initializer=keras.initializers.RandomNormal(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=1),
        bias_initializer="ones",
    )
    assert set(_weights(layer)) == {"kernel", "recurrent_kernel"}
    _, (b,) = _layer(
        use_bias=False,
        kernel_initializer=keras.initializers.RandomNormal(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=1),
    )
    assert np.array_equal(a, b)


def random_bias_repeats_i_in_c() -> None:
    keras = _keras()
    u = UNITS
    cases = [
        keras.initializers.RandomNormal(seed=1),
        keras.initializers.RandomUniform(seed=2),
        keras.initializers.TruncatedNormal(seed=3),
        "random_normal",
        "random_uniform",
        "truncated_normal",
    ]
    for init in cases:
        bias = _weights(_layer(bias_initializer=init)[0])["bias"]
        assert np.array_equal(bias[:u], bias[2 * u : 3 * u]), init
        assert not np.allclose(bias[:u], bias[3 * u :]), init
        assert np.array_equal(bias[u : 2 * u], np.ones(u))
    # Unseeded under keras.utils.set_random_seed: the same, and reproducible.
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        runs.append(_weights(_layer(bias_initializer="random_normal")[0])["bias"])
    assert np.array_equal(runs[0], runs[1]) and np.array_equal(runs[0][:u], runs[0][2 * u : 3 * u])


def glorot_bias_scaled() -> None:
    bias = _weights(_layer(bias_initializer=_keras().initializers.GlorotUniform(seed=1))[0])["bias"]
    assert np.allclose(bias[:UNITS], np.sqrt(2) * bias[2 * UNITS : 3 * UNITS], rtol=1e-5)


def no_repeat_without_unit_forget_bias() -> None:
    bias = _weights(_layer(bias_initializer=_keras().initializers.RandomNormal(seed=1), unit_forget_bias=False)[0])[
        "bias"
    ]
    blocks = bias.reshape(4, UNITS)
    assert all(not np.allclose(blocks[a], blocks[b]) for a in range(4) for b in range(a + 1, 4))


# -------------------------------------------------------------------------------------- regularizers


def regularizer_default_none() -> None:
    import inspect

    keras = _keras()
    params = inspect.signature(keras.layers.LSTM).parameters
    for name in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer"):
        assert params[name].default is None
    assert _layer()[0].losses == []


def bare_l2_is_001() -> None:
    keras = _keras()
    assert np.isclose(keras.regularizers.get("l2").get_config()["l2"], 0.01)
    for name in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer"):
        layer = _layer(**{name: "l2"})[0]
        weight = _weights(layer)[
            {"kernel_regularizer": "kernel", "recurrent_regularizer": "recurrent_kernel", "bias_regularizer": "bias"}[
                name
            ]
        ]
        assert np.isclose(_losses(layer)[0], 0.01 * np.sum(np.square(weight)), rtol=1e-5)


def kernel_penalties() -> None:
    keras = _keras()
    for reg, expected in (
        (keras.regularizers.l2(0.001), lambda k: 0.001 * np.sum(k**2)),
        (keras.regularizers.l1(0.001), lambda k: 0.001 * np.sum(np.abs(k))),
        (keras.regularizers.l1_l2(l1=0.01, l2=0.01), lambda k: 0.01 * np.sum(np.abs(k)) + 0.01 * np.sum(k**2)),
    ):
        layer = _layer(kernel_regularizer=reg)[0]
        kernel = _weights(layer)["kernel"].astype(np.float64)
        assert len(layer.losses) == 1 and np.isclose(_losses(layer)[0], expected(kernel), rtol=1e-5)


def output_unchanged_by(name: str, spec: str):
    def check() -> None:
        keras = _keras()
        x = _x(batch=2)
        same = {
            "kernel_initializer": keras.initializers.RandomNormal(seed=1),
            "recurrent_initializer": keras.initializers.Orthogonal(seed=1),
            "bias_initializer": keras.initializers.RandomNormal(seed=2),
            "return_sequences": True,
        }
        plain_layer, (plain,) = _layer(x, **same)
        with_layer, (penalised,) = _layer(x, **same, **{name: keras.regularizers.get(spec)})
        assert with_layer.losses and not plain_layer.losses
        assert np.array_equal(plain, penalised)
        # The tool prints the same numbers with and without it.
        flag = "--" + name.replace("_", "-")
        assert np.array_equal(_first_output(_accepted(flag, spec)), _first_output(_accepted()))

    return check


def l1_l2_strings() -> None:
    keras = _keras()
    try:
        keras.regularizers.get("l1_l2")
    except ValueError as error:
        assert "Could not interpret regularizer identifier" in str(error)
    else:
        raise AssertionError("'l1_l2' was accepted")
    for name in ("l1l2", "L1L2"):
        config = keras.regularizers.get(name).get_config()
        assert config == {"l1": 0.0, "l2": 0.0}, (name, config)
    assert keras.regularizers.l1_l2(l1=0.01, l2=0.01).get_config() == {"l1": 0.01, "l2": 0.01}


def l1_l2_no_arguments_is_zero() -> None:
    keras = _keras()
    reg = keras.regularizers.l1_l2()
    assert reg.get_config() == {"l1": 0.0, "l2": 0.0}
    layer = _layer(kernel_regularizer=reg)[0]
    assert _losses(layer) == [0.0]


def tool_refuses_bare_l1_l2() -> None:
    for flag in ("--kernel-regularizer", "--recurrent-regularizer", "--bias-regularizer", "--activity-regularizer"):
        for name in ("l1_l2", "L1L2", "l1l2"):
            _refused(flag, name, "l1_l2(l1=")
    _accepted("--kernel-regularizer", "l1_l2(l1=0.01, l2=0.01)")


def l2_gradient_is_2_lambda_w() -> None:
    import tensorflow as tf

    keras = _keras()
    layer = _layer(kernel_regularizer=keras.regularizers.l2(0.1))[0]
    with tf.GradientTape() as tape:
        penalty = layer.kernel_regularizer(layer.cell.kernel)
    grad = np.asarray(tape.gradient(penalty, layer.cell.kernel))
    kernel = _weights(layer)["kernel"]
    assert np.allclose(grad, 2 * 0.1 * kernel, atol=1e-6)
    assert np.isclose(float(penalty), 0.1 * np.sum(kernel.astype(np.float64) ** 2), rtol=1e-5)


def recurrent_calls_accepted() -> None:
    keras = _keras()
    for spec in ("l2", "l2(0.001)", "l1(0.0001)", "l1_l2(l1=0.01, l2=0.01)", "orthogonal_regularizer(factor=0.01)"):
        doc = _accepted("--recurrent-regularizer", spec)
        assert doc["effects"]["recurrent_regularizer"]["losses"]["recurrent_regularizer"] >= 0
    assert type(keras.regularizers.get("orthogonal_regularizer")) is keras.regularizers.OrthogonalRegularizer
    layer = _layer(recurrent_regularizer=keras.regularizers.OrthogonalRegularizer(factor=0.01))[0]
    assert len(layer.losses) == 1


def large_r_penalty_shrinks_r() -> None:
    """Training on the penalty alone shrinks R away from orthogonality until h_{t-1} barely counts."""
    import tensorflow as tf

    keras = _keras()
    x = _x(batch=2)
    layer = _layer(
        x,
        recurrent_regularizer=keras.regularizers.l2(1.0),
        kernel_initializer=keras.initializers.RandomNormal(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=1),
    )[0]
    optimizer = keras.optimizers.SGD(learning_rate=0.2)
    for _ in range(10):
        with tf.GradientTape() as tape:
            layer(x)
            loss = tf.add_n(layer.losses)
        optimizer.apply_gradients(
            zip(tape.gradient(loss, [layer.cell.recurrent_kernel]), [layer.cell.recurrent_kernel])
        )
    r = _weights(layer)["recurrent_kernel"].astype(np.float64)
    assert np.linalg.norm(r @ r.T - np.eye(3)) > 0.9
    # With R this small, dropping h_{t-1} altogether hardly changes the output.
    shrunk = np.asarray(layer(x))
    layer.cell.recurrent_kernel.assign(np.zeros_like(r, dtype=np.float32))
    assert np.max(np.abs(shrunk - np.asarray(layer(x)))) < 1e-3


def bias_penalty_pulls_forget_bias_down() -> None:
    import tensorflow as tf

    keras = _keras()
    layer = _layer(bias_regularizer=keras.regularizers.l2(0.01))[0]
    with tf.GradientTape() as tape:
        penalty = layer.bias_regularizer(layer.cell.bias)
    grad = np.asarray(tape.gradient(penalty, layer.cell.bias))
    assert np.allclose(grad[UNITS : 2 * UNITS], 0.02)  # 2·λ·1: SGD lowers b_f
    assert np.allclose(np.delete(grad, range(UNITS, 2 * UNITS)), 0.0)


def no_bias_no_penalty() -> None:
    keras = _keras()
    layer = _layer(use_bias=False, bias_regularizer=keras.regularizers.l2(0.01))[0]
    assert layer.losses == []
    doc = _accepted("--no-use-bias", "--bias-regularizer", "l2(0.01)")
    assert doc["effects"]["bias_regularizer"]["losses"] == {}


def bias_calls() -> None:
    for spec in ("l2", "l2(0.001)", "l1(0.0001)"):
        _accepted("--bias-regularizer", spec)


def activity_divided_by_batch() -> None:
    keras = _keras()
    for reg, expected in (
        (keras.regularizers.l2(0.001), lambda h: 0.001 * np.sum(h**2)),
        (keras.regularizers.l1(0.0001), lambda h: 0.0001 * np.sum(np.abs(h))),
        (keras.regularizers.l1_l2(l1=0.01, l2=0.01), lambda h: 0.01 * np.sum(np.abs(h)) + 0.01 * np.sum(h**2)),
    ):
        x = _x(batch=4)
        layer, (out,) = _layer(x, activity_regularizer=reg)
        assert np.isclose(_losses(layer)[0], expected(out.astype(np.float64)) / 4, rtol=1e-5)


def activity_return_state_three_terms() -> None:
    keras = _keras()
    x = _x(batch=2)
    layer, (output, h, c) = _layer(x, activity_regularizer=keras.regularizers.l2(0.01), return_state=True)
    losses = _losses(layer)
    assert len(losses) == 3
    expected = [0.01 * np.sum(t.astype(np.float64) ** 2) / 2 for t in (output, h, c)]
    assert np.allclose(losses, expected, rtol=1e-5)
    assert np.array_equal(output, h) and losses[0] == losses[1]
    assert losses[2] > 0 and not np.isclose(losses[2], losses[1])


def activity_every_timestep() -> None:
    keras = _keras()
    x = _x(batch=2)
    layer, (seq,) = _layer(x, activity_regularizer=keras.regularizers.l2(0.01), return_sequences=True)
    assert seq.shape == (2, 10, 3)
    assert np.isclose(_losses(layer)[0], 0.01 * np.sum(seq.astype(np.float64) ** 2) / 2, rtol=1e-5)
    per_sample_terms = seq[0].size // UNITS
    assert per_sample_terms == 10


# -------------------------------------------------------------------------------------- constraints


def constraint_names_and_calls() -> None:
    import inspect

    keras = _keras()
    params = inspect.signature(keras.layers.LSTM).parameters
    for name in ("kernel_constraint", "recurrent_constraint", "bias_constraint"):
        assert params[name].default is None
    for snake, camel in (
        ("max_norm", "MaxNorm"),
        ("min_max_norm", "MinMaxNorm"),
        ("non_neg", "NonNeg"),
        ("unit_norm", "UnitNorm"),
    ):
        assert (
            type(keras.constraints.get(snake))
            is type(keras.constraints.get(camel))
            is getattr(keras.constraints, camel)
        )
    for spec in (
        "max_norm(2.0)",
        "min_max_norm(min_value=0.5, max_value=1.0)",
        "unit_norm(axis=0)",
        "max_norm(1.0)",
        "max_norm(3.0)",
    ):
        _accepted("--kernel-constraint", spec)
    assert keras.constraints.MaxNorm().get_config()["axis"] == 0
    assert keras.constraints.UnitNorm().get_config()["axis"] == 0


def per_column_on(weight: str):
    def check() -> None:
        keras = _keras()
        keras.utils.set_random_seed(2)
        w = _weights(_layer()[0])[weight] * 3.0
        projected = np.asarray(keras.constraints.MaxNorm(1.0)(w))
        assert np.allclose(projected, _max_norm(w, 1.0), atol=1e-6)
        assert projected.shape == w.shape and len(_norms(w)) == 12  # one norm per unit and gate
        assert np.all(_norms(projected) <= 1.0 + 1e-5)

    return check


def bias_one_column() -> None:
    keras = _keras()
    bias = _weights(_layer()[0])["bias"]
    projected = np.asarray(keras.constraints.UnitNorm()(bias))
    assert np.isclose(np.linalg.norm(projected), 1.0, atol=1e-6)
    assert np.allclose(projected, bias / np.linalg.norm(bias), atol=1e-6)


def unit_norm_bias_0577() -> None:
    keras = _keras()
    bias = _weights(_layer()[0])["bias"]
    assert np.array_equal(bias, np.r_[np.zeros(3), np.ones(3), np.zeros(6)])
    projected = np.asarray(keras.constraints.UnitNorm()(bias))
    assert np.allclose(projected[3:6], 1 / np.sqrt(3), atol=1e-6) and round(float(projected[3]), 3) == 0.577
    capped = np.asarray(keras.constraints.MaxNorm(1.0)(bias))
    assert np.allclose(capped[3:6], 1 / np.sqrt(3), atol=1e-6)


def constraint_after_step_only(name: str, weight: str, make, holds):
    def check() -> None:
        keras = _keras()
        keras.utils.set_random_seed(0)
        x = _x(batch=2)
        kwargs = {name: make(keras.constraints)}
        if weight == "bias":
            kwargs["bias_initializer"] = keras.initializers.RandomNormal(stddev=0.5, seed=1)
        layer = _layer(x, **kwargs)[0]
        fresh = _weights(layer)[weight]
        assert not holds(fresh), "freshly built weights already satisfy it: no demonstration"
        _sgd_step(layer, x)
        assert holds(_weights(layer)[weight])

    return check


def set_weights_bypasses(name: str, index: int):
    def check() -> None:
        keras = _keras()
        layer = _layer(**{name: keras.constraints.NonNeg()})[0]
        values = layer.get_weights()
        values[index] = -np.abs(values[index]) - 0.1
        layer.set_weights(values)
        assert np.all(layer.get_weights()[index] < 0)
        variable = layer.weights[index]
        variable.assign(-np.ones(variable.shape, dtype=np.float32))
        assert np.all(np.asarray(variable.numpy()) == -1.0)

    return check


def max_norm_rescales_columns() -> None:
    keras = _keras()
    w = np.array([[3.0, 0.3], [4.0, 0.4]], dtype=np.float32)  # column norms 5 and 0.5
    projected = np.asarray(keras.constraints.MaxNorm(2.0)(w))
    assert np.allclose(projected[:, 0], w[:, 0] * 2.0 / 5.0, atol=1e-6)  # whole column scaled, ratio kept
    assert np.allclose(projected[:, 1], w[:, 1])  # under the limit: untouched
    assert projected[0, 0] < 2.0 and projected[1, 0] < 2.0 and np.isclose(np.linalg.norm(projected[:, 0]), 2.0)


def non_neg_on_r_removes_negative() -> None:
    keras = _keras()
    keras.utils.set_random_seed(0)
    x = _x(batch=2)
    layer = _layer(x, recurrent_constraint=keras.constraints.NonNeg())[0]
    assert np.sum(_weights(layer)["recurrent_kernel"] < 0) > 0
    _sgd_step(layer, x)
    assert np.all(_weights(layer)["recurrent_kernel"] >= 0)


def orthogonal_r_columns_at_most_one() -> None:
    keras = _keras()
    for seed in range(5):
        r = _weights(_layer(recurrent_initializer=keras.initializers.Orthogonal(seed=seed))[0])["recurrent_kernel"]
        assert np.all(_norms(r) <= 1.0 + 1e-6)
        assert np.allclose(np.asarray(keras.constraints.MaxNorm(1.0)(r)), r, atol=1e-6)


def max_norm_half_acts_on_tutorial() -> None:
    doc = _accepted("--recurrent-constraint", "max_norm(0.5)")
    recurrent = _array(doc, "recurrent_kernel")
    assert np.max(_norms(recurrent)) > 0.5
    effect = doc["effects"]["recurrent_constraint"]
    assert np.max(_norms(np.array(effect["after"]["values"]))) <= 0.5 + 1e-5


def optimizer_applies_constraints() -> None:
    keras = _keras()
    layer = _layer(kernel_constraint=keras.constraints.NonNeg())[0]
    assert np.any(_weights(layer)["kernel"] < 0)  # not applied at build


# ----------------------------------------------------------------------------------------- Try-it checks


def try_kernel_initializer() -> None:
    keras = _keras()
    doc, default = claims.try_json("kernel_initializer"), claims.tool_json()
    kernel = _array(doc, "kernel")
    assert np.allclose(kernel, np.asarray(keras.initializers.RandomNormal(stddev=0.05, seed=1)((2, 12))), atol=1e-7)
    assert not np.allclose(kernel, _array(default, "kernel"))
    stats = doc["effects"]["kernel_initializer"]["per_gate"]
    for k, gate in enumerate("ifco"):
        block = kernel[:, 3 * k : 3 * k + 3]
        assert np.isclose(stats[gate]["std"], block.std(), atol=1e-6) and np.isclose(
            stats[gate]["max"], block.max(), atol=1e-7
        )
    assert np.max(np.abs(kernel)) < 0.25 < np.max(np.abs(_array(default, "kernel")))
    assert not np.allclose(_first_output(doc), _first_output(default))


def try_recurrent_initializer() -> None:
    doc, default = claims.try_json("recurrent_initializer"), claims.tool_json("--return-sequences")
    assert np.array_equal(_array(doc, "kernel"), _array(default, "kernel"))
    assert np.array_equal(_array(doc, "bias"), _array(default, "bias"))
    r, r0 = (_array(d, "recurrent_kernel").astype(np.float64) for d in (doc, default))
    assert np.allclose(r0 @ r0.T, np.eye(3), atol=1e-5) and np.linalg.norm(r @ r.T - np.eye(3)) > 0.1
    assert np.all(np.abs(r) <= np.sqrt(6 / 15) + 1e-6)
    seq, seq0 = _first_output(doc), _first_output(default)
    assert seq.shape == (1, 10, 3)
    assert np.array_equal(seq[:, 0], seq0[:, 0])  # h_0 = 0: R does not act at the first step
    assert not np.allclose(seq[:, 1:], seq0[:, 1:])


def try_bias_initializer() -> None:
    doc, default = claims.try_json("bias_initializer"), claims.tool_json()
    assert np.array_equal(_array(doc, "bias"), np.r_[np.full(3, 0.5), np.ones(3), np.full(6, 0.5)])
    assert np.array_equal(_array(default, "bias"), np.r_[np.zeros(3), np.ones(3), np.zeros(6)])
    assert not np.allclose(_first_output(doc), _first_output(default))


def _try_regularizer(argument: str, weight: str | None, penalty, *default_flags: str):
    def check() -> None:
        doc, default = claims.try_json(argument), claims.tool_json(*default_flags)
        effect = doc["effects"][argument]
        if weight is None:
            out = _first_output(doc).astype(np.float64)
            expected = penalty(out) / out.shape[0]
        else:
            expected = penalty(_array(doc, weight).astype(np.float64))
        assert expected > 0
        assert np.isclose(effect["losses"][argument], expected, rtol=1e-5)
        assert np.isclose(effect["keras_total"], expected, rtol=1e-5)
        assert np.array_equal(_first_output(doc), _first_output(default))  # the forward pass is unchanged

    return check


def _try_constraint(argument: str, weight: str, project, holds):
    """The tool's weight after its SGD step is the projection of an unconstrained step done here."""

    def check() -> None:
        import tensorflow as tf

        keras = _keras()
        doc = claims.try_json(argument)
        effect = doc["effects"][argument]
        before = _array(doc, weight)
        assert np.array_equal(np.array(effect["before"]["values"], dtype=np.float32), before)
        assert not holds(before) and effect["before"]["holds"] is False
        x = np.array(doc["input"]["values"], dtype=np.float32)
        layer = keras.layers.LSTM(UNITS)
        model = keras.Sequential([keras.Input(batch_shape=x.shape), layer])
        layer.set_weights([_array(doc, name) for name in ("kernel", "recurrent_kernel", "bias")])
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x)))
        keras.optimizers.SGD(learning_rate=0.1).apply_gradients(
            zip(tape.gradient(loss, layer.trainable_weights), layer.trainable_weights)
        )
        free = _weights(layer)[weight]
        assert not holds(free), "an unconstrained step would already satisfy the constraint"
        after = np.array(effect["after"]["values"], dtype=np.float32)
        assert np.allclose(after, project(free), atol=1e-5)
        assert holds(after) and effect["after"]["holds"] is True

    return check


def _non_neg_holds(w):
    return bool(np.all(w >= 0))


def _max_half_holds(w):
    return bool(np.all(_norms(w) <= 0.5 + 1e-5))


def _unit_holds(w):
    return bool(np.all(np.abs(_norms(w) - 1.0) <= 1e-4))


TRY = {
    "kernel_initializer": try_kernel_initializer,
    "recurrent_initializer": try_recurrent_initializer,
    "bias_initializer": try_bias_initializer,
    "kernel_regularizer": _try_regularizer("kernel_regularizer", "kernel", lambda k: 0.001 * np.sum(k**2)),
    "recurrent_regularizer": _try_regularizer(
        "recurrent_regularizer", "recurrent_kernel", lambda r: 0.01 * np.sum(np.abs(r)) + 0.01 * np.sum(r**2)
    ),
    "bias_regularizer": _try_regularizer("bias_regularizer", "bias", lambda b: 0.01 * np.sum(b**2)),
    "activity_regularizer": _try_regularizer(
        "activity_regularizer", None, lambda h: 0.01 * np.sum(h**2), "--return-sequences"
    ),
    "kernel_constraint": _try_constraint("kernel_constraint", "kernel", lambda w: np.maximum(w, 0), _non_neg_holds),
    "recurrent_constraint": _try_constraint(
        "recurrent_constraint", "recurrent_kernel", lambda w: _max_norm(w, 0.5), _max_half_holds
    ),
    "bias_constraint": _try_constraint("bias_constraint", "bias", _unit_norm, _unit_holds),
}


# --------------------------------------------------------------------------------------------- claims

KI, RI, BI = "kernel_initializer", "recurrent_initializer", "bias_initializer"
KR, RR, BR, AR = "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer"
KC, RC, BC = "kernel_constraint", "recurrent_constraint", "bias_constraint"
P, V, K2 = "pitfalls", "values", "keras2to3"

CLAIMS: list[Claim] = [
    # kernel_initializer
    Claim(KI, V, "about ±0.65 for the tutorial's 2 × 12 kernel", check=kernel_default_glorot_bound),
    Claim(KI, V, "either spelling (he_normal or HeNormal)", check=either_spelling),
    Claim(KI, V, "random_normal(stddev=0.05, seed=1) or constant(0.5)", check=calls_with_literals),
    Claim(KI, V, "keras.initializers.RandomNormal(stddev=0.05, seed=1)", check=python_object),
    Claim(
        KI, P, "the string 'constant' (or 'Constant') fails with KeyError: 'value'", item=0, check=constant_string_fails
    ),
    Claim(KI, P, "keras.initializers.Constant() with no value fills zeros", item=0, check=constant_object_fills_zeros),
    Claim(
        KI,
        P,
        "This tool refuses the bare name (--kernel-initializer constant)",
        item=0,
        check=tool_refuses_bare_constant,
    ),
    Claim(KI, P, "Expecting the LSTM's seed argument to fix the weights", item=1, check=lstm_seed_does_not_fix_weights),
    Claim(KI, P, "it only seeds dropout", item=1, check=lstm_seed_seeds_dropout),
    Claim(
        KI,
        P,
        "Fix weights with a seeded initializer or keras.utils.set_random_seed",
        item=1,
        check=seeded_initializer_or_global_seed_fix_weights,
    ),
    Claim(KI, P, "(--random-seed in this tool)", item=1, check=tool_random_seed_fixes_weights),
    Claim(
        KI, P, "with the default biases the output starts out exactly 0", item=2, check=zero_kernels_give_zero_output
    ),
    Claim(
        KI,
        P,
        "the first 2 rows of the tutorial's R (3 × 12) are exactly K (2 × 12)",
        item=3,
        check=shared_instance_repeats_k_in_r,
    ),
    Claim(
        KI, P, "Pass two objects, or names (each name makes its own object)", item=3, check=names_make_their_own_objects
    ),
    Claim(KI, K2, "No change to the default (glorot_uniform)", check=kernel_default_glorot_bound),
    Claim(
        KI,
        K2,
        "No change to the default (glorot_uniform)",
        source=f"{KERAS2_LSTM}: LSTM.__init__ has kernel_initializer='glorot_uniform'",
    ),
    Claim(KI, K2, "The usual names work as in Keras 2", check=usual_names_still_work),
    Claim(
        KI,
        K2,
        "The usual names work as in Keras 2",
        source=f"{KERAS2_INITIALIZERS}: snake-case aliases of every class plus ALL_OBJECTS['normal'], ['uniform'], ['one'], ['zero']",
    ),
    Claim(KI, K2, "Keras 3 raises KeyError: 'value'", check=constant_string_fails),
    Claim(
        KI,
        K2,
        "Keras 2's Constant defaulted to 0 and filled zeros",
        source=f"{KERAS2_INITIALIZERS}: class Constant: def __init__(self, value=0)",
    ),
    # recurrent_initializer
    Claim(
        RI,
        V,
        "Default 'orthogonal': a random matrix with orthonormal rows (R·Rᵀ is the identity)",
        check=orthogonal_default,
    ),
    Claim(
        RI,
        V,
        "orthogonal(gain=0.5), glorot_uniform or random_normal(stddev=0.05, seed=1)",
        check=any_recurrent_initializer_works,
    ),
    Claim(RI, P, "h_0 is zero, so R has no effect on the output", item=0, check=r_irrelevant_on_one_step),
    Claim(RI, P, "glorot_uniform works, but loses the orthogonal start", item=1, check=glorot_r_is_not_orthogonal),
    Claim(RI, P, "it only seeds dropout", item=2, check=lstm_seed_does_not_fix_r),
    Claim(RI, K2, "No change to the default (orthogonal)", check=orthogonal_default),
    Claim(
        RI,
        K2,
        "No change to the default (orthogonal)",
        source=f"{KERAS2_LSTM}: LSTM.__init__ has recurrent_initializer='orthogonal'",
    ),
    Claim(RI, K2, "Keras 3 also accepts the name OrthogonalInitializer", check=orthogonal_initializer_name),
    Claim(
        RI,
        K2,
        "Keras 3 also accepts the name OrthogonalInitializer",
        source="keras/src/initializers/__init__.py",
        snippet='"OrthogonalInitializer": Orthogonal,  # For compatibility',
    ),
    # bias_initializer
    Claim(BI, V, "Default 'zeros'", check=bias_default_zeros),
    Claim(BI, V, "ones, constant(0.5), random_normal(stddev=0.01)", check=bias_any_initializer),
    Claim(BI, V, "constant(0.5) gives 0.5 in the i, c and o blocks and 1 in the f block", check=constant_half_blocks),
    Claim(BI, P, "constant(2.0) still leaves b_f at 1", item=0, check=forget_block_overwritten),
    Claim(BI, P, "there is no bias to fill, and nothing changes", item=1, check=no_bias_nothing_to_fill),
    Claim(
        BI,
        P,
        "b_c̃ repeats b_i exactly, seeded (random_normal(seed=1)) or not",
        item=2,
        check=random_bias_repeats_i_in_c,
    ),
    Claim(
        BI,
        P,
        "Keras calls it once for b_i (units values) and once for b_c̃ and b_o together (2·units values)",
        item=2,
        source="keras/src/layers/rnn/lstm.py",
        snippet="(self.units * 2,), *args, **kwargs",
    ),
    Claim(BI, P, "glorot_uniform gives b_i = √2·b_c̃ instead", item=2, check=glorot_bias_scaled),
    Claim(
        BI,
        P,
        "With unit_forget_bias off one call fills all 4·units entries and nothing repeats",
        item=2,
        check=no_repeat_without_unit_forget_bias,
    ),
    Claim(BI, K2, "No change.", check=bias_default_zeros),
    Claim(
        BI,
        K2,
        "No change.",
        source=f"{KERAS2_LSTM}: LSTM.__init__ has bias_initializer='zeros' and unit_forget_bias=True",
    ),
    # kernel_regularizer
    Claim(KR, V, "Default None (no penalty)", check=regularizer_default_none),
    Claim(KR, V, "l2 means l2(0.01)", check=bare_l2_is_001),
    Claim(
        KR,
        V,
        "l2(0.001) adds 0.001·Σ K², l1(0.001) adds 0.001·Σ |K|, l1_l2(l1=0.01, l2=0.01) adds both",
        check=kernel_penalties,
    ),
    Claim(KR, P, "prints the same numbers", item=0, check=output_unchanged_by(KR, "l2")),
    Claim(KR, P, "'l1_l2' is rejected ('Could not interpret regularizer identifier')", item=1, check=l1_l2_strings),
    Claim(
        KR,
        P,
        "This tool refuses the bare names l1_l2, L1L2 and l1l2 and asks for the factors",
        item=1,
        check=tool_refuses_bare_l1_l2,
    ),
    Claim(KR, P, "Keras adds λ·Σw² with no ½, so its gradient is 2λ·w", item=2, check=l2_gradient_is_2_lambda_w),
    Claim(KR, P, "in Keras 3 both factors default to 0, so it adds nothing", item=3, check=l1_l2_no_arguments_is_zero),
    Claim(
        KR,
        P,
        "in Keras 2 they defaulted to 0.01 each",
        item=3,
        source=f"{KERAS2_REGULARIZERS}: def l1_l2(l1=0.01, l2=0.01): return L1L2(l1=l1, l2=l2)",
    ),
    Claim(
        KR,
        K2,
        "Keras 2 accepted the string 'l1_l2' and its l1_l2() defaulted to 0.01 for both factors",
        source=f"{KERAS2_REGULARIZERS}: deserialize: if config == 'l1_l2': return L1L2(l1=0.01, l2=0.01); def l1_l2(l1=0.01, l2=0.01)",
    ),
    Claim(KR, K2, "Keras 3 rejects the string and its l1_l2() defaults to 0", check=l1_l2_no_arguments_is_zero),
    Claim(KR, K2, "Keras 3 rejects the string", check=l1_l2_strings),
    Claim(
        KR,
        K2,
        "Keras 2 (tf.keras) already had OrthogonalRegularizer and this alias",
        source=f"{KERAS2_REGULARIZERS}: @keras_export('keras.regularizers.OrthogonalRegularizer', "
        "'keras.regularizers.orthogonal_regularizer') class OrthogonalRegularizer; orthogonal_regularizer = OrthogonalRegularizer",
    ),
    # recurrent_regularizer
    Claim(RR, V, "Default None", check=regularizer_default_none),
    Claim(RR, V, "(l2 means l2(0.01))", check=bare_l2_is_001),
    Claim(
        RR,
        V,
        "l2(0.001), l1(0.0001), l1_l2(l1=0.01, l2=0.01) or orthogonal_regularizer(factor=0.01)",
        check=recurrent_calls_accepted,
    ),
    Claim(RR, P, "Expecting the printed output to change", item=0, check=output_unchanged_by(RR, "l2")),
    Claim(
        RR,
        P,
        "can make the layer forget quickly, since h_{t-1} then barely reaches the gates",
        item=1,
        check=large_r_penalty_shrinks_r,
    ),
    Claim(RR, P, "'l1l2' or l1_l2() without arguments is a penalty of 0", item=2, check=l1_l2_no_arguments_is_zero),
    Claim(RR, P, "Using the string 'l1_l2' in Keras 3 code: it is rejected", item=2, check=l1_l2_strings),
    Claim(RR, P, "This tool refuses the bare names l1_l2, L1L2 and l1l2", item=2, check=tool_refuses_bare_l1_l2),
    Claim(RR, K2, "The string 'l1_l2' no longer works in Keras 3", check=l1_l2_strings),
    Claim(
        RR,
        K2,
        "The string 'l1_l2' no longer works in Keras 3",
        source=f"{KERAS2_REGULARIZERS}: deserialize: if config == 'l1_l2': return L1L2(l1=0.01, l2=0.01)",
    ),
    Claim(
        RR,
        K2,
        "orthogonal_regularizer is not new, Keras 2 (tf.keras) already had it",
        source=f"{KERAS2_REGULARIZERS}: orthogonal_regularizer = OrthogonalRegularizer (exported as keras.regularizers.orthogonal_regularizer)",
    ),
    # bias_regularizer
    Claim(BR, V, "Default None", check=regularizer_default_none),
    Claim(BR, V, "(l2 means l2(0.01))", check=bare_l2_is_001),
    Claim(BR, V, "l2(0.001) or l1(0.0001)", check=bias_calls),
    Claim(
        BR,
        P,
        "It also pulls the forget-gate bias, which unit_forget_bias starts at 1, back towards 0",
        item=0,
        check=bias_penalty_pulls_forget_bias_down,
    ),
    Claim(BR, P, "Expecting the printed output to change", item=1, check=output_unchanged_by(BR, "l2")),
    Claim(BR, P, "there is nothing to penalise", item=2, check=no_bias_no_penalty),
    Claim(BR, K2, "the string 'l1_l2' no longer works in Keras 3", check=l1_l2_strings),
    Claim(
        BR,
        K2,
        "the string 'l1_l2' no longer works in Keras 3",
        source=f"{KERAS2_REGULARIZERS}: deserialize: if config == 'l1_l2': return L1L2(l1=0.01, l2=0.01)",
    ),
    # activity_regularizer
    Claim(AR, V, "Default None", check=regularizer_default_none),
    Claim(AR, V, "Keras divides the penalty by the batch size", check=activity_divided_by_batch),
    Claim(
        AR,
        V,
        "Keras divides the penalty by the batch size",
        source="keras/src/layers/layer.py",
        snippet="loss = ops.divide_no_nan(loss, batch_size)",
    ),
    Claim(
        AR,
        P,
        "one penalty per returned tensor, [output, h, c], so the final cell state c is penalised too",
        item=0,
        check=activity_return_state_three_terms,
    ),
    Claim(
        AR,
        P,
        "With return_sequences every timestep is penalised, 10 terms per unit",
        item=1,
        check=activity_every_timestep,
    ),
    Claim(AR, P, "Expecting the printed output to change", item=2, check=output_unchanged_by(AR, "l2")),
    Claim(AR, K2, "No change", check=activity_divided_by_batch),
    Claim(
        AR,
        K2,
        "Keras 2 also divided it by the batch size",
        source=f"{KERAS2_REGULARIZERS}: Regularizer docstring: 'The value returned by the `activity_regularizer` is divided by "
        "the input batch size'",
    ),
    # kernel_constraint
    Claim(
        KC,
        V,
        "Names: max_norm, min_max_norm, non_neg, unit_norm (or MaxNorm, MinMaxNorm, NonNeg, UnitNorm)",
        check=constraint_names_and_calls,
    ),
    Claim(KC, V, "The norm constraints work per column by default (axis=0)", check=per_column_on("kernel")),
    Claim(
        KC,
        P,
        "constraints run only after optimizer updates",
        item=0,
        check=constraint_after_step_only(KC, "kernel", lambda c: c.NonNeg(), _non_neg_holds),
    ),
    Claim(
        KC,
        P,
        "constraints run only after optimizer updates",
        item=0,
        source="keras/src/optimizers/base_optimizer.py",
        snippet="variable.assign(variable.constraint(variable))",
    ),
    Claim(KC, P, "e.g. negative entries under non_neg", item=0, check=optimizer_applies_constraints),
    Claim(
        KC, P, "it rescales each whole column whose L2 norm exceeds the limit", item=1, check=max_norm_rescales_columns
    ),
    Claim(KC, P, "bypasses the constraint", item=2, check=set_weights_bypasses(KC, 0)),
    Claim(KC, K2, "No change.", check=constraint_names_and_calls),
    Claim(
        KC,
        K2,
        "No change.",
        source=f"{KERAS2_CONSTRAINTS}: MaxNorm(max_value=2, axis=0), NonNeg, UnitNorm(axis=0), "
        "MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0), applied by the optimizer after each update",
    ),
    # recurrent_constraint
    Claim(
        RC,
        V,
        "Names: max_norm, min_max_norm, non_neg, unit_norm; calls such as max_norm(1.0) or unit_norm(axis=0)",
        check=constraint_names_and_calls,
    ),
    Claim(RC, V, "Norms are taken per column by default (axis=0)", check=per_column_on("recurrent_kernel")),
    Claim(
        RC,
        P,
        "constraints act only after optimizer updates",
        item=0,
        check=constraint_after_step_only(RC, "recurrent_kernel", lambda c: c.MaxNorm(0.5), _max_half_holds),
    ),
    Claim(
        RC, P, "non_neg on R removes inhibitory connections between steps", item=1, check=non_neg_on_r_removes_negative
    ),
    Claim(RC, P, "Assigning weights by hand bypasses the constraint", item=2, check=set_weights_bypasses(RC, 1)),
    Claim(
        RC, P, "its rows are orthonormal, so no column's norm exceeds 1", item=3, check=orthogonal_r_columns_at_most_one
    ),
    Claim(
        RC,
        P,
        "max_norm(0.5) acts at the first step on the tutorial's layer",
        item=3,
        check=max_norm_half_acts_on_tutorial,
    ),
    Claim(RC, K2, "No change.", check=constraint_names_and_calls),
    Claim(
        RC,
        K2,
        "No change.",
        source=f"{KERAS2_CONSTRAINTS}: the same four constraints, per column (axis=0), applied by the optimizer",
    ),
    # bias_constraint
    Claim(
        BC,
        V,
        "Names: max_norm, min_max_norm, non_neg, unit_norm; calls such as max_norm(3.0)",
        check=constraint_names_and_calls,
    ),
    Claim(BC, V, "the norm constraints treat all 4·units entries as one column", check=bias_one_column),
    Claim(BC, P, "into 0.577 in the f block", item=0, check=unit_norm_bias_0577),
    Claim(
        BC,
        P,
        "constraints act only after optimizer updates",
        item=1,
        check=constraint_after_step_only(BC, "bias", lambda c: c.NonNeg(), _non_neg_holds),
    ),
    Claim(BC, K2, "No change.", check=constraint_names_and_calls),
    Claim(
        BC,
        K2,
        "No change.",
        source=f"{KERAS2_CONSTRAINTS}: the same four constraints, applied by the optimizer after each update",
    ),
]
