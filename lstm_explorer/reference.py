"""An LSTM forward pass in plain NumPy, written from the equations, to check Keras against.

It takes the layer's own weights and nothing else from Keras: every activation is re-implemented
here from its definition (with Keras's default parameters), and everything runs in float64.

    z_t = x_t·K + h_{t-1}·R + b          split into four blocks in the order i, f, c̃, o
    i_t = σ(z_i)   f_t = σ(z_f)   c̃_t = act(z_c̃)   o_t = σ(z_o)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    h_t = o_t ⊙ act(c_t)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

Array = np.ndarray
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805
_erf = np.vectorize(math.erf, otypes=[np.float64])
# Values compared at a time (see `compare`).
COMPARE_BLOCK = 1 << 16


def _sigmoid(x: Array) -> Array:
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))))


def _softplus(x: Array) -> Array:
    return np.logaddexp(0.0, x)


def _softmax(x: Array) -> Array:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _log_softmax(x: Array) -> Array:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _sparsemax(x: Array) -> Array:
    """Martins & Astudillo (2016): project onto the simplex along the last axis."""
    ordered = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cumulative = np.cumsum(ordered, axis=-1)
    support = (1 + k * ordered) > cumulative
    k_max = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, k_max - 1, axis=-1) - 1) / k_max
    return np.maximum(x - tau, 0.0)


def _hard_sigmoid(x: Array) -> Array:
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
    "celu": lambda x: np.maximum(x, 0.0) + np.minimum(0.0, np.expm1(x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "exponential": np.exp,
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
    "hard_sigmoid": _hard_sigmoid,
    "hard_silu": lambda x: x * _hard_sigmoid(x),
    "hard_swish": lambda x: x * _hard_sigmoid(x),
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "linear": lambda x: x,
    "log_sigmoid": lambda x: -_softplus(-x),
    "log_softmax": _log_softmax,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "sigmoid": _sigmoid,
    "silu": lambda x: x * _sigmoid(x),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
    "softmax": _softmax,
    "softplus": _softplus,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, 0.25 * (x + 1) ** 2)),
    "sparse_sigmoid": lambda x: np.clip(0.5 * (x + 1), 0.0, 1.0),
    "sparsemax": _sparsemax,
    "squareplus": lambda x: 0.5 * (x + np.sqrt(x * x + 4.0)),
    "swish": lambda x: x * _sigmoid(x),
    "tanh": np.tanh,
    "tanh_shrink": lambda x: x - np.tanh(x),
}


def activation(name: str | None) -> Callable[[Array], Array]:
    """The NumPy function for a Keras activation name; None means linear, as in Keras."""
    return ACTIVATIONS["linear" if name is None else name]


@dataclass(frozen=True)
class Step:
    """Everything computed at one timestep: x, the pre-activations z (4·units, gates in the order
    i, f, c̃, o), the gates i, f, g (the candidate c̃), o, and the new c and h.

    The arrays hold the whole batch (batch, …); `sample` cuts out one sample's row of each. The
    NumPy reference and the engine's Keras-side trace both produce these.
    """

    t: int
    x: Array
    z: Array
    i: Array
    f: Array
    g: Array
    o: Array
    c: Array
    h: Array
    # A long, wide batch's trace keeps z, the gates and c for the samples in `rows` only (h for all),
    # and counts per step how many i, f and o values of every sample were near 0 or 1 (`near`).
    rows: tuple[int, ...] | None = None
    near: Array | None = None

    def sample(self, b: int) -> Step:
        row = b if self.rows is None else self.rows.index(b)
        return Step(
            self.t, self.x[b], self.z[row], self.i[row], self.f[row], self.g[row], self.o[row], self.c[row], self.h[b]
        )


@dataclass(frozen=True, eq=False)
class Steps(Sequence[Step]):
    """A pass's steps as arrays stacked over time, timestep first in processing order, each Step made
    when it is asked for.

    A long sequence's trace is then a few arrays rather than tens of thousands of objects holding
    views of them (at 10,000 steps the objects alone took more memory than the numbers); `sample`
    cuts one sample out of every array without copying.
    """

    t: Array
    x: Array
    z: Array
    i: Array
    f: Array
    g: Array
    o: Array
    c: Array
    h: Array
    rows: tuple[int, ...] | None = None
    near: Array | None = None

    def __len__(self) -> int:
        return len(self.t)

    @overload
    def __getitem__(self, k: int) -> Step: ...

    @overload
    def __getitem__(self, k: slice) -> Steps: ...

    def __getitem__(self, k: int | slice) -> Step | Steps:
        near = None if self.near is None else self.near[k]
        x, z, i, f, g, o, c, h = (a[k] for a in (self.x, self.z, self.i, self.f, self.g, self.o, self.c, self.h))
        if isinstance(k, slice):
            return Steps(self.t[k], x, z, i, f, g, o, c, h, rows=self.rows, near=near)
        return Step(int(self.t[k]), x, z, i, f, g, o, c, h, rows=self.rows, near=near)

    def sample(self, b: int) -> Steps:
        row = b if self.rows is None else self.rows.index(b)
        z, i, f, g, o, c = (a[:, row] for a in (self.z, self.i, self.f, self.g, self.o, self.c))
        return Steps(self.t, self.x[:, b], z, i, f, g, o, c, self.h[:, b])


def lstm_step(
    x_t: Array,
    h: Array,
    c: Array,
    kernel: Array,
    recurrent_kernel: Array,
    bias: Array,
    act: Callable[[Array], Array],
    gate: Callable[[Array], Array],
    input_masks: Sequence[Array] | None = None,
    recurrent_masks: Sequence[Array] | None = None,
) -> tuple[Array, Array, Array, Array, Array, Array, Array]:
    """One LSTM step from the equations: returns z, i, f, g (c̃), o, and the new c and h.

    Each gate's block of K and R multiplies x_t and h_{t-1}, after that gate's dropout mask when
    there is one (masks come one per gate, already scaled by 1/(1 − rate) as Keras draws them).
    """
    units = recurrent_kernel.shape[0]
    blocks = [slice(k * units, (k + 1) * units) for k in range(4)]
    z = np.concatenate(
        [
            (x_t if input_masks is None else x_t * input_masks[k]) @ kernel[:, block]
            + (h if recurrent_masks is None else h * recurrent_masks[k]) @ recurrent_kernel[:, block]
            + bias[block]
            for k, block in enumerate(blocks)
        ],
        axis=1,
    )
    i, f, o = gate(z[:, blocks[0]]), gate(z[:, blocks[1]]), gate(z[:, blocks[3]])
    g = act(z[:, blocks[2]])
    c = f * c + i * g
    h = o * act(c)
    return z, i, f, g, o, c, h


@dataclass(frozen=True)
class Forward:
    """The result of a forward pass: the output at every step (in processing order), the final h and c.

    Without a mask the output at each step is that step's h. With one, a masked step computes
    nothing that lasts: h and c are carried over unchanged, and the output there is the previous
    step's output (zeros before the first valid step, whatever the initial state), or zeros with
    `zero_output_for_mask`. `steps` keep the carried h and c, so they show the states a masked step
    passes on; `last` is the final step's output, what the layer returns without return_sequences.
    """

    sequence: Array
    h: Array
    c: Array
    steps: list[Step]

    @property
    def last(self) -> Array:
        return self.sequence[:, -1]


def lstm_forward(
    x: Array,
    kernel: Array,
    recurrent_kernel: Array,
    bias: Array | None = None,
    *,
    activation_name: str | None = "tanh",
    recurrent_activation_name: str | None = "sigmoid",
    go_backwards: bool = False,
    initial_h: Array | None = None,
    initial_c: Array | None = None,
    input_masks: Sequence[Array] | None = None,
    recurrent_masks: Sequence[Array] | None = None,
    mask: Array | None = None,
    zero_output_for_mask: bool = False,
    keep_steps: bool = True,
) -> Forward:
    """Run the LSTM equations over x (batch, timesteps, features).

    `input_masks` and `recurrent_masks` are dropout masks, one per gate in the order i, f, c, o,
    already scaled by 1/(1 − rate) as Keras draws them; they multiply x_t and h_{t-1} before the
    products with that gate's block of K and R. `mask` (batch, timesteps; True = a real step) is
    the padding mask, applied as Keras's TensorFlow backend does (keras/src/backend/tensorflow/rnn.py:
    `tf.where(mask_t, output, prev_output)` with prev_output starting at zeros, and the states kept
    where the step is masked); with `go_backwards` it is read in the same reversed order as x.
    `keep_steps=False` keeps only the outputs and final states: a check of the returned tensors of a
    long, wide batch needn't hold every gate of every step in float64.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float64)
    units = recurrent_kernel.shape[0]
    b = np.zeros(4 * units) if bias is None else np.asarray(bias, dtype=np.float64)
    act, gate = activation(activation_name), activation(recurrent_activation_name)
    batch, timesteps, _ = x.shape
    h = np.zeros((batch, units)) if initial_h is None else np.asarray(initial_h, dtype=np.float64)
    c = np.zeros((batch, units)) if initial_c is None else np.asarray(initial_c, dtype=np.float64)
    real = np.ones((batch, timesteps), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    output = np.zeros((batch, units))
    steps: list[Step] = []
    outputs = np.empty((batch, timesteps, units))
    for k, t in enumerate(range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)):
        z, i, f, g, o, new_c, new_h = lstm_step(
            x[:, t], h, c, kernel, recurrent_kernel, b, act, gate, input_masks, recurrent_masks
        )
        keep = real[:, t : t + 1]
        h, c = np.where(keep, new_h, h), np.where(keep, new_c, c)
        output = np.where(keep, new_h, 0.0 if zero_output_for_mask else output)
        if keep_steps:
            steps.append(Step(t, x[:, t], z, i, f, g, o, c, h))
        outputs[:, k] = output
    return Forward(outputs, h, c, steps)


def compare(
    keras_values: Sequence[Array], reference_values: Sequence[Array], atol: float = 1e-5, rtol: float = 1e-5
) -> tuple[float, bool]:
    """Largest |Δ| over all returned tensors and whether all agree within atol + rtol·|reference|."""
    worst = 0.0
    ok = True
    for got_all, want_all in zip(keras_values, reference_values):
        if np.shape(got_all) != np.shape(want_all):
            ok = False
            continue
        # A block of values at a time: a wide batch's or a long sequence's float64 temporaries stay small.
        got_flat, want_flat = np.ravel(got_all), np.ravel(want_all)
        for start in range(0, got_flat.size, COMPARE_BLOCK):
            block = slice(start, start + COMPARE_BLOCK)
            got64, want64 = got_flat[block].astype(np.float64), want_flat[block].astype(np.float64)
            finite = np.isfinite(got64) & np.isfinite(want64)
            diff = np.abs(got64[finite] - want64[finite])
            if diff.size:
                worst = max(worst, float(diff.max()))
            same_blowups = np.array_equal(~np.isfinite(got64), ~np.isfinite(want64))
            ok = ok and same_blowups and bool(np.all(diff <= atol + rtol * np.abs(want64[finite])))
    return worst, ok
