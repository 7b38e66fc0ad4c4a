"""The synthetic lesson plans: valid input, realistic in what the rules care about."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from folkeskolekvalitet.competence import coverage
from folkeskolekvalitet.synthetic.competence import competence_lessons


@pytest.fixture(scope="module")
def lessons() -> pl.DataFrame:
    return competence_lessons(
        n_schools=12,
        school_years=["2016/17", "2019/20"],
        municipality_codes=["151", "326"],
        seed=3,
    )


def test_valid_input_with_every_rule_at_work(lessons: pl.DataFrame) -> None:
    out = coverage(lessons, by="school_year")
    assert out.height == 2
    for col in ("lessons_excluded", "lessons_co_teaching", "lessons_special"):
        assert (out[col] > 0).all(), col
    assert (out["n_teachers_excluded"] > 0).all()
    shares = out["share"].to_list()
    assert 0.7 < shares[0] < shares[1] < 0.95  # coverage rises over the years


def test_shape_and_rates(lessons: pl.DataFrame) -> None:
    assert lessons.select("school_year", "institution_id").unique().height == 2 * 2 * 12
    special = (lessons["class_type"] == "special").mean()
    excluded = (lessons["teacher_competence_count"] > 6).mean()
    assert 0.005 < special < 0.06
    assert 0.02 < excluded < 0.12
    assert lessons["lessons"].min() >= 0


def test_subjects_differ_as_the_ministry_reports(lessons: pl.DataFrame) -> None:
    by_subject = coverage(lessons, by="subject").filter(pl.col("lessons_total") > 0)
    share = dict(by_subject.select(pl.col("subject").cast(pl.String), "share").iter_rows())
    assert share["dansk"] > share["kristendomskundskab"]
    assert share["matematik"] > share["natur_teknologi"]


def test_seeded_and_lazy() -> None:
    a = competence_lessons(n_schools=2, school_years=["2017/18"], seed=5)
    b = competence_lessons(n_schools=2, school_years=["2017/18"], seed=5, lazy=True)
    assert isinstance(b, pl.LazyFrame)
    assert_frame_equal(a, b.collect())
    assert not a.equals(competence_lessons(n_schools=2, school_years=["2017/18"], seed=6))
