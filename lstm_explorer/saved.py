"""A trained Keras model from a file: its LSTM layers, their arguments and trained weights, and the
sequence each one reads when the user's input goes through the model.

The file is loaded with `keras.saving.load_model(..., safe_mode=True)`, which refuses the one kind
of layer that could carry code (a Lambda's serialized function); nothing in the file runs. The path is
checked before TensorFlow loads; the loading itself needs Keras.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lstm_explorer.catalogue import BY_NAME, Kind
from lstm_explorer.errors import RunFailure, UsageError, shorten
from lstm_explorer.language import say

SUFFIXES = (".keras", ".h5", ".hdf5")
FLAG = "--model"
# The constructor's arguments a saved layer's config gives; initializers are left out on purpose:
# they drew weights that the trained ones have replaced.
SKIPPED_KINDS = (Kind.INITIALIZER,)


def checked_path(raw: str | Path) -> Path:
    """The model file, refused before TensorFlow loads when it can't be one."""
    path = Path(raw)
    if not path.exists():
        raise UsageError(say("saved.no_such_file", path=shorten(str(raw))))
    if path.is_dir():
        raise UsageError(say("saved.directory", path=shorten(str(raw))))
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(say("saved.suffix", path=shorten(str(raw)), suffixes=", ".join(SUFFIXES)))
    return path


@dataclass(frozen=True)
class Candidate:
    """An LSTM layer of the model, or a Bidirectional one wrapping an LSTM, as `--layer` picks it."""

    index: int
    name: str
    type: str
    units: int

    def __str__(self) -> str:
        return f"{self.index} {self.name} ({self.type}, units={self.units})"


@dataclass
class Saved:
    """The chosen layer: the arguments and model keywords that rebuild it, its trained weights, and
    how the user's input becomes the sequence it reads."""

    path: Path
    layer: Candidate
    arguments: dict[str, object]
    weights: list[np.ndarray]
    input_shape: tuple[int | None, ...]
    lstm_input: Callable[[np.ndarray], np.ndarray]
    layer_output: Callable[[np.ndarray], list[np.ndarray]]
    notes: list[str] = field(default_factory=list)
    # The mask value of a Masking layer on the model's input: the mask the layer receives in the model.
    mask_value: float | None = None

    @property
    def origin(self) -> str:
        return say("saved.origin", path=self.path, layer=self.layer.name, type=self.layer.type)


def _lstm_of(layer: Any) -> Any | None:
    kind = layer.__class__.__name__
    if kind == "LSTM":
        return layer
    if kind == "Bidirectional" and layer.forward_layer.__class__.__name__ == "LSTM":
        return layer.forward_layer
    return None


def candidates(model: Any) -> list[tuple[Candidate, Any]]:
    """Every LSTM (plain or in a Bidirectional) of the model, nested models included, in order."""
    found: list[tuple[Candidate, Any]] = []

    def walk(container: Any) -> None:
        for layer in container.layers:
            lstm = _lstm_of(layer)
            if lstm is not None:
                found.append((Candidate(len(found) + 1, layer.name, layer.__class__.__name__, int(lstm.units)), layer))
            elif hasattr(layer, "layers"):
                walk(layer)

    walk(model)
    return found


def choose(found: list[tuple[Candidate, Any]], wanted: int | str | None, path: Path) -> tuple[Candidate, Any]:
    """The layer `--layer` names (its name, or its number among the LSTMs from 1); the only one when
    there is one; otherwise the choices, listed."""
    listed = "; ".join(str(candidate) for candidate, _ in found)
    if not found:
        raise UsageError(say("saved.no_lstm", path=path))
    if wanted is None:
        if len(found) > 1:
            raise UsageError(say("saved.choose_layer", count=len(found), choices=listed))
        return found[0]
    text = str(wanted).strip()
    for candidate, layer in found:
        if text == candidate.name or (text.isdigit() and int(text) == candidate.index):
            return candidate, layer
    raise UsageError(say("saved.unknown_layer", layer=shorten(text), choices=listed))


def _spec_text(value: dict[str, Any]) -> str:
    """A serialized regularizer or constraint as the spec text this tool takes: `L2(l2=0.01)`."""
    config = {k: v for k, v in (value.get("config") or {}).items() if v is not None}
    return f"{value['class_name']}({', '.join(f'{k}={v!r}' for k, v in config.items())})"


def layer_arguments(lstm: Any) -> tuple[dict[str, object], list[str]]:
    """The LSTM's own arguments from its config, by their Keras names, and what was left out."""
    config = lstm.get_config()
    arguments: dict[str, object] = {}
    notes = []
    for name, value in config.items():
        argument = BY_NAME.get(name)
        if argument is None or argument.kind in SKIPPED_KINDS:
            continue
        if isinstance(value, dict):
            value = _spec_text(value)
        arguments[name] = value
    notes.append(say("saved.note_trained_weights"))
    return arguments, notes


def _call(model: Any, x: np.ndarray) -> list[np.ndarray]:
    """`model` on x, as arrays. A loaded Sequential names its input structure `['input_layer']` and
    warns when handed the bare array it then accepts; the warning says nothing about the numbers."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The structure of `inputs` doesn't match")
        returned = model(x, training=False)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


def open_model(path: Path, wanted: int | str | None) -> Saved:
    """Load the file safely, pick the layer, and keep what exploring it needs."""
    import keras

    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types for a file that is not a model.
        from lstm_explorer.engine import clean_keras_message

        message = clean_keras_message(error)
        key = "saved.unsafe" if "safe_mode" in message else "saved.not_a_model"
        raise RunFailure(say(key, path=path, message=shorten(message, 300))) from error
    shapes = [tuple(tensor.shape) for tensor in model.inputs]
    if len(shapes) != 1 or len(shapes[0]) != 3:
        raise UsageError(say("saved.input_not_a_sequence", path=path, shapes=", ".join(str(s) for s in shapes)))
    candidate, layer = choose(candidates(model), wanted, path)
    mask_value = _mask_value(model, path)
    lstm = _lstm_of(layer)
    arguments, notes = layer_arguments(lstm)
    if candidate.type == "Bidirectional":
        arguments["bidirectional"] = True
        arguments["merge_mode"] = "none" if layer.merge_mode is None else layer.merge_mode
        arguments["go_backwards"] = False
    feeds = keras.Model(model.inputs, layer.input)
    outputs = keras.Model(model.inputs, layer.output)

    def lstm_input(x: np.ndarray) -> np.ndarray:
        return _call(feeds, x)[0]

    def layer_output(x: np.ndarray) -> list[np.ndarray]:
        return _call(outputs, x)

    return Saved(
        path,
        candidate,
        arguments,
        [np.asarray(w) for w in layer.get_weights()],
        tuple(model.inputs[0].shape),
        lstm_input,
        layer_output,
        notes,
        mask_value,
    )


def _mask_value(model: Any, path: Path) -> float | None:
    """The model's padding mask, when this tool can give the layer the same one: a Masking layer on
    the model's input. A mask made anywhere else is refused rather than silently left out."""
    masking = [layer for layer in model.layers if layer.__class__.__name__ == "Masking"]
    if not masking:
        return None
    if len(masking) == 1 and masking[0].input is model.inputs[0]:
        return float(masking[0].mask_value)
    raise UsageError(say("saved.mask_elsewhere", path=path))
