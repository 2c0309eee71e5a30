"""Start-up cost of the commands that must not load TensorFlow, as ratios to `import typer, rich`.

Target: `--help`, `explain` and `--version` within 1.5× the baseline, timed in the same run.
"""

from __future__ import annotations

import sys

from timing import medians, report

COMMANDS = {
    "python -c 'import typer, rich' (baseline)": [sys.executable, "-c", "import typer, rich"],
    "lstm-explore --help": [sys.executable, "-m", "lstm_explorer", "--help"],
    "lstm-explore explain dropout": [sys.executable, "-m", "lstm_explorer", "explain", "dropout"],
    "lstm-explore explain dropout --lang zh": [
        sys.executable,
        "-m",
        "lstm_explorer",
        "explain",
        "dropout",
        "--lang",
        "zh",
    ],
    "lstm-explore --version": [sys.executable, "-m", "lstm_explorer", "--version"],
}

if __name__ == "__main__":
    sys.exit(report(medians(COMMANDS, runs=15), target=1.5))
