"""The "In training" paragraphs of the IN_TRAINING pages: what each argument does to learning.

Claims about Keras run Keras directly (tiny layers, seeded); claims about what `fit` shows run the
tool's own `fit --json` on a tiny task (2 epochs, 64 samples) with `--save`, and recompute the
number it reports from the saved model's weights with NumPy, so a wrong report fails.
"""

from __future__ import annotations

import functools
import os
import tempfile

import numpy as np

from claims import Claim, keras_module, tool_json

EPOCHS, SAMPLES, SEED = "2", "64", 42
UNITS = 3  # the tool's default units
TOL = 1e-5


# ---------------------------------------------------------------- helpers


# The saved models, removed when the test process exits.
_SAVED = tempfile.TemporaryDirectory(prefix="claims_training_")


@functools.cache
def _fit(*args: str) -> tuple[dict, str]:
    """fit's JSON document for `args` on the tiny default task, and the saved first-seed model's path."""
    path = os.path.join(_SAVED.name, f"m{_fit.cache_info().currsize}.keras")
    doc = tool_json("fit", "--epochs", EPOCHS, "--samples", SAMPLES, "--save", path, *args)
    return doc, path


def fit_doc(*args: str) -> dict:
    return _fit(*args)[0]


def fit_model(*args: str):
    """(document, trained model loaded with keras.saving.load_model, its first LSTM layer)."""
    keras = keras_module()
    doc, path = _fit(*args)
    model = keras.saving.load_model(path)
    lstm = next(layer for layer in model.layers if layer.__class__.__name__ == "LSTM")
    return doc, model, lstm


@functools.cache
def task_data(samples: int = int(SAMPLES)):
    """The data fit trains on (the same generator and --random-seed), an input to the checks, not an expectation."""
    from lstm_explorer import tasks

    return tasks.make("next", samples=samples, seed=SEED)


def rms(values) -> float:
    return float(np.sqrt(np.mean(np.square(np.asarray(values, dtype=np.float64)))))


def weights_rms(doc: dict, when: str, name: str) -> float:
    return float(doc["gates"][when]["weights_rms"][name])


def close(a: float, b: float, rel: float = 1e-4, abs_: float = 1e-6) -> bool:
    return abs(a - b) <= abs_ + rel * abs(b)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_gate_means(x, kernel, recurrent, bias) -> dict[str, float]:
    """Mean of i, f, c̃ and o over samples, steps and units, from the LSTM equations in NumPy."""
    n, steps, _ = x.shape
    units = recurrent.shape[0]
    h, c = np.zeros((n, units)), np.zeros((n, units))
    seen: dict[str, list] = {"i": [], "f": [], "c̃": [], "o": []}
    for t in range(steps):
        z = x[:, t, :] @ kernel + h @ recurrent + bias
        i, f = sigmoid(z[:, :units]), sigmoid(z[:, units : 2 * units])
        g, o = np.tanh(z[:, 2 * units : 3 * units]), sigmoid(z[:, 3 * units :])
        c = f * c + i * g
        h = o * np.tanh(c)
        for key, value in (("i", i), ("f", f), ("c̃", g), ("o", o)):
            seen[key].append(value)
    return {key: float(np.mean(values)) for key, values in seen.items()}


def small_model(**lstm_kwargs):
    """Input (10, 2) → LSTM(3, **lstm_kwargs) → Dense(2), compiled with Adam and MSE, seeded."""
    keras = keras_module()
    keras.utils.set_random_seed(0)
    batch = lstm_kwargs.pop("batch_size", None)
    inputs = keras.Input((10, 2), batch_size=batch)
    outputs = keras.layers.Dense(2)(keras.layers.LSTM(UNITS, **lstm_kwargs)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def lstm_of(model):
    return next(layer for layer in model.layers if layer.__class__.__name__ == "LSTM")


def plain_mse(model, x, y) -> float:
    predicted = model.predict(x, verbose=0).astype(np.float64)
    return float(np.mean(np.square(predicted - y)))


# ---------------------------------------------------------------- initializers

WEIGHT = {
    "K": ("kernel", "kernel_initializer", (2, 4 * UNITS)),
    "R": ("recurrent_kernel", "recurrent_initializer", (UNITS, 4 * UNITS)),
}
SEEDED_START = (
    "--kernel-initializer",
    "random_normal(stddev=2.0, seed=1)",
    "--recurrent-initializer",
    "orthogonal(seed=2)",
)


def check_filled_once(w: str):
    def check():
        keras = keras_module()
        name, _, shape = WEIGHT[w]
        doc = fit_doc(*SEEDED_START)
        if w == "K":
            expected = keras.initializers.RandomNormal(stddev=2.0, seed=1)(shape)
        else:
            expected = keras.initializers.Orthogonal(seed=2)(shape)
        assert close(weights_rms(doc, "before", name), rms(expected), rel=TOL), (doc["gates"]["before"], rms(expected))

    return check


def check_adam_updates(w: str):
    def check():
        keras = keras_module()
        name, _, shape = WEIGHT[w]
        doc, _, lstm = fit_model(*SEEDED_START)
        start = (
            keras.initializers.RandomNormal(stddev=2.0, seed=1)(shape)
            if w == "K"
            else keras.initializers.Orthogonal(seed=2)(shape)
        )
        trained = np.asarray(getattr(lstm.cell, name).numpy())
        assert np.max(np.abs(trained - np.asarray(start))) > 1e-3, "training left the weight at its start"
        assert close(weights_rms(doc, "after", name), rms(trained), rel=TOL)
        assert not close(weights_rms(doc, "after", name), weights_rms(doc, "before", name), rel=1e-6)

    return check


def check_gate_means_at_start():
    """fit's gates before training are the equations' gates at the seeded start, on its validation set."""
    keras = keras_module()
    doc = fit_doc(*SEEDED_START)
    kernel = np.asarray(keras.initializers.RandomNormal(stddev=2.0, seed=1)((2, 4 * UNITS)), dtype=np.float64)
    recurrent = np.asarray(keras.initializers.Orthogonal(seed=2)((UNITS, 4 * UNITS)), dtype=np.float64)
    bias = np.zeros(4 * UNITS)
    bias[UNITS : 2 * UNITS] = 1.0  # unit_forget_bias
    expected = numpy_gate_means(task_data().x_val.astype(np.float64), kernel, recurrent, bias)
    shown = doc["gates"]["before"]["gates"]
    for key, value in expected.items():
        assert close(shown[key], value, rel=1e-4, abs_=1e-5), (key, shown, expected)


# ---------------------------------------------------------------- bias_initializer and unit_forget_bias

CONSTANT_HALF = ("--bias-initializer", "constant(0.5)")


def check_bias_filled_once():
    doc = fit_doc(*CONSTANT_HALF)
    start = np.full(4 * UNITS, 0.5)
    start[UNITS : 2 * UNITS] = 1.0
    assert close(weights_rms(doc, "before", "bias"), rms(start), rel=TOL)
    assert doc["gates"]["before"]["forget_bias_mean"] == 1.0


def check_bias_updated_and_shown():
    doc, _, lstm = fit_model(*CONSTANT_HALF)
    trained = np.asarray(lstm.cell.bias.numpy())
    start = np.full(4 * UNITS, 0.5)
    start[UNITS : 2 * UNITS] = 1.0
    assert np.max(np.abs(trained - start)) > 1e-3
    assert close(doc["gates"]["after"]["forget_bias_mean"], float(np.mean(trained[UNITS : 2 * UNITS])), rel=TOL)
    assert close(weights_rms(doc, "after", "bias"), rms(trained), rel=TOL)


def check_forget_bias_start():
    """1 with unit_forget_bias, 0 without it and the default zeros: a freshly built Keras layer's f block."""
    keras = keras_module()
    for on, flag in ((True, "--unit-forget-bias"), (False, "--no-unit-forget-bias")):
        layer = keras.layers.LSTM(UNITS, unit_forget_bias=on)
        layer.build((None, 10, 2))
        block = np.asarray(layer.cell.bias.numpy())[UNITS : 2 * UNITS]
        assert np.all(block == (1.0 if on else 0.0)), block
        assert fit_doc(flag)["gates"]["before"]["forget_bias_mean"] == float(np.mean(block))


def check_forget_bias_moves():
    doc, _, lstm = fit_model("--unit-forget-bias")
    trained = np.asarray(lstm.cell.bias.numpy())[UNITS : 2 * UNITS]
    assert np.max(np.abs(trained - 1.0)) > 1e-3
    assert close(doc["gates"]["after"]["forget_bias_mean"], float(np.mean(trained)), rel=TOL)


def _reach(model, x, y) -> np.ndarray:
    import tensorflow as tf

    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        loss = tf.reduce_mean(tf.square(model(inputs, training=False) - y))
    return np.mean(np.abs(tape.gradient(loss, inputs).numpy()), axis=(0, 2))


def check_reach_further_back():
    """With the forget bias at 1 the gradient at init reaches further back: |∂loss/∂x_0| relative to
    |∂loss/∂x_T| is larger, on Keras directly (same seed, only the flag differs) and in fit's report."""
    data = task_data()
    ratios = {}
    for on in (True, False):
        reach = _reach(small_model(unit_forget_bias=on), data.x_val, data.y_val)
        ratios[on] = reach[0] / reach[-1]
    assert ratios[True] > ratios[False], ratios
    shown = {}
    for on, flag in ((True, "--unit-forget-bias"), (False, "--no-unit-forget-bias")):
        before = fit_doc(flag)["gradient_reach"]["before"]
        shown[on] = before[0] / before[-1]
    assert shown[True] > shown[False], shown


# ---------------------------------------------------------------- regularizers

REG_WEIGHT = {"kernel_regularizer": "kernel", "recurrent_regularizer": "recurrent_kernel", "bias_regularizer": "bias"}


def _flag(argument: str) -> str:
    return "--" + argument.replace("_", "-")


def check_penalty_is_l2(argument: str):
    """fit's penalty is 0.01·Σw² of the saved trained weight, and share = penalty / training loss."""

    def check():
        doc, _, lstm = fit_model(_flag(argument), "l2(0.01)")
        weight = np.asarray(getattr(lstm.cell, REG_WEIGHT[argument]).numpy(), dtype=np.float64)
        expected = 0.01 * float(np.sum(np.square(weight)))
        assert close(doc["penalty"]["value"], expected, rel=1e-3), (doc["penalty"], expected)
        assert close(doc["penalty"]["share"], doc["penalty"]["value"] / doc["penalty"]["loss"], rel=1e-6)

    return check


def check_penalty_in_val_loss(argument: str):
    """val_loss = plain MSE of the predictions + the penalty; the predictions are those of the same
    weights in a layer without the regularizer."""

    def check():
        keras = keras_module()
        doc, model, lstm = fit_model(_flag(argument), "l2(0.01)")
        data = task_data()
        weight = np.asarray(getattr(lstm.cell, REG_WEIGHT[argument]).numpy(), dtype=np.float64)
        penalty = 0.01 * float(np.sum(np.square(weight)))
        plain = plain_mse(model, data.x_val, data.y_val)
        assert close(doc["final"]["mean"], plain + penalty, rel=1e-4), (doc["final"], plain, penalty)
        assert penalty > 1e-4
        bare = keras.Model.from_config(_without(model.get_config(), argument))
        bare.set_weights(model.get_weights())
        assert np.array_equal(bare.predict(data.x_val, verbose=0), model.predict(data.x_val, verbose=0))

    return check


def _without(config: dict, argument: str) -> dict:
    for layer in config["layers"]:
        if layer["class_name"] == "LSTM":
            layer["config"][argument] = None
    return config


def check_pulls_to_zero(argument: str):
    """The same seed and data, with a strong l2(1.0) and without: the trained weight ends smaller."""

    def check():
        _, _, with_it = fit_model(_flag(argument), "l2(1.0)")
        _, _, without = fit_model()
        name = REG_WEIGHT[argument]
        a, b = rms(getattr(with_it.cell, name).numpy()), rms(getattr(without.cell, name).numpy())
        assert a < b, (a, b)
        if argument == "bias_regularizer":  # the forget block that unit_forget_bias starts at 1 included
            fa = float(np.mean(np.asarray(with_it.cell.bias.numpy())[UNITS : 2 * UNITS]))
            fb = float(np.mean(np.asarray(without.cell.bias.numpy())[UNITS : 2 * UNITS]))
            assert fa < fb, (fa, fb)

    return check


def check_rms_before_after(argument: str):
    def check():
        doc, _, lstm = fit_model(_flag(argument), "l2(0.01)")
        name = REG_WEIGHT[argument]
        assert close(weights_rms(doc, "after", name), rms(getattr(lstm.cell, name).numpy()), rel=TOL)
        assert "before" in doc["gates"] and name in doc["gates"]["before"]["weights_rms"]

    return check


def check_bias_reg_forget_shown():
    doc, _, lstm = fit_model("--bias-regularizer", "l2(0.01)")
    assert doc["gates"]["before"]["forget_bias_mean"] == 1.0
    trained = float(np.mean(np.asarray(lstm.cell.bias.numpy())[UNITS : 2 * UNITS]))
    assert close(doc["gates"]["after"]["forget_bias_mean"], trained, rel=TOL)


def _outputs(model, x) -> np.ndarray:
    keras = keras_module()
    lstm = lstm_of(model)
    return np.asarray(keras.Model(model.inputs, lstm.output).predict(x, verbose=0), dtype=np.float64)


def check_activity_penalty():
    """Per batch λ·Σh²/batch, averaged over batches by their size by Keras: λ·Σh²/N over the training set."""
    doc, model, _ = fit_model("--activity-regularizer", "l2(0.01)")
    data = task_data()
    h = _outputs(model, data.x_train)
    expected = 0.01 * float(np.sum(np.square(h))) / len(h)
    assert close(doc["penalty"]["value"], expected, rel=1e-3), (doc["penalty"], expected)


def check_activity_in_val_loss():
    doc, model, _ = fit_model("--activity-regularizer", "l2(0.01)")
    data = task_data()
    h = _outputs(model, data.x_val)
    penalty = 0.01 * float(np.sum(np.square(h))) / len(h)
    assert close(doc["final"]["mean"], plain_mse(model, data.x_val, data.y_val) + penalty, rel=1e-4)
    keras = keras_module()
    bare = keras.Model.from_config(_without(model.get_config(), "activity_regularizer"))
    bare.set_weights(model.get_weights())
    assert np.array_equal(bare.predict(data.x_val, verbose=0), model.predict(data.x_val, verbose=0))


def check_activity_pulls_outputs():
    _, with_it, _ = fit_model("--activity-regularizer", "l2(1.0)")
    _, without, _ = fit_model()
    x = task_data().x_train
    a, b = rms(_outputs(with_it, x)), rms(_outputs(without, x))
    assert a < b, (a, b)


# ---------------------------------------------------------------- constraints

CON_WEIGHT = {"kernel_constraint": "kernel", "recurrent_constraint": "recurrent_kernel", "bias_constraint": "bias"}


def _norms(values, argument: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if argument == "bias_constraint":  # a vector: one norm over all 4·units entries
        return np.array([np.sqrt(np.sum(np.square(values)))])
    return np.sqrt(np.sum(np.square(values), axis=0))  # per column


def check_projected_after_each_step(argument: str):
    """One Adam step in Keras: before it some norm exceeds 0.5 (the start is not projected), after it
    every norm is within 0.5 (the step is followed by the projection)."""

    def check():
        keras = keras_module()
        model = small_model(**{argument: keras.constraints.MaxNorm(0.5)})
        weight = getattr(lstm_of(model).cell, CON_WEIGHT[argument])
        assert _norms(weight.numpy(), argument).max() > 0.5, "the start already satisfies it"
        data = task_data()
        model.train_on_batch(data.x_train[:8], data.y_train[:8])
        assert _norms(weight.numpy(), argument).max() <= 0.5 + 1e-6

    return check


def check_fit_checks_it(argument: str):
    """fit says the constraint holds; the saved weight's norms are within 0.5 and fit's after RMS is its RMS."""

    def check():
        doc, _, lstm = fit_model(_flag(argument), "max_norm(0.5)")
        [entry] = doc["constraints"]
        assert entry["argument"] == argument and entry["holds"] is True and entry["max_change"] <= 1e-5, entry
        trained = np.asarray(getattr(lstm.cell, CON_WEIGHT[argument]).numpy())
        assert _norms(trained, argument).max() <= 0.5 + 1e-6
        name = CON_WEIGHT[argument]
        assert close(weights_rms(doc, "after", name), rms(trained), rel=TOL)
        assert weights_rms(doc, "before", name) > weights_rms(doc, "after", name)

    return check


def check_bias_constraint_forget_block():
    _, _, lstm = fit_model("--bias-constraint", "max_norm(0.5)")
    block = np.asarray(lstm.cell.bias.numpy())[UNITS : 2 * UNITS]
    assert np.all(block < 0.5), block  # started at 1, scaled down with the rest


# ---------------------------------------------------------------- dropout, recurrent_dropout, seed


def check_new_masks_each_step(argument: str):
    def check():
        keras = keras_module()
        keras.utils.set_random_seed(0)
        x = np.random.default_rng(0).normal(size=(4, 10, 2)).astype("float32")
        layer = keras.layers.LSTM(UNITS, seed=1, **{argument: 0.5})
        first, second = layer(x, training=True), layer(x, training=True)
        assert not np.allclose(np.asarray(first), np.asarray(second))

    return check


def check_nothing_dropped_at_validation(argument: str):
    """The saved model (trained with the rate) evaluates on the validation set to fit's final val_loss,
    and predicts exactly what the same weights without dropout predict."""

    def check():
        keras = keras_module()
        doc, model, _ = fit_model(_flag(argument), "0.3")
        data = task_data()
        assert close(doc["final"]["mean"], plain_mse(model, data.x_val, data.y_val), rel=1e-4)
        config = model.get_config()
        for layer in config["layers"]:
            if layer["class_name"] == "LSTM":
                assert layer["config"][argument] == 0.3
                layer["config"][argument] = 0.0
        bare = keras.Model.from_config(config)
        bare.set_weights(model.get_weights())
        assert np.allclose(bare.predict(data.x_val, verbose=0), model.predict(data.x_val, verbose=0), atol=1e-6)

    return check


def check_epoch_loss_with_masks(argument: str):
    """With a learning rate of 0 the weights never move: Keras's training loss for the epoch still
    differs from evaluate's loss on the same data, because the training steps drop entries (with the
    rate at 0 the two agree)."""

    def check():
        keras = keras_module()
        data = task_data()
        for rate in (0.5, 0.0):
            model = small_model(**{argument: rate}, seed=1)
            model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
            history = model.fit(data.x_train, data.y_train, batch_size=16, epochs=1, shuffle=False, verbose=0)
            trained = history.history["loss"][0]
            evaluated = model.evaluate(data.x_train, data.y_train, batch_size=16, verbose=0)
            assert (abs(trained - evaluated) > 1e-4) == (rate > 0), (rate, trained, evaluated)

    return check


def check_same_seed_same_training():
    a = fit_doc("--dropout", "0.3", "--seed", "1")
    b = tool_json("fit", "--epochs", EPOCHS, "--samples", SAMPLES, "--dropout", "0.3", "--seed", "1")
    assert a["runs"][0]["history"] is not None
    assert [e["loss"] for e in a["runs"][0]["history"]] == [e["loss"] for e in b["runs"][0]["history"]]


def check_seeds_differ_only_in_masks():
    a, b = fit_doc("--dropout", "0.3", "--seed", "1"), fit_doc("--dropout", "0.3", "--seed", "2")
    assert a["gates"]["before"] == b["gates"]["before"], "the two seeds started from different weights"
    assert [e["loss"] for e in a["runs"][0]["history"]] != [e["loss"] for e in b["runs"][0]["history"]]


def check_seed_without_dropout():
    a, b = fit_doc("--seed", "1"), fit_doc("--seed", "2")
    assert [e["loss"] for e in a["runs"][0]["history"]] == [e["loss"] for e in b["runs"][0]["history"]]
    assert a["final"] == b["final"]


# ---------------------------------------------------------------- stateful


def check_states_carried():
    """Keras: a stateful layer's second call equals a plain call on that batch started from the first
    call's final states, sample by sample."""
    keras = keras_module()
    rng = np.random.default_rng(0)
    first, second = (rng.normal(size=(2, 5, 2)).astype("float32") for _ in range(2))
    keras.utils.set_random_seed(0)
    stateful = keras.layers.LSTM(UNITS, stateful=True, return_state=True)
    _, h, c = stateful(first)
    carried = np.asarray(stateful(second)[0])
    plain = keras.layers.LSTM(UNITS)
    plain.build((2, 5, 2))
    plain.set_weights(stateful.get_weights())
    assert np.allclose(carried, np.asarray(plain(second, initial_state=[h, c])), atol=1e-6)
    assert not np.allclose(carried, np.asarray(plain(second)), atol=1e-4)


STATEFUL = ("--stateful", "--batch-size", "16")


def _stateful_history(shuffle: bool, reset_before_validation: bool) -> list[float]:
    """Keras's own fit of the same model (seed 42, batch 16), states reset at each epoch's start."""
    keras = keras_module()
    data = task_data()
    keras.utils.set_random_seed(SEED)
    inputs = keras.Input((10, 2), batch_size=16)
    layer = keras.layers.LSTM(UNITS, stateful=True)
    model = keras.Model(inputs, keras.layers.Dense(2)(layer(inputs)))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")

    class Reset(keras.callbacks.Callback):  # type: ignore[name-defined]
        def on_epoch_begin(self, epoch, logs=None):
            layer.reset_state()

        def on_test_begin(self, logs=None):
            if reset_before_validation:
                layer.reset_state()

    history = model.fit(
        data.x_train,
        data.y_train,
        batch_size=16,
        epochs=int(EPOCHS),
        shuffle=shuffle,
        validation_data=(data.x_val, data.y_val),
        verbose=0,
        callbacks=[Reset()],
    )
    return history.history["loss"] + history.history["val_loss"]


def check_fit_in_order_with_resets():
    doc = fit_doc(*STATEFUL)
    shown = [e["loss"] for e in doc["runs"][0]["history"]] + [e["val_loss"] for e in doc["runs"][0]["history"]]
    assert np.allclose(shown, _stateful_history(False, True), rtol=1e-5), shown
    assert not np.allclose(shown, _stateful_history(True, True), rtol=1e-5), "shuffling changes nothing here"
    assert not np.allclose(shown, _stateful_history(False, False), rtol=1e-5), "resetting changes nothing here"


def check_whole_batches():
    doc = tool_json("fit", "--epochs", "1", "--samples", "80", *STATEFUL)
    data = task_data(80)
    train, val = (len(data.x_train) // 16) * 16, (len(data.x_val) // 16) * 16
    assert (len(data.x_train), len(data.x_val)) != (train, val), "the sizes were whole batches already"
    assert (doc["task"]["train_samples"], doc["task"]["validation_samples"]) == (train, val), doc["task"]
    assert any(str(train) in note and str(val) in note for note in doc["notes"]), doc["notes"]


# ---------------------------------------------------------------- the claims


def _t(argument: str, quote: str, check) -> Claim:
    return Claim(argument, "training", quote, check=check)


CLAIMS: list[Claim] = []
for _w, _arg in (("K", "kernel_initializer"), ("R", "recurrent_initializer")):
    CLAIMS += [
        _t(_arg, f"Keras fills {_w} once, when fit builds the model", check_filled_once(_w)),
        _t(_arg, f"from the first step on Adam updates {_w} like every other weight", check_adam_updates(_w)),
        _t(_arg, f"fit shows {_w}'s root mean square before and after training (weights_rms)", check_adam_updates(_w)),
        _t(_arg, "the gates' means at the start", check_gate_means_at_start),
    ]
CLAIMS += [
    _t(
        "bias_initializer",
        "Keras fills b once, when fit builds the model (with unit_forget_bias on, the forget block is then set to 1)",
        check_bias_filled_once,
    ),
    _t(
        "bias_initializer",
        "from the first step on Adam updates b like every other weight",
        check_bias_updated_and_shown,
    ),
    _t(
        "bias_initializer",
        "fit shows b's root mean square (weights_rms) and the mean forget-gate bias before and after training",
        check_bias_updated_and_shown,
    ),
    _t(
        "unit_forget_bias",
        "It sets the forget gate's bias block to 1 once, when fit builds the model",
        check_forget_bias_start,
    ),
    _t("unit_forget_bias", "training then moves it like any other weight", check_forget_bias_moves),
    _t("unit_forget_bias", "(1 with it at the start, 0 without it and the default zeros)", check_forget_bias_start),
    _t(
        "unit_forget_bias",
        "the gradient's reach |∂loss/∂x_t| at initialization, which with it reaches further back",
        check_reach_further_back,
    ),
]
for _arg, _w in (("kernel_regularizer", "K"), ("recurrent_regularizer", "R"), ("bias_regularizer", "b")):
    CLAIMS += [
        _t(
            _arg,
            f"Keras adds the penalty, computed from {_w}'s current values, to the loss of every training step",
            check_penalty_is_l2(_arg),
        ),
        _t(_arg, f"so each gradient also pulls {_w} towards 0", check_pulls_to_zero(_arg)),
        _t(_arg, "it is in the val_loss fit reports too, but not in the predictions", check_penalty_in_val_loss(_arg)),
        _t(
            _arg,
            "fit shows the penalty at the trained weights and its share of the training loss (penalty)",
            check_penalty_is_l2(_arg),
        ),
    ]
CLAIMS += [
    _t(
        "kernel_regularizer",
        "K's root mean square before and after training (weights_rms)",
        check_rms_before_after("kernel_regularizer"),
    ),
    _t(
        "recurrent_regularizer",
        "R's root mean square before and after training (weights_rms)",
        check_rms_before_after("recurrent_regularizer"),
    ),
    _t(
        "bias_regularizer",
        "the forget block that unit_forget_bias starts at 1 included",
        check_pulls_to_zero("bias_regularizer"),
    ),
    _t("bias_regularizer", "the mean forget-gate bias before and after training", check_bias_reg_forget_shown),
    _t(
        "activity_regularizer",
        "computed from the layer's output on each batch and divided by the batch size",
        check_activity_penalty,
    ),
    _t("activity_regularizer", "so each gradient also pulls the outputs towards 0", check_activity_pulls_outputs),
    _t(
        "activity_regularizer",
        "it is in the val_loss fit reports too, but not in the predictions",
        check_activity_in_val_loss,
    ),
    _t(
        "activity_regularizer",
        "fit shows the penalty at the trained weights and its share of the training loss (penalty)",
        check_activity_penalty,
    ),
]
for _arg, _w in (("kernel_constraint", "K"), ("recurrent_constraint", "R"), ("bias_constraint", "b")):
    CLAIMS += [
        _t(
            _arg,
            f"Adam updates {_w}, then {_w} is replaced by its projection; the initial values are not projected",
            check_projected_after_each_step(_arg),
        ),
        _t(_arg, f"fit checks after training that projecting {_w} again changes nothing", check_fit_checks_it(_arg)),
        _t(_arg, f"{_w}'s root mean square before and after training (weights_rms)", check_fit_checks_it(_arg)),
    ]
CLAIMS += [
    _t(
        "kernel_constraint",
        "every column of the trained K has an L2 norm of at most 0.5",
        check_fit_checks_it("kernel_constraint"),
    ),
    _t(
        "recurrent_constraint",
        "every column of the trained R has an L2 norm of at most 0.5",
        check_fit_checks_it("recurrent_constraint"),
    ),
    _t(
        "bias_constraint",
        "the L2 norm of all 4·units entries together is at most 0.5 after training",
        check_fit_checks_it("bias_constraint"),
    ),
    _t("bias_constraint", "the forget block's ones scaled down with the rest", check_bias_constraint_forget_block),
]
for _arg in ("dropout", "recurrent_dropout"):
    CLAIMS += [
        _t(_arg, "masks at every training step", check_new_masks_each_step(_arg)),
        _t(
            _arg,
            "drops nothing when it computes the validation loss or predicts",
            check_nothing_dropped_at_validation(_arg),
        ),
        _t(
            _arg,
            "the loss per epoch fit shows comes from steps with masks and the val_loss from none",
            check_epoch_loss_with_masks(_arg),
        ),
    ]
CLAIMS += [
    _t("seed", "It seeds only the dropout masks fit draws at every training step", check_seeds_differ_only_in_masks),
    _t(
        "seed",
        "two values of seed start from the same weights and differ only in what is dropped",
        check_seeds_differ_only_in_masks,
    ),
    _t("seed", "the same seed repeats the same training", check_same_seed_same_training),
    _t("seed", "Without dropout or recurrent_dropout it changes nothing in training", check_seed_without_dropout),
    _t(
        "stateful",
        "Keras starts sample i of each batch from the final h and c of sample i of the batch before",
        check_states_carried,
    ),
    _t(
        "stateful",
        "fit keeps the batches in order (no shuffling), resets the states at the start of each epoch and before validation",
        check_fit_in_order_with_resets,
    ),
    _t(
        "stateful",
        "cuts both sets to whole batches of --batch-size (its notes say how many sequences are left)",
        check_whole_batches,
    ),
]

TRY: dict = {}
