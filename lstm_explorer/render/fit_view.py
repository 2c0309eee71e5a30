"""`fit` and `vary --fit` drawn for a terminal (tables, a line chart of the loss) and as JSON documents.

Nothing is computed here that the training did not measure: the means over seeds, the ratio to the
baseline and the verdict's figures are arithmetic on the recorded numbers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lstm_explorer.language import say
from lstm_explorer.render.json_view import finite
from lstm_explorer.tasks import TaskData, baseline_text

if TYPE_CHECKING:
    from lstm_explorer.fitting import Fit, FitVary, Plan
    from lstm_explorer.stats import Verdict
    from lstm_explorer.training import Snapshot, Training

# Epochs shown in the table before the middle ones are left out (all are in --json).
MAX_EPOCH_ROWS = 20
# Timesteps shown in the gradient's reach table before it shows evenly spaced ones.
MAX_REACH_ROWS = 12
CHART_HEIGHT = 10
# How many times below the baseline a final loss must be before the view says the model learned
# something; closer to the baseline it says how little (a few percent is what noise gives).
LEARNED_TIMES = 1.5
CHART_MARKS = {"loss": "·", "val_loss": "•", "baseline": "─"}


def _versions() -> tuple[str, str]:
    from lstm_explorer.versions import versions

    found = versions()
    return found["Keras"], found["TensorFlow"]


def _plan_lines(plan: Plan, console: Console, title: str) -> None:
    settings, data = plan.settings, plan.data
    console.rule(f"[bold]{title}[/]")
    keras, tensorflow = _versions()
    console.print(
        say(
            "fit.header",
            keras=keras,
            tensorflow=tensorflow,
            seeds=", ".join(str(seed) for seed in plan.seeds),
            learning_rate=settings.learning_rate,
            batch_size=settings.batch_size,
            epochs=settings.epochs,
        ),
        highlight=False,
    )
    _, timesteps, features = data.x_train.shape
    console.print(
        say(
            "fit.data",
            task=data.name,
            train=len(data.x_train),
            val=len(data.x_val),
            timesteps=timesteps,
            features=features,
            target=data.target_size,
            per=say("fit.per_step") if data.sequence_target else say("fit.per_sample"),
        ),
        highlight=False,
    )
    for note in plan.notes:
        console.print(Text(say("run.note_label"), style="bold yellow") + Text(note))
    console.print(say("fit.baseline", text=baseline_text(data)), highlight=False)


def epoch_means(runs: list[Training]) -> list[tuple[int, float, float, float]]:
    """Per epoch: the mean training loss, validation loss and seconds over the runs that reached it."""
    longest = max((len(run.history) for run in runs), default=0)
    rows = []
    for k in range(longest):
        reached = [run.history[k] for run in runs if len(run.history) > k]
        rows.append(
            (
                k + 1,
                float(np.mean([e.loss for e in reached])),
                float(np.mean([e.val_loss for e in reached])),
                float(np.mean([e.seconds for e in reached])),
            )
        )
    return rows


def _evenly(count: int, most: int) -> list[int]:
    """Every index up to `most`; else `most` evenly spaced ones, the first and the last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(k * (count - 1) / (most - 1)) for k in range(most)})


def _loss_table(fit: Fit) -> Table:
    runs = fit.runs
    what = say("fit.losses_one_seed", seed=runs[0].seed) if len(runs) == 1 else say("fit.losses_mean", count=len(runs))
    table = Table(title=say("fit.losses_title", what=what), title_justify="left", box=box.SIMPLE_HEAD)
    for key in ("column_epoch", "column_loss", "column_val_loss", "column_seconds"):
        table.add_column(say(f"fit.{key}"), justify="right")
    means = epoch_means(runs)
    for k in _evenly(len(means), MAX_EPOCH_ROWS):
        epoch, loss, val_loss, seconds = means[k]
        table.add_row(str(epoch), f"{loss:.4g}", f"{val_loss:.4g}", f"{seconds:.2f}")
    if len(means) > MAX_EPOCH_ROWS:
        table.caption = say("fit.rows_elided", shown=len(_evenly(len(means), MAX_EPOCH_ROWS)), epochs=len(means))
    return table


def line_chart(series: dict[str, list[float]], baseline: float, width: int, height: int = CHART_HEIGHT) -> list[str]:
    """The losses over epochs as text, on a log scale (losses fall by orders of magnitude): a column
    (or, for a few epochs, up to three) per epoch, or per group of epochs, averaged, when there are
    more epochs than columns; one mark per series, the baseline as a horizontal line, and the
    scale's ends on the left."""
    values = [v for points in series.values() for v in points if v > 0 and math.isfinite(v)]
    if baseline > 0 and math.isfinite(baseline):
        values.append(baseline)
    if not values:
        return []
    low, high = math.log10(min(values)), math.log10(max(values))
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    labels = (f"{10**high:.3g}", f"{10**low:.3g}")
    margin = max(len(label) for label in labels) + 1
    columns = max(8, width - margin - 1)
    length = max(len(points) for points in series.values())
    group = max(1, math.ceil(length / columns))
    # Few epochs are drawn wider (up to 3 columns each) so that the curve reads as one.
    stretch = 1 if group > 1 else max(1, min(3, columns // length))
    grid = [[" "] * math.ceil(length / group) for _ in range(height)]

    def row_of(value: float) -> int | None:
        if not (value > 0 and math.isfinite(value)):
            return None
        return round((high - math.log10(value)) / (high - low) * (height - 1))

    baseline_row = row_of(baseline)
    if baseline_row is not None:
        grid[baseline_row] = [CHART_MARKS["baseline"]] * len(grid[baseline_row])
    for name, points in series.items():
        for column in range(len(grid[0])):
            chunk = [v for v in points[column * group : (column + 1) * group] if math.isfinite(v)]
            row = row_of(float(np.mean(chunk))) if chunk else None
            if row is not None:
                grid[row][column] = CHART_MARKS[name]
    lines = []
    for k, cells in enumerate(grid):
        label = labels[0] if k == 0 else labels[1] if k == height - 1 else ""
        lines.append(f"{label:>{margin - 1}} │" + "".join(cell * stretch for cell in cells))
    lines.append(" " * (margin - 1) + " └" + "─" * (len(grid[0]) * stretch))
    return lines


def _chart(fit: Fit, console: Console) -> None:
    means = epoch_means(fit.runs)
    if len(means) < 2:
        return
    series = {"loss": [m[1] for m in means], "val_loss": [m[2] for m in means]}
    console.print(
        Text(
            say(
                "fit.chart_title",
                train=CHART_MARKS["loss"],
                val=CHART_MARKS["val_loss"],
                baseline=CHART_MARKS["baseline"],
            ),
            style="bold",
        )
    )
    for line in line_chart(series, fit.plan.data.baseline, console.width):
        console.print(line, highlight=False, no_wrap=True, overflow="crop")


def final_lines(finals: list[tuple[int, float]], data: TaskData) -> list[str]:
    """The final validation loss (mean ± std over seeds) and what it means against the baseline."""
    if not finals:
        return []
    losses = [loss for _, loss in finals]
    if not all(math.isfinite(loss) for loss in losses):
        return [say("fit.diverged")]
    if len(finals) == 1:
        lines = [say("fit.final_one", loss=losses[0], seed=finals[0][0])]
    else:
        from lstm_explorer.stats import mean_std

        mean, std = mean_std(losses)
        shown = ", ".join(f"{loss:.4g}" for loss in losses)
        lines = [say("fit.final_many", mean=mean, std=std, count=len(losses), losses=shown)]
    mean = float(np.mean(losses))
    times = data.baseline / mean if mean > 0 else math.inf
    if times >= LEARNED_TIMES:
        lines.append(say("fit.learned", times=times))
    elif times > 1:
        lines.append(say("fit.barely_learned", times=times))
    else:
        lines.append(say("fit.not_learned", baseline=data.baseline))
    return lines


def _measures_table(run: Training) -> Table | None:
    if run.before is None or run.after is None:
        return None
    title = say("fit.measures_title", seed=run.seed, samples=run.before.samples)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for key in ("column_measure", "column_before", "column_after"):
        table.add_column(say(f"fit.{key}"), justify="left" if key == "column_measure" else "right")
    before, after = run.before, run.after
    for gate in before.gates:
        table.add_row(say("fit.gate_mean", gate=gate), f"{before.gates[gate]:.3f}", f"{after.gates[gate]:.3f}")
    table.add_row(say("fit.saturated"), f"{before.saturated:.1%}", f"{after.saturated:.1%}")
    if before.forget_bias is not None and after.forget_bias is not None:
        table.add_row(say("fit.forget_bias"), f"{before.forget_bias:.3f}", f"{after.forget_bias:.3f}")
    for name in before.weights:
        table.add_row(say("fit.weight_rms", name=name), f"{before.weights[name]:.4f}", f"{after.weights[name]:.4f}")
    return table


def _reach(run: Training, console: Console) -> None:
    if run.before is None or run.after is None:
        return
    table = Table(title=say("fit.reach_title", seed=run.seed), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("t", justify="right")
    table.add_column(say("fit.column_before"), justify="right")
    table.add_column(say("fit.column_after"), justify="right")
    for t in _evenly(len(run.before.reach), MAX_REACH_ROWS):
        table.add_row(str(t), f"{run.before.reach[t]:.3g}", f"{run.after.reach[t]:.3g}")
    console.print(table)
    for key, snapshot in (("fit.reach_before", run.before), ("fit.reach_after", run.after)):
        console.print(say("fit.reach_summary", when=say(key), share=reach_share(snapshot)), highlight=False)
    console.print(Text(say("fit.reach_note"), style="dim"))


def reach_share(snapshot: Snapshot) -> float:
    """The gradient at the first timestep as a share of the gradient at the last."""
    last = float(snapshot.reach[-1])
    return float(snapshot.reach[0]) / last if last > 0 else math.nan


def render_fit(fit: Fit, console: Console) -> None:
    """The plan, the loss per epoch (table and chart), the final loss against the baseline, and what
    training did to the regularization penalty, the constraints, the gates, the weights and the
    gradient's reach."""
    _plan_lines(fit.plan, console, say("fit.title"))
    if not fit.runs or not fit.runs[0].history:
        if fit.save_to is not None:
            console.print(say("fit.not_saved", path=fit.save_to), highlight=False)
        _interrupted(fit.interrupted, 0, fit.plan.settings.epochs * len(fit.plan.seeds), console)
        return
    console.print(_loss_table(fit))
    _chart(fit, console)
    finals = [(run.seed, float(run.final_val_loss)) for run in fit.complete_runs if run.final_val_loss is not None]
    for line in final_lines(finals, fit.plan.data):
        console.print(line, highlight=False)
    first = fit.runs[0]
    if first.penalty is not None:
        penalty = first.penalty
        if _regularized(fit):
            console.print(say("fit.penalty", value=penalty.value, loss=penalty.loss, share=penalty.share))
        else:
            console.print(say("fit.penalty_none"))
    for check in first.constraints:
        key = "fit.constraint_holds" if check.holds else "fit.constraint_broken"
        console.print(say(key, argument=check.argument, spec=check.spec, change=check.max_change), highlight=False)
    measures = _measures_table(first)
    if measures is not None:
        console.print(measures)
    _reach(first, console)
    seconds = [e.seconds for run in fit.runs for e in run.history]
    console.print(say("fit.time_per_epoch", seconds=float(np.mean(seconds)), epochs=len(seconds)), highlight=False)
    if fit.saved is not None:
        console.print(say("fit.saved", seed=first.seed, path=fit.saved), highlight=False)
    elif fit.save_to is not None:
        console.print(say("fit.not_saved", path=fit.save_to), highlight=False)
    _interrupted(fit.interrupted, fit.epochs_done, fit.plan.settings.epochs * len(fit.plan.seeds), console)


def _regularized(fit: Fit) -> bool:
    from lstm_explorer.training import regularized

    return regularized(fit.config)


def _interrupted(interrupted: bool, done: int, total: int, console: Console) -> None:
    if interrupted:
        console.print(Text(say("fit.interrupted", done=done, total=total), style="bold yellow"))


def render_vary_fit(swept: FitVary, console: Console) -> None:
    """One row per value (mean ± std of the final validation loss, its ratio to the baseline, each
    seed's), then the verdict."""
    _plan_lines(swept.plan, console, say("fit.vary_title", argument=swept.argument))
    baseline = swept.plan.data.baseline
    table = Table(
        title=say("fit.vary_table_title", argument=swept.argument, count=len(swept.plan.seeds)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for key in ("column_value", "column_final", "column_versus", "column_seeds"):
        table.add_column(say(f"fit.{key}"), justify="left" if key == "column_value" else "right", overflow="fold")
    from lstm_explorer.stats import mean_std

    for row in swept.rows:
        finals = row.finals
        if not finals:
            table.add_row(row.label, "—", "—", "—")
            continue
        mean, std = mean_std(finals)
        table.add_row(
            row.label,
            f"{mean:.4g} ± {std:.2g}",
            f"{mean / baseline:.3g}" if baseline > 0 else "—",
            ", ".join(f"{loss:.4g}" for loss in finals),
        )
    console.print(table)
    console.print(verdict_text(swept), highlight=False)
    total = swept.plan.settings.epochs * len(swept.plan.seeds) * len(swept.rows)
    done = sum(len(run.history) for row in swept.rows for run in row.runs)
    _interrupted(swept.interrupted, done, total, console)


def verdict_text(swept: FitVary) -> str:
    """The verdict in the current language: a difference only where the paired test supports it."""
    verdict = swept.verdict
    if verdict is None:
        return say("fit.verdict_unavailable")
    if verdict.p_value is None:
        return say("fit.verdict_one_seed")
    runner = next(c for c in verdict.comparisons if c.other == verdict.runner_up)
    difference = -runner.paired.mean_difference
    if math.isinf(runner.paired.t or 0.0) and verdict.clear and len(verdict.comparisons) == 1:
        return say("fit.verdict_same_every_seed", best=verdict.best, runner_up=verdict.runner_up, difference=difference)
    fields = dict(
        best=verdict.best,
        runner_up=verdict.runner_up,
        difference=difference,
        count=runner.paired.n,
        p=verdict.p_value,
        comparisons=len(verdict.comparisons),
        effect=abs(verdict.effect_size or 0.0),
    )
    return say("fit.verdict_clear" if verdict.clear else "fit.verdict_unclear", **fields)


def _history(run: Training) -> list[dict[str, Any]]:
    return [{"epoch": e.epoch, "loss": e.loss, "val_loss": e.val_loss, "seconds": e.seconds} for e in run.history]


def _run_document(run: Training) -> dict[str, Any]:
    return {
        "seed": run.seed,
        "complete": run.complete,
        "history": _history(run),
        "final_val_loss": run.final_val_loss if run.complete else None,
    }


def _snapshot(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "gates": snapshot.gates,
        "saturated_share": snapshot.saturated,
        "forget_bias_mean": snapshot.forget_bias,
        "weights_rms": snapshot.weights,
    }


def _task_document(plan: Plan) -> dict[str, Any]:
    data = plan.data
    _, timesteps, features = data.x_train.shape
    return {
        "name": data.name,
        "train_samples": len(data.x_train),
        "validation_samples": len(data.x_val),
        "timesteps": timesteps,
        "features": features,
        "target_size": data.target_size,
        "target_per_step": data.sequence_target,
    }


def _settings_document(plan: Plan) -> dict[str, Any]:
    settings = plan.settings
    return {
        "optimizer": "adam",
        "loss": "mse",
        "learning_rate": settings.learning_rate,
        "batch_size": settings.batch_size,
        "epochs": settings.epochs,
    }


def fit_document(fit: Fit) -> dict[str, Any]:
    """`fit --json`: every epoch of every seed, and the first seed's measurements."""
    from lstm_explorer.render.json_view import config_document, model_document

    first = fit.runs[0] if fit.runs else None
    final = fit.final
    document: dict[str, Any] = {
        "task": _task_document(fit.plan),
        "baseline": {"value": fit.plan.data.baseline, "text": baseline_text(fit.plan.data)},
        "settings": _settings_document(fit.plan),
        "config": config_document(fit.config),
        "model": model_document(fit.architecture, fit.config),
        "seeds": fit.plan.seeds,
        "runs": [_run_document(run) for run in fit.runs],
        "final": None if final is None else {"mean": final[0], "std": final[1]},
        "gradient_reach": None,
        "gates": None,
        "constraints": [],
        "penalty": None,
        "notes": list(fit.plan.notes),
        "saved": None if fit.saved is None else str(fit.saved),
        "interrupted": fit.interrupted,
    }
    if first is not None and first.before is not None:
        document["gradient_reach"] = {
            "seed": first.seed,
            "t": list(range(len(first.before.reach))),
            "before": first.before.reach,
            "after": None if first.after is None else first.after.reach,
        }
        document["gates"] = {"seed": first.seed, "before": _snapshot(first.before), "after": _snapshot(first.after)}
        document["constraints"] = [
            {"argument": c.argument, "constraint": c.spec, "holds": c.holds, "max_change": c.max_change}
            for c in first.constraints
        ]
        if first.penalty is not None:
            document["penalty"] = {
                "seed": first.seed,
                "value": first.penalty.value,
                "loss": first.penalty.loss,
                "share": first.penalty.share,
            }
    return finite(document)


def _verdict_document(swept: FitVary) -> dict[str, Any]:
    verdict: Verdict | None = swept.verdict
    text = verdict_text(swept)
    if verdict is None:
        return {"p_value": None, "effect_size": None, "text": text, "clear": False}
    return {
        "p_value": verdict.p_value,
        "effect_size": None if verdict.effect_size is None else abs(verdict.effect_size),
        "text": text,
        "clear": verdict.clear,
        "best": verdict.best,
        "runner_up": verdict.runner_up,
        "test": "paired t-test over seeds, Holm-corrected",
        "comparisons": [
            {
                "value": c.other,
                "mean_difference": c.paired.mean_difference,
                "t": c.paired.t,
                "p_value": c.paired.p_value,
                "adjusted_p_value": c.adjusted_p,
                "effect_size": c.paired.effect_size,
            }
            for c in verdict.comparisons
        ],
    }


def vary_fit_document(swept: FitVary) -> dict[str, Any]:
    """`vary --fit --json`: per value, every seed's history and the final loss; the verdict."""
    from lstm_explorer.render.json_view import model_document
    from lstm_explorer.stats import mean_std

    rows = []
    for row in swept.rows:
        finals = row.finals
        final = None
        if finals:
            mean, std = mean_std(finals)
            final = {"mean": mean, "std": std}
        rows.append({"value": row.label, "final": final, "runs": [_run_document(run) for run in row.runs]})
    return finite(
        {
            "argument": swept.argument,
            "task": _task_document(swept.plan),
            "baseline": {"value": swept.plan.data.baseline, "text": baseline_text(swept.plan.data)},
            "settings": _settings_document(swept.plan),
            "model": model_document(swept.architecture, swept.rows[0].config),
            "seeds": swept.plan.seeds,
            "rows": rows,
            "verdict": _verdict_document(swept),
            "notes": list(swept.plan.notes),
            "interrupted": swept.interrupted,
        }
    )
