"""The verdict arithmetic of goals, as Polars expressions: one rule for every goal in the library.

A goal is met when a value lies on the right side of a target (a threshold), when a value
moved the right way (a direction), or when it lies on the right side of the point a straight
trajectory from a baseline to a deadline has reached (a dated target). Whether a verdict is
*certain* is read from an interval: the interval lies wholly on the verdict's side.

Every family function that states a goal (``national_tests.goal_status``,
``transitions.check_goal``, ``competence.compare_to_target``) and
:func:`folkeskolekvalitet.goals.evaluate` use these expressions, so their verdicts agree by
construction.

Source: folkeskolekvalitet's ``RULES.md`` §8 (the kinds of goals in the seeds); the national
goals at https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/om-nationale-maal
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from folkeskolekvalitet._core.exprs import divided_by

__all__ = [
    "DIRECTIONS",
    "TOLERANCE",
    "VERDICTS",
    "VERDICT_ENUM",
    "certain",
    "direction",
    "threshold_met",
    "trajectory_target",
    "verdict",
]

#: The verdicts of a goal.
VERDICTS: tuple[str, ...] = ("met", "not_met", "not_evaluable")
#: The verdicts as a Polars Enum.
VERDICT_ENUM = pl.Enum(VERDICTS)
#: The directions of a change.
DIRECTIONS: tuple[str, ...] = ("up", "down", "unchanged")

#: A value this close to its target (relative to the target's size, at least 1) counts as at
#: the target: ``0.1 + 0.2`` meets a target of ``0.3``, and a share computed as ``36 / 45``
#: meets ``0.8``. Far below any difference of counts a school or a country can produce.
TOLERANCE = 1e-12

Side = Literal["at_least", "at_most"]


def _slack(target: pl.Expr) -> pl.Expr:
    return pl.max_horizontal(target.abs(), pl.lit(1.0)) * TOLERANCE


def _check_side(side: object) -> None:
    if side not in ("at_least", "at_most"):
        msg = f"side must be 'at_least' or 'at_most', not {side!r}"
        raise ValueError(msg)


def threshold_met(value: pl.Expr, target: pl.Expr, *, side: Side = "at_least") -> pl.Expr:
    """Whether ``value`` meets ``target`` from ``side``: ``value >= target`` or ``value <= target``.

    A value at the target meets it ("mindst", "højst"), within :data:`TOLERANCE`. Null when the
    value or the target is null.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.verdicts import threshold_met
    >>> df = pl.DataFrame({"v": [0.8, 36 / 45, 0.79, None], "t": 0.8})
    >>> df.select(threshold_met(pl.col("v"), pl.col("t")).alias("met"))["met"].to_list()
    [True, True, False, None]
    >>> df.select(threshold_met(pl.col("v"), pl.lit(0.35), side="at_most").alias("m"))[
    ...     "m"
    ... ].to_list()
    [False, False, False, None]
    """
    _check_side(side)
    if side == "at_most":
        return value <= target + _slack(target)
    return value >= target - _slack(target)


def direction(difference: pl.Expr, *, significant: pl.Expr | None = None) -> pl.Expr:
    """The direction of a change: ``"up"``, ``"down"`` or ``"unchanged"`` (String; null for null).

    ``difference`` is the new value minus the old one. With ``significant`` given, a change
    that is not significant is ``"unchanged"``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.verdicts import direction
    >>> df = pl.DataFrame({"d": [0.02, -0.01, 0.0, None], "s": [True, False, False, None]})
    >>> df.select(
    ...     direction(pl.col("d")).alias("a"),
    ...     direction(pl.col("d"), significant=pl.col("s")).alias("b"),
    ... )
    shape: (4, 2)
    ┌───────────┬───────────┐
    │ a         ┆ b         │
    │ ---       ┆ ---       │
    │ str       ┆ str       │
    ╞═══════════╪═══════════╡
    │ up        ┆ up        │
    │ down      ┆ unchanged │
    │ unchanged ┆ unchanged │
    │ null      ┆ null      │
    └───────────┴───────────┘
    """
    moved = pl.lit(value=True) if significant is None else significant.fill_null(value=False)
    return (
        pl.when(difference.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when((difference > 0) & moved)
        .then(pl.lit("up"))
        .when((difference < 0) & moved)
        .then(pl.lit("down"))
        .otherwise(pl.lit("unchanged"))
    )


def trajectory_target(
    baseline: pl.Expr,
    final: pl.Expr,
    year: pl.Expr,
    baseline_year: pl.Expr,
    deadline: pl.Expr,
) -> pl.Expr:
    """The target of ``year`` on the straight trajectory from ``baseline`` to ``final``.

    ``baseline`` is the value in ``baseline_year``; ``final`` is the target to be reached by
    ``deadline``. Years are the start years of school years (integers: 2017 for 2017/18). From
    the deadline on the target is ``final``; without a deadline (null) it is ``final`` from the
    baseline year on, and without a baseline year ``final`` throughout. Before the baseline
    year the result is null.

    Examples
    --------
    Kalundborg's +10 percentage points from 2017/18 (60 %) to 2020/21:

    >>> import polars as pl
    >>> from folkeskolekvalitet._core.verdicts import trajectory_target
    >>> df = pl.DataFrame({"year": [2016, 2017, 2018, 2019, 2020, 2021]})
    >>> df.select(
    ...     trajectory_target(
    ...         pl.lit(0.60), pl.lit(0.70), pl.col("year"), pl.lit(2017), pl.lit(2020)
    ...     )
    ...     .round(4)
    ...     .alias("target")
    ... )["target"].to_list()
    [None, 0.6, 0.6333, 0.6667, 0.7, 0.7]
    """
    span = (deadline - baseline_year).cast(pl.Float64)
    done = (year - baseline_year).cast(pl.Float64)
    # divided exactly: Polars divides by a single value through its reciprocal, one bit
    # off for some values (and then only in frames of several rows); the result equals
    # Python's ``b + (f - b) * d / s``
    on_path = baseline + divided_by((final - baseline) * done, span)
    return (
        pl.when(baseline_year.is_null())
        .then(final)
        .when(year < baseline_year)
        .then(pl.lit(None, dtype=pl.Float64))
        .when(deadline.is_null() | (year >= deadline))
        .then(final)
        .otherwise(on_path)
    )


def certain(
    met: pl.Expr, low: pl.Expr, high: pl.Expr, target: pl.Expr, *, side: Side = "at_least"
) -> pl.Expr:
    """Whether the interval ``[low, high]`` lies wholly on the side of ``target`` the verdict took.

    For an ``at_least`` goal that is met the whole interval must be at or above the target;
    not met, wholly below it (mirrored for ``at_most``). Never true when the interval contains
    the target strictly inside it. Null without a verdict or without an interval.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.verdicts import certain
    >>> df = pl.DataFrame(
    ...     {
    ...         "met": [True, True, False, True],
    ...         "lo": [0.81, 0.78, 0.70, None],
    ...         "hi": [0.9, 0.86, 0.79, None],
    ...     }
    ... )
    >>> df.select(certain(pl.col("met"), pl.col("lo"), pl.col("hi"), pl.lit(0.8)).alias("c"))[
    ...     "c"
    ... ].to_list()
    [True, False, True, None]
    """
    _check_side(side)
    if side == "at_most":
        right_side, wrong_side = high <= target, low > target
    else:
        right_side, wrong_side = low >= target, high < target
    return (
        pl.when(met.is_null() | low.is_null() | high.is_null() | target.is_null())
        .then(pl.lit(None, dtype=pl.Boolean))
        .when(met)
        .then(right_side)
        .otherwise(wrong_side)
    )


def verdict(met: pl.Expr) -> pl.Expr:
    """The verdict Enum of a Boolean ``goal_met``: ``met``, ``not_met``, null → ``not_evaluable``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.verdicts import verdict
    >>> pl.DataFrame({"m": [True, False, None]}).select(verdict(pl.col("m")).alias("v"))[
    ...     "v"
    ... ].to_list()
    ['met', 'not_met', 'not_evaluable']
    """
    return (
        pl.when(met.is_null())
        .then(pl.lit("not_evaluable"))
        .when(met)
        .then(pl.lit("met"))
        .otherwise(pl.lit("not_met"))
        .cast(VERDICT_ENUM)
    )
