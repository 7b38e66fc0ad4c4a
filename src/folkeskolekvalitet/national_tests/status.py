"""Goal status and the publication-safe view of national test results.

The national goals of the 2014 reform (resultatmål): at least 80 % of the
pupils are *good* at reading and maths (1.1); the share of *de allerdygtigste*
rises year by year (1.2); the share with *poor* results falls year by year
(2.1). "Year by year" compares a unit with **its own previous school year**, in
the same regime; a change across a regime boundary is never computed.

Test results are confidential (folkeskoleloven § 55 b). A public report may say
only whether a goal is met and in which direction a unit moved against its own
earlier years. :func:`publication_view` contains only that, withholds small
groups (and, across unit levels, what would let a held-back group be worked
out), and reports changes within two percentage points as unchanged.

Sources
-------
- Om nationale mål: https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/om-nationale-maal
- Kommunernes anvendelse af testresultater (what may be published):
  https://uvm.dk/folkeskolen/elevplaner-nationale-test-og-trivselsmaaling/nationale-test/kommunernes-anvendelse-af-testresultater
- Folkeskolelovens § 55 b (L 101, 2005-06):
  https://eu.dk/samling/20051/lovforslag/l101/spm/6/svar/229730/250331/index.htm
- Statusredegørelse 2022/23 (no development 2021/22 → 2022/23, new test):
  https://www.uvm.dk/aktuelt/nyheder/uvm/2024/april/240416-statusredegoerelse-for-folkeskolen-2022-23-er-offentliggjort
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core import verdicts
from folkeskolekvalitet._core.errors import CatalogueError, DataError, Problem
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet._core.suppression import complement
from folkeskolekvalitet.national_tests.catalogue import (
    FLAGS,
    OBLIGATORY_TESTS,
    REGIME_ENUM,
    REGIMES,
    SUBJECT_ENUM,
    SUBJECTS,
    obligatory_tests,
    regime_for,
)

__all__ = [
    "DIRECTIONS",
    "DIRECTION_ENUM",
    "GOALS",
    "GOAL_ENUM",
    "REASONS",
    "REASON_ENUM",
    "UNIT_COLUMNS",
    "Goal",
    "goal_status",
    "publication_view",
]

GOALS_SOURCE = (
    "https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/"
    "om-nationale-maal"
)

GoalKey = Literal["good", "best", "poor"]


@attrs.frozen
class Goal:
    """A national goal (resultatmål) followed with the national tests.

    Attributes
    ----------
    key
        ``"good"``, ``"best"`` or ``"poor"``.
    number
        The resultatmål number: ``"1.1"``, ``"1.2"``, ``"2.1"``.
    label
        The goal in Danish.
    rule
        How the library evaluates it.
    source
        Where the goal comes from.
    """

    key: GoalKey
    number: str
    label: str
    rule: str
    source: str = GOALS_SOURCE


#: The three goals, in the order of the resultatmål.
GOALS: tuple[Goal, ...] = (
    Goal(
        "good",
        "1.1",
        "Mindst 80 % af eleverne skal være gode til at læse og regne i de nationale test",
        "share with God præstation or better (linear tests: 'god til') >= good_threshold (0.80)",
    ),
    Goal(
        "best",
        "1.2",
        "Andelen af de allerdygtigste elever i dansk og matematik skal stige år for år",
        "share with Fremragende præstation higher than the same unit's previous school year",
    ),
    Goal(
        "poor",
        "2.1",
        "Andelen af elever med dårlige resultater i de nationale test for læsning og"
        " matematik skal reduceres år for år",
        "share with Mangelfuld or Ikke tilstrækkelig præstation lower than the same unit's"
        " previous school year",
    ),
)

#: The goal keys as a Polars Enum.
GOAL_ENUM = pl.Enum([g.key for g in GOALS])

#: Directions of change against the same unit's previous school year.
DIRECTIONS: tuple[str, ...] = ("up", "down", "unchanged", "not_comparable")
#: The directions as a Polars Enum.
DIRECTION_ENUM = pl.Enum(list(DIRECTIONS))

#: Why a goal or a direction cannot be evaluated, with an explanation.
REASONS: dict[str, str] = {
    "not_measured": "the regime has no criterion levels (linear tests: only 'good')",
    "no_results": "no pupil with a result this year",
    "too_few_pupils": "fewer pupils with a result than min_n this year (for a direction, or the"
    " year before)",
    "regime_boundary": "first year of a new test regime: no comparison with the old test",
    "new_test": "the test was not obligatory on this klassetrin the year before",
    "no_previous_year": "no result for the same unit, subject and klassetrin the year before",
    "no_previous_results": "no pupil with a result the year before",
    "comparability_flag": "this year or the year before is flagged as not comparable",
}
#: The reasons as a Polars Enum.
REASON_ENUM = pl.Enum(list(REASONS))

#: Columns taken as the unit when ``unit`` is not given (those present in the frame).
UNIT_COLUMNS: tuple[str, ...] = ("municipality_code", "institution_id", "department_id", "class_id")

Flagged = Literal["compare", "not_comparable"]

#: The largest count accepted (the exact comparisons multiply two counts in Int64).
MAX_COUNT = 2**31 - 1

#: The good goal's threshold (resultatmål 1.1), fixed in the publication view.
GOOD_THRESHOLD = 0.80

#: The default tolerance of :func:`publication_view`: none. The national goal says
#: the best share shall rise (and the poor share fall) year on year, so any change
#: counts; a tolerance would publish "not met" for a real rise.
PUBLICATION_UNCHANGED_WITHIN = 0.0

#: Column names the functions use themselves: a unit column must not be called so.
_RESERVED = frozenset(
    {
        "n_pupils",
        "n_good",
        "n_best",
        "n_poor",
        "n_no_result",
        "share",
        "share_good",
        "share_best",
        "share_poor",
        "n_pupils_previous",
        "share_previous",
        "goal",
        "goal_met",
        "direction",
        "reason",
    }
)

_KEY = ("subject", "grade_level", "school_year")
_GOAL_SUBJECTS = [s.key for s in SUBJECTS if s.goal_subject]


def _count_column(name: str, *, required: bool = True) -> Column:
    return Column(
        name,
        "integer",
        nullable=not required,
        required=required,
        checks=(
            Check("negative count", lambda e: e < 0),
            Check(
                f"count too large (more than {MAX_COUNT:,}: not a number of pupils)",
                lambda e: e > MAX_COUNT,
            ),
        ),
    )


def _contract(unit: tuple[str, ...]) -> Contract:
    return Contract(
        "national test shares",
        (
            # The top unit level is never null; a null lower level marks the row of
            # the level above (a municipality row has no institution_id).
            *(Column(u, "id", nullable=i > 0, description="Unit.") for i, u in enumerate(unit)),
            Column("school_year", "school_year"),
            Column(
                "subject",
                "string",
                allowed=tuple(s.key for s in SUBJECTS),
                labels=tuple((s.label, s.key) for s in SUBJECTS),
            ),
            Column("grade_level", "integer"),
            _count_column("n_pupils"),
            _count_column("n_good"),
            _count_column("n_best", required=False),
            _count_column("n_poor", required=False),
        ),
        key=(*unit, *_KEY),
    )


def _unit_checks(unit: tuple[str, ...]) -> list[RowCheck]:
    """A unit level is null only where every level below it is null too."""
    return [
        RowCheck(
            f"{above}, {below}",
            f"{below} given where {above} is null (a null level marks the row of the level"
            " above it, so every level below must be null too)",
            pl.col(above).is_null() & pl.col(below).is_not_null(),
            (above, below),
        )
        for above, below in itertools.pairwise(unit)
    ]


def _row_checks(present: frozenset[str]) -> list[RowCheck]:
    n, good = pl.col("n_pupils"), pl.col("n_good")
    checks = [
        RowCheck(
            "n_good", "more good results than pupils (n_good > n_pupils)", good > n, ("n_good",)
        )
    ]
    if "n_best" in present:
        checks.append(
            RowCheck(
                "n_best",
                "more best than good results (n_best > n_good)",
                pl.col("n_best") > good,
                ("n_best",),
            )
        )
    if "n_poor" in present:
        checks.append(
            RowCheck(
                "n_poor",
                "good and poor results exceed the pupils (n_good + n_poor > n_pupils)",
                good.cast(pl.Int64) + pl.col("n_poor").cast(pl.Int64) > n,
                ("n_poor",),
            )
        )
    return checks


def _resolve_unit(schema: pl.Schema, unit: str | Sequence[str] | None) -> tuple[str, ...]:
    if unit is None:
        return tuple(c for c in UNIT_COLUMNS if c in schema)
    out = (unit,) if isinstance(unit, str) else tuple(unit)
    if not all(isinstance(c, str) for c in out):
        msg = f"unit must be column names, not {unit!r}"
        raise ValueError(msg)
    reserved = [c for c in out if c in _RESERVED or c.startswith("_")]
    if reserved:
        msg = (
            f"unit must not contain {reserved!r}: these are count, share or output columns"
            " (or internal names starting with '_'); rename the unit column"
        )
        raise ValueError(msg)
    bad = [c for c in out if c in _KEY]
    if bad:
        msg = f"unit must not contain {bad!r}: subject, grade_level and school_year are always kept"
        raise ValueError(msg)
    if len(set(out)) != len(out):
        msg = f"unit has repeated columns: {out!r}"
        raise ValueError(msg)
    return out


def _regime_expr(start: pl.Expr) -> pl.Expr:
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for r in reversed(REGIMES):
        cond = start >= parse_school_year(r.first_year)
        if r.last_year is not None:
            cond = cond & (start <= parse_school_year(r.last_year))
        expr = pl.when(cond).then(pl.lit(r.key)).otherwise(expr)
    return expr.cast(REGIME_ENUM)


def _new_tests() -> list[str]:
    """``"start|subject|grade"`` of tests that were not obligatory the year before, same regime."""
    out: list[str] = []
    for t in OBLIGATORY_TESTS:
        start = parse_school_year(t.first_year)
        regime = next(r for r in REGIMES if r.key == t.regime)
        if start == parse_school_year(regime.first_year):
            continue
        before = start - 1
        existed = any(
            o.subject == t.subject
            and o.grade_level == t.grade_level
            and parse_school_year(o.first_year) <= before
            and (o.last_year is None or before <= parse_school_year(o.last_year))
            for o in OBLIGATORY_TESTS
        )
        if not existed:
            out.append(f"{start}|{t.subject}|{t.grade_level}")
    return out


def _flagged_expr(start: pl.Expr) -> pl.Expr:
    out = pl.lit(value=False)
    for f in FLAGS:
        out = out | start.is_between(
            parse_school_year(f.first_year), parse_school_year(f.last_year)
        )
    return out


def _sign(num: str, den: str, num_prev: str, den_prev: str, within: float) -> pl.Expr:
    """Direction of num/den against num_prev/den_prev (``_core.verdicts.direction``).

    Exact (integer cross-multiplication) when ``within`` is 0; otherwise a change
    of at most ``within`` (a fraction, 0.01 = 1 percentage point) is unchanged.
    """
    if within > 0:
        change = pl.col(num).cast(pl.Float64) / pl.col(den).cast(pl.Float64) - pl.col(
            num_prev
        ).cast(pl.Float64) / pl.col(den_prev).cast(pl.Float64)
        # A relative epsilon, so that a change of exactly `within` (0.25 - 0.24) counts as within.
        diff = pl.when(change.abs() <= within * (1 + 1e-9)).then(0.0).otherwise(change)
    else:
        diff = pl.col(num).cast(pl.Int64) * pl.col(den_prev).cast(pl.Int64) - pl.col(num_prev).cast(
            pl.Int64
        ) * pl.col(den).cast(pl.Int64)
    return verdicts.direction(diff)


def _check_tests(tests: pl.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    """Canonical school years; problems for years without a regime and tests that did not exist."""
    mapping: dict[str, str] = {}
    bad_years: list[str] = []
    not_obligatory: list[tuple[str, str, int]] = []
    for raw, subject, grade in tests.iter_rows():
        if raw is None:
            continue
        try:
            year = mapping.get(raw) or normalise_school_year(raw)
            regime_for(year)
        except (ValueError, CatalogueError):
            bad_years.append(raw)
            continue
        mapping[raw] = year
        if subject is None or grade is None or str(subject).strip() not in _ALL_SUBJECTS:
            continue
        if (str(subject).strip(), int(grade)) not in _tests_of(year):
            not_obligatory.append((year, str(subject).strip(), int(grade)))
    problems: list[Problem] = []
    if bad_years:
        problems.append(
            Problem(
                "school_year",
                "not a school year with a national test regime (from 2009/10)",
                None,
                tuple(repr(y) for y in sorted(set(bad_years))[:3]),
            )
        )
    if not_obligatory:
        problems.append(
            Problem(
                "school_year, subject, grade_level",
                "no such obligatory test that school year (see obligatory_tests())",
                None,
                tuple(f"({y!r}, {s!r}, {g})" for y, s, g in sorted(not_obligatory)[:3]),
            )
        )
    return mapping, problems


_ALL_SUBJECTS = {s.key for s in SUBJECTS}


def _tests_of(year: str) -> set[tuple[str, int]]:
    return {(t.subject, t.grade_level) for t in obligatory_tests(year)}


def _prepare_shares(
    shares: pl.DataFrame | pl.LazyFrame,
    *,
    unit: str | Sequence[str] | None,
    validate: bool,
) -> tuple[pl.LazyFrame, tuple[str, ...], list[str]]:
    lf = as_lazy(shares, "shares")
    schema = lf.collect_schema()
    units = _resolve_unit(schema, unit)
    contract = _contract(units)
    checked = contract.validate(
        lf,
        values=validate,
        row_checks=lambda present: [*_row_checks(present), *_unit_checks(units)],
        distinct={"tests": ("school_year", "subject", "grade_level")},
    )
    lf = checked.lf(lf)
    paired = {"n_best", "n_poor"} & checked.columns
    if len(paired) == 1:
        (given,) = paired
        (other,) = {"n_best", "n_poor"} - paired
        raise DataError(
            contract.what,
            [
                Problem(
                    other,
                    f"missing column: {given} is given, but the best and poor goals need both"
                    " n_best and n_poor (drop it to evaluate the good goal only)",
                )
            ],
        )
    goals = ["good"] + (["best", "poor"] if paired else [])
    mapping, problems = _check_tests(checked.distinct["tests"])
    if problems:
        raise DataError(contract.what, problems)
    school_year = (
        pl.col("school_year").cast(pl.String).replace_strict(mapping, return_dtype=pl.String)
    )
    subject = (
        pl.col("subject")
        if schema["subject"] == SUBJECT_ENUM
        else pl.col("subject").cast(pl.String).str.strip_chars().cast(SUBJECT_ENUM)
    )
    rows = lf.select(
        *units,
        subject.alias("subject"),
        pl.col("grade_level").cast(pl.Int8),
        school_year.alias("school_year"),
        *[pl.col(f"n_{g}").cast(pl.Int64).alias(f"n_{g}") for g in goals],
        pl.col("n_pupils").cast(pl.Int64),
    ).filter(pl.col("subject").cast(pl.String).is_in(_GOAL_SUBJECTS))
    return rows, units, goals


def _status(
    rows: pl.LazyFrame,
    units: tuple[str, ...],
    goals: list[str],
    *,
    good_threshold: float,
    min_n: int,
    flagged: Flagged,
    unchanged_within: float,
) -> pl.LazyFrame:
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    rows = rows.with_columns(start.alias("_start"), _regime_expr(start).alias("_regime"))
    prev = rows.select(
        *units,
        "subject",
        "grade_level",
        (pl.col("_start") + 1).alias("_start"),
        pl.col("_regime").alias("_regime_prev"),
        pl.col("n_pupils").alias("_n_prev"),
        *[pl.col(f"n_{g}").alias(f"_n_{g}_prev") for g in goals],
        pl.lit(value=True).alias("_has_prev"),
    )
    joined = rows.join(
        prev,
        on=[*units, "subject", "grade_level", "_start"],
        how="left",
        nulls_equal=True,
    )
    test_key = pl.concat_str(
        [
            pl.col("_start").cast(pl.String),
            pl.col("subject").cast(pl.String),
            pl.col("grade_level").cast(pl.String),
        ],
        separator="|",
    )
    first_years = [parse_school_year(r.first_year) for r in REGIMES]
    n, n_prev = pl.col("n_pupils"), pl.col("_n_prev")
    has_prev = pl.col("_has_prev").fill_null(value=False)
    flag_hit = _flagged_expr(pl.col("_start")) | _flagged_expr(pl.col("_start") - 1)

    parts: list[pl.LazyFrame] = []
    for g in goals:
        linear = pl.col("_regime").cast(pl.String) != "nationale_test"
        not_measured = linear if g != "good" else pl.lit(value=False)
        # Why the direction is not comparable (null = comparable), in order of precedence.
        reason = (
            pl.when(not_measured)
            .then(pl.lit("not_measured"))
            .when(n == 0)
            .then(pl.lit("no_results"))
            .when(n < min_n)
            .then(pl.lit("too_few_pupils"))
            .when(pl.col("_start").is_in(first_years))
            .then(pl.lit("regime_boundary"))
            .when(test_key.is_in(_new_tests()))
            .then(pl.lit("new_test"))
            .when(~has_prev)
            .then(pl.lit("no_previous_year"))
            .when(pl.col("_regime_prev") != pl.col("_regime"))
            .then(pl.lit("regime_boundary"))
            .when(n_prev == 0)
            .then(pl.lit("no_previous_results"))
            .when(n_prev < min_n)
            .then(pl.lit("too_few_pupils"))
            .when(pl.col(f"_n_{g}_prev").is_null() | pl.col(f"n_{g}").is_null())
            .then(pl.lit("not_measured"))
        )
        if flagged == "not_comparable":
            reason = reason.when(flag_hit).then(pl.lit("comparability_flag"))
        reason_expr: pl.Expr = reason.otherwise(None)
        direction = (
            pl.when(reason_expr.is_null())
            .then(_sign(f"n_{g}", "n_pupils", f"_n_{g}_prev", "_n_prev", unchanged_within))
            .otherwise(pl.lit("not_comparable"))
        )
        share = (pl.col(f"n_{g}").cast(pl.Float64) / n.cast(pl.Float64)).fill_nan(None)
        if g == "good":
            met_reason = (
                pl.when(n == 0)
                .then(pl.lit("no_results"))
                .when(n < min_n)
                .then(pl.lit("too_few_pupils"))
                .otherwise(None)
            )
            met = (
                pl.when(met_reason.is_null())
                .then(verdicts.threshold_met(share, pl.lit(good_threshold)))
                .otherwise(None)
            )
            out_reason = pl.coalesce(met_reason, reason_expr)
        else:
            wanted = "up" if g == "best" else "down"
            met = pl.when(reason_expr.is_null()).then(direction == wanted).otherwise(None)
            out_reason = reason_expr
        previous_share = pl.when(pl.col("_n_prev") > 0).then(
            pl.col(f"_n_{g}_prev").cast(pl.Float64) / pl.col("_n_prev").cast(pl.Float64)
        )
        parts.append(
            joined.select(
                *units,
                "subject",
                "grade_level",
                "school_year",
                pl.lit(g).cast(GOAL_ENUM).alias("goal"),
                pl.col("n_pupils").cast(pl.UInt32),
                pl.when(n > 0).then(share).otherwise(None).alias("share"),
                pl.col("_n_prev").cast(pl.UInt32).alias("n_pupils_previous"),
                previous_share.otherwise(None).alias("share_previous"),
                met.alias("goal_met"),
                direction.cast(DIRECTION_ENUM).alias("direction"),
                out_reason.cast(REASON_ENUM).alias("reason"),
            )
        )
    out = pl.concat(parts, how="vertical")
    return out.sort([*units, "subject", "grade_level", "school_year", "goal"], nulls_last=True)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_parameters(
    *, min_n: object, unchanged_within: object, flagged: object, good_threshold: object
) -> None:
    """ValueError for a parameter out of its range (NaN and booleans included)."""
    if not isinstance(min_n, int) or isinstance(min_n, bool) or min_n < 1:
        msg = f"min_n must be a whole number of pupils, at least 1, not {min_n!r}"
        raise ValueError(msg)
    if not _is_number(unchanged_within) or not 0 <= unchanged_within < 1:  # type: ignore[operator]
        msg = f"unchanged_within must be a fraction in [0, 1), not {unchanged_within!r}"
        raise ValueError(msg)
    if not _is_number(good_threshold) or not 0 < good_threshold <= 1:  # type: ignore[operator]
        msg = f"good_threshold must be a fraction in (0, 1], not {good_threshold!r}"
        raise ValueError(msg)
    if flagged not in ("compare", "not_comparable"):
        msg = f"flagged must be 'compare' or 'not_comparable', not {flagged!r}"
        raise ValueError(msg)


def goal_status(
    shares: FrameT,
    *,
    unit: str | Sequence[str] | None = None,
    good_threshold: float = 0.80,
    min_n: int = 1,
    flagged: Flagged = "compare",
    unchanged_within: float = 0.0,
    validate: bool = True,
) -> FrameT:
    """Evaluate the national goals per unit, subject, klassetrin and school year.

    - **good** (resultatmål 1.1): ``n_good / n_pupils >= good_threshold``
      (0.80). Its direction against the previous year is reported too.
    - **best** (1.2): met when the share of Fremragende is *higher* than the
      same unit's share the school year before (same subject, klassetrin and
      regime).
    - **poor** (2.1): met when the share of Mangelfuld or Ikke tilstrækkelig
      is *lower* than the year before.

    Directions are exact (compared on the counts, never on rounded shares).
    A direction is ``not_comparable`` — and a year-on-year goal not evaluable
    (``goal_met`` null) — across a regime boundary (2021/22 → 2022/23,
    2025/26 → 2026/27), for a test new on that klassetrin (matematik 8. and
    engelsk 4. klasse in 2017/18), without a previous year, or without
    results; ``reason`` says which. Only dansk/læsning and matematik carry
    goals; rows of other subjects are left out. The linear tests have no
    criterion levels: their best and poor goals are ``not_measured``.

    The output contains the confidential shares: it is for internal use. Use
    :func:`publication_view` for anything published.

    Parameters
    ----------
    shares
        The output of :func:`level_shares` or :func:`good_share` (or both,
        concatenated with ``how="diagonal_relaxed"``): unit columns,
        ``school_year``, ``subject``, ``grade_level``, ``n_pupils``,
        ``n_good`` and, for the criterion levels, ``n_best`` and ``n_poor``.
        Share columns are ignored (the counts are exact).
    unit
        The columns that identify a unit. Default: those of
        :data:`UNIT_COLUMNS` present (``municipality_code``,
        ``institution_id``, ``department_id``, ``class_id``); none means the
        whole frame is one unit (e.g. national figures). Other columns are
        dropped.
    good_threshold
        The share that meets the good goal (0.80); a fraction in (0, 1].
    min_n
        Fewer pupils with a result than this this year makes the good goal not
        evaluable (``too_few_pupils``, ``goal_met`` null); fewer this year or
        the year before makes the direction ``not_comparable`` and the best and
        poor goals (which are directions) not evaluable. 1 = no limit.
    flagged
        ``"compare"`` (default, as the ministry does): flagged years
        (:data:`FLAGS`: 2019/20 sample only, 2019/20-2020/21 late testing,
        2023/24 early testing) are compared like any other.
        ``"not_comparable"``: a comparison touching a flagged year is
        ``not_comparable`` (``comparability_flag``).
    unchanged_within
        A change of at most this much (a fraction: 0.01 = 1 percentage point)
        is ``unchanged``, for local rules that call small changes "på niveau".
        Default 0: any difference in the exact shares counts.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        One row per unit, subject, klassetrin, school year and ``goal`` (Enum
        ``good``, ``best``, ``poor``): ``n_pupils``, ``share``,
        ``n_pupils_previous``, ``share_previous``, ``goal_met`` (Boolean, null
        when not evaluable), ``direction`` (``up``, ``down``, ``unchanged``,
        ``not_comparable``) and ``reason`` (null when everything was
        evaluable). Sorted by unit, subject, klassetrin, year and goal.

    Raises
    ------
    DataError
        For missing columns, negative or inconsistent counts, a school year
        before 2009/10, a test that was not obligatory that year, or a
        duplicated unit-subject-klassetrin-year (pass the right ``unit=``),
        a count above 2,147,483,647, or ``n_best`` without ``n_poor`` (or the
        reverse).
    ValueError
        For a parameter out of range (``good_threshold`` not in (0, 1],
        ``min_n`` not a whole number of at least 1, ``unchanged_within`` not
        in [0, 1)) or a unit column with a reserved name (``n_good``,
        ``goal_met``, ...).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.national_tests import goal_status
    >>> shares = pl.DataFrame(
    ...     {
    ...         "institution_id": "151001",
    ...         "school_year": ["2020/21", "2021/22", "2022/23"],
    ...         "subject": "dansk_laesning",
    ...         "grade_level": 4,
    ...         "n_pupils": [50, 40, 45],
    ...         "n_good": [41, 30, 40],
    ...         "n_best": [5, 6, None],
    ...         "n_poor": [4, 3, None],
    ...     }
    ... )
    >>> goal_status(shares).filter(pl.col("school_year") != "2020/21").select(
    ...     "school_year", "goal", "goal_met", "direction", "reason"
    ... )
    shape: (6, 5)
    ┌─────────────┬──────┬──────────┬────────────────┬─────────────────┐
    │ school_year ┆ goal ┆ goal_met ┆ direction      ┆ reason          │
    │ ---         ┆ ---  ┆ ---      ┆ ---            ┆ ---             │
    │ str         ┆ enum ┆ bool     ┆ enum           ┆ enum            │
    ╞═════════════╪══════╪══════════╪════════════════╪═════════════════╡
    │ 2021/22     ┆ good ┆ false    ┆ down           ┆ null            │
    │ 2021/22     ┆ best ┆ true     ┆ up             ┆ null            │
    │ 2021/22     ┆ poor ┆ true     ┆ down           ┆ null            │
    │ 2022/23     ┆ good ┆ true     ┆ not_comparable ┆ regime_boundary │
    │ 2022/23     ┆ best ┆ null     ┆ not_comparable ┆ not_measured    │
    │ 2022/23     ┆ poor ┆ null     ┆ not_comparable ┆ not_measured    │
    └─────────────┴──────┴──────────┴────────────────┴─────────────────┘
    """
    _check_parameters(
        min_n=min_n,
        unchanged_within=unchanged_within,
        flagged=flagged,
        good_threshold=good_threshold,
    )
    rows, units, goals = _prepare_shares(shares, unit=unit, validate=validate)
    out = _status(
        rows,
        units,
        goals,
        good_threshold=good_threshold,
        min_n=min_n,
        flagged=flagged,
        unchanged_within=unchanged_within,
    )
    return like_input(shares, out)


_CELL = ("subject", "grade_level", "school_year")


def _hierarchy(nodes: pl.DataFrame, units: tuple[str, ...]) -> pl.DataFrame:
    """Each row's level, ancestor keys and nearest existing ancestor (its parent).

    A row's level is its number of non-null unit columns; its ancestor at level
    ``j`` keeps the first ``j`` non-null unit values (``_a{j}_{i}``; at its own
    level and above, its own key). Its parent is the nearest ancestor that is a
    row of the same subject, klassetrin and school year (``_p_{i}``, ``_pl``).
    """
    k = len(units)
    present = [pl.col(u).is_not_null() for u in units]
    nodes = nodes.with_columns(
        pl.sum_horizontal(present).cast(pl.Int32).alias("_L"),
        *[pl.sum_horizontal(present[: i + 1]).cast(pl.Int32).alias(f"_c{i}") for i in range(k)],
    )
    nodes = nodes.with_columns(
        pl.when(pl.col(u).is_not_null() & (pl.col(f"_c{i}") <= j))
        .then(pl.col(u))
        .alias(f"_a{j}_{i}")
        for j in range(k + 1)
        for i, u in enumerate(units)
    )
    keys = nodes.select(*units, *_CELL)
    for j in range(k):
        nodes = nodes.join(
            keys.with_columns(pl.lit(value=True).alias(f"_e{j}")),
            left_on=[*(f"_a{j}_{i}" for i in range(k)), *_CELL],
            right_on=[*units, *_CELL],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
    level: pl.Expr = pl.lit(None, dtype=pl.Int32)
    for j in range(k):  # the highest existing ancestor level below the row's own wins
        hit = pl.col(f"_e{j}").fill_null(value=False) & (pl.col("_L") > j)
        level = pl.when(hit).then(pl.lit(j, dtype=pl.Int32)).otherwise(level)
    nodes = nodes.with_columns(level.alias("_pl"))
    parent = []
    for i in range(k):
        expr: pl.Expr = pl.lit(None, dtype=pl.String)
        for j in range(k):
            expr = pl.when(pl.col("_pl") == j).then(pl.col(f"_a{j}_{i}")).otherwise(expr)
        parent.append(expr.alias(f"_p_{i}"))
    return nodes.with_columns(parent).drop([f"_e{j}" for j in range(k)])


def _complementary(
    nodes: pl.DataFrame, units: tuple[str, ...], sizes: Sequence[str], min_n: int
) -> pl.DataFrame:
    """Secondary suppression: update ``_pub`` so that no held-back part can be derived.

    The rows and their parents go to :func:`folkeskolekvalitet._core.suppression.complement`
    as cells and relations (a parent is the whole of its child rows) with its residual
    reader: for each published parent, the pupils not covered by its published
    descendants (``n`` minus the children's covered pupils, per size column) must be 0 or
    at least ``min_n``. Otherwise the smallest published child is withheld with its whole
    subtree (which raises the held-back part by at least ``min_n``), or, without a
    published child, the parent itself, until every published parent passes. Only the
    sizes are read, never a result, so the choice says nothing about the results.
    """
    k = len(units)
    pkey = [f"_p_{i}" for i in range(k)]
    nodes = nodes.with_row_index("_cell").with_columns(pl.col("_cell").cast(pl.Int64))
    ids = nodes.select(*units, *_CELL, pl.col("_cell").alias("_parent"))
    children = (
        nodes.filter(pl.col("_pl").is_not_null())
        .select("_cell", *pkey, *_CELL)
        .join(ids, left_on=[*pkey, *_CELL], right_on=[*units, *_CELL], nulls_equal=True)
        .select("_cell", "_parent")
    )
    parents = children.select(pl.col("_parent").unique().sort())
    # One fixed, never published cell per parent: the pupils of the parent outside its
    # child rows (counted by the residual), so that every published parent is looked at.
    rest = parents.with_row_index("_cell", offset=nodes.height).with_columns(
        pl.col("_cell").cast(pl.Int64)
    )
    one = pl.lit(1, dtype=pl.Int64)
    incidence = pl.concat(
        [
            children.select(pl.col("_parent").alias("_rel"), "_cell", one.alias("_coef")),
            rest.select(pl.col("_parent").alias("_rel"), "_cell", one.alias("_coef")),
            parents.select(
                pl.col("_parent").alias("_rel"),
                pl.col("_parent").alias("_cell"),
                (-one).alias("_coef"),
            ),
        ]
    )
    size_cols = [pl.col(c).cast(pl.Int64).alias(f"_size{i}") for i, c in enumerate(sizes)]
    cells = pl.concat(
        [
            nodes.sort([sizes[0], -pl.col("_L"), *units], nulls_last=True)
            .with_row_index("_order")
            .select(
                "_cell",
                (~pl.col("_pub")).alias("_hidden"),
                pl.when(pl.col("_pub")).then(0.0).alias("_total"),
                pl.lit(-math.inf).alias("_lo"),
                pl.lit(math.inf).alias("_hi"),
                pl.lit(value=False).alias("_fixed"),
                pl.col("_order").cast(pl.Int64),
                *size_cols,
            ),
            rest.select(
                "_cell",
                pl.lit(value=False).alias("_hidden"),
                pl.lit(None, dtype=pl.Float64).alias("_total"),
                pl.lit(-math.inf).alias("_lo"),
                pl.lit(math.inf).alias("_hi"),
                pl.lit(value=True).alias("_fixed"),
                pl.lit(2**62, dtype=pl.Int64).alias("_order"),
                *(pl.lit(0, dtype=pl.Int64).alias(f"_size{i}") for i in range(len(sizes))),
            ),
        ]
    )
    added, _ = complement(cells, incidence, residual_below=min_n)
    return nodes.with_columns(pl.col("_pub") & ~pl.col("_cell").is_in(added)).drop("_cell")


def _suppressed(status: pl.DataFrame, units: tuple[str, ...], min_n: int) -> pl.DataFrame:
    """Whether goal_met (``_met``) and the directions (``_dir``) of each row may be published.

    One row per unit, subject, klassetrin and year, after primary and
    complementary suppression.
    """
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    good = status.filter(pl.col("goal") == "good").select(
        *units,
        *_CELL,
        start.alias("_start"),
        pl.col("n_pupils").cast(pl.Int64).alias("_n"),
        pl.col("n_pupils_previous").cast(pl.Int64).fill_null(0).alias("_n_prev"),
        pl.col("goal_met").is_not_null().alias("_met0"),
        (pl.col("direction") != "not_comparable").alias("_dir0"),
    )
    if not units:
        return good.select(*_CELL, pl.col("_met0").alias("_met"), pl.col("_dir0").alias("_dir"))
    nodes = _hierarchy(good, units)
    met = _complementary(nodes.with_columns(pl.col("_met0").alias("_pub")), units, ["_n"], min_n)
    met = met.drop([c for c in met.columns if c.startswith("_cov_")]).rename({"_pub": "_met"})
    # A direction next to a withheld "goal met" (this year or the year before) could give the
    # withheld statement back (met last year and up this year = met this year): withhold it too.
    previous = met.select(
        *units,
        "subject",
        "grade_level",
        (pl.col("_start") + 1).alias("_start"),
        pl.col("_met").alias("_met_prev"),
    )
    met = met.join(
        previous,
        on=[*units, "subject", "grade_level", "_start"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    first = pl.col("_dir0") & pl.col("_met") & pl.col("_met_prev").fill_null(value=False)
    both = _complementary(met.with_columns(first.alias("_pub")), units, ["_n", "_n_prev"], min_n)
    return both.select(*units, *_CELL, "_met", pl.col("_pub").alias("_dir"))


def publication_view(
    shares: FrameT,
    *,
    unit: str | Sequence[str] | None = None,
    good_threshold: float = GOOD_THRESHOLD,
    min_n: int = 5,
    flagged: Flagged = "compare",
    unchanged_within: float = PUBLICATION_UNCHANGED_WITHIN,
    validate: bool = True,
) -> FrameT:
    """What may be published about national test results: goal met, and direction.

    Folkeskoleloven § 55 b makes test results confidential; a public report may
    say only whether a goal is met and in which direction a unit moved against
    its own earlier years. This view contains only that:

    - columns: the unit columns (as text), ``subject``, ``grade_level``,
      ``school_year``, ``goal``, ``goal_met`` (Boolean; null when withheld or
      not evaluable) and ``direction`` (``up``, ``down``, ``unchanged``,
      ``not_comparable``) — no count, share, rank, reason or other number;
    - rows sorted by unit (as text), subject, klassetrin, year and goal, never
      by a result, so the order cannot rank units; an Enum or Categorical unit
      column becomes String, so its category order cannot rank them either;
    - **primary suppression**: with fewer than ``min_n`` pupils with a result
      (default 5) this year, ``goal_met`` is null for every goal and the
      directions are ``not_comparable``; with fewer than ``min_n`` the year
      before, the directions are ``not_comparable`` and the best and poor
      goals (which are directions) null. In a small class "goal met" would
      reveal individual pupils' results;
    - **complementary (secondary) suppression** when the frame holds several
      unit levels (municipality, school, class rows: a row whose trailing unit
      columns are null is the total of the rows below it). If a published
      parent's pupils minus those of its published children are more than 0
      but fewer than ``min_n`` (a held-back small school inside a published
      municipality, or a small class inside a published school), the smallest
      published child is withheld too (with everything below it), or the
      parent if it has no published child, so that the held-back part cannot
      be worked out by comparing parent and children. The same holds for the
      pupils of the year before behind a direction. A direction is also
      withheld where this year's or the previous year's "goal met" of the
      same unit is withheld (met last year and "up" would give it back);
    - ``goal_met`` is always :func:`goal_status`'s verdict on the same data
      (the exact comparison: the national goal says the best share shall rise
      and the poor share fall year on year, so any rise or fall counts), and
      by default ``direction`` is the exact comparison too. A tolerance
      (``unchanged_within``) only coarsens ``direction`` to ``unchanged``; it
      never changes a verdict.

    Two inputs whose goal statuses and directions agree give identical views,
    whatever their shares (this is tested).

    What the view cannot protect against: the unit levels are linked only
    within one call. Views published separately (a municipality report and a
    school report made from different calls, earlier publications, other
    frames with the same pupils) can still be combined by a reader; make one
    view of every level you publish. The suppression only looks at the number
    of pupils: it does not stop inference from outside knowledge, and a
    boolean statement always says something about the pupils behind it.

    Parameters
    ----------
    shares
        As in :func:`goal_status`. With several unit levels, a child row must
        carry its parent's unit values (a school row its ``municipality_code``)
        and the unit columns must be given from the top level down (as in
        :data:`UNIT_COLUMNS`).
    unit, flagged, validate
        As in :func:`goal_status`.
    good_threshold
        Fixed at 0.80, the national goal (any other value is refused: a view
        with another threshold would publish a statement about another
        share). Use :func:`goal_status` for local thresholds, internally.
    min_n
        Smallest number of pupils with a result for which anything is said
        (default 5, the library's disclosure default).
    unchanged_within
        A change of at most this much (a fraction) is shown as ``unchanged``
        in ``direction``; default 0 (exact). ``goal_met`` ignores it.

    Returns
    -------
    DataFrame or LazyFrame
        The unit columns (String), ``subject``, ``grade_level``,
        ``school_year``, ``goal``, ``goal_met``, ``direction``. The
        suppression compares the levels of the (small) goal status table, so
        the view is computed when called, in one query, also for a
        LazyFrame: the LazyFrame returned holds the computed view.

    Raises
    ------
    DataError
        As :func:`goal_status`.
    ValueError
        For ``good_threshold`` other than 0.80, ``min_n`` not a whole number
        of at least 1, or a unit column with a reserved name.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.national_tests import publication_view
    >>> shares = pl.DataFrame(
    ...     {
    ...         "institution_id": "151001",
    ...         "school_year": ["2017/18", "2018/19"],
    ...         "subject": "matematik",
    ...         "grade_level": 6,
    ...         "n_pupils": [48, 52],
    ...         "n_good": [36, 43],
    ...         "n_best": [4, 4],
    ...         "n_poor": [7, 6],
    ...     }
    ... )
    >>> publication_view(shares).filter(pl.col("school_year") == "2018/19")
    shape: (3, 7)
    ┌────────────────┬───────────┬─────────────┬─────────────┬──────┬──────────┬───────────┐
    │ institution_id ┆ subject   ┆ grade_level ┆ school_year ┆ goal ┆ goal_met ┆ direction │
    │ ---            ┆ ---       ┆ ---         ┆ ---         ┆ ---  ┆ ---      ┆ ---       │
    │ str            ┆ enum      ┆ i8          ┆ str         ┆ enum ┆ bool     ┆ enum      │
    ╞════════════════╪═══════════╪═════════════╪═════════════╪══════╪══════════╪═══════════╡
    │ 151001         ┆ matematik ┆ 6           ┆ 2018/19     ┆ good ┆ true     ┆ up        │
    │ 151001         ┆ matematik ┆ 6           ┆ 2018/19     ┆ best ┆ false    ┆ down      │
    │ 151001         ┆ matematik ┆ 6           ┆ 2018/19     ┆ poor ┆ true     ┆ down      │
    └────────────────┴───────────┴─────────────┴─────────────┴──────┴──────────┴───────────┘

    The best share went from 4/48 to 4/52 (0.6 percentage points down): the
    goal (a rise) is not met.
    """
    if not _is_number(good_threshold) or good_threshold != GOOD_THRESHOLD:
        msg = (
            f"publication_view publishes the national goal (0.80), not {good_threshold!r}:"
            " use goal_status for a local threshold (internal use)"
        )
        raise ValueError(msg)
    _check_parameters(
        min_n=min_n,
        unchanged_within=unchanged_within,
        flagged=flagged,
        good_threshold=good_threshold,
    )
    lf = as_lazy(shares, "shares")
    units: tuple[str, ...] = _resolve_unit(lf.collect_schema(), unit)
    status_lf = goal_status(
        lf,
        unit=units,
        good_threshold=GOOD_THRESHOLD,
        min_n=min_n,
        flagged=flagged,
        validate=validate,
    )
    if unchanged_within > 0:
        # goal_met stays the exact verdict; only the shown direction is coarsened.
        coarse = goal_status(
            lf,
            unit=units,
            good_threshold=GOOD_THRESHOLD,
            min_n=min_n,
            flagged=flagged,
            unchanged_within=unchanged_within,
            validate=False,
        ).select(pl.col("direction").alias("_coarse"))
        status_lf = pl.concat([status_lf, coarse], how="horizontal").with_columns(
            pl.col("_coarse").alias("direction")
        )
    # The statuses are few (one row per unit, test, year and goal) and the suppression
    # looks at them level by level: they are computed once, here, and the view is built
    # from them in memory.
    status = status_lf.with_columns(pl.col(u).cast(pl.String) for u in units).collect()
    allowed = _suppressed(status, units, min_n)
    met, comparable = pl.col("_met"), pl.col("_dir")
    view = (
        status.join(allowed, on=[*units, *_CELL], how="left", nulls_equal=True)
        .select(
            *units,
            *_CELL,
            "goal",
            pl.when(pl.col("goal") == "good")
            .then(pl.when(met).then(pl.col("goal_met")))
            .otherwise(pl.when(comparable).then(pl.col("goal_met")))
            .alias("goal_met"),
            pl.when(comparable)
            .then(pl.col("direction"))
            .otherwise(pl.lit("not_comparable", dtype=DIRECTION_ENUM))
            .alias("direction"),
        )
        .sort([*units, "subject", "grade_level", "school_year", "goal"], nulls_last=True)
    )
    return like_input(shares, view.lazy())
