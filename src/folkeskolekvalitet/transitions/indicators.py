"""Transition indicators: status shares 3 and 15 months after 9. klasse, application shares.

Input: one row per pupil leaving 9. klasse with ``cohort`` (the school year the
pupil left), ``institution_id``, ``pupil_id``, ``status_3m``, ``status_15m``
and ``application`` (see :doc:`/user_guide/transitions`). Only the column a
rule needs must be present.

Sources
-------
- Overgang til uddannelser: https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser
- Søgning til ungdomsuddannelserne (1. prioritet; 2023 method break):
  https://www.uvm.dk/statistik/grundskolen/elever/soegning-til-ungdomsuddannelser/soegning-til-ungdomsuddannelserne
- Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4 (status on
  1 October; the 35 % goal for 10. klasse, measured on applications).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.frames import FrameT, like_input, normalise_by
from folkeskolekvalitet._core.verdicts import threshold_met
from folkeskolekvalitet.transitions._input import MEASURES, prepare
from folkeskolekvalitet.transitions.catalogue import (
    APPLICATION_METHOD_ENUM,
    BALLERUP_TENTH_GRADE_GOAL,
    METHOD_BREAK_YEAR,
    TransitionGoal,
    in_youth_education,
)

__all__ = ["application_shares", "check_goal", "status_shares", "youth_education_share"]

DEFAULT_BY = ("cohort", "institution_id")

HorizonKey = Literal["3m", "15m"]


def _measure_of(horizon: str) -> str:
    if horizon not in ("3m", "15m"):
        msg = f"horizon must be '3m' or '15m', not {horizon!r}"
        raise ValueError(msg)
    return f"status_{horizon}"


def _method(start_min: pl.Expr, start_max: pl.Expr) -> pl.Expr:
    """Return the application method of a group from its cohorts' start years.

    The applications are made in March of the cohort's end year.
    """
    first_new = METHOD_BREAK_YEAR - 1
    return (
        pl.when(start_min >= first_new)
        .then(pl.lit("from_2023"))
        .when(start_max < first_new)
        .then(pl.lit("before_2023"))
        .when(start_min.is_not_null())
        .then(pl.lit("mixed"))
        .otherwise(None)
        .cast(APPLICATION_METHOD_ENUM)
    )


def _shares(rows: pl.LazyFrame, by_cols: tuple[str, ...], measure: str) -> pl.LazyFrame:
    """One row per group and category (zero rows kept): n, n_pupils, share, _min, _max.

    One pass over the rows (counts per group and category); the group totals come
    from the counts.
    """
    enum = MEASURES[measure][1]
    categories = pl.LazyFrame({"category": pl.Series(enum.categories).cast(enum)})
    counts = rows.group_by([*by_cols, "category"]).agg(
        pl.len().cast(pl.UInt32).alias("_n"),
        pl.col("_start").min().alias("_min"),
        pl.col("_start").max().alias("_max"),
    )
    totals_aggs = [
        pl.col("_n").sum().cast(pl.UInt32).alias("n_pupils"),
        pl.col("_min").min(),
        pl.col("_max").max(),
    ]
    if by_cols:
        totals = counts.group_by(list(by_cols)).agg(totals_aggs)
        grid = totals.join(categories, how="cross").join(
            counts.drop("_min", "_max"), on=[*by_cols, "category"], how="left", nulls_equal=True
        )
    else:
        totals = counts.select(totals_aggs)
        grid = totals.join(categories, how="cross").join(
            counts.drop("_min", "_max"), on="category", how="left"
        )
    return grid.with_columns(pl.col("_n").fill_null(0).cast(pl.UInt32).alias("n")).with_columns(
        safe_share(pl.col("n"), pl.col("n_pupils")).alias("share")
    )


def status_shares(
    statuses: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    horizon: HorizonKey = "3m",
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Distribution of a cohort's education status 3 or 15 months after 9. klasse.

    The status is measured on 1 October of the leaving year (3 months) or of the
    year after (15 months). Every leaver counts in the denominator, also
    ``uoplyst`` (those who have not transferred to an education).

    Parameters
    ----------
    statuses
        One row per leaver: ``cohort``, ``institution_id``, ``pupil_id`` and
        ``status_3m`` or ``status_15m`` (the keys of
        :data:`~folkeskolekvalitet.transitions.STATUSES`).
    by
        Grouping columns, e.g. ``("cohort", "municipality_code")``.
    horizon
        ``"3m"`` (default) or ``"15m"``.
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and ``status`` (Enum, every status, also those with
        no pupil): ``n`` (pupils with the status), ``n_pupils`` (leavers
        in the group: the denominator), ``share`` (null when the group is empty),
        ``youth_education`` (whether the status is a youth education) and
        ``valid`` (false for ``tiende_klasse`` at 3 months, which cannot be
        measured validly then).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.transitions import status_shares
    >>> leavers = pl.DataFrame(
    ...     {
    ...         "cohort": "2017/18",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "status_3m": ["gymnasial", "gymnasial", "erhvervsfaglig", "uoplyst"],
    ...     }
    ... )
    >>> status_shares(leavers).select("status", "n", "n_pupils", "share")
    shape: (6, 4)
    ┌─────────────────────────┬─────┬──────────┬───────┐
    │ status                  ┆ n   ┆ n_pupils ┆ share │
    │ ---                     ┆ --- ┆ ---      ┆ ---   │
    │ enum                    ┆ u32 ┆ u32      ┆ f64   │
    ╞═════════════════════════╪═════╪══════════╪═══════╡
    │ gymnasial               ┆ 2   ┆ 4        ┆ 0.5   │
    │ erhvervsfaglig          ┆ 1   ┆ 4        ┆ 0.25  │
    │ anden_ungdomsuddannelse ┆ 0   ┆ 4        ┆ 0.0   │
    │ tiende_klasse           ┆ 0   ┆ 4        ┆ 0.0   │
    │ andet                   ┆ 0   ┆ 4        ┆ 0.0   │
    │ uoplyst                 ┆ 1   ┆ 4        ┆ 0.25  │
    └─────────────────────────┴─────┴──────────┴───────┘

    Source: https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    measure = _measure_of(horizon)
    rows = prepare(statuses, measure=measure, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    grid = _shares(rows, by_cols, measure)
    youth = in_youth_education("category")
    valid = pl.lit(value=True) if horizon == "15m" else pl.col("category") != "tiende_klasse"
    result = grid.select(
        *by_cols,
        pl.col("category").alias("status"),
        "n",
        "n_pupils",
        "share",
        youth.alias("youth_education"),
        valid.alias("valid"),
    )
    return like_input(statuses, sort_groups(result, (*by_cols, "status")))


def application_shares(
    statuses: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Distribution of first-priority applications in March of 9. klasse (søgning).

    Categories: ``ungdomsuddannelse``, ``tiende_klasse`` and ``oevrigt``
    (10. klasse på specialskole, 11. skoleår, produktionsskole,
    ungdomshøjskole, VUC, abroad, work and other). The figures show what was
    applied for, not where the pupils start.

    The ministry changed the method in 2023 ("direkte fra skole" now means
    attached to a grundskole when applying), so applications from cohort
    2022/23 on are not fully comparable with earlier ones: the ``method``
    column says which side of the break a group is on (``"mixed"`` when it
    pools cohorts from both sides).

    Parameters
    ----------
    statuses
        One row per leaver: ``cohort``, ``institution_id``, ``pupil_id`` and
        ``application``.
    by
        Grouping columns.
    allow_cpr, validate
        As in :func:`status_shares`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and ``application`` (Enum, every category):
        ``n`` (pupils with the category), ``n_pupils`` (the denominator), ``share``
        and ``method`` (Enum
        ``before_2023`` / ``from_2023`` / ``mixed``).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.transitions import application_shares
    >>> leavers = pl.DataFrame(
    ...     {
    ...         "cohort": ["2021/22", "2021/22", "2022/23", "2022/23"],
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "application": ["tiende_klasse", "ungdomsuddannelse"] * 2,
    ...     }
    ... )
    >>> out = application_shares(leavers, by="cohort")
    >>> out.filter(pl.col("application") == "tiende_klasse").select(
    ...     "cohort", "n", "n_pupils", "share", "method"
    ... )
    shape: (2, 5)
    ┌─────────┬─────┬──────────┬───────┬─────────────┐
    │ cohort  ┆ n   ┆ n_pupils ┆ share ┆ method      │
    │ ---     ┆ --- ┆ ---      ┆ ---   ┆ ---         │
    │ str     ┆ u32 ┆ u32      ┆ f64   ┆ enum        │
    ╞═════════╪═════╪══════════╪═══════╪═════════════╡
    │ 2021/22 ┆ 1   ┆ 2        ┆ 0.5   ┆ before_2023 │
    │ 2022/23 ┆ 1   ┆ 2        ┆ 0.5   ┆ from_2023   │
    └─────────┴─────┴──────────┴───────┴─────────────┘

    Source: https://www.uvm.dk/statistik/grundskolen/elever/soegning-til-ungdomsuddannelser/soegning-til-ungdomsuddannelserne
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    rows = prepare(
        statuses, measure="application", by=by_cols, allow_cpr=allow_cpr, validate=validate
    )
    grid = _shares(rows, by_cols, "application")
    result = grid.select(
        *by_cols,
        pl.col("category").alias("application"),
        "n",
        "n_pupils",
        "share",
        _method(pl.col("_min"), pl.col("_max")).alias("method"),
    )
    return like_input(statuses, sort_groups(result, (*by_cols, "application")))


def youth_education_share(
    statuses: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    horizon: HorizonKey = "3m",
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of leavers in a youth education 3 or 15 months after 9. klasse.

    The kvalitetsrapport's "Andel unge, der er i gang med en ungdomsuddannelse
    3 (15) måneder efter 9. klasse": statuses ``gymnasial``,
    ``erhvervsfaglig`` and ``anden_ungdomsuddannelse`` over all leavers.

    Parameters
    ----------
    statuses
        As in :func:`status_shares`.
    by
        Grouping columns.
    horizon
        ``"3m"`` (default) or ``"15m"``.
    allow_cpr, validate
        As in :func:`status_shares`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: ``n_pupils`` (leavers), ``n_in_education`` and
        ``share``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.transitions import youth_education_share
    >>> leavers = pl.DataFrame(
    ...     {
    ...         "cohort": "2017/18",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "status_15m": ["gymnasial", "andet", "erhvervsfaglig", "uoplyst"],
    ...     }
    ... )
    >>> youth_education_share(leavers, horizon="15m").select(
    ...     "n_pupils", "n_in_education", "share"
    ... ).row(0)
    (4, 2, 0.5)

    Source: https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    measure = _measure_of(horizon)
    rows = prepare(statuses, measure=measure, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    youth = in_youth_education("category")
    aggs = [
        pl.len().cast(pl.UInt32).alias("n_pupils"),
        youth.sum().cast(pl.UInt32).alias("n_in_education"),
    ]
    result = rows.group_by(list(by_cols)).agg(aggs) if by_cols else rows.select(aggs)
    result = result.with_columns(
        safe_share(pl.col("n_in_education"), pl.col("n_pupils")).alias("share")
    )
    return like_input(statuses, sort_groups(result, by_cols))


def _fraction(value: object) -> float:
    """``value`` as a float in [0, 1]; ValueError for anything else (bool, str, NaN, 35)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= float(value) <= 1.0:
        msg = f"max_share is a fraction in [0, 1] (35 % is 0.35), not {value!r}"
        raise ValueError(msg)
    return float(value)


def check_goal(
    statuses: FrameT,
    goal: TransitionGoal = BALLERUP_TENTH_GRADE_GOAL,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    max_share: float | None = None,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Check a goal of the form "at most x % of a cohort in a category" per group.

    The default goal is Ballerup's: at most 35 % of a cohort to 10. klasse,
    measured on first-priority applications. A share exactly at the limit
    meets the goal ("højst").

    Parameters
    ----------
    statuses
        Leavers with the column the goal measures (``application`` for
        Ballerup's goal).
    goal
        The goal (:class:`~folkeskolekvalitet.transitions.TransitionGoal`).
    by
        Grouping columns.
    max_share
        Override the goal's limit (a fraction, e.g. 0.30).
    allow_cpr, validate
        As in :func:`status_shares`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: ``n_pupils`` (the cohort), ``n_category``,
        ``share``, ``max_share`` and ``met`` (null when the group is empty).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.transitions import check_goal
    >>> leavers = pl.DataFrame(
    ...     {
    ...         "cohort": "2017/18",
    ...         "institution_id": "151001",
    ...         "pupil_id": [f"p{i}" for i in range(20)],
    ...         "application": ["tiende_klasse"] * 7 + ["ungdomsuddannelse"] * 13,
    ...     }
    ... )
    >>> check_goal(leavers).select("n_pupils", "n_category", "share", "met").row(0)
    (20, 7, 0.35, True)

    Source: Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4.
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    limit = _fraction(goal.max_share if max_share is None else max_share)
    measure = "application" if goal.measure == "application" else f"status_{goal.measure}"
    if goal.category not in MEASURES[measure][0]:
        msg = f"goal category {goal.category!r} is not a code of {measure}"
        raise ValueError(msg)
    rows = prepare(statuses, measure=measure, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    grid = _shares(rows, by_cols, measure).filter(pl.col("category") == goal.category)
    result = grid.select(
        *by_cols,
        "n_pupils",
        pl.col("n").alias("n_category"),
        "share",
        pl.lit(limit, dtype=pl.Float64).alias("max_share"),
        threshold_met(pl.col("share"), pl.lit(limit), side="at_most").alias("met"),
    )
    return like_input(statuses, sort_groups(result, by_cols))
