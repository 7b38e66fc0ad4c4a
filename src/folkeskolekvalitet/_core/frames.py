"""Frame generics: eager in, eager out; lazy in, lazy out.

Every rule is written once, on a :class:`polars.LazyFrame`. :func:`as_lazy`
turns the caller's frame into a lazy one and :func:`like_input` turns the
result back into what the caller gave: a :class:`polars.DataFrame` is collected
at the very end, a :class:`polars.LazyFrame` is returned unexecuted.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import polars as pl

__all__ = [
    "FrameT",
    "as_lazy",
    "distinct_values",
    "in_memory",
    "lazy_in_memory",
    "like_input",
    "normalise_by",
]

#: LazyFrames over data already in memory (``id`` -> a weak reference to the frame and
#: the distinct values of its columns read so far): reading them again costs nothing,
#: so a rule may run a small query on them (the distinct school years) instead of
#: planning around a second read, and several rules share its answer.
_IN_MEMORY: dict[int, tuple[weakref.ref[pl.LazyFrame], dict[str, pl.Series]]] = {}


def lazy_in_memory(frame: pl.DataFrame) -> pl.LazyFrame:
    """``frame.lazy()``, remembered as in memory (see :func:`in_memory`).

    For a caller that hands one in-memory frame to several rules as lazy input, so
    their plans can be combined (the indicator table): the rules still type it through
    its distinct values, as they do a DataFrame, instead of planning for a costly source.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import in_memory, lazy_in_memory
    >>> lf = lazy_in_memory(pl.DataFrame({"a": [1]}))
    >>> in_memory(lf), in_memory(lf.select("a")), in_memory(pl.DataFrame({"a": [1]}))
    (True, False, True)
    """
    lf = frame.lazy()
    key = id(lf)
    _IN_MEMORY[key] = (weakref.ref(lf), {})
    weakref.finalize(lf, _IN_MEMORY.pop, key, None)
    return lf


def _entry(data: object) -> dict[str, pl.Series] | None:
    entry = _IN_MEMORY.get(id(data))
    return entry[1] if entry is not None and entry[0]() is data else None


def in_memory(data: object) -> bool:
    """Whether ``data`` is in memory: not a LazyFrame, or one from :func:`lazy_in_memory`."""
    return not isinstance(data, pl.LazyFrame) or _entry(data) is not None


def distinct_values(lf: pl.LazyFrame, columns: Sequence[str]) -> dict[str, pl.Series]:
    """The distinct non-null values of ``columns`` of an in-memory frame, in one query.

    For a frame of :func:`lazy_in_memory` they are read once and kept for the next rule.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import distinct_values, lazy_in_memory
    >>> lf = lazy_in_memory(pl.DataFrame({"a": ["x", "y", "x", None]}))
    >>> sorted(distinct_values(lf, ["a"])["a"].to_list())
    ['x', 'y']
    """
    cache = _entry(lf)
    missing = [c for c in columns if cache is None or c not in cache]
    out: dict[str, pl.Series] = {}
    if missing:
        row = lf.select(pl.col(c).drop_nulls().unique().implode() for c in missing).collect()
        out = {c: row[c][0] for c in missing}
        if cache is not None:
            cache.update(out)
    if cache is not None:
        out |= {c: cache[c] for c in columns if c not in out}
    return out


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
        # One chunk per column: Polars' streaming engine (seen with 2.1) can panic
        # ("assertion failed: i < self.len()") in string functions over a frame made of
        # many chunks, e.g. a pl.concat of per-level results; a rechunk is one copy.
        return (data.rechunk() if data.n_chunks() > 1 else data).lazy()
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
