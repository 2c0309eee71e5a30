"""Named points in a run where a test can stop the process by handshake instead of by the clock.

A test that sends Ctrl-C "while TensorFlow is importing" cannot know when that is from outside:
a fixed delay lands in another phase on a faster or busier machine. With
LSTM_EXPLORE_PAUSE_AT=PHASE:PATH in the environment, the run creates PATH when it reaches PHASE and
then waits there for a signal, so the interrupt lands exactly in that phase on any machine. Without
the variable `reached` returns at once.
"""

from __future__ import annotations

import os
import time

ENVIRONMENT_VARIABLE = "LSTM_EXPLORE_PAUSE_AT"
PHASES = ("import", "call", "write", "epoch")
LONGEST_WAIT_SECONDS = 600.0


def reached(phase: str) -> None:
    """Announce `phase` and wait for a signal, if the environment asks for this phase."""
    wanted, _, marker = os.environ.get(ENVIRONMENT_VARIABLE, "").partition(":")
    if wanted != phase or not marker:
        return
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + LONGEST_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)  # A signal's handler runs between these sleeps.
