"""The absence indicators: hand-computed examples, properties, a differential test, bad input."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.absence import (
    KALUNDBORG_PLAN,
    AbsenceRule,
    absence_rates,
    pupil_absence,
    quarterly_flags,
    share_above,
)
from folkeskolekvalitet.testing.absence import absence_frames, broken_absence_frames
from tests.absence import reference_impl as ref
from tests.conftest import Runner


def _records(rows: list[tuple[Any, ...]], *, quarterly: bool = False) -> pl.DataFrame:
    names = [
        "school_year",
        *(["quarter"] if quarterly else []),
        "municipality_code",
        "institution_id",
        "pupil_id",
        "school_days",
        "sick_days",
        "authorised_days",
        "unauthorised_days",
        "months_registered",
    ]
    return pl.DataFrame(rows, schema=names, orient="row")


@pytest.fixture
def example() -> pl.DataFrame:
    """Five pupil units of Kalundborg (326) in 2018/19, hand-computed in the tests below.

    a: 5 % of 200 days, 11 months; b: 2 % of 100 days, 5 months; c: no school days and
    0 months (counts for nothing); d: 12 % (5 % sick, 2 % authorised, 5 % unauthorised);
    e: 1 unauthorised day of 50, 2 months.
    """
    y, m = "2018/19", "326"
    return _records(
        [
            (y, m, "326001", "a", 200, 6, 2, 2, 11),
            (y, m, "326001", "b", 100, 2, 0, 0, 5),
            (y, m, "326001", "c", 0, 0, 0, 0, 0),
            (y, m, "326002", "d", 200, 10, 4, 10, 11),
            (y, m, "326002", "e", 50, 0, 0, 1, 2),
        ]
    )


def test_pupil_absence_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(pupil_absence, example)
    assert out.columns == [
        "school_year",
        "institution_id",
        "pupil_id",
        "school_days",
        "sick_days",
        "authorised_days",
        "unauthorised_days",
        "months_registered",
        "frac_sick",
        "frac_authorised",
        "frac_unauthorised",
        "frac_total",
    ]
    assert out["pupil_id"].to_list() == ["a", "b", "c", "d", "e"]
    assert out["frac_total"].to_list() == pytest.approx([0.05, 0.02, None, 0.12, 0.02])
    assert out["frac_sick"][3] == pytest.approx(0.05)
    assert out["frac_unauthorised"][4] == pytest.approx(0.02)


def test_absence_rates_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(absence_rates, example)
    assert out["institution_id"].to_list() == ["326001", "326002"]
    assert out["n_pupils"].to_list() == [2, 2]
    assert out["n_pupils_excluded"].to_list() == [1, 0]
    assert out["months_registered"].to_list() == [16.0, 13.0]
    # 326001: (11 * 0.03 + 5 * 0.02) / 16 and (11 * 0.05 + 5 * 0.02) / 16
    assert out["rate_sick"][0] == pytest.approx(0.43 / 16)
    assert out["rate_authorised"][0] == pytest.approx(0.11 / 16)
    assert out["rate_total"][0] == pytest.approx(0.65 / 16)
    # 326002: (11 * 0.05 + 2 * 0.02) / 13 unauthorised; (11 * 0.12 + 2 * 0.02) / 13 total
    assert out["rate_unauthorised"][1] == pytest.approx(0.59 / 13)
    assert out["rate_total"][1] == pytest.approx(1.36 / 13)
    assert out.schema["n_pupils"] == pl.UInt32


def test_absence_rates_by_municipality_and_unweighted(example: pl.DataFrame) -> None:
    out = absence_rates(example, by=("school_year", "municipality_code"))
    assert out.select("n_pupils", "n_pupils_excluded").row(0) == (4, 1)
    assert out["rate_total"][0] == pytest.approx(2.01 / 29)
    plain = absence_rates(example, by="municipality_code", weighted=False)
    assert plain["rate_total"][0] == pytest.approx((0.05 + 0.02 + 0.12 + 0.02) / 4)
    # without months, the unweighted variant still works (c is excluded: no school days)
    no_months = absence_rates(example.drop("months_registered"), by=(), weighted=False)
    assert "months_registered" not in no_months.columns
    assert no_months.select("n_pupils", "n_pupils_excluded").row(0) == (4, 1)
    assert no_months["rate_total"][0] == pytest.approx(plain["rate_total"][0])


def test_share_above_example(run: Runner, example: pl.DataFrame) -> None:
    out = run(share_above, example)
    assert out.select("n_pupils", "n_above").rows() == [(2, 0), (2, 1)]
    assert out["share_above"].to_list() == [0.0, 0.5]
    # Kalundborg's local rule: total absence above 3 %: a (5 %) and d (12 %)
    kal = run(share_above, example, KALUNDBORG_PLAN.threshold, by="municipality_code")
    assert kal.select("n_pupils", "n_above", "share_above").row(0) == (4, 2, 0.5)
    # weighted by months: d (11 months) above, e (2 months) not
    w = share_above(example, by="institution_id", weighted=True)
    assert w["share_above"][1] == pytest.approx(11 / 13)
    assert share_above(example, 0.04, kind="unauthorised")["n_above"].to_list() == [0, 1]


def test_share_above_is_strict() -> None:
    # exactly 10 % is not above 10 %; 3 % is not above Kalundborg's 3 %
    df = _records(
        [
            ("2018/19", "326", "326001", "a", 200, 20, 0, 0, 11),
            ("2018/19", "326", "326001", "b", 200, 6, 0, 0, 11),
            ("2018/19", "326", "326001", "c", 200, 7, 0, 0, 11),
        ]
    )
    assert share_above(df)["n_above"][0] == 0
    assert share_above(df, 0.03)["n_above"][0] == 2  # a and c
    assert share_above(df, 0.0999)["n_above"][0] == 1


@pytest.fixture
def quarters() -> pl.DataFrame:
    m, i = "326", "326001"
    return _records(
        [
            ("2019/20", 3, m, i, "x", 40, 0, 0, 6, 2),  # 15 %: warn and notify
            ("2019/20", 3, m, i, "y", 40, 0, 0, 5, 2),  # 12.5 %: warn only
            ("2019/20", 1, m, i, "x", 58, 0, 0, 6, 3),  # 10.3 %: warn
            ("2019/20", 1, m, i, "y", 58, 1, 1, 5, 3),  # 8.6 % ulovligt, 12.1 % total
            ("2018/19", 2, m, i, "x", 60, 0, 0, 9, 3),  # before 1 August 2019: not evaluable
            ("2019/20", 2, m, i, "z", 0, 0, 0, 0, 0),  # no school days
        ],
        quarterly=True,
    )


def test_quarterly_flags_example(run: Runner, quarters: pl.DataFrame) -> None:
    out = run(quarterly_flags, quarters, local_rules=[KALUNDBORG_PLAN])
    assert out.columns[:5] == [
        "school_year",
        "calendar_year",
        "quarter",
        "institution_id",
        "pupil_id",
    ]
    assert out.columns[-3:] == ["warn_parents", "notify_municipality", "kalundborg_plan"]
    got = {
        (r["school_year"], r["quarter"], r["pupil_id"]): (
            r["calendar_year"],
            r["warn_parents"],
            r["notify_municipality"],
            r["kalundborg_plan"],
        )
        for r in out.iter_rows(named=True)
    }
    assert got == {
        ("2018/19", 2, "x"): (2019, None, None, True),
        ("2019/20", 1, "x"): (2020, True, False, True),
        ("2019/20", 1, "y"): (2020, False, False, True),
        ("2019/20", 2, "z"): (2020, None, None, None),
        ("2019/20", 3, "x"): (2019, True, True, True),
        ("2019/20", 3, "y"): (2019, True, False, True),
    }
    assert out.schema["quarter"] == pl.Int8
    old = run(quarterly_flags, quarters, ignore_in_force=True).filter(
        pl.col("school_year") == "2018/19"
    )
    assert old.select("warn_parents", "notify_municipality").row(0) == (True, True)


def test_quarterly_flags_pupil_changing_school() -> None:
    df = _records(
        [
            ("2020/21", 4, "326", "326001", "p", 20, 0, 0, 2, 1),  # 10 % at the first school
            ("2020/21", 4, "326", "326002", "p", 30, 0, 0, 2, 2),  # 6.7 % at the second
        ],
        quarterly=True,
    )
    per_school = quarterly_flags(df)
    assert per_school["warn_parents"].to_list() == [True, False]
    per_pupil = quarterly_flags(df, per="pupil")
    assert "institution_id" not in per_pupil.columns
    assert per_pupil.select("school_days", "frac_unauthorised", "warn_parents").row(0) == (
        50.0,
        0.08,
        False,
    )


def test_flags_keep_the_input_order(quarters: pl.DataFrame) -> None:
    shuffled = quarters.reverse()
    out = quarterly_flags(shuffled)
    key = ["school_year", "quarter", "institution_id", "pupil_id"]
    assert out.select(key).rows() == shuffled.select(key).rows()
    # per pupil the rows are added up, then sorted with each pupil's quarters in time order
    per_pupil = quarterly_flags(shuffled, per="pupil")
    assert per_pupil.select("school_year", "pupil_id", "quarter").rows() == [
        ("2018/19", "x", 2),
        ("2019/20", "x", 3),
        ("2019/20", "x", 1),
        ("2019/20", "y", 3),
        ("2019/20", "y", 1),
        ("2019/20", "z", 2),
    ]


def test_custom_and_replaced_rules(quarters: pl.DataFrame) -> None:
    local = AbsenceRule(
        "bekymrende", "Bekymrende fravær", "total", 0.12, inclusive=True, local=True
    )
    out = quarterly_flags(quarters, rules=[], local_rules=[local])
    assert out.columns[-1] == "bekymrende"
    assert "warn_parents" not in out.columns
    assert out.filter(pl.col("pupil_id") == "y", pl.col("quarter") == 1)["bekymrende"][0] is True


def test_quarters_add_up_to_the_school_year(quarters: pl.DataFrame) -> None:
    out = pupil_absence(quarters.filter(pl.col("school_year") == "2019/20"))
    x = out.filter(pl.col("pupil_id") == "x")
    assert x.select("school_days", "unauthorised_days", "months_registered").row(0) == (
        98.0,
        12.0,
        5.0,
    )
    assert x["frac_unauthorised"][0] == pytest.approx(12 / 98)
    per_q = pupil_absence(quarters, period="quarter")
    assert per_q.height == quarters.height
    rates_q = absence_rates(quarters, by=("school_year", "quarter"))
    assert rates_q.select("school_year", "quarter").rows() == [
        ("2018/19", 2),
        ("2019/20", 1),
        ("2019/20", 2),
        ("2019/20", 3),
    ]
    # quarter 3: x and y, 2 months each: (0.15 + 0.125) / 2
    assert rates_q["rate_unauthorised"][3] == pytest.approx(0.1375)
    assert rates_q.select("n_pupils", "n_pupils_excluded").row(2) == (0, 1)
    assert rates_q["rate_total"][2] is None


def test_school_year_spellings_and_numeric_ids(example: pl.DataFrame) -> None:
    other = example.with_columns(
        pl.lit("2018-2019").alias("school_year"),
        pl.col("institution_id").cast(pl.Int64),
        pl.col("school_days").cast(pl.Float64),
    )
    assert_frame_equal(absence_rates(other), absence_rates(example))


def test_validate_false_gives_the_same_answer(
    example: pl.DataFrame, quarters: pl.DataFrame
) -> None:
    assert_frame_equal(absence_rates(example, validate=False), absence_rates(example))
    assert_frame_equal(
        quarterly_flags(quarters.lazy(), validate=False).collect(), quarterly_flags(quarters)
    )


def test_empty_input(example: pl.DataFrame) -> None:
    assert absence_rates(example.clear()).height == 0
    overall = absence_rates(example.clear(), by=())
    assert overall.select("n_pupils", "rate_total").row(0) == (0, None)
    assert share_above(example.clear(), by=())["share_above"][0] is None


# --- properties ------------------------------------------------------------------------


@settings(max_examples=20)
@given(absence_frames(min_rows=1), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(df: pl.DataFrame, rnd: Any) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = df[order]
    assert_frame_equal(absence_rates(shuffled), absence_rates(df))
    assert_frame_equal(share_above(shuffled), share_above(df))


@given(absence_frames(min_rows=1), st.integers(0, 60), st.integers(0, 20))
def test_zero_months_counts_for_nothing(df: pl.DataFrame, days: int, absent: int) -> None:
    first = df.row(0, named=True)
    extra = pl.DataFrame(
        [
            {
                **first,
                "pupil_id": "new",
                "school_days": days + absent,
                "sick_days": absent,
                "authorised_days": 0,
                "unauthorised_days": 0,
                "months_registered": 0,
            }
        ],
        schema=df.schema,
    )
    before = absence_rates(df)
    after = absence_rates(pl.concat([df, extra]))
    rate_cols = [
        "n_pupils",
        "months_registered",
        "rate_sick",
        "rate_authorised",
        "rate_unauthorised",
        "rate_total",
    ]
    assert_frame_equal(after.select(rate_cols), before.select(rate_cols))
    assert after["n_pupils_excluded"].sum() == before["n_pupils_excluded"].sum() + 1
    assert_frame_equal(
        share_above(pl.concat([df, extra]), weighted=True), share_above(df, weighted=True)
    )


@given(absence_frames())
def test_counts_add_up_and_rates_are_fractions(df: pl.DataFrame) -> None:
    units = df.select("school_year", "institution_id", "pupil_id").unique().height
    out = absence_rates(df)
    assert (out["n_pupils"] + out["n_pupils_excluded"]).sum() == units
    for col in ("rate_sick", "rate_authorised", "rate_unauthorised", "rate_total"):
        values = out[col].drop_nulls()
        assert values.is_nan().sum() == 0
        assert ((values >= 0) & (values <= 1)).all()
    for r in out.iter_rows(named=True):
        if r["rate_total"] is None:
            assert r["n_pupils"] == 0
        else:
            parts = r["rate_sick"] + r["rate_authorised"] + r["rate_unauthorised"]
            assert math.isclose(r["rate_total"], parts, abs_tol=1e-12)
    above = share_above(df)
    assert (above["n_pupils"] == out["n_pupils"]).all()
    assert (above["n_above"] <= above["n_pupils"]).all()


@given(absence_frames())
def test_equal_months_make_weighting_irrelevant(df: pl.DataFrame) -> None:
    same = df.with_columns(pl.lit(7, dtype=pl.Int8).alias("months_registered"))
    assert_frame_equal(
        absence_rates(same).drop("months_registered"),
        absence_rates(same, weighted=False).drop("months_registered"),
        rel_tol=1e-12,
    )


@settings(max_examples=30)
@given(absence_frames(max_rows=40), st.sampled_from([0.0, 0.03, 0.05, 0.1, 0.15, 1.0]))
def test_differential_against_plain_python(df: pl.DataFrame, threshold: float) -> None:
    rows = df.to_dicts()
    for by in (("school_year", "institution_id"), ("school_year",)):
        for weighted in (True, False):
            expected = ref.rates(rows, by, weighted=weighted)
            got = absence_rates(df, by=by, weighted=weighted)
            assert got.height == len(expected)
            for r in got.iter_rows(named=True):
                e = expected[tuple(r[b] for b in by)]
                for name, value in e.items():
                    if value is None:
                        assert r[name] is None
                    else:
                        assert r[name] == pytest.approx(value, rel=1e-12, abs=1e-15)
        expected_above = ref.share_above(rows, threshold, by)
        got_above = share_above(df, threshold, by=by)
        assert {
            tuple(r[b] for b in by): (r["n_pupils"], r["n_above"], r["share_above"])
            for r in got_above.iter_rows(named=True)
        } == expected_above


@given(absence_frames(quarterly=True, school_years=("2018/19", "2019/20", "2020/21"), max_rows=40))
def test_flags_differential_against_plain_python(df: pl.DataFrame) -> None:
    got = quarterly_flags(df)
    assert {
        (r["school_year"], r["quarter"], r["institution_id"], r["pupil_id"]): (
            r["warn_parents"],
            r["notify_municipality"],
        )
        for r in got.iter_rows(named=True)
    } == ref.flags(df.to_dicts())


@settings(max_examples=15)
@given(absence_frames(quarterly=True, max_rows=20))
def test_eager_lazy_streaming_agree(df: pl.DataFrame) -> None:
    calls = [
        (pupil_absence, {}),
        (pupil_absence, {"period": "quarter", "by": "grade_level"}),
        (absence_rates, {}),
        (absence_rates, {"by": ("school_year", "quarter"), "weighted": False}),
        (share_above, {"by": "school_year", "kind": "unauthorised"}),
        (quarterly_flags, {"local_rules": [KALUNDBORG_PLAN]}),
        (quarterly_flags, {"per": "pupil"}),
    ]
    for fn, kw in calls:
        eager = fn(df, **kw)
        assert_frame_equal(fn(df.lazy(), **kw).collect(engine="in-memory"), eager)
        assert_frame_equal(fn(df.lazy(), **kw).collect(engine="streaming"), eager)


# --- bad input -------------------------------------------------------------------------


@given(broken_absence_frames())
def test_every_breakage_is_a_data_error(case: tuple[pl.DataFrame, str]) -> None:
    df, kind = case
    with pytest.raises(DataError):
        quarterly_flags(df)
    if kind == "missing_column" and "quarter" not in df.columns:
        absence_rates(df)  # the quarter is optional for yearly rates
    else:
        with pytest.raises(DataError):
            absence_rates(df)


def test_days_absent_above_school_days(example: pl.DataFrame) -> None:
    bad = example.with_columns(
        pl.when(pl.col("pupil_id") == "b").then(101).otherwise("sick_days").alias("sick_days")
    )
    with pytest.raises(
        DataError,
        match=r"days absent \(sick \+ authorised \+ unauthorised\) exceed school_days \(1 row\)",
    ):
        absence_rates(bad)


def test_negative_days(example: pl.DataFrame) -> None:
    bad = example.with_columns(
        pl.when(pl.col("pupil_id") == "a")
        .then(-2)
        .otherwise("authorised_days")
        .alias("authorised_days")
    )
    with pytest.raises(DataError, match="column 'authorised_days': negative number of days"):
        pupil_absence(bad)


def test_quarter_outside_1_to_4(quarters: pl.DataFrame) -> None:
    bad = quarters.with_columns(
        pl.when(pl.col("pupil_id") == "z").then(5).otherwise("quarter").alias("quarter")
    )
    with pytest.raises(DataError, match="column 'quarter': quarter outside 1-4"):
        quarterly_flags(bad)
    with pytest.raises(DataError, match="quarter outside 1-4"):
        absence_rates(bad)


def test_all_problems_reported_together(example: pl.DataFrame) -> None:
    bad = example.with_columns(
        pl.when(pl.col("pupil_id") == "a").then(-1).otherwise("sick_days").alias("sick_days"),
        pl.when(pl.col("pupil_id") == "b")
        .then(13)
        .otherwise("months_registered")
        .alias("months_registered"),
        pl.when(pl.col("pupil_id") == "d")
        .then(pl.lit("2018/20"))
        .otherwise("school_year")
        .alias("school_year"),
    )
    with pytest.raises(DataError) as info:
        absence_rates(bad)
    columns = {p.column for p in info.value.problems}
    assert columns == {"sick_days", "months_registered", "school_year"}


def test_quarterly_rules_need_quarters(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="column 'quarter': missing column"):
        quarterly_flags(example)
    with pytest.raises(DataError, match="column 'months_registered': missing column"):
        absence_rates(example.drop("months_registered"))


def test_duplicates_and_cpr(example: pl.DataFrame) -> None:
    with pytest.raises(DataError, match="duplicated key"):
        absence_rates(pl.concat([example, example.head(1)]))
    cpr = example.with_columns(pl.lit("0101901234").alias("pupil_id"))
    with pytest.raises(DataError, match="CPR"):
        pupil_absence(cpr)
    assert pupil_absence(cpr.head(1), allow_cpr=True).height == 1


def test_bad_options(example: pl.DataFrame, quarters: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="fraction"):
        share_above(example, 10)
    with pytest.raises(ValueError, match="kind"):
        share_above(example, kind="lovligt")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="period"):
        pupil_absence(example, period="month")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="per"):
        quarterly_flags(quarters, per="school")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="clashes"):
        quarterly_flags(quarters, local_rules=[AbsenceRule("frac_total", "x", "total", 0.1)])
    with pytest.raises(ValueError, match="used twice"):
        quarterly_flags(quarters, local_rules=[KALUNDBORG_PLAN, KALUNDBORG_PLAN])
    with pytest.raises(ValueError, match="fraction"):
        AbsenceRule("x", "x", "total", 3.0)
    with pytest.raises(TypeError, match="polars DataFrame"):
        absence_rates(example.to_dicts())  # type: ignore[type-var]


@given(broken_absence_frames(breakages=["missing_column"]))
@settings(max_examples=60, deadline=None)
def test_missing_column_is_the_only_breakage(case: tuple[pl.DataFrame, str]) -> None:
    """Issue 9, item 11: dropping ``quarter`` left a pupil's quarters as duplicate keys."""
    df, _ = case
    with pytest.raises(DataError) as info:
        quarterly_flags(df)
    assert len(info.value.problems) == 1
    assert "missing column" in info.value.problems[0].rule


def test_equal_fractions_give_a_standard_deviation_of_exactly_zero() -> None:
    """Regression (fuzz seed 15): the one-pass variance cancelled to rounding noise (a std of
    ~1e-8, different weighted and unweighted) where every pupil has the same fraction."""
    df = pl.DataFrame(
        {
            "school_year": ["2022/23"] * 3,
            "institution_id": ["151001"] * 3,
            "pupil_id": ["a", "b", "c"],
            "school_days": [200, 200, 200],
            "sick_days": [7, 7, 7],
            "authorised_days": [3, 3, 3],
            "unauthorised_days": [1, 1, 1],
            "months_registered": [7, 7, 7],
        }
    )
    for weighted in (True, False):
        out = absence_rates(df, weighted=weighted)
        for std in ("std_sick", "std_authorised", "std_unauthorised", "std_total"):
            assert out[std].to_list() == [0.0]
