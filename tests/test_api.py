"""The Python API: what a notebook gets equals what the command prints, and importing it is cheap."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer.errors import UsageError

README = Path(__file__).resolve().parent.parent / "README.md"


def test_importing_the_package_loads_neither_numpy_nor_tensorflow():
    code = "import sys, lstm_explorer; print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'tensorflow', 'keras', 'rich')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout.strip()) == []


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (lambda: lstm_explorer.run(units=3, return_sequences=True), ["--units", "3", "--return-sequences"]),
        (
            lambda: lstm_explorer.run(
                batch=2, dropout=0.5, seed=1, training=True, return_state=True, kernel_regularizer="l2(0.01)"
            ),
            [
                "--batch",
                "2",
                "--dropout",
                "0.5",
                "--seed",
                "1",
                "--training",
                "--return-state",
                "--kernel-regularizer",
                "l2(0.01)",
            ],
        ),
        (lambda: lstm_explorer.run(effects=True, units=2), ["--show-effects", "--units", "2"]),
        (
            lambda: lstm_explorer.trace(sample=1, batch=2, units=2, go_backwards=True),
            ["trace", "--sample", "1", "--batch", "2", "--units", "2", "--go-backwards"],
        ),
        (lambda: lstm_explorer.vary("units", [1, 2], scale=True), ["vary", "units", "1", "2", "--scale"]),
        (lambda: lstm_explorer.vary("return_sequences"), ["vary", "return_sequences"]),
    ],
    ids=["run", "training", "effects", "trace", "vary", "vary-defaults"],
)
def test_to_dict_is_the_commands_json_document(run_json, call, args):
    document = call().to_dict()
    expected = run_json(*args)
    assert json.loads(json.dumps(document)) == _without_timings(expected) | _timings(document)


def _timings(document: dict) -> dict:
    """unroll's demonstration times two calls; nothing else in a document depends on the clock."""
    return {"effects": document["effects"]} if "unroll" in document.get("effects", {}) else {}


def _without_timings(document: dict) -> dict:
    if "unroll" in document.get("effects", {}):
        return {**document, "effects": {k: v for k, v in document["effects"].items() if k != "unroll"}}
    return document


def test_unroll_figures_other_than_timings_agree(run_json):
    api = lstm_explorer.run(unroll=True).to_dict()["effects"]["unroll"]
    cli = run_json("--unroll")["effects"]["unroll"]
    assert api["max_abs_diff"] == cli["max_abs_diff"] and set(api["seconds"]) == set(cli["seconds"])


def test_python_values_and_typed_text_vary_alike():
    assert (
        lstm_explorer.vary("go_backwards", [False, True]).to_dict()
        == lstm_explorer.vary("go_backwards", ["false", "true"]).to_dict()
    )


def test_export_is_the_code_command(invoke):
    assert lstm_explorer.export(units=4, return_state=True) == invoke("code", "--units", "4", "--return-state").stdout


def test_explain_is_the_explain_command(invoke):
    document = json.loads(invoke("explain", "stateful", "--lang", "zh", "--json").stdout)
    assert lstm_explorer.explain("stateful", lang="zh").to_dict() == document


def test_an_array_is_an_input_like_a_file(tmp_path):
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 6, 2)
    path = tmp_path / "x.npy"
    np.save(path, x)
    from_array = lstm_explorer.run(x, units=2).to_dict()
    from_file = lstm_explorer.run(path, units=2).to_dict()
    assert from_array["outputs"] == from_file["outputs"]
    assert from_array["input"]["source"] == "a NumPy array of shape (2, 6, 2)"
    assert lstm_explorer.run(x[0], units=2).to_dict()["outputs"][0]["values"] == from_array["outputs"][0]["values"][:1]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lstm_explorer.run(unitz=3), "unknown argument 'unitz'; did you mean 'units'?"),
        (lambda: lstm_explorer.run(return_sequences="yes"), "--return-sequences must be True or False, got 'yes'"),
        (lambda: lstm_explorer.run(dropout="0.5"), "--dropout must be a number between 0 and 1, got '0.5'"),
        (lambda: lstm_explorer.run(dropout=1.5), "--dropout must be between 0 and 1"),
        (lambda: lstm_explorer.run(np.zeros((2, 2, 2, 2))), "it must be 2-D (timesteps, features) or 3-D"),
        (lambda: lstm_explorer.run(effects=["nope"]), "effects: no demonstration for nope"),
        (lambda: lstm_explorer.trace(sample=3), "--sample must be between 0 and 0"),
        (lambda: lstm_explorer.export(framework="jax"), "--framework must be keras or torch"),
    ],
)
def test_mistakes_raise_the_commands_message(call, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        call()


def test_the_readme_example_runs():
    code = re.search(r"## Python API.*?```python\n(.*?)```", README.read_text(), re.S).group(1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "(1, 10, 3) 72 True"
    first, second = ast.literal_eval(lines[3])
    assert first == 0.0 and second > 0  # dropout acts in training mode: the second row differs
