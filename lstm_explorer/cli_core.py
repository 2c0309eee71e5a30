"""The Typer classes every command is built on: one-line errors, plain-text help and --version,
each in the language the command speaks (Click's and Typer's own English included).

Kept apart from the model commands so that `explain` and `--version` can start without building them.
"""

from __future__ import annotations

import functools
import os
import re
import string
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer._click.utils import make_default_short_help  # Click's own cut of a command's help (typer pinned <0.29).
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.main import get_command_from_info
from typer.models import CommandInfo

from lstm_explorer.catalogue import BY_NAME, EXAMPLE_KINDS, Argument, Panel
from lstm_explorer.errors import ExitStatus, ExplorerError, Interrupted, interrupted
from lstm_explorer.language import (
    DEFAULT,
    LANGUAGES,
    UnknownLanguage,
    current,
    from_command_line,
    from_locale,
    say,
    speaking,
)
from lstm_explorer.language import (
    template as message_template,
)
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
        with speaking(from_locale(os.environ)):
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
            _report(say("cli.aborted"), debug=False)
            sys.exit(ExitStatus.FAILURE)
        except typer.TyperException as error:
            _report(click_message(error), debug)
            sys.exit(getattr(error, "exit_code", ExitStatus.USAGE))
        except ExplorerError as error:
            _report(str(error), debug)
            sys.exit(error.exit_code)
        except Exception as error:  # The last line of defence: never a bare traceback.
            _report(say("cli.unexpected", kind=type(error).__name__, error=error), debug)
            sys.exit(ExitStatus.FAILURE)
        if outcome == ExitStatus.INTERRUPTED:  # Typer turns a Ctrl-C outside the command into this, silently.
            _report(interrupted(), debug=False)
        sys.exit(outcome if isinstance(outcome, int) else ExitStatus.OK)

    def invoke(self, ctx: typer.Context) -> Any:
        """Ctrl-C and a closed pipe leave the command as our own exceptions: Typer would swallow theirs."""
        try:
            outcome = super().invoke(ctx)  # type: ignore[misc]
            sys.stdout.flush()  # A closed pipe must show here, not as a complaint at exit.
            return outcome
        except KeyboardInterrupt:
            raise Interrupted(interrupted()) from None
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
# option is the same answer when other flags come with it, and what lists it in --help. Made when
# first needed, so that the lone `--version` reads no language file.
@functools.cache
def version_option() -> TyperOption:
    return TyperOption(
        param_decls=["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_version_callback,
        help=english("help.option.version"),
    )


# Every command takes --lang; the entry point has read it already (see OneLineErrors.main), so the
# option only has to be accepted and listed. `explain` declares its own, which it also uses.
@functools.cache
def lang_option() -> TyperOption:
    return TyperOption(
        param_decls=["--lang"],
        expose_value=False,
        metavar=f"[{'|'.join(LANGUAGES)}]",
        help=english("help.option.lang"),
    )


def _with_lang(params: list[Any]) -> list[Any]:
    """--lang before --help (the last option), unless the command has its own."""
    if any(getattr(p, "name", None) == "lang" for p in params):
        return params
    if params and getattr(params[-1], "name", None) == "help":
        return [*params[:-1], lang_option(), params[-1]]
    return [*params, lang_option()]


# mypy sees the mixin's main/invoke as narrower than click's; they take and pass on the same arguments.
class ExplorerGroup(OneLineErrors, TyperGroup):  # type: ignore[misc]
    """The group of commands, each built only when it is called or its help is asked for.

    Building a model command means turning some fifty flags into Click options; `lstm-explore
    --help` lists the commands by their descriptions alone and would pay that four times for nothing.
    """

    later: ClassVar[dict[str, Later]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in self.later if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.later:
            self.commands[cmd_name] = get_command_from_info(
                self.later[cmd_name].info(), pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
            )
        return self.commands.get(cmd_name)

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's flags with --version before --help: a real option, so --help lists it as it is."""
        params = _with_lang(super().get_params(ctx))
        help_option = self.get_help_option(ctx)
        if params and params[-1] is help_option:
            return [*params[:-1], version_option(), help_option]
        return [*params, version_option()]

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        listed = {name: self.commands.get(name) or _described(self.later[name]) for name in self.list_commands(ctx)}
        write_plain_help(self, ctx, formatter, listed)


@dataclass(frozen=True)
class Later:
    """A command of the group: its name and description now, everything else when it is built."""

    name: str
    help: str
    info: Callable[[], CommandInfo]


def _described(later: Later) -> TyperCommand:
    """A command without its flags: all the group's --help shows of it."""
    return TyperCommand(name=later.name, help=later.help)


class ExplorerCommand(OneLineErrors, TyperCommand):  # type: ignore[misc]
    """Subcommands share the group's plain-text help (flag help holds brackets rich would eat)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _with_lang(super().get_params(ctx))

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        write_plain_help(self, ctx, formatter, {})


def english(key: str, **fields: object) -> str:
    """A command's or flag's help as it is defined, when the commands are built: in English, since
    that happens before the language is known; `--help` says it again in the reader's language."""
    with speaking(DEFAULT):
        return say(key, **fields)


def argument_help(argument: Argument) -> str:
    """An LSTM flag's help: the argument's one-line meaning, and how a value is written where that needs saying."""
    if argument.kind not in EXAMPLE_KINDS:
        return argument.summary
    example = say(f"help.example.{argument.kind.name.lower()}")
    return say("help.argument_with_example", summary=argument.summary, example=example)


def english_argument_help(argument: Argument) -> str:
    """An LSTM flag's help as it is defined (see `english`)."""
    with speaking(DEFAULT):
        return argument_help(argument)


def in_language(english_text: str, *keys: str) -> str:
    """English written before the language was known, said in the current language.

    The help attached to the flags when the commands were built, and what Click and Typer write
    themselves (`No such option: --unit`, `[default: 3]`), are English. The first key whose English
    template produces `english_text` (each field matching any text) recognises it, and its template
    in the current language says the same with the same fields. Text no template produces stays as
    it is: English is never altered, and a message Click words differently is never mistranslated.
    """
    if current() == DEFAULT:
        return english_text
    for key in keys:
        pattern = _english_pattern(key)
        match = pattern.fullmatch(english_text) if pattern is not None else None
        if match is not None:
            return say(key, **match.groupdict())
    return english_text


@functools.cache
def _english_pattern(key: str) -> re.Pattern[str] | None:
    """The English template of `key` as a regular expression, one named group per field."""
    template = message_template(DEFAULT, key)
    if template is None:
        return None
    parts = [
        re.escape(literal) + (f"(?P<{name}>.*?)" if name else "")
        for literal, name, _spec, _conversion in string.Formatter().parse(template)
    ]
    return re.compile("".join(parts), re.DOTALL)


# Click's own parsing errors, in the order tried: a key whose template starts another's comes after it.
CLICK_MESSAGES = (
    "cli.click_no_such_option_possible",
    "cli.click_no_such_option",
    "cli.click_no_such_command",
    "cli.click_invalid_int",
    "cli.click_invalid_float",
    "cli.click_missing_argument",
    "cli.click_missing_option",
    "cli.click_requires_argument",
    "cli.click_takes_no_value",
    "cli.click_extra_arguments",
)


def click_message(error: Any) -> str:
    """A Click or Typer error's message in the current language; one not in CLICK_MESSAGES stays English."""
    return in_language(error.format_message(), *CLICK_MESSAGES)


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
            panels.setdefault(panel, []).append((record[0], _param_help(command, param, record[1])))
    panels["Commands"] = [(name, _short_help(sub)) for name, sub in subcommands.items()]
    usage = say("help.usage", command=ctx.command_path, pieces=" ".join(command.collect_usage_pieces(ctx)))
    titles = _panel_titles()
    columns = ctx.find_root().obj.columns
    description = _command_help(command)
    formatter.write(plain_help(usage, description, [(titles.get(t, t), rows) for t, rows in panels.items()], columns))


def _panel_titles() -> dict[str, str]:
    """Each panel's title in the current language, under the English name the flags are filed by."""
    titles = {
        "Arguments": say("help.panel_arguments"),
        "Options": say("help.panel_options"),
        "Commands": say("help.panel_commands"),
    }
    if current() == DEFAULT:
        return {**titles, **{panel.value: panel.value for panel in Panel}}
    from lstm_explorer.explanations import panel_name

    return {**titles, **{panel.value: panel_name(panel, current()) for panel in Panel}}


def _command_key(command: Any) -> str:
    """The command's name in its keys; the group's is the program's (the group has no name of its own)."""
    return (command.name or "lstm-explore").replace("-", "_")


def _command_help(command: Any) -> str:
    """The command's description in the current language."""
    return in_language(command.help or "", f"help.command.{_command_key(command)}")


def _short_help(command: Any) -> str:
    """The Commands panel's line: the description cut as Click cuts it, after translating it whole."""
    if current() == DEFAULT:
        return command.get_short_help_str(limit=80)
    return make_default_short_help(_command_help(command), 80)


def _param_help(command: Any, param: Any, shown: str) -> str:
    """A flag's help as --help shows it, with Typer's `[default: …]` / `[required]` after it."""
    own = getattr(param, "help", None) or ""
    if current() == DEFAULT or not shown.startswith(own):
        return shown
    argument = BY_NAME.get(param.name or "")
    if argument is not None and own == english_argument_help(argument):
        text = argument_help(argument)
    else:
        text = in_language(own, f"help.option.{_command_key(command)}.{param.name}", f"help.option.{param.name}")
    extras = re.fullmatch(r"\s*\[(.*)\]", shown[len(own) :], re.DOTALL)
    if extras is None:
        return text + shown[len(own) :]
    parts = [
        _extra(param, part) for part in extras.group(1).split(str(message_template(DEFAULT, "help.extras_separator")))
    ]
    return say("help.with_extras", help=text, extras=say("help.extras_separator").join(parts))


def _extra(param: Any, part: str) -> str:
    """One of Typer's notes after a flag's help (`default: 3`, `required`) in the current language."""
    default = _english_pattern("help.default")
    shown = default.fullmatch(part) if default is not None else None
    if shown is None:
        return in_language(part, "help.required")
    value = shown.group("default")
    if value.startswith("(") and value.endswith(")"):  # A show_default text, which Typer brackets.
        value = f"({in_language(value[1:-1], f'help.shown_default.{param.name}')})"
    return say("help.default", default=value)


def _report(message: str, debug: bool) -> None:
    """One line, whatever the message held: whitespace collapsed, control characters escaped."""
    if debug and sys.exc_info()[0] is not None:
        traceback.print_exc()
    line = " ".join(str(message).split())
    line = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in line)
    sys.stderr.write(say("cli.error", message=line) + "\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """The reader went away (`| head -1`): stop writing, and let nothing complain at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
