"""Danish number text: ``"14,4 %"``, ``"2.351"``, ``"7,3"`` and the markers of a missing cell.

uddannelsesstatistik.dk sends every value as text formatted the Danish way: a decimal
comma, ``.`` as thousands separator and a percent sign after a space. Its CSV downloads
do the same. Cells the warehouse cannot fill carry a marker (``"<fejl>"``) or are empty;
public clients also treat ``"-"``, ``".."``, ``"*"`` and ``"x"`` as missing. A missing
cell is never 0: :func:`parse_danish_number` gives null and :func:`missing_reason` says
why.

Sources
-------
- Number format and ``"<fejl>"``: responses of the warehouse API as used by public clients
  (https://github.com/CecilieHermansen3/Uddannelsesstatistik, src/fetch_trivsel_fravaer.py).
- Missing markers: DST's ``..`` (https://dst.dk/en/Statistik/brug-statistikken/muligheder-i-statistikbanken/api);
  ``*``, ``x``, ``-`` as used by the Nordic statistics offices and clients of the warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

__all__ = ["MISSING_MARKERS", "missing_reason", "parse_danish_number"]

#: Cell texts that mean "no value", with the reason recorded in the indicator table.
MISSING_MARKERS: Mapping[str, str] = MappingProxyType(
    {
        "": "empty cell",
        "<fejl>": "error member '<fejl>' in the warehouse",
        "-": "not published ('-')",
        "..": "not available ('..')",
        "*": "hidden ('*')",
        "x": "unavailable ('x')",
    }
)

# sign, integer part (plain digits or groups of three after '.' or a space), decimals, %
_NUMBER = r"^([-+]?)(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(\d+))?\s*(%?)$"


def _clean(expr: pl.Expr) -> pl.Expr:
    """Text with non-breaking spaces as spaces, the minus sign as '-', trimmed."""
    return (
        expr.cast(pl.String)
        .str.replace_all("[\u00a0\u202f\u2009]", " ")
        .str.replace_all("\u2212", "-")
        .str.strip_chars()
    )


def parse_danish_number(expr: str | pl.Expr) -> pl.Expr:
    """Parse numbers written the Danish way into Float64; null where the text is no number.

    ``"7,3"`` is 7.3, ``"2.351"`` is 2351 (``.`` separates thousands), ``"14,4 %"`` is
    the fraction 0.144 (a percentage becomes a share in [0, 1]); ``"-1,2"`` and
    ``"−1,2"`` (minus sign) are -1.2. The value is the float nearest to the written
    decimal (a percentage is shifted in the text, not divided, so ``"14,4 %"`` reads as
    exactly ``0.144``). Missing markers (:data:`MISSING_MARKERS`) and text that is not a
    Danish number (``"7.3"``, ``"abc"``) give null; use :func:`missing_reason` to tell
    them apart. Numeric columns pass through as Float64.

    Parameters
    ----------
    expr
        Column name or expression with the text.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.io import parse_danish_number
    >>> s = pl.Series(["14,4 %", "2.351", "7,3", "−1,2", "<fejl>", "7.3"])
    >>> pl.select(parse_danish_number(pl.lit(s))).to_series().to_list()
    [0.144, 2351.0, 7.3, -1.2, None, None]
    """
    e = pl.col(expr) if isinstance(expr, str) else expr
    text = _clean(e)
    sign = text.str.extract(_NUMBER, 1)
    whole = text.str.extract(_NUMBER, 2).str.replace_all(r"[. ]", "")
    frac = text.str.extract(_NUMBER, 3).fill_null("0")
    percent = text.str.extract(_NUMBER, 4) == "%"
    exponent = pl.when(percent).then(pl.lit("e-2")).otherwise(pl.lit(""))
    number = pl.concat_str([sign, whole, pl.lit("."), frac, exponent]).cast(
        pl.Float64, strict=False
    )
    return number.alias("value")


def _parse_any(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Float64 of a column: numbers as they are, text parsed the Danish way."""
    if dtype.is_numeric():
        return expr.cast(pl.Float64)
    return parse_danish_number(expr)


def missing_reason(expr: str | pl.Expr) -> pl.Expr:
    """Why a cell holds no number: the marker's reason, ``"empty cell"``, or null.

    Null for a cell with a value, and for text that is neither a number nor a marker
    (a label such as ``"Bedre end forventet"``, or a malformed number the readers report).
    Markers are matched after trimming and case-insensitively (``"X"`` is ``"x"``).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.io import missing_reason
    >>> s = pl.Series(["<fejl>", "", "..", "7,3", None])
    >>> for reason in pl.select(missing_reason(pl.lit(s))).to_series():
    ...     print(reason)
    error member '<fejl>' in the warehouse
    empty cell
    not available ('..')
    None
    empty cell
    """
    e = pl.col(expr) if isinstance(expr, str) else expr
    text = _clean(e).str.to_lowercase()
    return (
        text.replace_strict(dict(MISSING_MARKERS), default=None, return_dtype=pl.String)
        .fill_null(pl.when(text.is_null()).then(pl.lit("empty cell")))
        .alias("missing")
    )
