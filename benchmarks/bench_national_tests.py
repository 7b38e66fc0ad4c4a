"""National test shares at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: one national school year of the nationale test, about 1,100 schools
x 10 obligatory tests x about 55 pupils = some 600,000 test results; and one
year of the overgangstest of the same size. Levels, subjects and ids arrive as
text, as they do from an export. The pandas and DuckDB versions are
straightforward implementations of the same rules on the same data (levels as
keys only; the library also accepts the official labels). The library's
timings include its input validation (CPR guard, catalogue of obligatory tests,
duplicate keys, level spellings); two reference rows show the cost of the CPR
guard (``allow_cpr=True``) and of all value checks (``validate=False``).
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import polars as pl

from _harness import Case
from folkeskolekvalitet.national_tests import good_share, level_shares
from folkeskolekvalitet.synthetic.national_tests import national_test_results

LEVELS = ["fremragende", "rigtig_god", "god", "jaevn", "mangelfuld", "ikke_tilstraekkelig"]
KEYS = ["school_year", "institution_id", "subject", "grade_level"]
CUT_OFF = 35


def _pandas_level_shares(df: pd.DataFrame) -> pd.DataFrame:
    rows = df[df["subject"].isin(["dansk_laesning", "matematik"])]
    counts = (
        pd.crosstab([rows[k] for k in KEYS], rows["level"])
        .reindex(columns=LEVELS, fill_value=0)
        .rename(columns=lambda c: f"n_{c}")
    )
    size = rows.groupby(KEYS).size()
    out = counts.reindex(size.index, fill_value=0)
    out["n_pupils"] = out.sum(axis=1)
    out["n_no_result"] = size - out["n_pupils"]
    out["n_good"] = out["n_fremragende"] + out["n_rigtig_god"] + out["n_god"]
    out["n_best"] = out["n_fremragende"]
    out["n_poor"] = out["n_mangelfuld"] + out["n_ikke_tilstraekkelig"]
    denominator = out["n_pupils"].where(out["n_pupils"] > 0)
    for name in ("good", "best", "poor", *LEVELS):
        out[f"share_{name}"] = out[f"n_{name}"] / denominator
    return out.reset_index().sort_values(KEYS, ignore_index=True)


_COUNTS = ",\n    ".join(f"count(*) FILTER (WHERE level = '{lv}') AS n_{lv}" for lv in LEVELS)
DUCK_LEVEL_SHARES = f"""
WITH counts AS (
  SELECT school_year, institution_id, subject, grade_level,
    count(level) AS n_pupils,
    count(*) - count(level) AS n_no_result,
    {_COUNTS}
  FROM results
  WHERE subject IN ('dansk_laesning', 'matematik')
  GROUP BY ALL
)
SELECT *,
  n_fremragende + n_rigtig_god + n_god AS n_good,
  (n_fremragende + n_rigtig_god + n_god) / NULLIF(n_pupils, 0) AS share_good,
  n_fremragende / NULLIF(n_pupils, 0) AS share_best,
  (n_mangelfuld + n_ikke_tilstraekkelig) AS n_poor,
  (n_mangelfuld + n_ikke_tilstraekkelig) / NULLIF(n_pupils, 0) AS share_poor
FROM counts
ORDER BY school_year, institution_id, subject, grade_level
"""

DUCK_GOOD_SHARE = f"""
SELECT school_year, institution_id, subject, grade_level,
  count(points) AS n_pupils,
  count(*) - count(points) AS n_no_result,
  count(*) FILTER (WHERE points >= {CUT_OFF}) AS n_good,
  count(*) FILTER (WHERE points >= {CUT_OFF}) / NULLIF(count(points), 0) AS share_good
FROM linear
GROUP BY ALL
ORDER BY school_year, institution_id, subject, grade_level
"""


def _pandas_good_share(df: pd.DataFrame) -> pd.DataFrame:
    rows = df.assign(good=(df["points"] >= CUT_OFF).where(df["points"].notna()))
    out = rows.groupby(KEYS, observed=True).agg(
        n_pupils=("points", "count"), n_rows=("points", "size"), n_good=("good", "sum")
    )
    out["n_no_result"] = out["n_rows"] - out["n_pupils"]
    out["share_good"] = out["n_good"] / out["n_pupils"].where(out["n_pupils"] > 0)
    return out.drop(columns="n_rows").reset_index().sort_values(KEYS, ignore_index=True)


def _same(a: list[float | None], b: list[float | None]) -> bool:
    def norm(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    return all(
        (norm(x) is None and norm(y) is None)
        or (norm(x) is not None and norm(y) is not None and math.isclose(x, y))  # type: ignore[arg-type]
        for x, y in zip(a, b, strict=True)
    )


def _check(columns: list[str]) -> object:
    def check(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
        assert pl_out.height == len(pd_out) == duck_out.height
        keys = pl_out.select(pl.col("institution_id"), pl.col("grade_level").cast(pl.Int64))
        assert keys["institution_id"].to_list() == pd_out["institution_id"].tolist()
        assert keys["institution_id"].to_list() == duck_out["institution_id"].to_list()
        for c in columns:
            ours = pl_out[c].to_list()
            if c.startswith("share"):
                assert _same(ours, pd_out[c].tolist()), c
                assert _same(ours, duck_out[c].to_list()), c
            else:
                assert ours == [int(v) for v in pd_out[c].tolist()], c
                assert ours == duck_out[c].to_list(), c

    return check


def cases(scale: float) -> list[Case]:
    n_schools = max(2, round(1100 * scale))
    results = national_test_results(
        n_schools=n_schools, school_years=["2018/19"], pupils_per_grade=55, seed=42
    ).with_columns(pl.col("subject").cast(pl.String), pl.col("level").cast(pl.String))
    linear = (
        national_test_results(
            n_schools=n_schools, school_years=["2023/24"], pupils_per_grade=55, seed=43
        )
        .with_columns(pl.col("subject").cast(pl.String))
        .drop("level", "percentile", "good")
    )
    frame = results.to_pandas()
    linear_frame = linear.to_pandas()
    con = duckdb.connect()
    con.register("results", results.to_arrow())
    con.register("linear", linear.to_arrow())
    return [
        Case(
            "level_shares (nationale test, one year)",
            results.height,
            polars=lambda: level_shares(results),
            pandas=lambda: _pandas_level_shares(frame),
            duckdb=lambda: con.sql(DUCK_LEVEL_SHARES).pl(),
            check=_check(  # type: ignore[arg-type]
                [
                    "n_pupils",
                    "n_no_result",
                    "n_good",
                    "n_poor",
                    "share_good",
                    "share_best",
                    "share_poor",
                    "n_jaevn",
                ]
            ),
        ),
        Case(
            "good_share (overgangstest, points >= cut-off)",
            linear.height,
            polars=lambda: good_share(linear, cut_off=CUT_OFF),
            pandas=lambda: _pandas_good_share(linear_frame),
            duckdb=lambda: con.sql(DUCK_GOOD_SHARE).pl(),
            check=_check(["n_pupils", "n_no_result", "n_good", "share_good"]),  # type: ignore[arg-type]
        ),
        Case(
            "level_shares, allow_cpr=True (for reference)",
            results.height,
            polars=lambda: level_shares(results, allow_cpr=True),
            pandas=lambda: _pandas_level_shares(frame),
            duckdb=lambda: con.sql(DUCK_LEVEL_SHARES).pl(),
        ),
        Case(
            "level_shares, validate=False (for reference)",
            results.height,
            polars=lambda: level_shares(results, validate=False),
            pandas=lambda: _pandas_level_shares(frame),
            duckdb=lambda: con.sql(DUCK_LEVEL_SHARES).pl(),
        ),
    ]
