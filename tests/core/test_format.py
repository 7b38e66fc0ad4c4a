from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet import danish_number, round_half_up


def _reference(x: float, decimals: int) -> str:
    # Decimal(str(x)) reads the value as printed (0.35, not 0.34999...).
    q = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:.{decimals}f}".replace(".", ",")


@given(st.integers(-130_000, 130_000), st.integers(0, 2))
def test_danish_number_matches_decimal_half_up(thousandths: int, decimals: int) -> None:
    x = thousandths / 1000
    out = pl.select(danish_number(pl.lit(x), decimals)).item()
    assert out == _reference(x, decimals)


def test_round_half_up_examples() -> None:
    s = pl.Series([0.05, 0.15, 0.25, 2.45, -2.45, 5.55, None])
    assert pl.select(round_half_up(pl.lit(s), 1)).to_series().to_list() == [
        0.1,
        0.2,
        0.3,
        2.5,
        -2.5,
        5.6,
        None,
    ]


@given(st.integers(-(10**9), 10**9), st.integers(0, 2))
def test_large_values_round_like_decimal(units: int, decimals: int) -> None:
    x = units / 100
    assert pl.select(danish_number(pl.lit(x), decimals)).item() == _reference(x, decimals)
