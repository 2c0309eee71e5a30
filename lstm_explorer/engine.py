"""Build the real Keras LSTM for a configuration, call it on the input, and collect what came out.

This is the only module that imports TensorFlow, and it does so inside functions, so `--help` and
`explain` never pay for it. Everything returned is plain data (numpy arrays, tuples, strings).
"""

from __future__ import annotations

import importlib.metadata
import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from lstm_explorer import checkpoint
from lstm_explorer.architecture import Architecture
from lstm_explorer.catalogue import BY_NAME, GATES, SPEC_MODULES, WEIGHT_BY_NAME
from lstm_explorer.config import LSTMConfig
from lstm_explorer.effects import Context, Effect, cudnn_conditions, demonstrate, gpu_visible
from lstm_explorer.errors import ExplorerError, RunFailure, UsageError
from lstm_explorer.inputs import InputData
from lstm_explorer.language import say
from lstm_explorer.limits import COMPILE_FROM_TIMESTEPS, LEAN_TRACE_BYTES
from lstm_explorer.masks import fully_masked, outcomes
from lstm_explorer.quiet import muted
from lstm_explorer.reference import Step, Steps, compare, lstm_forward
from lstm_explorer.specs import Spec

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# How far a compiled call or trace may be from the eager one, relative to the value: TensorFlow's
# graph optimiser may fuse some activations (relu, hard_sigmoid) with the ops around them, which
# rounds the last bit of a float32 differently. With tanh and sigmoid the two are equal bit for bit.
COMPILED_RTOL = 1e-6
# Samples the NumPy check computes at a time.
REFERENCE_CHUNK = 32
# Timesteps a compiled trace steps through per call of its graph, at most, and the most memory one
# call's steps may hold (see `_stepped_in_graph`).
TRACE_CHUNK = 1000
TRACE_CHUNK_BYTES = 8 * 2**20


@dataclass(frozen=True)
class NamedArray:
    """A tensor the layer returned or holds, with the name and meaning a reader needs."""

    name: str
    description: str
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)


@dataclass(frozen=True)
class ParamCount:
    """The parameter count as a formula with the numbers filled in, and its result."""

    formula: str
    worked: str
    value: int


@dataclass(frozen=True)
class ReferenceCheck:
    """How far Keras's outputs are from the independent NumPy forward pass."""

    max_abs_diff: float
    ok: bool
    note: str = ""


InitialState = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class LayerRow:
    """One layer of the model as its summary shows it: what went in, what came out, what it holds."""

    name: str
    type: str
    input_shape: tuple[int | None, ...]
    output_shapes: list[tuple[str, tuple[int | None, ...]]]
    param_count: int
    formula: ParamCount | None = None


@dataclass(frozen=True)
class LSTMPart:
    """One LSTM of the model in one direction: the sequence it read, its weights, its steps.

    `layer` counts the LSTM layers from 1 at the bottom; `path` is the Keras layer path
    (`bidirectional_1/backward_lstm_1`), the prefix of its weights' variable paths.
    """

    layer: int
    direction: str
    path: str
    config: LSTMConfig
    input: np.ndarray
    weights: list[NamedArray]
    steps: Steps
    dropout_masks: list[NamedArray] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.path


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced, ready for any renderer."""

    config: LSTMConfig
    input: InputData
    outputs: list[NamedArray]
    weights: list[NamedArray]
    layer_name: str
    input_shape: tuple[int | None, ...]
    output_shapes: list[tuple[int | None, ...]]
    param_count: int
    param_formula: ParamCount
    random_seed: int
    training: bool
    keras_version: str
    tensorflow_version: str
    notes: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    reference: ReferenceCheck | None = None
    trace: Sequence[Step] = field(default_factory=list)
    trace_sample: int = 0
    dropout_masks: list[NamedArray] = field(default_factory=list)
    # With a padding mask: per sample and timestep, what the output there is (masks.outcomes).
    mask_outcomes: np.ndarray | None = None
    # The initial h and c the call started from, when --initial-h or --initial-c was given.
    initial_state: InitialState | None = None
    architecture: Architecture = field(default_factory=Architecture)
    # Every layer of the model but the input, and every LSTM direction (only for more than one LSTM
    # layer, a Bidirectional wrapper or a head: one plain layer is described by the fields above).
    layers: list[LayerRow] = field(default_factory=list)
    parts: list[LSTMPart] = field(default_factory=list)
    traced: tuple[int, str] = (1, "forward")
    # Where the layer came from when not from flags: a model file and its layer, or pasted code.
    origin: str | None = None

    @property
    def traced_part(self) -> LSTMPart | None:
        """The LSTM direction `trace` stepped through, in a model of more than one."""
        return next((p for p in self.parts if (p.layer, p.direction) == self.traced), None)

    @property
    def traced_units(self) -> int:
        part = self.traced_part
        return self.config.units if part is None else part.config.units

    @property
    def traced_weights(self) -> list[NamedArray]:
        """kernel, recurrent_kernel and bias of the traced LSTM, by their short names."""
        part = self.traced_part
        return self.weights if part is None else part.weights

    @property
    def pass_name(self) -> str:
        """The pass that ran, as every picture names it, so that nobody takes it for the other one."""
        if not self.training:
            return say("run.pass_inference")
        return say("run.pass_training_masked") if self.dropout_masks else say("run.pass_training")


def param_count(units: int, input_dim: int, use_bias: bool) -> ParamCount:
    """4 gates, each with an input kernel column block, a recurrent block and (maybe) a bias."""
    if use_bias:
        value = 4 * (units * (input_dim + units) + units)
        return ParamCount(
            "4 × (units × (input_dim + units) + units)",
            f"4 × ({units} × ({input_dim} + {units}) + {units}) = {value}",
            value,
        )
    value = 4 * units * (input_dim + units)
    return ParamCount(
        "4 × units × (input_dim + units)",
        f"4 × {units} × ({input_dim} + {units}) = {value}",
        value,
    )


def gate_columns(units: int) -> list[tuple[str, str, int, int]]:
    """Which columns of kernel, recurrent_kernel and bias belong to which gate: (gate, meaning, start, stop)."""
    return [(gate.key, gate.meaning, k * units, (k + 1) * units) for k, gate in enumerate(GATES)]


def clean_keras_message(error: BaseException) -> str:
    """Keras wraps call-time errors in a banner with ANSI codes; keep the sentence that matters."""
    text = _ANSI.sub("", str(error))
    text = re.sub(r"Exception encountered when calling [\w.]+\(\)\.\s*", "", text)
    text = text.split("Arguments received by")[0]
    return " ".join(text.split()) or type(error).__name__


def _import_keras() -> tuple[ModuleType, ModuleType]:
    import keras
    import tensorflow as tf

    return keras, tf


def seed(keras: ModuleType, random_seed: int) -> None:
    """`keras.utils.set_random_seed(random_seed)`, except that TensorFlow's global seed is not set
    again when it already holds `random_seed`.

    Setting TensorFlow's seed empties its cache of op kernels (`Context._set_global_seed` in
    tensorflow/python/eager/context.py), so the next layer's first call rebuilds every kernel it runs:
    about 40 % of each row of a `vary`, which seeds once per row. Keras 3 takes its randomness from
    Python's `random` (each initializer's and SeedGenerator's seed) and from stateless TensorFlow ops,
    never from TensorFlow's global seed, so leaving an equal seed in place changes no number
    (tests/test_seed.py builds and calls layers both ways and compares them bit for bit). Keras's own
    function still does the rest, whatever else its version resets.
    """
    import tensorflow as tf
    from tensorflow.python.eager import context

    if context.global_seed() != random_seed:
        keras.utils.set_random_seed(random_seed)
        return
    set_seed = tf.random.set_seed
    tf.random.set_seed = lambda _: None
    try:
        keras.utils.set_random_seed(random_seed)
    finally:
        tf.random.set_seed = set_seed


def _resolve_spec(keras: ModuleType, argument_name: str, spec: Spec | None, flag: str | None = None) -> Any:
    """Instantiate Keras's own class of that name, after checking the arguments against its signature.

    Keras accepts nonsense such as `max_norm(max_value='big')` at construction and fails (or
    silently misbehaves) much later, so numbers are required wherever Keras's default is a number.
    """
    if spec is None:
        return None
    argument = BY_NAME[argument_name]
    cls = getattr(getattr(keras, SPEC_MODULES[argument.kind]), spec.name)
    where = f"{flag or argument.flag} {spec}"
    try:
        bound = inspect.signature(cls).bind(*spec.args, **dict(spec.kwargs))
    except TypeError as error:
        raise UsageError(say("run.spec_refused", where=where, reason=error)) from None
    parameters = inspect.signature(cls).parameters
    for name, value in bound.arguments.items():
        default = parameters[name].default
        wants_number = isinstance(default, (int, float)) and not isinstance(default, bool)
        if wants_number and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise UsageError(say("run.spec_needs_number", where=where, name=name, value=repr(value)))
    try:
        return cls(*bound.args, **bound.kwargs)
    except (TypeError, ValueError) as error:
        raise UsageError(say("run.spec_refused", where=where, reason=clean_keras_message(error))) from error


def _check_cudnn_request(config: LSTMConfig, tf: ModuleType, mask: np.ndarray | None) -> None:
    if config["use_cudnn"] is not True:
        return
    failed = [c for c in cudnn_conditions(config, mask) if not c.met]
    if failed:
        lacking = ", ".join(f"{c.argument} {c.needs}" for c in failed)
        raise UsageError(say("run.cudnn_true_lacking", lacking=lacking))
    if not gpu_visible(tf):
        raise UsageError(say("run.cudnn_true_no_gpu"))


def implementation_one_crashes(config: LSTMConfig, training: bool) -> bool:
    """Keras 3 fails at call time (a BroadcastTo rank error) for exactly this combination.

    implementation=1 with input dropout, no recurrent dropout, use_cudnn='auto', in training mode;
    the test suite checks Keras still fails here, so the guard goes when Keras is fixed.
    """
    return (
        training
        and config["implementation"] == 1
        and config.rate("dropout") > 0
        and config["recurrent_dropout"] == 0
        and config["use_cudnn"] == "auto"
    )


def keras_layer_kwargs(config: LSTMConfig, keras: ModuleType) -> dict[str, Any]:
    """The configuration as keyword arguments for `keras.layers.LSTM`, specs turned into Keras objects."""
    kwargs = config.keras_kwargs()
    for name, value in kwargs.items():
        if isinstance(value, Spec):
            kwargs[name] = _resolve_spec(keras, name, value)
    return kwargs


def run(
    config: LSTMConfig,
    data: InputData,
    *,
    random_seed: int,
    training: bool = False,
    verbose: bool = False,
    demonstrations: frozenset[str] = frozenset(),
    trace_sample: int = 0,
    weights: list[np.ndarray] | None = None,
    origin: str | None = None,
) -> RunResult:
    """Build a one-layer model with the input's full shape (batch included) and call it once.

    The demonstrations (and the cuDNN and saturation checks, always) run after the main call, so
    they can't change what it returned; so does the step-by-step trace of `trace_sample`.
    """
    with muted(verbose):
        checkpoint.reached("import")
        keras, tf = _import_keras()
        x = data.values
        layer, model, kwargs = _build(keras, tf, config, data, random_seed, training, weights)
        state = initial_state(keras, data, config.units)
        masks = _record_dropout_masks(layer.cell) if training else {}
        loop = _record_loop(layer)
        tensors = _call(model, feed(model, x, data.mask, state), training, (masks, loop))
        loop.update({key: np.asarray(value) for key, value in loop.items()})
        checkpoint.reached("call")
        outputs = _name_outputs(config, tensors)
        named = [NamedArray(w.name, WEIGHT_BY_NAME[w.name].meaning, np.asarray(w.numpy())) for w in layer.weights]
        steps = trace_steps(keras, layer, x, masks, data.mask, state, keep_sample=trace_sample)
        return RunResult(
            config=config,
            input=data,
            outputs=outputs,
            weights=named,
            layer_name=layer.name,
            input_shape=tuple(model.inputs[0].shape),
            output_shapes=[tuple(t.shape) for t in model.outputs],
            param_count=int(layer.count_params()),
            param_formula=param_count(config.units, x.shape[-1], bool(config["use_bias"])),
            random_seed=random_seed,
            training=training,
            keras_version=keras.__version__,
            tensorflow_version=_tensorflow_version(tf),
            notes=config.notes() + _run_notes(config, training, data),
            effects=demonstrate(
                Context(keras, tf, config, kwargs, layer, model, x, tensors, training, steps, loop, data, state),
                demonstrations,
            ),
            reference=check_against_reference(config, x, layer, tensors, masks, data.mask, state),
            trace=steps.sample(trace_sample),
            trace_sample=trace_sample,
            dropout_masks=_name_masks(masks),
            mask_outcomes=None
            if data.mask is None
            else outcomes(data.mask, bool(layer.go_backwards), bool(layer.zero_output_for_mask)),
            initial_state=state,
            origin=origin,
        )


def _build(
    keras: ModuleType,
    tf: ModuleType,
    config: LSTMConfig,
    data: InputData,
    random_seed: int,
    training: bool,
    weights: list[np.ndarray] | None = None,
) -> tuple[Any, Any, dict[str, Any]]:
    """Seed, resolve the arguments, build the layer on the input's full shape; optionally load weights."""
    _check_cudnn_request(config, tf, data.mask)
    if implementation_one_crashes(config, training):
        raise UsageError(say("run.implementation_one_crash"))
    seed(keras, random_seed)
    kwargs = keras_layer_kwargs(config, keras)
    try:
        layer = keras.layers.LSTM(**kwargs, name="lstm")
        model = call_model(keras, layer, data)
    except (TypeError, ValueError) as error:
        raise UsageError(say("run.keras_rejected_config", message=clean_keras_message(error))) from error
    if weights is not None:
        layer.set_weights(weights)
    return layer, model, kwargs


def call_model(keras: ModuleType, layer: Any, data: InputData, *, explicit: bool = False) -> Any:
    """The model around `layer` as the input asks for it: the input alone; a `keras.layers.Masking`
    in front when a mask value was given, or a second input carrying the mask, passed to the layer's
    call as `mask=`, as a user with a mask in hand writes it; and two more inputs for the initial h
    and c, passed as `initial_state=[h, c]`. `explicit` asks for the mask input even after a Masking
    layer (the demonstrations feed the mask Masking computed)."""
    inputs, given, sequence, call = model_inputs(keras, data, explicit=explicit)
    if data.has_initial_state:
        shape = (data.values.shape[0], layer.units)
        states = [keras.Input(batch_shape=shape, name=f"initial_{which}") for which in ("h", "c")]
        given += states
        call["initial_state"] = states
    return keras.Model(given if len(given) > 1 else inputs, layer(sequence, **call))


def model_inputs(
    keras: ModuleType, data: InputData, *, explicit: bool = False
) -> tuple[Any, list[Any], Any, dict[str, Any]]:
    """The input with the input's full shape, every Input the model takes, the sequence the first
    LSTM reads (after a Masking layer when a mask value was given), and its call's `mask=` when the
    mask is an input of its own (see `call_model`)."""
    inputs = keras.Input(batch_shape=data.values.shape, name="input")
    given, call = [inputs], {}
    sequence = inputs
    if data.mask is not None and data.mask_value is not None and not explicit:
        sequence = keras.layers.Masking(mask_value=data.mask_value, name="masking")(inputs)
    elif data.mask is not None:
        mask = keras.Input(batch_shape=data.mask.shape, dtype="bool", name="mask")
        given.append(mask)
        call["mask"] = mask
    return inputs, given, sequence, call


def feed(model: Any, x: np.ndarray, mask: np.ndarray | None, state: InitialState | None = None) -> Any:
    """What `model` is called with: the input alone, or every input it takes by name."""
    if len(model.inputs) == 1:
        return x
    values = {"input": x, "mask": mask}
    if state is not None:
        values |= {"initial_h": state[0], "initial_c": state[1]}
    return {tensor.name: values[tensor.name] for tensor in model.inputs}


def initial_state(keras: ModuleType, data: InputData, units: int) -> InitialState | None:
    """The initial h and c as arrays, when --initial-h or --initial-c was given (the other is zeros).

    Drawn after the layer is built, so an initializer spec's values follow from --random-seed."""
    if not data.has_initial_state:
        return None
    from lstm_explorer import states

    batch = data.values.shape[0]

    def resolve(spec: Spec, flag: str) -> Any:
        return _resolve_spec(keras, "kernel_initializer", spec, flag)

    return (
        states.draw(data.initial_h, batch, units, resolve),
        states.draw(data.initial_c, batch, units, resolve),
    )


def compiled(timesteps: int) -> bool:
    """Whether a call over this many timesteps runs as one TensorFlow graph rather than eagerly.

    Eagerly Keras steps the time loop in Python, a few hundred microseconds a step; a graph runs the
    same loop in TensorFlow's while loop, after tracing it once (BENCHMARKS.md has the measurement
    behind the threshold). Both run the same kernels on the same tensors: tests/test_scale.py holds
    their results equal bit for bit with the default activations, and within COMPILED_RTOL always.
    """
    return timesteps >= COMPILE_FROM_TIMESTEPS


def _timesteps(inputs: Any) -> int:
    """The length of the sequence a model is fed: the input alone, or the inputs by name."""
    values = inputs.values() if isinstance(inputs, dict) else [inputs]
    return max((int(np.shape(value)[1]) for value in values if np.ndim(value) >= 2), default=0)


def call(model: Any, inputs: Any, training: bool, recorders: tuple[dict[str, Any], ...] = ()) -> list[np.ndarray]:
    """`model` called on `inputs`, its outputs as arrays; compiled when the sequence is long enough.

    `recorders` are the dicts `_record_loop` and `_record_dropout_masks` fill while the layer runs;
    inside a graph they would hold symbolic tensors, so the graph returns what they caught and they
    are refilled with its values.
    """
    if not compiled(_timesteps(inputs)):
        returned = model(inputs, training=training)
    else:
        import tensorflow as tf

        @tf.function(autograph=False)
        def graph(values: Any) -> Any:
            return model(values, training=training), [dict(recorder) for recorder in recorders]

        returned, caught = graph(inputs)
        for recorder, values in zip(recorders, caught):
            recorder.clear()
            recorder.update(values)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


def _call(model: Any, x: Any, training: bool, recorders: tuple[dict[str, Any], ...] = ()) -> list[np.ndarray]:
    try:
        return call(model, x, training, recorders)
    except Exception as error:  # Keras raises many types at call time; all are reported alike.
        raise RunFailure(say("run.call_failed", message=clean_keras_message(error))) from error


@dataclass(frozen=True)
class SweepRow:
    """One value of the varied argument and what the layer did with it."""

    value: str
    output_shapes: list[tuple[int, ...]] = field(default_factory=list)
    param_count: int | None = None
    outputs: list[np.ndarray] = field(default_factory=list)
    max_abs_diff_vs_first: float | None = None
    cudnn_eligible: bool | None = None
    loss: float | None = None
    shared_weights: bool = False
    error: str | None = None


def sweep_note(argument: str, training: bool) -> str | None:
    """Why a dropout sweep at inference gives identical rows, and what to do about it."""
    if training or argument not in ("dropout", "recurrent_dropout"):
        return None
    return say("notes.sweep_dropout_inference", argument=argument)


def sweep(
    configs: list[tuple[str, LSTMConfig]],
    data: InputData,
    *,
    random_seed: int,
    share_weights: bool,
    training: bool = False,
    verbose: bool = False,
    progress: Any = None,
    row_data: list[InputData] | None = None,
    architectures: list[Architecture] | None = None,
    weights: list[np.ndarray] | None = None,
) -> list[SweepRow]:
    """Build and call one layer per configuration, all from the same seed.

    With `share_weights`, every layer whose weight shapes match the first one's starts from the
    first layer's weights, so only the varied argument differs. A value Keras or the tool refuses
    becomes a row with its error rather than ending the sweep. `row_data` gives each row its own
    input (`vary padding`: the same lengths padded the other way), and `architectures` its own model
    (`vary merge_mode`, `layers`, `bidirectional`, `dense`), whose weights are shared likewise.
    `weights` (a layer's trained ones) are what every row starts from where the shapes allow.
    """
    rows: list[SweepRow] = []
    with muted(verbose):
        keras, tf = _import_keras()
        first_weights: list[np.ndarray] | None = weights
        first_outputs: list[np.ndarray] | None = None
        for row, (label, config) in enumerate(configs):
            row_input = data if row_data is None else row_data[row]
            x = row_input.values
            model_shape = None if architectures is None else architectures[row]
            try:
                if model_shape is None or model_shape.single:
                    layer, model, _ = _build(keras, tf, config, row_input, random_seed, training)
                else:
                    from lstm_explorer import network

                    model = layer = network.build(
                        keras, tf, config, model_shape, row_input, random_seed, training
                    ).model
                shapes = [w.shape for w in layer.get_weights()]
                shared = False
                if share_weights and first_weights is not None and shapes == [w.shape for w in first_weights]:
                    layer.set_weights(first_weights)
                    shared = True
                state = initial_state(keras, row_input, config.units)
                tensors = _call(model, feed(model, x, row_input.mask, state), training)
            except ExplorerError as error:
                rows.append(SweepRow(label, error=str(error)))
                continue
            finally:
                if progress is not None:
                    progress()
            if first_outputs is None:
                first_outputs = tensors
            if first_weights is None:
                first_weights, shared = layer.get_weights(), share_weights
            diff = None
            if first_outputs is not None and first_outputs[0].shape == tensors[0].shape:
                diff = float(np.max(np.abs(tensors[0].astype(np.float64) - first_outputs[0])))
            rows.append(
                SweepRow(
                    label,
                    [tuple(t.shape) for t in tensors],
                    int(layer.count_params()),
                    tensors,
                    diff,
                    all(c.met for c in cudnn_conditions(config, row_input.mask)),
                    float(sum(float(np.asarray(loss)) for loss in layer.losses)),
                    shared,
                )
            )
    return rows


def trace_steps(
    keras: ModuleType,
    layer: Any,
    x: np.ndarray,
    masks: dict[str, Any] | None = None,
    padding_mask: np.ndarray | None = None,
    state: InitialState | None = None,
    keep_sample: int | None = None,
) -> Steps:
    """Step the cell's own equations with Keras ops, in the order LSTMCell.call performs them.

    Same operations on the same tensors as the layer's call, with the dropout masks that call drew
    (`masks`, from `_record_dropout_masks`; none at inference), so h and c come out bit-identical to
    what the layer returned, and the gates, which the layer never exposes, are those of that pass.
    At a step the padding mask masks, h and c are carried over as the layer's loop carries them
    (keras/src/backend/tensorflow/rnn.py keeps the states where the mask is False); the gates shown
    there are what the cell computed and the loop threw away. A long sequence is stepped in one
    compiled loop (see `compiled`), the same step on the same tensors; when its gates for every
    sample would take more than LEAN_TRACE_BYTES, the loop keeps them and c for `keep_sample` only
    (h for every sample) and counts the near-saturated i, f and o of all samples as it goes.
    """
    ops, cell = keras.ops, layer.cell
    units = cell.units
    input_masks, recurrent_masks = (_per_gate((masks or {}).get(key)) for key in ("input", "recurrent"))

    def step(inputs: Any, keep: Any, h: Any, c: Any) -> list[Any]:
        """One timestep: z (the four gates' pre-activations side by side), i, f, c̃, o, and the c and h
        passed on (kept from before where `keep` is False)."""
        if cell.implementation == 1:
            gate_inputs = [inputs * m for m in input_masks] if input_masks else [inputs] * 4
            gate_h = [h * m for m in recurrent_masks] if recurrent_masks else [h] * 4
            parts = [ops.matmul(v, k) for v, k in zip(gate_inputs, ops.split(cell.kernel, 4, axis=1))]
            if cell.use_bias:
                parts = [p + b for p, b in zip(parts, ops.split(cell.bias, 4, axis=0))]
            parts = [
                p + ops.matmul(gate_h[k], cell.recurrent_kernel[:, k * units : (k + 1) * units])
                for k, p in enumerate(parts)
            ]
        else:
            if input_masks:
                inputs = inputs * input_masks[0]
            z = ops.add(ops.matmul(inputs, cell.kernel), ops.matmul(h, cell.recurrent_kernel))
            if cell.use_bias:
                z = ops.add(z, cell.bias)
            parts = ops.split(z, 4, axis=1)
        i, f = cell.recurrent_activation(parts[0]), cell.recurrent_activation(parts[1])
        g = cell.activation(parts[2])
        new_c = f * c + i * g
        o = cell.recurrent_activation(parts[3])
        new_h = o * cell.activation(new_c)
        if keep is not None:
            new_h, new_c = ops.where(keep, new_h, h), ops.where(keep, new_c, c)
        return [ops.concatenate(parts, axis=1), i, f, g, o, new_c, new_h]

    h = ops.zeros((x.shape[0], units)) if state is None else ops.convert_to_tensor(state[0])
    c = ops.zeros((x.shape[0], units)) if state is None else ops.convert_to_tensor(state[1])
    order = list(range(x.shape[1] - 1, -1, -1) if layer.go_backwards else range(x.shape[1]))
    batch, timesteps = x.shape[:2]
    lean = keep_sample is not None and batch > 1 and batch * timesteps * 8 * units * 4 > LEAN_TRACE_BYTES
    # x timestep first, in processing order, without a copy: a view read forwards or backwards.
    xs = np.swapaxes(x, 0, 1)[::-1] if layer.go_backwards else np.swapaxes(x, 0, 1)
    if compiled(timesteps) and lean:
        assert keep_sample is not None
        z, i, f, g, o, c_all, h_all, near = _stepped_in_graph(step, x, padding_mask, order, h, c, keep_sample)
        return Steps(np.asarray(order), xs, z, i, f, g, o, c_all, h_all, rows=(keep_sample,), near=near)
    if compiled(timesteps):
        stacked = _stepped_in_graph(step, x, padding_mask, order, h, c)
    else:
        rows = []
        for t in order:
            keep = None if padding_mask is None else ops.convert_to_tensor(padding_mask[:, t : t + 1])
            record = step(ops.convert_to_tensor(x[:, t]), keep, h, c)
            c, h = record[5], record[6]
            rows.append([np.asarray(value) for value in record])
        stacked = [np.stack(column) for column in zip(*rows)]
    z, i, f, g, o, c_all, h_all = stacked
    return Steps(np.asarray(order), xs, z, i, f, g, o, c_all, h_all)


def _stepped_in_graph(
    step: Any,
    x: np.ndarray,
    padding_mask: np.ndarray | None,
    order: list[int],
    h: Any,
    c: Any,
    keep_sample: int | None = None,
) -> list[np.ndarray]:
    """`step` over the timesteps in `order`, inside one TensorFlow while loop: each of its seven
    results stacked over time (timestep first, in processing order). With `keep_sample`, z, the
    four gates and c are kept for that sample alone, and an eighth result counts, per step, the i, f
    and o values of every sample within SATURATION_MARGIN of 0 or 1."""
    import tensorflow as tf

    from lstm_explorer.effects import SATURATION_MARGIN

    xs = np.ascontiguousarray(np.swapaxes(x[:, order], 0, 1))
    keeps = None if padding_mask is None else np.swapaxes(padding_mask[:, order], 0, 1)[..., None]

    def near(gate: Any) -> Any:
        close = (tf.abs(gate) <= SATURATION_MARGIN) | (tf.abs(gate - 1.0) <= SATURATION_MARGIN)
        return tf.reduce_sum(tf.cast(close, tf.int64))

    @tf.function(reduce_retracing=True)  # a shorter last chunk reuses the graph instead of tracing anew
    def loop(xs: Any, keeps: Any, h: Any, c: Any) -> tuple[list[Any], Any, Any]:
        length = tf.shape(xs)[0]
        arrays = [tf.TensorArray(xs.dtype, size=length) for _ in range(7)]
        counts = tf.TensorArray(tf.int64, size=length)
        for k in tf.range(length):
            record = step(xs[k], None if keeps is None else keeps[k], h, c)
            c, h = record[5], record[6]
            if keep_sample is not None:
                counts = counts.write(k, tf.stack([near(record[1]), near(record[2]), near(record[4])]))
                # gather copies the row; a slice could share, and so keep alive, the whole batch's buffer
                record = [tf.gather(value, [keep_sample]) for value in record[:6]] + record[6:]
            arrays = [array.write(k, value) for array, value in zip(arrays, record)]
        stacked = [array.stack() for array in arrays]
        return (stacked if keep_sample is None else [*stacked, counts.stack()]), h, c

    # A chunk of timesteps per call of the same graph: a TensorArray holds each step's tensors apart
    # until it stacks them, and then the stack is copied out, so a call holds its steps three times
    # over; a whole long sequence's worth, or a wide batch's, would triple the trace's memory.
    kept = 1 if keep_sample is not None else x.shape[0]
    step_bytes = 4 * (x.shape[0] + 9 * kept) * h.shape[-1]
    most = max(1, min(TRACE_CHUNK, TRACE_CHUNK_BYTES // step_bytes))
    chunk = -(-len(order) // -(-len(order) // most))  # chunks of one length where the steps allow
    results: list[np.ndarray] = []
    for start in range(0, len(order), chunk):
        part = slice(start, start + chunk)
        stacked, h, c = loop(xs[part], None if keeps is None else keeps[part], h, c)
        if not results:
            results = [np.empty((len(order), *values.shape[1:]), values.dtype.as_numpy_dtype) for values in stacked]
        for result, values in zip(results, stacked):
            result[part] = values
    return results


def _record_loop(layer: Any) -> dict[str, np.ndarray]:
    """Keep everything the layer's time loop produced during the main call.

    Keras runs one loop that yields the last output, the whole sequence and the final h and c, and
    only then picks what return_sequences and return_state ask for; the demonstrations of those two
    arguments show the other picks from this same call instead of building and calling a second layer.
    """
    recorded: dict[str, np.ndarray] = {}
    original = layer.inner_loop

    def recording(*args: Any, **kwargs: Any) -> Any:
        last_output, outputs, states = original(*args, **kwargs)
        if not recorded:  # the main call only: demonstrations may call the same model again
            recorded.update(last_output=last_output, sequence=outputs, h=states[0], c=states[1])
        return last_output, outputs, states

    layer.inner_loop = recording
    return recorded


def _record_dropout_masks(cell: Any) -> dict[str, Any]:
    """Keep the dropout masks Keras draws during the main call, so the reference can use them too."""
    recorded: dict[str, Any] = {}
    for key, method in (("input", "get_dropout_mask"), ("recurrent", "get_recurrent_dropout_mask")):
        original = getattr(cell, method)

        def recording(step_input: Any, _original: Any = original, _key: str = key) -> Any:
            mask = _original(step_input)
            if mask is not None:
                recorded.setdefault(_key, mask)
            return mask

        setattr(cell, method, recording)
    return recorded


def _per_gate(mask: Any) -> list[Any] | None:
    """Keras hands out four masks (one per gate) with implementation 1, one shared mask otherwise."""
    if mask is None:
        return None
    if isinstance(mask, (list, tuple)):
        return list(mask)
    return [mask] * 4


def _name_masks(masks: dict[str, Any]) -> list[NamedArray]:
    """The masks the training call drew, one per gate where Keras drew one per gate (implementation 1)."""
    named = []
    for key, multiplies in (("input", "x_t"), ("recurrent", "h_{t-1}")):
        drawn = masks.get(key)
        if drawn is None:
            continue
        if isinstance(drawn, (list, tuple)):
            named += [
                NamedArray(
                    f"{key}_mask_{gate.key}",
                    say("run.mask_for_gate", multiplies=multiplies, gate=gate.symbol),
                    np.asarray(m),
                )
                for gate, m in zip(GATES, drawn)
            ]
        else:
            described = say("run.mask_for_every_gate", multiplies=multiplies)
            named.append(NamedArray(f"{key}_mask", described, np.asarray(drawn)))
    return named


def _numpy(masks: list[Any] | None) -> list[np.ndarray] | None:
    return None if masks is None else [np.asarray(m) for m in masks]


def check_against_reference(
    config: LSTMConfig,
    x: np.ndarray,
    layer: Any,
    tensors: list[np.ndarray],
    masks: dict[str, Any],
    padding_mask: np.ndarray | None = None,
    state: InitialState | None = None,
) -> ReferenceCheck:
    """Recompute the call in NumPy from the layer's weights and compare every returned tensor.

    A few samples at a time (REFERENCE_CHUNK): samples never mix in an LSTM, and a wide batch's
    float64 outputs would otherwise all be held at once."""
    weights = {w.name: np.asarray(w.numpy()) for w in layer.weights}
    input_masks, recurrent_masks = (_numpy(_per_gate(masks.get(key))) for key in ("input", "recurrent"))
    worst, ok = 0.0, True
    for start in range(0, x.shape[0], REFERENCE_CHUNK):
        rows = slice(start, start + REFERENCE_CHUNK)
        forward = lstm_forward(
            x[rows],
            weights["kernel"],
            weights["recurrent_kernel"],
            weights.get("bias"),
            activation_name=config.name("activation"),
            recurrent_activation_name=config.name("recurrent_activation"),
            go_backwards=bool(config["go_backwards"]),
            input_masks=None if input_masks is None else [m[rows] for m in input_masks],
            recurrent_masks=None if recurrent_masks is None else [m[rows] for m in recurrent_masks],
            mask=None if padding_mask is None else padding_mask[rows],
            zero_output_for_mask=bool(layer.zero_output_for_mask),
            initial_h=None if state is None else state[0][rows],
            initial_c=None if state is None else state[1][rows],
            keep_steps=False,
        )
        expected = [forward.sequence if config["return_sequences"] else forward.last]
        if config["return_state"]:
            expected += [forward.h, forward.c]
        chunk_worst, chunk_ok = compare([tensor[rows] for tensor in tensors], expected)
        worst, ok = max(worst, chunk_worst), ok and chunk_ok
    note = ""
    if not ok and "sparsemax" in (config["activation"], config["recurrent_activation"]):
        note = say("notes.sparsemax_reference")
    return ReferenceCheck(worst, ok, note)


def _name_outputs(config: LSTMConfig, arrays: list[np.ndarray]) -> list[NamedArray]:
    if config["return_sequences"]:
        first = NamedArray("sequence", say("run.output_sequence"), arrays[0])
    else:
        first = NamedArray("last_output", say("run.output_last"), arrays[0])
    named = [first]
    if config["return_state"]:
        named.append(NamedArray("final_h", say("run.output_final_h"), arrays[1]))
        named.append(NamedArray("final_c", say("run.output_final_c"), arrays[2]))
    return named


def _run_notes(config: LSTMConfig, training: bool, data: InputData) -> list[str]:
    notes = []
    if data.mask is not None:
        empty = fully_masked(data.mask)
        if empty:
            notes.append(say("notes.fully_masked", samples=", ".join(str(b) for b in empty)))
    if not training and (config["dropout"] or config["recurrent_dropout"]):
        notes.append(say("notes.dropout_inference"))
    if config["go_backwards"] and config["return_sequences"]:
        notes.append(say("notes.go_backwards_reversed"))
    return notes


def _tensorflow_version(tf: ModuleType) -> str:
    try:
        return importlib.metadata.version("tensorflow")
    except importlib.metadata.PackageNotFoundError:
        return str(tf.__version__)
