"""The README's promises: its set-up commands are the ones CI runs, its output is the tool's own."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from lstm_explorer.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(
    r"(<!-- output: lstm-explore (?P<args>.*?) -->\n```text\n)(?P<body>.*?)(```\n<!-- end output -->)", re.S
)
VERSIONS = re.compile(r"(Keras|TensorFlow) \d+\.\d+\.\d+\S*")


def _bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command():
    readme_commands = _bash_blocks(README.read_text())
    assert readme_commands[0] == "pip install . && lstm-explore --units 3 --return-sequences"
    test_command = readme_commands[1]
    assert test_command == 'pip install ".[test]" && python -m pytest'
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def _render(args: str) -> str:
    result = CliRunner().invoke(app, shlex.split(args), env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"


def test_readme_output_is_current():
    text = README.read_text()
    blocks = list(BLOCK.finditer(text))
    assert blocks
    if os.environ.get("UPDATE_README"):
        text = BLOCK.sub(lambda m: m.group(1) + _render(m.group("args")) + m.group(4), text)
        README.write_text(text)
        blocks = list(BLOCK.finditer(text))
    for block in blocks:
        assert VERSIONS.sub(r"\1 X", block.group("body")) == VERSIONS.sub(r"\1 X", _render(block.group("args")))


def test_generated_docs_are_current():
    """The README's flag table and docs/help.md come from the catalogue and the commands (cog -r to refresh)."""
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md", "docs/help.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
