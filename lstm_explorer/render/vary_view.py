"""`vary` drawn as a table of rows (one per value) and each row's output over time, and as JSON rows."""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from lstm_explorer.engine import SweepRow, sweep_note
from lstm_explorer.language import say
from lstm_explorer.render.rich_view import matrix_table

MAX_COMPARED_COLUMNS = 48


def _letter(k: int) -> str:
    return chr(ord("A") + k) if k < 26 else f"A{k}"


def outputs_over_time(argument: str, rows: list[SweepRow], width: int) -> list[RenderableType]:
    """Each row's first output for sample 0, side by side: timesteps down (a sequence) or samples down."""
    done = [row for row in rows if row.error is None]
    groups: dict[tuple[int, ...], list[tuple[int, SweepRow]]] = {}
    for k, row in enumerate(done):
        groups.setdefault(row.outputs[0].shape[:-1], []).append((k, row))
    parts: list[RenderableType] = []
    for members in groups.values():
        sequence = members[0][1].outputs[0].ndim == 3
        blocks = [row.outputs[0][0] if sequence else row.outputs[0] for _, row in members]
        labels = [f"{_letter(k)}{u}" for k, row in members for u in range(row.outputs[0].shape[-1])]
        legend = say("vary.legend_separator").join(f"{_letter(k)} = {argument} {row.value}" for k, row in members)
        what = say("vary.outputs_sequence") if sequence else say("vary.outputs_last")
        row_labels = (
            [f"t={t}" for t in range(blocks[0].shape[0])]
            if sequence
            else [say("vary.sample_label", index=b) for b in range(blocks[0].shape[0])]
        )
        parts.append(
            matrix_table(
                say("vary.outputs_title", what=what, legend=legend),
                np.concatenate(blocks, axis=1),
                row_labels,
                labels,
                width,
                corner="t" if sequence else "",
                decimals=4,
                max_cols=MAX_COMPARED_COLUMNS,
            )
        )
    return parts


def render_vary(
    argument: str,
    rows: list[SweepRow],
    random_seed: int,
    shared: bool,
    training: bool,
    console: Console,
    origin: str | None = None,
    trained: bool = False,
) -> None:
    """The sweep's table, its refusals and notes, and each row's output over time. With a layer
    from a model file, rows that could take its trained weights say so instead of naming a source."""
    mode = say("vary.mode_training") if training else say("vary.mode_inference")
    if origin is not None:
        console.print(Text(say("model.origin_label"), style="bold") + Text(origin), highlight=False)
    table = Table(
        title=say("vary.title", argument=argument, random_seed=random_seed, mode=mode),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    numbers = ("column_params", "column_max_diff", "column_loss")
    for column in ("column_value", "column_output_shapes", *numbers, "column_cudnn", "column_weights"):
        # fold, never ellipsise: a long value or header wraps onto a second line instead of being cut
        table.add_column(say(f"vary.{column}"), justify="right" if column in numbers else "left", overflow="fold")
    refused = []
    source = next((row for row in rows if row.error is None), None)
    for row in rows:
        if row.error is not None:
            table.add_row(row.value, Text(say("vary.refused"), style="red"), "", "", "", "", "")
            refused.append(row)
            continue
        table.add_row(
            row.value,
            " ".join(str(s) for s in row.output_shapes),
            f"{row.param_count:,}",
            "—" if row.max_abs_diff_vs_first is None else f"{row.max_abs_diff_vs_first:.3g}",
            f"{row.loss:.4g}",
            say("vary.cudnn_eligible") if row.cudnn_eligible else say("vary.cudnn_not_eligible"),
            say("vary.weights_" + _weights_label(row, row is source, trained)),
        )
    console.print(table)
    for row in refused:
        console.print(Text(f"{row.value}: ", style="bold red") + Text(row.error or ""))
    note = sweep_note(argument, training)
    if note is not None:
        console.print(Text(say("vary.note_label"), style="bold yellow") + Text(note))
    for part in outputs_over_time(argument, rows, console.width):
        console.print(part)
    if trained:
        console.print(Text(say("vary.trained_weights_note"), style="dim"))
    elif shared:
        console.print(Text(say("vary.shared_weights_note"), style="dim"))
    else:
        console.print(Text(say("vary.seed_only_note", argument=argument), style="dim"))


def _weights_label(row: SweepRow, first: bool, trained: bool) -> str:
    if trained:
        return "trained" if row.shared_weights else "own"
    return "source" if first else "shared" if row.shared_weights else "own"
