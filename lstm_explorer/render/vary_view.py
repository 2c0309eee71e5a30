"""`vary` drawn as one table, a row per value, and as JSON rows for scripts."""

from __future__ import annotations

import math

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lstm_explorer.engine import SweepRow

FIRST_VALUES = 4


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def vary_document(argument: str, rows: list[SweepRow], random_seed: int, shared: bool) -> dict[str, object]:
    return {
        "argument": argument,
        "random_seed": random_seed,
        "same_initial_weights": shared,
        "rows": [
            {
                "value": row.value,
                "output_shapes": [list(s) for s in row.output_shapes],
                "param_count": row.param_count,
                "max_abs_diff_vs_first": _finite(row.max_abs_diff_vs_first),
                "cudnn_eligible": row.cudnn_eligible,
                "loss": row.loss,
                "shared_weights": row.shared_weights,
                "error": row.error,
                "outputs": [[None if not math.isfinite(v) else v for v in o.astype(float).ravel().tolist()] for o in row.outputs],
            }
            for row in rows
        ],
    }


def render_vary(argument: str, rows: list[SweepRow], random_seed: int, shared: bool, console: Console) -> None:
    table = Table(title=f"vary {argument} (random seed {random_seed})", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("value", "output shapes", "params", "first output values", "max |Δ| vs first", "loss", "cuDNN", "weights"):
        table.add_column(column, justify="right" if column in ("params", "max |Δ| vs first", "loss") else "left")
    refused = []
    source = next((row for row in rows if row.error is None), None)
    for row in rows:
        if row.error is not None:
            table.add_row(row.value, Text("refused (below)", style="red"), "", "", "", "", "", "")
            refused.append(row)
            continue
        first = row.outputs[0].ravel()[:FIRST_VALUES]
        table.add_row(
            row.value,
            " ".join(str(s) for s in row.output_shapes),
            f"{row.param_count:,}",
            " ".join(f"{v:.4f}" for v in first) + (" …" if row.outputs[0].size > FIRST_VALUES else ""),
            "—" if row.max_abs_diff_vs_first is None else f"{row.max_abs_diff_vs_first:.3g}",
            f"{row.loss:.4g}",
            "eligible" if row.cudnn_eligible else "no",
            "source" if row is source else "shared" if row.shared_weights else "own",
        )
    console.print(table)
    for row in refused:
        console.print(Text(f"{row.value}: ", style="bold red") + Text(row.error or ""))
    if shared:
        console.print(Text("Rows whose weight shapes match the first start from its weights: only the varied argument differs. "
                           "'own' marks rows whose shapes differ (e.g. another units) and were initialised from the seed alone.", style="dim"))
    else:
        console.print(Text(f"{argument} decides the initial weights, so every row is initialised from the seed alone.", style="dim"))
