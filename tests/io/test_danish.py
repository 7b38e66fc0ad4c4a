"""from_danish: Danish headers and labels to the canonical columns and keys."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.exams import BOUND_EXAMS, grade_average
from folkeskolekvalitet.io import LABELS, from_danish
from folkeskolekvalitet.national_tests.levels import LEVELS
from folkeskolekvalitet.testing.exams import exam_grade_frames

DANISH = {
    "school_year": "Skoleår",
    "institution_id": "Institutionsnummer",
    "pupil_id": "Elevnummer",
    "exam": "Prøve",
    "grade": "Karakter",
    "exception_code": "Undtagelseskode",
}
EXAM_LABELS = {e.key: e.label for e in BOUND_EXAMS}


def danish_exam_file(canonical: pl.DataFrame) -> pl.DataFrame:
    """The frame as a municipal system exports it: Danish headers, official labels."""
    return canonical.with_columns(
        pl.col("exam").cast(pl.String).replace(EXAM_LABELS),
        pl.col("school_year").str.slice(0, 5)
        + (pl.col("school_year").str.slice(0, 2) + pl.col("school_year").str.slice(5, 2)),
    ).rename(DANISH)


def test_grade_average_on_a_danish_file() -> None:
    rows = [
        ("2023/2024", "280012", f"e{p}", e.label, g, None)
        for p, g in enumerate([7, 4, 10])
        for e in BOUND_EXAMS
        if e.is_bound_in("2023/24")
    ]
    danish = pl.DataFrame(rows, schema=list(DANISH.values()), orient="row")
    with pytest.raises(DataError, match="pupil_id"):
        grade_average(danish)
    out = grade_average(from_danish(danish))
    assert out["school_year"].to_list() == ["2023/24"]
    assert out["average"].to_list() == [pytest.approx(7.0)]


@settings(max_examples=25, deadline=None)
@given(exam_grade_frames(max_pupils=8))
def test_round_trip_from_danish_headers_and_labels(canonical: pl.DataFrame) -> None:
    back = from_danish(danish_exam_file(canonical))
    expected = canonical.with_columns(pl.col("exam").cast(pl.String))
    assert_frame_equal(back.with_columns(pl.col("exam").cast(pl.String)), expected)
    # Same numbers; the float sums may run in another order (Polars 2.0 groups in parallel).
    assert_frame_equal(grade_average(back), grade_average(canonical), check_exact=False)


def test_lazy_in_lazy_out_and_header_spellings() -> None:
    frame = pl.LazyFrame(
        {
            " ELEV-ID ": ["a"],
            "skoleaar": ["2018-19"],
            "Klassetrin": ["Børnehaveklasse"],
            "fag": ["Matematik"],
            "Præstationsniveau": ["ikke tilstrækkelig"],
        }
    )
    out = from_danish(frame)
    assert isinstance(out, pl.LazyFrame)
    assert out.collect().row(0, named=True) == {
        "pupil_id": "a",
        "school_year": "2018/19",
        "grade_level": 0,
        "subject": "matematik",
        "level": "ikke_tilstraekkelig",
    }


def test_unknown_values_are_left_for_the_family_to_judge() -> None:
    out = from_danish(
        pl.DataFrame({"klassetrin": ["4. klasse", "4.a"], "fag": ["Dansk, læsning", "Madkunst"]})
    )
    assert out["grade_level"].to_list() == ["4. klasse", "4.a"]  # not every value reads
    assert out["subject"].to_list() == ["dansk_laesning", "Madkunst"]


def test_unknown_and_duplicated_headers_in_one_error() -> None:
    frame = pl.DataFrame({"elevnr": [1], "elev_id": [2], "Farve": [3], "Mærke": [4]})
    with pytest.raises(DataError) as info:
        from_danish(frame)
    text = str(info.value)
    assert "3 problems" in text
    assert "'Farve'" in text
    assert "'Mærke'" in text
    assert "several headers stand for 'pupil_id'" in text
    kept = from_danish(frame.drop("elevnr"), unknown="keep")
    assert kept.columns == ["pupil_id", "Farve", "Mærke"]
    assert from_danish(frame.drop("elevnr"), unknown="drop").columns == ["pupil_id"]
    with pytest.raises(ValueError, match="unknown must be"):
        from_danish(frame, unknown="ignore")


@given(st.sampled_from(LEVELS), st.sampled_from(["label", "short", "upper"]))
def test_every_level_label_maps_to_its_key(level: object, form: str) -> None:
    text = {"label": level.label, "short": level.short_label, "upper": level.label.upper()}[form]  # type: ignore[attr-defined]
    out = from_danish(pl.DataFrame({"niveau": [text]}))
    assert out["level"].to_list() == [level.key]  # type: ignore[attr-defined]


def test_labels_come_from_the_catalogues() -> None:
    assert LABELS["exam"]["matematik uden hjælpemidler"] == "matematik_uden_hjaelpemidler"
    assert LABELS["subject"]["dansk, læsning"] == "dansk_laesning"
    assert LABELS["subject"]["natur/teknologi"] == "natur_teknologi"
    assert LABELS["level"]["rigtig god præstation"] == "rigtig_god"
