"""Initial states for the layer's call (`initial_state=[h, c]`), as --initial-h and --initial-c give them.

Each is a number (every entry filled with it), an initializer spec such as `random_normal(stddev=0.5)`
(drawn by Keras, seeded by --random-seed), or a file or array of shape (units,) or (batch, units).
Everything is checked here before TensorFlow loads; `draw` turns a checked source into the array.
Keras itself, given the wrong thing, answers with a bare IndexError or a MatMul error that names no
shape (keras/src/layers/rnn/lstm.py reads `initial_state[0]` and `[1]`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lstm_explorer import inputs, limits
from lstm_explorer.catalogue import NEEDS_ARGUMENTS, VOCABULARY, Kind
from lstm_explorer.errors import RunFailure, UsageError, shorten
from lstm_explorer.language import say
from lstm_explorer.specs import Spec, parse_spec, unknown_name_message

FLAGS = {"h": "--initial-h", "c": "--initial-c"}
StateInput = float | int | str | Path | np.ndarray | None


@dataclass(frozen=True)
class StateSource:
    """One initial state as given: a fill value, an initializer to draw from, or the values."""

    flag: str
    fill: float | None = None
    spec: Spec | None = None
    values: np.ndarray | None = None

    def describe(self) -> str:
        """How the state was given, for the run's header and JSON."""
        if self.fill is not None:
            return say("states.source_fill", value=f"{self.fill:g}")
        if self.spec is not None:
            return str(self.spec)
        return say("states.source_values")


def parse(which: str, raw: StateInput, batch: int, units: int, bound: int | None = None) -> StateSource | None:
    """`raw` for state `which` ("h" or "c") checked against the batch and the layer's units."""
    flag = FLAGS[which]
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise UsageError(say("states.not_a_state", flag=flag, value=repr(raw)))
    if isinstance(raw, (int, float)):
        return StateSource(flag, fill=_finite(flag, float(raw)))
    if isinstance(raw, np.ndarray):
        return StateSource(flag, values=_shaped(flag, raw, batch, units))
    text = str(raw).strip()
    try:
        return StateSource(flag, fill=_finite(flag, float(text)))
    except ValueError:
        pass
    if Path(text).suffix.lower() in inputs.SUFFIXES:
        path, suffix = inputs.checked_file(text, f"{flag} {text}", say("states.empty", flag=flag))
        try:
            limits.check_file(path.stat().st_size, suffix, bound, f"{flag} {text}")
            values = _read(path, suffix, flag)
        except OSError as error:
            reason = error.strerror or error
            raise RunFailure(say("inputs.input_unreadable", flag=f"{flag} {text}", reason=reason)) from error
        return StateSource(flag, values=_shaped(flag, values, batch, units))
    return StateSource(flag, spec=_initializer(flag, text))


def _finite(flag: str, value: float) -> float:
    if not math.isfinite(value):
        raise UsageError(say("states.not_finite", flag=flag, value=value))
    return value


def _read(path: Path, suffix: str, flag: str) -> np.ndarray:
    """A state file's numbers: one row (units,) or one row per sample; .npy read without pickle."""
    try:
        if suffix == ".npy":
            return np.load(path, allow_pickle=False)
        if suffix == ".json":
            return np.asarray(json.loads(path.read_text(encoding="utf-8")), dtype=np.float64)
        return np.loadtxt(path, delimiter=",", ndmin=1, dtype=np.float64)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise UsageError(say("states.unreadable", flag=f"{flag} {path}", reason=error)) from None


def _shaped(flag: str, values: Any, batch: int, units: int) -> np.ndarray:
    """(units,) is repeated for every sample; (batch, units) is taken as it is; anything else is refused
    with the shape needed."""
    array = np.asarray(values)
    if array.ndim == 3 and array.shape[0] == 1:
        array = array[0]
    if array.shape == (units,):
        array = np.broadcast_to(array, (batch, units))
    if array.shape != (batch, units):
        raise UsageError(say("states.shape", flag=flag, shape=tuple(array.shape), batch=batch, units=units))
    try:
        numbers = array.astype(np.float32)
    except (TypeError, ValueError):
        raise UsageError(say("states.not_numbers", flag=flag)) from None
    if not np.all(np.isfinite(numbers)):
        raise UsageError(say("states.not_finite", flag=flag, value="nan/inf"))
    return np.array(numbers)


def _initializer(flag: str, text: str) -> Spec:
    spec = parse_spec(text, flag)
    if spec is None:
        raise UsageError(say("states.not_a_state", flag=flag, value=repr(shorten(text))))
    if spec.name in NEEDS_ARGUMENTS and not spec.args and not spec.kwargs:
        needs, why = (say(key) for key in NEEDS_ARGUMENTS[spec.name])
        raise UsageError(say("values.needs_arguments", flag=flag, name=spec.name, needs=needs, why=why))
    names = VOCABULARY[Kind.INITIALIZER]
    if spec.name not in names:
        raise UsageError(unknown_name_message(flag, say("values.what_initializer"), spec.name, names))
    return spec


def draw(source: StateSource | None, batch: int, units: int, resolve: Callable[[Spec, str], Any]) -> np.ndarray:
    """The state's values, (batch, units) float32: zeros when not given, as Keras starts without one.

    `resolve` turns an initializer spec into Keras's initializer (the engine's, which loads Keras)."""
    if source is None:
        return np.zeros((batch, units), dtype=np.float32)
    if source.fill is not None:
        return np.full((batch, units), source.fill, dtype=np.float32)
    if source.values is not None:
        return source.values.astype(np.float32)
    assert source.spec is not None
    initializer = resolve(source.spec, source.flag)
    return np.asarray(initializer(shape=(batch, units), dtype="float32"), dtype=np.float32)
