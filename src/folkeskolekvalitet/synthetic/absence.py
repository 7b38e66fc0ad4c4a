"""Synthetic absence records.

Skewed pupil absence near the national levels, differences between schools,
pupils registered for part of the year, and records per calendar quarter. The
pupils come from the same population machinery as
:func:`folkeskolekvalitet.synthetic.country`: pupils with a lower socio-economic
index are absent more often.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet.synthetic._world import absence_rows, local_world

__all__ = ["absence_records"]


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
        Average number of pupils (0.-9. klasse) per school and year (a tenth
        of them in each grade level); schools differ in size by up to about
        ±45 %.
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
        0.5 % for no month at all. Average total absence follows the national
        level of the year (5-8 %) with about 15 % of pupils above 10 %; schools
        differ by about ±20 %.

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
    world = local_world(
        n_schools=n_schools,
        municipality_code=municipality_code,
        school_years=school_years,
        pupils_per_grade=pupils_per_school / 10,
        seed=seed,
    )
    order = ["school_year", "institution_id", "pupil_id"] + (["quarter"] if quarterly else [])
    result = pl.concat(
        [absence_rows(world, year, quarterly=quarterly) for year in world.years]
    ).sort(order)
    return result if lazy else result.collect()  # type: ignore[return-value]
