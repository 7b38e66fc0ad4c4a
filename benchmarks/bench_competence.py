"""Benchmarks for kompetencedækning: Polars (the library) vs pandas vs DuckDB.

Scale 1.0 = about 1 000 000 lesson rows (class x subject x teacher), about
four school years of the whole country. Every implementation applies the same
rules: normal classes, 1.-10. klasse, teachers with more than six competences
left out, one counting teacher per class and subject (most lessons, ties to the
lowest teacher_id).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import polars as pl
from polars.testing import assert_frame_equal

from _harness import Case, scan_columns
from folkeskolekvalitet.competence import coverage
from folkeskolekvalitet.synthetic.competence import competence_lessons

_COVERED = ("undervisningskompetence", "tilsvarende")
_UNIT = ["school_year", "institution_id", "class_id", "subject"]


def _data(scale: float) -> pl.DataFrame:
    # ~260 rows per school and year: 98 municipalities x 10 schools x 4 years ~ 1.0M rows.
    n_schools = max(1, round(10 * scale))
    return competence_lessons(
        n_schools=n_schools,
        municipality_codes=[f"{i:03d}" for i in range(101, 199)],
        school_years=["2016/17", "2017/18", "2018/19", "2019/20"],
        seed=2,
    )


def _pandas(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    eligible = df[
        (df["class_type"] == "normal")
        & df["grade_level"].between(1, 10)
        & (df["teacher_competence_count"] <= 6)
    ]
    eligible = eligible.sort_values(["lessons", "teacher_id"], ascending=[False, True])
    main = eligible.drop_duplicates(list(dict.fromkeys([*by, *_UNIT])))
    main = main.assign(
        competent_lessons=main["lessons"].where(main["competence"].isin(_COVERED), 0.0)
    )
    out = (
        main.groupby(by, observed=True)
        .agg(
            lessons_total=("lessons", "sum"),
            lessons_competent=("competent_lessons", "sum"),
        )
        .reset_index()
    )
    out["share"] = out["lessons_competent"] / out["lessons_total"]
    return out.sort_values(by).reset_index(drop=True)


def _duckdb(con: duckdb.DuckDBPyConnection, by: list[str]) -> pl.DataFrame:
    group = ", ".join(by)
    unit = ", ".join(dict.fromkeys([*by, *_UNIT]))
    sql = f"""
        WITH eligible AS (
            SELECT * FROM lessons
            WHERE class_type = 'normal' AND grade_level BETWEEN 1 AND 10
              AND teacher_competence_count <= 6
        ), units AS (
            SELECT {unit},
                   max(lessons) AS main_lessons,
                   first(competence IN ('undervisningskompetence', 'tilsvarende')
                         ORDER BY lessons DESC, teacher_id ASC) AS competent
            FROM eligible GROUP BY {unit}
        )
        SELECT {group},
               sum(main_lessons) AS lessons_total,
               sum(CASE WHEN competent THEN main_lessons ELSE 0 END) AS lessons_competent,
               sum(CASE WHEN competent THEN main_lessons ELSE 0 END) / sum(main_lessons) AS share
        FROM units GROUP BY {group} ORDER BY {group}
    """
    return con.sql(sql).pl()


def _check(by: list[str]) -> Any:
    def check(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
        cols = [*by, "lessons_total", "lessons_competent", "share"]

        def tidy(df: pl.DataFrame) -> pl.DataFrame:
            return df.select(cols).with_columns(pl.col(c).cast(pl.String) for c in by).sort(by)

        ours = tidy(pl_out.filter(pl.col("lessons_total") > 0))
        theirs_pd = tidy(pl.from_pandas(pd_out[cols]))
        theirs_duck = tidy(duck_out)
        assert_frame_equal(ours, theirs_pd, check_dtypes=False)
        assert_frame_equal(ours, theirs_duck, check_dtypes=False)

    return check


def cases(scale: float) -> list[Case]:
    """The benchmark cases at ``scale`` (1.0 = about 1 000 000 lesson rows)."""
    df = _data(scale)
    pdf = df.to_pandas()
    con = duckdb.connect()
    arrow = df.with_columns(
        pl.col("class_type", "subject", "competence").cast(pl.String)
    ).to_arrow()
    con.register("lessons", arrow)
    out = []
    columns = [*_UNIT, "municipality_code", "class_type", "grade_level", "teacher_id"]
    columns += ["lessons", "competence", "teacher_competence_count"]
    for by in (["school_year", "municipality_code"], ["school_year", "subject"]):
        out.append(
            Case(
                name=f"coverage by {', '.join(by)}",
                rows=df.height,
                polars=lambda by=by: coverage(df, by=by),
                unvalidated=lambda by=by: coverage(df, by=by, validate=False),
                scan=scan_columns(df, columns),
                pandas=lambda by=by: _pandas(pdf, by),
                duckdb=lambda by=by: _duckdb(con, by),
                check=_check(by),
                notes="the Polars time includes validation",
            )
        )
    return out
