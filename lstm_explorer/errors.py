"""Error types the command line turns into one `Error: …` line and an exit status."""

from __future__ import annotations

INTERRUPTED = "interrupted (Ctrl-C)"


class ExplorerError(Exception):
    """A failure the user should read about, not debug: shown as one line, never as a traceback."""

    exit_code = 1


class UsageError(ExplorerError):
    """The user asked for something invalid (a flag value, an input file); exit status 2."""

    exit_code = 2


class Interrupted(ExplorerError):
    """Ctrl-C: exit status 130, as a shell reports SIGINT."""

    exit_code = 130


class RunFailure(ExplorerError):
    """A valid request that failed while running (Keras, the file system); exit status 1."""

    exit_code = 1


def shorten(text: str, limit: int = 60) -> str:
    """A user's value as an error message quotes it: a long one cut in the middle, so the line stays one line."""
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-(limit // 2) + 1:]}"
