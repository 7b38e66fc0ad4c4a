"""The exam indicators: hand-computed examples, properties, a differential test, bad input."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.exams import (
    grade_average,
    pupil_averages,
    share_passing_danish_and_math,
    share_took_all_bound_exams,
    subject_averages,
)
from folkeskolekvalitet.testing import broken_exam_grade_frames, exam_grade_frames
from folkeskolekvalitet.testing.exams import BREAKAGE_COLUMNS
from tests.conftest import Runner
from tests.exams import reference_impl as ref

NEW = [
    "dansk_laesning",
    "dansk_retskrivning",
    "dansk_skriftlig_fremstilling",
    "dansk_mundtlig",
    "matematik_med_hjaelpemidler",
    "matematik_uden_hjaelpemidler",
    "engelsk_mundtlig",
    "faellesproeve",
]
OLD = [*NEW[:-1], "fysik_kemi"]


def _pupil(
    year: str, inst: str, pupil: str, exams: list[str], cells: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for exam, cell in zip(exams, cells, strict=True):
        is_code = cell.startswith("8") and len(cell) == 2
        rows.append(
            {
                "school_year": year,
                "institution_id": inst,
                "pupil_id": pupil,
                "exam": exam,
                "grade": None if is_code else cell,
                "exception_code": cell if is_code else None,
            }
        )
    return rows


@pytest.fixture
def example() -> pl.DataFrame:
    """Five pupils at school 151001 in 2017/18 and one at 151002 in 2015/16, hand-computed."""
    y, a = "2017/18", "151001"
    rows = [
        *_pupil(y, a, "a", NEW, ["7", "4", "7", "10", "4", "02", "10", "7"]),
        *_pupil(y, a, "b", NEW, ["02", "00", "02", "4", "87", "87", "87", "87"]),
        *_pupil(y, a, "c", NEW, ["89", "89", "89", "12", "89", "89", "12", "12"]),
        *_pupil(y, a, "d", NEW, ["02", "02", "02", "02", "-3", "00", "02", "02"]),
        *_pupil(y, a, "e", [*NEW, "dansk_orden"], ["12"] * 8 + ["00"]),
        *_pupil("2015/16", "151002", "f", OLD, ["7"] * 8),
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))


def test_pupil_averages_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(pupil_averages, example)
    assert out.columns == [
        "school_year",
        "institution_id",
        "pupil_id",
        "n_exams",
        "average",
        "included",
    ]
    assert out.select("pupil_id", "n_exams", "average", "included").rows() == [
        ("f", 8, 7.0, True),
        ("a", 8, 6.375, True),
        ("b", 4, 2.0, True),
        ("c", 3, 12.0, False),
        ("d", 8, 1.125, True),
        ("e", 8, 12.0, True),
    ]


def test_grade_average_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(grade_average, example)
    expected = pl.DataFrame(
        {
            "school_year": ["2015/16", "2017/18"],
            "institution_id": ["151002", "151001"],
            "n_pupils": [1, 5],
            "n_pupils_included": [1, 4],
            "n_grades": [8, 28],
            "average": [7.0, 5.375],
            "std": [None, pl.Series([6.375, 2.0, 1.125, 12.0]).std()],
        },
        schema_overrides={
            "n_pupils": pl.UInt32,
            "n_pupils_included": pl.UInt32,
            "n_grades": pl.UInt32,
        },
    )
    assert_frame_equal(out, expected)


def test_grade_average_variants(run: Runner, example: pl.DataFrame) -> None:
    complete = run(grade_average, example, method="complete").filter(
        pl.col("institution_id") == "151001"
    )
    assert complete.select("n_pupils", "n_pupils_included", "average").row(0) == (5, 3, 6.5)
    grade_mean = run(grade_average, example, method="grade_mean").filter(
        pl.col("institution_id") == "151001"
    )
    assert grade_mean.select("n_pupils", "n_pupils_included", "n_grades").row(0) == (5, 5, 31)
    assert grade_mean["average"][0] == pytest.approx(200 / 31)
    lenient = run(grade_average, example, min_exams=3).filter(pl.col("institution_id") == "151001")
    assert lenient.select("n_pupils_included", "average").row(0) == (5, pytest.approx(33.5 / 5))


def test_grade_average_by_municipality(example: pl.DataFrame) -> None:
    out = grade_average(
        example.with_columns(pl.lit("151").alias("municipality_code")), by="municipality_code"
    )
    assert out.select("municipality_code", "n_pupils", "n_pupils_included").row(0) == ("151", 6, 5)
    assert out["average"][0] == pytest.approx((6.375 + 2.0 + 1.125 + 12.0 + 7.0) / 5)


def test_subject_averages_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(subject_averages, example).filter(pl.col("institution_id") == "151001")
    assert out.select("subject", "n_pupils", "n_pupils_included", "average").rows() == [
        ("dansk", 5, 5, 7.0),
        ("matematik", 5, 3, 4.5),
    ]
    weighted = run(subject_averages, example, weights="admission").filter(
        pl.col("institution_id") == "151001"
    )
    assert weighted.select("subject", "n_pupils", "n_pupils_included", "average").rows() == [
        ("dansk", 5, 4, 24.875 / 4),
        ("matematik", 5, 3, 4.5),
    ]


def test_share_passing_example(run: Runner, example: pl.DataFrame) -> None:
    took_all = run(share_passing_danish_and_math, example).filter(
        pl.col("institution_id") == "151001"
    )
    assert took_all.select("n_pupils", "n_passing", "share").row(0) == (3, 2, 2 / 3)
    everyone = run(share_passing_danish_and_math, example, denominator="all_pupils")
    assert everyone.filter(pl.col("institution_id") == "151001").select(
        "n_pupils", "n_passing", "share"
    ).row(0) == (
        5,
        2,
        0.4,
    )


def _one_pupil(cells: list[str]) -> pl.DataFrame:
    """One pupil with the six dansk and matematik delprøver, in NEW order."""
    return pl.DataFrame(_pupil("2018/19", "151001", "x", NEW[:6], cells))


def test_share_passing_compares_unrounded_marks() -> None:
    # laesning 7, retskrivning 00, skriftlig 00 -> written 1.75; mundtlig 02 -> dansk 1.875 (fails)
    assert (
        share_passing_danish_and_math(_one_pupil(["7", "00", "00", "02", "12", "12"]))["n_passing"][
            0
        ]
        == 0
    )
    # matematik exactly 2.0 ((4 + 00) / 2) passes: the rule is >= 2.0
    assert (
        share_passing_danish_and_math(_one_pupil(["4", "4", "4", "4", "4", "00"]))["n_passing"][0]
        == 1
    )


def test_share_passing_round_marks_variant() -> None:
    # With oral weight 0.4: 0.6 * (0.25*2 + 0.25*-3 + 0.5*7) + 0.4 * 00 = 1.95 -> fails unrounded,
    # passes when marks are rounded to one decimal half up (2.0).
    df = _one_pupil(["02", "-3", "7", "00", "12", "12"])
    assert share_passing_danish_and_math(df, danish_oral_weight=0.4)["n_passing"][0] == 0
    assert (
        share_passing_danish_and_math(df, danish_oral_weight=0.4, round_marks=True)["n_passing"][0]
        == 1
    )


def test_share_took_all_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(share_took_all_bound_exams, example)
    a = out.filter(pl.col("institution_id") == "151001")
    assert a.select("n_pupils", "n_took_all", "share").row(0) == (5, 3, 0.6)
    assert a.select("n_pupils_code_87", "n_pupils_code_89", "n_pupils_code_81").row(0) == (1, 1, 0)
    flis = run(share_took_all_bound_exams, example, min_exams=4).filter(
        pl.col("institution_id") == "151001"
    )
    assert flis.select("n_took_all").item() == 4


def test_old_and_new_catalogue_in_one_input(example: pl.DataFrame) -> None:
    out = share_took_all_bound_exams(example).filter(pl.col("institution_id") == "151002")
    assert out.select("n_pupils", "n_took_all").row(0) == (1, 1)


def test_grades_as_numbers_and_other_spellings(example: pl.DataFrame) -> None:
    numeric = example.with_columns(
        pl.col("grade").cast(pl.Int64),
        pl.col("exception_code").cast(pl.Int64),
        pl.col("school_year").str.replace("/", "/20"),
    )
    assert_frame_equal(grade_average(numeric), grade_average(example))
    spelled = example.with_columns(pl.col("grade").replace({"02": "2,0", "-3": "-03", "00": "0"}))
    assert_frame_equal(grade_average(spelled), grade_average(example))


# --- properties -------------------------------------------------------------------------------


@given(exam_grade_frames(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(df: pl.DataFrame, rnd: Any) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = df[order] if df.height else df
    for fn in (
        grade_average,
        share_passing_danish_and_math,
        share_took_all_bound_exams,
        subject_averages,
    ):
        assert_frame_equal(fn(df), fn(shuffled))


@given(exam_grade_frames(min_pupils=1))
def test_few_grades_change_only_counts(df: pl.DataFrame) -> None:
    """Adding a pupil with fewer than min_exams grades changes n_pupils only."""
    year, inst = df.row(0, named=True)["school_year"], df.row(0, named=True)["institution_id"]
    keys = NEW if int(year[:4]) >= 2016 else OLD
    extra = pl.DataFrame(
        _pupil(year, inst, "extra", keys[:3], ["12", "12", "12"]),
        schema=dict.fromkeys(
            ["school_year", "institution_id", "pupil_id", "exam", "grade", "exception_code"],
            pl.String,
        ),
    )
    before = grade_average(df)
    after = grade_average(pl.concat([df.with_columns(pl.all().cast(pl.String)), extra]))
    joined = before.join(
        after, on=["school_year", "institution_id"], how="full", suffix="_after", coalesce=True
    )
    changed = joined.filter((pl.col("school_year") == year) & (pl.col("institution_id") == inst))
    n_before = changed["n_pupils"][0] or 0
    assert changed["n_pupils_after"][0] == n_before + 1
    assert (changed["n_pupils_included"][0] or 0) == changed["n_pupils_included_after"][0]
    a, b = changed["average"][0], changed["average_after"][0]
    assert (a is None and b is None) or math.isclose(a, b)


@given(exam_grade_frames())
def test_group_counts_add_up_and_shares_are_fractions(df: pl.DataFrame) -> None:
    by_school = grade_average(df)
    total = grade_average(df.with_columns(pl.lit("x").alias("all")), by=["all"])
    assert by_school["n_pupils"].sum() == (total["n_pupils"].sum() if total.height else 0)
    assert by_school["n_pupils_included"].sum() == (
        total["n_pupils_included"].sum() if total.height else 0
    )
    for fn in (share_passing_danish_and_math, share_took_all_bound_exams):
        shares = fn(df)["share"].drop_nulls()
        assert ((shares >= 0) & (shares <= 1)).all()
    averages = by_school["average"].drop_nulls()
    assert ((averages >= -3) & (averages <= 12)).all()


@given(exam_grade_frames(max_pupils=40))
def test_differential_against_plain_python(df: pl.DataFrame) -> None:
    rows = df.with_columns(pl.all().cast(pl.String)).to_dicts()
    expected = ref.grade_average(rows)
    out = grade_average(df)
    got = {(r["school_year"], r["institution_id"]): r for r in out.iter_rows(named=True)}
    assert set(got) == set(expected)
    for key, (n, n_inc, avg) in expected.items():
        r = got[key]
        assert (r["n_pupils"], r["n_pupils_included"]) == (n, n_inc)
        assert (avg is None and r["average"] is None) or math.isclose(avg, r["average"])  # type: ignore[arg-type]
    for denominator in ("took_all", "all_pupils"):
        exp = ref.share_passing(rows, denominator)
        got_p = share_passing_danish_and_math(df, denominator=denominator)  # type: ignore[arg-type]
        assert {
            (r["school_year"], r["institution_id"]): (r["n_pupils"], r["n_passing"])
            for r in got_p.iter_rows(named=True)
        } == exp
    exp_took = ref.took_all(rows)
    got_t = share_took_all_bound_exams(df)
    assert {
        (r["school_year"], r["institution_id"]): (r["n_pupils"], r["n_took_all"])
        for r in got_t.iter_rows(named=True)
    } == exp_took


@given(exam_grade_frames(max_pupils=20))
def test_eager_lazy_streaming_agree(df: pl.DataFrame) -> None:
    for fn in (
        grade_average,
        pupil_averages,
        subject_averages,
        share_passing_danish_and_math,
        share_took_all_bound_exams,
    ):
        eager = fn(df)
        assert_frame_equal(fn(df.lazy()).collect(engine="in-memory"), eager)
        assert_frame_equal(fn(df.lazy()).collect(engine="streaming"), eager)


def test_validate_false_gives_the_same_answer(example: pl.DataFrame) -> None:
    assert_frame_equal(grade_average(example, validate=False), grade_average(example))
    assert_frame_equal(
        share_passing_danish_and_math(example.lazy(), validate=False).collect(),
        share_passing_danish_and_math(example),
    )


def test_empty_input_gives_empty_result(example: pl.DataFrame) -> None:
    out = grade_average(example.clear())
    assert out.height == 0
    assert out.columns == [
        "school_year",
        "institution_id",
        "n_pupils",
        "n_pupils_included",
        "n_grades",
        "average",
        "std",
    ]


# --- bad input --------------------------------------------------------------------------------


ALL_FUNCTIONS = (
    pupil_averages,
    grade_average,
    subject_averages,
    share_passing_danish_and_math,
    share_took_all_bound_exams,
)


@given(broken_exam_grade_frames())
def test_every_breakage_is_a_data_error_naming_its_column(case: tuple[pl.DataFrame, str]) -> None:
    df, kind = case
    for fn in ALL_FUNCTIONS:
        for data in (df, df.lazy()):
            with pytest.raises(DataError) as info:
                fn(data)
            column = BREAKAGE_COLUMNS[kind]
            if column is not None:
                assert column in [p.column for p in info.value.problems], (kind, str(info.value))


def test_all_problems_reported_together(example: pl.DataFrame) -> None:
    broken = example.with_columns(
        pl.when(pl.col("pupil_id") == "a").then(pl.lit("03")).otherwise("grade").alias("grade"),
        pl.when(pl.col("pupil_id") == "b").then(pl.lit("tysk")).otherwise("exam").alias("exam"),
        pl.when(pl.col("pupil_id") == "d")
        .then(pl.lit("2017/19"))
        .otherwise("school_year")
        .alias("school_year"),
    )
    broken = pl.concat([broken, broken.filter(pl.col("pupil_id") == "e")])
    with pytest.raises(DataError) as info:
        grade_average(broken)
    text = str(info.value)
    assert "column 'grade': not a grade of the 7-trinsskala" in text
    assert "(8 rows); e.g. '03'" in text
    assert "column 'exam': unknown value" in text
    assert "e.g. 'tysk'" in text
    assert "column 'school_year': not a school year" in text
    assert "duplicated key" in text


def test_catalogue_problems_come_in_the_same_round(example: pl.DataFrame) -> None:
    # An unknown exam, an exam not bound that year, a bad grade and a future school
    # year: one DataError lists them all (the catalogue is no second round).
    broken = example.with_columns(
        pl.when(pl.col("pupil_id") == "a").then(pl.lit("03")).otherwise("grade").alias("grade"),
        pl.when(pl.col("pupil_id") == "b").then(pl.lit("tysk")).otherwise("exam").alias("exam"),
    ).with_columns(
        pl.when(pl.col("exam") == "faellesproeve")
        .then(pl.lit("fysik_kemi"))
        .otherwise("exam")
        .alias("exam")
    )
    future = example.filter(pl.col("pupil_id") == "c").with_columns(
        pl.lit("2025/26").alias("school_year")
    )
    for data in (pl.concat([broken, future]), pl.concat([broken, future]).lazy()):
        with pytest.raises(DataError) as info:
            grade_average(data)
        rules = {(p.column, p.rule.split(" (")[0]) for p in info.value.problems}
        assert ("grade", "not a grade of the 7-trinsskala") in rules
        assert ("exam", "unknown value") in rules
        assert ("exam", "not a bound delprøve in that school year") in rules
        assert ("school_year", "no confirmed list of bound exams for this school year") in rules
        tysk = next(p for p in info.value.problems if p.rule.startswith("unknown value"))
        not_bound = next(p for p in info.value.problems if p.rule.startswith("not a bound"))
        # the unknown exam is reported once, by its column, not again by the catalogue
        assert "tysk" not in " ".join(not_bound.examples)
        assert tysk.examples == ("'tysk'",)


def test_exam_not_bound_that_year(example: pl.DataFrame) -> None:
    broken = example.with_columns(
        pl.when(pl.col("exam") == "faellesproeve")
        .then(pl.lit("fysik_kemi"))
        .otherwise("exam")
        .alias("exam")
    )
    with pytest.raises(DataError, match="not a bound delprøve in that school year") as info:
        grade_average(broken)
    assert info.value.problems[0].n_rows == 5
    assert info.value.problems[0].examples == ("('2017/18', 'fysik_kemi')",)


@pytest.mark.parametrize("year", ["2025/26", "2005/06"])
def test_unconfirmed_years_are_refused(example: pl.DataFrame, year: str) -> None:
    broken = example.with_columns(pl.lit(year).alias("school_year"))
    with pytest.raises(DataError, match="no confirmed list of bound exams"):
        grade_average(broken)


def test_grade_and_code_together_or_neither(example: pl.DataFrame) -> None:
    both = example.with_columns(pl.lit("87").alias("exception_code"))
    with pytest.raises(DataError, match="both a grade and an exception code"):
        grade_average(both)
    neither = example.with_columns(
        pl.lit(None, pl.String).alias("grade"), pl.lit(None, pl.String).alias("exception_code")
    )
    with pytest.raises(DataError, match="neither a grade nor an exception code"):
        grade_average(neither)
    no_code_column = example.drop("exception_code")
    with pytest.raises(DataError, match="missing grade and no exception_code column"):
        grade_average(no_code_column)
    ok = example.filter(pl.col("grade").is_not_null()).drop("exception_code")
    assert grade_average(ok).height == 2


def test_unknown_exception_code(example: pl.DataFrame) -> None:
    broken = example.with_columns(pl.col("exception_code").replace({"87": "82"}))
    with pytest.raises(DataError, match="unknown exception code"):
        grade_average(broken)


def test_cpr_pupil_ids(example: pl.DataFrame) -> None:
    cpr = example.with_columns(pl.col("pupil_id").replace({"a": "0101901234"}))
    with pytest.raises(DataError, match="CPR"):
        grade_average(cpr)
    assert grade_average(cpr, allow_cpr=True).height == 2


def test_wrong_types_and_missing_by_column(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="wrong dtype") as info:
        grade_average(
            example.with_columns(pl.lit(1.5).alias("school_year")), by=["school_year", "kommune"]
        )
    assert [p.column for p in info.value.problems] == ["school_year", "kommune"]
    with pytest.raises(TypeError, match="polars DataFrame or LazyFrame"):
        grade_average(example.to_dicts())  # type: ignore[type-var]


def test_bad_options(example: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="method must be"):
        grade_average(example, method="median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="denominator must be"):
        share_passing_danish_and_math(example, denominator="some")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weights must be"):
        subject_averages(example, weights="heavy")  # type: ignore[arg-type]


def test_two_spellings_of_one_registration_are_duplicates(example: pl.DataFrame) -> None:
    again = example.filter(pl.col("pupil_id") == "a").with_columns(
        pl.lit("2017/2018").alias("school_year")
    )
    with pytest.raises(DataError, match="after normalising spellings") as info:
        pupil_averages(pl.concat([example, again]))
    assert info.value.problems[0].n_rows == 8
    spaced = example.filter(pl.col("pupil_id") == "a").with_columns(pl.col("exam") + " ")
    with pytest.raises(DataError, match="duplicated key"):
        grade_average(pl.concat([example, spaced]))


def test_a_pupil_belongs_to_one_institution_a_year(example: pl.DataFrame) -> None:
    moved = example.with_columns(
        pl.when((pl.col("pupil_id") == "a") & (pl.col("exam") == "faellesproeve"))
        .then(pl.lit("151009"))
        .otherwise("institution_id")
        .alias("institution_id")
    )
    with pytest.raises(DataError, match="must have one value per school_year, pupil_id") as info:
        grade_average(moved)
    assert info.value.problems[0].column == "institution_id"


def test_by_columns_must_be_pupil_attributes(example: pl.DataFrame) -> None:
    gender = example.with_columns(
        pl.when(pl.col("exam").cast(pl.String).str.starts_with("dansk"))
        .then(pl.lit("f"))
        .otherwise(pl.lit("m"))
        .alias("gender")
    )
    with pytest.raises(DataError, match="must have one value per school_year, pupil_id") as info:
        grade_average(gender, by=["school_year", "gender"])
    assert info.value.problems[0].column == "gender"
    consistent = example.with_columns((pl.col("pupil_id") < "c").alias("early"))
    assert grade_average(consistent, by=["school_year", "early"])["n_pupils"].to_list() == [1, 3, 2]
    for col in ("exam", "grade", "exception_code"):
        with pytest.raises(ValueError, match="by cannot contain"):
            grade_average(example, by=["school_year", col])


def test_cpr_numbers_never_appear_in_messages(example: pl.DataFrame) -> None:
    cpr = example.with_columns(pl.col("pupil_id").replace({"a": "010190-1234", "b": "0202021234"}))
    broken = pl.concat([cpr, cpr.filter(pl.col("pupil_id") == "010190-1234")]).with_columns(
        pl.when(pl.col("pupil_id") == "0202021234").then(None).otherwise("grade").alias("grade")
    )
    for allow in (False, True):
        with pytest.raises(DataError) as info:
            grade_average(broken, allow_cpr=allow)
        text = str(info.value)
        assert "duplicated key" in text
        assert "neither a grade nor an exception code" in text
        assert "1234" not in text
        assert "<hidden: looks like a CPR number>" in text


def test_option_bounds(example: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="min_exams must be at least 1"):
        grade_average(example, min_exams=0)
    with pytest.raises(ValueError, match="min_exams must be at least 1"):
        share_took_all_bound_exams(example, min_exams=0)
    with pytest.raises(ValueError, match="danish_oral_weight must be between 0 and 1"):
        share_passing_danish_and_math(example, danish_oral_weight=1.5)


def test_negative_zero_float_grade() -> None:
    df = pl.DataFrame(_pupil("2018/19", "1", "x", NEW[:4], ["00"] * 4)).with_columns(
        pl.Series("grade", [-0.0, 0.0, -0.0, 0.0])
    )
    assert pupil_averages(df)["average"].to_list() == [0.0]
