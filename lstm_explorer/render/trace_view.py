"""`trace` drawn for a person: the equations once with the first step's numbers, then every step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from lstm_explorer.catalogue import GATE_SYMBOLS, GATES
from lstm_explorer.engine import RunResult
from lstm_explorer.language import say
from lstm_explorer.reference import Step
from lstm_explorer.render.heatmap import heatmap
from lstm_explorer.render.rich_view import header, masks_section, matrix_table, reference_line, traced_label


def _n(value: float) -> str:
    return f"{value:.4f}"


def first_step_equations(result: RunResult, unit: int) -> Panel:
    """The LSTM equations for one unit with the first step's actual numbers substituted.

    With a padding mask, the first real step: the masked steps before it carry the zero states, so
    h and c still start at 0 there."""
    real = _real_steps(result)
    step = next((s for s in result.trace if s.t in real), result.trace[0])
    units = result.traced_units
    weights = {w.name: w.values for w in result.traced_weights}
    gate_fn = result.config["recurrent_activation"] or "linear"
    act_fn = result.config["activation"] or "linear"
    sample = result.trace_sample
    given = result.initial_state
    h0 = None if given is None else given[0][sample]
    c0 = 0.0 if given is None else float(given[1][sample][unit])
    first = "trace.first_step" if given is None else "trace.first_step_from_state"
    lines = [
        Text(say(first, t=step.t, sample=sample, unit=unit, gate_fn=gate_fn, act_fn=act_fn), style="dim"),
    ]
    values = {"i": step.i, "f": step.f, "c": step.g, "o": step.o}
    masks = {m.name: m.values[result.trace_sample] for m in result.dropout_masks}
    if any(name.startswith("input") for name in masks):
        lines.append(Text(say("trace.training_input_mask"), style="dim"))
    for k, gate in enumerate(g.key for g in GATES):
        column = k * units + unit
        name = GATE_SYMBOLS[gate]
        mask = masks.get(f"input_mask_{gate}", masks.get("input_mask"))
        seen = step.x if mask is None else step.x * mask
        terms = [f"{_n(xv)}×{_n(kv)}" for xv, kv in zip(seen, weights["kernel"][:, column])]
        if h0 is not None:
            carried = masks.get(f"recurrent_mask_{gate}", masks.get("recurrent_mask"))
            h_seen = h0 if carried is None else h0 * carried
            terms += [f"{_n(hv)}×{_n(rv)}" for hv, rv in zip(h_seen, weights["recurrent_kernel"][:, column])]
        if "bias" in weights:
            terms.append(_n(weights["bias"][column]))
        z = step.z[column]
        fn = "act" if gate == "c" else "σ"
        x_term = "x·K" if mask is None else "(x⊙m)·K"
        lines.append(Text(f"z_{name} = {x_term}_{name} + h·R_{name} + b_{name} = {' + '.join(terms)} = {_n(z)}"))
        meaning = say("trace.gate_meaning", meaning=say(f"lstm.gate_{gate}"))
        lines.append(Text(f"{name} = {fn}(z_{name}) = {fn}({_n(z)}) = {_n(values[gate][unit])}    {meaning}"))
    lines.append(
        Text(
            f"c = f·c₀ + i·c̃ = {_n(step.f[unit])}×{_n(c0) if given is not None else 0} + "
            f"{_n(step.i[unit])}×{_n(step.g[unit])} = {_n(step.c[unit])}"
        )
    )
    lines.append(Text(f"h = o·act(c) = {_n(step.o[unit])}×act({_n(step.c[unit])}) = {_n(step.h[unit])}"))
    return Panel(Group(*lines), title=traced_label(result) + say("trace.equations_title"), title_align="left")


def _real_steps(result: RunResult) -> set[int]:
    """The timesteps of the traced sample the padding mask lets through (all of them without a mask)."""
    mask = result.input.mask
    if mask is None:
        return {step.t for step in result.trace}
    return {t for t in range(mask.shape[1]) if mask[result.trace_sample, t]}


def step_table(steps: Sequence[Step], unit: int, units: int, width: int, real: set[int] | None = None) -> Group:
    """Quantities as rows, timesteps as columns (in processing order), so each row reads over time.

    A masked step's column is marked: its gates are what the cell computed and the layer threw
    away, its c and h the states carried over from the step before."""
    features = len(steps[0].x)
    gates = [gate.symbol for gate in GATES]
    rows = [f"x{k}" for k in range(features)] + [label for g in gates for label in (f"z_{g}", g)] + ["c", "h"]
    columns = []
    for step in steps:
        z = [step.z[k * units + unit] for k in range(4)]
        columns.append(
            [
                *step.x,
                z[0],
                step.i[unit],
                z[1],
                step.f[unit],
                z[2],
                step.g[unit],
                z[3],
                step.o[unit],
                step.c[unit],
                step.h[unit],
            ]
        )
    matrix = np.array(columns, dtype=np.float64).T
    column = max(len(f"{v: .4f}") for v in matrix.ravel()) + 2
    fits = (width - 8) // column
    return matrix_table(
        say("trace.step_table_title", unit=unit),
        matrix,
        rows,
        [f"t={s.t}" if real is None or s.t in real else f"t={s.t}·" for s in steps],
        width,
        decimals=4,
        max_cols=max(fits if fits >= len(steps) else fits - 1, 2),
    )


def render_trace(result: RunResult, units_shown: list[int], console: Console) -> None:
    header(result, console)
    masks = masks_section(result, console.width)
    if masks is not None:
        console.print(masks)
    console.print(first_step_equations(result, units_shown[0]))
    units = result.traced_units
    real = _real_steps(result)
    for unit in units_shown:
        console.print(step_table(result.trace, unit, units, console.width, real))
    if len(real) < len(result.trace):
        console.print(Text(say("trace.masked_legend", sample=result.trace_sample), style="dim"))
    # (symbol, meaning key, Step attribute): the candidate is c̃ on screen and `g` in a Step
    for symbol, meaning, key in (
        ("c", "cell_state", "c"),
        ("i", "gate_i", "i"),
        ("f", "gate_f", "f"),
        (GATE_SYMBOLS["c"], "gate_c", "g"),
        ("o", "gate_o", "o"),
        ("h", "hidden_state", "h"),
    ):
        matrix = np.array([getattr(step, key) for step in result.trace]).T
        title = say(
            "trace.heatmap_title",
            symbol=symbol,
            meaning=say(f"lstm.{meaning}"),
            sample=result.trace_sample,
            pass_name=result.pass_name,
        )
        console.print(heatmap(title, matrix, "u", console))
    check = reference_line(result)
    if check is not None:
        console.print(check)
