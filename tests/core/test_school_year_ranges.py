from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet._core.schoolyear import parse_school_year, parse_school_years


@given(st.integers(1990, 2060), st.integers(0, 15))
def test_a_range_lists_every_year_once_in_order(first: int, length: int) -> None:
    last = first + length
    text = f"{first}/{(first + 1) % 100:02d}:{last}/{last + 1}"
    years = parse_school_years(text)
    assert len(years) == length + 1
    assert [parse_school_year(y) for y in years] == list(range(first, last + 1))


def test_single_year_and_forms() -> None:
    assert parse_school_years("2021/22") == ("2021/22",)
    assert parse_school_years(" 2021-2022 ") == ("2021/22",)
    assert parse_school_years("2021/22:2021/22") == ("2021/22",)
    assert parse_school_years("1999/00:2000/01") == ("1999/00", "2000/01")


@pytest.mark.parametrize("text", ["2021/23", "2021/22:", "2021/22:2023/25", "2021", "x:y"])
def test_bad_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a school year"):
        parse_school_years(text)


def test_backwards_range_is_refused() -> None:
    with pytest.raises(ValueError, match="runs backwards"):
        parse_school_years("2023/24:2021/22")
