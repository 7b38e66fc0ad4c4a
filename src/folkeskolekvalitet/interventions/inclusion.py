"""Inklusionsgrad: the share of pupils in municipal school offers taught in general education.

The ministry's inklusionsgrad is the share of pupils in *kommunale
skoletilbud* -- folkeskoler, kommunale ungdomsskoler og ungdomskostskoler,
specialskoler for børn, dagbehandlingstilbud og behandlingshjem -- who are not
taught in a specialklasse or at a specialskole (segregated offers: specialskoler,
the internal schools of dagbehandlingstilbud and behandlingshjem, and
specialklasser in folkeskoler or kommunale ungdomsskoler). Pupils at frie
grundskoler and efterskoler are outside the population. Pupil numbers are stock
counts on 30 September. Segregeringsgrad = 1 - inklusionsgrad.

Sources
-------
- Specialundervisning (inklusionsgrad), Børne- og Undervisningsministeriet:
  https://www.uvm.dk/statistik/grundskolen/elever/specialundervisning
- Elevtal i grundskolen (30 September counts):
  https://www.uvm.dk/statistik/grundskolen/elever/elevtal-i-grundskolen
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.frames import FrameT, like_input, normalise_by
from folkeskolekvalitet._core.pipeline import Projection, prepare
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck

__all__ = ["SCHOOL_TYPES", "SCHOOL_TYPE_ENUM", "SchoolType", "inclusion_rate"]

INCLUSION_SOURCE = "https://www.uvm.dk/statistik/grundskolen/elever/specialundervisning"


@attrs.frozen
class SchoolType:
    """A type of school offer, as the inklusionsgrad sees it.

    Attributes
    ----------
    value
        Stable key, e.g. ``"folkeskole"``.
    label
        Danish name (the ministry's institution type).
    municipal
        Whether the type is a *kommunalt skoletilbud* (in the population).
    segregated
        Whether every pupil of the type is in a segregated offer (specialskole,
        dagbehandlingstilbud); for the other municipal types only pupils in a
        specialklasse are.
    source
        Where the classification comes from:
        https://www.uvm.dk/statistik/grundskolen/elever/specialundervisning

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import SCHOOL_TYPES
    >>> [(t.value, t.municipal, t.segregated) for t in SCHOOL_TYPES[2:4]]
    [('specialskole', True, True), ('dagbehandling', True, True)]
    """

    value: str
    label: str
    municipal: bool
    segregated: bool
    source: str = INCLUSION_SOURCE

    def __str__(self) -> str:
        return self.value


#: The school types of the inklusionsgrad.
SCHOOL_TYPES: tuple[SchoolType, ...] = (
    SchoolType("folkeskole", "Folkeskoler", municipal=True, segregated=False),
    SchoolType(
        "kommunal_ungdomsskole",
        "Kommunale ungdomsskoler og ungdomskostskoler",
        municipal=True,
        segregated=False,
    ),
    SchoolType("specialskole", "Specialskoler for børn", municipal=True, segregated=True),
    SchoolType(
        "dagbehandling",
        "Dagbehandlingstilbud og behandlingshjem",
        municipal=True,
        segregated=True,
    ),
    SchoolType(
        "fri_grundskole", "Friskoler og private grundskoler", municipal=False, segregated=False
    ),
    SchoolType("efterskole", "Efterskoler", municipal=False, segregated=False),
    SchoolType("andet", "Andre skoletilbud (uden for kommunale skoletilbud)", False, False),
)

#: The school types as a Polars Enum.
SCHOOL_TYPE_ENUM = pl.Enum([t.value for t in SCHOOL_TYPES])

_MUNICIPAL = [t.value for t in SCHOOL_TYPES if t.municipal]
_SEGREGATED = [t.value for t in SCHOOL_TYPES if t.segregated]
_CLASS_BASED = [t.value for t in SCHOOL_TYPES if t.municipal and not t.segregated]

#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2024/25"

PUPILS_CONTRACT = Contract(
    "pupils",
    (
        Column("school_year", "school_year", description="School year, e.g. '2020/21'."),
        Column("municipality_code", "id", required=False, description="Municipality code."),
        Column("institution_id", "id", required=False, description="Institution number."),
        Column(
            "pupil_id",
            "id",
            required=False,
            description="Pseudonymous pupil id (never a CPR number); unique per school year.",
        ),
        Column(
            "school_type",
            "string",
            allowed=tuple(t.value for t in SCHOOL_TYPES),
            description="School type (see SCHOOL_TYPES).",
        ),
        Column(
            "special_class",
            "boolean",
            nullable=True,
            description="Taught in a specialklasse (needed at folkeskoler and kommunale"
            " ungdomsskoler; ignored elsewhere).",
        ),
    ),
    key=("school_year", "pupil_id"),
    last_year=LAST_CONFIRMED_YEAR,
)


def _row_checks(present: frozenset[str]) -> list[RowCheck]:
    del present
    kind = pl.col("school_type").cast(pl.String).str.strip_chars()
    return [
        RowCheck(
            "special_class",
            "missing (null) for a pupil at a folkeskole or kommunal ungdomsskole, where it"
            " decides whether the pupil is segregated",
            kind.is_in(_CLASS_BASED) & pl.col("special_class").is_null(),
            ("school_type",),
        )
    ]


#: The largest pupil number one row of aggregated counts may hold (UInt32 range).
_MAX_ROW_COUNT = 2**32 - 1


def _project(count: str | None) -> Callable[[Projection], dict[str, pl.Expr]]:
    """The typed rows: the school type (Enum), the special-class flag and the row's weight."""

    def project(p: Projection) -> dict[str, pl.Expr]:
        out = {
            # unvalidated, a type that is no key is counted as no type (as before)
            "_school_type": p.enum("school_type", SCHOOL_TYPE_ENUM, strict=False),
            "_special_class": pl.col("special_class"),
        }
        if count is not None:
            out["_weight"] = pl.col(count).cast(pl.Int64)
        return out

    return project


@functools.cache
def _contract(count: str | None) -> Contract:
    """:data:`PUPILS_CONTRACT`, with the ``count`` column when rows are counts of pupils."""
    columns = PUPILS_CONTRACT.columns
    if count is not None:
        columns = (
            *columns,
            Column(
                count,
                "integer",
                checks=(
                    Check("negative number of pupils", lambda e: e < 0),
                    Check(
                        f"more than {_MAX_ROW_COUNT:,} pupils in one row (not a pupil count)",
                        lambda e: e > _MAX_ROW_COUNT,
                    ),
                ),
                description="Number of pupils the row stands for.",
            ),
        )
    return attrs.evolve(
        PUPILS_CONTRACT, columns=columns, row_checks=_row_checks, project=_project(count)
    )


def inclusion_rate(
    pupils: FrameT,
    *,
    by: str | Sequence[str] = ("school_year", "municipality_code"),
    count: str | None = None,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Inklusionsgrad per group: share of pupils in municipal offers taught in general education.

    Parameters
    ----------
    pupils
        One row per pupil (the 30 September count) with ``school_year``,
        ``school_type`` (a value of :data:`SCHOOL_TYPES`), ``special_class``
        (Boolean; may be null outside folkeskoler and kommunale ungdomsskoler),
        optional ``pupil_id`` (unique per school year), and the ``by`` columns.
        With ``count``, one row per group of pupils instead.
    by
        Grouping columns, e.g. ``("school_year", "municipality_code")``
        (default), ``("school_year", "institution_id")`` or
        ``("school_year", "grade_level")``.
    count
        Name of a column holding the number of pupils each row stands for
        (aggregated pupil numbers; an integer from 0 to 4,294,967,295);
        ``None`` (default): each row is a pupil. With ``count`` the ``n_*``
        columns are UInt64 (sums of counts can pass the UInt32 range).
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        ``by`` columns, ``n_pupils`` (all rows), ``n_municipal`` (pupils in
        municipal school offers: the denominator), ``n_special_class``,
        ``n_special_school`` (specialskoler and dagbehandlingstilbud),
        ``n_segregated`` (their sum), ``n_included`` (``n_municipal -
        n_segregated``), ``inclusion_rate`` (``n_included / n_municipal``,
        null without municipal pupils) and ``segregation_rate``
        (``1 - inclusion_rate``).

    Raises
    ------
    DataError
        For every problem in the input, listed together.

    Notes
    -----
    Source: Børne- og Undervisningsministeriet, specialundervisning and
    inklusionsgrad, https://www.uvm.dk/statistik/grundskolen/elever/specialundervisning

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.interventions import inclusion_rate
    >>> pupils = pl.DataFrame(
    ...     {
    ...         "school_year": "2020/21",
    ...         "municipality_code": "151",
    ...         "pupil_id": ["p1", "p2", "p3", "p4", "p5"],
    ...         "school_type": [
    ...             "folkeskole",
    ...             "folkeskole",
    ...             "folkeskole",
    ...             "specialskole",
    ...             "fri_grundskole",
    ...         ],
    ...         "special_class": [False, False, True, None, None],
    ...     }
    ... )
    >>> inclusion_rate(pupils).select("n_pupils", "n_municipal", "n_segregated", "inclusion_rate")
    shape: (1, 4)
    ┌──────────┬─────────────┬──────────────┬────────────────┐
    │ n_pupils ┆ n_municipal ┆ n_segregated ┆ inclusion_rate │
    │ ---      ┆ ---         ┆ ---          ┆ ---            │
    │ u32      ┆ u32         ┆ u32          ┆ f64            │
    ╞══════════╪═════════════╪══════════════╪════════════════╡
    │ 5        ┆ 4           ┆ 2            ┆ 0.5            │
    └──────────┴─────────────┴──────────────┴────────────────┘
    """
    groups = normalise_by(by)
    prepared = prepare(
        pupils,
        _contract(count),
        by=groups,
        validate=validate,
        allow_cpr=allow_cpr,
        name="pupils",
    )
    weight = pl.lit(1, dtype=pl.Int64) if count is None else pl.col("_weight")
    # summed pupil numbers can pass 2**32 - 1: UInt64 counts with ``count``
    n_dtype = pl.UInt32 if count is None else pl.UInt64
    kind = pl.col("_school_type")
    municipal = kind.is_in(_MUNICIPAL)
    special_class = kind.is_in(_CLASS_BASED) & pl.col("_special_class").fill_null(value=False)
    special_school = kind.is_in(_SEGREGATED)

    def total(mask: pl.Expr) -> pl.Expr:
        return (weight * mask.cast(pl.Int64)).sum().cast(n_dtype)

    n_pupils = pl.len() if count is None else pl.col("_weight").sum()
    agg = [
        n_pupils.cast(n_dtype).alias("n_pupils"),
        total(municipal).alias("n_municipal"),
        total(special_class).alias("n_special_class"),
        total(special_school).alias("n_special_school"),
    ]
    rows = prepared.rows
    grouped = rows.group_by(list(groups)).agg(agg) if groups else rows.select(agg)
    result = (
        grouped.with_columns(
            (pl.col("n_special_class") + pl.col("n_special_school")).alias("n_segregated")
        )
        .with_columns(
            (pl.col("n_municipal") - pl.col("n_segregated")).alias("n_included"),
        )
        .with_columns(
            safe_share(pl.col("n_included"), pl.col("n_municipal")).alias("inclusion_rate"),
            safe_share(pl.col("n_segregated"), pl.col("n_municipal")).alias("segregation_rate"),
        )
    )
    return like_input(pupils, sort_groups(result, groups))
