"""The run, driven through the CLI and checked against Keras and NumPy computed here, not by the tool."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from conftest import keras_direct, numpy_lstm, tutorial_sample

GRID = list(itertools.product([1, 3], [1, 2], [False, True], [False, True], [False, True], [False, True]))


def flags(units, return_sequences, return_state, use_bias, go_backwards):
    args = ["--units", str(units)]
    args.append("--return-sequences" if return_sequences else "--no-return-sequences")
    args.append("--return-state" if return_state else "--no-return-state")
    args.append("--use-bias" if use_bias else "--no-use-bias")
    args.append("--go-backwards" if go_backwards else "--no-go-backwards")
    return args


@pytest.mark.parametrize(("units", "features", "return_sequences", "return_state", "use_bias", "go_backwards"), GRID)
def test_shapes_params_and_values_match_keras(
    run_json, keras, units, features, return_sequences, return_state, use_bias, go_backwards
):
    doc = run_json(
        *flags(units, return_sequences, return_state, use_bias, go_backwards),
        "--features",
        str(features),
        "--timesteps",
        "4",
    )
    x = np.arange(1, 4 * features + 1, dtype=np.float32).reshape(1, 4, features)
    assert doc["input"]["values"] == x.tolist()
    expected, layer, model = keras_direct(
        keras,
        x,
        units=units,
        return_sequences=return_sequences,
        return_state=return_state,
        use_bias=use_bias,
        go_backwards=go_backwards,
    )
    assert doc["param_count"] == layer.count_params()
    assert [o["shape"] for o in doc["outputs"]] == [list(e.shape) for e in expected]
    assert doc["layer"]["output_shapes"] == [list(t.shape) for t in model.outputs]
    for output, want in zip(doc["outputs"], expected):
        np.testing.assert_allclose(np.array(output["values"]), want, rtol=1e-6, atol=1e-7)
    names = [o["name"] for o in doc["outputs"]]
    assert names[0] == ("sequence" if return_sequences else "last_output")
    assert names[1:] == (["final_h", "final_c"] if return_state else [])


def test_default_run_is_the_tutorial_model(run_json, keras):
    doc = run_json()
    assert doc["input"]["shape"] == [1, 10, 2]
    assert doc["input"]["values"] == tutorial_sample().tolist()
    assert doc["param_count"] == 4 * (3 * (2 + 3) + 3)
    assert doc["param_formula"] == "4 × (3 × (2 + 3) + 3) = 72"
    assert doc["random_seed"] == 42
    assert doc["keras_version"] == keras.__version__
    import tensorflow as tf

    assert doc["tensorflow_version"].split("+")[0] == tf.__version__.split("+")[0]
    assert [w["name"] for w in doc["weights"]] == ["kernel", "recurrent_kernel", "bias"]
    assert [w["shape"] for w in doc["weights"]] == [[2, 12], [3, 12], [12]]
    assert doc["weights"][0]["gate_columns"] == {"i": [0, 3], "f": [3, 6], "c": [6, 9], "o": [9, 12]}


def test_outputs_follow_from_the_reported_weights(run_json):
    doc = run_json("--units", "4", "--return-sequences", "--return-state")
    kernel, recurrent, bias = (np.array(w["values"]) for w in doc["weights"])
    sequence, h, c = numpy_lstm(np.array(doc["input"]["values"]), kernel, recurrent, bias)
    got = {o["name"]: np.array(o["values"]) for o in doc["outputs"]}
    np.testing.assert_allclose(got["sequence"], sequence, atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(got["final_h"], h, atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(got["final_c"], c, atol=1e-5, rtol=1e-5)


def test_go_backwards_equals_forward_on_reversed_input(run_json):
    doc = run_json("--go-backwards", "--return-sequences", "--batch", "2", "--timesteps", "5")
    kernel, recurrent, bias = (np.array(w["values"]) for w in doc["weights"])
    x = np.array(doc["input"]["values"])
    forward_on_reversed, _, _ = numpy_lstm(x[:, ::-1], kernel, recurrent, bias)
    np.testing.assert_allclose(np.array(doc["outputs"][0]["values"]), forward_on_reversed, atol=1e-5, rtol=1e-5)


def test_unit_forget_bias_sets_the_forget_block(run_json):
    on = run_json("--units", "2", "--bias-initializer", "constant(0.5)")
    off = run_json("--units", "2", "--bias-initializer", "constant(0.5)", "--no-unit-forget-bias")
    assert on["weights"][2]["values"] == [0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    assert off["weights"][2]["values"] == [0.5] * 8


def test_same_command_same_numbers_and_seed_changes_them(run_json):
    first, second = run_json("--units", "2"), run_json("--units", "2")
    assert first["outputs"] == second["outputs"] and first["weights"] == second["weights"]
    other = run_json("--units", "2", "--random-seed", "7")
    assert other["random_seed"] == 7
    assert other["weights"][0]["values"] != first["weights"][0]["values"]


def test_random_seed_matches_keras_seeding(run_json, keras):
    doc = run_json("--random-seed", "123", "--units", "2")
    expected, _, _ = keras_direct(keras, tutorial_sample(), random_seed=123, units=2)
    np.testing.assert_allclose(np.array(doc["outputs"][0]["values"]), expected[0], rtol=1e-6)


@pytest.mark.parametrize(
    ("args", "layer_kwargs"),
    [
        (
            ["--activation", "relu", "--recurrent-activation", "hard_sigmoid"],
            {"activation": "relu", "recurrent_activation": "hard_sigmoid"},
        ),
        (["--activation", "none"], {"activation": None}),
        (
            [
                "--kernel-initializer",
                "random_normal(stddev=0.05, seed=1)",
                "--recurrent-initializer",
                "GlorotUniform",
                "--bias-initializer",
                "constant(0.5)",
            ],
            "initializers",
        ),
        (
            [
                "--kernel-regularizer",
                "l2(0.001)",
                "--recurrent-regularizer",
                "l1_l2(l1=0.01, l2=0.01)",
                "--bias-regularizer",
                "l1",
                "--activity-regularizer",
                "L2(0.5)",
            ],
            "regularizers",
        ),
        (
            [
                "--kernel-constraint",
                "max_norm(2.0)",
                "--recurrent-constraint",
                "non_neg",
                "--bias-constraint",
                "unit_norm",
            ],
            "constraints",
        ),
        (["--stateful", "--unroll"], {"stateful": True, "unroll": True}),
        (["--use-cudnn", "false"], {"use_cudnn": False}),
    ],
)
def test_flag_groups_reach_the_layer(run_json, keras, args, layer_kwargs):
    def make():
        factories = {
            "initializers": lambda: {
                "kernel_initializer": keras.initializers.RandomNormal(stddev=0.05, seed=1),
                "recurrent_initializer": keras.initializers.GlorotUniform(),
                "bias_initializer": keras.initializers.Constant(0.5),
            },
            "regularizers": lambda: {
                "kernel_regularizer": keras.regularizers.L2(0.001),
                "recurrent_regularizer": keras.regularizers.L1L2(l1=0.01, l2=0.01),
                "bias_regularizer": keras.regularizers.L1(),
                "activity_regularizer": keras.regularizers.L2(0.5),
            },
            "constraints": lambda: {
                "kernel_constraint": keras.constraints.MaxNorm(2.0),
                "recurrent_constraint": keras.constraints.NonNeg(),
                "bias_constraint": keras.constraints.UnitNorm(),
            },
        }
        return factories[layer_kwargs]() if isinstance(layer_kwargs, str) else dict(layer_kwargs)

    doc = run_json("--units", "3", *args)
    expected, layer, _ = keras_direct(keras, tutorial_sample(), units=3, make=make)
    np.testing.assert_allclose(np.array(doc["outputs"][0]["values"]), expected[0], rtol=1e-6, atol=1e-7)
    for name, value in make().items():
        if isinstance(value, (str, bool)) or value is None:
            assert doc["config"][name] == value
        else:
            held = getattr(layer.cell, name, None) or getattr(layer, name)
            assert type(held) is type(value)
            assert held.get_config() == value.get_config() or "seed" in value.get_config()


def test_dropout_only_in_training_mode(run_json, keras):
    x_args = ["--batch", "4", "--timesteps", "3", "--dropout", "0.5", "--recurrent-dropout", "0.3", "--seed", "1"]
    inference = run_json(*x_args)
    plain = run_json("--batch", "4", "--timesteps", "3")
    # recurrent_dropout moves Keras off its fused kernel, so float32 rounding may differ slightly.
    np.testing.assert_allclose(
        np.array(inference["outputs"][0]["values"]), np.array(plain["outputs"][0]["values"]), atol=1e-6
    )
    assert any("training mode" in n for n in inference["notes"])
    trained = run_json(*x_args, "--training")
    assert trained["training"] is True
    x = np.arange(1, 4 * 3 * 2 + 1, dtype=np.float32).reshape(4, 3, 2)
    expected, _, _ = keras_direct(keras, x, training=True, units=3, dropout=0.5, recurrent_dropout=0.3, seed=1)
    np.testing.assert_allclose(np.array(trained["outputs"][0]["values"]), expected[0], rtol=1e-6, atol=1e-7)
    assert np.abs(np.array(trained["outputs"][0]["values"]) - np.array(plain["outputs"][0]["values"])).max() > 1e-3


def test_dropout_of_exactly_one_is_flagged_and_drops_nothing(run_json):
    full = run_json("--dropout", "1.0", "--training", "--batch", "3")
    none = run_json("--batch", "3")
    assert full["outputs"] == none["outputs"]
    assert any("exactly 1" in n for n in full["notes"])


def test_implementation_reaches_the_cell_and_is_explained(run_json, invoke, keras):
    without = run_json("--batch", "4")
    one = run_json("--batch", "4", "--implementation", "1")
    np.testing.assert_allclose(
        np.array(one["outputs"][0]["values"]), np.array(without["outputs"][0]["values"]), atol=1e-6
    )
    assert one["config"]["implementation"] == 1
    assert any("still reads it" in n for n in one["notes"])
    training = ["--batch", "4", "--dropout", "0.5", "--training", "--use-cudnn", "false"]
    two_masks = run_json(*training, "--implementation", "2")
    four_masks = run_json(*training, "--implementation", "1")
    x = np.arange(1, 4 * 10 * 2 + 1, dtype=np.float32).reshape(4, 10, 2)
    expected, layer, _ = keras_direct(keras, x, training=True, units=3, dropout=0.5, use_cudnn=False, implementation=1)
    assert layer.cell.implementation == 1
    np.testing.assert_allclose(np.array(four_masks["outputs"][0]["values"]), expected[0], rtol=1e-6, atol=1e-7)
    assert four_masks["outputs"] != two_masks["outputs"]
    shown = invoke("--implementation", "1")
    assert shown.exit_code == 0 and "still reads it" in " ".join(shown.stdout.split())


def test_keras_still_crashes_where_the_implementation_guard_refuses(keras, invoke):
    layer = keras.layers.LSTM(3, implementation=1, dropout=0.5)
    with pytest.raises(Exception, match="Rank of input"):
        layer(np.ones((4, 5, 2), dtype="float32"), training=True)
    result = invoke("--implementation", "1", "--dropout", "0.5", "--training", "--batch", "4")
    assert result.exit_code == 2
    assert "add --use-cudnn false" in result.stderr


def test_stateful_combinations_all_run(run_json):
    for extra in (["--go-backwards"], ["--unroll"], ["--return-state", "--return-sequences"], ["--batch", "3"]):
        doc = run_json("--stateful", *extra)
        assert doc["config"]["stateful"] is True
        assert doc["layer"]["input_shape"][0] == doc["input"]["shape"][0]


def test_json_round_trips_and_holds_every_argument(invoke):
    result = invoke("--json", "--kernel-regularizer", "l2(0.001)", "--units", "2")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert json.loads(json.dumps(doc)) == doc
    assert set(doc) >= {
        "config",
        "input",
        "outputs",
        "weights",
        "param_count",
        "random_seed",
        "keras_version",
        "tensorflow_version",
    }
    from lstm_explorer.catalogue import ARGUMENTS

    assert set(doc["config"]) == {a.name for a in ARGUMENTS}
    assert doc["config"]["kernel_regularizer"] == "l2(0.001)"
    assert doc["config"]["use_cudnn"] == "auto"
    assert doc["explicit"] == ["units", "kernel_regularizer"]
    assert result.stderr == ""


def test_non_finite_outputs_become_null_in_json(run_json):
    doc = run_json(
        "--activation", "exponential", "--recurrent-activation", "linear", "--kernel-initializer", "constant(10)"
    )
    values = np.array(doc["outputs"][0]["values"], dtype=float)
    assert np.isnan(values).any()


def test_training_mode_dropout_reproduces_without_a_seed(run_json):
    first = run_json("--batch", "3", "--dropout", "0.5", "--training")
    second = run_json("--batch", "3", "--dropout", "0.5", "--training")
    assert first["outputs"] == second["outputs"]
