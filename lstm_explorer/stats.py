"""Whether one value of an argument really trains better than the others, judged over shared seeds.

`vary ARG V1 V2 … --fit --repeats K` trains every value with the same K seeds, so run r of every value
starts from the same draw. The losses are therefore paired by seed, and a paired t-test over the seeds
sees through the seed-to-seed spread that a comparison of means alone would mistake for a difference.
The best value is tested against each other value, and the p-values are Holm-adjusted because the claim
"the best beats all of them" is several tests at once.

Only numpy and the standard library: the Student t tail is computed here (the regularized incomplete
beta function by its continued fraction, Numerical Recipes' betacf) rather than taken from scipy, which
the tool does not depend on. Nothing here words a result; the caller does, in the user's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# The continued fraction needs about sqrt(max(a, b)) terms; this allows df far beyond 10^6.
_MAX_TERMS = 100_000
# Stop when a step changes the fraction by less than about one unit in the last place.
_EPSILON = 3e-16
# Keeps a denominator of the modified Lentz recursion away from zero.
_TINY = 1e-300
# Final validation losses, one per seed: a list from the caller or an array from the training history.
Losses = Sequence[float] | np.ndarray


class NonFiniteLoss(ValueError):
    """A loss that is NaN or infinite (a diverged run): no test can use it.

    `which` names the series (the label given to `compare`, or "a"/"b" for `paired_t`) and `run` the
    position in it, so the caller can say which value and seed diverged without parsing the message.
    """

    def __init__(self, which: str, run: int, value: float) -> None:
        super().__init__(f"loss {run} of {which} is {value}: every loss must be a finite number")
        self.which = which
        self.run = run
        self.value = value


@dataclass(frozen=True)
class Paired:
    """A paired t-test of a − b over the seeds.

    `t`, `p_value` and `effect_size` are None with fewer than two pairs: one seed cannot show a spread.
    When every difference is the same non-zero number, `t` and `effect_size` are ±inf and `p_value` 0.0
    (the difference is the same on every seed); when every difference is zero, `t` and `effect_size`
    are 0.0 and `p_value` 1.0.
    """

    n: int
    mean_difference: float
    t: float | None
    df: int
    p_value: float | None
    effect_size: float | None


@dataclass(frozen=True)
class Comparison:
    """The best value against one other value: `paired` is best − other, so negative means best is lower."""

    other: str
    paired: Paired
    adjusted_p: float | None


@dataclass(frozen=True)
class Verdict:
    """Which value trained best, and whether the seeds support saying so.

    `p_value` is the largest Holm-adjusted p over the comparisons: the best beats every other value only
    if it beats the hardest one. `effect_size` is Cohen's d_z of best − runner-up (negative: the best's
    losses are lower). Both are None with a single repeat, and `clear` is then False.
    """

    best: str
    runner_up: str
    comparisons: list[Comparison]
    p_value: float | None
    effect_size: float | None
    clear: bool
    alpha: float


def student_t_sf(t: float, df: int) -> float:
    """P(T > t) for Student's t with `df` degrees of freedom.

    The tail beyond |t| is I_x(df/2, 1/2) / 2 with x = df / (df + t²); the small tail is computed
    directly, never as 1 minus something, so a p-value of 1e-12 keeps its digits.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if math.isnan(t):
        return math.nan
    if t == 0.0:
        return 0.5
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    tail = 0.5 * _two_sided(abs(t), df)
    return tail if t > 0 else 1.0 - tail


def _two_sided(t: float, df: int) -> float:
    """P(|T| > t) for t > 0, with x = 1 / (1 + r) and 1 − x = r / (1 + r), r = t² / df, each formed in logs
    without cancellation, and without dividing by r where t² underflows or overflows."""
    ratio = t * t / df
    log_x = -math.log1p(ratio)
    log_y = -math.log1p(1.0 / ratio) if ratio > 1.0 else 2.0 * math.log(t) - math.log(df) + log_x
    return _regularized_beta(df / 2.0, 0.5, log_x, log_y)


def _regularized_beta(a: float, b: float, log_x: float, log_y: float) -> float:
    """I_x(a, b), given log x and log(1 − x) so that x near 0 or 1 loses nothing.

    The continued fraction converges fast only for x < (a + 1) / (a + b + 2); beyond that the symmetry
    I_x(a, b) = 1 − I_{1−x}(b, a) is used, as Numerical Recipes' betai does.
    """
    x = math.exp(log_x)
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * log_x + b * log_y)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, math.exp(log_y)) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, by the modified Lentz method (betacf)."""
    c = 1.0
    d = 1.0 / _away_from_zero(1.0 - (a + b) * x / (a + 1.0))
    h = d
    for m in range(1, _MAX_TERMS + 1):
        even = m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m))
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))
        for numerator in (even, odd):
            d = 1.0 / _away_from_zero(1.0 + numerator * d)
            c = _away_from_zero(1.0 + numerator / c)
            step = d * c
            h *= step
        if abs(step - 1.0) < _EPSILON:
            return h
    raise ArithmeticError(f"incomplete beta fraction did not converge for a={a}, b={b}, x={x}")


def _away_from_zero(value: float) -> float:
    """The value, or _TINY in its place when it is nearer zero, as the Lentz method prescribes."""
    return value if abs(value) > _TINY else _TINY


def _finite(values: Losses, which: str) -> np.ndarray:
    """The losses as floats, refused at the first that a diverged run left NaN or infinite."""
    array = np.asarray(values, dtype=float)
    for run, value in enumerate(array):
        if not math.isfinite(value):
            raise NonFiniteLoss(which, run, float(value))
    return array


def paired_t(a: Losses, b: Losses) -> Paired:
    """The paired t-test of a − b (two-sided), with Cohen's d_z = mean(d) / sd(d) as the effect size.

    Raises NonFiniteLoss (a ValueError) for a NaN or infinite loss, and ValueError when the series are
    empty or of different lengths: pairs are matched by seed, so a missing run has no partner.
    """
    first, second = _finite(a, "a"), _finite(b, "b")
    if len(first) != len(second):
        raise ValueError(f"paired series must have the same length, got {len(first)} and {len(second)}")
    if len(first) == 0:
        raise ValueError("paired series are empty")
    differences = first - second
    n = len(differences)
    mean = float(np.mean(differences))
    if n < 2:
        return Paired(n=n, mean_difference=mean, t=None, df=0, p_value=None, effect_size=None)
    # Decided on the values, not on sd == 0: the sd of equal numbers may round to 1e-17 instead of 0.
    if np.all(differences == differences[0]):
        if differences[0] == 0.0:
            return Paired(n=n, mean_difference=0.0, t=0.0, df=n - 1, p_value=1.0, effect_size=0.0)
        infinite = math.copysign(math.inf, differences[0])
        return Paired(n=n, mean_difference=mean, t=infinite, df=n - 1, p_value=0.0, effect_size=infinite)
    sd = float(np.std(differences, ddof=1))
    t = mean / (sd / math.sqrt(n))
    p_value = _two_sided(abs(t), n - 1) if t != 0.0 else 1.0
    return Paired(n=n, mean_difference=mean, t=t, df=n - 1, p_value=p_value, effect_size=mean / sd)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values, in the input order.

    The k-th smallest of m p-values is multiplied by m − k + 1, then made non-decreasing along that order
    and capped at 1, so an adjusted p can be compared with alpha directly.
    """
    for p in p_values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-values must lie between 0 and 1, got {p}")
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def compare(losses: Mapping[str, Losses], alpha: float = 0.05) -> Verdict:
    """Tests the value with the lowest mean loss against every other value, paired by seed.

    A tie for the lowest mean goes to the value given first, and so does a tie for the runner-up.
    Raises NonFiniteLoss naming the label for a diverged run, and ValueError for fewer than two values,
    series of different lengths, or alpha outside (0, 1).
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    if len(losses) < 2:
        raise ValueError(f"compare needs at least two values, got {len(losses)}")
    series = {label: _finite(values, label) for label, values in losses.items()}
    lengths = {len(values) for values in series.values()}
    if len(lengths) != 1:
        raise ValueError(f"every value needs the same number of repeats, got {sorted(lengths)}")
    (repeats,) = lengths
    means = {label: float(np.mean(values)) for label, values in series.items()}
    best = min(means, key=lambda label: means[label])
    others = [label for label in series if label != best]
    runner_up = min(others, key=lambda label: means[label])
    tests = [paired_t(series[best], series[other]) for other in others]
    adjusted: list[float | None] = [None] * len(tests)
    p_value = None
    if repeats >= 2:
        adjusted = list(holm([test.p_value for test in tests if test.p_value is not None]))
        p_value = max(p for p in adjusted if p is not None)
    comparisons = [Comparison(other, test, p) for other, test, p in zip(others, tests, adjusted)]
    return Verdict(
        best=best,
        runner_up=runner_up,
        comparisons=comparisons,
        p_value=p_value,
        effect_size=tests[others.index(runner_up)].effect_size,
        clear=p_value is not None and p_value < alpha,
        alpha=alpha,
    )


def mean_std(values: Losses) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1) for "mean ± std"; the std of a single value is 0.0.

    A NaN from a diverged run is carried through rather than refused: the table still has a row to show.
    """
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        raise ValueError("mean_std needs at least one value")
    std = float(np.std(array, ddof=1)) if array.size > 1 else 0.0
    return float(np.mean(array)), std
