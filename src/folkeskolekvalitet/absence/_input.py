"""The absence-records input, declared: read by ``_core.pipeline.prepare``."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.exprs import PUPIL_KEY
from folkeskolekvalitet._core.frames import as_lazy, one_chunk
from folkeskolekvalitet._core.pipeline import Projection
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck
from folkeskolekvalitet.absence.catalogue import ABSENCE_KINDS

#: A pupil's unit of analysis: one pupil at one institution in one school year
#: (a pupil who changes school has one unit per school, each with its own months).
#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2024/25"
DAY_COLUMNS = tuple(k.column for k in ABSENCE_KINDS)

_NEGATIVE = Check("negative number of days", lambda e: e < 0)
_NOT_FINITE = Check(
    "not a finite number (NaN or infinity)", lambda e: ~e.cast(pl.Float64).is_finite()
)


def _row_checks(present: frozenset[str]) -> list[RowCheck]:
    values = [pl.col(c).cast(pl.Float64) for c in ("school_days", *DAY_COLUMNS)]
    sane = pl.all_horizontal([v.is_finite() & (v >= 0) for v in values])
    absent = pl.sum_horizontal(values[1:])
    checks = [
        RowCheck(
            "sick_days, authorised_days, unauthorised_days",
            "days absent (sick + authorised + unauthorised) exceed school_days",
            sane & (absent > values[0]),
            ("pupil_id", "school_days", *DAY_COLUMNS),
        )
    ]
    if "quarter" in present and "months_registered" in present:
        checks.append(
            RowCheck(
                "months_registered",
                "more than 3 months registered in a calendar quarter",
                pl.col("months_registered") > 3,
                ("pupil_id", "quarter", "months_registered"),
            )
        )
    return checks


def _project(p: Projection) -> dict[str, pl.Expr]:
    """The typed rows: the quarter (Int8) where given, the days and months (Float64)."""
    numbers = ["school_days", *DAY_COLUMNS, "months_registered"]
    return {
        **({"quarter": pl.col("quarter").cast(pl.Int8)} if p.has("quarter") else {}),
        **{c: pl.col(c).cast(pl.Float64) for c in numbers if p.has(c)},
    }


@functools.cache
def _contract(*, quarterly: bool, quarter_present: bool, months: bool) -> Contract:
    """The records' contract.

    The quarter is required for quarterly rules, the months for the weighted rate; the
    key has the quarter when the records have one.
    """
    day_checks = (_NEGATIVE, _NOT_FINITE)
    columns = [
        Column("school_year", "school_year", description="School year, e.g. '2017/18'."),
        Column(
            "quarter",
            "integer",
            required=quarterly,
            checks=(
                Check(
                    "quarter outside 1-4 (calendar quarters: 1 = January-March,"
                    " 2 = April-June, 3 = July-September, 4 = October-December)",
                    lambda e: (e < 1) | (e > 4),
                ),
            ),
            description="Calendar quarter 1-4 (optional; rows per quarter are added up per year).",
        ),
        Column("institution_id", "id", description="Institution (school) number."),
        Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
        Column(
            "grade_level",
            "integer",
            required=False,
            checks=(
                Check("not a klassetrin (0 = børnehaveklasse to 10)", lambda e: (e < 0) | (e > 10)),
            ),
            description="Klassetrin 0-10 (optional; checked when present).",
        ),
        Column(
            "school_days",
            "number",
            checks=day_checks,
            description="School days in the period (the denominator).",
        ),
        *[
            Column(k.column, "number", checks=day_checks, description=f"Days of {k.label}.")
            for k in ABSENCE_KINDS
        ],
        Column(
            "months_registered",
            "number",
            required=months,
            checks=(
                Check("negative number of months", lambda e: e < 0),
                Check("more than 12 months in a school year", lambda e: e > 12),
                _NOT_FINITE,
            ),
            description="Months of the period the pupil was registered at the institution.",
        ),
    ]
    key = PUPIL_KEY if not quarter_present else ("school_year", "quarter", *PUPIL_KEY[1:])
    return Contract(
        "absence records",
        tuple(columns),
        key=key,
        last_year=LAST_CONFIRMED_YEAR,
        group=PUPIL_KEY,
        row_checks=_row_checks,
        project=_project,
    )


@attrs.frozen
class Prepared:
    """Validated absence records: typed rows and what the rule needs to know."""

    rows: pl.LazyFrame
    quarterly: bool
    months: bool
    #: The carried columns (:attr:`folkeskolekvalitet._core.pipeline.Prepared.carry`).
    carry: tuple[str, ...] = ()


def prepare(
    records: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str],
    quarterly: bool,
    months: bool,
    allow_cpr: bool,
    validate: bool,
) -> Prepared:
    """Validate absence records and return typed rows.

    The rows have ``school_year`` (canonical String), ``quarter`` (Int8, if
    present), ``institution_id`` and ``pupil_id`` (String), the extra ``by``
    columns, ``school_days`` and the three day columns (Float64) and
    ``months_registered`` (Float64, if present or required).
    """
    records = one_chunk(records)  # copied once, if at all
    lf = as_lazy(records, "records")
    quarter_present = "quarter" in lf.collect_schema()
    contract = _contract(quarterly=quarterly, quarter_present=quarter_present, months=months)
    prepared = _prepare(
        records if isinstance(records, pl.DataFrame) else lf,
        contract,
        by=by,
        validate=validate,
        allow_cpr=allow_cpr,
        name="records",
    )
    has_months = "months_registered" in prepared.checked.columns
    return Prepared(prepared.rows, quarter_present, has_months, prepared.carry)
