"""The rich consoles every command draws on: no escape codes unless a colour terminal wants them.

rich honours NO_COLOR by dropping colours but keeps bold and dim; here NO_COLOR (or TERM=dumb)
turns every style off, so the output holds no escape code at all. A closed pipe surfaces as
BrokenPipeError for the command line to end quietly, instead of rich's own exit.
"""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console

from lstm_explorer.render.terminal import Terminal


class ExplorerConsole(Console):
    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def make_console(terminal: Terminal, file: IO[str] | None = None, **options: Any) -> Console:
    """A console on `file` (stdout by default); plain text off a terminal or with colour off."""
    if terminal.colour_off:
        options["color_system"] = None
    return ExplorerConsole(file=file, **options)
