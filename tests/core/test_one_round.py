"""Schema problems and value problems in one round, across the families.

Validation goes on past a missing column or a wrong dtype; these inputs used to crash
(a row check showing a missing column, a rule reading the schema) or report a
misleading second problem. Every one is one ``DataError``.
"""

from __future__ import annotations

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.absence import absence_rates
from folkeskolekvalitet.competence import coverage
from folkeskolekvalitet.exams import grade_average
from folkeskolekvalitet.wellbeing import score_answers


def test_exams_missing_pupil_id_with_a_null_grade() -> None:
    grades = pl.DataFrame(
        {
            "school_year": ["2018/19"],
            "institution_id": ["1"],
            "exam": ["dansk_laesning"],
            "grade": [None],
        },
        schema_overrides={"grade": pl.String},
    )
    with pytest.raises(DataError) as info:
        grade_average(grades)
    columns = {p.column for p in info.value.problems}
    assert "pupil_id" in columns
    assert "grade" in columns  # the null grade, counted in the same round


def test_exams_wrong_dtype_is_not_a_missing_column() -> None:
    grades = pl.DataFrame(
        {
            "school_year": ["2018/19", "2018/19"],
            "institution_id": ["1", "1"],
            "pupil_id": ["p1", "p1"],
            "exam": ["dansk_laesning", "dansk_mundtlig"],
            "grade": ["7", None],
            "exception_code": [None, True],
        }
    )
    with pytest.raises(DataError) as info:
        grade_average(grades)
    text = str(info.value)
    assert "wrong dtype Boolean" in text
    assert "no exception_code column" not in text


def test_absence_missing_pupil_id_with_too_many_days() -> None:
    records = pl.DataFrame(
        {
            "school_year": ["2018/19"],
            "institution_id": ["1"],
            "school_days": [10.0],
            "sick_days": [20.0],
            "authorised_days": [0.0],
            "unauthorised_days": [0.0],
        }
    )
    with pytest.raises(DataError) as info:
        absence_rates(records)
    columns = {p.column for p in info.value.problems}
    assert "pupil_id" in columns
    assert any("exceed school_days" in p.rule for p in info.value.problems)


def test_wellbeing_missing_question() -> None:
    answers = pl.DataFrame(
        {
            "school_year": ["2021/22"],
            "institution_id": ["1"],
            "grade_level": [5],
            "pupil_id": ["p1"],
            "score": [3],
        }
    )
    with pytest.raises(DataError, match="question"):
        score_answers(answers)


def test_competence_missing_teacher_id_with_a_broken_row_rule() -> None:
    lessons = pl.DataFrame(
        {
            "school_year": ["2017/18"],
            "municipality_code": ["151"],
            "institution_id": ["151001"],
            "class_id": ["1a"],
            "class_type": ["normal"],
            "grade_level": [1],
            "subject": ["dansk"],
            "lessons": [300.0],
            "competence": ["undervisningskompetence"],
            "teacher_competence_count": [0],
        }
    )
    with pytest.raises(DataError) as info:
        coverage(lessons, form="lessons")
    columns = {p.column for p in info.value.problems}
    assert "teacher_id" in columns
    assert "competence, teacher_competence_count" in columns


def test_competence_totals_integer_institution_is_text() -> None:
    totals = pl.DataFrame(
        {
            "school_year": ["2018/19"] * 2,
            "institution_id": [151001, 151002],
            "municipality_code": [151, 151],
            "lessons_competent": [3.0, 2.0],
            "lessons_not_competent": [1.0, 1.0],
        }
    )
    out = coverage(totals, by=["school_year", "institution_id", "municipality_code"])
    assert out.schema["institution_id"] == pl.String
    assert out["municipality_code"].to_list() == ["151", "151"]


def test_a_cpr_like_id_behind_a_varying_attribute_is_found() -> None:
    # the ids are read from the pupil grouping's first rows; a pupil whose institution
    # varies has an id in a later row too: read exactly, in the same round
    grades = pl.DataFrame(
        {
            "school_year": ["2018/19"] * 3,
            "institution_id": ["280017", "0101011234", "280017"],
            "pupil_id": ["p1", "p1", "p2"],
            "exam": ["dansk_laesning", "dansk_mundtlig", "dansk_laesning"],
            "grade": ["7", "4", "10"],
        }
    )
    with pytest.raises(DataError) as info:
        grade_average(grades)
    text = str(info.value)
    assert "CPR" in text
    assert "0101011234" not in text
    assert any("one value per" in p.rule for p in info.value.problems)
