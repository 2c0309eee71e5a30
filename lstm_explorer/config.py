"""A validated, TensorFlow-free description of one LSTM configuration.

Values are checked here, before Keras sees them, because Keras's own messages name no flag, some are
bare TypeErrors, and some values (dropout 1.5) it silently clamps.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from lstm_explorer.catalogue import (
    ARGUMENTS,
    BY_NAME,
    NEEDS_ARGUMENTS,
    UNUSABLE_ACTIVATIONS,
    VOCABULARY,
    Argument,
    Kind,
)
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.inputs import MAX_SIZE
from lstm_explorer.specs import Spec, parse_spec, unknown_name_message

CUDNN_CHOICES = {"auto": "auto", "true": True, "false": False}
# Keras keeps a layer's seed in an int64 variable.
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class LSTMConfig:
    """Resolved argument values, keyed by Keras argument name, plus which ones the user set."""

    values: Mapping[str, object]
    explicit: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def rate(self, name: str) -> float:
        """dropout or recurrent_dropout, typed (validation made it a float in [0, 1])."""
        value = self.values[name]
        assert isinstance(value, float)
        return value

    def name(self, argument: str) -> str | None:
        """An activation's name, typed (None means linear)."""
        value = self.values[argument]
        assert value is None or isinstance(value, str)
        return value

    @property
    def units(self) -> int:
        """The one value every size depends on, typed (validation made it a positive int)."""
        units = self.values["units"]
        assert isinstance(units, int)
        return units

    def is_default(self, name: str) -> bool:
        return self.values[name] == _defaults()[name]

    def keras_kwargs(self) -> dict[str, object]:
        """The arguments to hand to `keras.layers.LSTM`, specs still unresolved.

        `implementation` is passed through when set, so the real layer sees what the user's Keras 2
        code would pass; `time_major` never gets here (validation refuses True, False is a no-op).
        """
        kwargs = {a.name: self.values[a.name] for a in ARGUMENTS if a.is_keras3_argument}
        if self.values["implementation"] is not None:
            kwargs["implementation"] = self.values["implementation"]
        return kwargs

    def notes(self) -> list[str]:
        """What the user should know about this configuration before reading any numbers."""
        notes = []
        if self.values["implementation"] is not None:
            notes.append(
                f"--implementation {self.values['implementation']} is not in Keras 3's signature or get_config(), "
                "but the LSTM cell still reads it: at inference 1 and 2 (the default) agree up to float rounding; "
                "in training mode 1 draws a separate input-dropout mask for each gate."
            )
        if self.values["time_major"] is False:
            notes.append(
                "--no-time-major is Keras 2's default layout; Keras 3 removed the argument, so nothing changes."
            )
        if self.values["dropout"] == 1.0:
            notes.append(
                "--dropout 1.0: Keras's generic loop drops nothing at a rate of exactly 1, but where it runs "
                "cuDNN (a GPU) it zeroes the whole input first."
            )
        if self.values["recurrent_dropout"] == 1.0:
            notes.append("--recurrent-dropout 1.0: Keras treats a rate of exactly 1 as no recurrent dropout at all.")
        return notes


def _validate(argument: Argument, raw: object) -> object:
    flag, kind = argument.flag, argument.kind
    if kind is Kind.POSITIVE_INT:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_SIZE:
            raise UsageError(f"{flag} must be a positive integer up to {MAX_SIZE}, got {shorten(str(raw))}")
        return raw
    if kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise UsageError(f"{flag} must be True or False, got {shorten(repr(raw))}")
        return raw
    if kind is Kind.RATE:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise UsageError(f"{flag} must be a number between 0 and 1, got {shorten(repr(raw))}")
        value = float(raw)
        if not math.isfinite(value) or not 0.0 <= value <= 1.0:
            raise UsageError(
                f"{flag} must be between 0 and 1, got {shorten(repr(raw))} (Keras would silently clamp it)"
            )
        return value
    if kind is Kind.SEED:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_SEED:
            raise UsageError(f"{flag} must be an integer between 0 and {MAX_SEED}, got {shorten(str(raw))}")
        return raw
    if kind is Kind.ACTIVATION:
        return _activation(flag, str(raw))
    if kind in (Kind.INITIALIZER, Kind.REGULARIZER, Kind.CONSTRAINT):
        return _spec(argument, raw)
    if kind is Kind.CUDNN:
        key = str(raw).strip().lower()
        if key not in CUDNN_CHOICES:
            raise UsageError(f"{flag} must be auto, true or false, got {shorten(repr(raw))}")
        return CUDNN_CHOICES[key]
    if kind is Kind.IMPLEMENTATION:
        if raw is not None and (isinstance(raw, bool) or raw not in (1, 2)):
            raise UsageError(f"{flag} must be 1 or 2, got {shorten(repr(raw))}")
        return raw
    if kind is Kind.TIME_MAJOR:
        if raw:
            raise UsageError(
                f"{flag} was removed in Keras 3: LSTM always takes (batch, timesteps, features). "
                "Transpose time-major data first, e.g. np.transpose(x, (1, 0, 2)), and drop the flag"
            )
        return raw
    raise AssertionError(f"no validation for {kind}")


def _activation(flag: str, text: str) -> str | None:
    name = text.strip()
    if name.lower() == "none":
        return None
    if name in UNUSABLE_ACTIVATIONS:
        raise UsageError(f"{flag} {name} can't be used inside an LSTM: {UNUSABLE_ACTIVATIONS[name]}")
    if name not in VOCABULARY[Kind.ACTIVATION]:
        raise UsageError(unknown_name_message(flag, "activation", name, VOCABULARY[Kind.ACTIVATION] + ("none",)))
    return name


def _spec(argument: Argument, raw: object) -> Spec | None:
    if raw is None or isinstance(raw, Spec):
        spec = raw
    else:
        spec = parse_spec(str(raw), argument.flag)
    what = argument.kind.value.removesuffix(" spec")
    if spec is None:
        if argument.kind is Kind.INITIALIZER:
            raise UsageError(f"{argument.flag} can't be none: every weight needs an initializer, e.g. zeros")
        return None
    names = VOCABULARY[argument.kind]
    if spec.name in NEEDS_ARGUMENTS and not spec.args and not spec.kwargs:
        needs, why = NEEDS_ARGUMENTS[spec.name]
        raise UsageError(f"{argument.flag} {spec.name} needs {needs}: {why}")
    if spec.name not in names:
        raise UsageError(unknown_name_message(argument.flag, what, spec.name, names))
    return spec


_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def parse_value(argument: Argument, text: str) -> object:
    """A value typed as plain text (as `vary` takes them) turned into what the flag would have given."""
    word = text.strip()
    where = f"vary {argument.name}: {shorten(text)!r}"
    if argument.kind is Kind.BOOL:
        if word.lower() in _TRUE | _FALSE:
            return word.lower() in _TRUE
        raise UsageError(f"{where} is not true or false")
    if argument.kind in (Kind.POSITIVE_INT, Kind.SEED, Kind.IMPLEMENTATION):
        if argument.kind is Kind.SEED and word.lower() == "none":
            return None
        try:
            return int(word)
        except ValueError:
            raise UsageError(f"{where} is not an integer") from None
    if argument.kind is Kind.RATE:
        try:
            return float(word)
        except ValueError:
            raise UsageError(f"{where} is not a number") from None
    return word


@functools.cache
def _defaults() -> dict[str, object]:
    return {a.name: _validate(a, a.default) for a in ARGUMENTS}


def build_config(raw: Mapping[str, object], explicit: frozenset[str] | set[str] = frozenset()) -> LSTMConfig:
    """Validate raw flag values (missing ones take the catalogue default) into an LSTMConfig."""
    unknown = set(raw) - set(BY_NAME)
    if unknown:
        raise UsageError(f"unknown LSTM arguments: {', '.join(sorted(unknown))}")
    values = {a.name: _validate(a, raw.get(a.name, a.default)) for a in ARGUMENTS}
    _check_orthogonal_regularizer(values)
    return LSTMConfig(values, frozenset(explicit))


ORTHOGONAL_REGULARIZERS = ("OrthogonalRegularizer", "orthogonal_regularizer")


def _check_orthogonal_regularizer(values: Mapping[str, object]) -> None:
    """Keras's OrthogonalRegularizer takes only matrices; on anything else it fails mid-run."""

    def orthogonal(name: str) -> bool:
        spec = values[name]
        return isinstance(spec, Spec) and spec.name in ORTHOGONAL_REGULARIZERS

    if orthogonal("bias_regularizer"):
        raise UsageError(
            f"--bias-regularizer {values['bias_regularizer']} needs a matrix, and the bias is a vector; "
            "use it on --kernel-regularizer or --recurrent-regularizer"
        )
    if orthogonal("activity_regularizer") and values["return_sequences"]:
        raise UsageError(
            f"--activity-regularizer {values['activity_regularizer']} needs a matrix, and with --return-sequences "
            "the output is (batch, timesteps, units); drop one of the two"
        )
