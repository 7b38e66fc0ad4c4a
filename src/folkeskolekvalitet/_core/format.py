"""Presentation helpers: rounding half up and Danish number formatting.

The library never rounds inside a rule; these are for presentation only
(markers, report tables). Danish reports round half away from zero ("5 og
derover rundes op") and write a decimal comma.
"""

from __future__ import annotations

import polars as pl

__all__ = ["danish_number", "round_half_up"]

# Decimal values such as 0.35 are stored as 0.34999...; after scaling, nudging by
# an absolute epsilon far below any meaningful precision makes printed halves
# round up, for every value whose scaled size is below about 1e8.
_NUDGE = 1e-7


def round_half_up(expr: pl.Expr, decimals: int = 1) -> pl.Expr:
    """Round half away from zero (2.25 -> 2.3, -0.25 -> -0.3), as Danish reports do.

    Examples
    --------
    >>> from folkeskolekvalitet import round_half_up
    >>> import polars as pl
    >>> s = pl.Series([0.35, 2.25, -0.25, -1.2, 7.0])
    >>> pl.select(round_half_up(pl.lit(s))).to_series().to_list()
    [0.4, 2.3, -0.3, -1.2, 7.0]
    """
    factor = 10.0**decimals
    scaled = expr.cast(pl.Float64) * factor
    magnitude = (scaled.abs() + _NUDGE + 0.5).floor()
    return (scaled.sign() * magnitude / factor).round(decimals).cast(pl.Float64)


def danish_number(expr: pl.Expr, decimals: int = 1) -> pl.Expr:
    """Format numbers with a Danish decimal comma, rounded half up; ``-0,0`` becomes ``0,0``.

    Examples
    --------
    >>> from folkeskolekvalitet import danish_number
    >>> import polars as pl
    >>> s = pl.Series([-1.2, 0.04, -0.04, 12.0, None])
    >>> pl.select(danish_number(pl.lit(s))).to_series().to_list()
    ['-1,2', '0,0', '0,0', '12,0', None]
    """
    rounded = round_half_up(expr, decimals)
    rounded = pl.when(rounded == 0).then(pl.lit(0.0)).otherwise(rounded)
    if decimals == 0:
        text = rounded.cast(pl.Int64).cast(pl.String)
    else:
        units = (rounded.abs() * 10**decimals + 0.5).floor().cast(pl.Int64)
        whole = (units // 10**decimals).cast(pl.String)
        frac = (units % 10**decimals).cast(pl.String).str.zfill(decimals)
        sign = pl.when(rounded < 0).then(pl.lit("-")).otherwise(pl.lit(""))
        text = pl.concat_str([sign, whole, pl.lit(","), frac])
    return text
