"""Level shares and good shares: hand-computed examples, properties, differential, bad input."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.national_tests import (
    LEVEL_ENUM,
    LEVELS,
    good_share,
    level_distribution,
    level_shares,
)
from folkeskolekvalitet.testing.national_tests import (
    broken_national_test_frames,
    national_test_frames,
)
from tests.conftest import Runner
from tests.national_tests import reference_impl as ref

KEYS = [lv.key for lv in LEVELS]


@pytest.fixture
def example() -> pl.DataFrame:
    """School 151001, 2018/19: ten 2. klasse readers and four 3. klasse maths pupils; one
    engelsk row (no criterion scale, left out); school 151002: two readers, one without a
    result.
    """
    reading = [
        "Fremragende præstation",
        "fremragende",
        "rigtig_god",
        "God præstation",
        "god",
        "god",
        "Jævn præstation",
        "jaevn",
        "Mangelfuld præstation",
        "ikke_tilstraekkelig",
    ]
    rows = [("2018/19", "151001", f"r{i}", "dansk_laesning", 2, lv) for i, lv in enumerate(reading)]
    rows += [
        ("2018/19", "151001", f"m{i}", "matematik", 3, lv)
        for i, lv in enumerate(["god", "god", "jaevn", "Ikke tilstrækkelig præstation"])
    ]
    rows += [("2018/19", "151001", "e0", "engelsk", 7, None)]
    rows += [
        ("2018/19", "151002", "x0", "dansk_laesning", 4, "Rigtig god"),
        ("2018/19", "151002", "x1", "dansk_laesning", 4, None),
    ]
    return pl.DataFrame(
        rows,
        schema={
            "school_year": pl.String,
            "institution_id": pl.String,
            "pupil_id": pl.String,
            "subject": pl.String,
            "grade_level": pl.Int64,
            "level": pl.String,
        },
        orient="row",
    )


def test_level_shares_by_hand(run: Runner, example: pl.DataFrame) -> None:
    out = run(level_shares, example)
    got = out.select(
        "institution_id",
        "subject",
        "grade_level",
        "n_pupils",
        "n_no_result",
        "n_good",
        "share_good",
        "n_best",
        "share_best",
        "n_poor",
        "share_poor",
    )
    expected = pl.DataFrame(
        {
            "institution_id": ["151001", "151001", "151002"],
            "subject": ["dansk_laesning", "matematik", "dansk_laesning"],
            "grade_level": [2, 3, 4],
            # reading: 2 fremragende, 1 rigtig god, 3 god, 2 jævn, 1 mangelfuld, 1 ikke
            "n_pupils": [10, 4, 1],
            "n_no_result": [0, 0, 1],
            "n_good": [6, 2, 1],
            "share_good": [0.6, 0.5, 1.0],
            "n_best": [2, 0, 0],
            "share_best": [0.2, 0.0, 0.0],
            "n_poor": [2, 1, 0],
            "share_poor": [0.2, 0.25, 0.0],
        },
        schema_overrides={
            "subject": out.schema["subject"],
            "grade_level": pl.Int8,
            **dict.fromkeys(("n_pupils", "n_no_result", "n_good", "n_best", "n_poor"), pl.UInt32),
        },
    )
    assert_frame_equal(got, expected)
    row = out.row(0, named=True)
    assert [row[f"n_{k}"] for k in KEYS] == [2, 1, 3, 2, 1, 1]
    assert row["share_jaevn"] == pytest.approx(0.2)


def test_level_shares_columns(example: pl.DataFrame) -> None:
    out = level_shares(example)
    assert out.columns[:13] == [
        "school_year",
        "institution_id",
        "subject",
        "grade_level",
        "n_pupils",
        "n_no_result",
        "n_good",
        "share_good",
        "n_best",
        "share_best",
        "n_poor",
        "share_poor",
        "n_fremragende",
    ]
    assert out.columns[-2:] == ["n_ikke_tilstraekkelig", "share_ikke_tilstraekkelig"]
    assert all(out.schema[c] == pl.UInt32 for c in out.columns if c.startswith("n_"))
    assert all(out.schema[c] == pl.Float64 for c in out.columns if c.startswith("share_"))


def test_level_shares_other_grouping(run: Runner, example: pl.DataFrame) -> None:
    out = run(level_shares, example, by="school_year")
    assert out.select("subject", "grade_level", "n_pupils").rows() == [
        ("dansk_laesning", 2, 10),
        ("dansk_laesning", 4, 1),
        ("matematik", 3, 4),
    ]


def test_no_result_gives_null_share(run: Runner, example: pl.DataFrame) -> None:
    df = example.filter(pl.col("pupil_id") == "x1")
    out = run(level_shares, df)
    assert out.select("n_pupils", "n_no_result", "share_good", "share_god").row(0) == (
        0,
        1,
        None,
        None,
    )


def test_level_distribution_keeps_zero_rows(run: Runner, example: pl.DataFrame) -> None:
    out = run(level_distribution, example)
    assert out.height == 3 * 6
    assert out.schema["level"] == LEVEL_ENUM
    maths = out.filter(pl.col("subject") == "matematik")
    assert maths.select("level", "n_level", "share").rows() == [
        ("fremragende", 0, 0.0),
        ("rigtig_god", 0, 0.0),
        ("god", 2, 0.5),
        ("jaevn", 1, 0.25),
        ("mangelfuld", 0, 0.0),
        ("ikke_tilstraekkelig", 1, 0.25),
    ]


def test_level_column_as_enum_gives_same_result(run: Runner, example: pl.DataFrame) -> None:
    typed = example.with_columns(
        pl.Series(
            "level", [None if v is None else ref.parse_level(v) for v in example["level"]]
        ).cast(LEVEL_ENUM)
    )
    assert_frame_equal(run(level_shares, typed), level_shares(example))


# --- properties -----------------------------------------------------------------------------


@given(national_test_frames(criterion_only=True))
@settings(max_examples=40, deadline=None)
def test_level_shares_sum_to_one(df: pl.DataFrame) -> None:
    out = level_shares(df)
    with_results = out.filter(pl.col("n_pupils") > 0)
    total = with_results.select(pl.sum_horizontal([f"share_{k}" for k in KEYS])).to_series()
    assert all(math.isclose(t, 1.0) for t in total)
    parts = with_results.select(
        pl.col("share_good") + pl.col("share_poor") + pl.col("share_jaevn")
    ).to_series()
    assert all(math.isclose(t, 1.0) for t in parts)
    counts = with_results.select(
        (pl.col("n_good") + pl.col("n_poor") + pl.col("n_jaevn") == pl.col("n_pupils")).all()
    ).item()
    assert counts
    assert (
        out.filter(pl.col("n_pupils") == 0)["share_good"].null_count()
        == out.filter(pl.col("n_pupils") == 0).height
    )
    assert (out["n_best"] <= out["n_good"]).all()


@given(national_test_frames())
@settings(max_examples=40, deadline=None)
def test_level_shares_match_reference(df: pl.DataFrame) -> None:
    got = level_shares(df)
    expected = ref.level_shares(df.to_dicts(), ("school_year", "institution_id"))
    assert got.height == len(expected)
    for row, exp in zip(got.iter_rows(named=True), expected, strict=True):
        row["subject"] = str(row["subject"])
        assert row.keys() == exp.keys()
        for key, value in exp.items():
            if isinstance(value, float):
                assert row[key] == pytest.approx(value), key
            else:
                assert row[key] == value, key


@given(national_test_frames())
@settings(max_examples=15, deadline=None)
def test_level_shares_modes_agree(df: pl.DataFrame) -> None:
    eager = level_shares(df)
    for engine in ("in-memory", "streaming"):
        lazy = level_shares(df.lazy()).collect(engine=engine)
        assert_frame_equal(lazy, eager)


@given(
    national_test_frames(regime="overgangstest"),
    st.integers(0, 60),
)
@settings(max_examples=30, deadline=None)
def test_good_share_matches_reference(df: pl.DataFrame, cut: int) -> None:
    for source in ("flag", "points"):
        out = good_share(df, cut_off=cut, source=source)  # type: ignore[arg-type]
        expected: dict[tuple[str, str, str, int], list[bool | None]] = {}
        for r in df.iter_rows(named=True):
            key = (r["school_year"], r["institution_id"], r["subject"], r["grade_level"])
            value = (
                r["good"]
                if source == "flag"
                else (None if r["points"] is None else r["points"] >= cut)
            )
            expected.setdefault(key, []).append(value)
        assert out.height == len(expected)
        for row in out.iter_rows(named=True):
            values = expected[
                (row["school_year"], row["institution_id"], str(row["subject"]), row["grade_level"])
            ]
            given_ = [v for v in values if v is not None]
            assert row["n_pupils"] == len(given_)
            assert row["n_no_result"] == len(values) - len(given_)
            assert row["n_good"] == sum(given_)
            assert row["share_good"] == (sum(given_) / len(given_) if given_ else None)


# --- good_share ----------------------------------------------------------------------------


@pytest.fixture
def linear() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": ["2022/23"] * 5 + ["2026/27"] * 3,
            "institution_id": "151001",
            "pupil_id": [f"p{i}" for i in range(8)],
            "subject": ["dansk_laesning"] * 3 + ["matematik"] * 2 + ["matematik"] * 3,
            "grade_level": [3, 3, 3, 7, 7, 7, 7, 7],
            "points": [30, 12, None, 41, 19, 20, 35, 50],
            "good": [True, False, None, True, False, None, None, None],
        }
    )


def test_good_share_from_flag(run: Runner, linear: pl.DataFrame) -> None:
    out = run(good_share, linear.filter(pl.col("school_year") == "2022/23"))
    assert out.select("school_year", "subject", "n_pupils", "n_no_result", "n_good").rows() == [
        ("2022/23", "dansk_laesning", 2, 1, 1),
        ("2022/23", "matematik", 2, 0, 1),
    ]
    assert out["share_good"].to_list() == [0.5, 0.5]


@pytest.mark.parametrize("validate", [True, False])
def test_faerdighedstest_without_flags_needs_a_cut_off(
    linear: pl.DataFrame, validate: bool
) -> None:
    """The færdighedstest delivers points only: an all-null flag is no result, but a mistake."""
    with pytest.raises(DataError, match="pass cut_off") as info:
        good_share(linear, validate=validate)
    assert "('2026/27', 'matematik')" in str(info.value)
    assert good_share(linear, cut_off=20).height == 3


def test_good_share_from_points(run: Runner, linear: pl.DataFrame) -> None:
    out = run(good_share, linear.drop("good"), cut_off=20)
    assert out.select("n_pupils", "n_good", "share_good").rows() == [
        (2, 1, 0.5),
        (2, 1, 0.5),
        (3, 3, 1.0),
    ]
    cut = {("dansk_laesning", 3): 10, ("matematik", 7): 36}
    out = run(good_share, linear, cut_off=cut)
    assert out.select("n_good").to_series().to_list() == [2, 1, 1]


def test_good_share_needs_a_cut_off_for_points(linear: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="no official"):
        good_share(linear, source="points")
    with pytest.raises(DataError, match="god til"):
        good_share(linear.drop("good"))
    with pytest.raises(DataError, match="no cut-off given"):
        good_share(linear, cut_off={("matematik", 7): 30})


def test_good_share_refuses_adaptive_years(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="use level_shares"):
        good_share(example.with_columns(pl.lit(value=True).alias("good")))


# --- bad input -----------------------------------------------------------------------------

EXPECTED_COLUMN = {
    "unknown_level": "level",
    "unknown_subject": "subject",
    "test_not_obligatory": "school_year, subject, grade_level",
    "level_for_other_subject": "level",
    "bad_school_year": "school_year",
    "year_before_regimes": "school_year",
    "linear_year": "school_year",
    "duplicate_row": "school_year, pupil_id, subject",
    "missing_column": None,
    "cpr_pupil_id": "pupil_id",
    "wrong_dtype": "grade_level",
    "bad_percentile": "percentile",
}


@given(broken_national_test_frames())
@settings(max_examples=40, deadline=None)
def test_broken_input_raises_data_error(case: tuple[pl.DataFrame, str]) -> None:
    df, kind = case
    with pytest.raises(DataError) as info:
        level_shares(df)
    columns = {p.column for p in info.value.problems}
    expected = EXPECTED_COLUMN[kind]
    if expected is not None:
        assert expected in columns, (kind, str(info.value))
    with pytest.raises(DataError):
        level_shares(df.lazy())


def test_not_obligatory_message(example: pl.DataFrame) -> None:
    df = example.with_columns(pl.lit("2016/17").alias("school_year")).with_columns(
        pl.when(pl.col("subject") == "matematik")
        .then(8)
        .otherwise("grade_level")
        .alias("grade_level")
    )
    with pytest.raises(DataError, match=r"matematik 8\. klasse only from 2017/18") as info:
        level_shares(df)
    assert "('2016/17', 'matematik', 8)" in str(info.value)


def test_linear_year_message(example: pl.DataFrame) -> None:
    df = example.filter(pl.col("subject") == "matematik").with_columns(
        pl.lit("2022/23").alias("school_year"), pl.lit(4).alias("grade_level")
    )
    with pytest.raises(DataError, match="no criterion levels: use good_share"):
        level_shares(df)


def test_missing_level_column(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="linear tests"):
        level_shares(example.drop("level"))


def test_not_a_frame() -> None:
    with pytest.raises(TypeError, match="polars DataFrame"):
        level_shares({"a": [1]})  # type: ignore[type-var]


@given(national_test_frames(school_years=("2016/17", "2017-2018", "2018/2019")))
@settings(max_examples=15, deadline=None)
def test_validate_false_gives_the_same_result(df: pl.DataFrame) -> None:
    assert_frame_equal(level_shares(df, validate=False), level_shares(df))
    assert_frame_equal(
        level_distribution(df.lazy(), validate=False).collect(), level_distribution(df)
    )


@given(national_test_frames(regime="overgangstest"))
@settings(max_examples=15, deadline=None)
def test_good_share_validate_false(df: pl.DataFrame) -> None:
    assert_frame_equal(good_share(df, validate=False), good_share(df))


@pytest.mark.parametrize("validate", [True, False])
def test_school_year_spellings(run: Runner, example: pl.DataFrame, validate: bool) -> None:
    df = example.with_columns(pl.lit("2018-2019").alias("school_year"))
    out = run(level_shares, df, validate=validate)
    assert_frame_equal(out, level_shares(example))


def test_validate_false_still_refuses_unknown_codes(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="not a criterion level"):
        level_shares(example.with_columns(pl.lit("godt").alias("level")), validate=False)
    with pytest.raises(DataError, match="subject"):
        level_shares(example.with_columns(pl.lit("tysk").alias("subject")), validate=False)
    with pytest.raises(DataError, match="not a school year"):
        level_shares(example.with_columns(pl.lit("2018/20").alias("school_year")), validate=False)


def test_every_problem_is_listed(example: pl.DataFrame) -> None:
    df = example.with_columns(
        pl.when(pl.col("pupil_id") == "r0").then(pl.lit("godt")).otherwise("level").alias("level"),
        pl.when(pl.col("pupil_id") == "r1")
        .then(pl.lit("010203-1234"))
        .otherwise("pupil_id")
        .alias("pupil_id"),
    ).with_columns(
        pl.when(pl.col("pupil_id") == "e0").then(pl.lit("god")).otherwise("level").alias("level"),
    )
    with pytest.raises(DataError) as info:
        level_shares(df)
    rules = [(p.column, p.rule[:30]) for p in info.value.problems]
    assert {c for c, _ in rules} == {"pupil_id", "level"}
    assert len(rules) == 3, rules


# --- review fixes: levels before 2014/15, parameters, reserved names -----------------------


@pytest.mark.parametrize("year", ["2013/14", "2009/10", "2013-2014"])
@pytest.mark.parametrize("validate", [True, False])
def test_no_criterion_levels_before_2014_15(
    example: pl.DataFrame, year: str, validate: bool
) -> None:
    early = example.with_columns(pl.lit(year).alias("school_year"))
    with pytest.raises(DataError, match="criterion level before 2014/15") as info:
        level_shares(early, validate=validate)
    assert info.value.problems[0].n_rows == example["level"].count()
    # Without levels (percentiles only) the year is fine: nobody has a result.
    out = level_shares(early.with_columns(pl.lit(None, dtype=pl.String).alias("level")))
    assert out["n_pupils"].sum() == 0


@pytest.mark.parametrize(
    "cut_off",
    [
        float("nan"),
        float("inf"),
        -5,
        True,
        "25",
        {("matematik", 4): float("nan")},
        {("matematik", "4"): 25},
        {("matematik", 300): 25},
        {("tysk", 4): 25},
        {"matematik": 25},
        {("matematik", True): 25},
    ],
)
def test_bad_cut_off(linear: pl.DataFrame, cut_off: object) -> None:
    with pytest.raises(ValueError, match="cut_off"):
        good_share(linear, cut_off=cut_off)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["level", "points", "good", "percentile", "n_pupils", "n_good", "share_good", "n_god"]
)
def test_by_must_not_use_result_or_output_names(example: pl.DataFrame, name: str) -> None:
    df = example if name in example.columns else example.with_columns(pl.lit(1).alias(name))
    for fn in (level_shares, level_distribution):
        with pytest.raises(ValueError, match="by must not contain"):
            fn(df, by=("school_year", name))
    with pytest.raises(ValueError, match="by must not contain"):
        good_share(df, by=("school_year", name))


def test_level_distribution_not_a_frame() -> None:
    with pytest.raises(TypeError, match="polars DataFrame"):
        level_distribution({"a": [1]})  # type: ignore[type-var]


@given(broken_national_test_frames(breakages=["year_before_regimes"]))
@settings(max_examples=60, deadline=None)
def test_year_before_regimes_is_the_only_breakage(case: tuple[pl.DataFrame, str]) -> None:
    """Issue 9, item 11: a 2007/08 row with a criterion level was reported on ``level``."""
    df, _ = case
    with pytest.raises(DataError) as info:
        level_shares(df)
    assert {p.column for p in info.value.problems} == {"school_year"}


# --- issue 11: one input pipeline, every problem of every kind in one round ------------------


def _many_problems() -> pl.DataFrame:
    rows = [
        ("2018/19", "151001", "a", "dansk_laesning", 2, "god"),
        ("2018/19", "151001", "a", "dansk_laesning", 2, "god"),  # duplicated key
        ("2018/19", "151001", "b", "tysk", 2, "god"),  # unknown subject
        ("2018/19", "151001", "c", "matematik", 3, "godt"),  # not a level
        ("2007/08", "151001", "d", "matematik", 3, None),  # no regime (outside the catalogue)
        ("2016/17", "151001", "e", "matematik", 8, "god"),  # not obligatory that year
        ("2013/14", "151001", "f", "matematik", 3, "god"),  # a level before 2014/15
        ("2018/19", "151001", "g", "engelsk", 7, "god"),  # a level without a criterion scale
        ("2023/24", "151001", "h", "matematik", 4, None),  # a year of the linear tests
    ]
    return pl.DataFrame(
        rows,
        schema=["school_year", "institution_id", "pupil_id", "subject", "grade_level", "level"],
        orient="row",
    )


@pytest.mark.parametrize("lazy", [False, True])
def test_every_kind_of_problem_in_one_error(lazy: bool) -> None:
    """Schema-free problems of every kind (value, key, catalogue, levels) come together."""
    df = _many_problems()
    with pytest.raises(DataError) as info:
        level_shares(df.lazy() if lazy else df)
    found = [(p.column, p.rule.split(" (")[0]) for p in info.value.problems]
    assert sorted(found) == sorted(
        [
            ("subject", "unknown value"),
            ("level", "not a criterion level"),
            (
                "school_year, pupil_id, subject",
                "duplicated key: 1 row repeat a key already present",
            ),
            ("level", "a criterion level before 2014/15"),
            (
                "school_year",
                "no national test regime: the nationale test became obligatory in 2009/10",
            ),
            ("school_year", "wrong rule: a year of the Folkeskolens Nationale Overgangstest"),
            ("level", "a criterion level for a subject without a criterion scale"),
            ("school_year, subject, grade_level", "no such obligatory test that school year"),
        ]
    ), str(info.value)
    assert all(p.n_rows == 1 for p in info.value.problems if p.n_rows is not None)


def test_validate_false_reports_its_problems_together() -> None:
    """Without validation, the codes the rules must read are still checked, in one round."""
    with pytest.raises(DataError) as info:
        level_shares(_many_problems(), validate=False)
    rules = {p.rule.split(" (")[0] for p in info.value.problems}
    assert rules == {"unknown value", "not a criterion level", "a criterion level before 2014/15"}


def test_schema_and_value_problems_together(example: pl.DataFrame) -> None:
    """A missing result column and a wrong dtype come with the value and catalogue problems."""
    df = example.drop("level").with_columns(
        pl.col("grade_level").cast(pl.Float64),
        pl.when(pl.col("pupil_id") == "r0")
        .then(pl.lit("tysk"))
        .otherwise("subject")
        .alias("subject"),
    )
    with pytest.raises(DataError) as info:
        level_shares(df)
    assert {p.column for p in info.value.problems} == {"level", "grade_level", "subject"}
    with pytest.raises(DataError) as info:
        good_share(df, cut_off=3)
    # 2018/19 is a year of the adaptive test: the wrong rule, reported in the same round
    assert {p.column for p in info.value.problems} == {
        "good, points",
        "grade_level",
        "subject",
        "school_year",
    }


def test_a_pupil_may_take_tests_at_two_institutions(example: pl.DataFrame) -> None:
    # each test counts where it was taken: m0 took matematik at 151001 and, after moving,
    # dansk_laesning at 151002
    moved = example.with_columns(
        pl.when(pl.col("pupil_id") == "x0")
        .then(pl.lit("m0"))
        .otherwise("pupil_id")
        .alias("pupil_id")
    )
    assert moved.filter(pl.col("pupil_id") == "m0")["institution_id"].n_unique() == 2
    assert_frame_equal(level_shares(moved), level_shares(example))
    # subject and klassetrin vary within a pupil: grouping by them is fine
    out = level_shares(moved, by=("school_year", "subject"))
    assert out["n_pupils"].sum() == example["level"].count()


@pytest.mark.parametrize("validate", [True, False])
def test_text_klassetrin_problems_come_with_the_others(validate: bool) -> None:
    """A klassetrin written as text that is none is reported with every other problem."""
    df = pl.DataFrame(
        {
            "school_year": "2018/19",
            "institution_id": "151001",
            "pupil_id": ["a", "b", "c"],
            "subject": ["dansk_laesning", "dansk_laesning", "matematik"],
            "grade_level": ["2. klasse", "2.a", "3"],
            "level": ["god", "godt", "god"],
        }
    )
    with pytest.raises(DataError) as info:
        level_shares(df, validate=validate)
    assert {(p.column, p.rule[:18]) for p in info.value.problems} == {
        ("grade_level", "not a klassetrin ("),
        ("level", "not a criterion le"),
    }
    out = level_shares(df.filter(pl.col("pupil_id") != "b"), validate=validate)
    assert out.select("grade_level", "n_pupils").rows() == [(2, 1), (3, 1)]
