"""Build, run and explain any configuration of a Keras LSTM layer.

The package is importable without TensorFlow (or even NumPy): `run`, `trace`, `vary`, `fit`,
`vary_fit`, `export` and `explain` come from :mod:`lstm_explorer.api` on first use, and only
:mod:`lstm_explorer.engine` and :mod:`lstm_explorer.training` load TensorFlow, when a layer is
actually built.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["run", "trace", "vary", "fit", "vary_fit", "export", "explain", "__version__"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from lstm_explorer import api

        return getattr(api, name)
    raise AttributeError(f"module 'lstm_explorer' has no attribute {name!r}")
