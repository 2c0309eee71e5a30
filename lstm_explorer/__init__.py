"""Build, run and explain any configuration of a Keras LSTM layer.

The package is importable without TensorFlow: only :mod:`lstm_explorer.engine` loads it, and only
when a model is actually built.
"""

__version__ = "0.1.0"
