"""Each demonstration's figures against an independent computation (NumPy here, or Keras itself)."""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import pytest

from conftest import keras_direct, numpy_lstm, tutorial_sample


def weights(doc):
    return {w["name"]: np.array(w["values"]) for w in doc["weights"]}


def test_demonstrations_leave_the_main_output_alone(run_json):
    plain = run_json("--batch", "2", "--dropout", "0.3")
    shown = run_json("--batch", "2", "--dropout", "0.3", "--show-effects")
    assert shown["outputs"] == plain["outputs"] and shown["weights"] == plain["weights"]
    assert set(shown["effects"]) >= {"dropout", "stateful", "go_backwards", "kernel_constraint", "cudnn", "saturation"}
    assert set(plain["effects"]) == {"dropout", "cudnn", "saturation"}


def test_dropout_inference_vs_training(run_json, keras):
    doc = run_json("--batch", "8", "--dropout", "0.5", "--seed", "3")
    effect = doc["effects"]["dropout"]
    inference, training = np.array(effect["inference"]), np.array(effect["training"])
    x = np.arange(1, 8 * 10 * 2 + 1, dtype=np.float32).reshape(8, 10, 2)
    expected, _, _ = keras_direct(keras, x, units=3, dropout=0.5, seed=3)
    np.testing.assert_allclose(inference, expected[0], rtol=1e-6, atol=1e-7)
    assert effect["changed_entries"] == int(np.sum(np.abs(inference - training) > 1e-6)) > 0


def test_dropout_in_training_runs_reuses_the_main_output(run_json):
    doc = run_json("--batch", "4", "--dropout", "0.5", "--training")
    assert doc["effects"]["dropout"]["training"] == doc["outputs"][0]["values"]


def test_dropout_of_one_is_called_out(invoke):
    out = " ".join(invoke("--dropout", "1.0", "--batch", "4").stdout.replace("│", " ").split())
    assert (
        "At a rate of exactly 1.0 Keras's generic loop drops nothing (it applies dropout only below 1); where cuDNN"
        in out
    )
    assert "in training mode 0 of 12 output entries changed" in out


def test_stateful_second_call_reset(run_json):
    doc = run_json("--stateful", "--batch", "2", "--timesteps", "4")
    effect = doc["effects"]["stateful"]
    first, second, after = (np.array(effect[k]) for k in ("first_call", "second_call", "after_reset"))
    assert np.array_equal(after, first)
    assert np.abs(second - first).max() > 1e-3
    w = weights(doc)
    x = np.array(doc["input"]["values"]) * effect["input_scale"]
    _, h1, c1 = numpy_lstm(x, w["kernel"], w["recurrent_kernel"], w["bias"])
    np.testing.assert_allclose(first, h1, atol=1e-5)
    np.testing.assert_allclose(np.array(effect["carried_h"]), h1, atol=1e-5)
    np.testing.assert_allclose(np.array(effect["carried_c"]), c1, atol=1e-5)
    _, h2, _ = numpy_lstm(x, w["kernel"], w["recurrent_kernel"], w["bias"], h0=h1, c0=c1)
    np.testing.assert_allclose(second, h2, atol=1e-5)


def test_return_state_and_sequences(run_json):
    doc = run_json("--return-state", "--return-sequences", "--units", "4")
    state = doc["effects"]["return_state"]
    assert state["h_equals_last_output"] is True
    w = weights(doc)
    _, h, c = numpy_lstm(np.array(doc["input"]["values"]), w["kernel"], w["recurrent_kernel"], w["bias"])
    np.testing.assert_allclose(np.array(state["h"]), h, atol=1e-5)
    np.testing.assert_allclose(np.array(state["c"]), c, atol=1e-5)
    assert doc["effects"]["return_sequences"]["last_row_equals_output"] is True


def test_go_backwards_matches_forward_on_reversed(run_json):
    doc = run_json("--go-backwards", "--batch", "2", "--timesteps", "5")
    effect = doc["effects"]["go_backwards"]
    assert effect["max_abs_diff"] < 1e-6
    w = weights(doc)
    x = np.array(doc["input"]["values"])
    forward_on_reversed, _, _ = numpy_lstm(x[:, ::-1], w["kernel"], w["recurrent_kernel"], w["bias"])
    np.testing.assert_allclose(np.array(effect["forward_on_reversed"]), forward_on_reversed, atol=1e-5)
    np.testing.assert_allclose(np.array(effect["output"]), forward_on_reversed, atol=1e-5)


def test_regularizer_values_equal_their_formulas(run_json):
    doc = run_json(
        "--kernel-regularizer",
        "l2(0.01)",
        "--recurrent-regularizer",
        "l1(0.02)",
        "--bias-regularizer",
        "l1_l2(l1=0.1, l2=0.2)",
        "--activity-regularizer",
        "l2(0.5)",
        "--return-state",
        "--batch",
        "2",
    )
    w = weights(doc)
    effects = doc["effects"]
    expected = {
        "kernel_regularizer": 0.01 * np.sum(w["kernel"] ** 2),
        "recurrent_regularizer": 0.02 * np.sum(np.abs(w["recurrent_kernel"])),
        "bias_regularizer": 0.1 * np.sum(np.abs(w["bias"])) + 0.2 * np.sum(w["bias"] ** 2),
        "activity_regularizer": sum(0.5 * np.sum(np.array(o["values"]) ** 2) / 2 for o in doc["outputs"]),
    }
    for name, value in expected.items():
        assert effects[name]["losses"][name] == pytest.approx(value, rel=1e-5)
    assert effects["kernel_regularizer"]["keras_total"] == pytest.approx(sum(expected.values()), rel=1e-5)


def test_regularizer_losses_match_keras_layer_losses(run_json, keras):
    doc = run_json("--kernel-regularizer", "orthogonal_regularizer(factor=0.1)", "--units", "4")
    _, layer, _ = keras_direct(
        keras,
        tutorial_sample(),
        units=4,
        make=lambda: {"kernel_regularizer": keras.regularizers.OrthogonalRegularizer(factor=0.1)},
    )
    keras_value = float(sum(float(np.asarray(loss)) for loss in layer.losses))
    assert doc["effects"]["kernel_regularizer"]["losses"]["kernel_regularizer"] == pytest.approx(keras_value, rel=1e-5)


def _column_norms(values):
    return np.sqrt(np.sum(np.square(values), axis=0))


def test_constraints_hold_after_one_step(run_json):
    doc = run_json(
        "--kernel-constraint", "max_norm(0.5)", "--recurrent-constraint", "non_neg", "--bias-constraint", "unit_norm"
    )
    w = weights(doc)
    kernel = doc["effects"]["kernel_constraint"]
    before, after = np.array(kernel["before"]["values"]), np.array(kernel["after"]["values"])
    np.testing.assert_array_equal(before, w["kernel"].astype(np.float32))
    assert _column_norms(before).max() > 0.5 and kernel["before"]["holds"] is False
    assert _column_norms(after).max() <= 0.5 + 1e-5 and kernel["after"]["holds"] is True
    recurrent = doc["effects"]["recurrent_constraint"]
    assert np.array(recurrent["before"]["values"]).min() < 0
    assert np.array(recurrent["after"]["values"]).min() >= 0 and recurrent["after"]["holds"] is True
    bias = doc["effects"]["bias_constraint"]
    assert np.linalg.norm(np.array(bias["after"]["values"])) == pytest.approx(1.0, abs=1e-5)


def _unconstrained_step(keras, doc):
    """The same SGD step as the demonstration, redone with Keras directly on a layer without constraints."""
    import tensorflow as tf

    x = np.array(doc["input"]["values"], dtype=np.float32)
    _, layer, model = keras_direct(keras, x, units=3)
    layer.set_weights([np.array(w["values"], dtype=np.float32) for w in doc["weights"]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x)))
    variables = layer.trainable_weights
    keras.optimizers.SGD(learning_rate=0.1).apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {w.name: np.asarray(w.numpy()) for w in layer.weights}


@pytest.mark.parametrize(
    ("flag", "spec", "weight", "binds"),
    [
        ("--kernel-constraint", "max_norm(0.5)", "kernel", True),
        ("--recurrent-constraint", "max_norm(1.0)", "recurrent_kernel", False),
    ],
)
def test_the_run_says_whether_a_constraint_bound(keras, invoke, run_json, flag, spec, weight, binds):
    doc = run_json(flag, spec)
    effect = doc["effects"][flag[2:].replace("-", "_")]
    free = _unconstrained_step(keras, doc)[weight]
    after = np.array(effect["after"]["values"])
    assert effect["bound"] is binds and (not np.allclose(after, free, atol=1e-6)) is binds
    assert effect["projected_entries"] == int(np.sum(np.abs(after - free) > 1e-6))
    out = " ".join(invoke(flag, spec).stdout.replace("│", " ").split())
    assert ("It never bound" in out) is not binds


def test_the_run_says_when_a_penalty_is_zero(invoke):
    out = " ".join(invoke("--kernel-regularizer", "l2(0)").stdout.replace("│", " ").split())
    assert "This penalty is 0: it adds nothing to the loss" in out
    assert "This penalty is 0" not in invoke("--kernel-regularizer", "l2(0.01)").stdout


@pytest.mark.parametrize(
    ("flag", "name", "wanted"),
    [
        ("--kernel-initializer", "constant", "constant(0.5)"),
        ("--bias-initializer", "Constant()", "constant(0.5)"),
        ("--kernel-regularizer", "l1_l2", "l1_l2(l1=0.01, l2=0.01)"),
        ("--activity-regularizer", "L1L2()", "l1_l2(l1=0.01, l2=0.01)"),
    ],
)
def test_names_that_would_do_nothing_are_refused_as_keras_refuses_them(keras, invoke, flag, name, wanted):
    result = invoke(flag, name)
    assert result.exit_code == 2 and wanted in result.stderr
    # The reasons given hold on the installed Keras.
    with pytest.raises(KeyError):
        keras.initializers.get("constant")
    assert keras.initializers.Constant().get_config()["value"] == 0
    with pytest.raises(ValueError):
        keras.regularizers.get("l1_l2")
    assert keras.regularizers.l1_l2().get_config() == {"l1": 0.0, "l2": 0.0}


def test_initializer_statistics_and_orthogonality(run_json):
    doc = run_json(
        "--kernel-initializer",
        "random_normal(stddev=0.05, seed=1)",
        "--recurrent-initializer",
        "orthogonal",
        "--units",
        "4",
    )
    w = weights(doc)
    stats = doc["effects"]["kernel_initializer"]["per_gate"]
    for k, gate in enumerate("ifco"):
        block = w["kernel"][:, 4 * k : 4 * (k + 1)]
        assert stats[gate]["mean"] == pytest.approx(block.mean(), abs=1e-7)
        assert stats[gate]["std"] == pytest.approx(block.std(), abs=1e-6)
        assert stats[gate]["min"] == pytest.approx(block.min()) and stats[gate]["max"] == pytest.approx(block.max())
    r = w["recurrent_kernel"]
    assert doc["effects"]["recurrent_initializer"]["orthogonality"] == pytest.approx(
        np.linalg.norm(r @ r.T - np.eye(4)), abs=1e-6
    )
    assert doc["effects"]["recurrent_initializer"]["orthogonality"] < 1e-5


def test_unit_forget_bias_effect(run_json):
    on = run_json("--unit-forget-bias", "--bias-initializer", "constant(0.25)")
    assert on["effects"]["unit_forget_bias"]["forget_bias_is_one"] is True
    assert on["effects"]["unit_forget_bias"]["forget_block"] == weights(on)["bias"][3:6].tolist()
    off = run_json("--no-unit-forget-bias", "--bias-initializer", "constant(0.25)")
    assert off["effects"]["unit_forget_bias"]["forget_bias_is_one"] is False


def test_unroll_same_numbers(run_json):
    effect = run_json("--unroll")["effects"]["unroll"]
    assert effect["max_abs_diff"] < 1e-5
    assert set(effect["seconds"]) == {"loop", "unrolled"} and all(v > 0 for v in effect["seconds"].values())


CUDNN_TABLE = [
    ([], True, []),
    (["--activation", "relu"], False, ["activation relu (cuDNN needs tanh)"]),
    (["--recurrent-activation", "hard_sigmoid"], False, ["recurrent_activation hard_sigmoid (cuDNN needs sigmoid)"]),
    (["--recurrent-dropout", "0.2"], False, ["recurrent_dropout 0.2 (cuDNN needs 0)"]),
    (["--unroll"], False, ["unroll True (cuDNN needs False)"]),
    (["--no-use-bias"], False, ["use_bias False (cuDNN needs True)"]),
    (["--use-cudnn", "false"], False, ["use_cudnn False (cuDNN needs auto or true)"]),
    (["--dropout", "0.5", "--go-backwards", "--stateful"], True, []),
    (
        ["--activation", "relu", "--unroll", "--no-use-bias"],
        False,
        ["activation relu (cuDNN needs tanh)", "unroll True (cuDNN needs False)", "use_bias False (cuDNN needs True)"],
    ),
]


@pytest.mark.parametrize(("args", "eligible", "failed"), CUDNN_TABLE)
def test_cudnn_verdicts(run_json, args, eligible, failed):
    import tensorflow as tf

    effect = run_json(*args)["effects"]["cudnn"]
    assert effect["eligible"] is eligible
    assert effect["failed_conditions"] == failed
    assert effect["gpu_visible"] is bool(tf.config.list_logical_devices("GPU"))


def test_the_cudnn_panel_names_the_failing_value_and_what_cudnn_needs(invoke):
    out = invoke("--activation", "relu").stdout
    assert "✗ activation relu (cuDNN needs tanh)" in out and "✓ use_bias True" in out
    assert "eager" not in out


CUDNN_GRID = list(
    itertools.product(
        ["tanh", "relu"], ["sigmoid", "hard_sigmoid"], [0.0, 0.2], [False, True], [True, False], ["auto", True, False]
    )
)


@pytest.mark.parametrize("gpu", [True, False], ids=["gpu", "no-gpu"])
def test_cudnn_verdict_agrees_with_keras_own_eligibility(keras, monkeypatch, gpu):
    """Keras 3 decides in LSTM.inner_loop (use_cudnn, recurrent_dropout) and the TensorFlow backend's
    cudnn_ok (activations, unroll, use_bias, a visible GPU); the tool's verdict must be the same for
    every configuration, so a future Keras that changes the rule makes this test fail."""
    import tensorflow as tf

    tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")  # the package also exports a function `rnn`

    from lstm_explorer.config import build_config
    from lstm_explorer.effects import cudnn_conditions, gpu_visible

    devices = [tf.config.LogicalDevice("/device:GPU:0", "GPU")] if gpu else []
    monkeypatch.setattr(tf.config, "list_logical_devices", lambda kind=None: devices if kind == "GPU" else [])
    assert tf_rnn._is_gpu_available() is gpu and gpu_visible(tf) is gpu
    for activation, recurrent, recurrent_dropout, unroll, use_bias, use_cudnn in CUDNN_GRID:
        settings = dict(
            units=3,
            activation=activation,
            recurrent_activation=recurrent,
            recurrent_dropout=recurrent_dropout,
            unroll=unroll,
            use_bias=use_bias,
        )
        layer = keras.layers.LSTM(**settings, use_cudnn=use_cudnn)
        keras_takes_cudnn = (
            layer.use_cudnn in ("auto", True)
            and not layer.recurrent_dropout
            and tf_rnn.cudnn_ok(
                layer.cell.activation, layer.cell.recurrent_activation, layer.unroll, layer.cell.use_bias
            )
        )
        config = build_config({**settings, "use_cudnn": str(use_cudnn).lower()})
        tool_says = all(c.met for c in cudnn_conditions(config)) and gpu_visible(tf)
        assert tool_says == bool(keras_takes_cudnn), settings


def test_saturation_share_matches_numpy_gates(run_json):
    doc = run_json()
    w = weights(doc)
    gates = []
    numpy_lstm(np.array(doc["input"]["values"]), w["kernel"], w["recurrent_kernel"], w["bias"], gates=gates)
    values = np.array(gates)
    near = (np.abs(values) <= 1e-3) | (np.abs(values - 1) <= 1e-3)
    effect = doc["effects"]["saturation"]
    assert effect["share"] == pytest.approx(near.mean(), abs=1 / near.size)
    assert effect["saturated"] is True and "--scale divides the input by 20" in effect["suggestion"]


def test_scale_divides_the_input_by_its_largest_magnitude(run_json):
    doc = run_json("--scale", "--batch", "2")
    expected = np.arange(1, 41, dtype=np.float32).reshape(2, 10, 2) / np.float32(40)
    assert np.array_equal(np.array(doc["input"]["values"], dtype=np.float32), expected)
    assert doc["input"]["scale"] == 40 and "divided by 40 (--scale)" in doc["input"]["source"]
    assert doc["effects"]["saturation"]["suggestion"] is None


def test_scaled_input_is_not_saturated(run_json, tmp_path):
    path = tmp_path / "scaled.npy"
    np.save(path, tutorial_sample() / 20)
    effect = run_json("--input", str(path))["effects"]["saturation"]
    assert effect["saturated"] is False and effect["suggestion"] is None


def test_every_demonstration_runs_without_a_bias(run_json):
    doc = run_json(
        "--show-effects",
        "--no-use-bias",
        "--bias-regularizer",
        "l2",
        "--bias-constraint",
        "non_neg",
        "--activation",
        "none",
    )
    assert doc["effects"]["bias_regularizer"]["losses"] == {}
    assert doc["effects"]["bias_constraint"] == {}
    assert doc["effects"]["cudnn"]["failed_conditions"] == [
        "activation none (cuDNN needs tanh)",
        "use_bias False (cuDNN needs True)",
    ]


def test_a_zero_dropout_does_not_take_the_recurrent_dropouts_changes(run_json, invoke, keras):
    args = ("--recurrent-dropout", "0.3", "--batch", "4", "--show-effects", "--scale")
    effect = run_json(*args)["effects"]["dropout"]
    assert effect["rate"] == 0 and effect["changed_entries"] > 0
    x = np.arange(1, 81, dtype=np.float32).reshape(4, 10, 2) / 80
    layer = keras.layers.LSTM(3, dropout=0.0, recurrent_dropout=0.0)
    assert np.array_equal(np.asarray(layer(x, training=True)), np.asarray(layer(x, training=False)))
    out = " ".join(invoke(*args).stdout.replace("│", " ").split())
    assert "dropout = 0 drops nothing itself: the entries that changed were changed by recurrent_dropout = 0.3" in out
