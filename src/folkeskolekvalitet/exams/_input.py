"""The exam-grades input contract and its preparation into a typed lazy frame."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import CatalogueError, DataError, Problem
from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck
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

#: Keys of the pupil: a pupil belongs to one institution in one school year.
PUPIL_KEY = ("school_year", "institution_id", "pupil_id")

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
)


def _row_checks(present: frozenset[str]) -> list[RowCheck]:
    grade = pl.col("grade")
    if "exception_code" not in present:
        return [
            RowCheck(
                "grade",
                "missing grade and no exception_code column to explain it",
                grade.is_null(),
                ("pupil_id", "exam"),
            )
        ]
    code = pl.col("exception_code")
    return [
        RowCheck(
            "grade, exception_code",
            "neither a grade nor an exception code",
            grade.is_null() & code.is_null(),
            ("pupil_id", "exam"),
        ),
        RowCheck(
            "grade, exception_code",
            "both a grade and an exception code (a registration has one or the other)",
            grade.is_not_null() & code.is_not_null(),
            ("pupil_id", "exam", "grade", "exception_code"),
        ),
    ]


@attrs.frozen
class Prepared:
    """Validated exam registrations, typed, restricted to the year's bound exams."""

    rows: pl.LazyFrame
    group: tuple[str, ...]


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


def prepare(
    grades: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str],
    allow_cpr: bool,
    validate: bool,
) -> Prepared:
    """Validate exam registrations and return typed rows of the bound exams.

    The rows have the pupil key, the extra ``by`` columns, ``exam`` (Enum),
    ``points`` (Int8, null where an exception code stands), ``exception_code``
    (Enum or null) and ``year_start`` (Int32); ``dansk_orden`` rows are dropped
    (never part of an average).
    """
    lf = as_lazy(grades, "grades")
    registration = {"exam", "grade", "exception_code"} & set(by)
    if registration:
        msg = (
            f"by cannot contain {sorted(registration)}: the exam indicators group pupils,"
            " and a pupil has many exams, grades and codes"
        )
        raise ValueError(msg)
    # A pupil belongs to one institution in a school year, and grouping columns are
    # pupil attributes: otherwise one pupil would be counted as several.
    pupil = ("school_year", "pupil_id")
    attributes = [c for c in dict.fromkeys(("institution_id", *by)) if c not in pupil]
    checked = GRADES_CONTRACT.validate(
        lf,
        by=by,
        allow_cpr=allow_cpr,
        values=validate,
        row_checks=_row_checks,
        distinct={"year_exam": ("school_year", "exam")} if validate else None,
        one_value_per=[(pupil, c) for c in attributes],
    )
    lf = checked.lf(lf)
    if validate:
        _check_catalogue(lf, checked.school_years["school_year"], checked.distinct["year_exam"])
    school_year = checked.school_year()
    start = school_year.str.slice(0, 4).cast(pl.Int32)

    group = tuple(dict.fromkeys((*PUPIL_KEY, *by)))
    has_code = "exception_code" in checked.columns
    if validate:
        # Exact lookups built from the distinct values validation has seen.
        seen = checked.values
        exam = _lookup("exam", seen["exam"], lambda v: str(v).strip(), EXAM_ENUM)
        points = _lookup("grade", seen["grade"], lambda v: grade(v).points, pl.Int8)
        code = (
            _lookup("exception_code", seen["exception_code"], _code_text, EXCEPTION_CODE_ENUM)
            if has_code
            else pl.lit(None, dtype=EXCEPTION_CODE_ENUM)
        )
    else:
        exam = pl.col("exam").cast(pl.String).str.strip_chars().cast(EXAM_ENUM)
        points = grade_points("grade")
        code = (
            parse_exception_code("exception_code")
            if has_code
            else pl.lit(None, dtype=EXCEPTION_CODE_ENUM)
        )
    rows = lf.select(
        *[
            pl.col(c).cast(pl.String) if c in ("institution_id", "pupil_id") else pl.col(c)
            for c in group
            if c != "school_year"
        ],
        school_year.alias("school_year"),
        start.alias("year_start"),
        exam.alias("exam"),
        points.alias("points"),
        code.alias("exception_code"),
    )
    # Validation has refused every exam that is not bound in its year, so only the
    # ignored dansk_orden rows remain to drop; unvalidated input gets the full rule.
    bound = (
        pl.col("exam") != "dansk_orden"
        if validate
        else is_bound(pl.col("year_start"), pl.col("exam"))
    )
    rows = rows.filter(bound)
    return Prepared(rows, group)


def _code_text(value: object) -> str:
    text = str(value).strip()
    return text.removesuffix(".0")


def _lookup(
    column: str,
    seen: pl.Series,
    convert: Callable[[Any], object],
    dtype: pl.DataType | type[pl.DataType],
) -> pl.Expr:
    """``column`` mapped through ``convert`` of each validated distinct value (exact lookup)."""
    mapping = {value: convert(value) for value in seen.to_list()}
    if not mapping:
        return pl.lit(None, dtype=dtype)
    return pl.col(column).replace_strict(mapping, return_dtype=dtype)


def _check_catalogue(lf: pl.LazyFrame, mapping: Mapping[str, str], pairs: pl.DataFrame) -> None:
    """Every school year must have a confirmed catalogue; every exam must be bound that year."""
    unconfirmed: dict[str, str] = {}
    not_bound: list[tuple[str, str]] = []
    for raw_year, exam in pairs.iter_rows():
        if raw_year is None or exam is None:
            continue
        year = mapping[raw_year]
        try:
            keys = {e.key for e in bound_exams(year)}
        except CatalogueError as err:
            unconfirmed[raw_year] = str(err)
            continue
        if exam.strip() not in keys and exam.strip() != "dansk_orden":
            not_bound.append((raw_year, exam))
    problems: list[Problem] = []
    year_text = pl.col("school_year").cast(pl.String)
    if unconfirmed:
        n = lf.select(year_text.is_in(list(unconfirmed)).sum()).collect().item()
        reasons = sorted(set(unconfirmed.values()))
        problems.append(
            Problem(
                "school_year",
                "no confirmed list of bound exams for this school year ("
                + "; ".join(reasons)
                + ")",
                int(n),
                tuple(repr(y) for y in sorted(unconfirmed)[:3]),
            )
        )
    if not_bound:
        combos = [f"{y}|{e}" for y, e in not_bound]
        combo = pl.concat_str([year_text, pl.col("exam").cast(pl.String)], separator="|")
        n = lf.select(combo.is_in(combos).sum()).collect().item()
        problems.append(
            Problem(
                "exam",
                "not a bound delprøve in that school year (fysik_kemi is bound until 2015/16,"
                " faellesproeve from 2016/17); filter such rows out first",
                int(n),
                tuple(f"({y!r}, {e!r})" for y, e in sorted(not_bound)[:3]),
            )
        )
    if problems:
        raise DataError(GRADES_CONTRACT.what, problems)
