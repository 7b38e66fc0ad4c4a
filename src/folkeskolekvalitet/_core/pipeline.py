"""The input pipeline every family shares: one declaration, one :func:`prepare`.

A family declares its input completely in a
:class:`~folkeskolekvalitet._core.schema.Contract`: the columns and their value
rules, the key, the unit the rules read (``group``) and the attributes that must
be one per pupil, the multi-column rules, the year-dependent checks against its
catalogues, and the typed projection the rules read. :func:`prepare` turns any
accepted input into one :class:`Prepared`:

1. the schema, values, key, per-pupil attributes and catalogue checks are
   counted in **one** validation query, and every problem of every kind is
   raised together in one :class:`~folkeskolekvalitet.DataError` (a missing
   column does not stop the checks of the others);
2. ids are normalised and labels replaced where some value needs it;
3. the rows are projected to the typed columns the rules read; validated
   columns are typed through exact lookups of their distinct values
   (:meth:`Projection.lookup`), never by parsing text on every row.

See ``docs/anatomy.rst`` (anatomy of a family) for a worked example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError
from folkeskolekvalitet._core.exprs import lookup
from folkeskolekvalitet._core.frames import as_lazy, carried, distinct_values, in_memory
from folkeskolekvalitet._core.schema import (
    _SEED,
    Contract,
    Validated,
    _attribute_hash,
    _combined_hash,
    _is_text,
    _second_combination,
    normalising_unsaid,
)
from folkeskolekvalitet._core.schoolyear import school_year_expr, school_year_from_values

__all__ = ["Prepared", "Projection", "PupilStep", "prepare", "pupil_step"]


@attrs.frozen
class Projection:
    """What a contract's ``project`` (and ``keep``) may ask while typing the rows.

    Attributes
    ----------
    checked
        What validation learned.
    validate
        Whether the values were validated (lookups are then exact).
    """

    checked: Validated
    validate: bool
    #: Distinct values of the code columns of an eager, unvalidated input (one cheap
    #: query): typed by lookup too, so ``validate=False`` never parses text per row.
    seen: Mapping[str, pl.Series] = attrs.field(factory=dict)
    #: For a lazy, unvalidated input: the column holding each school-year column's
    #: canonical form, parsed once per distinct value and joined back (still lazy).
    joined_years: Mapping[str, str] = attrs.field(factory=dict)
    #: The dtypes of the (validated) input's columns (after id normalisation): a column
    #: already of the wanted dtype needs no typing.
    schema: Mapping[str, pl.DataType] = attrs.field(factory=dict)

    def has(self, column: str) -> bool:
        """Whether ``column`` is present (with an accepted dtype)."""
        return column in self.checked.columns

    def dtype(self, column: str) -> pl.DataType | None:
        """The dtype of ``column`` in the input (``None`` when absent)."""
        return self.schema.get(column)

    def distinct(self, column: str) -> pl.Series | None:
        """The distinct non-null values of a code column, where they are known.

        Validated: those of a column with value rules. Unvalidated: those of a
        code column (with value rules, or of kind ``"code"``) of an in-memory
        input. ``None`` otherwise: the rule then parses the rows.
        """
        return (self.checked.values if self.validate else self.seen).get(column)

    def combinations(self, columns: Sequence[str]) -> pl.DataFrame | None:
        """The distinct combinations of a catalogue check's ``columns``, as validated.

        ``None`` without validation: the rule then types the rows by its parsers.
        """
        return self.checked.combinations(columns) if self.validate else None

    def school_year(self, column: str = "school_year") -> pl.Expr:
        """The school-year column in canonical ``"YYYY/YY"`` form (String)."""
        if self.checked.school_years.get(column):
            return self.checked.school_year(column)  # checked (also a column marked always)
        if column in self.joined_years:
            return pl.col(self.joined_years[column])
        unchecked = None if self.validate else self.seen.get(column)
        if unchecked is not None:
            # (text that is no school year: the parser makes it null)
            through = school_year_from_values(column, unchecked)
            if through is not None:
                return through
        return self.checked.school_year(column)

    def year_start(self, column: str = "school_year") -> pl.Expr:
        """The first calendar year of the school year (Int32): 2017 for 2017/18."""
        mapping = self.checked.school_years.get(column)
        if mapping:  # a lookup of the distinct values, no text work per row
            starts = {raw: int(year[:4]) for raw, year in mapping.items()}
            return pl.col(column).cast(pl.String).replace_strict(starts, return_dtype=pl.Int32)
        return self.school_year(column).str.slice(0, 4).cast(pl.Int32)

    def enum(self, column: str, dtype: pl.Enum, *, strict: bool = True) -> pl.Expr:
        """A code column as ``dtype``: its distinct values stripped and looked up.

        Without them, the text is stripped row by row and cast to ``dtype`` (with
        ``strict=False`` left as text, so an unvalidated unknown value counts as no code
        instead of failing).
        """
        stripped = pl.col(column).cast(pl.String).str.strip_chars()
        return self.lookup(
            column,
            lambda v: str(v).strip(),
            dtype,
            lambda: stripped.cast(dtype) if strict else stripped,
        )

    def lookup(
        self,
        column: str,
        convert: Callable[[Any], object],
        dtype: pl.DataType | type[pl.DataType],
        fallback: Callable[[], pl.Expr],
    ) -> pl.Expr:
        """``column`` typed through ``convert`` of each validated distinct value.

        Without validation (or for a column whose values were not collected),
        ``fallback()``: the vectorised parser. A column marked ``always`` is
        validated either way. A column that already has the wanted Enum needs no
        typing.
        """
        if isinstance(dtype, pl.Enum) and self.schema.get(column) == dtype:
            return pl.col(column)
        if self.validate or column in self.checked.values:
            seen = self.checked.values.get(column)
            if seen is None:
                return fallback()
            return lookup(column, seen.to_list(), convert, dtype)
        unchecked = self.seen.get(column)
        if unchecked is None:
            return fallback()
        try:
            return lookup(column, unchecked.to_list(), convert, dtype)
        except (ValueError, TypeError, KeyError):
            return fallback()  # a value the rule cannot read: the parser reports it


@attrs.frozen
class Prepared:
    """Validated input, typed for the rules.

    Attributes
    ----------
    rows
        The projected rows: the group (ids as String, ``school_year``
        canonical), then the contract's typed columns.
    group
        The unit of the rows: the contract's ``group`` plus the carried columns
        (:func:`~folkeskolekvalitet._core.frames.carried`) and the ``by`` columns.
    checked
        What validation learned (school years, distinct values, present columns).
    carry
        The carried columns present in the rows. A rule that counts rows (not
        pupils) groups on ``by`` plus these and sums the counts over ``by``
        (:meth:`fine`): exact, and shared by the calls of every ``by`` within them.
    """

    rows: pl.LazyFrame
    group: tuple[str, ...]
    checked: Validated
    carry: tuple[str, ...] = ()

    def fine(self, by: Sequence[str]) -> tuple[str, ...]:
        """``by`` and the carried columns: the grouping of a row count summed over ``by``."""
        return fine_grouping(by, self.carry)


def fine_grouping(by: Sequence[str], carry: Sequence[str]) -> tuple[str, ...]:
    """``by`` outside the carried columns, then the carried columns (see :meth:`Prepared.fine`).

    In one order whatever the order of ``by``, so that the groupings of several ``by``
    within the carried columns are one plan.

    Examples
    --------
    >>> from folkeskolekvalitet._core.pipeline import fine_grouping
    >>> carry = ("institution_id", "municipality_code")
    >>> fine_grouping(("school_year", "municipality_code"), carry)
    ('school_year', 'institution_id', 'municipality_code')
    >>> fine_grouping(("school_year",), ())
    ('school_year',)
    """
    return (*(c for c in by if c not in carry), *carry)


def prepare(
    data: object,
    contract: Contract,
    *,
    by: Sequence[str] = (),
    validate: bool = True,
    allow_cpr: bool = False,
    name: str = "data",
    distinct: Mapping[str, Sequence[str]] | None = None,
) -> Prepared:
    """Validate ``data`` against ``contract`` and return its typed rows.

    Parameters
    ----------
    data
        A Polars DataFrame or LazyFrame (or pandas / pyarrow frame).
    contract
        The family's declaration of its input.
    by
        Extra grouping columns; each must be one value per pupil.
    validate
        Check values, key, attributes and catalogues (one query); with
        ``False`` only the schema is checked and the rows are typed by the
        vectorised parsers.
    allow_cpr
        Accept id values that look like CPR numbers.
    name
        What ``data`` is called in a type error (the rule's argument name).
    distinct
        Named column combinations whose distinct values the rule needs
        (:attr:`Validated.distinct`), collected in the validation query even
        with ``validate=False``; a catalogue check on some of their columns reads
        the same grouping.

    Raises
    ------
    DataError
        Listing every problem of the input, of every kind, at once.
    ValueError
        When ``by`` names a column the contract refuses as a grouping column, or one
        whose name starts with ``"_"`` (the rules' working columns).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.pipeline import prepare
    >>> from folkeskolekvalitet.exams._input import GRADES_CONTRACT
    >>> df = pl.DataFrame(
    ...     {
    ...         "school_year": ["2017/2018"],
    ...         "institution_id": ["280017"],
    ...         "pupil_id": ["p1"],
    ...         "exam": ["matematik_med_hjaelpemidler"],
    ...         "grade": ["02"],
    ...     }
    ... )
    >>> prepare(df, GRADES_CONTRACT).rows.collect().select("school_year", "points").row(0)
    ('2017/18', 2)
    """
    lf = as_lazy(data, name)
    refused = {name: why for name, why in contract.not_by if name in by}
    refused |= {
        c: "names that start with '_' are the rules' working columns (rename the column)"
        for c in by
        if c.startswith("_")
    }
    if refused:
        msg = f"by cannot contain {sorted(refused)}: " + "; ".join(dict.fromkeys(refused.values()))
        raise ValueError(msg)
    pupil = contract.pupil
    schema = lf.collect_schema()
    # an optional attribute (a class) is checked where present; a by column of the group
    # (a pupil's test, its subject) is not a pupil attribute
    per_pupil = [c for c in contract.per_pupil if c in schema or c in by]
    extra = (c for c in by if c not in contract.group)
    attributes = [c for c in dict.fromkeys((*per_pupil, *extra)) if c not in pupil and pupil]
    checked = contract.validate(
        lf,
        by=by,
        allow_cpr=allow_cpr,
        values=validate,
        row_checks=contract.row_checks,
        one_value_per=[(pupil, c) for c in attributes],
        distinct=distinct,
        through_schema=True,
    )
    lf = checked.lf(lf)
    schema = lf.collect_schema()
    # Columns the caller vouched are one per school (and year) join a group within a
    # school, so that the calls of several by within them (the indicator table's levels)
    # read one pupil step.
    refused_names = {name for name, _ in contract.not_by}
    carry = tuple(c for c in carried(data) if c in schema and c not in refused_names)
    within_school = "institution_id" in contract.group
    group = tuple(dict.fromkeys((*contract.group, *(carry if within_school else ()), *by)))
    seen: dict[str, pl.Series] = {}
    if not validate and in_memory(data):
        # Eager input is in memory: the distinct values of its code columns cost one
        # cheap query, and typing through them beats parsing text on every row. Numbers
        # are cast, not parsed; columns marked always were collected by validation.
        codes = [
            c.name
            for c in contract.columns
            if c.name in checked.columns
            and (c.allowed is not None or c.checks or c.kind in ("school_year", "code"))
            and c.kind not in ("integer", "number", "boolean")
            and c.name not in checked.values
            and not checked.school_years.get(c.name)
        ]
        # An Enum column's categories are known without a query: every value is one
        # of them, so a lookup through all of them types the column as well.
        rest = []
        for code in codes:
            dtype = schema[code]
            if isinstance(dtype, pl.Enum):
                seen[code] = dtype.categories.rename(code)
            else:
                rest.append(code)
        if rest:
            seen |= distinct_values(lf, rest)
    joined: dict[str, str] = {}
    if not validate and not in_memory(data):
        # A lazy input is not collected here: each distinct school year is parsed once
        # in the plan and joined back, instead of a regular expression on every row.
        for c in contract.columns:
            if c.kind == "school_year" and c.name in checked.columns:
                if checked.school_years.get(c.name):
                    continue  # read by lookup (the column is marked always)
                raw, canonical = f"__raw_{c.name}", f"__canonical_{c.name}"
                years = lf.select(pl.col(c.name).cast(pl.String).unique().alias(raw))
                lf = lf.with_columns(pl.col(c.name).cast(pl.String).alias(raw)).join(
                    years.with_columns(school_year_expr(raw).alias(canonical)),
                    on=raw,
                    how="left",
                    maintain_order="left",
                )
                joined[c.name] = canonical
    projection = Projection(checked, validate, seen, joined, schema)
    typed = dict(contract.project(projection)) if contract.project is not None else {}
    kinds = {c.name: c.kind for c in contract.columns}
    exprs = [
        projection.school_year(c).alias(c)
        if kinds.get(c) == "school_year"
        else pl.col(c).cast(pl.String)
        if kinds.get(c) == "id" and c in contract.group
        else pl.col(c)
        for c in group
        if c not in typed
    ]
    rows = lf.select(*exprs, *(e.alias(name) for name, e in typed.items()))
    keep = contract.keep(projection) if contract.keep is not None else None
    if keep is not None:
        rows = rows.filter(keep)
    return Prepared(rows, group, checked, carry)


#: The bit of each key code 0-63 (a pupil's codes are distinct when their bits' sum has
#: as many bits set as the pupil has rows).
_BITS = pl.Series([1 << i for i in range(64)], dtype=pl.UInt64)
_ROW = "__pupil_step_row"


@attrs.frozen
class PupilStep:
    """One row per pupil of an eager input: the group columns and the rule's aggregates.

    Attributes
    ----------
    pupils
        The group columns, typed as :func:`prepare` types them (school years
        canonical, ids as text), then the aggregates, one row per pupil.
    group
        The group columns (as :attr:`Prepared.group`).
    """

    pupils: pl.DataFrame
    group: tuple[str, ...]


def pupil_step(
    data: object,
    contract: Contract,
    *,
    key_code: pl.Expr,
    aggregates: Sequence[pl.Expr],
    values: Mapping[str, pl.Expr] | None = None,
    by: Sequence[str] = (),
    allow_cpr: bool = False,
) -> PupilStep | None:
    """A rule's pupil grouping with validation counted in the same query, or ``None``.

    For an in-memory DataFrame whose pupils have many rows (a pupil's answers). One
    query groups the rows on the pupil (a hash of :attr:`Contract.pupil`) and gives,
    beside the rule's ``aggregates``, what validation needs of every row: whether a
    key repeats (``key_code``, the key's last column as a code 0-63 that differs
    between the key's values, null when unknown: a pupil's codes are distinct when
    the sum of their bits has as many bits set as the pupil has rows), whether a
    pupil attribute varies (one combined hash of them, and of the pupil columns, so
    that two pupils whose hashes collide also show as varying), and the first row of
    each pupil; the same collection reads the first row of each distinct combination
    of the catalogue checks' columns and the other columns of the rows (those that
    are not the pupil's: a question and its score). Every value of every column the
    contract checks is then on one of those rows, so the contract's own checks run on them
    alone, a few hundred thousand rows instead of millions: each row check, value
    check, catalogue check, id check and school-year check that holds on them holds
    on every row.

    ``None`` when anything is not plainly clean: a repeated or unknown key code, a
    varying attribute, a problem on the representative rows, an id that needs
    normalising, two spellings of one pupil's school year; or for an input this step
    does not cover (lazy, empty, carrying columns, a column whose name starts with
    ``"__"``, labels, numbers or booleans given as text, a row check with a count of its
    own, a filtering contract). The caller then takes :func:`prepare` and its own rule,
    which report every problem exactly, with the counts of every row. Otherwise the
    result is exactly that of the caller's rule after a validating :func:`prepare` (the
    rule's aggregates must be exact for a pupil without repeated keys). Nothing is
    warned of here. Without validation the rule's own grouping is cheaper: this step is
    for validated input.

    Parameters
    ----------
    data
        The input as given (only a Polars DataFrame is taken).
    contract
        The family's declaration (its ``pupil``, ``key``, ``per_pupil`` and
        catalogue checks are read). Its row checks must judge each row by its own
        values.
    key_code
        Expression over the input and ``values``: the key's last column as an
        integer 0-63 (null when unknown).
    aggregates
        The rule's aggregations of a pupil's rows (named), over the input's columns
        and ``values``.
    values
        Named expressions of each row, computed before the grouping, in order (each
        may read the ones before it, and ``key_code`` and ``aggregates`` may read
        them; a lookup in a literal is a gather per row there, but one per group
        inside an aggregation). Their names start with ``"__"``.
    by, allow_cpr
        As in :func:`prepare`.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.pipeline import pupil_step
    >>> from folkeskolekvalitet.wellbeing._input import ANSWERS_CONTRACT
    >>> df = pl.DataFrame(
    ...     {
    ...         "school_year": ["2023/2024"] * 3,
    ...         "institution_id": ["280017"] * 3,
    ...         "grade_level": [5] * 3,
    ...         "pupil_id": ["p1", "p1", "p2"],
    ...         "question": ["mobbet", "tryg", "mobbet"],
    ...         "score": [4, 5, 3],
    ...     }
    ... )
    >>> code = pl.col("question").replace_strict({"mobbet": 13, "tryg": 12}, default=None)
    >>> step = pupil_step(df, ANSWERS_CONTRACT, key_code=code, aggregates=[pl.len().alias("n")])
    >>> step.pupils.sort("pupil_id").select("school_year", "pupil_id", "n").rows()
    [('2023/24', 'p1', 2), ('2023/24', 'p2', 1)]
    >>> twice = pl.concat([df, df.head(1)])  # a repeated key: the caller's path decides
    >>> pupil_step(twice, ANSWERS_CONTRACT, key_code=code, aggregates=[pl.len().alias("n")])
    """
    if not isinstance(data, pl.DataFrame) or data.is_empty() or carried(data):
        return None
    pupil, key = contract.pupil, contract.key
    schema = data.schema
    if (
        contract.rows_per_pupil != "many"
        or not pupil
        or key[:-1] != pupil
        # the step's working columns start with "__": none of the input's may
        or any(name.startswith("__") for name in schema)
        or any(c not in schema for c in (*key, *by))
        or any(name in by for name, _ in contract.not_by)
        # values that validation would read otherwise than the step's expressions do
        or any(
            c.labels
            or (c.kind == "integer" and not schema[c.name].is_integer())
            or (c.kind in ("number", "boolean") and _is_text(schema[c.name]))
            for c in contract.columns
            if c.name in schema
        )
    ):
        return None
    attributes = [
        c for c in dict.fromkeys((*contract.per_pupil, *by)) if c in schema and c not in pupil
    ]
    covered = {*pupil, *attributes}
    present = frozenset(c.name for c in contract.columns if c.name in schema)
    # the catalogue checks' columns, then every other column of the rows (not of the
    # pupil): each distinct combination of them has a representative row
    combos = [
        *dict.fromkeys(
            [
                *(
                    c
                    for check in contract.catalogue
                    if all(n in schema for n in check.columns)
                    for c in check.columns
                ),
                *(c.name for c in contract.columns if c.name in present - covered),
            ]
        )
    ]
    if contract.row_checks is not None:
        for check in contract.row_checks(present):
            roots = set(check.bad.meta.root_names())
            if check.count is not None or not (roots <= covered or roots <= set(combos)):
                return None  # (a count of its own may read more than a row)
    lf = data.lazy().with_row_index(_ROW)
    hashes = [pl.col(c).hash(seed=_SEED).alias(f"__hash__{c}") for c in pupil]
    varying = pl.col("__attributes").min() != pl.col("__attributes").max()
    for name, value in (values or {}).items():
        assert name.startswith("__"), f"a value of the step is named '__...', not {name!r}"
        lf = lf.with_columns(value.alias(name))  # (each may read the ones before it)
    counted = (
        lf.with_columns(*hashes)
        .with_columns(
            (_attribute_hash(attributes) ^ _second_combination(pupil)).alias("__attributes"),
            pl.lit(_BITS).gather(key_code).alias("__bit"),
        )
        .group_by(_combined_hash(pupil).alias("__group"))
        .agg(
            pl.col(_ROW).first(),
            (pl.len() != pl.col("__bit").sum().bitwise_count_ones().cast(pl.UInt32)).alias(
                "__repeats"
            ),
            varying.alias("__varying"),
            *aggregates,
        )
        # the first rows in the input's order: read together, they are read faster
        .sort(_ROW)
    )
    plans = [counted]
    if combos:
        plans.append(lf.group_by(combos).agg(pl.col(_ROW).first()).select(_ROW))
    collected = pl.collect_all(plans)
    pupils = collected[0]
    if pupils.select(pl.col("__repeats").any() | pl.col("__varying").any()).item():
        return None
    first = pupils[_ROW]
    more = collected[1][_ROW] if combos else first.clear()
    # the pupils' first rows, then each combination's first row that is none of them
    rows = pl.concat([first, more.sort()]).unique(maintain_order=True)
    sample = data[rows]
    # the key's repeats and the pupils' attributes are counted above, on every row
    rows_only = attrs.evolve(contract, key=(), pupil=(), per_pupil=())
    try:
        with normalising_unsaid():
            prepared = prepare(
                sample,
                rows_only,
                by=by,
                allow_cpr=allow_cpr,
            )
            typed = prepared.rows.collect()
    except DataError:
        return None
    if prepared.checked.normalised or typed.height != sample.height:
        return None
    group = typed.head(len(first)).select(prepared.group)
    if group.select(pupil).is_duplicated().any():
        return None  # two spellings of one pupil's school year
    return PupilStep(
        group.hstack(pupils.drop(_ROW, "__group", "__repeats", "__varying")), prepared.group
    )
