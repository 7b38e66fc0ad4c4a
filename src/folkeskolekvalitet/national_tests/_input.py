"""The test-results input contract and its preparation into a typed lazy frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import CatalogueError, DataError, Problem
from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.schema import Check, Column, Contract
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.national_tests.catalogue import (
    SUBJECT_ENUM,
    SUBJECTS,
    obligatory_tests,
    regime_for,
)
from folkeskolekvalitet.national_tests.levels import CRITERION_FIRST_YEAR, LEVEL_ENUM, level

#: Keys of a pupil's result: one obligatory test per subject and school year.
RESULT_KEY = ("school_year", "pupil_id", "subject")

#: First school year of the linear regimes (the overgangstest).
FIRST_LINEAR_START = 2022

_CRITERION_SUBJECTS = [s.key for s in SUBJECTS if s.criterion_levels]

RESULTS_CONTRACT = Contract(
    "national test results",
    (
        Column("school_year", "school_year", description="School year, e.g. '2017/18'."),
        Column("institution_id", "id", description="Institution (school) number."),
        Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
        Column(
            "subject",
            "string",
            allowed=tuple(s.key for s in SUBJECTS),
            labels=tuple((s.label, s.key) for s in SUBJECTS),
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
            # Values are checked on the distinct values (see _level_mapping), not row by row.
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
)

Mode = Literal["levels", "linear"]


def _with_level_problems(lf: pl.LazyFrame, err: DataError, *, check_levels: bool) -> DataError:
    """The contract's error with the level problems added, so that it lists every problem."""
    found = lf.select(pl.col("subject"), pl.col("level")).unique().collect()
    extra = _level_mapping(lf, found["level"])[1] if check_levels else []
    problem = _level_subject_problem(lf, found)
    extra += [problem] if problem is not None else []
    return DataError(err.what, [*err.problems, *extra]) if extra else err


def _level_subject_problem(lf: pl.LazyFrame, found: pl.DataFrame) -> Problem | None:
    """A criterion level given for a subject without the criterion scale."""
    known = {s.key for s in SUBJECTS}
    bad = found.filter(
        pl.col("level").is_not_null()
        & ~pl.col("subject").cast(pl.String).str.strip_chars().is_in(_CRITERION_SUBJECTS)
        & pl.col("subject").cast(pl.String).str.strip_chars().is_in(list(known))
    )
    if bad.is_empty():
        return None
    subjects = sorted({str(v).strip() for v in bad["subject"].to_list()})
    subject_text = pl.col("subject").cast(pl.String).str.strip_chars()
    n = lf.select((pl.col("level").is_not_null() & subject_text.is_in(subjects)).sum()).collect()
    return Problem(
        "level",
        "a criterion level for a subject without a criterion scale (levels exist for"
        " dansk_laesning and matematik only)",
        int(n.item()),
        tuple(repr(v) for v in subjects[:3]),
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
    """Validate test results and return typed rows.

    The rows have the ``by`` columns, ``school_year`` (canonical), ``year_start``
    (Int32), ``subject`` (Enum), ``grade_level`` (Int8) and, where present,
    ``level`` (Enum), ``points`` (Float64) and ``good`` (Boolean).
    """
    lf = as_lazy(results, "results")
    schema = lf.collect_schema()
    text_level = "level" in schema and isinstance(
        schema["level"], pl.String | pl.Categorical | pl.Enum
    )
    check_levels = text_level and schema["level"] != LEVEL_ENUM
    # The distinct (year, subject, klassetrin, level) combinations are collected in
    # the one validation query, even with validate=False: they are few, and they
    # give the catalogue check, the level check and a hash lookup for the levels
    # instead of parsing every row.
    key = (
        "school_year",
        "subject",
        "grade_level",
        *(("level",) if text_level else ()),
        *(("good",) if mode == "linear" and schema.get("good") == pl.Boolean else ()),
    )
    try:
        checked = _contract_for(schema).validate(
            lf, by=by, allow_cpr=allow_cpr, values=validate, distinct={"tests": key}
        )
        lf = checked.lf(lf)
    except DataError as err:
        if not text_level or not validate or "subject" not in schema:
            raise
        raise _with_level_problems(lf, err, check_levels=check_levels) from None
    found_tests = checked.distinct["tests"]
    problems: list[Problem] = []
    level_map: dict[str, str] | None = None
    if check_levels:
        level_map, level_problems = _level_mapping(lf, found_tests["level"].unique())
        problems += level_problems
    if text_level and validate:
        problem = _level_subject_problem(lf, found_tests)
        problems += [problem] if problem is not None else []
    if problems:
        raise DataError(RESULTS_CONTRACT.what, problems)
    present = checked.columns
    _check_mode_columns(present, mode)
    mapping = dict(checked.school_years.get("school_year") or _year_mapping(found_tests))
    if text_level:
        _check_level_years(lf, found_tests, mapping)
    flagged = _flagged_tests(found_tests, mapping) if "good" in key else None
    found_tests = found_tests.select("school_year", "subject", "grade_level").unique()
    if validate:
        _check_catalogue(lf, mapping, found_tests, mode)
    else:
        _check_subjects(found_tests)
    tests = (
        found_tests.drop_nulls()
        .select(
            pl.col("school_year").replace_strict(mapping, return_dtype=pl.String),
            pl.col("subject").cast(pl.String).str.strip_chars(),
            pl.col("grade_level").cast(pl.Int8),
        )
        .unique()
    )
    starts = {k: parse_school_year(v) for k, v in mapping.items()}
    year_text = pl.col("school_year").cast(pl.String)
    school_year = year_text.replace_strict(mapping, return_dtype=pl.String)
    start = year_text.replace_strict(starts, return_dtype=pl.Int32)

    subject = (
        pl.col("subject")
        if schema["subject"] == SUBJECT_ENUM
        else pl.col("subject").cast(pl.String).str.strip_chars().cast(SUBJECT_ENUM)
    )
    exprs: list[pl.Expr] = [
        pl.col(c).cast(pl.String) if c in ("institution_id", "pupil_id") else pl.col(c)
        for c in dict.fromkeys(by)
        if c not in ("school_year", "subject", "grade_level")
    ]
    exprs += [
        school_year.alias("school_year"),
        start.alias("year_start"),
        subject.alias("subject"),
        pl.col("grade_level").cast(pl.Int8),
    ]
    if "level" in present:
        exprs.append(_level_expr(schema, level_map).alias("level"))
    if "points" in present:
        exprs.append(pl.col("points").cast(pl.Float64))
    if "good" in present:
        exprs.append(pl.col("good").cast(pl.Boolean))
    return Prepared(lf.select(exprs), present, tests, flagged)


def _flagged_tests(found: pl.DataFrame, mapping: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """(canonical school year, subject) of the tests with at least one delivered flag."""
    with_flag = found.filter(pl.col("good").is_not_null() & pl.col("school_year").is_not_null())
    return frozenset(
        (mapping[y], str(subj).strip())
        for y, subj in with_flag.select("school_year", "subject").iter_rows()
        if y in mapping
    )


def _check_level_years(lf: pl.LazyFrame, found: pl.DataFrame, mapping: Mapping[str, str]) -> None:
    """Criterion levels exist from 2014/15: a level in an earlier school year is an error."""
    first = parse_school_year(CRITERION_FIRST_YEAR)
    early = sorted(
        {
            y
            for y, value in found.select("school_year", "level").iter_rows()
            if value is not None and y in mapping and parse_school_year(mapping[y]) < first
        }
    )
    if not early:
        return
    year_text = pl.col("school_year").cast(pl.String)
    n = lf.select((year_text.is_in(early) & pl.col("level").is_not_null()).sum()).collect()
    raise DataError(
        RESULTS_CONTRACT.what,
        [
            Problem(
                "level",
                f"a criterion level before {CRITERION_FIRST_YEAR} (the criterion scale was"
                " reported from January 2015; earlier tests have percentiles only)",
                int(n.item()),
                tuple(repr(y) for y in early[:3]),
            )
        ],
    )


def _year_mapping(found: pl.DataFrame) -> dict[str, str]:
    """Canonical school years of the distinct values (used when values are not validated)."""
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for value in found["school_year"].to_list():
        if value is None:
            continue
        try:
            mapping[value] = normalise_school_year(value)
        except ValueError:
            bad.append(value)
    if bad:
        raise DataError(
            RESULTS_CONTRACT.what,
            [
                Problem(
                    "school_year",
                    "not a school year (expected 'YYYY/YY' with consecutive years, e.g. '2017/18')",
                    None,
                    tuple(repr(v) for v in sorted(bad)[:3]),
                )
            ],
        )
    return mapping


def _check_subjects(found: pl.DataFrame) -> None:
    """Unknown subjects are an error even without value checks (they have no Enum code)."""
    known = {s.key for s in SUBJECTS}
    bad = sorted({str(v).strip() for v in found["subject"].to_list() if v is not None} - known)
    if bad:
        raise DataError(
            RESULTS_CONTRACT.what,
            [
                Problem(
                    "subject",
                    "unknown value (allowed: " + ", ".join(repr(k) for k in sorted(known)) + ")",
                    None,
                    tuple(repr(b) for b in bad[:3]),
                )
            ],
        )


def _level_expr(schema: pl.Schema, level_map: dict[str, str] | None) -> pl.Expr:
    if schema["level"] == LEVEL_ENUM or level_map is None:
        return pl.col("level")
    if not level_map:  # no level at all
        return pl.col("level").cast(pl.String).cast(LEVEL_ENUM)
    return pl.col("level").cast(pl.String).replace_strict(level_map, return_dtype=LEVEL_ENUM)


def _level_mapping(lf: pl.LazyFrame, values: pl.Series) -> tuple[dict[str, str], list[Problem]]:
    """Map each distinct level text to its key; a problem for the texts that are no level."""
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for value in values.cast(pl.String).to_list():
        if value is None:
            continue
        try:
            mapping[value] = level(value).key
        except ValueError:
            bad.append(value)
    if not bad:
        return mapping, []
    n = lf.select(pl.col("level").cast(pl.String).is_in(bad).sum()).collect().item()
    problem = Problem(
        "level",
        "not a criterion level (fremragende, rigtig_god, god, jaevn, mangelfuld,"
        " ikke_tilstraekkelig, or an official label such as 'Rigtig god præstation')",
        int(n),
        tuple(repr(v) for v in sorted(bad)[:3]),
    )
    return mapping, [problem]


def _contract_for(schema: pl.Schema) -> Contract:
    """The contract, without the text checks a column typed with the library's Enum cannot fail."""
    typed = {"subject": SUBJECT_ENUM, "level": LEVEL_ENUM}
    columns = tuple(
        attrs.evolve(c, allowed=None, checks=())
        if c.name in typed and schema.get(c.name) == typed[c.name]
        else c
        for c in RESULTS_CONTRACT.columns
    )
    return attrs.evolve(RESULTS_CONTRACT, columns=columns)


def _check_mode_columns(present: frozenset[str], mode: Mode) -> None:
    if mode == "levels" and "level" not in present:
        raise DataError(
            RESULTS_CONTRACT.what,
            [
                Problem(
                    "level",
                    "missing column (criterion level as text, e.g. 'god' or 'God præstation');"
                    " results of the linear tests (points, 'god til' flag) go to good_share",
                )
            ],
        )
    if mode == "linear" and not ({"good", "points"} & present):
        raise DataError(
            RESULTS_CONTRACT.what,
            [
                Problem(
                    "good, points",
                    "missing column: good_share needs the delivered 'god til' flag (good,"
                    " Boolean) or points with a cut_off",
                )
            ],
        )


def _check_catalogue(
    lf: pl.LazyFrame, mapping: Mapping[str, str], tests: pl.DataFrame, mode: Mode
) -> None:
    """Every (year, subject, grade) must be an obligatory test; years must suit the rule."""
    no_regime: dict[str, str] = {}
    wrong_regime: dict[str, str] = {}
    not_obligatory: list[tuple[str, str, int]] = []
    for raw_year, subj, grade in tests.iter_rows():
        if raw_year is None or subj is None or grade is None:
            continue
        year = mapping[raw_year]
        try:
            regime = regime_for(year)
        except CatalogueError as err:
            no_regime[raw_year] = str(err)
            continue
        if mode == "levels" and regime.result != "level":
            wrong_regime[raw_year] = (
                f"{year} is a year of the {regime.label} ({regime.key}), which has no"
                " criterion levels: use good_share"
            )
        elif mode == "linear" and regime.result == "level":
            wrong_regime[raw_year] = (
                f"{year} is a year of the adaptive nationale test, whose results are"
                " criterion levels: use level_shares"
            )
        keys = {(t.subject, t.grade_level) for t in obligatory_tests(year)}
        subj_key = str(subj).strip()
        if subj_key in {s.key for s in SUBJECTS} and (subj_key, int(grade)) not in keys:
            not_obligatory.append((raw_year, subj_key, int(grade)))
    problems: list[Problem] = []
    year_text = pl.col("school_year").cast(pl.String)
    for found, label in ((no_regime, "no national test regime"), (wrong_regime, "wrong rule")):
        if not found:
            continue
        n = lf.select(year_text.is_in(list(found)).sum()).collect().item()
        reasons = sorted(set(found.values()))
        problems.append(
            Problem(
                "school_year",
                f"{label}: " + "; ".join(reasons),
                int(n),
                tuple(repr(y) for y in sorted(found)[:3]),
            )
        )
    if not_obligatory:
        keys_text = [f"{y}|{s}|{g}" for y, s, g in not_obligatory]
        combo = pl.concat_str(
            [
                year_text,
                pl.col("subject").cast(pl.String).str.strip_chars(),
                pl.col("grade_level").cast(pl.String),
            ],
            separator="|",
        )
        n = lf.select(combo.is_in(keys_text).sum()).collect().item()
        problems.append(
            Problem(
                "school_year, subject, grade_level",
                "no such obligatory test that school year (see obligatory_tests(); e.g."
                " matematik 8. klasse only from 2017/18, geografi and biologi only until"
                " 2016/17); filter voluntary tests out first",
                int(n),
                tuple(f"({y!r}, {s!r}, {g})" for y, s, g in sorted(not_obligatory)[:3]),
            )
        )
    if problems:
        raise DataError(RESULTS_CONTRACT.what, problems)
