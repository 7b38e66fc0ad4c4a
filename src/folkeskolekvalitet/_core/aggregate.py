"""Aggregation building blocks shared by the indicator families.

Every rule reports the counts it rests on next to its values. These helpers
build the usual expressions once, so that "mean of pupil values, with the
number of pupils in and out" and "share, with numerator and denominator" mean
the same thing in every family.
"""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet._core.exprs import divided_by

__all__ = ["counted_mean", "safe_share", "sort_groups"]


def safe_share(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``numerator / denominator`` as Float64, null (never NaN) when the denominator is 0.

    Examples
    --------
    >>> from folkeskolekvalitet._core.aggregate import safe_share
    >>> import polars as pl
    >>> df = pl.DataFrame({"n": [1, 0], "d": [4, 0]})
    >>> df.select(safe_share(pl.col("n"), pl.col("d")).alias("share"))["share"].to_list()
    [0.25, None]
    """
    return pl.when(denominator > 0).then(divided_by(numerator, denominator)).otherwise(None)


def counted_mean(
    value: pl.Expr,
    included: pl.Expr,
    *,
    n_name: str = "n_pupils",
    n_included_name: str = "n_pupils_included",
    mean_name: str = "average",
    std_name: str = "std",
) -> list[pl.Expr]:
    """Aggregations: rows, rows included, mean and sample std of ``value`` over included rows.

    ``std`` is the sample standard deviation (ddof = 1), null for fewer than
    two included rows; ``mean`` is null when no row is included.

    Examples
    --------
    >>> from folkeskolekvalitet._core.aggregate import counted_mean
    >>> import polars as pl
    >>> df = pl.DataFrame({"v": [4.0, 6.0, 100.0], "ok": [True, True, False]})
    >>> df.select(counted_mean(pl.col("v"), pl.col("ok"))).row(0)
    (3, 2, 5.0, 1.4142135623730951)
    """
    kept = value.filter(included)
    return [
        pl.len().cast(pl.UInt32).alias(n_name),
        included.sum().cast(pl.UInt32).alias(n_included_name),
        kept.mean().cast(pl.Float64).alias(mean_name),
        kept.std(ddof=1).cast(pl.Float64).alias(std_name),
    ]


def sort_groups(lf: pl.LazyFrame, by: tuple[str, ...]) -> pl.LazyFrame:
    """Sort a result by its grouping columns (nulls last), for stable, readable output."""
    return lf.sort(list(by), nulls_last=True) if by else lf
