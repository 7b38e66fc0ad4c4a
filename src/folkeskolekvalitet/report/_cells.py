"""The report's cells: every row of the indicator table formatted in Danish, with its marks.

Vectorised: one frame with the value as text ("7,3", "85 %"), the interval, the change
from last year and the comparisons with the municipality and the country, each marked only
where significant. The HTML and the figures read it.
"""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet._core.format import danish_number
from folkeskolekvalitet.indicators import CATALOGUE, KEY_COLUMNS
from folkeskolekvalitet.report._labels import STATUS_SYMBOLS

__all__ = ["cells", "format_value", "indicator_meta"]

_PERCENT_UNITS = ("share", "rate")
_MAX_DECIMALS = 3


def indicator_meta() -> pl.DataFrame:
    """One row per catalogue indicator: key, family, label, unit, decimals, higher_is_better."""
    rows = [
        (k, i.family, i.label, i.unit, i.decimals, i.higher_is_better, i.is_distribution)
        for k, i in CATALOGUE.items()
    ]
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "family": pl.String,
            "label": pl.String,
            "unit": pl.String,
            "decimals": pl.Int8,
            "higher_is_better": pl.Boolean,
            "distribution": pl.Boolean,
        },
        orient="row",
    )


def _number(expr: pl.Expr, decimals: pl.Expr) -> pl.Expr:
    out = pl.lit(None, pl.String)
    for d in range(_MAX_DECIMALS, -1, -1):
        out = pl.when(decimals == d).then(danish_number(expr, d)).otherwise(out)
    return out


def format_value(
    value: pl.Expr, unit: pl.Expr, decimals: pl.Expr, *, signed: bool = False
) -> pl.Expr:
    r"""A value as Danish text: shares and rates in percent ("85 %"), others with a comma.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.report._cells import format_value
    >>> df = pl.DataFrame(
    ...     {"v": [7.26, 0.854, None], "u": ["grade", "share", "share"], "d": [1, 0, 0]}
    ... )
    >>> df.select(format_value(pl.col("v"), pl.col("u"), pl.col("d"))).to_series().to_list()
    ['7,3', '85\xa0%', None]
    """
    percent = unit.is_in(_PERCENT_UNITS)
    scaled = pl.when(percent).then(value * 100).otherwise(value)
    text = _number(scaled, decimals.fill_null(1))
    if signed:
        zero = text.str.contains(r"^0(,0*)?$")
        text = pl.when((scaled > 0) & ~zero).then(pl.lit("+") + text).otherwise(text)
    return pl.when(percent).then(text + pl.lit("\u00a0%")).otherwise(text)


def cells(
    table: pl.DataFrame,
    change: pl.DataFrame | None,
    compare: pl.DataFrame | None,
) -> pl.DataFrame:
    """The table's rows with their Danish texts and significance marks.

    Adds ``family``, ``label``, ``unit``, ``decimals``, ``higher_is_better``,
    ``distribution``, ``value_text`` (the value, or the status symbol), ``ci_text``,
    ``change_text`` / ``change_sign`` (only for a significant change: +1 up, -1 down),
    ``vs_municipality`` / ``vs_country`` (+1 significantly above, -1 below, else null).
    """
    meta = indicator_meta()
    keys = list(KEY_COLUMNS)
    out = table.join(meta, on="indicator", how="left").with_columns(
        pl.col("family").fill_null(pl.col("indicator").str.split(".").list.first()),
        pl.col("label").fill_null(pl.col("indicator")),
        pl.col("unit").fill_null("number"),
        pl.col("decimals").fill_null(1),
        pl.col("distribution").fill_null(value=False),
    )
    unit, dec = pl.col("unit"), pl.col("decimals")
    symbol = (
        pl.col("status")
        .cast(pl.String)
        .replace_strict(dict(STATUS_SYMBOLS), default=None, return_dtype=pl.String)
    )
    out = out.with_columns(
        pl.when(pl.col("status") == "ok")
        .then(format_value(pl.col("value"), unit, dec))
        .otherwise(symbol)
        .alias("value_text"),
        pl.when((pl.col("status") == "ok") & pl.col("ci_low").is_not_null())
        .then(
            pl.concat_str(
                _number(
                    pl.when(unit.is_in(_PERCENT_UNITS))
                    .then(pl.col("ci_low") * 100)
                    .otherwise(pl.col("ci_low")),
                    dec,
                ),
                pl.lit("–"),
                _number(
                    pl.when(unit.is_in(_PERCENT_UNITS))
                    .then(pl.col("ci_high") * 100)
                    .otherwise(pl.col("ci_high")),
                    dec,
                ),
            )
        )
        .alias("ci_text"),
        symbol.alias("symbol"),
    )
    if change is not None and change.height:
        ch = change.select(
            *keys,
            pl.col("difference").alias("_ch_diff"),
            pl.col("significant").fill_null(value=False).alias("_ch_sig"),
        )
        out = out.join(ch, on=keys, how="left", nulls_equal=True)
    else:
        out = out.with_columns(
            pl.lit(None, pl.Float64).alias("_ch_diff"), pl.lit(None, pl.Boolean).alias("_ch_sig")
        )
    sig = pl.col("_ch_sig").fill_null(value=False) & pl.col("_ch_diff").is_not_null()
    out = out.with_columns(
        pl.when(sig)
        .then(format_value(pl.col("_ch_diff"), unit, dec, signed=True))
        .alias("change_text"),
        pl.when(sig).then(pl.col("_ch_diff").sign().cast(pl.Int8)).alias("change_sign"),
    ).drop("_ch_diff", "_ch_sig")
    for against in ("municipality", "country"):
        name = f"vs_{against}"
        if compare is not None and compare.height and "against" in compare.columns:
            part = compare.filter(pl.col("against") == against).select(
                *keys,
                pl.when(pl.col("significant").fill_null(value=False))
                .then(pl.col("difference").sign().cast(pl.Int8))
                .alias(name),
            )
            out = out.join(part, on=keys, how="left", nulls_equal=True)
        else:
            out = out.with_columns(pl.lit(None, pl.Int8).alias(name))
    return out
