"""The `lstm-explore` model commands: flags in, library calls, renderers out.

Every LSTM flag is generated from the catalogue, so this module holds no list of argument names.
Nothing here imports TensorFlow at module level; `--help` stays instant.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Optional

import typer
from typer.models import CommandInfo

from lstm_explorer import limits
from lstm_explorer.catalogue import (
    ARGUMENTS,
    DEFAULT_RANDOM_SEED,
    RELATED,
    TUTORIAL_BATCH,
    TUTORIAL_FEATURES,
    TUTORIAL_TIMESTEPS,
    Argument,
    Kind,
    Panel,
)
from lstm_explorer.cli_core import ExplorerCommand, ExplorerGroup, Later, english, english_argument_help
from lstm_explorer.cli_explain import EXPLAIN, explain
from lstm_explorer.errors import Interrupted, UsageError, interrupted
from lstm_explorer.language import say
from lstm_explorer.render.terminal import Terminal


def _option(argument: Argument) -> tuple[Any, object]:
    """The (annotation, default) pair Typer needs to turn one catalogue entry into a flag."""
    kind = argument.kind
    help_text = english_argument_help(argument)
    panel = argument.panel.value
    if kind is Kind.BOOL:
        decl = f"{argument.flag}/--no-{argument.flag[2:]}"
        return Annotated[bool, typer.Option(decl, help=help_text, rich_help_panel=panel)], argument.default
    if kind is Kind.TIME_MAJOR:
        decl = f"{argument.flag}/--no-{argument.flag[2:]}"
        return (
            Annotated[Optional[bool], typer.Option(decl, help=help_text, rich_help_panel=panel, show_default=False)],
            None,
        )
    python_type: Any = {
        Kind.POSITIVE_INT: int,
        Kind.RATE: float,
        Kind.SEED: Optional[int],
        Kind.IMPLEMENTATION: Optional[int],
    }.get(kind, str)
    default = argument.default
    if python_type is str:
        default = "none" if default is None else str(default)
    metavar = {Kind.CUDNN: "[auto|true|false]", Kind.IMPLEMENTATION: "[1|2]"}.get(kind)
    option = typer.Option(argument.flag, help=help_text, rich_help_panel=panel, metavar=metavar)
    return Annotated[python_type, option], default


def _keyword(name: str, annotation: Any, default: object) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _optional(name: str, python_type: Any, metavar: str | None, panel: str) -> inspect.Parameter:
    """A flag named after `name` that is None unless given, with its help from the language file."""
    option = typer.Option(
        "--" + name.replace("_", "-"),
        metavar=metavar,
        rich_help_panel=panel,
        show_default=False,
        help=english(f"help.option.{name}"),
    )
    return _keyword(name, Annotated[Optional[python_type], option], None)


# The flags that shape the layer's call (and the Masking layer in front): name, type, metavar.
CALL_OPTIONS: tuple[tuple[str, type, str | None], ...] = (
    ("lengths", str, "N,N,…"),
    ("padding", str, "[pre|post]"),
    ("mask", str, "PATH"),
    ("mask_value", float, None),
    ("initial_h", str, "VALUE"),
    ("initial_c", str, "VALUE"),
)


# The flags that put the LSTM in a model: name, type, metavar (None: an on/off flag).
MODEL_OPTIONS: tuple[tuple[str, type, str | None], ...] = (
    ("bidirectional", bool, None),
    ("merge_mode", str, "[concat|sum|mul|ave|none]"),
    ("layers", str, "N,N,…"),
    ("as_written", bool, None),
    ("dense", str, "N[:ACTIVATION]"),
)


def _model_parameters() -> list[inspect.Parameter]:
    model = Panel.MODEL.value
    parameters = []
    for name, python_type, metavar in MODEL_OPTIONS:
        if python_type is bool:
            option = typer.Option(
                "--" + name.replace("_", "-"), help=english(f"help.option.{name}"), rich_help_panel=model
            )
            parameters.append(_keyword(name, Annotated[bool, option], False))
            continue
        parameters.append(_optional(name, str, metavar, model))
    return parameters


# The flags of training (`fit`, `vary --fit`): name, type, metavar.
FIT_OPTIONS: tuple[tuple[str, type, str | None], ...] = (
    ("task", str, "[next|adding|delay]"),
    ("target", str, "PATH"),
    ("epochs", int, None),
    ("repeats", int, None),
    ("batch_size", int, None),
    ("learning_rate", float, None),
    ("samples", int, None),
    ("delay", int, None),
)


def _fit_parameters() -> list[inspect.Parameter]:
    return [_optional(name, python_type, metavar, Panel.TRAINING.value) for name, python_type, metavar in FIT_OPTIONS]


def _panel(flag: str) -> str:
    """The --help panel of a flag that goes with a call argument or a masking option (the catalogue's
    RELATED pages say which); every other input and output flag is in Input and output."""
    for page in RELATED:
        if flag in page.flags:
            return page.panel.value
    return Panel.IO.value


def _shared_parameters() -> list[inspect.Parameter]:
    """Input and output flags every model-building command takes, besides the LSTM's own."""
    io = Panel.IO.value
    return [
        *(
            _optional(name, str, metavar, Panel.MODEL.value)
            for name, metavar in (("model", "FILE.keras"), ("from_code", "CODE|FILE.py"))
        ),
        _keyword(
            "input_path",
            Annotated[
                Optional[str],
                typer.Option(
                    "--input",
                    metavar="PATH",
                    rich_help_panel=io,
                    help=english("help.option.input_path"),
                ),
            ],
            None,
        ),
        *(
            _keyword(
                name,
                Annotated[
                    Optional[int],
                    typer.Option(help=english(f"help.option.{name}"), rich_help_panel=io, show_default=str(size)),
                ],
                None,
            )
            for name, size in (
                ("batch", TUTORIAL_BATCH),
                ("timesteps", TUTORIAL_TIMESTEPS),
                ("features", TUTORIAL_FEATURES),
            )
        ),
        _keyword(
            "scale",
            Annotated[
                bool,
                typer.Option(
                    "--scale",
                    rich_help_panel=io,
                    help=english("help.option.scale"),
                ),
            ],
            False,
        ),
        *(
            _optional(name, python_type, metavar, _panel("--" + name.replace("_", "-")))
            for name, python_type, metavar in CALL_OPTIONS
        ),
        _keyword(
            "random_seed",
            Annotated[
                int,
                typer.Option(
                    rich_help_panel=io,
                    help=english("help.option.random_seed"),
                ),
            ],
            DEFAULT_RANDOM_SEED,
        ),
        _keyword(
            "training",
            Annotated[
                bool,
                typer.Option(
                    "--training",
                    rich_help_panel=_panel("--training"),
                    help=english("help.option.training"),
                ),
            ],
            False,
        ),
        _keyword(
            "json_output",
            Annotated[bool, typer.Option("--json", help=english("help.option.json_output"), rich_help_panel=io)],
            False,
        ),
        _keyword(
            "output",
            Annotated[
                Optional[str],
                typer.Option(
                    "--output",
                    metavar="FILE",
                    rich_help_panel=io,
                    show_default=False,
                    help=english("help.option.output"),
                ),
            ],
            None,
        ),
        _keyword(
            "force",
            Annotated[
                bool,
                typer.Option("--force", help=english("help.option.force"), rich_help_panel=io),
            ],
            False,
        ),
        _keyword(
            "max_memory",
            Annotated[
                Optional[str],
                typer.Option(
                    "--max-memory",
                    metavar="SIZE",
                    rich_help_panel=io,
                    show_default=english("help.shown_default.max_memory", size=limits.human(limits.DEFAULT_BOUND)),
                    help=english("help.option.max_memory"),
                ),
            ],
            None,
        ),
        _keyword(
            "verbose",
            Annotated[bool, typer.Option("--verbose", help=english("help.option.verbose"), rich_help_panel=io)],
            False,
        ),
        _keyword(
            "debug",
            Annotated[
                bool,
                typer.Option("--debug", help=english("help.option.debug"), rich_help_panel=io),
            ],
            False,
        ),
    ]


def lstm_command(func: Callable[..., Any], fit_flags: bool = False) -> Callable[..., Any]:
    """Give a command one flag per catalogue argument plus the shared input and output flags (and,
    with `fit_flags`, the training flags).

    The command receives them all in **options, next to its own parameters.
    """
    own = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(func, eval_str=True).parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    generated = [_keyword(argument.name, *_option(argument)) for argument in ARGUMENTS]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    training = _fit_parameters() if fit_flags else []
    signature = inspect.Signature(generated + _model_parameters() + training + _shared_parameters() + own)
    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    del wrapper.__wrapped__
    return wrapper


@dataclass(frozen=True)
class Request:
    """How a command was asked to run: the library's keyword arguments, and where the result goes."""

    arguments: dict[str, Any]
    options: dict[str, Any]
    json_output: bool
    verbose: bool
    output: Path | None
    force: bool
    terminal: Terminal

    def deliver(self, text: str | None = None, draw: Callable[[Any], None] | None = None) -> None:
        """Print the result, or write the same content to --output in one piece."""
        from lstm_explorer.render.console import make_console

        if self.output is None:
            if text is not None:
                sys.stdout.write(text)
            else:
                draw(make_console(self.terminal))  # type: ignore[misc]
            return
        if text is None:
            buffer = io.StringIO()
            draw(make_console(self.terminal, file=buffer))  # type: ignore[misc]
            text = buffer.getvalue()
        from lstm_explorer.files import write_atomically

        content = text

        def write(temporary: str) -> None:
            Path(temporary).write_text(content, encoding="utf-8")

        write_atomically(self.output, "--output", self.force, write)


@contextlib.contextmanager
def working(asked: Request) -> Iterator[None]:
    """A spinner on stderr while TensorFlow builds, calls and traces (seconds for a long sequence):
    only on a terminal, and never with --json, so a pipe or a script sees nothing but the result."""
    from lstm_explorer.render.console import make_console

    err = make_console(asked.terminal, stderr=True)
    if asked.json_output or not err.is_terminal or asked.terminal.colour_off:
        yield
        return
    with err.status(say("cli.working"), spinner="dots"):
        yield


def request(ctx: typer.Context, options: dict[str, Any]) -> Request:
    """The flags as the library takes them; a refused --output destination is reported before any work."""
    output = None
    input_path = options["input_path"]
    if options["output"] is not None:
        from lstm_explorer.files import check_target

        protected = (Path(input_path),) if input_path else ()
        output = check_target(options["output"], "--output", options["force"], protected=protected)
    explicit = explicit_arguments(ctx)
    library = {
        "input": input_path,
        "batch": options["batch"],
        "timesteps": options["timesteps"],
        "features": options["features"],
        "scale": options["scale"],
        "random_seed": options["random_seed"],
        "training": options["training"],
        "max_memory": options["max_memory"],
        "lengths": options["lengths"],
        "padding": options["padding"],
        "mask": options["mask"],
        "mask_value": options["mask_value"],
        "initial_h": options["initial_h"],
        "initial_c": options["initial_c"],
        "model": options["model"],
        "from_code": options["from_code"],
        "verbose": options["verbose"] or options["debug"],
    }
    arguments = {a.name: options[a.name] for a in ARGUMENTS if a.name in explicit}
    arguments |= {name: options[name] for name, _, _ in MODEL_OPTIONS if options[name] not in (None, False)}
    return Request(
        arguments,
        library,
        options["json_output"],
        library["verbose"],
        output,
        options["force"],
        ctx.find_root().obj,
    )


def explicit_arguments(ctx: typer.Context) -> frozenset[str]:
    """The LSTM arguments the user actually typed, as opposed to defaults."""
    return frozenset(
        a.name
        for a in ARGUMENTS
        if (source := ctx.get_parameter_source(a.name)) is not None and source.name != "DEFAULT"
    )


IO = Panel.IO.value


class ModelCommands(ExplorerGroup):
    later: ClassVar[dict[str, Later]] = {}


def command(
    name: str | None = None, *, lstm_flags: bool = False, fit_flags: bool = False, **info: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`app.command`, except that the command (and, with lstm_flags, its generated flags: see
    lstm_command) is made only when it is called or its help is asked for."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        key = name or function.__name__

        def built() -> CommandInfo:
            callback = lstm_command(function, fit_flags) if lstm_flags else function
            return CommandInfo(key, callback=callback, **info)

        ModelCommands.later[key] = Later(key, info["help"], built)
        return function

    return register


app = typer.Typer(
    cls=ModelCommands,
    invoke_without_command=True,
    add_completion=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=english("help.command.lstm_explore"),
)


# Which LSTM of a model `trace`, the run's heatmap and --plot show.
LayerOption = Annotated[
    Optional[str],
    typer.Option(
        help=english("help.option.layer"), metavar="K|NAME", rich_help_panel=Panel.MODEL.value, show_default=False
    ),
]
DirectionOption = Annotated[
    str,
    typer.Option(
        help=english("help.option.direction"), metavar="[forward|backward]", rich_help_panel=Panel.MODEL.value
    ),
]


@lstm_command
def run_command(
    ctx: typer.Context,
    show_effects: Annotated[
        bool,
        typer.Option("--show-effects", help=english("help.option.show_effects"), rich_help_panel=IO),
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option("--all", help=english("help.option.show_all"), rich_help_panel=IO),
    ] = False,
    plot: Annotated[
        Optional[str],
        typer.Option(
            help=english("help.option.plot"),
            metavar="FILE.png",
            rich_help_panel=IO,
            show_default=False,
        ),
    ] = None,
    layer: LayerOption = None,
    direction: DirectionOption = "forward",
    **options: Any,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from lstm_explorer import api

    asked = request(ctx, options)
    if plot is not None:
        from lstm_explorer.render.plot import check_target

        protected = (Path(options["input_path"]),) if options["input_path"] else ()
        if asked.output is not None and Path(plot).absolute() == asked.output.absolute():
            raise UsageError(say("cli.plot_output_same_file"))
        plot_path = check_target(plot, asked.force, protected)
    with working(asked):
        run = api.run(
            effects=True if show_effects else None,
            layer=layer,
            direction=direction,
            json_output=asked.json_output,
            **asked.options,
            **asked.arguments,
        )
    if plot is not None:
        from lstm_explorer.render.plot import write_plot

        write_plot(run.result, plot_path, asked.force, asked.verbose)
        sys.stderr.write(
            say("cli.plot_written", path=plot_path, sample=run.trace_sample, pass_name=run.pass_name) + "\n"
        )
    if asked.json_output:
        from lstm_explorer.render.json_view import dumps

        asked.deliver(dumps(run.result))
        return
    from lstm_explorer.render.rich_view import render

    asked.deliver(draw=lambda console: render(run.result, console, show_all))


app.callback()(run_command)
command("run", cls=ExplorerCommand, help=english("help.command.run"))(run_command)


@command(cls=ExplorerCommand, help=english("help.command.vary"), lstm_flags=True, fit_flags=True)
def vary(
    ctx: typer.Context,
    argument: Annotated[
        str, typer.Argument(help=english("help.option.vary.argument"), metavar="ARGUMENT", show_default=False)
    ],
    values: Annotated[
        Optional[list[str]],
        typer.Argument(help=english("help.option.values"), metavar="VALUES...", show_default=False),
    ] = None,
    layer: LayerOption = None,
    fit: Annotated[
        bool, typer.Option("--fit", help=english("help.option.vary.fit"), rich_help_panel=Panel.TRAINING.value)
    ] = False,
    **options: Any,
) -> None:
    from rich.progress import Progress

    from lstm_explorer import api
    from lstm_explorer.render.console import make_console

    asked = request(ctx, options)
    training = {name: options[name] for name, _, _ in FIT_OPTIONS}
    if fit:
        if layer is not None:
            raise UsageError(say("saved.layer_without_model", command="vary"))
        _vary_fit(asked, argument, values, training)
        return
    given = [name for name, value in training.items() if value is not None]
    if given:
        raise UsageError(say("cli.fit_flag_without_fit", flag="--" + given[0].replace("_", "-")))
    err = make_console(asked.terminal, stderr=True)
    with Progress(
        console=err, transient=True, disable=asked.json_output or not err.is_terminal or asked.terminal.colour_off
    ) as bar:
        task = bar.add_task(f"vary {argument}", total=None)
        swept = api.vary(
            argument,
            values,
            layer=layer,
            json_output=asked.json_output,
            **asked.options,
            **asked.arguments,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if asked.json_output:
        from lstm_explorer.render.json_view import json_text

        asked.deliver(json_text(swept.to_dict()))
        return
    from lstm_explorer.render.vary_view import render_vary

    asked.deliver(
        draw=lambda console: render_vary(
            swept.argument,
            swept.rows,
            swept.random_seed,
            swept.shared,
            swept.training,
            console,
            swept.origin,
            swept.trained,
        )
    )


def _vary_fit(asked: Request, argument: str, values: list[str] | None, training: dict[str, Any]) -> None:
    from lstm_explorer import api

    with training_progress(asked, "vary " + argument) as progress:
        swept = api.vary_fit(argument, values, progress=progress, **asked.options, **training, **asked.arguments)
    if asked.json_output:
        from lstm_explorer.render.json_view import json_text

        asked.deliver(json_text(swept.to_dict()))
    else:
        from lstm_explorer.render.fit_view import render_vary_fit

        asked.deliver(draw=lambda console: render_vary_fit(swept, console))
    if swept.interrupted:
        raise Interrupted(interrupted())


@contextlib.contextmanager
def training_progress(asked: Request, label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar with the time left on stderr, epoch by epoch (epochs × seeds × values): only on
    a terminal, and never with --json."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from lstm_explorer.render.console import make_console

    err = make_console(asked.terminal, stderr=True)
    hidden = asked.json_output or not err.is_terminal or asked.terminal.colour_off
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, disable=hidden) as bar:
        task = bar.add_task(f"{say('fit.progress')} · {label}", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@command(cls=ExplorerCommand, help=english("help.command.fit"), lstm_flags=True, fit_flags=True)
def fit(
    ctx: typer.Context,
    save: Annotated[
        Optional[str],
        typer.Option(
            metavar="FILE.keras",
            help=english("help.option.save"),
            rich_help_panel=Panel.TRAINING.value,
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        Optional[str],
        typer.Option(help=english("help.option.fit.plot"), metavar="FILE.png", rich_help_panel=IO, show_default=False),
    ] = None,
    **options: Any,
) -> None:
    from lstm_explorer import api

    asked = request(ctx, options)
    training = {name: options[name] for name, _, _ in FIT_OPTIONS}
    plot_path = None
    if plot is not None:
        from lstm_explorer.render.plot import check_target

        plot_path = check_target(plot, asked.force)
    with training_progress(asked, training["task"] or "next") as progress:
        trained = api.fit(
            save=save, force=asked.force, progress=progress, **asked.options, **training, **asked.arguments
        )
    if plot_path is not None and trained.runs and trained.runs[0].history:
        from lstm_explorer.render.fit_plot import write_fit_plot

        write_fit_plot(trained, plot_path, asked.force, asked.verbose)
        sys.stderr.write(say("cli.fit_plot_written", path=plot_path) + "\n")
    if asked.json_output:
        from lstm_explorer.render.json_view import json_text

        asked.deliver(json_text(trained.to_dict()))
    else:
        from lstm_explorer.render.fit_view import render_fit

        asked.deliver(draw=lambda console: render_fit(trained, console))
    if trained.interrupted:
        raise Interrupted(interrupted())


@command(cls=ExplorerCommand, help=english("help.command.code"), lstm_flags=True)
def code(
    ctx: typer.Context,
    framework: Annotated[
        str,
        typer.Option(help=english("help.option.framework"), rich_help_panel=IO),
    ] = "keras",
    layer: LayerOption = None,
    **options: Any,
) -> None:
    from lstm_explorer import api

    asked = request(ctx, options)
    asked.deliver(api.export(framework=framework, layer=layer, **asked.options, **asked.arguments))


@command(cls=ExplorerCommand, help=english("help.command.trace"), lstm_flags=True)
def trace(
    ctx: typer.Context,
    sample: Annotated[int, typer.Option(help=english("help.option.sample"), rich_help_panel=IO)] = 0,
    unit: Annotated[
        Optional[int],
        typer.Option(help=english("help.option.unit"), rich_help_panel=IO, show_default=False),
    ] = None,
    layer: LayerOption = None,
    direction: DirectionOption = "forward",
    **options: Any,
) -> None:
    from lstm_explorer import api

    asked = request(ctx, options)
    if asked.options["model"] is None and asked.options["from_code"] is None:
        config, architecture = api.model_configuration(asked.arguments)
        layer_number, _ = api.check_traced(architecture, config, 1 if layer is None else layer, direction)
        _check_unit(unit, architecture.units(config)[layer_number - 1])
    with working(asked):
        traced = api.trace(
            sample=sample,
            layer=layer,
            direction=direction,
            json_output=asked.json_output,
            **asked.options,
            **asked.arguments,
        )
    units = traced.result.traced_units
    _check_unit(unit, units)
    if asked.json_output:
        from lstm_explorer.render.json_view import json_text

        asked.deliver(json_text(traced.to_dict()))
        return
    from lstm_explorer.render.trace_view import render_trace

    asked.deliver(
        draw=lambda console: render_trace(traced.result, list(range(units)) if unit is None else [unit], console)
    )


def _check_unit(unit: int | None, units: int) -> None:
    if unit is not None and not 0 <= unit < units:
        raise UsageError(say("cli.unit_range", last=units - 1, units=units, unit=unit))


command("explain", **EXPLAIN)(explain)  # type: ignore[arg-type]
