"""`trace`: every step reproduces the run exactly, gates match the NumPy reference, numbers add up."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_explorer.reference import lstm_forward


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--go-backwards", "--units", "4"],
        ["--implementation", "1", "--batch", "3", "--sample", "2"],
        ["--no-use-bias", "--activation", "relu", "--recurrent-activation", "hard_sigmoid"],
        ["--recurrent-dropout", "0.3", "--timesteps", "4", "--features", "3"],
    ],
)
def test_steps_reproduce_the_run_exactly(invoke, args):
    traced = invoke("trace", *args, "--json")
    assert traced.exit_code == 0, traced.output
    doc = json.loads(traced.stdout)
    run_args = [a for a in args if a not in ("--sample", "2")]
    run = json.loads(invoke(*run_args, "--return-sequences", "--json").stdout)
    sample = doc["sample"]
    sequence = np.array(run["outputs"][0]["values"])[sample]
    assert np.array_equal(np.array([s["h"] for s in doc["steps"]]), sequence)
    assert doc["outputs"][0]["values"][sample] == run["outputs"][0]["values"][sample][-1]


def test_gates_match_the_numpy_reference(invoke):
    doc = json.loads(invoke("trace", "--units", "3", "--batch", "2", "--sample", "1", "--json").stdout)
    w = {x["name"]: np.array(x["values"]) for x in doc["weights"]}
    forward = lstm_forward(np.array(doc["input"]["values"]), w["kernel"], w["recurrent_kernel"], w["bias"])
    assert len(doc["steps"]) == 10
    for step, ref in zip(doc["steps"], forward.steps):
        assert step["t"] == ref.t
        assert step["x"] == doc["input"]["values"][1][ref.t]
        for key in ("z", "i", "f", "g", "o", "c", "h"):
            np.testing.assert_allclose(step[key], getattr(ref, key)[1], atol=1e-5, rtol=1e-5)


def test_first_step_equations_show_the_arithmetic(invoke):
    doc = json.loads(invoke("trace", "--units", "2", "--json").stdout)
    out = invoke("trace", "--units", "2", "--unit", "1").stdout
    w = {x["name"]: np.array(x["values"]) for x in doc["weights"]}
    x0 = doc["input"]["values"][0][0]
    column = 0 * 2 + 1
    z_i = x0[0] * w["kernel"][0, column] + x0[1] * w["kernel"][1, column] + w["bias"][column]
    assert (
        f"z_i = x·K_i + h·R_i + b_i = {x0[0]:.4f}×{w['kernel'][0, column]:.4f} + {x0[1]:.4f}×{w['kernel'][1, column]:.4f}"
        in out
    )
    assert f"= {z_i:.4f}" in out
    assert "Unit 1, step by step" in out and "Unit 0, step by step" not in out
    assert "NumPy reference: max |Δ| =" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sample", "1"], "--sample must be between 0 and 0 (the batch has 1 samples), got 1"),
        (["--unit", "3"], "--unit must be between 0 and 2 (the layer has 3 units), got 3"),
        (["--unit", "-1"], "--unit must be between 0 and 2"),
        (["--show-effects"], "No such option: --show-effects"),
    ],
)
def test_trace_bad_input(invoke, args, message):
    result = invoke("trace", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
