"""The LSTM inside a model: Bidirectional, stacks, a Dense head, against Keras called directly.

Each case builds the model again here, with Keras's own classes and the tool's weights, and compares
every returned tensor, shape and parameter count with what the tool reported.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer.errors import UsageError


def _keras_model(keras, x, *, layers, bidirectional, merge_mode, return_sequences, return_state, dense):
    """The model as a Keras user writes it, independent of the tool's building code."""
    inputs = keras.Input(batch_shape=x.shape)
    tensor, outputs = inputs, []
    for k, units in enumerate(layers):
        top = k == len(layers) - 1
        layer = keras.layers.LSTM(
            units,
            return_sequences=return_sequences if top else True,
            return_state=return_state if top else False,
        )
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, merge_mode=merge_mode)
        returned = layer(tensor)
        outputs = list(returned) if isinstance(returned, (list, tuple)) else [returned]
        tensor = outputs[0]
    if dense is not None:
        units, _, activation = dense.partition(":")
        outputs = [keras.layers.Dense(int(units), activation=activation or None)(outputs[0]), *outputs[1:]]
    return keras.Model(inputs, outputs)


GRID = [
    *(
        dict(layers=(3,), bidirectional=True, merge_mode=mode, return_sequences=rs, return_state=st, dense=None)
        for mode, rs, st in itertools.product(["concat", "sum", "mul", "ave", None], [False, True], [False, True])
    ),
    *(
        dict(layers=layers, bidirectional=bi, merge_mode="concat", return_sequences=rs, return_state=st, dense=dense)
        for layers, bi, rs, st, dense in [
            ((4, 2), False, False, False, None),
            ((4, 2), False, True, True, None),
            ((2, 3, 2), False, True, False, "2:relu"),
            ((3,), False, False, False, "1"),
            ((3,), False, True, True, "2:sigmoid"),
            ((3, 2), True, False, True, "2"),
            ((2, 2, 2), True, True, False, None),
        ]
    ),
]


def _keywords(case: dict) -> dict:
    keywords: dict = dict(return_sequences=case["return_sequences"], return_state=case["return_state"])
    if len(case["layers"]) > 1:
        keywords["layers"] = ",".join(str(n) for n in case["layers"])
    else:
        keywords["units"] = case["layers"][0]
    if case["bidirectional"]:
        keywords |= dict(bidirectional=True, merge_mode=case["merge_mode"] or "none")
    if case["dense"] is not None:
        keywords["dense"] = case["dense"]
    return keywords


@pytest.mark.parametrize("case", GRID, ids=[str(_keywords(c)) for c in GRID])
def test_outputs_shapes_and_counts_equal_keras_called_directly(keras, case):
    run = lstm_explorer.run(effects=False, **_keywords(case))
    x = run.input.values
    model = _keras_model(keras, x, **case)
    model.set_weights([w.values for w in run.weights])
    expected = model(x)
    expected = [np.asarray(t) for t in (expected if isinstance(expected, (list, tuple)) else [expected])]
    assert [o.values.shape for o in run.outputs] == [e.shape for e in expected]
    for got, want in zip(run.outputs, expected):
        np.testing.assert_allclose(got.values, want, rtol=1e-6, atol=1e-6)
    assert run.param_count == model.count_params()
    assert [tuple(w.shape) for w in model.weights] == [w.values.shape for w in run.weights]
    assert run.reference.ok
    keras_layers = [layer for layer in model.layers if layer.__class__.__name__ != "InputLayer"]
    assert [row.type for row in run.layers] == [layer.__class__.__name__ for layer in keras_layers]
    assert [row.param_count for row in run.layers] == [layer.count_params() for layer in keras_layers]
    for row in run.layers:
        if row.formula is not None:
            assert row.formula.value == row.param_count


def test_outputs_are_named_as_the_run_shows_them():
    run = lstm_explorer.run(effects=False, bidirectional=True, return_state=True, return_sequences=True)
    assert [o.name for o in run.outputs] == ["sequence", "forward_h", "forward_c", "backward_h", "backward_c"]
    split = lstm_explorer.run(effects=False, bidirectional=True, merge_mode="none")
    assert [o.name for o in split.outputs] == ["forward_last_output", "backward_last_output"]
    head = lstm_explorer.run(effects=False, layers="4,2", dense="1", return_state=True)
    assert [o.name for o in head.outputs] == ["dense", "final_h", "final_c"]


def test_json_lists_every_layer_and_weight_by_path(run_json):
    document = run_json("--layers", "4,2", "--bidirectional", "--dense", "1")
    assert [(layer["name"], layer["type"]) for layer in document["layers"]] == [
        ("bidirectional_1", "Bidirectional"),
        ("bidirectional_2", "Bidirectional"),
        ("dense", "Dense"),
    ]
    assert document["layers"][1]["input_shape"] == [1, 10, 8]
    names = [w["name"] for w in document["weights"]]
    assert names[:3] == [
        "bidirectional_1/forward_lstm_1/lstm_cell/kernel",
        "bidirectional_1/forward_lstm_1/lstm_cell/recurrent_kernel",
        "bidirectional_1/forward_lstm_1/lstm_cell/bias",
    ]
    assert names[-2:] == ["dense/kernel", "dense/bias"]
    assert document["param_count"] == sum(layer["param_count"] for layer in document["layers"])
    assert document["param_count"] == sum(int(np.prod(w["shape"])) for w in document["weights"])
    single = run_json()
    assert [w["name"] for w in single["weights"]] == ["kernel", "recurrent_kernel", "bias"]
    assert [(layer["name"], layer["type"], layer["param_count"]) for layer in single["layers"]] == [
        ("lstm", "LSTM", 72)
    ]


def test_a_stack_of_one_is_one_layer_of_those_units():
    stacked = lstm_explorer.run(effects=False, layers="5")
    plain = lstm_explorer.run(effects=False, units=5)
    assert stacked.layers == [] and stacked.param_count == plain.param_count
    np.testing.assert_array_equal(stacked.outputs[0].values, plain.outputs[0].values)


@pytest.mark.parametrize(
    ("keywords", "layer", "direction"),
    [
        (dict(bidirectional=True), 1, "forward"),
        (dict(bidirectional=True), 1, "backward"),
        (dict(layers="3,2"), 2, "forward"),
        (dict(layers="3,2", bidirectional=True, merge_mode="sum"), 2, "backward"),
        (dict(layers="3,2", bidirectional=True, lengths="10,6", batch=2), 2, "backward"),
    ],
)
def test_trace_of_any_lstm_is_that_lstm_called_alone(keras, keywords, layer, direction):
    """The traced h at each step equals a plain Keras LSTM holding that direction's weights, called on
    what that layer read (the layer below's output, computed here by Keras)."""
    traced = lstm_explorer.trace(layer=layer, direction=direction, **keywords)
    result = traced.result
    part = result.traced_part
    assert (part.layer, part.direction) == (layer, direction)
    x = result.input.values
    below = x
    if layer > 1:
        inputs = keras.Input(batch_shape=x.shape)
        lower = keras.layers.LSTM(3, return_sequences=True)
        if keywords.get("bidirectional"):
            lower = keras.layers.Bidirectional(lower, merge_mode=keywords.get("merge_mode", "concat"))
        model = keras.Model(inputs, lower(inputs))
        model.set_weights([w.values for w in result.weights][: len(model.weights)])
        mask = result.input.mask
        below = np.asarray(model(x) if mask is None else lower(x, mask=mask))
    plain = keras.layers.LSTM(part.config.units, return_sequences=True, go_backwards=direction == "backward")
    mask = result.input.mask
    sequence = np.asarray(plain(below) if mask is None else plain(below, mask=mask))
    plain.set_weights([w.values for w in part.weights])
    sequence = np.asarray(plain(below) if mask is None else plain(below, mask=mask))
    h = np.stack([step.h for step in part.steps], axis=1)
    if mask is None:
        np.testing.assert_allclose(h, sequence, rtol=1e-6, atol=1e-6)
    else:
        # Where the mask lets a step through, the carried h is the output there.
        order = [step.t for step in part.steps]
        real = mask[:, order]
        np.testing.assert_allclose(h[real], sequence[real], rtol=1e-6, atol=1e-6)
    assert [step.t for step in traced.trace] == [step.t for step in part.steps]
    np.testing.assert_array_equal(traced.trace[0].h, part.steps[0].h[0])


def test_training_with_dropout_is_checked_with_the_masks_keras_drew():
    run = lstm_explorer.run(
        effects=False, layers="3,2", bidirectional=True, dropout=0.3, recurrent_dropout=0.2, training=True, seed=1
    )
    assert run.reference.ok
    assert run.dropout_masks, "the traced LSTM's masks are shown"


def test_bidirectional_demonstration_rebuilds_the_output_from_two_plain_lstms():
    for mode in ("concat", "sum", "mul", "ave", "none"):
        run = lstm_explorer.run(effects=True, bidirectional=True, merge_mode=mode, return_sequences=True)
        data = next(e for e in run.effects if e.name == "bidirectional").data
        assert data["max_abs_diff"] < 1e-6, mode
        assert data["param_count"] == 2 * data["param_count_per_direction"] == run.param_count


def test_dense_demonstration_matches_time_distributed(keras):
    run = lstm_explorer.run(effects=True, dense="2:tanh", return_sequences=True, layers="3,4")
    data = next(e for e in run.effects if e.name == "dense").data
    assert data["many_to_many"] and data["time_distributed_max_abs_diff"] < 1e-6
    assert data["time_distributed_param_count"] == data["param_count"] == 4 * 2 + 2
    many_to_one = lstm_explorer.run(effects=True, dense="2")
    assert next(e for e in many_to_one.effects if e.name == "dense").data["many_to_many"] is False


def test_checks_run_for_every_lstm_direction():
    run = lstm_explorer.run(effects=False, layers="3,2", bidirectional=True)
    names = {e.name for e in run.effects}
    for path in (p.path for p in run.parts):
        assert f"cudnn:{path}" in names and f"saturation:{path}" in names
    assert len(run.parts) == 4


def test_the_stack_as_written_fails_with_keras_words(invoke):
    result = invoke("--layers", "8,4", "--as-written")
    assert result.exit_code == 1
    assert "expected ndim=3, found ndim=2" in result.stderr
    assert "What it means" in result.stderr and "lstm-explore --layers 8,4" in result.stderr
    assert "Traceback" not in result.stderr
    written = invoke("--layers", "8,4", "--as-written", "--return-sequences")
    assert written.exit_code == 0, written.stderr


def test_vary_model_keywords_build_each_model(keras):
    swept = lstm_explorer.vary("merge_mode", return_sequences=True)
    assert [row.value for row in swept.rows] == ["concat", "sum", "mul", "ave", "none"]
    assert [row.output_shapes[0] for row in swept.rows] == [(1, 10, 6), *[(1, 10, 3)] * 4]
    assert all(row.shared_weights for row in swept.rows[1:])
    concat, total = swept.rows[0].outputs[0], swept.rows[1].outputs[0]
    np.testing.assert_allclose(concat[..., :3] + concat[..., 3:], total, rtol=1e-6, atol=1e-6)
    layers = lstm_explorer.vary("layers", ["3", "3,3"])
    assert [row.param_count for row in layers.rows] == [72, 72 + 4 * (3 * (3 + 3) + 3)]
    both = lstm_explorer.vary("bidirectional")
    assert [row.param_count for row in both.rows] == [72, 144]


def test_model_keywords_are_checked_before_tensorflow():
    with pytest.raises(UsageError, match="--layers"):
        lstm_explorer.run(layers=[3, 0])
    with pytest.raises(UsageError, match="--merge-mode sum needs --bidirectional"):
        lstm_explorer.run(merge_mode="sum")


def test_the_reference_notices_one_wrong_direction(monkeypatch):
    """Every direction's steps are held against NumPy: a reference off in the backward half alone fails."""
    from lstm_explorer import network

    real = network.lstm_forward

    def off_backwards(*args, **kwargs):
        forward = real(*args, **kwargs)
        if kwargs["go_backwards"]:
            for step in forward.steps:
                step.h[...] += 1e-3
        return forward

    monkeypatch.setattr(network, "lstm_forward", off_backwards)
    run = lstm_explorer.run(effects=False, layers="3,2", bidirectional=True)
    assert not run.reference.ok and run.reference.max_abs_diff == pytest.approx(1e-3, rel=1e-3)


@pytest.mark.parametrize("keywords", [dict(go_backwards=True), dict(lengths="10,6", batch=2, go_backwards=True)])
def test_a_go_backwards_stack_equals_keras(keras, keywords):
    """Each layer of a go_backwards stack reads its input backwards and hands on its outputs in the
    order it read them, so the layers alternate direction; the tool's stack is Keras's."""
    run = lstm_explorer.run(effects=False, layers="3,2", return_sequences=True, **keywords)
    x, mask = run.input.values, run.input.mask
    lower = keras.layers.LSTM(3, return_sequences=True, go_backwards=True)
    upper = keras.layers.LSTM(2, return_sequences=True, go_backwards=True)
    below = lower(x) if mask is None else lower(x, mask=mask)
    upper(below) if mask is None else upper(below, mask=mask)
    lower.set_weights([w.values for w in run.weights[:3]])
    upper.set_weights([w.values for w in run.weights[3:]])
    below = lower(x) if mask is None else lower(x, mask=mask)
    expected = upper(below) if mask is None else upper(below, mask=mask)
    np.testing.assert_allclose(run.outputs[0].values, np.asarray(expected), rtol=1e-6, atol=1e-6)
    assert run.reference.ok


def test_a_masked_bidirectional_sequence_is_zero_at_padded_steps():
    """Bidirectional sets zero_output_for_mask to return_sequences on both halves (bidirectional.py)."""
    run = lstm_explorer.run(effects=False, bidirectional=True, return_sequences=True, lengths="10,6", batch=2)
    padded = ~run.input.mask
    assert np.all(run.outputs[0].values[padded] == 0)
    assert set(run.mask_outcomes[padded]) == {"zeros"}
    assert run.reference.ok


def test_trace_json_names_the_lstm_it_stepped_through(invoke, keras):
    import json

    result = invoke("trace", "--bidirectional", "--direction", "backward", "--sample", "1", "--batch", "2", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["traced"] == {"layer": 1, "direction": "backward", "path": "bidirectional/backward_lstm"}
    assert [step["t"] for step in document["steps"]] == list(range(9, -1, -1))
    x = np.asarray(document["input"]["values"], dtype=np.float32)
    weights = [np.asarray(w["values"], dtype=np.float32) for w in document["weights"][3:6]]
    plain = keras.layers.LSTM(3, return_sequences=True, go_backwards=True)
    plain(x)
    plain.set_weights(weights)
    expected = np.asarray(plain(x))[1]
    np.testing.assert_allclose([step["h"] for step in document["steps"]], expected, rtol=1e-6, atol=1e-6)
