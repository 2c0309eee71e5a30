"""Keep TensorFlow's native log lines off the user's terminal.

TF_CPP_MIN_LOG_LEVEL alone is not enough: absl and oneDNN write to file descriptor 2 from C++
before any Python logging is configured. So, unless --verbose (or --debug), descriptor 2 points at
/dev/null while TensorFlow is imported and run. Numerics are untouched (oneDNN stays on).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def muted(verbose: bool) -> Iterator[None]:
    """Divert descriptor 2, Python warnings and TensorFlow's logger unless `verbose`."""
    if verbose:
        yield
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tf_logger = logging.getLogger("tensorflow")
        previous_level = tf_logger.level
        tf_logger.setLevel(logging.ERROR)
        with contextlib.suppress(ValueError, OSError):
            sys.stderr.flush()
        saved = os.dup(2)
        try:  # Opened before the redirection, so that a Ctrl-C at any point still gets its line out.
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
            finally:
                os.close(devnull)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tf_logger.setLevel(previous_level)
