"""Synthetic trivselsmåling answers.

Indicator means near the national ones, differences between schools, "ønsker
ikke at svare", skipped questions and a few pupils below the half rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.synthetic._random import normal, uniform
from folkeskolekvalitet.wellbeing.questions import (
    QUESTION_ENUM,
    QUESTIONS_0_3,
    QUESTIONS_4_9,
    Question,
)

__all__ = ["wellbeing_answers"]

# Target mean score of the questions of each indicator (national levels 2017/18-2022/23:
# social about 4.0, academic 3.7, support and inspiration 3.2, calm and order 3.8;
# general about 3.7). The rounding and clipping of the latent answer shift
# means a little; these centres are tuned so the pupil-level means land near
# the targets.
_CENTRE = {
    "social": 4.12,
    "academic": 3.74,
    "support_inspiration": 3.18,
    "calm_order": 3.83,
    "other": 3.7,
}
_CENTRE_0_3 = 2.55


def _question_table(questions: Sequence[Question]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "qidx": list(range(len(questions))),
            "question": [q.key for q in questions],
            "centre": [
                _CENTRE_0_3 if q.indicator is None else _CENTRE[q.indicator] for q in questions
            ],
            "max_points": [q.max_points for q in questions],
            "negative": [q.polarity == "negative" for q in questions],
            "options": [list(q.option_texts) for q in questions],
        },
        schema_overrides={"qidx": pl.Int64, "max_points": pl.Int8},
    ).with_columns(pl.col("question").cast(QUESTION_ENUM))


def wellbeing_answers(
    *,
    n_schools: int = 8,
    school_years: Sequence[str] = ("2022/23", "2023/24"),
    grade_levels: Sequence[int] = tuple(range(10)),
    pupils_per_grade: int = 40,
    municipality_code: str = "151",
    form: Literal["score", "answer"] = "score",
    decline_rate: float = 0.02,
    skip_rate: float = 0.01,
    seed: int = 0,
    lazy: bool = False,
) -> pl.DataFrame:
    """Synthetic trivselsmåling answers of one municipality (or a country).

    Parameters
    ----------
    n_schools
        Number of schools; institution ids are the municipality code followed
        by a three-digit number (more digits beyond 999 schools).
    school_years
        School years surveyed.
    grade_levels
        Grade levels (0-9); 0-3 answer the 20 questions for 0.-3. klasse,
        4-9 the 40 questions for 4.-9. klasse.
    pupils_per_grade
        Average answering pupils per school, year and grade (schools differ in
        size by up to about ±40 %). Pupils are split into classes of at most 24.
    municipality_code
        Three-digit municipality code, included as a column.
    form
        ``"score"``: a ``score`` column, 1 (worst) to 5 (best; 3 in 0.-3.
        klasse), 0 = "ønsker ikke at svare", already oriented (microdata
        convention). ``"answer"``: an ``answer`` column with the option text.
    decline_rate
        Share of answers that are "ønsker ikke at svare" (about 1 % of pupils
        decline most questions, so some fall below the half rule).
    skip_rate
        Share of questions with no row at all (not shown or not answered).
    seed
        Seed; the same seed gives the same data (for a given Polars version).
    lazy
        Return a LazyFrame.

    Returns
    -------
    DataFrame
        One row per pupil and question: ``school_year``,
        ``municipality_code``, ``institution_id``, ``grade_level`` (Int8),
        ``class_id``, ``pupil_id``, ``question`` (Enum of question keys) and
        ``score`` (Int8) or ``answer`` (String). Indicator means are near the
        national ones (general about 3.7, social 4.0, academic 3.7, support
        3.2, calm and order 3.8), schools differ by about ±0.15 points.

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers
    >>> df = wellbeing_answers(n_schools=2, school_years=["2023/24"], pupils_per_grade=5)
    >>> df.columns  # doctest: +NORMALIZE_WHITESPACE
    ['school_year', 'municipality_code', 'institution_id', 'grade_level', 'class_id',
     'pupil_id', 'question', 'score']
    >>> sorted(df["grade_level"].unique().to_list())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    if form not in ("score", "answer"):
        msg = f"form must be 'score' or 'answer', not {form!r}"
        raise ValueError(msg)
    years = [normalise_school_year(y) for y in school_years]
    levels = sorted({int(g) for g in grade_levels})
    width = max(3, len(str(n_schools)))
    schools = pl.LazyFrame({"school": pl.int_range(n_schools, eager=True, dtype=pl.Int64)})
    schools = schools.with_columns(
        (normal(pl.col("school"), seed, 1) * 0.15).alias("school_effect"),
        (0.6 + 0.8 * uniform(pl.col("school"), seed, 2)).alias("size"),
    )
    frame = pl.LazyFrame(
        {"school_year": years, "year_idx": list(range(len(years)))},
        schema={"school_year": pl.String, "year_idx": pl.Int64},
    ).join(pl.LazyFrame({"grade_level": levels}, schema={"grade_level": pl.Int64}), how="cross")
    cohorts = schools.join(frame, how="cross").with_columns(
        ((pl.col("school") * 100 + pl.col("year_idx")) * 10 + pl.col("grade_level")).alias("ckey")
    )
    pupils = (
        cohorts.with_columns(
            (pl.col("size") * pupils_per_grade * (0.85 + 0.3 * uniform(pl.col("ckey"), seed, 3)))
            .round()
            .cast(pl.Int64)
            .clip(lower_bound=1)
            .alias("n")
        )
        .with_columns(pl.int_ranges(0, pl.col("n")).alias("pupil"))
        .explode("pupil")
        .with_columns((pl.col("ckey") * 10_000 + pl.col("pupil")).alias("pkey"))
        .with_columns(
            normal(pl.col("pkey"), seed, 4).alias("latent"),
            uniform(pl.col("pkey"), seed, 5).alias("u_pupil"),
            (pl.col("n") / 24).ceil().alias("n_classes"),
        )
    )
    older = _question_table(QUESTIONS_4_9)
    younger = _question_table(QUESTIONS_0_3)
    rows = pl.concat(
        [
            pupils.filter(pl.col("grade_level") >= 4).join(older.lazy(), how="cross"),
            pupils.filter(pl.col("grade_level") <= 3).join(younger.lazy(), how="cross"),
        ]
    ).with_columns((pl.col("pkey") * 64 + pl.col("qidx")).alias("rkey"))
    max_points = pl.col("max_points").cast(pl.Float64)
    centre = pl.col("centre")
    value = (
        centre
        + pl.col("school_effect")
        + 0.45 * pl.col("latent")
        + 0.85 * normal(pl.col("rkey"), seed, 6)
    )
    points = value.round().clip(1.0, max_points).cast(pl.Int8)
    u_row = uniform(pl.col("rkey"), seed, 7)
    mostly_declines = pl.col("u_pupil") < 0.01
    declined = (u_row < decline_rate) | (mostly_declines & (u_row < 0.7))
    skipped = uniform(pl.col("rkey"), seed, 8) < skip_rate
    score = pl.when(declined).then(pl.lit(0, dtype=pl.Int8)).otherwise(points)
    rows = rows.filter(~skipped).with_columns(score.alias("score"))
    if form == "answer":
        # the option printed at position i has points max - i for a positive question
        position = (
            pl.when(pl.col("negative"))
            .then(pl.col("score") - 1)
            .otherwise(pl.col("max_points") - pl.col("score"))
        )
        text = pl.col("options").list.get(position.cast(pl.Int64), null_on_oob=True)
        value_col = (
            pl.when(pl.col("score") == 0)
            .then(pl.lit("Ønsker ikke at svare"))
            .otherwise(text)
            .alias("answer")
        )
    else:
        value_col = pl.col("score")
    class_letter = ((pl.col("pupil") % pl.col("n_classes")).cast(pl.UInt8) + 65).cast(pl.UInt8)
    result = (
        rows.select(
            "school_year",
            pl.lit(municipality_code).alias("municipality_code"),
            (
                pl.lit(municipality_code) + (pl.col("school") + 1).cast(pl.String).str.zfill(width)
            ).alias("institution_id"),
            pl.col("grade_level").cast(pl.Int8),
            pl.format(
                "{}{}",
                pl.col("grade_level"),
                pl.lit("ABCDEFGHIJKLMNOPQRSTUVWXYZ").str.slice(
                    (class_letter - 65).cast(pl.Int64), 1
                ),
            ).alias("class_id"),
            pl.format("P{}", pl.col("pkey")).alias("pupil_id"),
            "question",
            value_col,
            "pkey",
            "qidx",
        )
        .sort("pkey", "qidx")  # school, year, grade, pupil, question (numeric keys sort fast)
        .drop("pkey", "qidx")
    )
    return result if lazy else result.collect()  # type: ignore[return-value]
