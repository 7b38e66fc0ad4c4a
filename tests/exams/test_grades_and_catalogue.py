from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet import CatalogueError
from folkeskolekvalitet.exams import (
    BOUND_EXAMS,
    EXCEPTION_CODES,
    GRADE_ENUM,
    GRADES,
    GRADES_13,
    bound_exams,
    comparability_note,
    convert_13_to_7,
    grade,
    grade_points,
    parse_grade,
)

# The official oversættelsesskala (uvm.dk, 13 Mar 2017).
OFFICIAL_13_TO_7 = {
    "13": "12",
    "11": "12",
    "10": "10",
    "9": "7",
    "8": "7",
    "7": "4",
    "6": "02",
    "5": "00",
    "03": "00",
    "00": "-3",
}


def test_the_official_conversion_table() -> None:
    df = pl.DataFrame({"old": list(OFFICIAL_13_TO_7)})
    assert df.select(convert_13_to_7("old")).to_series().to_list() == list(
        OFFICIAL_13_TO_7.values()
    )
    assert {g.text: g.converted for g in GRADES_13} == OFFICIAL_13_TO_7
    numeric = pl.DataFrame({"old": [13, 11, 3, 0]})
    assert numeric.select(convert_13_to_7("old")).to_series().to_list() == ["12", "12", "00", "-3"]


def test_convert_13_refuses_non_13_grades() -> None:
    with pytest.raises(pl.exceptions.InvalidOperationError):
        pl.DataFrame({"old": ["12"]}).select(convert_13_to_7("old"))


def test_the_scale() -> None:
    assert [g.text for g in GRADES] == ["-3", "00", "02", "4", "7", "10", "12"]
    assert [g.points for g in GRADES] == [-3, 0, 2, 4, 7, 10, 12]
    assert [g.ects for g in GRADES] == ["F", "Fx", "E", "D", "C", "B", "A"]
    assert [g.passed for g in GRADES] == [False, False, True, True, True, True, True]
    assert grade("12").label == "Den fremragende præstation"
    assert GRADE_ENUM.categories.to_list() == [g.text for g in GRADES]
    assert [c.code for c in EXCEPTION_CODES] == ["81", "84", "85", "86", "87", "88", "89"]


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("02", "02"),
        ("2", "02"),
        (2, "02"),
        (2.0, "02"),
        ("2,0", "02"),
        (" 02 ", "02"),
        ("0", "00"),
        ("-03", "-3"),
        (-3, "-3"),
        ("12", "12"),
        ("4,0", "4"),
    ],
)
def test_accepted_spellings(value: object, canonical: str) -> None:
    assert grade(value).text == canonical  # type: ignore[arg-type]
    assert pl.select(parse_grade(pl.lit(value))).item() == canonical


@pytest.mark.parametrize("value", ["03", 5, "13", "A", "1", "-2", "2,5", "012"])
def test_rejected_spellings(value: object) -> None:
    with pytest.raises(ValueError, match="not a grade of the 7-trinsskala"):
        grade(value)  # type: ignore[arg-type]
    with pytest.raises(pl.exceptions.InvalidOperationError):
        pl.select(parse_grade(pl.lit(str(value))))


def test_13_skala_hint() -> None:
    with pytest.raises(ValueError, match="13-skala grade: use convert_13_to_7"):
        grade("11")


@given(st.sampled_from(GRADES), st.sampled_from(["{t}", "{p}", "{p}.0", "{p},0"]))
def test_points_of_any_spelling(g: object, pattern: str) -> None:
    text = pattern.format(t=g.text, p=g.points)  # type: ignore[attr-defined]
    assert pl.select(grade_points(pl.lit(text))).item() == g.points  # type: ignore[attr-defined]


def test_parse_grade_keeps_nulls_and_sorts_in_scale_order() -> None:
    df = pl.DataFrame({"g": ["12", None, "-3", "02", "10"]})
    out = df.select(parse_grade("g")).to_series()
    assert out.dtype == GRADE_ENUM
    assert out.sort(nulls_last=True).to_list() == ["-3", "02", "10", "12", None]


def test_bound_exams_by_period() -> None:
    assert [e.key for e in bound_exams("2015/16")][-1] == "fysik_kemi"
    assert [e.key for e in bound_exams("2016/17")][-1] == "faellesproeve"
    assert [e.key for e in bound_exams("2006/07")] == [e.key for e in bound_exams("2015/2016")]
    for year in range(2006, 2025):
        exams = bound_exams(f"{year}/{(year + 1) % 100:02d}")
        assert len(exams) == 8
        assert sum(e.subject == "dansk" for e in exams) == 4
        assert sum(e.subject == "matematik" for e in exams) == 2


@pytest.mark.parametrize("year", ["2025/26", "2030/31", "2005/06", "1999/00"])
def test_unconfirmed_years_raise(year: str) -> None:
    with pytest.raises(CatalogueError, match="not confirmed"):
        bound_exams(year)


def test_bad_year_text() -> None:
    with pytest.raises(ValueError, match="is not a school year"):
        bound_exams("2017/19")


def test_catalogue_entries_have_labels_and_sources() -> None:
    for e in BOUND_EXAMS:
        assert e.label
        assert e.source.startswith("http")


def test_comparability_notes() -> None:
    assert "COVID-19" in (comparability_note("2019/2020") or "")
    assert comparability_note("2020/21") is not None
    assert comparability_note("2021/22") is not None
    assert comparability_note("2022/23") is None
