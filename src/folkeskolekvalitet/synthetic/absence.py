"""Synthetic absence records.

Skewed pupil absence near the national levels, differences between schools,
pupils registered for part of the year, and records per calendar quarter.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.synthetic._population import (
    institution_id,
    pupil_cohorts,
    pupil_id,
    schools,
)
from folkeskolekvalitet.synthetic._random import normal, uniform

__all__ = ["absence_records"]

# School days and months per calendar quarter, in school-year order (Q3 = August-September,
# Q4, Q1, Q2 = April-June); about 200 school days and 11 months (August-June) in a year.
_QUARTERS = pl.LazyFrame(
    {
        "quarter": [3, 4, 1, 2],
        "q_days": [36.0, 56.0, 58.0, 50.0],
        "q_months": [2.0, 3.0, 3.0, 3.0],
        "months_after": [9.0, 6.0, 3.0, 0.0],
    },
    schema_overrides={"quarter": pl.Int8},
)


def absence_records(
    *,
    n_schools: int = 8,
    school_years: Sequence[str] = ("2017/18", "2018/19"),
    pupils_per_school: int = 400,
    quarterly: bool = False,
    municipality_code: str = "151",
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame:
    """Synthetic absence records of one municipality (or a country) over several years.

    Parameters
    ----------
    n_schools
        Number of schools. Institution ids are the municipality code followed
        by a three-digit number (``"151001"``); with more than 999 schools the
        number grows to more digits.
    school_years
        School years, e.g. ``("2017/18", "2018/19")``.
    pupils_per_school
        Average number of pupils (0.-9. klasse) per school and year; schools
        differ in size by up to about ±40 %.
    quarterly
        One row per pupil and calendar quarter (with a ``quarter`` column),
        instead of one row per pupil and school year.
    municipality_code
        Three-digit municipality code, included as a column.
    seed
        Seed; the same seed gives the same data.
    lazy
        Return a LazyFrame instead of a DataFrame.

    Returns
    -------
    DataFrame
        ``school_year``, (``quarter``,) ``municipality_code``,
        ``institution_id``, ``pupil_id``, ``grade_level`` (Int8, 0-9),
        ``school_days``, ``sick_days``, ``authorised_days``,
        ``unauthorised_days`` and ``months_registered`` (Int32 / Int8). About
        200 school days and 11 registered months in a full year; about 5 % of
        pupils are registered for part of the year (they arrived later) and
        0.5 % for no month at all. Average total absence is about 5-6 % with
        about 10 % of pupils above 10 %; schools differ by about ±25 %.

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic.absence import absence_records
    >>> df = absence_records(n_schools=2, school_years=["2018/19"], seed=1)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['school_year', 'municipality_code', 'institution_id', 'pupil_id', 'grade_level',
     'school_days', 'sick_days', 'authorised_days', 'unauthorised_days', 'months_registered']
    >>> absence_records(n_schools=1, school_years=["2018/19"], quarterly=True)[
    ...     "quarter"
    ... ].unique().sort().to_list()
    [1, 2, 3, 4]
    """
    years = [normalise_school_year(y) for y in school_years]
    year_frame = pl.LazyFrame({"school_year": years, "year_idx": list(range(len(years)))})
    u = "u_pupil"
    pupils = (
        pupil_cohorts(
            schools(n_schools, seed, effect_sd=0.25),
            year_frame,
            pupils_per_school=pupils_per_school,
            seed=seed,
            key_scale=1_000_000,
        )
        .with_columns(uniform(pl.col("pkey"), seed, 4).alias(u))
        .with_columns(
            pl.when(pl.col(u) < 0.005)
            .then(0.0)
            .when(pl.col(u) < 0.055)
            .then((1 + (uniform(pl.col("pkey"), seed, 5) * 10).floor()).clip(upper_bound=10))
            .otherwise(11.0)
            .alias("months"),
            (pl.col("school_effect") + 0.7 * normal(pl.col("pkey"), seed, 6)).alias("z_sick"),
            (pl.col("school_effect") + 0.9 * normal(pl.col("pkey"), seed, 7)).alias("z_auth"),
            (pl.col("school_effect") + 1.0 * normal(pl.col("pkey"), seed, 8)).alias("z_unauth"),
            (uniform(pl.col("pkey"), seed, 9) < 0.15).alias("truant"),
            (uniform(pl.col("pkey"), seed, 10) * 10).floor().cast(pl.Int8).alias("grade_level"),
        )
        .with_columns(
            (0.025 * pl.col("z_sick").exp()).clip(upper_bound=0.6).alias("p_sick"),
            (0.008 * pl.col("z_auth").exp()).clip(upper_bound=0.3).alias("p_auth"),
            (pl.when(pl.col("truant")).then(0.018).otherwise(0.0015) * pl.col("z_unauth").exp())
            .clip(upper_bound=0.6)
            .alias("p_unauth"),
        )
    )
    rows = pupils.join(_QUARTERS, how="cross").with_columns(
        (pl.col("pkey") * 8 + pl.col("quarter").cast(pl.Int64)).alias("qkey"),
        (pl.col("months") - pl.col("months_after"))
        .clip(lower_bound=0.0, upper_bound=pl.col("q_months"))
        .alias("months_q"),
    )
    days = (pl.col("q_days") * pl.col("months_q") / pl.col("q_months")).round()

    def draw(p: str, stream: int) -> pl.Expr:
        noise = (0.4 * normal(pl.col("qkey"), seed, stream)).exp()
        return (pl.col("school_days") * pl.col(p) * noise).round()

    rows = (
        rows.with_columns(days.alias("school_days"))
        .with_columns(draw("p_sick", 11).clip(upper_bound=pl.col("school_days")).alias("sick_days"))
        .with_columns(
            draw("p_auth", 12)
            .clip(upper_bound=pl.col("school_days") - pl.col("sick_days"))
            .alias("authorised_days")
        )
        .with_columns(
            draw("p_unauth", 13)
            .clip(
                upper_bound=pl.col("school_days") - pl.col("sick_days") - pl.col("authorised_days")
            )
            .alias("unauthorised_days")
        )
    )
    ids: list[pl.Expr | str] = [
        "school_year",
        pl.lit(municipality_code).alias("municipality_code"),
        institution_id(municipality_code, n_schools).alias("institution_id"),
        pupil_id(seed).alias("pupil_id"),
        "grade_level",
    ]
    counts = ("school_days", "sick_days", "authorised_days", "unauthorised_days")
    if quarterly:
        result = rows.select(
            ids[0],
            "quarter",
            *ids[1:],
            *[pl.col(c).cast(pl.Int32) for c in counts],
            pl.col("months_q").cast(pl.Int8).alias("months_registered"),
        ).sort("school_year", "institution_id", "pupil_id", "quarter")
    else:
        result = (
            rows.group_by("school_year", "school", "pkey", "grade_level")
            .agg(*[pl.col(c).sum() for c in counts], pl.col("months_q").sum())
            .select(
                *ids,
                *[pl.col(c).cast(pl.Int32) for c in counts],
                pl.col("months_q").cast(pl.Int8).alias("months_registered"),
            )
            .sort("school_year", "institution_id", "pupil_id")
        )
    return result if lazy else result.collect()  # type: ignore[return-value]
