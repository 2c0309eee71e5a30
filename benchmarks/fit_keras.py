"""The plain script for `fit`: the same models trained by Keras directly, on the same data.

Usage: fit_keras.py TASK REPEATS [ARGUMENT VALUE ...]: one training of 20 epochs (Adam 0.01, batch
32, LSTM(3) and a Dense head) per seed from 42 on, for each ARGUMENT=VALUE given (one model without).
It only trains: no measurements, no tables, the floor a training tool can't go below.
"""

import sys

import keras

from lstm_explorer import tasks

task, repeats, *pairs = sys.argv[1:]
data = tasks.make(task, seed=42)
values = [dict([(pairs[k], pairs[k + 1] == "true")]) for k in range(0, len(pairs), 2)] or [{}]
for layer in values:
    for seed in range(42, 42 + int(repeats)):
        keras.utils.set_random_seed(seed)
        inputs = keras.Input(data.x_train.shape[1:])
        sequence = keras.layers.LSTM(3, **layer)(inputs)
        model = keras.Model(inputs, keras.layers.Dense(data.target_size)(sequence))
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
        model.fit(
            data.x_train,
            data.y_train,
            batch_size=32,
            epochs=20,
            validation_data=(data.x_val, data.y_val),
            verbose=0,
        )
        print(seed, layer, model.evaluate(data.x_val, data.y_val, verbose=0))
