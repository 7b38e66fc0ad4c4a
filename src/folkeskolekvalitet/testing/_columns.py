"""Column specifications shared by the strategies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column

__all__ = ["sampled_column"]


def sampled_column(
    name: str, dtype: pl.DataType | type[pl.DataType], values: Sequence[Any]
) -> column:
    """A non-null :func:`polars.testing.parametric.column` drawn from ``values``, explicit dtype."""
    return column(name, dtype=dtype, strategy=st.sampled_from(values), allow_null=False)
