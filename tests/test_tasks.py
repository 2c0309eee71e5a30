"""The data `fit` trains on, held against the tasks' definitions computed here from scratch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_explorer import tasks
from lstm_explorer.errors import ExitStatus, RunFailure, UsageError
from lstm_explorer.language import speaking
from tests.test_zh import CJK

SHAPES = {
    # task: (x shape per sample, y shape per sample) at the defaults
    "next": ((10, 2), (2,)),
    "adding": ((50, 2), (1,)),
    "delay": ((20, 1), (20, 1)),
}


@pytest.mark.parametrize("name", tasks.TASKS)
def test_shapes_dtypes_and_the_split(name):
    data = tasks.make(name)
    x_shape, y_shape = SHAPES[name]
    assert data.name == name
    assert data.x_train.shape == (768, *x_shape) and data.x_val.shape == (256, *x_shape)
    assert data.y_train.shape == (768, *y_shape) and data.y_val.shape == (256, *y_shape)
    for array in (data.x_train, data.y_train, data.x_val, data.y_val):
        assert array.dtype == np.float32
    assert data.sequence_target == (name == "delay")
    assert data.target_size == y_shape[-1]


def test_sizes_are_taken_as_given():
    data = tasks.make("delay", samples=10, timesteps=7, features=3, delay=2)
    # a quarter of 10, rounded up, validates
    assert data.x_train.shape == (7, 7, 3) and data.x_val.shape == (3, 7, 3)
    assert data.y_val.shape == (3, 7, 3) and data.target_size == 3


@pytest.mark.parametrize("name", tasks.TASKS)
def test_the_same_seed_gives_the_same_arrays_and_another_seed_others(name):
    first, again, other = tasks.make(name, seed=7), tasks.make(name, seed=7), tasks.make(name, seed=8)
    for field in ("x_train", "y_train", "x_val", "y_val"):
        np.testing.assert_array_equal(getattr(first, field), getattr(again, field))
        assert not np.array_equal(getattr(first, field), getattr(other, field))


def unscaled(values: np.ndarray, timesteps: int) -> np.ndarray:
    """Undo the map onto [−1, 1]: the values range from 1 (start 0) to 99 + 2·T + 2 (start 99)."""
    lowest, highest = 1, 99 + 2 * timesteps + 2
    return values.astype(np.float64) * (highest - lowest) / 2 + (highest + lowest) / 2


@pytest.mark.parametrize("timesteps", [1, 10, 37])
def test_next_is_counting_pairs_and_the_pair_after_them(timesteps):
    data = tasks.make("next", timesteps=timesteps, samples=300)
    for x, y in ((data.x_train, data.y_train), (data.x_val, data.y_val)):
        assert x.min() >= -1 and x.max() <= 1 and y.min() >= -1 and y.max() <= 1
        xs, ys = unscaled(x, timesteps), unscaled(y, timesteps)
        np.testing.assert_allclose(xs, np.round(xs), atol=1e-3)
        np.testing.assert_allclose(ys, np.round(ys), atol=1e-3)
        xs, ys = np.round(xs), np.round(ys)
        starts = xs[:, 0, 0] - 1
        assert starts.min() >= 0 and starts.max() <= 99
        counting = starts[:, None] + 1 + np.arange(2 * timesteps + 2)
        np.testing.assert_array_equal(xs.reshape(len(xs), -1), counting[:, :-2])
        np.testing.assert_array_equal(ys, counting[:, -2:])
    # the extremes of the family reach the ends of [−1, 1]
    every = np.concatenate([data.x_train.ravel(), data.y_train.ravel(), data.x_val.ravel(), data.y_val.ravel()])
    assert every.min() == pytest.approx(-1, abs=0.05) and every.max() == pytest.approx(1, abs=0.05)


def test_next_holds_the_tutorial_sample():
    data = tasks.make("next")
    x = np.round(unscaled(np.concatenate([data.x_train, data.x_val]), 10))
    y = np.round(unscaled(np.concatenate([data.y_train, data.y_val]), 10))
    tutorial = np.flatnonzero(x[:, 0, 0] == 1)
    assert tutorial.size > 0
    np.testing.assert_array_equal(x[tutorial[0]], [[2 * t + 1, 2 * t + 2] for t in range(10)])
    np.testing.assert_array_equal(y[tutorial[0]], [21, 22])


def test_next_scale_maps_the_family_onto_minus_one_to_one():
    centre, half = tasks.next_scale(10)
    assert (1 - centre) / half == -1 and (99 + 22 - centre) / half == 1


@pytest.mark.parametrize("timesteps", [2, 3, 50])
def test_adding_marks_one_step_per_half_and_sums_them(timesteps):
    data = tasks.make("adding", timesteps=timesteps, samples=200)
    for x, y in ((data.x_train, data.y_train), (data.x_val, data.y_val)):
        values, markers = x[:, :, 0], x[:, :, 1]
        assert values.min() >= 0 and values.max() < 1
        assert set(np.unique(markers)) <= {0.0, 1.0}
        half = timesteps // 2
        assert (markers[:, :half].sum(axis=1) == 1).all() and (markers[:, half:].sum(axis=1) == 1).all()
        sums = np.array([sum(v for v, m in zip(row, marks) if m == 1) for row, marks in zip(values, markers)])
        np.testing.assert_allclose(y[:, 0], sums, rtol=1e-6)


@pytest.mark.parametrize(("timesteps", "features", "delay"), [(20, 1, 3), (5, 3, 1), (6, 2, 5)])
def test_delay_targets_are_the_inputs_shifted(timesteps, features, delay):
    data = tasks.make("delay", timesteps=timesteps, features=features, delay=delay, samples=40)
    for x, y in ((data.x_train, data.y_train), (data.x_val, data.y_val)):
        assert x.min() >= -1 and x.max() <= 1
        for t in range(timesteps):
            expected = x[:, t - delay] if t >= delay else np.zeros_like(x[:, t])
            np.testing.assert_array_equal(y[:, t], expected)


@pytest.mark.parametrize(
    "data",
    [
        tasks.make("next", samples=50),
        tasks.make("adding", samples=50),
        tasks.make("delay", samples=50, features=2),
    ],
    ids=tasks.TASKS,
)
def test_baseline_is_the_validation_mse_of_the_training_mean(data):
    y_train, y_val = data.y_train.astype(np.float64), data.y_val.astype(np.float64)
    if y_train.ndim == 3:
        mean = y_train.reshape(-1, y_train.shape[-1]).mean(axis=0)
    else:
        mean = y_train.mean(axis=0)
    expected = np.mean([(value - mean) ** 2 for value in y_val])
    assert data.baseline == pytest.approx(expected, rel=1e-9)


def test_adding_baseline_is_the_variance_of_a_sum_of_two_uniforms():
    # Var(U + V) = 2 × 1/12 for independent U, V uniform on [0, 1).
    assert tasks.make("adding", samples=20_000, timesteps=10).baseline == pytest.approx(1 / 6, abs=0.01)


def test_baseline_text_names_the_predictor_and_its_score():
    data = tasks.make("adding", samples=2000, timesteps=10)
    text = tasks.baseline_text(data)
    assert f"{data.baseline:.3f}" in text and "(about 1.0)" in text
    for name in ("next", "delay"):
        assert f"{tasks.make(name, samples=40).baseline:.3f}" in tasks.baseline_text(tasks.make(name, samples=40))


def save(path, array):
    if path.suffix == ".npy":
        np.save(path, array)
    elif path.suffix == ".json":
        path.write_text(json.dumps(np.asarray(array).tolist()))
    else:
        path.write_text("\n".join(",".join(repr(float(v)) for v in row) for row in np.atleast_2d(array)))
    return str(path)


X = np.arange(5 * 4 * 3, dtype=np.float32).reshape(5, 4, 3) / 10
TARGETS = {
    "(samples, k)": np.arange(10, dtype=np.float32).reshape(5, 2) - 2.5,
    "(samples,)": np.array([0.5, -1.0, 2.0, 3.25, 4.0], dtype=np.float32),
    "(samples, timesteps, k)": np.arange(5 * 4, dtype=np.float32).reshape(5, 4, 1),
}


# A CSV file is two-dimensional: it holds (samples, k) or, one number a row, (samples,).
ROUND_TRIPS = [
    (y, shape) for y in (".npy", ".json", ".csv") for shape in TARGETS if not (y == ".csv" and "timesteps" in shape)
]


@pytest.mark.parametrize("x_suffix", [".npy", ".json"])
@pytest.mark.parametrize(("y_suffix", "shape"), ROUND_TRIPS)
def test_files_round_trip(tmp_path, x_suffix, y_suffix, shape):
    target = TARGETS[shape]
    y_file = save(tmp_path / f"y{y_suffix}", target[:, None] if y_suffix == ".csv" and target.ndim == 1 else target)
    data = tasks.from_files(save(tmp_path / f"x{x_suffix}", X), y_file, seed=3)
    expected_y = target[:, None] if target.ndim == 1 else target
    assert data.name == "files"
    assert data.x_train.shape[0] == 3 and data.x_val.shape[0] == 2
    assert data.sequence_target == (target.ndim == 3) and data.target_size == expected_y.shape[-1]
    x = np.concatenate([data.x_train, data.x_val])
    y = np.concatenate([data.y_train, data.y_val])
    # every sample arrives once, with its own target
    order = [int(np.flatnonzero((X == sample).all(axis=(1, 2)))[0]) for sample in x]
    assert sorted(order) == list(range(5))
    np.testing.assert_array_equal(x, X[order])
    np.testing.assert_array_equal(y, expected_y[order])
    for array in (data.x_train, data.y_train, data.x_val, data.y_val):
        assert array.dtype == np.float32


def test_files_split_follows_the_seed(tmp_path):
    x, y = save(tmp_path / "x.npy", X), save(tmp_path / "y.npy", TARGETS["(samples, k)"])
    first, again = tasks.from_files(x, y, seed=1), tasks.from_files(x, y, seed=1)
    np.testing.assert_array_equal(first.x_val, again.x_val)
    splits = {tasks.from_files(x, y, seed=seed).x_val.tobytes() for seed in range(10)}
    assert len(splits) > 1


def test_two_samples_leave_one_to_validate(tmp_path):
    data = tasks.from_files(save(tmp_path / "x.npy", X[:2]), save(tmp_path / "y.npy", TARGETS["(samples,)"][:2]))
    assert data.x_train.shape[0] == 1 and data.x_val.shape[0] == 1


MAKE_REFUSALS = [
    ({"name": "copy"}, "--task"),
    ({"name": "files"}, "--task"),
    ({"name": "next", "delay": 2}, "--delay"),
    ({"name": "adding", "delay": 2}, "--delay"),
    ({"name": "next", "samples": 7}, "--samples"),
    ({"name": "delay", "samples": 0}, "--samples"),
    ({"name": "adding", "samples": 8.5}, "--samples"),
    ({"name": "next", "timesteps": 0}, "--timesteps"),
    ({"name": "adding", "timesteps": 1}, "--timesteps"),
    ({"name": "delay", "timesteps": 1}, "--timesteps"),
    ({"name": "next", "features": 1}, "--features"),
    ({"name": "next", "features": 3}, "--features"),
    ({"name": "adding", "features": 1}, "--features"),
    ({"name": "delay", "features": 0}, "--features"),
    ({"name": "delay", "delay": 0}, "--delay"),
    ({"name": "delay", "delay": 20}, "--delay"),
    ({"name": "delay", "timesteps": 5, "delay": 5}, "--delay"),
    ({"name": "delay", "delay": True}, "--delay"),
]


@pytest.mark.parametrize(("arguments", "flag"), MAKE_REFUSALS)
def test_make_refuses_naming_the_flag(arguments, flag):
    arguments = dict(arguments)
    with pytest.raises(UsageError) as caught:
        tasks.make(arguments.pop("name"), **arguments)
    message = str(caught.value)
    assert message.startswith(flag) and "\n" not in message
    assert caught.value.exit_code == ExitStatus.USAGE


def test_the_delay_refusal_says_the_largest_delay():
    with pytest.raises(UsageError, match=r"timesteps − 1 \(9\), got 12"):
        tasks.make("delay", timesteps=10, delay=12)


def test_the_largest_delay_and_smallest_sizes_are_accepted():
    assert tasks.make("delay", timesteps=10, delay=9).y_train.shape == (768, 10, 1)
    assert tasks.make("adding", samples=8, timesteps=2).x_val.shape == (2, 2, 2)
    assert tasks.make(" Next ", timesteps=1).name == "next"


@pytest.fixture
def folder(tmp_path):
    """Every file the refusals below read, good and bad, in one folder."""
    save(tmp_path / "x.npy", X)
    save(tmp_path / "y.npy", TARGETS["(samples, k)"])
    save(tmp_path / "x.csv", X[0])
    (tmp_path / "text.json").write_text('{"not": "numbers"}')
    (tmp_path / "words.csv").write_text("1,2\nthree,4\n")
    (tmp_path / "broken.json").write_text("[[1, 2], [3")
    (tmp_path / "nan.json").write_text("[1, NaN, 3, 4, 5]")
    (tmp_path / "folder.npy").mkdir()
    (tmp_path / "y.txt").write_text("1\n2\n")
    np.save(tmp_path / "strings.npy", np.array(["a", "b", "c", "d", "e"]))
    np.save(tmp_path / "inf.npy", np.array([1.0, 2.0, np.inf, 4.0, 5.0]))
    np.save(tmp_path / "huge.npy", np.array([1.0, 2.0, 1e300, 4.0, 5.0]))
    np.save(tmp_path / "rank4.npy", np.zeros((5, 4, 1, 1)))
    np.save(tmp_path / "scalar.npy", np.float64(3))
    np.save(tmp_path / "empty.npy", np.zeros((5, 0)))
    np.save(tmp_path / "six.npy", np.zeros((6, 2)))
    np.save(tmp_path / "steps.npy", np.zeros((5, 3, 1)))
    np.save(tmp_path / "one_x.npy", X[:1])
    np.save(tmp_path / "one_y.npy", np.zeros((1, 2)))
    return tmp_path


FILE_REFUSALS = {
    # case: (input file, target file, the flag the refusal names)
    "missing input": ("none.npy", "y.npy", "--input"),
    "missing target": ("x.npy", "none.npy", "--target"),
    "blank target": ("x.npy", " ", "--target"),
    "target suffix": ("x.npy", "y.txt", "--target"),
    "target folder": ("x.npy", "folder.npy", "--target"),
    "non-numeric input": ("text.json", "y.npy", "--input"),
    "non-numeric target json": ("x.npy", "text.json", "--target"),
    "non-numeric target csv": ("x.npy", "words.csv", "--target"),
    "string target": ("x.npy", "strings.npy", "--target"),
    "broken target": ("x.npy", "broken.json", "--target"),
    "NaN target": ("x.npy", "nan.json", "--target"),
    "Inf target": ("x.npy", "inf.npy", "--target"),
    "target too large for float32": ("x.npy", "huge.npy", "--target"),
    "rank 4 target": ("x.npy", "rank4.npy", "--target"),
    "rank 0 target": ("x.npy", "scalar.npy", "--target"),
    "empty target": ("x.npy", "empty.npy", "--target"),
    "sample counts differ": ("x.npy", "six.npy", "--target"),
    "per-step timesteps differ": ("x.npy", "steps.npy", "--target"),
    "one sample": ("one_x.npy", "one_y.npy", "--input"),
    "a CSV input is one sample": ("x.csv", "one_y.npy", "--input"),
}


@pytest.mark.parametrize("case", FILE_REFUSALS)
def test_from_files_refuses_naming_the_flag(folder, case):
    input_name, target_name, flag = FILE_REFUSALS[case]
    target = target_name if not target_name.strip() else str(folder / target_name)
    with pytest.raises(UsageError) as caught:
        tasks.from_files(str(folder / input_name), target)
    message = str(caught.value)
    assert message.startswith(flag) and "\n" not in message
    assert caught.value.exit_code == ExitStatus.USAGE


def test_an_unreadable_target_is_a_run_failure(tmp_path, monkeypatch):
    x, y = save(tmp_path / "x.json", X), save(tmp_path / "y.npy", TARGETS["(samples, k)"])

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tasks.inputs, "_read_npy", refuse)
    with pytest.raises(RunFailure, match=r"^--target .*Permission denied") as caught:
        tasks.from_files(x, y)
    assert caught.value.exit_code == ExitStatus.FAILURE


def test_a_target_file_over_the_memory_bound_is_refused_unread(tmp_path):
    x, y = save(tmp_path / "x.npy", X), save(tmp_path / "y.json", np.zeros((5, 20_000)))
    with pytest.raises(UsageError, match=r"--target .*--max-memory"):
        tasks.from_files(x, y, bound=2**20)


def test_refusals_speak_chinese():
    with speaking("zh"), pytest.raises(UsageError) as caught:
        tasks.make("delay", timesteps=10, delay=12)
    assert str(caught.value).startswith("--delay") and CJK.search(str(caught.value))
