"""The transition-statuses input, declared: read by ``_core.pipeline.prepare``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import polars as pl

from folkeskolekvalitet._core.pipeline import Projection
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import Column, Contract
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


def _project(measure: str) -> Callable[[Projection], dict[str, pl.Expr]]:
    """The typed rows: the cohort's start year and the measure as an Enum ``category``."""
    enum = MEASURES[measure][1]

    def project(p: Projection) -> dict[str, pl.Expr]:
        return {
            "_start": p.year_start("cohort"),
            "category": p.enum(measure, enum),
        }

    return project


@functools.cache
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
        # the ids are read as text (an integer institution number gives text groups)
        group=("institution_id", "pupil_id"),
        not_by=((measure, "the rules count the pupils of each value of the measure"),),
        project=_project(measure),
    )


def prepare(
    statuses: pl.DataFrame | pl.LazyFrame,
    *,
    measure: str,
    by: Sequence[str],
    allow_cpr: bool,
    validate: bool,
) -> pl.LazyFrame:
    """Validate and return typed rows (the shared pipeline on :func:`contract`).

    The rows have the ``by`` columns (``cohort`` canonical, ids as text), ``_start``
    (Int32, the cohort's start year) and the measure as an Enum named ``category``.
    """
    prepared = _prepare(
        statuses,
        contract(measure),
        by=by,
        validate=validate,
        allow_cpr=allow_cpr,
        name="statuses",
    )
    return prepared.rows
