"""Hypothesis strategies for trivselsmåling answer frames (valid and broken).

The valid strategy builds a *wide* frame with :func:`polars.testing.parametric.dataframes`
(one row per pupil, one cell per question slot, explicit dtypes) and
unpivots it to the long input form, so every (pupil, question) key is unique
by construction. Cells are scores 0-5 (0 = "ønsker ikke at svare") or
missing, so pupils below, at and above the half rule all occur; Hypothesis
shrinks towards few pupils and declined answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.testing._columns import sampled_column
from folkeskolekvalitet.wellbeing.questions import QUESTION_ENUM, QUESTIONS_0_3, QUESTIONS_4_9

__all__ = ["BREAKAGES", "broken_wellbeing_answer_frames", "wellbeing_answer_frames"]

_MISSING = -1
_N_SLOTS = len(QUESTIONS_4_9)

QuestionForm = Literal["key", "number", "enum"]


def _option_text(points: int, negative: bool, options: tuple[str, ...], max_points: int) -> str:
    if points == 0:
        return "Ønsker ikke at svare"
    position = points - 1 if negative else max_points - points
    return options[position]


def _texts() -> pl.DataFrame:
    """(band, slot, points) -> option text, for every question and score."""
    rows = []
    for band, questions in (("4-9", QUESTIONS_4_9), ("0-3", QUESTIONS_0_3)):
        for slot, q in enumerate(questions):
            for points in range(q.max_points + 1):
                text = _option_text(points, q.polarity == "negative", q.option_texts, q.max_points)
                rows.append((band, slot, points, text))
    return pl.DataFrame(
        rows,
        schema={"_band": pl.String, "_slot": pl.Int64, "_points": pl.Int8, "answer": pl.String},
        orient="row",
    )


_TEXTS = _texts()
_SLOT_TABLE = pl.DataFrame(
    {
        "_band": ["4-9"] * len(QUESTIONS_4_9) + ["0-3"] * len(QUESTIONS_0_3),
        "_slot": list(range(len(QUESTIONS_4_9))) + list(range(len(QUESTIONS_0_3))),
        "_key": [q.key for q in QUESTIONS_4_9] + [q.key for q in QUESTIONS_0_3],
        "_number": [q.number for q in QUESTIONS_4_9] + [q.number for q in QUESTIONS_0_3],
        "_max": [q.max_points for q in QUESTIONS_4_9] + [q.max_points for q in QUESTIONS_0_3],
    },
    schema_overrides={"_slot": pl.Int64, "_max": pl.Int8},
)


@st.composite
def wellbeing_answer_frames(
    draw: st.DrawFn,
    *,
    form: Literal["score", "answer"] | None = None,
    question_form: QuestionForm | None = None,
    school_years: Sequence[str] = ("2022/23", "2023/24"),
    institutions: Sequence[str] = ("151001", "151002"),
    grade_levels: Sequence[int] = (2, 4, 7, 9),
    min_pupils: int = 0,
    max_pupils: int = 30,
    missing_rate: float = 0.3,
) -> pl.DataFrame:
    """Valid long trivsel answers.

    Columns: ``school_year``, ``institution_id``, ``grade_level``,
    ``class_id``, ``pupil_id``, ``question`` and ``score`` or ``answer``.

    Parameters
    ----------
    form
        ``"score"`` (Int8, 0-5; 0-3 for 0.-3. klasse) or ``"answer"`` (option
        texts, in varying case); drawn when ``None``.
    question_form
        Questions as keys (String), numbers (Int64) or keys in the library's
        Enum; drawn when ``None``.
    school_years, institutions, grade_levels
        Values to draw from; 0-3 pupils answer the 0.-3. questionnaire.
    min_pupils, max_pupils
        Number of pupils.
    missing_rate
        Rough probability that a question has no row for a pupil.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.wellbeing import wellbeing_answer_frames
    >>> from hypothesis import given
    >>> @given(wellbeing_answer_frames(max_pupils=4))
    ... def test_columns(df):
    ...     assert df.columns[:5] == [
    ...         "school_year",
    ...         "institution_id",
    ...         "grade_level",
    ...         "class_id",
    ...         "pupil_id",
    ...     ]
    >>> test_columns()
    """
    form = form or draw(st.sampled_from(["score", "answer"]))
    question_form = question_form or draw(st.sampled_from(["key", "number", "enum"]))
    years = [normalise_school_year(y) for y in school_years]
    n_missing = max(1, round(10 * missing_rate))
    cell = st.one_of(
        st.integers(0, 5),
        st.integers(1, 5),
        *([st.just(_MISSING)] * (1 if n_missing < 3 else 2)),
    )
    wide = draw(
        dataframes(
            [
                sampled_column("school_year", pl.String, years),
                sampled_column("institution_id", pl.String, list(institutions)),
                sampled_column("grade_level", pl.Int8, list(grade_levels)),
                sampled_column("class_id", pl.String, ["A", "B"]),
                *[
                    column(f"s{i}", dtype=pl.Int8, strategy=cell, allow_null=False)
                    for i in range(_N_SLOTS)
                ],
            ],
            min_size=min_pupils,
            max_size=max_pupils,
            allow_chunks=True,
        )
    )
    assert isinstance(wide, pl.DataFrame)
    wide = wide.with_row_index("_pupil").with_columns(
        pl.format("p{}", pl.col("_pupil")).alias("pupil_id"),
        pl.when(pl.col("grade_level") <= 3)
        .then(pl.lit("0-3"))
        .otherwise(pl.lit("4-9"))
        .alias("_band"),
    )
    index = ["school_year", "institution_id", "grade_level", "class_id", "pupil_id", "_band"]
    long = (
        wide.unpivot(
            index=index,
            on=[f"s{i}" for i in range(_N_SLOTS)],
            variable_name="_s",
            value_name="_points",
        )
        .with_columns(pl.col("_s").str.slice(1).cast(pl.Int64).alias("_slot"))
        .join(_SLOT_TABLE, on=["_band", "_slot"], how="inner")
        .filter(pl.col("_points") != _MISSING)
        .with_columns(pl.min_horizontal("_points", "_max").cast(pl.Int8).alias("_points"))
    )
    if question_form == "key":
        question = pl.col("_key")
    elif question_form == "number":
        question = pl.col("_number").cast(pl.Int64)
    else:
        question = pl.col("_key").cast(QUESTION_ENUM)
    cols = ["school_year", "institution_id", "grade_level", "class_id", "pupil_id"]
    if form == "score":
        return long.select(*cols, question.alias("question"), pl.col("_points").alias("score"))
    long = long.join(_TEXTS, on=["_band", "_slot", "_points"], how="left")
    upper = draw(st.booleans())
    answer = pl.col("answer").str.to_uppercase() if upper else pl.col("answer")
    return long.select(*cols, question.alias("question"), answer.alias("answer"))


#: The kinds of breakage :func:`broken_wellbeing_answer_frames` can introduce.
BREAKAGES = (
    "unknown_question",
    "score_out_of_range",
    "unknown_answer_text",
    "duplicate_row",
    "missing_column",
    "cpr_pupil_id",
    "bad_grade_level",
    "wrong_dtype",
    "answer_and_score",
)


@st.composite
def broken_wellbeing_answer_frames(
    draw: st.DrawFn, *, breakages: Sequence[str] = BREAKAGES
) -> tuple[pl.DataFrame, str, str]:
    """A valid answers frame with one kind of breakage.

    Returns ``(frame, breakage, column)``: every breakage must make the frame
    functions raise :class:`~folkeskolekvalitet.DataError` naming ``column``.
    """
    kind = draw(st.sampled_from(list(breakages)))
    form: Literal["score", "answer"] = "answer" if kind == "unknown_answer_text" else "score"
    base = draw(
        wellbeing_answer_frames(
            form=form, question_form="key", min_pupils=1, max_pupils=6, grade_levels=(5, 8)
        ).filter(lambda df: df.height > 0)
    )
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row
    if kind == "unknown_question":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("41")).otherwise("question").alias("question")
        )
        col = "question"
    elif kind == "score_out_of_range":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit(7, dtype=pl.Int8)).otherwise("score").alias("score")
        )
        col = "score"
    elif kind == "unknown_answer_text":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("Måske")).otherwise("answer").alias("answer")
        )
        col = "answer"
    elif kind == "duplicate_row":
        broken = pl.concat([base, base.filter(idx)])
        col = "school_year, pupil_id, question"
    elif kind == "missing_column":
        col = draw(st.sampled_from(["pupil_id", "question", "grade_level", "school_year"]))
        broken = base.drop(col)
    elif kind == "cpr_pupil_id":
        broken = base.with_columns(
            pl.when(pl.col("pupil_id") == base["pupil_id"][row])
            .then(pl.lit("010203-1234"))
            .otherwise("pupil_id")
            .alias("pupil_id")
        )
        col = "pupil_id"
    elif kind == "bad_grade_level":
        broken = base.with_columns(
            pl.when(pl.col("pupil_id") == base["pupil_id"][row])
            .then(pl.lit(10, dtype=pl.Int8))
            .otherwise("grade_level")
            .alias("grade_level")
        )
        col = "grade_level"
    elif kind == "wrong_dtype":
        broken = base.with_columns(pl.lit(value=True).alias("question"))
        col = "question"
    elif kind == "answer_and_score":
        broken = base.with_columns(pl.lit("Tit").alias("answer"))
        col = "answer, score"
    else:  # pragma: no cover - guarded by BREAKAGES
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    return broken, kind, col
