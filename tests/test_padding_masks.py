"""Runs with a padding mask, from each way in, against the layer called directly with the same mask."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.test_zh import CJK, untranslated

LENGTHS = (5, 3, 1)


def written_out_mask(padding: str) -> np.ndarray:
    """The mask of LENGTHS over 5 timesteps, written out rather than taken from the tool."""
    return np.array([[t >= 5 - n if padding == "pre" else t < n for t in range(5)] for n in LENGTHS])


def keras_outputs(keras, document: dict, mask: np.ndarray, **layer_options) -> list[np.ndarray]:
    """The run's layer rebuilt from its JSON weights and called on its input with `mask`."""
    x = np.array(document["input"]["values"], dtype="float32")
    config = document["config"]
    layer = keras.layers.LSTM(
        config["units"],
        return_sequences=config["return_sequences"],
        return_state=config["return_state"],
        go_backwards=config["go_backwards"],
        **layer_options,
    )
    layer.build(x.shape)
    layer.set_weights([np.array(w["values"], dtype="float32") for w in document["weights"]])
    returned = layer(x, mask=mask)
    return [np.asarray(t) for t in (returned if isinstance(returned, (list, tuple)) else [returned])]


def assert_same(document: dict, expected: list[np.ndarray]) -> None:
    assert len(document["outputs"]) == len(expected)
    for output, want in zip(document["outputs"], expected):
        np.testing.assert_allclose(np.array(output["values"]), want, rtol=0, atol=1e-6)


SHAPE = ["--batch", "3", "--timesteps", "5", "--units", "2", "--scale"]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lengths_mask_the_padded_steps(keras, run_json, padding, go_backwards):
    args = [*SHAPE, "--lengths", "5,3,1", "--padding", padding, "--return-sequences", "--return-state"]
    document = run_json(*args, *(["--go-backwards"] if go_backwards else []))
    mask = written_out_mask(padding)
    assert document["input"]["mask"] == mask.tolist()
    assert document["input"]["lengths"] == list(LENGTHS) and document["input"]["padding"] == padding
    x = np.array(document["input"]["values"])
    assert not x[~mask].any()  # the padding is zeros
    assert_same(document, keras_outputs(keras, document, mask))
    assert document["reference"]["ok"]


def test_padding_defaults_to_pre(run_json):
    document = run_json(*SHAPE, "--lengths", "5,3,1")
    assert document["input"]["padding"] == "pre"
    assert document["input"]["mask"] == written_out_mask("pre").tolist()


@pytest.mark.parametrize("suffix", [".npy", ".json", ".csv"])
def test_a_mask_file_is_the_mask_the_layer_gets(keras, run_json, tmp_path, suffix):
    mask = np.array([[True, False, True, True, False], [True] * 5, [False, False, False, True, True]])
    path = tmp_path / f"mask{suffix}"
    if suffix == ".npy":
        np.save(path, mask)
    elif suffix == ".json":
        path.write_text(json.dumps(mask.tolist()))
    else:
        path.write_text("\n".join(",".join(str(int(v)) for v in row) for row in mask))
    document = run_json(*SHAPE, "--mask", str(path), "--return-sequences")
    assert document["input"]["mask"] == mask.tolist()
    assert_same(document, keras_outputs(keras, document, mask))
    assert document["reference"]["ok"]


def test_a_mask_value_puts_a_masking_layer_in_front(keras, run_json, tmp_path):
    x = np.random.default_rng(1).normal(size=(2, 4, 2)).astype("float32")
    x[0, :2] = -1.0  # two padded steps
    x[1, 3, 0] = -1.0  # one feature equal to the value: not masked
    path = tmp_path / "x.npy"
    np.save(path, x)
    document = run_json("--input", str(path), "--units", "2", "--mask-value", "-1", "--return-sequences")
    inputs = keras.Input(batch_shape=x.shape)
    model = keras.Model(inputs, keras.layers.Masking(mask_value=-1.0)(inputs))
    assert document["input"]["mask"] == np.asarray(model(x)._keras_mask).tolist()
    assert document["input"]["mask"] == [[False, False, True, True], [True, True, True, True]]
    assert document["input"]["mask_value"] == -1.0
    layer = keras.layers.LSTM(2, return_sequences=True)
    layer.build(x.shape)
    layer.set_weights([np.array(w["values"], dtype="float32") for w in document["weights"]])
    masked = keras.Model(inputs, layer(keras.layers.Masking(mask_value=-1.0)(inputs)))
    assert_same(document, [np.asarray(masked(x))])


def test_lengths_pad_with_the_mask_value_so_masking_finds_them(run_json):
    document = run_json(*SHAPE, "--lengths", "5,3,1", "--mask-value", "-2")
    x = np.array(document["input"]["values"])
    mask = written_out_mask("pre")
    assert (x[~mask] == -2.0).all()
    assert document["input"]["mask"] == mask.tolist()


def test_the_outcome_of_each_step_is_shown(invoke, run_json):
    document = run_json(*SHAPE, "--lengths", "5,3,1", "--padding", "post", "--return-sequences")
    sequence = np.array(document["outputs"][0]["values"])
    outcomes = np.array(document["input"]["mask_outcomes"])
    assert outcomes[1].tolist() == ["computed", "computed", "computed", "repeated", "repeated"]
    np.testing.assert_array_equal(sequence[1, 3], sequence[1, 2])
    screen = invoke(*SHAPE, "--lengths", "5,3,1", "--padding", "post", "--return-sequences").stdout
    assert "Padding mask the LSTM received (--lengths 5,3,1, post-padding)" in screen
    row = next(line for line in screen.splitlines() if line.startswith("sample 1") and "●" in line)
    assert row.split()[2:] == ["●", "●", "●", "=", "="]


def test_the_trace_carries_the_states_through_masked_steps(run_json):
    document = run_json("trace", *SHAPE, "--lengths", "5,3,1", "--sample", "2")
    steps = document["steps"]
    for before, step in zip(steps, steps[1:4]):  # steps 1–3 of sample 2 are padding
        assert step["h"] == before["h"] and step["c"] == before["c"]
    assert steps[4]["h"] != steps[3]["h"]
    assert not any(steps[0]["h"])  # a padded first step carries the zero state


def test_vary_runs_every_row_with_the_mask(keras, run_json):
    document = run_json("vary", "go_backwards", *SHAPE, "--lengths", "5,3,1", "--return-sequences")
    for row, go_backwards in zip(document["rows"], (False, True)):
        run = run_json(
            *SHAPE, "--lengths", "5,3,1", "--return-sequences", *(["--go-backwards"] if go_backwards else [])
        )
        np.testing.assert_allclose(np.ravel(row["outputs"][0]), np.ravel(run["outputs"][0]["values"]))


def test_a_fully_masked_sample_is_explained(run_json, tmp_path):
    path = tmp_path / "mask.json"
    path.write_text(json.dumps([[True] * 5, [False] * 5, [True] * 5]))
    document = run_json(*SHAPE, "--mask", str(path), "--return-sequences", "--return-state")
    assert not np.array(document["outputs"][0]["values"])[1].any()
    assert not np.array(document["outputs"][1]["values"])[1].any()
    assert any(note.startswith("Sample 1 has no real step") for note in document["notes"])


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (["--lengths", "5,3"], "--lengths gives 2 lengths but the batch has 3 samples; give one per sample"),
        (["--lengths", "5,3,6"], "--lengths: sample 2 has length 6; each length must be between 1 and the number"),
        (["--lengths", "5,0,1"], "--lengths: sample 1 has length 0"),
        (["--lengths", "5,-1,1"], "--lengths: sample 1 has length -1"),
        (["--lengths", "5;3;1"], "--lengths must be whole numbers separated by commas"),
        (["--padding", "post"], "--padding says where --lengths puts the padding; give --lengths too"),
        (["--lengths", "5,3,1", "--padding", "middle"], "--padding must be pre or post, got 'middle'"),
        (["--lengths", "5,3,1", "--mask", "m.npy"], "--lengths and --mask both say which steps are real"),
        (["--mask", "m.npy", "--mask-value", "0"], "--mask and --mask-value both decide the mask"),
        (["--mask", "{bad_shape}"], "the mask has shape (1, 5); it must be (batch, timesteps) = (3, 5)"),
        (["--mask", "{not_boolean}"], "a mask holds only true/false (or 1/0) values"),
        (["--mask", "{missing}"], "no such file"),
        (["--mask-value", "nan"], "--mask-value must be a finite number, got nan"),
    ],
)
def test_mask_mistakes_are_one_line_in_both_languages(invoke, tmp_path, args, english):
    (tmp_path / "bad_shape.json").write_text("[[1, 0, 1, 1, 1]]")
    (tmp_path / "not_boolean.json").write_text(json.dumps([[2, 0, 1, 1, 1]] * 3))
    paths = {name: str(tmp_path / f"{name}.json") for name in ("bad_shape", "not_boolean", "missing")}
    args = [arg.format(**paths) for arg in args]
    result = invoke(*SHAPE, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and english in result.stderr, result.stderr
    chinese = invoke(*SHAPE, *args, "--lang", "zh")
    assert chinese.exit_code == 2
    line = chinese.stderr.strip()
    assert chinese.stderr.count("\n") == 1 and CJK.search(line), chinese.stderr
    assert untranslated(line.split("：", 1)[-1].replace(str(tmp_path), "")) == []


def test_the_masked_run_in_chinese(invoke):
    screen = invoke(*SHAPE, "--lengths", "5,3,1", "--return-sequences", "--lang", "zh").stdout
    assert "LSTM 收到的填充掩码（--lengths 5,3,1，pre 填充）" in screen


@pytest.mark.parametrize("source", [["--lengths", "5,3,1"], ["--lengths", "5,3,1", "--mask-value", "-1"]])
def test_the_exported_script_masks_as_the_run_did(invoke, run_json, source):
    from tests.test_vary_code import _run_script

    args = [*SHAPE, *source, "--return-sequences", "--return-state"]
    script = invoke("code", *args)
    assert script.exit_code == 0, script.output
    printed = _run_script(script.stdout)
    document = run_json(*args)
    assert [line["name"] for line in printed] == [o["name"] for o in document["outputs"]]
    for line, output in zip(printed, document["outputs"]):
        np.testing.assert_allclose(np.array(line["values"]), np.array(output["values"]), rtol=0, atol=1e-6)


def test_torch_code_with_a_mask_is_refused(invoke):
    result = invoke("code", "--framework", "torch", *SHAPE, "--lengths", "5,3,1")
    assert result.exit_code == 2
    assert "torch.nn.LSTM takes no padding mask" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "mask",
    [
        [[True, True, False], [True, False, False]],
        [[False, True, True], [True, True, True]],
        [[True, False, True], [True, True, True]],
        [[True, True, True], [False, False, False]],
    ],
)
def test_the_cudnn_mask_condition_is_keras_s(mask):
    import importlib

    from lstm_explorer.config import build_config
    from lstm_explorer.effects import cudnn_conditions

    tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    array = np.array(mask)
    keras_accepts = bool(tf_rnn._is_sequence_right_padded(array)) and not bool(tf_rnn._has_fully_masked_sequence(array))
    condition = next(c for c in cudnn_conditions(build_config({}), array) if c.argument == "mask")
    assert condition.met is keras_accepts


def test_the_cudnn_verdict_says_what_a_gpu_returns_at_padded_steps(run_json, invoke):
    post = run_json(*SHAPE, "--lengths", "5,3,1", "--padding", "post", "--return-sequences")["effects"]["cudnn"]
    assert post["eligible"] and not post["failed_conditions"]
    pre = run_json(*SHAPE, "--lengths", "5,3,1", "--return-sequences")["effects"]["cudnn"]
    assert not pre["eligible"] and pre["failed_conditions"] == [
        "mask not right-padded (cuDNN needs right-padded: padding last, as with --padding post, and no sample without a "
        "real step)"
    ]
    screen = " ".join(invoke(*SHAPE, "--lengths", "5,3,1", "--padding", "post", "--return-sequences").stdout.split())
    assert "On a GPU, cuDNN returns zeros at the padded steps where this generic loop repeats" in screen


def test_the_mask_demonstration_holds_each_final_h_against_its_real_steps_alone(keras, run_json):
    document = run_json(*SHAPE, "--lengths", "5,3,1", "--return-state", "--initial-h", "0.3")
    effect = document["effects"]["mask"]
    x = np.array(document["input"]["values"], dtype="float32")
    weights = [np.array(w["values"], dtype="float32") for w in document["weights"]]
    final_h = np.array(document["outputs"][1]["values"])
    for b, length in enumerate(LENGTHS):
        layer = keras.layers.LSTM(2, return_state=True)
        alone = x[b : b + 1, 5 - length :]
        state = [np.full((1, 2), 0.3, "float32"), np.zeros((1, 2), "float32")]
        layer(alone, initial_state=state)
        layer.set_weights(weights)
        h = np.asarray(layer(alone, initial_state=state)[1])[0]
        np.testing.assert_allclose(final_h[b], h, atol=1e-6)
        assert effect["max_abs_diff_vs_real_steps_alone"][b] <= 1e-6
    np.testing.assert_allclose(effect["final_h"], final_h, atol=1e-7)


def test_go_backwards_with_a_mask_is_explained(invoke):
    screen = invoke(*SHAPE, "--lengths", "5,3,1", "--padding", "post", "--go-backwards", "--return-sequences").stdout
    flat = " ".join(" ".join(line.strip("│ ") for line in screen.splitlines()).split())
    assert "The padding mask is reversed along with the input" in flat
    assert "go_backwards on x equals a forward pass on x reversed in time: max |Δ| = 0" in flat


def test_vary_padding_compares_the_same_lengths_padded_both_ways(run_json):
    document = run_json("vary", "padding", *SHAPE, "--lengths", "5,3,1", "--return-sequences")
    assert [row["value"] for row in document["rows"]] == ["pre", "post"]
    assert [row["cudnn_eligible"] for row in document["rows"]] == [False, True]
    for row, padding in zip(document["rows"], ("pre", "post")):
        run = run_json(*SHAPE, "--lengths", "5,3,1", "--padding", padding, "--return-sequences")
        np.testing.assert_allclose(np.ravel(row["outputs"][0]), np.ravel(run["outputs"][0]["values"]))
    assert document["rows"][1]["shared_weights"]


def test_vary_zero_output_for_mask(keras, run_json):
    document = run_json(
        "vary", "zero_output_for_mask", *SHAPE, "--lengths", "5,3,1", "--padding", "post", "--return-sequences"
    )
    repeated, zeroed = (np.ravel(row["outputs"][0]).reshape(3, 5, 2) for row in document["rows"])
    assert repeated[2, 1:].any() and not zeroed[2, 1:].any()


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_zero_output_for_mask_matches_keras(keras, run_json, padding):
    args = [*SHAPE, "--lengths", "5,3,1", "--padding", padding, "--zero-output-for-mask", "--return-sequences"]
    document = run_json(*args, "--return-state")
    assert_same(document, keras_outputs(keras, document, written_out_mask(padding), zero_output_for_mask=True))
    masked = ~written_out_mask(padding)
    outcomes = np.array(document["input"]["mask_outcomes"])
    assert (outcomes[masked] == "zeros").all() and (outcomes[~masked] == "computed").all()
    assert document["reference"]["ok"]
