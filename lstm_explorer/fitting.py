"""`fit` and `vary --fit`: what an argument does to learning, measured by training for real.

Everything here is checked before TensorFlow loads (the options, the data, the memory training will
need); `training` does the TensorFlow part. A comparison trains every value on the same data with the
same seeds, so that seed r of one value and seed r of another differ only by the value, and a paired
test over seeds (`stats`) decides whether the difference in final validation loss is real.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lstm_explorer import limits, stats, tasks
from lstm_explorer.architecture import Architecture
from lstm_explorer.config import LSTMConfig, build_config
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.language import say
from lstm_explorer.tasks import TaskData
from lstm_explorer.training import Settings, Training

DEFAULT_EPOCHS = 20
DEFAULT_BATCH_SIZE = 32
DEFAULT_LEARNING_RATE = 0.01
DEFAULT_REPEATS = 1
MAX_EPOCHS = 10_000
MAX_REPEATS = 100
MAX_BATCH_SIZE = 65_536
MAX_LEARNING_RATE = 10.0
# Per (sample of a batch, timestep, unit) while training: the activations the backward pass keeps,
# their gradients and the compiled loop's temporaries (≈ 18 bytes measured); per (measured sample,
# timestep, unit): the step-by-step trace and the gradient tape of the measurements (≈ 140 bytes);
# per weight: the variable, its gradient and Adam's two moments. Rounded up from
# benchmarks/memory_estimate.py's training cases (TensorFlow 2.21, x86-64).
BYTES_PER_TRAINING_ACTIVATION = 64
BYTES_PER_MEASURED_ACTIVATION = 256
BYTES_PER_TRAINED_WEIGHT = 96
BYTES_PER_TRAINING_VALUE = 16

# Options of the one-call commands that have no meaning for training, with the key of the reason.
REFUSED = {
    "model": "fit.refused_model",
    "lengths": "fit.refused_mask",
    "padding": "fit.refused_mask",
    "mask": "fit.refused_mask",
    "mask_value": "fit.refused_mask",
    "initial_h": "fit.refused_initial_state",
    "initial_c": "fit.refused_initial_state",
    "training": "fit.refused_training",
    "batch": "fit.refused_batch",
    "scale": "fit.refused_scale",
}
FLAGS = {name: "--" + name.replace("_", "-") for name in REFUSED}


@dataclass(frozen=True)
class Plan:
    """What to train on and how, checked: the data, the settings, the seeds."""

    data: TaskData
    settings: Settings
    seeds: list[int]
    notes: tuple[str, ...] = ()


@dataclass
class Fit:
    """One configuration trained once per seed."""

    config: LSTMConfig
    architecture: Architecture
    plan: Plan
    runs: list[Training] = field(default_factory=list)
    interrupted: bool = False
    # Where --save asked the trained model to go, and where it went (not when the training stopped).
    save_to: Path | None = None
    saved: Path | None = None

    @property
    def complete_runs(self) -> list[Training]:
        return [run for run in self.runs if run.complete]

    @property
    def final(self) -> tuple[float, float] | None:
        """Mean and standard deviation of the final validation loss over the runs that finished."""
        losses = [run.final_val_loss for run in self.complete_runs]
        return stats.mean_std([loss for loss in losses if loss is not None]) if losses else None

    @property
    def epochs_done(self) -> int:
        return sum(len(run.history) for run in self.runs)

    def to_dict(self) -> dict[str, Any]:
        from lstm_explorer.render.fit_view import fit_document

        return fit_document(self)


@dataclass
class FitRow:
    label: str
    config: LSTMConfig
    runs: list[Training] = field(default_factory=list)

    @property
    def finals(self) -> list[float]:
        return [float(run.final_val_loss) for run in self.runs if run.complete and run.final_val_loss is not None]


@dataclass
class FitVary:
    """One argument's values, each trained with the same seeds on the same data, and the verdict."""

    argument: str
    architecture: Architecture
    plan: Plan
    rows: list[FitRow]
    interrupted: bool = False

    @property
    def verdict(self) -> stats.Verdict | None:
        """The paired comparison over the seeds every row finished (None before two rows have one)."""
        common = min((len(row.finals) for row in self.rows), default=0)
        if common == 0 or len(self.rows) < 2:
            return None
        try:
            return stats.compare({row.label: row.finals[:common] for row in self.rows})
        except ValueError:  # a diverged run's loss is not a number: said per row instead
            return None

    def to_dict(self) -> dict[str, Any]:
        from lstm_explorer.render.fit_view import vary_fit_document

        return vary_fit_document(self)


def _whole(value: object, flag: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(say("fit.whole_range", flag=flag, low=low, high=f"{high:,}", value=shorten(repr(value))))
    return value


def settings(epochs: object, batch_size: object, learning_rate: object) -> Settings:
    """--epochs, --batch-size and --learning-rate, checked."""
    epochs = _whole(DEFAULT_EPOCHS if epochs is None else epochs, "--epochs", 1, MAX_EPOCHS)
    batch_size = _whole(DEFAULT_BATCH_SIZE if batch_size is None else batch_size, "--batch-size", 1, MAX_BATCH_SIZE)
    rate = DEFAULT_LEARNING_RATE if learning_rate is None else learning_rate
    if (
        isinstance(rate, bool)
        or not isinstance(rate, (int, float))
        or not math.isfinite(rate)
        or not 0 < rate <= MAX_LEARNING_RATE
    ):
        raise UsageError(say("fit.learning_rate_range", high=MAX_LEARNING_RATE, value=shorten(repr(rate))))
    return Settings(epochs, batch_size, float(rate))


def check_refused(options: Mapping[str, object]) -> None:
    """The one-call options that mean nothing for training, refused by name with the reason."""
    for name, key in REFUSED.items():
        value = options.get(name)
        if value is not None and value is not False:  # 0 is a value given (`--mask-value 0`)
            raise UsageError(say(key, flag=FLAGS[name]))


def configured(config: LSTMConfig, data: TaskData) -> tuple[LSTMConfig, tuple[str, ...]]:
    """The configuration as trained: return_sequences as the target needs it (one vector per sample,
    or one per step), and no return_state, whose extra outputs have no target."""
    if config["return_state"]:
        raise UsageError(say("fit.refused_return_state"))
    wanted = data.sequence_target
    if config["return_sequences"] == wanted:
        return config, ()
    if "return_sequences" in config.explicit:
        key = "fit.sequences_needed" if wanted else "fit.sequences_refused"
        raise UsageError(say(key, task=data.name))
    changed = build_config({**config.values, "return_sequences": wanted}, config.explicit)
    return changed, ((say("fit.sequences_set", task=data.name),) if wanted else ())


@dataclass(frozen=True)
class DataOptions:
    """What to train on, as given: a task and its sizes, or --input and --target files; and how many seeds."""

    task: str | None = None
    input: str | Path | None = None
    target: str | Path | None = None
    samples: object = None
    timesteps: object = None
    features: object = None
    delay: object = None
    repeats: object = None


def plan(options: DataOptions, random_seed: int, train_settings: Settings, stateful: bool, bound: int | None) -> Plan:
    """The data and seeds, checked; a stateful layer's data trimmed to whole batches."""
    task, input, target = options.task, options.input, options.target
    samples, timesteps, features, delay = options.samples, options.timesteps, options.features, options.delay
    repeats = _whole(DEFAULT_REPEATS if options.repeats is None else options.repeats, "--repeats", 1, MAX_REPEATS)
    if target is not None or input is not None:
        if input is None:
            raise UsageError(say("fit.target_without_input"))
        if target is None:
            raise UsageError(say("fit.input_without_target"))
        if task is not None:
            raise UsageError(say("fit.task_with_files"))
        sizes = {"--samples": samples, "--timesteps": timesteps, "--features": features, "--delay": delay}
        given = [flag for flag, value in sizes.items() if value is not None]
        if given:
            raise UsageError(say("fit.sizes_with_files", flags=", ".join(given)))
        data = tasks.from_files(str(input), str(target), seed=random_seed, bound=bound)
    else:
        _check_generated(task, samples, timesteps, features, bound)
        data = tasks.make(
            "next" if task is None else str(task),
            samples=samples,  # type: ignore[arg-type]
            timesteps=timesteps,  # type: ignore[arg-type]
            features=features,  # type: ignore[arg-type]
            delay=delay,  # type: ignore[arg-type]
            seed=random_seed,
        )
    notes: tuple[str, ...] = ()
    if stateful:
        data, notes = _whole_batches(data, train_settings.batch_size)
    seeds = [random_seed + r for r in range(repeats)]
    return Plan(data, train_settings, seeds, notes)


def _check_generated(task: str | None, samples: object, timesteps: object, features: object, bound: int | None) -> None:
    """Refuse a task too large to generate before generating it (the full estimate needs the data)."""
    name = "next" if task is None else str(task).strip().lower()
    if name not in tasks.TASKS:
        return  # tasks.make says what is allowed
    sizes = (
        tasks.DEFAULT_SAMPLES if samples is None else samples,
        tasks.DEFAULT_TIMESTEPS[name] if timesteps is None else timesteps,
        tasks.DEFAULT_FEATURES[name] if features is None else features,
    )
    counts = [size for size in sizes if isinstance(size, int) and not isinstance(size, bool) and size > 0]
    if len(counts) == 3:
        values = 2 * math.prod(counts)
        limits.check(limits.Estimate((("input", values * BYTES_PER_TRAINING_VALUE),)), bound, say("fit.memory_what"))


def _whole_batches(data: TaskData, batch_size: int) -> tuple[TaskData, tuple[str, ...]]:
    """A stateful layer is built for one batch size: both sets are cut to whole batches."""
    train, val = (len(data.x_train) // batch_size) * batch_size, (len(data.x_val) // batch_size) * batch_size
    if train == 0 or val == 0:
        raise UsageError(say("fit.stateful_batch", batch_size=batch_size, train=len(data.x_train), val=len(data.x_val)))
    cut = replace(
        data, x_train=data.x_train[:train], y_train=data.y_train[:train], x_val=data.x_val[:val], y_val=data.y_val[:val]
    )
    return cut, (say("fit.stateful_note", batch_size=batch_size, train=train, val=val),)


def check_memory(
    configs: Sequence[LSTMConfig],
    architecture: Architecture,
    data: TaskData,
    train_settings: Settings,
    bound: int | None,
) -> None:
    """Refuse before training when the largest configuration's estimate is over --max-memory."""
    worst = max((estimate(config, architecture, data, train_settings) for config in configs), key=lambda e: e.total)
    limits.check(worst, bound, say("fit.memory_what"))


def estimate(
    config: LSTMConfig, architecture: Architecture, data: TaskData, train_settings: Settings
) -> limits.Estimate:
    """Training's memory: the data, the weights with their gradients and Adam's moments, one batch's
    activations kept for the backward pass, and the before-and-after measurements of at most
    MEASURED_SAMPLES validation samples."""
    from lstm_explorer.training import MEASURED_SAMPLES

    samples, timesteps, features = data.x_train.shape
    samples += len(data.x_val)
    widths = architecture.units(config)
    directions = 2 if architecture.bidirectional else 1
    weights, width = 0, features
    for units in widths:
        weights += directions * 4 * units * (width + units + 1)
        width = units * (directions if architecture.keras_merge_mode == "concat" else 1)
    weights += (width + 1) * data.target_size
    per_sample = timesteps * sum(widths) * directions
    measured = min(len(data.x_val), MEASURED_SAMPLES) * per_sample * BYTES_PER_MEASURED_ACTIVATION
    trained = min(train_settings.batch_size, samples) * per_sample * BYTES_PER_TRAINING_ACTIVATION
    values = data.x_train.size + data.y_train.size + data.x_val.size + data.y_val.size
    return limits.Estimate(
        (
            ("weights", weights * BYTES_PER_TRAINED_WEIGHT),
            ("activations", trained + measured + timesteps * limits.BYTES_PER_TIMESTEP),
            ("input", values * BYTES_PER_TRAINING_VALUE),
        )
    )


def run_fit(
    config: LSTMConfig,
    architecture: Architecture,
    the_plan: Plan,
    *,
    verbose: bool,
    on_epoch: Callable[[], None] | None,
    save: Callable[[Any], None] | None,
) -> Fit:
    from lstm_explorer import training

    fit = Fit(config, architecture, the_plan)
    try:
        fit.runs = training.train(
            config,
            architecture,
            the_plan.data,
            the_plan.settings,
            the_plan.seeds,
            verbose=verbose,
            on_epoch=on_epoch,
            keep=save,
        )
    except training.Stopped as stopped:
        fit.runs, fit.interrupted = stopped.finished, True
    return fit


def run_vary(
    argument: str,
    rows: list[FitRow],
    architecture: Architecture,
    the_plan: Plan,
    *,
    verbose: bool,
    on_epoch: Callable[[], None] | None,
) -> FitVary:
    from lstm_explorer import training

    swept = FitVary(argument, architecture, the_plan, rows)
    for row in rows:
        try:
            row.runs = training.train(
                row.config,
                architecture,
                the_plan.data,
                the_plan.settings,
                the_plan.seeds,
                verbose=verbose,
                on_epoch=on_epoch,
            )
        except training.Stopped as stopped:
            row.runs, swept.interrupted = stopped.finished, True
            break
    return swept


def check_head(architecture: Architecture, data: TaskData) -> None:
    """A --dense head is the model's output: it must have the target's size (without one, fit adds it);
    and it takes one tensor, which Bidirectional without a merge mode does not give."""
    if architecture.bidirectional and architecture.keras_merge_mode is None:
        raise UsageError(say("fit.merge_none"))
    if architecture.dense is not None and architecture.dense.units != data.target_size:
        raise UsageError(say("fit.dense_size", units=architecture.dense.units, size=data.target_size, task=data.name))


def saver(path: Path, force: bool) -> Callable[[Any], None]:
    """Saving a trained model to `path` whole or not at all (see files.write_atomically); Keras writes
    only to a name ending in .keras, so it writes beside the temporary file and moves its work there."""
    from lstm_explorer.files import write_atomically

    def save(model: Any) -> None:
        def write(temporary: str) -> None:
            beside = temporary + ".keras"
            try:
                model.save(beside)
                os.replace(beside, temporary)
            finally:
                if os.path.exists(beside):
                    os.unlink(beside)

        write_atomically(path, "--save", force, write)

    return save
