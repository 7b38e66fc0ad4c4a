from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet import (
    next_school_year,
    normalise_school_year,
    parse_school_year,
    previous_school_year,
    school_year_expr,
    shift_school_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017/18", "2017/18"),
        ("2017/2018", "2017/18"),
        ("2017-18", "2017/18"),
        ("2017-2018", "2017/18"),
        (" 2017 / 18 ", "2017/18"),
        ("1999/00", "1999/00"),
        ("1999/2000", "1999/00"),
        ("2099/00", "2099/00"),
    ],
)
def test_normalise_accepts_the_usual_spellings(text: str, expected: str) -> None:
    assert normalise_school_year(text) == expected


@pytest.mark.parametrize(
    "text", ["2017/19", "2017/17", "2018/17", "17/18", "2017", "skoleår", "", "2017/2019"]
)
def test_rejects_non_consecutive_years_and_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="is not a school year"):
        normalise_school_year(text)


def test_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="expected text"):
        parse_school_year(2017)  # type: ignore[arg-type]


def test_previous_and_next() -> None:
    assert previous_school_year("2000/01") == "1999/00"
    assert next_school_year("1999/2000") == "2000/01"
    assert shift_school_year("2021/22", 2) == "2023/24"


years = st.integers(1950, 2098)


@given(years, st.sampled_from(["{a}/{b2}", "{a}/{b4}", "{a}-{b2}", "{a}-{b4}"]))
def test_expression_agrees_with_python(start: int, pattern: str) -> None:
    text = pattern.format(a=start, b2=f"{(start + 1) % 100:02d}", b4=start + 1)
    out = pl.DataFrame({"y": [text]}).select(
        school_year_expr("y").alias("y"),
        school_year_expr("y", shift=-1).alias("prev"),
        school_year_expr("y", shift=1).alias("next"),
    )
    assert out.row(0) == (
        normalise_school_year(text),
        previous_school_year(text),
        next_school_year(text),
    )


@given(years, st.integers(2, 99))
def test_expression_gives_null_for_non_consecutive(start: int, gap: int) -> None:
    text = f"{start}/{(start + gap) % 100:02d}"
    assert pl.select(school_year_expr(pl.lit(text))).item() is None


@given(years, st.integers(-30, 30))
def test_shift_round_trips(start: int, k: int) -> None:
    year = f"{start}/{(start + 1) % 100:02d}"
    assert shift_school_year(shift_school_year(year, k), -k) == year


def _python_or_none(text: str) -> str | None:
    try:
        return normalise_school_year(text)
    except ValueError:
        return None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Other scripts' digits are no school year in either parser (the vectorised one
        # raised on them; the Python one read them).
        ("２０２２/２３", None),
        ("２０２２/23", None),
        ("٢٠٢٢/٢٣", None),
        # Four digits stay four digits ("0999/00" was read as "999/00").
        ("0999/00", "0999/00"),
        ("0999/1000", "0999/00"),
    ],
)
def test_both_parsers_agree_on_odd_text(text: str, expected: str | None) -> None:
    assert _python_or_none(text) == expected
    lazy = pl.LazyFrame({"y": [text]}).select(school_year_expr("y")).collect()
    assert lazy.item() == expected


@given(
    st.text(
        alphabet=st.sampled_from(
            [*"0123456789/- ", "２", "٣", "\t", "\n", "\u00a0", "\x1c", "\u3000"]
        ),
        max_size=12,
    )
)
def test_expression_agrees_with_python_on_any_text(text: str) -> None:
    assert pl.select(school_year_expr(pl.lit(text))).item() == _python_or_none(text)
