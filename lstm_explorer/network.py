"""The LSTM inside a model: Bidirectional, a stack of layers, a Dense head, built and called for real.

One plain layer goes through `engine.run`, whose views were drawn for it. Anything more is built
here as a functional model, called once through a probe that also returns what each LSTM layer read,
and described layer by layer and direction by direction: the trace of every LSTM direction, and a
NumPy forward pass of the whole model from its weights, each layer fed the reference's own output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import numpy as np

from lstm_explorer import checkpoint
from lstm_explorer.architecture import Architecture
from lstm_explorer.catalogue import WEIGHT_BY_NAME
from lstm_explorer.config import LSTMConfig
from lstm_explorer.effects import Context, Effect, cudnn, demonstrate, saturation
from lstm_explorer.engine import (
    LayerRow,
    LSTMPart,
    NamedArray,
    ParamCount,
    ReferenceCheck,
    RunResult,
    _call,
    _check_cudnn_request,
    _import_keras,
    _name_masks,
    _numpy,
    _per_gate,
    _record_dropout_masks,
    _record_loop,
    _run_notes,
    _tensorflow_version,
    call_model,
    clean_keras_message,
    feed,
    implementation_one_crashes,
    keras_layer_kwargs,
    model_inputs,
    param_count,
    seed,
    trace_steps,
)
from lstm_explorer.errors import RunFailure, UsageError
from lstm_explorer.inputs import InputData
from lstm_explorer.language import say
from lstm_explorer.masks import outcomes
from lstm_explorer.quiet import muted
from lstm_explorer.reference import activation, compare, lstm_forward


@dataclass
class Built:
    """The model and its pieces: each LSTM layer (plain or wrapped), the head, and a probe model
    whose outputs are every LSTM layer's input, then each one's first output, then the model's own."""

    model: Any
    probe: Any
    stack: list[Any]
    configs: list[LSTMConfig]
    head: Any  # the Dense layer, or None


def lstm_directions(layer: Any) -> list[tuple[str, Any]]:
    """The LSTM layers that do the work of one stack entry: itself, or a Bidirectional's two halves."""
    if hasattr(layer, "forward_layer"):
        return [("forward", layer.forward_layer), ("backward", layer.backward_layer)]
    return [("forward", layer)]


def output_names(config: LSTMConfig, architecture: Architecture) -> list[str]:
    """What each returned tensor is called on screen and in JSON: the (merged) output, or each
    direction's with merge_mode none, or the head's; then the states, each direction's own."""
    base = "sequence" if config["return_sequences"] else "last_output"
    if architecture.dense is not None:
        names = ["dense"]
    elif architecture.bidirectional and architecture.keras_merge_mode is None:
        names = [f"forward_{base}", f"backward_{base}"]
    else:
        names = [base]
    if config["return_state"]:
        prefixes = ("forward", "backward") if architecture.bidirectional else ("final",)
        names += [f"{prefix}_{state}" for prefix in prefixes for state in ("h", "c")]
    return names


def _description(name: str, architecture: Architecture) -> str:
    if name == "dense":
        activation = architecture.dense.activation if architecture.dense else None
        return say("model.output_dense", activation=activation or "linear")
    direction, _, rest = name.partition("_")
    if direction in ("forward", "backward"):
        return say(f"model.output_direction_{rest}", direction=direction)
    if architecture.bidirectional:
        return say(f"model.output_merged_{name}", merge_mode=architecture.merge_mode)
    return say("run.output_last" if name == "last_output" else f"run.output_{name}")


def build(
    keras: ModuleType,
    tf: ModuleType,
    config: LSTMConfig,
    architecture: Architecture,
    data: InputData,
    random_seed: int,
    training: bool,
) -> Built:
    """Seed, then build the model on the input's full shape, every layer named as the views name it."""
    _check_cudnn_request(config, tf, data.mask)
    if implementation_one_crashes(config, training):
        raise UsageError(say("run.implementation_one_crash"))
    seed(keras, random_seed)
    configs = architecture.layer_configs(config)
    inputs, given, sequence, call = model_inputs(keras, data)
    stack, read, produced = [], [], []
    try:
        for layer in stack_layers(keras, configs, architecture):
            read.append(sequence)
            returned = layer(sequence, **call)
            stack.append(layer)
            outputs = list(returned) if isinstance(returned, (list, tuple)) else [returned]
            sequence = outputs[0]
            produced.append(sequence)
        head = None
        if architecture.dense is not None:
            head = keras.layers.Dense(architecture.dense.units, activation=architecture.dense.activation, name="dense")
            outputs = [head(outputs[0]), *outputs[1:]]
    except (TypeError, ValueError) as error:
        raise _refused(error, architecture) from error
    model = keras.Model(given if len(given) > 1 else inputs, outputs)
    probe = keras.Model(given if len(given) > 1 else inputs, [*read, *produced, *outputs])
    return Built(model, probe, stack, configs, head)


def stack_layers(keras: ModuleType, configs: list[LSTMConfig], architecture: Architecture) -> list[Any]:
    """One LSTM per configuration, bottom first, each in a Bidirectional when asked, named as the
    views name them (lstm, lstm_2, …; bidirectional, bidirectional_2, …). Made in this order, so the
    seed gives every layer the same weights wherever the stack is built."""
    several = len(configs) > 1
    layers = []
    for k, layer_config in enumerate(configs, start=1):
        suffix = f"_{k}" if several else ""
        layer = keras.layers.LSTM(**keras_layer_kwargs(layer_config, keras), name=f"lstm{suffix}")
        if architecture.bidirectional:
            layer = keras.layers.Bidirectional(
                layer, merge_mode=architecture.keras_merge_mode, name=f"bidirectional{suffix}"
            )
        layers.append(layer)
    return layers


def _refused(error: Exception, architecture: Architecture) -> Exception:
    """Keras's own refusal; for a stack built as written, Keras's words first, then what they mean."""
    message = clean_keras_message(error)
    if architecture.as_written:
        from lstm_explorer.keras_errors import KERAS_ERRORS, find

        known = find(message)
        if known is not None and known.error.page == "return_sequences":
            stacked = next(e for e in KERAS_ERRORS if e.id == "stacked_without_sequences")
            layers = ",".join(str(n) for n in architecture.layers or ())
            return RunFailure(say("model.as_written_failed", message=message, meaning=stacked.meaning, layers=layers))
    return UsageError(say("run.keras_rejected_config", message=message))


def run(
    config: LSTMConfig,
    architecture: Architecture,
    data: InputData,
    *,
    random_seed: int,
    training: bool = False,
    verbose: bool = False,
    demonstrations: frozenset[str] = frozenset(),
    trace_sample: int = 0,
    traced: tuple[int, str] = (1, "forward"),
    weights: list[np.ndarray] | None = None,
    origin: str | None = None,
) -> RunResult:
    """Build the model, call it once (through the probe), trace every LSTM direction, check the
    whole model against NumPy, and demonstrate on the first LSTM alone with its weights."""
    with muted(verbose):
        checkpoint.reached("import")
        keras, tf = _import_keras()
        x = data.values
        built = build(keras, tf, config, architecture, data, random_seed, training)
        if weights is not None:
            built.model.set_weights(weights)
        recorded = {
            id(lstm): _record_dropout_masks(lstm.cell) if training else {}
            for layer in built.stack
            for _, lstm in lstm_directions(layer)
        }
        returned = _call(built.probe, feed(built.probe, x, data.mask), training, tuple(recorded.values()))
        checkpoint.reached("call")
        count = len(built.stack)
        read, produced, tensors = returned[:count], returned[count : 2 * count], returned[2 * count :]
        read[0] = x
        parts = _parts(keras, built, read, recorded, data.mask, trace_sample)
        top = built.configs[-1]
        names = output_names(top, architecture)
        outputs = [NamedArray(n, _description(n, architecture), t) for n, t in zip(names, tensors)]
        part = next(p for p in parts if (p.layer, p.direction) == traced)
        return RunResult(
            config=config,
            input=data,
            outputs=outputs,
            weights=_weights(built.model),
            layer_name=built.stack[0].name,
            input_shape=tuple(built.model.inputs[0].shape),
            output_shapes=[tuple(t.shape) for t in built.model.outputs],
            param_count=int(built.model.count_params()),
            param_formula=param_count(built.configs[0].units, x.shape[-1], bool(config["use_bias"])),
            random_seed=random_seed,
            training=training,
            keras_version=keras.__version__,
            tensorflow_version=_tensorflow_version(tf),
            notes=config.notes() + _run_notes(top, training, data) + _model_notes(architecture),
            effects=_effects(keras, tf, config, built, parts, produced, tensors, data, training, demonstrations),
            reference=_reference(built, architecture, data, tensors, recorded, parts),
            trace=part.steps.sample(trace_sample),
            trace_sample=trace_sample,
            dropout_masks=part.dropout_masks,
            mask_outcomes=_mask_outcomes(built, data),
            architecture=architecture,
            layers=_rows(built, architecture, names),
            parts=parts,
            traced=traced,
            origin=origin,
        )


def _parts(
    keras: ModuleType,
    built: Built,
    read: list[np.ndarray],
    recorded: dict[int, dict[str, Any]],
    mask: np.ndarray | None,
    keep_sample: int,
) -> list[LSTMPart]:
    parts = []
    for k, (layer, config, x) in enumerate(zip(built.stack, built.configs, read), start=1):
        for direction, lstm in lstm_directions(layer):
            masks = recorded[id(lstm)]
            path = lstm.name if lstm is layer else f"{layer.name}/{lstm.name}"
            weights = [NamedArray(w.name, WEIGHT_BY_NAME[w.name].meaning, np.asarray(w.numpy())) for w in lstm.weights]
            steps = trace_steps(keras, lstm, x, masks, mask, keep_sample=keep_sample)
            part_config = replace(config, values=dict(config.values, go_backwards=bool(lstm.go_backwards)))
            parts.append(LSTMPart(k, direction, path, part_config, x, weights, steps, _name_masks(masks)))
    return parts


def _weights(model: Any) -> list[NamedArray]:
    """Every weight in the order of `model.get_weights()`, named by its Keras variable path."""
    named = []
    for variable in model.weights:
        short = variable.path.rsplit("/", 1)[-1]
        if "/lstm_cell/" in variable.path:
            description = WEIGHT_BY_NAME[short].meaning
        else:
            description = say(f"model.dense_{short}")
        named.append(NamedArray(variable.path, description, np.asarray(variable.numpy())))
    return named


def _mask_outcomes(built: Built, data: InputData) -> np.ndarray | None:
    """What the model's first output holds at each padded step: the top layer's own rule, where
    a Bidirectional forces zeros (it sets zero_output_for_mask to return_sequences)."""
    if data.mask is None:
        return None
    top = lstm_directions(built.stack[-1])[0][1]
    backwards = bool(top.go_backwards) and not hasattr(built.stack[-1], "forward_layer")
    return outcomes(data.mask, backwards, bool(top.zero_output_for_mask))


def _rows(built: Built, architecture: Architecture, names: list[str]) -> list[LayerRow]:
    """The summary: every layer after the input, its shapes, its count and how the count is made."""
    rows = []
    model = built.model
    bare = replace(architecture, dense=None)
    for layer in model.layers[1:]:
        if layer.__class__.__name__ == "InputLayer":
            continue
        in_shape = tuple(layer.input.shape) if not isinstance(layer.input, list) else tuple(layer.input[0].shape)
        produced = layer.output if isinstance(layer.output, (list, tuple)) else [layer.output]
        if layer is built.head:
            shapes = [(names[0], tuple(produced[0].shape))]
        elif layer in built.stack:
            own = output_names(built.configs[built.stack.index(layer)], bare)
            shapes = [(name, tuple(t.shape)) for name, t in zip(own, produced)]
        else:
            shapes = [("output", tuple(t.shape)) for t in produced]
        rows.append(
            LayerRow(
                layer.name,
                layer.__class__.__name__,
                in_shape,
                shapes,
                int(layer.count_params()),
                _formula(layer, in_shape[-1]),
            )
        )
    return rows


def _formula(layer: Any, width: int | None) -> ParamCount | None:
    kind = layer.__class__.__name__
    if kind == "LSTM":
        return param_count(layer.units, int(width or 0), bool(layer.use_bias))
    if kind == "Bidirectional":
        one = param_count(layer.forward_layer.units, int(width or 0), bool(layer.forward_layer.use_bias))
        product = one.worked.rsplit(" = ", 1)[0]
        return ParamCount(f"2 × {one.formula}", f"2 × {product} = {2 * one.value}", 2 * one.value)
    if kind == "Dense":
        units, inputs = layer.units, int(width or 0)
        if layer.use_bias:
            value = units * (inputs + 1)
            return ParamCount("units × (input_dim + 1)", f"{units} × ({inputs} + 1) = {value}", value)
        return ParamCount("units × input_dim", f"{units} × {inputs} = {units * inputs}", units * inputs)
    return None


def _reference(
    built: Built,
    architecture: Architecture,
    data: InputData,
    tensors: list[np.ndarray],
    recorded: dict[int, dict[str, Any]],
    parts: list[LSTMPart],
) -> ReferenceCheck:
    """The whole model redone in NumPy from its weights: each LSTM direction by the equations, the
    backward half flipped back and merged as merge_mode says, the head's affine map; each layer fed
    the reference's own output of the layer below, never Keras's. A training call's dropout masks are
    the ones Keras drew in it (`recorded`, per LSTM). Besides the returned tensors, every direction's
    h and c at every step (the trace the views show) are held against the reference's."""
    sequence = data.values.astype(np.float64)
    expected: list[np.ndarray] = []
    traced: list[np.ndarray] = []
    stepped: list[np.ndarray] = []
    by_direction = {(p.layer, p.direction): p for p in parts}
    for number, (layer, config) in enumerate(zip(built.stack, built.configs), start=1):
        results = []
        for direction, lstm in lstm_directions(layer):
            weights = {w.name: np.asarray(w.numpy()) for w in lstm.weights}
            drawn = recorded[id(lstm)]
            forward = lstm_forward(
                sequence,
                weights["kernel"],
                weights["recurrent_kernel"],
                weights.get("bias"),
                activation_name=config.name("activation"),
                recurrent_activation_name=config.name("recurrent_activation"),
                go_backwards=direction == "backward" or bool(config["go_backwards"]),
                input_masks=_numpy(_per_gate(drawn.get("input"))),
                recurrent_masks=_numpy(_per_gate(drawn.get("recurrent"))),
                mask=data.mask,
                zero_output_for_mask=bool(config["return_sequences"])
                if architecture.bidirectional
                else bool(config["zero_output_for_mask"]),
            )
            results.append((direction, forward))
            part = by_direction[(number, direction)]
            rows = part.steps.rows
            traced.append(part.steps.h)
            stepped.append(np.stack([step.h for step in forward.steps]))
            traced.append(part.steps.c)
            stepped.append(np.stack([step.c if rows is None else step.c[list(rows)] for step in forward.steps]))
        outputs = [r.sequence if config["return_sequences"] else r.last for _, r in results]
        if architecture.bidirectional and config["return_sequences"]:
            outputs[1] = outputs[1][:, ::-1]
        merged = _merge(outputs, architecture) if architecture.bidirectional else [outputs[0]]
        states = [array for _, r in results for array in (r.h, r.c)] if config["return_state"] else []
        expected = merged + states
        sequence = merged[0]
    if architecture.dense is not None:
        kernel, *bias = (np.asarray(w.numpy(), dtype=np.float64) for w in built.head.weights)
        affine = expected[0] @ kernel + (bias[0] if bias else 0.0)
        expected = [activation(architecture.dense.activation)(affine), *expected[1:]]
    worst, ok = compare([*tensors, *traced], [*expected, *stepped])
    return ReferenceCheck(worst, ok)


def _merge(outputs: list[np.ndarray], architecture: Architecture) -> list[np.ndarray]:
    forward, backward = outputs
    mode = architecture.keras_merge_mode
    if mode is None:
        return [forward, backward]
    merged = {
        "concat": lambda: np.concatenate([forward, backward], axis=-1),
        "sum": lambda: forward + backward,
        "mul": lambda: forward * backward,
        "ave": lambda: (forward + backward) / 2,
    }[mode]()
    return [merged]


def _model_notes(architecture: Architecture) -> list[str]:
    notes = []
    if architecture.layers is not None and len(architecture.layers) > 1 and not architecture.as_written:
        notes.append(say("model.note_lower_layers"))
    return notes


def _effects(
    keras: ModuleType,
    tf: ModuleType,
    config: LSTMConfig,
    built: Built,
    parts: list[LSTMPart],
    produced: list[np.ndarray],
    tensors: list[np.ndarray],
    data: InputData,
    training: bool,
    demonstrations: frozenset[str],
) -> list[Effect]:
    """The arguments demonstrated on the first LSTM alone (the shared configuration, its own units and
    weights, the run's input), then the model's own demonstrations, then cuDNN and saturation for
    every LSTM direction of the model."""
    first = parts[0]
    alone = replace(config, values=dict(config.values, units=first.config.units))
    kwargs = keras_layer_kwargs(alone, keras)
    layer = keras.layers.LSTM(**kwargs, name="lstm")
    model = call_model(keras, layer, data)
    layer.set_weights([w.values for w in first.weights])
    masks = _record_dropout_masks(layer.cell) if training else {}
    loop = _record_loop(layer)
    returned = _call(model, feed(model, data.values, data.mask), training, (masks, loop))
    loop.update({key: np.asarray(value) for key, value in loop.items()})
    steps = trace_steps(keras, layer, data.values, masks, data.mask, keep_sample=0)
    ctx = Context(keras, tf, alone, kwargs, layer, model, data.values, returned, training, steps, loop, data)
    where = say("model.effects_first_layer", path=first.path)
    effects = [
        replace(effect, lines=[where, *effect.lines])
        for effect in demonstrate(ctx, demonstrations)
        if effect.name not in ("cudnn", "saturation")
    ]
    from lstm_explorer import model_effects

    effects += model_effects.demonstrate(ctx, built, parts, produced, tensors)
    for part in parts:
        part_layer = next(
            lstm for wrapper in built.stack for _, lstm in lstm_directions(wrapper) if _path(wrapper, lstm) == part.path
        )
        part_ctx = replace(ctx, config=part.config, layer=part_layer, x=part.input, steps=part.steps)
        for check in (cudnn, saturation):
            effect = check(part_ctx)
            effects.append(replace(effect, name=f"{effect.name}:{part.path}", title=f"{effect.title} — {part.path}"))
    return effects


def _path(layer: Any, lstm: Any) -> str:
    return lstm.name if lstm is layer else f"{layer.name}/{lstm.name}"
