"""Real processes: Ctrl-C, a reader that went away, terminals with and without colour."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from lstm_explorer import checkpoint

ENTRY = shutil.which("lstm-explore") or str(Path(sys.executable).parent / "lstm-explore")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    return {**env, "TERM": "xterm-256color", **extra}


def _interrupted_at(phase: str, args: list[str], marker: Path) -> tuple[int, bytes, bytes]:
    """Run with a pause at `phase`, wait for the handshake (the process creates `marker` there), send Ctrl-C."""
    process = subprocess.Popen(
        [ENTRY, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(**{checkpoint.ENVIRONMENT_VARIABLE: f"{phase}:{marker}"}),
    )
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(
                f"ended with {process.returncode} before {phase}: {process.stderr.read().decode()[-2000:]}"
            )  # type: ignore[union-attr]
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


@pytest.mark.parametrize("phase", [phase for phase in checkpoint.PHASES if phase != "epoch"])
def test_ctrl_c_prints_one_line_and_exits_130(tmp_path, phase):
    """Ctrl-C while TensorFlow imports, right after the layer's call, and while the file is being written."""
    folder = tmp_path / "out"
    folder.mkdir()
    status, stdout, stderr = _interrupted_at(
        phase, ["--timesteps", "40", "--json", "--output", str(folder / "out.json")], tmp_path / "reached"
    )
    assert status == 130, stderr.decode()[-2000:]
    assert stderr.decode() == "Error: interrupted (Ctrl-C)\n"
    assert stdout == b""
    assert list(folder.iterdir()) == []


def test_ctrl_c_while_replacing_a_file_keeps_the_old_one(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("the user's file\n")
    status, _, stderr = _interrupted_at("write", ["--json", "--output", str(target), "--force"], tmp_path / "reached")
    assert status == 130, stderr.decode()[-2000:]
    assert target.read_text() == "the user's file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "reached"]


def test_without_the_variable_nothing_pauses(monkeypatch, tmp_path):
    monkeypatch.delenv(checkpoint.ENVIRONMENT_VARIABLE, raising=False)
    checkpoint.reached("import")
    monkeypatch.setenv(checkpoint.ENVIRONMENT_VARIABLE, f"write:{tmp_path / 'marker'}")
    checkpoint.reached("import")
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize(
    "args",
    [["--units", "2"], ["--units", "2", "--json"], ["explain", "dropout"], ["--help"], ["explain", "--help"]],
    ids=["run", "json", "explain", "help", "explain-help"],
)
def test_a_closed_pipe_ends_quietly(args):
    process = subprocess.Popen([ENTRY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    process.stdout.close()  # type: ignore[union-attr]
    stderr = process.stderr.read()  # type: ignore[union-attr]
    assert process.wait(timeout=600) == 141  # as a shell reports a program ended by SIGPIPE
    assert stderr == b""


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal 100 columns wide; return the exit status and what it showed."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen([ENTRY, *args], stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed once the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return process.wait(timeout=600), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [["--units", "2", "--dropout", "0.2"], ["explain", "dropout"], ["vary", "units", "1", "2"]],
    ids=["run", "explain", "vary"],
)
def test_no_color_on_a_terminal_means_no_escape_codes(args):
    status, shown = _on_terminal(args, _env(NO_COLOR="1"))
    assert status == 0, shown[-2000:]
    assert "\x1b" not in shown
    assert "dropout" in shown or "units" in shown


@pytest.mark.parametrize("args", [["--units", "2"], ["explain", "dropout"]], ids=["run", "explain"])
def test_a_colour_terminal_does_get_colour(args):
    """The control for the test above: the same command without NO_COLOR is styled."""
    status, shown = _on_terminal(args, _env())
    assert status == 0, shown[-2000:]
    assert "\x1b[" in shown


@pytest.mark.parametrize(
    "args",
    [["--units", "2", "--show-effects"], ["explain", "dropout"], ["trace", "--units", "2"]],
    ids=["run", "explain", "trace"],
)
def test_output_into_a_pipe_has_no_escape_codes(args):
    result = subprocess.run([ENTRY, *args], capture_output=True, text=True, env=_env(), timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "\x1b" not in result.stdout and result.stderr == ""


def _reject(token: str) -> None:
    raise AssertionError(f"{token} is not JSON")


def test_json_with_non_finite_values_is_still_valid_json(invoke):
    result = invoke("--activation", "exponential", "--kernel-initializer", "constant(50)", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_constant=_reject)
    assert None in document["outputs"][0]["values"][0]
    # An orthogonal penalty on one sample's output compares no pairs of rows: Keras gives NaN.
    result = invoke("--activity-regularizer", "orthogonal_regularizer", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_constant=_reject)
    assert document["effects"]["activity_regularizer"]["keras_total"] is None


def test_ending_without_teardown_loses_no_output(tmp_path):
    """After a TensorFlow command the process ends with os._exit: stdout and files must be complete."""
    args = [ENTRY, "--batch", "64", "--return-sequences", "--json"]
    printed = subprocess.run(args, capture_output=True, text=True, env=_env(), timeout=600)
    assert printed.returncode == 0 and printed.stderr == ""
    assert len(printed.stdout) > 100_000
    assert json.loads(printed.stdout)["outputs"][0]["shape"] == [64, 10, 3]
    target = tmp_path / "out.json"
    written = subprocess.run([*args, "--output", str(target)], capture_output=True, text=True, env=_env(), timeout=600)
    assert written.returncode == 0 and written.stdout == ""
    assert target.read_text() == printed.stdout
