"""Trivsel indicators at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: one national year, about 450 000 pupils in 4.-9. klasse x 40
questions (about 17.6 million answer rows; some "ønsker ikke at svare", some
skipped questions), as long input (one row per pupil and question, question
keys as an Enum as the synthetic generator and the wide helper give them) and
as wide input (one row per pupil, one column per question).

All three compute the same rule: per pupil and indicator the mean of the
answered questions (scores 1-5, 0 = declined; answers on a scale of fewer than
five options rescaled linearly onto 1-5, ``1 + 4 (s - 1) / (m - 1)``), counted
only when at least half are answered; general over the 29 indicator questions;
per school the mean, sample std and counts of the included pupils. The pandas
and DuckDB versions are straightforward implementations (pandas groups on pupil
and indicator; DuckDB uses conditional aggregates); on wide input all three
compute directly on the columns (the library sums each pupil's row), and a last
case measures the library on the long form made by ``answers_from_wide``. The
library's timings include its input validation unless the case says
``validate=False``.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import polars as pl

from _harness import Case
from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers
from folkeskolekvalitet.wellbeing import INDICATORS, QUESTIONS_4_9, answers_from_wide, indicators

KEYS = [i.key for i in INDICATORS]
NEEDED = [i.n_required for i in INDICATORS]
IND = {q.key: (KEYS.index(q.indicator) if q.indicator in KEYS else 4) for q in QUESTIONS_4_9}
#: Options of each question's scale: answers on shorter scales are rescaled onto 1-5.
MAX = {q.key: q.max_points for q in QUESTIONS_4_9}
BY = ["school_year", "institution_id"]
PUPIL = [*BY, "pupil_id"]


# --- pandas -------------------------------------------------------------------------------


def _group_stats(pupils: pd.DataFrame, scores: dict[int, pd.Series]) -> pd.DataFrame:
    parts = []
    for k, key in enumerate(KEYS):
        frame = pupils[BY].assign(score=scores[k].to_numpy())
        g = frame.groupby(BY, observed=True, sort=True)["score"]
        part = pd.DataFrame(
            {
                "n_pupils": g.size(),
                "n_pupils_included": g.count(),
                "mean": g.mean(),
                "std": g.std(),
            }
        ).reset_index()
        part.insert(2, "indicator", key)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _pandas_long(df: pd.DataFrame) -> pd.DataFrame:
    rows = df[df["grade_level"] >= 4]
    ind = rows["question"].map(IND).astype("int8")
    m = rows["question"].map(MAX).astype("float64")
    score = (1 + 4 * (rows["score"] - 1) / (m - 1)).where(rows["score"] > 0)
    frame = rows[PUPIL].assign(ind=ind.to_numpy(), score=score.to_numpy())
    per = frame.groupby([*PUPIL, "ind"], observed=True)["score"].agg(["sum", "count"])
    sums = per["sum"].unstack("ind", fill_value=0)
    counts = per["count"].unstack("ind", fill_value=0)
    pupils = frame[PUPIL].drop_duplicates().set_index(PUPIL)
    sums = sums.reindex(pupils.index, fill_value=0)
    counts = counts.reindex(pupils.index, fill_value=0)
    scores: dict[int, pd.Series] = {}
    for k in range(4):
        s, n = sums.get(k, 0), counts.get(k, 0)
        scores[k] = (s / n).where(n >= NEEDED[k])
    s4 = sum(sums.get(k, 0) for k in range(4))
    n4 = sum(counts.get(k, 0) for k in range(4))
    scores[4] = (s4 / n4).where(n4 >= NEEDED[4])
    return _group_stats(pupils.reset_index(), scores)


def _pandas_wide(wide: pd.DataFrame) -> pd.DataFrame:
    scores: dict[int, pd.Series] = {}
    total_s, total_n = 0, 0
    for k in range(4):
        cols = [q for q, i in IND.items() if i == k]
        raw = wide[cols]
        m = pd.Series({c: MAX[c] for c in cols})
        values = (1 + 4 * (raw - 1) / (m - 1)).where(raw > 0)
        s, n = values.sum(axis=1), values.count(axis=1)
        scores[k] = (s / n).where(n >= NEEDED[k])
        total_s, total_n = total_s + s, total_n + n
    scores[4] = (total_s / total_n).where(total_n >= NEEDED[4])
    return _group_stats(wide, scores)


# --- DuckDB -------------------------------------------------------------------------------


def _duck_group(pupils_sql: str) -> str:
    scores = [f"CASE WHEN n{k} >= {NEEDED[k]} THEN s{k} / n{k} END" for k in range(5)]
    selects = [
        f"""SELECT school_year, institution_id, '{key}' AS indicator, count(*) AS n_pupils,
               count({scores[k]}) AS n_pupils_included, avg({scores[k]}) AS mean,
               stddev_samp({scores[k]}) AS std FROM pupils GROUP BY ALL"""
        for k, key in enumerate(KEYS)
    ]
    return f"WITH pupils AS ({pupils_sql}) " + " UNION ALL ".join(selects)


def _duck_long() -> str:
    sums = ", ".join(
        f"sum(s) FILTER (WHERE ind = {k}) AS s{k}, count(s) FILTER (WHERE ind = {k}) AS n{k}"
        for k in range(4)
    )
    pupils = f"""
        SELECT *, coalesce(s0,0)+coalesce(s1,0)+coalesce(s2,0)+coalesce(s3,0) AS s4,
               n0+n1+n2+n3 AS n4
        FROM (SELECT school_year, institution_id, pupil_id, {sums}
              FROM (SELECT a.school_year, a.institution_id, a.pupil_id, q.ind,
                           CASE WHEN a.score > 0 THEN 1 + 4 * (a.score - 1) / (q.m - 1) END AS s
                    FROM answers a JOIN qmap q ON a.question = q.question
                    WHERE a.grade_level >= 4)
              GROUP BY ALL)"""
    return _duck_group(pupils)


def _duck_wide() -> str:
    parts = []
    for k in range(4):
        cols = [q for q, i in IND.items() if i == k]
        s = " + ".join(
            f'coalesce(CASE WHEN "{c}" > 0 THEN 1 + 4 * ("{c}" - 1) / {MAX[c] - 1} END, 0)'
            for c in cols
        )
        n = " + ".join(f'CASE WHEN "{c}" > 0 THEN 1 ELSE 0 END' for c in cols)
        parts.append(f"({s}) AS s{k}, ({n}) AS n{k}")
    pupils = f"""
        SELECT *, s0+s1+s2+s3 AS s4, n0+n1+n2+n3 AS n4
        FROM (SELECT school_year, institution_id, {", ".join(parts)} FROM wide)"""
    return _duck_group(pupils)


# --- agreement ----------------------------------------------------------------------------


def _normalise(out: pl.DataFrame | pd.DataFrame) -> pl.DataFrame:
    frame = out if isinstance(out, pl.DataFrame) else pl.from_pandas(out)
    return (
        frame.select(
            *BY,
            pl.col("indicator").cast(pl.String),
            pl.col("n_pupils").cast(pl.Int64),
            pl.col("n_pupils_included").cast(pl.Int64),
            pl.col("mean").cast(pl.Float64).fill_nan(None),
            pl.col("std").cast(pl.Float64).fill_nan(None),
        )
        .with_columns(pl.col("indicator").replace_strict({k: i for i, k in enumerate(KEYS)}))
        .sort([*BY, "indicator"])
    )


def _check(a: object, b: object, c: object) -> None:
    frames = [_normalise(x) for x in (a, b, c)]  # type: ignore[arg-type]
    first = frames[0]
    for other in frames[1:]:
        assert first.height == other.height
        for col in ("n_pupils", "n_pupils_included"):
            assert first[col].to_list() == other[col].to_list(), col
        for col in ("mean", "std"):
            for x, y in zip(first[col].to_list(), other[col].to_list(), strict=True):
                assert (x is None and y is None) or math.isclose(x, y, rel_tol=1e-9), (col, x, y)


def cases(scale: float) -> list[Case]:
    n_schools = max(2, round(1100 * scale))
    long = wellbeing_answers(
        n_schools=n_schools,
        school_years=["2023/24"],
        grade_levels=range(4, 10),
        pupils_per_grade=68,
        seed=42,
    ).drop("municipality_code", "class_id")
    index = ["school_year", "institution_id", "grade_level", "pupil_id"]
    wide = long.pivot(on="question", index=index, values="score")
    long_pd = long.with_columns(pl.col("question").cast(pl.String)).to_pandas()
    long_pd["question"] = long_pd["question"].astype("category")
    wide_pd = wide.to_pandas()
    for q in IND:
        wide_pd[q] = wide_pd[q].astype("float64")
    con = duckdb.connect()
    con.register("answers", long.with_columns(pl.col("question").cast(pl.String)).to_arrow())
    qmap = pd.DataFrame(
        {
            "question": list(IND),
            "ind": np.array(list(IND.values())),
            "m": np.array([MAX[q] for q in IND], dtype="float64"),
        }
    )
    con.register("qmap", qmap)
    con.register("wide", wide.to_arrow())
    duck_long, duck_wide = _duck_long(), _duck_wide()
    note = f"{wide.height:,} pupils"
    return [
        Case(
            "indicators, long input",
            long.height,
            polars=lambda: indicators(long),
            pandas=lambda: _pandas_long(long_pd),
            duckdb=lambda: con.sql(duck_long).pl(),
            check=_check,
            notes=note,
        ),
        Case(
            "indicators, long input, validate=False",
            long.height,
            polars=lambda: indicators(long, validate=False),
            pandas=lambda: _pandas_long(long_pd),
            duckdb=lambda: con.sql(duck_long).pl(),
            check=_check,
            notes=note,
        ),
        Case(
            "indicators, wide input",
            long.height,
            polars=lambda: indicators(wide),
            pandas=lambda: _pandas_wide(wide_pd),
            duckdb=lambda: con.sql(duck_wide).pl(),
            check=_check,
            notes=note,
        ),
        Case(
            "indicators, wide input via answers_from_wide",
            long.height,
            polars=lambda: indicators(answers_from_wide(wide.lazy())).collect(),
            pandas=lambda: _pandas_wide(wide_pd),
            duckdb=lambda: con.sql(duck_wide).pl(),
            check=_check,
            notes=note,
        ),
    ]
