"""`fit` and `vary --fit`: the training is Keras's own (the same history as Keras called directly in
the test), the measurements are what an independent computation gives, the verdict is the paired
t-test's, and a long job behaves (progress on a terminal only, Ctrl-C keeps what finished).
Every training here is tiny: a few epochs of a few dozen sequences."""

from __future__ import annotations

import io
import json
import math
import signal
import subprocess
import time

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer import checkpoint, tasks
from tests.test_signals import ENTRY, _env

TINY = dict(epochs=3, samples=64, units=4)


def _keras():
    import keras

    return keras


def _direct(data: tasks.TaskData, seed: int, *, epochs: int, batch_size: int = 32, rate: float = 0.01, **layer):
    """The same model trained by Keras directly: seed, build, compile, fit."""
    keras = _keras()
    keras.utils.set_random_seed(seed)
    _, timesteps, features = data.x_train.shape
    inputs = keras.Input((timesteps, features))
    units = layer.pop("units")
    sequence = keras.layers.LSTM(units, **layer)(inputs)  # built in the tool's order: the seed decides both
    model = keras.Model(inputs, keras.layers.Dense(data.target_size)(sequence))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=rate), loss="mse")
    history = model.fit(
        data.x_train,
        data.y_train,
        batch_size=batch_size,
        epochs=epochs,
        validation_data=(data.x_val, data.y_val),
        shuffle=True,
        verbose=0,
    )
    return model, history.history


def _tape_reach(model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    import tensorflow as tf

    inputs = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        loss = tf.reduce_mean(tf.square(model(inputs, training=False) - y))
    return np.abs(tape.gradient(loss, inputs).numpy()).mean(axis=(0, 2))


@pytest.mark.parametrize("layer", [{}, {"dropout": 0.25, "recurrent_dropout": 0.1}], ids=["plain", "dropout"])
def test_the_history_is_keras_s_own(layer):
    fit = lstm_explorer.fit(repeats=2, **TINY, **layer)
    data = fit.plan.data
    assert [run.seed for run in fit.runs] == [42, 43]
    for run in fit.runs:
        _, history = _direct(data, run.seed, epochs=3, units=4, **layer)
        np.testing.assert_allclose([e.loss for e in run.history], history["loss"], rtol=1e-6)
        np.testing.assert_allclose([e.val_loss for e in run.history], history["val_loss"], rtol=1e-6)
    finals = [run.history[-1].val_loss for run in fit.runs]
    assert fit.final == pytest.approx((np.mean(finals), np.std(finals, ddof=1)))


def test_the_gradient_s_reach_is_the_tape_s():
    """|∂loss/∂x_t| before training (the freshly built model) and after (the model Keras trained)."""
    fit = lstm_explorer.fit(**TINY)
    data, run = fit.plan.data, fit.runs[0]
    keras = _keras()
    keras.utils.set_random_seed(42)
    _, timesteps, features = data.x_train.shape
    inputs = keras.Input((timesteps, features))
    sequence = keras.layers.LSTM(4)(inputs)
    fresh = keras.Model(inputs, keras.layers.Dense(data.target_size)(sequence))
    x, y = data.x_val[:256], data.y_val[:256]
    np.testing.assert_allclose(run.before.reach, _tape_reach(fresh, x, y), rtol=1e-5)
    trained, _ = _direct(data, 42, epochs=3, units=4)
    np.testing.assert_allclose(run.after.reach, _tape_reach(trained, x, y), rtol=1e-4)
    assert run.before.reach.shape == (timesteps,)


def test_the_gates_and_weights_measured_are_the_layer_s():
    """The forget gate's bias starts at 1 with unit_forget_bias and at 0 without; the RMS of each
    weight is the trained layer's."""
    on = lstm_explorer.fit(**TINY).runs[0]
    off = lstm_explorer.fit(unit_forget_bias=False, **TINY).runs[0]
    assert on.before.forget_bias == 1.0 and off.before.forget_bias == 0.0
    trained, _ = _direct(lstm_explorer.fit(**TINY).plan.data, 42, epochs=3, units=4)
    lstm = next(layer for layer in trained.layers if layer.__class__.__name__ == "LSTM")
    for weight in lstm.weights:
        assert on.after.weights[weight.name] == pytest.approx(float(np.sqrt(np.mean(weight.numpy() ** 2))), rel=1e-5)
    for gate in ("i", "f", "c̃", "o"):
        assert -1.0 <= on.before.gates[gate] <= 1.0


def test_next_learns_below_its_baseline(invoke):
    result = invoke("fit", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    data = tasks.make("next", seed=42)
    expected = float(np.mean((data.y_val.astype(np.float64) - data.y_train.astype(np.float64).mean(axis=0)) ** 2))
    assert document["baseline"]["value"] == pytest.approx(expected)
    assert document["final"]["mean"] < document["baseline"]["value"] / 10
    assert [e["epoch"] for e in document["runs"][0]["history"]] == list(range(1, 21))


def test_the_json_document_has_every_part(run_json):
    document = run_json("fit", *_flags(TINY), "--repeats", "2")
    assert {"task", "baseline", "runs", "final", "gradient_reach", "constraints", "penalty", "settings"} <= set(
        document
    )
    assert [run["seed"] for run in document["runs"]] == [42, 43]
    assert set(document["runs"][0]["history"][0]) == {"epoch", "loss", "val_loss", "seconds"}
    assert document["runs"][0]["final_val_loss"] == document["runs"][0]["history"][-1]["val_loss"]
    reach = document["gradient_reach"]
    assert reach["t"] == list(range(10)) and len(reach["before"]) == len(reach["after"]) == 10
    assert document["penalty"]["value"] == 0.0 and document["constraints"] == []
    assert document["interrupted"] is False


def _flags(options: dict) -> list[str]:
    return [word for name, value in options.items() for word in ("--" + name.replace("_", "-"), str(value))]


def test_the_same_command_gives_the_same_numbers(run_json):
    first, second = (run_json("fit", *_flags(TINY), "--dropout", "0.3") for _ in range(2))
    for document in (first, second):
        for run in document["runs"]:
            for epoch in run["history"]:
                epoch.pop("seconds")
    assert first == second


def test_constraints_and_the_penalty_against_the_saved_weights(invoke, tmp_path):
    path = tmp_path / "trained.keras"
    result = invoke(
        "fit",
        *_flags(TINY),
        "--kernel-constraint",
        "max_norm(0.3)",
        "--kernel-regularizer",
        "l2(0.01)",
        "--save",
        str(path),
        "--json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    model = _keras().saving.load_model(path, compile=False)
    kernel = next(w for w in model.weights if w.path.endswith("lstm_cell/kernel")).numpy()
    assert np.linalg.norm(kernel, axis=0).max() <= 0.3 + 1e-6
    [check] = document["constraints"]
    assert check["argument"] == "kernel_constraint" and check["holds"] is True
    penalty = document["penalty"]
    assert penalty["value"] == pytest.approx(0.01 * float(np.sum(kernel.astype(np.float64) ** 2)), rel=1e-3)
    assert penalty["share"] == pytest.approx(penalty["value"] / penalty["loss"])
    assert document["saved"] == str(path)


def test_a_saved_model_is_the_trained_one_and_explorable(invoke, tmp_path):
    path = tmp_path / "next.keras"
    result = invoke("fit", *_flags(TINY), "--save", str(path), "--json")
    assert result.exit_code == 0, result.output
    last = json.loads(result.stdout)["runs"][0]["history"][-1]["val_loss"]
    data = tasks.make("next", samples=64, seed=42)
    model = _keras().saving.load_model(path, compile=False)
    predicted = model.predict(data.x_val, verbose=0)
    assert float(np.mean((predicted - data.y_val) ** 2)) == pytest.approx(last, rel=1e-5)
    explored = invoke("--model", str(path), "trace", "--json")
    assert explored.exit_code == 0, explored.output
    before = path.read_bytes()
    again = invoke("fit", *_flags(TINY), "--save", str(path))
    assert again.exit_code == 2 and "--save" in again.stderr
    assert path.read_bytes() == before
    forced = invoke("fit", *_flags(TINY), "--learning-rate", "0.05", "--save", str(path), "--force")
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.keras"]


def test_the_delay_task_trains_every_step(run_json):
    document = run_json("fit", "--task", "delay", "--delay", "2", "--timesteps", "6", *_flags(TINY))
    assert document["task"]["target_per_step"] is True and document["task"]["timesteps"] == 6
    assert document["config"]["return_sequences"] is True
    assert any("return_sequences is set to true" in note for note in document["notes"])


def test_a_stateful_layer_trains_in_order_on_whole_batches(run_json):
    document = run_json("fit", "--stateful", "--batch-size", "16", "--samples", "72", "--epochs", "2", "--units", "3")
    task = document["task"]
    assert task["train_samples"] % 16 == 0 and task["validation_samples"] % 16 == 0
    assert any("read in order, without shuffling" in note for note in document["notes"])


def test_the_stateful_history_is_keras_s_with_states_reset_each_epoch():
    fit = lstm_explorer.fit(stateful=True, batch_size=16, samples=72, epochs=2, units=3)
    keras, data = _keras(), fit.plan.data
    keras.utils.set_random_seed(42)
    inputs = keras.Input((10, 2), batch_size=16)
    lstm = keras.layers.LSTM(3, stateful=True)
    sequence = lstm(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(sequence))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")

    class Reset(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            lstm.reset_state()

        def on_test_begin(self, logs=None):
            lstm.reset_state()

    history = model.fit(
        data.x_train,
        data.y_train,
        batch_size=16,
        epochs=2,
        validation_data=(data.x_val, data.y_val),
        shuffle=False,
        verbose=0,
        callbacks=[Reset()],
    ).history
    np.testing.assert_allclose([e.loss for e in fit.runs[0].history], history["loss"], rtol=1e-6)
    np.testing.assert_allclose([e.val_loss for e in fit.runs[0].history], history["val_loss"], rtol=1e-6)


def test_files_as_input_and_target(run_json, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (40, 5, 3)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    (tmp_path / "y.json").write_text(json.dumps(x[:, -1, :1].tolist()))
    document = run_json(
        "fit", "--input", str(tmp_path / "x.npy"), "--target", str(tmp_path / "y.json"), "--epochs", "2"
    )
    assert document["task"] == {
        "name": "files",
        "train_samples": 30,
        "validation_samples": 10,
        "timesteps": 5,
        "features": 3,
        "target_size": 1,
        "target_per_step": False,
    }


def test_vary_fit_compares_the_same_seeds_with_a_paired_t_test(run_json):
    """Three seeds: df = 2, where Student's t has a closed form, P(|T| > t) = 1 − t / √(2 + t²)."""
    document = run_json(
        "vary", "unit_forget_bias", "true", "false", "--fit", "--repeats", "3", *_flags({"epochs": 2, "samples": 64})
    )
    rows = {row["value"]: row for row in document["rows"]}
    assert set(rows) == {"true", "false"}
    for row in rows.values():
        assert [run["seed"] for run in row["runs"]] == [42, 43, 44]
        finals = [run["final_val_loss"] for run in row["runs"]]
        assert row["final"]["mean"] == pytest.approx(np.mean(finals))
        assert row["final"]["std"] == pytest.approx(np.std(finals, ddof=1))
    verdict = document["verdict"]
    best = min(rows, key=lambda value: rows[value]["final"]["mean"])
    other = next(value for value in rows if value != best)
    d = [a["final_val_loss"] - b["final_val_loss"] for a, b in zip(rows[best]["runs"], rows[other]["runs"])]
    mean, sd = sum(d) / 3, math.sqrt(sum((v - sum(d) / 3) ** 2 for v in d) / 2)
    t = mean / (sd / math.sqrt(3))
    assert verdict["best"] == best
    assert verdict["p_value"] == pytest.approx(1 - abs(t) / math.sqrt(2 + t * t), rel=1e-9)
    assert verdict["effect_size"] == pytest.approx(abs(mean / sd), rel=1e-9)
    assert verdict["clear"] is (verdict["p_value"] < 0.05)


def test_vary_fit_with_one_seed_claims_nothing(invoke):
    result = invoke("vary", "dropout", "0", "0.3", "--fit", *_flags({"epochs": 2, "samples": 32}))
    assert result.exit_code == 0, result.output
    assert "One seed per value: there is nothing to test a difference against" in result.stdout


def test_the_verdict_says_so_only_when_the_seeds_agree():
    """Numbers chosen for the test: a consistent difference is clear, a noisy one is not."""
    from lstm_explorer.fitting import FitRow, FitVary, Plan
    from lstm_explorer.render.fit_view import verdict_text
    from lstm_explorer.training import Epoch, Settings, Snapshot, Training

    snapshot = Snapshot(3, {}, 0.0, {}, None, np.ones(3))
    data = tasks.make("next", samples=16)

    def row(label: str, losses: list[float]) -> FitRow:
        runs = []
        for seed, loss in enumerate(losses):
            run = Training(seed, snapshot, [Epoch(1, loss, loss, 0.1)], snapshot, epochs=1)
            runs.append(run)
        return FitRow(label, None, runs)  # type: ignore[arg-type]

    plan = Plan(data, Settings(1, 32, 0.01), [0, 1, 2, 3, 4])
    clear = FitVary("x", None, plan, [row("a", [0.10, 0.20, 0.30, 0.40, 0.50]), row("b", [0.2, 0.31, 0.39, 0.52, 0.6])])  # type: ignore[arg-type]
    assert clear.verdict.clear and verdict_text(clear).startswith("a gives a lower final validation loss")
    noisy = FitVary("x", None, plan, [row("a", [0.1, 0.5, 0.2, 0.6, 0.3]), row("b", [0.4, 0.2, 0.5, 0.1, 0.6])])  # type: ignore[arg-type]
    assert not noisy.verdict.clear and verdict_text(noisy).startswith("No clear difference at this size")


def test_progress_shows_on_a_terminal_and_never_with_json(monkeypatch):
    from rich.console import Console

    from lstm_explorer import cli
    from lstm_explorer.render import console as consoles
    from lstm_explorer.render.terminal import Terminal

    screen = io.StringIO()
    monkeypatch.setattr(consoles, "make_console", lambda *a, **k: Console(file=screen, force_terminal=True))
    terminal = Terminal(io.StringIO(), screen, 80, False, "en")
    for json_output in (True, False):
        asked = cli.Request({}, {}, json_output, False, None, False, terminal)
        with cli.training_progress(asked, "next") as progress:
            progress(1, 4)
        assert ("Training · next" in screen.getvalue()) is not json_output


def test_a_pipe_gets_no_progress(tmp_path):
    done = subprocess.run(
        [ENTRY, "fit", *_flags(TINY)], capture_output=True, text=True, env=_env(), timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""
    assert "Final validation loss" in done.stdout


@pytest.mark.parametrize("json_output", [False, True], ids=["terminal", "json"])
def test_ctrl_c_during_training_shows_what_finished_and_exits_130(tmp_path, json_output):
    """The process says it finished epoch 1 (the handshake), then gets Ctrl-C in epoch 2."""
    marker = tmp_path / "reached"
    args = [ENTRY, "fit", *_flags({**TINY, "epochs": 5}), *(["--json"] if json_output else [])]
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(**{checkpoint.ENVIRONMENT_VARIABLE: f"epoch:{marker}"}),
    )
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 130, stderr.decode()[-2000:]
    assert stderr.decode() == "Error: interrupted (Ctrl-C)\n"
    if json_output:
        document = json.loads(stdout)
        assert document["interrupted"] is True
        assert [e["epoch"] for e in document["runs"][0]["history"]] == [1]
        assert document["final"] is None
    else:
        assert "Interrupted: 1 of 5 epochs finished" in stdout.decode()


def test_the_loss_chart_puts_each_point_on_its_log_row():
    from lstm_explorer.render.fit_view import line_chart

    losses = [1.0, 0.1, 0.01, 0.001]
    lines = line_chart({"loss": losses}, baseline=0.1, width=20, height=4)
    rows = [line.split("│", 1)[1] for line in lines[:-1]]
    assert lines[0].startswith("    1 │") and lines[3].startswith("0.001 │")
    assert [row.index("·") for row in rows if "·" in row] == [0, 3, 6, 9]  # three columns an epoch
    assert set(rows[1]) == {"─", "·"}  # the baseline's row, 0.1, crossed by the second epoch
    many = line_chart({"loss": [0.5] * 500}, baseline=1.0, width=60)
    assert max(len(line) for line in many) <= 60


def test_plot_writes_the_losses_and_the_reach(invoke, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "fit.png"
    result = invoke("fit", *_flags(TINY), "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"to {path}" in result.stderr
    again = invoke("fit", *_flags(TINY), "--plot", str(path))
    assert again.exit_code == 2 and "--plot" in again.stderr


def test_the_help_states_the_defaults_the_code_uses():
    from lstm_explorer import fitting
    from lstm_explorer.cli_core import english

    for key, default in (
        ("epochs", fitting.DEFAULT_EPOCHS),
        ("repeats", fitting.DEFAULT_REPEATS),
        ("batch_size", fitting.DEFAULT_BATCH_SIZE),
        ("learning_rate", fitting.DEFAULT_LEARNING_RATE),
        ("samples", tasks.DEFAULT_SAMPLES),
        ("delay", tasks.DEFAULT_DELAY),
    ):
        assert f"(default {default})" in english(f"help.option.{key}"), key
    assert "Default: next." in english("help.option.task")
