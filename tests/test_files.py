"""Files the tool writes: the same content as stdout, whole or not at all, never over a file unasked."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ["--units", "2", "--json"],
        ["--units", "2", "--return-sequences"],
        ["trace", "--units", "2", "--timesteps", "3", "--json"],
        ["vary", "units", "1", "2"],
        ["code", "--units", "2"],
    ],
    ids=["run-json", "run-text", "trace-json", "vary-text", "code"],
)
def test_output_holds_exactly_what_stdout_would(invoke, tmp_path, args):
    printed = invoke(*args)
    assert printed.exit_code == 0, printed.output
    target = tmp_path / "out.txt"
    written = invoke(*args, "--output", str(target))
    assert written.exit_code == 0, written.output
    assert written.stdout == "" and written.stderr == ""
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert "\x1b" not in printed.stdout
    if "--json" in args:
        assert json.loads(target.read_text(encoding="utf-8"))["config"]["units"] == 2
    assert _names(tmp_path) == ["out.txt"]


def test_output_never_overwrites_without_force_and_keeps_permissions(invoke, tmp_path):
    target = tmp_path / "result.json"
    target.write_text("precious")
    target.chmod(0o640)
    refused = invoke("--json", "--output", str(target))
    assert refused.exit_code == 2
    assert refused.stderr == f"Error: --output {target} already exists; pass --force to overwrite it\n"
    assert target.read_text() == "precious"
    replaced = invoke("--json", "--output", str(target), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(target.read_text())["param_count"] == 72
    assert target.stat().st_mode & 0o777 == 0o640
    assert _names(tmp_path) == ["result.json"]


def test_a_new_file_gets_the_usual_permissions(invoke, tmp_path):
    umask = os.umask(0o022)
    try:
        assert invoke("code", "--output", str(tmp_path / "model.py")).exit_code == 0
    finally:
        os.umask(umask)
    assert (tmp_path / "model.py").stat().st_mode & 0o777 == 0o644


def _no_work(monkeypatch):
    from lstm_explorer import engine

    def refuse(*args, **kwargs):
        raise AssertionError("the model was built although the destination was refused")

    monkeypatch.setattr(engine, "run", refuse)


def test_read_only_folder_is_refused_before_any_work(invoke, tmp_path, monkeypatch):
    _no_work(monkeypatch)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if Path(path) == tmp_path else real_access(path, mode, **kw)
    )
    result = invoke("--output", str(tmp_path / "out.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: --output {tmp_path / 'out.txt'}: the folder {str(tmp_path)!r} is not writable\n"
    assert _names(tmp_path) == []


def test_plot_into_a_read_only_folder_is_refused(invoke, tmp_path, monkeypatch):
    _no_work(monkeypatch)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if Path(path) == tmp_path else real_access(path, mode, **kw)
    )
    result = invoke("--plot", str(tmp_path / "h.png"))
    assert result.exit_code == 2 and "is not writable" in result.stderr


def test_folder_that_refuses_the_temporary_file_is_a_runtime_error(invoke, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = invoke("--json", "--output", str(tmp_path / "out.json"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: --output {tmp_path / 'out.json'}: cannot write in {str(tmp_path)!r}: Permission denied\n"
    )
    assert _names(tmp_path) == []


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(invoke, tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = invoke("--json", "--output", str(target), "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Error: --output {target}: cannot write it: No space left on device\n"
    assert target.read_text() == "old"
    assert _names(tmp_path) == ["out.json"]


def test_interrupted_write_leaves_the_old_file_whole(invoke, tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")
    real_write = Path.write_text

    def interrupted(self, text, *args, **kwargs):
        real_write(self, text[: len(text) // 2], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", interrupted)
    result = invoke("--json", "--output", str(target), "--force")
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted (Ctrl-C)\n"
    assert target.read_text() == "old"
    assert _names(tmp_path) == ["out.json"]


def test_a_file_that_appears_during_the_run_is_not_replaced(invoke, tmp_path, monkeypatch):
    from lstm_explorer import engine

    target = tmp_path / "out.json"
    real_run = engine.run

    def run_while_someone_writes(*args, **kwargs):
        target.write_text("someone else's")
        return real_run(*args, **kwargs)

    monkeypatch.setattr(engine, "run", run_while_someone_writes)
    result = invoke("--json", "--output", str(target))
    assert result.exit_code == 2
    assert "appeared while the tool was working; pass --force" in result.stderr
    assert target.read_text() == "someone else's"
    assert _names(tmp_path) == ["out.json"]


def test_input_files_are_only_read(invoke, tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("1,2\n3,4\n5,6\n")
    os.utime(data, ns=(1_000_000_000, 1_000_000_000))
    before = (data.read_bytes(), data.stat().st_mtime_ns, data.stat().st_mode)
    for args in (["--json"], ["trace"], ["vary", "units", "1", "2"], ["code"], ["--output", str(tmp_path / "r.txt")]):
        assert invoke(*args, "--input", str(data)).exit_code == 0
    assert (data.read_bytes(), data.stat().st_mtime_ns, data.stat().st_mode) == before
    assert _names(tmp_path) == ["r.txt", "x.csv"]
