"""The trajectory target of ``_core.verdicts``: exact, and the same however many rows."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet._core.verdicts import trajectory_target

values = st.floats(0, 1, allow_nan=False)


def _python(baseline: float, final: float, year: int, start: int, deadline: int) -> float | None:
    """The plain-Python reference: the straight line from the baseline to the target."""
    if year < start:
        return None
    if year >= deadline:
        return final
    return baseline + (final - baseline) * (year - start) / (deadline - start)


def _targets(frame: pl.DataFrame, start: int, deadline: int) -> list[float | None]:
    return (
        frame.select(
            trajectory_target(
                pl.col("baseline"),
                pl.col("final"),
                pl.col("year"),
                pl.lit(start, dtype=pl.Int32),
                pl.lit(deadline, dtype=pl.Int32),
            )
        )
        .to_series()
        .to_list()
    )


def test_one_row_and_many_rows_agree_bit_for_bit() -> None:
    # Polars divides a column by a literal as a multiplication by its reciprocal: the
    # target three fifths of the way from 0 to 1 was 0.6000000000000001 in a frame of
    # several rows and 0.6 in a frame of one (and in Python).
    rows = pl.DataFrame(
        {
            "baseline": [0.0] * 4,
            "final": [1.0] * 4,
            "year": pl.Series([2011, 2012, 2013, 2014], dtype=pl.Int32),
        }
    )
    many = _targets(rows, 2010, 2015)
    one = [_targets(rows.slice(i, 1), 2010, 2015)[0] for i in range(rows.height)]
    assert many == one == [0.2, 0.4, 0.6, 0.8]


@given(
    st.lists(st.tuples(values, values, st.integers(2010, 2030)), min_size=1, max_size=8),
    st.integers(2010, 2020),
    st.integers(1, 10),
)
def test_targets_equal_python_whatever_the_number_of_rows(
    rows: list[tuple[float, float, int]], start: int, span: int
) -> None:
    frame = pl.DataFrame(
        rows, schema={"baseline": pl.Float64, "final": pl.Float64, "year": pl.Int32}, orient="row"
    )
    expected = [_python(b, f, y, start, start + span) for b, f, y in rows]
    assert _targets(frame, start, start + span) == expected
    assert [
        _targets(frame.slice(i, 1), start, start + span)[0] for i in range(len(rows))
    ] == expected
