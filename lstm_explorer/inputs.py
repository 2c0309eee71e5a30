"""Where the input sequence comes from: the tutorial's sample, a file, or a generated pattern.

Every path ends in `validate`, so the engine only ever sees a finite float32 array of shape
(batch, timesteps, features). Files are only read, and `.npy` files are loaded without pickle.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lstm_explorer import limits
from lstm_explorer.catalogue import TUTORIAL_BATCH, TUTORIAL_FEATURES, TUTORIAL_TIMESTEPS
from lstm_explorer.errors import RunFailure, UsageError
from lstm_explorer.language import say

SUFFIXES = (".npy", ".json", ".csv")
# TensorFlow indexes dimensions with 32-bit integers in places; nothing near this fits in memory anyway.
MAX_SIZE = 2**31 - 1


@dataclass(frozen=True)
class InputData:
    """The batch fed to the layer and a human description of where it came from.

    `mask` (batch × timesteps, True = a real step) is the mask the LSTM receives, if any: from
    `lengths` and `padding`, from a mask file, or computed by a `keras.layers.Masking(mask_value)`
    in front of the layer when `mask_value` is set.
    """

    values: np.ndarray
    source: str
    scale: float = 1.0
    mask: np.ndarray | None = None
    mask_value: float | None = None
    lengths: tuple[int, ...] | None = None
    padding: str | None = None
    # --initial-h and --initial-c as given (states.StateSource); the engine draws their values.
    initial_h: Any = None
    initial_c: Any = None

    @property
    def has_initial_state(self) -> bool:
        return self.initial_h is not None or self.initial_c is not None


def scaled(data: InputData) -> InputData:
    """The input divided by its largest magnitude, so that it lies in [-1, 1].

    The tutorial's sample (up to 20) drives tanh and sigmoid into saturation, where gates sit at 0 or 1
    and small effects hide in the sixth decimal; dividing by one number keeps every pattern in the data.
    """
    peak = float(np.max(np.abs(data.values)))
    if peak == 0.0:
        return data
    return InputData(
        (data.values / np.float32(peak)).astype(np.float32),
        say("inputs.source_scaled", source=data.source, peak=f"{peak:g}"),
        peak,
    )


def counting_pattern(batch: int, timesteps: int, features: int) -> np.ndarray:
    """1, 2, 3, … laid out as (batch, timesteps, features): for 1 × 10 × 2 it is the tutorial's sample.

    Deterministic and easy to read back from the tables, which matters more here than realism.
    """
    return np.arange(1, batch * timesteps * features + 1, dtype=np.float32).reshape(batch, timesteps, features)


def tutorial_sample() -> InputData:
    return InputData(counting_pattern(1, TUTORIAL_TIMESTEPS, TUTORIAL_FEATURES), say("inputs.source_tutorial"))


def generated_shape(batch: int | None, timesteps: int | None, features: int | None) -> tuple[int, int, int]:
    """The shape --batch/--timesteps/--features ask for, checked; missing sizes take the tutorial's."""
    sizes = {
        "--batch": TUTORIAL_BATCH if batch is None else batch,
        "--timesteps": TUTORIAL_TIMESTEPS if timesteps is None else timesteps,
        "--features": TUTORIAL_FEATURES if features is None else features,
    }
    for flag, size in sizes.items():
        if not 1 <= size <= MAX_SIZE:
            raise UsageError(say("inputs.size_range", flag=flag, limit=MAX_SIZE, size=size))
    b, t, f = sizes.values()
    return b, t, f


def generated(batch: int, timesteps: int, features: int) -> InputData:
    """The counting pattern in a shape `generated_shape` has checked."""
    return InputData(
        counting_pattern(batch, timesteps, features), say("inputs.source_generated", last=batch * timesteps * features)
    )


def load(path_text: str, bound: int | None = None) -> InputData:
    """Read a `.npy`, `.json` or `.csv` file the user named with --input.

    A file whose reading alone would need more memory than `bound` is refused unread.
    """
    flag = f"--input {path_text}"
    path, suffix = checked_file(path_text, flag, say("inputs.input_empty"))
    try:
        limits.check_file(path.stat().st_size, suffix, bound, flag)
        if suffix == ".npy":
            array = _read_npy(path, flag)
        elif suffix == ".json":
            array = _read_json(path, flag)
        else:
            array = _read_csv(path, flag)
    except OSError as error:
        raise RunFailure(say("inputs.input_unreadable", flag=flag, reason=error.strerror or error)) from error
    return InputData(validate(array, flag), f"{path_text}")


def checked_file(path_text: str, flag: str, empty: str) -> tuple[Path, str]:
    """The path and its lower-case suffix, once it names an existing .npy, .json or .csv file;
    `empty` is the refusal for a blank path (it names the flag without a path)."""
    path = Path(path_text)
    if not path_text.strip():
        raise UsageError(empty)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(say("inputs.input_suffix", flag=flag, suffix=suffix or say("inputs.no_suffix")))
    if not path.exists():
        raise UsageError(say("inputs.input_missing", flag=flag))
    if path.is_dir():
        raise UsageError(say("inputs.input_directory", flag=flag))
    return path, suffix


NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = b"PK\x03\x04"
PICKLE_PROTOCOL = b"\x80"


def _read_npy(path: Path, flag: str) -> np.ndarray:
    with path.open("rb") as handle:
        start = handle.read(len(NPY_MAGIC))
    if start.startswith(PICKLE_PROTOCOL):
        raise UsageError(say("inputs.npy_pickle", flag=flag))
    if not start.startswith((NPY_MAGIC, ZIP_MAGIC)):
        raise UsageError(say("inputs.npy_no_header", flag=flag))
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as error:
        if "pickle" in str(error).lower():
            raise UsageError(say("inputs.npy_objects", flag=flag)) from None
        raise UsageError(say("inputs.npy_invalid", flag=flag, error=error)) from None
    except (EOFError, UnicodeDecodeError) as error:
        raise UsageError(say("inputs.npy_invalid", flag=flag, error=error or say("inputs.npy_truncated"))) from None
    if not isinstance(array, np.ndarray):
        raise UsageError(say("inputs.npy_archive", flag=flag))
    return array


def _read_json(path: Path, flag: str) -> np.ndarray:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UsageError(say("inputs.json_invalid", flag=flag, error=error)) from None
    try:
        return np.asarray(data, dtype=np.float64)
    except (ValueError, TypeError):
        raise UsageError(say("inputs.json_shape", flag=flag)) from None


def _read_csv(path: Path, flag: str) -> np.ndarray:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(say("inputs.csv_not_utf8", flag=flag)) from None
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        raise UsageError(say("inputs.csv_empty", flag=flag))
    values: list[list[float]] = []
    for r, row in enumerate(rows, start=1):
        parsed = []
        for c, cell in enumerate(row, start=1):
            try:
                parsed.append(float(cell))
            except ValueError:
                header = say("inputs.csv_header") if r == 1 else ""
                raise UsageError(
                    say("inputs.csv_not_number", flag=flag, row=r, column=c, cell=cell.strip(), header=header)
                ) from None
        if values and len(parsed) != len(values[0]):
            raise UsageError(say("inputs.csv_columns", flag=flag, row=r, count=len(parsed), first=len(values[0])))
        values.append(parsed)
    return np.asarray(values, dtype=np.float64)


def validate(array: np.ndarray, flag: str) -> np.ndarray:
    """Check rank, size, type and finiteness; return float32 of shape (batch, timesteps, features)."""
    if array.dtype.kind not in "biuf":
        raise UsageError(say("inputs.not_real", flag=flag, dtype=array.dtype))
    if array.ndim not in (2, 3):
        raise UsageError(say("inputs.rank", flag=flag, ndim=array.ndim, shape=array.shape))
    if array.ndim == 2:
        array = array[np.newaxis]
    return finite_float32(array, flag)


def finite_float32(array: np.ndarray, flag: str) -> np.ndarray:
    """The array as float32, refused (naming the first bad entry) when empty, NaN or infinite, or
    when a value overflows float32."""
    if 0 in array.shape:
        raise UsageError(say("inputs.empty_dimension", flag=flag, shape=array.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        converted = array.astype(np.float32)
    finite = np.isfinite(converted)
    if not finite.all():
        where = tuple(int(i) for i in np.argwhere(~finite)[0])
        bad = converted[where]
        reason = say("inputs.not_finite_nan") if np.isnan(bad) else say("inputs.not_finite_inf")
        raise UsageError(say("inputs.not_finite", flag=flag, reason=reason, where=where))
    return converted
