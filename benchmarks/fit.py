"""What training costs: `fit` and `vary --fit` against the same trainings done by Keras directly
(benchmarks/fit_keras.py), timed in one run, and against the issue's absolute targets on this machine:

  lstm-explore fit --task next (defaults)                                          ≤ 20 s
  lstm-explore vary unit_forget_bias true false --fit --task adding --repeats 3    ≤ 180 s

`python benchmarks/fit.py [--runs N]`; prints a Markdown table. Standard library only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from timing import samples

HERE = Path(__file__).resolve().parent
PY = sys.executable
TOOL = [PY, "-m", "lstm_explorer"]
VARY = ["unit_forget_bias", "true", "false"]
CASES = {
    "fit --task next": (
        [*TOOL, "fit", "--task", "next"],
        [PY, str(HERE / "fit_keras.py"), "next", "1"],
        20.0,
    ),
    "vary unit_forget_bias true false --fit --task adding --repeats 3": (
        [*TOOL, "vary", *VARY, "--fit", "--task", "adding", "--repeats", "3"],
        [PY, str(HERE / "fit_keras.py"), "adding", "3", VARY[0], VARY[1], VARY[0], VARY[2]],
        180.0,
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command (after one warm-up)")
    runs = parser.parse_args().runs
    print("| command | wall s | plain Keras s | ratio | target s |")
    print("|---|---:|---:|---:|---:|")
    misses = 0
    for name, (tool, plain, target) in CASES.items():
        measured = samples({"tool": tool, "plain": plain}, runs)
        wall = {key: statistics.median(s.wall for s in values) for key, values in measured.items()}
        miss = wall["tool"] > target
        misses += miss
        print(
            f"| `lstm-explore {name}` | {wall['tool']:.1f}{' ✗' if miss else ''} | {wall['plain']:.1f} | "
            f"{wall['tool'] / wall['plain']:.2f} | ≤ {target:.0f} |"
        )
    print(f"\n{misses} target(s) missed.")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
