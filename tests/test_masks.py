"""Padding masks from lengths, a Masking value or a file, held against Keras's own tools."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_explorer import masks
from lstm_explorer.errors import UsageError
from lstm_explorer.language import speaking
from tests.test_zh import CJK, untranslated


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_lengths_mask_the_steps_pad_sequences_pads(keras, padding):
    lengths = (5, 3, 1, 4)
    ones = [[1.0] * n for n in lengths]
    padded = keras.utils.pad_sequences(ones, maxlen=5, padding=padding, dtype="float32", value=0.0)
    np.testing.assert_array_equal(masks.length_mask(lengths, 5, padding), padded != 0.0)


def test_padding_defaults_to_pad_sequences_default(keras):
    import inspect

    default = inspect.signature(keras.utils.pad_sequences).parameters["padding"].default
    assert masks.DEFAULT_PADDING == default == "pre"
    assert masks.DEFAULT_PAD_VALUE == inspect.signature(keras.utils.pad_sequences).parameters["value"].default


def test_padded_steps_take_the_pad_value():
    x = np.arange(1, 13, dtype="float32").reshape(2, 3, 2)
    mask = masks.length_mask((3, 1), 3, "pre")
    out = masks.padded(x, mask, value=-1.0)
    np.testing.assert_array_equal(out[1, :2], -1.0)
    np.testing.assert_array_equal(out[1, 2], x[1, 2])
    np.testing.assert_array_equal(out[0], x[0])


@pytest.mark.parametrize("value", [0.0, -1.0])
def test_masking_mask_is_the_masking_layer_s(keras, value):
    x = np.array([[[value, value], [1.0, value], [2.0, 3.0]], [[value, value], [value, value], [4.0, 5.0]]], "float32")
    theirs = np.asarray(keras.layers.Masking(mask_value=value).compute_mask(x))
    np.testing.assert_array_equal(masks.masking_mask(x, value), theirs)


def test_lengths_parse_one_per_sample():
    assert masks.parse_lengths("10, 7,4", batch=3, timesteps=10) == (10, 7, 4)


@pytest.mark.parametrize(
    ("text", "batch", "english"),
    [
        ("10,x", 2, "--lengths must be whole numbers separated by commas, one per sample (e.g. 10,7,4), got '10,x'"),
        ("10,7", 3, "--lengths gives 2 lengths but the batch has 3 samples; give one per sample"),
        (
            "10,11",
            2,
            "--lengths: sample 1 has length 11; each length must be between 1 and the number of timesteps, 10",
        ),
        ("0", 1, "--lengths: sample 0 has length 0; each length must be between 1 and the number of timesteps, 10"),
        ("-2", 1, "--lengths: sample 0 has length -2; each length must be between 1 and the number of timesteps, 10"),
    ],
)
def test_bad_lengths_are_refused_in_both_languages(text, batch, english):
    with pytest.raises(UsageError) as refused:
        masks.parse_lengths(text, batch, 10)
    assert str(refused.value) == english
    with speaking("zh"), pytest.raises(UsageError) as chinese:
        masks.parse_lengths(text, batch, 10)
    assert CJK.search(str(chinese.value)) and untranslated(str(chinese.value)) == []
    assert "--lengths" in str(chinese.value)


def test_padding_is_pre_or_post():
    assert masks.checked_padding(" POST ") == "post"
    with pytest.raises(UsageError, match=r"^--padding must be pre or post, got 'middle'$"):
        masks.checked_padding("middle")


@pytest.mark.parametrize("suffix", [".npy", ".json", ".csv"])
def test_a_mask_file_in_each_format(tmp_path, suffix):
    want = np.array([[True, True, False], [False, True, True]])
    path = tmp_path / f"mask{suffix}"
    if suffix == ".npy":
        np.save(path, want)
    elif suffix == ".json":
        path.write_text(json.dumps(want.tolist()))
    else:
        path.write_text("1,true,0\nfalse,True,1\n")
    np.testing.assert_array_equal(masks.read_mask(str(path), batch=2, timesteps=3), want)


def test_one_row_is_a_mask_for_a_batch_of_one(tmp_path):
    path = tmp_path / "mask.json"
    path.write_text("[true, false, true]")
    np.testing.assert_array_equal(masks.read_mask(str(path), 1, 3), [[True, False, True]])


@pytest.mark.parametrize(
    ("name", "content", "english"),
    [
        ("wide.json", "[[1, 0, 1, 1]]", "the mask has shape (1, 4); it must be (batch, timesteps) = (1, 3)"),
        ("twos.json", "[[1, 2, 0]]", "a mask holds only true/false (or 1/0) values"),
        ("words.csv", "1,yes,0\n", "a mask holds only true/false (or 1/0) values"),
        ("ragged.csv", "1,0,1\n1\n", "a mask holds only true/false (or 1/0) values"),
        ("broken.json", "[[1, 0", "cannot read it as a mask"),
        ("mask.txt", "1,0,1", "unsupported file type '.txt'"),
    ],
)
def test_a_bad_mask_file_is_one_line_naming_the_flag(tmp_path, name, content, english):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(UsageError) as refused:
        masks.read_mask(str(path), 1, 3)
    assert str(refused.value).startswith(f"--mask {path}") and english in str(refused.value)
    with speaking("zh"), pytest.raises(UsageError) as chinese:
        masks.read_mask(str(path), 1, 3)
    assert str(chinese.value).startswith(f"--mask {path}") and CJK.search(str(chinese.value))


def test_missing_and_empty_mask_paths(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        masks.read_mask(str(tmp_path / "none.npy"), 1, 3)
    with pytest.raises(UsageError, match=r"^--mask is empty"):
        masks.read_mask("  ", 1, 3)


def test_two_sources_of_one_mask_are_refused():
    with pytest.raises(UsageError, match="--lengths and --mask both say which steps are real"):
        masks.check_sources("3", "mask.npy", None)
    with pytest.raises(UsageError, match="--mask and --mask-value both decide the mask"):
        masks.check_sources(None, "mask.npy", 0.0)
    masks.check_sources("3", None, 0.0)


def test_fully_masked_samples_are_found():
    assert masks.fully_masked(np.array([[False, False], [True, False], [False, False]])) == [0, 2]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_outcomes_say_what_keras_put_at_each_step(keras, padding, go_backwards, zero_output):
    x = np.random.default_rng(2).normal(size=(3, 5, 2)).astype("float32")
    mask = masks.length_mask((5, 3, 1), 5, padding)
    keras.utils.set_random_seed(4)
    layer = keras.layers.LSTM(3, return_sequences=True, go_backwards=go_backwards, zero_output_for_mask=zero_output)
    sequence = np.asarray(layer(x, mask=mask))  # in processing order
    time_ordered = sequence[:, ::-1] if go_backwards else sequence
    previous = np.concatenate([np.zeros_like(sequence[:, :1]), sequence[:, :-1]], axis=1)
    previous = previous[:, ::-1] if go_backwards else previous
    found = masks.outcomes(mask, go_backwards, zero_output)
    for b, t in np.ndindex(mask.shape):
        if found[b, t] == masks.ZEROS:
            assert not time_ordered[b, t].any()
        elif found[b, t] == masks.REPEATED:
            np.testing.assert_array_equal(time_ordered[b, t], previous[b, t])
            assert time_ordered[b, t].any()
        else:
            assert mask[b, t] and time_ordered[b, t].any()


def test_right_padding_is_what_cudnn_takes():
    assert masks.right_padded(masks.length_mask((3, 1), 3, "post"))
    assert not masks.right_padded(masks.length_mask((3, 1), 3, "pre"))
    assert not masks.right_padded(np.array([[True, False, True]]))
    assert masks.right_padded(np.array([[True, True, True]]))
