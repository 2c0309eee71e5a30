"""The `explain` command, importable without the model-building commands and their forty flags each."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from lstm_explorer.cli_core import ExplorerCommand, english

EXPLAIN = dict(
    cls=ExplorerCommand,
    context_settings={"ignore_unknown_options": True, "help_option_names": ["-h", "--help"]},
    help=english("help.command.explain"),
)
explain_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@explain_app.command(**EXPLAIN)  # type: ignore[arg-type]
def explain(
    ctx: typer.Context,
    argument: Annotated[
        Optional[str],
        typer.Argument(help=english("help.option.explain.argument"), metavar="ARGUMENT", show_default=False),
    ] = None,
    lang: Annotated[
        Optional[str],
        typer.Option(help=english("help.option.explain.lang"), show_default=False),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help=english("help.option.explain.json_output"))] = False,
) -> None:
    import json

    import lstm_explorer.explanations as explaining
    from lstm_explorer.render import explain_view

    terminal = ctx.find_root().obj
    lang = terminal.lang if lang is None else lang.strip().lower()
    explaining.checked_language(lang)
    if argument is None:
        if json_output:
            sys.stdout.write(json.dumps({"arguments": explaining.overview(lang)}, ensure_ascii=False, indent=2) + "\n")
        else:
            explain_view.render_overview(lang, explain_view.Writer(terminal))
        return
    item = explaining.explain(argument, lang)
    # Not a page's name but a Keras error message: its meaning and fix come before the page.
    error = explaining.explain_error(argument, lang)
    if json_output:
        document = {"lang": lang, **({"error": error.to_dict()} if error else {}), **item.to_dict()}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    out = explain_view.Writer(terminal)
    if error is not None:
        explain_view.render_error(error, lang, out)
    explain_view.render_explanation(item, lang, out)
