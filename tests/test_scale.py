"""Long sequences run compiled: the numbers shown are the same whichever path ran (bit for bit with
tanh and sigmoid, within engine.COMPILED_RTOL when the graph optimiser fuses another activation), and
the trace's h is what the layer returned. No timing is asserted here (see benchmarks/)."""

from __future__ import annotations

import numpy as np
import pytest

import lstm_explorer
from lstm_explorer import engine

CASES = [
    dict(units=4, features=3, return_sequences=True, return_state=True),
    dict(units=4, features=3, go_backwards=True, batch=3, lengths="40,25,3", return_sequences=True),
    dict(units=3, features=2, implementation=1, dropout=0.3, recurrent_dropout=0.2, training=True, seed=1),
    dict(units=3, features=2, dropout=0.5, training=True, seed=2, return_sequences=True),
    dict(units=3, features=2, initial_h=0.5, initial_c="random_normal(stddev=0.5)", return_sequences=True),
    dict(units=3, features=2, stateful=True, batch=2, activation="relu", recurrent_activation="hard_sigmoid"),
    dict(
        features=2,
        layers="4,3",
        bidirectional=True,
        merge_mode="ave",
        return_sequences=True,
        lengths="40",
        padding="post",
    ),
    dict(features=2, layers="3,2", dense="2:relu", mask_value=0.0, lengths="40", return_state=True),
]


def _run(monkeypatch, threshold: int, keywords: dict):
    """A trace of 40 steps, compiled from `threshold` steps on; compiled, it is stepped in chunks of 7
    (five of 7 and one of 5), so the states carried from chunk to chunk are checked too."""
    monkeypatch.setattr(engine, "COMPILE_FROM_TIMESTEPS", threshold)
    monkeypatch.setattr(engine, "TRACE_CHUNK", 7)
    return lstm_explorer.trace(timesteps=40, **keywords)


def _same(a: np.ndarray, b: np.ndarray, exact: bool) -> None:
    if exact:
        np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_allclose(a, b, rtol=engine.COMPILED_RTOL, atol=engine.COMPILED_RTOL)


@pytest.mark.parametrize("keywords", CASES, ids=[str(c) for c in CASES])
def test_compiled_and_eager_show_the_same_numbers(monkeypatch, keywords):
    exact = "activation" not in keywords
    eager = _run(monkeypatch, 10**9, keywords).result
    compiled = _run(monkeypatch, 1, keywords).result
    assert engine.compiled(40)
    for a, b in zip(eager.outputs, compiled.outputs, strict=True):
        _same(a.values, b.values, exact)
    for a, b in zip(eager.trace, compiled.trace, strict=True):
        assert a.t == b.t
        for key in ("x", "z", "i", "f", "g", "o", "c", "h"):
            _same(getattr(a, key), getattr(b, key), exact)
    for a, b in zip(eager.dropout_masks, compiled.dropout_masks, strict=True):
        np.testing.assert_array_equal(a.values, b.values)
    assert [e.name for e in eager.effects] == [e.name for e in compiled.effects]
    assert compiled.reference.ok and eager.reference.ok


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_the_compiled_trace_is_the_layer(monkeypatch, activation):
    keywords = dict(units=5, features=3, return_sequences=True, return_state=True, batch=2, activation=activation)
    result = _run(monkeypatch, 1, keywords).result
    exact = activation == "tanh"
    sequence, final_h, final_c = (o.values for o in result.outputs)
    _same(np.stack([step.h for step in result.trace]), sequence[0], exact)
    _same(result.trace[-1].h, final_h[0], exact)
    _same(result.trace[-1].c, final_c[0], exact)


def test_a_long_run_is_complete_in_json_and_checked(run_json):
    document = run_json("--timesteps", "600", "--units", "4", "--features", "2", "--return-sequences", "--scale")
    assert np.asarray(document["outputs"][0]["values"]).shape == (1, 600, 4)
    assert document["reference"]["ok"]


def test_a_spinner_shows_on_a_terminal_and_never_with_json(monkeypatch):
    """`working` draws on stderr only when it is a terminal, and not for --json."""
    import io

    from rich.console import Console

    from lstm_explorer import cli
    from lstm_explorer.render import console as consoles
    from lstm_explorer.render.terminal import Terminal

    screen = io.StringIO()
    monkeypatch.setattr(consoles, "make_console", lambda *a, **k: Console(file=screen, force_terminal=True))
    terminal = Terminal(io.StringIO(), screen, 80, False, "en")
    for json_output in (True, False):
        asked = cli.Request({}, {}, json_output, False, None, False, terminal)
        with cli.working(asked):
            pass
        assert ("Building, calling and tracing" in screen.getvalue()) is not json_output


@pytest.mark.parametrize(
    "keywords",
    [
        dict(units=4, features=3, batch=5, return_sequences=True),
        dict(units=3, features=2, batch=4, lengths="40,30,20,10", dropout=0.3, training=True, seed=3),
        dict(features=2, batch=3, layers="3,2", bidirectional=True, return_sequences=True),
    ],
)
def test_a_lean_trace_shows_what_the_full_one_shows(monkeypatch, keywords):
    """A wide batch's trace keeps the traced sample's gates and c, and counts saturation as it goes:
    the trace, the saturation figures and the checks are those of the full trace."""
    monkeypatch.setattr(engine, "COMPILE_FROM_TIMESTEPS", 1)
    monkeypatch.setattr(engine, "TRACE_CHUNK", 7)
    full = lstm_explorer.trace(timesteps=40, sample=1, **keywords).result
    monkeypatch.setattr(engine, "LEAN_TRACE_BYTES", 0)
    lean = lstm_explorer.trace(timesteps=40, sample=1, **keywords).result
    steps = lean.parts[0].steps if lean.parts else None
    assert steps is None or steps[0].rows == (1,)
    for a, b in zip(full.trace, lean.trace, strict=True):
        for key in ("x", "z", "i", "f", "g", "o", "c", "h"):
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    saturation = {e.name: e.data for e in full.effects if e.name.startswith("saturation")}
    assert saturation == {e.name: e.data for e in lean.effects if e.name.startswith("saturation")}
    # In a model, the lean trace's c is held against NumPy for the traced sample only.
    assert lean.reference.ok and lean.reference.max_abs_diff <= full.reference.max_abs_diff


def test_a_trace_chunked_by_its_memory_is_the_same(monkeypatch):
    """A call of the trace's graph holds at most TRACE_CHUNK_BYTES of steps: here six steps a call,
    six calls of 6 and one of 4 (the shorter chunk reuses the graph), the same trace bit for bit."""
    keywords = dict(units=4, features=3, batch=2, return_sequences=True)
    monkeypatch.setattr(engine, "COMPILE_FROM_TIMESTEPS", 1)
    whole = lstm_explorer.trace(timesteps=40, **keywords).result
    step_bytes = 4 * (2 + 9 * 2) * 4
    monkeypatch.setattr(engine, "TRACE_CHUNK_BYTES", 6 * step_bytes)
    chunked = lstm_explorer.trace(timesteps=40, **keywords).result
    for a, b in zip(whole.trace, chunked.trace, strict=True):
        for key in ("x", "z", "i", "f", "g", "o", "c", "h"):
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    np.testing.assert_array_equal(np.stack([step.h for step in chunked.trace]), chunked.outputs[0].values[0])
