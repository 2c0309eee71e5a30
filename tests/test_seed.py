"""engine.seed leaves every source of randomness Keras reads as keras.utils.set_random_seed does."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from lstm_explorer import engine

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")
from keras.src.utils import rng_utils  # noqa: E402  (Keras exports the setter, not the getter)

SEED = 1234


def _state_after(seeding: Any) -> dict[str, Any]:
    """Seed with `seeding`, then read every random draw a layer, an initializer or a user's code
    can make, including a layer with dropout in training and an initializer of each kind."""
    seeding()
    python_state = random.getstate()
    numpy_draw = np.random.random_sample(3)
    keras_seed = rng_utils.get_random_seed()
    global_draw = keras.ops.convert_to_numpy(keras.random.uniform((4,)))
    layer = keras.layers.LSTM(
        3,
        dropout=0.5,
        recurrent_dropout=0.5,
        return_sequences=True,
        kernel_initializer="he_normal",
        bias_initializer="random_uniform",
    )
    x = np.arange(20, dtype="float32").reshape(1, 10, 2) / 20
    outputs = [keras.ops.convert_to_numpy(layer(x, training=True)) for _ in range(2)]
    return {
        "python": python_state,
        "numpy": numpy_draw,
        "keras seed": keras_seed,
        "keras global generator": global_draw,
        "weights": layer.get_weights(),
        "outputs": outputs,
    }


def _assert_same(first: dict[str, Any], second: dict[str, Any]) -> None:
    assert first["python"] == second["python"]
    assert first["keras seed"] == second["keras seed"] == SEED
    for key in ("numpy", "keras global generator"):
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)
    for key in ("weights", "outputs"):
        assert len(first[key]) == len(second[key])
        for a, b in zip(first[key], second[key]):
            np.testing.assert_array_equal(a, b, err_msg=key)


def test_reseeding_with_the_same_seed_equals_keras_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second seeding takes the path that keeps TensorFlow's seed (and its kernel cache), after
    the first has drawn from every source; it must leave what Keras's own function leaves."""
    keras.utils.set_random_seed(SEED)
    _state_after(lambda: None)
    calls: list[int] = []
    original = tf.random.set_seed
    monkeypatch.setattr(tf.random, "set_seed", lambda value: (calls.append(value), original(value)))
    ours = _state_after(lambda: engine.seed(keras, SEED))
    assert calls == [], "an equal seed should not reset TensorFlow's"
    monkeypatch.undo()
    _assert_same(ours, _state_after(lambda: keras.utils.set_random_seed(SEED)))


def test_a_new_seed_is_set_everywhere() -> None:
    keras.utils.set_random_seed(SEED + 1)
    ours = _state_after(lambda: engine.seed(keras, SEED))
    from tensorflow.python.eager import context

    assert context.global_seed() == SEED
    _assert_same(ours, _state_after(lambda: keras.utils.set_random_seed(SEED)))


def test_different_seeds_give_different_draws() -> None:
    """The comparison above can tell two seedings apart."""
    first = _state_after(lambda: engine.seed(keras, SEED))
    second = _state_after(lambda: engine.seed(keras, SEED + 1))
    assert first["python"] != second["python"]
    assert not np.array_equal(first["outputs"][0], second["outputs"][0])
