from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet import looks_like_cpr


def _check(values: list[str]) -> list[bool]:
    return pl.DataFrame({"v": values}).select(looks_like_cpr("v")).to_series().to_list()


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.integers(0, 9999), st.booleans())
def test_every_valid_date_with_four_digits_is_refused(
    date: dt.date, serial: int, dash: bool
) -> None:
    text = f"{date:%d%m%y}{'-' if dash else ''}{serial:04d}"
    assert _check([text]) == [True]


@given(st.integers(32, 99), st.integers(1, 12))
def test_impossible_days_are_not_cpr(day: int, month: int) -> None:
    assert _check([f"{day:02d}{month:02d}901234"]) == [False]


def test_examples() -> None:
    assert _check(["290200-1234", "290201-1234", "311290-1234", "310490-1234", "0013901234"]) == [
        True,  # 29 Feb 2000
        False,  # 29 Feb 2001 / 1901 does not exist
        True,
        False,  # 31 April
        False,  # day 00
    ]
    assert _check(["P001", "01019012345", "010190-12345", "abcdefghij", ""]) == [False] * 5
    assert _check(["010190 1234"]) == [True]


def test_integer_ids_are_zero_padded_only_when_asked() -> None:
    df = pl.DataFrame({"v": [101901234, 1234]})
    assert df.select(looks_like_cpr("v", zero_pad=True)).to_series().to_list() == [True, False]
    assert df.select(looks_like_cpr("v")).to_series().to_list() == [False, False]
