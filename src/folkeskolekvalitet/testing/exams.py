"""Hypothesis strategies for exam-grade frames (valid and broken).

The valid strategy builds a *wide* frame with :func:`polars.testing.parametric.dataframes`
(one row per pupil, one column per bound delprøve, explicit dtypes, no NaN)
and unpivots it to the long input form, so that every (pupil, exam) key is
unique by construction and Hypothesis shrinks towards few pupils and simple
grades.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.exams.catalogue import EXAM_ENUM, bound_exams
from folkeskolekvalitet.exams.grades import EXCEPTION_CODE_ENUM, EXCEPTION_CODES, GRADE_ENUM, GRADES
from folkeskolekvalitet.testing._columns import sampled_column

__all__ = ["BREAKAGES", "BREAKAGE_COLUMNS", "broken_exam_grade_frames", "exam_grade_frames"]

_MISSING = "missing"


@st.composite
def exam_grade_frames(
    draw: st.DrawFn,
    *,
    school_years: Sequence[str] = ("2015/16", "2017/18"),
    institutions: Sequence[str] = ("151001", "151002", "151003"),
    min_pupils: int = 0,
    max_pupils: int = 30,
    exception_rate: float = 0.1,
    missing_rate: float = 0.1,
) -> pl.DataFrame:
    """Valid exam registrations, as the exams family's input.

    Columns: ``school_year``, ``institution_id``, ``pupil_id``, ``exam``,
    ``grade``, ``exception_code``.

    Parameters
    ----------
    school_years
        School years to draw from (each uses its own bound exams).
    institutions
        Institution ids to draw from.
    min_pupils, max_pupils
        Number of pupils (rows of the wide frame).
    exception_rate, missing_rate
        Rough probabilities that a cell is an exception code, or has no
        registration at all.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.exams import exam_grade_frames
    >>> from hypothesis import given
    >>> @given(exam_grade_frames(max_pupils=5))
    ... def test_columns(df):
    ...     assert df.columns[:4] == ["school_year", "institution_id", "pupil_id", "exam"]
    >>> test_columns()
    """
    years = [normalise_school_year(y) for y in school_years]
    n_exams = max(len(bound_exams(y)) for y in years)
    grade_texts = [g.text for g in GRADES]
    codes = [c.code for c in EXCEPTION_CODES]
    weights_missing = max(1, round(20 * missing_rate))
    weights_code = max(1, round(20 * exception_rate))
    cell = st.one_of(
        st.sampled_from(grade_texts),
        st.sampled_from(grade_texts),
        st.sampled_from(grade_texts),
        st.sampled_from(grade_texts),
        *([st.sampled_from(codes)] * (1 if weights_code < 3 else 2)),
        *([st.just(_MISSING)] * (1 if weights_missing < 3 else 2)),
    )
    wide = draw(
        dataframes(
            [
                sampled_column("school_year", pl.String, years),
                sampled_column("institution_id", pl.String, list(institutions)),
                *[
                    column(f"e{i}", dtype=pl.String, strategy=cell, allow_null=False)
                    for i in range(n_exams)
                ],
            ],
            min_size=min_pupils,
            max_size=max_pupils,
            allow_chunks=True,
        )
    )
    assert isinstance(wide, pl.DataFrame)
    wide = wide.with_row_index("pupil").with_columns(
        pl.format("p{}", pl.col("pupil")).alias("pupil_id")
    )
    parts = []
    for year in years:
        keys = [e.key for e in bound_exams(year)]
        part = wide.filter(pl.col("school_year") == year)
        if part.is_empty():
            continue
        long = part.unpivot(
            index=["school_year", "institution_id", "pupil_id"],
            on=[f"e{i}" for i in range(len(keys))],
            variable_name="slot",
            value_name="cell",
        ).with_columns(
            pl.col("slot")
            .replace_strict({f"e{i}": k for i, k in enumerate(keys)}, return_dtype=pl.String)
            .alias("exam")
        )
        parts.append(long)
    schema: dict[str, pl.DataType] = {
        "school_year": pl.String(),
        "institution_id": pl.String(),
        "pupil_id": pl.String(),
        "exam": EXAM_ENUM,
        "grade": GRADE_ENUM,
        "exception_code": EXCEPTION_CODE_ENUM,
    }
    if not parts:
        return pl.DataFrame(schema=schema)
    long = pl.concat(parts).filter(pl.col("cell") != _MISSING)
    return long.select(
        "school_year",
        "institution_id",
        "pupil_id",
        pl.col("exam").cast(EXAM_ENUM),
        pl.when(pl.col("cell").is_in(grade_texts))
        .then(pl.col("cell"))
        .cast(GRADE_ENUM)
        .alias("grade"),
        pl.when(pl.col("cell").is_in(codes))
        .then(pl.col("cell"))
        .cast(EXCEPTION_CODE_ENUM)
        .alias("exception_code"),
    )


#: The kinds of breakage :func:`broken_exam_grade_frames` can introduce.
BREAKAGES = (
    "unknown_grade",
    "thirteen_scale_grade",
    "unknown_exam",
    "bad_school_year",
    "duplicate_row",
    "missing_column",
    "grade_and_code",
    "cpr_pupil_id",
    "wrong_dtype",
    "spelling_duplicate",
    "pupil_at_two_schools",
)

#: The column each breakage must be reported under.
BREAKAGE_COLUMNS = {
    "unknown_grade": "grade",
    "thirteen_scale_grade": "grade",
    "unknown_exam": "exam",
    "bad_school_year": "school_year",
    "duplicate_row": "school_year, pupil_id, exam",
    "missing_column": None,  # whichever was dropped
    "grade_and_code": "grade, exception_code",
    "cpr_pupil_id": "pupil_id",
    "wrong_dtype": "exam",
    "spelling_duplicate": "school_year, pupil_id, exam",
    "pupil_at_two_schools": "institution_id",
}


@st.composite
def broken_exam_grade_frames(  # noqa: PLR0912 - one branch per breakage kind
    draw: st.DrawFn, *, breakages: Sequence[str] = BREAKAGES
) -> tuple[pl.DataFrame, str]:
    """A valid exam frame with one kind of breakage; returns ``(frame, breakage)``.

    Every breakage must make the frame functions raise
    :class:`~folkeskolekvalitet.DataError` naming the offending column.
    """
    base = draw(exam_grade_frames(min_pupils=1, max_pupils=8, missing_rate=0.0))
    base = base.with_columns(pl.col(["grade", "exam", "exception_code"]).cast(pl.String))
    kind = draw(st.sampled_from(list(breakages)))
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row
    if kind == "unknown_grade":
        bad = draw(st.sampled_from(["5", "1", "13", "A", "-2", "02.5"]))
        broken = base.with_columns(pl.when(idx).then(pl.lit(bad)).otherwise("grade").alias("grade"))
        broken = broken.with_columns(
            pl.when(idx).then(None).otherwise("exception_code").alias("exception_code")
        )
    elif kind == "thirteen_scale_grade":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("03")).otherwise("grade").alias("grade"),
            pl.when(idx).then(None).otherwise("exception_code").alias("exception_code"),
        )
    elif kind == "unknown_exam":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("tysk_mundtlig")).otherwise("exam").alias("exam")
        )
    elif kind == "bad_school_year":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("2017/19")).otherwise("school_year").alias("school_year")
        )
    elif kind == "duplicate_row":
        broken = pl.concat([base, base.filter(idx)])
    elif kind == "missing_column":
        broken = base.drop(draw(st.sampled_from(["pupil_id", "exam", "grade", "school_year"])))
    elif kind == "grade_and_code":
        broken = base.with_columns(
            pl.when(idx).then(pl.lit("7")).otherwise("grade").alias("grade"),
            pl.when(idx)
            .then(pl.lit("87"))
            .otherwise(pl.col("exception_code").cast(pl.String))
            .alias("exception_code"),
        )
    elif kind == "cpr_pupil_id":
        broken = base.with_columns(
            pl.when(pl.col("pupil_id") == base["pupil_id"][row])
            .then(pl.lit("010203-1234"))
            .otherwise("pupil_id")
            .alias("pupil_id")
        )
    elif kind == "wrong_dtype":
        broken = base.with_columns(pl.lit(value=True).alias("exam"))
    elif kind == "spelling_duplicate":
        # The same registration again, its school year spelled "2017/2018".
        again = base.filter(idx).with_columns(pl.col("school_year").str.replace("/", "/20"))
        broken = pl.concat([base, again])
    elif kind == "pupil_at_two_schools":
        # The pupil's registrations split over two institutions in the same year.
        pupil = base["pupil_id"][row]
        broken = base.with_columns(
            pl.when((pl.col("pupil_id") == pupil) & idx)
            .then(pl.lit("999999"))
            .otherwise("institution_id")
            .alias("institution_id")
        )
        if broken.filter(pl.col("pupil_id") == pupil).height < 2:
            extra = base.filter(idx).with_columns(
                pl.lit("999998").alias("institution_id"),
                pl.lit("dansk_orden").alias("exam"),
                pl.lit("7").alias("grade"),
                pl.lit(None, pl.String).alias("exception_code"),
            )
            broken = pl.concat([broken, extra])
    else:  # pragma: no cover - guarded by BREAKAGES
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    return broken, kind
