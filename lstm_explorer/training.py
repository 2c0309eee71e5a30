"""Training the configured model for real, with Keras's own compiled `fit`, and measuring what changed.

One run is one seed: the same data for every seed (so seeds differ only in the weights they draw,
the dropout masks and the order of the batches), Adam on the mean squared error, and before and after
training the same measurements on the validation set: the gates' means, the first LSTM's weights,
and the gradient's reach, |∂loss/∂x_t| for every timestep t, which shows how far back a change in the
input still moves the loss (what the forget gate and `unit_forget_bias` act on).
TensorFlow is imported inside the functions only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from lstm_explorer import checkpoint
from lstm_explorer.architecture import Architecture
from lstm_explorer.config import LSTMConfig
from lstm_explorer.effects import SATURATION_MARGIN
from lstm_explorer.engine import (
    _check_cudnn_request,
    _import_keras,
    _resolve_spec,
    clean_keras_message,
    implementation_one_crashes,
)
from lstm_explorer.errors import UsageError
from lstm_explorer.language import say
from lstm_explorer.quiet import muted
from lstm_explorer.specs import Spec
from lstm_explorer.tasks import TaskData

# Validation samples the before-and-after measurements read (the gates and the gradient's reach).
MEASURED_SAMPLES = 256
CONSTRAINTS = ("kernel_constraint", "recurrent_constraint", "bias_constraint")
# A constraint holds when projecting the trained weight again moves it by at most this (float32 noise).
CONSTRAINT_TOLERANCE = 1e-5


@dataclass(frozen=True)
class Epoch:
    epoch: int
    loss: float
    val_loss: float
    seconds: float


@dataclass(frozen=True)
class Snapshot:
    """The model measured on the validation set at one moment (before or after training)."""

    samples: int  # the validation samples measured
    gates: dict[str, float]  # mean of i, f, c̃ and o over samples, steps and units (first LSTM)
    saturated: float  # share of i, f and o within SATURATION_MARGIN of 0 or 1
    weights: dict[str, float]  # root mean square of each of the first LSTM's weights
    forget_bias: float | None  # mean of the forget gate's bias block
    reach: np.ndarray  # mean |∂loss/∂x_t| per timestep t


@dataclass(frozen=True)
class ConstraintCheck:
    argument: str
    spec: str
    holds: bool
    max_change: float


@dataclass(frozen=True)
class Penalty:
    """The regularization penalty in the training loss at the trained weights: Keras's loss on the
    training set (penalty included) against the plain mean squared error of the same predictions."""

    value: float
    loss: float

    @property
    def share(self) -> float:
        return self.value / self.loss if self.loss else 0.0


@dataclass
class Training:
    """One seed's training: the epochs that finished, and the measurements around them."""

    seed: int
    before: Snapshot | None = None
    history: list[Epoch] = field(default_factory=list)
    after: Snapshot | None = None
    penalty: Penalty | None = None
    constraints: list[ConstraintCheck] = field(default_factory=list)
    epochs: int = 0

    @property
    def complete(self) -> bool:
        return self.after is not None and len(self.history) == self.epochs

    @property
    def final_val_loss(self) -> float | None:
        return self.history[-1].val_loss if self.history else None


@dataclass(frozen=True)
class Settings:
    """How to train: the same for every seed and every value of a comparison."""

    epochs: int
    batch_size: int
    learning_rate: float


class Stopped(Exception):
    """Ctrl-C during training: `finished` holds what finished, the run in progress included."""

    def __init__(self, finished: list[Training]) -> None:
        super().__init__()
        self.finished = finished


def train(
    config: LSTMConfig,
    architecture: Architecture,
    data: TaskData,
    settings: Settings,
    seeds: list[int],
    *,
    verbose: bool = False,
    on_epoch: Callable[[], None] | None = None,
    keep: Callable[[Any], None] | None = None,
) -> list[Training]:
    """Train one model per seed; `on_epoch` is told of every finished epoch, `keep` gets the first
    seed's trained model (to save it). Ctrl-C raises Stopped with every finished epoch."""
    finished: list[Training] = []
    with muted(verbose):
        checkpoint.reached("import")
        keras, tf = _import_keras()
        try:
            for number, seed in enumerate(seeds):
                model = build(keras, tf, config, architecture, data, settings, seed)
                initial = model.get_weights()
                run = Training(seed, epochs=settings.epochs)
                finished.append(run)
                _fit(keras, model, data, settings, run, config, on_epoch)
                run.after = measure(keras, tf, model, data)
                run.penalty = penalty(model, data, settings.batch_size, config)
                run.constraints = constraint_checks(keras, model, config)
                # The initial model is measured afterwards, from its weights: a call before training
                # would move the random state that draws training's dropout masks.
                trained = model.get_weights()
                model.set_weights(initial)
                run.before = measure(keras, tf, model, data)
                model.set_weights(trained)
                if number == 0 and keep is not None:
                    keep(model)
        except KeyboardInterrupt:
            raise Stopped(finished) from None
    return finished


def build(
    keras: ModuleType,
    tf: ModuleType,
    config: LSTMConfig,
    architecture: Architecture,
    data: TaskData,
    settings: Settings,
    seed: int,
) -> Any:
    """Seed, then build the LSTM (or the stack, or Bidirectional) and a Dense head of the target's size.

    The batch size is left open, except for a stateful layer, which Keras needs to know it for."""
    from lstm_explorer.network import stack_layers

    _check_cudnn_request(config, tf, None)
    if implementation_one_crashes(config, True):
        raise UsageError(say("run.implementation_one_crash"))
    keras.utils.set_random_seed(seed)
    _, timesteps, features = data.x_train.shape
    batch = settings.batch_size if config["stateful"] else None
    inputs = keras.Input(shape=(timesteps, features), batch_size=batch, name="input")
    sequence = inputs
    try:
        for layer in stack_layers(keras, architecture.layer_configs(config), architecture):
            sequence = layer(sequence)
        activation = architecture.dense.activation if architecture.dense is not None else None
        outputs = keras.layers.Dense(data.target_size, activation=activation, name="dense")(sequence)
    except (TypeError, ValueError) as error:
        raise UsageError(say("run.keras_rejected_config", message=clean_keras_message(error))) from error
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=settings.learning_rate), loss="mse")
    return model


def _fit(
    keras: ModuleType,
    model: Any,
    data: TaskData,
    settings: Settings,
    run: Training,
    config: LSTMConfig,
    on_epoch: Callable[[], None] | None,
) -> None:
    stateful = bool(config["stateful"])

    class Record(keras.callbacks.Callback):  # type: ignore[name-defined]
        """Every finished epoch into the run, at once: Ctrl-C in the next one keeps it."""

        started = 0.0

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            if stateful:  # each epoch reads the sequences from the start
                _reset(model)
            self.started = time.perf_counter()

        def on_test_begin(self, logs: Any = None) -> None:
            if stateful:  # validation starts from zero states, not from the last training batch's
                _reset(model)

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            logs = logs or {}
            seconds = time.perf_counter() - self.started
            run.history.append(Epoch(epoch + 1, float(logs["loss"]), float(logs["val_loss"]), seconds))
            if on_epoch is not None:
                on_epoch()
            checkpoint.reached("epoch")

    model.fit(
        data.x_train,
        data.y_train,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        validation_data=(data.x_val, data.y_val),
        shuffle=not stateful,  # a stateful layer reads the batches in order, carrying its states
        verbose=0,
        callbacks=[Record()],
    )


def _reset(model: Any) -> None:
    for lstm in _lstm_layers(model):
        if lstm.stateful:
            lstm.reset_state()


def measure(keras: ModuleType, tf: ModuleType, model: Any, data: TaskData) -> Snapshot:
    """Gates, weights and the gradient's reach on the first MEASURED_SAMPLES validation samples."""
    from lstm_explorer.engine import trace_steps

    lstms = _lstm_layers(model)
    stateful = any(lstm.stateful for lstm in lstms)
    x, y = _measured(data, model)
    lstm = lstms[0]  # the first LSTM (a Bidirectional's forward half) is the one measured
    if stateful:
        _reset(model)
    steps = trace_steps(keras, lstm, x)
    gates = {
        name: float(np.mean(getattr(steps, key))) for name, key in (("i", "i"), ("f", "f"), ("c̃", "g"), ("o", "o"))
    }
    values = np.concatenate([steps.i.ravel(), steps.f.ravel(), steps.o.ravel()])
    near = (np.abs(values) <= SATURATION_MARGIN) | (np.abs(values - 1.0) <= SATURATION_MARGIN)
    weights = {w.name: float(np.sqrt(np.mean(np.square(np.asarray(w.numpy()))))) for w in lstm.weights}
    forget = None
    if lstm.use_bias:
        units = lstm.units
        forget = float(np.mean(np.asarray(lstm.cell.bias.numpy())[units : 2 * units]))
    if stateful:
        _reset(model)
    reach = gradient_reach(tf, model, x, y)
    if stateful:
        _reset(model)
    return Snapshot(len(x), gates, float(near.mean()), weights, forget, reach)


def _lstm_layers(model: Any) -> list[Any]:
    """Every LSTM of the model, bottom first, a Bidirectional's two halves included."""
    from lstm_explorer.network import lstm_directions

    wrapped = [layer for layer in model.layers if hasattr(layer, "forward_layer") or type(layer).__name__ == "LSTM"]
    return [lstm for layer in wrapped for _, lstm in lstm_directions(layer)]


def _measured(data: TaskData, model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The validation samples measured: a stateful model's fixed batch, else the first MEASURED_SAMPLES."""
    batch = model.inputs[0].shape[0]
    count = batch if batch is not None else MEASURED_SAMPLES
    return data.x_val[:count], data.y_val[:count]


def gradient_reach(tf: ModuleType, model: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean |∂loss/∂x_t| over samples and features, per timestep, the loss being the mean squared
    error of the model's prediction at inference (no dropout) on these samples."""
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        predicted = model(inputs, training=False)
        loss = tf.reduce_mean(tf.square(predicted - tf.convert_to_tensor(y)))
    gradient = tape.gradient(loss, inputs).numpy()
    return np.mean(np.abs(gradient), axis=(0, 2))


REGULARIZERS = ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer")


def penalty(model: Any, data: TaskData, batch_size: int, config: LSTMConfig) -> Penalty:
    """Keras's training-set loss at the trained weights, the penalty included, and the penalty: that
    loss less the plain mean squared error of the same predictions (none without a regularizer, where
    the two differ only by float32 rounding)."""
    stateful = bool(config["stateful"])
    if stateful:
        _reset(model)
    loss = float(model.evaluate(data.x_train, data.y_train, batch_size=batch_size, verbose=0))
    if stateful:
        _reset(model)
    predicted = model.predict(data.x_train, batch_size=batch_size, verbose=0)
    if stateful:
        _reset(model)
    plain = float(np.mean(np.square(predicted.astype(np.float64) - data.y_train)))
    return Penalty(max(loss - plain, 0.0) if regularized(config) else 0.0, loss)


def regularized(config: LSTMConfig) -> bool:
    return any(config[name] is not None for name in REGULARIZERS)


def constraint_checks(keras: ModuleType, model: Any, config: LSTMConfig) -> list[ConstraintCheck]:
    """Whether each constraint set holds on the trained weights of every LSTM: projecting a weight
    that satisfies it leaves it where it is (Keras projects after every optimizer step)."""
    checks = []
    targets = {"kernel_constraint": "kernel", "recurrent_constraint": "recurrent_kernel", "bias_constraint": "bias"}
    for argument in CONSTRAINTS:
        spec = config[argument]
        if not isinstance(spec, Spec):
            continue
        constraint = _resolve_spec(keras, argument, spec)
        change = 0.0
        for lstm in _lstm_layers(model):
            weight = getattr(lstm.cell, targets[argument], None)
            if weight is None:
                continue
            values = np.asarray(weight.numpy())
            projected = np.asarray(keras.ops.convert_to_numpy(constraint(weight.value)))
            change = max(change, float(np.max(np.abs(projected - values))))
        checks.append(ConstraintCheck(argument, str(spec), change <= CONSTRAINT_TOLERANCE, change))
    return checks
