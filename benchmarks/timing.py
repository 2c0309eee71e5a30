"""Shared timing for the benchmarks: whole processes, warmed up, interleaved, medians and ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass

# A user's installation has its bytecode cached; a shell that forbids writing it would time the
# compiler instead (about 50 ms of lstm-explore's own modules on every start).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Sample:
    """One whole-process run: wall seconds, CPU seconds (user + system) and peak resident KiB.

    CPU time is the steadier number on a shared machine: waiting for a core adds wall time but no
    CPU time, so where wall-time differences drown in load, the CPU column still shows them.
    """

    wall: float
    cpu: float
    rss_kib: int


def measure(command: list[str]) -> Sample:
    """One run of `command`, output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def samples(commands: dict[str, list[str]], runs: int) -> dict[str, list[Sample]]:
    """`runs` measurements of each command after one warm-up, interleaved round-robin so that load
    on a shared machine hits every command alike."""
    for command in commands.values():
        measure(command)
    results: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(measure(command))
    return results


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command."""
    return {name: statistics.median(s.wall for s in runs_) for name, runs_ in samples(commands, runs).items()}


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
