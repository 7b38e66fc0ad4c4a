"""Identifiers: one spelling per id, and which columns are id-like.

An id that differs only by surrounding spaces, a non-breaking or zero-width
space or its Unicode normal form ("Å" as one character or as "A" plus a
combining ring) is the same pupil, school or municipality. Every input
contract therefore normalises its id columns (strip, NFC, remove invisible
characters) before it counts anything, and reports how many values it changed
with an :class:`~folkeskolekvalitet.IdsNormalisedWarning`. The check is cheap:
only values with a leading or trailing space or a non-ASCII character can need
it, and the normalising expression runs only when some value does.
"""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet._core.exprs import as_expr

__all__ = ["ID_COLUMNS", "id_needs_normalising", "normalise_id"]

#: Columns that identify a person, a unit or a place: normalised, and guarded
#: against CPR numbers, whichever family reads them.
ID_COLUMNS: frozenset[str] = frozenset(
    {
        "pupil_id",
        "institution_id",
        "municipality_code",
        "department_id",
        "class_id",
        "teacher_id",
        "school",
        "unit_id",
    }
)

#: Characters removed from ids: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
#: Space characters other than the plain space, replaced by one inside an id.
_SPACES = "[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
#: What every id that needs normalising matches (and most ids do not).
_CANDIDATE = r"^\s|\s$|[^\x00-\x7F]"


def normalise_id(column: str | pl.Expr) -> pl.Expr:
    r"""Expression: the id as text, stripped, in NFC, without invisible characters.

    Use it to clean an id column yourself; the rules apply it to every id column.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet import normalise_id
    >>> ids = pl.Series("pupil_id", ["P1", " P1 ", "P1\u00a0", "P\u200b1", "Å1", "A\u030a1"])
    >>> pl.select(normalise_id(pl.lit(ids))).to_series().to_list()
    ['P1', 'P1', 'P1', 'P1', 'Å1', 'Å1']
    """
    expr = as_expr(column)
    return (
        expr.cast(pl.String)
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(_SPACES, " ")
        .str.strip_chars()
        .str.normalize("NFC")
    )


def id_needs_normalising(column: str | pl.Expr) -> pl.Expr:
    """Aggregate expression: how many distinct values :func:`normalise_id` would change.

    Only values with a leading or trailing space or a non-ASCII character are
    normalised to compare, so a clean column costs one regular expression.
    Distinct values, so the count is the same whether it runs on the rows or on
    the column's distinct values.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.ids import id_needs_normalising
    >>> ids = pl.Series("pupil_id", ["p1", "p1 ", "p1 ", "p2\u00a0", "p3"])
    >>> pl.select(id_needs_normalising(pl.lit(ids))).item()
    2
    """
    expr = as_expr(column)
    text = expr.cast(pl.String)
    candidates = text.filter(text.str.contains(_CANDIDATE).fill_null(value=False))
    # The few candidates as one list, compared inside it: written on the rows, Polars
    # evaluated the candidates' regular expression once per use (three times).
    value = pl.element()
    return (
        candidates.implode()
        .list.eval(value.filter(normalise_id(value) != value).n_unique())
        .list.first()
    )
