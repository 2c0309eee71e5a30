"""The statistics behind `vary --fit`, held against tables, closed forms and hand computations."""

from __future__ import annotations

import math

import pytest

from lstm_explorer import stats


def series_sf(t: float, df: int) -> float:
    """P(T > t) from Abramowitz & Stegun 26.7.3–26.7.4: finite trigonometric series, one for odd df and
    one for even df, with θ = atan(t / √df)."""
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 0:
        terms = [1.0]
        for k in range(1, df // 2):
            terms.append(terms[-1] * (2 * k - 1) / (2 * k) * cos2)
        central = math.sin(theta) * math.fsum(terms)
    else:
        terms = [math.cos(theta)] if df > 1 else []
        for k in range(1, (df - 1) // 2):
            terms.append(terms[-1] * (2 * k) / (2 * k + 1) * cos2)
        central = 2 / math.pi * (theta + math.sin(theta) * math.fsum(terms))
    return (1 - central) / 2


@pytest.mark.parametrize(
    ("df", "two_sided", "critical"),
    [(1, 0.05, 12.706), (2, 0.05, 4.303), (4, 0.05, 2.776), (10, 0.05, 2.228), (30, 0.05, 2.042), (5, 0.01, 4.032)],
)
def test_textbook_critical_values(df, two_sided, critical):
    # The table rounds to three decimals, so the true critical value lies within half a unit of the last one.
    assert 2 * stats.student_t_sf(critical - 0.0005, df) > two_sided > 2 * stats.student_t_sf(critical + 0.0005, df)


GRID = [-1e6, -1e3, -40.0, -7.5, -2.0, -1.0, -0.3, -1e-6, 1e-9, 0.05, 0.7, 1.0, 1.9, 3.0, 12.0, 250.0, 1e4, 1e6]


@pytest.mark.parametrize("t", GRID)
def test_one_degree_of_freedom_is_cauchy(t):
    assert stats.student_t_sf(t, 1) == pytest.approx(0.5 - math.atan(t) / math.pi, abs=1e-12)


@pytest.mark.parametrize("t", GRID)
def test_two_degrees_of_freedom_closed_form(t):
    assert stats.student_t_sf(t, 2) == pytest.approx(0.5 - t / (2 * math.sqrt(2 + t * t)), abs=1e-12)


@pytest.mark.parametrize("t", [10.0, 1e3, 1e6])
def test_far_tail_keeps_its_relative_digits(t):
    # Written without the cancellation of 1/2 − …, these forms stay exact where the tail is tiny.
    cauchy = math.atan(1 / t) / math.pi
    root = math.sqrt(2 + t * t)
    assert stats.student_t_sf(t, 1) == pytest.approx(cauchy, rel=1e-12)
    assert stats.student_t_sf(t, 2) == pytest.approx(1 / (root * (root + t)), rel=1e-12)


@pytest.mark.parametrize("df", [3, 4, 5, 7, 12, 29, 30, 64, 101, 500, 999, 1000])
@pytest.mark.parametrize("t", [0.01, 0.4, 1.0, 1.7, 2.5, 4.0, 9.0])
def test_agrees_with_the_trigonometric_series(df, t):
    assert stats.student_t_sf(t, df) == pytest.approx(series_sf(t, df), abs=1e-12)


@pytest.mark.parametrize("t", [-3.0, -1.0, 0.25, 1.0, 1.96, 3.0, 5.0])
def test_large_df_is_the_normal(t):
    assert stats.student_t_sf(t, 10**6) == pytest.approx(0.5 * math.erfc(t / math.sqrt(2)), abs=1e-6)


@pytest.mark.parametrize("df", [1, 2, 3, 10, 1000])
@pytest.mark.parametrize("t", [0.1, 1.3, 6.0, 1e5])
def test_symmetry(df, t):
    assert stats.student_t_sf(-t, df) == pytest.approx(1 - stats.student_t_sf(t, df), abs=1e-15)


@pytest.mark.parametrize("df", [1, 2, 9, 1000])
def test_centre_and_infinities(df):
    assert stats.student_t_sf(0.0, df) == 0.5
    assert stats.student_t_sf(math.inf, df) == 0.0
    assert stats.student_t_sf(-math.inf, df) == 1.0
    assert math.isnan(stats.student_t_sf(math.nan, df))


@pytest.mark.parametrize("df", [1, 5, 1000])
def test_t_whose_square_underflows_or_overflows(df):
    assert stats.student_t_sf(1e-200, df) == 0.5
    assert stats.student_t_sf(-1e-170, df) == 0.5
    assert stats.student_t_sf(1e200, df) == 0.0
    assert stats.student_t_sf(-1e200, df) == 1.0


def test_df_below_one_is_refused():
    with pytest.raises(ValueError, match="degrees of freedom"):
        stats.student_t_sf(1.0, 0)


A = [0.52, 0.47, 0.61, 0.55, 0.49]
B = [0.58, 0.50, 0.66, 0.57, 0.55]


def test_paired_t_by_hand():
    differences = [x - y for x, y in zip(A, B)]
    n = len(differences)
    mean = sum(differences) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
    t = mean / (sd / math.sqrt(n))
    # Four degrees of freedom: P(|T| > t) = 1 − sin θ (1 + cos²θ / 2), θ = atan(|t| / 2).
    theta = math.atan(abs(t) / 2)
    p = 1 - math.sin(theta) * (1 + math.cos(theta) ** 2 / 2)

    result = stats.paired_t(A, B)
    assert (result.n, result.df) == (5, 4)
    assert result.mean_difference == pytest.approx(mean, rel=1e-12)
    assert result.t == pytest.approx(t, rel=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-10)
    assert result.effect_size == pytest.approx(mean / sd, rel=1e-12)
    assert result.t < 0 and result.effect_size < 0


def test_paired_t_swapped_flips_the_sign_only():
    forward, backward = stats.paired_t(A, B), stats.paired_t(B, A)
    assert backward.t == pytest.approx(-forward.t)
    assert backward.effect_size == pytest.approx(-forward.effect_size)
    assert backward.p_value == pytest.approx(forward.p_value)


def test_paired_t_matches_scipy():
    scipy_stats = pytest.importorskip("scipy.stats")
    a = [0.91, 0.85, 0.88, 0.97, 0.80, 0.86, 0.93]
    b = [0.95, 0.84, 0.93, 1.01, 0.86, 0.85, 0.99]
    theirs = scipy_stats.ttest_rel(a, b)
    ours = stats.paired_t(a, b)
    assert ours.t == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-10)


def test_one_pair_cannot_be_tested():
    result = stats.paired_t([0.4], [0.5])
    assert result.n == 1 and result.df == 0
    assert result.mean_difference == pytest.approx(-0.1)
    assert result.t is None and result.p_value is None and result.effect_size is None


def test_no_difference_on_any_seed():
    result = stats.paired_t([0.3, 0.5, 0.7], [0.3, 0.5, 0.7])
    assert (result.t, result.p_value, result.effect_size, result.mean_difference) == (0.0, 1.0, 0.0, 0.0)


def test_differences_that_cancel_out():
    result = stats.paired_t([1.25, 0.5, 2.0], [1.0, 0.75, 2.0])
    assert result.mean_difference == 0.0
    assert (result.t, result.p_value, result.effect_size) == (0.0, 1.0, 0.0)


@pytest.mark.parametrize(("shift", "sign"), [(0.25, 1.0), (-0.25, -1.0)])
def test_the_same_difference_on_every_seed(shift, sign):
    b = [1.25, 1.75, 0.5, 2.0]
    result = stats.paired_t([x + shift for x in b], b)
    assert result.t == sign * math.inf and result.effect_size == sign * math.inf
    assert result.p_value == 0.0
    assert result.mean_difference == shift


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_diverged_run_is_refused(bad):
    with pytest.raises(ValueError, match="loss 2 of b is") as caught:
        stats.paired_t([0.1, 0.2, 0.3], [0.1, 0.2, bad])
    assert isinstance(caught.value, stats.NonFiniteLoss)
    assert (caught.value.which, caught.value.run) == ("b", 2)


def test_unpaired_or_empty_series_are_refused():
    with pytest.raises(ValueError, match="same length"):
        stats.paired_t([0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="empty"):
        stats.paired_t([], [])


def test_holm_worked_example():
    # Sorted: 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → raised to 0.06 to stay monotone.
    assert stats.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_holm_caps_at_one_and_keeps_order():
    # Sorted: 0.2 × 4 = 0.8, 0.3 × 3 = 0.9, 0.6 × 2 = 1.2 → 1, 0.001 first: 0.001 × 5 = 0.005.
    assert stats.holm([0.6, 0.2, 0.001, 0.3, 0.9]) == pytest.approx([1.0, 0.8, 0.005, 0.9, 1.0])


def test_holm_of_one_p_value_is_itself():
    assert stats.holm([0.037]) == [0.037]
    assert stats.holm([]) == []


def test_holm_refuses_a_non_probability():
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.holm([0.1, 1.5])


THREE = {
    "32": [0.50, 0.44, 0.61, 0.47],
    "8": [0.70, 0.66, 0.81, 0.69],
    "16": [0.52, 0.50, 0.60, 0.51],
}


def two_sided_df3(t: float) -> float:
    """P(|T| > t) for three degrees of freedom: 1 − (2/π)(θ + sin θ cos θ), θ = atan(|t| / √3)."""
    theta = math.atan(abs(t) / math.sqrt(3))
    return 1 - 2 / math.pi * (theta + math.sin(theta) * math.cos(theta))


def hand_t(a: list[float], b: list[float]) -> tuple[float, float]:
    differences = [x - y for x, y in zip(a, b)]
    n = len(differences)
    mean = sum(differences) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
    return mean / (sd / math.sqrt(n)), mean / sd


def test_compare_picks_best_and_runner_up_and_reports_the_largest_adjusted_p():
    verdict = stats.compare(THREE)
    assert (verdict.best, verdict.runner_up) == ("32", "16")
    assert [c.other for c in verdict.comparisons] == ["8", "16"]

    t_8, _ = hand_t(THREE["32"], THREE["8"])
    t_16, effect_16 = hand_t(THREE["32"], THREE["16"])
    p_8, p_16 = two_sided_df3(t_8), two_sided_df3(t_16)
    assert p_8 < p_16
    adjusted_8, adjusted_16 = 2 * p_8, max(2 * p_8, p_16)
    assert verdict.comparisons[0].adjusted_p == pytest.approx(adjusted_8, rel=1e-10)
    assert verdict.comparisons[1].adjusted_p == pytest.approx(adjusted_16, rel=1e-10)
    assert verdict.p_value == pytest.approx(max(adjusted_8, adjusted_16), rel=1e-10)
    assert verdict.effect_size == pytest.approx(effect_16, rel=1e-12)
    assert verdict.comparisons[1].paired.t == pytest.approx(t_16, rel=1e-12)
    assert verdict.clear is (verdict.p_value < 0.05)
    assert verdict.alpha == 0.05


def test_two_values_are_not_adjusted():
    verdict = stats.compare({"tanh": THREE["16"], "relu": THREE["8"]})
    t, _ = hand_t(THREE["16"], THREE["8"])
    assert verdict.p_value == verdict.comparisons[0].paired.p_value == verdict.comparisons[0].adjusted_p
    assert verdict.p_value == pytest.approx(two_sided_df3(t), rel=1e-10)


def test_noisy_equal_means_are_not_clear():
    # Means 0.502 and 0.5006: the seeds swing the loss by ±0.08, the values differ by 0.0014.
    verdict = stats.compare({"a": [0.42, 0.58, 0.51, 0.44, 0.56], "b": [0.55, 0.45, 0.43, 0.59, 0.483]})
    assert verdict.best == "b"
    assert verdict.p_value > 0.5
    assert verdict.clear is False


def test_a_consistent_difference_is_clear():
    base = [0.42, 0.58, 0.51, 0.44, 0.56, 0.49]
    wobble = [0.010, -0.012, 0.004, 0.008, -0.006, 0.001]
    worse = [x + 0.1 + w for x, w in zip(base, wobble)]
    verdict = stats.compare({"worse": worse, "better": base}, alpha=0.01)
    assert (verdict.best, verdict.runner_up) == ("better", "worse")
    t, _ = hand_t(base, worse)
    assert t < -20
    assert verdict.p_value < 1e-5
    assert verdict.clear is True and verdict.alpha == 0.01
    assert verdict.effect_size < -5


def test_clear_is_judged_at_the_given_alpha():
    better, worse = [0.40, 0.52, 0.47, 0.61], [0.45, 0.55, 0.55, 0.64]
    t, _ = hand_t(better, worse)
    assert 0.01 < two_sided_df3(t) < 0.05
    assert stats.compare({"a": better, "b": worse}).clear is True
    assert stats.compare({"a": better, "b": worse}, alpha=0.01).clear is False


def test_one_repeat_gives_no_verdict():
    verdict = stats.compare({"a": [0.3], "b": [0.9], "c": [0.5]})
    assert (verdict.best, verdict.runner_up) == ("a", "c")
    assert verdict.p_value is None and verdict.effect_size is None and verdict.clear is False
    assert all(c.adjusted_p is None and c.paired.p_value is None for c in verdict.comparisons)


def test_ties_go_to_the_value_given_first():
    verdict = stats.compare({"x": [0.9, 0.9], "y": [0.2, 0.4], "z": [0.4, 0.2], "w": [0.5, 0.5]})
    assert (verdict.best, verdict.runner_up) == ("y", "z")


def test_compare_names_the_diverged_value():
    with pytest.raises(stats.NonFiniteLoss, match="loss 1 of relu") as caught:
        stats.compare({"tanh": [0.2, 0.3], "relu": [0.1, math.nan]})
    assert (caught.value.which, caught.value.run) == ("relu", 1)


@pytest.mark.parametrize(
    ("losses", "alpha", "match"),
    [
        ({"a": [0.1, 0.2]}, 0.05, "at least two"),
        ({"a": [0.1, 0.2], "b": [0.1]}, 0.05, "same number of repeats"),
        ({"a": [0.1, 0.2], "b": [0.3, 0.1]}, 1.0, "alpha"),
    ],
)
def test_compare_refuses_what_cannot_be_compared(losses, alpha, match):
    with pytest.raises(ValueError, match=match):
        stats.compare(losses, alpha=alpha)


def test_mean_std():
    mean, std = stats.mean_std([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5
    assert std == pytest.approx(math.sqrt((1.5**2 * 2 + 0.5**2 * 2) / 3), rel=1e-15)
    assert stats.mean_std([0.7]) == (0.7, 0.0)
    with pytest.raises(ValueError, match="at least one"):
        stats.mean_std([])
