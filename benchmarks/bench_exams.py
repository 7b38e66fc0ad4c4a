"""Exam indicators at national scale: Polars (the library) vs pandas vs DuckDB.

Scale 1.0: about 60 000 pupils in 9. klasse a year x 8 bound delprøver x 10
school years (about 4.8 million registrations). The pandas and DuckDB versions
are straightforward implementations of the same rules on the same data (grades
as text, mapped to points; bound exams of each year; pupils with at least 4
grades; mean of pupil averages). The library's timings include its input
validation.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import polars as pl

from _harness import Case, scan_columns
from folkeskolekvalitet.exams import grade_average, share_passing_danish_and_math
from folkeskolekvalitet.synthetic import exam_grades

POINTS = {"-3": -3, "00": 0, "02": 2, "4": 4, "7": 7, "10": 10, "12": 12}
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2024)]


def _bound_pairs() -> pd.DataFrame:
    from folkeskolekvalitet.exams import bound_exams

    return pd.DataFrame(
        [(y, e.key) for y in YEARS for e in bound_exams(y)], columns=["school_year", "exam"]
    )


def _pandas_grade_average(df: pd.DataFrame, bound: pd.DataFrame) -> pd.DataFrame:
    rows = df.merge(bound, on=["school_year", "exam"])
    rows = rows.assign(points=rows["grade"].map(POINTS))
    pupils = rows.groupby(["school_year", "institution_id", "pupil_id"], observed=True).agg(
        n_exams=("points", "count"), average=("points", "mean")
    )
    pupils["included"] = pupils["n_exams"] >= 4
    pupils = pupils.reset_index()
    out = pupils.groupby(["school_year", "institution_id"], observed=True).agg(
        n_pupils=("pupil_id", "size"), n_pupils_included=("included", "sum")
    )
    inc = pupils[pupils["included"]].groupby(["school_year", "institution_id"], observed=True)[
        "average"
    ]
    out["average"] = inc.mean()
    out["std"] = inc.std()
    return out.reset_index().sort_values(["school_year", "institution_id"], ignore_index=True)


GRADE_CASE = "CASE grade WHEN '-3' THEN -3 WHEN '00' THEN 0 WHEN '02' THEN 2 WHEN '4' THEN 4 WHEN '7' THEN 7 WHEN '10' THEN 10 WHEN '12' THEN 12 END"  # noqa: E501

DUCK_AVERAGE = f"""
WITH rows AS (
    SELECT g.school_year, g.institution_id, g.pupil_id, {GRADE_CASE} AS points
    FROM grades g JOIN bound b ON g.school_year = b.school_year AND g.exam = b.exam
), pupils AS (
    SELECT school_year, institution_id, pupil_id, count(points) AS n_exams, avg(points) AS average
    FROM rows GROUP BY ALL
)
SELECT school_year, institution_id, count(*) AS n_pupils,
       count(*) FILTER (WHERE n_exams >= 4) AS n_pupils_included,
       avg(average) FILTER (WHERE n_exams >= 4) AS average,
       stddev_samp(average) FILTER (WHERE n_exams >= 4) AS std
FROM pupils GROUP BY ALL ORDER BY school_year, institution_id
"""

DUCK_PASSING = f"""
WITH rows AS (
    SELECT g.school_year, g.institution_id, g.pupil_id, g.exam, {GRADE_CASE} AS points
    FROM grades g JOIN bound b ON g.school_year = b.school_year AND g.exam = b.exam
), pupils AS (
    SELECT school_year, institution_id, pupil_id,
      0.5 * (0.25 * any_value(points) FILTER (WHERE exam = 'dansk_retskrivning')
           + 0.25 * any_value(points) FILTER (WHERE exam = 'dansk_laesning')
           + 0.5 * any_value(points) FILTER (WHERE exam = 'dansk_skriftlig_fremstilling'))
      + 0.5 * any_value(points) FILTER (WHERE exam = 'dansk_mundtlig') AS dansk,
      0.5 * any_value(points) FILTER (WHERE exam = 'matematik_med_hjaelpemidler')
      + 0.5 * any_value(points) FILTER (WHERE exam = 'matematik_uden_hjaelpemidler') AS matematik
    FROM rows GROUP BY ALL
)
SELECT school_year, institution_id,
       count(*) FILTER (WHERE dansk IS NOT NULL AND matematik IS NOT NULL) AS n_pupils,
       count(*) FILTER (WHERE dansk >= 2 AND matematik >= 2) AS n_passing
FROM pupils GROUP BY ALL ORDER BY school_year, institution_id
"""


def _pandas_passing(df: pd.DataFrame, bound: pd.DataFrame) -> pd.DataFrame:
    rows = df.merge(bound, on=["school_year", "exam"])
    rows = rows.assign(points=rows["grade"].map(POINTS))
    wide = rows.pivot_table(
        index=["school_year", "institution_id", "pupil_id"],
        columns="exam",
        values="points",
        aggfunc="first",
        observed=True,
    )
    written = (
        0.25 * wide["dansk_retskrivning"]
        + 0.25 * wide["dansk_laesning"]
        + 0.5 * wide["dansk_skriftlig_fremstilling"]
    )
    dansk = 0.5 * written + 0.5 * wide["dansk_mundtlig"]
    mat = 0.5 * wide["matematik_med_hjaelpemidler"] + 0.5 * wide["matematik_uden_hjaelpemidler"]
    pupils = pd.DataFrame(
        {"took": dansk.notna() & mat.notna(), "passing": (dansk >= 2) & (mat >= 2)}
    ).reset_index()
    out = pupils.groupby(["school_year", "institution_id"], observed=True).agg(
        n_pupils=("took", "sum"), n_passing=("passing", "sum")
    )
    return out.reset_index().sort_values(["school_year", "institution_id"], ignore_index=True)


def _close(a: float | None, b: float | None) -> bool:
    if (
        a is None
        or b is None
        or (isinstance(a, float) and math.isnan(a))
        or (isinstance(b, float) and math.isnan(b))
    ):
        return (a is None or a != a) and (b is None or b != b)  # noqa: PLR0124 - NaN check
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _check_average(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    assert pl_out.height == len(pd_out) == duck_out.height
    assert (
        pl_out["n_pupils"].to_list()
        == pd_out["n_pupils"].tolist()
        == duck_out["n_pupils"].to_list()
    )
    for a, b, c in zip(
        pl_out["average"].to_list(),
        pd_out["average"].tolist(),
        duck_out["average"].to_list(),
        strict=True,
    ):
        assert _close(a, b), (a, b)
        assert _close(a, c), (a, c)


def _check_passing(pl_out: pl.DataFrame, pd_out: pd.DataFrame, duck_out: pl.DataFrame) -> None:
    assert (
        pl_out["n_pupils"].to_list()
        == pd_out["n_pupils"].tolist()
        == duck_out["n_pupils"].to_list()
    )
    assert (
        pl_out["n_passing"].to_list()
        == pd_out["n_passing"].tolist()
        == duck_out["n_passing"].to_list()
    )


def cases(scale: float) -> list[Case]:
    n_schools = max(2, round(1000 * scale))
    grades = exam_grades(
        n_schools=n_schools, pupils_per_school=60, school_years=YEARS, seed=42
    ).with_columns(
        pl.col("exam").cast(pl.String),
        pl.col("grade").cast(pl.String),
        pl.col("exception_code").cast(pl.String),
    )
    frame = grades.to_pandas()
    bound = _bound_pairs()
    scan = scan_columns(
        grades, ["school_year", "institution_id", "pupil_id", "exam", "grade", "exception_code"]
    )
    con = duckdb.connect()
    con.register("grades", grades.to_arrow())
    con.register("bound", bound)
    return [
        Case(
            "grade_average (bound exams, >= 4 of 8)",
            grades.height,
            polars=lambda: grade_average(grades),
            pandas=lambda: _pandas_grade_average(frame, bound),
            duckdb=lambda: con.sql(DUCK_AVERAGE).pl(),
            check=_check_average,
            unvalidated=lambda: grade_average(grades, validate=False),
            scan=scan,
        ),
        Case(
            "share_passing_danish_and_math",
            grades.height,
            polars=lambda: share_passing_danish_and_math(grades),
            pandas=lambda: _pandas_passing(frame, bound),
            duckdb=lambda: con.sql(DUCK_PASSING).pl(),
            check=_check_passing,
            unvalidated=lambda: share_passing_danish_and_math(grades, validate=False),
            scan=scan,
        ),
    ]
