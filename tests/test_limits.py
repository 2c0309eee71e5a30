"""The memory estimate: parsed bounds, its terms, and a refusal that comes before any work."""

from __future__ import annotations

import os

import pytest

from lstm_explorer import limits
from lstm_explorer.errors import UsageError

from conftest import heavy_imports_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4G", 4 * 2**30),
        ("4GiB", 4 * 2**30),
        ("512m", 512 * 2**20),
        ("1.5g", int(1.5 * 2**30)),
        ("2 GB", 2 * 2**30),
        ("3000000", 3_000_000),
        ("1t", 2**40),
        ("none", None),
        ("Unlimited", None),
    ],
)
def test_sizes_are_read_as_binary_units(text, expected):
    assert limits.parse_bound(text) == expected


@pytest.mark.parametrize("text", ["abc", "-1G", "1e3", "4X", "", "10", "0.5M", "G"])
def test_bad_sizes_are_refused(text):
    with pytest.raises(UsageError, match="--max-memory must be"):
        limits.parse_bound(text)


def test_default_bound_is_4_gib_or_half_the_machine():
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert limits.parse_bound(None) == min(4 * 2**30, physical // 2)


def test_weights_term_is_the_parameter_count_in_bytes_per_weight():
    shape = limits.Shape(batch=1, timesteps=1, features=2, units=3)
    parts = dict(limits.estimate(shape).parts)
    assert parts["weights"] == 72 * limits.BYTES_PER_WEIGHT
    assert dict(limits.estimate(shape, use_bias=False).parts)["weights"] == 60 * limits.BYTES_PER_WEIGHT


def test_refusal_comes_before_tensorflow_is_loaded():
    heavy, _ = heavy_imports_of("--units", "100000")
    assert heavy == []


def test_none_lifts_the_bound(invoke):
    assert invoke("--units", "500", "--max-memory", "10M").exit_code == 2
    assert invoke("--units", "500", "--max-memory", "none").exit_code == 0
