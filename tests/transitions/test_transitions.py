"""Transitions: catalogues, hand-computed examples, properties, a differential test, bad input."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.synthetic.transitions import transition_statuses
from folkeskolekvalitet.testing.transitions import (
    broken_transition_frames,
    transition_frames,
)
from folkeskolekvalitet.transitions import (
    APPLICATION_ENUM,
    APPLICATIONS,
    BALLERUP_TENTH_GRADE_GOAL,
    HORIZONS,
    STATUS_ENUM,
    STATUSES,
    TransitionGoal,
    application_method,
    application_shares,
    check_goal,
    in_youth_education,
    status_date,
    status_shares,
    youth_education_share,
)
from tests.conftest import Runner

STATUS_KEYS = [s.key for s in STATUSES]
APP_KEYS = [a.key for a in APPLICATIONS]


def _leavers(
    cohort: str, institution: str, applications: list[str], **statuses: list[str]
) -> pl.DataFrame:
    n = len(applications)
    return pl.DataFrame(
        {
            "cohort": [cohort] * n,
            "institution_id": [institution] * n,
            "pupil_id": [f"{institution}-{cohort[:4]}-{i}" for i in range(n)],
            "application": applications,
            **statuses,
        }
    )


@pytest.fixture
def ballerup() -> pl.DataFrame:
    """Two schools of Ballerup (151), cohort 2017/18: 20 leavers each.

    School 151001: 7 apply for 10. klasse (35 %, meets "højst 35 %"), 12 for a youth
    education, 1 øvrigt. School 151002: 8 for 10. klasse (40 %, misses the goal).
    """
    a = _leavers(
        "2017/18",
        "151001",
        ["tiende_klasse"] * 7 + ["ungdomsuddannelse"] * 12 + ["oevrigt"],
        status_3m=["tiende_klasse"] * 7 + ["gymnasial"] * 9 + ["erhvervsfaglig"] * 3 + ["andet"],
        status_15m=["gymnasial"] * 13
        + ["erhvervsfaglig"] * 5
        + ["anden_ungdomsuddannelse", "uoplyst"],
    )
    b = _leavers(
        "2017/18",
        "151002",
        ["tiende_klasse"] * 8 + ["ungdomsuddannelse"] * 12,
        status_3m=["tiende_klasse"] * 8 + ["gymnasial"] * 10 + ["uoplyst"] * 2,
        status_15m=["gymnasial"] * 10 + ["erhvervsfaglig"] * 6 + ["andet"] * 4,
    )
    return pl.concat([a, b]).with_columns(pl.lit("151").alias("municipality_code"))


def test_catalogues() -> None:
    assert STATUS_KEYS == [
        "gymnasial",
        "erhvervsfaglig",
        "anden_ungdomsuddannelse",
        "tiende_klasse",
        "andet",
        "uoplyst",
    ]
    assert [s.key for s in STATUSES if s.youth_education] == STATUS_KEYS[:3]
    assert APP_KEYS == ["ungdomsuddannelse", "tiende_klasse", "oevrigt"]
    assert STATUS_ENUM.categories.to_list() == STATUS_KEYS
    assert APPLICATION_ENUM.categories.to_list() == APP_KEYS
    assert "produktionsskole" in APPLICATIONS[2].includes
    assert "10. klasse på specialskole" in APPLICATIONS[2].includes
    assert [h.key for h in HORIZONS] == ["3m", "15m"]
    assert all(s.label and s.source for s in STATUSES)
    assert BALLERUP_TENTH_GRADE_GOAL.max_share == 0.35
    assert BALLERUP_TENTH_GRADE_GOAL.measure == "application"


def test_in_youth_education_expression() -> None:
    df = pl.DataFrame({"s": [*STATUS_KEYS, None]})
    assert df.select(in_youth_education("s"))["s"].to_list() == [True] * 3 + [False] * 3 + [None]
    typed = df.select(pl.col("s").cast(STATUS_ENUM))
    assert typed.select(in_youth_education(pl.col("s")))["s"].to_list()[:4] == [True] * 3 + [False]


def test_status_dates_and_method_break() -> None:
    assert status_date("2017/18") == dt.date(2018, 10, 1)
    assert status_date("2017-2018", "15m") == dt.date(2019, 10, 1)
    with pytest.raises(ValueError, match="horizon"):
        status_date("2017/18", "27m")  # type: ignore[arg-type]
    assert application_method("2021/22") == "before_2023"
    assert application_method("2022/23") == "from_2023"
    assert application_method("2024/25") == "from_2023"


def test_application_shares_example(run: Runner, ballerup: pl.DataFrame) -> None:
    out = run(application_shares, ballerup)
    assert out.columns == [
        "cohort",
        "institution_id",
        "application",
        "n",
        "n_pupils",
        "share",
        "method",
    ]
    assert out.select("institution_id", "application", "n").rows() == [
        ("151001", "ungdomsuddannelse", 12),
        ("151001", "tiende_klasse", 7),
        ("151001", "oevrigt", 1),
        ("151002", "ungdomsuddannelse", 12),
        ("151002", "tiende_klasse", 8),
        ("151002", "oevrigt", 0),  # zero row kept
    ]
    assert out["share"].to_list() == [0.6, 0.35, 0.05, 0.6, 0.4, 0.0]
    assert out["n_pupils"].unique().to_list() == [20]
    assert out["method"].cast(pl.String).unique().to_list() == ["before_2023"]
    assert out.schema["application"] == APPLICATION_ENUM


def test_status_shares_example(run: Runner, ballerup: pl.DataFrame) -> None:
    out = run(status_shares, ballerup, by="municipality_code")
    assert out["status"].cast(pl.String).to_list() == STATUS_KEYS
    assert out["n"].to_list() == [19, 3, 0, 15, 1, 2]
    assert out["share"].to_list() == pytest.approx([19 / 40, 3 / 40, 0, 15 / 40, 1 / 40, 2 / 40])
    assert out["valid"].to_list() == [True, True, True, False, True, True]
    assert out["youth_education"].to_list() == [True, True, True, False, False, False]
    late = run(status_shares, ballerup, by=(), horizon="15m")
    assert late["n"].to_list() == [23, 11, 1, 0, 4, 1]
    assert late["valid"].all()


def test_youth_education_share_example(run: Runner, ballerup: pl.DataFrame) -> None:
    out = run(youth_education_share, ballerup)
    assert out.select("n_pupils", "n_in_education").rows() == [(20, 12), (20, 10)]
    assert out["share"].to_list() == [0.6, 0.5]
    late = run(youth_education_share, ballerup, by="cohort", horizon="15m")
    assert late.select("n_pupils", "n_in_education", "share").row(0) == (40, 35, 0.875)


def test_ballerup_goal(run: Runner, ballerup: pl.DataFrame) -> None:
    out = run(check_goal, ballerup)
    assert out.columns == [
        "cohort",
        "institution_id",
        "n_pupils",
        "n_category",
        "share",
        "max_share",
        "met",
    ]
    assert out.select("n_category", "share", "met").rows() == [(7, 0.35, True), (8, 0.4, False)]
    whole = run(check_goal, ballerup, by="municipality_code")
    assert whole.select("share", "met").row(0) == (0.375, False)
    stricter = check_goal(ballerup, max_share=0.30)
    assert stricter["met"].to_list() == [False, False]
    on_status = TransitionGoal("x", "x", "tiende_klasse", 0.4, "3m", "test")
    assert check_goal(ballerup, on_status)["met"].to_list() == [True, True]


def test_method_break_is_flagged() -> None:
    df = pl.concat(
        [
            _leavers("2021/22", "151001", ["tiende_klasse", "ungdomsuddannelse"]),
            _leavers("2022/23", "151001", ["ungdomsuddannelse", "oevrigt"]),
        ]
    )
    per_cohort = application_shares(df, by="cohort")
    assert dict(
        per_cohort.select("cohort", pl.col("method").cast(pl.String)).unique().iter_rows()
    ) == {
        "2021/22": "before_2023",
        "2022/23": "from_2023",
    }
    pooled = application_shares(df, by="institution_id")
    assert pooled["method"].cast(pl.String).unique().to_list() == ["mixed"]


def test_empty_groups_and_input(ballerup: pl.DataFrame) -> None:
    overall = application_shares(ballerup.clear(), by=())
    assert overall.height == 3
    assert overall["n"].to_list() == [0, 0, 0]
    assert overall["share"].null_count() == 3
    assert overall["method"].null_count() == 3
    assert application_shares(ballerup.clear()).height == 0
    assert youth_education_share(ballerup.clear(), by=())["share"][0] is None


def test_only_the_needed_column_is_required(ballerup: pl.DataFrame) -> None:
    apps = ballerup.select("cohort", "institution_id", "pupil_id", "application")
    assert application_shares(apps).height == 6
    with pytest.raises(DataError, match="column 'status_3m': missing column"):
        status_shares(apps)
    # a null 15-month status (not yet measured) does not disturb the 3-month rule
    recent = ballerup.with_columns(pl.lit(None, dtype=pl.String).alias("status_15m"))
    assert status_shares(recent).height == 12
    with pytest.raises(DataError, match="column 'status_15m': missing value"):
        status_shares(recent, horizon="15m")


def test_codes_as_enum_and_spellings(ballerup: pl.DataFrame) -> None:
    typed = ballerup.with_columns(
        pl.col("application").cast(APPLICATION_ENUM),
        pl.col("status_3m").cast(STATUS_ENUM),
        pl.lit("2017-2018").alias("cohort"),
        pl.col("institution_id").cast(pl.Int64),
    )
    assert_frame_equal(status_shares(typed), status_shares(ballerup))
    padded = ballerup.with_columns(
        (pl.lit(" ") + pl.col("application") + pl.lit(" ")).alias("application")
    )
    assert_frame_equal(application_shares(padded), application_shares(ballerup))


def test_validate_false_gives_the_same_answer(ballerup: pl.DataFrame) -> None:
    assert_frame_equal(application_shares(ballerup, validate=False), application_shares(ballerup))
    assert_frame_equal(
        status_shares(ballerup.lazy(), validate=False, horizon="15m").collect(),
        status_shares(ballerup, horizon="15m"),
    )


def test_synthetic_statuses() -> None:
    df = transition_statuses(n_schools=20, cohorts=["2021/22", "2022/23"], seed=2)
    assert df.columns == [
        "cohort",
        "municipality_code",
        "institution_id",
        "pupil_id",
        "application",
        "status_3m",
        "status_15m",
    ]
    apps = check_goal(df, by="cohort")
    assert apps["n_pupils"].sum() == df.height
    s = apps["share"].to_list()
    assert 0.35 < s[0] < 0.65
    assert s[1] < s[0]  # fewer 10. klasse applicants from the 2023 method change
    youth = youth_education_share(df, by=()).item(0, "share")
    youth_15 = youth_education_share(df, by=(), horizon="15m").item(0, "share")
    assert 0.3 < youth < 0.55
    assert 0.75 < youth_15 < 0.95


# --- properties ------------------------------------------------------------------------


def _reference(
    rows: list[dict[str, Any]], column: str, by: tuple[str, ...], keys: list[str]
) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Plain Python: (n, n_pupils) for every group and category, zeros included."""
    totals: Counter[tuple[Any, ...]] = Counter()
    counts: Counter[tuple[Any, ...]] = Counter()
    for r in rows:
        g = tuple(r[b] for b in by)
        totals[g] += 1
        counts[(*g, str(r[column]))] += 1
    return {(*g, k): (counts[(*g, k)], n) for g, n in totals.items() for k in keys}


@settings(max_examples=30)
@given(
    transition_frames(),
    st.sampled_from([("cohort", "institution_id"), ("cohort",), ("institution_id",)]),
)
def test_differential_against_plain_python(df: pl.DataFrame, by: tuple[str, ...]) -> None:
    rows = df.to_dicts()
    for column, fn, kw, keys, name in (
        ("status_3m", status_shares, {"horizon": "3m"}, STATUS_KEYS, "status"),
        ("status_15m", status_shares, {"horizon": "15m"}, STATUS_KEYS, "status"),
        ("application", application_shares, {}, APP_KEYS, "application"),
    ):
        out = fn(df, by=by, **kw)
        got = {
            (*[r[b] for b in by], str(r[name])): (r["n"], r["n_pupils"])
            for r in out.iter_rows(named=True)
        }
        assert got == _reference(rows, column, by, keys)


@given(transition_frames(as_enum=False))
def test_shares_sum_to_one_and_counts_add_up(df: pl.DataFrame) -> None:
    for out, name in (
        (status_shares(df), "status"),
        (status_shares(df, horizon="15m"), "status"),
        (application_shares(df), "application"),
    ):
        groups = out.group_by("cohort", "institution_id").agg(
            pl.col("share").sum(), pl.col("n").sum(), pl.col("n_pupils").first(), pl.len()
        )
        assert (groups["len"] == len(STATUS_KEYS if name == "status" else APP_KEYS)).all()
        assert (groups["n"] == groups["n_pupils"]).all()
        assert all(math.isclose(s, 1.0) for s in groups["share"])
        assert groups["n_pupils"].sum() == df.height
    youth = youth_education_share(df)
    shares = status_shares(df).filter(pl.col("youth_education"))
    assert youth["n_in_education"].sum() == shares["n"].sum()


@settings(max_examples=15)
@given(transition_frames(max_pupils=20))
def test_eager_lazy_streaming_agree(df: pl.DataFrame) -> None:
    calls = [
        (status_shares, {}),
        (status_shares, {"by": (), "horizon": "15m"}),
        (application_shares, {"by": "cohort"}),
        (youth_education_share, {}),
        (check_goal, {"by": "institution_id"}),
    ]
    for fn, kw in calls:
        eager = fn(df, **kw)
        assert_frame_equal(fn(df.lazy(), **kw).collect(engine="in-memory"), eager)
        assert_frame_equal(fn(df.lazy(), **kw).collect(engine="streaming"), eager)


# --- bad input -------------------------------------------------------------------------


@given(broken_transition_frames())
def test_every_breakage_is_a_data_error(case: tuple[pl.DataFrame, str]) -> None:
    df, kind = case
    # a broken status concerns only the status rules, a broken application only the
    # application rules: the other rule does not use (so does not check) that column
    only = None
    if kind == "unknown_status" or (kind == "null_value" and df["status_3m"].null_count()):
        only = status_shares
    if kind == "unknown_application" or (kind == "null_value" and df["application"].null_count()):
        only = application_shares
    for fn in (status_shares, application_shares):
        if only is not None and fn is not only:
            fn(df)
        else:
            with pytest.raises(DataError):
                fn(df)


def test_error_messages(ballerup: pl.DataFrame) -> None:
    bad = ballerup.with_columns(
        pl.when(pl.col("pupil_id").str.ends_with("-0"))
        .then(pl.lit("10. klasse"))
        .otherwise("application")
        .alias("application"),
        pl.when(pl.col("pupil_id").str.ends_with("-1"))
        .then(pl.lit("2017/19"))
        .otherwise("cohort")
        .alias("cohort"),
    )
    with pytest.raises(DataError) as info:
        application_shares(bad)
    text = str(info.value)
    assert (
        "column 'application': unknown value (allowed: 'ungdomsuddannelse',"
        " 'tiende_klasse', 'oevrigt') (2 rows)" in text
    )
    assert "column 'cohort': not a school year" in text
    with pytest.raises(DataError, match="duplicated key"):
        status_shares(pl.concat([ballerup, ballerup.head(1)]))
    with pytest.raises(DataError, match="grouping column"):
        status_shares(ballerup, by="grade_level")


def test_bad_options(ballerup: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="horizon"):
        status_shares(ballerup, horizon="6m")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fraction"):
        check_goal(ballerup, max_share=35)


@pytest.mark.parametrize("bad", [True, False, "0.3", float("nan"), -0.1, 1.5, 0j])
def test_max_share_must_be_a_real_fraction(ballerup: pl.DataFrame, bad: object) -> None:
    # a bool is not a share (True was taken as 1.0); a string gave a raw TypeError
    with pytest.raises(ValueError, match="max_share is a fraction"):
        check_goal(ballerup, max_share=bad)  # type: ignore[arg-type]
    goal = TransitionGoal("x", "x", "tiende_klasse", bad, "application", "test")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_share is a fraction"):
        check_goal(ballerup, goal)


def test_max_share_accepts_real_numbers(ballerup: pl.DataFrame) -> None:
    for limit in (0, 1, 0.3, Fraction(3, 10)):
        assert check_goal(ballerup, max_share=limit)["max_share"].to_list()[0] == float(limit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a code"):
        check_goal(ballerup, TransitionGoal("x", "x", "gymnasial", 0.4, "application", "test"))
