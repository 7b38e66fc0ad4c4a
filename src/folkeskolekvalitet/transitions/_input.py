"""The transition-statuses input contract and its preparation into a typed lazy frame."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.schema import Column, Contract
from folkeskolekvalitet._core.schoolyear import parse_school_year, school_year_expr
from folkeskolekvalitet.transitions.catalogue import (
    APPLICATION_ENUM,
    APPLICATIONS,
    STATUS_ENUM,
    STATUSES,
)

#: A leaver: one pupil leaving 9. klasse at one institution in one school year.
#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2024/25"
PUPIL_KEY = ("cohort", "institution_id", "pupil_id")

_STATUS_KEYS = tuple(s.key for s in STATUSES)
_APPLICATION_KEYS = tuple(a.key for a in APPLICATIONS)

#: The measure columns and their codes.
MEASURES: dict[str, tuple[tuple[str, ...], pl.Enum, str]] = {
    "status_3m": (_STATUS_KEYS, STATUS_ENUM, "Status on 1 October of the leaving year."),
    "status_15m": (_STATUS_KEYS, STATUS_ENUM, "Status on 1 October of the year after."),
    "application": (
        _APPLICATION_KEYS,
        APPLICATION_ENUM,
        "First priority of the application in March of 9. klasse.",
    ),
}


def contract(measure: str) -> Contract:
    """The contract of a rule that uses the column ``measure``."""
    allowed, _, description = MEASURES[measure]
    return Contract(
        "transition statuses",
        (
            Column(
                "cohort",
                "school_year",
                description="The school year the pupil left 9. klasse, e.g. '2017/18'.",
            ),
            Column("institution_id", "id", description="Institution (school) number."),
            Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
            Column(measure, "string", allowed=allowed, description=description),
        ),
        key=PUPIL_KEY,
        last_year=LAST_CONFIRMED_YEAR,
    )


def prepare(
    statuses: pl.DataFrame | pl.LazyFrame,
    *,
    measure: str,
    by: Sequence[str],
    allow_cpr: bool,
    validate: bool,
) -> pl.LazyFrame:
    """Validate and return typed rows.

    The rows have the ``by`` columns, ``_start`` (Int32, the cohort's start year)
    and the measure as an Enum named ``category``.
    """
    lf = as_lazy(statuses, "statuses")
    checked = contract(measure).validate(lf, by=by, allow_cpr=allow_cpr, values=validate)
    lf = checked.lf(lf)
    text = pl.col("cohort").cast(pl.String)
    if validate:
        mapping = dict(checked.school_years["cohort"])
        starts = {k: parse_school_year(v) for k, v in mapping.items()}
        if mapping:
            cohort = text.replace_strict(mapping, return_dtype=pl.String)
            start = text.replace_strict(starts, return_dtype=pl.Int32)
        else:  # no non-null cohort; replace_strict with an empty mapping keeps the input dtype
            cohort = pl.lit(None, dtype=pl.String)
            start = pl.lit(None, dtype=pl.Int32)
    else:
        # Normalise each distinct cohort once (a regex over every row is slow), staying
        # lazy: the distinct values are joined back.
        years = lf.select(text.unique().alias("_cohort_raw")).with_columns(
            school_year_expr("_cohort_raw").alias("_cohort")
        )
        lf = lf.with_columns(text.alias("_cohort_raw")).join(years, on="_cohort_raw", how="left")
        cohort = pl.col("_cohort")
        start = cohort.str.slice(0, 4).cast(pl.Int32)
    enum = MEASURES[measure][1]
    category = pl.col(measure).cast(pl.String).str.strip_chars().cast(enum)
    return lf.select(
        *[
            cohort.alias("cohort")
            if c == "cohort"
            else pl.col(c).cast(pl.String)
            if c in ("institution_id", "pupil_id")
            else pl.col(c)
            for c in dict.fromkeys(by)
        ],
        start.alias("_start"),
        category.alias("category"),
    )
