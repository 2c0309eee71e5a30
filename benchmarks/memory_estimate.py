"""The memory estimate against the real peak of whole processes, measured in one run on this machine.

`lstm_explorer.limits` refuses a run before anything is built when its estimate is over --max-memory,
so the estimate must stay above what a run really takes, and not so far above that it refuses runs
that would fit. Above a one-unit run (TensorFlow itself), each case's peak-RSS growth is compared
with the estimate: target growth ≤ estimate ≤ 3 × growth. Peak memory depends on the machine, the
allocator and TensorFlow's build, which is why this is a benchmark and not a test.
`python benchmarks/memory_estimate.py`; exit status 1 when a case misses the target.
"""

from __future__ import annotations

import sys

from lstm_explorer import limits

from timing import measure

TOOL = [sys.executable, "-m", "lstm_explorer"]
CASES = {
    "weights: --units 1500": (["--units", "1500"], limits.Shape(1, 10, 2, 1500), {}),
    "activations: 1000 × 50 × 64 --show-effects --json": (
        ["--batch", "1000", "--timesteps", "50", "--units", "64", "--show-effects", "--json"],
        limits.Shape(1000, 50, 2, 64),
        {"effects": True, "json_output": True},
    ),
    "a long, compiled run: 1 × 10,000 × 64": (
        ["--timesteps", "10000", "--features", "8", "--units", "64", "--return-sequences"],
        limits.Shape(1, 10_000, 8, 64),
        {"return_sequences": True},
    ),
    "a wide, compiled batch: 256 × 200 × 128": (
        ["--batch", "256", "--timesteps", "200", "--features", "8", "--units", "128", "--return-sequences"],
        limits.Shape(256, 200, 8, 128),
        {"return_sequences": True},
    ),
}


# Training (`fit`), above a fit of one unit on eight samples for one epoch: (flags, keywords for
# lstm_explorer.fit's configuration and data).
TRAINING_BASELINE = ["fit", "--samples", "8", "--epochs", "1", "--units", "1"]
TRAINING_CASES = {
    "training: adding 4096 × 200, units 64, batch 256": (
        ["fit", "--task", "adding", "--samples", "4096", "--timesteps", "200", "--units", "64"],
        dict(task="adding", samples=4096, timesteps=200, units=64, batch_size=256),
    ),
    "training: next 100,000 × 10, units 256, batch 1024": (
        ["fit", "--samples", "100000", "--units", "256"],
        dict(task="next", samples=100_000, units=256, batch_size=1024),
    ),
}


def _training_estimate(task: str, samples: int, units: int, batch_size: int, timesteps: int | None = None) -> int:
    from lstm_explorer import api, fitting, tasks

    config, architecture = api.model_configuration({"units": units})
    data = tasks.make(task, samples=samples, timesteps=timesteps)
    return fitting.estimate(config, architecture, data, fitting.settings(1, batch_size, None)).total


def _row(name: str, growth: int, estimate: int) -> int:
    ratio = estimate / growth if growth > 0 else float("inf")
    miss = not 1.0 <= ratio <= 3.0
    print(f"{name:52} {growth / 2**20:10.0f} {estimate / 2**20:12.0f} {ratio:6.2f}{'  outside 1–3×' if miss else ''}")
    return miss


def main() -> int:
    baseline = measure([*TOOL, "--units", "1"]).rss_kib * 1024
    print(f"baseline peak RSS (--units 1): {baseline / 2**20:.0f} MiB")
    print(f"{'case':52} {'growth MiB':>10} {'estimate MiB':>12} {'ratio':>6}")
    misses = 0
    for name, (args, shape, options) in CASES.items():
        growth = measure([*TOOL, *args]).rss_kib * 1024 - baseline
        misses += _row(name, growth, limits.estimate(shape, **options).total)
    trained = measure([*TOOL, *TRAINING_BASELINE]).rss_kib * 1024
    print(f"training baseline peak RSS ({' '.join(TRAINING_BASELINE)}): {trained / 2**20:.0f} MiB")
    for name, (args, keywords) in TRAINING_CASES.items():
        flags = [*args, "--batch-size", str(keywords["batch_size"]), "--epochs", "1"]
        growth = measure([*TOOL, *flags]).rss_kib * 1024 - trained
        misses += _row(name, growth, _training_estimate(**keywords))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
