"""Properties of the warehouse route: a missing or left-out cell is never 0; shares get
the Wilson interval of a plain-Python reference."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from folkeskolekvalitet.io import MISSING_MARKERS, read_uddannelsesstatistik, to_indicator_table

from . import fixtures as fx
from . import reference_impl as ref

YEARS = ("2021/2022", "2022/2023", "2023/2024")
SCHOOLS = ("730001", "730002", "730003")

share = st.decimals(min_value=0, max_value=1, places=3).map(
    lambda d: ref.write(d, thousands=False, percent=True)
)
cell = st.one_of(
    st.tuples(st.just("value"), share),
    st.tuples(st.just("marker"), st.sampled_from(sorted(MISSING_MARKERS))),
    st.tuples(st.just("left_out"), st.just("")),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(cell, min_size=len(YEARS) * len(SCHOOLS), max_size=len(YEARS) * len(SCHOOLS)),
    st.lists(st.integers(1, 5000), min_size=9, max_size=9),
)
def test_missing_or_left_out_is_never_zero(cells: list[tuple[str, str]], ns: list[int]) -> None:
    plan = {}
    records = []
    for k, (year, school) in enumerate((y, s) for y in YEARS for s in SCHOOLS):
        kind, text = cells[k]
        plan[(year[:5] + year[7:], school)] = (kind, text, ns[k])
        if kind == "left_out":
            continue
        records.append(
            {
                fx.TID_YEAR: year,
                fx.INST: f"Skole ({school})",
                fx.KOMMUNE: "Randers",
                "Over 10 procent": text,
                "Antal elever": f"{ns[k]:,}".replace(",", "."),
            }
        )
    if not records:
        return
    expected = pl.DataFrame(
        {
            "school_year": [y for y in YEARS for _ in SCHOOLS],
            "unit_id": list(SCHOOLS) * len(YEARS),
            "municipality_code": "730",
        }
    )
    frame = read_uddannelsesstatistik(records, cube="ELEVFRAV/FRAVAAR")
    table = to_indicator_table(frame, expected=expected)
    assert table.height == len(plan)
    for row in table.iter_rows(named=True):
        kind, text, n = plan[(row["school_year"], row["unit_id"])]
        if kind == "value":
            assert row["status"] == "ok"
            assert row["value"] == ref.parse(text)
            assert row["n"] == n
            se, lo, hi = ref.wilson(row["value"], n)
            assert row["se"] == pytest.approx(se, abs=1e-12)
            assert row["ci_low"] == pytest.approx(lo, abs=1e-12)
            assert row["ci_high"] == pytest.approx(hi, abs=1e-12)
            assert row["numerator"] is None  # never a count rebuilt from a rounded share
        else:
            assert row["status"] == "not_available"
            assert row["value"] is None
            assert row["n"] is None
            assert row["se"] is None
            assert ("left out" in row["note"]) == (kind == "left_out")


@given(st.decimals(min_value=0, max_value=1, places=4), st.integers(1, 10**6))
def test_share_and_count_as_published(value: Decimal, n: int) -> None:
    text = ref.write(value, thousands=False, percent=True)
    records = [
        {
            fx.YEAR: "2023/2024",
            fx.KOMMUNE: "Randers",
            "Inklusionsgrad": text,
            "Antal elever": ref.write(Decimal(n), thousands=True, percent=False),
        }
    ]
    row = to_indicator_table(read_uddannelsesstatistik(records)).row(0, named=True)
    assert row["value"] == float(value)
    assert row["n"] == n
