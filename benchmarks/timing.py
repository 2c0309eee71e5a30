"""Shared timing for the benchmarks: whole processes, warmed up, interleaved, medians and ratios."""

from __future__ import annotations

import statistics
import subprocess
import time


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command; runs interleave round-robin so machine load hits all alike."""
    for command in commands.values():
        _seconds(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(_seconds(command))
    return {name: statistics.median(times) for name, times in samples.items()}


def report(results: dict[str, float], target: float) -> int:
    """Print medians and ratios to the first (baseline) command; exit status 1 if a target is missed."""
    baseline = next(iter(results.values()))
    print(f"{'command':50} {'median s':>9} {'ratio':>6}")
    misses = 0
    for index, (name, seconds) in enumerate(results.items()):
        ratio = seconds / baseline
        flag = f"  > {target}× target" if index and ratio > target else ""
        misses += bool(flag)
        print(f"{name:50} {seconds:9.3f} {ratio:6.2f}{flag}")
    return 1 if misses else 0
