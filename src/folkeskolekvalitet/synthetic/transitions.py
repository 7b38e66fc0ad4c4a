"""Synthetic leavers of 9. klasse.

First-priority applications and statuses 3 and 15 months later, near the national
levels, with differences between schools. The leavers come from the same
population machinery as :func:`folkeskolekvalitet.synthetic.country`: stronger
pupils apply less often for 10. klasse and more often for a gymnasial education.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet.synthetic._world import local_world, transition_rows

__all__ = ["transition_statuses"]


def transition_statuses(
    *,
    n_schools: int = 8,
    cohorts: Sequence[str] = ("2019/20", "2020/21", "2021/22", "2022/23"),
    pupils_per_school: int = 55,
    municipality_code: str = "151",
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame:
    """Synthetic leavers of 9. klasse of one municipality (or a country) over several cohorts.

    Parameters
    ----------
    n_schools
        Number of schools (institution ids as in
        :func:`~folkeskolekvalitet.synthetic.exam_grades`).
    cohorts
        The school years the pupils leave 9. klasse.
    pupils_per_school
        Average number of leavers per school and cohort (schools differ in size
        by up to about ±40 %).
    municipality_code
        Three-digit municipality code, included as a column.
    seed
        Seed; the same seed gives the same data.
    lazy
        Return a LazyFrame instead of a DataFrame.

    Returns
    -------
    DataFrame
        One row per leaver: ``cohort``, ``municipality_code``,
        ``institution_id``, ``pupil_id``, ``application`` (Enum; about half
        apply for 10. klasse, fewer from cohort 2022/23), ``status_3m`` and
        ``status_15m`` (Enum; about 40 % in a youth education after 3 months
        and 85 % after 15 months, following the application).

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic.transitions import transition_statuses
    >>> df = transition_statuses(n_schools=2, cohorts=["2017/18"], seed=1)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['cohort', 'municipality_code', 'institution_id', 'pupil_id', 'application',
     'status_3m', 'status_15m']
    """
    world = local_world(
        n_schools=n_schools,
        municipality_code=municipality_code,
        school_years=cohorts,
        pupils_per_grade=pupils_per_school,
        seed=seed,
    )
    result = pl.concat([transition_rows(world, year) for year in world.years]).sort(
        "cohort", "institution_id", "pupil_id"
    )
    return result if lazy else result.collect()  # type: ignore[return-value]
