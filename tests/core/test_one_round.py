"""Schema problems and value problems in one round, across the families.

Validation goes on past a missing column or a wrong dtype; these inputs used to crash
(a row check showing a missing column, a rule reading the schema) or report a
misleading second problem. Every one is one ``DataError``.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet._core.errors import Problem
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
    problems = _cpr_found_and_hidden(grades)
    assert any("one value per" in p.rule for p in problems)


def _cpr_found_and_hidden(grades: pl.DataFrame) -> list[Problem]:
    """The problems of ``grades``, whose CPR-like id 0101011234 is found and never shown."""
    with pytest.raises(DataError) as info:
        grade_average(grades)
    text = str(info.value)
    assert "CPR" in text
    assert "0101011234" not in text
    return list(info.value.problems)


def _wellbeing_answers() -> pl.DataFrame:
    from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers

    return wellbeing_answers(
        n_schools=2, school_years=["2023/24"], grade_levels=[5], pupils_per_grade=3, seed=1
    )


def test_school_years_read_from_the_pupil_grouping_are_every_year() -> None:
    # Well-being's distinct school years are read from the pupil grouping (one row per
    # pupil, not per answer): every spelling and every bad value is still seen.
    from folkeskolekvalitet.wellbeing import indicators

    answers = _wellbeing_answers()
    pupils = answers["pupil_id"].unique(maintain_order=True).to_list()
    year = (
        pl.when(pl.col("pupil_id") == pupils[0])
        .then(pl.lit("2023/2024"))
        .when(pl.col("pupil_id") == pupils[1])
        .then(pl.lit("2023/25"))
        .otherwise(pl.col("school_year"))
    )
    with pytest.raises(DataError) as info:
        indicators(answers.with_columns(year.alias("school_year")))
    (problem,) = [p for p in info.value.problems if p.column == "school_year"]
    assert "not a school year" in problem.rule
    assert problem.n_rows == (answers["pupil_id"] == pupils[1]).sum()
    # the other spelling is one school year with the canonical one
    respelled = answers.with_columns(
        pl.when(pl.col("pupil_id") == pupils[0])
        .then(pl.lit("2023/2024"))
        .otherwise(pl.col("school_year"))
        .alias("school_year")
    )
    # (to 1e-12: on Polars 2.0 the means' sums are not repeatable to the last bit)
    assert_frame_equal(indicators(respelled), indicators(answers), rel_tol=1e-12, abs_tol=1e-12)


def test_a_bad_school_year_beside_a_varying_attribute() -> None:
    # a varying attribute makes validation read the ids and years exactly: both reported
    from folkeskolekvalitet.wellbeing import indicators

    answers = _wellbeing_answers()
    pupils = answers["pupil_id"].unique(maintain_order=True).to_list()
    first_row = pl.int_range(pl.len()).over("pupil_id") == 0
    bad = answers.with_columns(
        pl.when((pl.col("pupil_id") == pupils[0]) & first_row)
        .then(pl.lit(6, dtype=answers.schema["grade_level"]))
        .otherwise(pl.col("grade_level"))
        .alias("grade_level"),
        pl.when(pl.col("pupil_id") == pupils[1])
        .then(pl.lit("2023/25"))
        .otherwise(pl.col("school_year"))
        .alias("school_year"),
    )
    with pytest.raises(DataError) as info:
        indicators(bad)
    problems = info.value.problems
    assert any(p.column == "school_year" and "not a school year" in p.rule for p in problems)
    assert any("disagree on grade_level" in p.rule for p in problems)


def test_pupils_whose_hashes_collide_are_read_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pupil grouping groups on a 64-bit combination of hashes; two pupils whose
    # combination collides share a group, and its first row is not every id or year.
    # Every pupil colliding with every other: the CPR-like id of the second pupil and
    # the bad school year of the third are still found (read exactly).
    from folkeskolekvalitet._core import schema

    monkeypatch.setattr(schema, "_combined_hash", lambda columns: pl.lit(0, dtype=pl.UInt64))
    grades = pl.DataFrame(
        {
            "school_year": ["2018/19", "2018/19", "2018/20"],
            "institution_id": ["280017"] * 3,
            "pupil_id": ["p1", "0101011234", "p3"],
            "exam": ["dansk_laesning"] * 3,
            "grade": ["7", "4", "10"],
        }
    )
    problems = _cpr_found_and_hidden(grades)
    assert any(p.column == "school_year" for p in problems)
    assert not any("duplicated" in p.rule for p in problems)


def test_school_years_of_colliding_pupils_are_read_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # well-being reads its distinct school years from the pupil grouping
    from folkeskolekvalitet._core import schema
    from folkeskolekvalitet.wellbeing import indicators

    monkeypatch.setattr(schema, "_combined_hash", lambda columns: pl.lit(0, dtype=pl.UInt64))
    answers = _wellbeing_answers()
    # one school and grade: the pupils' attributes agree, only the collision tells
    answers = answers.filter(pl.col("institution_id") == answers["institution_id"][0])
    last = answers["pupil_id"].unique(maintain_order=True).to_list()[-1]
    bad = answers.with_columns(
        pl.when(pl.col("pupil_id") == last)
        .then(pl.lit("2023/25"))
        .otherwise(pl.col("school_year"))
        .alias("school_year")
    )
    with pytest.raises(DataError) as info:
        indicators(bad)
    assert any(
        p.column == "school_year" and "not a school year" in p.rule for p in info.value.problems
    )
