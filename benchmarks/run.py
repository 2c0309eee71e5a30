"""What lstm-explore costs against what it replaces, timed in one run on this machine.

Whole processes, one warm-up each, then interleaved runs; medians of wall time and of peak memory
(max RSS), each group's ratios against its own baseline measured in the same run:

  startup   --help, explain and --version against `import typer, rich`      target ≤ 1.5×
  run       the default run and its --json against the plain Keras script   target ≤ 1.0×
            (benchmarks/tutorial_keras.py) and against `import tensorflow`  target ≤ 1.15×
  features  trace, --show-effects and vary units 1 … 16 against the run    ≤ 1.1×, 1.5×, 1.3×
  memory    peak RSS of every TensorFlow command against the plain script   target ≤ 1.05×
  scale     long sequences and a big batch, each against the plain script   ≤ 1.2× (T 1,000),
            doing the same work (benchmarks/scale_keras.py)                   ≤ 1.5× (T 10,000, batch),
                                                                             peak RSS ≤ 1.1×

Wall time is what the targets are judged on; CPU time (user + system) is printed beside it because
it is steadier on a loaded machine. Standard library only.
`python benchmarks/run.py [--runs N] [--groups run startup …]`; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

from timing import samples

HERE = Path(__file__).resolve().parent
PY = sys.executable
TOOL = [PY, "-m", "lstm_explorer"]
DEFAULT_RUN = [*TOOL, "--units", "3", "--return-sequences"]

GROUPS = {
    "startup": {
        "python -c 'import typer, rich'": [PY, "-c", "import typer, rich"],
        "lstm-explore --help": [*TOOL, "--help"],
        "lstm-explore explain dropout": [*TOOL, "explain", "dropout"],
        "lstm-explore --version": [*TOOL, "--version"],
    },
    "run": {
        "plain Keras script (tutorial_keras.py)": [PY, str(HERE / "tutorial_keras.py")],
        "python -c 'import tensorflow'": [PY, "-c", "import tensorflow"],
        "lstm-explore --units 3 --return-sequences": DEFAULT_RUN,
        "lstm-explore --units 3 --return-sequences --json": [*DEFAULT_RUN, "--json"],
    },
    "features": {
        "lstm-explore --units 3 --return-sequences ": DEFAULT_RUN,
        "lstm-explore trace --units 3": [*TOOL, "trace", "--units", "3"],
        "lstm-explore --units 3 --return-sequences --show-effects": [*DEFAULT_RUN, "--show-effects"],
        "lstm-explore vary units 1 … 16": [*TOOL, "vary", "units", *map(str, range(1, 17))],
    },
    "scale": {},
}
# (batch, timesteps, features, units) of each scale case, and its target against the plain script.
SCALE_CASES = {(1, 1000, 8, 64): 1.2, (1, 10_000, 8, 64): 1.5, (256, 200, 8, 128): 1.5}
SCALE_MEMORY_TARGET = 1.1
for (b, t, f, u), _ in SCALE_CASES.items():
    size = f"B {b} × T {t:,} × F {f}, units {u}"
    GROUPS["scale"][f"plain Keras script, {size}"] = [PY, str(HERE / "scale_keras.py"), *map(str, (b, t, f, u))]
    GROUPS["scale"][f"lstm-explore, {size}"] = [
        *TOOL,
        *("--batch", str(b), "--timesteps", str(t), "--features", str(f), "--units", str(u)),
        "--return-sequences",
    ]
TARGETS = {
    "lstm-explore --help": 1.5,
    "lstm-explore explain dropout": 1.5,
    "lstm-explore --version": 1.5,
    "lstm-explore --units 3 --return-sequences": 1.0,
    "lstm-explore --units 3 --return-sequences --json": 1.0,
    "lstm-explore trace --units 3": 1.1,
    "lstm-explore --units 3 --return-sequences --show-effects": 1.5,
    "lstm-explore vary units 1 … 16": 1.3,
}
IMPORT_TF_TARGET = 1.15
MEMORY_TARGET = 1.05


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _scale_rows(
    commands: dict[str, list[str]], wall: dict[str, float], cpu: dict[str, float], rss: dict[str, float]
) -> int:
    """Each scale case against its own plain script, timed in the same run; the targets missed."""
    misses = 0
    names = list(commands)
    for (plain, tool), target in zip(zip(names[::2], names[1::2]), SCALE_CASES.values()):
        ratio, memory = wall[tool] / wall[plain], rss[tool] / rss[plain]
        miss, memory_miss = ratio > target, memory > SCALE_MEMORY_TARGET
        misses += miss + memory_miss
        for name, shown, text in (
            (plain, "1.00", "baseline"),
            (tool, f"{ratio:.2f}{' ✗' if miss else ''}", f"≤ {target}×"),
        ):
            memory_text = "1.00" if name == plain else f"{memory:.2f}{' ✗' if memory_miss else ''}"
            print(
                f"| scale | `{name}` | {wall[name]:.3f} | {shown} | {cpu[name]:.3f} | {cpu[name] / cpu[plain]:.2f} | "
                f"{text} | {rss[name]:.0f} | {memory_text} |"
            )
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (after one warm-up)")
    parser.add_argument("--groups", nargs="+", choices=list(GROUPS), default=list(GROUPS), help="which groups to time")
    options = parser.parse_args()
    runs = options.runs
    print(
        f"Machine: {platform.machine()}, {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{runs} runs per command\n"
    )
    print(
        "| group | command | wall s | ratio | CPU s | CPU ratio | target | peak RSS MiB | RSS ratio to plain script |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    misses = 0
    plain_rss = None
    for group in options.groups:
        commands = GROUPS[group]
        measured = samples(commands, runs)
        wall = {name: statistics.median(s.wall for s in values) for name, values in measured.items()}
        cpu = {name: statistics.median(s.cpu for s in values) for name, values in measured.items()}
        rss = {name: statistics.median(s.rss_kib for s in values) / 1024 for name, values in measured.items()}
        if group == "scale":
            misses += _scale_rows(commands, wall, cpu, rss)
            continue
        baseline = next(iter(commands))
        if group == "run":
            plain_rss = rss["plain Keras script (tutorial_keras.py)"]
        for index, name in enumerate(commands):
            ratio = wall[name] / wall[baseline]
            target = TARGETS.get(name.strip())
            miss = target is not None and index > 0 and ratio > target
            memory_ratio = rss[name] / plain_rss if plain_rss and group != "startup" else None
            memory_miss = memory_ratio is not None and name.startswith("lstm-explore") and memory_ratio > MEMORY_TARGET
            misses += miss + memory_miss
            target_text = "baseline" if index == 0 else f"≤ {target}×" if target else ""
            print(
                f"| {group} | `{name.strip()}` | {wall[name]:.3f} | {ratio:.2f}{' ✗' if miss else ''} | "
                f"{cpu[name]:.3f} | {cpu[name] / cpu[baseline]:.2f} | {target_text} | "
                f"{rss[name]:.0f} | {'' if memory_ratio is None else f'{memory_ratio:.2f}' + (' ✗' if memory_miss else '')} |"
            )
        if group == "run":
            tool, floor = "lstm-explore --units 3 --return-sequences", "python -c 'import tensorflow'"
            ratio = wall[tool] / wall[floor]
            miss = ratio > IMPORT_TF_TARGET
            misses += miss
            print(
                f"| run | default run ÷ `import tensorflow` | | {ratio:.2f}{' ✗' if miss else ''} | | "
                f"{cpu[tool] / cpu[floor]:.2f} | ≤ {IMPORT_TF_TARGET}× | | |"
            )
    print(f"\n{misses} target(s) missed.")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
