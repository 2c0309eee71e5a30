"""Shared helpers: drive the CLI like a user, and compute LSTMs independently of the tool."""

from __future__ import annotations

import ast
import functools
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from lstm_explorer.cli import app

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The tool follows the locale; the suite reads English unless a test asks for Chinese.
for _variable in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"
TERMINAL = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def invoke(runner):
    def _invoke(*args: str, **kwargs):
        return runner.invoke(app, list(args), env=TERMINAL, **kwargs)

    return _invoke


@pytest.fixture(scope="session")
def run_json(invoke):
    def _run_json(*args: str) -> dict:
        result = invoke(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return _run_json


@pytest.fixture(scope="session")
def keras():
    import keras as keras_module

    return keras_module


def tutorial_sample() -> np.ndarray:
    """The tutorial's [[1, 2], [3, 4], …, [19, 20]], written out rather than taken from the tool."""
    return np.array([[[2 * t + 1, 2 * t + 2] for t in range(10)]], dtype=np.float32)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def numpy_lstm(x, kernel, recurrent, bias, *, go_backwards=False, h0=None, c0=None, gates=None):
    """A plain LSTM forward pass from the equations; returns (sequence, h, c) in float64.

    Pass a list as `gates` to collect (i, f, o) at every step.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    recurrent = np.asarray(recurrent, dtype=np.float64)
    units = recurrent.shape[0]
    b = np.zeros(4 * units) if bias is None else np.asarray(bias, dtype=np.float64)
    batch, steps, _ = x.shape
    h = np.zeros((batch, units)) if h0 is None else np.asarray(h0, dtype=np.float64)
    c = np.zeros((batch, units)) if c0 is None else np.asarray(c0, dtype=np.float64)
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    sequence = []
    for t in order:
        z = x[:, t] @ kernel + h @ recurrent + b
        i, f, g, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        if gates is not None:
            gates.append((sigmoid(i), sigmoid(f), sigmoid(o)))
        sequence.append(h)
    return np.stack(sequence, axis=1), h, c


def keras_direct(keras, x, *, random_seed=42, training=False, make=None, **layer_kwargs):
    """Build and call the LSTM the way a user's own script would, without the tool.

    `make` builds Keras objects after seeding, as a script that seeds first would.
    """
    keras.utils.set_random_seed(random_seed)
    if make is not None:
        layer_kwargs.update(make())
    inputs = keras.Input(batch_shape=x.shape)
    layer = keras.layers.LSTM(**layer_kwargs)
    model = keras.Model(inputs, layer(inputs))
    returned = model(x, training=training)
    returned = returned if isinstance(returned, (list, tuple)) else [returned]
    return [np.asarray(r) for r in returned], layer, model


def heavy_imports_of(*argv: str) -> tuple[list[str], str]:
    """Run the CLI in a fresh interpreter; return the TensorFlow/Keras modules it loaded and its stdout."""
    code = (
        "import sys\n"
        f"sys.argv = ['lstm-explore', *{list(argv)!r}]\n"
        "from lstm_explorer.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')), file=sys.stderr)\n"
    )
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    marker = [line for line in result.stderr.splitlines() if line.startswith("HEAVY ")]
    assert marker, result.stderr[-2000:]
    return ast.literal_eval(marker[-1][len("HEAVY ") :]), result.stdout


def bad_input_files(tmp: Path) -> dict[str, Path]:
    """One file (or path) for each way an input or output file can be wrong, and a few good ones."""
    files = {
        name: tmp / file
        for name, file in {
            "missing": "missing.npy",
            "dir": "folder.npy",
            "bad_json": "bad.json",
            "ragged": "ragged.json",
            "header": "header.csv",
            "text_csv": "text.csv",
            "ragged_csv": "ragged.csv",
            "empty_csv": "empty.csv",
            "truncated": "truncated.npy",
            "pickled": "pickled.npy",
            "raw_pickle": "raw_pickle.npy",
            "one_d": "one_d.npy",
            "four_d": "four_d.npy",
            "nan": "nan.json",
            "inf": "inf.csv",
            "txt": "data.txt",
            "strings": "strings.json",
            "empty_npy": "empty.npy",
            "empty_json": "empty.json",
            "zero_size": "zero_size.npy",
            "scalar": "scalar.json",
            "complex": "complex.npy",
            "unicode_npy": "unicode.npy",
            "npz": "arrays.npz",
            "binary_csv": "binary.csv",
            "too_big": "too_big.json",
            "object_json": "object.json",
            "not_npy": "not_npy.npy",
            "sparse": "sparse.json",
            "good": "good.json",
            "existing": "existing.txt",
            "png": "figure.png",
            "no_folder": "no/such/folder/out.json",
            "no_suffix": "data",
            "npz_as_npy": "archive.npy",
            "unicode_missing": "données manquantes.csv",
            "not_a_model": "notes.keras",
            "no_lstm": "dense.keras",
            "lambda_model": "lambda.keras",
            "lstm_model": "lstm.keras",
        }.items()
    }
    files["dir"].mkdir()
    files["bad_json"].write_text("[[1, 2], [3,")
    files["ragged"].write_text("[[1, 2], [3]]")
    files["header"].write_text("a,b\n1,2\n")
    files["text_csv"].write_text("1,2\n3,x\n")
    files["ragged_csv"].write_text("1,2\n3\n")
    files["empty_csv"].write_text("")
    np.save(files["truncated"], np.zeros((10, 2)))
    files["truncated"].write_bytes(files["truncated"].read_bytes()[:60])
    np.save(files["pickled"], np.array([{"a": 1}], dtype=object), allow_pickle=True)
    files["raw_pickle"].write_bytes(pickle.dumps([[1.0, 2.0]]))
    np.save(files["one_d"], np.zeros(5))
    np.save(files["four_d"], np.zeros((1, 2, 3, 4)))
    files["nan"].write_text("[[1, NaN], [3, 4]]")
    files["inf"].write_text("1,2\ninf,4\n")
    files["txt"].write_text("1,2")
    files["strings"].write_text('[["a", "b"]]')
    files["empty_npy"].write_bytes(b"")
    files["empty_json"].write_text("")
    np.save(files["zero_size"], np.zeros((0, 2)))
    files["scalar"].write_text("5")
    np.save(files["complex"], np.ones((2, 2), dtype=complex))
    np.save(files["unicode_npy"], np.array([["a", "b"]]))
    np.savez(files["npz"], x=np.zeros((2, 2)))
    files["npz_as_npy"].write_bytes(files["npz"].read_bytes())
    files["no_suffix"].write_text("1,2")
    files["binary_csv"].write_bytes(b"\xff\xfe1,2\n")
    files["too_big"].write_text("[[1e39, 1]]")
    files["object_json"].write_text('{"x": [[1, 2]]}')
    files["not_npy"].write_text("hello")
    with files["sparse"].open("wb") as handle:
        handle.truncate(2**30)
    files["good"].write_text("[[1, 2], [3, 4]]")
    files["existing"].write_text("keep me")
    files["not_a_model"].write_text("hello")
    for name, content in _saved_models().items():
        files[name].write_bytes(content)
    return files


@functools.cache
def _saved_models() -> dict[str, bytes]:
    """Saved models for --model's bad-input cases, built once: one without an LSTM, one with a
    Lambda layer (refused by safe mode), one LSTM model taking (10, 2)."""
    import tempfile

    import keras

    layers = keras.layers
    models = {
        "no_lstm": keras.Sequential([keras.Input((10, 2)), layers.Dense(1)]),
        "lambda_model": keras.Sequential([keras.Input((10, 2)), layers.Lambda(lambda t: t * 2), layers.LSTM(2)]),
        "lstm_model": keras.Sequential([keras.Input((10, 2)), layers.LSTM(2)]),
    }
    with tempfile.TemporaryDirectory() as folder:
        saved = {}
        for name, model in models.items():
            path = Path(folder) / f"{name}.keras"
            model.save(path)
            saved[name] = path.read_bytes()
    return saved
