"""The reference documents generated from the catalogue and the commands: the README's flag table
and every command's `--help`, so that neither can drift from what the tool does (`cog --check`)."""

from __future__ import annotations

from lstm_explorer.catalogue import ARGUMENTS, REQUIRED, Kind

COMMANDS = ((), ("run",), ("trace",), ("vary",), ("fit",), ("code",), ("explain",))
WIDTH = 100


def _value(argument_default: object) -> str:
    if argument_default is REQUIRED:
        return "required (the tool uses 3)"
    return "none" if argument_default is None else f"`{argument_default}`"


def flag_table() -> str:
    """One Markdown row per LSTM argument: flag, Keras's default, meaning, help panel."""
    rows = ["| flag | Keras default | meaning | panel |", "| --- | --- | --- | --- |"]
    for argument in ARGUMENTS:
        flag = f"`{argument.flag}`"
        if argument.kind in (Kind.BOOL, Kind.TIME_MAJOR):
            flag += f" / `--no-{argument.flag[2:]}`"
        meaning = argument.summary.replace("|", "\\|")
        rows.append(f"| {flag} | {_value(argument.keras_default)} | {meaning} | {argument.panel.value} |")
    return "\n".join(rows) + "\n"


def help_texts() -> str:
    """Each command's `--help` at 100 columns, without colour, as a user with an English locale sees it."""
    from typer.testing import CliRunner

    from lstm_explorer.cli import app

    sections = []
    for command in COMMANDS:
        words = ["lstm-explore", *command, "--help"]
        result = CliRunner().invoke(
            app,
            [*command, "--help"],
            prog_name="lstm-explore",
            env={"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8"},
        )
        text = "\n".join(line.rstrip() for line in result.stdout.splitlines())
        sections.append(f"## `{' '.join(words)}`\n\n```text\n{text}\n```\n")
    return "\n".join(sections)
