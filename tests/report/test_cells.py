"""The report's Danish number texts: examples, properties, and a plain-Python reference."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet.report._cells import cells, format_value
from tests.report._tables import SMALL, hand_table, suppressed_by_hand


def _reference(
    value: float | None, unit: str, decimals: int, *, signed: bool = False
) -> str | None:
    """Plain Python: percent for shares and rates, half up, decimal comma."""
    if value is None:
        return None
    percent = unit in ("share", "rate")
    # The value as printed (10.8265 -> 1082.65 %), not the float product 1082.6499...
    scaled = Decimal(repr(value)) * (100 if percent else 1)
    q = Decimal(1).scaleb(-decimals)
    rounded = scaled.quantize(q, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{rounded:f}".replace(".", ",")
    if signed and rounded > 0:
        text = "+" + text
    return text + "\xa0%" if percent else text


def _fmt(
    values: list[float | None], unit: str, decimals: int, *, signed: bool = False
) -> list[str | None]:
    frame = pl.DataFrame({"v": values, "u": [unit] * len(values), "d": [decimals] * len(values)})
    return (
        frame.select(format_value(pl.col("v"), pl.col("u"), pl.col("d"), signed=signed))
        .to_series()
        .to_list()
    )


def test_examples() -> None:
    # A printed half rounds up after scaling to percent (fuzz: 10.8265 * 100 is 1082.6499...).
    assert _fmt([10.8265], "share", 1) == ["1082,7\xa0%"]
    assert _fmt([7.25, 7.0, None], "grade", 1) == ["7,3", "7,0", None]
    assert _fmt([0.855, 0.0, 1.0], "share", 0) == ["86\xa0%", "0\xa0%", "100\xa0%"]
    assert _fmt([0.0612], "rate", 1) == ["6,1\xa0%"]
    assert _fmt([0.4, -0.4, 0.0], "grade", 1, signed=True) == ["+0,4", "-0,4", "0,0"]


@given(
    st.lists(
        st.floats(min_value=-12, max_value=12, allow_nan=False).map(lambda x: round(x, 4)),
        max_size=20,
    ),
    st.sampled_from(["grade", "score", "share", "rate"]),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
def test_matches_the_reference(values: list[float], unit: str, decimals: int, signed: bool) -> None:
    got = _fmt(list(values), unit, decimals, signed=signed)
    assert got == [_reference(v, unit, decimals, signed=signed) for v in values]


def test_cells_show_symbols_and_marks() -> None:
    table = suppressed_by_hand(
        hand_table().filter(~pl.col("indicator").str.starts_with("national_tests."))
    )
    keys = [
        "school_year",
        "unit_level",
        "unit_id",
        "indicator",
        "subject",
        "grade_level",
        "category",
    ]
    change = table.select(
        *keys,
        pl.lit(0.3).alias("difference"),
        (pl.col("unit_id") == "151001").alias("significant"),
    )
    compare = pl.concat(
        [
            table.filter(pl.col("unit_level") == "school").select(
                *keys,
                pl.lit(-0.5).alias("difference"),
                pl.lit(value=True).alias("significant"),
                pl.lit("municipality").alias("against"),
            ),
        ]
    )
    out = cells(table, change, compare)
    small = out.filter(pl.col("unit_id") == SMALL)
    assert set(small["value_text"].to_list()) == {".."}
    assert small["ci_text"].null_count() == small.height
    marked = out.filter(pl.col("unit_id") == "151001", pl.col("indicator") == "exams.grade_average")
    assert marked["change_text"].to_list() == ["+0,3"] * marked.height
    assert marked["vs_municipality"].to_list() == [-1] * marked.height
    assert (
        out.filter(pl.col("unit_id") == "151002")["change_text"].null_count()
        == out.filter(pl.col("unit_id") == "151002").height
    )
    assert out.filter(pl.col("unit_level") == "municipality")["vs_municipality"].null_count() > 0
