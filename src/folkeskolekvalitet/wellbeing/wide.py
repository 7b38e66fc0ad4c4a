"""Wide survey answers (one column per question) to the long input form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import FrameT, as_lazy, facts, like_input, remember
from folkeskolekvalitet._core.ids import ID_COLUMNS
from folkeskolekvalitet._core.schema import Column, Contract
from folkeskolekvalitet.wellbeing.questions import QUESTION_ENUM

__all__ = ["answers_from_wide", "wide_source"]

_KEYS = frozenset(QUESTION_ENUM.categories.to_list())


def wide_source(answers: object) -> tuple[pl.LazyFrame, tuple[str, ...]] | None:
    """The wide scores a lazy long frame of :func:`answers_from_wide` was made from.

    ``None`` unless ``answers`` is itself such a frame (not a frame derived from
    it): then its wide source, with the question columns named by key, and those
    columns. The pupil-level rules compute on the source directly (a sum along
    each pupil's row) instead of grouping the long rows back into pupils; the
    source is validated as wide input, which refuses everything the long
    validation would.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing.wide import answers_from_wide, wide_source
    >>> wide = pl.LazyFrame({"pupil_id": ["a"], "q14": [5]})
    >>> source, cols = wide_source(answers_from_wide(wide, questions={"q14": "mobbet"}))
    >>> source.collect_schema().names(), cols
    (['pupil_id', 'mobbet'], ('mobbet',))
    >>> wide_source(answers_from_wide(wide.collect(), questions={"q14": "mobbet"})) is None
    True
    """
    if not isinstance(answers, pl.LazyFrame):
        return None
    entry = facts(answers)
    return None if entry is None else entry.wide


def _remember(
    wide: object,
    long: pl.LazyFrame,
    lf: pl.LazyFrame,
    index: Sequence[str],
    mapping: Mapping[str, str],
    *,
    scores: bool,
) -> None:
    """Remember the wide integer scores ``long`` was made of (see :func:`wide_source`).

    Only for lazy ``wide`` (immutable, unlike a DataFrame) and ``scores`` (integer
    scores, missing cells dropped): the wide rule reads exactly those.
    """
    keys = tuple(mapping.values())
    if not (isinstance(wide, pl.LazyFrame) and scores) or len(set(keys)) != len(keys):
        return
    if {"question", "score", "answer", *keys} & set(index):
        return  # a name taken: only the long rows say what it means
    source = lf.select(*index, *(pl.col(c).alias(k) for c, k in mapping.items()))
    # A LazyFrame is immutable: the long frame stays exactly the reshaping of source.
    remember(long).wide = (source, keys)


def answers_from_wide(
    wide: FrameT,
    *,
    questions: Mapping[str, str] | Sequence[str] | None = None,
    value_name: Literal["score", "answer"] | None = None,
    drop_missing: bool = True,
    allow_cpr: bool = False,
) -> FrameT:
    """Turn wide answers (one row per pupil, one column per question) into long answers.

    The long frame has every non-question column of ``wide``, a ``question``
    column (Enum of question keys, which the rules look up by integer code)
    and the value column. It is built lazily, question by question. A lazy
    long frame of integer scores (``value_name="score"``, missing cells
    dropped) remembers its wide source: the pupil-level rules
    (:func:`~folkeskolekvalitet.wellbeing.indicators`,
    :func:`~folkeskolekvalitet.wellbeing.pupil_scores`, ...) given that very
    frame sum each pupil's wide row instead of grouping the long rows back into
    pupils, as fast as on ``wide`` itself, and validate ``wide`` as wide input
    (refusing what the long validation refuses). A frame derived from it
    (filtered, collected) is long input like any other.

    Parameters
    ----------
    wide
        One row per pupil: ``school_year``, ``institution_id``,
        ``grade_level``, ``pupil_id`` (and any other pupil columns) and one
        column per question.
    questions
        Which columns hold questions: a sequence of column names that are
        question keys, or a mapping from column name to question key (for
        columns named ``"q14"`` or ``"spm_14"``). Default: every column whose
        name is a question key.
    value_name
        ``"score"`` (0-5 integers) or ``"answer"`` (option texts); default:
        ``"score"`` when every question column is an integer column, else
        ``"answer"``.
    drop_missing
        Drop cells that are null (question not shown or not answered).
    allow_cpr
        Accept id columns (``pupil_id``, ``institution_id``, ``class_id``, ...)
        whose values look like CPR numbers; by default they are refused, and
        ids with padding or invisible characters are normalised.

    Returns
    -------
    DataFrame or LazyFrame
        Long answers, one row per pupil and question, question by question
        (the rules do not depend on row order).

    Raises
    ------
    DataError
        If no question column is found, a mapped key is not a question key,
        the question columns mix integer and text dtypes, or an id looks like a
        CPR number.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import answers_from_wide
    >>> wide = pl.DataFrame(
    ...     {
    ...         "school_year": "2023/24",
    ...         "institution_id": "151001",
    ...         "grade_level": [5, 6],
    ...         "pupil_id": ["a", "b"],
    ...         "mobbet": [5, None],
    ...         "tryg": [4, 3],
    ...     }
    ... )
    >>> long = answers_from_wide(wide)
    >>> long.select("pupil_id", "question", "score").rows()
    [('a', 'mobbet', 5), ('a', 'tryg', 4), ('b', 'tryg', 3)]
    """
    lf = as_lazy(wide, "wide")
    schema = lf.collect_schema()
    if questions is None:
        mapping = {c: c for c in schema.names() if c in _KEYS}
    elif isinstance(questions, Mapping):
        mapping = dict(questions)
    else:
        mapping = {c: c for c in questions}
    problems: list[Problem] = []
    if not mapping:
        problems.append(
            Problem(
                "<frame>", "no question columns (name them by question key, or pass questions=)"
            )
        )
    bad_keys = [k for k in mapping.values() if k not in _KEYS]
    if bad_keys:
        problems.append(
            Problem(
                "questions",
                "not a question key",
                len(bad_keys),
                tuple(repr(k) for k in bad_keys[:3]),
            )
        )
    missing = [c for c in mapping if c not in schema]
    if missing:
        problems.append(
            Problem(", ".join(missing[:3]), "question column missing from the frame", len(missing))
        )
    # (the long form's own columns: Polars would refuse the duplicate names)
    problems.extend(
        Problem(c, f"a wide frame cannot also have the long form's column {c!r}: drop or rename it")
        for c in ("question", "score", "answer")
        if c in schema and c not in mapping
    )
    if problems:
        raise DataError("wide trivsel answers", problems)
    kinds = {schema[c].is_integer() for c in mapping}
    if value_name is None:
        if len(kinds) > 1:
            raise DataError.single(
                "wide trivsel answers",
                "<frame>",
                "question columns mix integer scores and text answers; pass value_name=",
            )
        value_name = "score" if kinds == {True} else "answer"
    if value_name == "score" and kinds != {True}:
        raise DataError.single(
            "wide trivsel answers",
            ", ".join(c for c in mapping if not schema[c].is_integer())[:200],
            "scores must be integer columns (0-5); pass value_name='answer' for option texts",
        )
    index = [c for c in schema.names() if c not in mapping]
    ids = Contract(
        "wide trivsel answers",
        tuple(Column(c, "id", nullable=True, required=False) for c in index if c in ID_COLUMNS),
    )
    lf = ids.validate(lf, allow_cpr=allow_cpr).lf(lf)
    # Scores keep an integer type wide enough for every value (a narrowing cast
    # would fail on out-of-range values, which the rules' validation reports).
    score_dtype = pl.Int8 if all(schema[c] == pl.Int8 for c in mapping) else pl.Int64
    parts = []
    for column, key in mapping.items():
        value = pl.col(column)
        value = value.cast(score_dtype) if value_name == "score" else value.cast(pl.String)
        part = lf.select(
            *index, pl.lit(key, dtype=QUESTION_ENUM).alias("question"), value.alias(value_name)
        )
        if drop_missing:
            part = part.filter(pl.col(value_name).is_not_null())
        parts.append(part)
    long = pl.concat(parts, how="vertical")
    _remember(wide, long, lf, index, mapping, scores=value_name == "score" and drop_missing)
    return like_input(wide, long)
