"""A 16-value `vary units` against a single run, timed together: target ≤ 1.3× the single run.

Each sweep row builds and calls its model directly (no predict), so the sweep should cost little
more than the TensorFlow import both pay.
"""

from __future__ import annotations

import sys

from timing import medians, report

RUN = [sys.executable, "-m", "lstm_explorer"]
COMMANDS = {
    "lstm-explore --units 3 --json (baseline)": [*RUN, "--units", "3", "--json"],
    "lstm-explore vary units 1 … 16 --json": [*RUN, "vary", "units", *map(str, range(1, 17)), "--json"],
}

if __name__ == "__main__":
    sys.exit(report(medians(COMMANDS, runs=5), target=1.3))
