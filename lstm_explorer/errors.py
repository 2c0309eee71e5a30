"""Error types the command line turns into one `Error: …` line and an exit status."""

from __future__ import annotations


class ExplorerError(Exception):
    """A failure the user should read about, not debug: shown as one line, never as a traceback."""

    exit_code = 1


class UsageError(ExplorerError):
    """The user asked for something invalid (a flag value, an input file); exit status 2."""

    exit_code = 2


class RunFailure(ExplorerError):
    """A valid request that failed while running (Keras, the file system); exit status 1."""

    exit_code = 1
