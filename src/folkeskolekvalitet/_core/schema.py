"""Input contracts: declared columns, one validation pass, every problem reported.

A :class:`Contract` declares the columns a rule needs (name, accepted kinds of
dtype, nullability, allowed values, extra checks) and the key whose rows must be
unique. :meth:`Contract.validate` checks a frame against it and raises one
:class:`~folkeskolekvalitet.DataError` that lists *every* problem: missing
columns, wrong dtypes, nulls, unknown codes, CPR-looking pupil ids, duplicated
key rows.

How it stays fast and lazy:

- dtype problems are found from the schema alone;
- all value checks are counted in **one** aggregate query over the input
  (a single row of counts, plus the distinct values of low-cardinality columns
  such as ``school_year`` that the rules need anyway);
- example values are fetched only when something is wrong.

For a :class:`polars.LazyFrame` this aggregate query is the only thing executed
at call time; the rule's result stays lazy. Pass ``validate=False`` to a rule to
skip the value checks (the schema is still checked).
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.danish import missing_column_hints
from folkeskolekvalitet._core.errors import DataError, IdsNormalisedWarning, Problem
from folkeskolekvalitet._core.exprs import looks_like_cpr_id
from folkeskolekvalitet._core.frames import facts, remember
from folkeskolekvalitet._core.ids import ID_COLUMNS, id_needs_normalising, normalise_id
from folkeskolekvalitet._core.privacy import CPR_RULE, looks_like_cpr
from folkeskolekvalitet._core.schoolyear import (
    normalise_school_year,
    parse_school_year,
    school_year_expr,
)

__all__ = [
    "CatalogueCheck",
    "Check",
    "Column",
    "Contract",
    "Kind",
    "RowCheck",
    "Validated",
    "ValueCheck",
    "normalise_id_columns",
    "normalised_once",
    "relabel_columns",
    "warn_normalised",
]

#: Kinds of dtype a column may accept.
Kind = Literal["string", "id", "integer", "number", "code", "boolean", "school_year"]

_KIND_TEXT: dict[str, str] = {
    "string": "text (String, Categorical or Enum)",
    "id": "an identifier (String, Categorical, Enum or integer)",
    "integer": "an integer",
    "number": "a number (integer or float)",
    "code": "a code (String, Categorical, Enum, integer or float)",
    "boolean": "Boolean",
    "school_year": "a school year as text (String, Categorical or Enum), e.g. '2017/18'",
}

_N_EXAMPLES = 3


def _is_text(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.String | pl.Categorical | pl.Enum)


def _accepts(kind: Kind, dtype: pl.DataType) -> bool:
    if isinstance(dtype, pl.Null):
        return True  # an all-null column; the null check reports it where nulls are not allowed
    if kind in ("string", "school_year"):
        return _is_text(dtype)
    if kind == "id":
        return _is_text(dtype) or dtype.is_integer()
    if kind == "integer":
        return dtype.is_integer()
    if kind == "number":
        return dtype.is_integer() or dtype.is_float()
    if kind == "code":
        return _is_text(dtype) or dtype.is_integer() or dtype.is_float()
    return isinstance(dtype, pl.Boolean)


@attrs.frozen
class Check:
    """A value rule on one column.

    Parameters
    ----------
    rule
        What is wrong with a failing value, in plain words (used in the error).
    bad
        Given the column as an expression, a boolean expression that is true for
        failing rows. It is only evaluated where the value is not null.
    """

    rule: str
    bad: Callable[[pl.Expr], pl.Expr]


@attrs.frozen
class Column:
    """One column of an input contract.

    Parameters
    ----------
    name
        Canonical column name.
    kind
        The kind of dtype accepted (see :data:`Kind`).
    nullable
        Whether nulls are allowed.
    required
        Whether the column must be present.
    allowed
        If given, the only values allowed (compared as text after stripping).
    checks
        Further value rules.
    description
        One line for the docs.
    labels
        Official labels that stand for allowed values, as ``(label, value)``
        pairs (``("Dansk, læsning", "dansk_laesning")``): accepted wherever the
        value is, compared without case and extra spaces, and replaced by the
        value before the rule reads the column.
    always
        Whether the column's value rules (``allowed``, ``checks``; for a school
        year, that it is one) run even with ``validate=False``: for a code the
        rules cannot read unless it is known (an unknown subject has no Enum
        category). They run on the distinct values, in the same query.
    """

    name: str
    kind: Kind
    nullable: bool = False
    required: bool = True
    allowed: tuple[str, ...] | None = None
    checks: tuple[Check, ...] = ()
    description: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    always: bool = False

    def label_map(self) -> dict[str, str]:
        """Normalised label -> value (see :func:`label_key`)."""
        return {label_key(label): value for label, value in self.labels}


@attrs.frozen
class RowCheck:
    """A rule over several columns; ``bad`` is a boolean expression over the frame."""

    label: str
    rule: str
    bad: pl.Expr
    show: tuple[str, ...]
    #: The number of bad rows as an aggregate, when a cheaper form than summing ``bad``
    #: exists (e.g. text work only on the rows a cheap numeric test keeps).
    count: pl.Expr | None = None


@attrs.frozen
class CatalogueCheck:
    """A year-dependent rule on a combination of columns, checked on its distinct values.

    The combinations are collected in the validation query (a school year and an
    exam: a few hundred, whatever the number of rows); ``judge`` runs on each,
    with every school-year column in canonical form (``"2017/18"``) and text
    stripped. Combinations with a null, or with a value that already fails its
    own column's rules (an unknown exam, a text that is no school year), are
    not judged: they are reported once, by that column.

    Parameters
    ----------
    columns
        The columns of a combination.
    judge
        Given the canonical values of one combination, ``None`` when it is
        fine, or ``(label, rule, shown)``: the column label and the rule text of
        the problem (combinations with the same pair are one problem) and the
        columns whose raw values are shown as examples.
    always
        Whether the check runs even with ``validate=False`` (with the value rules
        of the columns marked ``always``): for a rule that cannot read the rows
        otherwise.
    """

    columns: tuple[str, ...]
    judge: Callable[..., tuple[str, str, tuple[str, ...]] | None]
    always: bool = False


@attrs.frozen
class ValueCheck:
    """A rule on the values of one column, checked on its distinct values."""

    column: str
    rule: str
    bad: Callable[[pl.Expr], pl.Expr]
    show: bool = True
    #: A cheap test that every failing value passes (e.g. a regular expression);
    #: ``bad`` then runs only on the values it keeps.
    prefilter: Callable[[pl.Expr], pl.Expr] | None = None
    #: A row filter cheap enough to run in the validation query: only values it
    #: keeps can fail, so only those are collected (a pupil id column has as many
    #: distinct values as pupils; only CPR-length ones need a look).
    candidates: Callable[[pl.Expr], pl.Expr] | None = None

    def problem(self, lf: pl.LazyFrame, seen: pl.Series) -> Problem | None:
        """The problem among the distinct values ``seen``, with its row count, or ``None``."""
        values = seen.rename(self.column).to_frame()
        if self.prefilter is not None:
            values = values.filter(self.prefilter(pl.col(self.column)).fill_null(value=False))
        bad = values.filter(self.bad(pl.col(self.column)).fill_null(value=False))
        if bad.is_empty():
            return None
        col = pl.col(self.column)
        n_rows = lf.select(col.is_in(bad.to_series().implode()).sum()).collect().item()
        examples: tuple[str, ...] = ()
        if self.show:
            examples = tuple(repr(v) for v in bad.to_series().sort().head(_N_EXAMPLES))
        return Problem(self.column, self.rule, int(n_rows), examples)


@attrs.frozen
class Validated:
    """What validation learned about a frame, for the rule to use.

    Attributes
    ----------
    columns
        The contract's columns present in the frame.
    school_years
        For each school-year column, the mapping from each distinct value as
        given to its canonical ``"YYYY/YY"`` form.
    distinct
        Distinct values (or combinations) collected for the rule, by name.
    aggregates
        Values of the extra aggregate expressions passed as ``aggregates=`` to
        :meth:`Contract.validate`, by name.
    values
        The distinct non-null values of each column that has value rules
        (``allowed`` or ``checks``), as validated. Rules use them to build exact
        lookups (``replace_strict``) instead of parsing text row by row.
    """

    columns: frozenset[str]
    school_years: Mapping[str, Mapping[str, str]]
    distinct: Mapping[str, pl.DataFrame]
    aggregates: Mapping[str, object] = attrs.field(factory=dict)
    values: Mapping[str, pl.Series] = attrs.field(factory=dict)
    #: The frame the rule must read: the input with its id columns normalised
    #: where some id needed it (see :mod:`folkeskolekvalitet._core.ids`).
    frame: pl.LazyFrame | None = None
    #: How many values of each id column were normalised.
    normalised: Mapping[str, int] = attrs.field(factory=dict)

    def lf(self, original: pl.LazyFrame) -> pl.LazyFrame:
        """The frame the rule must read (``original`` when nothing was normalised)."""
        return original if self.frame is None else self.frame

    def school_year(self, column: str = "school_year") -> pl.Expr:
        """Expression: the school-year column in canonical form (String).

        With values validated, a lookup of the distinct values seen (none when
        every value is already canonical); otherwise the vectorised parser (null
        for text that is not a school year).
        """
        text = pl.col(column).cast(pl.String)
        if column not in self.school_years:
            return school_year_expr(text)
        mapping = dict(self.school_years[column])
        if all(k == v for k, v in mapping.items()):
            return text
        return text.replace_strict(mapping, return_dtype=pl.String)

    def combinations(self, columns: Sequence[str]) -> pl.DataFrame | None:
        """The distinct combinations of a catalogue check's ``columns`` (raw values).

        ``None`` when they were not collected (values not validated, or a column
        absent).
        """
        return self.distinct.get(_combination_name(columns))


def _as_text(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars()


def _combination_name(columns: Sequence[str]) -> str:
    """Where :attr:`Validated.distinct` keeps a catalogue check's combinations."""
    return "catalogue: " + ", ".join(columns)


def label_key(text: str) -> str:
    """The comparison form of a label: NFC, lower case, single spaces.

    Examples
    --------
    >>> from folkeskolekvalitet._core.schema import label_key
    >>> label_key("  Dansk,  Læsning ")
    'dansk, læsning'
    """
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _label_expr(expr: pl.Expr) -> pl.Expr:
    """Expression form of :func:`label_key`."""
    return (
        expr.cast(pl.String)
        .str.normalize("NFC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


#: A klassetrin written as text: "4", "4.", "4. klasse", "4 kl.", "4.kl", "bh.kl.", "0. klasse".
_GRADE_TEXT = re.compile(r"^(\d{1,2})\.?\s*(?:klasse|kl\.?|klassetrin)?$")
_KINDERGARTEN = frozenset({"børnehaveklasse", "bh.kl.", "bh.kl", "bhkl", "bh. kl.", "0.klasse"})


def grade_level_from_text(text: str) -> int | None:
    """The klassetrin a text stands for (``"4. klasse"`` -> 4), or ``None``.

    Examples
    --------
    >>> from folkeskolekvalitet._core.schema import grade_level_from_text
    >>> [grade_level_from_text(t) for t in ["4. klasse", "10", "Børnehaveklasse", "4.a"]]
    [4, 10, 0, None]
    """
    key = label_key(text)
    if key in _KINDERGARTEN:
        return 0
    match = _GRADE_TEXT.match(key)
    return int(match.group(1)) if match else None


@attrs.frozen
class Contract:
    """The declared shape of an input frame.

    Parameters
    ----------
    what
        What the frame is, for error messages (``"exam grades"``).
    columns
        The columns.
    key
        Columns whose combination must be unique (empty for none).
    last_year
        The last school year whose catalogue (questions, rules, codes) the
        family has confirmed from an official source; later school years in any
        school-year column are refused, as the exam catalogue refuses 2025/26,
        instead of silently getting an older year's rules.
    group
        The unit the rules read (``PUPIL_KEY``: a pupil of a school year at an
        institution); :func:`~folkeskolekvalitet._core.pipeline.prepare` adds the
        caller's ``by`` columns to it.
    pupil
        The columns that identify a pupil (``("school_year", "pupil_id")``).
    per_pupil
        Attributes that must have one value per :attr:`pupil` (the
        institution); every ``by`` column outside the group is one too.
    not_by
        Columns that cannot be grouping columns (attributes of a row, not of a
        pupil), with the reason.
    row_checks
        Rules over several columns, given the columns present.
    catalogue
        Year-dependent checks against the family's catalogues.
    project
        The typed projection the rules read: given a
        :class:`~folkeskolekvalitet._core.pipeline.Projection`, the named
        expressions of the rows besides the group.
    keep
        Given the projection, a filter on the projected rows (or ``None``).
    needs
        Groups of optional columns of which at least one must be present, each
        with the text of its problem (``(("good", "points"), "missing column:
        ...")``); reported with the other schema problems.
    rows_per_pupil
        ``"many"`` (a pupil has many rows: the exams of a year): duplicated keys
        and per-pupil attributes are counted by one grouping on the pupil;
        ``"few"`` (one or two tests a year): by distinct hashes in the validation
        query, which is then cheaper than a grouping with nearly a group per row.
    duplicate_rule
        Given the number of repeated rows, the rule text of duplicated keys in the
        family's words (default: "duplicated key: ...").
    key_spellings
        Given the catalogue checks' distinct combinations (by their columns),
        canonical expressions of key columns whose values have several spellings
        (a question's key and its number), or ``None`` when no two spellings
        seen stand for one value; the key is then checked for duplicates in
        canonical form.
    per_pupil_rule
        Given the names of the attributes that vary and the number of pupils, the
        rule text of pupils whose attributes vary: the breaches are then reported
        as **one** problem on the :attr:`pupil` columns, counting the pupils' rows,
        with school years in canonical form (two spellings of a year are one
        year). Default: one problem per attribute.
    """

    what: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    last_year: str | None = None
    group: tuple[str, ...] = ()
    pupil: tuple[str, ...] = ()
    per_pupil: tuple[str, ...] = ()
    not_by: tuple[tuple[str, str], ...] = ()
    row_checks: Callable[[frozenset[str]], Sequence[RowCheck]] | None = None
    catalogue: tuple[CatalogueCheck, ...] = ()
    project: Callable[..., Mapping[str, pl.Expr]] | None = None
    keep: Callable[..., pl.Expr | None] | None = None
    needs: tuple[tuple[tuple[str, ...], str], ...] = ()
    rows_per_pupil: Literal["many", "few"] = "many"
    duplicate_rule: Callable[[int], str] | None = None
    key_spellings: (
        Callable[[Mapping[tuple[str, ...], pl.DataFrame]], Mapping[str, pl.Expr] | None] | None
    ) = None
    per_pupil_rule: Callable[[Sequence[str], int], str] | None = None

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def validate(  # noqa: PLR0912, PLR0915 - one pass over every kind of check
        self,
        lf: pl.LazyFrame,
        *,
        by: Sequence[str] = (),
        allow_cpr: bool = False,
        values: bool = True,
        row_checks: Callable[[frozenset[str]], Sequence[RowCheck]] | None = None,
        distinct: Mapping[str, Sequence[str]] | None = None,
        aggregates: Mapping[str, pl.Expr] | None = None,
        one_value_per: Sequence[tuple[Sequence[str], str]] = (),
        cpr_checked: Sequence[str] = (),
        found: Sequence[Problem] = (),
        nulls_counted: Collection[str] = (),
        through_schema: bool = True,
    ) -> Validated:
        """Check ``lf`` against the contract; raise :class:`DataError` listing every problem.

        Id columns (kind ``"id"`` and the id-like names of
        :data:`~folkeskolekvalitet._core.ids.ID_COLUMNS`, also among ``by``) are
        checked for CPR numbers and normalised when some value needs it: the
        rule must then read :attr:`Validated.frame` (``checked.lf(lf)``), and an
        :class:`~folkeskolekvalitet.IdsNormalisedWarning` says how many values
        changed.

        Parameters
        ----------
        lf
            The input.
        by
            Grouping columns the rule will use; they must exist.
        allow_cpr
            Accept id values that look like CPR numbers.
        values
            Check values, not only the schema (one aggregate query).
        row_checks
            Called with the present columns, returns multi-column rules.
        distinct
            Named column combinations whose distinct values the rule needs
            (collected in the same query).
        aggregates
            Named extra aggregate expressions (one value each), evaluated in
            the same query when ``values`` is true: rule-specific checks that
            are cheaper as aggregates than as row checks. Their values are
            returned in :attr:`Validated.aggregates`.
        one_value_per
            Functional dependencies ``(key, column)``: within each value of
            ``key`` the column must have one value (e.g. a pupil belongs to one
            institution in a school year; a ``by`` column is a pupil attribute).
        cpr_checked
            Id columns whose CPR check the caller runs itself (in its own query).
        found
            Problems already found (in a first reading of the frame), raised with
            the others.
        nulls_counted
            Columns whose nulls ``found`` already counts.
        through_schema
            Run the value checks on the columns present with an accepted dtype even
            when the schema has problems, and raise them all together (the default);
            with ``False`` the schema problems are raised first, alone.
        """
        # The same checks again, on a cleaned frame (klassetrin text read as numbers;
        # ids normalised).
        again = functools.partial(
            self.validate,
            by=by,
            allow_cpr=allow_cpr,
            values=values,
            row_checks=row_checks,
            distinct=distinct,
            aggregates=aggregates,
            one_value_per=one_value_per,
            cpr_checked=cpr_checked,
            found=found,
            nulls_counted=nulls_counted,
            through_schema=through_schema,
        )
        schema = lf.collect_schema()
        texts = [
            c.name
            for c in self.columns
            if c.kind == "integer" and c.name == "grade_level" and c.name in schema
            if _is_text(schema[c.name])
        ]
        if texts:
            # Klassetrin written as text ("4. klasse"): read as numbers, then validate.
            # Text that is no klassetrin is reported with every other problem (and read
            # as null, whose count it already has).
            read = [
                _grade_levels(lf, name, nulls=values and not self.column(name).nullable)
                for name in texts
            ]
            clean = lf.with_columns(expr for expr, _ in read)
            checked = again(
                clean,
                found=[*found, *(p for _, more in read for p in more)],
                nulls_counted=[*nulls_counted, *texts],
            )
            return _cleaned(lf, attrs.evolve(checked, frame=checked.lf(clean)))
        present, schema_problems = self._schema_problems(schema, by)
        problems = [*found, *schema_problems]
        if schema_problems and not through_schema:
            raise DataError(self.what, problems)
        # Missing columns and wrong dtypes do not stop validation: the columns that are
        # there are checked too, and every problem comes in one error. A check, grouping
        # or aggregate that needs a column that is not there (or not usable) is left out.
        usable = present | {c for c in schema.names() if c not in {d.name for d in self.columns}}

        def runs(expr: pl.Expr) -> bool:
            return set(expr.meta.root_names()) <= usable

        id_columns = self._id_columns(schema, present, by)
        text_ids = [c for c in id_columns if _is_text(schema[c])]

        checks = self._null_checks(present - frozenset(nulls_counted)) if values else []
        if values and row_checks is not None:
            checks.extend(
                attrs.evolve(c, show=tuple(s for s in c.show if s in schema))
                # Given the contract's columns in the frame (a column of the wrong dtype
                # is there, not missing: no "no such column" rule fires for it); a check
                # on a column that is not usable is left out.
                for c in row_checks(frozenset(c.name for c in self.columns if c.name in schema))
                if runs(c.bad) and (c.count is None or runs(c.count))
            )
        # Without ``values``, only the columns marked ``always`` are checked (no CPR).
        always = frozenset(c.name for c in self.columns if c.always and c.name in present)
        value_checks = (
            self._value_checks(
                schema,
                present,
                [c for c in id_columns if c not in cpr_checked],
                allow_cpr=allow_cpr,
            )
            if values
            else self._value_checks(schema, always, [], allow_cpr=True)
        )
        check_keys = values and bool(self.key) and all(k in present for k in self.key)
        year_cols = [c.name for c in self.columns if c.kind == "school_year" and c.name in present]
        # (a catalogue check that always runs reads its school years in canonical form)
        judged = {n for c in self.catalogue if c.always for n in c.columns}
        checked_years = [c for c in year_cols if values or c in always or c in judged]
        wanted = {k: v for k, v in (distinct or {}).items() if set(v) <= usable}
        wanted.update({f"__year__{name}": (name,) for name in checked_years})
        catalogue = [
            (f"__catalogue__{i}", c)
            for i, c in enumerate(self.catalogue)
            if (values or c.always) and all(name in present for name in c.columns)
        ]
        wanted.update({name: c.columns for name, c in catalogue})

        exprs = [
            (c.bad.fill_null(value=False).sum() if c.count is None else c.count).alias(
                f"__check{i}"
            )
            for i, c in enumerate(checks)
        ]
        dependencies = (
            [(tuple(k), c) for k, c in one_value_per if {*k, c} <= usable] if values else []
        )
        # When every dependency hangs on the key without its last column (a pupil's
        # rows: key (year, pupil, exam), dependencies on (year, pupil)), one grouping
        # on that prefix answers both questions; otherwise distinct hashes are counted.
        grouped = (
            self.rows_per_pupil == "many"
            and check_keys
            and bool(dependencies)
            and all(k == self.key[:-1] for k, _ in dependencies)
        )
        if not grouped:
            exprs += self._key_counts(dependencies, check_keys=check_keys)
        # Value rules run on each column's distinct values, collected in the same query:
        # a code column of millions of rows has a handful of values, and a pupil id a
        # few rows per pupil. The rules then run once, eagerly, on those values. A text
        # id column's distinct values serve its CPR check and its spelling check alike
        # (a hash per row is about four times cheaper than a regular expression per row).
        distinct_ids = [c for c in text_ids if self._ids_repeat(c)] if values else []
        value_columns = sorted({v.column for v in value_checks})
        # The pupil grouping holds one row per pupil: the distinct ids of the pupil's
        # columns and attributes are read from its groups (a few hundred thousand values,
        # not every row), exact unless the grouping says otherwise (checked below).
        from_pupils = (
            [c for c in distinct_ids if c in self.key[:-1] or c in {d for _, d in dependencies}]
            if grouped
            else []
        )

        def keyed(cols: Sequence[str]) -> list[pl.Expr]:
            return [pl.col(c).cast(pl.String) if c in year_cols else pl.col(c) for c in cols]

        # A combination whose columns another one holds is read from that one's distinct
        # rows (one grouping serves a catalogue check and the rule's own combinations);
        # so are the distinct values of a column such a grouping holds.
        within = _sharing({name: cols for name, cols in wanted.items() if len(cols) > 1})
        combinations = {
            name: keyed(cols)
            for name, cols in wanted.items()
            if len(cols) > 1 and name not in within
        }
        grouping = {c: name for name in combinations for c in wanted[name]}
        # So are the distinct school years of the pupil's columns that no combination
        # holds: the pupils are a few hundred thousand groups, the rows (answers) millions,
        # and a text column's distinct values cost a hash of every row (0.2 s for 17.7 M
        # answers).
        years_from_pupils = (
            [c for c in checked_years if c in self.key[:-1] and c not in grouping]
            if grouped
            else []
        )
        from_grouping = {
            c: grouping[c]
            for c in value_columns
            if c in grouping
            and c not in year_cols
            and c not in distinct_ids
            and _candidates(c, [v for v in value_checks if v.column == c]).meta.is_column()
        }
        exprs += [
            _candidates(c, [v for v in value_checks if v.column == c])
            .drop_nulls()
            .unique()
            .implode()
            .alias(f"__values__{c}")
            for c in value_columns
            if c not in distinct_ids and c not in from_grouping
        ]
        exprs += [
            pl.col(c).unique().implode().alias(f"__ids__{c}")
            for c in distinct_ids
            if c not in from_pupils
        ]
        if values:
            exprs += [
                id_needs_normalising(c).alias(f"__idnorm__{c}")
                for c in text_ids
                if c not in distinct_ids
            ]
        extra = {k: e for k, e in (aggregates or {}).items() if runs(e)} if values else {}
        exprs += [e.alias(f"__agg__{name}") for name, e in extra.items()]

        # One column's distinct values in the aggregate query; a combination of columns
        # (a school year and an exam) by a grouping in the same collection, several
        # times cheaper than the distinct rows of a struct.
        exprs += [
            keyed(cols)[0].unique().implode().alias(f"__distinct__{name}")
            for name, cols in wanted.items()
            if len(cols) == 1
            and cols[0] not in grouping
            and not (name == f"__year__{cols[0]}" and cols[0] in years_from_pupils)
        ]
        hashed = sorted(
            {*(self.key if check_keys and not grouped else ())}
            | {c for k, d in (dependencies if not grouped else []) for c in (*k, d)}
        )
        # The pupil grouping is collected with the aggregates; on the rare frame whose ids
        # or labels need rewriting, everything is validated again on the clean frame.
        plans = (
            {
                "grouped": self._grouped_counts(
                    lf, schema, dependencies, from_pupils, years=years_from_pupils
                )
            }
            if grouped
            else {}
        )
        row = _one_row(lf, exprs, hashed, combinations, plans)
        if grouped:
            # one flag for every dependency: the exact check (error path) finds which
            varied = row.pop("__varying")
            row |= {f"__dep{i}": varied for i in range(len(dependencies))}
            if (from_pupils or years_from_pupils) and varied:
                # A group with two pupils (a hash collision) or attributes that vary: its
                # first values are not every id or year; read them exactly (rare).
                exact = lf.select(
                    *(pl.col(c).unique().implode() for c in from_pupils),
                    *(pl.col(c).cast(pl.String).unique().implode() for c in years_from_pupils),
                ).collect()
                row |= {f"__ids__{c}": exact[c][0] for c in from_pupils}
                row |= {f"__distinct____year__{c}": exact[c][0] for c in years_from_pupils}
        for name, root in within.items():
            shared = row[f"__distinct__{root}"]
            assert isinstance(shared, pl.DataFrame)
            row[f"__distinct__{name}"] = shared.select(wanted[name]).unique(maintain_order=True)
        for name, cols in wanted.items():
            if len(cols) == 1 and cols[0] in grouping:
                shared = row[f"__distinct__{grouping[cols[0]]}"]
                assert isinstance(shared, pl.DataFrame)
                row[f"__distinct__{name}"] = shared.select(cols).unique(maintain_order=True)
        for c, name in from_grouping.items():
            shared = row[f"__distinct__{name}"]
            assert isinstance(shared, pl.DataFrame)
            row[f"__values__{c}"] = shared[c].drop_nulls().unique()
        for c in distinct_ids:
            ids = row.pop(f"__ids__{c}")
            assert isinstance(ids, pl.Series)
            ids_frame = ids.rename(c).to_frame()
            row[f"__idnorm__{c}"] = ids_frame.select(id_needs_normalising(c)).item()
            if c in value_columns:
                candidates = _candidates(c, [v for v in value_checks if v.column == c])
                row[f"__values__{c}"] = ids_frame.select(candidates.drop_nulls()).to_series()
        changed = {
            c: int(n) for c in text_ids if isinstance(n := row.get(f"__idnorm__{c}"), int) and n
        }
        relabel = self._labels_seen(row, present if values else always)
        original = lf
        if changed or relabel:
            lf = lf.with_columns(
                pl.col(c).cast(pl.String).replace(mapping).alias(c)
                for c, mapping in relabel.items()
            )
        if changed or relabel:
            # Rare: some id is spelled with padding, invisible characters or another
            # Unicode form. Normalise those columns and validate the clean frame, so
            # keys, dependencies and groups see one spelling per id.
            if changed:
                warn_normalised(self.what, changed)
            clean = lf.with_columns(normalise_id(c).alias(c) for c in changed)
            checked = again(clean)
            return _cleaned(
                original, attrs.evolve(checked, frame=checked.lf(clean), normalised=changed)
            )

        problems.extend(self._found_problems(lf, row, checks, value_checks))
        frames = {name: _unnest(row[f"__distinct__{name}"], cols) for name, cols in wanted.items()}
        school_years: dict[str, dict[str, str]] = {}
        known = facts(lf)
        for name in checked_years:
            values_seen = frames.pop(f"__year__{name}")[name].to_list()
            if known is not None and known.in_memory:
                # the later, unvalidated rules on this frame read them instead of the rows
                seen_text = pl.Series(name, [v for v in values_seen if v is not None], pl.String)
                known.distinct.setdefault(name, seen_text)
            school_years[name], problem = _school_years(lf, name, values_seen)
            if problem is not None:
                problems.append(problem)
            if self.last_year is not None:
                problem = _future_years(lf, name, school_years[name], self.last_year)
                if problem is not None:
                    problems.append(problem)
        catalogue_seen: dict[tuple[str, ...], pl.DataFrame] = {}
        for name, check in catalogue:
            catalogue_seen[check.columns] = seen_ = frames.pop(name)
            problems.extend(_catalogue_problems(lf, check, seen_, school_years, self.columns))
        frames |= {_combination_name(cols): seen_ for cols, seen_ in catalogue_seen.items()}
        problems.extend(self._dependency_problems(lf, row, dependencies, school_years))
        seen_values = {
            c: row[f"__values__{c}"]
            for c in value_columns
            if not all(v.candidates is not None for v in value_checks if v.column == c)
        }
        # Two spellings of one key value (rare): the exact count, in the same round as
        # every other problem (a spelling that is no school year stays as it is).
        spelled = (
            self.key_spellings(catalogue_seen)
            if check_keys and self.key_spellings is not None
            else None
        )
        if check_keys and (spelled or self._key_spellings_collide(school_years, seen_values)):
            problem = self._duplicate_problem(lf, self._normalised_key(school_years, spelled))
            if problem is not None and spelled:
                # the contract's canonical count covers the duplicates as given too
                problems = [p for p in problems if p.column != ", ".join(self.key)]
            if problem is not None:
                problems.append(problem)
        if problems:
            raise DataError(self.what, problems)
        return Validated(
            present,
            school_years,
            frames,
            {name: row[f"__agg__{name}"] for name in extra},
            {c: v for c, v in seen_values.items() if isinstance(v, pl.Series)},
            lf,
        )

    def _labels_seen(
        self, row: Mapping[str, object], present: frozenset[str]
    ) -> dict[str, dict[str, str]]:
        """For columns given as labels, the mapping of each label seen to its value."""
        out: dict[str, dict[str, str]] = {}
        for col in self.columns:
            seen = row.get(f"__values__{col.name}")
            if not col.labels or col.name not in present or not isinstance(seen, pl.Series):
                continue
            mapping = _label_mapping(col, seen.cast(pl.String).to_list())
            if mapping:
                out[col.name] = mapping
        return out

    def _id_columns(
        self, schema: pl.Schema, present: frozenset[str], by: Sequence[str]
    ) -> list[str]:
        """The id-like columns present with a text or integer dtype (contract or ``by``)."""
        names = [c.name for c in self.columns if c.name in present and c.kind == "id"]
        names += [c.name for c in self.columns if c.name in present and c.name in ID_COLUMNS]
        names += [c for c in by if c in ID_COLUMNS and c in schema]
        return [c for c in dict.fromkeys(names) if _is_text(schema[c]) or schema[c].is_integer()]

    def _key_counts(
        self, dependencies: Sequence[tuple[tuple[str, ...], str]], *, check_keys: bool
    ) -> list[pl.Expr]:
        """Duplicated keys and dependency breaches as aggregates on combined hashes."""
        exprs = [
            (_combined_hash((*k, c)).n_unique() - _combined_hash(k).n_unique()).alias(f"__dep{i}")
            for i, (k, c) in enumerate(dependencies)
        ]
        if check_keys:
            # A 64-bit hash of the key counts distinct keys at half the cost of the key
            # itself; a count above zero is confirmed exactly before it is reported.
            exprs.append((pl.len() - _combined_hash(self.key).n_unique()).alias("__dups"))
        return exprs

    def _grouped_counts(
        self,
        lf: pl.LazyFrame,
        schema: pl.Schema,
        dependencies: Sequence[tuple[tuple[str, ...], str]],
        ids: Sequence[str] = (),
        *,
        years: Sequence[str] = (),
    ) -> pl.LazyFrame:
        """Duplicated keys and dependency breaches from one grouping on the key's prefix.

        With ``ids`` (columns of the prefix or attributes), also their distinct values
        (``__ids__<column>``) from the first row of each group; ``years`` (school-year
        columns of the prefix) likewise give their distinct values as text
        (``__distinct____year__<column>``, as :meth:`validate` names a column's distinct
        school years). A group holding two values of such a column of the
        prefix (two pupils whose combined hash collides) counts as one whose attributes
        vary (``__varying``): a second combination of the same hashes joins the attribute
        hash, so the caller reads the values exactly, as when an attribute varies.

        A one-row plan (``__dups``, ``__varying``), collected together with the
        validation aggregates. When the key's last column is an Enum of at most 64
        categories, each row adds its category's bit and a group has a repeated key
        exactly when the sum has fewer bits set than the group has rows (a repeated
        bit carries): integer sums, no distinct count and no ``bitwise_or`` in the
        grouping. The attributes are compared through one combined hash: a breach flags
        every dependency, and the exact check that follows (error path only) finds
        which attributes vary. ``__dups`` is above zero exactly when some key repeats
        (the exact count is taken on the error path).
        """
        last = self.key[-1]
        prefix = self.key[:-1]
        dtype = schema[last]
        # only the columns the grouping reads, each hashed once
        hashed = [*prefix, last]
        distinct = pl.col(f"__hash__{last}").n_unique()
        extra: list[pl.Expr] = []
        if isinstance(dtype, pl.Enum) and dtype.categories.len() <= 64:
            bits = pl.Series([1 << i for i in range(dtype.categories.len())], dtype=pl.UInt64)
            hashed = list(prefix)
            extra = [pl.lit(bits).gather(pl.col(last).to_physical()).alias("__bit")]
            # wrapping UInt64 sum: a lost carry out of the top bit lowers the count too
            distinct = pl.col("__bit").sum().bitwise_count_ones()
        split_by = [c for c in (*ids, *years) if c in prefix]
        if split_by and not set(split_by) <= set(hashed):
            hashed = [*hashed, *(c for c in split_by if c not in hashed)]
        rows = lf.select(
            *(pl.col(c).hash(seed=_SEED).alias(f"__hash__{c}") for c in hashed),
            *extra,
            # every attribute in one hash (seeded per column): a group whose attributes
            # vary has two values of it; which attribute varies is found exactly later
            _attribute_hash([c for _, c in dependencies]).alias("__attributes"),
            *(pl.col(c) for c in ids),
            *(pl.col(c).alias(f"__years__{c}") for c in years),
        )
        if split_by:
            rows = rows.with_columns(pl.col("__attributes") ^ _second_combination(split_by))
        varying = pl.col("__attributes").min() != pl.col("__attributes").max()
        groups = rows.group_by(_combined_hash(prefix).alias("__group")).agg(
            (pl.len() - distinct.cast(pl.UInt32)).alias("__dups"),
            varying.alias("__varying"),
            *(pl.col(c).first() for c in ids),
            # as text once per group, not once per row (a Categorical year)
            *(pl.col(f"__years__{c}").first().cast(pl.String) for c in years),
        )
        read = [*ids, *(f"__years__{c}" for c in years)]
        return groups.select(
            pl.exclude("__group", *read).sum(),
            *(pl.col(c).unique().implode().alias(f"__ids__{c}") for c in ids),
            *(
                pl.col(f"__years__{c}").unique().implode().alias(f"__distinct____year__{c}")
                for c in years
            ),
        )

    def _found_problems(
        self,
        lf: pl.LazyFrame,
        row: Mapping[str, object],
        checks: Sequence[RowCheck],
        value_checks: Sequence[ValueCheck],
    ) -> list[Problem]:
        """Problems behind the validation query's counts, with examples (error path)."""
        problems: list[Problem] = []
        for i, check in enumerate(checks):
            n = row[f"__check{i}"]
            if isinstance(n, int) and n:
                problems.append(Problem(check.label, check.rule, n, _examples(lf, check)))
        for v in value_checks:
            seen = row[f"__values__{v.column}"]
            assert isinstance(seen, pl.Series)
            problem = v.problem(lf, seen)
            if problem is not None:
                problems.append(problem)
        dups = row.get("__dups")
        if isinstance(dups, int) and dups:
            problem = self._duplicate_problem(lf)
            if problem is not None:
                problems.append(problem)
        return problems

    def _schema_problems(
        self, schema: pl.Schema, by: Sequence[str]
    ) -> tuple[frozenset[str], list[Problem]]:
        """Columns present with an accepted dtype, and the schema's problems."""
        problems: list[Problem] = []
        present: set[str] = set()
        missing = [c.name for c in self.columns if c.name not in schema]
        hints = missing_column_hints([*missing, *by], schema.names())
        for col in self.columns:
            if col.name not in schema:
                if col.required:
                    problems.append(
                        Problem(
                            col.name,
                            f"missing column ({_KIND_TEXT[col.kind]})" + _hint(hints, col.name),
                        )
                    )
                continue
            dtype = schema[col.name]
            if not _accepts(col.kind, dtype):
                problems.append(
                    Problem(col.name, f"wrong dtype {dtype}: expected {_KIND_TEXT[col.kind]}")
                )
                continue
            present.add(col.name)
        problems.extend(
            Problem(", ".join(names), text)
            for names, text in self.needs
            if not any(n in present for n in names)
            and not any(n in schema for n in names if n not in present)
        )
        # A missing required column is reported above; any other missing grouping
        # column (unknown to the contract, or optional in it) is reported here.
        required = {c.name for c in self.columns if c.required}
        problems.extend(
            Problem(name, "grouping column (in by=) is missing from the frame" + _hint(hints, name))
            for name in by
            if name not in schema and name not in required
        )
        return frozenset(present), problems

    def _null_checks(self, present: frozenset[str]) -> list[RowCheck]:
        return [
            RowCheck(col.name, "missing value (null)", pl.col(col.name).is_null(), ())
            for col in self.columns
            if col.name in present and not col.nullable
        ]

    def _ids_repeat(self, column: str) -> bool:
        """Whether an id column's values repeat over the rows (read its distinct values).

        The finest id of a key made only of school years and ids (the pupil of one row
        per pupil and year) has about as many values as rows: hashing them all costs
        more than a row-by-row test. Every other id (a school, a municipality) repeats.
        """
        kinds = {c.name: c.kind for c in self.columns}
        ids = [k for k in self.key if kinds.get(k) == "id"]
        if not ids or column != ids[-1]:
            return True
        return any(kinds.get(k) not in ("id", "school_year") for k in self.key)

    def _value_checks(
        self,
        schema: pl.Schema,
        present: frozenset[str],
        id_columns: Sequence[str],
        *,
        allow_cpr: bool,
    ) -> list[ValueCheck]:
        checks: list[ValueCheck] = []
        for col in self.columns:
            if col.name not in present:
                continue
            if col.allowed is not None:
                allowed = list(col.allowed)
                shown = ", ".join(repr(a) for a in allowed[:12])
                if len(allowed) > 12:
                    shown += ", ..."
                labels = list(col.label_map())
                if labels:
                    shown += " or their labels, e.g. " + repr(col.labels[0][0])
                checks.append(
                    ValueCheck(
                        col.name,
                        f"unknown value (allowed: {shown})",
                        lambda e, allowed=allowed, labels=labels: (
                            ~(  # type: ignore[misc]
                                _as_text(e).is_in(allowed) | _label_expr(e).is_in(labels)
                            )
                        ),
                    )
                )
            checks.extend(ValueCheck(col.name, c.rule, c.bad) for c in col.checks)
        for name in [] if allow_cpr else id_columns:
            zero_pad = schema[name].is_integer()
            checks.append(
                ValueCheck(
                    name,
                    CPR_RULE if name == "pupil_id" else CPR_RULE.replace("pupil ids", name),
                    lambda e, zero_pad=zero_pad: looks_like_cpr(e, zero_pad=zero_pad),  # type: ignore[misc]
                    show=False,
                    prefilter=_cpr_shaped(zero_pad=zero_pad),
                    candidates=_cpr_length(zero_pad=zero_pad),
                )
            )
        return checks

    def _duplicate_problem(
        self, lf: pl.LazyFrame, key: Sequence[pl.Expr] | None = None
    ) -> Problem | None:
        """Exact count and examples of duplicated keys (``None`` if there are none).

        With ``key`` (normalised key expressions) rows that differ only in the
        spelling of a key value ("2017/18" and "2017/2018") count as duplicates.
        """
        names = list(self.key)
        exprs = [e.alias(n) for e, n in zip(key, names, strict=True)] if key else names
        dup = lf.group_by(exprs).len().filter(pl.col("len") > 1).collect()
        if dup.is_empty():
            return None  # a hash collision, not a duplicate
        n = int(dup["len"].sum() - dup.height)
        examples = tuple(
            "(" + ", ".join(_shown(k, v) for k, v in r.items() if k != "len") + ")"
            for r in dup.sort(names).head(_N_EXAMPLES).iter_rows(named=True)
        )
        spelled = " (after normalising spellings such as '2017/2018' and ' x ')" if key else ""
        rule = (
            self.duplicate_rule(n)
            if self.duplicate_rule is not None
            else f"duplicated key{spelled}: {n} row{'s' if n != 1 else ''} repeat a key already"
            " present (each key must occur once)"
        )
        return Problem(", ".join(self.key), rule, n, examples)

    def _dependency_problems(
        self,
        lf: pl.LazyFrame,
        row: Mapping[str, object],
        dependencies: Sequence[tuple[tuple[str, ...], str]],
        school_years: Mapping[str, Mapping[str, str]],
    ) -> list[Problem]:
        """The breaches of the dependencies counted in the validation query."""
        breached = [
            (k, c)
            for i, (k, c) in enumerate(dependencies)
            if isinstance(n := row[f"__dep{i}"], int) and n
        ]
        if self.per_pupil_rule is None or not self.pupil:
            found = [_dependency_problem(lf, k, c) for k, c in breached]
        else:
            found = [_dependency_problem(lf, k, c) for k, c in breached if k != self.pupil]
        # the grouped count flags every dependency at once: keep those that do break
        problems = [p for p in found if p is not None]
        if self.per_pupil_rule is None or not self.pupil:
            return problems
        attributes = [c for k, c in dependencies if k == self.pupil]
        respelled = any(
            len(set(school_years[name].values())) < len(school_years[name])
            for name in self.pupil
            if name in school_years
        )
        if attributes and (respelled or any(k == self.pupil for k, _ in breached)):
            # Exact, with canonical school years (two spellings of a year hash apart).
            problem = self._pupil_problem(lf, attributes, school_years)
            if problem is not None:
                problems.append(problem)
        return problems

    def _pupil_problem(
        self,
        lf: pl.LazyFrame,
        attributes: Sequence[str],
        school_years: Mapping[str, Mapping[str, str]],
    ) -> Problem | None:
        """Pupils whose attributes vary, as one problem in the contract's words."""
        assert self.per_pupil_rule is not None
        key = [
            pl.col(c).cast(pl.String).replace(dict(school_years[c])).alias(c)
            if school_years.get(c)
            else pl.col(c)
            for c in self.pupil
        ]
        pupils = (
            lf.group_by(key)
            .agg(pl.len().alias("__rows"), *(pl.col(c).n_unique().alias(c) for c in attributes))
            .filter(pl.any_horizontal(pl.col(c) > 1 for c in attributes))
            .sort(list(self.pupil))
            .collect()
        )
        if pupils.is_empty():
            return None
        examples = tuple(
            "(" + ", ".join(_shown(c, r[c]) for c in self.pupil) + ")"
            for r in pupils.head(_N_EXAMPLES).iter_rows(named=True)
        )
        names = [c for c in attributes if (pupils[c] > 1).any()]
        return Problem(
            ", ".join(self.pupil),
            self.per_pupil_rule(names, pupils.height),
            int(pupils["__rows"].sum()),
            examples,
        )

    def _normalised_key(
        self,
        school_years: Mapping[str, Mapping[str, str]],
        spelled: Mapping[str, pl.Expr] | None = None,
    ) -> list[pl.Expr]:
        out = []
        for name in self.key:
            col = self.column(name) if name in {c.name for c in self.columns} else None
            if spelled and name in spelled:
                out.append(spelled[name])
            elif school_years.get(name):
                out.append(pl.col(name).cast(pl.String).replace(dict(school_years[name])))
            elif col is not None and col.allowed is not None:
                out.append(_as_text(pl.col(name)))
            else:
                out.append(pl.col(name))
        return out

    def _key_spellings_collide(
        self, school_years: Mapping[str, Mapping[str, str]], seen: Mapping[str, object]
    ) -> bool:
        """Whether two spellings of one key value occur (then duplicates need a second look)."""
        for name in self.key:
            mapping = school_years.get(name)
            if mapping and len(set(mapping.values())) < len(mapping):
                return True
            values = seen.get(name)
            if isinstance(values, pl.Series) and values.dtype == pl.String:
                stripped = values.str.strip_chars()
                if stripped.n_unique() < values.n_unique():
                    return True
        return False


_SEED = 20_180_101
_MIX = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads bits when combining hashes
_MIX_SECOND = 0xC2B2AE3D27D4EB4F  # another odd 64-bit multiplier (xxHash's prime 2)


def _combined_hash(columns: Sequence[str]) -> pl.Expr:
    """One 64-bit hash of several columns from their precomputed ``__hash__`` columns.

    Distinct keys are counted on it; a count that reveals a duplicate is always
    confirmed exactly before anything is reported, so a collision can only hide
    nothing and report nothing.
    """
    out = pl.col(f"__hash__{columns[0]}")
    for c in columns[1:]:
        out = (out * _MIX) ^ pl.col(f"__hash__{c}")
    return out


def _sharing(combinations: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """For each combination that another one covers, the name of the covering one.

    The covering one is the widest (first of equals) among those not covered themselves.
    """
    names = list(combinations)
    out: dict[str, str] = {}
    for name in names:
        cols = set(combinations[name])
        covers = [
            other
            for other in names
            if other != name
            and cols <= set(combinations[other])
            and (len(combinations[other]) > len(cols) or names.index(other) < names.index(name))
        ]
        if covers:
            out[name] = max(covers, key=lambda o: (len(combinations[o]), -names.index(o)))
    # follow chains to a combination that is collected itself
    for name, first in list(out.items()):
        root = first
        while root in out:
            root = out[root]
        out[name] = root
    return out


def _second_combination(columns: Sequence[str]) -> pl.Expr:
    """Another 64-bit combination of the ``__hash__`` columns than :func:`_combined_hash`.

    Two rows whose combined hashes collide although their values differ differ in this
    one (but for a second, independent collision): within a group of equal combined
    hashes it varies exactly when the group holds two values. ``0`` without columns.
    """
    out = pl.lit(0, dtype=pl.UInt64)
    for c in columns:
        out = (out * _MIX_SECOND) + pl.col(f"__hash__{c}")
    return out


def _attribute_hash(columns: Sequence[str]) -> pl.Expr:
    """One 64-bit hash of several columns, each hashed with its own seed."""
    out = pl.lit(0, dtype=pl.UInt64)
    for i, c in enumerate(dict.fromkeys(columns)):
        out = out ^ pl.col(c).hash(seed=_SEED + 1 + i)
    return out


def _candidates(column: str, checks: Sequence[ValueCheck]) -> pl.Expr:
    """The column's values that some check could fail (all of them unless every check says)."""
    col = pl.col(column)
    if not checks or any(v.candidates is None for v in checks):
        return col
    keep = pl.lit(value=False)
    for v in checks:
        assert v.candidates is not None
        keep = keep | v.candidates(col).fill_null(value=False)
    return col.filter(keep)


def _cpr_length(*, zero_pad: bool) -> Callable[[pl.Expr], pl.Expr]:
    """Rows whose id could be a CPR number: its length and, for text, its shape.

    Of a CPR's length (10-13 characters, or 9-10 digits) and, for text, of its shape
    (six digits, an optional dash or space, four digits).

    The shape matters where every id has a CPR's length (``"E"`` and eleven digits):
    an anchored regular expression rejects those at the first character.
    """

    def length(expr: pl.Expr) -> pl.Expr:
        if zero_pad:
            return expr.is_between(10**8, 10**10 - 1)
        text = expr.cast(pl.String)
        return text.str.len_chars().is_between(10, 13) & _cpr_shaped(zero_pad=False)(text)

    return length


def _cpr_shaped(*, zero_pad: bool) -> Callable[[pl.Expr], pl.Expr]:
    """A cheap regular-expression test every CPR-like value passes (before the date check)."""
    pattern = r"^\d{9,10}$" if zero_pad else r"^\s*\d{6}[-\s]?\d{4}\s*$"

    def shaped(expr: pl.Expr) -> pl.Expr:
        return expr.cast(pl.String).str.contains(pattern)

    return shaped


def _hint(hints: Mapping[str, str], name: str) -> str:
    """The Danish-header hint for a missing column, or nothing."""
    if name not in hints:
        return ""
    return (
        f"; the frame has {hints[name]!r}, which is the Danish name for it: rename it to {name!r}"
    )


def _cleaned(lf: pl.LazyFrame, checked: Validated) -> Validated:
    """``checked``, its clean frame remembered as ``lf``'s (:attr:`Facts.cleaned`).

    For a caller that hands ``lf`` to unvalidated rules after one validated rule (the
    indicator table): they read the frame validation made of it, with one spelling per
    id, codes for labels and klassetrin as numbers.
    """
    if checked.frame is not None:
        remember(lf).cleaned = checked.frame
    return checked


def normalise_id_columns(
    lf: pl.LazyFrame, what: str, columns: Collection[str] | None = None
) -> pl.LazyFrame:
    """``lf`` with every text id column normalised where some value needs it.

    The id columns (:data:`~folkeskolekvalitet._core.ids.ID_COLUMNS`, or those of
    them in ``columns``: the ones the caller's rules read) are read
    through their distinct values in one query; only a column with a value that
    :func:`~folkeskolekvalitet.normalise_id` changes is rewritten, and an
    :class:`~folkeskolekvalitet.IdsNormalisedWarning` says how many values. For a
    caller that passes one input to several rules (the indicator table): the
    rules then see one spelling per id, whichever of them validates.

    Examples
    --------
    >>> import warnings
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.schema import normalise_id_columns
    >>> lf = pl.LazyFrame({"pupil_id": ["p1", "p1 ", "p2"], "score": [1, 2, 3]})
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     normalise_id_columns(lf, "answers").collect()["pupil_id"].to_list()
    ['p1', 'p1', 'p2']
    """
    schema = lf.collect_schema()
    ids = [
        c
        for c in schema.names()
        if c in ID_COLUMNS and _is_text(schema[c]) and (columns is None or c in columns)
    ]
    if not ids:
        return lf
    row = lf.select(pl.col(c).unique().implode() for c in ids).collect()
    changed: dict[str, int] = {}
    for c in ids:
        distinct = row[c][0].rename(c).to_frame()
        n = int(distinct.select(id_needs_normalising(c)).item())
        if n:
            changed[c] = n
    if not changed:
        return lf
    warn_normalised(what, changed)
    return lf.with_columns(normalise_id(c).alias(c) for c in changed)


def relabel_columns(lf: pl.LazyFrame, columns: Sequence[Column]) -> pl.LazyFrame:
    """``lf`` with the official labels of ``columns`` replaced by their keys, where present.

    The columns with labels (``"Dansk, læsning"`` for ``dansk_laesning``) are read
    through their distinct values in one query; a column is rewritten only when some
    value is a label. For a caller that passes one input to several rules (the
    indicator table): every rule then reads keys, whichever of them validates.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.schema import Column, relabel_columns
    >>> subject = Column("subject", "string", allowed=("dansk",), labels=(("Dansk", "dansk"),))
    >>> lf = pl.LazyFrame({"subject": ["Dansk", "dansk", " DANSK "]})
    >>> relabel_columns(lf, [subject]).collect()["subject"].to_list()
    ['dansk', 'dansk', 'dansk']
    """
    schema = lf.collect_schema()
    labelled = [c for c in columns if c.labels and c.name in schema and _is_text(schema[c.name])]
    if not labelled:
        return lf
    row = lf.select(pl.col(c.name).cast(pl.String).unique().implode() for c in labelled).collect()
    mappings = {
        col.name: mapping
        for col in labelled
        if (mapping := _label_mapping(col, row[col.name][0].to_list()))
    }
    if not mappings:
        return lf
    return lf.with_columns(
        pl.col(name).cast(pl.String).replace(mapping).alias(name)
        for name, mapping in mappings.items()
    )


def _label_mapping(col: Column, values: Sequence[str | None]) -> dict[str, str]:
    """Each of ``values`` that is one of ``col``'s labels (not a key), mapped to its key."""
    allowed = set(col.allowed or ())
    labels = col.label_map()
    return {
        v: labels[label_key(v)]
        for v in values
        if v is not None and v.strip() not in allowed and label_key(v) in labels
    }


#: The warnings held back by :func:`normalised_once` (``None`` outside it).
_HELD: ContextVar[dict[str, None] | None] = ContextVar("_held_normalised", default=None)


def warn_normalised(what: str, changed: Mapping[str, int]) -> None:
    """Say how many id values of ``what`` were normalised, per column (a warning).

    Within :func:`normalised_once` the warning is held back and given once.
    """
    counts = ", ".join(f"{n} {c} value{'s' if n != 1 else ''}" for c, n in changed.items())
    message = (
        f"{what}: normalised {counts} (surrounding or non-breaking spaces, zero-width"
        " characters or another Unicode form), so that each id is one group"
    )
    held = _HELD.get()
    if held is not None:
        held[message] = None
        return
    warnings.warn(message, IdsNormalisedWarning, stacklevel=4)


@contextlib.contextmanager
def normalised_once() -> Iterator[None]:
    """Within the block, each distinct :class:`~folkeskolekvalitet.IdsNormalisedWarning` once.

    For a caller that validates one input in several rule calls (the indicator table
    validates transitions once per measure, wide well-being in each rule): the
    warnings are held back and each distinct one is given when the block ends, in the
    order they first came (also when the block raises, before the error propagates).

    Examples
    --------
    >>> import warnings
    >>> from folkeskolekvalitet._core.schema import normalised_once, warn_normalised
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     with normalised_once():
    ...         for _ in range(3):
    ...             warn_normalised("answers", {"pupil_id": 1})
    >>> len(caught)
    1
    """
    outer = _HELD.get()
    held: dict[str, None] = {}
    token = _HELD.set(held)
    try:
        yield
    except BaseException:
        _HELD.reset(token)
        # warnings turned into errors must not hide the error that ends the block
        with contextlib.suppress(IdsNormalisedWarning):
            _give(held, outer)
        raise
    _HELD.reset(token)
    _give(held, outer)


@contextlib.contextmanager
def normalising_unsaid() -> Iterator[None]:
    """Within the block, no :class:`~folkeskolekvalitet.IdsNormalisedWarning` is given.

    For a trial validation whose result is thrown away when it normalised some id
    (:func:`~folkeskolekvalitet._core.pipeline.pupil_step`): the full validation that
    follows then warns, with its own counts.

    Examples
    --------
    >>> import warnings
    >>> from folkeskolekvalitet._core.schema import normalising_unsaid, warn_normalised
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     with normalising_unsaid():
    ...         warn_normalised("answers", {"pupil_id": 1})
    >>> len(caught)
    0
    """
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def _give(held: Mapping[str, None], outer: dict[str, None] | None) -> None:
    """Warn each held message (or hand it to the enclosing :func:`normalised_once`)."""
    for message in held:
        if outer is not None:
            outer[message] = None
        else:
            # the frame of the caller of the function that opened the block
            warnings.warn(message, IdsNormalisedWarning, stacklevel=5)


def _shown(column: str, value: object) -> str:
    """An example value for a message; an id that looks like a CPR number is hidden."""
    if column in ID_COLUMNS and looks_like_cpr_id(value):
        return f"{column}=<hidden: looks like a CPR number>"
    return f"{column}={value!r}"


def _dependency_problem(lf: pl.LazyFrame, key: Sequence[str], column: str) -> Problem | None:
    bad = (
        lf.group_by(list(key))
        .agg(pl.col(column).n_unique().alias("n"))
        .filter(pl.col("n") > 1)
        .sort(list(key))
        .collect()
    )
    if bad.is_empty():
        return None  # a hash collision, or another dependency of the same grouping
    examples = tuple(
        "(" + ", ".join(_shown(k, v) for k, v in r.items() if k != "n") + ")"
        for r in bad.head(_N_EXAMPLES).iter_rows(named=True)
    )
    return Problem(
        column,
        f"must have one value per {', '.join(key)}, but {bad.height} such"
        f" group{'s have' if bad.height != 1 else ' has'} several",
        None,
        examples,
    )


def _school_years(
    lf: pl.LazyFrame, name: str, seen: Sequence[str | None]
) -> tuple[dict[str, str], Problem | None]:
    """Canonical form of each distinct school year, and a problem for those that are not."""
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for value in seen:
        if value is None:
            continue
        try:
            mapping[value] = normalise_school_year(value)
        except ValueError:
            bad.append(value)
    if not bad:
        return mapping, None
    n_bad = int(lf.select(pl.col(name).cast(pl.String).is_in(bad).sum()).collect().item())
    problem = Problem(
        name,
        "not a school year (expected 'YYYY/YY' with consecutive years, e.g. '2017/18')",
        n_bad,
        tuple(repr(v) for v in sorted(bad)[:_N_EXAMPLES]),
    )
    return mapping, problem


def _grade_levels(lf: pl.LazyFrame, name: str, *, nulls: bool) -> tuple[pl.Expr, list[Problem]]:
    """A text klassetrin column read as Int8 (text that is no klassetrin as null), and problems.

    The problems: text that is not a klassetrin, and (with ``nulls``) missing values.
    """
    row = lf.select(
        pl.col(name).cast(pl.String).unique().implode().alias("seen"),
        pl.col(name).null_count().alias("nulls"),
    ).collect()
    seen = row["seen"][0].to_list()
    problems: list[Problem] = []
    if nulls and row["nulls"][0]:
        problems.append(Problem(name, "missing value (null)", int(row["nulls"][0]), ()))
    mapping: dict[str, int] = {}
    bad: list[str] = []
    for value in seen:
        if value is None:
            continue
        level = grade_level_from_text(value)
        if level is None:
            bad.append(value)
        else:
            mapping[value] = level
    if bad:
        n = int(lf.select(pl.col(name).cast(pl.String).is_in(bad).sum()).collect().item())
        problems.append(
            Problem(
                name,
                "not a klassetrin (expected an integer, or text such as '4', '4. klasse'"
                " or 'børnehaveklasse')",
                n,
                tuple(repr(v) for v in sorted(bad)[:_N_EXAMPLES]),
            )
        )
    expr = pl.col(name).cast(pl.String).replace_strict(mapping, default=None, return_dtype=pl.Int8)
    return expr, problems


def _future_years(
    lf: pl.LazyFrame, name: str, mapping: Mapping[str, str], last_year: str
) -> Problem | None:
    """A problem for school years after the catalogue's last confirmed one."""
    last = parse_school_year(last_year)
    future = sorted(raw for raw, year in mapping.items() if parse_school_year(year) > last)
    if not future:
        return None
    n = int(lf.select(pl.col(name).cast(pl.String).is_in(future).sum()).collect().item())
    return Problem(
        name,
        f"school year after {last_year}, the last one whose catalogue is confirmed by an"
        " official source; the library will not apply an older year's rules silently"
        " (filter such rows out, or update the library)",
        n,
        tuple(repr(v) for v in future[:_N_EXAMPLES]),
    )


def _one_row(
    lf: pl.LazyFrame,
    exprs: Sequence[pl.Expr],
    hashed: Sequence[str],
    combinations: Mapping[str, Sequence[pl.Expr]] | None = None,
    plans: Mapping[str, pl.LazyFrame] | None = None,
) -> dict[str, object]:
    """Run the validation aggregates as one query; each key column is hashed once.

    ``combinations`` are the distinct combinations of several columns, found by
    groupings collected together with the aggregates (``collect_all``: a lazy input's
    plan is shared, not run again); each becomes a DataFrame under
    ``__distinct__<name>``. ``plans`` are further one-row queries collected with them;
    their columns join the result.
    """
    combinations = dict(combinations or {})
    plans = dict(plans or {})
    queries: list[pl.LazyFrame] = list(plans.values())
    if exprs:
        queries.append(
            lf.with_columns(
                pl.col(c).hash(seed=_SEED).alias(f"__hash__{c}") for c in hashed
            ).select(exprs)
        )
    queries += [lf.group_by(cols).agg() for cols in combinations.values()]
    if not queries:
        return {}
    results = pl.collect_all(queries)
    out: dict[str, object] = {}
    for _ in plans:
        frame = results.pop(0)
        out |= {name: frame[name][0] for name in frame.columns}
    if exprs:
        first = results.pop(0)
        out |= {name: first[name][0] for name in first.columns}
    for name, frame in zip(combinations, results, strict=True):
        out[f"__distinct__{name}"] = frame
    return out


def _unnest(values: object, cols: Sequence[str]) -> pl.DataFrame:
    if isinstance(values, pl.DataFrame):
        return values.select(cols)
    assert isinstance(values, pl.Series)
    if len(cols) == 1 and not isinstance(values.dtype, pl.Struct):
        return values.rename(cols[0]).to_frame()
    return values.struct.unnest().select(cols)


def _examples(lf: pl.LazyFrame, check: RowCheck) -> tuple[str, ...]:
    if not check.show:
        return ()
    rows = (
        lf.filter(check.bad.fill_null(value=False))
        .select(check.show)
        .unique(maintain_order=True)
        .head(_N_EXAMPLES)
        .collect()
    )
    if len(check.show) == 1:
        name = check.show[0]
        return tuple(_shown(name, v).removeprefix(f"{name}=") for v in rows.to_series())
    return tuple(
        "(" + ", ".join(_shown(k, v) for k, v in r.items()) + ")"
        for r in rows.iter_rows(named=True)
    )


def _catalogue_problems(
    lf: pl.LazyFrame,
    check: CatalogueCheck,
    seen: pl.DataFrame,
    school_years: Mapping[str, Mapping[str, str]],
    columns: Sequence[Column],
) -> list[Problem]:
    """The problems among the distinct combinations ``seen`` of a catalogue check."""
    allowed = {c.name: set(c.allowed) for c in columns if c.allowed is not None}
    found: dict[tuple[str, str, tuple[str, ...]], list[tuple[object, ...]]] = {}
    for raw in seen.iter_rows():
        if any(v is None for v in raw):
            continue
        canonical: list[object] = []
        for name, value in zip(check.columns, raw, strict=True):
            if name in school_years:
                value = school_years[name].get(str(value))  # noqa: PLW2901
            elif isinstance(value, str):
                value = value.strip()  # noqa: PLW2901
            if value is None or (name in allowed and str(value) not in allowed[name]):
                break
            canonical.append(value)
        else:
            verdict = check.judge(*canonical)
            if verdict is not None:
                found.setdefault(verdict, []).append(raw)
    problems: list[Problem] = []
    combo = pl.concat_str([pl.col(c).cast(pl.String) for c in check.columns], separator="\x1f")
    for (label, rule, shown), raws in found.items():
        keys = ["\x1f".join(str(v) for v in raw) for raw in raws]
        n = int(lf.select(combo.is_in(keys).sum()).collect().item())
        index = [check.columns.index(c) for c in shown]
        # raw values as given (an integer klassetrin shown as 8, not '8'), sorted as text
        examples = sorted(
            {tuple(raw[i] for i in index) for raw in raws},
            key=lambda e: tuple(str(v) for v in e),
        )
        problems.append(
            Problem(
                label,
                rule,
                n,
                tuple(
                    repr(e[0]) if len(e) == 1 else "(" + ", ".join(repr(v) for v in e) + ")"
                    for e in examples[:_N_EXAMPLES]
                ),
            )
        )
    return problems
