"""Transition indicators at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: about 60 000 leavers of 9. klasse a year (about 1 100 schools) over
ten cohorts (about 600 000 rows). The pandas and DuckDB versions are
straightforward implementations of the same rules on the same data: one row per
group and category with zero rows kept, the group total and the share. The
library's timings include its input validation.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import polars as pl

from _harness import Case, scan_columns
from folkeskolekvalitet.synthetic.transitions import transition_statuses
from folkeskolekvalitet.transitions import APPLICATIONS, STATUSES, application_shares, status_shares

COHORTS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2024)]
KEY = ["cohort", "institution_id"]


def _pandas_shares(df: pd.DataFrame, column: str, categories: list[str]) -> pd.DataFrame:
    counts = df.groupby([*KEY, column], observed=True).size().rename("n_pupils")
    totals = df.groupby(KEY).size().rename("n_total").reset_index()
    grid = totals.merge(pd.DataFrame({column: categories}), how="cross")
    out = grid.merge(counts.reset_index(), on=[*KEY, column], how="left")
    out["n_pupils"] = out["n_pupils"].fillna(0).astype("int64")
    out["share"] = out["n_pupils"] / out["n_total"]
    out[column] = pd.Categorical(out[column], categories=categories, ordered=True)
    return out.sort_values([*KEY, column], ignore_index=True)


def _duck_shares(column: str, categories: list[str]) -> str:
    values = ", ".join(f"({i}, '{c}')" for i, c in enumerate(categories))
    return f"""
    WITH cats(pos, category) AS (VALUES {values}),
    totals AS (SELECT cohort, institution_id, count(*) AS n_total FROM leavers GROUP BY ALL),
    counts AS (
        SELECT cohort, institution_id, {column}::VARCHAR AS category, count(*) AS n
        FROM leavers GROUP BY ALL
    )
    SELECT t.cohort, t.institution_id, c.category, coalesce(n.n, 0) AS n_pupils, t.n_total,
           coalesce(n.n, 0) / t.n_total AS share
    FROM totals t CROSS JOIN cats c
    LEFT JOIN counts n ON n.cohort = t.cohort AND n.institution_id = t.institution_id
        AND n.category = c.category
    ORDER BY t.cohort, t.institution_id, c.pos
    """


def _checker(column: str):  # type: ignore[no-untyped-def]
    def check(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
        assert pl_out.height == len(pd_out) == duck_out.height
        name = "status" if column.startswith("status") else "application"
        cats = pl_out[name].cast(pl.String).to_list()
        assert cats == pd_out[column].astype(str).tolist() == duck_out["category"].to_list()
        # the library's names: the category count is n, the group total n_pupils
        for col, other in (("n", "n_pupils"), ("n_pupils", "n_total")):
            assert pl_out[col].to_list() == pd_out[other].tolist() == duck_out[other].to_list(), col
        for a, b, c in zip(
            pl_out["share"], pd_out["share"].tolist(), duck_out["share"], strict=True
        ):
            assert math.isclose(a, b), (a, b)
            assert math.isclose(a, c), (a, c)

    return check


def cases(scale: float) -> list[Case]:
    n_schools = max(2, round(1100 * scale))
    leavers = transition_statuses(
        n_schools=n_schools, cohorts=COHORTS, pupils_per_school=55, seed=11
    ).with_columns(pl.col("application", "status_3m", "status_15m").cast(pl.String))
    frame = leavers.to_pandas()
    con = duckdb.connect()
    con.register("leavers", leavers.to_arrow())
    statuses = [s.key for s in STATUSES]
    applications = [a.key for a in APPLICATIONS]
    return [
        Case(
            "status_shares (15 months)",
            leavers.height,
            polars=lambda: status_shares(leavers, horizon="15m"),
            unvalidated=lambda: status_shares(leavers, horizon="15m", validate=False),
            scan=scan_columns(leavers, ["cohort", "institution_id", "pupil_id", "status_15m"]),
            pandas=lambda: _pandas_shares(frame, "status_15m", statuses),
            duckdb=lambda: con.sql(_duck_shares("status_15m", statuses)).pl(),
            check=_checker("status_15m"),
        ),
        Case(
            "application_shares (1. prioritet)",
            leavers.height,
            polars=lambda: application_shares(leavers),
            unvalidated=lambda: application_shares(leavers, validate=False),
            scan=scan_columns(leavers, ["cohort", "institution_id", "pupil_id", "application"]),
            pandas=lambda: _pandas_shares(frame, "application", applications),
            duckdb=lambda: con.sql(_duck_shares("application", applications)).pl(),
            check=_checker("application"),
        ),
    ]
