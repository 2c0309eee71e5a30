"""--initial-h and --initial-c: the call's initial_state, against the layer called directly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.test_zh import CJK, untranslated

SHAPE = ["--batch", "2", "--timesteps", "6", "--units", "3", "--scale"]


def keras_call(keras, document: dict, h: np.ndarray, c: np.ndarray, mask: np.ndarray | None = None) -> list:
    """The run's layer rebuilt from its JSON weights and called with initial_state=[h, c]."""
    x = np.array(document["input"]["values"], dtype="float32")
    config = document["config"]
    layer = keras.layers.LSTM(
        config["units"], return_sequences=config["return_sequences"], return_state=config["return_state"]
    )
    layer.build(x.shape)
    layer.set_weights([np.array(w["values"], dtype="float32") for w in document["weights"]])
    returned = layer(x, initial_state=[h.astype("float32"), c.astype("float32")], mask=mask)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


def assert_outputs(document: dict, expected: list) -> None:
    for output, want in zip(document["outputs"], expected, strict=True):
        np.testing.assert_allclose(np.array(output["values"]), want, rtol=0, atol=1e-6)


def test_numbers_fill_the_states(keras, run_json):
    document = run_json(*SHAPE, "--initial-h", "0.5", "--initial-c", "-0.25", "--return-sequences", "--return-state")
    h, c = np.full((2, 3), 0.5), np.full((2, 3), -0.25)
    assert document["initial_state"]["h"]["values"] == h.tolist()
    assert document["initial_state"]["c"] == {"shape": [2, 3], "values": c.tolist(), "source": "filled with -0.25"}
    assert_outputs(document, keras_call(keras, document, h, c))
    assert document["reference"]["ok"]


def test_one_state_alone_leaves_the_other_at_zeros(keras, run_json):
    document = run_json(*SHAPE, "--initial-c", "1")
    assert document["initial_state"]["h"]["values"] == np.zeros((2, 3)).tolist()
    assert document["initial_state"]["h"]["source"] is None
    assert_outputs(document, keras_call(keras, document, np.zeros((2, 3)), np.ones((2, 3))))


@pytest.mark.parametrize(
    ("name", "values"), [("row.json", [0.1, -0.2, 0.3]), ("full.npy", [[0.1, 0.2, 0.3], [-1, 0, 1]])]
)
def test_a_state_file_of_units_or_batch_by_units(keras, run_json, tmp_path, name, values):
    path = tmp_path / name
    if name.endswith(".npy"):
        np.save(path, np.array(values, dtype="float32"))
    else:
        path.write_text(json.dumps(values))
    document = run_json(*SHAPE, "--initial-h", str(path), "--return-state")
    h = np.broadcast_to(np.array(values, dtype="float32"), (2, 3))
    np.testing.assert_allclose(document["initial_state"]["h"]["values"], h)
    assert_outputs(document, keras_call(keras, document, h, np.zeros((2, 3))))


def test_an_initializer_is_drawn_from_the_random_seed(keras, run_json):
    spec = "random_normal(stddev=0.5)"
    first = run_json(*SHAPE, "--initial-h", spec)
    again = run_json(*SHAPE, "--initial-h", spec)
    other = run_json(*SHAPE, "--initial-h", spec, "--random-seed", "7")
    h = np.array(first["initial_state"]["h"]["values"])
    assert h.tolist() == again["initial_state"]["h"]["values"] != other["initial_state"]["h"]["values"]
    assert 0.1 < h.std() < 1.5 and first["initial_state"]["h"]["source"] == spec
    assert_outputs(first, keras_call(keras, first, h, np.zeros((2, 3))))


def test_the_demonstration_measures_how_long_the_start_is_remembered(keras, run_json):
    document = run_json(*SHAPE, "--initial-h", "0.8", "--initial-c", "0.8")
    effect = document["effects"]["initial_state"]
    given = keras_call(
        keras, {**document, "config": {**document["config"], "return_sequences": True}}, *[np.full((2, 3), 0.8)] * 2
    )[0]
    zeros = keras_call(
        keras, {**document, "config": {**document["config"], "return_sequences": True}}, *[np.zeros((2, 3))] * 2
    )[0]
    per_step = np.abs(given - zeros).max(axis=(0, 2))
    np.testing.assert_allclose(effect["max_abs_diff_per_step"], per_step, atol=1e-6)
    lasting = [t for t in range(6) if (per_step[t:] < 1e-3).all()]
    assert effect["steps_until_below"] == (lasting[0] + 1 if lasting else None)


def test_with_a_mask_the_padded_steps_still_output_zeros(keras, run_json):
    document = run_json(*SHAPE, "--initial-h", "0.5", "--lengths", "6,2", "--return-sequences")
    sequence = np.array(document["outputs"][0]["values"])
    assert not sequence[1, :4].any()  # pre-padding: zeros, whatever the initial state
    mask = np.array([[True] * 6, [False] * 4 + [True] * 2])
    assert_outputs(document, keras_call(keras, document, np.full((2, 3), 0.5), np.zeros((2, 3)), mask))


def test_the_trace_starts_from_the_given_state(run_json):
    document = run_json("trace", *SHAPE, "--initial-h", "0.5", "--initial-c", "0.25")
    w = {x["name"]: np.array(x["values"]) for x in document["weights"]}
    step = document["steps"][0]
    z = np.array(step["x"]) @ w["kernel"] + np.full(3, 0.5) @ w["recurrent_kernel"] + w["bias"]
    np.testing.assert_allclose(step["z"], z, atol=1e-5)
    i, f, g, o = (z[k * 3 : (k + 1) * 3] for k in range(4))
    c = 1 / (1 + np.exp(-f)) * 0.25 + 1 / (1 + np.exp(-i)) * np.tanh(g)
    np.testing.assert_allclose(step["c"], c, atol=1e-5)
    np.testing.assert_allclose(step["h"], 1 / (1 + np.exp(-o)) * np.tanh(c), atol=1e-5)


def test_the_trace_screen_shows_the_recurrent_terms(invoke):
    screen = invoke("trace", *SHAPE, "--initial-h", "0.5").stdout
    flat = " ".join(" ".join(line.strip("│ ") for line in screen.splitlines()).split())
    assert "h and c start from the given initial state, so h·R adds one term per unit" in flat
    equation = flat[flat.index("z_i = ") : flat.index("i = σ")]
    assert equation.count("0.5000×") == 3  # one h·R term per unit


def test_stateful_with_an_initial_state_restarts_from_it(run_json):
    effect = run_json(*SHAPE, "--stateful", "--initial-h", "0.5")["effects"]["stateful"]
    assert effect["first_call"] == effect["second_call"]


@pytest.mark.parametrize(
    "extra", [[], ["--lengths", "6,2"], ["--lengths", "6,2", "--padding", "post", "--mask-value", "-1"]]
)
def test_the_exported_script_starts_from_the_same_state(invoke, run_json, extra):
    from tests.test_vary_code import _run_script

    args = [*SHAPE, "--initial-h", "random_normal(stddev=0.5)", "--initial-c", "0.25", "--return-state", *extra]
    printed = _run_script(invoke("code", *args).stdout)
    document = run_json(*args)
    for line, output in zip(printed, document["outputs"], strict=True):
        np.testing.assert_allclose(np.array(line["values"]), np.array(output["values"]), rtol=0, atol=1e-6)


def test_vary_passes_the_state_to_every_row(run_json):
    document = run_json("vary", "go_backwards", *SHAPE, "--initial-h", "0.5")
    for row, flag in zip(document["rows"], ([], ["--go-backwards"])):
        run = run_json(*SHAPE, "--initial-h", "0.5", *flag)
        np.testing.assert_allclose(np.ravel(row["outputs"][0]), np.ravel(run["outputs"][0]["values"]))


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (["--initial-h", "{wide}"], "--initial-h: the state has shape (4,); it must be (batch, units) = (2, 3)"),
        (["--initial-c", "{tall}"], "--initial-c: the state has shape (3, 3); it must be (batch, units) = (2, 3)"),
        (["--initial-h", "nan"], "--initial-h must be finite, got nan"),
        (["--initial-h", "random_nromal"], "--initial-h: unknown initializer 'random_nromal'; did you mean"),
        (["--initial-h", "constant"], "--initial-h constant needs its value"),
        (["--initial-h", "{missing}"], "no such file"),
        (["--initial-h", "none"], "--initial-h takes a number, an initializer"),
        (["code", "--framework", "torch", "--initial-h", "1"], "code --framework torch with --initial-h or"),
    ],
)
def test_state_mistakes_are_one_line_naming_the_shape(invoke, tmp_path, args, english):
    (tmp_path / "wide.json").write_text("[1, 2, 3, 4]")
    (tmp_path / "tall.json").write_text(json.dumps([[0.0] * 3] * 3))
    paths = {name: str(tmp_path / f"{name}.json") for name in ("wide", "tall", "missing")}
    args = [arg.format(**paths) for arg in args]
    if args[0] == "code":
        args = ["code", *SHAPE, *args[1:]]
    else:
        args = [*SHAPE, *args]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and english in result.stderr, result.stderr
    chinese = invoke(*args, "--lang", "zh")
    line = chinese.stderr.strip()
    assert chinese.exit_code == 2 and chinese.stderr.count("\n") == 1 and CJK.search(line), chinese.stderr
    assert untranslated(line.replace(str(tmp_path), "")) == []


def test_the_initial_state_in_chinese(invoke):
    screen = invoke(*SHAPE, "--initial-h", "0.5", "--lang", "zh").stdout
    assert "调用开始时的初始状态（initial_state=[h, c]）：h 全部填为 0.5；c 零（未给出）" in screen
    assert "initial_state：同一输入分别从零状态和给定状态出发" in screen
