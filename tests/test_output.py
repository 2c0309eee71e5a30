"""What a person sees: the rich report, --help panels, quietness and start-up cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from lstm_explorer.catalogue import ARGUMENTS, Panel
from lstm_explorer.keras_doc import parse_args_section, read_keras_doc

from conftest import heavy_imports_of

ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


def test_report_sections_and_values(invoke, run_json):
    result = invoke("--units", "3", "--return-sequences")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for heading in (
        "Input (1, 10, 2)",
        "Arguments units=3, return_sequences=True",
        "Model summary",
        "Parameters",
        "sequence (1, 10, 3)",
    ):
        assert heading in out
    for hidden in ("Configuration", "Weights:", "Input: "):
        assert hidden not in out
    assert "4 × (3 × (2 + 3) + 3) = 72" in out
    assert "K (2, 12), R (3, 12), b (12,): i 0–2 · f 3–5 · c̃ 6–8 · o 9–11" in " ".join(out.split())
    doc = run_json("--units", "3", "--return-sequences")
    rows = [line.split() for line in out.splitlines() if line.strip().startswith("t=")]
    shown = [[float(v) for v in row[1:]] for row in rows if len(row) == 4]
    np.testing.assert_allclose(shown, doc["outputs"][0]["values"][0], atol=5e-7)


def test_all_shows_every_table(invoke, run_json):
    out = invoke("--units", "3", "--return-sequences", "--all").stdout
    for heading in ("Configuration", "Model summary", "Parameters", "Weights:", "Input: ", "sequence (1, 10, 3)"):
        assert heading in out
    assert "kernel (2, 12), recurrent_kernel (3, 12), bias (12,)" in out
    doc = run_json("--units", "3")
    kernel = np.array(next(w for w in doc["weights"] if w["name"] == "kernel")["values"])
    row = next(line.split() for line in out.splitlines() if line.strip().startswith("c̃1 (col 7)"))
    np.testing.assert_allclose([float(v) for v in row[3:5]], kernel[:, 7], atol=5e-5)


def test_changed_values_are_marked(invoke):
    out = invoke("--dropout", "0.25", "--activation", "relu", "--all").stdout
    rows = {
        line.split()[1]: line for line in out.splitlines() if line.strip().startswith("● ") and "differs" not in line
    }
    assert set(rows) == {"activation", "dropout"}
    assert "relu" in rows["activation"] and "0.25" in rows["dropout"]
    short = " ".join(invoke("--dropout", "0.25", "--activation", "relu").stdout.split())
    assert "Arguments units=3 (the tutorial's; Keras has no default), activation=relu, dropout=0.25;" in short


def test_no_bias_formula(invoke):
    out = invoke("--no-use-bias", "--units", "4").stdout
    assert "4 × units × (input_dim + units)" in out
    assert "4 × 4 × (2 + 4) = 96" in out


def test_docstrings_of_set_arguments_come_from_keras(invoke, keras):
    out = invoke("--dropout", "0.1", "--go-backwards").stdout
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭") and "says about the arguments you set" in line)
    bottom = next(i for i in range(top, len(lines)) if lines[i].startswith("╰"))
    panel = " ".join(" ".join(line.strip("│ ").split()) for line in lines[top + 1 : bottom])
    assert f"What Keras {keras.__version__} says" in lines[top]
    expected = parse_args_section(keras.layers.LSTM.__doc__)
    assert panel == f"dropout: {expected['dropout']} go_backwards: {expected['go_backwards']}"


def test_keras_doc_is_read_without_importing_and_equals_the_live_docstring(keras):
    doc = read_keras_doc()
    assert doc.version == keras.__version__
    live = parse_args_section(keras.layers.LSTM.__doc__)
    assert doc.arguments == live
    assert {a.name for a in ARGUMENTS if a.is_keras3_argument} <= set(doc.arguments)


def test_long_inputs_are_elided_in_tables_but_complete_in_json(invoke, run_json):
    out = invoke("--timesteps", "50", "--return-sequences", "--batch", "5").stdout
    assert "t=49" in out and "t=25" not in out and "…" in out
    assert "2 more samples" in out
    doc = run_json("--timesteps", "50", "--return-sequences", "--batch", "5")
    assert np.array(doc["outputs"][0]["values"]).shape == (5, 50, 3)


def test_help_groups_flags_in_panels(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    for panel in Panel:
        assert (panel.value in result.stdout) is (panel is not Panel.TRAINING)
    assert Panel.TRAINING.value in invoke("fit", "--help").stdout
    for argument in ARGUMENTS:
        assert argument.flag in result.stdout


def _subprocess(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "lstm_explorer", *args]
    return subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=600)


def test_help_does_not_import_tensorflow():
    heavy, stdout = heavy_imports_of("--help")
    assert heavy == []
    assert "Shape and outputs" in stdout


def test_a_real_run_is_quiet_and_python_m_works():
    result = _subprocess("--units", "2", "--stateful")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.lstrip().startswith("─")
    assert "oneDNN" not in result.stdout and "absl" not in result.stdout


def test_json_on_stdout_and_nothing_else():
    result = _subprocess("--json", "--units", "2")
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["param_count"] == 4 * (2 * (2 + 2) + 2)


def test_error_in_a_real_process_is_one_line():
    result = _subprocess("--time-major")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: --time-major was removed in Keras 3")


def test_subcommand_help_keeps_every_flag_and_its_brackets(invoke):
    for command in ("trace", "vary", "code"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        flat = " ".join(result.stdout.split())
        assert "--use-cudnn [auto|true|false]" in flat and "--implementation [1|2]" in flat
        for argument in ARGUMENTS:
            assert argument.flag in result.stdout, (command, argument.flag)
