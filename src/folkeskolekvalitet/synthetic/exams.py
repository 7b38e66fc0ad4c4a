"""Synthetic exam registrations.

Grade distributions near the national ones, differences between schools,
pupils missing exams, exception codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.exams.catalogue import EXAM_ENUM, bound_exams
from folkeskolekvalitet.exams.grades import EXCEPTION_CODE_ENUM, GRADE_ENUM
from folkeskolekvalitet.synthetic._population import (
    institution_id,
    pupil_cohorts,
    pupil_id,
    schools,
)
from folkeskolekvalitet.synthetic._random import normal, uniform

__all__ = ["exam_grades"]

# Standard-normal cut points giving roughly the national grade distribution of
# the bound exams (about 2 % -3, 5 % 00, 10 % 02, 18 % 4, 28 % 7, 25 % 10, 12 % 12;
# mean near 7 at pupil level, as in the published national averages 2017-2023).
_CUTS = (-2.054, -1.476, -0.954, -0.385, 0.332, 1.175)


def _grade_from_latent(latent: pl.Expr) -> pl.Expr:
    step = pl.sum_horizontal([(latent >= cut).cast(pl.Int8) for cut in _CUTS])
    texts = dict(enumerate(GRADE_ENUM.categories.to_list()))
    return step.replace_strict(texts, return_dtype=GRADE_ENUM)


@overload
def exam_grades(
    *,
    n_schools: int = ...,
    school_years: Sequence[str] = ...,
    pupils_per_school: int = ...,
    municipality_code: str = ...,
    seed: int = ...,
    lazy: Literal[False] = ...,
) -> pl.DataFrame: ...


@overload
def exam_grades(
    *,
    n_schools: int = ...,
    school_years: Sequence[str] = ...,
    pupils_per_school: int = ...,
    municipality_code: str = ...,
    seed: int = ...,
    lazy: Literal[True],
) -> pl.LazyFrame: ...


def exam_grades(
    *,
    n_schools: int = 8,
    school_years: Sequence[str] = ("2015/16", "2016/17", "2017/18", "2018/19"),
    pupils_per_school: int = 60,
    municipality_code: str = "151",
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame | pl.LazyFrame:
    """Synthetic exam registrations of one municipality (or a country) over several years.

    Parameters
    ----------
    n_schools
        Number of schools. Institution ids are the municipality code followed
        by a three-digit number (``"151001"``); with more than 999 schools the
        number grows to more digits.
    school_years
        School years in the confirmed exam catalogue (2006/07-2024/25); each
        year gets its own bound exams.
    pupils_per_school
        Average number of 9. klasse pupils per school and year (schools differ
        in size by up to about ±40 %).
    municipality_code
        Three-digit municipality code, included as a column.
    seed
        Seed; the same seed gives the same data.
    lazy
        Return a LazyFrame instead of a DataFrame.

    Returns
    -------
    DataFrame
        One row per pupil and bound delprøve: ``school_year``,
        ``municipality_code``, ``institution_id``, ``pupil_id``, ``exam``
        (Enum), ``grade`` (Enum of the 7-trinsskala, null where an exception
        code stands) and ``exception_code`` (Enum). About 1 % of pupils are
        exempt from all exams, 3 % miss some exams (absent or sick), and schools
        differ by about ±0.8 grade points.

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic import exam_grades
    >>> df = exam_grades(n_schools=2, school_years=["2017/18"], seed=1)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['school_year', 'municipality_code', 'institution_id', 'pupil_id', 'exam', 'grade',
     'exception_code']
    >>> df["exam"].n_unique()
    8
    """
    years = [normalise_school_year(y) for y in school_years]
    catalogue = pl.LazyFrame(
        [(y, e.key) for y in years for e in bound_exams(y)],
        schema={"school_year": pl.String, "exam": pl.String},
        orient="row",
    )
    year_frame = pl.LazyFrame({"school_year": years, "year_idx": list(range(len(years)))})
    pupils = pupil_cohorts(
        schools(n_schools, seed, effect_sd=0.3),
        year_frame,
        pupils_per_school=pupils_per_school,
        seed=seed,
        key_scale=100_000,
    ).with_columns(
        normal(pl.col("pkey"), seed, 4).alias("ability"),
        uniform(pl.col("pkey"), seed, 5).alias("u_pupil"),
    )
    rows = pupils.join(catalogue, on="school_year").with_columns(
        (pl.col("pkey").cast(pl.String) + pl.col("exam")).hash(seed).alias("rkey")
    )
    latent = (
        pl.col("school_effect") + 0.8 * pl.col("ability") + 0.5 * normal(pl.col("rkey"), seed, 6)
    )
    u_row = uniform(pl.col("rkey"), seed, 7)
    exempt_all = pl.col("u_pupil") < 0.01
    misses_some = (pl.col("u_pupil") >= 0.01) & (pl.col("u_pupil") < 0.04)
    code = (
        pl.when(exempt_all)
        .then(pl.when(pl.col("u_pupil") < 0.005).then(pl.lit("88")).otherwise(pl.lit("85")))
        .when(misses_some & (u_row < 0.5))
        .then(pl.when(u_row < 0.3).then(pl.lit("87")).otherwise(pl.lit("89")))
        .when(u_row < 0.004)
        .then(pl.lit("89"))
        .otherwise(None)
        .cast(EXCEPTION_CODE_ENUM)
    )
    result = (
        rows.with_columns(code.alias("exception_code"))
        .with_columns(
            pl.when(pl.col("exception_code").is_null())
            .then(_grade_from_latent(latent))
            .otherwise(None)
            .alias("grade")
        )
        .select(
            "school_year",
            pl.lit(municipality_code).alias("municipality_code"),
            institution_id(municipality_code, n_schools).alias("institution_id"),
            pupil_id(seed).alias("pupil_id"),
            pl.col("exam").cast(EXAM_ENUM),
            "grade",
            "exception_code",
        )
        .sort("school_year", "institution_id", "pupil_id", "exam")
    )
    return result if lazy else result.collect()
