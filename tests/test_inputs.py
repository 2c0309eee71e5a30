"""Each input format read into the (batch, timesteps, features) array the layer gets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_explorer import inputs
from lstm_explorer.errors import UsageError

SAMPLE = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2]]


def test_npy_2d_is_one_sample(tmp_path, run_json):
    path = tmp_path / "x.npy"
    np.save(path, np.array(SAMPLE))
    doc = run_json("--input", str(path))
    assert doc["input"]["shape"] == [1, 4, 3]
    np.testing.assert_allclose(doc["input"]["values"], [SAMPLE], rtol=1e-7)
    assert doc["layer"]["input_shape"] == [1, 4, 3]


def test_npy_3d_is_a_batch(tmp_path, run_json):
    path = tmp_path / "x.npy"
    np.save(path, np.stack([SAMPLE, SAMPLE]).astype(np.float32))
    doc = run_json("--input", str(path), "--units", "5")
    assert doc["input"]["shape"] == [2, 4, 3]
    assert [o["shape"] for o in doc["outputs"]] == [[2, 5]]


def test_json_nested_lists(tmp_path, run_json):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([SAMPLE, SAMPLE, SAMPLE]))
    doc = run_json("--input", str(path), "--return-sequences")
    assert doc["input"]["shape"] == [3, 4, 3]
    assert doc["outputs"][0]["shape"] == [3, 4, 3]


def test_csv_rows_are_timesteps(tmp_path, run_json):
    path = tmp_path / "x.csv"
    path.write_text("\n".join(",".join(str(v) for v in row) for row in SAMPLE) + "\n")
    doc = run_json("--input", str(path))
    assert doc["input"]["shape"] == [1, 4, 3]
    np.testing.assert_allclose(doc["input"]["values"], [SAMPLE], rtol=1e-7)


def test_csv_integers_and_blank_lines(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("1,2\n\n3,4\n")
    data = inputs.load(str(path))
    assert data.values.tolist() == [[[1.0, 2.0], [3.0, 4.0]]]
    assert data.values.dtype == np.float32


def test_generated_shape_and_pattern(run_json):
    doc = run_json("--batch", "2", "--timesteps", "3", "--features", "4")
    assert doc["input"]["shape"] == [2, 3, 4]
    assert np.array(doc["input"]["values"]).ravel().tolist() == list(range(1, 25))


def test_generated_defaults_to_tutorial_sizes(run_json):
    doc = run_json("--batch", "3")
    assert doc["input"]["shape"] == [3, 10, 2]
    assert doc["input"]["values"][0] == [[2 * t + 1, 2 * t + 2] for t in range(10)]


@pytest.mark.parametrize(
    "array",
    [
        np.zeros(5),
        np.zeros((1, 2, 3, 4)),
        np.zeros((0, 2)),
        np.array([[1, np.nan]]),
        np.array([[np.inf, 1]]),
        np.array([["a", "b"]]),
    ],
)
def test_validate_refuses(array):
    with pytest.raises(UsageError, match="--input"):
        inputs.validate(array, "--input x")


def test_float64_too_large_for_float32_is_refused():
    with pytest.raises(UsageError, match="Inf"):
        inputs.validate(np.array([[1e300, 1.0]]), "--input x")
