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

from lstm_explorer.catalogue import ARGUMENTS, BY_NAME, GATE_SYMBOLS, GATES, WEIGHT_BY_NAME
from lstm_explorer.config import LSTMConfig
from lstm_explorer.inputs import InputData
from lstm_explorer.language import say
from lstm_explorer.masks import REPEATED, fully_masked, outcomes, right_padded
from lstm_explorer.reference import Steps

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
    steps: Steps
    loop: dict[str, np.ndarray]
    data: InputData
    state: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def mask(self) -> np.ndarray | None:
        """The padding mask the layer received (True = a real step), if any."""
        return self.data.mask

    def variant(self, **overrides: Any) -> tuple[Any, Any]:
        """A new layer with some arguments changed and the same weights (shapes must not change).

        With a padding mask its model takes the mask as a second input (the one the main layer
        received, whether given or computed by a Masking layer), so a demonstration can feed the
        mask that goes with a changed input, as the go_backwards one does."""
        from lstm_explorer.engine import call_model

        layer = self.keras.layers.LSTM(**{**self.layer_kwargs, **overrides, "name": "lstm_variant"})
        model = call_model(self.keras, layer, self.data, explicit=True)
        layer.set_weights(self.layer.get_weights())
        return layer, model

    def feed(
        self,
        model: Any,
        x: np.ndarray | None = None,
        mask: np.ndarray | None = None,
        state: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> Any:
        """What `model` is called with: `x` (the run's input by default), and the padding mask and the
        initial states (the run's by default) when the model takes them."""
        from lstm_explorer.engine import feed

        mask = self.mask if mask is None else mask
        return feed(model, self.x if x is None else x, mask, self.state if state is None else state)

    def call(
        self,
        model: Any,
        x: np.ndarray | None = None,
        training: bool = False,
        mask: np.ndarray | None = None,
        state: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """`model` called as `feed` says, its outputs as arrays (compiled for a long sequence, as the
        main call is: see `engine.compiled`)."""
        from lstm_explorer.engine import call

        return call(model, self.feed(model, x, mask, state), training)

    def weights(self) -> dict[str, np.ndarray]:
        return {w.name: np.asarray(w.numpy()) for w in self.layer.weights}


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def dropout(ctx: Context, name: str) -> Effect:
    rate = ctx.config.rate(name)
    inference = ctx.call(ctx.model, training=False)[0]
    training = ctx.outputs[0] if ctx.training else ctx.call(ctx.model, training=True)[0]
    changed = int(np.sum(np.abs(inference - training) > 1e-6))
    seed = ctx.config["seed"]
    lines = [
        say(
            "effects.dropout_training_changed",
            name=name,
            rate=rate,
            changed=changed,
            total=inference.size,
            delta=_max_diff(inference, training),
        ),
        say("effects.dropout_masks_seeded", seed=seed) if seed is not None else say("effects.dropout_masks_global"),
    ]
    if rate == 1.0:
        # Only input dropout has a cuDNN path that zeroes the input at rate 1.
        lines.append(say("effects.dropout_rate_one_input" if name == "dropout" else "effects.dropout_rate_one"))
    lines.append(say("effects.dropout_rate_clamped"))
    other = "recurrent_dropout" if name == "dropout" else "dropout"
    if rate == 0 and changed and ctx.config.rate(other) > 0:
        lines.append(say("effects.dropout_changed_by_other", name=name, other=other, rate=ctx.config.rate(other)))
    if rate > 0 and changed == 0 and rate < 1.0:
        lines.append(say("effects.dropout_nothing_changed"))
    shown = [(say("effects.dropout_inference_label"), inference), (say("effects.dropout_training_label"), training)]
    if inference.ndim == 3:
        shown = [(say("effects.dropout_sample_label", label=label), values[0]) for label, values in shown]
    return Effect(
        name,
        say("effects.dropout_title", name=name),
        lines,
        shown,
        {"rate": rate, "inference": inference.tolist(), "training": training.tolist(), "changed_entries": changed},
    )


def stateful(ctx: Context, name: str) -> Effect:
    scale = float(np.max(np.abs(ctx.x))) or 1.0
    x = (ctx.x / scale).astype(np.float32)
    layer, model = ctx.variant(stateful=True, return_state=False, return_sequences=False)
    first = ctx.call(model, x)[0]
    carried_h, carried_c = (np.asarray(s.numpy()) for s in layer.states)
    second = ctx.call(model, x)[0]
    layer.reset_state()
    after_reset = ctx.call(model, x)[0]
    second_call = "effects.stateful_second_call" if ctx.state is None else "effects.stateful_second_call_given_state"
    lines = [
        say("effects.stateful_input_scaled", scale=scale),
        say(second_call, delta=_max_diff(first, second)),
        say("effects.stateful_after_reset", delta=_max_diff(first, after_reset)),
        say("effects.stateful_fixed_batch"),
    ]
    return Effect(
        name,
        say("effects.stateful_title"),
        lines,
        [
            (say("effects.stateful_first_call_label"), first),
            (say("effects.stateful_second_call_label"), second),
            (say("effects.stateful_after_reset_label"), after_reset),
            (say("effects.stateful_carried_h_label"), carried_h),
            (say("effects.stateful_carried_c_label"), carried_c),
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


def mask(ctx: Context, name: str = "mask") -> Effect:
    """Each sample's final h against the same layer run on that sample's real steps alone: what
    masking means is that the padded steps never touched the state."""
    assert ctx.mask is not None
    _, model = ctx.variant(return_sequences=False, return_state=True, stateful=False)
    final_h = ctx.call(model)[1]
    unmasked_h = ctx.call(model, mask=np.ones_like(ctx.mask))[1]
    lines: list[str] = []
    per_sample: list[float | None] = []
    for b in range(ctx.x.shape[0]):
        real = np.flatnonzero(ctx.mask[b])
        if real.size == 0:
            lines.append(say("effects.mask_empty_sample", sample=b))
            per_sample.append(None)
            continue
        layer = ctx.keras.layers.LSTM(**{**ctx.layer_kwargs, "return_state": True, "stateful": False})
        alone_x = ctx.x[b : b + 1, real]
        state = None if ctx.state is None else [ctx.state[0][b : b + 1], ctx.state[1][b : b + 1]]
        layer(alone_x, initial_state=state)
        layer.set_weights(ctx.layer.get_weights())
        alone_h = np.asarray(layer(alone_x, initial_state=state)[1])[0]
        delta = _max_diff(final_h[b], alone_h)
        per_sample.append(delta)
        padded = ctx.mask.shape[1] - real.size
        sentence = say("effects.mask_sample", sample=b, steps=real.size, delta=delta)
        if padded:
            change = _max_diff(final_h[b], unmasked_h[b])
            sentence += " " + say("effects.mask_padding_would_change", padded=padded, delta=change)
        lines.append(sentence)
    return Effect(
        name,
        say("effects.mask_title"),
        lines,
        [(say("effects.mask_final_h_label"), final_h)],
        {"final_h": final_h.tolist(), "max_abs_diff_vs_real_steps_alone": per_sample},
    )


MEMORY_THRESHOLD = 1e-3


def initial_state(ctx: Context, name: str = "initial_state") -> Effect:
    """The same input from zero states and from the given ones: how long the layer remembers where it started."""
    assert ctx.state is not None
    _, model = ctx.variant(return_sequences=True, return_state=False, stateful=False)
    from_given = ctx.call(model)[0]
    from_zeros = ctx.call(model, state=(np.zeros_like(ctx.state[0]), np.zeros_like(ctx.state[1])))[0]
    per_step = np.max(np.abs(from_given.astype(np.float64) - from_zeros), axis=(0, 2))
    below = np.flatnonzero(per_step < MEMORY_THRESHOLD)
    lasting = [t for t in range(len(per_step)) if np.all(per_step[t:] < MEMORY_THRESHOLD)]
    first_gone = lasting[0] if lasting else None
    lines = [say("effects.initial_state_compared", first=per_step[0], last=per_step[-1])]
    if first_gone is None:
        lines.append(say("effects.initial_state_remembered", steps=len(per_step), threshold=MEMORY_THRESHOLD))
    else:
        lines.append(say("effects.initial_state_forgotten", steps=first_gone + 1, threshold=MEMORY_THRESHOLD))
    if ctx.mask is not None and not ctx.mask.all():
        lines.append(say("effects.initial_state_masked_zeros"))
    return Effect(
        name,
        say("effects.initial_state_title"),
        lines,
        [(say("effects.initial_state_difference_label"), per_step[None, :])],
        {
            "max_abs_diff_per_step": per_step.tolist(),
            "threshold": MEMORY_THRESHOLD,
            "steps_until_below": None if first_gone is None else first_gone + 1,
            "steps_below": below.tolist(),
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
        say("effects.return_state_last_output", equal=equal, delta=diff),
        say("effects.return_state_cell_state"),
    ]
    return Effect(
        name,
        say("effects.return_state_title"),
        lines,
        [("h", h), ("c", c)],
        {"h": h.tolist(), "c": c.tolist(), "h_equals_last_output": equal, "max_abs_diff": diff},
    )


def return_sequences(ctx: Context, name: str) -> Effect:
    """Both forms come from the main call: Keras's loop yields the last output, the trace every h_t."""
    sequence = np.swapaxes(ctx.steps.h, 0, 1)
    last = ctx.loop["last_output"]
    diff = _max_diff(sequence[:, -1], last)
    equal = bool(np.array_equal(sequence[:, -1], last))
    lines = [
        say(
            "effects.return_sequences_shapes",
            sequence_shape=sequence.shape,
            output_shape=last.shape,
            equal=equal,
            delta=diff,
        ),
    ]
    arrays = [
        (say("effects.return_sequences_last_row_label"), sequence[:, -1]),
        (say("effects.return_sequences_plain_output_label"), last),
    ]
    if not ctx.config["return_sequences"]:
        arrays.insert(0, (say("effects.return_sequences_sample_label"), sequence[0]))
    return Effect(
        name,
        say("effects.return_sequences_title"),
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
    backward_seq = ctx.call(backwards)[0]
    forward_on_reversed = ctx.call(
        forwards, ctx.x[:, ::-1].copy(), mask=None if ctx.mask is None else ctx.mask[:, ::-1].copy()
    )[0]
    forward_seq = ctx.call(forwards)[0]
    diff = _max_diff(backward_seq, forward_on_reversed)
    lines = [
        say("effects.go_backwards_reversed_input", delta=diff),
        say("effects.go_backwards_processing_order", delta=_max_diff(backward_seq[:, -1], forward_seq[:, -1])),
    ]
    if ctx.mask is not None:
        lines.append(say("effects.go_backwards_mask"))
    return Effect(
        name,
        say("effects.go_backwards_title"),
        lines,
        [
            (say("effects.go_backwards_sequence_label"), backward_seq[0]),
            (say("effects.go_backwards_forward_label"), forward_on_reversed[0]),
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
    arguments = ", ".join(f"{k}={v!r}" for k, v in config.items())
    return say("effects.regularizer_formula_other", kind=kind, arguments=arguments, symbol=symbol), float(
        np.asarray(regularizer(values))
    )


def regularizer(ctx: Context, name: str) -> Effect:
    reg = ctx.layer_kwargs[name]
    keras_total = float(sum(float(np.asarray(loss)) for loss in ctx.layer.losses))
    if reg is None:
        return Effect(
            name,
            say("effects.not_set_title", name=name),
            [say("effects.regularizer_none", name=name, count=len(ctx.layer.losses), total=keras_total)],
            data={"losses": {}, "keras_total": keras_total},
        )
    if name == "activity_regularizer":
        batch = ctx.x.shape[0]
        terms = []
        total = 0.0
        for label, tensor in zip(("output", "h", "c"), ctx.outputs):
            formula, value = _regularizer_formula(reg, tensor, label)
            terms.append(
                say("effects.regularizer_activity_term", label=label, formula=formula, batch=batch, value=value / batch)
            )
            total += value / batch
        lines = terms + [say("effects.regularizer_activity_per_batch", batch=batch, count=len(ctx.outputs))]
        value = total
    elif _weight_of(name) not in ctx.weights():
        return Effect(
            name,
            say("effects.regularizer_no_bias_title", name=name),
            [say("effects.regularizer_no_bias", weight=_weight_of(name), name=name)],
            data={"losses": {}, "keras_total": keras_total},
        )
    else:
        weight = ctx.weights()[_weight_of(name)]
        symbol = WEIGHT_BY_NAME[_weight_of(name)].symbol
        formula, value = _regularizer_formula(reg, weight, symbol)
        lines = [say("effects.regularizer_weight_term", formula=formula, value=value)]
    if value == 0.0:
        lines.append(say("effects.regularizer_zero"))
    lines.append(say("effects.regularizer_layer_total", total=keras_total))
    return Effect(
        name,
        say("effects.regularizer_title", name=name),
        lines,
        data={"losses": {name: value}, "keras_total": keras_total},
    )


def _constraint_statistic(constraint: Any, weight: np.ndarray) -> tuple[str, float, bool]:
    kind = type(constraint).__name__
    config = constraint.get_config()
    if kind == "NonNeg":
        low = float(weight.min())
        return say("effects.constraint_min_value"), low, low >= 0
    axis = config.get("axis", 0)
    norms = np.sqrt(np.sum(np.square(weight.astype(np.float64)), axis=axis))
    if kind == "MaxNorm":
        top = float(norms.max())
        holds = top <= config["max_value"] + 1e-5
        return say("effects.constraint_max_norm", axis=axis, max_value=config["max_value"]), top, holds
    if kind == "UnitNorm":
        worst = float(np.max(np.abs(norms - 1.0)))
        return say("effects.constraint_unit_norm", axis=axis), worst, worst <= 1e-4
    if kind == "MinMaxNorm":
        low, high = float(norms.min()), float(norms.max())
        holds = config["rate"] != 1.0 or (low >= config["min_value"] - 1e-5 and high <= config["max_value"] + 1e-5)
        label = say(
            "effects.constraint_min_max_norm",
            axis=axis,
            min_value=config["min_value"],
            max_value=config["max_value"],
            rate=config["rate"],
        )
        return label, high, holds
    return say("effects.constraint_other", kind=kind), float("nan"), True


def _verdict(holds: bool) -> str:
    return say("effects.constraint_holds" if holds else "effects.constraint_violated")


def constraints(ctx: Context, names: list[str]) -> list[Effect]:
    """One real SGD step on a copy of the model; each constraint's promise checked before and after."""
    present = ctx.weights()
    active = [n for n in names if ctx.layer_kwargs[n] is not None and _weight_of(n) in present]
    effects = [
        Effect(
            n,
            say("effects.not_set_title", name=n),
            [say("effects.constraint_none", name=n, weight=_weight_of(n))],
            data={},
        )
        if ctx.layer_kwargs[n] is None
        else Effect(
            n,
            say("effects.constraint_no_bias_title", name=n),
            [say("effects.constraint_no_bias", weight=_weight_of(n), name=n)],
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
        returned = model(ctx.feed(model), training=False)
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
            say("effects.constraint_one_step", learning_rate=LEARNING_RATE, weight=weight),
            say(
                "effects.constraint_before_after",
                statistic=label,
                before=value_before,
                before_verdict=_verdict(holds_before),
                after=value_after,
                after_verdict=_verdict(holds_after),
            ),
            say("effects.constraint_projected", moved=int(moved.sum()), total=moved.size, weight=weight)
            if moved.any()
            else say("effects.constraint_never_bound", weight=weight),
        ]
        effects.append(
            Effect(
                name,
                say("effects.constraint_title", name=name, weight=weight),
                lines,
                [
                    (say("effects.constraint_before_label", weight=weight), before[weight]),
                    (say("effects.constraint_after_label", weight=weight), after[weight]),
                ],
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
        return Effect(
            name,
            say("effects.initializer_unused_title", name=name),
            [say("effects.initializer_no_bias", weight=weight_name)],
            data={},
        )
    values = weights[weight_name]
    stats = _gate_stats(values, units)
    lines = [say("effects.initializer_gate_block", gate=GATE_SYMBOLS[gate], **s) for gate, s in stats.items()]
    data: dict[str, Any] = {"weight": weight_name, "per_gate": stats}
    spec = ctx.config[name]
    if name == "recurrent_initializer" and getattr(spec, "name", None) in ORTHOGONAL_NAMES:
        deviation = float(np.linalg.norm(values.astype(np.float64) @ values.T.astype(np.float64) - np.eye(units)))
        lines.append(say("effects.initializer_orthogonality", units=units, columns=4 * units, deviation=deviation))
        data["orthogonality"] = deviation
    return Effect(name, say("effects.initializer_title", name=name, spec=spec, weight=weight_name), lines, data=data)


def unit_forget_bias(ctx: Context, name: str) -> Effect:
    units = ctx.config.units
    bias = ctx.weights().get("bias")
    if bias is None:
        return Effect(
            name,
            say("effects.unit_forget_bias_no_bias_title", name=name),
            [say("effects.unit_forget_bias_no_bias")],
            data={},
        )
    forget = bias[units : 2 * units]
    all_one = bool(np.all(forget == 1.0))
    lines = [
        say(
            "effects.unit_forget_bias_forget_block",
            forget=np.array2string(forget, precision=4),
            all_one=all_one,
            value=ctx.config[name],
        ),
        say(
            "effects.unit_forget_bias_other_blocks",
            i=np.array2string(bias[:units], precision=4),
            candidate=GATE_SYMBOLS["c"],
            candidate_block=np.array2string(bias[2 * units : 3 * units], precision=4),
            o=np.array2string(bias[3 * units :], precision=4),
        ),
    ]
    return Effect(
        name,
        say("effects.unit_forget_bias_title"),
        lines,
        data={"forget_block": forget.tolist(), "forget_bias_is_one": all_one},
    )


def unroll(ctx: Context, name: str) -> Effect:
    timings = {}
    outputs = {}
    for label, flag in (("loop", False), ("unrolled", True)):
        _, model = ctx.variant(unroll=flag)
        ctx.call(model)
        start = time.perf_counter()
        outputs[label] = ctx.call(model)[0]
        timings[label] = time.perf_counter() - start
    diff = _max_diff(outputs["loop"], outputs["unrolled"])
    lines = [
        say("effects.unroll_agreement", delta=diff),
        say(
            "effects.unroll_timing",
            unrolled_ms=timings["unrolled"] * 1e3,
            loop_ms=timings["loop"] * 1e3,
            timesteps=ctx.x.shape[1],
        ),
    ]
    return Effect(name, say("effects.unroll_title"), lines, data={"max_abs_diff": diff, "seconds": timings})


@dataclass(frozen=True)
class CudnnCondition:
    """One requirement of the cuDNN kernel: the argument, its value here, and what cuDNN needs."""

    argument: str
    value: object
    needs: str
    met: bool

    def __str__(self) -> str:
        shown = "none" if self.value is None else self.value
        if self.met:
            return f"{self.argument} {shown}"
        return say("effects.cudnn_condition_unmet", argument=self.argument, value=shown, needs=self.needs)


def cudnn_conditions(config: LSTMConfig, mask: np.ndarray | None = None) -> list[CudnnCondition]:
    """What Keras 3 checks before it takes the cuDNN kernel, besides a visible GPU.

    `cudnn_ok` in keras/src/backend/tensorflow/rnn.py checks the activations, unroll and use_bias;
    `LSTM.inner_loop` (keras/src/layers/rnn/lstm.py) also needs use_cudnn auto or true and no
    recurrent dropout. tests/test_effects.py holds this list against those two functions. With a
    padding mask, `_assert_valid_mask` (same rnn.py) also wants it right-padded with no empty sample;
    otherwise the eager call falls back to the generic loop (use_cudnn auto) or fails (true).
    """

    def condition(argument: str, needs: str, met: bool) -> CudnnCondition:
        return CudnnCondition(argument, config[argument], needs, met)

    conditions = [
        condition("activation", "tanh", config["activation"] == "tanh"),
        condition("recurrent_activation", "sigmoid", config["recurrent_activation"] == "sigmoid"),
        condition("recurrent_dropout", "0", config["recurrent_dropout"] == 0.0),
        condition("unroll", "False", config["unroll"] is False),
        condition("use_bias", "True", config["use_bias"] is True),
        condition("use_cudnn", say("effects.cudnn_needs_auto_or_true"), config["use_cudnn"] in ("auto", True)),
    ]
    if mask is not None:
        empty, right = bool(fully_masked(mask)), right_padded(mask)
        shape = "cudnn_mask_empty_sample" if empty else "cudnn_mask_right_padded" if right else "cudnn_mask_not_right"
        conditions.append(
            CudnnCondition("mask", say(f"effects.{shape}"), say("effects.cudnn_mask_needs"), right and not empty)
        )
    return conditions


def gpu_visible(tf: Any) -> bool:
    """Keras's own test (`_is_gpu_available`): a logical GPU device."""
    return bool(tf.config.list_logical_devices("GPU"))


def cudnn(ctx: Context, name: str = "cudnn") -> Effect:
    conditions = cudnn_conditions(ctx.config, ctx.mask)
    failed = [str(c) for c in conditions if not c.met]
    eligible = not failed
    visible = gpu_visible(ctx.tf)
    lines = ["  ".join(f"{'✓' if c.met else '✗'} {c}" for c in conditions)]
    if eligible and visible:
        verdict = say("effects.cudnn_ran")
    elif eligible:
        verdict = say("effects.cudnn_no_gpu")
    elif ctx.config["use_cudnn"] is False:
        verdict = say("effects.cudnn_turned_off")
    else:
        verdict = say("effects.cudnn_not_eligible")
    lines.append(verdict)
    if eligible and ctx.mask is not None and ctx.config["return_sequences"] and not ctx.layer.zero_output_for_mask:
        if REPEATED in outcomes(ctx.mask, bool(ctx.config["go_backwards"]), False):
            lines.append(say("effects.cudnn_mask_gpu_zeros"))
    if ctx.config["implementation"] is not None:
        lines.append(say("effects.cudnn_implementation", implementation=ctx.config["implementation"]))
    return Effect(
        name,
        say("effects.cudnn_title"),
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
    counts, sizes = {}, {}
    for k, gate in enumerate(("i", "f", "o")):  # one gate at a time: a wide batch's gates are large
        if ctx.steps.near is not None:  # a lean trace counted them as it went (engine.trace_steps)
            counts[gate] = int(ctx.steps.near[:, k].sum())
            sizes[gate] = ctx.steps.h.size
            continue
        values = getattr(ctx.steps, gate)
        near = (np.abs(values) <= SATURATION_MARGIN) | (np.abs(values - 1.0) <= SATURATION_MARGIN)
        counts[gate], sizes[gate] = int(near.sum()), near.size
    share = sum(counts.values()) / sum(sizes.values())
    per_gate = {gate: counts[gate] / sizes[gate] for gate in counts}
    scale = float(np.max(np.abs(ctx.x)))
    saturated = share >= SATURATION_WARNING_SHARE
    lines = [say("effects.saturation_share", share=share, margin=SATURATION_MARGIN, scale=scale, **per_gate)]
    suggestion = None
    if saturated and scale > 1.0:
        suggestion = say("effects.saturation_suggestion", scale=scale)
        lines.append(suggestion)
    return Effect(
        name,
        say("effects.saturation_title"),
        lines,
        data={
            "share": share,
            "per_gate": per_gate,
            "margin": SATURATION_MARGIN,
            "saturated": saturated,
            "suggestion": suggestion,
        },
    )


# Each catalogue entry names its demonstration; constraints are demonstrated together (`constraints`).
DEMONSTRATIONS: dict[str, Callable[[Context, str], Effect]] = {
    "dropout": dropout,
    "stateful": stateful,
    "return_state": return_state,
    "return_sequences": return_sequences,
    "go_backwards": go_backwards,
    "unit_forget_bias": unit_forget_bias,
    "unroll": unroll,
    "regularizer": regularizer,
    "initializer": initializer,
}
DEMONSTRABLE = frozenset(a.name for a in ARGUMENTS if a.demonstration is not None)


def demonstrate(ctx: Context, names: frozenset[str]) -> list[Effect]:
    """The demonstrations for `names` in catalogue order, then cuDNN and saturation, always."""
    effects: list[Effect] = []
    for argument in ARGUMENTS:
        if argument.name in names and argument.demonstration in DEMONSTRATIONS:
            effects.append(DEMONSTRATIONS[argument.demonstration](ctx, argument.name))
    wanted_constraints = [a.name for a in ARGUMENTS if a.name in names and a.demonstration == "constraint"]
    if wanted_constraints:
        effects.extend(constraints(ctx, wanted_constraints))
    if ctx.mask is not None:
        effects.append(mask(ctx))
    if ctx.state is not None:
        effects.append(initial_state(ctx))
    effects.append(cudnn(ctx))
    effects.append(saturation(ctx))
    return effects
