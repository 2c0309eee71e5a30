"""The library: everything the command line does, for a notebook or a script.

LSTM arguments are passed by their Keras names (`units=3, return_sequences=True,
kernel_regularizer="l2(0.001)"`), the input by the same options as the flags. Every function checks
what it is given before TensorFlow is loaded, and each result's `to_dict()` is the document the
command prints with `--json`. The command line is one client of this module.

    >>> import lstm_explorer
    >>> result = lstm_explorer.run(units=3, return_sequences=True)
    >>> result.outputs[0].values.shape
    (1, 10, 3)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lstm_explorer import inputs, limits
from lstm_explorer.architecture import Architecture
from lstm_explorer.catalogue import (
    ARGUMENTS,
    BY_NAME,
    DEFAULT_RANDOM_SEED,
    VARY_EXAMPLES,
    VARY_SPEC_EXAMPLE,
    Argument,
    Kind,
    lookup,
)
from lstm_explorer.config import LSTMConfig, build_config, parse_value
from lstm_explorer.engine import RunResult, SweepRow
from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.explanations import Explanation
from lstm_explorer.inputs import InputData
from lstm_explorer.language import current, say, speaking

if TYPE_CHECKING:
    from lstm_explorer.fitting import Fit, FitVary
    from lstm_explorer.from_code import FromCode
    from lstm_explorer.saved import Saved

MAX_RANDOM_SEED = 2**32 - 1
InputSource = str | Path | np.ndarray | None
MaskSource = str | Path | np.ndarray | None
StateInput = float | int | str | Path | np.ndarray | None


@dataclass(frozen=True)
class Prepared:
    """A validated request: the configuration, the input, and how to call the layer."""

    config: LSTMConfig
    data: InputData
    random_seed: int
    training: bool
    bound: int | None
    json_output: bool = False
    architecture: Architecture = Architecture()
    # A layer read from a model file: its trained weights and where it came from.
    weights: list[np.ndarray] | None = None
    origin: str | None = None
    # The input as the model file's first layer takes it, before the layers in front of the LSTM.
    model_input: np.ndarray | None = None
    notes: tuple[str, ...] = ()

    def check_memory(
        self, config: LSTMConfig, *, trace: bool = True, effects: bool = False, what: str | None = None
    ) -> None:
        check_memory(
            config,
            self.data.values.shape,
            self.bound,
            self.json_output,
            trace=trace,
            effects=effects,
            what=what,
            architecture=self.architecture,
        )


def configuration(arguments: Mapping[str, object]) -> LSTMConfig:
    """The LSTM arguments given by their Keras names, validated; the ones given are the explicit ones."""
    unknown = [name for name in arguments if name not in BY_NAME]
    if unknown:
        from lstm_explorer.explanations import resolve

        resolve(unknown[0], "lstm_explorer")
    return build_config(dict(arguments), frozenset(arguments))


def model_configuration(arguments: Mapping[str, object]) -> tuple[LSTMConfig, Architecture]:
    """The LSTM's arguments and the model around it (`bidirectional`, `merge_mode`, `layers`, `dense`,
    `as_written`), given together as keywords. A stack of one entry is one layer of those units."""
    from lstm_explorer.architecture import KEYWORDS, architecture

    model = {name: arguments[name] for name in KEYWORDS if name in arguments}
    config = configuration({name: value for name, value in arguments.items() if name not in KEYWORDS})
    shape = architecture(model, config)
    if shape.layers is not None and len(shape.layers) == 1:
        config = build_config({**config.values, "units": shape.layers[0]}, config.explicit | {"units"})
        shape = replace(shape, layers=None)
    return config, shape


def prepare(
    config: LSTMConfig,
    *,
    input: InputSource = None,
    batch: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    scale: bool = False,
    random_seed: int = DEFAULT_RANDOM_SEED,
    training: bool = False,
    max_memory: str | None = None,
    json_output: bool = False,
    trace: bool = True,
    effects: bool = False,
    lengths: str | Sequence[int] | None = None,
    padding: str | None = None,
    mask: MaskSource = None,
    mask_value: float | None = None,
    initial_h: StateInput = None,
    initial_c: StateInput = None,
    architecture: Architecture | None = None,
    source: Source | None = None,
) -> Prepared:
    """Validate the input options and check the memory estimate before TensorFlow is loaded or the input made.

    With a layer from a model file, the input is the model's (its sizes by default) and the layer
    reads what the model's layers before it make of it. Pasted code gives the sizes and the mask value
    it fixes, unless given here."""
    saved = None if source is None else source.saved
    code = None if source is None else source.code
    shape_of_model = Architecture() if architecture is None else architecture
    if not shape_of_model.single and (initial_h is not None or initial_c is not None):
        raise UsageError(say("model.initial_state_unsupported"))
    _checked_seed(random_seed)
    bound = limits.parse_bound(max_memory)
    if code is not None and input is None and batch is None and timesteps is None and features is None:
        batch, timesteps, features = (code.sizes.get(name) for name in ("batch", "timesteps", "features"))
    if code is not None and mask_value is None:
        found = code.arguments.get("mask_value")
        mask_value = None if found is None else float(found)  # type: ignore[arg-type]
    sizes = {"--batch": batch, "--timesteps": timesteps, "--features": features}
    given = [flag for flag, size in sizes.items() if size is not None]
    if input is not None and given:
        raise UsageError(say("inputs.input_with_sizes", flags=say("inputs.list_separator").join(given)))
    data = _load(input, bound)
    if saved is not None and data is None:
        _, length, width = saved.input_shape
        timesteps = timesteps if timesteps is not None or length is None else length
        features = features if features is not None else width
    shape = data.values.shape if data is not None else inputs.generated_shape(batch, timesteps, features)
    check_memory(config, shape, bound, json_output, trace=trace, effects=effects, architecture=shape_of_model)
    if data is None:
        data = inputs.generated(*shape) if given or saved is not None else inputs.tutorial_sample()
    if scale:
        data = inputs.scaled(data)
    data = _masked(data, lengths=lengths, padding=padding, mask=mask, mask_value=mask_value, bound=bound)
    model_input = None if saved is None else data.values
    if saved is not None:
        data = _through_model(data, saved)
    if initial_h is not None or initial_c is not None:
        from lstm_explorer import states

        batch = data.values.shape[0]
        h, c = (
            states.parse(which, raw, batch, config.units, bound) for which, raw in (("h", initial_h), ("c", initial_c))
        )
        data = replace(data, initial_h=h, initial_c=c)
    weights = None if saved is None else saved.weights
    origin, notes = (None, ()) if source is None else (source.origin, source.notes)
    return Prepared(
        config, data, random_seed, training, bound, json_output, shape_of_model, weights, origin, model_input, notes
    )


def _through_model(data: InputData, saved: Saved) -> InputData:
    """The sequence the chosen layer reads: the input, through the model's layers before it, and the
    mask a Masking layer on the model's input gives it there (passed as the layer's mask=)."""
    x = data.values
    if saved.mask_value is not None and data.mask is None:
        from lstm_explorer.masks import masking_mask

        data = replace(data, mask=masking_mask(x, saved.mask_value))
    expected = saved.input_shape[1:]
    if len(expected) != 2 or any(want is not None and want != got for want, got in zip(expected, x.shape[1:])):
        raise UsageError(
            say("saved.input_shape", shape=tuple(x.shape), expected=tuple(saved.input_shape), path=saved.path.name)
        )
    read = saved.lstm_input(x).astype(np.float32)
    if data.mask is not None and data.mask.shape != read.shape[:2]:
        raise UsageError(say("saved.mask_shape", mask=tuple(data.mask.shape), shape=tuple(read.shape)))
    if read.shape == x.shape and np.array_equal(read, x):
        return data
    source = say("saved.input_through", source=data.source, layer=saved.layer.name)
    return replace(data, values=read, source=source)


def _masked(
    data: InputData,
    *,
    lengths: str | Sequence[int] | None,
    padding: str | None,
    mask: MaskSource,
    mask_value: float | None,
    bound: int | None,
) -> InputData:
    """The input with its padding mask: lengths pad each sample (with mask_value, else 0.0, after
    --scale, so a Masking layer finds exactly the padded steps), a file or array is read and checked,
    and mask_value puts a Masking layer in front, whose mask is what the LSTM receives."""
    from lstm_explorer import masks

    masks.check_sources(lengths, mask, mask_value)
    if padding is not None and lengths is None:
        raise UsageError(say("masks.padding_without_lengths"))
    if mask_value is not None and (
        isinstance(mask_value, bool) or not isinstance(mask_value, (int, float)) or not np.isfinite(mask_value)
    ):
        raise UsageError(say("masks.mask_value_number", value=shorten(repr(mask_value))))
    batch, timesteps = data.values.shape[:2]
    values, given, side, counts = data.values, None, None, None
    if lengths is not None:
        counts = (
            masks.parse_lengths(lengths, batch, timesteps)
            if isinstance(lengths, str)
            else masks.parse_lengths(",".join(str(n) for n in lengths), batch, timesteps)
        )
        side = masks.checked_padding(masks.DEFAULT_PADDING if padding is None else padding)
        given = masks.length_mask(counts, timesteps, side)
        values = masks.padded(values, given, masks.DEFAULT_PAD_VALUE if mask_value is None else mask_value)
    elif isinstance(mask, np.ndarray):
        given = masks.checked_mask(mask, batch, timesteps, say("masks.array_label"))
    elif mask is not None:
        given = masks.read_mask(str(mask), batch, timesteps, bound)
    if mask_value is not None:
        given = masks.masking_mask(values, float(mask_value))
    if given is None:
        return data
    mask_value = None if mask_value is None else float(mask_value)
    return replace(data, values=values, mask=given, mask_value=mask_value, lengths=counts, padding=side)


def _load(source: InputSource, bound: int | None) -> InputData | None:
    if source is None:
        return None
    if isinstance(source, np.ndarray):
        return InputData(
            inputs.validate(source, say("inputs.array_label")), say("inputs.source_array", shape=source.shape)
        )
    return inputs.load(str(source), bound)


def check_memory(
    config: LSTMConfig,
    shape: tuple[int, ...],
    bound: int | None,
    json_output: bool,
    *,
    trace: bool,
    effects: bool,
    what: str | None = None,
    architecture: Architecture | None = None,
) -> None:
    """Refuse a run whose estimated memory is over the bound (see `lstm_explorer.limits`).

    `what` names the refused request in the message; None is this configuration. A model's estimate
    is the sum of its LSTMs', each direction reading the width the layer below hands on.
    """
    batch, timesteps, features = shape
    model = Architecture() if architecture is None else architecture
    totals: dict[str, int] = {}
    width = features
    for layer_config in model.layer_configs(config):
        for _ in model.directions:
            needed = limits.estimate(
                limits.Shape(batch, timesteps, width, layer_config.units),
                use_bias=bool(layer_config["use_bias"]),
                return_sequences=bool(layer_config["return_sequences"]),
                trace=trace,
                effects=effects,
                json_output=json_output,
            )
            for name, size in needed.parts:
                totals[name] = totals.get(name, 0) + size
        concatenated = model.bidirectional and model.merge_mode == "concat"
        width = layer_config.units * (2 if concatenated else 1)
    estimate = limits.Estimate(tuple(totals.items()))
    limits.check(estimate, bound, say("inputs.memory_this_configuration") if what is None else what)


def demonstrations_for(config: LSTMConfig, effects: bool | Iterable[str] | None) -> frozenset[str]:
    """Which arguments to demonstrate: those set (None), all (True), none (False) or the ones named."""
    from lstm_explorer.effects import DEMONSTRABLE

    if effects is None:
        return config.explicit & DEMONSTRABLE
    if isinstance(effects, bool):
        return DEMONSTRABLE if effects else frozenset()
    names = frozenset(effects)
    unknown = sorted(names - DEMONSTRABLE)
    if unknown:
        separator = say("inputs.list_separator")
        raise UsageError(
            say("inputs.effects_unknown", unknown=separator.join(unknown), known=separator.join(sorted(DEMONSTRABLE)))
        )
    return names


@dataclass(frozen=True)
class Run:
    """One call of the layer: everything it produced (see `engine.RunResult`), and its JSON document."""

    result: RunResult

    def __getattr__(self, name: str) -> Any:
        return getattr(self.result, name)

    def to_dict(self) -> dict[str, Any]:
        from lstm_explorer.render.json_view import finite, to_document

        return finite(to_document(self.result))


@dataclass(frozen=True)
class Trace(Run):
    """One sample stepped through the cell: the run's result plus every step of `sample`."""

    def to_dict(self) -> dict[str, Any]:
        from lstm_explorer.render.json_view import finite, to_document, trace_document

        result = self.result
        part = result.traced_part
        traced = {
            "layer": result.traced[0],
            "direction": result.traced[1],
            "path": part.path if part else result.layer_name,
        }
        return finite(
            {**to_document(result), "sample": result.trace_sample, "traced": traced, "steps": trace_document(result)}
        )


@dataclass(frozen=True)
class Vary:
    """One argument swept over values: a row per value, each from a freshly built layer."""

    argument: str
    rows: list[SweepRow]
    random_seed: int
    shared: bool
    training: bool
    # A model file's layer or pasted code the rows start from; their trained weights, for a file.
    origin: str | None = None
    trained: bool = False

    def to_dict(self) -> dict[str, Any]:
        from lstm_explorer.render.json_view import finite, vary_document

        document = vary_document(self.argument, self.rows, self.random_seed, self.shared, self.training)
        return finite({**document, "source": self.origin})


def _engine_run(
    prepared: Prepared,
    *,
    verbose: bool,
    demonstrations: frozenset[str] = frozenset(),
    trace_sample: int = 0,
    traced: tuple[int, str] = (1, "forward"),
) -> RunResult:
    """One plain layer through the engine, anything more through the model builder (`network`)."""
    common: dict[str, Any] = dict(
        random_seed=prepared.random_seed,
        training=prepared.training,
        verbose=verbose,
        demonstrations=demonstrations,
        trace_sample=trace_sample,
        weights=prepared.weights,
        origin=prepared.origin,
    )
    if prepared.architecture.single:
        from lstm_explorer import engine

        result = engine.run(prepared.config, prepared.data, **common)
    else:
        from lstm_explorer import network

        result = network.run(prepared.config, prepared.architecture, prepared.data, traced=traced, **common)
    return replace(result, notes=[*prepared.notes, *result.notes]) if prepared.notes else result


def run(
    input: InputSource = None,
    *,
    effects: bool | Iterable[str] | None = None,
    model: str | Path | None = None,
    from_code: str | None = None,
    layer: int | str | None = None,
    direction: str = "forward",
    batch: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    scale: bool = False,
    random_seed: int = DEFAULT_RANDOM_SEED,
    training: bool = False,
    max_memory: str | None = None,
    lengths: str | Sequence[int] | None = None,
    padding: str | None = None,
    mask: MaskSource = None,
    mask_value: float | None = None,
    initial_h: StateInput = None,
    initial_c: StateInput = None,
    verbose: bool = False,
    json_output: bool = False,
    lang: str | None = None,
    **arguments: object,
) -> Run:
    """Build the layer from `arguments`, call it once on the input, check it against NumPy, demonstrate.

    `input`: None (the tutorial's sample, or the counting pattern in the shape batch × timesteps ×
    features), a path to a .npy/.json/.csv file, or an array (timesteps, features) or (batch,
    timesteps, features). `effects`: None demonstrates the arguments given, True all, or name them.
    `lang` ("en" or "zh", as every function here takes it): the language of the result's sentences
    and of any error, English unless a caller is already speaking another. In a model of several
    LSTMs, `layer` and `direction` choose the one whose steps the heatmap and the plot show.
    `model`: a .keras or .h5 file whose LSTM layer (`layer`: its name or number, when it has
    several) is explored with its trained weights, on the input as the model's layers before it
    hand it on; arguments given here override the layer's own.
    """
    with speaking(current() if lang is None else lang):
        given, source = source_of(arguments, model, layer, from_code)
        config, architecture = model_configuration(given)
        traced = check_traced(architecture, config, 1 if source.saved or layer is None else layer, direction)
        demonstrations = demonstrations_for(config, effects)
        prepared = prepare(
            config,
            input=input,
            batch=batch,
            timesteps=timesteps,
            features=features,
            scale=scale,
            random_seed=random_seed,
            training=training,
            max_memory=max_memory,
            lengths=lengths,
            padding=padding,
            mask=mask,
            mask_value=mask_value,
            initial_h=initial_h,
            initial_c=initial_c,
            json_output=json_output,
            effects=bool(demonstrations),
            architecture=architecture,
            source=source,
        )
        return Run(_engine_run(prepared, verbose=verbose, demonstrations=demonstrations, traced=traced))


def trace(
    input: InputSource = None,
    *,
    sample: int = 0,
    model: str | Path | None = None,
    from_code: str | None = None,
    layer: int | str | None = None,
    direction: str = "forward",
    batch: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    scale: bool = False,
    random_seed: int = DEFAULT_RANDOM_SEED,
    training: bool = False,
    max_memory: str | None = None,
    lengths: str | Sequence[int] | None = None,
    padding: str | None = None,
    mask: MaskSource = None,
    mask_value: float | None = None,
    initial_h: StateInput = None,
    initial_c: StateInput = None,
    verbose: bool = False,
    json_output: bool = False,
    lang: str | None = None,
    **arguments: object,
) -> Trace:
    """Step one sample of the input through the cell: every gate's pre-activation and value, c and h.

    In a model of several LSTM layers or a Bidirectional one, `layer` (from 1 at the bottom) and
    `direction` ("forward" or "backward") choose the LSTM stepped through; with `model`, `layer`
    picks the file's LSTM layer (see `run`)."""
    with speaking(current() if lang is None else lang):
        given, source = source_of(arguments, model, layer, from_code)
        config, architecture = model_configuration(given)
        traced = check_traced(architecture, config, 1 if source.saved or layer is None else layer, direction)
        prepared = prepare(
            config,
            input=input,
            batch=batch,
            timesteps=timesteps,
            features=features,
            scale=scale,
            random_seed=random_seed,
            training=training,
            max_memory=max_memory,
            lengths=lengths,
            padding=padding,
            mask=mask,
            mask_value=mask_value,
            initial_h=initial_h,
            initial_c=initial_c,
            json_output=json_output,
            architecture=architecture,
            source=source,
        )
        check_sample(prepared, sample)
        return Trace(_engine_run(prepared, verbose=verbose, trace_sample=sample, traced=traced))


@dataclass(frozen=True)
class Source:
    """Where the layer comes from besides flags: a model file's layer, or pasted code."""

    saved: Saved | None = None
    code: FromCode | None = None

    @property
    def origin(self) -> str | None:
        if self.saved is not None:
            return self.saved.origin
        if self.code is not None:
            uncommented = re.sub(r"#[^\n]*", "", self.code.text)
            return say("from_code_view.origin", code=shorten(" ".join(uncommented.split()), 160))
        return None

    @property
    def notes(self) -> tuple[str, ...]:
        if self.saved is not None:
            return tuple(self.saved.notes)
        if self.code is not None:
            return (*self.code.translations, say("from_code_view.command", command=self.code.command()))
        return ()


def source_of(
    arguments: Mapping[str, object], model: str | Path | None, layer: int | str | None, from_code: str | None
) -> tuple[dict[str, object], Source]:
    """The layer's arguments from a model file's layer or from pasted code, under the ones given
    here, which override them; without either, the arguments as given. Code is read before
    TensorFlow loads; a file needs Keras."""
    if from_code is not None and model is not None:
        raise UsageError(say("from_code_view.with_model"))
    if from_code is not None:
        from lstm_explorer.from_code import RUN_KEYWORDS, read

        code = read(from_code)
        merged = {**code.arguments, **arguments}
        return {k: v for k, v in merged.items() if k not in RUN_KEYWORDS}, Source(code=code)
    if model is not None:
        reshaping = sorted(set(arguments) & set(RESHAPING))
        if reshaping:
            flags = ", ".join("--" + name.replace("_", "-") for name in reshaping)
            raise UsageError(say("saved.flags_change_weights", flags=flags))
    merged, saved = model_source(arguments, model, layer)
    return merged, Source(saved=saved)


# What would give the layer other weight shapes than the trained ones a model file holds.
RESHAPING = ("units", "use_bias", "bidirectional", "layers", "dense", "as_written")


def model_source(
    arguments: Mapping[str, object], model: str | Path | None, layer: int | str | None
) -> tuple[dict[str, object], Saved | None]:
    """With a model file, the chosen layer's arguments (those that differ from Keras's defaults) under
    the ones given here, which override them; without one, the arguments as given."""
    if model is None:
        return dict(arguments), None
    from lstm_explorer import saved as saved_model

    path = saved_model.checked_path(model)
    from lstm_explorer.quiet import muted

    with muted(False):
        opened = saved_model.open_model(path, layer)
    defaults = {a.name: a.keras_default for a in ARGUMENTS}
    kept = {name: value for name, value in opened.arguments.items() if defaults.get(name, not value) != value}
    return {**kept, **arguments}, opened


def check_traced(architecture: Architecture, config: LSTMConfig, layer: int | str, direction: str) -> tuple[int, str]:
    """The LSTM `trace --layer K --direction D` asks for, when the model has it."""
    count = len(architecture.units(config))
    if isinstance(layer, str) and layer.strip().isdigit():
        layer = int(layer)
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= count:
        raise UsageError(say("model.layer_range", layer=shorten(str(layer)), count=count))
    chosen = str(direction).strip().lower()
    if chosen not in ("forward", "backward"):
        raise UsageError(say("model.direction_invalid", value=shorten(str(direction))))
    if chosen not in architecture.directions:
        raise UsageError(say("model.direction_needs_bidirectional"))
    return layer, chosen


def check_sample(prepared: Prepared, sample: int) -> None:
    batch = prepared.data.values.shape[0]
    if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample < batch:
        raise UsageError(say("inputs.sample_range", last=batch - 1, batch=batch, sample=sample))


def vary(
    argument: str,
    values: Iterable[object] | None = None,
    input: InputSource = None,
    *,
    model: str | Path | None = None,
    from_code: str | None = None,
    layer: int | str | None = None,
    batch: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    scale: bool = False,
    random_seed: int = DEFAULT_RANDOM_SEED,
    training: bool = False,
    max_memory: str | None = None,
    lengths: str | Sequence[int] | None = None,
    padding: str | None = None,
    mask: MaskSource = None,
    mask_value: float | None = None,
    initial_h: StateInput = None,
    initial_c: StateInput = None,
    verbose: bool = False,
    json_output: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
    **arguments: object,
) -> Vary:
    """Build and call one layer per value of `argument`, all else equal, and compare them.

    Values may be Python values (2, True, "relu") or text as typed on a command line ("2", "true");
    booleans, use_cudnn, implementation and the activations have default values to try. Every layer
    is built from the same seed and, where the weight shapes allow and the argument does not itself
    decide the weights, starts from the first layer's weights; with `model`, from the trained ones.
    """
    with speaking(current() if lang is None else lang):
        if layer is not None and model is None:
            raise UsageError(say("saved.layer_without_model", command="vary"))
        merged, source = source_of(arguments, model, layer, from_code)
        config, architecture = model_configuration(merged)
        options: dict[str, Any] = dict(
            input=input,
            batch=batch,
            timesteps=timesteps,
            features=features,
            scale=scale,
            random_seed=random_seed,
            training=training,
            max_memory=max_memory,
            lengths=lengths,
            mask=mask,
            mask_value=mask_value,
            initial_h=initial_h,
            initial_c=initial_c,
            json_output=json_output,
            trace=False,
            architecture=architecture,
            source=source,
        )
        prepared = prepare(config, padding=padding, **options)
        name = argument.strip().lstrip("-").replace("-", "_").lower()
        if name == "padding":
            return _vary_padding(prepared, options, values, verbose, progress)
        if name in MODEL_VARIED:
            return _vary_model(name, prepared, merged, values, verbose, progress)
        target, configs = _varied(argument, values, prepared.config)
        for label, config in configs:
            prepared.check_memory(config, trace=False, what=f"vary {target.name} {shorten(label)}")
        return _swept(target.name, configs, prepared, target.shares_weights_in_vary, verbose, progress)


def _varied(
    argument: str, values: Iterable[object] | None, base_config: LSTMConfig
) -> tuple[Argument, list[tuple[str, LSTMConfig]]]:
    """The LSTM argument `vary` sweeps and one configuration per value (its label as typed), the
    rest as in `base_config`."""
    target = lookup(argument)
    if target is None:
        from lstm_explorer.explanations import resolve

        resolve(argument, "vary")
    if target is None or target.kind is Kind.TIME_MAJOR:
        raise UsageError(say("inputs.vary_removed", argument=shorten(argument)))
    given = list(values) if values is not None else []
    texts = given or list(target.vary_defaults)
    if not texts:
        example = VARY_EXAMPLES.get(target.kind, VARY_SPEC_EXAMPLE)
        raise UsageError(say("inputs.vary_needs_values", name=target.name, example=example))
    base = {a.name: base_config[a.name] for a in ARGUMENTS}
    configs = []
    for value in texts:
        label = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        raw = parse_value(target, value) if isinstance(value, str) else value
        try:
            configs.append((label, build_config({**base, target.name: raw}, base_config.explicit | {target.name})))
        except UsageError as error:
            raise UsageError(
                error.args[0]
                if str(error).startswith("vary ")
                else say("inputs.vary_value_invalid", name=target.name, label=shorten(label), error=error)
            ) from None
    return target, configs


def _swept(
    argument: str,
    configs: list[tuple[str, LSTMConfig]],
    prepared: Prepared,
    shared: bool,
    verbose: bool,
    progress: Callable[[int, int], None] | None,
    **rows: Any,
) -> Vary:
    """Every configuration built and called from the prepared input and seed (and, sharing weights,
    from a model file's trained ones); `rows` gives each row its own input or model (engine.sweep)."""
    from lstm_explorer import engine

    swept = engine.sweep(
        configs,
        prepared.data,
        random_seed=prepared.random_seed,
        share_weights=shared,
        weights=prepared.weights if shared else None,
        training=prepared.training,
        verbose=verbose,
        progress=_counter(progress, len(configs)),
        **rows,
    )
    trained = prepared.weights is not None and shared
    return Vary(argument, swept, prepared.random_seed, shared, prepared.training, prepared.origin, trained)


def _counter(progress: Callable[[int, int], None] | None, total: int) -> Callable[[], None]:
    """A callback for each finished row that reports (done, total) to `progress`, if there is one."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    return step


# What `vary` takes besides the LSTM's arguments: the model around it (one value each row).
MODEL_VARIED = ("merge_mode", "layers", "bidirectional", "dense")


def _vary_model(
    name: str,
    prepared: Prepared,
    arguments: Mapping[str, object],
    values: Iterable[object] | None,
    verbose: bool,
    progress: Callable[[int, int], None] | None,
) -> Vary:
    """One model per value of a model keyword, the LSTM's arguments unchanged. Varying merge_mode
    implies --bidirectional; layers tries one, two and three layers of the units by default."""
    from lstm_explorer.architecture import MERGE_MODES

    units = prepared.config.units
    defaults = {
        "merge_mode": list(MERGE_MODES),
        "layers": [str(units), f"{units},{units}", f"{units},{units},{units}"],
        "bidirectional": ["false", "true"],
        "dense": ["1", f"{units}"],
    }
    labels = [str(value).lower() if isinstance(value, bool) else str(value) for value in values or defaults[name]]
    base = {key: value for key, value in arguments.items() if key != name}
    if name == "merge_mode":
        base["bidirectional"] = True
    rows = []
    for label in labels:
        raw: object = label
        if name == "bidirectional":
            raw = parse_value(BY_NAME["return_sequences"], label)
        try:
            rows.append(model_configuration({**base, name: raw}))
        except UsageError as error:
            raise UsageError(say("inputs.vary_value_invalid", name=name, label=shorten(label), error=error)) from None
    for (config, shape), label in zip(rows, labels):
        replace(prepared, architecture=shape).check_memory(config, trace=False, what=f"vary {name} {shorten(label)}")
    configs = [(label, config) for label, (config, _) in zip(labels, rows)]
    return _swept(name, configs, prepared, True, verbose, progress, architectures=[shape for _, shape in rows])


def _vary_padding(
    prepared: Prepared,
    options: dict[str, Any],
    values: Iterable[object] | None,
    verbose: bool,
    progress: Callable[[int, int], None] | None,
) -> Vary:
    """`vary padding pre post`: the same lengths padded at the front and at the end, the same weights."""

    if options["lengths"] is None:
        raise UsageError(say("masks.vary_padding_needs_lengths"))
    labels = [str(value) for value in values] if values else ["pre", "post"]
    rows_data = [prepare(prepared.config, padding=label, **options).data for label in labels]
    configs = [(label, prepared.config) for label in labels]
    return _swept("padding", configs, prepared, True, verbose, progress, row_data=rows_data)


def export(
    input: InputSource = None,
    *,
    framework: str = "keras",
    model: str | Path | None = None,
    from_code: str | None = None,
    layer: int | str | None = None,
    batch: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    scale: bool = False,
    random_seed: int = DEFAULT_RANDOM_SEED,
    training: bool = False,
    max_memory: str | None = None,
    lengths: str | Sequence[int] | None = None,
    padding: str | None = None,
    mask: MaskSource = None,
    mask_value: float | None = None,
    initial_h: StateInput = None,
    initial_c: StateInput = None,
    verbose: bool = False,
    lang: str | None = None,
    **arguments: object,
) -> str:
    """A runnable script: Keras 3 printing the tool's numbers, or the nearest torch.nn.LSTM with these weights.
    A model (Bidirectional, a stack, a Dense head) is written whole, each output under the tool's name."""
    with speaking(current() if lang is None else lang):
        from lstm_explorer import scripts

        choice = framework.strip().lower()
        if choice not in ("keras", "torch"):
            raise UsageError(say("inputs.framework_invalid", value=shorten(framework)))
        if layer is not None and model is None:
            raise UsageError(say("saved.layer_without_model", command="code"))
        if model is not None and choice == "keras" and arguments:
            raise UsageError(say("saved.code_as_saved", flags=", ".join(sorted(arguments))))
        given, source = source_of(arguments, model, layer, from_code)
        config, architecture = model_configuration(given)
        prepared = prepare(
            config,
            input=input,
            batch=batch,
            timesteps=timesteps,
            features=features,
            scale=scale,
            random_seed=random_seed,
            training=training,
            max_memory=max_memory,
            lengths=lengths,
            padding=padding,
            mask=mask,
            mask_value=mask_value,
            initial_h=initial_h,
            initial_c=initial_c,
            trace=choice == "torch",
            architecture=architecture,
            source=source,
        )
        from lstm_explorer.network import output_names

        # The top LSTM's configuration decides the names; for one plain layer it is `config` itself.
        names = output_names(architecture.layer_configs(config)[-1], architecture)
        data = prepared.data
        if choice == "keras" and source.saved is not None and prepared.model_input is not None:
            return scripts.saved_model_script(source.saved.path, source.saved.layer.name, prepared.model_input, names)
        if choice == "keras" and not architecture.single:
            seed, training = prepared.random_seed, prepared.training
            return scripts.model_keras_script(
                config, architecture, data.values, seed, names, training, data.mask, data.mask_value
            )
        if choice == "keras":
            # An initializer's draw needs Keras: the run's own states are written out as values.
            state = _engine_run(prepared, verbose=verbose).initial_state if data.has_initial_state else None
            return scripts.keras_script(
                config, data.values, prepared.random_seed, names, prepared.training, data.mask, data.mask_value, state
            )
        return _torch_export(prepared, names, verbose)


def _torch_export(prepared: Prepared, names: list[str], verbose: bool) -> str:
    """The nearest torch.nn.LSTM (and Linear head) holding the run's weights, or why there is none."""
    from lstm_explorer import scripts
    from lstm_explorer.explanations import texts

    config, architecture, data = prepared.config, prepared.architecture, prepared.data
    if data.mask is not None:
        raise UsageError(say("inputs.torch_mask"))
    if data.has_initial_state:
        raise UsageError(say("inputs.torch_initial_state"))
    if prepared.training and (config["dropout"] or config["recurrent_dropout"]):
        raise UsageError(say("inputs.torch_training_dropout"))
    scripts.torch_refusal(config, architecture)
    result = _engine_run(prepared, verbose=verbose)
    notes = {
        name: str(entry["pytorch"])
        for name, entry in texts(current()).items()
        if isinstance(entry, dict) and "pytorch" in entry
    }
    if architecture.single:
        weights = {w.name: w.values for w in result.weights}
        return scripts.torch_script(config, data.values, weights, notes)
    lstm_weights = {(p.layer, p.direction): {w.name: w.values for w in p.weights} for p in result.parts}
    head = {w.name.rsplit("/", 1)[-1]: w.values for w in result.weights if w.name.startswith("dense/")}
    return scripts.model_torch_script(config, architecture, data.values, lstm_weights, head, names, notes)


def fit(
    task: str | None = None,
    input: str | Path | None = None,
    target: str | Path | None = None,
    *,
    epochs: int | None = None,
    repeats: int | None = None,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    samples: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    delay: int | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    save: str | Path | None = None,
    force: bool = False,
    max_memory: str | None = None,
    from_code: str | None = None,
    verbose: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
    **arguments: object,
) -> Fit:
    """Train the configured LSTM (and the model options around it, with a Dense head of the target's
    size) with Adam on a task ("next", "adding", "delay") or on `input` and `target` files, once per
    seed (`repeats` seeds from `random_seed` on), and measure the learning.

    `progress` is told (epochs done, epochs in all) after every epoch. Ctrl-C stops the training and
    returns what finished, with `interrupted` set. `save` keeps the first seed's trained model as a
    .keras file (never over an existing one unless `force`)."""
    with speaking(current() if lang is None else lang):
        from lstm_explorer import fitting

        model_arguments, call_options = _fit_options(arguments)
        fitting.check_refused(call_options)
        merged, source = source_of(model_arguments, None, None, from_code)
        config, architecture = model_configuration(merged)
        how = fitting.settings(epochs, batch_size, learning_rate)
        bound = limits.parse_bound(max_memory)
        source_of_data = fitting.DataOptions(task, input, target, samples, timesteps, features, delay, repeats)
        plan = fitting.plan(source_of_data, _checked_seed(random_seed), how, bool(config["stateful"]), bound)
        config, notes = fitting.configured(config, plan.data)
        fitting.check_head(architecture, plan.data)
        plan = replace(plan, notes=(*source.notes, *plan.notes, *notes))
        destination = None
        if save is not None:
            from lstm_explorer.files import check_target

            destination = check_target(str(save), "--save", force, suffix=".keras")
        fitting.check_memory([config], architecture, plan.data, how, bound)
        count = _counter(progress, how.epochs * len(plan.seeds))
        keep = None if destination is None else fitting.saver(destination, force)
        result = fitting.run_fit(config, architecture, plan, verbose=verbose, on_epoch=count, save=keep)
        result.save_to = destination
        if destination is not None and result.runs and result.runs[0].complete:
            result.saved = destination
        return result


def vary_fit(
    argument: str,
    values: Iterable[object] | None = None,
    task: str | None = None,
    input: str | Path | None = None,
    target: str | Path | None = None,
    *,
    epochs: int | None = None,
    repeats: int | None = None,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    samples: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    delay: int | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    max_memory: str | None = None,
    from_code: str | None = None,
    verbose: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
    **arguments: object,
) -> FitVary:
    """Train every value of one LSTM argument on the same data with the same seeds (see `fit`), and
    compare the final validation losses with a paired test over the seeds."""
    with speaking(current() if lang is None else lang):
        from lstm_explorer import fitting

        model_arguments, call_options = _fit_options(arguments)
        fitting.check_refused(call_options)
        name = argument.strip().lstrip("-").replace("-", "_").lower()
        if name == "padding" or name in MODEL_VARIED:
            raise UsageError(say("fit.vary_model_argument", argument=name))
        merged, source = source_of(model_arguments, None, None, from_code)
        config, architecture = model_configuration(merged)
        how = fitting.settings(epochs, batch_size, learning_rate)
        bound = limits.parse_bound(max_memory)
        chosen, configs = _varied(argument, values, config)
        stateful = any(bool(c["stateful"]) for _, c in configs)
        source_of_data = fitting.DataOptions(task, input, target, samples, timesteps, features, delay, repeats)
        plan = fitting.plan(source_of_data, _checked_seed(random_seed), how, stateful, bound)
        fitting.check_head(architecture, plan.data)
        rows, notes = [], list(source.notes) + list(plan.notes)
        for label, row_config in configs:
            trained, said = fitting.configured(row_config, plan.data)
            rows.append(fitting.FitRow(label, trained))
            notes += [note for note in said if note not in notes]
        plan = replace(plan, notes=tuple(notes))
        fitting.check_memory([row.config for row in rows], architecture, plan.data, how, bound)
        count = _counter(progress, how.epochs * len(plan.seeds) * len(rows))
        return fitting.run_vary(chosen.name, rows, architecture, plan, verbose=verbose, on_epoch=count)


def _fit_options(arguments: Mapping[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """The LSTM and model keywords apart from the one-call options `fit` refuses (see fitting.REFUSED)."""
    from lstm_explorer.fitting import REFUSED

    model = {name: value for name, value in arguments.items() if name not in REFUSED}
    return model, {name: value for name, value in arguments.items() if name in REFUSED}


def _checked_seed(random_seed: object) -> int:
    if isinstance(random_seed, bool) or not isinstance(random_seed, int) or not 0 <= random_seed <= MAX_RANDOM_SEED:
        raise UsageError(say("inputs.random_seed_range", largest=MAX_RANDOM_SEED, value=shorten(str(random_seed))))
    return random_seed


def explain(name: str, lang: str = "en") -> Explanation:
    """One argument's page: Keras's own words, what it does, shapes, values, pitfalls, PyTorch, Keras 2 → 3."""
    from lstm_explorer.explanations import explain as page

    return page(name, lang)
