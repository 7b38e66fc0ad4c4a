"""The statistics: quantiles and CDFs against textbook tables, intervals against published cases."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet.indicators._stats import (
    newcombe_expr,
    normal_cdf_expr,
    normal_quantile,
    t_cdf_upper_expr,
    welch_df_expr,
    wilson_expr,
    with_t_quantile,
)

Z95 = normal_quantile(0.975)

# Student's t quantiles, e.g. Abramowitz & Stegun Table 26.10 / any statistics textbook.
T_TABLE = {
    0.975: {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646,
            8: 2.3060, 9: 2.2622, 10: 2.2281, 15: 2.1314, 20: 2.0860, 30: 2.0423,
            60: 2.0003, 120: 1.9799},
    0.995: {1: 63.6567, 2: 9.9248, 3: 5.8409, 5: 4.0321, 10: 3.1693, 30: 2.7500},
    0.95: {1: 6.3138, 5: 2.0150, 10: 1.8125, 30: 1.6973},
}  # fmt: skip


def test_normal_quantiles_against_the_table() -> None:
    for p, z in ((0.975, 1.959964), (0.995, 2.575829), (0.9, 1.281552), (0.999, 3.090232)):
        assert normal_quantile(p) == pytest.approx(z, abs=1e-6)
        assert normal_quantile(1 - p) == pytest.approx(-z, abs=1e-6)
    assert normal_quantile(0.01) == pytest.approx(-2.326348, abs=1e-6)
    with pytest.raises(ValueError, match="strictly between"):
        normal_quantile(1.0)


@given(st.floats(-8, 8))
def test_normal_cdf_matches_erf(x: float) -> None:
    got = pl.select(normal_cdf_expr(pl.lit(x))).item()
    assert got == pytest.approx(0.5 * math.erfc(-x / math.sqrt(2)), abs=1e-7)


@given(st.floats(1e-6, 1 - 1e-6))
def test_normal_quantile_inverts_the_cdf(p: float) -> None:
    assert 0.5 * math.erfc(-normal_quantile(p) / math.sqrt(2)) == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("upper", sorted(T_TABLE))
def test_t_quantiles_against_the_table(upper: float) -> None:
    dfs = sorted(T_TABLE[upper])
    frame = pl.LazyFrame({"df": [float(d) for d in dfs]})
    got = with_t_quantile(frame, 2 * (1 - upper), pl.col("df"), "t").collect()["t"].to_list()
    for d, value in zip(dfs, got, strict=True):
        assert value == pytest.approx(T_TABLE[upper][d], abs=1e-4), d


def _t_upper_reference(t: float, df: float) -> float:
    """Plain Python: P(T > t) by Simpson's rule on the t density (t >= 0)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def density(x: float) -> float:
        return c * (1 + x * x / df) ** (-(df + 1) / 2)

    # P(0 < T < t) by Simpson, then 0.5 minus it
    steps = 2000
    h = t / steps
    total = density(0) + density(t)
    total += sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
    return 0.5 - total * h / 3


@pytest.mark.parametrize(
    ("t", "df"), [(2.262, 9.0), (1.0, 3.0), (3.5, 4.5), (0.3, 12.0), (2.0, 40.0), (1.7, 7.3)]
)
def test_t_upper_tail_against_plain_python(t: float, df: float) -> None:
    got = pl.select(t_cdf_upper_expr(pl.lit(t), pl.lit(df))).item()
    assert got == pytest.approx(_t_upper_reference(t, df), abs=2e-4)


def test_t_upper_tail_of_the_table_quantiles() -> None:
    for upper, table in T_TABLE.items():
        for d, q in table.items():
            got = pl.select(t_cdf_upper_expr(pl.lit(q), pl.lit(float(d)))).item()
            assert got == pytest.approx(1 - upper, abs=2e-4), (upper, d)


def _wilson(x: float, n: float, z: float = Z95) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _select(*exprs: pl.Expr) -> tuple[float, ...]:
    return pl.select(e.alias(f"c{i}") for i, e in enumerate(exprs)).row(0)


def test_wilson_8_of_10() -> None:
    low, high = _select(*wilson_expr(pl.lit(8.0), pl.lit(10.0), Z95))
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)


@pytest.mark.parametrize(("x", "n"), [(0, 10), (10, 10), (0, 1), (1, 1)])
def test_a_share_of_0_or_1_gets_a_non_degenerate_interval(x: int, n: int) -> None:
    low, high = _select(*wilson_expr(pl.lit(float(x)), pl.lit(float(n)), Z95))
    assert low < high
    assert low <= x / n <= high
    assert (low, high) == pytest.approx(_wilson(x, n))


# Newcombe (1998), Table II, method 10 (hybrid score interval).
NEWCOMBE = [
    ((56, 70), (48, 80), (0.0524, 0.3339)),
    ((9, 10), (3, 10), (0.1705, 0.8090)),
    ((5, 56), (0, 29), (-0.0381, 0.1926)),
    ((0, 10), (0, 20), (-0.1611, 0.2775)),
    ((0, 10), (0, 10), (-0.2775, 0.2775)),
]


@pytest.mark.parametrize(("a", "b", "expected"), NEWCOMBE)
def test_newcombe_against_the_paper(
    a: tuple[int, int], b: tuple[int, int], expected: tuple[float, float]
) -> None:
    l1, h1 = wilson_expr(pl.lit(float(a[0])), pl.lit(float(a[1])), Z95)
    l2, h2 = wilson_expr(pl.lit(float(b[0])), pl.lit(float(b[1])), Z95)
    p1, p2 = pl.lit(a[0] / a[1]), pl.lit(b[0] / b[1])
    low, high = _select(*newcombe_expr(p1, l1, h1, p2, l2, h2))
    assert (low, high) == pytest.approx(expected, abs=1e-4)


def test_newcombe_8_of_10_against_4_of_10() -> None:
    l1, h1 = wilson_expr(pl.lit(8.0), pl.lit(10.0), Z95)
    l2, h2 = wilson_expr(pl.lit(4.0), pl.lit(10.0), Z95)
    low, high = _select(*newcombe_expr(pl.lit(0.8), l1, h1, pl.lit(0.4), l2, h2))
    (a1, b1), (a2, b2) = _wilson(8, 10), _wilson(4, 10)
    expected_low = 0.4 - math.sqrt((0.8 - a1) ** 2 + (b2 - 0.4) ** 2)
    expected_high = 0.4 + math.sqrt((b1 - 0.8) ** 2 + (0.4 - a2) ** 2)
    assert (low, high) == pytest.approx((expected_low, expected_high), abs=1e-12)
    assert (round(low, 3), round(high, 3)) == (-0.023, 0.673)


def test_welch_degrees_of_freedom() -> None:
    # s1 = 2, n1 = 10; s2 = 3, n2 = 20 (textbook form (s1²/n1 + s2²/n2)² / ...)
    v1, v2 = 4 / 10, 9 / 20
    expected = (v1 + v2) ** 2 / (v1**2 / 9 + v2**2 / 19)
    got = pl.select(
        welch_df_expr(pl.lit(math.sqrt(v1)), pl.lit(10), pl.lit(math.sqrt(v2)), pl.lit(20))
    ).item()
    assert got == pytest.approx(expected)


def test_t_interval_textbook_case() -> None:
    """Mean 5, s = 2, n = 10: 5 ± 2.2622 · 2/√10 = [3.5693, 6.4307]."""
    frame = pl.LazyFrame({"df": [9.0]})
    t = with_t_quantile(frame, 0.05, pl.col("df"), "t").collect()["t"].item()
    half = t * 2 / math.sqrt(10)
    assert (5 - half, 5 + half) == pytest.approx((3.5693, 6.4307), abs=1e-4)
