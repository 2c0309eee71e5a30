"""Block heatmaps in the terminal: units down, time across, colour for value.

Two columns per timestep keep blocks square-ish; a longer sequence gets one column per timestep, and
only a sequence longer than the terminal is wide is binned (several timesteps averaged per column).
When colour is off (NO_COLOR, not a terminal) each cell becomes a character from a light-to-dark
ramp instead, so the picture survives a pipe or a log file.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console, Group
from rich.text import Text

from lstm_explorer.language import say

RAMP = ".,:;=+*#%@"
MAX_UNITS = 32
LABEL_WIDTH = 6
LEVELS = len(RAMP)


def _colour(level: float, diverging: bool) -> str:
    """level in [0, 1] → an rgb colour: blue–white–red around zero, or white–red for one sign."""
    if diverging:
        if level < 0.5:
            t = level * 2
            r = g = int(60 + 195 * t)
            return f"rgb({r},{g},255)"
        t = (level - 0.5) * 2
        g = b = int(255 - 195 * t)
        return f"rgb(255,{g},{b})"
    g = b = int(255 - 205 * level)
    return f"rgb(255,{g},{b})"


def bin_time(matrix: np.ndarray, max_columns: int) -> tuple[np.ndarray, int]:
    """Average groups of consecutive timesteps until the columns fit; returns (matrix, group size)."""
    steps = matrix.shape[1]
    group = max(1, -(-steps // max_columns))
    if group == 1:
        return matrix, 1
    padded = np.full((matrix.shape[0], -(-steps // group) * group), np.nan)
    padded[:, :steps] = matrix
    return np.nanmean(padded.reshape(matrix.shape[0], -1, group), axis=2), group


def heatmap(title: str, matrix: np.ndarray, row_prefix: str, console: Console) -> Group:
    """matrix: (units, timesteps). Colour when the console has colour, a character ramp otherwise."""
    colour = console.color_system is not None and not console.no_color
    rows = matrix[:MAX_UNITS].astype(np.float64)
    available = max(4, console.width - LABEL_WIDTH)
    cell = 2 if 2 * rows.shape[1] <= available else 1
    binned, group = bin_time(rows, available // cell)
    finite = binned[np.isfinite(binned)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    diverging = lo < 0 < hi
    if diverging:
        bound = max(-lo, hi)
        lo, hi = -bound, bound
    span = (hi - lo) or 1.0
    lines = [Text(title, style="bold")]
    for u, row in enumerate(binned):
        line = Text()
        line.append(f"{row_prefix}{u}".rjust(LABEL_WIDTH - 1) + " ", style="dim")
        for value in row:
            if not np.isfinite(value):
                line.append("?" * cell)
                continue
            level = (value - lo) / span
            if colour:
                line.append("█" * cell, style=_colour(level, diverging))
            else:
                line.append(RAMP[min(int(level * LEVELS), LEVELS - 1)] * cell)
        lines.append(line)
    legend = Text()
    legend.append(" " * LABEL_WIDTH + say("run.heatmap_scale"), style="dim")
    legend.append(f"{lo:.3g} ")
    for k in range(LEVELS):
        level = (k + 0.5) / LEVELS
        if colour:
            legend.append("█", style=_colour(level, diverging))
        else:
            legend.append(RAMP[k])
    legend.append(f" {hi:.3g}")
    notes = [say("run.heatmap_time_direction")]
    if group > 1:
        notes.append(say("run.heatmap_binned", group=group))
    if matrix.shape[0] > MAX_UNITS:
        notes.append(say("run.heatmap_first_units", shown=MAX_UNITS, total=matrix.shape[0]))
    legend.append(say("run.heatmap_notes", notes=say("run.clause_separator").join(notes)), style="dim")
    lines.append(legend)
    return Group(*lines)
