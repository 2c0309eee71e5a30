"""Live demonstrations of what each LSTM argument does, computed from the layer the user just built.

Each demonstration runs after the main call, on the same layer or on a copy with the same weights,
so it never changes what the main output shows. Every sentence carries numbers computed here;
nothing is canned. TensorFlow arrives through the engine's context; this module imports none itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, GATE_SYMBOLS, GATES, WEIGHT_BY_NAME, Kind
from lstm_explorer.config import LSTMConfig

SATURATION_MARGIN = 1e-3
LEARNING_RATE = 0.1
# float32 rounding between Keras's update and the same step redone in NumPy stays far below this.
PROJECTION_TOLERANCE = 1e-6
SATURATION_WARNING_SHARE = 0.10
ORTHOGONAL_NAMES = {"orthogonal", "Orthogonal", "OrthogonalInitializer"}


def _weight_of(argument: str) -> str:
    weight = BY_NAME[argument].weight
    assert weight is not None, argument
    return weight


@dataclass(frozen=True)
class Effect:
    """One demonstration: sentences with computed numbers, arrays to show, and its JSON data."""

    name: str
    title: str
    lines: list[str]
    arrays: list[tuple[str, np.ndarray]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What the demonstrations need from the engine: Keras, the built layer and model, the input."""

    keras: Any
    tf: Any
    config: LSTMConfig
    layer_kwargs: dict[str, Any]
    layer: Any
    model: Any
    x: np.ndarray
    outputs: list[np.ndarray]
    training: bool
    steps: list[Any]
    loop: dict[str, np.ndarray]

    def variant(self, **overrides: Any) -> tuple[Any, Any]:
        """A new layer with some arguments changed and the same weights (shapes must not change)."""
        keras = self.keras
        layer = keras.layers.LSTM(**{**self.layer_kwargs, **overrides, "name": "lstm_variant"})
        inputs = keras.Input(batch_shape=self.x.shape)
        model = keras.Model(inputs, layer(inputs))
        layer.set_weights(self.layer.get_weights())
        return layer, model

    def weights(self) -> dict[str, np.ndarray]:
        return {w.name: np.asarray(w.numpy()) for w in self.layer.weights}


def _call(model: Any, x: np.ndarray, training: bool = False) -> list[np.ndarray]:
    returned = model(x, training=training)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def dropout(ctx: Context, name: str) -> Effect:
    rate = ctx.config.rate(name)
    inference = _call(ctx.model, ctx.x, training=False)[0]
    training = ctx.outputs[0] if ctx.training else _call(ctx.model, ctx.x, training=True)[0]
    changed = int(np.sum(np.abs(inference - training) > 1e-6))
    seed = ctx.config["seed"]
    lines = [
        f"{name} = {rate:g}: in training mode {changed} of {inference.size} output entries changed "
        f"(max |Δ| = {_max_diff(inference, training):.3g}); at inference none can, because Keras applies "
        "dropout masks only when the layer is called with training=True (fit does, predict and plain calls don't).",
        f"Masks seeded by --seed {seed}."
        if seed is not None
        else "Masks drawn from the global random state fixed by --random-seed.",
    ]
    if rate == 1.0:
        cudnn_case = "; where cuDNN runs, on a GPU, the input is zeroed instead" if name == "dropout" else ""
        lines.append(
            f"At a rate of exactly 1.0 Keras's generic loop drops nothing (it applies dropout only below 1){cudnn_case}."
        )
    lines.append("Keras would silently clamp a rate outside [0, 1]; this tool refuses one instead.")
    if rate > 0 and changed == 0 and rate < 1.0:
        lines.append("No entry changed: with few features and a small batch the mask has few bits; try --batch 8.")
    shown = [("inference", inference), ("training", training)]
    if inference.ndim == 3:
        shown = [(f"{label}, sample 0 (rows are timesteps)", values[0]) for label, values in shown]
    return Effect(
        name,
        f"{name}: inference vs training mode",
        lines,
        shown,
        {"rate": rate, "inference": inference.tolist(), "training": training.tolist(), "changed_entries": changed},
    )


def stateful(ctx: Context, name: str) -> Effect:
    scale = float(np.max(np.abs(ctx.x))) or 1.0
    x = (ctx.x / scale).astype(np.float32)
    layer, model = ctx.variant(stateful=True, return_state=False, return_sequences=False)
    first = _call(model, x)[0]
    carried_h, carried_c = (np.asarray(s.numpy()) for s in layer.states)
    second = _call(model, x)[0]
    layer.reset_state()
    after_reset = _call(model, x)[0]
    lines = [
        f"The input was scaled by 1/{scale:g} (to [-1, 1]) so the carried state shows in the outputs; "
        "a saturating input hides it in the 6th decimal.",
        f"Second call on the same batch differs from the first by max |Δ| = {_max_diff(first, second):.3g}: "
        "it started from the carried h and c instead of zeros.",
        f"After layer.reset_state() the output equals the first call again (max |Δ| = {_max_diff(first, after_reset):.3g}).",
        "Keras needs a fixed batch size for this (keras.Input(batch_shape=…)); reset the state between "
        "independent sequences or epochs.",
    ]
    return Effect(
        name,
        "stateful: the same batch fed twice",
        lines,
        [
            ("first call", first),
            ("second call", second),
            ("after reset_state()", after_reset),
            ("carried h", carried_h),
            ("carried c", carried_c),
        ],
        {
            "input_scale": 1.0 / scale,
            "first_call": first.tolist(),
            "second_call": second.tolist(),
            "after_reset": after_reset.tolist(),
            "carried_h": carried_h.tolist(),
            "carried_c": carried_c.tolist(),
        },
    )


def return_state(ctx: Context, name: str) -> Effect:
    if ctx.config["return_state"]:
        output, h, c = ctx.outputs
        last = output[:, -1] if output.ndim == 3 else output
    else:
        last, h, c = ctx.loop["last_output"], ctx.loop["h"], ctx.loop["c"]
    diff = _max_diff(last, h)
    equal = bool(np.array_equal(last, h))
    lines = [
        f"return_state gives the tuple (output, h, c); h equals the last output: {equal} (max |Δ| = {diff:.3g}).",
        "c, the cell state, is returned nowhere else.",
    ]
    return Effect(
        name,
        "return_state: (output, h, c)",
        lines,
        [("h", h), ("c", c)],
        {"h": h.tolist(), "c": c.tolist(), "h_equals_last_output": equal, "max_abs_diff": diff},
    )


def return_sequences(ctx: Context, name: str) -> Effect:
    """Both forms come from the main call: Keras's loop yields the last output, the trace every h_t."""
    sequence = np.stack([step.h for step in ctx.steps], axis=1)
    last = ctx.loop["last_output"]
    diff = _max_diff(sequence[:, -1], last)
    equal = bool(np.array_equal(sequence[:, -1], last))
    lines = [
        f"return_sequences=True returns every h_t, shape {sequence.shape}; False returns only the last one, shape "
        f"{last.shape}. The sequence's last row equals the plain output: {equal} (max |Δ| = {diff:.3g}).",
    ]
    arrays = [("last row of the sequence", sequence[:, -1]), ("plain output", last)]
    if not ctx.config["return_sequences"]:
        arrays.insert(0, ("the sequence, sample 0 (rows are timesteps in processing order)", sequence[0]))
    return Effect(
        name,
        "return_sequences: every h_t vs the last one",
        lines,
        arrays,
        {
            "sequence_shape": list(sequence.shape),
            "output_shape": list(last.shape),
            "last_row_equals_output": equal,
            "max_abs_diff": diff,
        },
    )


def go_backwards(ctx: Context, name: str) -> Effect:
    _, backwards = ctx.variant(go_backwards=True, return_sequences=True, return_state=False)
    _, forwards = ctx.variant(go_backwards=False, return_sequences=True, return_state=False)
    backward_seq = _call(backwards, ctx.x)[0]
    forward_on_reversed = _call(forwards, ctx.x[:, ::-1].copy())[0]
    forward_seq = _call(forwards, ctx.x)[0]
    diff = _max_diff(backward_seq, forward_on_reversed)
    lines = [
        f"go_backwards on x equals a forward pass on x reversed in time: max |Δ| = {diff:.3g}.",
        "The sequence comes back in processing order, i.e. reversed: row 0 is h after reading the last "
        f"timestep. Its last row (h after the whole sequence) differs from the forward pass's by {_max_diff(backward_seq[:, -1], forward_seq[:, -1]):.3g}.",
    ]
    return Effect(
        name,
        "go_backwards: reading the sequence from the end",
        lines,
        [
            ("go_backwards sequence, sample 0", backward_seq[0]),
            ("forward on reversed input, sample 0", forward_on_reversed[0]),
        ],
        {"output": backward_seq.tolist(), "forward_on_reversed": forward_on_reversed.tolist(), "max_abs_diff": diff},
    )


def _regularizer_formula(regularizer: Any, values: np.ndarray, symbol: str) -> tuple[str, float]:
    config = regularizer.get_config()
    abs_sum = float(np.sum(np.abs(values), dtype=np.float64))
    sq_sum = float(np.sum(np.square(values, dtype=np.float64)))
    kind = type(regularizer).__name__
    if kind == "L1":
        return f"l1 × Σ|{symbol}| = {config['l1']:g} × {abs_sum:.6g}", config["l1"] * abs_sum
    if kind == "L2":
        return f"l2 × Σ{symbol}² = {config['l2']:g} × {sq_sum:.6g}", config["l2"] * sq_sum
    if kind == "L1L2":
        value = config["l1"] * abs_sum + config["l2"] * sq_sum
        return (
            f"l1 × Σ|{symbol}| + l2 × Σ{symbol}² = {config['l1']:g} × {abs_sum:.6g} + {config['l2']:g} × {sq_sum:.6g}",
            value,
        )
    return f"{kind}({', '.join(f'{k}={v!r}' for k, v in config.items())}) applied to {symbol}", float(
        np.asarray(regularizer(values))
    )


def regularizer(ctx: Context, name: str) -> Effect:
    reg = ctx.layer_kwargs[name]
    keras_total = float(sum(float(np.asarray(loss)) for loss in ctx.layer.losses))
    if reg is None:
        return Effect(
            name,
            f"{name}: none",
            [f"No {name} set; the layer adds {len(ctx.layer.losses)} loss terms in all (total {keras_total:.6g})."],
            data={"losses": {}, "keras_total": keras_total},
        )
    if name == "activity_regularizer":
        batch = ctx.x.shape[0]
        terms = []
        total = 0.0
        for label, tensor in zip(("output", "h", "c"), ctx.outputs):
            formula, value = _regularizer_formula(reg, tensor, label)
            terms.append(f"{label}: ({formula}) / batch {batch} = {value / batch:.6g}")
            total += value / batch
        lines = terms + [
            f"Keras divides the activity penalty by the batch size ({batch}) and adds one term per returned tensor "
            f"({len(ctx.outputs)} here). It only enters the training loss."
        ]
        value = total
    elif _weight_of(name) not in ctx.weights():
        return Effect(
            name,
            f"{name}: nothing to penalise",
            [f"use_bias is off: there is no {_weight_of(name)}, so {name} adds no loss."],
            data={"losses": {}, "keras_total": keras_total},
        )
    else:
        weight = ctx.weights()[_weight_of(name)]
        symbol = WEIGHT_BY_NAME[_weight_of(name)].symbol
        formula, value = _regularizer_formula(reg, weight, symbol)
        lines = [f"{formula} = {value:.6g}, added to the training loss (the forward pass is unchanged)."]
    if value == 0.0:
        lines.append("This penalty is 0: it adds nothing to the loss (a factor of 0, or weights that are all zero).")
    lines.append(f"All loss terms the layer holds (layer.losses) add up to {keras_total:.6g}.")
    return Effect(
        name, f"{name}: the loss term it adds", lines, data={"losses": {name: value}, "keras_total": keras_total}
    )


def _constraint_statistic(constraint: Any, weight: np.ndarray) -> tuple[str, float, bool]:
    kind = type(constraint).__name__
    config = constraint.get_config()
    if kind == "NonNeg":
        low = float(weight.min())
        return "min value ≥ 0", low, low >= 0
    axis = config.get("axis", 0)
    norms = np.sqrt(np.sum(np.square(weight.astype(np.float64)), axis=axis))
    if kind == "MaxNorm":
        top = float(norms.max())
        return f"max norm along axis {axis} ≤ {config['max_value']:g}", top, top <= config["max_value"] + 1e-5
    if kind == "UnitNorm":
        worst = float(np.max(np.abs(norms - 1.0)))
        return f"max |norm − 1| along axis {axis} ≈ 0", worst, worst <= 1e-4
    if kind == "MinMaxNorm":
        low, high = float(norms.min()), float(norms.max())
        holds = config["rate"] != 1.0 or (low >= config["min_value"] - 1e-5 and high <= config["max_value"] + 1e-5)
        return (
            f"norms along axis {axis} within [{config['min_value']:g}, {config['max_value']:g}] (rate {config['rate']:g})",
            high,
            holds,
        )
    return f"{kind} applied", float("nan"), True


def constraints(ctx: Context, names: list[str]) -> list[Effect]:
    """One real SGD step on a copy of the model; each constraint's promise checked before and after."""
    present = ctx.weights()
    active = [n for n in names if ctx.layer_kwargs[n] is not None and _weight_of(n) in present]
    effects = [
        Effect(n, f"{n}: none", [f"No {n} set: the optimizer leaves {_weight_of(n)} unprojected."], data={})
        if ctx.layer_kwargs[n] is None
        else Effect(
            n,
            f"{n}: nothing to constrain",
            [f"use_bias is off: there is no {_weight_of(n)} for {n} to act on."],
            data={},
        )
        for n in names
        if n not in active
    ]
    if not active:
        return effects
    keras, tf = ctx.keras, ctx.tf
    layer, model = ctx.variant()
    before = {w.name: np.asarray(w.numpy()) for w in layer.weights}
    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE)
    target = [np.zeros_like(o) for o in ctx.outputs]
    with tf.GradientTape() as tape:
        returned = model(ctx.x, training=False)
        returned = list(returned) if isinstance(returned, (list, tuple)) else [returned]
        loss = sum(tf.reduce_mean(tf.square(r - t)) for r, t in zip(returned, target))
    gradients = tape.gradient(loss, layer.trainable_weights)
    # Plain SGD: what each weight would be after the step had no constraint projected it.
    unprojected = {
        w.name: before[w.name] - LEARNING_RATE * np.asarray(g) for w, g in zip(layer.trainable_weights, gradients)
    }
    optimizer.apply_gradients(zip(gradients, layer.trainable_weights))
    after = {w.name: np.asarray(w.numpy()) for w in layer.weights}
    for name in active:
        weight = _weight_of(name)
        constraint = ctx.layer_kwargs[name]
        label, value_before, holds_before = _constraint_statistic(constraint, before[weight])
        _, value_after, holds_after = _constraint_statistic(constraint, after[weight])
        moved = np.abs(after[weight].astype(np.float64) - unprojected[weight]) > PROJECTION_TOLERANCE
        lines = [
            f"One SGD step (learning rate {LEARNING_RATE:g}, target zeros, mean squared error) on a copy of the layer; "
            f"Keras projects {weight} only after the update, not at build.",
            f"{label}: before the step {value_before:.6g} ({'holds' if holds_before else 'violated'}), "
            f"after {value_after:.6g} ({'holds' if holds_after else 'violated'}).",
            f"The projection moved {int(moved.sum())} of {moved.size} entries of {weight}."
            if moved.any()
            else f"It never bound: the stepped {weight} already satisfied it, so here it changed nothing.",
        ]
        effects.append(
            Effect(
                name,
                f"{name}: {weight} before and after one training step",
                lines,
                [(f"{weight} before", before[weight]), (f"{weight} after", after[weight])],
                {
                    "weight": weight,
                    "statistic": label,
                    "bound": bool(moved.any()),
                    "projected_entries": int(moved.sum()),
                    "before": {"value": value_before, "holds": holds_before, "values": before[weight].tolist()},
                    "after": {"value": value_after, "holds": holds_after, "values": after[weight].tolist()},
                },
            )
        )
    return effects


def _gate_stats(values: np.ndarray, units: int) -> dict[str, dict[str, float]]:
    blocks = values.reshape(-1, 4 * units)
    return {
        gate: {
            "mean": float(block.mean()),
            "std": float(block.std()),
            "min": float(block.min()),
            "max": float(block.max()),
        }
        for gate, block in zip((g.key for g in GATES), np.split(blocks, 4, axis=1))
    }


def initializer(ctx: Context, name: str) -> Effect:
    units = ctx.config.units
    weight_name = _weight_of(name)
    weights = ctx.weights()
    if weight_name not in weights:
        return Effect(name, f"{name}: unused", [f"use_bias is off: there is no {weight_name} to initialize."], data={})
    values = weights[weight_name]
    stats = _gate_stats(values, units)
    lines = [
        f"{GATE_SYMBOLS[gate]}: mean {s['mean']:+.4f}, std {s['std']:.4f}, min {s['min']:+.4f}, max {s['max']:+.4f}"
        for gate, s in stats.items()
    ]
    data: dict[str, Any] = {"weight": weight_name, "per_gate": stats}
    spec = ctx.config[name]
    if name == "recurrent_initializer" and getattr(spec, "name", None) in ORTHOGONAL_NAMES:
        deviation = float(np.linalg.norm(values.astype(np.float64) @ values.T.astype(np.float64) - np.eye(units)))
        lines.append(f"Orthogonality of R ({units} × {4 * units}): ‖R·Rᵀ − I‖ = {deviation:.3g}.")
        data["orthogonality"] = deviation
    return Effect(name, f"{name}: {spec} → {weight_name}, per gate block", lines, data=data)


def unit_forget_bias(ctx: Context, name: str) -> Effect:
    units = ctx.config.units
    bias = ctx.weights().get("bias")
    if bias is None:
        return Effect(name, f"{name}: no bias", ["use_bias is off, so there is no forget bias to set."], data={})
    forget = bias[units : 2 * units]
    all_one = bool(np.all(forget == 1.0))
    lines = [
        f"Forget block b_f = {np.array2string(forget, precision=4)}; all ones: {all_one} "
        f"(unit_forget_bias is {ctx.config[name]}).",
        f"Other blocks: i {np.array2string(bias[:units], precision=4)}, {GATE_SYMBOLS['c']} {np.array2string(bias[2 * units : 3 * units], precision=4)}, "
        f"o {np.array2string(bias[3 * units :], precision=4)}.",
    ]
    return Effect(
        name,
        "unit_forget_bias: the forget gate's starting bias",
        lines,
        data={"forget_block": forget.tolist(), "forget_bias_is_one": all_one},
    )


def unroll(ctx: Context, name: str) -> Effect:
    timings = {}
    outputs = {}
    for label, flag in (("loop", False), ("unrolled", True)):
        _, model = ctx.variant(unroll=flag)
        _call(model, ctx.x)
        start = time.perf_counter()
        outputs[label] = _call(model, ctx.x)[0]
        timings[label] = time.perf_counter() - start
    diff = _max_diff(outputs["loop"], outputs["unrolled"])
    lines = [
        f"Unrolled and symbolic loop agree to max |Δ| = {diff:.3g}.",
        f"One call took {timings['unrolled'] * 1e3:.2f} ms unrolled and {timings['loop'] * 1e3:.2f} ms as a loop "
        f"({ctx.x.shape[1]} timesteps; unrolling pays off only for short sequences, and costs memory).",
    ]
    return Effect(
        name, "unroll: the same numbers, another graph", lines, data={"max_abs_diff": diff, "seconds": timings}
    )


@dataclass(frozen=True)
class CudnnCondition:
    """One requirement of the cuDNN kernel: the argument, its value here, and what cuDNN needs."""

    argument: str
    value: object
    needs: str
    met: bool

    def __str__(self) -> str:
        shown = "none" if self.value is None else self.value
        return f"{self.argument} {shown}" if self.met else f"{self.argument} {shown} (cuDNN needs {self.needs})"


def cudnn_conditions(config: LSTMConfig) -> list[CudnnCondition]:
    """What Keras 3 checks before it takes the cuDNN kernel, besides a visible GPU.

    `cudnn_ok` in keras/src/backend/tensorflow/rnn.py checks the activations, unroll and use_bias;
    `LSTM.inner_loop` (keras/src/layers/rnn/lstm.py) also needs use_cudnn auto or true and no
    recurrent dropout. tests/test_effects.py holds this list against those two functions.
    """

    def condition(argument: str, needs: str, met: bool) -> CudnnCondition:
        return CudnnCondition(argument, config[argument], needs, met)

    return [
        condition("activation", "tanh", config["activation"] == "tanh"),
        condition("recurrent_activation", "sigmoid", config["recurrent_activation"] == "sigmoid"),
        condition("recurrent_dropout", "0", config["recurrent_dropout"] == 0.0),
        condition("unroll", "False", config["unroll"] is False),
        condition("use_bias", "True", config["use_bias"] is True),
        condition("use_cudnn", "auto or true", config["use_cudnn"] in ("auto", True)),
    ]


def gpu_visible(tf: Any) -> bool:
    """Keras's own test (`_is_gpu_available`): a logical GPU device."""
    return bool(tf.config.list_logical_devices("GPU"))


def cudnn(ctx: Context, name: str = "cudnn") -> Effect:
    conditions = cudnn_conditions(ctx.config)
    failed = [str(c) for c in conditions if not c.met]
    eligible = not failed
    visible = gpu_visible(ctx.tf)
    lines = ["  ".join(f"{'✓' if c.met else '✗'} {c}" for c in conditions)]
    if eligible and visible:
        verdict = "A GPU is visible and every condition holds: the call ran the cuDNN kernel."
    elif eligible:
        verdict = "TensorFlow sees no GPU, so the generic kernel ran; on a GPU this layer would run cuDNN."
    elif ctx.config["use_cudnn"] is False:
        verdict = "use_cudnn is False: the generic kernel runs, GPU or not."
    else:
        verdict = "Not eligible: the generic kernel runs even on a GPU, and --use-cudnn true is refused."
    lines.append(verdict)
    if ctx.config["implementation"] is not None:
        lines.append(f"--implementation {ctx.config['implementation']} plays no part in this choice in Keras 3.")
    return Effect(
        name,
        "cuDNN eligibility",
        lines,
        data={
            "eligible": eligible,
            "failed_conditions": failed,
            "gpu_visible": visible,
            "use_cudnn": ctx.config["use_cudnn"],
        },
    )


def saturation(ctx: Context, name: str = "saturation") -> Effect:
    """Share of i, f, o activations (every sample and step, from the layer's own trace) near 0 or 1."""
    gates = np.stack([np.stack([step.i, step.f, step.o], axis=1) for step in ctx.steps], axis=1)
    near = (np.abs(gates) <= SATURATION_MARGIN) | (np.abs(gates - 1.0) <= SATURATION_MARGIN)
    share = float(near.mean())
    per_gate = {g: float(near[:, :, k].mean()) for k, g in enumerate(("i", "f", "o"))}
    scale = float(np.max(np.abs(ctx.x)))
    saturated = share >= SATURATION_WARNING_SHARE
    lines = [
        f"{share:.0%} of the gate activations are within {SATURATION_MARGIN:g} of 0 or 1 "
        f"(i {per_gate['i']:.0%}, f {per_gate['f']:.0%}, o {per_gate['o']:.0%}); the input's largest magnitude is {scale:g}.",
    ]
    suggestion = None
    if saturated and scale > 1.0:
        suggestion = (
            f"Saturated gates pass almost no gradient and hide small effects: --scale divides the input by {scale:g}."
        )
        lines.append(suggestion)
    return Effect(
        name,
        "Gate saturation",
        lines,
        data={
            "share": share,
            "per_gate": per_gate,
            "margin": SATURATION_MARGIN,
            "saturated": saturated,
            "suggestion": suggestion,
        },
    )


DEMONSTRATIONS: dict[str, Callable[[Context, str], Effect]] = {
    "dropout": dropout,
    "recurrent_dropout": dropout,
    "stateful": stateful,
    "return_state": return_state,
    "return_sequences": return_sequences,
    "go_backwards": go_backwards,
    "unit_forget_bias": unit_forget_bias,
    "unroll": unroll,
    **{a.name: regularizer for a in ARGUMENTS if a.kind is Kind.REGULARIZER},
    **{a.name: initializer for a in ARGUMENTS if a.kind is Kind.INITIALIZER},
}
CONSTRAINT_ARGUMENTS = [a.name for a in ARGUMENTS if a.kind is Kind.CONSTRAINT]
DEMONSTRABLE = frozenset(DEMONSTRATIONS) | frozenset(CONSTRAINT_ARGUMENTS)


def demonstrate(ctx: Context, names: frozenset[str]) -> list[Effect]:
    """The demonstrations for `names` in catalogue order, then cuDNN and saturation, always."""
    effects: list[Effect] = []
    for argument in ARGUMENTS:
        if argument.name in names and argument.name in DEMONSTRATIONS:
            effects.append(DEMONSTRATIONS[argument.name](ctx, argument.name))
    wanted_constraints = [n for n in CONSTRAINT_ARGUMENTS if n in names]
    if wanted_constraints:
        effects.extend(constraints(ctx, wanted_constraints))
    effects.append(cudnn(ctx))
    effects.append(saturation(ctx))
    return effects
