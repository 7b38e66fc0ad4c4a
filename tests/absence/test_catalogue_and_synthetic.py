"""Absence catalogues, the synthetic generator and the public strategies."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from polars.testing import assert_frame_equal

from folkeskolekvalitet.absence import (
    ABSENCE_KIND_ENUM,
    ABSENCE_KINDS,
    KALUNDBORG_PLAN,
    NATIONAL_LEVELS,
    NOTIFY_MUNICIPALITY,
    QUARTERS,
    STATUTORY_RULES,
    WARN_PARENTS,
    absence_rates,
    comparability_note,
    national_level,
    pupil_absence,
    quarterly_flags,
    share_above,
)
from folkeskolekvalitet.synthetic.absence import absence_records
from folkeskolekvalitet.testing.absence import absence_frames


def test_kinds_have_danish_labels_and_sources() -> None:
    assert [k.label.split(" ")[0] for k in ABSENCE_KINDS] == ["Sygefravær", "Fravær", "Ulovligt"]
    assert ABSENCE_KIND_ENUM.categories.to_list() == ["sick", "authorised", "unauthorised"]
    assert all(k.source.startswith("https://") for k in ABSENCE_KINDS)


def test_statutory_rules() -> None:
    assert STATUTORY_RULES == (WARN_PARENTS, NOTIFY_MUNICIPALITY)
    for rule, threshold in ((WARN_PARENTS, 0.10), (NOTIFY_MUNICIPALITY, 0.15)):
        assert rule.kind == "unauthorised"
        assert rule.threshold == threshold
        assert rule.inclusive  # "15 procent eller derover"
        assert rule.in_force_from == dt.date(2019, 8, 1)
        assert not rule.local
    assert (
        NOTIFY_MUNICIPALITY.describe()
        == "unauthorised absence ≥ 15 % of the school days in a quarter"
    )


def test_kalundborg_rule_is_local_and_strict() -> None:
    # "når den enkelte elevs samlede fravær er højere end 3 %" (Kalundborg 2018)
    assert KALUNDBORG_PLAN.local
    assert KALUNDBORG_PLAN.kind == "total"
    assert KALUNDBORG_PLAN.threshold == 0.03
    assert not KALUNDBORG_PLAN.inclusive
    assert "Kalundborg" in KALUNDBORG_PLAN.source


def test_quarters() -> None:
    assert [q.number for q in QUARTERS] == [1, 2, 3, 4]
    assert [m for q in QUARTERS for m in q.months] == list(range(1, 13))
    assert [q.school_year_part for q in QUARTERS] == ["end", "end", "start", "start"]


def test_national_levels() -> None:
    assert national_level("2017/2018").rate_total == 0.059  # type: ignore[union-attr]
    level = national_level("2023/24")
    assert level is not None
    assert level.rate_total is None
    assert level.share_above_10 == pytest.approx(110_966 / 513_857, abs=5e-4)
    assert national_level("2012/13") is None
    years = [lv.school_year for lv in NATIONAL_LEVELS]
    assert years == sorted(years)
    assert comparability_note("2019/20") is not None
    assert comparability_note("2022/23") is None


def test_synthetic_records_are_valid_and_realistic() -> None:
    df = absence_records(
        n_schools=10, school_years=["2018/19", "2019/20"], pupils_per_school=300, seed=3
    )
    assert df.columns == [
        "school_year",
        "municipality_code",
        "institution_id",
        "pupil_id",
        "grade_level",
        "school_days",
        "sick_days",
        "authorised_days",
        "unauthorised_days",
        "months_registered",
    ]
    overall = absence_rates(df, by=())  # validates
    assert 0.03 < overall["rate_total"][0] < 0.09
    above = share_above(df, by=())["share_above"][0]
    assert 0.04 < above < 0.25
    assert overall["n_pupils_excluded"][0] > 0  # some pupils registered 0 months
    assert df["months_registered"].max() == 11
    assert absence_rates(df)["institution_id"].n_unique() == 10


def test_synthetic_quarters_add_up_to_the_yearly_records() -> None:
    yearly = absence_records(n_schools=2, school_years=["2019/20"], pupils_per_school=50, seed=5)
    quarterly = absence_records(
        n_schools=2, school_years=["2019/20"], pupils_per_school=50, seed=5, quarterly=True
    )
    assert quarterly.height == 4 * yearly.height
    assert (
        quarterly.group_by("school_year", "institution_id", "pupil_id")
        .agg(pl.col("months_registered").max())["months_registered"]
        .max()
        <= 3
    )
    assert_frame_equal(pupil_absence(quarterly), pupil_absence(yearly))
    flags = quarterly_flags(quarterly)
    assert flags.height == quarterly.height
    assert (
        absence_records(n_schools=2, school_years=["2019/20"], seed=5, lazy=True)
        .collect()
        .equals(absence_records(n_schools=2, school_years=["2019/20"], seed=5))
    )


@given(absence_frames(quarterly=True))
def test_strategy_frames_are_valid(df: pl.DataFrame) -> None:
    assert df.select("school_year", "quarter", "institution_id", "pupil_id").is_unique().all()
    quarterly_flags(df)  # raises DataError if the strategy drew something invalid


def test_rules_as_expressions() -> None:
    df = pl.DataFrame(
        {"frac_unauthorised": [0.0999, 0.10, 0.15, None], "frac_total": [0.03, 0.031, 0.0, None]}
    )
    out = df.select(WARN_PARENTS.expr(), NOTIFY_MUNICIPALITY.expr(), KALUNDBORG_PLAN.expr())
    assert out.to_dict(as_series=False) == {
        "warn_parents": [False, True, True, None],
        "notify_municipality": [False, False, True, None],
        "kalundborg_plan": [False, True, False, None],
    }
    assert df.select(WARN_PARENTS.expr(pl.col("frac_total")))["warn_parents"].to_list() == [
        False,
        False,
        False,
        None,
    ]
