"""The comparability-break register: one register, read by the families."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet import absence, exams, national_tests, transitions
from folkeskolekvalitet._core.breaks import (
    BREAKS,
    breaks_for,
    comparability_reason,
    comparability_reason_expr,
    comparable,
    year_note,
    year_note_expr,
)
from folkeskolekvalitet._core.schoolyear import parse_school_year

KEYS = [
    "exams.grade_average",
    "exams.subject_average",
    "national_tests.share_good",
    "wellbeing.general",
    "absence.rate_total",
    "transitions.first_priority_share",
    "transitions.status_share_3m",
    "competence.coverage",
    "local.my_count",
]
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2012, 2029)]


def test_national_test_regime_change_is_not_comparable() -> None:
    assert not comparable("national_tests.share_good", "2021/22", "2022/23")
    assert comparable("national_tests.share_good", "2024/25", "2025/26")
    assert not comparable("national_tests.share_poor", "2025/26", "2026/27")
    # early testing in 2023/24 is an episode
    assert not comparable("national_tests.share_best", "2022/23", "2023/24")


def test_covid_exam_years() -> None:
    for year in ("2019/20", "2020/21", "2021/22"):
        assert not comparable("exams.grade_average", "2018/19", year)
    assert comparable("exams.grade_average", "2022/23", "2023/24")
    assert comparable("exams.grade_average", "2017/18", "2018/19")
    reason = comparability_reason("exams.grade_average", "2020/21", "2021/22")
    assert reason is not None
    assert reason.count("COVID-19") == 2


def test_method_break_of_applications_only() -> None:
    assert not comparable("transitions.first_priority_share", "2021/22", "2022/23")
    assert comparable("transitions.status_share_3m", "2021/22", "2022/23")
    assert comparability_reason(
        "transitions.first_priority_share", "2021/22", "2022/23", language="da"
    ).startswith("Ny opgørelse")  # type: ignore[union-attr]


def test_families_read_the_register() -> None:
    """The families' notes and flags are the register's, not copies."""
    for year in ("2019/20", "2020/21", "2021/22", "2022/23"):
        assert exams.comparability_note(year) == year_note("exams.grade_average", year)
        assert absence.comparability_note(year) == year_note("absence.rate_total", year)
    assert exams.comparability_note("2019/20") == (
        "COVID-19: all prøver were cancelled; standpunktskarakterer were raised to prøvekarakterer"
    )
    flags = {f.key: f for f in national_tests.FLAGS}
    assert set(flags) == {"sample_only", "late_testing", "early_testing"}
    for brk in breaks_for("national_tests."):
        if brk.is_episode:
            flag = flags[brk.key.removeprefix("national_tests_")]  # type: ignore[index]
            assert (flag.first_year, flag.last_year, flag.note) == (
                brk.first_year,
                brk.last_year,
                brk.reason,
            )
    firsts = {r.first_year for r in national_tests.REGIMES[1:]}
    assert firsts == {b.first_year for b in breaks_for("national_tests.") if not b.is_episode}
    assert transitions.METHOD_BREAK_YEAR == 2023


def test_every_break_is_well_formed() -> None:
    for brk in BREAKS:
        assert brk.reason
        assert brk.reason_da
        assert brk.source
        assert "." in brk.prefix
        if brk.last_year is not None:
            assert parse_school_year(brk.first_year) <= parse_school_year(brk.last_year)


@given(st.sampled_from(KEYS), st.sampled_from(YEARS), st.sampled_from(YEARS))
def test_expression_form_agrees_with_python_form(key: str, year: str, other: str) -> None:
    frame = pl.DataFrame({"i": [key], "y": [year], "p": [other]})
    out = frame.select(
        comparability_reason_expr(pl.col("i"), pl.col("y"), pl.col("p")).alias("r"),
        year_note_expr(pl.col("i"), pl.col("y")).alias("n"),
        comparability_reason_expr(pl.col("i"), pl.col("y"), pl.col("p"), language="da").alias(
            "rda"
        ),
    ).row(0)
    assert out[0] == comparability_reason(key, year, other)
    assert out[1] == year_note(key, year)
    assert out[2] == comparability_reason(key, year, other, language="da")


@given(st.sampled_from(KEYS), st.sampled_from(YEARS), st.sampled_from(YEARS))
def test_comparability_is_symmetric_and_reflexive(key: str, a: str, b: str) -> None:
    assert comparable(key, a, b) == comparable(key, b, a)
    assert comparable(key, a, a)
