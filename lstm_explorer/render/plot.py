"""A PNG of h, c and the four gates over time × units, drawn with matplotlib (the optional [plot] extra).

The file is written like every file the tool writes: whole, and never over an existing one unasked.
The picture's own words are English in every language: matplotlib's fonts here have no Chinese
glyphs (they would come out as empty boxes), and the tool adds no font dependency for them.
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
from lstm_explorer.language import say, speaking
from lstm_explorer.quiet import muted

FIGSIZE = (12.0, 6.5)
DPI = 100
ANNOTATE_CELLS = 80
MAX_TICKS = 12
PICTURE_LANGUAGE = "en"


def panels() -> list[tuple[str, str]]:
    """The six panels: the trace field each draws and its title."""
    return [
        ("h", say("run.plot_h")),
        ("c", say("run.plot_c")),
        ("i", say("run.plot_i")),
        ("f", say("run.plot_f")),
        ("g", say("run.plot_candidate", symbol=GATE_SYMBOLS["c"])),
        ("o", say("run.plot_o")),
    ]


def check_target(path_text: str, force: bool, protected: tuple[Path, ...] = ()) -> Path:
    """Refuse before any work is done: wrong suffix, missing folder, existing file, no matplotlib."""
    path = check_target_file(path_text, "--plot", force, ".png", protected)
    if importlib.util.find_spec("matplotlib") is None:
        raise RunFailure(say("run.plot_needs_matplotlib"))
    return path


def _figure(result: RunResult) -> Any:
    """The figure, its words in PICTURE_LANGUAGE whatever the command speaks (see the module's docstring)."""
    with speaking(PICTURE_LANGUAGE):
        return _draw(result)


def _draw(result: RunResult) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig, axes = plt.subplots(2, 3, figsize=FIGSIZE, dpi=DPI, constrained_layout=True)
    times = [step.t for step in result.trace]
    for ax, (key, title) in zip(axes.ravel(), panels()):
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
        ax.set_xlabel(say("run.plot_xlabel"))
        ax.set_ylabel(say("run.plot_ylabel"))
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
    part = result.traced_part
    where = "" if part is None else say("model.traced_part", path=part.path, direction=part.direction) + " · "
    fig.suptitle(
        where
        + say(
            "run.plot_title",
            units=result.traced_units,
            shape=tuple(result.input.values.shape),
            sample=result.trace_sample,
            seed=result.random_seed,
            pass_name=result.pass_name,
        )
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
