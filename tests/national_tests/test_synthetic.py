"""The synthetic generator: all three regimes, and plausible against the national figures."""

from __future__ import annotations

import polars as pl
import pytest

from folkeskolekvalitet.national_tests import LEVEL_ENUM, SUBJECT_ENUM, good_share, level_shares
from folkeskolekvalitet.synthetic.national_tests import (
    NATIONAL_READING_GOOD,
    national_test_results,
)


@pytest.fixture(scope="module")
def results() -> pl.DataFrame:
    return national_test_results(
        n_schools=60,
        school_years=["2013/14", "2014/15", "2019/20", "2022/23", "2026/27"],
        pupils_per_grade=30,
        seed=11,
    )


def test_columns_and_dtypes(results: pl.DataFrame) -> None:
    assert results.schema["subject"] == SUBJECT_ENUM
    assert results.schema["level"] == LEVEL_ENUM
    assert results.schema["grade_level"] == pl.Int8
    assert results.select(pl.struct("school_year", "pupil_id", "subject").is_unique().all()).item()


def test_each_regime_has_its_own_result(results: pl.DataFrame) -> None:
    by_year = (
        results.group_by("school_year")
        .agg(
            pl.col("level").count().alias("level"),
            pl.col("percentile").count().alias("percentile"),
            pl.col("points").count().alias("points"),
            pl.col("good").count().alias("good"),
        )
        .sort("school_year")
    )
    rows = {r["school_year"]: r for r in by_year.iter_rows(named=True)}
    assert rows["2013/14"]["level"] == 0  # criterion levels only from 2014/15
    assert rows["2013/14"]["percentile"] > 0
    assert rows["2014/15"]["level"] > 0
    assert rows["2022/23"]["points"] > 0
    assert rows["2022/23"]["good"] > 0
    assert rows["2022/23"]["level"] == rows["2022/23"]["percentile"] == 0
    assert rows["2026/27"]["points"] > 0
    assert rows["2026/27"]["good"] == 0


def test_sample_only_year_has_fewer_schools(results: pl.DataFrame) -> None:
    schools = dict(
        results.group_by("school_year").agg(pl.col("institution_id").n_unique()).iter_rows()
    )
    assert schools["2014/15"] == 60
    assert 15 <= schools["2019/20"] <= 45


def test_reading_shares_near_the_national_figures(results: pl.DataFrame) -> None:
    """Plausibility, not test data: 2014/15 reading, e.g. 2. klasse 75 % good (STIL 2021)."""
    shares = level_shares(results.filter(pl.col("school_year") == "2014/15"), by="school_year")
    reading = shares.filter(pl.col("subject") == "dansk_laesning")
    for row in reading.iter_rows(named=True):
        target = NATIONAL_READING_GOOD["2014/15"][row["grade_level"]]
        assert row["share_good"] == pytest.approx(target, abs=0.05)
        assert 0.05 < row["share_poor"] < 0.2
        assert 0.03 < row["share_best"] < 0.15
    assert NATIONAL_READING_GOOD["2014/15"][2] == 0.75


def test_linear_good_share_near_the_national_figure(results: pl.DataFrame) -> None:
    """Overgangstest 2022/23: læsning 72 %, matematik 75 % good (uvm.dk, May 2024)."""
    shares = good_share(results.filter(pl.col("school_year") == "2022/23"), by="school_year")
    pooled = shares.group_by("subject").agg(
        (pl.col("n_good").sum() / pl.col("n_pupils").sum()).alias("share")
    )
    got = dict(pooled.select(pl.col("subject").cast(pl.String), "share").iter_rows())
    assert got["dansk_laesning"] == pytest.approx(0.72, abs=0.04)
    assert got["matematik"] == pytest.approx(0.75, abs=0.04)


def test_lazy_and_seeded() -> None:
    a = national_test_results(n_schools=2, school_years=["2018/19"], seed=3)
    b = national_test_results(n_schools=2, school_years=["2018/19"], seed=3, lazy=True)
    assert isinstance(b, pl.LazyFrame)
    assert a.equals(b.collect())
