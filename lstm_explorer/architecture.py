"""The model around the LSTM: a Bidirectional wrapper, a stack of layers, a Dense head.

Checked here, before TensorFlow loads, because Keras's own refusals name no flag (a bad merge mode
is a ValueError from Bidirectional's constructor) or come only at call time (a stack whose lower
layer returns 2-D output).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from lstm_explorer.catalogue import VOCABULARY, Kind
from lstm_explorer.config import LSTMConfig
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.inputs import MAX_SIZE
from lstm_explorer.language import say
from lstm_explorer.specs import unknown_name_message

MERGE_MODES = ("concat", "sum", "mul", "ave", "none")
DEFAULT_MERGE_MODE = "concat"
# More layers than this teach nothing a smaller stack does not, and each adds a trace and a check.
MAX_LAYERS = 16
DIRECTIONS = ("forward", "backward")
# The keywords of the library's functions that describe the model rather than the LSTM.
KEYWORDS = ("bidirectional", "merge_mode", "layers", "dense", "as_written")


@dataclass(frozen=True)
class Head:
    """A Dense layer on top of the LSTM output: its units and activation (None: Keras's linear)."""

    units: int
    activation: str | None = None

    def __str__(self) -> str:
        return str(self.units) if self.activation is None else f"{self.units}:{self.activation}"


@dataclass(frozen=True)
class Architecture:
    """How many LSTM layers, whether each is wrapped in Bidirectional, and what sits on top."""

    layers: tuple[int, ...] | None = None
    bidirectional: bool = False
    merge_mode: str = DEFAULT_MERGE_MODE
    dense: Head | None = None
    as_written: bool = False

    @property
    def single(self) -> bool:
        """One plain LSTM: the model every view was first drawn for, shown exactly as before."""
        return not self.bidirectional and self.dense is None and (self.layers is None or len(self.layers) == 1)

    @property
    def keras_merge_mode(self) -> str | None:
        return None if self.merge_mode == "none" else self.merge_mode

    @property
    def directions(self) -> tuple[str, ...]:
        return DIRECTIONS if self.bidirectional else DIRECTIONS[:1]

    def units(self, config: LSTMConfig) -> tuple[int, ...]:
        return self.layers if self.layers is not None else (config.units,)

    def layer_configs(self, config: LSTMConfig) -> list[LSTMConfig]:
        """Each LSTM's configuration: the shared one with its own units. Lower layers return sequences
        and no states, as every stacked example writes them, unless the stack is built as written."""
        units = self.units(config)
        configs = []
        for k, n in enumerate(units):
            values = dict(config.values, units=n)
            if k < len(units) - 1 and not self.as_written:
                values.update(return_sequences=True, return_state=False)
            configs.append(replace(config, values=values))
        return configs

    def flags(self) -> list[str]:
        """The flags that give this model, as a command line writes them."""
        flags = []
        if self.layers is not None:
            flags.append("--layers " + ",".join(str(n) for n in self.layers))
        if self.as_written:
            flags.append("--as-written")
        if self.bidirectional:
            flags.append("--bidirectional")
            if self.merge_mode != DEFAULT_MERGE_MODE:
                flags.append(f"--merge-mode {self.merge_mode}")
        if self.dense is not None:
            flags.append(f"--dense {self.dense}")
        return flags


def parse_layers(raw: str | Sequence[int] | None) -> tuple[int, ...] | None:
    """`8,4` (or [8, 4]) as the units of each layer, bottom first."""
    if raw is None:
        return None
    entries = raw.split(",") if isinstance(raw, str) else list(raw)
    value = shorten(raw if isinstance(raw, str) else ",".join(str(n) for n in entries))
    units = []
    for entry in entries:
        text = str(entry).strip()
        if isinstance(entry, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_SIZE:
            raise UsageError(say("model.layers_invalid", value=value))
        units.append(int(text))
    if not units:
        raise UsageError(say("model.layers_invalid", value=value))
    if len(units) > MAX_LAYERS:
        raise UsageError(say("model.layers_too_many", count=len(units), largest=MAX_LAYERS))
    return tuple(units)


def parse_dense(raw: str | int | Head | None) -> Head | None:
    """`2` or `2:sigmoid`: the head's units and, optionally, its activation (one Keras knows)."""
    if raw is None or isinstance(raw, Head):
        return raw
    text = str(raw).strip()
    units_text, _, activation = text.partition(":")
    if isinstance(raw, bool) or not units_text.strip().isdigit() or not 1 <= int(units_text) <= MAX_SIZE:
        raise UsageError(say("model.dense_invalid", value=shorten(text)))
    name = activation.strip()
    if not name or name.lower() in ("none", "linear"):
        return Head(int(units_text), None)
    if name not in VOCABULARY[Kind.ACTIVATION]:
        what = say("values.what_activation")
        raise UsageError(unknown_name_message("--dense", what, name, VOCABULARY[Kind.ACTIVATION]))
    return Head(int(units_text), name)


def parse_merge_mode(raw: str | None) -> str:
    if raw is None:
        return DEFAULT_MERGE_MODE
    mode = str(raw).strip().lower()
    if mode not in MERGE_MODES:
        raise UsageError(say("model.merge_mode_invalid", value=shorten(str(raw)), choices=", ".join(MERGE_MODES)))
    return mode


def architecture(options: Mapping[str, object], config: LSTMConfig) -> Architecture:
    """The model keywords (`KEYWORDS`) checked against each other and the LSTM's own arguments."""
    bidirectional = options.get("bidirectional") or False
    if not isinstance(bidirectional, bool):
        raise UsageError(say("values.boolean", flag="--bidirectional", value=shorten(repr(bidirectional))))
    as_written = options.get("as_written") or False
    if not isinstance(as_written, bool):
        raise UsageError(say("values.boolean", flag="--as-written", value=shorten(repr(as_written))))
    raw_mode = options.get("merge_mode")
    merge_mode = parse_merge_mode(None if raw_mode is None else str(raw_mode))
    if raw_mode is not None and not bidirectional:
        raise UsageError(say("model.merge_mode_without_bidirectional", value=merge_mode))
    layers = parse_layers(options.get("layers"))  # type: ignore[arg-type]
    if layers is not None and "units" in config.explicit:
        raise UsageError(say("model.layers_and_units"))
    if as_written and (layers is None or len(layers) < 2):
        raise UsageError(say("model.as_written_needs_stack"))
    dense = parse_dense(options.get("dense"))  # type: ignore[arg-type]
    if bidirectional and merge_mode == "none":
        if layers is not None and len(layers) > 1:
            raise UsageError(say("model.merge_none_in_stack"))
        if dense is not None:
            raise UsageError(say("model.merge_none_with_dense"))
    if bidirectional and config["go_backwards"]:
        raise UsageError(say("model.bidirectional_go_backwards"))
    return Architecture(layers, bidirectional, merge_mode, dense, as_written)
