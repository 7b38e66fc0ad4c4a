"""coverage(): hand-computed examples, every rule, properties, a differential test, bad input."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.competence import (
    COVERAGE_COLUMNS,
    SUBJECT_ENUM,
    SUBJECTS,
    coverage,
)
from folkeskolekvalitet.testing.competence import (
    broken_lesson_frames,
    lesson_frames,
    lesson_total_frames,
)
from tests.competence import reference_impl as ref
from tests.conftest import Runner

BUCKETS = (
    "lessons_excluded",
    "lessons_co_teaching",
    "lessons_special",
    "lessons_other_grades",
    "lessons_total",
)


def lessons_frame(rows: list[tuple[Any, ...]], year: str = "2017/18") -> pl.DataFrame:
    """Rows of (institution, class, type, grade, subject, teacher, lessons, competence, count)."""
    return pl.DataFrame(
        rows,
        schema=[
            "institution_id",
            "class_id",
            "class_type",
            "grade_level",
            "subject",
            "teacher_id",
            "lessons",
            "competence",
            "teacher_competence_count",
        ],
        orient="row",
    ).select(
        pl.lit(year).alias("school_year"),
        pl.col("institution_id").str.slice(0, 3).alias("municipality_code"),
        pl.all(),
    )


@pytest.fixture
def example() -> pl.DataFrame:
    """Two schools in Ballerup (151) and one in Kalundborg (326), with every rule at work.

    151001: 1a dansk co-taught (t1 300 linjefag, t2 100 none) -> 300 counted, covered;
            1a matematik t3 150 none -> not covered; 2a dansk t4 has 7 competences -> left out;
            3s (special) dansk 300 -> left out; 0a (bhk) dansk 50 -> outside 1.-10.
    151002: 5a engelsk t5 90 tilsvarende; 5a natur/teknologi tie t6/t7 60/60
            (t6 none, t7 linjefag) -> lowest id t6 counts: not covered.
    326001: 9a fysik/kemi t8 80 linjefag (6 competences: still counted).
    """
    return lessons_frame(
        [
            ("151001", "1a", "normal", 1, "dansk", "t1", 300, "undervisningskompetence", 2),
            ("151001", "1a", "normal", 1, "dansk", "t2", 100, "ingen", 1),
            ("151001", "1a", "normal", 1, "matematik", "t3", 150, "ingen", 1),
            ("151001", "2a", "normal", 2, "dansk", "t4", 300, "tilsvarende", 7),
            ("151001", "3s", "special", 3, "dansk", "t1", 300, "undervisningskompetence", 2),
            ("151001", "0a", "normal", 0, "dansk", "t2", 50, "ingen", 1),
            ("151002", "5a", "normal", 5, "engelsk", "t5", 90, "tilsvarende", 3),
            ("151002", "5a", "normal", 5, "natur_teknologi", "t6", 60, "ingen", 2),
            (
                "151002",
                "5a",
                "normal",
                5,
                "natur_teknologi",
                "t7",
                60,
                "undervisningskompetence",
                2,
            ),
            ("326001", "9a", "normal", 9, "fysik_kemi", "t8", 80, "undervisningskompetence", 6),
        ]
    )


def test_example_by_municipality(run: Runner, example: pl.DataFrame) -> None:
    out = run(coverage, example)
    assert out.columns == ["school_year", "municipality_code", *COVERAGE_COLUMNS]
    rows = {r["municipality_code"]: r for r in out.iter_rows(named=True)}
    ballerup = rows["151"]
    # counted: 300 (1a dansk, t1) + 150 (1a mat) + 90 (engelsk) + 60 (n/t, t6) = 600
    assert ballerup["lessons_total"] == 600.0
    assert ballerup["lessons_competent"] == 390.0  # 300 + 90
    assert ballerup["share"] == pytest.approx(0.65)
    assert ballerup["n_class_subjects"] == 4
    assert ballerup["n_teachers"] == 4  # t1, t3, t5, t6
    assert ballerup["n_teachers_excluded"] == 1
    assert ballerup["lessons_excluded"] == 300.0
    assert ballerup["lessons_co_teaching"] == 160.0  # t2 100 + t7 60
    assert ballerup["lessons_special"] == 300.0
    assert ballerup["lessons_other_grades"] == 50.0
    kalundborg = rows["326"]
    assert (kalundborg["lessons_total"], kalundborg["share"]) == (80.0, 1.0)
    assert kalundborg["n_teachers_excluded"] == 0


def test_output_dtypes_and_order(example: pl.DataFrame) -> None:
    out = coverage(example, by=["school_year", "institution_id"])
    assert out["institution_id"].to_list() == ["151001", "151002", "326001"]
    assert out.schema["n_class_subjects"] == pl.UInt32
    assert out.schema["n_teachers_excluded"] == pl.UInt32
    for col in BUCKETS:
        assert out.schema[col] == pl.Float64
    assert out.schema["share"] == pl.Float64


@pytest.mark.parametrize(
    ("ties", "expected"),
    [("teacher_id", 0.0), ("competent", 1.0), ("not_competent", 0.0)],
)
def test_ties(run: Runner, example: pl.DataFrame, ties: str, expected: float) -> None:
    nt = example.filter(pl.col("subject") == "natur_teknologi")
    out = run(coverage, nt, by="institution_id", ties=ties)
    assert out.select("lessons_total", "lessons_co_teaching", "share").row(0) == (
        60.0,
        60.0,
        expected,
    )


def test_tie_goes_to_lowest_id_whatever_the_row_order(example: pl.DataFrame) -> None:
    nt = example.filter(pl.col("subject") == "natur_teknologi")
    swapped = nt.with_columns(
        pl.col("teacher_id").replace_strict({"t6": "t7", "t7": "t6"}, return_dtype=pl.String)
    )
    # now t6 (lowest id) has linjefag
    assert coverage(swapped, by="institution_id")["share"].to_list() == [1.0]
    assert coverage(swapped.reverse(), by="institution_id")["share"].to_list() == [1.0]


def test_integer_teacher_ids_tie_in_numeric_order() -> None:
    df = lessons_frame(
        [
            ("151001", "5a", "normal", 5, "dansk", "x", 60, "ingen", 2),
            ("151001", "5a", "normal", 5, "dansk", "y", 60, "undervisningskompetence", 2),
        ]
    ).with_columns(pl.Series("teacher_id", [10, 9]))
    # 9 < 10 numerically (as text "10" < "9"): teacher 9 (covered) counts
    assert coverage(df)["share"].to_list() == [1.0]


def test_six_competences_count_seven_do_not() -> None:
    df = lessons_frame(
        [
            ("151001", "5a", "normal", 5, "dansk", "a", 100, "undervisningskompetence", 6),
            ("151001", "5b", "normal", 5, "dansk", "b", 100, "undervisningskompetence", 7),
        ]
    )
    out = coverage(df)
    assert out.select("lessons_total", "lessons_excluded", "n_teachers_excluded").row(0) == (
        100.0,
        100.0,
        1,
    )
    assert coverage(df, max_competences=7)["lessons_total"].to_list() == [200.0]


def test_excluded_main_teacher_leaves_the_co_teacher(example: pl.DataFrame) -> None:
    df = lessons_frame(
        [
            ("151001", "5a", "normal", 5, "dansk", "a", 200, "undervisningskompetence", 8),
            ("151001", "5a", "normal", 5, "dansk", "b", 50, "ingen", 1),
        ]
    )
    out = coverage(df)
    assert out.select("lessons_total", "lessons_excluded", "share").row(0) == (50.0, 200.0, 0.0)


def test_grade_levels(run: Runner, example: pl.DataFrame) -> None:
    upper = run(coverage, example, grade_levels=range(4, 11)).filter(
        pl.col("municipality_code") == "151"
    )
    # 1a and 2a are outside 4-10 now; the excluded teacher is in 2a, so no exclusion
    assert upper.select("lessons_total", "lessons_other_grades", "lessons_excluded").row(0) == (
        150.0,
        50.0 + 400.0 + 150.0 + 300.0,
        0.0,
    )


def test_grade_levels_target_drops_indskoling_from_2025() -> None:
    rows = [
        ("151001", "2a", "normal", 2, "dansk", "a", 100, "ingen", 1),
        ("151001", "5a", "normal", 5, "dansk", "b", 100, "undervisningskompetence", 1),
    ]
    both = pl.concat([lessons_frame(rows, "2024/25"), lessons_frame(rows, "2025/26")])
    out = coverage(both, grade_levels="target")
    assert out.select("school_year", "lessons_total", "lessons_other_grades", "share").rows() == [
        ("2024/25", 200.0, 0.0, 0.5),
        ("2025/26", 100.0, 100.0, 1.0),
    ]


def test_linjefag_only(example: pl.DataFrame) -> None:
    out = coverage(example, include_equivalent=False).filter(pl.col("municipality_code") == "151")
    assert out["lessons_competent"].to_list() == [300.0]  # the engelsk tilsvarende no longer counts


def test_co_teaching_all_counts_every_teacher(run: Runner, example: pl.DataFrame) -> None:
    out = run(coverage, example, co_teaching="all").filter(pl.col("municipality_code") == "151")
    row = out.row(0, named=True)
    assert (row["lessons_total"], row["lessons_competent"]) == (760.0, 450.0)
    assert (row["lessons_co_teaching"], row["n_class_subjects"], row["n_teachers"]) == (0.0, 4, 6)


def test_by_subject_keeps_empty_subjects(run: Runner, example: pl.DataFrame) -> None:
    out = run(coverage, example, by=["municipality_code", "subject"])
    assert out.height == 2 * len(SUBJECTS)
    assert out.schema["subject"] == SUBJECT_ENUM
    tysk = out.filter((pl.col("municipality_code") == "151") & (pl.col("subject") == "tysk"))
    assert tysk.select("n_class_subjects", "lessons_total", "share").row(0) == (0, 0.0, None)
    dansk = out.filter((pl.col("municipality_code") == "151") & (pl.col("subject") == "dansk"))
    assert dansk.select("lessons_total", "lessons_special", "lessons_excluded").row(0) == (
        300.0,
        300.0,
        300.0,
    )


def test_the_empty_subjects_do_not_compute_the_coverage_twice(example: pl.DataFrame) -> None:
    # The groups of the zero rows are read from the lessons: read from the result, Polars
    # computed the whole coverage a second time (a pruned copy it does not share), and the
    # indicator table's competence took twice as long.
    lazy = example.lazy()
    plain = coverage(lazy, by=["municipality_code"], validate=False).explain()
    subjects = coverage(lazy, by=["municipality_code", "subject"], validate=False).explain()
    # (one more read of the lessons for their groups, and the list of subjects)
    assert subjects.count("DF [") <= plain.count("DF [") + 3
    assert subjects.count("AGGREGATE") == plain.count("AGGREGATE")


def test_by_class_type_shows_special_lessons(example: pl.DataFrame) -> None:
    out = coverage(example, by=["municipality_code", "class_type"])
    special = out.filter(pl.col("class_type") == "special")
    assert special["lessons_special"].to_list() == [300.0, 0.0]
    assert special["share"].to_list() == [None, None]


def test_no_grouping(example: pl.DataFrame) -> None:
    out = coverage(example, by=())
    assert out.columns == list(COVERAGE_COLUMNS)
    assert out.select("lessons_total", "lessons_competent").row(0) == (680.0, 470.0)


def test_lazy_stays_lazy(example: pl.DataFrame) -> None:
    assert isinstance(coverage(example.lazy()), pl.LazyFrame)


def test_other_spellings_and_enum_codes(example: pl.DataFrame) -> None:
    messy = example.with_columns(
        pl.lit("2017-2018").alias("school_year"),
        pl.col("municipality_code").cast(pl.Int64),
        (pl.lit(" ") + pl.col("subject") + pl.lit(" ")).alias("subject"),
        pl.col("grade_level").cast(pl.Int8),
        pl.col("lessons").cast(pl.Int32),
    )
    assert_frame_equal(coverage(messy), coverage(example))


def test_validate_false_gives_the_same_answer(example: pl.DataFrame) -> None:
    assert_frame_equal(coverage(example, validate=False), coverage(example))


def test_empty_input(example: pl.DataFrame) -> None:
    out = coverage(example.clear())
    assert out.height == 0
    assert out.columns == ["school_year", "municipality_code", *COVERAGE_COLUMNS]


def test_share_null_without_counted_lessons(example: pl.DataFrame) -> None:
    out = coverage(example.filter(pl.col("class_type") == "special"))
    assert out.select("lessons_total", "share").row(0) == (0.0, None)


# -- the totals form ---------------------------------------------------------


def _totals_of(df: pl.DataFrame) -> pl.DataFrame:
    """Aggregate the counted lessons of the example by municipality and subject."""
    out = coverage(df, by=["school_year", "municipality_code", "subject"])
    return out.filter(pl.col("lessons_total") > 0).select(
        "school_year",
        "municipality_code",
        pl.col("subject").cast(pl.String),
        "lessons_competent",
        (pl.col("lessons_total") - pl.col("lessons_competent")).alias("lessons_not_competent"),
    )


def test_totals_form_gives_the_same_shares(run: Runner, example: pl.DataFrame) -> None:
    totals = _totals_of(example)
    got = run(coverage, totals)
    want = coverage(example)
    assert_frame_equal(
        got.select("municipality_code", "lessons_total", "lessons_competent", "share"),
        want.select("municipality_code", "lessons_total", "lessons_competent", "share"),
    )
    assert got["n_teachers"].null_count() == got.height
    assert got["lessons_co_teaching"].null_count() == got.height
    assert got["lessons_special"].null_count() == got.height


def test_totals_form_applies_class_type_and_grade_level(run: Runner) -> None:
    totals = pl.DataFrame(
        {
            "school_year": ["2025/26"] * 4,
            "municipality_code": ["151"] * 4,
            "class_type": ["normal", "normal", "special", "normal"],
            "grade_level": [5, 2, 5, 0],
            "lessons_competent": [90.0, 10.0, 5.0, 1.0],
            "lessons_not_competent": [10.0, 90.0, 5.0, 1.0],
        }
    )
    out = run(coverage, totals, form="totals")
    assert out.select("lessons_total", "lessons_special", "lessons_other_grades", "share").row(
        0
    ) == (200.0, 10.0, 2.0, 0.5)
    target = run(coverage, totals, grade_levels="target")
    assert target.select("lessons_total", "lessons_other_grades", "share").row(0) == (
        100.0,
        102.0,
        0.9,
    )


def test_totals_form_by_subject_keeps_empty_subjects() -> None:
    totals = pl.DataFrame(
        {
            "school_year": ["2018/19"],
            "subject": ["dansk"],
            "lessons_competent": [3.0],
            "lessons_not_competent": [1.0],
        }
    )
    out = coverage(totals, by=["school_year", "subject"])
    assert out.height == len(SUBJECTS)
    assert out.filter(pl.col("subject") == "dansk")["share"].to_list() == [0.75]
    assert out.filter(pl.col("subject") == "tysk")["lessons_total"].to_list() == [0.0]


def test_totals_need_grade_level_for_a_grade_scope() -> None:
    totals = pl.DataFrame(
        {"school_year": ["2018/19"], "lessons_competent": [3.0], "lessons_not_competent": [1.0]}
    )
    with pytest.raises(DataError, match="grade_level"):
        coverage(totals, by="school_year", grade_levels="target")


def test_totals_problems_come_in_one_round() -> None:
    # the missing grade_level (needed for the scope), a missing grouping column and a
    # negative number of lessons: one error listing all three
    totals = pl.DataFrame(
        {"school_year": ["2018/19"], "lessons_competent": [-3.0], "lessons_not_competent": [1.0]}
    )
    with pytest.raises(DataError) as info:
        coverage(totals, by=["school_year", "municipality_code"], grade_levels="target")
    columns = {p.column for p in info.value.problems}
    assert {"grade_level", "municipality_code"} <= columns
    assert "needed to restrict aggregated rows" in str(info.value)


def test_totals_missing_by_column() -> None:
    totals = pl.DataFrame(
        {"school_year": ["2018/19"], "lessons_competent": [3.0], "lessons_not_competent": [1.0]}
    )
    with pytest.raises(DataError, match="municipality_code"):
        coverage(totals)


def test_both_forms_at_once_is_ambiguous(example: pl.DataFrame) -> None:
    both = example.with_columns(pl.lit(1.0).alias("lessons_competent"))
    with pytest.raises(DataError, match="both input forms"):
        coverage(both)
    # naming the form settles it
    assert coverage(both, form="lessons").height == 2


@given(lesson_total_frames())
def test_totals_properties(df: pl.DataFrame) -> None:
    out = coverage(df)
    normal = df.filter(pl.col("class_type") == "normal")
    in_scope = normal.filter(pl.col("grade_level").is_between(1, 10))
    total_in = (df["lessons_competent"] + df["lessons_not_competent"]).sum()
    buckets = out.select(
        pl.col("lessons_total", "lessons_special", "lessons_other_grades").sum()
    ).row(0)
    assert sum(buckets) == pytest.approx(total_in)
    assert out["lessons_competent"].sum() == pytest.approx(in_scope["lessons_competent"].sum())


# -- properties ----------------------------------------------------------------


@given(lesson_frames())
def test_every_lesson_lands_in_one_bucket(df: pl.DataFrame) -> None:
    out = coverage(df, by=["school_year", "institution_id"])
    assert out.select(pl.sum_horizontal(BUCKETS).sum()).item() == pytest.approx(df["lessons"].sum())
    assert (out["lessons_competent"] <= out["lessons_total"]).all()
    shares = out["share"].drop_nulls()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert (out["share"].is_null() == (out["lessons_total"] == 0)).all()


@settings(max_examples=30)
@given(lesson_frames())
def test_groups_add_up(df: pl.DataFrame) -> None:
    fine = coverage(df, by=["school_year", "institution_id", "grade_level"])
    coarse = coverage(df, by=["school_year"])
    summed = (
        fine.group_by("school_year")
        .agg(pl.col("n_class_subjects", *BUCKETS, "lessons_competent").sum())
        .sort("school_year")
    )
    assert_frame_equal(
        summed,
        coarse.select("school_year", "n_class_subjects", *BUCKETS, "lessons_competent"),
        check_dtypes=False,
    )


@settings(max_examples=25)
@given(lesson_frames())
def test_tie_rules_bound_the_share(df: pl.DataFrame) -> None:
    def competent(ties: str) -> list[float]:
        return coverage(df, ties=ties)["lessons_competent"].to_list()

    low, mid, high = competent("not_competent"), competent("teacher_id"), competent("competent")
    assert all(a <= b <= c for a, b, c in zip(low, mid, high, strict=True))


@settings(max_examples=25)
@given(lesson_frames(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(df: pl.DataFrame, rnd: Any) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = df[order]
    assert_frame_equal(coverage(shuffled), coverage(df))


@settings(max_examples=30)
@given(lesson_frames(max_rows=60))
def test_differential_against_plain_python(df: pl.DataFrame) -> None:
    rows = df.with_columns(pl.col(pl.Enum).cast(pl.String)).to_dicts()
    for by in (
        ["school_year", "municipality_code"],
        ["school_year", "institution_id", "grade_level"],
    ):
        for ties in ("teacher_id", "competent"):
            want = ref.coverage(rows, by, ties=ties)
            got = coverage(df, by=by, ties=ties)
            got_map = {tuple(r[c] for c in by): r for r in got.iter_rows(named=True)}
            assert set(got_map) == set(want)
            for key, w in want.items():
                g = got_map[key]
                for col, value in w.items():
                    if value is None or isinstance(value, int):
                        assert g[col] == value, (key, col)
                    else:
                        assert math.isclose(g[col], value, abs_tol=1e-9), (key, col)


@settings(max_examples=20)
@given(lesson_frames(max_rows=30))
def test_eager_lazy_streaming_agree(df: pl.DataFrame) -> None:
    for kwargs in ({}, {"by": ["school_year", "subject"]}, {"co_teaching": "all"}):
        eager = coverage(df, **kwargs)
        assert_frame_equal(coverage(df.lazy(), **kwargs).collect(engine="in-memory"), eager)
        assert_frame_equal(coverage(df.lazy(), **kwargs).collect(engine="streaming"), eager)


# -- bad input -------------------------------------------------------------------


@given(broken_lesson_frames())
def test_every_breakage_is_a_data_error(case: tuple[pl.DataFrame, str]) -> None:
    df, _kind = case
    with pytest.raises(DataError):
        coverage(df)


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("unknown_subject", "subject"),
        ("unknown_competence", "competence"),
        ("unknown_class_type", "class_type"),
        ("negative_lessons", "lessons"),
        ("nan_lessons", "lessons"),
        ("grade_level_out_of_range", "grade_level"),
        ("negative_competence_count", "teacher_competence_count"),
        ("competence_without_count", "teacher_competence_count"),
        ("bad_school_year", "school_year"),
        ("bad_municipality_code", "municipality_code"),
        ("duplicate_row", "teacher_id"),
        ("wrong_dtype", "lessons"),
    ],
)
def test_each_breakage_names_its_column(example: pl.DataFrame, kind: str, column: str) -> None:
    df = example
    idx = pl.int_range(pl.len()) == 0

    def put(name: str, value: object) -> pl.DataFrame:
        return df.with_columns(pl.when(idx).then(pl.lit(value)).otherwise(pl.col(name)).alias(name))

    broken = {
        "unknown_subject": lambda: put("subject", "svømning"),
        "unknown_competence": lambda: put("competence", "linjefag"),
        "unknown_class_type": lambda: put("class_type", "modtageklasse"),
        "negative_lessons": lambda: put("lessons", -1),
        "nan_lessons": lambda: df.with_columns(pl.col("lessons").cast(pl.Float64)).pipe(
            lambda d: d.with_columns(
                pl.when(idx).then(float("nan")).otherwise(pl.col("lessons")).alias("lessons")
            )
        ),
        "grade_level_out_of_range": lambda: put("grade_level", 11),
        "negative_competence_count": lambda: put("teacher_competence_count", -2),
        "competence_without_count": lambda: put("teacher_competence_count", 0),
        "bad_school_year": lambda: put("school_year", "2017/19"),
        "bad_municipality_code": lambda: put("municipality_code", "K151"),
        "duplicate_row": lambda: pl.concat([df, df.head(1)]),
        "wrong_dtype": lambda: df.with_columns(pl.col("lessons").cast(pl.String)),
    }[kind]()
    with pytest.raises(DataError) as err:
        coverage(broken)
    assert any(column in p.column for p in err.value.problems), err.value


def test_all_problems_reported_together(example: pl.DataFrame) -> None:
    broken = example.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("svømning"))
        .otherwise("subject")
        .alias("subject"),
        pl.when(pl.int_range(pl.len()) == 1).then(-5).otherwise("lessons").alias("lessons"),
        pl.when(pl.int_range(pl.len()) == 2).then(12).otherwise("grade_level").alias("grade_level"),
    )
    with pytest.raises(DataError) as err:
        coverage(broken)
    assert {p.column for p in err.value.problems} >= {"subject", "lessons", "grade_level"}


def test_missing_columns_listed(example: pl.DataFrame) -> None:
    with pytest.raises(DataError) as err:
        coverage(example.drop("competence", "teacher_competence_count"))
    assert {p.column for p in err.value.problems} == {"competence", "teacher_competence_count"}


def test_teacher_columns_cannot_be_grouping_columns(example: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="teacher-level"):
        coverage(example, by=["teacher_id"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"co_teaching": "some"},
        {"ties": "random"},
        {"form": "wide"},
        {"grade_levels": "indskoling"},
    ],
)
def test_bad_parameters(example: pl.DataFrame, kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        coverage(example, **kwargs)  # type: ignore[arg-type]


def test_not_a_polars_frame(example: pl.DataFrame) -> None:
    with pytest.raises(TypeError, match="polars"):
        coverage(example.to_dicts())  # type: ignore[type-var]
