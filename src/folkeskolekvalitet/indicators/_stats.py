"""The statistics of the indicator table, as Polars expressions (no scipy, no numpy).

Distribution functions:

* :func:`normal_quantile` — Acklam's rational approximation of the inverse normal CDF
  (relative error below 1.15e-9), refined by one Halley step;
* :func:`normal_cdf_expr` — the normal CDF in the Zelen & Severo form (Abramowitz &
  Stegun 26.2.17, absolute error below 7.5e-8);
* :func:`with_t_quantile` — Student's t quantile for a per-row number of degrees of
  freedom, G. W. Hill (1970), "Algorithm 396: Student's t-quantiles", Comm. ACM 13(10);
* :func:`t_cdf_upper_expr` — the t upper tail by Hill's normalising transformation
  (G. W. Hill (1970), "Algorithm 395: Student's t-distribution", Comm. ACM 13(10)).

Intervals: Wilson (1927) for a share; s/√n with a t interval for a mean; a normal
interval for a linearised (delta-method) standard error; Newcombe (1998) method 10 for a
difference of shares; Welch (1947) for a difference of means.

"""

from __future__ import annotations

import math

import polars as pl

__all__ = [
    "newcombe_expr",
    "normal_cdf_expr",
    "normal_quantile",
    "t_cdf_upper_expr",
    "welch_df_expr",
    "wilson_expr",
    "with_t_quantile",
]

# Acklam's coefficients.
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (
    7.784695709041462e-03,
    3.224671290700398e-01,
    2.445134137142996e00,
    3.754408661907416e00,
)
_P_LOW = 0.02425


def normal_quantile(p: float) -> float:
    """The standard normal quantile: the z with Φ(z) = p (Acklam, one Halley step).

    Examples
    --------
    >>> from folkeskolekvalitet.indicators._stats import normal_quantile
    >>> round(normal_quantile(0.975), 6), round(normal_quantile(0.5), 6)
    (1.959964, 0.0)
    """
    if not 0.0 < p < 1.0:
        msg = f"a probability strictly between 0 and 1 is needed, not {p!r}"
        raise ValueError(msg)
    if p < _P_LOW:
        q = math.sqrt(-2 * math.log(p))
        x = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        )
    elif p <= 1 - _P_LOW:
        q = p - 0.5
        r = q * q
        x = (
            (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5])
            * q
            / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1)
        )
    else:
        q = math.sqrt(-2 * math.log(1 - p))
        x = -(((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        )
    # One step of Halley's method with the exact CDF (math.erfc) polishes x to full precision.
    e = 0.5 * math.erfc(-x / math.sqrt(2)) - p
    u = e * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


def normal_cdf_expr(x: pl.Expr) -> pl.Expr:
    """Φ(x) as an expression (Zelen & Severo; Abramowitz & Stegun 26.2.17, error < 7.5e-8).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import normal_cdf_expr
    >>> [
    ...     round(v, 6)
    ...     for v in pl.select(normal_cdf_expr(pl.lit([-1.96, 0.0, 1.0]).explode()))
    ...     .to_series()
    ...     .to_list()
    ... ]
    [0.024998, 0.5, 0.841345]
    """
    ax = x.abs()
    t = 1.0 / (1.0 + 0.2316419 * ax)
    poly = t * (
        0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429)))
    )
    upper = (-(ax * ax) / 2).exp() / math.sqrt(2 * math.pi) * poly
    return pl.when(x >= 0).then(1.0 - upper).otherwise(upper)


def with_t_quantile(
    frame: pl.LazyFrame, p_two_tailed: float, df: pl.Expr, name: str
) -> pl.LazyFrame:
    """Add column ``name``: the t quantile with upper tail ``p_two_tailed / 2`` (Hill, Alg. 396).

    ``df`` may vary by row and need not be an integer (Welch); null or below 1 gives null.
    For ``p_two_tailed = 0.05`` this is the familiar t(0.975, df). The algorithm is computed
    in stages (one small expression per intermediate column), which keeps the query plan
    small.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import with_t_quantile
    >>> df = pl.LazyFrame({"df": [1.0, 2.0, 9.0, 30.0]})
    >>> out = with_t_quantile(df, 0.05, pl.col("df"), "t").collect()
    >>> [round(v, 3) for v in out["t"]]
    [12.706, 4.303, 2.262, 2.042]
    """
    p = p_two_tailed
    z = normal_quantile(p / 2)  # the lower-tail quantile, negative (as in Hill's code)
    zz = z * z
    n, a, b, c, d = (pl.col(f"_tq_{x}") for x in "nabcd")
    frame = frame.with_columns(df.cast(pl.Float64).alias("_tq_n"))
    frame = frame.with_columns((1.0 / (n - 0.5)).alias("_tq_a"))
    frame = frame.with_columns((48.0 / (a * a)).alias("_tq_b"))
    frame = frame.with_columns((((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36).alias("_tq_c"))
    frame = frame.with_columns(
        (((94.5 / (b + c) - 3.0) / b + 1.0) * (a * math.pi / 2).sqrt() * n).alias("_tq_d")
    )
    frame = frame.with_columns(
        (d * p).pow(2.0 / n).alias("_tq_y0"),
        pl.when(n < 5).then(c + 0.3 * (n - 4.5) * (z + 0.6)).otherwise(c).alias("_tq_c1"),
    )
    y0, c1 = pl.col("_tq_y0"), pl.col("_tq_c1")
    frame = frame.with_columns(
        ((((0.05 * d * z - 5.0) * z - 7.0) * z - 2.0) * z + b + c1).alias("_tq_c1")
    )
    frame = frame.with_columns(
        (
            a
            * ((((((0.4 * zz + 6.3) * zz + 36.0) * zz + 94.5) / c1 - zz - 3.0) / b + 1.0) * z) ** 2
        ).alias("_tq_y1")
    )
    y1 = pl.col("_tq_y1")
    y1 = pl.when(y1 > 0.002).then(y1.exp() - 1.0).otherwise(0.5 * y1 * y1 + y1)
    y2 = (
        (1.0 / (((n + 6.0) / (n * y0) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0))
        * y0
        - 1.0
    ) * (n + 1.0) / (n + 2.0) + 1.0 / y0
    general = (n * pl.when(y0 > 0.05 + a).then(y1).otherwise(y2)).sqrt()
    exact1 = math.cos(p * math.pi / 2) / math.sin(p * math.pi / 2)
    exact2 = math.sqrt(2.0 / (p * (2.0 - p)) - 2.0)
    quantile = (
        pl.when(n.is_null() | (n < 1))
        .then(None)
        .when(n == 1)
        .then(pl.lit(exact1))
        .when(n == 2)
        .then(pl.lit(exact2))
        .otherwise(general)
    )
    temps = [f"_tq_{x}" for x in ("n", "a", "b", "c", "d", "y0", "c1", "y1")]
    return frame.with_columns(quantile.alias(name)).drop(temps)


def t_cdf_upper_expr(t: pl.Expr, df: pl.Expr) -> pl.Expr:
    """P(T > |t|) for Student's t with ``df`` degrees of freedom (Hill's normalising transform).

    Hill (Algorithm 395) maps t to an approximately standard normal deviate; the upper
    tail is then read from :func:`normal_cdf_expr`. For ``df`` of 1 and 2 the exact closed
    forms are used. Absolute error below about 1e-4 for ``df >= 3``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import t_cdf_upper_expr
    >>> df = pl.DataFrame({"t": [2.262, 12.706, 1.0], "df": [9.0, 1.0, 2.0]})
    >>> [
    ...     round(v, 4)
    ...     for v in df.select(t_cdf_upper_expr(pl.col("t"), pl.col("df"))).to_series().to_list()
    ... ]
    [0.025, 0.025, 0.2113]
    """
    n = df.cast(pl.Float64)
    tt = t.abs()
    a = n - 0.5
    b = 48.0 * a * a
    y = (tt * tt / n).log1p() * a
    zz = (
        ((((-0.4 * y - 3.3) * y - 24.0) * y - 85.5) / (0.8 * y * y + 100.0 + b) + y + 3.0) / b + 1.0
    ) * y.sqrt()
    general = 1.0 - normal_cdf_expr(zz)
    cauchy = 0.5 - tt.arctan() / math.pi
    df2 = 0.5 - tt / (2.0 * (2.0 + tt * tt).sqrt())
    return (
        pl.when(n.is_null() | t.is_null() | (n < 1))
        .then(None)
        .when(n == 1)
        .then(cauchy)
        .when(n == 2)
        .then(df2)
        .otherwise(general)
    )


def wilson_expr(x: pl.Expr, n: pl.Expr, z: float) -> tuple[pl.Expr, pl.Expr]:
    """Wilson's score interval ``(low, high)`` for ``x`` events of ``n`` (null when n = 0).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import wilson_expr
    >>> low, high = wilson_expr(pl.lit(8.0), pl.lit(10.0), 1.959964)
    >>> [round(v, 3) for v in pl.select(low.alias("lo"), high.alias("hi")).row(0)]
    [0.49, 0.943]
    """
    nn = n.cast(pl.Float64)
    p = x.cast(pl.Float64) / nn
    z2 = z * z
    denom = 1.0 + z2 / nn
    centre = (p + z2 / (2.0 * nn)) / denom
    half = z / denom * (p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)).sqrt()
    ok = nn > 0
    # A share of 0 has low exactly 0 and one of 1 has high exactly 1 (no rounding noise).
    low = pl.when(~ok).then(None).when(p <= 0).then(0.0).otherwise((centre - half).clip(0.0, 1.0))
    high = pl.when(~ok).then(None).when(p >= 1).then(1.0).otherwise((centre + half).clip(0.0, 1.0))
    return low, high


def newcombe_expr(  # noqa: PLR0917 - two (share, low, high) triples
    p1: pl.Expr,
    low1: pl.Expr,
    high1: pl.Expr,
    p2: pl.Expr,
    low2: pl.Expr,
    high2: pl.Expr,
) -> tuple[pl.Expr, pl.Expr]:
    """Newcombe's hybrid score interval (method 10) for ``p1 - p2`` from two Wilson intervals.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import newcombe_expr, wilson_expr
    >>> z = 1.959964
    >>> l1, h1 = wilson_expr(pl.lit(56.0), pl.lit(70.0), z)
    >>> l2, h2 = wilson_expr(pl.lit(48.0), pl.lit(80.0), z)
    >>> lo, hi = newcombe_expr(pl.lit(0.8), l1, h1, pl.lit(0.6), l2, h2)
    >>> [round(v, 4) for v in pl.select(lo.alias("lo"), hi.alias("hi")).row(0)]
    [0.0524, 0.3339]
    """
    d = p1 - p2
    low = d - ((p1 - low1).pow(2) + (high2 - p2).pow(2)).sqrt()
    high = d + ((high1 - p1).pow(2) + (p2 - low2).pow(2)).sqrt()
    return low, high


def welch_df_expr(se1: pl.Expr, n1: pl.Expr, se2: pl.Expr, n2: pl.Expr) -> pl.Expr:
    """Welch-Satterthwaite degrees of freedom from two standard errors of means.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators._stats import welch_df_expr
    >>> pl.select(welch_df_expr(pl.lit(1.0), pl.lit(10), pl.lit(1.0), pl.lit(10))).item()
    18.0
    """
    v1, v2 = se1.pow(2), se2.pow(2)
    m1 = n1.cast(pl.Float64) - 1.0
    m2 = n2.cast(pl.Float64) - 1.0
    return (v1 + v2).pow(2) / (v1.pow(2) / m1 + v2.pow(2) / m2)
