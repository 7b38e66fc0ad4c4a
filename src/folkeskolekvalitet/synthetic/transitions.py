"""Synthetic leavers of 9. klasse.

First-priority applications and statuses 3 and 15 months later, near the national
levels, with differences between schools.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.synthetic._population import (
    institution_id,
    pupil_cohorts,
    pupil_id,
    schools,
)
from folkeskolekvalitet.synthetic._random import uniform
from folkeskolekvalitet.transitions.catalogue import APPLICATION_ENUM, STATUS_ENUM

__all__ = ["transition_statuses"]


def _pick(u: pl.Expr, cuts: Sequence[tuple[float, str]], last: str) -> pl.Expr:
    """Category by cumulative probability: the first ``(cut, key)`` with ``u < cut``."""
    first_cut, first_key = cuts[0]
    expr: Any = pl.when(u < first_cut).then(pl.lit(first_key))
    for cut, key in cuts[1:]:
        expr = expr.when(u < cut).then(pl.lit(key))
    out: pl.Expr = expr.otherwise(pl.lit(last))
    return out


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
    years = [normalise_school_year(y) for y in cohorts]
    year_frame = pl.LazyFrame(
        {
            "cohort": years,
            "year_idx": list(range(len(years))),
            "end_year": [int(y[:4]) + 1 for y in years],
        }
    )
    pupils = pupil_cohorts(
        schools(n_schools, seed, effect_sd=0.08),
        year_frame,
        pupils_per_school=pupils_per_school,
        seed=seed,
        key_scale=100_000,
    ).with_columns(
        uniform(pl.col("pkey"), seed, 4).alias("u_app"),
        uniform(pl.col("pkey"), seed, 5).alias("u_3m"),
        uniform(pl.col("pkey"), seed, 6).alias("u_15m"),
    )
    # Fewer applicants for 10. klasse from the 2023 method change on.
    tenth = (
        0.50 + pl.col("school_effect") - pl.when(pl.col("end_year") >= 2023).then(0.05).otherwise(0)
    ).clip(0.05, 0.9)
    application = _pick(
        pl.col("u_app"),
        [(tenth, "tiende_klasse"), (tenth + 0.05, "oevrigt")],  # type: ignore[list-item]
        "ungdomsuddannelse",
    )
    pupils = pupils.with_columns(application.alias("app"))
    status_3m = (
        pl.when(pl.col("app") == "ungdomsuddannelse")
        .then(
            _pick(
                pl.col("u_3m"),
                [
                    (0.62, "gymnasial"),
                    (0.85, "erhvervsfaglig"),
                    (0.90, "anden_ungdomsuddannelse"),
                    (0.95, "andet"),
                ],
                "uoplyst",
            )
        )
        .when(pl.col("app") == "tiende_klasse")
        .then(_pick(pl.col("u_3m"), [(0.90, "tiende_klasse"), (0.95, "andet")], "uoplyst"))
        .otherwise(
            _pick(pl.col("u_3m"), [(0.10, "anden_ungdomsuddannelse"), (0.80, "andet")], "uoplyst")
        )
    )
    status_15m = (
        pl.when(pl.col("app") == "oevrigt")
        .then(
            _pick(
                pl.col("u_15m"),
                [(0.15, "anden_ungdomsuddannelse"), (0.25, "erhvervsfaglig"), (0.85, "andet")],
                "uoplyst",
            )
        )
        .otherwise(
            _pick(
                pl.col("u_15m"),
                [
                    (0.62, "gymnasial"),
                    (0.84, "erhvervsfaglig"),
                    (0.88, "anden_ungdomsuddannelse"),
                    (0.91, "tiende_klasse"),
                    (0.96, "andet"),
                ],
                "uoplyst",
            )
        )
    )
    result = pupils.select(
        "cohort",
        pl.lit(municipality_code).alias("municipality_code"),
        institution_id(municipality_code, n_schools).alias("institution_id"),
        pupil_id(seed, prefix="L").alias("pupil_id"),
        pl.col("app").cast(APPLICATION_ENUM).alias("application"),
        status_3m.cast(STATUS_ENUM).alias("status_3m"),
        status_15m.cast(STATUS_ENUM).alias("status_15m"),
    ).sort("cohort", "institution_id", "pupil_id")
    return result if lazy else result.collect()  # type: ignore[return-value]
