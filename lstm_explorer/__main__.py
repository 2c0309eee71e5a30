"""The console script's entry point, and `python -m lstm_explorer`.

`explain` and a lone `--version` are dispatched before the model commands are even imported:
building them (four commands with forty-odd flags each) would cost both a noticeable share of their
start-up for nothing.
Ctrl-C during these imports, before the command line's own handling, still ends in one line.

Once a command that loaded TensorFlow is done, the process ends at once (`os._exit`) instead of
letting Python tear TensorFlow down module by module: that teardown takes over a second and does
nothing for the user. Every file the tool writes is complete and closed by then, and stdout and
stderr are flushed first.
"""

import os
import sys


def main() -> None:
    try:
        if sys.argv[1:2] == ["explain"]:
            from lstm_explorer.cli_explain import explain_app

            explain_app(args=sys.argv[2:], prog_name="lstm-explore explain")
        elif sys.argv[1:] == ["--version"]:
            from lstm_explorer.cli_core import write_versions

            raise SystemExit(write_versions())
        else:
            from lstm_explorer.cli import app

            app()
    except KeyboardInterrupt:
        from lstm_explorer.errors import ExitStatus

        sys.stderr.write(_interrupted_line())
        raise SystemExit(ExitStatus.INTERRUPTED) from None
    except SystemExit as ending:
        if "tensorflow" in sys.modules:
            _end_now(ending.code)
        raise


def _interrupted_line() -> str:
    """The Ctrl-C line, in the language the command line asks for (English when --lang is wrong:
    the command that would have said so never started)."""
    from lstm_explorer.errors import interrupted
    from lstm_explorer.language import DEFAULT, UnknownLanguage, from_command_line, say, speaking

    try:
        lang = from_command_line(sys.argv[1:], os.environ)
    except UnknownLanguage:
        lang = DEFAULT
    with speaking(lang):
        return say("cli.error", message=interrupted()) + "\n"


def _end_now(code: object) -> None:
    from lstm_explorer.errors import ExitStatus

    status = ExitStatus.OK if code is None else code if isinstance(code, int) else ExitStatus.FAILURE
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


if __name__ == "__main__":
    main()
