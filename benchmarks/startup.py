"""Start-up cost of the commands that must not load TensorFlow, as ratios to `import typer, rich`.

Each command runs in fresh processes after a warm-up, interleaved round-robin with the others so
that load on a shared machine hits all of them alike; medians and ratios to the baseline timed in
the same run are printed. Target: `--help` and `explain` within 1.5× the baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
TARGET = 1.5
COMMANDS = {
    "python -c 'import typer, rich' (baseline)": [sys.executable, "-c", "import typer, rich"],
    "lstm-explore --help": [sys.executable, "-m", "lstm_explorer", "--help"],
    "lstm-explore explain dropout": [sys.executable, "-m", "lstm_explorer", "explain", "dropout"],
    "lstm-explore explain dropout --lang zh": [sys.executable, "-m", "lstm_explorer", "explain", "dropout", "--lang", "zh"],
}


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def medians(commands: dict[str, list[str]]) -> dict[str, float]:
    for command in commands.values():
        _seconds(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            samples[name].append(_seconds(command))
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> int:
    results = medians(COMMANDS)
    baseline = next(iter(results.values()))
    print(f"{'command':45} {'median s':>9} {'ratio':>6}")
    misses = 0
    for name, seconds in results.items():
        ratio = seconds / baseline
        flag = "" if ratio <= TARGET or name.endswith("(baseline)") else f"  > {TARGET}× target"
        misses += bool(flag)
        print(f"{name:45} {seconds:9.3f} {ratio:6.2f}{flag}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
