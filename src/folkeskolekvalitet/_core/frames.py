"""Frame generics: eager in, eager out; lazy in, lazy out.

Every rule is written once, on a :class:`polars.LazyFrame`. :func:`as_lazy`
turns the caller's frame into a lazy one and :func:`like_input` turns the
result back into what the caller gave: a :class:`polars.DataFrame` is collected
at the very end, a :class:`polars.LazyFrame` is returned unexecuted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import polars as pl

__all__ = ["FrameT", "as_lazy", "like_input", "normalise_by"]

#: A frame type variable: the rule returns the same kind of frame it was given.
FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def as_lazy(data: object, what: str = "data") -> pl.LazyFrame:
    """Return ``data`` as a LazyFrame, refusing anything that is not a Polars frame.

    Examples
    --------
    >>> from folkeskolekvalitet._core.frames import as_lazy
    >>> import polars as pl
    >>> as_lazy(pl.DataFrame({"a": [1]})).collect().shape
    (1, 1)
    >>> as_lazy({"a": [1]}, "grades")
    Traceback (most recent call last):
    ...
    TypeError: grades must be a polars DataFrame or LazyFrame, not dict
    """
    if isinstance(data, pl.LazyFrame):
        return data
    if isinstance(data, pl.DataFrame):
        return data.lazy()
    msg = f"{what} must be a polars DataFrame or LazyFrame, not {type(data).__name__}"
    if type(data).__module__.startswith("pandas"):
        msg += " (convert a pandas frame with polars.from_pandas)"
    raise TypeError(msg)


def like_input(data: FrameT, result: pl.LazyFrame) -> FrameT:
    """Return ``result`` in the form of ``data``: collected if ``data`` was eager.

    Examples
    --------
    >>> from folkeskolekvalitet._core.frames import like_input
    >>> import polars as pl
    >>> type(like_input(pl.DataFrame(), pl.LazyFrame({"a": [1]}))).__name__
    'DataFrame'
    >>> type(like_input(pl.LazyFrame(), pl.LazyFrame({"a": [1]}))).__name__
    'LazyFrame'
    """
    if isinstance(data, pl.DataFrame):
        return result.collect()
    return result


def normalise_by(by: str | Sequence[str]) -> tuple[str, ...]:
    """Return grouping columns as a tuple, accepting a single name.

    Examples
    --------
    >>> from folkeskolekvalitet._core.frames import normalise_by
    >>> normalise_by("school_year")
    ('school_year',)
    >>> normalise_by(["school_year", "institution_id"])
    ('school_year', 'institution_id')
    """
    if isinstance(by, str):
        return (by,)
    out = tuple(by)
    if len(set(out)) != len(out):
        msg = f"by has repeated columns: {out!r}"
        raise ValueError(msg)
    return out
