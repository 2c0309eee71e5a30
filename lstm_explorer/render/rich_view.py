"""The run drawn for a person: what came out first (summary, returned tensors, their picture), then
the arithmetic, the checks, the demonstrations and Keras's own words.

Long tables lose whole rows and columns in the middle (head … tail), and a table wider than the
terminal is split, never cut: no number is ever shown shortened. The full numbers are in `--json`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich import box
from rich.cells import cell_len
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lstm_explorer.catalogue import ARGUMENTS, GATE_SYMBOLS, RELATED, REQUIRED, WEIGHT_BY_NAME, Argument, Related
from lstm_explorer.effects import Effect
from lstm_explorer.engine import NamedArray, RunResult, gate_columns
from lstm_explorer.explanations import keras_says, summary
from lstm_explorer.language import current, say
from lstm_explorer.masks import COMPUTED, REPEATED, ZEROS
from lstm_explorer.render.heatmap import heatmap
from lstm_explorer.render.json_view import jsonable_value

MAX_ROWS = 20
MAX_COLS = 12
MAX_SAMPLES = 3
CHANGED_STYLE = "bold yellow"


PANEL_INSET = 4  # a panel's two borders and two padding columns


def _fmt(value: float, decimals: int = 6) -> str:
    return f"{value:.{decimals}f}"


def _width(text: str) -> int:
    """Columns a label takes: CJK characters take two, and a combining mark still counts as one."""
    return max(len(text), cell_len(text))


def _keep(n: int, limit: int) -> list[int | None]:
    """Indices to show out of n, with None standing for the elided middle."""
    if n <= limit:
        return list(range(n))
    head = limit // 2
    return [*range(head), None, *range(n - (limit - head), n)]


def column_chunks(widths: Sequence[int], label_width: int, width: int) -> list[list[int]]:
    """Positions of columns grouped into runs whose table fits `width` characters.

    A table too wide for the terminal is split into several, one under the other, rather than let
    rich shorten its cells: a number cut to `0.…` is worse than no number.
    """
    chunks: list[list[int]] = [[]]
    used = label_width + 2
    for position, column_width in enumerate(widths):
        if chunks[-1] and used + column_width + 3 > width:
            chunks.append([])
            used = label_width + 2
        chunks[-1].append(position)
        used += column_width + 3
    return chunks


def matrix_table(
    title: str,
    matrix: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    width: int,
    corner: str = "",
    decimals: int = 6,
    max_cols: int = MAX_COLS,
) -> Group:
    """A 2-D array as right-aligned tables that fit `width`: middle rows and columns past the limits
    are elided whole (as `…`), and what is left is split across tables instead of being cut."""
    rows, cols = _keep(matrix.shape[0], MAX_ROWS), _keep(matrix.shape[1], max_cols)
    labels = ["…" if r is None else row_labels[r] for r in rows]
    headers = ["…" if c is None else col_labels[c] for c in cols]
    cells = [["…" if r is None or c is None else _fmt(matrix[r, c], decimals) for r in rows] for c in cols]
    widths = [max(_width(header), *(len(cell) for cell in column)) for header, column in zip(headers, cells)]
    label_width = max(_width(corner), *(_width(label) for label in labels))
    parts: list[Text | Table] = [Text(title, style="bold")] if title else []
    for chunk in column_chunks(widths, label_width, width):
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column(corner, style="dim", justify="right", no_wrap=True, min_width=label_width)
        for position in chunk:
            table.add_column(headers[position], justify="right", overflow="fold", min_width=widths[position])
        for k, label in enumerate(labels):
            table.add_row(label, *(cells[position][k] for position in chunk))
        parts.append(table)
    if None in rows or None in cols:
        shown = f"{len(rows) - (None in rows)} × {len(cols) - (None in cols)}"
        parts.append(Text(say("run.elided_where", shown=shown, shape=tuple(matrix.shape)), style="dim"))
    return Group(*parts)


def _display(value: object) -> str:
    if value is REQUIRED:
        return say("run.value_required")
    shown = jsonable_value(value)
    if shown is None:
        return "none"
    return str(shown)


def config_table(result: RunResult) -> Group:
    """Every argument with its value and Keras's default (the run shows only those that differ, unless --all)."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("", width=1)
    table.add_column(say("run.config_column_argument"))
    table.add_column(say("run.config_column_value"))
    table.add_column(say("run.config_column_default"), style="dim")
    config = result.config
    for argument in ARGUMENTS:
        if not argument.is_keras3_argument and config[argument.name] is None:
            continue
        changed = not config.is_default(argument.name)
        value = _display(config[argument.name])
        if argument.name == "units" and result.architecture.layers is not None:
            changed, value = True, ",".join(str(n) for n in result.architecture.layers)
        style = CHANGED_STYLE if changed else ""
        table.add_row(
            "●" if changed else "",
            Text(argument.name, style=style),
            Text(value, style=style),
            _display(argument.keras_default),
        )
    return Group(
        Text(say("run.config_title"), style="bold"),
        table,
        Text(say("run.config_legend"), style="dim"),
    )


def arguments_line(result: RunResult) -> Text:
    """The arguments that differ from Keras's defaults, in one line: what makes this layer this layer."""
    config = result.config
    stacked = result.architecture.layers is not None
    changed = [
        a
        for a in ARGUMENTS
        if (a.keras_default is REQUIRED and not stacked)
        or (not config.is_default(a.name) and (a.is_keras3_argument or config[a.name] is not None))
    ]
    text = Text(say("run.arguments_label"), style="bold")
    for k, argument in enumerate(changed):
        text.append(", " if k else "")
        text.append(f"{argument.name}={_display(config[argument.name])}", style=CHANGED_STYLE)
        if argument.keras_default is REQUIRED and argument.name not in config.explicit:
            text.append(say("run.arguments_tutorial_units"), style="dim")
    text.append(say("run.arguments_others_default") if changed else say("model.arguments_all_default"), style="dim")
    flags = result.architecture.flags()
    if flags:
        text.append("\n")
        text.append(say("model.arguments_model"), style="bold")
        text.append(" ".join(flags), style=CHANGED_STYLE)
    return text


def summary_table(result: RunResult) -> Group:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in (
        say("run.summary_column_layer"),
        say("run.summary_column_type"),
        say("run.summary_column_input_shape"),
        say("run.summary_column_output_shape"),
    ):
        table.add_column(name)
    table.add_column(say("run.summary_column_params"), justify="right")
    table.add_row(say("run.summary_input_layer"), "InputLayer", str(result.input_shape), str(result.input_shape), "0")
    if not result.layers:
        table.add_row(
            result.layer_name,
            "LSTM",
            str(result.input_shape),
            "\n".join(f"{o.name} {s}" for o, s in zip(result.outputs, result.output_shapes)),
            f"{result.param_count:,}",
        )
    for row in result.layers:
        table.add_row(
            row.name,
            row.type,
            str(row.input_shape),
            "\n".join(f"{name} {shape}" for name, shape in row.output_shapes),
            f"{row.param_count:,}",
        )
    return Group(Text(say("run.summary_title"), style="bold"), table)


def param_lines(result: RunResult) -> Text:
    """The count worked out, and where each gate's share of it sits in K, R and b."""
    if result.layers:
        return model_param_lines(result)
    formula = result.param_formula
    text = Text(say("run.params_label"), style="bold")
    text.append(say("run.params_worked", formula=formula.formula, worked=formula.worked))
    shapes = ", ".join(f"{WEIGHT_BY_NAME[w.name].symbol} {w.shape}" for w in result.weights)
    split = " · ".join(
        f"{GATE_SYMBOLS[gate]} {start}–{stop - 1}" for gate, _, start, stop in gate_columns(result.config.units)
    )
    text.append("\n  " + say("run.params_gate_blocks", shapes=shapes, split=split), style="dim")
    if formula.value != result.param_count:
        text.append(
            "\n  " + say("run.params_count_differs", count=result.param_count, formula=formula.value), style="bold red"
        )
    return text


def model_param_lines(result: RunResult) -> Text:
    """Each layer's count worked out, and the model's total, which Keras's summary also shows."""
    text = Text(say("model.params_title"), style="bold")
    for row in result.layers:
        if row.formula is not None:
            text.append(
                "\n  " + say("model.params_row", name=row.name, formula=row.formula.formula, worked=row.formula.worked)
            )
            if row.formula.value != row.param_count:
                text.append(
                    "\n  " + say("run.params_count_differs", count=row.param_count, formula=row.formula.value),
                    style="bold red",
                )
    text.append("\n  " + say("model.params_total", total=result.param_count))
    return text


def weights_view(result: RunResult, width: int) -> Group:
    """The weight table of the one layer, or of every LSTM direction and the head."""
    if not result.parts:
        return weight_table(result.weights, result.config.units, width)
    tables: list[RenderableType] = []
    for part in result.parts:
        title = say("model.summary_part_weights", path=part.path, direction=part.direction, layer=part.layer)
        tables += [Text(title, style="bold"), weight_table(part.weights, part.config.units, width)]
    head = [w for w in result.weights if "/lstm_cell/" not in w.name]
    for weight in head:
        values = weight.values if weight.values.ndim == 2 else weight.values[np.newaxis]
        rows = [f"{weight.name}[{r}]" for r in range(values.shape[0])] if values.shape[0] > 1 else [weight.name]
        tables.append(
            matrix_table(
                f"{weight.name} {weight.shape} — {weight.description}",
                values,
                rows,
                [str(c) for c in range(values.shape[1])],
                width,
                decimals=4,
            )
        )
    return Group(*tables)


def weight_table(weights: Sequence[NamedArray], units: int, width: int) -> Group:
    """kernel, recurrent_kernel and bias side by side, transposed: one row per gate column.

    Keras stores the gates as column blocks i, f, c̃, o; reading them as rows puts each gate's whole
    K, R and b on one line and keeps the table narrow.
    """
    blocks = []
    for weight in weights:
        values = weight.values if weight.values.ndim == 2 else weight.values[np.newaxis]
        symbol = WEIGHT_BY_NAME[weight.name].symbol
        labels = [symbol] if values.shape[0] == 1 else [f"{symbol}[{r}]" for r in range(values.shape[0])]
        blocks.append((labels, values))
    labels = [label for block_labels, _ in blocks for label in block_labels]
    stacked = np.concatenate([values for _, values in blocks], axis=0).T
    rows = [
        say("run.weights_row", gate=GATE_SYMBOLS[gate], index=column - start, column=column)
        for gate, _, start, stop in gate_columns(units)
        for column in range(start, stop)
    ]
    shapes = ", ".join(f"{w.name} {w.shape}" for w in weights)
    return Group(
        matrix_table(
            say("run.weights_title", shapes=shapes),
            stacked,
            rows,
            labels,
            width,
            corner=say("run.weights_corner"),
            decimals=4,
        ),
        Text(say("run.weights_legend"), style="dim"),
    )


def _sample_rows(count: int) -> list[str]:
    return [say("run.sample_row", sample=b) for b in range(count)]


def _sample_tables(named: NamedArray, col_prefix: str, row_prefix: str, width: int) -> list[Group | Text]:
    """One table per sample for (batch, time, n) arrays; one table of samples for (batch, n)."""
    values = named.values
    title = f"{named.name} {named.shape} — {named.description}"
    cols = [f"{col_prefix}{u}" for u in range(values.shape[-1])]
    if values.ndim == 2:
        return [matrix_table(title, values, _sample_rows(values.shape[0]), cols, width)]
    parts: list[Group | Text] = []
    for b in range(min(values.shape[0], MAX_SAMPLES)):
        rows = [f"{row_prefix}{t}" for t in range(values.shape[1])]
        parts.append(
            matrix_table(say("run.sample_title", title=title, sample=b), values[b], rows, cols, width, corner="t")
        )
    if values.shape[0] > MAX_SAMPLES:
        more = values.shape[0] - MAX_SAMPLES
        line = say("run.more_samples_many", count=more) if more > 1 else say("run.more_samples_one", count=more)
        parts.append(Text(line, style="dim"))
    return parts


def h_heatmap(result: RunResult, console: Console) -> Group:
    matrix = np.array([step.h for step in result.trace]).T
    title = say("run.heatmap_h_title", sample=result.trace_sample, pass_name=result.pass_name)
    return heatmap(traced_label(result) + title, matrix, "h", console)


def traced_label(result: RunResult) -> str:
    """Which LSTM of a model a trace or a picture shows, before its title; nothing for one layer."""
    part = result.traced_part
    if part is None:
        return ""
    return say("model.traced_part", path=part.path, direction=part.direction) + " · "


def input_line(result: RunResult) -> Text:
    text = Text(say("run.input_label"), style="bold")
    text.append(say("run.input_shape_source", shape=result.input.values.shape, source=result.input.source))
    return text


def input_tables(result: RunResult, width: int) -> Group:
    named = NamedArray("input", "x", result.input.values)
    return Group(
        Text(say("run.input_source", source=result.input.source), style="dim"), *_sample_tables(named, "x", "t=", width)
    )


def output_tables(result: RunResult, width: int) -> Group:
    parts: list[Group | Text] = []
    for output in result.outputs:
        prefix = "c" if output.name.endswith("_c") else "y" if output.name == "dense" else "h"
        parts.extend(_sample_tables(output, prefix, "t=", width))
    return Group(*parts)


OUTCOME_SYMBOLS = {COMPUTED: "●", REPEATED: "=", ZEROS: "0"}


def padding_mask_section(result: RunResult) -> Group | None:
    """Which steps the padding mask hid, sample by sample, and what the layer output there."""
    data, found = result.input, result.mask_outcomes
    if data.mask is None or found is None:
        return None
    if data.lengths is not None:
        lengths = ",".join(str(n) for n in data.lengths)
        origin = say("run.padding_mask_from_lengths", lengths=lengths, padding=data.padding)
    elif data.mask_value is not None:
        origin = say("run.padding_mask_from_masking", value=f"{data.mask_value:g}")
    else:
        origin = say("run.padding_mask_given")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("", style="dim", justify="right", no_wrap=True)
    columns = _keep(found.shape[1], MAX_COLS * 3)
    for t in columns:
        table.add_column("…" if t is None else str(t), justify="center", no_wrap=True)
    for b in _keep(found.shape[0], MAX_ROWS):
        if b is None:
            table.add_row("…", *("" for _ in columns))
            continue
        cells = ["…" if t is None else OUTCOME_SYMBOLS[str(found[b, t])] for t in columns]
        table.add_row(say("run.sample_row", sample=b), *cells)
    parts: list[RenderableType] = [Text(say("run.padding_mask_title", origin=origin), style="bold"), table]
    parts.append(Text(say("run.padding_mask_legend"), style="dim"))
    return Group(*parts)


def initial_state_section(result: RunResult, width: int) -> Group | None:
    """The h and c the call started from, and how each was given."""
    if result.initial_state is None:
        return None
    data = result.input
    sources = [say("run.initial_state_zeros") if s is None else s.describe() for s in (data.initial_h, data.initial_c)]
    parts: list[RenderableType] = [Text(say("run.initial_state_title", h=sources[0], c=sources[1]), style="bold")]
    for symbol, values in zip(("h", "c"), result.initial_state):
        rows = [say("run.sample_row", sample=b) for b in range(values.shape[0])]
        columns = [f"{symbol}{k}" for k in range(values.shape[1])]
        parts.append(matrix_table(f"{symbol}₀ {values.shape}", values, rows, columns, width))
    return Group(*parts)


def masks_section(result: RunResult, width: int) -> Group | None:
    """The dropout masks this training call drew: 0 drops an entry, 1/(1 − rate) keeps and rescales it."""
    if not result.dropout_masks:
        return None
    parts: list[Group | Text] = [Text(say("run.masks_title"), style="bold")]
    for mask in result.dropout_masks:
        prefix = "x" if mask.name.startswith("input") else "h"
        parts.append(
            matrix_table(
                f"{mask.name} {mask.shape} — {mask.description}",
                mask.values,
                _sample_rows(mask.values.shape[0]),
                [f"{prefix}{k}" for k in range(mask.values.shape[1])],
                width,
                decimals=4,
            )
        )
    parts.append(Text(say("run.masks_legend"), style="dim"))
    return Group(*parts)


def docs_panel(result: RunResult) -> Panel | None:
    """Keras's words for each argument the user set, and the model's pages (Bidirectional's
    merge_mode, Dense's opening) for the model flags, from the same source `explain` uses."""
    model = result.architecture
    used = {
        "bidirectional": model.bidirectional,
        "merge_mode": model.bidirectional,
        "layers": model.layers is not None,
        "dense": model.dense is not None,
    }
    shown: list[Argument | Related] = [a for a in ARGUMENTS if a.name in result.config.explicit]
    shown += [page for page in RELATED if used.get(page.name)]
    if not shown:
        return None
    entries = []
    version = None
    for argument in shown:
        says = keras_says(argument)
        version = version or says.version
        text = says.text or say("run.docs_not_in_keras", summary=summary(argument, current()))
        entries.append(Text(f"{argument.name}: ", style="bold") + Text(text))
    where = f"Keras {version}" if version else "Keras"
    return Panel(Text("\n").join(entries), title=escape(say("run.docs_title", where=where)), title_align="left")


def arrays_view(arrays: list[tuple[str, np.ndarray]], width: int) -> list[Group | Text]:
    """Arrays compared in a demonstration, laid out so equal or different rows are easy to spot.

    Arrays of the same shape with several rows go side by side under letters A, B, … when narrow
    enough; single rows of equal length share one table, a row per array; anything else gets a
    table of its own under its label.
    """
    matrices = [(label, array if array.ndim == 2 else array.reshape(1, -1)) for label, array in arrays]
    if not matrices:
        return []
    shapes = {m.shape for _, m in matrices}
    if len(shapes) == 1 and matrices[0][1].shape[0] > 1 and sum(m.shape[1] for _, m in matrices) <= MAX_COLS:
        letters = [chr(ord("A") + k) for k in range(len(matrices))]
        labels = [f"{letter}{c}" for letter, (_, m) in zip(letters, matrices) for c in range(m.shape[1])]
        legend = say("run.clause_separator").join(
            f"{letter} = {label}" for letter, (label, _) in zip(letters, matrices)
        )
        side = np.concatenate([m for _, m in matrices], axis=1)
        return [matrix_table(legend, side, [str(r) for r in range(side.shape[0])], labels, width)]
    parts: list[Group | Text] = []
    rows = [(label, m) for label, m in matrices if m.shape[0] == 1]
    for label, m in matrices:
        if m.shape[0] > 1 or len({r.shape for _, r in rows}) > 1:
            parts.append(
                matrix_table(label, m, [str(r) for r in range(m.shape[0])], [str(c) for c in range(m.shape[1])], width)
            )
    if rows and len({r.shape for _, r in rows}) == 1:
        stacked = np.concatenate([m for _, m in rows])
        parts.append(
            matrix_table("", stacked, [label for label, _ in rows], [str(c) for c in range(stacked.shape[1])], width)
        )
    return parts


CHECKS = ("cudnn", "saturation")


def _check_kind(effect: Effect) -> str:
    """`cudnn` or `saturation` for a check of any LSTM of a model (`cudnn:lstm_2`), else the name."""
    return effect.name.split(":")[0]


def _effect_body(effect: Effect, width: int) -> list[RenderableType]:
    if _check_kind(effect) == "cudnn":
        marks = [Text(line) for line in effect.lines[0].split("  ")]
        return [Columns(marks, padding=(0, 2)), *(Text(line) for line in effect.lines[1:])]
    return [*(Text(line) for line in effect.lines), *arrays_view(effect.arrays, width)]


def effects_section(result: RunResult, width: int) -> Group:
    """One panel per demonstration (computed sentences, then arrays); cuDNN and saturation share one."""
    inner = width - PANEL_INSET
    panels = [
        Panel(Group(*_effect_body(effect, inner)), title=escape(effect.title), title_align="left")
        for effect in result.effects
        if _check_kind(effect) not in CHECKS
    ]
    checks = [effect for effect in result.effects if _check_kind(effect) in CHECKS]
    if checks:
        body: list[RenderableType] = []
        for effect in checks:
            body.append(Text(effect.title, style="bold"))
            body.extend(_effect_body(effect, inner))
        panels.append(Panel(Group(*body), title=say("run.checks_title"), title_align="left"))
    return Group(*panels)


def reference_line(result: RunResult) -> Text | Panel | None:
    """The NumPy cross-check: one quiet line when it agrees, a red panel when it doesn't."""
    check = result.reference
    if check is None:
        return None
    if check.ok:
        return Text(say("run.reference_ok", diff=f"{check.max_abs_diff:.1e}"), style="green")
    body = Text(say("run.reference_mismatch", diff=f"{check.max_abs_diff:.3g}"), style="bold red")
    if check.note:
        body.append(check.note)
    return Panel(body, title=say("run.reference_mismatch_title"), border_style="red", title_align="left")


def header(result: RunResult, console: Console) -> None:
    """Versions, the seed in use, the mode, and the notes the user must read first."""
    mode = say("run.mode_training") if result.training else say("run.mode_inference")
    console.rule("[bold]lstm-explore[/] · keras.layers.LSTM")
    versions = say(
        "run.header_versions",
        keras=result.keras_version,
        tensorflow=result.tensorflow_version,
        seed=result.random_seed,
        mode=mode,
    )
    console.print(versions, highlight=False)
    if result.origin is not None:
        console.print(Text(say("model.origin_label"), style="bold") + Text(result.origin), highlight=False)
    for note in result.notes:
        console.print(Text(say("run.note_label"), style="bold yellow") + Text(note))


def render(result: RunResult, console: Console, show_all: bool = False) -> None:
    """What came out first (summary, returned tensors, their picture), then how and why.

    The configuration, input and weight tables are behind --all; --json always has everything.
    """
    width = console.width
    header(result, console)
    console.print(input_line(result))
    console.print(config_table(result) if show_all else arguments_line(result))
    blocks: list[list[RenderableType | None]] = [
        [summary_table(result), param_lines(result)],
        [weights_view(result, width) if show_all else None],
        [input_tables(result, width) if show_all else None],
        [
            output_tables(result, width),
            padding_mask_section(result),
            initial_state_section(result, width),
            masks_section(result, width),
            h_heatmap(result, console),
            reference_line(result),
        ],
        [effects_section(result, width), docs_panel(result)],
    ]
    for block in blocks:
        shown = [section for section in block if section is not None]
        if shown:
            console.print()
            console.print(*shown)
