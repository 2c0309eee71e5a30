"""How much memory a configuration will need, worked out before anything is built.

`--units 100000` asks TensorFlow for 160 GB of weights and `--batch 100000000` for hundreds of GB of
input; left alone, either ends in an out-of-memory crash or a machine that swaps for minutes. The
estimate below is checked against a bound first, and the refusal says both numbers.

The per-element costs were measured (peak resident memory above a default run, TensorFlow 2.21 on
a CPU) and rounded up: the estimate is meant to be an upper bound, and a test holds it to that.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from lstm_explorer.errors import UsageError, shorten
from lstm_explorer.language import say

FLAG = "--max-memory"
DEFAULT_BOUND = 4 * 2**30

# Bytes per element, measured and rounded up (benchmarks/memory_estimate.py measures them again).
# A weight lives as a Keras variable, as the initializer's temporaries, as a NumPy copy and in
# float64 in the reference check: 30 to 33 bytes were measured with TensorFlow 2.21 on x86-64.
BYTES_PER_WEIGHT = 40
# Per (sample, timestep, unit): the layer's own loop, the step-by-step trace (x, z, i, f, c̃, o, c, h
# for the whole batch), the float64 reference and the outputs.
BYTES_PER_ACTIVATION = 192
BYTES_PER_ACTIVATION_UNTRACED = 64
# A long, wide batch's trace is lean (see `lean_trace`): ≈ 26 bytes were measured at 256 × 200 × 128.
BYTES_PER_ACTIVATION_LEAN = 64
BYTES_PER_ACTIVATION_EFFECTS = 128
# Per timestep, whatever the width: the trace's Step objects and the compiled loop's bookkeeping
# (≈ 12 KiB a step were measured at 10,000 steps of one sample, of which the activations above cover
# most).
BYTES_PER_TIMESTEP = 4096
BYTES_PER_INPUT_VALUE = 24
# A number in a JSON document: the Python float and its list slot, twice while non-finite values
# are replaced, then its indented text and the pieces json.dumps joins.
BYTES_PER_JSON_VALUE = 256
# Reading a text file: every character may become part of a Python float in a nested list.
BYTES_PER_TEXT_FILE_BYTE = 16
BYTES_PER_NPY_FILE_BYTE = 3

# From this many timesteps on, the layer's calls and the trace run compiled (engine.compiled).
COMPILE_FROM_TIMESTEPS = 100
# Above this many bytes of gates (z and i, f, c̃, o of every sample and step), a compiled trace keeps
# the gates of the traced sample only (engine.trace_steps).
LEAN_TRACE_BYTES = 64 * 2**20

_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]?)(i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


@dataclass(frozen=True)
class Shape:
    """The sizes that decide memory: the input's (batch, timesteps, features) and the layer's units."""

    batch: int
    timesteps: int
    features: int
    units: int


@dataclass(frozen=True)
class Estimate:
    """Bytes a run will need beyond TensorFlow's own footprint, by what needs them."""

    parts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.parts)

    def describe(self) -> str:
        """`about 1.5 GiB (weights 1.2 GiB, activations 300.0 MiB)` in the current language."""
        shown = [f"{part_name(name)} {human(size)}" for name, size in self.parts if size >= 2**20]
        if len(shown) > 1:
            return say("values.memory_about_parts", total=human(self.total), parts=say("values.comma").join(shown))
        return say("values.memory_about", total=human(self.total))


def part_name(name: str) -> str:
    """What a part of the estimate is called in the current language (`weights`, `reading the file`)."""
    return say("values.memory_part_" + name.lower().replace(" ", "_"))


def human(size: float) -> str:
    """1536 → '1.5 KiB': sizes the way the bound is written."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def physical_memory() -> int | None:
    """This machine's memory in bytes, where the system says."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return physical if physical > 0 else None


def default_bound() -> int:
    """4 GiB, or half of this machine's memory where that is less."""
    physical = physical_memory()
    return DEFAULT_BOUND if physical is None else min(DEFAULT_BOUND, physical // 2)


def parse_bound(text: str | None) -> int | None:
    """`4G`, `512MiB`, `1.5g`, `1000000` (bytes) or `none` (no bound); None picks the default."""
    if text is None:
        return default_bound()
    if text.strip().lower() in ("none", "off", "unlimited"):
        return None
    match = _SIZE.match(text)
    if match is None:
        raise UsageError(say("values.max_memory_size", flag=FLAG, value=repr(shorten(text))))
    number, unit = float(match.group(1)), _UNITS[match.group(2).lower()]
    size = number * unit
    if not math.isfinite(size) or size < 2**20:
        raise UsageError(say("values.max_memory_minimum", flag=FLAG, value=repr(shorten(text))))
    return int(size)


def estimate(
    shape: Shape,
    *,
    use_bias: bool = True,
    return_sequences: bool = False,
    trace: bool = True,
    effects: bool = False,
    json_output: bool = False,
) -> Estimate:
    """The memory one build-and-call of this shape needs, as an upper bound."""
    b, t, f, u = shape.batch, shape.timesteps, shape.features, shape.units
    weights = 4 * u * (f + u + int(use_bias))
    steps = b * t * u
    per_step = BYTES_PER_ACTIVATION if trace else BYTES_PER_ACTIVATION_UNTRACED
    if trace and lean_trace(b, t, u):
        per_step = BYTES_PER_ACTIVATION_LEAN
    parts = [
        ("weights", weights * BYTES_PER_WEIGHT),
        ("activations", steps * (per_step + (BYTES_PER_ACTIVATION_EFFECTS if effects else 0)) + t * BYTES_PER_TIMESTEP),
        ("input", b * t * f * BYTES_PER_INPUT_VALUE),
    ]
    if json_output:
        # The go_backwards demonstration carries a whole sequence.
        sequences = int(return_sequences) + int(effects)
        emitted = b * t * f + weights + sequences * steps + 3 * b * u + (t * (f + 9 * u) if trace else 0)
        parts.append(("JSON", emitted * BYTES_PER_JSON_VALUE))
    return Estimate(tuple(parts))


def lean_trace(batch: int, timesteps: int, units: int) -> bool:
    """Whether the trace of this shape keeps the gates of one sample only (compiled, and the gates of
    every sample over LEAN_TRACE_BYTES)."""
    return timesteps >= COMPILE_FROM_TIMESTEPS and batch > 1 and batch * timesteps * 8 * units * 4 > LEAN_TRACE_BYTES


def check(needed: Estimate, bound: int | None, what: str | None = None) -> None:
    """Refuse, naming both numbers, when the estimate is over the bound; `what` defaults to "this configuration"."""
    if bound is None or needed.total <= bound:
        return
    physical = physical_memory()
    if physical is not None and needed.total > physical:
        advice = say("values.memory_over_machine", physical=human(physical))
    else:
        advice = say("values.memory_raise_bound", flag=FLAG, suggestion=_suggest(needed.total))
    raise UsageError(
        say(
            "values.memory_over_bound",
            what=say("values.this_configuration") if what is None else what,
            needed=needed.describe(),
            flag=FLAG,
            bound=human(bound),
            advice=advice,
        )
    )


def check_file(size: int, suffix: str, bound: int | None, flag: str) -> None:
    """Refuse a file whose mere reading would exceed the bound, before reading it."""
    factor = BYTES_PER_NPY_FILE_BYTE if suffix == ".npy" else BYTES_PER_TEXT_FILE_BYTE
    check(
        Estimate((("reading the file", size * factor),)), bound, say("values.memory_file", flag=flag, size=human(size))
    )


def _suggest(total: int) -> str:
    return f"{math.ceil(total * 1.25 / 2**30)}G"
