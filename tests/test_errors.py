"""Every mistake a user can make: one `Error:` line naming the flag, exit 2 (usage) or 1 (runtime)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest


def _files(tmp: Path) -> dict[str, Path]:
    files = {
        "missing": tmp / "missing.npy",
        "dir": tmp / "folder.npy",
        "bad_json": tmp / "bad.json",
        "ragged": tmp / "ragged.json",
        "header": tmp / "header.csv",
        "text_csv": tmp / "text.csv",
        "ragged_csv": tmp / "ragged.csv",
        "empty_csv": tmp / "empty.csv",
        "truncated": tmp / "truncated.npy",
        "pickled": tmp / "pickled.npy",
        "one_d": tmp / "one_d.npy",
        "four_d": tmp / "four_d.npy",
        "nan": tmp / "nan.json",
        "inf": tmp / "inf.csv",
        "txt": tmp / "data.txt",
        "strings": tmp / "strings.json",
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
    np.save(files["one_d"], np.zeros(5))
    np.save(files["four_d"], np.zeros((1, 2, 3, 4)))
    files["nan"].write_text("[[1, NaN], [3, 4]]")
    files["inf"].write_text("1,2\ninf,4\n")
    files["txt"].write_text("1,2")
    files["strings"].write_text('[["a", "b"]]')
    return files


# (arguments, exit status, text the one line must contain). {name} is replaced by a file's path.
CASES = [
    (["--activation", "rleu"], 2, "--activation: unknown activation 'rleu'; did you mean 'relu'"),
    (["--recurrent-activation", "sigmod"], 2, "did you mean 'sigmoid'"),
    (["--activation", "glu"], 2, "--activation glu can't be used inside an LSTM"),
    (["--activation", ""], 2, "--activation: unknown activation ''"),
    (["--units", "0"], 2, "--units must be a positive integer, got 0"),
    (["--units", "-3"], 2, "--units must be a positive integer, got -3"),
    (["--units", "abc"], 2, "'--units'"),
    (["--units", "2.5"], 2, "'--units'"),
    (["--dropout", "1.5"], 2, "--dropout must be between 0 and 1, got 1.5"),
    (["--dropout", "-0.1"], 2, "--dropout must be between 0 and 1"),
    (["--recurrent-dropout", "nan"], 2, "--recurrent-dropout must be between 0 and 1"),
    (["--dropout", "half"], 2, "'--dropout'"),
    (["--seed", "-1"], 2, "--seed must be a non-negative integer"),
    (["--random-seed", "-1"], 2, "--random-seed must be between 0 and"),
    (["--use-cudnn", "maybe"], 2, "--use-cudnn must be auto, true or false"),
    (["--use-cudnn", "true", "--activation", "relu"], 2, "--use-cudnn true needs activation tanh, which this configuration lacks"),
    (["--use-cudnn", "true"], 2, "--use-cudnn true needs a GPU"),
    (["--implementation", "3"], 2, "--implementation must be 1 or 2"),
    (["--time-major"], 2, "--time-major was removed in Keras 3"),
    (["--kernel-initializer", "glorot_unifrom"], 2, "--kernel-initializer: unknown initializer 'glorot_unifrom'; did you mean 'glorot_uniform'"),
    (["--kernel-initializer", "none"], 2, "--kernel-initializer can't be none"),
    (["--kernel-regularizer", "l3(0.1)"], 2, "--kernel-regularizer: unknown regularizer 'l3'"),
    (["--kernel-regularizer", "l2("], 2, "--kernel-regularizer: cannot parse"),
    (["--kernel-regularizer", "l2(x=1)"], 2, "--kernel-regularizer l2(x=1):"),
    (["--kernel-regularizer", "l2(1, 2, 3)"], 2, "--kernel-regularizer l2(1, 2, 3):"),
    (["--bias-regularizer", "__import__('os')"], 2, "--bias-regularizer: unknown regularizer '__import__'"),
    (["--kernel-constraint", "max_norm(max_value='big')"], 2, "--kernel-constraint max_norm(max_value='big'): max_value must be a number, got 'big'"),
    (["--kernel-initializer", "random_normal(stddev=0.05, sd=1)"], 2, "unexpected keyword argument 'sd'"),
    (["--recurrent-constraint", "nonneg"], 2, "did you mean 'NonNeg' or 'non_neg'"),
    (["--input", "{missing}"], 2, "missing.npy: no such file"),
    (["--input", "{dir}"], 2, "is a directory"),
    (["--input", "{bad_json}"], 2, "is not valid JSON"),
    (["--input", "{ragged}"], 2, "nested lists of numbers of equal length"),
    (["--input", "{header}"], 2, "row 1, column 1: 'a' is not a number (a header row is not supported)"),
    (["--input", "{text_csv}"], 2, "row 2, column 2: 'x' is not a number"),
    (["--input", "{ragged_csv}"], 2, "row 2 has 1 columns, row 1 has 2"),
    (["--input", "{empty_csv}"], 2, "is empty"),
    (["--input", "{truncated}"], 2, "is not a valid .npy file"),
    (["--input", "{pickled}"], 2, "refusing to unpickle"),
    (["--input", "{one_d}"], 2, "is 1-D with shape (5,); it must be 2-D (timesteps, features) or 3-D"),
    (["--input", "{four_d}"], 2, "is 4-D"),
    (["--input", "{nan}"], 2, "contains NaN at index (0, 0, 1)"),
    (["--input", "{inf}"], 2, "contains Inf"),
    (["--input", "{txt}"], 2, "unsupported file type '.txt'"),
    (["--input", "{strings}"], 2, "nested lists of numbers"),
    (["--input", ""], 2, "--input is empty"),
    (["--input", "{one_d}", "--batch", "2"], 2, "--input can't be combined with --batch"),
    (["--batch", "0"], 2, "--batch must be a positive integer, got 0"),
    (["--timesteps", "-1"], 2, "--timesteps must be a positive integer"),
    (["--unitz", "3"], 2, "No such option: --unitz"),
    (["extra-argument"], 2, "extra-argument"),
]


@pytest.mark.parametrize(("args", "status", "message"), CASES, ids=[" ".join(c[0]) or "empty" for c in CASES])
def test_bad_input(invoke, tmp_path, args, status, message):
    files = _files(tmp_path)
    args = [a.format(**files) if a.startswith("{") else a for a in args]
    result = invoke(*args)
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_unreadable_file_is_a_runtime_error(invoke, tmp_path, monkeypatch):
    path = tmp_path / "locked.json"
    path.write_text("[[1, 2]]")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    result = invoke("--input", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: --input {path}: cannot read it: Permission denied\n"


def test_unknown_name_lists_every_valid_name(invoke):
    result = invoke("--bias-constraint", "maxnorm")
    assert result.exit_code == 2
    for name in ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm", "non_neg", "unit_norm"):
        assert name in result.stderr


def test_debug_shows_the_traceback(invoke):
    result = invoke("--units", "0", "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == "Error: --units must be a positive integer, got 0"


def test_keras_call_failure_is_runtime_error(invoke, monkeypatch):
    from lstm_explorer import engine

    def explode(*args, **kwargs):
        raise ValueError("\x1b[1mException encountered when calling LSTM.call().\n\nboom\x1b[0m\n\nArguments received by LSTM.call(): x")

    real_import = engine._import_keras

    def patched():
        keras, tf = real_import()

        class Model:
            def __init__(self, *args, **kwargs):
                pass

            __call__ = explode
            inputs: list = []
            outputs: list = []

        monkeypatch.setattr(keras, "Model", Model)
        return keras, tf

    monkeypatch.setattr(engine, "_import_keras", patched)
    result = invoke()
    assert result.exit_code == 1
    assert result.stderr == "Error: the LSTM call failed: boom\n"
