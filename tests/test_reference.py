"""The NumPy reference against hand arithmetic and against Keras over a grid of configurations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from lstm_explorer import engine
from lstm_explorer.catalogue import ACTIVATIONS as ACTIVATION_NAMES
from lstm_explorer.reference import ACTIVATIONS, compare, lstm_forward


@pytest.mark.parametrize("name", [n for n in ACTIVATION_NAMES if n != "sparsemax"])
def test_numpy_activation_equals_keras(keras, name):
    x = np.linspace(-7, 7, 60).reshape(6, 10)
    want = np.asarray(keras.activations.get(name)(x.astype("float32")), dtype=np.float64)
    np.testing.assert_allclose(ACTIVATIONS[name](x), want, rtol=1e-5, atol=1e-6)


def test_sparsemax_follows_its_definition_where_keras_does_not(keras):
    x = np.linspace(-7, -4.6, 10).reshape(1, 10)
    ours = ACTIVATIONS["sparsemax"](x)
    assert ours.sum() == pytest.approx(1.0) and (ours >= 0).all()
    np.testing.assert_allclose(ACTIVATIONS["sparsemax"](np.array([[1.0, 2.0, 0.5]])), [[0.0, 1.0, 0.0]])
    theirs = np.asarray(keras.activations.sparsemax(x.astype("float32")))
    assert abs(theirs.sum() - 1.0) > 0.1


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def test_one_unit_two_steps_by_hand():
    kernel = np.array([[0.5, -0.5, 1.0, 0.25]])
    recurrent = np.array([[0.1, 0.2, 0.3, 0.4]])
    bias = np.array([0.0, 1.0, 0.0, 0.0])
    x = np.array([[[1.0], [2.0]]])
    # step 1, h0 = c0 = 0: z = x·K + b
    i1, f1, g1, o1 = _sigmoid(0.5), _sigmoid(-0.5 + 1.0), math.tanh(1.0), _sigmoid(0.25)
    c1 = f1 * 0.0 + i1 * g1
    h1 = o1 * math.tanh(c1)
    # step 2: z = 2·K + h1·R + b
    i2 = _sigmoid(2 * 0.5 + h1 * 0.1)
    f2 = _sigmoid(2 * -0.5 + h1 * 0.2 + 1.0)
    g2 = math.tanh(2 * 1.0 + h1 * 0.3)
    o2 = _sigmoid(2 * 0.25 + h1 * 0.4)
    c2 = f2 * c1 + i2 * g2
    h2 = o2 * math.tanh(c2)
    forward = lstm_forward(x, kernel, recurrent, bias)
    assert forward.sequence[0, :, 0].tolist() == pytest.approx([h1, h2], abs=1e-12)
    assert forward.c[0, 0] == pytest.approx(c2, abs=1e-12)
    first = forward.steps[0]
    assert (first.i[0, 0], first.f[0, 0], first.g[0, 0], first.o[0, 0]) == pytest.approx((i1, f1, g1, o1), abs=1e-12)
    assert h1 == pytest.approx(0.24819, abs=1e-5) and h2 == pytest.approx(0.47926, abs=1e-5)


def _keras_and_reference(keras, x, *, training=False, **kwargs):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(batch_shape=x.shape)
    layer = keras.layers.LSTM(**kwargs)
    model = keras.Model(inputs, layer(inputs))
    masks = engine._record_dropout_masks(layer.cell) if training else {}
    returned = model(x, training=training)
    tensors = [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]
    return layer, model, tensors, masks


def _reference_outputs(layer, x, masks=None, **overrides):
    w = {v.name: np.asarray(v.numpy()) for v in layer.weights}
    masks = masks or {}
    forward = lstm_forward(
        x,
        w["kernel"],
        w["recurrent_kernel"],
        w.get("bias"),
        activation_name=overrides.get("activation", "tanh"),
        recurrent_activation_name=overrides.get("recurrent_activation", "sigmoid"),
        go_backwards=overrides.get("go_backwards", False),
        initial_h=overrides.get("initial_h"),
        initial_c=overrides.get("initial_c"),
        input_masks=engine._per_gate(masks.get("input")),
        recurrent_masks=engine._per_gate(masks.get("recurrent")),
    )
    out = [forward.sequence if overrides.get("return_sequences") else forward.h]
    if overrides.get("return_state"):
        out += [forward.h, forward.c]
    return out, forward


RNG = np.random.default_rng(7)
INPUTS = {
    "random": RNG.normal(size=(3, 6, 4)).astype("float32"),
    "saturated": (np.arange(1, 3 * 6 * 4 + 1).reshape(3, 6, 4)).astype("float32"),
}


@pytest.mark.parametrize("name", [n for n in ACTIVATION_NAMES if n != "sparsemax"])
@pytest.mark.parametrize("role", ["activation", "recurrent_activation"])
def test_every_activation_matches_keras(keras, name, role):
    x = INPUTS["random"][:, :2] * 0.2  # exponential feeds on itself: keep it within float32's precision
    layer, _, tensors, _ = _keras_and_reference(keras, x, units=3, return_sequences=True, **{role: name})
    expected, _ = _reference_outputs(layer, x, return_sequences=True, **{role: name})
    worst, ok = compare(tensors, expected)
    assert ok, (name, role, worst)


GRID = list(itertools.product([1, 5, 32], [True, False], [True, False], [True, False], ["random", "saturated"]))


@pytest.mark.parametrize(("units", "use_bias", "go_backwards", "return_state", "data"), GRID)
def test_reference_grid(keras, units, use_bias, go_backwards, return_state, data):
    x = INPUTS[data]
    options = dict(return_sequences=True, return_state=return_state, go_backwards=go_backwards)
    layer, _, tensors, _ = _keras_and_reference(keras, x, units=units, use_bias=use_bias, **options)
    expected, _ = _reference_outputs(layer, x, **options)
    worst, ok = compare(tensors, expected)
    assert ok, worst


def test_stateful_second_call(keras):
    x = INPUTS["random"]
    layer, model, first, _ = _keras_and_reference(keras, x, units=4, stateful=True, return_state=True)
    second = [np.asarray(t) for t in model(x)]
    _, forward = _reference_outputs(layer, x, return_state=True)
    expected, _ = _reference_outputs(layer, x, return_state=True, initial_h=forward.h, initial_c=forward.c)
    worst, ok = compare(second, expected)
    assert ok, worst
    assert not np.allclose(second[0], first[0])


@pytest.mark.parametrize("implementation", [1, 2])
@pytest.mark.parametrize(("dropout", "recurrent_dropout"), [(0.5, 0.0), (0.0, 0.4), (0.3, 0.3)])
def test_dropout_masks(keras, implementation, dropout, recurrent_dropout):
    x = INPUTS["random"]
    kwargs = dict(
        units=3,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        implementation=implementation,
        use_cudnn=False,
        seed=5,
    )
    layer, _, tensors, masks = _keras_and_reference(keras, x, training=True, **kwargs)
    expected, _ = _reference_outputs(layer, x, masks)
    worst, ok = compare(tensors, expected)
    assert ok, worst
    unmasked, _ = _reference_outputs(layer, x)
    assert not compare(tensors, unmasked)[1]


def test_every_run_reports_the_check(run_json, invoke):
    doc = run_json("--return-state", "--batch", "2", "--dropout", "0.3", "--training")
    assert doc["reference"]["ok"] is True and doc["reference"]["max_abs_diff"] < 1e-5
    out = invoke("--units", "2").stdout
    assert "NumPy reference: max |Δ| = " in out and "✓" in out


def test_a_mismatch_is_shown_loudly(invoke, monkeypatch):
    real = engine.lstm_forward

    def off_by_a_bit(*args, **kwargs):
        forward = real(*args, **kwargs)
        return type(forward)(forward.sequence + 0.01, forward.h + 0.01, forward.c, forward.steps)

    monkeypatch.setattr(engine, "lstm_forward", off_by_a_bit)
    out = invoke("--units", "2").stdout
    assert "NumPy reference MISMATCH" in out and "max |Δ| = 0.01" in out
    monkeypatch.setattr(engine, "lstm_forward", off_by_a_bit)
    result = invoke("--units", "2", "--json")
    import json

    assert json.loads(result.stdout)["reference"]["ok"] is False


# Padding masks and initial states: the reference against the layer called directly with `mask=` and
# `initial_state=`, on the same weights.
MASK_X = np.random.default_rng(11).normal(size=(3, 5, 2)).astype("float32")
LENGTHS = (5, 3, 1)


def _length_mask(padding: str) -> np.ndarray:
    """Written out here rather than taken from the tool: True on each sample's real steps."""
    return np.array([[t >= 5 - n if padding == "pre" else t < n for t in range(5)] for n in LENGTHS])


MASK_GRID = list(itertools.product(["pre", "post"], [False, True], [False, True], [False, True], [False, True]))


@pytest.mark.parametrize(("padding", "zero_output", "go_backwards", "initial", "return_sequences"), MASK_GRID)
def test_reference_with_a_mask_and_initial_states_matches_keras(
    keras, padding, zero_output, go_backwards, initial, return_sequences
):
    mask = _length_mask(padding)
    keras.utils.set_random_seed(3)
    options = dict(return_sequences=return_sequences, return_state=True, go_backwards=go_backwards)
    layer = keras.layers.LSTM(3, zero_output_for_mask=zero_output, **options)
    states = np.random.default_rng(5).normal(size=(2, 3, 3)).astype("float32") if initial else None
    call = {"mask": mask} | ({"initial_state": [states[0], states[1]]} if initial else {})
    tensors = [np.asarray(t) for t in layer(MASK_X, **call)]
    w = {v.name: np.asarray(v.numpy()) for v in layer.weights}
    forward = lstm_forward(
        MASK_X,
        w["kernel"],
        w["recurrent_kernel"],
        w["bias"],
        go_backwards=go_backwards,
        initial_h=states[0] if initial else None,
        initial_c=states[1] if initial else None,
        mask=mask,
        zero_output_for_mask=zero_output,
    )
    expected = [forward.sequence if return_sequences else forward.last, forward.h, forward.c]
    worst, ok = compare(tensors, expected)
    assert ok, worst


def test_masked_steps_follow_keras_s_rules_on_concrete_values(keras):
    """Pre-padding: leading outputs are zeros even from a non-zero initial state, states pass through
    unchanged, and once a real step comes its output is computed; post-padding repeats the last real
    output, or gives zeros with zero_output_for_mask."""
    kernel = np.full((2, 4), 0.3)
    recurrent = np.full((1, 4), 0.2)
    x = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
    h0, c0 = np.array([[0.7]]), np.array([[-0.4]])
    pre = lstm_forward(x, kernel, recurrent, mask=np.array([[False, True, True]]), initial_h=h0, initial_c=c0)
    assert pre.sequence[0, 0, 0] == 0.0
    assert pre.steps[0].h[0, 0] == 0.7 and pre.steps[0].c[0, 0] == -0.4
    alone = lstm_forward(x[:, 1:], kernel, recurrent, initial_h=h0, initial_c=c0)
    np.testing.assert_array_equal(pre.sequence[:, 1:], alone.sequence)
    post = lstm_forward(x, kernel, recurrent, mask=np.array([[True, True, False]]))
    assert post.sequence[0, 2, 0] == post.sequence[0, 1, 0] != 0.0
    assert post.last[0, 0] == post.h[0, 0] == post.sequence[0, 1, 0]
    zeroed = lstm_forward(x, kernel, recurrent, mask=np.array([[True, True, False]]), zero_output_for_mask=True)
    assert zeroed.sequence[0, 2, 0] == 0.0 and zeroed.last[0, 0] == 0.0 and zeroed.h[0, 0] == post.h[0, 0]


def test_a_fully_masked_sample_gives_zeros_and_keeps_its_initial_state(keras):
    keras.utils.set_random_seed(3)
    layer = keras.layers.LSTM(3, return_sequences=True, return_state=True)
    mask = np.array([[False] * 5, [True] * 5, [True] * 5])
    states = np.random.default_rng(5).normal(size=(2, 3, 3)).astype("float32")
    sequence, h, c = (np.asarray(t) for t in layer(MASK_X, mask=mask, initial_state=[states[0], states[1]]))
    assert not sequence[0].any()
    np.testing.assert_array_equal(h[0], states[0][0])
    np.testing.assert_array_equal(c[0], states[1][0])
    w = {v.name: np.asarray(v.numpy()) for v in layer.weights}
    forward = lstm_forward(
        MASK_X, w["kernel"], w["recurrent_kernel"], w["bias"], initial_h=states[0], initial_c=states[1], mask=mask
    )
    assert compare([sequence, h, c], [forward.sequence, forward.h, forward.c])[1]


def test_steps_are_views_of_the_stacked_arrays():
    """A pass's Steps make each Step on demand from arrays stacked over time; a sample's are views."""
    from lstm_explorer.reference import Step, Steps

    rng = np.random.default_rng(0)
    t = np.arange(5)[::-1]
    x = rng.normal(size=(5, 3, 2))
    z = rng.normal(size=(5, 3, 8))
    gates = [rng.normal(size=(5, 3, 2)) for _ in range(6)]
    steps = Steps(t, x, z, *gates)
    assert len(steps) == 5 and [s.t for s in steps] == [4, 3, 2, 1, 0]
    assert isinstance(steps[1], Step) and steps[1].t == 3
    np.testing.assert_array_equal(steps[1].z, z[1])
    assert [s.t for s in steps[1:3]] == [3, 2]
    one = steps.sample(2)
    np.testing.assert_array_equal(one[4].h, gates[5][4, 2])
    np.testing.assert_array_equal(one[0].x, x[0, 2])
    assert np.shares_memory(one.z, z) and np.shares_memory(one.h, gates[5])
    np.testing.assert_array_equal(one[3].z, steps[3].sample(2).z)


def test_a_lean_steps_sample_reads_its_kept_row():
    from lstm_explorer.reference import Steps

    rng = np.random.default_rng(1)
    kept = [rng.normal(size=(4, 1, 2)) for _ in range(6)]
    h = rng.normal(size=(4, 3, 2))
    near = np.arange(12).reshape(4, 3)
    steps = Steps(np.arange(4), rng.normal(size=(4, 3, 1)), *kept, h, rows=(2,), near=near)
    one = steps.sample(2)
    np.testing.assert_array_equal(one.c, kept[5][:, 0])
    np.testing.assert_array_equal(one.h, h[:, 2])
    np.testing.assert_array_equal(steps[1].near, near[1])


def test_compare_finds_a_difference_in_any_block():
    """compare works through large arrays a block at a time: the last value counts like the first."""
    from lstm_explorer.reference import COMPARE_BLOCK

    want = np.zeros((3, COMPARE_BLOCK + 5), dtype=np.float32)
    got = want.copy()
    assert compare([got], [want]) == (0.0, True)
    got[-1, -1] = 0.5
    assert compare([got], [want]) == (0.5, False)
    got[-1, -1] = np.nan
    assert compare([got], [want])[1] is False
    assert compare([got[:, :-1]], [want])[1] is False
