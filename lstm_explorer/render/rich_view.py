"""The run drawn for a person: configuration, summary, parameter arithmetic, weights, outputs, docs.

Tables are truncated in the middle (head … tail) so a long sequence still fits a terminal; the full
numbers are always in `--json`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lstm_explorer.catalogue import ARGUMENTS, REQUIRED
from lstm_explorer.engine import NamedArray, RunResult, gate_columns
from lstm_explorer.explain import keras_says
from lstm_explorer.render.heatmap import heatmap
from lstm_explorer.render.json_view import jsonable_value

MAX_ROWS = 20
MAX_COLS = 12
MAX_SAMPLES = 3
CHANGED_STYLE = "bold yellow"


def _fmt(value: float, decimals: int = 6) -> str:
    return f"{value: .{decimals}f}"


def _keep(n: int, limit: int) -> list[int | None]:
    """Indices to show out of n, with None standing for the elided middle."""
    if n <= limit:
        return list(range(n))
    head = limit // 2
    return [*range(head), None, *range(n - (limit - head), n)]


def matrix_table(
    title: str, matrix: np.ndarray, row_labels: Sequence[str], col_labels: Sequence[str], corner: str = "",
    decimals: int = 6, max_cols: int = MAX_COLS,
) -> Group:
    """A 2-D array as a right-aligned table, eliding middle rows and columns past the limits."""
    rows, cols = _keep(matrix.shape[0], MAX_ROWS), _keep(matrix.shape[1], max_cols)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column(corner, style="dim", justify="right", no_wrap=True)
    for c in cols:
        table.add_column("…" if c is None else col_labels[c], justify="right", no_wrap=True)
    for r in rows:
        if r is None:
            table.add_row("…", *["…"] * len(cols))
            continue
        table.add_row(row_labels[r], *("…" if c is None else _fmt(matrix[r, c], decimals) for c in cols))
    return Group(Text(title, style="bold"), table) if title else Group(table)


def _display(value: object) -> str:
    if value is REQUIRED:
        return "(required)"
    shown = jsonable_value(value)
    if shown is None:
        return "none"
    return str(shown)


def config_table(result: RunResult) -> Group:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", width=1)
    table.add_column("argument")
    table.add_column("value")
    table.add_column("Keras default", style="dim")
    config = result.config
    for argument in ARGUMENTS:
        if not argument.is_keras3_argument and config[argument.name] is None:
            continue
        changed = not config.is_default(argument.name)
        style = CHANGED_STYLE if changed else ""
        table.add_row(
            "●" if changed else "",
            Text(argument.name, style=style),
            Text(_display(config[argument.name]), style=style),
            _display(argument.keras_default),
        )
    return Group(
        Text("Configuration", style="bold"),
        table,
        Text("● differs from Keras's default (units has none: the tutorial's 3 is used)", style="dim"),
    )


def summary_table(result: RunResult) -> Group:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("layer", "type", "input shape", "output shape", "params"):
        table.add_column(name, justify="right" if name == "params" else "left")
    table.add_row("input", "InputLayer", str(result.input_shape), str(result.input_shape), "0")
    table.add_row(
        result.layer_name,
        "LSTM",
        str(result.input_shape),
        "\n".join(f"{o.name} {s}" for o, s in zip(result.outputs, result.output_shapes)),
        f"{result.param_count:,}",
    )
    return Group(Text("Model summary", style="bold"), table)


def param_lines(result: RunResult) -> Text:
    formula = result.param_formula
    text = Text("Parameters ", style="bold")
    text.append(f"= {formula.formula}\n           = {formula.worked}")
    text.append("\n  (input_dim = features per timestep; each gate i, f, c, o has its own block of K, R and b)", style="dim")
    if formula.value != result.param_count:
        text.append(f"\n  Keras counts {result.param_count}, not {formula.value}!", style="bold red")
    return text


def weight_table(result: RunResult) -> Group:
    """kernel, recurrent_kernel and bias side by side, transposed: one row per gate column.

    Keras stores the gates as column blocks i, f, c, o; reading them as rows puts each gate's whole
    K, R and b on one line and keeps the table narrow.
    """
    units = int(result.config["units"])  # type: ignore[call-overload]
    shapes = ", ".join(f"{w.name} {w.shape}" for w in result.weights)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("col", justify="right", style="dim", no_wrap=True, min_width=3)
    table.add_column("gate", no_wrap=True)
    prefixes = {"kernel": "K·x", "recurrent_kernel": "R·h", "bias": "b"}
    blocks = []
    for weight in result.weights:
        values = weight.values if weight.values.ndim == 2 else weight.values[np.newaxis]
        prefix = prefixes.get(weight.name, weight.name)
        labels = [prefix] if values.shape[0] == 1 else [f"{prefix}{r}" for r in range(values.shape[0])]
        blocks.append((labels, values))
    labels = [label for block_labels, _ in blocks for label in block_labels]
    stacked = np.concatenate([values for _, values in blocks], axis=0)
    cols = _keep(len(labels), MAX_COLS)
    for c in cols:
        table.add_column("…" if c is None else labels[c], justify="right", no_wrap=True)
    for gate, _, start, stop in gate_columns(units):
        for column in _keep(stop - start, MAX_ROWS // 2):
            if column is None:
                table.add_row("…", "", *["…"] * len(cols))
                continue
            index = start + column
            table.add_row(
                str(index),
                f"{gate}{column}",
                *("…" if c is None else _fmt(stacked[c, index], 4) for c in cols),
            )
        table.add_section()
    legend = "; ".join(f"{gate} = {meaning} (cols {start}–{stop - 1})" for gate, meaning, start, stop in gate_columns(units))
    return Group(
        Text(f"Weights: {shapes}, shown transposed (one row per column)", style="bold"),
        table,
        Text(f"{legend}\nK = kernel (input → gates), R = recurrent_kernel (previous h → gates), b = bias", style="dim"),
    )


def _sample_tables(named: NamedArray, col_prefix: str, row_prefix: str) -> list[Group | Text]:
    """One table per sample for (batch, time, n) arrays; one table of samples for (batch, n)."""
    values = named.values
    title = f"{named.name} {named.shape} — {named.description}"
    cols = [f"{col_prefix}{u}" for u in range(values.shape[-1])]
    if values.ndim == 2:
        return [matrix_table(title, values, [f"sample {b}" for b in range(values.shape[0])], cols)]
    parts: list[Group | Text] = []
    for b in range(min(values.shape[0], MAX_SAMPLES)):
        rows = [f"{row_prefix}{t}" for t in range(values.shape[1])]
        parts.append(matrix_table(f"{title}, sample {b}", values[b], rows, cols, corner="t"))
    if values.shape[0] > MAX_SAMPLES:
        parts.append(Text(f"… {values.shape[0] - MAX_SAMPLES} more samples (all of them in --json)", style="dim"))
    return parts


def h_heatmap(result: RunResult, console: Console) -> Group:
    matrix = np.array([step.h for step in result.trace]).T
    return heatmap(f"h over time, sample {result.trace_sample} (processing order)", matrix, "h", console)


def input_tables(result: RunResult) -> Group:
    named = NamedArray("input", "x", result.input.values)
    return Group(Text(f"Input: {result.input.source}", style="dim"), *_sample_tables(named, "x", "t="))


def output_tables(result: RunResult) -> Group:
    parts: list[Group | Text] = []
    for output in result.outputs:
        parts.extend(_sample_tables(output, "h" if output.name != "final_c" else "c", "t="))
    return Group(*parts)


def docs_panel(result: RunResult) -> Panel | None:
    """Keras's words for each argument the user set, from the same source `explain` uses."""
    explicit = [a for a in ARGUMENTS if a.name in result.config.explicit]
    if not explicit:
        return None
    entries = []
    version = None
    for argument in explicit:
        says = keras_says(argument)
        version = version or says.version
        text = says.text or f"{argument.summary} (not in Keras 3's docstring)"
        entries.append(Text(f"{argument.name}: ", style="bold") + Text(text))
    where = f"Keras {version}" if version else "Keras"
    return Panel(Text("\n").join(entries), title=f"What {escape(where)} says about the arguments you set", title_align="left")


def arrays_view(arrays: list[tuple[str, np.ndarray]]) -> list[Group | Text]:
    """Arrays compared in a demonstration, laid out so equal or different rows are easy to spot.

    Single rows become one table with a row per array; arrays with equal row counts go side by side
    under letters A, B, … (or one above the other when too wide); anything else is shown one table
    after another.
    """
    matrices = [(label, array if array.ndim == 2 else array.reshape(1, -1)) for label, array in arrays]
    if not matrices:
        return []
    cols = max(m.shape[1] for _, m in matrices)
    if all(m.shape[0] == 1 for _, m in matrices) and all(m.shape[1] == cols for _, m in matrices):
        stacked = np.concatenate([m for _, m in matrices])
        return [matrix_table("", stacked, [label for label, _ in matrices], [str(c) for c in range(cols)])]
    rows = {m.shape[0] for _, m in matrices}
    total = sum(m.shape[1] for _, m in matrices)
    if len(rows) == 1 and total <= MAX_COLS:
        letters = [chr(ord("A") + k) for k in range(len(matrices))]
        labels = [f"{letter}{c}" for letter, (_, m) in zip(letters, matrices) for c in range(m.shape[1])]
        legend = "; ".join(f"{letter} = {label}" for letter, (label, _) in zip(letters, matrices))
        side = np.concatenate([m for _, m in matrices], axis=1)
        return [matrix_table(legend, side, [str(r) for r in range(side.shape[0])], labels)]
    if all(m.shape[1] == cols for _, m in matrices):
        stacked = np.concatenate([m for _, m in matrices])
        row_labels = [f"{label} [{r}]" for label, m in matrices for r in range(m.shape[0])]
        return [matrix_table("", stacked, row_labels, [str(c) for c in range(cols)])]
    return [matrix_table(label, m, [str(r) for r in range(m.shape[0])], [str(c) for c in range(m.shape[1])]) for label, m in matrices]


def effects_section(result: RunResult) -> Group:
    """One panel per demonstration: its computed sentences, then its arrays."""
    panels = []
    for effect in result.effects:
        parts: list[Text | Group] = [Text(line) for line in effect.lines]
        parts.extend(arrays_view(effect.arrays))
        panels.append(Panel(Group(*parts), title=escape(effect.title), title_align="left"))
    return Group(Text("Effects", style="bold"), *panels)


def reference_line(result: RunResult) -> Text | Panel | None:
    """The NumPy cross-check: one quiet line when it agrees, a red panel when it doesn't."""
    check = result.reference
    if check is None:
        return None
    if check.ok:
        return Text(f"NumPy reference: max |Δ| = {check.max_abs_diff:.1e} ✓", style="green")
    body = Text(f"Keras's output and the NumPy reference disagree: max |Δ| = {check.max_abs_diff:.3g} "
                "(tolerance: atol 1e-5 + rtol 1e-5). ", style="bold red")
    if check.note:
        body.append(check.note)
    return Panel(body, title="✗ NumPy reference MISMATCH", border_style="red", title_align="left")


def header(result: RunResult, console: Console) -> None:
    """Versions, the seed in use, the mode, and the notes the user must read first."""
    mode = "training mode" if result.training else "inference mode"
    console.rule("[bold]lstm-explore[/] · keras.layers.LSTM")
    console.print(
        f"Keras {result.keras_version} · TensorFlow {result.tensorflow_version} · "
        f"random seed {result.random_seed} · {mode}",
        highlight=False,
    )
    for note in result.notes:
        console.print(Text("Note: ", style="bold yellow") + Text(note))


def render(result: RunResult, console: Console) -> None:
    header(result, console)
    sections = (
        config_table(result), summary_table(result), param_lines(result), weight_table(result),
        input_tables(result), output_tables(result), h_heatmap(result, console),
    )
    for section in sections:
        console.print(section)
        console.print()
    check = reference_line(result)
    if check is not None:
        console.print(check)
        console.print()
    console.print(effects_section(result))
    panel = docs_panel(result)
    if panel is not None:
        console.print(panel)

