"""Absence indicators at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: about 550 000 pupils in one school year (about 1 100 schools), as yearly
records (one row per pupil) and as quarterly records (four rows per pupil,
2.2 million rows). The pandas and DuckDB versions are straightforward
implementations of the same rules on the same data: pupil fractions, means
weighted by months registered over pupils with months and school days; the
share strictly above 10 %; the quarterly flags on ulovligt fravær (≥ 10 %,
≥ 15 %, in force from 1 August 2019), one row per input row in the input's
order. The library's timings include its input validation unless the case says
``validate=False``.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import polars as pl

from _harness import Case, scan_columns
from folkeskolekvalitet.absence import absence_rates, quarterly_flags, share_above
from folkeskolekvalitet.synthetic.absence import absence_records

KEY = ["school_year", "institution_id"]
KINDS = {"sick": "sick_days", "authorised": "authorised_days", "unauthorised": "unauthorised_days"}


def _pandas_rates(df: pd.DataFrame) -> pd.DataFrame:
    days = df["school_days"].astype("float64")
    included = (days > 0) & (df["months_registered"] > 0)
    w = df["months_registered"].where(included, 0).astype("float64")
    safe = days.where(days > 0, 1.0)
    parts = {"_w": w, "_in": included, "_out": ~included}
    for k, col in KINDS.items():
        parts[f"_{k}"] = w * df[col] / safe
    parts["_total"] = w * (df["sick_days"] + df["authorised_days"] + df["unauthorised_days"]) / safe
    frame = pd.DataFrame({**{k: df[k] for k in KEY}, **parts})
    g = frame.groupby(KEY, sort=True).sum()
    out = pd.DataFrame({"n_pupils": g["_in"], "n_pupils_excluded": g["_out"]})
    for k in (*KINDS, "total"):
        out[f"rate_{k}"] = (g[f"_{k}"] / g["_w"]).where(g["_w"] > 0)
    return out.reset_index()


DUCK_RATES = """
WITH p AS (
    SELECT school_year, institution_id,
           school_days > 0 AND months_registered > 0 AS inc,
           CASE WHEN school_days > 0 AND months_registered > 0
                THEN months_registered::DOUBLE ELSE 0 END AS w,
           sick_days::DOUBLE / nullif(school_days, 0) AS f_sick,
           authorised_days::DOUBLE / nullif(school_days, 0) AS f_authorised,
           unauthorised_days::DOUBLE / nullif(school_days, 0) AS f_unauthorised,
           (sick_days + authorised_days + unauthorised_days)::DOUBLE / nullif(school_days, 0)
               AS f_total
    FROM records
)
SELECT school_year, institution_id,
       count(*) FILTER (WHERE inc) AS n_pupils,
       count(*) FILTER (WHERE NOT inc) AS n_pupils_excluded,
       sum(w * coalesce(f_sick, 0)) / nullif(sum(w), 0) AS rate_sick,
       sum(w * coalesce(f_authorised, 0)) / nullif(sum(w), 0) AS rate_authorised,
       sum(w * coalesce(f_unauthorised, 0)) / nullif(sum(w), 0) AS rate_unauthorised,
       sum(w * coalesce(f_total, 0)) / nullif(sum(w), 0) AS rate_total
FROM p GROUP BY ALL ORDER BY school_year, institution_id
"""


def _pandas_share_above(df: pd.DataFrame) -> pd.DataFrame:
    days = df["school_days"]
    included = (days > 0) & (df["months_registered"] > 0)
    total = (df["sick_days"] + df["authorised_days"] + df["unauthorised_days"]) / days.where(
        days > 0, 1
    )
    frame = pd.DataFrame(
        {
            **{k: df[k] for k in KEY},
            "n_pupils": included,
            "n_above": included & (total > 0.10),
        }
    )
    out = frame.groupby(KEY, sort=True).sum()
    out["share_above"] = (out["n_above"] / out["n_pupils"]).where(out["n_pupils"] > 0)
    return out.reset_index()


DUCK_SHARE_ABOVE = """
SELECT school_year, institution_id,
       count(*) FILTER (WHERE school_days > 0 AND months_registered > 0) AS n_pupils,
       count(*) FILTER (WHERE school_days > 0 AND months_registered > 0
           AND (sick_days + authorised_days + unauthorised_days)::DOUBLE / school_days > 0.10)
           AS n_above
FROM records GROUP BY ALL ORDER BY school_year, institution_id
"""


def _pandas_flags(df: pd.DataFrame) -> pd.DataFrame:
    days = df["school_days"]
    frac = (df["unauthorised_days"] / days.where(days > 0)).astype("float64")
    start = df["school_year"].str.slice(0, 4).astype("int64")
    year = start + df["quarter"].isin([1, 2]).astype("int64")
    in_force = year * 4 + df["quarter"] - 1 >= 2019 * 4 + 2
    valid = frac.notna() & in_force
    out = df[["school_year", "quarter", "institution_id", "pupil_id"]].copy()
    out["warn_parents"] = (frac >= 0.10).astype("boolean").where(valid, pd.NA)
    out["notify_municipality"] = (frac >= 0.15).astype("boolean").where(valid, pd.NA)
    return out


DUCK_FLAGS = """
SELECT school_year, quarter, institution_id, pupil_id,
       CASE WHEN school_days > 0 AND in_force THEN frac >= 0.10 END AS warn_parents,
       CASE WHEN school_days > 0 AND in_force THEN frac >= 0.15 END AS notify_municipality
FROM (
    SELECT *, unauthorised_days::DOUBLE / nullif(school_days, 0) AS frac,
           (left(school_year, 4)::INTEGER + (quarter IN (1, 2))::INTEGER) * 4 + quarter - 1
               >= 2019 * 4 + 2 AS in_force
    FROM quarters
)
"""


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or a != a or b != b:  # noqa: PLR0124 - NaN check
        return (a is None or a != a) and (b is None or b != b)  # noqa: PLR0124
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _check_rates(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    assert pl_out.height == len(pd_out) == duck_out.height
    for col in ("n_pupils", "n_pupils_excluded"):
        assert pl_out[col].to_list() == pd_out[col].tolist() == duck_out[col].to_list(), col
    for col in ("rate_sick", "rate_authorised", "rate_unauthorised", "rate_total"):
        for a, b, c in zip(pl_out[col], pd_out[col].tolist(), duck_out[col], strict=True):
            assert _close(a, b), (col, a, b)
            assert _close(a, c), (col, a, c)


def _check_share(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    for col in ("n_pupils", "n_above"):
        assert pl_out[col].to_list() == pd_out[col].tolist() == duck_out[col].to_list(), col
    for a, b in zip(pl_out["share_above"], pd_out["share_above"].tolist(), strict=True):
        assert _close(a, b), (a, b)


def _check_flags(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    # all three keep the input order (one row per input row); DuckDB does not promise
    # it without ORDER BY, so its result is sorted back by key here (not timed)
    assert pl_out.height == len(pd_out) == duck_out.height
    key = ["school_year", "institution_id", "pupil_id", "quarter"]
    order = pl_out.select(key).with_row_index("_pos")
    duck_out = duck_out.join(order, on=key, how="left").sort("_pos").drop("_pos")
    assert (
        pl_out["pupil_id"].to_list()
        == pd_out["pupil_id"].tolist()
        == duck_out["pupil_id"].to_list()
    )
    for col in ("warn_parents", "notify_municipality"):
        want = pl_out[col].to_list()
        assert want == [None if v is pd.NA else bool(v) for v in pd_out[col]], col
        assert want == duck_out[col].to_list(), col
        assert any(want), col


#: The columns the rules read (the scan the issue measures them against).
COLUMNS = [
    "school_year",
    "institution_id",
    "pupil_id",
    "school_days",
    "sick_days",
    "authorised_days",
    "unauthorised_days",
    "months_registered",
]


def cases(scale: float) -> list[Case]:
    n_schools = max(2, round(1100 * scale))
    yearly = absence_records(
        n_schools=n_schools, school_years=["2019/20"], pupils_per_school=500, seed=7
    )
    quarters = absence_records(
        n_schools=n_schools, school_years=["2019/20"], pupils_per_school=500, seed=7, quarterly=True
    )
    frame = yearly.to_pandas()
    qframe = quarters.to_pandas()
    con = duckdb.connect()
    con.register("records", yearly.to_arrow())
    con.register("quarters", quarters.to_arrow())
    return [
        Case(
            "absence_rates (weighted by months)",
            yearly.height,
            polars=lambda: absence_rates(yearly),
            pandas=lambda: _pandas_rates(frame),
            duckdb=lambda: con.sql(DUCK_RATES).pl(),
            check=_check_rates,
            unvalidated=lambda: absence_rates(yearly, validate=False),
            scan=scan_columns(yearly, COLUMNS),
        ),
        Case(
            "share_above (> 10 %)",
            yearly.height,
            polars=lambda: share_above(yearly),
            pandas=lambda: _pandas_share_above(frame),
            duckdb=lambda: con.sql(DUCK_SHARE_ABOVE).pl(),
            check=_check_share,
            unvalidated=lambda: share_above(yearly, validate=False),
            scan=scan_columns(yearly, COLUMNS),
        ),
        Case(
            "quarterly_flags (10 % / 15 % ulovligt)",
            quarters.height,
            polars=lambda: quarterly_flags(quarters),
            pandas=lambda: _pandas_flags(qframe),
            duckdb=lambda: con.sql(DUCK_FLAGS).pl(),
            check=_check_flags,
            unvalidated=lambda: quarterly_flags(quarters, validate=False),
            scan=scan_columns(quarters, [*COLUMNS, "quarter"]),
        ),
    ]
