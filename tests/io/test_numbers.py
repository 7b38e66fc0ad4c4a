"""Danish number text: examples, properties, and a differential test against plain Python."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet.io import MISSING_MARKERS, missing_reason, parse_danish_number

from . import reference_impl as ref


def parse(values: list[str | None]) -> list[float | None]:
    return (
        pl.select(parse_danish_number(pl.lit(pl.Series(values, dtype=pl.String))))
        .to_series()
        .to_list()
    )


def reasons(values: list[str | None]) -> list[str | None]:
    return (
        pl.select(missing_reason(pl.lit(pl.Series(values, dtype=pl.String)))).to_series().to_list()
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14,4 %", 0.144),
        ("14,4%", 0.144),
        ("2.351", 2351.0),
        ("7,3", 7.3),
        ("-1,2", -1.2),
        ("\u22121,2", -1.2),
        ("1.234.567,89", 1234567.89),
        ("2\u00a0351", 2351.0),
        ("100 %", 1.0),
        ("0", 0.0),
        (" 12 ", 12.0),
    ],
)
def test_examples(text: str, value: float) -> None:
    assert parse([text]) == [value]


@pytest.mark.parametrize("text", ["7.3", "2.35", "1,2,3", "abc", "12 34", "%", ",5", "1.2345"])
def test_malformed_numbers_are_null_and_not_a_marker(text: str) -> None:
    assert parse([text]) == [None]
    assert reasons([text]) == [None]


def test_every_marker_is_missing_with_its_reason() -> None:
    texts = [*MISSING_MARKERS, "X", " <fejl> ", None]
    assert parse(texts) == [None] * len(texts)
    assert all(r is not None for r in reasons(texts))


def test_numeric_columns_pass_through() -> None:
    out = pl.DataFrame({"a": [1, 2]}).select(parse_danish_number("a"))
    assert out["value"].dtype == pl.Float64


decimals = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, places=3
)


@given(decimals, st.booleans(), st.booleans())
def test_danish_numbers_read_back_exactly(number: Decimal, thousands: bool, percent: bool) -> None:
    text = ref.write(number, thousands=thousands, percent=percent)
    assert parse([text]) == [float(number)]


@given(st.sampled_from(sorted(MISSING_MARKERS)), st.sampled_from(["", " ", "\u00a0"]))
def test_a_missing_cell_is_never_zero(marker: str, pad: str) -> None:
    text = pad + marker + pad
    assert parse([text]) == [None]
    assert reasons([text])[0] is not None


cells = st.one_of(
    st.none(),
    st.text(alphabet="0123456789.,% -x*<>fejl\u00a0\u2212", max_size=14),
    st.builds(
        ref.write,
        decimals,
        thousands=st.booleans(),
        percent=st.booleans(),
    ),
)


@given(st.lists(cells, max_size=30))
def test_differential_against_plain_python(texts: list[str | None]) -> None:
    got = parse(texts)
    want = [ref.parse(t) for t in texts]
    assert got == want
    # a value and a reason never together; a marker never reads as a number
    for value, reason in zip(got, reasons(texts), strict=True):
        assert value is None or reason is None
