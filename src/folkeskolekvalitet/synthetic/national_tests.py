"""Synthetic national test results for all three regimes.

Shares near the published national ones: in the adaptive nationale test the
share of *good* readers per klassetrin follows the national figures of
2014/15-2020/21 (2. klasse 75 % ... ), about 12 % have poor results and 9 %
Fremragende; in the overgangstest about 72 % (læsning) and 75 % (matematik)
are "god til". Schools differ, about 3 % of pupils have no result, and in
2019/20 only about half of the schools tested (the sample-only year). The pupils
come from the same population machinery as
:func:`folkeskolekvalitet.synthetic.country`.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import polars as pl

from folkeskolekvalitet._core.schoolyear import parse_school_year
from folkeskolekvalitet.national_tests.catalogue import obligatory_tests, regime_for
from folkeskolekvalitet.national_tests.levels import LEVEL_ENUM
from folkeskolekvalitet.synthetic._world import local_world, national_test_rows

__all__ = ["NATIONAL_READING_GOOD", "national_test_results"]

#: National share of good readers (God præstation or better) in the nationale test,
#: dansk/læsning, by klassetrin and school year (STIL, 8 November 2021).
NATIONAL_READING_GOOD: dict[str, dict[int, float]] = {
    "2014/15": {2: 0.75, 4: 0.71, 6: 0.73, 8: 0.78},
    "2015/16": {2: 0.75, 4: 0.68, 6: 0.71, 8: 0.77},
    "2016/17": {2: 0.75, 4: 0.67, 6: 0.70, 8: 0.78},
    "2017/18": {2: 0.75, 4: 0.66, 6: 0.68, 8: 0.78},
    "2018/19": {2: 0.73, 4: 0.64, 6: 0.66, 8: 0.77},
    "2019/20": {2: 0.72, 4: 0.62, 6: 0.62, 8: 0.74},
    "2020/21": {2: 0.79, 4: 0.71, 6: 0.71, 8: 0.75},
}

# Assumed where no national figure is known to the library (synthetic only).
_MATH_GOOD_ADAPTIVE = 0.72
_LINEAR_GOOD = {
    ("2022/23", "dansk_laesning"): 0.72,
    ("2023/24", "dansk_laesning"): 0.68,
    ("2022/23", "matematik"): 0.75,
    ("2023/24", "matematik"): 0.73,
}
_LINEAR_GOOD_DEFAULT = {"dansk_laesning": 0.70, "matematik": 0.74}
_SHARE_BEST = 0.09
_SHARE_RIGTIG_GOD_OR_BETTER = 0.33
_SHARE_POOR = 0.12
_SHARE_IKKE = 0.04
_NO_RESULT = 0.03

_Z = NormalDist()


def _good_target(year: str, subject: str, grade: int) -> float:
    regime = regime_for(year)
    if regime.result == "points":
        return _LINEAR_GOOD.get((year, subject), _LINEAR_GOOD_DEFAULT[subject])
    if subject == "dansk_laesning":
        table = NATIONAL_READING_GOOD.get(year)
        if table is None:
            table = NATIONAL_READING_GOOD[
                "2014/15" if parse_school_year(year) < 2014 else "2018/19"
            ]
        return table[grade]
    return _MATH_GOOD_ADAPTIVE


def _tests_frame(years: list[str]) -> pl.LazyFrame:
    rows = []
    for y in years:
        for t in obligatory_tests(y):
            good = (
                _good_target(y, t.subject, t.grade_level)
                if t.subject in ("dansk_laesning", "matematik")
                else 0.7
            )
            rows.append((y, t.subject, t.grade_level, _Z.inv_cdf(1 - good)))
    return pl.LazyFrame(
        rows,
        schema={
            "school_year": pl.String,
            "subject": pl.String,
            "grade_level": pl.Int64,
            "_z_good": pl.Float64,
        },
        orient="row",
    )


def _level_from_latent(latent: pl.Expr, z_good: pl.Expr) -> pl.Expr:
    keys = LEVEL_ENUM.categories.to_list()
    return (
        pl.when(latent >= _Z.inv_cdf(1 - _SHARE_BEST))
        .then(pl.lit(keys[0]))
        .when(latent >= _Z.inv_cdf(1 - _SHARE_RIGTIG_GOD_OR_BETTER))
        .then(pl.lit(keys[1]))
        .when(latent >= z_good)
        .then(pl.lit(keys[2]))
        .when(latent >= _Z.inv_cdf(_SHARE_POOR))
        .then(pl.lit(keys[3]))
        .when(latent >= _Z.inv_cdf(_SHARE_IKKE))
        .then(pl.lit(keys[4]))
        .otherwise(pl.lit(keys[5]))
        .cast(LEVEL_ENUM)
    )


def national_test_results(
    *,
    n_schools: int = 8,
    school_years: Sequence[str] = ("2020/21", "2021/22", "2022/23", "2023/24"),
    pupils_per_grade: int = 45,
    municipality_code: str = "151",
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame:
    """Synthetic results of the obligatory national tests, any regime, any years.

    Parameters
    ----------
    n_schools
        Number of schools. Institution ids are the municipality code followed
        by a three-digit number (``"151001"``).
    school_years
        School years from 2009/10 on; each year gets its own obligatory tests
        and its regime's kind of result.
    pupils_per_grade
        Average number of pupils per school and klassetrin (schools differ in
        size by up to about ±40 %). A national year is about 1,100 schools of
        about 55 pupils per klassetrin: some 600,000 test results.
    municipality_code
        Three-digit municipality code, included as a column.
    seed
        Seed; the same seed gives the same data (for a given Polars version).
    lazy
        Return a LazyFrame instead of a DataFrame.

    Returns
    -------
    DataFrame
        One row per pupil and obligatory test: ``school_year``,
        ``municipality_code``, ``institution_id``, ``pupil_id``, ``subject``
        (Enum), ``grade_level`` (Int8) and the results the regime has:

        - nationale test (to 2021/22): ``level`` (Enum, dansk/læsning and
          matematik from 2014/15; null otherwise) and ``percentile`` (1-100);
        - overgangstest (2022/23-2025/26): ``points`` and ``good`` (the "god
          til" flag);
        - færdighedstest (from 2026/27): ``points`` only.

        Columns a regime lacks are null. About 3 % of rows have no result;
        in 2019/20 about half of the schools did not test (sample-only year).

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic.national_tests import national_test_results
    >>> df = national_test_results(n_schools=2, school_years=["2018/19", "2023/24"], seed=1)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['school_year', 'municipality_code', 'institution_id', 'pupil_id', 'subject',
     'grade_level', 'level', 'percentile', 'points', 'good']
    >>> sorted(df["subject"].unique().cast(str).to_list())
    ['dansk_laesning', 'engelsk', 'fysik_kemi', 'matematik']
    """
    world = local_world(
        n_schools=n_schools,
        municipality_code=municipality_code,
        school_years=school_years,
        pupils_per_grade=pupils_per_grade,
        seed=seed,
    )
    result = pl.concat([national_test_rows(world, year) for year in world.years]).sort(
        "school_year", "institution_id", "grade_level", "pupil_id", "subject"
    )
    return result if lazy else result.collect()  # type: ignore[return-value]
