"""`vary` against separate runs, and the exported scripts against the tool's own numbers."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from lstm_explorer.scripts import torch_parameters

from conftest import numpy_lstm


def _vary(invoke, *args):
    result = invoke("vary", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_vary_rows_agree_with_separate_runs(invoke, run_json):
    doc = _vary(invoke, "units", "1", "3", "5", "--batch", "2")
    assert [row["value"] for row in doc["rows"]] == ["1", "3", "5"]
    for row in doc["rows"]:
        single = run_json("--units", row["value"], "--batch", "2")
        assert row["param_count"] == single["param_count"]
        assert row["output_shapes"] == [o["shape"] for o in single["outputs"]]
        assert row["outputs"][0] == np.array(single["outputs"][0]["values"]).ravel().tolist()
        assert row["cudnn_eligible"] is single["effects"]["cudnn"]["eligible"]
    assert [row["shared_weights"] for row in doc["rows"]] == [True, False, False]
    assert doc["rows"][1]["max_abs_diff_vs_first"] is None


def test_vary_booleans_default_to_both_and_share_weights(invoke, run_json):
    doc = _vary(invoke, "go_backwards", "--return-sequences", "--timesteps", "5")
    assert [row["value"] for row in doc["rows"]] == ["false", "true"]
    forward = run_json("--return-sequences", "--timesteps", "5")
    w = {x["name"]: np.array(x["values"]) for x in forward["weights"]}
    x = np.array(forward["input"]["values"])
    assert doc["rows"][0]["outputs"][0] == np.array(forward["outputs"][0]["values"]).ravel().tolist()
    on_reversed, _, _ = numpy_lstm(x[:, ::-1], w["kernel"], w["recurrent_kernel"], w["bias"])
    np.testing.assert_allclose(np.array(doc["rows"][1]["outputs"][0]), on_reversed.ravel(), atol=1e-5)
    assert doc["rows"][1]["max_abs_diff_vs_first"] == pytest.approx(
        np.abs(np.array(doc["rows"][1]["outputs"][0]) - np.array(doc["rows"][0]["outputs"][0])).max()
    )


def test_vary_losses_and_refused_values(invoke):
    doc = _vary(invoke, "kernel_regularizer", "none", "l2(0.01)", "l2(0.1)")
    losses = [row["loss"] for row in doc["rows"]]
    assert losses[0] == 0 and losses[2] == pytest.approx(10 * losses[1], rel=1e-5)
    cudnn = _vary(invoke, "use_cudnn")
    assert [row["value"] for row in cudnn["rows"]] == ["auto", "false", "true"]
    assert "needs a GPU" in cudnn["rows"][2]["error"]
    assert _vary(invoke, "activation", "tanh", "relu")["rows"][1]["cudnn_eligible"] is False


def test_vary_initializers_use_their_own_weights(invoke):
    doc = _vary(invoke, "kernel_initializer", "zeros", "ones")
    assert doc["same_initial_weights"] is False
    assert doc["rows"][0]["outputs"] != doc["rows"][1]["outputs"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["units"], "vary units needs values, e.g. lstm-explore vary units 1 2 4 8"),
        (["units", "two"], "vary units: 'two' is not an integer"),
        (["go_backwards", "maybe"], "vary go_backwards: 'maybe' is not true or false"),
        (["dropout", "2"], "--dropout must be between 0 and 1, got 2.0"),
        (["unitz", "2"], "vary: unknown argument 'unitz'; did you mean 'units'?"),
    ],
)
def test_vary_bad_input(invoke, args, message):
    result = invoke("vary", *args)
    assert result.exit_code == 2 and message in result.stderr


def _run_script(source: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=600,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    "args",
    [
        ["--units", "4", "--return-state", "--go-backwards", "--kernel-regularizer", "l2(0.001)"],
        [
            "--return-sequences",
            "--kernel-initializer",
            "random_normal(stddev=0.05, seed=1)",
            "--bias-initializer",
            "constant(0.5)",
            "--activation",
            "relu",
            "--batch",
            "2",
            "--random-seed",
            "7",
        ],
        ["--training", "--dropout", "0.5", "--batch", "4", "--return-sequences"],
        [
            "--training",
            "--dropout",
            "0.3",
            "--recurrent-dropout",
            "0.4",
            "--seed",
            "3",
            "--batch",
            "3",
            "--return-state",
        ],
    ],
    ids=["inference", "initializers", "training", "training-seeded"],
)
def test_keras_script_prints_the_tools_numbers(invoke, run_json, args):
    script = invoke("code", *args).stdout
    assert "keras.Input(batch_shape=" in script and "keras.layers.LSTM(" in script
    assert f"training={'--training' in args}" in script
    printed = _run_script(script)
    doc = run_json(*args)
    assert [p["name"] for p in printed] == [o["name"] for o in doc["outputs"]]
    for line, output in zip(printed, doc["outputs"]):
        assert line["values"] == output["values"]


def test_keras_script_embeds_file_input(invoke, run_json, tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
    printed = _run_script(invoke("code", "--input", str(path), "--units", "2").stdout)
    assert printed[0]["values"] == run_json("--input", str(path), "--units", "2")["outputs"][0]["values"]


def _torch_convention_forward(x, p, go_backwards=False):
    """torch.nn.LSTM's equations with its own layout: W·x + b_ih + W_hh·h + b_hh, gates i, f, g, o."""
    units = p["weight_hh_l0"].shape[1]
    x = x[:, ::-1] if go_backwards else x
    h = np.zeros((x.shape[0], units))
    c = np.zeros_like(h)
    sequence = []
    for t in range(x.shape[1]):
        gates = x[:, t] @ p["weight_ih_l0"].T + p["bias_ih_l0"] + h @ p["weight_hh_l0"].T + p["bias_hh_l0"]
        i, f, g, o = np.split(gates, 4, axis=1)
        c = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(g)
        h = 1 / (1 + np.exp(-o)) * np.tanh(c)
        sequence.append(h)
    return np.stack(sequence, axis=1)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_torch_mapping_reproduces_keras_numerically(run_json, go_backwards):
    args = ["--units", "3", "--return-sequences", "--batch", "2"] + (["--go-backwards"] if go_backwards else [])
    doc = run_json(*args)
    weights = {w["name"]: np.array(w["values"]) for w in doc["weights"]}
    p = torch_parameters(weights)
    assert p["weight_ih_l0"].shape == (12, 2) and p["weight_hh_l0"].shape == (12, 3)
    np.testing.assert_array_equal(p["bias_hh_l0"], np.zeros(12))
    got = _torch_convention_forward(np.array(doc["input"]["values"]), p, go_backwards)
    np.testing.assert_allclose(got, np.array(doc["outputs"][0]["values"]), atol=1e-5)


def test_torch_script_names_what_has_no_equivalent(invoke):
    script = invoke(
        "code", "--framework", "torch", "--dropout", "0.2", "--activation", "relu", "--kernel-constraint", "non_neg"
    ).stdout
    compile(script, "torch_script.py", "exec")
    for name in ("# - activation:", "# - dropout:", "# - kernel_constraint:"):
        assert name in script
    assert "# - units" not in script and "hidden_size=3" in script and "batch_first=True" in script


def test_torch_script_runs_when_torch_is_installed(invoke, run_json):
    pytest.importorskip("torch")
    args = ["--units", "3", "--return-sequences", "--return-state", "--go-backwards"]
    printed = _run_script(invoke("code", "--framework", "torch", *args).stdout)
    doc = run_json(*args)
    flipped = np.array(printed[0]["values"])
    np.testing.assert_allclose(flipped, np.array(doc["outputs"][0]["values"]), atol=1e-5)
    np.testing.assert_allclose(np.array(printed[1]["values"]), np.array(doc["outputs"][1]["values"]), atol=1e-5)


def test_code_rejects_an_unknown_framework(invoke):
    result = invoke("code", "--framework", "jax")
    assert result.exit_code == 2 and "--framework must be keras or torch" in result.stderr
