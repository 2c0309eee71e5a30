"""Random flag combinations, valid and not: exit 0, 1 or 2, one `Error:` line, never a traceback.

The default run is short and repeatable, so CI stays fast. For a longer, freshly random run:

    LSTM_EXPLORE_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lstm_explorer.catalogue import ARGUMENTS, VOCABULARY, Argument, Kind

EXAMPLES = int(os.environ.get("LSTM_EXPLORE_FUZZ_EXAMPLES", "0"))

junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
small_int = st.integers(min_value=-3, max_value=5)


def _values(argument: Argument) -> st.SearchStrategy[str]:
    """Mostly sensible values for one argument, some wrong, some junk."""
    kind = argument.kind
    if kind is Kind.POSITIVE_INT:
        sensible = st.integers(min_value=-2, max_value=6).map(str)
    elif kind is Kind.RATE:
        sensible = st.one_of(
            st.floats(min_value=-0.5, max_value=1.5).map(repr), st.sampled_from(["0", "1", "nan", "inf", ""])
        )
    elif kind in (Kind.SEED, Kind.IMPLEMENTATION):
        sensible = st.one_of(st.integers(min_value=-2, max_value=3), st.integers(min_value=2**62, max_value=2**65)).map(
            str
        )
    elif kind is Kind.CUDNN:
        sensible = st.sampled_from(["auto", "true", "false", "TRUE", "maybe"])
    elif kind is Kind.ACTIVATION:
        sensible = st.sampled_from([*VOCABULARY[Kind.ACTIVATION], "glu", "threshold", "none", "Relu"])
    else:
        names = list(VOCABULARY[kind])
        calls = [
            "constant(0.5)",
            "random_normal(stddev=0.1, seed=3)",
            "l2(0.01)",
            "l1_l2(l1=0.1)",
            "max_norm(2.0)",
            "l2(",
            "l2(x=1)",
            "l2(1, 2, 3)",
            "__import__('os')",
            "min_max_norm(0.1, 1.0)",
            "orthogonal(gain=2)",
        ]
        sensible = st.sampled_from([*names, *calls, "none"])
    return st.one_of(sensible, sensible, sensible, junk)


def _flag_pair(argument: Argument) -> st.SearchStrategy[list[str]]:
    if argument.kind in (Kind.BOOL, Kind.TIME_MAJOR):
        name = argument.flag[2:]
        return st.sampled_from([[argument.flag], [f"--no-{name}"], [f"{argument.flag}=1"]])
    return _values(argument).map(lambda value: [argument.flag, value])


shared = st.one_of(
    st.tuples(st.sampled_from(["--batch", "--timesteps", "--features"]), small_int.map(str)).map(list),
    st.tuples(st.just("--random-seed"), st.integers(min_value=-1, max_value=2**33).map(str)).map(list),
    st.tuples(st.just("--max-memory"), st.sampled_from(["1M", "64M", "1G", "none", "x", ""])).map(list),
    st.sampled_from([["--json"], ["--training"], ["--show-effects"], ["--scale"], ["--all"]]),
    st.tuples(st.just("--unknown-flag"), junk).map(list),
)
lstm_flags = st.one_of(*[_flag_pair(a) for a in ARGUMENTS])
commands = st.one_of(
    st.just([]),
    st.just([]),
    st.just(["trace"]),
    st.tuples(
        st.just("vary"),
        st.sampled_from(["units", "go_backwards", "dropout", "activation", "unitz"]),
        st.lists(st.sampled_from(["1", "2", "0", "0.5", "relu", "x"]), max_size=3),
    ).map(lambda t: ["vary", t[1], *t[2]]),
    st.just(["code"]),
    st.tuples(st.just("explain"), st.one_of(st.sampled_from([a.name for a in ARGUMENTS]), junk)).map(list),
)


@settings(
    max_examples=EXAMPLES or 30,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(command=commands, pairs=st.lists(st.one_of(lstm_flags, lstm_flags, shared), max_size=5))
def test_any_command_line_ends_in_0_1_or_2_with_one_error_line(invoke, command, pairs):
    args = [*command, *(part for pair in pairs for part in pair)]
    if command[:1] != ["explain"] and "--timesteps" not in args:
        args += ["--timesteps", "3"]  # keeps each run short; the sizes themselves are fuzzed too
    result = invoke(*args)
    event(f"exit {result.exit_code}")
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.stderr, args
    assert "run again with --debug for the traceback" not in result.stderr, (
        args,
        result.stderr,
    )  # an unforeseen exception
    if result.exit_code != 0:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.stderr)
        assert result.stdout == "", args
    elif "--json" in args and command[:1] != ["code"]:
        json.loads(result.stdout, parse_constant=lambda token: (_ for _ in ()).throw(AssertionError(token)))
