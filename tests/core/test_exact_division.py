"""Division as Python divides: Polars divides by a single value through its reciprocal.

``column / 100`` is ``column * 0.01`` in Polars, one bit off for some values
(``35 / 100`` gives 0.35000000000000003), and so is a division by a column that holds one
value internally (set with ``pl.lit``). ``_core.exprs.divided_by`` divides exactly; these
tests hold the rules that publish a quotient to it.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet._core.aggregate import safe_share
from folkeskolekvalitet._core.exprs import divided_by
from folkeskolekvalitet._core.verdicts import trajectory_target

ENGINES = ["in-memory", "streaming"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_number(engine: str) -> None:
    lf = pl.LazyFrame({"p": [35.0, 7.0, 70.0, 41.0]})
    out = lf.select(divided_by("p", 100)).collect(engine=engine)  # type: ignore[call-overload]
    assert out["p"].to_list() == [0.35, 0.07, 0.7, 0.41]
    with_null = pl.LazyFrame({"p": [35.0, None]}).select(divided_by("p", 10))
    assert with_null.collect(engine=engine)["p"].to_list() == [3.5, None]  # type: ignore[call-overload]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_column_of_one_value(engine: str) -> None:
    # a column set with pl.lit is one value internally: Polars divides by it as by a number
    frame = pl.DataFrame({"p": [35.0, 41.0, 7.0]}).with_columns(d=pl.lit(100.0))
    out = frame.lazy().select(divided_by("p", pl.col("d"))).collect(engine=engine)  # type: ignore[call-overload]
    assert out["p"].to_list() == [0.35, 0.41, 0.07]
    shares = frame.lazy().select(safe_share(pl.col("p"), pl.col("d")).alias("s"))
    assert shares.collect(engine=engine)["s"].to_list() == [0.35, 0.41, 0.07]  # type: ignore[call-overload]


def test_values_that_are_not_finite() -> None:
    frame = pl.DataFrame({"p": [float("inf"), float("-inf"), float("nan"), -0.0, None]})
    out = frame.select(divided_by("p", 4))["p"].to_list()
    assert out[:2] == [float("inf"), float("-inf")]
    assert out[2] != out[2]  # NaN
    assert str(out[3]) == "-0.0"
    assert out[4] is None


def test_a_zero_denominator_keeps_its_sign() -> None:
    # as Polars (and IEEE 754) divide by a zero: the signs of both give the infinity's
    frame = pl.DataFrame({"x": [1.0, -1.0, 0.0]})
    for zero in (0.0, -0.0):
        got = frame.select(divided_by("x", zero))["x"].to_list()
        assert got[:2] == frame.select(pl.col("x") / zero)["x"].to_list()[:2], zero
        assert got[2] != got[2]  # 0 / 0 is NaN
    assert frame.select(divided_by("x", -0.0))["x"].to_list()[:2] == [float("-inf"), float("inf")]
    rows = pl.DataFrame({"x": [-1.0, -1.0, -35.0], "d": [0.0, -0.0, 100.0]})
    assert rows.select(divided_by("x", pl.col("d")))["x"].to_list() == [
        float("-inf"),
        float("inf"),
        -0.35,
    ]


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=20),
    st.integers(1, 1000) | st.floats(0.001, 1e4),
)
def test_equals_python(values: list[float], denominator: float) -> None:
    frame = pl.DataFrame({"x": values}, schema={"x": pl.Float64})
    expected = [v / denominator for v in values]
    assert frame.select(divided_by("x", denominator))["x"].to_list() == expected
    assert (
        frame.with_columns(d=pl.lit(float(denominator)))
        .select(divided_by("x", pl.col("d")))["x"]
        .to_list()
        == expected
    )


def test_trajectory_target_with_a_year_of_one_value() -> None:
    # a school year set with pl.lit: the span was one value and divided through its
    # reciprocal (0.6000000000000001 where Python gives 0.6)
    frame = pl.DataFrame({"b": [0.0] * 3, "f": [1.0] * 3}).with_columns(
        year=pl.lit(2013, dtype=pl.Int32)
    )
    out = frame.select(
        trajectory_target(
            pl.col("b"),
            pl.col("f"),
            pl.col("year"),
            pl.lit(2010, dtype=pl.Int32),
            pl.lit(2015, dtype=pl.Int32),
        )
    )
    assert out.to_series().to_list() == [0.6] * 3


def test_a_pupils_absence_with_school_days_of_one_value() -> None:
    from folkeskolekvalitet.absence import pupil_absence

    records = pl.DataFrame(
        {
            "school_year": ["2019/20"] * 3,
            "institution_id": ["101001"] * 3,
            "pupil_id": ["p1", "p2", "p3"],
            "sick_days": [47, 7, 41],
            "authorised_days": [0, 0, 0],
            "unauthorised_days": [0, 0, 0],
        }
    ).with_columns(school_days=pl.lit(200))
    out = pupil_absence(records).sort("pupil_id")
    assert out["frac_total"].to_list() == [47 / 200, 7 / 200, 41 / 200]
