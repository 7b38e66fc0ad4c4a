"""Input rules shared by every family (issue 9): ids, future years, pandas, Danish headers, CPR.

Each test failed on the code before the fix: a padded id made a second pupil, a
future school year passed, pandas frames raised TypeError, CPR-like ids outside
``pupil_id`` reached outputs and messages, and missing Danish-named columns got
no hint.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError, IdsNormalisedWarning, Problem, normalise_id
from folkeskolekvalitet import synthetic as syn
from folkeskolekvalitet._core.danish import DANISH_HEADERS, canonical_header
from folkeskolekvalitet.absence import absence_rates
from folkeskolekvalitet.competence import compare_to_target, coverage
from folkeskolekvalitet.exams import compare_to_reference, grade_average
from folkeskolekvalitet.interventions import inclusion_rate
from folkeskolekvalitet.national_tests import goal_status, level_shares
from folkeskolekvalitet.transitions import status_shares
from folkeskolekvalitet.wellbeing import answers_from_wide, indicators

CPR = "0101901234"
CPR_LIKE = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")

Rule = Callable[[pl.DataFrame], pl.DataFrame]


def _exams() -> pl.DataFrame:
    return syn.exam_grades(n_schools=2, pupils_per_school=6, school_years=("2017/18",))


def _absence() -> pl.DataFrame:
    return syn.absence_records(n_schools=2, pupils_per_school=6, school_years=("2017/18",))


def _wellbeing() -> pl.DataFrame:
    return syn.wellbeing_answers(
        n_schools=2, pupils_per_grade=3, grade_levels=(5,), school_years=("2023/24",)
    )


def _transitions() -> pl.DataFrame:
    return syn.transition_statuses(n_schools=2, pupils_per_school=6, cohorts=("2021/22",))


def _national_tests() -> pl.DataFrame:
    return syn.national_test_results(n_schools=2, pupils_per_grade=3, school_years=("2018/19",))


def _competence() -> pl.DataFrame:
    return syn.competence_lessons(n_schools=2, school_years=("2018/19",))


def _inclusion() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": "2020/21",
            "municipality_code": "151",
            "institution_id": ["151001", "151001", "151002"],
            "pupil_id": ["P1", "P2", "P3"],
            "school_type": "folkeskole",
            "special_class": [False, True, False],
        }
    )


FAMILIES: dict[str, tuple[Callable[[], pl.DataFrame], Rule, str]] = {
    "exams": (_exams, grade_average, "pupil_id"),
    "absence": (_absence, absence_rates, "pupil_id"),
    "wellbeing": (_wellbeing, indicators, "pupil_id"),
    "transitions": (_transitions, status_shares, "pupil_id"),
    "national_tests": (_national_tests, level_shares, "pupil_id"),
    "competence": (_competence, coverage, "teacher_id"),
    "inclusion": (_inclusion, inclusion_rate, "pupil_id"),
}


def _pad_first(df: pl.DataFrame, column: str, spell: Callable[[str], str]) -> pl.DataFrame:
    """Respell the id of the first row only (the other rows of that id stay clean)."""
    values = df[column].cast(pl.String).to_list()
    values[0] = spell(values[0])
    return df.with_columns(pl.Series(column, values, dtype=pl.String))


SPELLINGS = {
    "trailing space": lambda v: v + " ",
    "surrounding spaces": lambda v: f"  {v} ",
    "non-breaking space": lambda v: v + "\u00a0",
    "zero-width space": lambda v: v[:1] + "\u200b" + v[1:],
    "byte order mark": lambda v: "\ufeff" + v,
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_respelled_id_is_the_same_id(family: str, spelling: str) -> None:
    make, rule, column = FAMILIES[family]
    clean = make()
    dirty = _pad_first(clean, column, SPELLINGS[spelling])
    expected = rule(clean.with_columns(pl.col(column).cast(pl.String)))
    with pytest.warns(IdsNormalisedWarning, match=f"normalised 1 {column} value"):
        got = rule(dirty)
    assert_frame_equal(got, expected)


@pytest.mark.parametrize("family", ["exams", "absence", "wellbeing", "national_tests"])
def test_a_padded_institution_id_is_the_same_school(family: str) -> None:
    make, rule, _ = FAMILIES[family]
    clean = make()
    dirty = _pad_first(clean, "institution_id", lambda v: v + " ")
    with pytest.warns(IdsNormalisedWarning, match="institution_id"):
        got = rule(dirty)
    assert_frame_equal(got, rule(clean))


def test_three_pupils_stay_three_with_one_trailing_space() -> None:
    """The issue's example: one trailing space turned 3 pupils into 4."""
    exams = ["dansk_laesning", "matematik_med_hjaelpemidler"]
    rows = pl.DataFrame(
        {
            "school_year": "2017/18",
            "institution_id": "101001",
            "pupil_id": ["P1", "P1 ", "P2", "P2", "P3", "P3"],
            "exam": exams * 3,
            "grade": ["7", "4", "10", "12", "02", "00"],
        }
    )
    with pytest.warns(IdsNormalisedWarning):
        out = grade_average(rows)
    assert out["n_pupils"].to_list() == [3]


def test_unicode_forms_of_one_id_are_one_id() -> None:
    composed, decomposed = "Å1", "A\u030a1"
    rows = pl.DataFrame(
        {
            "school_year": "2017/18",
            "institution_id": "101001",
            "pupil_id": [composed, decomposed],
            "exam": ["dansk_laesning", "matematik_med_hjaelpemidler"],
            "grade": ["7", "4"],
        }
    )
    with pytest.warns(IdsNormalisedWarning):
        out = grade_average(rows)
    assert out["n_pupils"].to_list() == [1]


def test_clean_ids_give_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grade_average(_exams())


def test_normalise_id_is_idempotent_and_keeps_clean_ids() -> None:
    values = pl.Series(["P1", " P1", "P\u200b1\u00a0", "x y", "A\u030a", None])
    once = pl.select(normalise_id(pl.lit(values))).to_series()
    twice = pl.select(normalise_id(pl.lit(once))).to_series()
    assert once.to_list() == ["P1", "P1", "P1", "x y", "Å", None]
    assert_frame_equal(once.to_frame(), twice.to_frame())


# -- 6: future school years -------------------------------------------------------


FUTURE = {
    "absence": lambda: syn.absence_records(
        n_schools=1, pupils_per_school=3, school_years=["2025/26"]
    ),
    "wellbeing": lambda: syn.wellbeing_answers(
        n_schools=1, pupils_per_grade=2, grade_levels=(5,), school_years=["2025/26"]
    ),
    "transitions": lambda: syn.transition_statuses(
        n_schools=1, pupils_per_school=3, cohorts=["2025/26"]
    ),
    "competence": lambda: syn.competence_lessons(n_schools=1, school_years=["2026/27"]),
    "inclusion": lambda: _inclusion().with_columns(school_year=pl.lit("2025/26")),
}


@pytest.mark.parametrize("family", sorted(FUTURE))
def test_future_school_years_are_refused(family: str) -> None:
    rule = FAMILIES[family][1]
    with pytest.raises(DataError, match="the last one whose catalogue is confirmed"):
        rule(FUTURE[family]())


# -- 7: finite numbers, duplicates, null units, grade levels ---------------------------


def _averages() -> pl.DataFrame:
    return pl.DataFrame(
        {"school_year": "2017/18", "institution_id": ["101001", "101002"], "average": [7.0, 6.0]}
    )


def _references(reference: list[float | None], significance: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": "2017/18",
            "institution_id": ["101001", "101002"],
            "reference": reference,
            "significance": significance,
        }
    )


@pytest.mark.parametrize("bad", [float("inf"), -float("inf")])
def test_compare_to_reference_refuses_infinite_references(bad: float) -> None:
    refs = _references([bad, 6.5], [None, None])
    with pytest.raises(DataError, match="infinite reference"):
        compare_to_reference(_averages(), refs, on=("school_year", "institution_id"))


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_compare_to_reference_refuses_non_finite_averages(bad: float) -> None:
    averages = _averages().with_columns(average=pl.Series([bad, 6.0]))
    with pytest.raises(DataError, match="not a finite number"):
        compare_to_reference(
            averages, _references([7.0, 6.5], [None, None]), on=("school_year", "institution_id")
        )


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_compare_to_reference_refuses_a_significance_without_reference(
    missing: float | None,
) -> None:
    refs = _references([missing, 6.5], ["Over niveau", None])
    with pytest.raises(DataError, match=r"significance .* without a reference"):
        compare_to_reference(_averages(), refs, on=("school_year", "institution_id"))


def test_a_nan_reference_without_significance_stays_no_reference() -> None:
    refs = _references([float("nan"), 6.5], [None, None])
    out = compare_to_reference(_averages(), refs, on=("school_year", "institution_id"))
    assert out["reference"].to_list() == [None, 6.5]
    assert out["significance"].to_list() == [None, None]


def _shares() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": "2018/19",
            "municipality_code": ["151", "153"],
            "share": [0.9, 0.8],
            "n_lessons": [100.0, 50.0],
        }
    )


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_compare_to_target_refuses_bad_counts(bad: float) -> None:
    with pytest.raises(DataError, match="n_lessons"):
        compare_to_target(_shares().with_columns(n_lessons=pl.Series([bad, 50.0])))


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan"), float("inf")])
def test_compare_to_target_refuses_bad_shares(bad: float) -> None:
    with pytest.raises(DataError, match="'share'"):
        compare_to_target(_shares().with_columns(share=pl.Series([bad, 0.8])))


def test_compare_to_target_refuses_duplicated_rows() -> None:
    with pytest.raises(DataError, match="duplicated key"):
        compare_to_target(pl.concat([_shares(), _shares().head(1)]))
    bare = _shares().drop("municipality_code")
    with pytest.raises(DataError, match="1 duplicated row"):
        compare_to_target(pl.concat([bare, bare.head(1)]))
    assert compare_to_target(bare).height == 2


def _unit_shares(municipality: list[str | None], institution: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "municipality_code": municipality,
            "institution_id": institution,
            "school_year": "2022/23",
            "subject": "dansk_laesning",
            "grade_level": 2,
            "n_pupils": [40, 30],
            "n_good": [30, 20],
        }
    )


def test_goal_status_refuses_a_null_unit() -> None:
    shares = _unit_shares(["151", "151"], ["101001", None]).drop("municipality_code")
    with pytest.raises(DataError, match=r"institution_id.*missing value"):
        goal_status(shares)


def test_goal_status_refuses_a_null_top_unit_and_a_broken_hierarchy() -> None:
    with pytest.raises(DataError) as info:
        goal_status(_unit_shares([None, "151"], ["101001", "101002"]))
    text = str(info.value)
    assert "column 'municipality_code': missing value" in text
    assert "institution_id given where municipality_code is null" in text


def test_goal_status_keeps_municipality_rows_with_a_null_institution() -> None:
    out = goal_status(_unit_shares(["151", "151"], [None, "101001"]))
    assert set(out["institution_id"].to_list()) == {None, "101001"}


@pytest.mark.parametrize("bad", [-1, 11])
def test_absence_checks_grade_level(bad: int) -> None:
    records = _absence().with_columns(grade_level=pl.lit(bad, dtype=pl.Int8))
    with pytest.raises(DataError, match="not a klassetrin"):
        absence_rates(records, by=("school_year", "grade_level"))


# -- 8: CPR in every id column and never in a message ---------------------------------


@pytest.mark.parametrize(
    ("family", "column"),
    [
        ("exams", "institution_id"),
        ("wellbeing", "class_id"),
        ("competence", "teacher_id"),
        ("competence", "class_id"),
        ("absence", "institution_id"),
        ("inclusion", "municipality_code"),
    ],
)
def test_cpr_like_values_are_refused_in_every_id_column(family: str, column: str) -> None:
    make, rule, _ = FAMILIES[family]
    data = make().with_columns(pl.lit("010190-1234").alias(column))
    with pytest.raises(DataError) as info:
        rule(data)
    assert "CPR" in str(info.value)
    assert not CPR_LIKE.search(str(info.value))


def test_cpr_like_by_column_is_refused() -> None:
    data = _exams().with_columns(municipality_code=pl.lit(CPR))
    with pytest.raises(DataError, match="'municipality_code': looks like a CPR") as info:
        grade_average(data, by=("school_year", "municipality_code"))
    assert not CPR_LIKE.search(str(info.value))


def test_answers_from_wide_refuses_cpr_pupil_ids() -> None:
    wide = pl.DataFrame(
        {
            "school_year": "2023/24",
            "institution_id": "151001",
            "grade_level": [5, 6],
            "pupil_id": [CPR, "p2"],
            "tryg": [4, 3],
        }
    )
    with pytest.raises(DataError) as info:
        answers_from_wide(wide)
    assert not CPR_LIKE.search(str(info.value))
    long = answers_from_wide(wide, allow_cpr=True)
    assert long["pupil_id"].to_list() == [CPR, "p2"]


def test_coverage_does_not_echo_a_cpr_like_municipality_code() -> None:
    data = _competence().with_columns(municipality_code=pl.lit(CPR))
    with pytest.raises(DataError) as info:
        coverage(data)
    assert not CPR_LIKE.search(str(info.value))


def test_no_problem_text_keeps_a_cpr_number() -> None:
    problem = Problem(f"x {CPR}", f"rule 010190-1234 {CPR}", 1, (repr(CPR), "010190 1234"))
    text = str(DataError(f"data {CPR}", [problem]))
    assert not CPR_LIKE.search(text)
    assert "151" in str(DataError("d", [Problem("municipality_code", "code 151")]))


# -- 9: pandas and pyarrow --------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("kind", ["pandas", "pyarrow"])
def test_pandas_and_pyarrow_frames_are_accepted(family: str, kind: str) -> None:
    pytest.importorskip("pandas" if kind == "pandas" else "pyarrow")
    pytest.importorskip("pyarrow")  # pandas frames with text columns convert through pyarrow
    make, rule, _ = FAMILIES[family]
    data = make().with_columns(pl.col(pl.Enum).cast(pl.String))
    # Nullable pandas dtypes keep an integer column with nulls an integer column.
    foreign = (
        data.to_pandas(use_pyarrow_extension_array=True) if kind == "pandas" else data.to_arrow()
    )
    got = rule(foreign)
    assert isinstance(got, pl.DataFrame)
    assert_frame_equal(got, rule(data))


def test_other_objects_are_still_refused() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(TypeError, match="pandas DataFrame or pyarrow Table"):
        grade_average({"a": [1]})  # type: ignore[type-var]
    with pytest.raises(TypeError):
        grade_average(pd.Series([1]))
    with pytest.raises(TypeError):
        grade_average(pa.array([1]))


# -- 10: Danish headers --------------------------------------------------------------


DANISH = {
    "school_year": "Skoleår",
    "institution_id": "institutionsnummer",
    "pupil_id": "elev_id",
    "exam": "prøve",
    "grade": "karakter",
}


def test_missing_columns_with_danish_headers_get_a_hint() -> None:
    data = _exams().drop("exception_code").rename(DANISH)
    with pytest.raises(DataError) as info:
        grade_average(data)
    text = str(info.value)
    for canonical, danish in DANISH.items():
        assert f"the frame has {danish!r}" in text
        assert f"rename it to {canonical!r}" in text


def test_danish_headers_map_to_contract_columns() -> None:
    assert canonical_header(" Skoleaar ") == "school_year"
    assert canonical_header("Elev-ID") == "pupil_id"
    assert canonical_header("klassetrin") == "grade_level"
    assert canonical_header("Fraværsdage") == "unauthorised_days"
    assert canonical_header("no such header") is None
    assert all(key == key.lower().strip() for key in DANISH_HEADERS)


def test_subject_labels_and_klasse_text_are_accepted_as_keys() -> None:
    from folkeskolekvalitet.national_tests import SUBJECTS

    data = _national_tests()
    labelled = data.with_columns(
        pl.col("subject").cast(pl.String).replace({s.key: s.label for s in SUBJECTS}),
        (pl.col("grade_level").cast(pl.String) + ". klasse").alias("grade_level"),
    )
    assert "Dansk, læsning" in labelled["subject"].to_list()
    assert_frame_equal(level_shares(labelled), level_shares(data))


def test_exam_labels_are_accepted_as_keys() -> None:
    from folkeskolekvalitet.exams import BOUND_EXAMS

    data = _exams()
    labelled = data.with_columns(
        pl.col("exam").cast(pl.String).replace({e.key: e.label.upper() for e in BOUND_EXAMS})
    )
    assert_frame_equal(grade_average(labelled), grade_average(data))


def test_competence_subject_labels_and_klasse_text() -> None:
    from folkeskolekvalitet.competence import SUBJECTS

    data = _competence()
    labelled = data.with_columns(
        pl.col("subject").cast(pl.String).replace({s.key: s.label for s in SUBJECTS}),
        pl.col("grade_level").cast(pl.String).replace({"0": "børnehaveklasse"})
        + pl.when(pl.col("grade_level") > 0).then(pl.lit(". klasse")).otherwise(pl.lit("")),
    )
    assert_frame_equal(coverage(labelled), coverage(data))


@pytest.mark.parametrize("bad", ["4.a", "fjerde", "-1. klasse"])
def test_klasse_text_that_is_not_a_klassetrin_is_refused(bad: str) -> None:
    data = _national_tests().with_columns(grade_level=pl.lit(bad))
    with pytest.raises(DataError, match="not a klassetrin"):
        level_shares(data)
