"""Synthetic lesson plans for kompetencedækning: classes, subjects, teachers, competences.

Realistic in the ways the rules care about: a timetable of subjects by grade
level (annual lesson numbers near the ministry's vejledende timetal, rounded),
schools of different sizes, a few special classes, co-teaching in about 15 %
of classes x subjects (some with equal lessons, so ties occur), about 5 % of
teachers with more than six registered competences, and coverage that differs
by subject (high in dansk and matematik, low in kristendomskundskab and
natur/teknologi, as the ministry reports), by school and rises over the years.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.competence.catalogue import (
    CLASS_TYPE_ENUM,
    COMPETENCE_ENUM,
    SUBJECT_ENUM,
)
from folkeskolekvalitet.synthetic._random import normal, uniform

__all__ = ["competence_lessons"]

# (subject, first grade, last grade, annual lessons, base probability of competence)
_TIMETABLE: tuple[tuple[str, int, int, int, float], ...] = (
    ("dansk", 1, 3, 330, 0.93),
    ("dansk", 4, 9, 210, 0.93),
    ("matematik", 1, 3, 180, 0.90),
    ("matematik", 4, 9, 150, 0.90),
    ("engelsk", 1, 9, 60, 0.82),
    ("tysk", 5, 9, 90, 0.90),
    ("fransk", 5, 9, 90, 0.92),
    ("kristendomskundskab", 1, 6, 30, 0.55),
    ("kristendomskundskab", 8, 9, 30, 0.55),
    ("historie", 3, 9, 60, 0.62),
    ("samfundsfag", 8, 9, 60, 0.70),
    ("natur_teknologi", 1, 6, 60, 0.62),
    ("geografi", 7, 9, 50, 0.78),
    ("biologi", 7, 9, 60, 0.80),
    ("fysik_kemi", 7, 9, 80, 0.92),
    ("idraet", 1, 9, 90, 0.75),
    ("musik", 1, 6, 60, 0.70),
    ("billedkunst", 1, 5, 45, 0.62),
    ("haandvaerk_og_design", 4, 6, 90, 0.70),
    ("madkundskab", 4, 6, 30, 0.66),
    ("valgfag", 7, 8, 60, 0.80),
)
_LETTERS = "abcdefgh"


def _timetable() -> pl.LazyFrame:
    rows = [
        (subject, grade, lessons, p)
        for subject, first, last, lessons, p in _TIMETABLE
        for grade in range(first, last + 1)
    ]
    return pl.LazyFrame(
        rows,
        schema={
            "subject": pl.String,
            "grade_level": pl.Int8,
            "plan_lessons": pl.Float64,
            "p_base": pl.Float64,
        },
        orient="row",
    )


def competence_lessons(
    *,
    n_schools: int = 8,
    school_years: Sequence[str] = ("2016/17", "2017/18", "2018/19"),
    municipality_codes: Sequence[str] = ("151",),
    classes_per_grade: float = 2.0,
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame:
    """Synthetic lesson plans: one row per class x subject x teacher.

    Parameters
    ----------
    n_schools
        Schools per municipality. Institution ids are the municipality code
        followed by a three-digit number (``"151001"``).
    school_years
        School years; coverage rises by about one percentage point a year.
    municipality_codes
        Three-digit municipality codes; each gets ``n_schools`` schools.
    classes_per_grade
        Average number of normal classes per grade level (1.-9. klasse);
        schools differ by up to about ±50 %, and about one school in ten also
        has a 10. klasse.
    seed
        Seed; the same seed gives the same data.
    lazy
        Return a LazyFrame instead of a DataFrame.

    Returns
    -------
    DataFrame
        The ``lessons`` input of :func:`folkeskolekvalitet.competence.coverage`:
        ``school_year``, ``municipality_code``, ``institution_id``,
        ``class_id``, ``class_type`` (Enum), ``grade_level`` (Int8),
        ``subject`` (Enum), ``teacher_id``, ``lessons`` (Float64),
        ``competence`` (Enum) and ``teacher_competence_count`` (Int8).

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic.competence import competence_lessons
    >>> df = competence_lessons(n_schools=2, school_years=["2017/18"], seed=1)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['school_year', 'municipality_code', 'institution_id', 'class_id', 'class_type',
     'grade_level', 'subject', 'teacher_id', 'lessons', 'competence',
     'teacher_competence_count']
    >>> df.schema["class_type"]
    Enum(categories=['normal', 'special'])
    """
    years = [normalise_school_year(y) for y in school_years]
    first_start = min(parse_school_year(y) for y in years) if years else 0
    year_frame = pl.LazyFrame(
        {
            "school_year": years,
            "trend": [0.01 * (parse_school_year(y) - first_start) for y in years],
        },
        schema={"school_year": pl.String, "trend": pl.Float64},
    )
    munis = pl.LazyFrame(
        {"municipality_code": list(municipality_codes)}, schema={"municipality_code": pl.String}
    )
    schools = (
        munis.join(
            pl.LazyFrame({"school": pl.int_range(n_schools, eager=True, dtype=pl.Int64)}),
            how="cross",
        )
        .with_columns(
            (
                pl.col("municipality_code") + (pl.col("school") + 1).cast(pl.String).str.zfill(3)
            ).alias("institution_id")
        )
        .with_columns(pl.col("institution_id").cast(pl.Int64).alias("skey"))
        .with_columns(
            (normal(pl.col("skey"), seed, 1) * 0.04).alias("school_effect"),
            (0.5 + uniform(pl.col("skey"), seed, 2)).alias("size"),
            (uniform(pl.col("skey"), seed, 3) < 0.1).alias("has_tenth"),
            (uniform(pl.col("skey"), seed, 4) < 0.25).alias("has_fransk"),
        )
    )
    grades = pl.LazyFrame({"grade_level": pl.int_range(1, 11, eager=True, dtype=pl.Int8)})
    classes = (
        schools.join(year_frame, how="cross")
        .join(grades, how="cross")
        .filter((pl.col("grade_level") < 10) | pl.col("has_tenth"))
        .with_columns(
            (
                pl.col("skey") * 100_000
                + pl.col("school_year").str.slice(0, 4).cast(pl.Int64) * 10
                + pl.col("grade_level").cast(pl.Int64)
            ).alias("gkey")
        )
        .with_columns(
            (pl.col("size") * classes_per_grade * (0.75 + 0.5 * uniform(pl.col("gkey"), seed, 5)))
            .round()
            .cast(pl.Int64)
            .clip(1, len(_LETTERS))
            .alias("n_classes"),
            (uniform(pl.col("gkey"), seed, 6) < 0.05).alias("has_special"),
        )
        .with_columns(
            pl.int_ranges(0, pl.col("n_classes") + pl.col("has_special").cast(pl.Int64)).alias(
                "class_idx"
            )
        )
        .explode("class_idx")
        .with_columns(
            (pl.col("class_idx") >= pl.col("n_classes")).alias("_special"),
        )
        .with_columns(
            pl.when(pl.col("_special"))
            .then(pl.format("{}s", pl.col("grade_level")))
            .otherwise(
                pl.format(
                    "{}{}",
                    pl.col("grade_level"),
                    pl.col("class_idx").replace_strict(
                        dict(enumerate(_LETTERS)), default="x", return_dtype=pl.String
                    ),
                )
            )
            .alias("class_id"),
            pl.when(pl.col("_special"))
            .then(pl.lit("special"))
            .otherwise(pl.lit("normal"))
            .cast(CLASS_TYPE_ENUM)
            .alias("class_type"),
            (pl.col("size") * classes_per_grade * 7 + 6).round().cast(pl.Int64).alias("n_teachers"),
        )
    )
    result = lessons_from_classes(classes, seed)
    return result if lazy else result.collect()  # type: ignore[return-value]


def lessons_from_classes(classes: pl.LazyFrame, seed: int) -> pl.LazyFrame:
    """Lesson rows for a frame of classes (the machinery shared with the synthetic country).

    ``classes`` has one row per class: ``school_year``, ``municipality_code``,
    ``institution_id``, ``skey`` (an integer key of the school), ``class_id``,
    ``class_type``, ``grade_level``, ``n_teachers``, ``has_fransk``,
    ``school_effect`` and ``trend``.
    """
    units = (
        classes.join(_timetable(), on="grade_level")
        .filter((pl.col("subject") != "fransk") | pl.col("has_fransk"))
        .with_columns(
            pl.concat_str(
                [
                    pl.col("institution_id"),
                    pl.col("school_year"),
                    pl.col("class_id"),
                    pl.col("subject"),
                ],
                separator="|",
            )
            .hash(seed)
            .alias("ukey")
        )
        .with_columns(
            (pl.col("ukey") % pl.col("n_teachers").cast(pl.UInt64)).cast(pl.Int64).alias("main"),
            uniform(pl.col("ukey"), seed, 7).alias("u_co"),
        )
    )
    main_rows = units.with_columns(
        pl.col("main").alias("teacher_idx"), pl.col("plan_lessons").alias("lessons")
    )
    co_rows = units.filter(pl.col("u_co") < 0.15).with_columns(
        (
            (
                pl.col("main")
                + 1
                + (pl.col("ukey") // 7 % (pl.col("n_teachers") - 1).cast(pl.UInt64)).cast(pl.Int64)
            )
            % pl.col("n_teachers")
        ).alias("teacher_idx"),
        pl.when(pl.col("u_co") < 0.02)
        .then(pl.col("plan_lessons"))
        .otherwise((pl.col("plan_lessons") * (0.2 + 4 * pl.col("u_co"))).round())
        .alias("lessons"),
    )
    rows = pl.concat([main_rows, co_rows], how="vertical").with_columns(
        (pl.col("skey") * 1_000 + pl.col("teacher_idx")).alias("tkey")
    )
    tskey = pl.concat_str([pl.col("tkey").cast(pl.String), pl.col("subject")], separator="|").hash(
        seed
    )
    u_count = uniform(pl.col("tkey"), seed, 8)
    u_extra = uniform(pl.col("tkey"), seed, 9)
    count = (
        pl.when(u_count < 0.05)
        .then(7 + (u_extra * 3).floor())
        .otherwise(1 + (u_extra * 6).floor())
        .cast(pl.Int8)
    )
    p_cov = pl.col("p_base") + pl.col("school_effect") + pl.col("trend")
    u_comp = uniform(tskey, seed, 10)
    competence = (
        pl.when(u_comp < p_cov * 0.85)
        .then(pl.lit("undervisningskompetence"))
        .when(u_comp < p_cov)
        .then(pl.lit("tilsvarende"))
        .otherwise(pl.lit("ingen"))
        .cast(COMPETENCE_ENUM)
    )
    return rows.select(
        "school_year",
        "municipality_code",
        "institution_id",
        "class_id",
        "class_type",
        "grade_level",
        pl.col("subject").cast(SUBJECT_ENUM),
        pl.format(
            "{}-{}", pl.col("institution_id"), pl.col("teacher_idx").cast(pl.String).str.zfill(3)
        ).alias("teacher_id"),
        pl.col("lessons").cast(pl.Float64),
        competence.alias("competence"),
        count.alias("teacher_competence_count"),
    ).sort("school_year", "institution_id", "class_id", "subject", "teacher_id")
