"""Synthetic national test results for all three regimes.

Shares near the published national ones: in the adaptive nationale test the
share of *good* readers per klassetrin follows the national figures of
2014/15-2020/21 (2. klasse 75 % ... ), about 12 % have poor results and 9 %
Fremragende; in the overgangstest about 72 % (læsning) and 75 % (matematik)
are "god til". Schools differ, about 3 % of pupils have no result, and in
2019/20 only about half of the schools tested (the sample-only year).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.national_tests.catalogue import SUBJECT_ENUM, obligatory_tests, regime_for
from folkeskolekvalitet.national_tests.levels import CRITERION_FIRST_YEAR, LEVEL_ENUM
from folkeskolekvalitet.synthetic._population import institution_id, pupil_id, schools
from folkeskolekvalitet.synthetic._random import normal, uniform

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
    years = [normalise_school_year(y) for y in school_years]
    tests = _tests_frame(years)
    school_frame = schools(n_schools, seed, effect_sd=0.3)
    starts = [parse_school_year(y) for y in years]
    year_frame = pl.LazyFrame(
        {
            "school_year": years,
            "year_idx": list(range(len(years))),
            "_start": starts,
            "_linear": [regime_for(y).result == "points" for y in years],
            "_flag_good": [regime_for(y).key == "overgangstest" for y in years],
            "_levels": [
                regime_for(y).result == "level" and s >= parse_school_year(CRITERION_FIRST_YEAR)
                for y, s in zip(years, starts, strict=True)
            ],
        }
    )
    cohorts = (
        school_frame.join(year_frame, how="cross")
        .join(tests.select("school_year", "grade_level").unique(), on="school_year")
        .with_columns(
            ((pl.col("school") * 100 + pl.col("year_idx")) * 16 + pl.col("grade_level")).alias(
                "ckey"
            )
        )
        .filter((pl.col("_start") != 2019) | (uniform(pl.col("school") * 100, seed, 3) < 0.5))
        .with_columns(
            (pl.col("size") * pupils_per_grade * (0.85 + 0.3 * uniform(pl.col("ckey"), seed, 4)))
            .round()
            .cast(pl.Int64)
            .clip(lower_bound=1)
            .alias("n")
        )
        .with_columns(pl.int_ranges(0, pl.col("n")).alias("pupil"))
        .explode("pupil")
        .with_columns((pl.col("ckey") * 10_000 + pl.col("pupil")).alias("pkey"))
        .with_columns(normal(pl.col("pkey"), seed, 5).alias("ability"))
    )
    rows = cohorts.join(tests, on=["school_year", "grade_level"]).with_columns(
        (pl.col("pkey") * 8 + pl.col("subject").cast(SUBJECT_ENUM).to_physical()).alias("rkey")
    )
    latent = (
        pl.col("school_effect") + 0.8 * pl.col("ability") + 0.52 * normal(pl.col("rkey"), seed, 6)
    )
    has_result = uniform(pl.col("rkey"), seed, 7) > _NO_RESULT
    criterion = pl.col("subject").is_in(["dansk_laesning", "matematik"])
    percentile = (
        (100.0 / (1.0 + (-1.702 * pl.col("_latent")).exp())).ceil().clip(1, 100).cast(pl.Int8)
    )
    max_points = pl.when(pl.col("grade_level") == 2).then(40.0).otherwise(60.0)
    points = (max_points / (1.0 + (-1.3 * (pl.col("_latent") + 1.0)).exp())).round().cast(pl.Int16)
    result = (
        rows.with_columns(latent.alias("_latent"), has_result.alias("_has"))
        .select(
            "school_year",
            pl.lit(municipality_code).alias("municipality_code"),
            institution_id(municipality_code, n_schools).alias("institution_id"),
            pupil_id(seed, digits=6).alias("pupil_id"),
            pl.col("subject").cast(SUBJECT_ENUM),
            pl.col("grade_level").cast(pl.Int8),
            pl.when(pl.col("_has") & pl.col("_levels") & criterion)
            .then(_level_from_latent(pl.col("_latent"), pl.col("_z_good")))
            .otherwise(None)
            .alias("level"),
            pl.when(pl.col("_has") & ~pl.col("_linear"))
            .then(percentile)
            .otherwise(None)
            .alias("percentile"),
            pl.when(pl.col("_has") & pl.col("_linear"))
            .then(points)
            .otherwise(None)
            .alias("points"),
            pl.when(pl.col("_has") & pl.col("_flag_good"))
            .then(pl.col("_latent") >= pl.col("_z_good"))
            .otherwise(None)
            .alias("good"),
        )
        .sort("school_year", "institution_id", "grade_level", "pupil_id", "subject")
    )
    return result if lazy else result.collect()  # type: ignore[return-value]
