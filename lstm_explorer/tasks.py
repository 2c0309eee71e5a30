"""The data `fit` trains on: three built-in tasks, or an input and a target file.

Each task asks something different of the layer. `next` continues the tutorial's counting pairs and
is learnt in seconds; `adding` (Hochreiter & Schmidhuber 1997) hides the two numbers that matter
among `timesteps` of noise, so it needs memory over the whole sequence; `delay` asks for the input
of k steps ago at every step, a per-step (many-to-many) target. Everything is drawn from
`np.random.default_rng(seed)`, so a run can be repeated and two runs compared on the same data.

Every task reports the score of the trivial predictor (always the training targets' mean): a loss
is only "low" next to that number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lstm_explorer import inputs, limits
from lstm_explorer.errors import RunFailure, UsageError, shorten
from lstm_explorer.language import say

TASKS = ("next", "adding", "delay")
DEFAULT_TIMESTEPS = {"next": 10, "adding": 50, "delay": 20}
DEFAULT_FEATURES = {"next": 2, "adding": 2, "delay": 1}
DEFAULT_SAMPLES = 1024
VALIDATION_SHARE = 0.25
DEFAULT_DELAY = 3
# The fewest samples that leave 2 to validate once a quarter is held out.
MIN_SAMPLES = 8
# `next` starts each sample at an integer below this: 100 different sequences, the tutorial's (s = 0) one of them.
NEXT_STARTS = 100
MIN_TIMESTEPS = {"next": 1, "adding": 2, "delay": 2}


@dataclass(frozen=True)
class TaskData:
    """Training and validation arrays, float32, inputs shaped (samples, timesteps, features).

    Targets are (samples, k), one per sample, or (samples, timesteps, k), one per step.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    @property
    def sequence_target(self) -> bool:
        """Whether the target has a time axis, so the LSTM must return_sequences."""
        return self.y_train.ndim == 3

    @property
    def target_size(self) -> int:
        """The Dense head's units."""
        return int(self.y_train.shape[-1])

    @property
    def baseline(self) -> float:
        """The validation MSE of always predicting the training targets' mean (per output column, over
        every step of a per-step target): the score any learning has to beat.

        For `adding` the target is the sum of two independent uniform [0, 1) values, with mean 1 and
        variance 2 × 1/12 = 1/6, so the baseline is about 0.167.
        """
        axes = (0, 1) if self.sequence_target else (0,)
        mean = self.y_train.astype(np.float64).mean(axis=axes)
        return float(np.mean((self.y_val.astype(np.float64) - mean) ** 2))


def make(
    name: str,
    *,
    samples: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    delay: int | None = None,
    seed: int = 42,
) -> TaskData:
    """A built-in task's data; sizes left out take the task's defaults, and every refusal names its flag."""
    task = name.strip().lower()
    if task not in TASKS:
        raise UsageError(say("tasks.unknown_task", allowed=", ".join(TASKS), value=repr(shorten(name))))
    if delay is not None and task != "delay":
        raise UsageError(say("tasks.delay_other_task", task=task))
    n = DEFAULT_SAMPLES if samples is None else samples
    t = DEFAULT_TIMESTEPS[task] if timesteps is None else timesteps
    f = DEFAULT_FEATURES[task] if features is None else features
    if not _whole(n, MIN_SAMPLES):
        raise UsageError(say("tasks.samples_range", minimum=MIN_SAMPLES, value=n))
    if not _whole(t, MIN_TIMESTEPS[task]):
        raise UsageError(say("tasks.timesteps_range", minimum=MIN_TIMESTEPS[task], task=task, value=t))
    rng = np.random.default_rng(seed)
    if task == "next":
        if f != 2:
            raise UsageError(say("tasks.features_next", value=f))
        x, y = _next(rng, n, t)
    elif task == "adding":
        if f != 2:
            raise UsageError(say("tasks.features_adding", value=f))
        x, y = _adding(rng, n, t)
    else:
        if not _whole(f, 1):
            raise UsageError(say("tasks.features_range", value=f))
        k = DEFAULT_DELAY if delay is None else delay
        if not _whole(k, 1) or k > t - 1:
            raise UsageError(say("tasks.delay_range", largest=t - 1, value=k))
        x, y = _delay(rng, n, t, f, k)
    return _split(task, x, y, rng)


def _whole(value: object, minimum: int) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and bool(value >= minimum)


def next_scale(timesteps: int) -> tuple[float, float]:
    """The centre and half-range of every value `next` can hold with this many timesteps (1 up to
    NEXT_STARTS − 1 + 2·timesteps + 2): v' = (v − centre) / half-range puts them in [−1, 1], and
    v = v' · half-range + centre reads a prediction back as the integers it stands for."""
    largest = NEXT_STARTS - 1 + 2 * timesteps + 2
    return (1 + largest) / 2, (largest - 1) / 2


def _next(rng: np.random.Generator, samples: int, timesteps: int) -> tuple[np.ndarray, np.ndarray]:
    """Counting pairs from a random start s: (s+1, s+2), (s+3, s+4), …, and the pair that comes next."""
    starts = rng.integers(0, NEXT_STARTS, size=samples)[:, None, None]
    steps = np.arange(timesteps)[None, :, None]
    pair = np.array([1, 2])[None, None, :]
    x = starts + 2 * steps + pair
    y = starts[:, 0, :] + 2 * timesteps + pair[0]
    centre, half = next_scale(timesteps)
    return ((x - centre) / half).astype(np.float32), ((y - centre) / half).astype(np.float32)


def _adding(rng: np.random.Generator, samples: int, timesteps: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform values and a marker on one step of each half; the target is the sum of the two marked values."""
    values = rng.random((samples, timesteps))
    rows = np.arange(samples)
    first = rng.integers(0, timesteps // 2, size=samples)
    second = rng.integers(timesteps // 2, timesteps, size=samples)
    markers = np.zeros((samples, timesteps))
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    target = values[rows, first] + values[rows, second]
    return np.stack([values, markers], axis=-1).astype(np.float32), target[:, None].astype(np.float32)


def _delay(
    rng: np.random.Generator, samples: int, timesteps: int, features: int, delay: int
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform [−1, 1] inputs; at each step the target is the input `delay` steps earlier, 0 before there is one."""
    x = rng.uniform(-1.0, 1.0, size=(samples, timesteps, features))
    y = np.zeros_like(x)
    y[:, delay:] = x[:, :-delay]
    return x.astype(np.float32), y.astype(np.float32)


def _split(name: str, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> TaskData:
    """Shuffle the samples and keep the last VALIDATION_SHARE (rounded up, at least one) to validate."""
    count = x.shape[0]
    held = max(1, math.ceil(count * VALIDATION_SHARE))
    order = rng.permutation(count)
    train, val = order[:-held], order[-held:]
    return TaskData(name, x[train], y[train], x[val], y[val])


def from_files(input_path: str, target_path: str, *, seed: int = 42, bound: int | None = None) -> TaskData:
    """Inputs from a file as --input reads it, targets from a file of shape (samples,), (samples, k) or
    (samples, timesteps, k), split as the built-in tasks are; `bound` refuses a file too large to read."""
    x = inputs.load(input_path, bound).values
    flag = f"--target {target_path}"
    y = _checked_target(_read_target(target_path, flag, bound), flag)
    if x.shape[0] < 2:
        raise UsageError(say("tasks.too_few_samples", flag=f"--input {input_path}", count=x.shape[0]))
    if y.shape[0] != x.shape[0]:
        raise UsageError(say("tasks.target_count", flag=flag, target=y.shape[0], samples=x.shape[0]))
    if y.ndim == 3 and y.shape[1] != x.shape[1]:
        raise UsageError(say("tasks.target_timesteps", flag=flag, target=y.shape[1], timesteps=x.shape[1]))
    return _split("files", x, y, np.random.default_rng(seed))


def _read_target(path_text: str, flag: str, bound: int | None) -> np.ndarray:
    """The target file's values, read by the same readers (and refused for the same reasons) as --input."""
    path, suffix = inputs.checked_file(path_text, flag, say("tasks.target_empty"))
    try:
        limits.check_file(path.stat().st_size, suffix, bound, flag)
        if suffix == ".npy":
            return inputs._read_npy(path, flag)
        if suffix == ".json":
            return inputs._read_json(path, flag)
        return inputs._read_csv(path, flag)
    except OSError as error:
        raise RunFailure(say("inputs.input_unreadable", flag=flag, reason=error.strerror or error)) from error


def _checked_target(array: np.ndarray, flag: str) -> np.ndarray:
    """Real, finite, non-empty and of rank 1 to 3, as float32 of shape (samples, k) or (samples, timesteps, k)."""
    if array.dtype.kind not in "biuf":
        raise UsageError(say("inputs.not_real", flag=flag, dtype=array.dtype))
    if array.ndim not in (1, 2, 3):
        raise UsageError(say("tasks.target_rank", flag=flag, ndim=array.ndim, shape=array.shape))
    converted = inputs.finite_float32(array, flag)
    return converted[:, None] if converted.ndim == 1 else converted


def baseline_text(data: TaskData) -> str:
    """One sentence naming the trivial predictor the loss is held against, and its score."""
    score = f"{data.baseline:.3f}"
    if data.name == "next":
        means = data.y_train.astype(np.float64).mean(axis=0)
        return say("tasks.baseline_next", mean=", ".join(f"{m:.2f}" for m in means), score=score)
    if data.name == "adding":
        return say("tasks.baseline_adding", mean=f"{float(data.y_train.mean()):.1f}", score=score)
    if data.name == "delay":
        return say("tasks.baseline_delay", score=score)
    return say("tasks.baseline_files", score=score)
