"""A PNG of h, c and the four gates over time × units, drawn with matplotlib (the optional [plot] extra).

The file is written like every file the tool writes: whole, and never over an existing one unasked.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from lstm_explorer.catalogue import GATE_SYMBOLS
from lstm_explorer.engine import RunResult
from lstm_explorer.errors import RunFailure
from lstm_explorer.files import check_target as check_target_file
from lstm_explorer.files import write_atomically
from lstm_explorer.quiet import muted

FIGSIZE = (12.0, 6.5)
DPI = 100
ANNOTATE_CELLS = 80
MAX_TICKS = 12
PANELS = (
    ("h", "h (hidden state)"),
    ("c", "c (cell state)"),
    ("i", "i (input gate)"),
    ("f", "f (forget gate)"),
    ("g", f"{GATE_SYMBOLS['c']} (candidate)"),
    ("o", "o (output gate)"),
)


def check_target(path_text: str, force: bool, protected: tuple[Path, ...] = ()) -> Path:
    """Refuse before any work is done: wrong suffix, missing folder, existing file, no matplotlib."""
    path = check_target_file(path_text, "--plot", force, ".png", protected)
    if importlib.util.find_spec("matplotlib") is None:
        raise RunFailure("--plot needs matplotlib, which is not installed: pip install 'lstm-explore[plot]'")
    return path


def _figure(result: RunResult) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig, axes = plt.subplots(2, 3, figsize=FIGSIZE, dpi=DPI, constrained_layout=True)
    times = [step.t for step in result.trace]
    for ax, (key, title) in zip(axes.ravel(), PANELS):
        matrix = np.array([getattr(step, key) for step in result.trace], dtype=np.float64).T
        finite = matrix[np.isfinite(matrix)]
        bound = float(np.abs(finite).max()) if finite.size else 1.0
        gate = key in ("i", "f", "o") and finite.size and finite.min() >= 0
        image = ax.imshow(
            matrix,
            aspect="auto",
            interpolation="nearest",
            cmap="viridis" if gate else "RdBu_r",
            vmin=0 if gate else -bound,
            vmax=max(bound, 1e-12) if not gate else max(float(finite.max()), 1e-12),
        )
        ax.set_title(title)
        ax.set_xlabel("timestep (processing order)")
        ax.set_ylabel("unit")
        # At most a dozen ticks on integer positions, labelled with the timestep read there (reversed
        # under go_backwards): readable at 5 timesteps and at 5000 alike.
        ax.xaxis.set_major_locator(MaxNLocator(nbins=MAX_TICKS, integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: str(times[int(v)]) if 0 <= int(v) < len(times) else ""))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=MAX_TICKS, integer=True))
        ax.tick_params(labelsize=7)
        fig.colorbar(image, ax=ax)
        if matrix.size <= ANNOTATE_CELLS:
            for (u, t), value in np.ndenumerate(matrix):
                ax.text(t, u, f"{value:.2f}", ha="center", va="center", fontsize=6)
    fig.suptitle(
        f"keras.layers.LSTM(units={result.config['units']}) on input {tuple(result.input.values.shape)}, "
        f"sample {result.trace_sample}, random seed {result.random_seed}, {result.pass_name}"
    )
    return fig


def write_plot(result: RunResult, path: Path, force: bool, verbose: bool = False) -> None:
    """Draw the figure and put it in place atomically (see `lstm_explorer.files`)."""
    with muted(verbose):
        import matplotlib.pyplot as plt

        figure = _figure(result)
        try:
            write_atomically(path, "--plot", force, lambda temporary: figure.savefig(temporary, format="png", dpi=DPI))
        finally:
            plt.close(figure)
