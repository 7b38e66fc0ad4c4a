"""Inklusionsgrad at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: about 550 000 pupils in one school year (the 30 September count)
in 98 municipalities, of whom about 16 % attend a fri grundskole or an
efterskole (outside the population), 3 % a specialklasse, 4 % a specialskole
or dagbehandlingstilbud. The pandas and DuckDB versions are straightforward
implementations of the same rule on the same data. The library's timings
include its input validation (school types, the special-class rule, unique
pupil ids, the CPR guard).
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import polars as pl

from _harness import Case, scan_columns
from folkeskolekvalitet.interventions import SCHOOL_TYPES, inclusion_rate
from folkeskolekvalitet.synthetic import uniform

MUNICIPAL = [t.value for t in SCHOOL_TYPES if t.municipal]
SEGREGATED = [t.value for t in SCHOOL_TYPES if t.segregated]
CLASS_BASED = [t.value for t in SCHOOL_TYPES if t.municipal and not t.segregated]
# cumulative shares of the school types
TYPE_CUTS = [
    ("folkeskole", 0.80),
    ("kommunal_ungdomsskole", 0.805),
    ("specialskole", 0.835),
    ("dagbehandling", 0.845),
    ("fri_grundskole", 0.985),
    ("efterskole", 1.0),
]


def pupils(n: int, seed: int = 7) -> pl.DataFrame:
    """Synthetic pupils for the benchmark (hash-based, reproducible)."""
    i = pl.int_range(n, dtype=pl.Int64)
    u_type = uniform(i, seed, 1)
    kind = pl.when(u_type < TYPE_CUTS[0][1]).then(pl.lit(TYPE_CUTS[0][0]))
    for value, cut in TYPE_CUTS[1:]:
        kind = kind.when(u_type < cut).then(pl.lit(value))
    kind = kind.otherwise(pl.lit("efterskole"))
    return pl.select(
        pl.lit("2020/21").alias("school_year"),
        (101 + (uniform(i, seed, 2) * 98).floor().cast(pl.Int32) * 4)
        .cast(pl.String)
        .alias("municipality_code"),
        pl.format("p{}", i).alias("pupil_id"),
        kind.alias("school_type"),
        (uniform(i, seed, 3) < 0.035).alias("special_class"),
    ).with_columns(
        pl.when(pl.col("school_type").is_in(CLASS_BASED))
        .then(pl.col("special_class"))
        .alias("special_class")
    )


def _pandas(df: pd.DataFrame) -> pd.DataFrame:
    municipal = df["school_type"].isin(MUNICIPAL)
    segregated = df["school_type"].isin(SEGREGATED) | (
        df["school_type"].isin(CLASS_BASED) & df["special_class"].fillna(False).astype(bool)
    )
    work = pd.DataFrame(
        {
            "school_year": df["school_year"],
            "municipality_code": df["municipality_code"],
            "municipal": municipal,
            "segregated": segregated,
        }
    )
    out = work.groupby(["school_year", "municipality_code"], observed=True).agg(
        n_pupils=("municipal", "size"),
        n_municipal=("municipal", "sum"),
        n_segregated=("segregated", "sum"),
    )
    out["inclusion_rate"] = (out["n_municipal"] - out["n_segregated"]) / out["n_municipal"]
    return out.reset_index().sort_values(["school_year", "municipality_code"], ignore_index=True)


DUCK = f"""
SELECT school_year, municipality_code, count(*) AS n_pupils,
       count(*) FILTER (WHERE school_type IN ({", ".join(repr(t) for t in MUNICIPAL)})) AS n_municipal,
       count(*) FILTER (WHERE school_type IN ({", ".join(repr(t) for t in SEGREGATED)})
                        OR (school_type IN ({", ".join(repr(t) for t in CLASS_BASED)})
                            AND special_class)) AS n_segregated,
       (n_municipal - n_segregated) / n_municipal AS inclusion_rate
FROM pupils GROUP BY ALL ORDER BY school_year, municipality_code
"""  # noqa: E501


def _check(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    for column in ("n_pupils", "n_municipal", "n_segregated"):
        assert pl_out[column].to_list() == pd_out[column].tolist() == duck_out[column].to_list(), (
            column
        )
    for a, b, c in zip(
        pl_out["inclusion_rate"].to_list(),
        pd_out["inclusion_rate"].tolist(),
        duck_out["inclusion_rate"].to_list(),
        strict=True,
    ):
        assert math.isclose(a, b, rel_tol=1e-12), (a, b)
        assert math.isclose(a, c, rel_tol=1e-12), (a, c)


#: The columns the rule reads (the scan the issue measures it against).
SCAN_COLUMNS = ["school_year", "municipality_code", "pupil_id", "school_type", "special_class"]


def cases(scale: float) -> list[Case]:
    data = pupils(max(100, round(550_000 * scale)))
    frame = data.to_pandas()
    con = duckdb.connect()
    con.register("pupils", data.to_arrow())
    return [
        Case(
            "inclusion_rate (school_year x municipality)",
            data.height,
            polars=lambda: inclusion_rate(data),
            unvalidated=lambda: inclusion_rate(data, validate=False),
            scan=scan_columns(data, SCAN_COLUMNS),
            pandas=lambda: _pandas(frame),
            duckdb=lambda: con.sql(DUCK).pl(),
            check=_check,
        ),
        Case(
            "inclusion_rate, lazy input, validate=False",
            data.height,
            polars=lambda: inclusion_rate(data.lazy(), validate=False).collect(),
            pandas=lambda: _pandas(frame),
            duckdb=lambda: con.sql(DUCK).pl(),
            check=_check,
        ),
    ]
