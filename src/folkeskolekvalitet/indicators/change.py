"""``change()`` and ``compare()``: year on year, and a unit against the level above it.

Both read an indicator table (:func:`~folkeskolekvalitet.indicators.table`, a reader's,
or one a user assembled) and say whether a difference is more than the noise: each
difference gets a standard error, an interval, a p-value and a verdict. The methods and
their sources are in :doc:`/user_guide/statistics`.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from folkeskolekvalitet._core.breaks import comparability_reason_expr
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.schoolyear import school_year_expr
from folkeskolekvalitet.indicators._stats import (
    newcombe_expr,
    normal_cdf_expr,
    normal_quantile,
    t_cdf_upper_expr,
    welch_df_expr,
    wilson_expr,
    with_t_quantile,
)
from folkeskolekvalitet.indicators.catalogue import CATALOGUE
from folkeskolekvalitet.indicators.schema import validate_table

__all__ = ["DIRECTIONS", "DIRECTION_ENUM", "POSITIONS", "POSITION_ENUM", "change", "compare"]

#: The direction of a change.
DIRECTIONS: tuple[str, ...] = ("up", "down", "unchanged", "not_comparable")
#: The directions as a Polars Enum.
DIRECTION_ENUM = pl.Enum(DIRECTIONS)
#: A unit's position against the level above it.
POSITIONS: tuple[str, ...] = ("above", "at", "below")
#: The positions as a Polars Enum.
POSITION_ENUM = pl.Enum(POSITIONS)

_SERIES = ("unit_level", "unit_id", "municipality_code", "indicator", "subject", "grade_level")
_BREAKDOWN = ("subject", "grade_level", "category")
_METHODS = {k: v.uncertainty for k, v in CATALOGUE.items()}


def _method() -> pl.Expr:
    """Each row's uncertainty method; a ``local.`` indicator with an se is read as normal."""
    return pl.col("indicator").replace_strict(_METHODS, default="normal")


def _confidence(table: pl.LazyFrame, confidence: float | None) -> float:
    if confidence is not None:
        if isinstance(confidence, bool) or not 0.0 < float(confidence) < 1.0:
            msg = f"confidence must lie strictly between 0 and 1, not {confidence!r}"
            raise ValueError(msg)
        return float(confidence)
    levels = table.select(pl.col("confidence").unique()).collect().to_series().drop_nulls()
    if levels.len() > 1:
        msg = f"the table mixes confidence levels {sorted(levels.to_list())}: pass confidence="
        raise ValueError(msg)
    return float(levels.item()) if levels.len() else 0.95


def _p_normal(stat: pl.Expr) -> pl.Expr:
    return 2.0 * (1.0 - normal_cdf_expr(stat.abs()))


def change(table: FrameT, *, periods: int = 1, confidence: float | None = None) -> FrameT:
    """The change of every indicator from ``periods`` school years before, per unit and breakdown.

    One row per row of ``table`` whose unit, indicator and breakdown also have a row
    ``periods`` years earlier. Differences of shares get Newcombe's hybrid score interval
    (method 10, from the two Wilson intervals) and a two-sample z-test; differences of means
    Welch's t interval and test; rates (and ``local.`` indicators with an ``se``) a normal
    interval on ``sqrt(se1² + se2²)``. ``significant`` means the interval of the difference
    excludes 0; it, the interval and ``p_value`` are null where a standard error is null
    (competence, a census). Across a known comparability break (``_core.breaks``: national
    test regimes, COVID exam years, survey changes, …) ``direction`` is ``not_comparable``
    and ``reason`` says why.

    Parameters
    ----------
    table
        An indicator table (validated with
        :func:`~folkeskolekvalitet.indicators.validate_table`).
    periods
        How many school years back (default 1: year on year).
    confidence
        Level of the intervals; default: the table's ``confidence``.

    Returns
    -------
    DataFrame or LazyFrame
        The table's keys (``school_year``, ``unit_level``, ``unit_id``,
        ``municipality_code``, ``indicator``, ``subject``, ``grade_level``, ``category``),
        ``previous_year``, ``value``, ``value_previous``, ``difference``,
        ``difference_relative`` (``difference / value_previous``), ``se_difference``,
        ``ci_low_difference``, ``ci_high_difference``, ``p_value``, ``significant``,
        ``direction`` (Enum ``up``, ``down``, ``unchanged``, ``not_comparable``; from the
        exact values; null when a value is missing) and ``reason``.

    Examples
    --------
    A school's share of 4/10 one year and 8/10 the next: up, but not significant with ten
    pupils (Newcombe's interval for 0.8 - 0.4 is about [-0.023, 0.673]).

    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA, change, uncertainty
    >>> rows = pl.LazyFrame(
    ...     {
    ...         "school_year": ["2017/18", "2018/19"],
    ...         "unit_level": "school",
    ...         "unit_id": "101001",
    ...         "municipality_code": "101",
    ...         "indicator": "exams.share_took_all_bound_exams",
    ...         "subject": None,
    ...         "grade_level": None,
    ...         "category": None,
    ...         "value": [0.4, 0.8],
    ...         "n": 10,
    ...         "numerator": [4.0, 8.0],
    ...         "status": "ok",
    ...         "note": None,
    ...         "source": "computed",
    ...     }
    ... )
    >>> table = uncertainty(rows, confidence=0.95, method=pl.lit("wilson"), std=pl.lit(None))
    >>> table = table.select(pl.col(c).cast(t) for c, t in INDICATOR_SCHEMA.items()).collect()
    >>> out = change(table)
    >>> out.select("previous_year", "difference", "significant", "direction").row(0)
    ('2017/18', 0.4, False, 'up')
    >>> [round(v, 3) for v in out.select("ci_low_difference", "ci_high_difference").row(0)]
    [-0.023, 0.673]

    Sources: R. G. Newcombe (1998), "Interval estimation for the difference between
    independent proportions", Statistics in Medicine 17, 873-890; B. L. Welch (1947),
    Biometrika 34, 28-35.
    """
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        msg = f"periods must be a positive whole number of school years, not {periods!r}"
        raise ValueError(msg)
    lf = as_lazy(table, "the indicator table")
    validate_table(lf)
    c = _confidence(lf, confidence)
    z = normal_quantile((1 + c) / 2)
    keys: list[str] = [*_SERIES, "category"]
    previous = lf.select(
        *keys,
        school_year_expr(pl.col("school_year"), shift=periods).alias("school_year"),
        pl.col("school_year").alias("previous_year"),
        pl.col("value").alias("value_previous"),
        pl.col("n").alias("_n0"),
        pl.col("numerator").alias("_x0"),
        pl.col("se").alias("_se0"),
    )
    joined = lf.select(
        "school_year",
        *keys,
        "value",
        pl.col("n").alias("_n1"),
        pl.col("numerator").alias("_x1"),
        pl.col("se").alias("_se1"),
    ).join(previous, on=["school_year", *keys], how="inner", nulls_equal=True)

    v1, v0 = pl.col("value"), pl.col("value_previous")
    se1, se0 = pl.col("_se1"), pl.col("_se0")
    n1, n0 = pl.col("_n1").cast(pl.Float64), pl.col("_n0").cast(pl.Float64)
    method = _method()
    d = v1 - v0
    se_d = (se1.pow(2) + se0.pow(2)).sqrt()
    l1, h1 = wilson_expr(pl.col("_x1"), n1, z)
    l0, h0 = wilson_expr(pl.col("_x0"), n0, z)
    nl, nh = newcombe_expr(v1, l1, h1, v0, l0, h0)
    joined = joined.with_columns(
        d.alias("difference"),
        pl.when(v0 != 0).then(d / v0).alias("difference_relative"),
        se_d.alias("se_difference"),
        method.alias("_method"),
        welch_df_expr(se1, n1, se0, n0).alias("_df"),
        nl.alias("_nl"),
        nh.alias("_nh"),
    )
    joined = with_t_quantile(joined, 1 - c, pl.col("_df"), "_tq")
    m = pl.col("_method")
    sd, diff = pl.col("se_difference"), pl.col("difference")
    has = sd.is_not_null() & diff.is_not_null()
    is_share = (m == "wilson") & pl.col("_x1").is_not_null() & pl.col("_x0").is_not_null()
    t_ok = (m == "t") & pl.col("_df").is_not_null() & pl.col("_df").is_finite()
    low = (
        pl.when(~has)
        .then(None)
        .when(is_share)
        .then(pl.col("_nl"))
        .when(t_ok)
        .then(diff - pl.col("_tq") * sd)
        .otherwise(diff - z * sd)
    )
    high = (
        pl.when(~has)
        .then(None)
        .when(is_share)
        .then(pl.col("_nh"))
        .when(t_ok)
        .then(diff + pl.col("_tq") * sd)
        .otherwise(diff + z * sd)
    )
    stat = diff / sd
    p_value = (
        pl.when(~has)
        .then(None)
        .when(sd == 0)
        .then(pl.when(diff == 0).then(1.0).otherwise(0.0))
        .when(t_ok)
        .then(2.0 * t_cdf_upper_expr(stat, pl.col("_df")))
        .otherwise(_p_normal(stat))
    )
    reason = comparability_reason_expr(
        pl.col("indicator"), pl.col("school_year"), pl.col("previous_year")
    )
    out = joined.with_columns(
        low.alias("ci_low_difference"),
        high.alias("ci_high_difference"),
        p_value.clip(0.0, 1.0).alias("p_value"),
        reason.alias("reason"),
    ).with_columns(
        ((pl.col("ci_low_difference") > 0) | (pl.col("ci_high_difference") < 0)).alias(
            "significant"
        ),
        pl.when(pl.col("reason").is_not_null())
        .then(pl.lit("not_comparable"))
        .when(v1.is_null() | v0.is_null())
        .then(None)
        .when(v1 > v0)
        .then(pl.lit("up"))
        .when(v1 < v0)
        .then(pl.lit("down"))
        .otherwise(pl.lit("unchanged"))
        .cast(DIRECTION_ENUM)
        .alias("direction"),
    )
    columns = [
        "school_year", *keys, "previous_year", "value", "value_previous", "difference",
        "difference_relative", "se_difference", "ci_low_difference", "ci_high_difference",
        "p_value", "significant", "direction", "reason",
    ]  # fmt: skip
    return like_input(table, out.select(columns))


def _rest(  # noqa: PLR0917 - the unit's and the reference's (value, n, se)
    value: pl.Expr, n: pl.Expr, se: pl.Expr, ref: pl.Expr, n_ref: pl.Expr, se_ref: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """(value, se) of the reference unit without the unit: n-weighted decomposition.

    A mean's sum of squares splits over the two parts; a share's se follows from its value.
    """
    n_rest = n_ref - n
    # a share's rest from the counts when both rows have them (exact, no rounding noise)
    counts = pl.col("numerator").is_not_null() & pl.col("_x_ref").is_not_null()
    v_rest = (
        pl.when(counts & (pl.col("_method") == "wilson"))
        .then((pl.col("_x_ref") - pl.col("numerator")) / n_rest)
        .otherwise((n_ref * ref - n * value) / n_rest)
    )
    # sums of squares: (n - 1) s^2 + n v^2, with s = se * sqrt(n)
    ss = (n_ref - 1) * se_ref.pow(2) * n_ref + n_ref * ref.pow(2)
    ss_unit = (n - 1) * se.pow(2) * n + n * value.pow(2)
    var_rest = ((ss - ss_unit) - n_rest * v_rest.pow(2)) / (n_rest - 1)
    se_mean = (var_rest.clip(lower_bound=0.0) / n_rest).sqrt()
    se_share = (v_rest.clip(0.0, 1.0) * (1 - v_rest.clip(0.0, 1.0)) / n_rest).sqrt()
    se_rest = (
        pl.when(n_rest <= 0)
        .then(None)
        .when(pl.col("_method") == "wilson")
        .then(se_share)
        .when(n_rest > 1)
        .then(se_mean)
        .otherwise(None)
    )
    return v_rest, se_rest


def compare(
    table: FrameT,
    *,
    against: Literal["municipality", "country"] = "municipality",
    confidence: float | None = None,
) -> FrameT:
    """Each unit against the level above it in the same table: above, at or below it.

    With ``against="municipality"`` every school row is compared with its municipality's
    row; with ``"country"`` every school and municipality row with the country row. The
    test accounts for the unit being part of the reference: with
    ``w = n_unit / n_reference`` and "the rest" the reference without the unit,
    ``difference = unit - reference = (1 - w)(unit - rest)`` and
    ``se_difference = (1 - w)·sqrt(se_unit² + se_rest²)``; the interval is normal, and
    ``significant`` means it excludes 0. A unit that is the whole reference
    (``w = 1``) is ``at`` it. Rest values are recovered with pupil counts as weights; for
    absence rates (weighted by months) that is an approximation.

    Parameters
    ----------
    table
        An indicator table holding both levels.
    against
        ``"municipality"`` (default) or ``"country"``.
    confidence
        Level of the intervals; default: the table's ``confidence``.

    Returns
    -------
    DataFrame or LazyFrame
        The unit's keys, ``value``, ``n``, ``value_reference``, ``n_reference``,
        ``difference``, ``se_difference``, ``ci_low_difference``, ``ci_high_difference``,
        ``p_value``, ``significant`` and ``position`` (Enum ``above``, ``at``, ``below``;
        ``at`` when not significant; null where ``se`` is null).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators import compare, table
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "municipality_code": "313",
    ...         "institution_id": ["313001"] * 40 + ["313002"] * 40,
    ...         "pupil_id": [f"p{i}" for i in range(80)],
    ...         "school_days": 200,
    ...         "sick_days": [2] * 30 + [30] * 10 + [2] * 40,
    ...         "authorised_days": 0,
    ...         "unauthorised_days": 0,
    ...         "months_registered": 11,
    ...     }
    ... )
    >>> out = compare(table(absence=records))
    >>> out.filter(pl.col("indicator") == "absence.share_above_10").select(
    ...     "unit_id", "value", "value_reference", "position"
    ... ).rows()
    [('313001', 0.25, 0.125, 'above'), ('313002', 0.0, 0.125, 'below')]

    Source: the decomposition of a part against its whole, as in the DfE's comparison of a
    school with the national average (Progress 8 technical guidance).
    """
    if against not in ("municipality", "country"):
        msg = f"against must be 'municipality' or 'country', not {against!r}"
        raise ValueError(msg)
    lf = as_lazy(table, "the indicator table")
    validate_table(lf)
    c = _confidence(lf, confidence)
    z = normal_quantile((1 + c) / 2)
    keys: list[str] = ["school_year", "indicator", *_BREAKDOWN]
    level = pl.col("unit_level").cast(pl.String)
    ref = lf.filter(level == against).select(
        *keys,
        pl.col("unit_id").alias("_ref_id"),
        pl.col("value").alias("value_reference"),
        pl.col("n").alias("n_reference"),
        pl.col("se").alias("_se_ref"),
        pl.col("numerator").alias("_x_ref"),
    )
    if against == "municipality":
        units = lf.filter(level == "school").with_columns(
            pl.col("municipality_code").alias("_ref_id")
        )
        on = [*keys, "_ref_id"]
    else:
        units = lf.filter(level.is_in(["school", "municipality"]))
        ref = ref.drop("_ref_id")
        on = keys
    joined = units.join(ref, on=on, how="inner", nulls_equal=True).with_columns(
        _method().alias("_method")
    )
    n = pl.col("n").cast(pl.Float64)
    n_ref = pl.col("n_reference").cast(pl.Float64)
    v, v_ref = pl.col("value"), pl.col("value_reference")
    se, se_ref = pl.col("se"), pl.col("_se_ref")
    w = n / n_ref
    _, se_rest = _rest(v, n, se, v_ref, n_ref, se_ref)
    whole = (n_ref - n) <= 0
    se_d = pl.when(whole).then(0.0).otherwise((1 - w) * (se.pow(2) + se_rest.pow(2)).sqrt())
    has = se.is_not_null() & se_ref.is_not_null() & v.is_not_null() & v_ref.is_not_null()
    diff = v - v_ref
    sd = pl.col("se_difference")
    out = joined.with_columns(
        diff.alias("difference"),
        pl.when(has).then(se_d).alias("se_difference"),
    ).with_columns(
        (pl.col("difference") - z * sd).alias("ci_low_difference"),
        (pl.col("difference") + z * sd).alias("ci_high_difference"),
        pl.when(sd.is_null())
        .then(None)
        .when(sd == 0)
        .then(pl.when(pl.col("difference").abs() < 1e-12).then(1.0).otherwise(0.0))
        .otherwise(_p_normal(pl.col("difference") / sd))
        .alias("p_value"),
    )
    significant = (
        pl.when(sd.is_null())
        .then(None)
        .when(whole)
        .then(pl.lit(value=False))
        .otherwise((pl.col("ci_low_difference") > 0) | (pl.col("ci_high_difference") < 0))
    )
    out = out.with_columns(significant.alias("significant")).with_columns(
        pl.when(pl.col("significant").is_null())
        .then(None)
        .when(~pl.col("significant"))
        .then(pl.lit("at"))
        .when(pl.col("difference") > 0)
        .then(pl.lit("above"))
        .otherwise(pl.lit("below"))
        .cast(POSITION_ENUM)
        .alias("position")
    )
    columns = [
        "school_year", "unit_level", "unit_id", "municipality_code", "indicator",
        *_BREAKDOWN, "value", "n", "value_reference", "n_reference", "difference",
        "se_difference", "ci_low_difference", "ci_high_difference", "p_value",
        "significant", "position",
    ]  # fmt: skip
    return like_input(table, out.select(columns))
