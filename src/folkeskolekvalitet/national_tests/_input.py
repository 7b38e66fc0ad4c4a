"""The test-results input, declared: read by :func:`folkeskolekvalitet._core.pipeline.prepare`."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import CatalogueError
from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.pipeline import Projection
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import CatalogueCheck, Check, Column, Contract
from folkeskolekvalitet._core.schoolyear import parse_school_year
from folkeskolekvalitet.national_tests.catalogue import (
    REGIMES,
    SUBJECT_ENUM,
    SUBJECTS,
    obligatory_tests,
    regime_for,
)
from folkeskolekvalitet.national_tests.levels import (
    CRITERION_FIRST_YEAR,
    LEVEL_ENUM,
    is_level_text,
    level,
    parse_level,
)

__all__ = ["FIRST_LINEAR_START", "RESULTS_CONTRACT", "RESULT_KEY", "Mode", "Prepared", "prepare"]

#: Keys of a pupil's result: one obligatory test per subject and school year.
RESULT_KEY = ("school_year", "pupil_id", "subject")

#: First school year of the linear regimes (the overgangstest).
FIRST_LINEAR_START = 2022

Mode = Literal["levels", "linear"]

_CRITERION_SUBJECTS = frozenset(s.key for s in SUBJECTS if s.criterion_levels)
_FIRST_LEVEL_START = parse_school_year(CRITERION_FIRST_YEAR)
_Verdict = tuple[str, str, tuple[str, ...]] | None


def _is_level(text: object) -> bool:
    """Whether ``text`` is a spelling of a criterion level."""
    try:
        level(str(text))
    except ValueError:
        return False
    return True


def _level_year(year: str, value: object) -> _Verdict:
    """Catalogue check: criterion levels exist from 2014/15 (reported from January 2015)."""
    if parse_school_year(year) >= _FIRST_LEVEL_START or not _is_level(value):
        return None
    return (
        "level",
        f"a criterion level before {CRITERION_FIRST_YEAR} (the criterion scale was"
        " reported from January 2015; earlier tests have percentiles only)",
        ("school_year",),
    )


def _level_subject(subject: str, value: object) -> _Verdict:
    """Catalogue check: only læsning and matematik have criterion levels."""
    if subject in _CRITERION_SUBJECTS or not _is_level(value):
        return None
    return (
        "level",
        "a criterion level for a subject without a criterion scale (levels exist for"
        " dansk_laesning and matematik only)",
        ("subject",),
    )


def _regime(mode: Mode, year: str) -> _Verdict:
    """Catalogue check: the school year has a test regime, and its results suit the rule."""
    try:
        regime = regime_for(year)
    except CatalogueError:
        return (
            "school_year",
            f"no national test regime: the nationale test became obligatory in"
            f" {REGIMES[0].first_year} (spring 2010)",
            ("school_year",),
        )
    if mode == "levels" and regime.result != "level":
        return (
            "school_year",
            f"wrong rule: a year of the {regime.label} ({regime.key}), which has no"
            " criterion levels: use good_share",
            ("school_year",),
        )
    if mode == "linear" and regime.result == "level":
        return (
            "school_year",
            "wrong rule: a year of the adaptive nationale test, whose results are"
            " criterion levels: use level_shares",
            ("school_year",),
        )
    return None


@functools.cache
def _obligatory(year: str) -> frozenset[tuple[str, int]]:
    return frozenset((t.subject, t.grade_level) for t in obligatory_tests(year))


def _obligatory_test(year: str, subject: str, grade_level: int) -> _Verdict:
    """Catalogue check: the (subject, klassetrin) is an obligatory test that school year."""
    try:
        tests = _obligatory(year)
    except CatalogueError:
        return None  # no regime: reported by the regime check
    if not 0 <= int(grade_level) <= 10 or (subject, int(grade_level)) in tests:
        return None  # a klassetrin outside 0-10 is reported by its column
    return (
        "school_year, subject, grade_level",
        "no such obligatory test that school year (see obligatory_tests(); e.g."
        " matematik 8. klasse only from 2017/18, geografi and biologi only until"
        " 2016/17); filter voluntary tests out first",
        ("school_year", "subject", "grade_level"),
    )


def _project(p: Projection) -> dict[str, pl.Expr]:
    """The typed rows: year start (Int32), subject (Enum), klassetrin (Int8), the results."""
    out = {
        "year_start": p.year_start(),
        "subject": p.enum("subject", SUBJECT_ENUM),
        "grade_level": pl.col("grade_level").cast(pl.Int8),
    }
    if p.has("level"):
        out["level"] = p.lookup(
            "level", lambda v: level(str(v)).key, LEVEL_ENUM, lambda: parse_level("level")
        )
    if p.has("points"):
        out["points"] = pl.col("points").cast(pl.Float64)
    if p.has("good"):
        out["good"] = pl.col("good").cast(pl.Boolean)
    return out


_RESULT = "the rules count the results of each group"

RESULTS_CONTRACT = Contract(
    "national test results",
    (
        Column(
            "school_year",
            "school_year",
            always=True,
            description="School year, e.g. '2017/18'.",
        ),
        Column("institution_id", "id", description="Institution (school) number."),
        Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
        Column(
            "subject",
            "string",
            allowed=tuple(s.key for s in SUBJECTS),
            labels=tuple((s.label, s.key) for s in SUBJECTS),
            always=True,
            description="Tested subject, e.g. 'dansk_laesning'.",
        ),
        Column(
            "grade_level",
            "integer",
            checks=(Check("not a klassetrin (0-10)", lambda e: (e < 0) | (e > 10)),),
            description="Klassetrin of the test (2-8).",
        ),
        Column(
            "level",
            "string",
            nullable=True,
            required=False,
            checks=(
                Check(
                    "not a criterion level (fremragende, rigtig_god, god, jaevn, mangelfuld,"
                    " ikke_tilstraekkelig, or an official label such as 'Rigtig god præstation')",
                    lambda e: ~is_level_text(e),
                ),
            ),
            always=True,
            description="Criterion level (læsning and matematik); null = no result.",
        ),
        Column(
            "points",
            "number",
            nullable=True,
            required=False,
            checks=(
                Check(
                    "not a number of points (must be finite and at least 0)",
                    lambda e: ~(e.cast(pl.Float64).is_finite() & (e >= 0)),
                ),
            ),
            description="Points (correct answers) in a linear test; null = no result.",
        ),
        Column(
            "good",
            "boolean",
            nullable=True,
            required=False,
            description='The delivered "god til" flag of a linear test.',
        ),
        Column(
            "percentile",
            "integer",
            nullable=True,
            required=False,
            checks=(Check("not a percentile (1-100)", lambda e: (e < 1) | (e > 100)),),
            description="Percentile 1-100 of the adaptive test (carried, never used for levels).",
        ),
    ),
    key=RESULT_KEY,
    # a pupil's test: the rules count them per group, subject and klassetrin
    group=("school_year", "institution_id", "pupil_id", "subject", "grade_level"),
    # No one-institution rule: each test is counted where it was taken, so a pupil who
    # moves school during the year (dansk at one school, matematik at the next) is fine.
    rows_per_pupil="few",
    not_by=tuple((c, _RESULT) for c in ("level", "points", "good", "percentile")),
    catalogue=(
        CatalogueCheck(("school_year", "level"), _level_year, always=True),
        CatalogueCheck(("subject", "level"), _level_subject),
        CatalogueCheck(("school_year", "subject", "grade_level"), _obligatory_test),
    ),
    project=_project,
)

_NEEDS: dict[str, tuple[str, ...]] = {"levels": ("level",), "linear": ("good", "points")}
_MISSING = {
    "levels": "missing column (criterion level as text, e.g. 'god' or 'God præstation');"
    " results of the linear tests (points, 'god til' flag) go to good_share",
    "linear": "missing column: good_share needs the delivered 'god til' flag (good,"
    " Boolean) or points with a cut_off",
}


@functools.cache
def contract(mode: Mode) -> Contract:
    """:data:`RESULTS_CONTRACT` for a rule of ``mode``: its result columns, its regimes."""
    regime = CatalogueCheck(("school_year",), functools.partial(_regime, mode))
    return attrs.evolve(
        RESULTS_CONTRACT,
        needs=((_NEEDS[mode], _MISSING[mode]),),
        catalogue=(*RESULTS_CONTRACT.catalogue[:1], regime, *RESULTS_CONTRACT.catalogue[1:]),
    )


@attrs.frozen
class Prepared:
    """Validated test results, typed.

    ``tests`` holds the distinct (school_year, subject, grade_level) of the input
    (canonical school years).
    """

    rows: pl.LazyFrame
    columns: frozenset[str]
    tests: pl.DataFrame
    #: (school year, subject) with a delivered "god til" flag (linear mode with ``good``).
    flagged: frozenset[tuple[str, str]] | None = None


def prepare(
    results: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str],
    mode: Mode,
    allow_cpr: bool,
    validate: bool,
) -> Prepared:
    """Validate test results and return typed rows (the shared pipeline on :func:`contract`).

    The rows have ``school_year`` (canonical), ``institution_id`` and ``pupil_id``
    (String), the other ``by`` columns, ``year_start`` (Int32), ``subject`` (Enum),
    ``grade_level`` (Int8) and, where present, ``level`` (Enum), ``points``
    (Float64) and ``good`` (Boolean). Every problem of the input, of every kind, is
    raised in one :class:`~folkeskolekvalitet.DataError`; with ``validate=False`` the
    school years, subjects and levels are still checked (on their distinct values),
    since the rules cannot read them otherwise.
    """
    # (a DataFrame goes to the pipeline as it is: it is read as lazy there, once)
    data = results if isinstance(results, pl.DataFrame) else as_lazy(results, "results")
    schema = data.collect_schema()
    # The distinct tests (with their levels and flags: a few hundred) are collected in the
    # validation query, even with validate=False; the catalogue checks read them too.
    tests = (
        "school_year",
        "subject",
        "grade_level",
        *(("level",) if "level" in schema else ()),
        *(("good",) if mode == "linear" and schema.get("good") == pl.Boolean else ()),
    )
    prepared = _prepare(
        data,
        contract(mode),
        by=by,
        validate=validate,
        allow_cpr=allow_cpr,
        name="results",
        distinct={"tests": tests},
    )
    checked = prepared.checked
    found = checked.distinct["tests"]
    years = dict(checked.school_years["school_year"])
    canonical = pl.col("school_year").cast(pl.String).replace_strict(years, return_dtype=pl.String)
    subject = pl.col("subject").cast(pl.String).str.strip_chars()
    flagged = None
    if "good" in tests:
        with_flag = found.filter(pl.col("good").is_not_null()).select(canonical, subject)
        flagged = frozenset((y, s) for y, s in with_flag.drop_nulls().iter_rows())
    distinct_tests = (
        found.select("school_year", "subject", "grade_level")
        .drop_nulls()
        .select(canonical, subject, pl.col("grade_level").cast(pl.Int8))
        .unique()
    )
    return Prepared(prepared.rows, checked.columns, distinct_tests, flagged)
