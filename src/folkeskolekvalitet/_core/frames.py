"""Frame generics: eager in, eager out; lazy in, lazy out.

Every rule is written once, on a :class:`polars.LazyFrame`. :func:`as_lazy`
turns the caller's frame into a lazy one and :func:`like_input` turns the
result back into what the caller gave: a :class:`polars.DataFrame` is collected
at the very end, a :class:`polars.LazyFrame` is returned unexecuted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import polars as pl

__all__ = ["FrameT", "as_lazy", "like_input", "normalise_by"]

#: A frame type variable: the rule returns the same kind of frame it was given.
FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def as_lazy(data: object, what: str = "data") -> pl.LazyFrame:
    """Return ``data`` as a LazyFrame; pandas DataFrames and pyarrow Tables are converted.

    A ``pandas.DataFrame`` is converted with ``polars.from_pandas`` and a
    ``pyarrow.Table`` (or ``RecordBatch``) with ``polars.from_arrow``; the
    rule then returns a Polars DataFrame (see :func:`like_input`). A pandas frame
    with text columns needs ``pyarrow`` for the conversion; when it is missing the
    error says how to install it.

    Examples
    --------
    >>> from folkeskolekvalitet._core.frames import as_lazy
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import as_lazy
    >>> as_lazy(pl.DataFrame({"a": [1]})).collect().shape
    (1, 1)
    >>> as_lazy({"a": [1]}, "grades")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: grades must be a polars DataFrame or LazyFrame (or a pandas ...), not dict
    """
    if isinstance(data, pl.LazyFrame):
        return data
    if isinstance(data, pl.DataFrame):
        return data.lazy()
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return _converted(pl.from_pandas, data, what, "pandas").lazy()
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return _converted(pl.from_arrow, data, what, "pyarrow").lazy()
    msg = (
        f"{what} must be a polars DataFrame or LazyFrame (or a pandas DataFrame or pyarrow"
        f" Table), not {name}"
    )
    if module == "pandas":
        msg += " (convert it to a pandas DataFrame first)"
    raise TypeError(msg)


def _converted(
    convert: Callable[[Any], object], data: object, what: str, source: str
) -> pl.DataFrame:
    """``data`` converted to Polars, with a clear message when pyarrow is missing."""
    try:
        out = convert(data)
    except ImportError as err:  # pragma: no cover - depends on the environment
        msg = (
            f"converting {what} from a {source} frame to Polars needs pyarrow, which is not"
            " installed: pip install 'folkeskolekvalitet[pandas]' (or pip install pyarrow),"
            " or pass a polars DataFrame"
        )
        raise ImportError(msg) from err
    if isinstance(out, pl.Series):
        out = out.to_frame()
    assert isinstance(out, pl.DataFrame)
    return out


def like_input(data: FrameT, result: pl.LazyFrame) -> FrameT:
    """Return ``result`` in the form of ``data``: collected unless ``data`` was lazy.

    Eager input of any accepted kind (a Polars, pandas or pyarrow frame) gives a
    Polars DataFrame.

    Examples
    --------
    >>> from folkeskolekvalitet._core.frames import like_input
    >>> import polars as pl
    >>> type(like_input(pl.DataFrame(), pl.LazyFrame({"a": [1]}))).__name__
    'DataFrame'
    >>> type(like_input(pl.LazyFrame(), pl.LazyFrame({"a": [1]}))).__name__
    'LazyFrame'
    """
    if isinstance(data, pl.LazyFrame):
        return result
    return result.collect()


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
