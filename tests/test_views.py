"""Every view of a run shows the pass that ran, fits the terminal without cutting a number, and leads
with what came out."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from rich.cells import cell_len

from lstm_explorer.cli import app

from conftest import TERMINAL, numpy_lstm

TRAINING = ["--training", "--dropout", "0.5", "--seed", "1", "--batch", "4", "--return-sequences"]
# A number rich shortened: digits or a point or a sign right before or after an ellipsis.
CUT_NUMBER = re.compile(r"[\d.\-]…|…\d")


def weights(doc):
    return {w["name"]: np.array(w["values"]) for w in doc["weights"]}


def _flat(text: str) -> str:
    """The words of a report, panel borders dropped, so that a sentence reads the same however it wrapped."""
    return " ".join(text.replace("│", " ").split())


def _at_width(runner, width: int, *args: str):
    result = runner.invoke(app, list(args), env={**TERMINAL, "COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def training_run(run_json):
    return run_json(*TRAINING)


def test_training_masks_are_the_ones_keras_applied(training_run):
    """The masks in the document, applied to x by an independent NumPy LSTM, give the training output."""
    (mask,) = training_run["dropout_masks"]
    values = np.array(mask["values"])
    assert mask["name"] == "input_mask" and mask["shape"] == [4, 2]
    assert set(np.unique(values)) <= {0.0, 2.0}  # dropped, or kept and scaled by 1 / (1 - 0.5)
    x = np.array(training_run["input"]["values"])
    w = weights(training_run)
    sequence, _, _ = numpy_lstm(x * values[:, None, :], w["kernel"], w["recurrent_kernel"], w["bias"])
    np.testing.assert_allclose(training_run["outputs"][0]["values"], sequence, atol=1e-5)
    plain, _, _ = numpy_lstm(x, w["kernel"], w["recurrent_kernel"], w["bias"])
    assert np.max(np.abs(sequence - plain)) > 0.1  # the masks did change the pass


def test_inference_runs_have_no_masks(run_json):
    assert run_json("--dropout", "0.5", "--batch", "4")["dropout_masks"] == []


@pytest.mark.parametrize("sample", [0, 3])
def test_trace_in_training_mode_equals_the_training_run_exactly(run_json, training_run, sample):
    traced = run_json("trace", *TRAINING, "--sample", str(sample))
    steps = np.array([step["h"] for step in traced["steps"]])
    assert np.array_equal(steps, np.array(training_run["outputs"][0]["values"][sample]))
    assert traced["dropout_masks"] == training_run["dropout_masks"]


@pytest.mark.parametrize(
    "extra",
    [
        ["--recurrent-dropout", "0.3"],
        ["--recurrent-dropout", "0.3", "--go-backwards"],
        ["--implementation", "1", "--use-cudnn", "false"],
    ],
    ids=["recurrent", "backwards", "four-masks"],
)
def test_trace_follows_every_kind_of_mask_bit_for_bit(run_json, extra):
    args = [*TRAINING, *extra]
    sequence = np.array(run_json(*args)["outputs"][0]["values"][1])
    steps = np.array([step["h"] for step in run_json("trace", *args, "--sample", "1")["steps"]])
    assert np.array_equal(steps, sequence)


def test_heatmap_shows_the_training_pass(invoke, training_run):
    out = invoke(*TRAINING).stdout
    assert "h over time, sample 0 (training pass, dropout masks applied; processing order)" in out
    assert "Dropout masks Keras drew for this call" in out and "input_mask (4, 2)" in out
    rows = out.split("h over time")[1].splitlines()[1:4]
    shown = "".join(line.split()[1] for line in rows)
    sequence = np.array(training_run["outputs"][0]["values"][0]).T
    bound = np.abs(sequence).max()
    from lstm_explorer.render.heatmap import LEVELS, RAMP

    expected = "".join(RAMP[min(int((v + bound) / (2 * bound) * LEVELS), LEVELS - 1)] * 2 for v in sequence.ravel())
    assert shown == expected


def test_saturation_counts_the_gates_of_the_pass_that_ran(training_run):
    x = np.array(training_run["input"]["values"]) * np.array(training_run["dropout_masks"][0]["values"])[:, None, :]
    w = weights(training_run)
    gates = []
    numpy_lstm(x, w["kernel"], w["recurrent_kernel"], w["bias"], gates=gates)
    values = np.array(gates)
    near = (np.abs(values) <= 1e-3) | (np.abs(values - 1) <= 1e-3)
    assert training_run["effects"]["saturation"]["share"] == pytest.approx(near.mean(), abs=2 / near.size)


def test_the_png_draws_the_training_pass(tmp_path):
    """The figure's h panel holds the training sequence, and its title names the pass."""
    pytest.importorskip("matplotlib")
    from lstm_explorer import engine, inputs
    from lstm_explorer.catalogue import ARGUMENTS
    from lstm_explorer.config import build_config
    from lstm_explorer.render.plot import _figure

    config = build_config(
        {**{a.name: a.default for a in ARGUMENTS}, "dropout": 0.5, "seed": 1, "return_sequences": True}
    )
    drawn = {}
    for training in (False, True):
        result = engine.run(config, inputs.generated(4, 10, 2), random_seed=42, training=training)
        figure = _figure(result)
        h_panel = figure.axes[0]
        assert h_panel.get_title() == "h (hidden state)"
        drawn[training] = np.asarray(h_panel.images[0].get_array())
        np.testing.assert_array_equal(drawn[training], result.outputs[0].values[0].T.astype(np.float64))
        assert result.pass_name in figure._suptitle.get_text()
    assert not np.array_equal(drawn[False], drawn[True])


def test_plot_says_where_it_wrote(invoke, tmp_path):
    path = tmp_path / "lstm.png"
    result = invoke(*TRAINING, "--plot", str(path), "--json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert (
        result.stderr
        == f"Plot written to {path}: h, c and every gate of sample 0 (training pass, dropout masks applied)\n"
    )


@pytest.mark.parametrize("timesteps", [5, 50, 500])
def test_png_ticks_stay_readable(timesteps):
    pytest.importorskip("matplotlib")
    from lstm_explorer import engine, inputs
    from lstm_explorer.catalogue import ARGUMENTS
    from lstm_explorer.config import build_config
    from lstm_explorer.render.plot import MAX_TICKS, _figure

    config = build_config({**{a.name: a.default for a in ARGUMENTS}, "go_backwards": True})
    result = engine.run(config, inputs.scaled(inputs.generated(1, timesteps, 2)), random_seed=42)
    figure = _figure(result)
    figure.canvas.draw()
    for ax in figure.axes[::2][:3]:
        labels = [tick.get_text() for tick in ax.get_xticklabels() if tick.get_text()]
        assert 2 <= len(labels) <= MAX_TICKS + 1
        positions = [int(round(tick)) for tick in ax.get_xticks() if 0 <= tick < timesteps]
        # under go_backwards the first column is the last timestep read first
        assert [int(label) for label in labels] == [timesteps - 1 - p for p in positions]


def test_vary_dropout_in_training_mode_gives_rows_that_differ(run_json):
    doc = run_json("vary", "dropout", "0", "0.2", "0.5", "--training", "--batch", "4")
    outputs = [np.array(row["outputs"][0]) for row in doc["rows"]]
    assert doc["training"] is True and doc["note"] is None
    assert not np.array_equal(outputs[0], outputs[1]) and not np.array_equal(outputs[1], outputs[2])
    single = run_json("--dropout", "0.5", "--training", "--batch", "4")
    np.testing.assert_array_equal(outputs[2], np.array(single["outputs"][0]["values"]).ravel())


def test_vary_dropout_at_inference_says_why_rows_are_equal(invoke, run_json):
    doc = run_json("vary", "recurrent_dropout", "0", "0.5")
    assert doc["rows"][0]["outputs"] == doc["rows"][1]["outputs"]
    assert "--training" in doc["note"]
    out = " ".join(invoke("vary", "recurrent_dropout", "0", "0.5").stdout.split())
    assert "Note: recurrent_dropout acts only in training mode" in out and "Add --training" in out


def test_vary_shows_each_rows_output_per_timestep(invoke, run_json):
    out = invoke("vary", "go_backwards", "--return-sequences").stdout
    doc = run_json("vary", "go_backwards", "--return-sequences")
    assert "regularization" in out and "loss" in out and "first output values" not in out
    assert "Outputs, h at each timestep of sample 0: A = go_backwards false; B = go_backwards true" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("t=")]
    assert [row[0] for row in rows] == [f"t={t}" for t in range(10)]
    shown = np.array([[float(v) for v in row[1:]] for row in rows])
    expected = np.concatenate([np.array(row["outputs"][0]).reshape(10, 3) for row in doc["rows"]], axis=1)
    np.testing.assert_allclose(shown, expected, atol=5e-5)


def test_return_sequences_demonstration_shows_the_real_sequence(invoke, run_json):
    doc = run_json("--show-effects")
    effect = doc["effects"]["return_sequences"]
    assert effect["sequence_shape"] == [1, 10, 3] and effect["output_shape"] == [1, 3]
    assert effect["last_row_equals_output"] is True and effect["max_abs_diff"] == 0
    out = _flat(invoke("--show-effects").stdout)
    assert "shape (1, 10, 3); False returns only the last one, shape (1, 3)" in out
    sequence = np.array(run_json("--return-sequences")["outputs"][0]["values"][0])
    block = out.split("the sequence, sample 0")[1].split("last row of the sequence")[0]
    numbers = [float(v) for v in re.findall(r"-?\d+\.\d{6}", block)]
    np.testing.assert_allclose(numbers, sequence.ravel(), atol=5e-7)


COMMANDS = [
    TRAINING,
    ["--dropout", "0.5", "--return-sequences", "--batch", "4"],
    ["--show-effects", "--return-state", "--batch", "2"],
    ["--all", "--units", "8", "--return-sequences"],
    ["--units", "40", "--timesteps", "30", "--return-sequences", "--activation", "relu"],
    ["trace", "--units", "2", "--training", "--dropout", "0.3"],
    ["trace", "--timesteps", "40", "--units", "3"],
    ["vary", "units", "1", "2", "4", "8", "16"],
    ["vary", "dropout", "0", "0.2", "0.5", "--training", "--batch", "3", "--return-sequences"],
]


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c[:3]) for c in COMMANDS])
def test_no_table_ever_cuts_a_number(runner, args, width):
    out = _at_width(runner, width, *args)
    cut = [line for line in out.splitlines() if CUT_NUMBER.search(line)]
    assert cut == []
    assert all(cell_len(line) <= width for line in out.splitlines())


def test_the_cut_detector_sees_a_cut_number():
    assert CUT_NUMBER.search("│ infe…  0.…  -0.2…") and not CUT_NUMBER.search("t=0  …  0.5  1 … 80")


def test_the_tutorial_configuration_fits_one_screen(runner):
    out = _at_width(runner, 100, "--units", "3", "--return-sequences")
    lines = out.splitlines()
    assert len(lines) <= 60
    last_step = next(k for k, line in enumerate(lines) if line.startswith("t=9"))
    assert last_step < 35  # the returned tensor is on the first screen, not after the weights


def test_explicit_run_command_is_the_bare_flags(invoke):
    bare = invoke("--units", "2", "--json").stdout
    assert invoke("run", "--units", "2", "--json").stdout == bare
    assert "Build the layer, call it on the input" in invoke("run", "--help").stdout


def test_weight_columns_are_labelled_as_weights(invoke, run_json):
    out = invoke("--all", "--units", "2").stdout
    header = next(line for line in out.splitlines() if line.strip().startswith("gate"))
    assert header.split() == ["gate", "K[0]", "K[1]", "R[0]", "R[1]", "b"]
    assert "K·x" not in out and "R·h" not in out


def test_the_candidate_has_one_name_on_screen(invoke):
    shown = invoke("--all", "--units", "2", "--show-effects").stdout + invoke("trace", "--units", "2").stdout
    labels = {line.split()[0] for line in shown.splitlines() if line.strip()}
    assert {"c̃0", "z_c̃", "c̃"} <= labels
    assert not labels & {"g", "z_g", "z_c", "c0", "g0"}
    assert "candidate c̃" not in shown or "c̃ (candidate)" in shown
