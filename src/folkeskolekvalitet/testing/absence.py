"""Hypothesis strategies for absence-record frames (valid and broken).

The valid strategy draws rows with :func:`polars.testing.parametric.dataframes`
(explicit dtypes, no nulls, no NaN), makes the school days at least the days
absent, and keeps the first row of each key, so that pupils can have several
quarters and several schools while every key stays unique.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.testing._columns import sampled_column

__all__ = ["ABSENCE_BREAKAGES", "absence_frames", "broken_absence_frames"]

_DAYS = ("sick_days", "authorised_days", "unauthorised_days")


@st.composite
def absence_frames(
    draw: st.DrawFn,
    *,
    school_years: Sequence[str] = ("2018/19", "2019/20"),
    institutions: Sequence[str] = ("151001", "151002"),
    n_pupil_ids: int = 12,
    quarterly: bool = False,
    min_rows: int = 0,
    max_rows: int = 30,
) -> pl.DataFrame:
    """Draw valid absence records.

    Columns: ``school_year``, (``quarter``,) ``institution_id``, ``pupil_id``,
    ``grade_level``, ``school_days``, ``sick_days``, ``authorised_days``,
    ``unauthorised_days``, ``months_registered``.

    Parameters
    ----------
    school_years
        School years to draw from.
    institutions
        Institution ids to draw from.
    n_pupil_ids
        Pupil ids are drawn from ``p0`` ... ``p{n-1}``; a pupil can appear in
        several quarters and at several schools (each key stays unique).
    quarterly
        Draw records per calendar quarter (0-3 months, up to 60 school days)
        instead of per school year (0-12 months, up to 210 school days).
    min_rows, max_rows
        Rows drawn before duplicate keys are dropped.

    Examples
    --------
    >>> from hypothesis import given
    >>> from folkeskolekvalitet.testing.absence import absence_frames
    >>> @given(absence_frames(max_rows=5, quarterly=True))
    ... def test_columns(df):
    ...     assert df.columns[:2] == ["school_year", "quarter"]
    >>> test_columns()
    """
    years = [normalise_school_year(y) for y in school_years]
    max_days, max_months = (60, 3) if quarterly else (210, 12)
    day_max = {
        "sick_days": max_days // 3,
        "authorised_days": max_days // 6,
        "unauthorised_days": max_days // 4,
    }
    cols = [
        sampled_column("school_year", pl.String, years),
        *(
            [column("quarter", dtype=pl.Int8, strategy=st.integers(1, 4), allow_null=False)]
            if quarterly
            else []
        ),
        sampled_column("institution_id", pl.String, list(institutions)),
        sampled_column("pupil_id", pl.String, [f"p{i}" for i in range(n_pupil_ids)]),
        column("grade_level", dtype=pl.Int8, strategy=st.integers(0, 9), allow_null=False),
        column("school_days", dtype=pl.Int32, strategy=st.integers(0, max_days), allow_null=False),
        *[
            column(name, dtype=pl.Int32, strategy=st.integers(0, top), allow_null=False)
            for name, top in day_max.items()
        ],
        column(
            "months_registered",
            dtype=pl.Int8,
            strategy=st.integers(0, max_months),
            allow_null=False,
        ),
    ]
    df = draw(dataframes(cols, min_size=min_rows, max_size=max_rows, allow_chunks=True))
    assert isinstance(df, pl.DataFrame)
    key = ["school_year", *(["quarter"] if quarterly else []), "institution_id", "pupil_id"]
    absent = pl.sum_horizontal(_DAYS)
    return df.unique(subset=key, keep="first", maintain_order=True).with_columns(
        pl.max_horizontal("school_days", absent).cast(pl.Int32).alias("school_days")
    )


#: The kinds of breakage :func:`broken_absence_frames` can introduce.
ABSENCE_BREAKAGES = (
    "negative_days",
    "days_exceed_school_days",
    "quarter_out_of_range",
    "months_out_of_range",
    "nan_days",
    "null_value",
    "duplicate_row",
    "missing_column",
    "bad_school_year",
    "cpr_pupil_id",
    "wrong_dtype",
)


@st.composite
def broken_absence_frames(  # noqa: PLR0912 - one branch per breakage kind
    draw: st.DrawFn, *, breakages: Sequence[str] = ABSENCE_BREAKAGES
) -> tuple[pl.DataFrame, str]:
    """A valid quarterly absence frame with one kind of breakage; returns ``(frame, breakage)``.

    Every breakage must make the absence functions raise
    :class:`~folkeskolekvalitet.DataError`.

    Examples
    --------
    >>> from hypothesis import given
    >>> from folkeskolekvalitet.testing.absence import broken_absence_frames
    >>> @given(broken_absence_frames(breakages=["negative_days"]))
    ... def test_kind(case):
    ...     assert case[1] == "negative_days"
    >>> test_kind()
    """
    base = draw(absence_frames(quarterly=True, min_rows=1, max_rows=8))
    base = base.with_columns(pl.col("sick_days").cast(pl.Float64))
    kind = draw(st.sampled_from(list(breakages)))
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row

    def put(name: str, value: object) -> pl.DataFrame:
        return base.with_columns(
            pl.when(idx).then(pl.lit(value)).otherwise(pl.col(name)).alias(name)
        )

    if kind == "negative_days":
        broken = put(
            draw(st.sampled_from(["sick_days", "authorised_days", "unauthorised_days"])), -1
        )
    elif kind == "days_exceed_school_days":
        broken = base.with_columns(
            pl.when(idx)
            .then(pl.col("school_days") + 1)
            .otherwise(pl.col("sick_days"))
            .cast(pl.Float64)
            .alias("sick_days")
        )
    elif kind == "quarter_out_of_range":
        broken = put("quarter", draw(st.sampled_from([0, 5, -1, 13])))
    elif kind == "months_out_of_range":
        broken = put("months_registered", draw(st.sampled_from([4, 13, -1])))
    elif kind == "nan_days":
        broken = put("sick_days", float("nan"))
    elif kind == "null_value":
        name = draw(st.sampled_from(["school_days", "unauthorised_days", "pupil_id", "quarter"]))
        broken = base.with_columns(pl.when(idx).then(None).otherwise(pl.col(name)).alias(name))
    elif kind == "duplicate_row":
        broken = pl.concat([base, base.filter(idx)])
    elif kind == "missing_column":
        name = draw(st.sampled_from(["pupil_id", "school_days", "unauthorised_days", "quarter"]))
        if name == "quarter":
            # without the quarter a pupil's quarters would be a duplicate key, a second
            # breakage: keep one row per pupil and year
            key = ["school_year", "institution_id", "pupil_id"]
            base = base.unique(subset=key, keep="first", maintain_order=True)
        broken = base.drop(name)
    elif kind == "bad_school_year":
        broken = put("school_year", "2018/20")
    elif kind == "cpr_pupil_id":
        broken = base.with_columns(
            pl.when(pl.col("pupil_id") == base["pupil_id"][row])
            .then(pl.lit("010203-1234"))
            .otherwise("pupil_id")
            .alias("pupil_id")
        )
    elif kind == "wrong_dtype":
        broken = base.with_columns(pl.col("school_days").cast(pl.String))
    else:  # pragma: no cover - guarded by ABSENCE_BREAKAGES
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    return broken, kind
