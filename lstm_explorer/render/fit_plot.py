"""`fit --plot`: a PNG of the loss per epoch (every seed, their mean and the baseline) and of the
gradient's reach before and after training, drawn from the same numbers the terminal and --json show.

Written like every file the tool writes (whole, never over an existing one unasked), and in English
whatever the command speaks, for the reason given in `render.plot`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lstm_explorer.files import write_atomically
from lstm_explorer.language import speaking
from lstm_explorer.quiet import muted
from lstm_explorer.render.fit_view import epoch_means
from lstm_explorer.render.plot import DPI, PICTURE_LANGUAGE

if TYPE_CHECKING:
    from lstm_explorer.fitting import Fit

FIGSIZE = (12.0, 4.8)


def _draw(fit: Fit) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (losses, reach) = plt.subplots(1, 2, figsize=FIGSIZE, constrained_layout=True)
    for run in fit.runs:
        epochs = [e.epoch for e in run.history]
        losses.plot(epochs, [e.val_loss for e in run.history], color="tab:orange", alpha=0.3, linewidth=1)
    means = epoch_means(fit.runs)
    epochs = [m[0] for m in means]
    losses.plot(epochs, [m[1] for m in means], color="tab:blue", label="training loss (mean over seeds)")
    losses.plot(epochs, [m[2] for m in means], color="tab:orange", label="validation loss (mean; thin: each seed)")
    losses.axhline(fit.plan.data.baseline, color="grey", linestyle="--", label="baseline (predict the mean)")
    losses.set_yscale("log")
    losses.set_xlabel("epoch")
    losses.set_ylabel("mean squared error")
    losses.set_title(f"task {fit.plan.data.name}: loss per epoch")
    losses.legend(fontsize="small")
    first = fit.runs[0]
    for snapshot, label in ((first.before, "at initialisation"), (first.after, "after training")):
        if snapshot is not None:
            reach.plot(range(len(snapshot.reach)), snapshot.reach, marker=".", label=label)
    reach.set_yscale("log")
    reach.set_xlabel("timestep t")
    reach.set_ylabel("mean |d loss / d x_t|")
    reach.set_title(f"the gradient's reach (seed {first.seed})")
    reach.legend(fontsize="small")
    return figure


def write_fit_plot(fit: Fit, path: Path, force: bool, verbose: bool = False) -> None:
    """Draw the figure and put it in place atomically (see `lstm_explorer.files`)."""
    with muted(verbose), speaking(PICTURE_LANGUAGE):
        import matplotlib.pyplot as plt

        figure = _draw(fit)
        try:
            write_atomically(path, "--plot", force, lambda temporary: figure.savefig(temporary, format="png", dpi=DPI))
        finally:
            plt.close(figure)
