"""Evaluate goals on the indicator table: a verdict per unit, goal and year, with its evidence.

Source: ``RULES.md`` §8 (kinds of goals), §9 (uncertainty), §2 (no change across a national
test regime boundary); the comparability-break register ``folkeskolekvalitet._core.breaks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import NormalDist

import polars as pl

from folkeskolekvalitet._core import verdicts
from folkeskolekvalitet._core.breaks import comparability_reason_expr
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.schoolyear import parse_school_year
from folkeskolekvalitet.goals.goal import KIND_ENUM, Goal
from folkeskolekvalitet.indicators import KEY_COLUMNS, change, compare, validate_table

__all__ = ["OUTPUT_COLUMNS", "REASONS", "REASON_ENUM", "evaluate"]

#: Why a goal is not evaluable for a unit and year.
REASONS: dict[str, str] = {
    "suppressed": "the value (or the value it is compared with) is suppressed",
    "not_available": "the value is not available or not applicable",
    "before_baseline": "the school year is not after the baseline year",
    "no_baseline": "no value for the baseline year",
    "no_previous_year": "no value for the same unit the school year before",
    "no_reference": "no value for the reference unit the same school year",
    "comparability_break": "a comparability break lies between the two school years compared",
    "no_target": "the dated schedule has no target for the school year",
    "no_interval": "the goal requires significance, and there is no interval",
}
#: The reasons as a Polars Enum.
REASON_ENUM = pl.Enum(list(REASONS))

#: The columns of :func:`evaluate`'s answer, in order.
OUTPUT_COLUMNS: tuple[str, ...] = (
    *KEY_COLUMNS[:3],
    "municipality_code",
    *KEY_COLUMNS[3:],
    "goal",
    "kind",
    "value",
    "value_compared",
    "target",
    "distance",
    "verdict",
    "goal_met",
    "reason",
    "certain",
    "on_track",
)

_BREAKDOWN = ("subject", "grade_level", "category")
_KEYS = ("school_year", "unit_level", "unit_id", "indicator", *_BREAKDOWN)
_UNIT = ("unit_level", "unit_id", "indicator", *_BREAKDOWN)
_SUPPRESSED = ("suppressed", "suppressed_complementary")


def _z(confidence: float | None) -> float:
    if confidence is None:
        confidence = 0.95
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float))
        or not 0 < confidence < 1
    ):
        msg = f"confidence must be a fraction strictly between 0 and 1, not {confidence!r}"
        raise ValueError(msg)
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _start(year: pl.Expr) -> pl.Expr:
    return year.str.slice(0, 4).cast(pl.Int32)


def _value(status: str = "status", value: str = "value") -> pl.Expr:
    return pl.when(pl.col(status) == "ok").then(pl.col(value))


def _other(lf: pl.LazyFrame, suffix: str) -> pl.LazyFrame:
    """The table's value columns renamed with ``suffix``, to join as the compared row."""
    return lf.select(
        *_UNIT,
        "school_year",
        "municipality_code",
        pl.col("value").alias(f"value{suffix}"),
        pl.col("se").alias(f"se{suffix}"),
        pl.col("status").alias(f"status{suffix}"),
    )


def _statistics(
    joined: pl.LazyFrame, table: pl.LazyFrame, goal: Goal, confidence: float | None
) -> pl.LazyFrame:
    """The difference, its interval and test from :func:`indicators.change` / ``compare``.

    Rise and fall take them from ``change(periods=1)``, the reference kinds from
    ``compare(against=reference)``: the same numbers the indicator layer publishes.
    """
    subset = table.filter(pl.col("indicator") == goal.indicator)
    if goal.kind in ("rise", "fall"):
        stats = change(subset, periods=1, confidence=confidence)
    else:
        stats = compare(subset, against=goal.reference, confidence=confidence)  # type: ignore[arg-type]
    stats = stats.select(
        *_KEYS,
        pl.col("difference"),
        pl.col("ci_low_difference"),
        pl.col("ci_high_difference"),
        pl.col("significant"),
    )
    return joined.join(stats, on=list(_KEYS), how="left", nulls_equal=True)


def _differences(
    rows: pl.LazyFrame, table: pl.LazyFrame, goal: Goal, z: float, confidence: float | None
) -> pl.LazyFrame:
    """``rows`` with the row each is compared with and the difference, its interval and test.

    Adds ``year_compared``, ``value_o``, ``status_o``, ``difference``, ``ci_low_difference``,
    ``ci_high_difference`` and ``significant`` (the difference's interval excludes 0). The
    compared row: the same unit the year before (rise, fall: the statistics of
    :func:`~folkeskolekvalitet.indicators.change`), the reference unit the same year
    (reference kinds: :func:`~folkeskolekvalitet.indicators.compare`), the baseline year
    (change kinds and thresholds on a trajectory: a normal interval on
    ``sqrt(se**2 + se_o**2)``).
    """
    other = _other(table, "_o")
    if goal.kind in ("rise", "fall"):
        rows = rows.with_columns((_start(pl.col("school_year")) - 1).alias("_ystart"))
        other = other.with_columns(_start(pl.col("school_year")).alias("_ystart")).rename(
            {"school_year": "year_compared"}
        )
        joined = rows.join(
            other.drop("municipality_code"),
            on=[*_UNIT, "_ystart"],
            how="left",
            nulls_equal=True,
        ).drop("_ystart")
        return _statistics(joined, table, goal, confidence)
    if goal.kind in ("at_least_reference", "at_most_reference"):
        level = goal.reference
        ref = other.filter(pl.col("unit_level").cast(pl.String) == level).select(
            pl.col("unit_id").alias("_ref_id"),
            "indicator",
            *_BREAKDOWN,
            "school_year",
            "value_o",
            "se_o",
            "status_o",
        )
        ref_id = pl.col("municipality_code") if level == "municipality" else pl.lit("DK")
        joined = rows.with_columns(ref_id.alias("_ref_id")).join(
            ref,
            on=["_ref_id", "indicator", *_BREAKDOWN, "school_year"],
            how="left",
            nulls_equal=True,
        )
        joined = joined.drop("_ref_id").with_columns(pl.col("school_year").alias("year_compared"))
        return _statistics(joined, table, goal, confidence)
    if goal.baseline_year is not None:
        base = other.filter(pl.col("school_year") == goal.baseline_year).drop(
            "school_year", "municipality_code"
        )
        joined = rows.join(base, on=list(_UNIT), how="left", nulls_equal=True).with_columns(
            pl.lit(goal.baseline_year).alias("year_compared")
        )
    else:
        return rows.with_columns(
            pl.lit(None, dtype=pl.String).alias("year_compared"),
            pl.lit(None, dtype=pl.Float64).alias("value_o"),
            pl.lit(None, dtype=pl.Float64).alias("se_o"),
            pl.lit(None, dtype=rows.collect_schema()["status"]).alias("status_o"),
            pl.lit(None, dtype=pl.Float64).alias("difference"),
            pl.lit(None, dtype=pl.Float64).alias("ci_low_difference"),
            pl.lit(None, dtype=pl.Float64).alias("ci_high_difference"),
            pl.lit(None, dtype=pl.Boolean).alias("significant"),
        )
    difference = _value() - _value("status_o", "value_o")
    se = (pl.col("se").pow(2) + pl.col("se_o").pow(2)).sqrt()
    return joined.with_columns(
        difference.alias("difference"),
        (difference - z * se).alias("ci_low_difference"),
        (difference + z * se).alias("ci_high_difference"),
    ).with_columns(
        ((pl.col("ci_low_difference") > 0) | (pl.col("ci_high_difference") < 0)).alias(
            "significant"
        )
    )


def _schedule_target(goal: Goal, start: pl.Expr) -> pl.Expr:
    expr: pl.Expr = pl.lit(None, dtype=pl.Float64)
    for year, value in goal.targets_by_year:
        expr = pl.when(start >= parse_school_year(year)).then(pl.lit(float(value))).otherwise(expr)
    return expr


def _evaluate_goal(  # noqa: PLR0912, PLR0915
    table: pl.LazyFrame, goal: Goal, order: int, z: float, confidence: float | None
) -> pl.LazyFrame:
    rows = table.filter(
        pl.col("indicator") == goal.indicator,
        pl.col("unit_level").cast(pl.String).is_in(list(goal.levels)),
    )
    for column in _BREAKDOWN:
        given = getattr(goal, column)
        if given is not None:
            rows = rows.filter(pl.col(column) == given)
    rows = _differences(rows, table, goal, z, confidence)
    year = _start(pl.col("school_year"))
    value = _value()
    compared = _value("status_o", "value_o")
    baseline_start = None if goal.baseline_year is None else parse_school_year(goal.baseline_year)
    deadline_start = None if goal.deadline is None else parse_school_year(goal.deadline)
    side = goal.side
    kind = goal.kind
    on_trajectory = baseline_start is not None and deadline_start is not None
    needs_baseline = pl.lit(value=False)

    # The absolute target of the year.
    if kind in ("at_least", "at_most"):
        final = (
            _schedule_target(goal, year) if goal.targets_by_year else pl.lit(float(goal.target))  # type: ignore[arg-type]
        )
        if on_trajectory:
            needs_baseline = year < deadline_start
    elif kind == "change_pp":
        final = compared + float(goal.target)  # type: ignore[arg-type]
        needs_baseline = pl.lit(value=True)
    elif kind == "change_relative":
        final = compared * (1 + float(goal.target))  # type: ignore[arg-type]
        needs_baseline = pl.lit(value=True)
    elif kind in ("rise", "fall"):
        final = compared
    elif kind in ("at_least_reference", "at_most_reference"):
        final = compared + float(goal.target or 0.0)
    else:  # count
        final = pl.lit(float(goal.target))  # type: ignore[arg-type]
    if on_trajectory or goal.is_change:
        target = verdicts.trajectory_target(
            compared,
            final,
            year,
            pl.lit(baseline_start, dtype=pl.Int32),
            pl.lit(deadline_start, dtype=pl.Int32),
        )
        if kind in ("at_least", "at_most"):
            target = pl.when(needs_baseline).then(target).otherwise(final)
    else:
        target = final

    # Why the goal is not evaluable (first reason wins).
    status = pl.col("status").cast(pl.String)
    status_o = pl.col("status_o").cast(pl.String)
    uses_other = kind in ("rise", "fall", "at_least_reference", "at_most_reference") or (
        baseline_start is not None
    )
    if kind in ("rise", "fall"):
        missing_other = "no_previous_year"
    elif kind in ("at_least_reference", "at_most_reference"):
        missing_other = "no_reference"
    else:
        missing_other = "no_baseline"
    other_needed = pl.lit(value=True) if kind not in ("at_least", "at_most") else needs_baseline
    checks: list[tuple[pl.Expr, str]] = [
        (status.is_in(_SUPPRESSED), "suppressed"),
        (status != "ok", "not_available"),
    ]
    if goal.targets_by_year:
        checks.append((final.is_null(), "no_target"))
    if uses_other:
        if baseline_start is not None:
            checks.append((other_needed & (year <= baseline_start), "before_baseline"))
        checks += [
            (other_needed & status_o.is_null(), missing_other),
            (other_needed & status_o.is_in(_SUPPRESSED), "suppressed"),
            (other_needed & (status_o != "ok"), missing_other),
        ]
        if kind not in ("at_least_reference", "at_most_reference"):
            broken = comparability_reason_expr(
                pl.col("indicator"), pl.col("school_year"), pl.col("year_compared")
            ).is_not_null()
            checks.append((other_needed & broken, "comparability_break"))
    if goal.require_significant:
        checks.append((pl.col("significant").is_null(), "no_interval"))
    reason_expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for condition, name in reversed(checks):
        reason_expr = pl.when(condition).then(pl.lit(name)).otherwise(reason_expr)

    # The verdict.
    if kind in ("rise", "fall"):
        significant = pl.col("significant") if goal.require_significant else None
        wanted = "up" if kind == "rise" else "down"
        met = verdicts.direction(pl.col("difference"), significant=significant) == wanted
        low, high, at = (
            pl.col("ci_low_difference"),
            pl.col("ci_high_difference"),
            pl.lit(0.0),
        )
    else:
        met = verdicts.threshold_met(value, target, side=side)
        if goal.require_significant:
            wanted = "up" if side == "at_least" else "down"
            met = met & (
                verdicts.direction(pl.col("difference"), significant=pl.col("significant"))
                == wanted
            )
        if goal.is_change or kind in ("at_least_reference", "at_most_reference"):
            low, high = pl.col("ci_low_difference"), pl.col("ci_high_difference")
            at = target - compared
        else:
            low, high, at = pl.col("ci_low"), pl.col("ci_high"), target
    goal_met = pl.when(reason_expr.is_null()).then(met).otherwise(pl.lit(None, dtype=pl.Boolean))
    on_track = (
        pl.when(year <= deadline_start).then(pl.col("goal_met"))
        if deadline_start is not None
        else pl.lit(None, dtype=pl.Boolean)
    )
    return (
        rows.with_columns(
            reason_expr.cast(REASON_ENUM).alias("reason"),
            goal_met.alias("goal_met"),
            pl.when(pl.col("status") == "ok").then(pl.col("value")).alias("value"),
            compared.alias("value_compared")
            if uses_other
            else pl.lit(None, pl.Float64).alias("value_compared"),
            target.alias("target"),
            verdicts.certain(goal_met, low, high, at, side=side).alias("certain"),
        )
        .with_columns(
            (pl.col("value") - pl.col("target")).alias("distance"),
            verdicts.verdict(pl.col("goal_met")).alias("verdict"),
            on_track.alias("on_track"),
            pl.lit(goal.key).alias("goal"),
            pl.lit(goal.kind).cast(KIND_ENUM).alias("kind"),
            pl.lit(order, dtype=pl.UInt32).alias("_order"),
        )
        .select(*OUTPUT_COLUMNS, "_order")
    )


def evaluate(
    table: FrameT,
    goals: Iterable[Goal],
    *,
    confidence: float | None = None,
) -> FrameT:
    """Evaluate ``goals`` on an indicator table: one verdict per unit, goal and school year.

    Each goal is evaluated on the rows of its indicator (and breakdown, where the goal names
    one) at the unit levels it applies to, in every school year of the table:

    - **at_least / at_most**: the value against the target, or against the year's entry of a
      dated schedule (``targets_by_year``). With a baseline year and a deadline, the target
      of a year before the deadline is the point on the straight trajectory from the
      baseline value to the target;
    - **change_pp / change_relative**: the value against the baseline value plus ``target``
      (``baseline + 0.10``) or times ``1 + target`` (``baseline × 1.10``); before the
      deadline against the trajectory; years up to the baseline are ``before_baseline``;
    - **rise / fall**: the value against the same unit's value the year before;
    - **at_least_reference / at_most_reference**: against the reference unit's value the
      same year (a school's municipality, or the country), plus ``target`` as an offset;
    - **count**: a ``local.`` count against ``target``.

    A goal is ``not_evaluable`` — never ``not_met`` — when the value or the value it is
    compared with is suppressed or not available, when there is no baseline, previous year or
    reference, when a comparability break (the register of
    ``folkeskolekvalitet._core.breaks``: a national test regime boundary, a COVID year)
    lies between the years compared, or when significance is required and there is no
    interval. ``reason`` says which.

    Parameters
    ----------
    table
        An indicator table (:data:`~folkeskolekvalitet.indicators.INDICATOR_SCHEMA`), checked
        with :func:`~folkeskolekvalitet.indicators.validate_table`.
    goals
        The goals (:class:`Goal`), e.g. :data:`NATIONAL` or the result of :func:`read_goals`.
    confidence
        The level of the intervals of differences: passed to
        :func:`~folkeskolekvalitet.indicators.change` (rise, fall) and
        :func:`~folkeskolekvalitet.indicators.compare` (reference kinds), whose default is
        the table's own ``confidence``; the change from a baseline year uses a normal
        interval at this level (default 0.95). The interval of a value is the table's own.

    Returns
    -------
    DataFrame or LazyFrame
        :data:`OUTPUT_COLUMNS`: the table's key columns and ``municipality_code``; ``goal``
        (the key), ``kind``; ``value``; ``value_compared`` (the baseline, previous-year or
        reference value); ``target`` (the absolute level that year); ``distance``
        (value − target); ``verdict`` (Enum ``met``, ``not_met``, ``not_evaluable``);
        ``goal_met`` (Boolean, null when not evaluable); ``reason`` (Enum :data:`REASONS`,
        null when evaluable); ``certain`` (the value's interval — or the difference's, for
        changes, directions and references — lies wholly on the verdict's side; null without
        an interval); ``on_track`` (for goals with a deadline: ``goal_met`` in the years up
        to the deadline, null after it). Rows in the order of ``goals``, then by the key.

    Raises
    ------
    DataError
        When ``table`` is not a valid indicator table.
    TypeError
        When a goal is not a :class:`Goal`.
    ValueError
        For two goals with the same key, or ``confidence`` outside (0, 1).

    Examples
    --------
    Kalundborg's goal of +10 percentage points from 2017/18 to 2020/21, a school at 60 % in
    2017/18 and 66 % in 2018/19 (one third of the way: target 63.3 %):

    >>> import polars as pl
    >>> from folkeskolekvalitet.goals import Goal, evaluate
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA
    >>> rows = [
    ...     {
    ...         "school_year": y,
    ...         "unit_level": "school",
    ...         "unit_id": "326001",
    ...         "municipality_code": "326",
    ...         "indicator": "exams.share_passing_danish_and_math",
    ...         "value": v,
    ...         "n": 50,
    ...         "confidence": 0.95,
    ...         "status": "ok",
    ...         "source": "example",
    ...     }
    ...     for y, v in [("2017/18", 0.60), ("2018/19", 0.66)]
    ... ]
    >>> table = pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
    >>> goal = Goal(
    ...     "passing",
    ...     "Mindst 02: +10 procentpoint",
    ...     "exams.share_passing_danish_and_math",
    ...     "change_pp",
    ...     target=0.10,
    ...     baseline_year="2017/18",
    ...     deadline="2020/21",
    ... )
    >>> evaluate(table, [goal]).select(
    ...     "school_year", "value", pl.col("target").round(4), "verdict", "reason", "on_track"
    ... )
    shape: (2, 6)
    ┌─────────────┬───────┬────────┬───────────────┬─────────────────┬──────────┐
    │ school_year ┆ value ┆ target ┆ verdict       ┆ reason          ┆ on_track │
    │ ---         ┆ ---   ┆ ---    ┆ ---           ┆ ---             ┆ ---      │
    │ str         ┆ f64   ┆ f64    ┆ enum          ┆ enum            ┆ bool     │
    ╞═════════════╪═══════╪════════╪═══════════════╪═════════════════╪══════════╡
    │ 2017/18     ┆ 0.6   ┆ 0.6    ┆ not_evaluable ┆ before_baseline ┆ null     │
    │ 2018/19     ┆ 0.66  ┆ 0.6333 ┆ met           ┆ null            ┆ true     │
    └─────────────┴───────┴────────┴───────────────┴─────────────────┴──────────┘
    """
    z = _z(confidence)
    goal_list = list(goals)
    bad = [g for g in goal_list if not isinstance(g, Goal)]
    if bad:
        msg = f"goals must be Goal objects, not {type(bad[0]).__name__}"
        raise TypeError(msg)
    keys = [g.key for g in goal_list]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        msg = f"goal keys must be unique; repeated: {repeated!r}"
        raise ValueError(msg)
    lf = as_lazy(table, "the indicator table")
    validate_table(lf)
    if not goal_list:
        empty = _evaluate_goal(
            lf.clear(), Goal("_", "_", "local._", "count", target=0), 0, z, confidence
        ).drop("_order")
        return like_input(table, empty)
    parts = [_evaluate_goal(lf, g, i, z, confidence) for i, g in enumerate(goal_list)]
    out = pl.concat(parts, how="vertical").sort(
        ["_order", *KEY_COLUMNS], nulls_last=True, maintain_order=True
    )
    return like_input(table, out.drop("_order"))
