"""School years ("skoleår"): parsing, normalising and arithmetic.

A Danish school year runs from 1 August to 31 July and is written ``"2017/18"``.
Data arrive as ``"2017/18"``, ``"2017/2018"``, ``"2017-18"`` or ``"2017-2018"``;
the library's canonical form is ``"YYYY/YY"``.
"""

from __future__ import annotations

import re

import polars as pl

from folkeskolekvalitet._core.exprs import as_expr, lookup

__all__ = [
    "next_school_year",
    "normalise_school_year",
    "parse_school_year",
    "parse_school_years",
    "previous_school_year",
    "school_year_expr",
    "school_year_from_values",
    "school_year_start",
    "shift_school_year",
]

#: ASCII digits only, in both parsers: ``\d`` would also match other scripts' digits
#: ("２０２２"), which Python's ``int`` reads and Polars's integer cast refuses. The
#: spaces are spelled out (Unicode's White_Space): Python's ``\s`` also matches the
#: ASCII separators 0x1C-0x1F, Polars's does not.
_SPACE = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
_EXPR_PATTERN = f"^{_SPACE}([0-9]{{4}}){_SPACE}[/-]{_SPACE}([0-9]{{2}}|[0-9]{{4}}){_SPACE}$"
_PATTERN = re.compile(_EXPR_PATTERN)


def parse_school_year(text: object) -> int:
    """Return the calendar year a school year starts in.

    Parameters
    ----------
    text
        A school year such as ``"2017/18"``, ``"2017/2018"`` or ``"2017-18"``.

    Raises
    ------
    ValueError
        If the text is not a school year, or its two years are not consecutive
        (``"2017/19"``).

    Examples
    --------
    >>> from folkeskolekvalitet import parse_school_year
    >>> parse_school_year("2017/18")
    2017
    >>> parse_school_year("1999-2000")
    1999
    >>> parse_school_year("2017/19")
    Traceback (most recent call last):
    ...
    ValueError: '2017/19' is not a school year: 2017 must be followed by 2018 ('2017/18')
    """
    if not isinstance(text, str):
        msg = f"{text!r} is not a school year: expected text such as '2017/18'"
        raise ValueError(msg)
    match = _PATTERN.match(text)
    if match is None:
        msg = f"{text!r} is not a school year: expected 'YYYY/YY', e.g. '2017/18'"
        raise ValueError(msg)
    start = int(match.group(1))
    end_text = match.group(2)
    end = int(end_text) if len(end_text) == 4 else (start + 1) // 100 * 100 + int(end_text)
    if end != start + 1:
        msg = (
            f"{text!r} is not a school year: {start} must be followed by {start + 1}"
            f" ({_format(start)!r})"
        )
        raise ValueError(msg)
    return start


def parse_school_years(text: str) -> tuple[str, ...]:
    """Parse a school year or a range of school years, as written on the command line.

    ``"2021/22"`` is one school year; ``"2021/22:2023/24"`` is every school year
    from the first to the last, both included. Each side accepts the forms of
    :func:`parse_school_year` (``"2021/2022"``, ``"2021-22"``).

    Raises
    ------
    ValueError
        If a side is not a school year, or the range runs backwards.

    Examples
    --------
    >>> from folkeskolekvalitet._core.schoolyear import parse_school_years
    >>> parse_school_years("2021/22")
    ('2021/22',)
    >>> parse_school_years("2021/22:2023/2024")
    ('2021/22', '2022/23', '2023/24')
    >>> parse_school_years("2023/24:2021/22")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '2023/24:2021/22' runs backwards: write the earlier school year first ...
    """
    first_text, sep, last_text = text.partition(":")
    first = parse_school_year(first_text)
    last = parse_school_year(last_text) if sep else first
    if last < first:
        msg = (
            f"{text!r} runs backwards: write the earlier school year first"
            f" ({_format(last) + ':' + _format(first)!r})"
        )
        raise ValueError(msg)
    return tuple(_format(start) for start in range(first, last + 1))


def _format(start: int) -> str:
    return f"{start:04d}/{(start + 1) % 100:02d}"


def normalise_school_year(text: str) -> str:
    """Return the canonical ``"YYYY/YY"`` form of a school year.

    Examples
    --------
    >>> from folkeskolekvalitet import normalise_school_year
    >>> normalise_school_year("2017/2018")
    '2017/18'
    >>> normalise_school_year(" 1999-00 ")
    '1999/00'
    """
    return _format(parse_school_year(text))


def school_year_start(text: str) -> int:
    """Alias of :func:`parse_school_year`, for readability in arithmetic."""
    return parse_school_year(text)


def shift_school_year(text: str, years: int) -> str:
    """Return the school year ``years`` after (or, if negative, before) ``text``.

    Examples
    --------
    >>> from folkeskolekvalitet import shift_school_year
    >>> shift_school_year("2017/18", -2)
    '2015/16'
    """
    return _format(parse_school_year(text) + years)


def previous_school_year(text: str) -> str:
    """Return the school year before ``text``.

    Examples
    --------
    >>> from folkeskolekvalitet import previous_school_year
    >>> previous_school_year("2000/01")
    '1999/00'
    """
    return shift_school_year(text, -1)


def next_school_year(text: str) -> str:
    """Return the school year after ``text``.

    Examples
    --------
    >>> from folkeskolekvalitet import next_school_year
    >>> next_school_year("2021/22")
    '2022/23'
    """
    return shift_school_year(text, 1)


def _start_expr(expr: pl.Expr) -> pl.Expr:
    """Start year (Int32) of a school-year text column; null where it does not parse."""
    text = expr.cast(pl.String)
    start = text.str.extract(_EXPR_PATTERN, 1).cast(pl.Int32)
    end_text = text.str.extract(_EXPR_PATTERN, 2)
    end = (
        pl.when(end_text.str.len_chars() == 4)
        .then(end_text.cast(pl.Int32))
        .otherwise((start + 1) // 100 * 100 + end_text.cast(pl.Int32))
    )
    return pl.when(end == start + 1).then(start).otherwise(None)


def _format_expr(start: pl.Expr) -> pl.Expr:
    return pl.format(
        "{}/{}",
        start.cast(pl.String).str.zfill(4),
        ((start + 1) % 100).cast(pl.String).str.zfill(2),
    )


def school_year_expr(column: str | pl.Expr, *, shift: int = 0) -> pl.Expr:
    """Normalise a school-year column to ``"YYYY/YY"`` as an expression.

    Values that are not school years become null; frame functions validate
    school years before they use this, so there a bad value is a
    :class:`~folkeskolekvalitet.DataError`, never a null.

    Parameters
    ----------
    column
        Column name or expression with school-year text.
    shift
        Add this many years (``-1`` gives the previous school year).

    Examples
    --------
    >>> from folkeskolekvalitet import school_year_expr
    >>> import polars as pl
    >>> df = pl.DataFrame({"y": ["2017/2018", "2017-18", "2017/19"]})
    >>> df.select(school_year_expr("y").alias("y"), school_year_expr("y", shift=-1).alias("prev"))
    shape: (3, 2)
    ┌─────────┬─────────┐
    │ y       ┆ prev    │
    │ ---     ┆ ---     │
    │ str     ┆ str     │
    ╞═════════╪═════════╡
    │ 2017/18 ┆ 2016/17 │
    │ 2017/18 ┆ 2016/17 │
    │ null    ┆ null    │
    └─────────┴─────────┘
    """
    expr = as_expr(column)
    return _format_expr(_start_expr(expr) + shift)


def school_year_from_values(column: str, values: pl.Series) -> pl.Expr | None:
    """``column`` in canonical form, read through its distinct ``values`` (no text per row).

    ``None`` when some value is no school year: the caller then parses the rows (its
    parser makes such a value null or reports it).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.schoolyear import school_year_from_values
    >>> df = pl.DataFrame({"school_year": ["2017/2018", "2018/19", "2017/2018"]})
    >>> expr = school_year_from_values("school_year", df["school_year"].unique())
    >>> df.select(expr)["school_year"].to_list()
    ['2017/18', '2018/19', '2017/18']
    >>> school_year_from_values("school_year", pl.Series(["autumn"])) is None
    True
    """
    try:
        mapping = {v: normalise_school_year(v) for v in values.cast(pl.String) if v is not None}
    except (ValueError, TypeError):
        return None
    return lookup(pl.col(column).cast(pl.String), mapping, mapping.get, pl.String).alias(column)
