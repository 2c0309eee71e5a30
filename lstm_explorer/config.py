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
from lstm_explorer.language import say
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

        The arguments LSTM takes only through **kwargs (`implementation`, `zero_output_for_mask`) are
        passed when set to other than Keras's default, so the real layer sees what the user's code
        would pass; `time_major` never gets here (validation refuses True, False is a no-op).
        """
        kwargs = {a.name: self.values[a.name] for a in ARGUMENTS if a.is_keras3_argument}
        for argument in ARGUMENTS:
            if argument.kwargs_only and self.values[argument.name] != argument.keras_default:
                kwargs[argument.name] = self.values[argument.name]
        return kwargs

    def notes(self) -> list[str]:
        """What the user should know about this configuration before reading any numbers."""
        notes = []
        if self.values["implementation"] is not None:
            notes.append(say("values.note_implementation", implementation=self.values["implementation"]))
        if self.values["time_major"] is False:
            notes.append(say("values.note_no_time_major"))
        if self.values["dropout"] == 1.0:
            notes.append(say("values.note_dropout_one"))
        if self.values["recurrent_dropout"] == 1.0:
            notes.append(say("values.note_recurrent_dropout_one"))
        return notes


def _validate(argument: Argument, raw: object) -> object:
    flag, kind = argument.flag, argument.kind
    if kind is Kind.POSITIVE_INT:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_SIZE:
            raise UsageError(say("values.positive_integer", flag=flag, largest=MAX_SIZE, value=shorten(str(raw))))
        return raw
    if kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise UsageError(say("values.boolean", flag=flag, value=shorten(repr(raw))))
        return raw
    if kind is Kind.RATE:
        return _rate(flag, raw)
    if kind is Kind.SEED:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_SEED:
            raise UsageError(say("values.seed_range", flag=flag, largest=MAX_SEED, value=shorten(str(raw))))
        return raw
    if kind is Kind.ACTIVATION:
        return _activation(flag, str(raw))
    if kind in (Kind.INITIALIZER, Kind.REGULARIZER, Kind.CONSTRAINT):
        return _spec(argument, raw)
    if kind is Kind.CUDNN:
        key = str(raw).strip().lower()
        if key not in CUDNN_CHOICES:
            raise UsageError(say("values.use_cudnn_choice", flag=flag, value=shorten(repr(raw))))
        return CUDNN_CHOICES[key]
    if kind is Kind.IMPLEMENTATION:
        if raw is not None and (isinstance(raw, bool) or raw not in (1, 2)):
            raise UsageError(say("values.implementation_choice", flag=flag, value=shorten(repr(raw))))
        return raw
    if kind is Kind.TIME_MAJOR:
        if raw:
            raise UsageError(say("values.time_major_removed", flag=flag))
        return raw
    raise AssertionError(f"no validation for {kind}")


def _rate(flag: str, raw: object) -> float:
    """dropout or recurrent_dropout as a float in [0, 1]: Keras would clamp anything outside, silently."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise UsageError(say("values.rate_not_a_number", flag=flag, value=shorten(repr(raw))))
    value = float(raw)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise UsageError(say("values.rate_out_of_range", flag=flag, value=shorten(repr(raw))))
    return value


def _activation(flag: str, text: str) -> str | None:
    name = text.strip()
    if name.lower() == "none":
        return None
    if name in UNUSABLE_ACTIVATIONS:
        why = say(UNUSABLE_ACTIVATIONS[name])
        raise UsageError(say("values.activation_unusable", flag=flag, name=name, why=why))
    if name not in VOCABULARY[Kind.ACTIVATION]:
        what = say("values.what_activation")
        raise UsageError(unknown_name_message(flag, what, name, VOCABULARY[Kind.ACTIVATION] + ("none",)))
    return name


def _spec(argument: Argument, raw: object) -> Spec | None:
    if raw is None or isinstance(raw, Spec):
        spec = raw
    else:
        spec = parse_spec(str(raw), argument.flag)
    if spec is None:
        if argument.kind is Kind.INITIALIZER:
            raise UsageError(say("values.initializer_none", flag=argument.flag))
        return None
    names = VOCABULARY[argument.kind]
    if spec.name in NEEDS_ARGUMENTS and not spec.args and not spec.kwargs:
        needs, why = (say(key) for key in NEEDS_ARGUMENTS[spec.name])
        raise UsageError(say("values.needs_arguments", flag=argument.flag, name=spec.name, needs=needs, why=why))
    if spec.name not in names:
        what = say("values.what_" + argument.kind.name.lower())
        raise UsageError(unknown_name_message(argument.flag, what, spec.name, names))
    return spec


_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def parse_value(argument: Argument, text: str) -> object:
    """A value typed as plain text (as `vary` takes them) turned into what the flag would have given."""
    word = text.strip()
    where = {"name": argument.name, "value": repr(shorten(text))}
    if argument.kind is Kind.BOOL:
        if word.lower() in _TRUE | _FALSE:
            return word.lower() in _TRUE
        raise UsageError(say("values.vary_not_boolean", **where))
    if argument.kind in (Kind.POSITIVE_INT, Kind.SEED, Kind.IMPLEMENTATION):
        if argument.kind is Kind.SEED and word.lower() == "none":
            return None
        try:
            return int(word)
        except ValueError:
            raise UsageError(say("values.vary_not_integer", **where)) from None
    if argument.kind is Kind.RATE:
        try:
            return float(word)
        except ValueError:
            raise UsageError(say("values.vary_not_a_number", **where)) from None
    return word


@functools.cache
def _defaults() -> dict[str, object]:
    return {a.name: _validate(a, a.default) for a in ARGUMENTS}


def build_config(raw: Mapping[str, object], explicit: frozenset[str] | set[str] = frozenset()) -> LSTMConfig:
    """Validate raw flag values (missing ones take the catalogue default) into an LSTMConfig."""
    unknown = set(raw) - set(BY_NAME)
    if unknown:
        raise UsageError(say("values.unknown_arguments", names=", ".join(sorted(unknown))))
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
        raise UsageError(say("values.orthogonal_on_bias", spec=values["bias_regularizer"]))
    if orthogonal("activity_regularizer") and values["return_sequences"]:
        raise UsageError(say("values.orthogonal_on_sequences", spec=values["activity_regularizer"]))
