"""The privacy guard: pupil ids must be pseudonymous, never CPR numbers.

A Danish CPR number (personnummer) is ten digits, ``DDMMYY-SSSS``, whose first
six digits are a valid date. Modern CPR numbers no longer satisfy the old
modulus-11 check, so the guard does not rely on it: any ten-digit id (with or
without the dash) whose first six digits form a valid date is refused, unless
the caller explicitly allows it (``allow_cpr=True``), e.g. inside a secure
research environment.
"""

from __future__ import annotations

import re

import polars as pl

__all__ = ["CPR_RULE", "HIDDEN_CPR", "hide_cpr", "looks_like_cpr"]

#: What a CPR-like piece of text is replaced with in every message.
HIDDEN_CPR = "<hidden: looks like a CPR number>"

# Ten digits (DDMMYY-SSSS, with or without a dash or space) not inside a longer number.
_CPR_TEXT = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")

#: The explanation a refused pupil id gets.
CPR_RULE = (
    "looks like a CPR number (10 digits, DDMMYY-SSSS with a valid date); pupil ids must "
    "be pseudonymous - replace them with a pseudonym, or pass allow_cpr=True if you "
    "are allowed to process CPR numbers"
)


def hide_cpr(text: str) -> str:
    """Return ``text`` with every CPR-shaped number replaced by a placeholder.

    Every message the library builds (:class:`~folkeskolekvalitet.DataError`,
    :class:`~folkeskolekvalitet.Problem`) passes through this function, so no
    message can echo a CPR number, whatever column or path it came from. Any
    ten digits shaped ``DDMMYY-SSSS`` are hidden, valid date or not: a message is
    no place to decide.

    Examples
    --------
    >>> from folkeskolekvalitet._core.privacy import hide_cpr
    >>> hide_cpr("unknown codes 0101901234 and 010190-1234; 151 is fine")  # doctest: +ELLIPSIS
    'unknown codes <hidden: looks like a CPR number> and <hidden: ...>; 151 is fine'
    """
    return _CPR_TEXT.sub(HIDDEN_CPR, text)


def looks_like_cpr(column: str | pl.Expr, *, zero_pad: bool = False) -> pl.Expr:
    """Boolean expression: whether the value looks like a Danish CPR number.

    With ``zero_pad=True`` (used for integer columns) a nine-digit value is
    zero-padded first, since a CPR number stored as an integer loses its leading
    zero. 29 February counts as valid when the
    two-digit year is divisible by four (it is a leap year in one of the two
    centuries it may belong to).

    Examples
    --------
    >>> from folkeskolekvalitet import looks_like_cpr
    >>> import polars as pl
    >>> ids = pl.Series(["010190-1234", "0101901234", "320190-1234", "P00017", "2902011234"])
    >>> pl.select(looks_like_cpr(pl.lit(ids))).to_series().to_list()
    [True, True, False, False, False]
    >>> pl.select(looks_like_cpr(pl.lit(101901234), zero_pad=True)).item()
    True
    """
    expr = pl.col(column) if isinstance(column, str) else column
    text = expr.cast(pl.String)
    text = text.str.zfill(10) if zero_pad else text.str.strip_chars()
    # DDMMYY sits at the same positions with or without the dash (or a space).
    shaped = text.str.contains(r"^\d{6}[-\s]?\d{4}$")
    day = text.str.slice(0, 2).cast(pl.Int32, strict=False)
    month = text.str.slice(2, 2).cast(pl.Int32, strict=False)
    year = text.str.slice(4, 2).cast(pl.Int32, strict=False)
    max_day = (
        pl.when(month == 2)
        .then(pl.when(year % 4 == 0).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    valid_date = (month >= 1) & (month <= 12) & (day >= 1) & (day <= max_day)
    return (shaped & valid_date).fill_null(value=False)
