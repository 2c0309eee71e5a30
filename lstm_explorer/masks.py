"""Padding masks, as users meet them: valid lengths per sample, a Masking value, or a mask file.

Each way in ends in the same (batch, timesteps) boolean array, True where a step is real, which is
what `keras.layers.LSTM` receives as `mask`. Nothing here imports TensorFlow: the masks are checked
and built before a layer exists, so a mistake costs no start-up.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from lstm_explorer import inputs, limits
from lstm_explorer.errors import RunFailure, UsageError, shorten
from lstm_explorer.language import say

PADDINGS = ("pre", "post")
# keras.utils.pad_sequences pads at the front unless told otherwise, and with zeros.
DEFAULT_PADDING = "pre"
DEFAULT_PAD_VALUE = 0.0


def parse_lengths(text: str, batch: int, timesteps: int) -> tuple[int, ...]:
    """`10,7,4`: one valid length per sample, each between 1 and the number of timesteps."""
    words = [word.strip() for word in text.split(",")]
    try:
        lengths = tuple(int(word) for word in words)
    except ValueError:
        raise UsageError(say("masks.lengths_not_integers", value=repr(shorten(text)))) from None
    if len(lengths) != batch:
        raise UsageError(say("masks.lengths_count", count=len(lengths), batch=batch))
    for sample, length in enumerate(lengths):
        if not 1 <= length <= timesteps:
            raise UsageError(say("masks.lengths_range", sample=sample, length=length, timesteps=timesteps))
    return lengths


def checked_padding(padding: str) -> str:
    """pre or post, however it was capitalised."""
    word = padding.strip().lower()
    if word not in PADDINGS:
        raise UsageError(say("masks.padding_choice", value=repr(shorten(padding))))
    return word


def length_mask(lengths: tuple[int, ...], timesteps: int, padding: str) -> np.ndarray:
    """True on each sample's `length` real steps: the last ones with pre-padding, the first with post."""
    steps = np.arange(timesteps)
    counts = np.asarray(lengths)[:, None]
    return steps >= timesteps - counts if padding == "pre" else steps < counts


def padded(x: np.ndarray, mask: np.ndarray, value: float = DEFAULT_PAD_VALUE) -> np.ndarray:
    """`x` with every masked step set to `value`, as pad_sequences would have written it."""
    return np.where(mask[:, :, None], x, np.float32(value)).astype(np.float32)


def masking_mask(x: np.ndarray, mask_value: float) -> np.ndarray:
    """The mask `keras.layers.Masking(mask_value)` computes: a step is masked when every feature equals
    the value (keras/src/layers/core/masking.py: `ops.any(ops.not_equal(inputs, mask_value), axis=-1)`)."""
    return np.any(x != np.float32(mask_value), axis=-1)


def read_mask(path_text: str, batch: int, timesteps: int, bound: int | None = None) -> np.ndarray:
    """A boolean mask from a .npy, .json or .csv file: batch × timesteps of true/false or 1/0.

    One row is accepted for a batch of one. Anything else, a number other than 0 or 1 included, is
    refused with the shape or values needed.
    """
    flag = f"--mask {path_text}"
    path, suffix = inputs.checked_file(path_text, flag, say("masks.mask_empty"))
    try:
        limits.check_file(path.stat().st_size, suffix, bound, flag)
        values = _read(path, suffix, flag)
    except OSError as error:
        raise RunFailure(say("inputs.input_unreadable", flag=flag, reason=error.strerror or error)) from error
    return checked_mask(values, batch, timesteps, flag)


def checked_mask(values: np.ndarray, batch: int, timesteps: int, flag: str) -> np.ndarray:
    """A mask given as an array, checked as a file's would be: (batch, timesteps) of booleans or 0/1."""
    array = np.asarray(values)
    if array.ndim == 1 and batch == 1:
        array = array[None, :]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[:, :, 0]
    if array.shape != (batch, timesteps):
        raise UsageError(say("masks.mask_shape", flag=flag, shape=tuple(array.shape), batch=batch, timesteps=timesteps))
    if array.dtype == bool:
        return array
    numbers = array.astype(np.float64)
    if not np.all((numbers == 0) | (numbers == 1)):
        raise UsageError(say("masks.mask_not_boolean", flag=flag))
    return numbers == 1


def _read(path: Path, suffix: str, flag: str) -> np.ndarray:
    """The file's values as an array; booleans kept (JSON true/false, a bool .npy)."""
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise UsageError(say("masks.mask_unreadable", flag=flag, reason=error)) from None
        try:
            return np.asarray(data, dtype=bool if _all_bools(data) else np.float64)
        except (ValueError, TypeError):
            raise UsageError(say("masks.mask_not_boolean", flag=flag)) from None
    if suffix == ".npy":
        try:
            return np.load(path, allow_pickle=False)
        except ValueError as error:
            raise UsageError(say("masks.mask_unreadable", flag=flag, reason=error)) from None
    rows = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    words = [[word.strip().lower() for word in row.split(",")] for row in rows]
    table = {"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0}
    if not words or any(word not in table for row in words for word in row) or len({len(r) for r in words}) > 1:
        raise UsageError(say("masks.mask_not_boolean", flag=flag))
    return np.array([[table[word] for word in row] for row in words])


def _all_bools(data: object) -> bool:
    if isinstance(data, list):
        return all(_all_bools(item) for item in data)
    return isinstance(data, bool)


def check_sources(lengths: object, mask: object, mask_value: object) -> None:
    """--lengths and --mask both say which steps are real, --mask and --mask-value both decide the mask:
    of each pair, at most one may be given (None is not given)."""
    if lengths is not None and mask is not None:
        raise UsageError(say("masks.lengths_with_mask"))
    if mask is not None and mask_value is not None:
        raise UsageError(say("masks.mask_with_mask_value"))


def fully_masked(mask: np.ndarray) -> list[int]:
    """The samples with no real step at all: Keras returns zeros for them and leaves their states as given."""
    return [int(sample) for sample in np.flatnonzero(~mask.any(axis=1))]


# What the layer's output is at each step, given the mask: the step's own h, the output of the step
# before it repeated, or zeros (before the first real step, or everywhere with zero_output_for_mask).
COMPUTED, REPEATED, ZEROS = "computed", "repeated", "zeros"


def outcomes(mask: np.ndarray, go_backwards: bool, zero_output_for_mask: bool) -> np.ndarray:
    """Per sample and timestep (in time order), what the output there is, as Keras's TensorFlow loop
    makes it (keras/src/backend/tensorflow/rnn.py: `tf.where(mask_t, output, prev_output)`, with
    prev_output starting at zeros); "before" means before in processing order, the reverse of time
    order under go_backwards."""
    order = mask[:, ::-1] if go_backwards else mask
    seen = np.logical_or.accumulate(order, axis=1)
    result = np.where(order, COMPUTED, np.where(seen & (not zero_output_for_mask), REPEATED, ZEROS))
    return result[:, ::-1] if go_backwards else result


def right_padded(mask: np.ndarray) -> bool:
    """Whether every sample's real steps come first and its padding last: the only masks cuDNN takes
    (keras/src/backend/tensorflow/rnn.py, `_is_sequence_right_padded`)."""
    counts = mask.sum(axis=1)
    return bool(np.array_equal(mask, np.arange(mask.shape[1]) < counts[:, None]))
