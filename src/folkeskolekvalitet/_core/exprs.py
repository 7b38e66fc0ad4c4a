"""Small expression helpers shared by every family.

- :func:`as_expr`: a column name or an expression, as an expression (the
  argument convention of every public ``pl.Expr`` rule);
- :func:`lookup`: a column mapped through a Python function of each of its
  distinct values (an exact ``replace_strict``), the way validated input is
  typed without parsing text on every row;
- :func:`divided_by`: a column divided by a number, correctly rounded (as Python
  divides; Polars multiplies by the reciprocal);
- :data:`PUPIL_KEY`: the pupil of a school year at an institution;
- :func:`looks_like_cpr_id` / :func:`shown_id`: how an id is shown in a
  message (never a CPR-like value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

__all__ = [
    "CPR_ID_TEXT",
    "PUPIL_KEY",
    "as_expr",
    "divided_by",
    "looks_like_cpr_id",
    "lookup",
    "shown_id",
]

#: The pupil: a pupil belongs to one institution in one school year.
PUPIL_KEY: tuple[str, str, str] = ("school_year", "institution_id", "pupil_id")

#: A whole value shaped like a CPR number (``DDMMYY-SSSS``, ``DDMMYYSSSS``), whatever its
#: date: hidden in every error message.
CPR_ID_TEXT = re.compile(r"\s*\d{6}[-\s]?\d{4}\s*")


def as_expr(column: str | pl.Expr) -> pl.Expr:
    """A column name as ``pl.col(name)``; an expression as it is.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.exprs import as_expr
    >>> pl.DataFrame({"a": [1, 2]}).select(as_expr("a") + as_expr(pl.lit(1))).to_series().to_list()
    [2, 3]
    """
    return pl.col(column) if isinstance(column, str) else column


def divided_by(numerator: str | pl.Expr, denominator: float | pl.Expr) -> pl.Expr:
    """``numerator / denominator`` as Float64, correctly rounded, as Python divides.

    Polars divides by a single value (a number, a literal, or a column that holds one
    value internally, such as one set with ``pl.lit``) as a multiplication by its
    reciprocal, which is one bit off for some values: ``35 / 100`` gives
    ``0.35000000000000003``, and an "at most 35 %" goal is then not met. Here the
    denominator is spelled out as one value per row of the numerator
    (``numerator * 0 + denominator``), which Polars divides exactly; where the numerator
    is not finite or the denominator is zero the result is the same either way.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.exprs import divided_by
    >>> df = pl.DataFrame({"percent": [35.0, 7.0, 70.0]})
    >>> df.select(divided_by("percent", 100))["percent"].to_list()
    [0.35, 0.07, 0.7]
    >>> tens = df.with_columns(d=pl.lit(10.0))  # one value internally
    >>> tens.select(divided_by("percent", pl.col("d")))["percent"].to_list()
    [3.5, 0.7, 7.0]
    """
    x = as_expr(numerator).cast(pl.Float64)
    d = (
        denominator.cast(pl.Float64)
        if isinstance(denominator, pl.Expr)
        else pl.lit(float(denominator), dtype=pl.Float64)
    )
    # not for a zero: Polars adds a zero as nothing (``x * 0.0 + 0.0`` is -0.0 for a
    # negative x), and its reciprocal is exact anyway
    return x / pl.when(x.is_finite() & (d != 0.0)).then(x * 0.0 + d).otherwise(d)


def lookup(
    column: str | pl.Expr,
    seen: Iterable[Any],
    convert: Callable[[Any], object],
    dtype: pl.DataType | type[pl.DataType],
) -> pl.Expr:
    """``column`` mapped through ``convert`` of each of its distinct values ``seen``.

    The values must all be known (validation collected them): a value outside
    ``seen`` is an error when the expression runs, never a silent null. Nulls
    stay null.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.exprs import lookup
    >>> df = pl.DataFrame({"g": [" 2", "02", None]})
    >>> df.select(lookup("g", [" 2", "02"], lambda v: int(v), pl.Int8)).to_series().to_list()
    [2, 2, None]
    """
    mapping = {value: convert(value) for value in seen if value is not None}
    if not mapping:
        return pl.lit(None, dtype=dtype)
    identity = all(type(k) is type(v) and k == v for k, v in mapping.items())
    if isinstance(dtype, pl.Enum):
        # A value that is no category would fail only when the plan runs: refuse it here,
        # so a caller can fall back to its parser (which reports or handles it).
        categories = set(dtype.categories.to_list())
        outside = [v for v in mapping.values() if v is not None and v not in categories]
        if outside:
            msg = f"not a category of the Enum: {outside[:3]!r}"
            raise ValueError(msg)
    if identity:
        # Every value is already what it stands for: a cast, not a hash lookup per row.
        return as_expr(column).cast(dtype)
    return as_expr(column).replace_strict(mapping, return_dtype=dtype)


def looks_like_cpr_id(value: object) -> bool:
    """Whether a whole value is shaped like a CPR number (so it must never be shown).

    Examples
    --------
    >>> from folkeskolekvalitet._core.exprs import looks_like_cpr_id
    >>> looks_like_cpr_id("010203-1234"), looks_like_cpr_id("p17")
    (True, False)
    """
    return CPR_ID_TEXT.fullmatch(str(value)) is not None


def shown_id(value: object) -> str:
    """An id for an error message: its ``repr``, or a placeholder when it looks like a CPR number.

    Examples
    --------
    >>> from folkeskolekvalitet._core.exprs import shown_id
    >>> shown_id("p1"), shown_id("0102031234")
    ("'p1'", '<hidden: looks like a CPR number>')
    """
    return "<hidden: looks like a CPR number>" if looks_like_cpr_id(value) else repr(value)
