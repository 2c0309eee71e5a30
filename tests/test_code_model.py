"""`code` for a model (Bidirectional, a stack, a Dense head): the Keras script prints the tool's numbers
under the tool's names, and the PyTorch script, run against a NumPy stand-in for torch written from
PyTorch's documented conventions, prints them too; what one torch.nn.LSTM cannot be is refused."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import types

import numpy as np
import pytest

from tests.test_vary_code import _run_script
from tests.test_zh_trace_vary_code import _prose_and_code

LENGTHS = ["--lengths", "10,6", "--batch", "2"]
KERAS_CASES = {
    "bidirectional": ["--bidirectional"],
    "sum-sequences": ["--bidirectional", "--merge-mode", "sum", "--return-sequences"],
    "mul-state": ["--bidirectional", "--merge-mode", "mul", "--return-state"],
    "ave-sequences-state": ["--bidirectional", "--merge-mode", "ave", "--return-sequences", "--return-state"],
    "none-sequences-state": ["--bidirectional", "--merge-mode", "none", "--return-sequences", "--return-state"],
    "none": ["--bidirectional", "--merge-mode", "none"],
    "stack-lengths": ["--layers", "3,2", *LENGTHS],
    "stack3-dense": ["--layers", "4,3,2", "--return-sequences", "--return-state", "--dense", "2:relu"],
    "bidirectional-stack-dense": ["--layers", "3,3", "--bidirectional", "--dense", "2:relu"],
    "bidirectional-stack-dense-lengths": [
        *["--layers", "3,3", "--bidirectional", "--dense", "2:relu", "--return-state", *LENGTHS]
    ],
    "masking-sum-stack": [
        *["--layers", "3,2", "--bidirectional", "--merge-mode", "sum", "--return-sequences"],
        *[*LENGTHS, "--mask-value", "0"],
    ],
    "as-written": ["--layers", "3,2", "--as-written", "--return-sequences", "--return-state"],
    "training": ["--layers", "3,2", "--bidirectional", "--training", "--dropout", "0.3", "--batch", "2"],
    "dense-linear": ["--dense", "2", "--return-sequences"],
}


@pytest.fixture(scope="module")
def printed(invoke, tmp_path_factory) -> dict[str, list[dict]]:
    """Every case's Keras script, run in one subprocess (one TensorFlow import), each from a fresh namespace."""
    folder = tmp_path_factory.mktemp("scripts")
    paths = []
    for case, args in KERAS_CASES.items():
        result = invoke("code", *args)
        assert result.exit_code == 0, result.output
        path = folder / f"{case}.py"
        path.write_text(result.stdout, encoding="utf-8")
        paths.append(str(path))
    driver = (
        "import json, sys\n"
        "for path in sys.argv[1:]:\n"
        "    print(json.dumps({'script': path}))\n"
        "    exec(compile(open(path).read(), path, 'exec'), {'__name__': '__main__'})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", driver, *paths],
        capture_output=True,
        text=True,
        timeout=600,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    starts = [k for k, line in enumerate(lines) if "script" in line] + [len(lines)]
    assert len(starts) == len(KERAS_CASES) + 1
    return {case: lines[starts[k] + 1 : starts[k + 1]] for k, case in enumerate(KERAS_CASES)}


@pytest.mark.parametrize("case", list(KERAS_CASES))
def test_keras_script_prints_the_tools_outputs_by_name(printed, run_json, case):
    doc = run_json(*KERAS_CASES[case])
    assert [p["name"] for p in printed[case]] == [o["name"] for o in doc["outputs"]]
    for line, output in zip(printed[case], doc["outputs"]):
        assert line["shape"] == output["shape"]
        np.testing.assert_allclose(np.array(line["values"]), np.array(output["values"]), rtol=0, atol=1e-6)


def test_keras_script_equals_the_model_written_by_hand(printed, keras):
    """The same model as a Keras user writes it, names left to Keras: the seed alone fixes the numbers."""
    keras.utils.set_random_seed(42)
    x = np.arange(1, 21, dtype="float32").reshape(1, 10, 2)
    inputs = keras.Input(batch_shape=x.shape)
    hidden = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))(inputs)
    hidden = keras.layers.Bidirectional(keras.layers.LSTM(3))(hidden)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="relu")(hidden))
    expected = np.asarray(model(x))
    (line,) = printed["bidirectional-stack-dense"]
    np.testing.assert_allclose(np.array(line["values"]), expected, rtol=0, atol=1e-6)


def test_keras_script_writes_the_layers_as_the_tool_names_them(invoke):
    script = invoke("code", "--layers", "3,3", "--bidirectional", "--merge-mode", "ave", "--dense", "2:relu").stdout
    for code in (
        'inputs = keras.Input(batch_shape=(1, 10, 2), name="input")',
        'keras.layers.LSTM(3, return_sequences=True, name="lstm_1")',
        'keras.layers.LSTM(3, name="lstm_2")',
        'merge_mode="ave",\n    name="bidirectional_2",',
        'dense = keras.layers.Dense(2, activation="relu", name="dense")',
        "keras.utils.set_random_seed(42)",
    ):
        assert code in script
    assert "--layers 3,3 --bidirectional --merge-mode ave --dense 2:relu" in script.splitlines()[0]


def test_a_one_entry_stack_writes_the_single_layer_script(invoke):
    assert invoke("code", "--layers", "3").stdout == invoke("code", "--units", "3").stdout


def test_a_script_runs_on_its_own(invoke, run_json):
    args = ["--layers", "2,2", "--bidirectional", "--merge-mode", "mul", "--return-sequences", "--random-seed", "7"]
    result = invoke("code", *args)
    assert result.exit_code == 0, result.output
    lines = _run_script(result.stdout)
    doc = run_json(*args)
    assert [(p["name"], p["values"]) for p in lines] == [(o["name"], o["values"]) for o in doc["outputs"]]


def test_model_script_in_chinese_is_the_same_code(invoke):
    args = ["--layers", "3,3", "--bidirectional", "--dense", "2:relu", "--return-state"]
    for framework, more in (("keras", LENGTHS), ("torch", [])):
        en = invoke("code", "--framework", framework, *args, *more)
        zh = invoke("code", "--framework", framework, *args, *more, "--lang", "zh")
        assert en.exit_code == zh.exit_code == 0, en.output + zh.output
        assert _prose_and_code(zh.stdout)[1] == _prose_and_code(en.stdout)[1]
        assert _prose_and_code(zh.stdout)[0] != _prose_and_code(en.stdout)[0]


class Tensor(np.ndarray):
    """What the scripts use of torch.Tensor: NumPy arithmetic and slicing, and these four methods."""

    def flip(self, dim: int) -> Tensor:
        return np.flip(np.asarray(self), dim).view(Tensor)

    def copy_(self, other: np.ndarray) -> Tensor:
        assert self.shape == np.shape(other), (self.shape, np.shape(other))
        self[...] = other
        return self

    def detach(self) -> Tensor:
        return self

    def numpy(self) -> np.ndarray:
        return np.asarray(self)


def _tensor(data) -> Tensor:
    return np.array(data, dtype=np.float64).view(Tensor)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


class LSTM:
    """torch.nn.LSTM as its documentation writes it: per layer and direction, gates i, f, g, o from
    W_ih·x + b_ih + W_hh·h + b_hh; the reverse direction reads the sequence backwards and its outputs
    are put back in time order beside the forward ones; h_n and c_n hold layer 0's forward, layer
    0's reverse, layer 1's forward, … Parameters start as NaN, so one left uncopied shows."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, bidirectional=False):
        assert batch_first
        self.hidden, self.layers, self.bias = hidden_size, num_layers, bias
        self.suffixes = ("", "_reverse") if bidirectional else ("",)
        for k in range(num_layers):
            width = input_size if k == 0 else hidden_size * len(self.suffixes)
            for suffix in self.suffixes:
                shapes = {"weight_ih": (4 * hidden_size, width), "weight_hh": (4 * hidden_size, hidden_size)}
                if bias:
                    shapes |= {"bias_ih": (4 * hidden_size,), "bias_hh": (4 * hidden_size,)}
                for name, shape in shapes.items():
                    setattr(self, f"{name}_l{k}{suffix}", _tensor(np.full(shape, np.nan)))

    def _direction(self, x, k, suffix):
        p = {name: np.asarray(getattr(self, f"{name}_l{k}{suffix}")) for name in ("weight_ih", "weight_hh")}
        h = np.zeros((x.shape[0], self.hidden))
        c = np.zeros_like(h)
        steps = []
        for t in range(x.shape[1]):
            z = x[:, t] @ p["weight_ih"].T + h @ p["weight_hh"].T
            if self.bias:
                z = z + np.asarray(getattr(self, f"bias_ih_l{k}{suffix}")) + getattr(self, f"bias_hh_l{k}{suffix}")
            i, f, g, o = np.split(np.asarray(z), 4, axis=1)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
            steps.append(h)
        return np.stack(steps, axis=1), h, c

    def __call__(self, x):
        sequence, hs, cs = np.asarray(x), [], []
        for k in range(self.layers):
            outputs = []
            for suffix in self.suffixes:
                read = sequence[:, ::-1] if suffix else sequence
                out, h, c = self._direction(read, k, suffix)
                outputs.append(out[:, ::-1] if suffix else out)
                hs.append(h)
                cs.append(c)
            sequence = np.concatenate(outputs, axis=-1)
        return _tensor(sequence), (_tensor(np.stack(hs)), _tensor(np.stack(cs)))


class Linear:
    def __init__(self, in_features, out_features, bias=True):
        self.weight = _tensor(np.full((out_features, in_features), np.nan))
        self.bias = _tensor(np.full((out_features,), np.nan)) if bias else None

    def __call__(self, x):
        y = np.asarray(x) @ np.asarray(self.weight).T
        return _tensor(y if self.bias is None else y + np.asarray(self.bias))


def _fake_torch() -> types.ModuleType:
    torch = types.ModuleType("torch")
    torch.tensor = _tensor
    torch.no_grad = contextlib.nullcontext
    torch.cat = lambda tensors, dim=0: _tensor(np.concatenate([np.asarray(t) for t in tensors], axis=dim))
    torch.relu = lambda t: _tensor(np.maximum(np.asarray(t), 0))
    torch.sigmoid = lambda t: _tensor(_sigmoid(np.asarray(t)))
    torch.nn = types.SimpleNamespace(LSTM=LSTM, Linear=Linear)
    return torch


TORCH_CASES = {
    "bidirectional-last": ["--bidirectional", "--batch", "2"],
    "bidirectional-stack-state": ["--layers", "3,3", "--bidirectional", "--return-sequences", "--return-state"],
    "stack3-dense-state": ["--layers", "3,3,3", "--dense", "2:relu", "--return-state"],
    "bidirectional-stack-dense": ["--layers", "3,3", "--bidirectional", "--dense", "2:relu", "--batch", "2"],
    "backwards-dense": ["--go-backwards", "--dense", "2", "--return-state"],
    "no-bias-sigmoid": ["--layers", "2,2", "--no-use-bias", "--bidirectional", "--dense", "2:sigmoid"],
}


@pytest.mark.parametrize("case", list(TORCH_CASES))
def test_torch_script_prints_the_tools_outputs_by_name(invoke, run_json, capsys, monkeypatch, case):
    args = TORCH_CASES[case]
    result = invoke("code", "--framework", "torch", *args)
    assert result.exit_code == 0, result.output
    monkeypatch.setitem(sys.modules, "torch", _fake_torch())
    capsys.readouterr()
    exec(compile(result.stdout, f"{case}.py", "exec"), {"__name__": "__main__"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    doc = run_json(*args)
    assert [p["name"] for p in lines] == [o["name"] for o in doc["outputs"]]
    for line, output in zip(lines, doc["outputs"]):
        assert line["shape"] == output["shape"]
        np.testing.assert_allclose(np.array(line["values"]), np.array(output["values"]), rtol=0, atol=1e-5)


def test_torch_script_picks_the_backward_half_at_step_zero(invoke):
    script = invoke("code", "--framework", "torch", "--layers", "4,4", "--bidirectional").stdout
    assert "num_layers=2" in script and "bidirectional=True" in script and "hidden_size=4" in script
    assert "last = torch.cat([out[:, -1, :4], out[:, 0, 4:]], dim=-1)" in script
    for name in ("weight_ih_l0", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l0"):
        assert f"lstm.{name}.copy_(" in script


def test_torch_script_runs_when_torch_is_installed(invoke, run_json):
    pytest.importorskip("torch")
    args = ["--layers", "3,3", "--bidirectional", "--dense", "2:relu", "--return-state", "--batch", "2"]
    lines = _run_script(invoke("code", "--framework", "torch", *args).stdout)
    for line, output in zip(lines, run_json(*args)["outputs"], strict=True):
        np.testing.assert_allclose(np.array(line["values"]), np.array(output["values"]), atol=1e-5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--layers", "8,4"],
            "--framework torch can't map --layers 8,4: a torch.nn.LSTM stack has one hidden_size for every "
            "layer; give every layer the same units, e.g. --layers 8,8",
        ),
        (["--bidirectional", "--merge-mode", "sum"], "--framework torch can't map --merge-mode sum:"),
        (["--bidirectional", "--merge-mode", "none"], "--framework torch can't map --merge-mode none:"),
        (["--layers", "3,3", "--as-written"], "--framework torch can't map --as-written:"),
        (["--layers", "3,3", "--go-backwards"], "--framework torch can't map --go-backwards in a stack:"),
        (["--dense", "2:sparsemax"], "--framework torch can't map --dense 2:sparsemax:"),
    ],
)
def test_torch_refuses_what_it_cannot_map(invoke, args, message):
    result = invoke("code", "--framework", "torch", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: " + message), result.stderr
