"""Synthetic exam registrations.

Grade distributions near the national ones, differences between schools,
pupils missing exams, exception codes. The pupils and their grades come from
the same population machinery as :func:`folkeskolekvalitet.synthetic.country`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import polars as pl

from folkeskolekvalitet.synthetic._world import exam_rows, local_world

__all__ = ["exam_grades"]


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
        in size by up to about ±45 %; at most 300).
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
        code stands) and ``exception_code`` (Enum). The yearly national
        average follows the published one (7,3 in 2017/18 ... 7,8 in 2020/21);
        about 1 % of pupils are exempt from all exams and 4 % miss some exams
        (absent or sick), more often the weaker pupils; schools differ by
        about ±0.8 grade points. Pupil ids are ``"E"`` and eleven digits.

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
    world = local_world(
        n_schools=n_schools,
        municipality_code=municipality_code,
        school_years=school_years,
        pupils_per_grade=pupils_per_school,
        seed=seed,
    )
    result = pl.concat([exam_rows(world, year) for year in world.years]).sort(
        "school_year", "institution_id", "pupil_id", "exam"
    )
    return result if lazy else result.collect()
