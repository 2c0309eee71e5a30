"""A trained model from a file: each LSTM layer explored with its trained weights gives what the
loaded model's own layer gives on the same input, computed here with Keras directly."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer.errors import RunFailure, UsageError

X = np.random.default_rng(3).normal(size=(2, 10, 2)).astype("float32")


def _train(keras, model, path):
    """A couple of epochs on a toy target, so the weights are not the initial ones."""
    model.compile("adam", "mse")
    batch = np.random.default_rng(0).normal(size=(16, *model.inputs[0].shape[1:])).astype("float32")
    returned = model(batch)
    targets = [np.asarray(t) + 0.5 for t in (returned if isinstance(returned, (list, tuple)) else [returned])]
    model.fit(batch, targets if len(targets) > 1 else targets[0], epochs=2, verbose=0)
    model.save(path)
    return path


@pytest.fixture(scope="module")
def saved(keras, tmp_path_factory):
    """Models of the shapes people save: Sequential and functional, one and two LSTMs, Bidirectional,
    a stack with a Dense head, a Dense in front of the LSTM; in .keras and in .h5."""
    keras.utils.set_random_seed(7)
    folder = tmp_path_factory.mktemp("models")
    layers = keras.layers
    inputs = keras.Input((10, 2))
    hidden = layers.LSTM(4, return_sequences=True, name="encoder")(inputs)
    last = layers.LSTM(3, return_state=True, name="decoder")(hidden)
    models = {
        "one": keras.Sequential([keras.Input((10, 2)), layers.LSTM(3, name="only")]),
        "functional": keras.Model(inputs, list(last)),
        "bidirectional": keras.Sequential(
            [keras.Input((10, 2)), layers.Bidirectional(layers.LSTM(3, return_sequences=True), name="bi")]
        ),
        "stack": keras.Sequential(
            [
                keras.Input((10, 2)),
                layers.Dense(4, activation="tanh", name="front"),
                layers.LSTM(5, return_sequences=True, name="lower", dropout=0.1),
                layers.LSTM(3, name="upper"),
                layers.Dense(1, name="head"),
            ]
        ),
    }
    models["masked"] = keras.Sequential(
        [keras.Input((10, 2)), layers.Masking(mask_value=-1.0), layers.LSTM(3, return_sequences=True, name="seq")]
    )
    paths = {name: _train(keras, model, folder / f"{name}.keras") for name, model in models.items()}
    paths["stack_h5"] = folder / "stack.h5"
    models["stack"].save(paths["stack_h5"])
    return paths


def _layer_outputs(keras, path, name, x):
    model = keras.saving.load_model(path, compile=False)
    probe = keras.Model(model.inputs, model.get_layer(name).output)
    returned = probe(x, training=False)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


@pytest.mark.parametrize(
    ("model", "layer"),
    [
        ("one", None),
        ("functional", "encoder"),
        ("functional", "decoder"),
        ("functional", "2"),
        ("bidirectional", "bi"),
        ("stack", "lower"),
        ("stack", "upper"),
        ("stack_h5", "upper"),
    ],
)
def test_the_layer_gives_what_the_loaded_model_gives(keras, saved, model, layer):
    run = lstm_explorer.run(input=X, model=saved[model], layer=layer, effects=False)
    name = layer if layer is not None and not layer.isdigit() else {"one": "only", "functional": "decoder"}[model]
    expected = _layer_outputs(keras, saved[model], name, X)
    assert [o.values.shape for o in run.outputs] == [e.shape for e in expected]
    for got, want in zip(run.outputs, expected):
        np.testing.assert_allclose(got.values, want, rtol=1e-5, atol=1e-6)
    assert run.reference.ok
    assert run.origin is not None and name in run.origin
    document = run.to_dict()
    assert document["source"] == run.origin


def test_the_trained_weights_are_used_not_fresh_ones(keras, saved):
    run = lstm_explorer.run(input=X, model=saved["one"], effects=False)
    model = keras.saving.load_model(saved["one"], compile=False)
    for got, want in zip(run.weights, model.get_layer("only").get_weights()):
        np.testing.assert_array_equal(got.values, want)
    fresh = lstm_explorer.run(input=X, units=3, effects=False)
    assert not np.allclose(fresh.outputs[0].values, run.outputs[0].values)


def test_arguments_given_override_the_layer_and_the_notes_say_where_weights_come_from(saved):
    run = lstm_explorer.run(input=X, model=saved["one"], return_sequences=True, effects=False)
    assert run.outputs[0].values.shape == (2, 10, 3)
    plain = lstm_explorer.run(input=X, model=saved["one"], effects=False)
    np.testing.assert_allclose(run.outputs[0].values[:, -1], plain.outputs[0].values, rtol=1e-6, atol=1e-6)
    assert any("trained weights" in note for note in run.notes)


def test_the_input_goes_through_the_layers_in_front(keras, saved):
    run = lstm_explorer.trace(input=X, model=saved["stack"], layer="lower")
    model = keras.saving.load_model(saved["stack"], compile=False)
    front = np.asarray(keras.Model(model.inputs, model.get_layer("front").output)(X))
    np.testing.assert_allclose(run.input.values, front, rtol=1e-6, atol=1e-6)
    sequence = _layer_outputs(keras, saved["stack"], "lower", X)[0]
    np.testing.assert_allclose(np.stack([s.h for s in run.trace]), sequence[0], rtol=1e-5, atol=1e-6)


def test_vary_starts_from_the_trained_weights(keras, saved):
    swept = lstm_explorer.vary("return_sequences", input=X, model=saved["one"])
    expected = _layer_outputs(keras, saved["one"], "only", X)[0]
    np.testing.assert_allclose(swept.rows[0].outputs[0], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(swept.rows[1].outputs[0][:, -1], expected, rtol=1e-5, atol=1e-6)


def test_code_loads_the_file_and_prints_the_same_numbers(saved, tmp_path):
    script = lstm_explorer.export(input=X, model=saved["functional"], layer="decoder")
    path = tmp_path / "script.py"
    path.write_text(script)
    printed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=600, check=True)
    lines = [json.loads(line) for line in printed.stdout.splitlines()]
    run = lstm_explorer.run(input=X, model=saved["functional"], layer="decoder", effects=False)
    assert [line["name"] for line in lines] == [o.name for o in run.outputs]
    for line, output in zip(lines, run.outputs):
        np.testing.assert_allclose(line["values"], output.values, rtol=1e-5, atol=1e-6)
    assert "safe_mode=True" in script


def test_several_lstms_need_a_choice_and_the_choices_are_listed(saved):
    with pytest.raises(UsageError, match="choose one with --layer") as raised:
        lstm_explorer.run(model=saved["functional"])
    assert "1 encoder (LSTM, units=4); 2 decoder (LSTM, units=3)" in str(raised.value)
    with pytest.raises(UsageError, match="--layer 'middle': the model has no such LSTM layer"):
        lstm_explorer.run(model=saved["functional"], layer="middle")


def test_bad_files_are_refused(keras, saved, tmp_path):
    text = tmp_path / "notes.keras"
    text.write_text("not a model")
    with pytest.raises(RunFailure, match="Keras could not load it as a model"):
        lstm_explorer.run(model=text)
    dense = tmp_path / "dense.keras"
    keras.Sequential([keras.Input((10, 2)), keras.layers.Dense(1)]).save(dense)
    with pytest.raises(UsageError, match="the model has no LSTM layer"):
        lstm_explorer.run(model=dense)
    unsafe = keras.Sequential([keras.Input((10, 2)), keras.layers.Lambda(lambda t: t * 2), keras.layers.LSTM(2)])
    for suffix in (".keras", ".h5"):
        path = tmp_path / f"lambda{suffix}"
        unsafe.save(path)
        with pytest.raises(RunFailure, match="refused to load it in safe mode"):
            lstm_explorer.run(model=path)
    with pytest.raises(UsageError, match=r"does not fit the input of one.keras, \(None, 10, 2\)"):
        lstm_explorer.run(model=saved["one"], features=3)
    (tmp_path / "notes.txt").write_text("a text file")
    with pytest.raises(UsageError, match="a saved Keras model ends in one of .keras, .h5, .hdf5"):
        lstm_explorer.run(model=tmp_path / "notes.txt")


def test_the_command_line_takes_a_model(invoke, saved):
    result = invoke("--model", str(saved["stack"]), "--layer", "upper", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["source"].endswith("layer upper (LSTM)")
    assert document["input"]["shape"] == [1, 10, 5]
    refused = invoke("--model", str(saved["functional"]))
    assert refused.exit_code == 2 and refused.stderr.startswith("Error: --model: the model has 2 LSTM layers")


def test_vary_names_the_file_and_marks_the_trained_rows(invoke, saved):
    swept = lstm_explorer.vary("units", [3, 4], input=X, model=saved["one"])
    assert swept.origin is not None and swept.origin.endswith("layer only (LSTM)")
    assert swept.trained and [row.shared_weights for row in swept.rows] == [True, False]
    assert swept.to_dict()["source"] == swept.origin
    page = invoke("vary", "units", "3", "4", "--model", str(saved["one"]))
    assert page.exit_code == 0, page.output
    assert "Layer from " in page.stdout and "trained" in page.stdout and "start from its trained weights" in page.stdout


def test_plot_and_trace_of_a_file_and_of_code(invoke, saved, tmp_path):
    for source, picture in (
        (["--model", str(saved["bidirectional"])], "file.png"),
        (["--from-code", "LSTM(2)"], "code.png"),
    ):
        result = invoke(*source, "--plot", str(tmp_path / picture))
        assert result.exit_code == 0, result.output
        assert (tmp_path / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    backward = invoke("trace", "--model", str(saved["bidirectional"]), "--direction", "backward", "--json")
    assert backward.exit_code == 0, backward.output
    assert json.loads(backward.stdout)["traced"]["path"] == "bidirectional/backward_lstm"


def test_a_masking_layer_on_the_input_masks_the_explored_layer_too(keras, saved):
    """Padded steps (every feature -1) are masked inside the model; the explored layer gets the same
    mask, so its outputs (repeated at padded steps) are the model's own."""
    x = X.copy()
    x[1, 6:] = -1.0
    run = lstm_explorer.run(input=x, model=saved["masked"], effects=False)
    np.testing.assert_array_equal(run.input.mask[1], [True] * 6 + [False] * 4)
    expected = _layer_outputs(keras, saved["masked"], "seq", x)[0]
    np.testing.assert_allclose(run.outputs[0].values, expected, rtol=1e-5, atol=1e-6)
    assert run.reference.ok


def test_a_mask_made_elsewhere_is_refused(keras, tmp_path):
    inputs = keras.Input((10, 2))
    hidden = keras.layers.Dense(2)(inputs)
    model = keras.Model(inputs, keras.layers.LSTM(2)(keras.layers.Masking()(hidden)))
    model.save(tmp_path / "inner.keras")
    with pytest.raises(UsageError, match="makes a padding mask"):
        lstm_explorer.run(model=tmp_path / "inner.keras")
