"""The two input contracts of kompetencedækning and their preparation.

``lessons``: one row per class x subject x teacher with the teacher's planned
lessons, competence and number of registered competences -- the level the
official statistic is built from, so every rule can be applied.

``totals``: already aggregated rows with the lessons with and without
competence (e.g. an export of the ministry's datavarehus or a municipality's
own table); the rules are assumed to be applied already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck, Validated
from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.competence.catalogue import (
    CLASS_TYPE_ENUM,
    CLASS_TYPES,
    COMPETENCE_ENUM,
    COMPETENCE_KINDS,
    INDSKOLING_GRADE_LEVELS,
    MAX_COMPETENCES,
    PUBLISHED_GRADE_LEVELS,
    SUBJECT_ENUM,
    SUBJECTS,
)
from folkeskolekvalitet.competence.targets import indskoling_excluded_expr

Form = Literal["auto", "lessons", "totals"]
GradeLevels = Literal["published", "target"] | Sequence[int]

#: A class and subject: the unit whose lessons the co-teaching rule assigns to one teacher.
CLASS_SUBJECT_KEY = ("school_year", "institution_id", "class_id", "subject")
#: Columns that describe a teacher, not a class; they cannot be grouping columns.
TEACHER_COLUMNS = ("teacher_id", "lessons", "competence", "teacher_competence_count")


def _bad_lessons(e: pl.Expr) -> pl.Expr:
    x = e.cast(pl.Float64)
    return x.is_nan() | x.is_infinite() | (x < 0)


_LESSONS_CHECK = Check("not a number of lessons (negative, NaN or infinite)", _bad_lessons)
_GRADE_CHECK = Check("not a grade level (0 = børnehaveklasse ... 10)", lambda e: (e < 0) | (e > 10))
_MUNICIPALITY_CHECK = Check(
    "not a municipality code (up to 3 digits, e.g. '151')",
    lambda e: ~e.cast(pl.String).str.strip_chars().str.contains(r"^\d{1,3}$"),
)

_SUBJECT_KEYS = tuple(s.key for s in SUBJECTS)
_CLASS_TYPE_CODES = tuple(c.code for c in CLASS_TYPES)
_COMPETENCE_CODES = tuple(k.code for k in COMPETENCE_KINDS)
_COVERED_CODES = tuple(k.code for k in COMPETENCE_KINDS if k.covered)


def _common(required: bool) -> tuple[Column, ...]:
    return (
        Column("school_year", "school_year", description="School year, e.g. '2017/18'."),
        Column(
            "municipality_code",
            "id",
            required=required,
            checks=(_MUNICIPALITY_CHECK,),
            description="Kommunekode, e.g. '151' (Ballerup).",
        ),
        Column(
            "institution_id",
            "id",
            required=required,
            description="Institution (school) number.",
        ),
    )


def _class_columns(required: bool) -> tuple[Column, ...]:
    return (
        Column(
            "class_type",
            "string",
            required=required,
            allowed=_CLASS_TYPE_CODES,
            description="'normal' or 'special'; only normal classes count.",
        ),
        Column(
            "grade_level",
            "integer",
            required=required,
            checks=(_GRADE_CHECK,),
            description="Klassetrin, 0 (børnehaveklasse) to 10.",
        ),
        Column(
            "subject",
            "string",
            required=required,
            allowed=_SUBJECT_KEYS,
            labels=tuple((s.label, s.key) for s in SUBJECTS),
            description="Subject key, e.g. 'dansk', 'natur_teknologi' (see SUBJECTS).",
        ),
    )


#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2025/26"

#: One row per class x subject x teacher: the level the statistic is built from.
LESSONS_CONTRACT = Contract(
    "lessons",
    (
        *_common(required=True),
        Column("class_id", "id", description="Class (or hold) id, unique within the school."),
        *_class_columns(required=True),
        Column("teacher_id", "id", description="Pseudonymous teacher id."),
        Column(
            "lessons",
            "number",
            checks=(_LESSONS_CHECK,),
            description="The teacher's planned lessons with the class in the subject.",
        ),
        Column(
            "competence",
            "string",
            allowed=_COMPETENCE_CODES,
            description="'undervisningskompetence', 'tilsvarende' or 'ingen'.",
        ),
        Column(
            "teacher_competence_count",
            "integer",
            checks=(Check("negative number of competences", lambda e: e < 0),),
            description="The teacher's number of registered competences.",
        ),
    ),
    key=(*CLASS_SUBJECT_KEY, "teacher_id"),
    last_year=LAST_CONFIRMED_YEAR,
)

#: Already aggregated rows: lessons with and without competence.
TOTALS_CONTRACT = Contract(
    "lesson totals",
    (
        *_common(required=False),
        *_class_columns(required=False),
        Column(
            "lessons_competent",
            "number",
            checks=(_LESSONS_CHECK,),
            description="Planned lessons taught with undervisningskompetence or tilsvarende.",
        ),
        Column(
            "lessons_not_competent",
            "number",
            checks=(_LESSONS_CHECK,),
            description="Planned lessons taught without competence in the subject.",
        ),
    ),
    last_year=LAST_CONFIRMED_YEAR,
)


_ENUMS = {"subject": SUBJECT_ENUM, "class_type": CLASS_TYPE_ENUM, "competence": COMPETENCE_ENUM}


def _code_text(name: str, schema: pl.Schema, clean: frozenset[str] = frozenset()) -> pl.Expr:
    """A code column as text for comparisons (no cast when it is the catalogue's Enum)."""
    if schema[name] == _ENUMS[name]:
        return pl.col(name)
    text = pl.col(name).cast(pl.String)
    return text if name in clean else text.str.strip_chars()


def code(name: str, schema: pl.Schema, clean: frozenset[str] = frozenset()) -> pl.Expr:
    """A code column as the catalogue's Enum: no work when it already is that Enum.

    ``clean`` names the text columns whose validated values need no stripping.
    """
    enum = _ENUMS[name]
    if schema[name] == enum:
        return pl.col(name)
    return _code_text(name, schema, clean).cast(enum)


def _clean_columns(values: Mapping[str, pl.Series]) -> frozenset[str]:
    """Columns whose distinct values are already canonical (no padding, 3-digit codes)."""
    out = set()
    for name, seen in values.items():
        if seen.dtype != pl.String:
            continue
        text = seen.cast(pl.String)
        if name == "municipality_code":
            ok = bool(text.str.contains(r"^\d{3}$").all())
        else:
            ok = bool((text == text.str.strip_chars()).all())
        if ok:
            out.add(name)
    return frozenset(out)


def _lessons_row_checks(schema: pl.Schema) -> list[RowCheck]:
    return [
        RowCheck(
            "competence, teacher_competence_count",
            "competence in the subject but teacher_competence_count is 0 (a teacher with"
            " competence has at least one registered competence)",
            (pl.col("teacher_competence_count") == 0)
            & _code_text("competence", schema).is_in(list(_COVERED_CODES)),
            ("teacher_id", "competence", "teacher_competence_count"),
        )
    ]


@attrs.frozen
class Prepared:
    """Validated input, typed, with the rule flags as columns."""

    form: Literal["lessons", "totals"]
    rows: pl.LazyFrame
    #: Whether the frame could tell class types / grade levels apart (totals form).
    knows_class_type: bool
    knows_grade_level: bool
    #: The distinct lesson numbers seen by validation, sorted (``None`` without validation).
    lesson_values: tuple[float, ...] | None = None


def detect_form(schema: pl.Schema, form: Form) -> Literal["lessons", "totals"]:
    """Decide which contract the frame follows."""
    if form in ("lessons", "totals"):
        return form
    if form != "auto":
        msg = f"form must be 'auto', 'lessons' or 'totals', not {form!r}"
        raise ValueError(msg)
    has_lessons = "teacher_id" in schema or "lessons" in schema
    has_totals = "lessons_competent" in schema or "lessons_not_competent" in schema
    if has_lessons and has_totals:
        raise DataError.single(
            "lessons",
            "<frame>",
            "has columns of both input forms (teacher_id/lessons and lessons_competent/"
            "lessons_not_competent); pass form='lessons' or form='totals'",
        )
    if has_totals:
        return "totals"
    return "lessons"


def _typed(name: str, schema: pl.Schema, clean: frozenset[str]) -> pl.Expr:
    col = pl.col(name)
    if name == "municipality_code":
        if name in clean:
            return col
        return col.cast(pl.String).str.strip_chars().str.zfill(3)
    if name in ("institution_id", "class_id"):
        return col.cast(pl.String)
    if name == "grade_level":
        return col.cast(pl.Int8)
    if name in ("subject", "class_type"):
        return code(name, schema, clean)
    if name == "teacher_id":
        dtype = schema[name]
        return col if dtype.is_integer() else col.cast(pl.String)
    return col


def _school_year(checked: Validated, what: str, *, validate: bool) -> pl.Expr:
    """The school year in canonical form, by exact lookup of the distinct values seen."""
    if validate:
        mapping = dict(checked.school_years["school_year"])
    else:
        mapping = {}
        for value in checked.distinct["years"]["school_year"].to_list():
            if value is None:
                continue
            try:
                mapping[value] = normalise_school_year(value)
            except ValueError:
                raise DataError.single(
                    what, "school_year", "not a school year (expected 'YYYY/YY')", [repr(value)]
                ) from None
    text = pl.col("school_year").cast(pl.String)
    if all(k == v for k, v in mapping.items()):
        return text
    return text.replace_strict(mapping, return_dtype=pl.String)


def _in_scope(grade_levels: GradeLevels, start: pl.Expr) -> pl.Expr:
    grade = pl.col("grade_level")
    if isinstance(grade_levels, str):
        if grade_levels == "published":
            return grade.is_in(list(PUBLISHED_GRADE_LEVELS))
        return grade.is_in(list(PUBLISHED_GRADE_LEVELS)) & ~(
            indskoling_excluded_expr(start) & grade.is_in(list(INDSKOLING_GRADE_LEVELS))
        )
    levels = [int(g) for g in grade_levels]
    return grade.is_in(levels)


def prepare(
    lessons: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str],
    form: Form,
    grade_levels: GradeLevels,
    max_competences: int,
    include_equivalent: bool,
    validate: bool,
) -> Prepared:
    """Validate the input and return typed rows with the rule flags.

    ``lessons`` form: the ``by`` columns, the class-subject key, ``teacher_id``,
    ``lessons`` (Float64), ``competent``, ``normal``, ``in_scope``,
    ``excluded`` (Booleans). ``totals`` form: the ``by`` columns,
    ``lessons_competent``, ``lessons_not_competent`` (Float64), ``normal`` and
    ``in_scope``.
    """
    lf = as_lazy(lessons, "lessons")
    if isinstance(grade_levels, str) and grade_levels not in ("published", "target"):
        msg = (
            "grade_levels must be 'published', 'target' or a sequence of ints,"
            f" not {grade_levels!r}"
        )
        raise ValueError(msg)
    schema = lf.collect_schema()
    chosen = detect_form(schema, form)
    bad_by = [c for c in by if c in TEACHER_COLUMNS or c.startswith("lessons_")]
    if bad_by:
        msg = (
            f"by cannot contain teacher-level or value columns {bad_by!r}: coverage is"
            " computed per group of classes (use e.g. 'subject', 'grade_level',"
            " 'institution_id')"
        )
        raise ValueError(msg)
    contract = LESSONS_CONTRACT if chosen == "lessons" else TOTALS_CONTRACT
    missing_by = [c for c in by if c not in schema]
    if missing_by and chosen == "totals":
        raise DataError(
            contract.what,
            [Problem(c, "grouping column (in by=) is missing from the frame") for c in missing_by],
        )
    needs_grade = not (isinstance(grade_levels, str) and grade_levels == "published")
    if chosen == "totals" and needs_grade and "grade_level" not in schema:
        raise DataError.single(
            contract.what,
            "grade_level",
            f"missing column: needed to restrict aggregated rows to grade_levels {grade_levels!r}",
        )
    checked = contract.validate(
        lf,
        by=by,
        values=validate,
        row_checks=(lambda _: _lessons_row_checks(schema)) if chosen == "lessons" else None,
        distinct=None if validate else {"years": ("school_year",)},
    )
    lf = checked.lf(lf)
    school_year = _school_year(checked, contract.what, validate=validate)
    clean = _clean_columns(checked.values)
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    present = checked.columns
    if chosen == "lessons":
        keep = list(dict.fromkeys((*by, *CLASS_SUBJECT_KEY, "teacher_id", "grade_level")))
        covered = list(_COVERED_CODES if include_equivalent else _COVERED_CODES[:1])
        rows = lf.select(
            *[
                (school_year if c == "school_year" else _typed(c, schema, clean)).alias(c)
                for c in keep
            ],
            (pl.col("lessons").cast(pl.Float64) + 0.0).alias("lessons"),  # -0.0 -> 0.0
            code("competence", schema, clean).is_in(covered).alias("competent"),
            (code("class_type", schema, clean) == "normal").alias("normal"),
            (pl.col("teacher_competence_count") > max_competences).alias("excluded"),
        ).with_columns(_in_scope(grade_levels, start).alias("in_scope"))
        seen = checked.values.get("lessons")
        lesson_values = (
            None
            if seen is None
            else tuple(sorted({float(v) for v in seen.cast(pl.Float64).to_list()}))
        )
        return Prepared(
            "lessons",
            rows,
            knows_class_type=True,
            knows_grade_level=True,
            lesson_values=lesson_values,
        )

    knows_class_type = "class_type" in present
    knows_grade_level = "grade_level" in present
    normal = (
        code("class_type", schema, clean) == "normal" if knows_class_type else pl.lit(value=True)
    )
    keep = list(
        dict.fromkeys((*by, "school_year", *(["grade_level"] if knows_grade_level else [])))
    )
    rows = lf.select(
        *[(school_year if c == "school_year" else _typed(c, schema, clean)).alias(c) for c in keep],
        pl.col("lessons_competent").cast(pl.Float64),
        pl.col("lessons_not_competent").cast(pl.Float64),
        normal.alias("normal"),
    ).with_columns(
        (_in_scope(grade_levels, start) if knows_grade_level else pl.lit(value=True)).alias(
            "in_scope"
        )
    )
    return Prepared("totals", rows, knows_class_type, knows_grade_level)


__all__ = [
    "CLASS_SUBJECT_KEY",
    "LESSONS_CONTRACT",
    "MAX_COMPETENCES",
    "TOTALS_CONTRACT",
    "Form",
    "GradeLevels",
    "Prepared",
    "prepare",
]
