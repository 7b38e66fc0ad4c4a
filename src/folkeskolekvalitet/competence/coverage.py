"""Kompetencedækning per group: the official rule, with everything it leaves out counted.

Sources
-------
- Kompetencedækning i folkeskolen, "Hvordan beregnes kompetencedækningen?":
  https://www.uvm.dk/statistik/grundskolen/personale-og-skoler/kompetencedaekning-i-folkeskolen
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.frames import FrameT, like_input, normalise_by
from folkeskolekvalitet.competence._input import (
    CLASS_SUBJECT_KEY,
    Form,
    GradeLevels,
    prepare,
)
from folkeskolekvalitet.competence.catalogue import (
    CLASS_TYPE_ENUM,
    MAX_COMPETENCES,
    SUBJECT_ENUM,
)

__all__ = ["COVERAGE_COLUMNS", "coverage"]

DEFAULT_BY = ("school_year", "municipality_code")

CoTeaching = Literal["most_hours", "all"]
Ties = Literal["teacher_id", "competent", "not_competent"]

#: The columns :func:`coverage` returns after the grouping columns, in order.
COVERAGE_COLUMNS: tuple[str, ...] = (
    "n_class_subjects",
    "n_teachers",
    "n_teachers_excluded",
    "lessons_excluded",
    "lessons_co_teaching",
    "lessons_special",
    "lessons_other_grades",
    "lessons_total",
    "lessons_competent",
    "share",
)
_COUNTS = ("n_class_subjects", "n_teachers", "n_teachers_excluded")
_ALL = "__all__"
_ENUMS: dict[str, pl.Enum] = {"subject": SUBJECT_ENUM, "class_type": CLASS_TYPE_ENUM}


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        msg = f"{name} must be one of {allowed!r}, not {value!r}"
        raise ValueError(msg)


_U32 = 2**32 - 1


def _with_ordinal(lf: pl.LazyFrame, column: str, name: str) -> pl.LazyFrame:
    """Add ``name``: the position of each row's ``column`` value among the sorted distinct values.

    A join with a small sorted table of distinct values: a dense ordinal
    without ``rank`` (which only the in-memory engine runs).
    """
    table = lf.select(column).unique().sort(column).with_row_index(name)
    return lf.join(table, on=column, how="left", nulls_equal=True)


def _masked_sum(value: pl.Expr, mask: pl.Expr) -> pl.Expr:
    return pl.when(mask).then(value).otherwise(0.0).sum()


def _key128(columns: Sequence[str], salt: int) -> pl.Expr:
    """A 126-bit integer key of ``columns``: two independent 64-bit hashes in one Int128.

    Grouping on one integer column is several times faster than on several
    text columns; two hashes of the same values collide with probability about
    n^2 / 2^127, far below any practical concern.
    """
    value = pl.struct(list(columns))
    high = (value.hash(2 * salt + 1) // 4).cast(pl.Int128)
    low = value.hash(2 * salt + 2).cast(pl.Int128)
    return high * pl.lit(2**64, dtype=pl.Int128) + low


def _with_lesson_ordinal(lf: pl.LazyFrame, lesson_values: tuple[float, ...] | None) -> pl.LazyFrame:
    """Add ``_lord``, an order-preserving integer of ``lessons``.

    With the distinct lesson numbers known from validation no join is needed:
    whole numbers below 2^30 are their own ordinal (the usual case), other
    values are looked up exactly; without validation, a join computes it.
    """
    if lesson_values is None:
        return _with_ordinal(lf, "lessons", "_lord")
    if all(v.is_integer() and 0 <= v < 2**30 for v in lesson_values):
        return lf.with_columns(pl.col("lessons").cast(pl.UInt64).alias("_lord"))
    ranks = {v: i for i, v in enumerate(lesson_values)}
    return lf.with_columns(
        pl.col("lessons").replace_strict(ranks, return_dtype=pl.UInt64).alias("_lord")
    )


def _from_lessons(
    rows: pl.LazyFrame,
    group: list[str],
    co_teaching: CoTeaching,
    ties: Ties,
    lesson_values: tuple[float, ...] | None = None,
) -> pl.LazyFrame:
    normal, in_scope, excluded = pl.col("normal"), pl.col("in_scope"), pl.col("excluded")
    counted = normal & in_scope
    lessons, competent, tord = pl.col("lessons"), pl.col("competent"), pl.col("_tord")
    unit_key = list(dict.fromkeys((*group, *CLASS_SUBJECT_KEY)))
    rows = rows.select(
        *group,
        _key128(group, 1).alias("_g"),
        _key128(unit_key, 2).alias("_k"),
        "teacher_id",
        "lessons",
        "competent",
        "normal",
        "in_scope",
        "excluded",
    )
    # Groups are few: group on the integer key and carry the group's values along.
    left_out = rows.group_by("_g").agg(
        *[pl.col(c).first() for c in group],
        _masked_sum(lessons, ~normal).alias("lessons_special"),
        _masked_sum(lessons, normal & ~in_scope).alias("lessons_other_grades"),
        _masked_sum(lessons, counted & excluded).alias("lessons_excluded"),
    )
    excluded_teachers = (
        rows.filter(counted & excluded)
        .group_by("_g")
        .agg(pl.col("teacher_id").n_unique().cast(pl.UInt32).alias("n_teachers_excluded"))
    )
    eligible = _with_ordinal(
        rows.filter(counted & ~excluded).select("_g", "_k", "teacher_id", "lessons", "competent"),
        "teacher_id",
        "_tord",
    ).drop("teacher_id")
    if co_teaching == "most_hours":
        # One counting teacher per class and subject, found with a single ``max``
        # per class and subject (no sort, no over/rank): a UInt64 score ordered by
        # lessons (as a dense ordinal, < 2^30 distinct values), then the tie rule,
        # then the *lowest* teacher_id (inverted ordinal, < 2^32 teachers); its
        # lowest bit carries the teacher's competence, so the maximum also tells
        # whether the class is covered.
        eligible = _with_lesson_ordinal(eligible, lesson_values)
        tie = {
            "teacher_id": pl.lit(0, dtype=pl.UInt64),
            "competent": competent.cast(pl.UInt64),
            "not_competent": (~competent).cast(pl.UInt64),
        }[ties]
        score = (
            pl.col("_lord").cast(pl.UInt64) * 2**34
            + tie * 2**33
            + (_U32 - tord.cast(pl.UInt64)) * 2
            + competent.cast(pl.UInt64)
        )
        units = eligible.group_by("_k").agg(
            pl.col("_g").first(),
            score.max().alias("_score"),
            lessons.max().alias("_main"),
        )
        main_competent = (pl.col("_score") % 2) == 1
        main_teacher = _U32 - (pl.col("_score") // 2) % 2**32
        # the lessons of the other teachers: all eligible lessons minus the counted ones
        all_lessons = eligible.group_by("_g").agg(lessons.sum().alias("_all"))
        counted_units = (
            units.group_by("_g")
            .agg(
                pl.len().cast(pl.UInt32).alias("n_class_subjects"),
                main_teacher.n_unique().cast(pl.UInt32).alias("n_teachers"),
                pl.col("_main").sum().alias("lessons_total"),
                _masked_sum(pl.col("_main"), main_competent).alias("lessons_competent"),
            )
            .join(all_lessons, on="_g", how="left")
            .with_columns((pl.col("_all") - pl.col("lessons_total")).alias("lessons_co_teaching"))
            .drop("_all")
        )
    else:
        units = eligible.group_by("_k").agg(pl.col("_g").first())
        counted_units = (
            eligible.group_by("_g")
            .agg(
                tord.n_unique().cast(pl.UInt32).alias("n_teachers"),
                pl.lit(0.0).alias("lessons_co_teaching"),
                lessons.sum().alias("lessons_total"),
                _masked_sum(lessons, competent).alias("lessons_competent"),
            )
            .join(
                units.group_by("_g").agg(pl.len().cast(pl.UInt32).alias("n_class_subjects")),
                on="_g",
                how="left",
            )
        )
    return (
        left_out.join(excluded_teachers, on="_g", how="left")
        .join(counted_units, on="_g", how="left")
        .drop("_g")
        .with_columns(
            pl.col(*_COUNTS).fill_null(0),
            pl.col("lessons_co_teaching", "lessons_total", "lessons_competent").fill_null(0.0),
        )
    )


def _from_totals(
    rows: pl.LazyFrame, group: list[str], *, knows_class_type: bool, knows_grade_level: bool
) -> pl.LazyFrame:
    normal, in_scope = pl.col("normal"), pl.col("in_scope")
    counted = normal & in_scope
    total = pl.col("lessons_competent") + pl.col("lessons_not_competent")
    out = rows.group_by(group).agg(
        _masked_sum(total, ~normal).alias("lessons_special"),
        _masked_sum(total, normal & ~in_scope).alias("lessons_other_grades"),
        _masked_sum(total, counted).alias("lessons_total"),
        _masked_sum(pl.col("lessons_competent"), counted).alias("lessons_competent"),
    )
    unknown_count = pl.lit(None, dtype=pl.UInt32)
    unknown_lessons = pl.lit(None, dtype=pl.Float64)
    return out.with_columns(
        *[unknown_count.alias(c) for c in _COUNTS],
        unknown_lessons.alias("lessons_excluded"),
        unknown_lessons.alias("lessons_co_teaching"),
        *([] if knows_class_type else [unknown_lessons.alias("lessons_special")]),
        *([] if knows_grade_level else [unknown_lessons.alias("lessons_other_grades")]),
    )


def _with_empty_categories(
    result: pl.LazyFrame, rows: pl.LazyFrame, by_cols: tuple[str, ...], known: Sequence[str]
) -> pl.LazyFrame:
    """Add zero rows for the subjects / class types a group has no lessons in.

    The groups are read from ``rows`` (every group of the rows has a row in ``result``):
    read from ``result``, Polars would compute the result a second time, pruned to the
    group columns (a plan it does not recognise as the same).
    """
    enum_cols = [c for c in by_cols if c in _ENUMS]
    if not enum_cols:
        return result
    others = [c for c in by_cols if c not in _ENUMS]
    frames = [
        pl.LazyFrame({c: pl.Series(c, _ENUMS[c].categories.to_list(), dtype=_ENUMS[c])})
        for c in enum_cols
    ]
    grid = rows.select(others).unique() if others else frames.pop(0)
    for frame in frames:
        grid = grid.join(frame, how="cross")
    return grid.join(result, on=list(by_cols), how="left", nulls_equal=True).with_columns(
        *[pl.col(c).fill_null(0) for c in known if c in _COUNTS],
        *[pl.col(c).fill_null(0.0) for c in known if c.startswith("lessons_")],
    )


def coverage(
    lessons: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    form: Form = "auto",
    grade_levels: GradeLevels = "published",
    co_teaching: CoTeaching = "most_hours",
    ties: Ties = "teacher_id",
    max_competences: int = MAX_COMPETENCES,
    include_equivalent: bool = True,
    validate: bool = True,
) -> FrameT:
    """Kompetencedækning: the share of planned lessons taught with competence in the subject.

    The rules of the ministry's statistic, applied in this order to the
    ``lessons`` form (one row per class x subject x teacher):

    1. only **normal classes** count (special-class lessons: ``lessons_special``);
    2. only the grade levels in scope count, 1.-10. klasse as published
       (others: ``lessons_other_grades``);
    3. teachers registered with **more than six** competences are left out with
       their lessons (``n_teachers_excluded``, ``lessons_excluded``);
    4. in **co-teaching** (several teachers with a class in a subject) only the
       teacher with most lessons with the class in the subject counts, with
       that teacher's lessons; the other teachers' lessons are
       ``lessons_co_teaching``. **Ties** go to the lowest ``teacher_id`` (in the
       column's own order: numeric for integer ids, text order for text ids),
       unless ``ties`` says otherwise.

    Every input lesson lands in exactly one of ``lessons_special``,
    ``lessons_other_grades``, ``lessons_excluded``, ``lessons_co_teaching`` and
    ``lessons_total``; ``share = lessons_competent / lessons_total``.

    Parameters
    ----------
    lessons
        Either the ``lessons`` form: ``school_year``, ``municipality_code``,
        ``institution_id``, ``class_id``, ``class_type`` (``normal`` /
        ``special``), ``grade_level``, ``subject``, ``teacher_id``, ``lessons``
        (planned), ``competence`` (``undervisningskompetence`` /
        ``tilsvarende`` / ``ingen``) and ``teacher_competence_count``; or the
        ``totals`` form: already aggregated rows with ``school_year``,
        ``lessons_competent`` and ``lessons_not_competent`` (plus the ``by``
        columns, and optionally ``class_type`` and ``grade_level``, which are
        then applied). The rules 3-4 cannot be applied to totals; they are
        assumed applied, and the counts they produce are null.
    by
        Grouping columns: attributes of a class (``school_year``,
        ``municipality_code``, ``institution_id``, ``subject``,
        ``grade_level``, ``class_type``, or your own class-level columns). The
        official target is measured per municipality across all subjects and
        grades (the default). With ``subject`` or ``class_type`` in ``by``,
        every category gets a row, with zeros where there are no lessons.
    form
        ``"auto"`` (default): ``lessons`` if the frame has ``teacher_id`` or
        ``lessons``, ``totals`` if it has ``lessons_competent`` or
        ``lessons_not_competent``; or name the form.
    grade_levels
        ``"published"`` (default): 1.-10. klasse. ``"target"``: the scope of the
        national target of each row's school year -- 1.-10. klasse, without
        indskolingen (0.-3. klasse, scope unverified) from 2025/26. Or a
        sequence of grade levels, e.g. ``range(4, 10)``.
    co_teaching
        ``"most_hours"`` (default, the official rule) or ``"all"``: every
        teacher's lessons count (a local variant for split teaching).
    ties
        Which of several teachers with the same, highest number of lessons
        counts: ``"teacher_id"`` (default: the lowest id; neutral, it favours
        neither outcome), ``"competent"`` (a covered teacher if there is one)
        or ``"not_competent"``. The two latter bound how much ties can matter.
    max_competences
        Teachers with more registered competences than this are left out (6).
    include_equivalent
        Count *kompetence svarende til undervisningskompetence* as covered
        (default, the official rule); ``False`` counts linjefag only.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group, sorted: the ``by`` columns, ``n_class_subjects``
        (classes x subjects counted), ``n_teachers`` (distinct counting
        teachers), ``n_teachers_excluded``, ``lessons_excluded``,
        ``lessons_co_teaching``, ``lessons_special``, ``lessons_other_grades``,
        ``lessons_total``, ``lessons_competent`` (Float64) and ``share``
        (null when ``lessons_total`` is 0). Counts the ``totals`` form cannot
        know are null.

    Raises
    ------
    DataError
        For every problem in the input, listed together: missing columns, wrong
        dtypes, unknown codes, negative or NaN lessons, grade levels outside
        0-10, a competence with a competence count of 0, duplicated class x
        subject x teacher rows.

    Examples
    --------
    A class with two teachers in dansk (the one with most lessons counts), a
    teacher with seven competences (left out) and a special class (left out):

    >>> import polars as pl
    >>> from folkeskolekvalitet.competence import coverage
    >>> lessons = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "municipality_code": "151",
    ...         "institution_id": "151001",
    ...         "class_id": ["1a", "1a", "1a", "2a", "3s"],
    ...         "class_type": ["normal", "normal", "normal", "normal", "special"],
    ...         "grade_level": [1, 1, 1, 2, 3],
    ...         "subject": ["dansk", "dansk", "matematik", "dansk", "dansk"],
    ...         "teacher_id": ["t1", "t2", "t3", "t4", "t5"],
    ...         "lessons": [300, 100, 150, 300, 300],
    ...         "competence": ["undervisningskompetence", "ingen", "ingen", "tilsvarende", "ingen"],
    ...         "teacher_competence_count": [2, 0, 1, 7, 1],
    ...     }
    ... )
    >>> out = coverage(lessons)
    >>> out.select("lessons_total", "lessons_competent", "share").row(0)
    (450.0, 300.0, 0.6666666666666666)
    >>> out.select("lessons_co_teaching", "lessons_excluded", "lessons_special").row(0)
    (100.0, 300.0, 300.0)
    """
    _check_choice("co_teaching", co_teaching, ("most_hours", "all"))
    _check_choice("ties", ties, ("teacher_id", "competent", "not_competent"))
    by_cols = normalise_by(by)
    prepared = prepare(
        lessons,
        by=by_cols,
        form=form,
        grade_levels=grade_levels,
        max_competences=max_competences,
        include_equivalent=include_equivalent,
        validate=validate,
    )
    rows = prepared.rows
    group = list(by_cols)
    if not group:
        rows = rows.with_columns(pl.lit(0, dtype=pl.Int8).alias(_ALL))
        group = [_ALL]
    if prepared.form == "lessons":
        result = _from_lessons(rows, group, co_teaching, ties, prepared.lesson_values)
        known: list[str] = list(COVERAGE_COLUMNS[:-1])
    else:
        result = _from_totals(
            rows,
            group,
            knows_class_type=prepared.knows_class_type,
            knows_grade_level=prepared.knows_grade_level,
        )
        known = ["lessons_total", "lessons_competent"]
        if prepared.knows_class_type:
            known.append("lessons_special")
        if prepared.knows_grade_level:
            known.append("lessons_other_grades")
    result = _with_empty_categories(result, rows, by_cols, known).with_columns(
        safe_share(pl.col("lessons_competent"), pl.col("lessons_total")).alias("share")
    )
    result = sort_groups(result, by_cols).select(*by_cols, *COVERAGE_COLUMNS)
    return like_input(lessons, result)
