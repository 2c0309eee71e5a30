"""Conventions every command keeps: `--version`, `--help` and `explain` load nothing heavy, and exit statuses have names."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_explorer import __version__, errors
from lstm_explorer import versions as versions_module
from lstm_explorer.errors import ExitStatus
from lstm_explorer.keras_doc import read_keras_doc

from conftest import heavy_imports_of

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lstm_explorer"
ENTRY = Path(sys.executable).parent / "lstm-explore"


def _expected_versions() -> str:
    """What pip reports for each distribution: the independent account of what is installed."""
    return (
        f"lstm-explore {importlib.metadata.version('lstm-explore')}\n"
        f"Keras {importlib.metadata.version('keras')}\n"
        f"TensorFlow {importlib.metadata.version('tensorflow')}\n"
    )


def test_the_package_version_is_the_project_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == project == importlib.metadata.version("lstm-explore")


def test_version_prints_the_tool_keras_and_tensorflow(invoke):
    result = invoke("--version")
    assert result.exit_code == ExitStatus.OK, result.output
    assert result.stdout == _expected_versions()
    assert result.stderr == ""


@pytest.mark.parametrize("argv", [["--version"], ["--units", "3", "--version"]], ids=["alone", "after-flags"])
def test_version_does_not_import_tensorflow_or_keras(argv):
    """Alone it is answered before the commands are built; after other flags, by the group's option."""
    heavy, stdout = heavy_imports_of(*argv)
    assert heavy == []
    assert stdout == _expected_versions()


def test_the_installed_entry_point_answers_version():
    result = subprocess.run([str(ENTRY), "--version"], capture_output=True, text=True, timeout=600)
    assert (result.returncode, result.stdout, result.stderr) == (ExitStatus.OK, _expected_versions(), "")


@pytest.mark.parametrize("argv", [["--version"], ["--units", "3", "--version"]], ids=["alone", "after-flags"])
def test_version_to_a_closed_pipe_ends_quietly(argv):
    reading, writing = os.pipe()
    os.close(reading)  # No reader at all, before the process even starts: every write fails.
    try:
        result = subprocess.run([str(ENTRY), *argv], stdout=writing, stderr=subprocess.PIPE, timeout=600)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (ExitStatus.READER_GONE, b"")


def test_help_lists_version(invoke):
    result = invoke("--help")
    assert result.exit_code == ExitStatus.OK
    rows = [line.strip("│ ").split(None, 1) for line in result.stdout.splitlines() if line.startswith("│ --version ")]
    assert rows == [["--version", "Show the versions of lstm-explore, Keras and TensorFlow, and exit."]]


def test_version_is_the_group_option_only(invoke):
    result = invoke("run", "--version")
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.startswith("Error: No such option: --version")


# What the commands that must start instantly may not load, beyond what `import typer` loads itself.
SLOW = ("numpy", "tensorflow", "keras", "rich", "importlib.metadata", "lstm_explorer.api", "lstm_explorer.engine")


def _slow_modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('MODULES', sorted(sys.modules), file=sys.stderr)\n"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "100"},
    )
    marker = [line for line in result.stderr.splitlines() if line.startswith("MODULES ")]
    assert marker, result.stderr[-2000:]
    return {name for name in ast.literal_eval(marker[-1][len("MODULES ") :]) if name in SLOW}


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["explain", "dropout"], ["explain", "--json"]], ids=" ".join
)
def test_start_up_commands_load_nothing_slow(argv):
    """Not TensorFlow, nor numpy, rich or importlib.metadata: any one is a large share of their start-up."""
    run = f"sys.argv = ['lstm-explore', *{argv!r}]\nfrom lstm_explorer.__main__ import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    assert _slow_modules_after(run) - _slow_modules_after("import typer") == set()


@pytest.fixture
def frameworks_absent(monkeypatch):
    """Keras and TensorFlow as an environment without them shows them: not found by the import system."""
    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name in ("keras", "tensorflow") else found(name, *args)
    )
    read_keras_doc.cache_clear()
    yield
    read_keras_doc.cache_clear()


def test_version_says_not_installed(invoke, frameworks_absent):
    result = invoke("--version")
    assert result.exit_code == ExitStatus.OK, result.output
    assert result.stdout == f"lstm-explore {__version__}\nKeras not installed\nTensorFlow not installed\n"


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """A folder on sys.path holding `with_metadata` (and its dist-info), and `without_metadata`
    beside a dist-info whose name only starts like it."""
    for name in ("with_metadata", "without_metadata"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "with_metadata-1.2.3rc1.dist-info").mkdir()
    (tmp_path / "with_metadata-1.2.3rc1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: with_metadata\nVersion: 1.2.3rc1\n\nVersion: 9.9 (in the description)\n"
    )
    (tmp_path / "without_metadata_extra-4.5.dist-info").mkdir()
    (tmp_path / "without_metadata_extra-4.5.dist-info" / "METADATA").write_text(
        "Name: without_metadata_extra\nVersion: 4.5\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.mark.parametrize(
    ("package", "expected"),
    [("with_metadata", "1.2.3rc1"), ("without_metadata", "version unknown"), ("no_such_package_here", "not installed")],
)
def test_installed_version_reads_only_the_package_s_own_metadata(packages, package, expected):
    assert versions_module.installed_version(package) == expected


def test_exit_statuses():
    assert {status.name: int(status) for status in ExitStatus} == {
        "OK": 0,
        "FAILURE": 1,
        "USAGE": 2,
        "INTERRUPTED": 130,
        "READER_GONE": 141,
    }
    assert {
        error.__name__: error.exit_code
        for error in (errors.ExplorerError, errors.UsageError, errors.Interrupted, errors.RunFailure)
    } == {
        "ExplorerError": ExitStatus.FAILURE,
        "UsageError": ExitStatus.USAGE,
        "Interrupted": ExitStatus.INTERRUPTED,
        "RunFailure": ExitStatus.FAILURE,
    }


EXITS = {"exit", "_exit", "SystemExit", "Exit"}


def _literal_exit_statuses(tree: ast.AST) -> list[int]:
    """Line numbers where an exit status is written as a number: `sys.exit(2)`, `exit_code = 1`, …"""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            values = [*node.args, *(keyword.value for keyword in node.keywords if keyword.arg == "code")]
            if name in EXITS and any(
                isinstance(value, ast.Constant) and isinstance(value.value, int) for value in values
            ):
                found.append(node.lineno)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(target, "id", getattr(target, "attr", "")) for target in targets}
            if "exit_code" in names and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int):
                found.append(node.lineno)
    return sorted(found)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_exit_statuses_are_named(path):
    assert _literal_exit_statuses(ast.parse(path.read_text(encoding="utf-8"))) == [], "use errors.ExitStatus"


def test_the_exit_status_check_finds_numbers():
    source = (
        "import sys\nsys.exit(2)\nraise SystemExit(130)\nclass E:\n    exit_code = 1\n"
        "raise typer.Exit(code=1)\nsys.exit(ExitStatus.OK)\nos._exit(status)\n"
    )
    assert _literal_exit_statuses(ast.parse(source)) == [2, 3, 5, 6]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("lstm-explore --uni", ["--units", "--unit-forget-bias"]),
        ("lstm-explore tr", ["trace"]),
        ("lstm-explore trace --uni", ["--units", "--unit-forget-bias", "--unit"]),
    ],
)
def test_bash_completion_offers_commands_and_flags(words, offered):
    """The commands are built only when needed (see ExplorerGroup): completion still finds them and their flags."""
    env = {
        **os.environ,
        "_LSTM_EXPLORE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "lstm_explorer"], capture_output=True, text=True, env=env, timeout=600
    )
    assert (result.returncode, result.stdout.split()) == (0, offered)


def test_the_group_s_help_builds_no_command(invoke):
    """`lstm-explore --help` lists every command from its description alone; a command is built when called."""
    import typer

    from lstm_explorer.cli import ModelCommands, app

    group = typer.main.get_command(app)
    with pytest.raises(SystemExit):
        group.main(["--help"])
    assert group.commands == {}
    listed = invoke("--help").stdout
    assert all(f"│ {name} " in listed for name in ModelCommands.later)
    with typer.Context(group) as ctx:
        assert group.get_command(ctx, "vary").name == "vary"
    assert list(group.commands) == ["vary"]


@pytest.mark.parametrize(
    ("environ", "colour_off"),
    [
        ({}, False),
        ({"NO_COLOR": "1"}, True),
        ({"NO_COLOR": ""}, False),
        ({"TERM": "dumb"}, True),
        ({"TERM": "xterm"}, False),
    ],
)
def test_the_terminal_is_read_once_from_the_environment(environ, colour_off):
    from lstm_explorer.render.terminal import Terminal

    terminal = Terminal.from_process(environ)
    assert terminal.colour_off is colour_off
    assert terminal.styled is False  # pytest captures stdout: never a terminal here


def test_only_the_command_line_reads_the_process_environment():
    """Renderers and the library get a Terminal or arguments; the exceptions say why they read it."""
    allowed = {
        "render/terminal.py": "builds the Terminal the command line hands on",
        "quiet.py": "sets TensorFlow's own log level before TensorFlow reads it",
        "checkpoint.py": "the test-only pause, asked for through the environment",
    }
    package = Path(__file__).resolve().parent.parent / "lstm_explorer"
    readers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8") or "get_terminal_size" in path.read_text(encoding="utf-8")
    }
    assert readers <= set(allowed) | {"cli.py", "cli_core.py", "cli_explain.py", "__main__.py"}, readers
