"""The plain script lstm-explore replaces: the tutorial's model, its summary and one prediction."""

import keras
import numpy as np

x = np.arange(1, 21, dtype="float32").reshape(1, 10, 2)
model = keras.Sequential([keras.Input((10, 2)), keras.layers.LSTM(3, return_sequences=True)])
model.summary()
print(model.predict(x))
