"""The exam-grades input, declared: read by :func:`folkeskolekvalitet._core.pipeline.prepare`."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet._core.errors import CatalogueError
from folkeskolekvalitet._core.exprs import PUPIL_KEY
from folkeskolekvalitet._core.pipeline import Prepared, Projection
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import CatalogueCheck, Check, Column, Contract, RowCheck
from folkeskolekvalitet._core.schoolyear import parse_school_year
from folkeskolekvalitet.exams.catalogue import BOUND_EXAMS, EXAM_ENUM, EXAM_KEYS, bound_exams
from folkeskolekvalitet.exams.grades import (
    EXCEPTION_CODE_ENUM,
    EXCEPTION_CODES,
    grade,
    grade_points,
    is_exception_code_text,
    is_grade_text,
    parse_exception_code,
)

__all__ = ["GRADES_CONTRACT", "PUPIL_KEY", "Prepared", "is_bound", "n_bound", "prepare"]


def is_bound(start: pl.Expr, exam: pl.Expr) -> pl.Expr:
    """Boolean expression: whether ``exam`` is bound in the school year starting ``start``."""
    out = pl.lit(value=False)
    for e in BOUND_EXAMS:
        first, last = parse_school_year(e.first_year), parse_school_year(e.last_year)
        out = out | ((exam == e.key) & start.is_between(first, last))
    return out


def n_bound(start: pl.Expr) -> pl.Expr:
    """Number of graded bound delprøver in the school year starting ``start``."""
    out = pl.lit(0, dtype=pl.Int32)
    for e in BOUND_EXAMS:
        first, last = parse_school_year(e.first_year), parse_school_year(e.last_year)
        out = out + start.is_between(first, last).cast(pl.Int32)
    return out


def _row_checks(present: frozenset[str]) -> list[RowCheck]:
    """A registration has a grade or an exception code, never both, never neither."""
    grade_ = pl.col("grade")
    if "exception_code" not in present:
        return [
            RowCheck(
                "grade",
                "missing grade and no exception_code column to explain it",
                grade_.is_null(),
                ("pupil_id", "exam"),
            )
        ]
    code = pl.col("exception_code")
    return [
        RowCheck(
            "grade, exception_code",
            "neither a grade nor an exception code",
            grade_.is_null() & code.is_null(),
            ("pupil_id", "exam"),
        ),
        RowCheck(
            "grade, exception_code",
            "both a grade and an exception code (a registration has one or the other)",
            grade_.is_not_null() & code.is_not_null(),
            ("pupil_id", "exam", "grade", "exception_code"),
        ),
    ]


def _bound_in(year: str, exam: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Catalogue check: the school year has a confirmed list, and the exam is bound in it."""
    try:
        keys = {e.key for e in bound_exams(year)}
    except CatalogueError as err:
        return (
            "school_year",
            f"no confirmed list of bound exams for this school year ({err})",
            ("school_year",),
        )
    if exam in keys or exam == "dansk_orden":
        return None
    return (
        "exam",
        "not a bound delprøve in that school year (fysik_kemi is bound until 2015/16,"
        " faellesproeve from 2016/17); filter such rows out first",
        ("school_year", "exam"),
    )


def _project(p: Projection) -> dict[str, pl.Expr]:
    """The typed rows: year start, exam (Enum), points (Int8), exception code (Enum)."""
    return {
        "year_start": p.year_start(),
        "exam": p.enum("exam", EXAM_ENUM),
        "points": p.lookup(
            "grade", lambda v: grade(v).points, pl.Int8, lambda: grade_points("grade")
        ),
        "exception_code": p.lookup(
            "exception_code",
            lambda v: str(v).strip().removesuffix(".0"),
            EXCEPTION_CODE_ENUM,
            lambda: parse_exception_code("exception_code"),
        )
        if p.has("exception_code")
        else pl.lit(None, dtype=EXCEPTION_CODE_ENUM),
    }


def _keep(p: Projection) -> pl.Expr:
    """Only bound exams: validation refused the others, so only dansk_orden is dropped."""
    if p.validate:
        return pl.col("exam") != "dansk_orden"
    return is_bound(pl.col("year_start"), pl.col("exam"))


_REGISTRATION = "the exam indicators group pupils, and a pupil has many exams, grades and codes"

GRADES_CONTRACT = Contract(
    "exam grades",
    (
        Column("school_year", "school_year", description="School year, e.g. '2017/18'."),
        Column("institution_id", "id", description="Institution (school) number."),
        Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
        Column(
            "exam",
            "string",
            allowed=EXAM_KEYS,
            labels=tuple((e.label, e.key) for e in BOUND_EXAMS),
            description="Bound delprøve key, e.g. 'dansk_laesning'; 'dansk_orden' is ignored.",
        ),
        Column(
            "grade",
            "code",
            nullable=True,
            checks=(
                Check(
                    "not a grade of the 7-trinsskala (-3, 00, 02, 4, 7, 10, 12; also 2, '2,0',"
                    " -03); 13-skala grades must be converted with convert_13_to_7 first",
                    lambda e: ~is_grade_text(e),
                ),
            ),
            description="7-trinsskala grade as text or number; null where an exception code is.",
        ),
        Column(
            "exception_code",
            "code",
            nullable=True,
            required=False,
            checks=(
                Check(
                    "unknown exception code (known: "
                    + ", ".join(c.code for c in EXCEPTION_CODES)
                    + ")",
                    lambda e: ~is_exception_code_text(e),
                ),
            ),
            description="Undtagelseskode (81-89) in place of a grade.",
        ),
    ),
    key=("school_year", "pupil_id", "exam"),
    group=PUPIL_KEY,
    pupil=("school_year", "pupil_id"),
    per_pupil=("institution_id",),
    not_by=tuple((c, _REGISTRATION) for c in ("exam", "grade", "exception_code")),
    row_checks=_row_checks,
    catalogue=(CatalogueCheck(("school_year", "exam"), _bound_in),),
    project=_project,
    keep=_keep,
)


def prepare(grades: object, *, by: Sequence[str], allow_cpr: bool, validate: bool) -> Prepared:
    """Exam registrations, validated and typed (the shared pipeline on :data:`GRADES_CONTRACT`)."""
    return _prepare(
        grades, GRADES_CONTRACT, by=by, validate=validate, allow_cpr=allow_cpr, name="grades"
    )
