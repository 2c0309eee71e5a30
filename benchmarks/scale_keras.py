"""The plain script for a long sequence: the same model lstm-explore builds, its summary and one
prediction of the same input (the counting pattern). Usage: scale_keras.py BATCH TIMESTEPS FEATURES UNITS."""

import sys

import keras
import numpy as np

batch, timesteps, features, units = (int(value) for value in sys.argv[1:5])
x = np.arange(1, batch * timesteps * features + 1, dtype="float32").reshape(batch, timesteps, features)
model = keras.Sequential([keras.Input((timesteps, features)), keras.layers.LSTM(units, return_sequences=True)])
model.summary()
print(model.predict(x, batch_size=batch))
