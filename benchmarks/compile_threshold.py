"""Where compiling the call and the trace starts to pay: one run's engine time, eager against
compiled, at several sequence lengths (units 64, features 8, return_sequences), in one process.

The first run of each path also pays TensorFlow's one-time costs, so every length is timed after a
warm-up of both paths; the tool's threshold (engine.COMPILE_FROM_TIMESTEPS) is the shortest length
from which the compiled run is faster. `python benchmarks/compile_threshold.py [--repeats N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from lstm_explorer import engine
from lstm_explorer.api import model_configuration, prepare

LENGTHS = (10, 25, 50, 100, 200, 400)


def seconds(timesteps: int, threshold: int) -> float:
    engine.COMPILE_FROM_TIMESTEPS = threshold
    config, architecture = model_configuration({"units": 64, "return_sequences": True})
    prepared = prepare(config, timesteps=timesteps, features=8, architecture=architecture)
    start = time.perf_counter()
    engine.run(prepared.config, prepared.data, random_seed=42)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    seconds(10, 1), seconds(10, 10**9)
    print("| timesteps | eager s | compiled s | compiled ÷ eager |")
    print("|---:|---:|---:|---:|")
    for length in LENGTHS:
        eager = statistics.median(seconds(length, 10**9) for _ in range(repeats))
        compiled = statistics.median(seconds(length, 1) for _ in range(repeats))
        print(f"| {length} | {eager:.3f} | {compiled:.3f} | {compiled / eager:.2f} |")


if __name__ == "__main__":
    main()
