"""What the model around the LSTM does, shown with the run's own layers and numbers.

Bidirectional: its output rebuilt from two plain LSTMs holding its two halves' weights, the backward
one a go_backwards LSTM whose output is flipped back in time. A Dense head: the same weights in a
TimeDistributed(Dense) give the same numbers with the same parameter count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from lstm_explorer.effects import Context, Effect
from lstm_explorer.engine import LSTMPart, call_model, keras_layer_kwargs
from lstm_explorer.language import say

if TYPE_CHECKING:
    from lstm_explorer.network import Built


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def demonstrate(
    ctx: Context, built: Built, parts: list[LSTMPart], produced: list[np.ndarray], tensors: list[np.ndarray]
) -> list[Effect]:
    effects = []
    if hasattr(built.stack[0], "forward_layer"):
        effects.append(bidirectional(ctx, built, parts, produced, tensors))
    if built.head is not None:
        effects.append(dense(ctx, built, produced, tensors))
    return effects


def _plain(ctx: Context, part: LSTMPart, **overrides: Any) -> np.ndarray:
    """A plain LSTM with one direction's configuration and weights, called on the run's input."""
    kwargs = {**keras_layer_kwargs(part.config, ctx.keras), **overrides}
    layer = ctx.keras.layers.LSTM(**kwargs, name=f"plain_{part.direction}")
    model = call_model(ctx.keras, layer, ctx.data, explicit=True)
    layer.set_weights([w.values for w in part.weights])
    return ctx.call(model, training=False)[0]


def bidirectional(
    ctx: Context, built: Built, parts: list[LSTMPart], produced: list[np.ndarray], tensors: list[np.ndarray]
) -> Effect:
    """The first Bidirectional layer rebuilt from a forward LSTM and a go_backwards one."""
    wrapper, config = built.stack[0], built.configs[0]
    forward_part, backward_part = (p for p in parts if p.layer == 1)
    sequences = bool(config["return_sequences"])
    forward = _plain(ctx, forward_part, return_state=False)
    backward = _plain(ctx, backward_part, return_state=False, go_backwards=True)
    flipped = backward[:, ::-1] if sequences else backward
    mode = wrapper.merge_mode
    if mode is None:
        given = tensors[:2] if len(built.stack) == 1 and built.head is None else [produced[0]]
        rebuilt = [forward, flipped][: len(given)]
    else:
        given = [produced[0]]
        rebuilt = [
            {
                "concat": lambda: np.concatenate([forward, flipped], axis=-1),
                "sum": lambda: forward + flipped,
                "mul": lambda: forward * flipped,
                "ave": lambda: (forward + flipped) / 2,
            }[mode]()
        ]
    diff = max(_max_diff(a, b) for a, b in zip(given, rebuilt))
    per_direction = int(wrapper.forward_layer.count_params())
    lines = [
        say(
            "model.bidirectional_rebuilt",
            path=wrapper.name,
            merge_mode="none" if mode is None else mode,
            diff=diff,
        ),
        say("model.bidirectional_flipped" if sequences else "model.bidirectional_last", units=config.units),
        say(
            "model.bidirectional_params",
            per_direction=per_direction,
            total=int(wrapper.count_params()),
        ),
    ]
    backward_label = "go_backwards LSTM" + (f", {say('model.array_flipped')}" if sequences else "")
    arrays = [("LSTM", forward[0]), (backward_label, flipped[0])]
    return Effect(
        "bidirectional",
        say("model.bidirectional_title"),
        lines,
        arrays,
        data={
            "merge_mode": "none" if mode is None else mode,
            "max_abs_diff": diff,
            "param_count_per_direction": per_direction,
            "param_count": int(wrapper.count_params()),
        },
    )


def dense(ctx: Context, built: Built, produced: list[np.ndarray], tensors: list[np.ndarray]) -> Effect:
    """The head as TimeDistributed(Dense) with the same weights: same numbers, same parameter count."""
    head, below = built.head, produced[-1]
    kernel, *bias = (np.asarray(w.numpy()) for w in head.weights)
    lines = []
    data: dict[str, Any] = {"units": int(head.units), "param_count": int(head.count_params())}
    if below.ndim == 3:
        twin = ctx.keras.layers.Dense(head.units, activation=head.activation, name="dense_twin")
        wrapped = ctx.keras.layers.TimeDistributed(twin, name="time_distributed")
        inputs = ctx.keras.Input(batch_shape=below.shape)
        model = ctx.keras.Model(inputs, wrapped(inputs))
        twin.set_weights([kernel, *bias])
        distributed = np.asarray(model(below))
        diff = _max_diff(distributed, tensors[0])
        lines.append(
            say(
                "model.dense_time_distributed",
                diff=diff,
                params=int(head.count_params()),
                twin_params=int(wrapped.count_params()),
                timesteps=below.shape[1],
            )
        )
        data |= {
            "many_to_many": True,
            "time_distributed_max_abs_diff": diff,
            "time_distributed_param_count": int(wrapped.count_params()),
        }
        arrays = [("Dense", tensors[0][0]), ("TimeDistributed(Dense)", distributed[0])]
    else:
        lines.append(say("model.dense_many_to_one", shape=tuple(below.shape), out=tuple(tensors[0].shape)))
        data["many_to_many"] = False
        arrays = []
    formula = f"{head.units} × ({kernel.shape[0]} + 1)" if bias else f"{head.units} × {kernel.shape[0]}"
    lines.append(say("model.dense_params", formula=formula, params=int(head.count_params())))
    return Effect("dense", say("model.dense_title"), lines, arrays, data=data)
