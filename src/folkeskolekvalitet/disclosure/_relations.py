"""The indicator table as cells and relations for :mod:`folkeskolekvalitet._core.suppression`."""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet.indicators.catalogue import BREAKDOWN_COLUMNS, CATALOGUE

__all__ = ["cells_and_relations", "describe"]

#: Bounds of one pupil's value by unit: a count (share, rate), a grade, a trivsel score.
_PUPIL_RANGE = {"share": (0.0, 1.0), "rate": (0.0, 1.0), "grade": (-3.0, 12.0), "score": (1.0, 5.0)}
_PART = ("school_year", "indicator", "subject", "grade_level", "category")
_MEMBER = ("ok", "suppressed", "suppressed_complementary")


def _unit_of() -> pl.Expr:
    return pl.col("indicator").replace_strict(
        {k: ind.unit for k, ind in CATALOGUE.items()}, default=None, return_dtype=pl.String
    )


def _key(*exprs: pl.Expr) -> pl.Expr:
    """One text key of several columns (nulls kept apart from any value)."""
    return pl.concat_str([e.cast(pl.String).fill_null("\x00") for e in exprs], separator="\x1f")


def cells_and_relations(  # noqa: PLR0915 - one relation kind after the other
    table: pl.DataFrame, hidden: pl.Series
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Cells, incidence and relation descriptions of an indicator table.

    ``hidden`` marks the withheld rows. Rows that are not available or not applicable take
    no part (a missing row adds nothing to a sum). A whole (a distribution's categories)
    adds one fixed cell per unit holding its pupils.
    """
    n = pl.col("n").cast(pl.Float64)
    lo_p, hi_p = (
        pl.col("_unit").replace_strict(
            {u: r[i] for u, r in _PUPIL_RANGE.items()}, default=None, return_dtype=pl.Float64
        )
        for i in (0, 1)
    )
    rows = (
        table.with_row_index("_cell")
        .with_columns(pl.col("_cell").cast(pl.Int64), _hidden=hidden, _unit=_unit_of())
        .filter(pl.col("status").cast(pl.String).is_in(_MEMBER))
    )
    known_n = pl.col("n").is_not_null()
    cells = rows.select(
        "_cell",
        "_hidden",
        pl.when(pl.col("_hidden") | (pl.col("status") != "ok"))
        .then(None)
        .otherwise(pl.coalesce(pl.col("numerator"), pl.col("value") * n))
        .alias("_total"),
        pl.when(known_n & lo_p.is_not_null())
        .then(lo_p * n)
        .when(lo_p >= 0)
        .then(0.0)
        .otherwise(-float("inf"))
        .alias("_lo"),
        pl.when(known_n & hi_p.is_not_null()).then(hi_p * n).otherwise(float("inf")).alias("_hi"),
        pl.lit(value=False).alias("_fixed"),
        n.alias("_sort_n"),
        pl.col("unit_level").to_physical().alias("_sort_level"),
        "unit_id",
        *_PART,
    )
    cells = (
        cells.sort(["_sort_n", "_sort_level", "unit_id", *_PART], nulls_last=True)
        .with_row_index("_order")
        .select(
            "_cell", "_hidden", "_total", "_lo", "_hi", "_fixed", pl.col("_order").cast(pl.Int64)
        )
        .sort("_cell")
    )
    level = pl.col("unit_level").cast(pl.String)
    part = [pl.col(c) for c in _PART]
    unit = _key(pl.col("unit_level"), pl.col("unit_id"))
    base = rows.select("_cell", *_PART, "unit_level", "unit_id", "municipality_code")
    pieces: list[pl.DataFrame] = []
    described: list[pl.DataFrame] = []

    # Schools within their municipality (or the country when the table has no municipality
    # row), municipalities within the country.
    own = base.select("_cell", _key(*part).alias("_part"), unit.alias("_unit_key"))
    muni_key = _key(pl.lit("municipality"), pl.col("municipality_code"))
    country_key = _key(pl.lit("country"), pl.lit("DK"))
    children = base.filter(level != "country").select(
        "_cell",
        _key(*part).alias("_part"),
        pl.when(level == "school").then(muni_key).otherwise(country_key).alias("_p1"),
        country_key.alias("_p2"),
        pl.when(level == "school")
        .then(pl.concat_str(pl.lit("schools within municipality "), "municipality_code"))
        .otherwise(pl.lit("municipalities within the country"))
        .alias("_what1"),
        pl.when(level == "school")
        .then(pl.lit("schools within the country"))
        .otherwise(pl.lit("municipalities within the country"))
        .alias("_what2"),
    )
    exists = own.select("_part", "_unit_key", pl.col("_cell").alias("_parent"))
    children = (
        children.join(
            exists.rename({"_unit_key": "_p1", "_parent": "_parent1"}),
            on=["_part", "_p1"],
            how="left",
        )
        .join(
            exists.rename({"_unit_key": "_p2", "_parent": "_parent2"}),
            on=["_part", "_p2"],
            how="left",
        )
        .select(
            "_cell",
            "_part",
            pl.coalesce("_parent1", "_parent2").alias("_parent"),
            pl.when(pl.col("_parent1").is_not_null())
            .then(pl.col("_what1"))
            .otherwise(pl.col("_what2"))
            .alias("_what"),
        )
        .filter(pl.col("_parent").is_not_null())
    )
    hier = pl.concat(
        [
            children.select("_cell", pl.col("_parent").alias("_rkey"), pl.lit(1).alias("_coef")),
            children.select(
                pl.col("_parent").alias("_cell"),
                pl.col("_parent").alias("_rkey"),
                pl.lit(-1).alias("_coef"),
            ).unique(),
        ]
    ).with_columns(_key(pl.lit("h"), pl.col("_rkey")).alias("_rkey"))
    pieces.append(hier)
    described.append(
        children.select(
            _key(pl.lit("h"), pl.col("_parent")).alias("_rkey"), pl.col("_what")
        ).unique("_rkey", keep="first")
    )

    # Breakdowns next to their total.
    for column in BREAKDOWN_COLUMNS:
        others = [c for c in _PART if c != column]
        key = _key(pl.lit(column), unit, *(pl.col(c) for c in others))
        parts = base.filter(pl.col(column).is_not_null()).select("_cell", key.alias("_rkey"))
        totals = base.filter(pl.col(column).is_null()).select(
            pl.col("_cell").alias("_total_cell"), key.alias("_rkey")
        )
        linked = parts.join(totals, on="_rkey", how="inner")
        if linked.height == 0:
            continue
        pieces.append(linked.select("_cell", "_rkey", pl.lit(1).alias("_coef")))
        pieces.append(
            linked.select(
                pl.col("_total_cell").alias("_cell"), "_rkey", pl.lit(-1).alias("_coef")
            ).unique()
        )
        described.append(
            linked.select(
                "_rkey", pl.lit(f"{column} rows next to their total").alias("_what")
            ).unique("_rkey")
        )

    # Categories that make up a whole: they add up to the unit's pupils (a fixed cell).
    wholes = [k for k, ind in CATALOGUE.items() if ind.is_distribution]
    cat = pl.col("category")
    group = (
        pl.when(cat.str.contains(":")).then(cat.str.replace(r":[^:]*$", "")).otherwise(pl.lit(""))
    )
    in_whole = rows.filter(pl.col("indicator").is_in(wholes) & cat.is_not_null()).select(
        "_cell",
        "n",
        _key(pl.lit("w"), unit, *(pl.col(c) for c in _PART if c != "category"), group).alias(
            "_rkey"
        ),
    )
    in_whole = in_whole.filter(pl.len().over("_rkey") >= 2)
    extra = pl.DataFrame()
    if in_whole.height:
        first_id = int(table.height)
        whole_cells = (
            in_whole.group_by("_rkey")
            .agg(pl.col("n").max().cast(pl.Float64).alias("_total"))
            .sort("_rkey")
            .with_row_index("_cell", offset=first_id)
            .with_columns(pl.col("_cell").cast(pl.Int64))
        )
        extra = whole_cells.select(
            "_cell",
            pl.lit(value=False).alias("_hidden"),
            "_total",
            pl.col("_total").alias("_lo"),
            pl.col("_total").alias("_hi"),
            pl.lit(value=True).alias("_fixed"),
            pl.lit(2**62, dtype=pl.Int64).alias("_order"),
        ).filter(pl.col("_total").is_not_null())
        pieces.append(in_whole.select("_cell", "_rkey", pl.lit(1).alias("_coef")))
        pieces.append(
            whole_cells.filter(pl.col("_total").is_not_null()).select(
                "_cell", "_rkey", pl.lit(-1).alias("_coef")
            )
        )
        described.append(
            in_whole.select(
                "_rkey", pl.lit("categories that make up a whole").alias("_what")
            ).unique("_rkey")
        )
    if extra.height:
        cells = pl.concat([cells, extra], how="vertical_relaxed")
    incidence = pl.concat(
        [p.select("_cell", "_rkey", pl.col("_coef").cast(pl.Int64)) for p in pieces]
    )
    # A sum holds only where the table has every part: where the parts' pupils add up to
    # the whole's (an unknown size is taken to add up). A report of one municipality next
    # to the country, or subjects whose pupils overlap, make no relation.
    sizes = rows.select("_cell", pl.col("n").cast(pl.Int64).alias("_n"))
    complete = (
        incidence.filter(~pl.col("_rkey").str.starts_with("w"))
        .join(sizes, on="_cell", how="left")
        .group_by("_rkey")
        .agg(
            (((pl.col("_coef") * pl.col("_n")).sum() == 0) | pl.col("_n").is_null().any()).alias(
                "_ok"
            )
        )
        .filter(~pl.col("_ok"))
        .select("_rkey")
    )
    incidence = incidence.join(complete, on="_rkey", how="anti")
    ids = incidence.select(pl.col("_rkey").unique().sort()).with_row_index("_rel")
    incidence = incidence.join(ids, on="_rkey").select(
        pl.col("_rel").cast(pl.Int64), "_cell", "_coef"
    )
    what = pl.concat(described).join(ids, on="_rkey").select(pl.col("_rel").cast(pl.Int64), "_what")
    return cells, incidence, what


def describe(what: pl.DataFrame, rels: tuple[int, ...]) -> str:
    """The relations ``rels`` in words."""
    lookup = dict(what.filter(pl.col("_rel").is_in(list(rels))).iter_rows())
    return "; ".join(sorted({lookup.get(r, "a relation") for r in rels}))
