"""Synthetic trivselsmåling answers.

Indicator means near the national ones, differences between schools, "ønsker
ikke at svare", skipped questions and a few pupils below the half rule. The
pupils come from the same population machinery as
:func:`folkeskolekvalitet.synthetic.country`: pupils with a higher
socio-economic index and ability answer a little more positively.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet.synthetic._world import local_world, wellbeing_rows
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
        size by up to about ±45 %). Pupils are split into classes of at most 26
        (``class_id`` such as ``"4b"``), and move up one grade level a year.
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
    world = local_world(
        n_schools=n_schools,
        municipality_code=municipality_code,
        school_years=school_years,
        pupils_per_grade=pupils_per_grade,
        seed=seed,
    )
    levels = sorted({int(g) for g in grade_levels})
    rows = pl.concat(
        [
            wellbeing_rows(
                world,
                year,
                response=1.0,
                decline_rate=decline_rate,
                skip_rate=skip_rate,
                grade_levels=levels,
                detail=True,
            )
            for year in world.years
        ]
    )
    if form == "answer":
        # the option printed at position i has points max - i for a positive question
        # a question key can be in both questionnaires, with different options
        table = pl.concat(
            [
                _question_table(questions).with_columns(pl.lit(young).alias("_young"))
                for questions, young in ((QUESTIONS_0_3, True), (QUESTIONS_4_9, False))
            ]
        ).select("question", "_young", "max_points", "negative", "options")
        position = (
            pl.when(pl.col("negative"))
            .then(pl.col("score") - 1)
            .otherwise(pl.col("max_points") - pl.col("score"))
        )
        text = pl.col("options").list.get(position.cast(pl.Int64), null_on_oob=True)
        rows = (
            rows.with_columns((pl.col("grade_level") <= 3).alias("_young")).join(
                table.lazy(), on=["question", "_young"], how="left", maintain_order="left"
            )
        ).with_columns(
            pl.when(pl.col("score") == 0)
            .then(pl.lit("Ønsker ikke at svare"))
            .otherwise(text)
            .alias("answer")
        )
    result = (
        # school (the pupil key starts with it), year, grade, pupil, question
        rows.sort(
            pl.col("_pkey") // (200 * 512), "school_year", "grade_level", "_pkey", "_qidx"
        ).select(
            "school_year",
            "municipality_code",
            "institution_id",
            "grade_level",
            "class_id",
            "pupil_id",
            "question",
            form,
        )
    )
    return result if lazy else result.collect()  # type: ignore[return-value]
