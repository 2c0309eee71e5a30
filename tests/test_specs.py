"""The spec parser: names and literal calls accepted, anything else refused without evaluation."""

from __future__ import annotations

import pytest

from lstm_explorer.config import build_config
from lstm_explorer.errors import UsageError
from lstm_explorer.specs import Spec, closest, parse_spec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("glorot_uniform", Spec("glorot_uniform")),
        ("GlorotUniform", Spec("GlorotUniform")),
        ("constant(0.5)", Spec("constant", (0.5,))),
        ("random_normal(stddev=0.05, seed=1)", Spec("random_normal", (), (("stddev", 0.05), ("seed", 1)))),
        ("l2(0.001)", Spec("l2", (0.001,))),
        ("l1_l2(l1=0.01, l2=0.01)", Spec("l1_l2", (), (("l1", 0.01), ("l2", 0.01)))),
        ("max_norm(2.0)", Spec("max_norm", (2.0,))),
        ("  non_neg  ", Spec("non_neg")),
        (
            "variance_scaling(mode='fan_out', distribution=\"uniform\")",
            Spec("variance_scaling", (), (("mode", "fan_out"), ("distribution", "uniform"))),
        ),
        (
            "min_max_norm(min_value=-1, max_value=1.5, rate=1)",
            Spec("min_max_norm", (), (("min_value", -1), ("max_value", 1.5), ("rate", 1))),
        ),
    ],
)
def test_valid_specs(text, expected):
    assert parse_spec(text, "--flag") == expected


@pytest.mark.parametrize("text", ["none", "None", "NONE"])
def test_none(text):
    assert parse_spec(text, "--flag") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "l2(",
        "l2(0.001",
        "l2)",
        "l2(x)",
        "l2(1+1)",
        "l2(*a)",
        "l2(**k)",
        "__import__('os').system('true')",
        "keras.regularizers.l2",
        "l2(0.1)(0.2)",
        "lambda: 1",
        "[1, 2]",
        "1.5",
        "l2(0.1); import os",
        "l2({'a': 1})",
        "x" * 300,
    ],
)
def test_invalid_specs_are_usage_errors_naming_the_flag(text):
    with pytest.raises(UsageError, match="--kernel-regularizer"):
        parse_spec(text, "--kernel-regularizer")


def test_parser_never_evaluates_and_only_keras_names_pass(tmp_path):
    marker = tmp_path / "ran"
    text = f"open({str(marker)!r}, 'w')"
    assert parse_spec(text, "--flag") == Spec("open", (str(marker), "w"))
    assert not marker.exists()
    with pytest.raises(UsageError, match="unknown regularizer 'open'.*Valid names: L1, L1L2"):
        build_config({"kernel_regularizer": text})
    assert not marker.exists()


def test_canonical_text_round_trips():
    for text in ["l2(0.001)", "random_normal(stddev=0.05, seed=1)", "glorot_uniform", "constant(-2)"]:
        spec = parse_spec(text, "--flag")
        assert parse_spec(str(spec), "--flag") == spec
        assert str(spec) == text


def test_closest_ignores_case():
    assert closest("GlorotUnifrom", ("GlorotUniform", "glorot_uniform", "zeros"))[0] in {
        "GlorotUniform",
        "glorot_uniform",
    }
    assert closest("zzzz", ("l1", "l2")) == []
