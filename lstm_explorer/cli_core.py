"""The Typer classes every command is built on: one-line errors, plain-text help and --version.

Kept apart from the model commands so that `explain` and `--version` can start without building them.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from lstm_explorer.catalogue import Panel
from lstm_explorer.errors import INTERRUPTED, ExitStatus, ExplorerError, Interrupted
from lstm_explorer.language import LANGUAGES, UnknownLanguage, from_command_line, speaking
from lstm_explorer.render.terminal import Terminal
from lstm_explorer.versions import versions


class OneLineErrors:
    """Turns every failure into one `Error: …` line with exit status USAGE (2) or FAILURE (1).

    Typer's own error box spans several lines; scripts and people both want one. Tracebacks appear
    only with --debug, which is looked for in the raw arguments because parsing may be what failed.
    The language (--lang, else the locale) is read from them too, for the same reason and because
    --help is written before any flag is parsed; the whole command speaks it, and its `Terminal`
    reaches every command as the context's object.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        extra.pop("standalone_mode", None)
        try:
            lang = from_command_line(argv, os.environ)
        except UnknownLanguage as error:
            _report(str(error), debug=False)
            sys.exit(ExitStatus.USAGE)
        extra.setdefault("obj", Terminal.from_process(lang=lang))
        with speaking(lang):
            self._main(argv, prog_name, debug, extra)

    def _main(self, argv: list[str], prog_name: str | None, debug: bool, extra: dict[str, Any]) -> None:
        try:
            outcome = super().main(args=argv, prog_name=prog_name or "lstm-explore", standalone_mode=False, **extra)  # type: ignore[misc]
        except KeyboardInterrupt:
            outcome = ExitStatus.INTERRUPTED
        except _ReaderGone:
            _silence_stdout()
            sys.exit(ExitStatus.READER_GONE)
        except typer.Abort:
            _report("aborted", debug=False)
            sys.exit(ExitStatus.FAILURE)
        except typer.TyperException as error:
            _report(error.format_message(), debug)
            sys.exit(getattr(error, "exit_code", ExitStatus.USAGE))
        except ExplorerError as error:
            _report(str(error), debug)
            sys.exit(error.exit_code)
        except Exception as error:  # The last line of defence: never a bare traceback.
            _report(f"unexpected {type(error).__name__}: {error} (run again with --debug for the traceback)", debug)
            sys.exit(ExitStatus.FAILURE)
        if outcome == ExitStatus.INTERRUPTED:  # Typer turns a Ctrl-C outside the command into this, silently.
            _report(INTERRUPTED, debug=False)
        sys.exit(outcome if isinstance(outcome, int) else ExitStatus.OK)

    def invoke(self, ctx: typer.Context) -> Any:
        """Ctrl-C and a closed pipe leave the command as our own exceptions: Typer would swallow theirs."""
        try:
            outcome = super().invoke(ctx)  # type: ignore[misc]
            sys.stdout.flush()  # A closed pipe must show here, not as a complaint at exit.
            return outcome
        except KeyboardInterrupt:
            raise Interrupted(INTERRUPTED) from None
        except BrokenPipeError:
            raise _ReaderGone from None

    def make_context(self, *args: Any, **kwargs: Any) -> typer.Context:
        """--help is printed while the context is made, before `invoke`: same closed-pipe handling."""
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except BrokenPipeError:
            raise _ReaderGone from None


class _ReaderGone(Exception):
    """stdout's reader closed the pipe (`| head -1`)."""


def write_versions() -> ExitStatus:
    """`lstm-explore --version`: one `name version` line each, so `head -1` gives the tool's own."""
    text = "".join(f"{name} {version}\n" for name, version in versions().items())
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return ExitStatus.READER_GONE
    return ExitStatus.OK


def _version_callback(ctx: typer.Context, _param: Any, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        ctx.exit(write_versions())


# `lstm-explore --version` alone is answered by the entry point before any command is built; this
# option is the same answer when other flags come with it, and what lists it in --help.
VERSION_OPTION = TyperOption(
    param_decls=["--version"],
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version_callback,
    help="Show the versions of lstm-explore, Keras and TensorFlow, and exit.",
)


# Every command takes --lang; the entry point has read it already (see OneLineErrors.main), so the
# option only has to be accepted and listed. `explain` declares its own, which it also uses.
LANG_OPTION = TyperOption(
    param_decls=["--lang"],
    expose_value=False,
    metavar=f"[{'|'.join(LANGUAGES)}]",
    help="Language of everything the command writes: en or zh (default: the locale's, LC_ALL / LC_MESSAGES / LANG).",
)


def _with_lang(params: list[Any]) -> list[Any]:
    """--lang before --help (the last option), unless the command has its own."""
    if any(getattr(p, "name", None) == "lang" for p in params):
        return params
    if params and getattr(params[-1], "name", None) == "help":
        return [*params[:-1], LANG_OPTION, params[-1]]
    return [*params, LANG_OPTION]


# mypy sees the mixin's main/invoke as narrower than click's; they take and pass on the same arguments.
class ExplorerGroup(OneLineErrors, TyperGroup):  # type: ignore[misc]
    def get_params(self, ctx: Any) -> list[Any]:
        """The group's flags with --version before --help: a real option, so --help lists it as it is."""
        params = _with_lang(super().get_params(ctx))
        help_option = self.get_help_option(ctx)
        if params and params[-1] is help_option:
            return [*params[:-1], VERSION_OPTION, help_option]
        return [*params, VERSION_OPTION]

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        write_plain_help(self, ctx, formatter, dict(self.commands))


class ExplorerCommand(OneLineErrors, TyperCommand):  # type: ignore[misc]
    """Subcommands share the group's plain-text help (flag help holds brackets rich would eat)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _with_lang(super().get_params(ctx))

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        write_plain_help(self, ctx, formatter, {})


def write_plain_help(command: Any, ctx: typer.Context, formatter: Any, subcommands: dict[str, Any]) -> None:
    """Panels in catalogue order, drawn as plain text so --help stays instant."""
    from lstm_explorer.render.help_view import plain_help

    panels: dict[str, list[tuple[str, str]]] = {"Arguments": []}
    panels.update({panel.value: [] for panel in Panel})
    panels["Options"] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None and getattr(param, "param_type_name", "") == "argument":
            record = (param.human_readable_name, getattr(param, "help", "") or "")
        if record is not None:
            panel = (
                "Arguments"
                if getattr(param, "param_type_name", "") == "argument"
                else getattr(param, "rich_help_panel", None) or "Options"
            )
            panels.setdefault(panel, []).append(record)
    panels["Commands"] = [(name, sub.get_short_help_str(limit=80)) for name, sub in subcommands.items()]
    usage = " ".join(command.collect_usage_pieces(ctx))
    columns = ctx.find_root().obj.columns
    formatter.write(plain_help(f"Usage: {ctx.command_path} {usage}", command.help or "", list(panels.items()), columns))


def _report(message: str, debug: bool) -> None:
    """One line, whatever the message held: whitespace collapsed, control characters escaped."""
    if debug and sys.exc_info()[0] is not None:
        traceback.print_exc()
    line = " ".join(str(message).split())
    line = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in line)
    sys.stderr.write(f"Error: {line}\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """The reader went away (`| head -1`): stop writing, and let nothing complain at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
