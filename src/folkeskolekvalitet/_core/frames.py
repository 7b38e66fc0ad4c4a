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
    "Facts",
    "FrameT",
    "as_lazy",
    "carried",
    "carrying",
    "distinct_values",
    "facts",
    "in_memory",
    "joinable",
    "lazy_in_memory",
    "like_input",
    "normalise_by",
    "one_chunk",
    "remember",
]


class Facts:
    """What is known about one LazyFrame object beyond its plan.

    A LazyFrame is immutable, so a fact recorded about it stays true; an entry goes
    when the frame does. The facts:

    ``in_memory``
        Its data are in memory (:func:`lazy_in_memory`): reading them again costs
        nothing, so a rule may run a small query on them (the distinct school years)
        instead of planning around a second read, and several rules share the answer.
    ``distinct``
        The distinct values of its columns read so far (:func:`distinct_values`).
    ``wide``
        The wide scores a long frame was reshaped from, with the question columns
        (:func:`folkeskolekvalitet.wellbeing.wide.wide_source`).
    ``carry``
        Columns that are one value per school and school year of this frame, checked
        by the caller (:func:`carried`): a rule may add them to a pupil grouping within
        a school without changing it, so that groupings by different subsets of them
        share one pupil step.
    ``cleaned``
        The frame validation made of it when some value needed rewriting (ids with
        padding or invisible characters, official labels, klassetrin as text): a caller
        that hands it to unvalidated rules after a validated one gives them this. When
        several contracts validate one frame (the table's transitions, one per measure)
        the last one's frame is kept: they rewrite the columns they share by the same
        rules (one normalisation of ids; the table turns labels into keys up front).
    ``derived``
        Small in-memory frames a validated rule derived from it (well-being's distinct
        answering pupils), by the rule's key: the later rules on the same in-memory
        frame (the indicator table's levels) read them instead of the rows.
    """

    __slots__ = ("carry", "cleaned", "derived", "distinct", "in_memory", "ref", "wide")

    def __init__(self, ref: weakref.ref[pl.LazyFrame]) -> None:
        self.ref = ref
        self.in_memory = False
        self.distinct: dict[str, pl.Series] = {}
        self.wide: tuple[pl.LazyFrame, tuple[str, ...]] | None = None
        self.carry: tuple[str, ...] = ()
        self.cleaned: pl.LazyFrame | None = None
        self.derived: dict[tuple[object, ...], pl.LazyFrame] = {}


#: The facts by ``id`` of the frame (checked against a weak reference to it).
_FACTS: dict[int, Facts] = {}


def facts(data: object) -> Facts | None:
    """The recorded facts about ``data`` (``None`` for none, or for any other object).

    A frame derived from a remembered one (``lf.select(...)``) is a new frame with no
    facts: only the frame itself is vouched for.
    """
    entry = _FACTS.get(id(data))
    return entry if entry is not None and entry.ref() is data else None


def remember(lf: pl.LazyFrame) -> Facts:
    """The facts about ``lf``, created empty on first use (see :class:`Facts`)."""
    entry = facts(lf)
    if entry is None:
        key = id(lf)
        entry = _FACTS[key] = Facts(weakref.ref(lf))
        weakref.finalize(lf, _FACTS.pop, key, None)
    return entry


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
    remember(lf).in_memory = True
    return lf


def in_memory(data: object) -> bool:
    """Whether ``data`` is in memory: not a LazyFrame, or one from :func:`lazy_in_memory`."""
    if not isinstance(data, pl.LazyFrame):
        return True
    entry = facts(data)
    return entry is not None and entry.in_memory


def carrying(lf: pl.LazyFrame, columns: Sequence[str]) -> pl.LazyFrame:
    """``lf`` with ``columns`` vouched for as one value per school and year (:func:`carried`).

    Only for a caller that has checked it, as the indicator table does for a school's
    municipality: joined through an institutions frame checked to give one code per
    school, validated as one value per pupil (or per school) at the widest level, or,
    unvalidated, seen to be one code per school among the distinct rows of a DataFrame.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import carried, carrying
    >>> lf = carrying(
    ...     pl.LazyFrame({"pupil_id": ["a"], "municipality_code": ["101"]}), ["municipality_code"]
    ... )
    >>> carried(lf), carried(lf.select("pupil_id"))
    (('municipality_code',), ())
    """
    remember(lf).carry = tuple(columns)
    return lf


def carried(data: object) -> tuple[str, ...]:
    """Columns vouched to be one value per school and year of ``data`` (:func:`carrying`).

    A rule adds them to a pupil grouping within a school (the pupils stay the same) and
    to the grouping of a row count it then sums: its groupings by any subset of them (a
    school, its municipality, the country) read one shared step when their plans are
    collected together.
    """
    entry = facts(data)
    return () if entry is None else entry.carry


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
    entry = facts(lf)
    cache = None if entry is None or not entry.in_memory else entry.distinct
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
_T = TypeVar("_T")


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
        return one_chunk(data).lazy()
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


def one_chunk(data: _T) -> _T:
    """``data`` with an in-memory Polars frame in one chunk (anything else as given).

    :func:`as_lazy` copies a frame of several chunks into one. A rule that hands its
    input on to the pipeline after reading its schema calls this first, so the copy is
    made once, not at every conversion.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import one_chunk
    >>> df = pl.concat([pl.DataFrame({"a": [1]}), pl.DataFrame({"a": [2]})], rechunk=False)
    >>> (df.n_chunks(), one_chunk(df).n_chunks())
    (2, 1)
    """
    if isinstance(data, pl.DataFrame) and _chunked(data):
        return data.rechunk()  # type: ignore[return-value]  # (a DataFrame is a DataFrame)
    return data


def _chunked(df: pl.DataFrame) -> bool:
    """Whether some column has several chunks (``n_chunks()`` looks at the first only)."""
    return df.width > 0 and max(df.n_chunks("all")) > 1


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


def joinable(
    left: pl.LazyFrame, right: pl.LazyFrame, on: Sequence[str]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """``left`` and ``right`` with each ``on`` column of two dtypes, one of them text, as text.

    Two inputs of one rule (answers and enrolment) may hold one code column in two dtypes
    (Categorical from one file, String or an Enum of other categories from another),
    which Polars refuses to join. Meant for the small frames of counts per group that
    a rule joins, where the cast costs nothing. Numbers of two widths (Int8 and Int64)
    join as they are, and keep their dtype.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.frames import joinable
    >>> counts = pl.LazyFrame({"code": ["151"], "n": [2]}).cast({"code": pl.Categorical})
    >>> enrolled = pl.LazyFrame({"code": ["151"], "n_enrolled": [4]})
    >>> a, b = joinable(counts, enrolled, ["code"])
    >>> a.join(b, on="code").collect().rows()
    [('151', 2, 4)]
    """
    ls, rs = left.collect_schema(), right.collect_schema()
    text = (pl.String, pl.Categorical, pl.Enum)
    apart = [
        c
        for c in on
        if c in ls
        and c in rs
        and ls[c] != rs[c]
        and (isinstance(ls[c], text) or isinstance(rs[c], text))
    ]
    if not apart:
        return left, right
    as_text = [pl.col(c).cast(pl.String) for c in apart]
    return left.with_columns(as_text), right.with_columns(as_text)
