"""Hypothesis strategies for kompetencedækning frames (valid and broken).

The valid strategies draw small frames with :func:`polars.testing.parametric.dataframes`
(explicit dtypes, no nulls, no NaN) over deliberately small domains -- a few
classes, subjects and teachers, lesson numbers from a short list -- so that
co-teaching, ties in lessons and teachers with more than six competences occur
often. Class attributes (grade level, class type) follow from the class, and a
teacher's number of competences from the teacher, as in real data.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.competence.catalogue import (
    CLASS_TYPE_ENUM,
    COMPETENCE_ENUM,
    COMPETENCE_KINDS,
    SUBJECT_ENUM,
)
from folkeskolekvalitet.testing._columns import sampled_column

__all__ = ["BREAKAGES", "broken_lesson_frames", "lesson_frames", "lesson_total_frames"]

#: (class_id, grade_level, class_type) of the drawn classes: normal classes on
#: several grades, a børnehaveklasse, a 10. klasse and two special classes.
CLASSES: tuple[tuple[str, int, str], ...] = (
    ("1a", 1, "normal"),
    ("1b", 1, "normal"),
    ("3a", 3, "normal"),
    ("5a", 5, "normal"),
    ("8a", 8, "normal"),
    ("10a", 10, "normal"),
    ("0a", 0, "normal"),
    ("4s", 4, "special"),
    ("7s", 7, "special"),
)
_LESSONS = (0.0, 30.0, 45.5, 60.0, 60.0, 90.0, 150.0, 150.0)
_COMPETENCES = tuple(k.code for k in COMPETENCE_KINDS)


@st.composite
def lesson_frames(
    draw: st.DrawFn,
    *,
    school_years: Sequence[str] = ("2017/18", "2025/26"),
    institutions: Sequence[str] = ("151001", "151002"),
    subjects: Sequence[str] = ("dansk", "matematik", "natur_teknologi"),
    n_teachers: int = 6,
    min_rows: int = 0,
    max_rows: int = 40,
    enums: bool | None = None,
) -> pl.DataFrame:
    """Valid ``lessons`` frames: one row per class x subject x teacher.

    Parameters
    ----------
    school_years, institutions, subjects
        The domains drawn from (small, so that groups repeat).
    n_teachers
        Teachers per draw; each gets a number of competences from 0 to 9 (so
        some have more than six).
    min_rows, max_rows
        Rows before duplicated class x subject x teacher keys are dropped.
    enums
        Code columns as the catalogue Enums (``True``), as text (``False``), or
        either (``None``, drawn).

    Examples
    --------
    >>> from folkeskolekvalitet.testing.competence import lesson_frames
    >>> from hypothesis import given
    >>> @given(lesson_frames(max_rows=5))
    ... def test_columns(df):
    ...     assert "teacher_competence_count" in df.columns
    >>> test_columns()
    """
    years = [normalise_school_year(y) for y in school_years]
    counts = draw(st.lists(st.integers(0, 9), min_size=n_teachers, max_size=n_teachers).map(tuple))
    use_enums = draw(st.booleans()) if enums is None else enums
    raw = draw(
        dataframes(
            [
                sampled_column("school_year", pl.String, years),
                sampled_column("institution_id", pl.String, list(institutions)),
                column(
                    "class_idx",
                    dtype=pl.Int64,
                    strategy=st.integers(0, len(CLASSES) - 1),
                    allow_null=False,
                ),
                sampled_column("subject", pl.String, list(subjects)),
                column(
                    "teacher_idx",
                    dtype=pl.Int64,
                    strategy=st.integers(0, n_teachers - 1),
                    allow_null=False,
                ),
                sampled_column("lessons", pl.Float64, _LESSONS),
                sampled_column("competence", pl.String, _COMPETENCES),
            ],
            min_size=min_rows,
            max_size=max_rows,
            allow_chunks=True,
        )
    )
    assert isinstance(raw, pl.DataFrame)
    class_ids = {i: c[0] for i, c in enumerate(CLASSES)}
    grades = {i: c[1] for i, c in enumerate(CLASSES)}
    types = {i: c[2] for i, c in enumerate(CLASSES)}
    count = pl.col("teacher_idx").replace_strict(dict(enumerate(counts)), return_dtype=pl.Int64)
    # A teacher registered with no competence has none in any subject.
    competence = pl.when(count == 0).then(pl.lit("ingen")).otherwise(pl.col("competence"))
    out = raw.select(
        "school_year",
        pl.col("institution_id").str.slice(0, 3).alias("municipality_code"),
        "institution_id",
        pl.col("class_idx").replace_strict(class_ids, return_dtype=pl.String).alias("class_id"),
        pl.col("class_idx").replace_strict(types, return_dtype=pl.String).alias("class_type"),
        pl.col("class_idx").replace_strict(grades, return_dtype=pl.Int64).alias("grade_level"),
        "subject",
        pl.format("t{}", pl.col("teacher_idx")).alias("teacher_id"),
        "lessons",
        competence.alias("competence"),
        count.alias("teacher_competence_count"),
    ).unique(
        subset=["school_year", "institution_id", "class_id", "subject", "teacher_id"],
        keep="first",
        maintain_order=True,
    )
    if use_enums:
        out = out.with_columns(
            pl.col("class_type").cast(CLASS_TYPE_ENUM),
            pl.col("subject").cast(SUBJECT_ENUM),
            pl.col("competence").cast(COMPETENCE_ENUM),
        )
    return out


@st.composite
def lesson_total_frames(
    draw: st.DrawFn,
    *,
    school_years: Sequence[str] = ("2017/18", "2025/26"),
    municipalities: Sequence[str] = ("151", "326"),
    subjects: Sequence[str] = ("dansk", "matematik", "natur_teknologi"),
    max_rows: int = 20,
) -> pl.DataFrame:
    """Valid ``totals`` frames: already aggregated lessons with and without competence.

    Columns: ``school_year``, ``municipality_code``, ``subject``,
    ``grade_level``, ``class_type``, ``lessons_competent``,
    ``lessons_not_competent`` (several rows may share a group; they are summed).

    Examples
    --------
    >>> from folkeskolekvalitet.testing.competence import lesson_total_frames
    >>> from hypothesis import given
    >>> @given(lesson_total_frames(max_rows=3))
    ... def test_columns(df):
    ...     assert df.columns[-2:] == ["lessons_competent", "lessons_not_competent"]
    >>> test_columns()
    """
    years = [normalise_school_year(y) for y in school_years]
    lessons = st.sampled_from((0.0, 30.0, 120.0, 330.0, 1234.5))
    raw = draw(
        dataframes(
            [
                sampled_column("school_year", pl.String, years),
                sampled_column("municipality_code", pl.String, list(municipalities)),
                sampled_column("subject", pl.String, list(subjects)),
                column(
                    "grade_level", dtype=pl.Int64, strategy=st.integers(0, 10), allow_null=False
                ),
                sampled_column("class_type", pl.String, ["normal", "normal", "special"]),
                column("lessons_competent", dtype=pl.Float64, strategy=lessons, allow_null=False),
                column(
                    "lessons_not_competent", dtype=pl.Float64, strategy=lessons, allow_null=False
                ),
            ],
            min_size=0,
            max_size=max_rows,
        )
    )
    assert isinstance(raw, pl.DataFrame)
    return raw


#: The kinds of breakage :func:`broken_lesson_frames` can introduce.
BREAKAGES = (
    "unknown_subject",
    "unknown_competence",
    "unknown_class_type",
    "negative_lessons",
    "nan_lessons",
    "grade_level_out_of_range",
    "negative_competence_count",
    "competence_without_count",
    "bad_school_year",
    "bad_municipality_code",
    "duplicate_row",
    "missing_column",
    "null_value",
    "wrong_dtype",
)


@st.composite
def broken_lesson_frames(
    draw: st.DrawFn, *, breakages: Sequence[str] = BREAKAGES
) -> tuple[pl.DataFrame, str]:
    """A valid ``lessons`` frame with one kind of breakage; returns ``(frame, breakage)``.

    Every breakage must make :func:`~folkeskolekvalitet.competence.coverage`
    raise :class:`~folkeskolekvalitet.DataError`.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.competence import broken_lesson_frames
    >>> from hypothesis import given
    >>> @given(broken_lesson_frames(breakages=["nan_lessons"]))
    ... def test_kind(case):
    ...     assert case[1] == "nan_lessons"
    >>> test_kind()
    """
    base = draw(lesson_frames(min_rows=1, max_rows=8, enums=False))
    kind = draw(st.sampled_from(list(breakages)))
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row

    def put(name: str, value: object) -> pl.DataFrame:
        return base.with_columns(
            pl.when(idx).then(pl.lit(value)).otherwise(pl.col(name)).alias(name)
        )

    single: dict[str, tuple[str, st.SearchStrategy[object]]] = {
        "unknown_subject": ("subject", st.sampled_from(["danish", "fysik-kemi", "svømning"])),
        "unknown_competence": ("competence", st.sampled_from(["linjefag", "ja", "Ingen"])),
        "unknown_class_type": ("class_type", st.sampled_from(["specialklasse", "modtageklasse"])),
        "negative_lessons": ("lessons", st.just(-30.0)),
        "nan_lessons": ("lessons", st.just(float("nan"))),
        "grade_level_out_of_range": ("grade_level", st.sampled_from([-1, 11, 12])),
        "negative_competence_count": ("teacher_competence_count", st.just(-1)),
        "bad_school_year": ("school_year", st.sampled_from(["2017/19", "17/18", "skoleår"])),
        "bad_municipality_code": ("municipality_code", st.sampled_from(["1510", "K151", ""])),
    }
    if kind in single:
        name, value = single[kind]
        broken = put(name, draw(value))
    elif kind == "competence_without_count":
        broken = base.with_columns(
            pl.when(idx)
            .then(pl.lit("undervisningskompetence"))
            .otherwise("competence")
            .alias("competence"),
            pl.when(idx)
            .then(0)
            .otherwise("teacher_competence_count")
            .alias("teacher_competence_count"),
        )
    elif kind == "duplicate_row":
        broken = pl.concat([base, base.filter(idx)])
    elif kind == "missing_column":
        broken = base.drop(
            draw(st.sampled_from(["teacher_id", "competence", "class_type", "lessons"]))
        )
    elif kind == "null_value":
        name = draw(st.sampled_from(["teacher_id", "subject", "lessons", "class_id"]))
        broken = base.with_columns(pl.when(idx).then(None).otherwise(pl.col(name)).alias(name))
    elif kind == "wrong_dtype":
        broken = base.with_columns(pl.lit(value=True).alias("lessons"))
    else:  # pragma: no cover - guarded by BREAKAGES
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    return broken, kind
