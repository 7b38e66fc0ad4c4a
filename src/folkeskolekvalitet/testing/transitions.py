"""Hypothesis strategies for frames of leavers of 9. klasse (valid and broken).

One row per leaver, drawn with :func:`polars.testing.parametric.dataframes`
(explicit dtypes, no nulls); pupil ids come from the row number, so every key
is unique by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year
from folkeskolekvalitet.testing._columns import sampled_column
from folkeskolekvalitet.transitions.catalogue import (
    APPLICATION_ENUM,
    APPLICATIONS,
    STATUS_ENUM,
    STATUSES,
)

__all__ = ["TRANSITION_BREAKAGES", "broken_transition_frames", "transition_frames"]


@st.composite
def transition_frames(
    draw: st.DrawFn,
    *,
    cohorts: Sequence[str] = ("2021/22", "2022/23"),
    institutions: Sequence[str] = ("151001", "151002", "151003"),
    min_pupils: int = 0,
    max_pupils: int = 40,
    as_enum: bool = True,
) -> pl.DataFrame:
    """Draw valid leavers of 9. klasse.

    Columns: ``cohort``, ``institution_id``, ``pupil_id``, ``application``,
    ``status_3m``, ``status_15m``.

    Parameters
    ----------
    cohorts
        Leaving school years to draw from.
    institutions
        Institution ids to draw from.
    min_pupils, max_pupils
        Number of leavers.
    as_enum
        Codes as Polars Enums (as the synthetic data) or as plain strings.

    Examples
    --------
    >>> from hypothesis import given
    >>> from folkeskolekvalitet.testing.transitions import transition_frames
    >>> @given(transition_frames(max_pupils=5))
    ... def test_columns(df):
    ...     assert df.columns[:3] == ["cohort", "institution_id", "pupil_id"]
    >>> test_columns()
    """
    years = [normalise_school_year(y) for y in cohorts]
    status_keys = [s.key for s in STATUSES]
    app_keys = [a.key for a in APPLICATIONS]
    df = draw(
        dataframes(
            [
                sampled_column("cohort", pl.String, years),
                sampled_column("institution_id", pl.String, list(institutions)),
                sampled_column("application", pl.String, app_keys),
                sampled_column("status_3m", pl.String, status_keys),
                sampled_column("status_15m", pl.String, status_keys),
            ],
            min_size=min_pupils,
            max_size=max_pupils,
            allow_chunks=True,
        )
    )
    assert isinstance(df, pl.DataFrame)
    df = df.with_row_index("_i").select(
        "cohort",
        "institution_id",
        pl.format("l{}", pl.col("_i")).alias("pupil_id"),
        "application",
        "status_3m",
        "status_15m",
    )
    if as_enum:
        df = df.with_columns(
            pl.col("application").cast(APPLICATION_ENUM),
            pl.col("status_3m", "status_15m").cast(STATUS_ENUM),
        )
    return df


#: The kinds of breakage :func:`broken_transition_frames` can introduce.
TRANSITION_BREAKAGES = (
    "unknown_status",
    "unknown_application",
    "null_value",
    "bad_cohort",
    "duplicate_row",
    "missing_column",
    "cpr_pupil_id",
    "wrong_dtype",
)


@st.composite
def broken_transition_frames(
    draw: st.DrawFn, *, breakages: Sequence[str] = TRANSITION_BREAKAGES
) -> tuple[pl.DataFrame, str]:
    """Return a valid leavers frame (codes as strings) with one kind of breakage.

    The result is ``(frame, breakage)``.

    Every breakage must make :func:`~folkeskolekvalitet.transitions.status_shares`
    (3 months) and :func:`~folkeskolekvalitet.transitions.application_shares`
    raise :class:`~folkeskolekvalitet.DataError`, except that a broken status
    only concerns the status rules and a broken application only the
    application rules.

    Examples
    --------
    >>> from hypothesis import given
    >>> from folkeskolekvalitet.testing.transitions import broken_transition_frames
    >>> @given(broken_transition_frames(breakages=["bad_cohort"]))
    ... def test_kind(case):
    ...     assert case[1] == "bad_cohort"
    >>> test_kind()
    """
    base = draw(transition_frames(min_pupils=1, max_pupils=8, as_enum=False))
    kind = draw(st.sampled_from(list(breakages)))
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row

    def put(name: str, value: object) -> pl.DataFrame:
        return base.with_columns(
            pl.when(idx).then(pl.lit(value)).otherwise(pl.col(name)).alias(name)
        )

    if kind == "unknown_status":
        broken = put("status_3m", draw(st.sampled_from(["10. klasse", "stx", "Gymnasial", ""])))
    elif kind == "unknown_application":
        broken = put("application", draw(st.sampled_from(["øvrigt", "eud", "10"])))
    elif kind == "null_value":
        name = draw(st.sampled_from(["status_3m", "application", "pupil_id", "cohort"]))
        broken = base.with_columns(pl.when(idx).then(None).otherwise(pl.col(name)).alias(name))
    elif kind == "bad_cohort":
        broken = put("cohort", draw(st.sampled_from(["2022", "2021/23", "22/23"])))
    elif kind == "duplicate_row":
        broken = pl.concat([base, base.filter(idx)])
    elif kind == "missing_column":
        broken = base.drop(draw(st.sampled_from(["pupil_id", "cohort", "institution_id"])))
    elif kind == "cpr_pupil_id":
        broken = put("pupil_id", "3112851234")
    elif kind == "wrong_dtype":
        broken = base.with_columns(pl.lit(1.5).alias("status_3m"), pl.lit(2.5).alias("application"))
    else:  # pragma: no cover - guarded by TRANSITION_BREAKAGES
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    return broken, kind
