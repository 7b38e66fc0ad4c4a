"""The two input contracts of kompetencedækning and their preparation.

``lessons``: one row per class x subject x teacher with the teacher's planned
lessons, competence and number of registered competences -- the level the
official statistic is built from, so every rule can be applied.

``totals``: already aggregated rows with the lessons with and without
competence (e.g. an export of the ministry's datavarehus or a municipality's
own table); the rules are assumed to be applied already.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import as_lazy, one_chunk
from folkeskolekvalitet._core.pipeline import Projection
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck
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


def _code_text(name: str, schema: pl.Schema) -> pl.Expr:
    """A code column as text for comparisons (no cast when it is the catalogue's Enum)."""
    if schema[name] == _ENUMS[name]:
        return pl.col(name)
    return pl.col(name).cast(pl.String).str.strip_chars()


def _code(p: Projection, name: str) -> pl.Expr:
    """A code column as the catalogue's Enum: no work when it already is that Enum."""
    return p.enum(name, _ENUMS[name])


def _lessons_row_checks(schema: pl.Schema, present: frozenset[str]) -> list[RowCheck]:
    if not {"competence", "teacher_competence_count"} <= present:
        return []
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


def _municipality_code(p: Projection) -> pl.Expr:
    """Kommunekode as three-digit text ('151', '051'), by lookup of its distinct values."""
    return p.lookup(
        "municipality_code",
        lambda v: str(v).strip().zfill(3),
        pl.String,
        lambda: pl.col("municipality_code").cast(pl.String).str.strip_chars().str.zfill(3),
    )


def _shared(p: Projection, by: Sequence[str]) -> dict[str, pl.Expr]:
    """The typed grouping columns both forms share: codes as Enums, klassetrin as Int8."""
    out: dict[str, pl.Expr] = {}
    for c in by:
        if c == "municipality_code":
            out[c] = _municipality_code(p)
        elif c in _ENUMS:
            out[c] = _code(p, c)
        elif c == "grade_level":
            out[c] = pl.col(c).cast(pl.Int8)
        elif c == "institution_id":
            out[c] = pl.col(c).cast(pl.String)
    return out


def _contract(
    chosen: Literal["lessons", "totals"],
    schema: pl.Schema,
    *,
    by: Sequence[str],
    grade_levels: GradeLevels,
    max_competences: int,
    include_equivalent: bool,
) -> Contract:
    """The form's contract with the call's projection: the typed rows and the rule flags.

    ``lessons`` form: the ``by`` columns, the class-subject key, ``teacher_id``,
    ``lessons`` (Float64), ``competent``, ``normal``, ``in_scope``, ``excluded``
    (Booleans). ``totals`` form: the ``by`` columns, ``lessons_competent``,
    ``lessons_not_competent`` (Float64), ``normal`` and ``in_scope``.
    """
    if chosen == "lessons":
        covered = list(_COVERED_CODES if include_equivalent else _COVERED_CODES[:1])

        def project_lessons(p: Projection) -> dict[str, pl.Expr]:
            integer_teacher = schema["teacher_id"].is_integer()
            return {
                **_shared(p, by),
                "subject": _code(p, "subject"),
                "teacher_id": pl.col("teacher_id")
                if integer_teacher
                else pl.col("teacher_id").cast(pl.String),
                "grade_level": pl.col("grade_level").cast(pl.Int8),
                "lessons": pl.col("lessons").cast(pl.Float64) + 0.0,  # -0.0 -> 0.0
                "competent": _code(p, "competence").is_in(covered),
                "normal": _code(p, "class_type") == "normal",
                "excluded": pl.col("teacher_competence_count") > max_competences,
                "in_scope": _in_scope(grade_levels, p.year_start()),
            }

        return attrs.evolve(
            LESSONS_CONTRACT,
            group=("school_year", "institution_id", "class_id"),
            row_checks=lambda present: _lessons_row_checks(schema, present),
            project=project_lessons,
        )

    def project_totals(p: Projection) -> dict[str, pl.Expr]:
        grade = p.has("grade_level")
        normal = _code(p, "class_type") == "normal" if p.has("class_type") else True
        return {
            **_shared(p, by),
            **({"grade_level": pl.col("grade_level").cast(pl.Int8)} if grade else {}),
            "lessons_competent": pl.col("lessons_competent").cast(pl.Float64),
            "lessons_not_competent": pl.col("lessons_not_competent").cast(pl.Float64),
            "normal": pl.lit(normal) if isinstance(normal, bool) else normal,
            "in_scope": _in_scope(grade_levels, p.year_start()) if grade else pl.lit(value=True),
        }

    return attrs.evolve(TOTALS_CONTRACT, group=("school_year",), project=project_totals)


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
    """Validate the input and return typed rows with the rule flags (see :func:`_contract`).

    Every problem of the input comes in one :class:`DataError`, with the
    shared pipeline's (:func:`folkeskolekvalitet._core.pipeline.prepare`).
    """
    lessons = one_chunk(lessons)  # copied once, if at all
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
    contract = _contract(
        chosen,
        schema,
        by=by,
        grade_levels=grade_levels,
        max_competences=max_competences,
        include_equivalent=include_equivalent,
    )
    needs_grade = not (isinstance(grade_levels, str) and grade_levels == "published")
    extra = (
        [
            Problem(
                "grade_level",
                "missing column: needed to restrict aggregated rows to grade_levels"
                f" {grade_levels!r}",
            )
        ]
        if chosen == "totals" and needs_grade and "grade_level" not in schema
        else []
    )
    try:
        prepared = _prepare(
            lessons if isinstance(lessons, pl.DataFrame) else lf,
            contract,
            by=by,
            validate=validate,
            name="lessons",
        )
    except DataError as err:
        if extra:
            raise DataError(err.what, [*extra, *err.problems]) from None
        raise
    if extra:
        raise DataError(contract.what, extra)
    present = prepared.checked.columns
    seen = prepared.checked.values.get("lessons") if chosen == "lessons" else None
    lesson_values = (
        None if seen is None else tuple(sorted({float(v) for v in seen.cast(pl.Float64).to_list()}))
    )
    return Prepared(
        chosen,
        prepared.rows,
        knows_class_type=chosen == "lessons" or "class_type" in present,
        knows_grade_level=chosen == "lessons" or "grade_level" in present,
        lesson_values=lesson_values,
    )


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
