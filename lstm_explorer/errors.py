"""Error types the command line turns into one `Error: …` line and an exit status."""

from __future__ import annotations

from enum import IntEnum

from lstm_explorer.language import say


class ExitStatus(IntEnum):
    """Every exit status `lstm-explore` ends with, so that none is written as a bare number.

    Scripts tell a mistake in the request (USAGE: fix the command) from a failure while running
    (FAILURE: the same command may work elsewhere). The last two are what a shell reports for a
    program ended by a signal, 128 + its number: SIGINT (Ctrl-C) and SIGPIPE (the reader of stdout
    went away, as in `lstm-explore --all | head -1`).
    """

    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 128 + 2
    READER_GONE = 128 + 13


class ExplorerError(Exception):
    """A failure the user should read about, not debug: shown as one line, never as a traceback."""

    exit_code: ExitStatus = ExitStatus.FAILURE


class UsageError(ExplorerError):
    """The user asked for something invalid (a flag value, an input file); exit status 2."""

    exit_code = ExitStatus.USAGE


class Interrupted(ExplorerError):
    """Ctrl-C: exit status 130, as a shell reports SIGINT."""

    exit_code = ExitStatus.INTERRUPTED


def interrupted() -> str:
    """What the one line says after Ctrl-C, in the language being spoken."""
    return say("cli.interrupted")


class RunFailure(ExplorerError):
    """A valid request that failed while running (Keras, the file system); exit status 1."""

    exit_code = ExitStatus.FAILURE


def shorten(text: str, limit: int = 60) -> str:
    """A user's value as an error message quotes it: a long one cut in the middle, so the line stays one line."""
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-(limit // 2) + 1 :]}"
