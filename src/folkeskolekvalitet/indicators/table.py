"""``table()``: every family's numbers in one long, typed table, with uncertainty.

The families compute; this module only calls them — once per level, with the unit's
columns as ``by`` — and reshapes their answers into the rows of
:data:`~folkeskolekvalitet.indicators.INDICATOR_SCHEMA`, adding the standard error and
interval each indicator's method gives (:doc:`/user_guide/statistics`). One lazy plan:
the per-family lazy frames are concatenated once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from folkeskolekvalitet import absence as _absence
from folkeskolekvalitet import competence as _competence
from folkeskolekvalitet import exams as _exams
from folkeskolekvalitet import interventions as _interventions
from folkeskolekvalitet import national_tests as _national_tests
from folkeskolekvalitet import transitions as _transitions
from folkeskolekvalitet import wellbeing as _wellbeing
from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.breaks import year_note_expr
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import as_lazy, carrying, facts, lazy_in_memory
from folkeskolekvalitet._core.ids import id_needs_normalising, normalise_id
from folkeskolekvalitet._core.schema import (
    Column,
    normalise_id_columns,
    normalised_once,
    relabel_columns,
    warn_normalised,
)
from folkeskolekvalitet._core.schoolyear import school_year_expr
from folkeskolekvalitet.competence._input import LESSONS_CONTRACT
from folkeskolekvalitet.exams._input import GRADES_CONTRACT
from folkeskolekvalitet.indicators._stats import normal_quantile, wilson_expr, with_t_quantile
from folkeskolekvalitet.indicators.catalogue import CATALOGUE
from folkeskolekvalitet.indicators.schema import INDICATOR_SCHEMA, UNIT_LEVELS
from folkeskolekvalitet.national_tests._input import RESULTS_CONTRACT
from folkeskolekvalitet.wellbeing._input import check_wide, wide_questions

__all__ = ["COUNTRY_NOTE", "table", "uncertainty"]

#: The note on every country row ``table()`` computes.
COUNTRY_NOTE = (
    "country level computed from the pupils in the input only; not the official national"
    " figure unless the input holds every pupil of the country"
)
_THREE_MONTHS_NOTE = (
    "tiende_klasse cannot be measured validly 3 months after 9. klasse (see the 15-month status)"
)
_LINEAR_START = 2022  # first school year (start) of the linear national tests

_Frame = pl.DataFrame | pl.LazyFrame


def _answer(
    fn: Callable[..., pl.LazyFrame],
    *args: Any,
    validate: bool = False,
    checking: bool = False,
    **kwargs: Any,
) -> pl.LazyFrame:
    """A family function's lazy answer.

    With ``validate`` the (lazy) inputs are first validated by a call whose checks run
    at once and whose plan is dropped unexecuted. The answer itself is always the
    unvalidated call, so the plan of a family step is the same at every level and the
    levels share it (Polars' common-subplan elimination).

    ``checking`` (the table's validation pass, whose plans are dropped): only the
    validating call runs; the others build nothing (an empty frame stands in).
    """
    if checking:
        return fn(*args, validate=True, **kwargs) if validate else pl.LazyFrame()
    if validate:
        fn(*args, validate=True, **kwargs)
    return fn(*args, validate=False, **kwargs)


#: The inputs whose columns may hold official labels, and the columns' declarations.
_LABELLED: dict[str, tuple[Column, ...]] = {
    "exams": GRADES_CONTRACT.columns,
    "national_tests": RESULTS_CONTRACT.columns,
    "competence": LESSONS_CONTRACT.columns,
}


#: The inputs whose families carry a school's columns in their pupil step
#: (:func:`~folkeskolekvalitet._core.frames.carried`). The table vouches for them: the
#: municipality it looked up itself, or the input's own column checked to be one code per
#: school and school year.
_CARRIED = ("exams", "wellbeing", "absence")

#: The inputs whose own ``municipality_code`` the table checks to be one code per school
#: and school year (a problem with validation; without, whether the levels may share
#: work): the carried ones, and competence, whose coverage is computed once at the
#: widest level and summed (:func:`_competence_rows`).
_ONE_CODE_PER_SCHOOL = (*_CARRIED, "competence")


class _Once:
    """Each input validated once per ``table()`` call.

    ``once(key)`` gives the keywords of one family call: ``validate`` is true only for
    the first call that reads the input ``key``; the later calls (the other functions
    of the family, the other levels) read the same rows and skip the checks.
    """

    def __init__(
        self,
        *,
        validate: bool,
        allow_cpr: bool,
        checking: bool = False,
        summed: frozenset[str] = frozenset(),
    ) -> None:
        self.validate = validate
        self.allow_cpr = allow_cpr
        #: the validation pass: only the validating calls run (see :func:`_answer`)
        self.checking = checking
        self.done: set[str] = set()
        #: inputs whose answer is computed once, at the widest level, and summed per level
        #: (every row has its subject and its school one municipality code: validated, or
        #: seen so in an unvalidated DataFrame)
        self.summed = summed
        #: those answers, by input
        self.shared: dict[str, pl.LazyFrame] = {}

    def __call__(self, key: str) -> dict[str, Any]:
        first = key not in self.done
        self.done.add(key)
        out = {"allow_cpr": self.allow_cpr, "validate": self.validate and first}
        return out | {"checking": True} if self.checking else out


def _check_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        msg = f"confidence must be a number strictly between 0 and 1, not {confidence!r}"
        raise TypeError(msg)
    if not 0.0 < float(confidence) < 1.0:
        msg = f"confidence must lie strictly between 0 and 1 (e.g. 0.95), not {confidence!r}"
        raise ValueError(msg)
    return float(confidence)


def uncertainty(
    frame: pl.LazyFrame, *, confidence: float, method: pl.Expr, std: pl.Expr
) -> pl.LazyFrame:
    """Add ``se``, ``ci_low``, ``ci_high`` and ``confidence`` to long indicator rows.

    ``method`` gives each row's method (``"wilson"``, ``"t"``, ``"delta"``, ``"none"``);
    ``std`` the per-pupil standard deviation for ``"t"`` and ``"delta"``. Rows read
    ``value``, ``n`` and ``numerator``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators.table import uncertainty
    >>> rows = pl.LazyFrame({"value": [0.8], "n": [10], "numerator": [8.0]})
    >>> out = uncertainty(rows, confidence=0.95, method=pl.lit("wilson"), std=pl.lit(None))
    >>> [round(v, 3) for v in out.select("ci_low", "ci_high").collect().row(0)]
    [0.49, 0.943]
    """
    c = _check_confidence(confidence)
    z = normal_quantile((1 + c) / 2)
    v = pl.col("value")
    n = pl.col("n").cast(pl.Float64)
    se_mean = std.cast(pl.Float64) / n.sqrt()
    se_share = (v * (1 - v) / n).sqrt()
    low_w, high_w = wilson_expr(pl.col("numerator"), n, z)
    tq = pl.col("_tq")
    has = v.is_not_null() & (n > 0)
    se = (
        pl.when(~has)
        .then(None)
        .when(method == "wilson")
        .then(se_share)
        .when(method.is_in(["t", "delta"]))
        .then(se_mean)
        .otherwise(None)
    )
    low = (
        pl.when(~has)
        .then(None)
        .when(method == "wilson")
        .then(low_w)
        .when(method == "t")
        .then(v - tq * pl.col("se"))
        .when(method == "delta")
        .then((v - z * pl.col("se")).clip(lower_bound=0.0))
        .otherwise(None)
    )
    high = (
        pl.when(~has)
        .then(None)
        .when(method == "wilson")
        .then(high_w)
        .when(method == "t")
        .then(v + tq * pl.col("se"))
        .when(method == "delta")
        .then((v + z * pl.col("se")).clip(upper_bound=1.0))
        .otherwise(None)
    )
    frame = with_t_quantile(frame, 1 - c, pl.col("n").cast(pl.Float64) - 1, "_tq")
    return (
        frame.with_columns(se.alias("se"))
        .with_columns(
            low.cast(pl.Float64).alias("ci_low"),
            high.cast(pl.Float64).alias("ci_high"),
            pl.lit(c, dtype=pl.Float64).alias("confidence"),
        )
        # a value that is its own bound (a share of 0 or 1) stays inside its interval
        .with_columns(
            pl.when(pl.col("ci_low").is_not_null())
            .then(pl.min_horizontal("ci_low", "value"))
            .alias("ci_low"),
            pl.when(pl.col("ci_high").is_not_null())
            .then(pl.max_horizontal("ci_high", "value"))
            .alias("ci_high"),
        )
        .with_columns(
            pl.when(pl.col("value").is_null()).then(None).otherwise(pl.col(col)).alias(col)
            for col in ("ci_low", "ci_high")
        )
        .drop("_tq")
    )


class _Level:
    """How one level's units are formed: the ``by`` columns and the unit expressions."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "school":
            self.by: tuple[str, ...] = ("institution_id", "municipality_code")
            self.unit_id = pl.col("institution_id").cast(pl.String)
            self.municipality = pl.col("municipality_code").cast(pl.String)
        elif name == "municipality":
            self.by = ("municipality_code",)
            self.unit_id = pl.col("municipality_code").cast(pl.String)
            self.municipality = self.unit_id
        else:
            self.by = ()
            self.unit_id = pl.lit("DK")
            self.municipality = pl.lit(None, dtype=pl.String)


def _rows(  # noqa: PLR0917 - the columns every family answer maps
    lf: pl.LazyFrame,
    level: _Level,
    year: str,
    indicator: pl.Expr,
    value: pl.Expr,
    n: pl.Expr,
    *,
    numerator: pl.Expr | None = None,
    std: pl.Expr | None = None,
    subject: pl.Expr | None = None,
    grade_level: pl.Expr | None = None,
    category: pl.Expr | None = None,
    method: str = "wilson",
    note: pl.Expr | None = None,
    status: pl.Expr | None = None,
) -> pl.LazyFrame:
    """One family answer as long rows (before the uncertainty columns)."""
    null_s = pl.lit(None, dtype=pl.String)
    return lf.select(
        school_year_expr(pl.col(year)).alias("school_year"),
        pl.lit(level.name, dtype=INDICATOR_SCHEMA["unit_level"]).alias("unit_level"),
        level.unit_id.alias("unit_id"),
        level.municipality.alias("municipality_code"),
        indicator.cast(pl.String).alias("indicator"),
        (null_s if subject is None else subject.cast(pl.String)).alias("subject"),
        (pl.lit(None, dtype=pl.Int8) if grade_level is None else grade_level.cast(pl.Int8)).alias(
            "grade_level"
        ),
        (null_s if category is None else category.cast(pl.String)).alias("category"),
        value.cast(pl.Float64).alias("value"),
        n.round().cast(pl.UInt32).alias("n"),
        (pl.lit(None, dtype=pl.Float64) if numerator is None else numerator.cast(pl.Float64)).alias(
            "numerator"
        ),
        (pl.lit(None, dtype=pl.Float64) if std is None else std.cast(pl.Float64)).alias("_std"),
        pl.lit(method).alias("_method"),
        (null_s if note is None else note.cast(pl.String)).alias("_note"),
        (null_s if status is None else status.cast(pl.String)).alias("_status"),
    )


def _exam_rows(lf: pl.LazyFrame, level: _Level, once: _Once) -> list[pl.LazyFrame]:
    by = ("school_year", *level.by)
    ga = _answer(_exams.grade_average, lf, by=by, **once("exams"))
    sa = _answer(_exams.subject_averages, lf, by=by, **once("exams"))
    sp = _answer(_exams.share_passing_danish_and_math, lf, by=by, **once("exams"))
    st = _answer(_exams.share_took_all_bound_exams, lf, by=by, **once("exams"))
    return [
        _rows(
            ga,
            level,
            "school_year",
            pl.lit("exams.grade_average"),
            pl.col("average"),
            pl.col("n_pupils_included"),
            std=pl.col("std"),
            method="t",
        ),
        _rows(
            sa,
            level,
            "school_year",
            pl.lit("exams.subject_average"),
            pl.col("average"),
            pl.col("n_pupils_included"),
            std=pl.col("std"),
            subject=pl.col("subject"),
            method="t",
        ),
        _rows(
            sp,
            level,
            "school_year",
            pl.lit("exams.share_passing_danish_and_math"),
            pl.col("share"),
            pl.col("n_pupils"),
            numerator=pl.col("n_passing"),
        ),
        _rows(
            st,
            level,
            "school_year",
            pl.lit("exams.share_took_all_bound_exams"),
            pl.col("share"),
            pl.col("n_pupils"),
            numerator=pl.col("n_took_all"),
        ),
    ]


def _split_by_test_mode(lf: pl.LazyFrame, *, eager: bool) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The national test results of the adaptive years and of the linear years.

    Two inputs of two functions. For in-memory input the split is done once (not again
    in every call's validation query); a lazy input stays one unexecuted plan.
    """
    raw = pl.col("school_year").cast(pl.String)
    # Each distinct school year is read once and joined back (no text parsing per row).
    # A school year that is no school year goes with the adaptive rows, whose validation
    # reports it: no row is dropped unseen.
    start = school_year_expr(pl.col("__year")).str.slice(0, 4).cast(pl.Int32)
    years = lf.select(raw.unique().alias("__year")).with_columns(
        (start >= _LINEAR_START).fill_null(value=False).alias("_linear")
    )
    flagged = lf.with_columns(raw.alias("__year")).join(
        years, on="__year", how="left", maintain_order="left"
    )
    flagged = flagged.with_columns(pl.col("_linear").fill_null(value=False)).drop("__year")
    if eager:
        frames = flagged.collect()
        empty = frames.clear().drop("_linear")
        parts = frames.partition_by("_linear", as_dict=True, include_key=False)
        return (
            lazy_in_memory(parts.get((False,), empty)),
            lazy_in_memory(parts.get((True,), empty)),
        )
    is_linear = pl.col("_linear")
    return flagged.filter(~is_linear).drop("_linear"), flagged.filter(is_linear).drop("_linear")


def _national_test_rows(
    parts: tuple[pl.LazyFrame, pl.LazyFrame], level: _Level, once: _Once
) -> list[pl.LazyFrame]:
    """Adaptive years through level_shares, linear years through good_share (no collect)."""
    by = ("school_year", *level.by, "subject", "grade_level")
    # two inputs: the adaptive years' rows and the linear years' rows, each validated once
    adaptive, linear = parts
    shares = _answer(
        _national_tests.level_shares, adaptive, by=by, **once("national_tests.adaptive")
    )
    good = _answer(_national_tests.good_share, linear, by=by, **once("national_tests.linear"))
    breakdown: dict[str, Any] = {
        "subject": pl.col("subject"),
        "grade_level": pl.col("grade_level"),
    }
    out = [
        _rows(
            shares,
            level,
            "school_year",
            pl.lit(f"national_tests.share_{name}"),
            pl.col(f"share_{name}"),
            pl.col("n_pupils"),
            numerator=pl.col(f"n_{name}"),
            **breakdown,
        )
        for name in ("good", "best", "poor")
    ]
    out.append(
        _rows(
            good,
            level,
            "school_year",
            pl.lit("national_tests.share_good"),
            pl.col("share_good"),
            pl.col("n_pupils"),
            numerator=pl.col("n_good"),
            **breakdown,
        )
    )
    return out


def _wellbeing_rows(
    lf: pl.LazyFrame, enrolment: pl.LazyFrame | None, level: _Level, once: _Once
) -> list[pl.LazyFrame]:
    by = ("school_year", *level.by)
    # The response rate first: the one call that validates the enrolment and the answers
    # together (and that every answering pupil is enrolled).
    rate = None
    if enrolment is not None:
        rate = _answer(_wellbeing.response_rate, lf, enrolment, by=by, **once("wellbeing"))
    ind = _answer(_wellbeing.indicators, lf, by=by, **once("wellbeing"))
    dist = _answer(_wellbeing.score_distribution, lf, by=by, **once("wellbeing"))
    questions = _answer(_wellbeing.question_shares, lf, by=by, **once("wellbeing"))
    out = [
        _rows(
            ind,
            level,
            "school_year",
            pl.lit("wellbeing.") + pl.col("indicator").cast(pl.String),
            pl.col("mean"),
            pl.col("n_pupils_included"),
            std=pl.col("std"),
            method="t",
        ),
        _rows(
            dist,
            level,
            "school_year",
            pl.lit("wellbeing.interval_share"),
            pl.col("share"),
            pl.col("n_pupils"),
            numerator=pl.col("n"),
            category=pl.col("indicator").cast(pl.String)
            + pl.lit(":")
            + pl.col("interval").cast(pl.String),
        ),
        _rows(
            questions,
            level,
            "school_year",
            pl.lit("wellbeing.question_top2"),
            pl.col("share_top2"),
            pl.col("n_answered"),
            numerator=pl.col("n_top2"),
            category=pl.col("questionnaire").cast(pl.String)
            + pl.lit(":")
            + pl.col("question").cast(pl.String),
        ),
    ]
    if rate is not None:
        out.append(
            _rows(
                rate,
                level,
                "school_year",
                pl.lit("wellbeing.response_rate"),
                pl.col("response_rate"),
                pl.col("n_enrolled"),
                numerator=pl.col("n_answering"),
            )
        )
    return out


def _competence_rows(lf: pl.LazyFrame, level: _Level, once: _Once) -> list[pl.LazyFrame]:
    """Coverage at the level, and per subject.

    The lessons of a group are sums over its classes' subjects (each with its counting
    teacher, found within the class and subject whatever the grouping). When every
    lesson has a subject and a school one municipality code a year (validated, or seen
    so in unvalidated DataFrames: one class and subject is one unit at every level)
    coverage is computed once, per subject at the widest level (the first asked), and
    the lessons are summed to each grouping: exact, and one pass over the lessons
    instead of six. Otherwise each grouping is its own call.
    """
    by = ("school_year", *level.by)
    fine = once.shared.get("competence")
    if fine is None and "competence" in once.summed:
        call = once("competence")
        del call["allow_cpr"]  # coverage takes no allow_cpr
        fine = _answer(_competence.coverage, lf, by=(*by, "subject"), **call)
        once.shared["competence"] = fine
    out = []
    for extra in ((), ("subject",)):
        group = (*by, *extra)
        if fine is None:
            call = once("competence")
            del call["allow_cpr"]
            cov = _answer(_competence.coverage, lf, by=group, **call)
        else:
            sums = fine.group_by(group).agg(pl.col("lessons_total", "lessons_competent").sum())
            share = safe_share(pl.col("lessons_competent"), pl.col("lessons_total"))
            cov = sort_groups(sums.with_columns(share.alias("share")), group)
        out.append(
            _rows(
                cov,
                level,
                "school_year",
                pl.lit("competence.coverage"),
                pl.col("share"),
                pl.col("lessons_total"),
                numerator=pl.col("lessons_competent"),
                subject=pl.col("subject") if extra else None,
                method="none",
            )
        )
    return out


def _absence_rows(lf: pl.LazyFrame, level: _Level, once: _Once) -> list[pl.LazyFrame]:
    by = ("school_year", *level.by)
    rates = _answer(_absence.absence_rates, lf, by=by, **once("absence"))
    above = _answer(_absence.share_above, lf, 0.10, by=by, **once("absence"))
    kinds = ("total", "sick", "authorised", "unauthorised")
    kind = pl.Enum([f"absence.rate_{k}" for k in kinds])  # (sorts in this order)
    # The four rates as rows of one frame (kind by kind, as four frames would give them):
    # each level's rates are then read once, and Polars shares the pupil step, which the
    # levels and share_above have in common, instead of each level's rates.
    long = (
        rates.with_columns(
            pl.concat_list([pl.lit(f"absence.rate_{k}", dtype=kind) for k in kinds]).alias(
                "_indicator"
            ),
            pl.concat_list([pl.col(f"rate_{k}") for k in kinds]).alias("_rate"),
            pl.concat_list([pl.col(f"std_{k}") for k in kinds]).alias("_rate_std"),
        )
        .explode(["_indicator", "_rate", "_rate_std"])
        .sort("_indicator", maintain_order=True)
    )
    out = [
        _rows(
            long,
            level,
            "school_year",
            pl.col("_indicator"),
            pl.col("_rate"),
            pl.col("n_pupils"),
            std=pl.col("_rate_std"),
            method="delta",
        )
    ]
    out.append(
        _rows(
            above,
            level,
            "school_year",
            pl.lit("absence.share_above_10"),
            pl.col("share_above"),
            pl.col("n_pupils"),
            numerator=pl.col("n_above"),
        )
    )
    return out


def _transition_rows(lf: pl.LazyFrame, level: _Level, once: _Once) -> list[pl.LazyFrame]:
    by = ("cohort", *level.by)
    out = []
    for horizon in ("3m", "15m"):
        # each measure has its own contract: each is validated once
        shares = _answer(
            _transitions.status_shares,
            lf,
            by=by,
            horizon=horizon,
            **once(f"transitions.status_{horizon}"),
        )
        valid = pl.col("valid")
        out.append(
            _rows(
                shares,
                level,
                "cohort",
                pl.lit(f"transitions.status_share_{horizon}"),
                pl.when(valid).then(pl.col("share")),
                pl.col("n_pupils"),
                numerator=pl.col("n"),
                category=pl.col("status"),
                note=pl.when(~valid).then(pl.lit(_THREE_MONTHS_NOTE)),
                status=pl.when(~valid).then(pl.lit("not_applicable")),
            )
        )
    apps = _answer(_transitions.application_shares, lf, by=by, **once("transitions.application"))
    out.append(
        _rows(
            apps,
            level,
            "cohort",
            pl.lit("transitions.first_priority_share"),
            pl.col("share"),
            pl.col("n_pupils"),
            numerator=pl.col("n"),
            category=pl.col("application"),
        )
    )
    return out


def _inclusion_rows(lf: pl.LazyFrame, level: _Level, once: _Once) -> list[pl.LazyFrame]:
    by = ("school_year", *level.by)
    rate = _answer(_interventions.inclusion_rate, lf, by=by, **once("inclusion"))
    return [
        _rows(
            rate,
            level,
            "school_year",
            pl.lit("interventions.inclusion_rate"),
            pl.col("inclusion_rate"),
            pl.col("n_municipal"),
            numerator=pl.col("n_municipal") - pl.col("n_segregated"),
        )
    ]


def _two_codes(pairs: pl.LazyFrame, school: list[str]) -> tuple[int, tuple[str, ...]]:
    """Schools (``school`` columns) with more than one ``municipality_code`` in ``pairs``.

    The number of them and up to three examples (``'313001': '101', '313'``); ``pairs``
    are distinct rows, few.
    """
    twice = (
        pairs.filter(pl.len().over(school) > 1)
        .group_by(school)
        .agg(pl.col("municipality_code").sort())
        .sort(school, nulls_last=True)
        .collect()
    )
    examples = tuple(
        " ".join([*(str(v) for v in row[:-2]), repr(row[-2])])
        + ": "
        + ", ".join(repr(c) for c in row[-1])
        for row in twice.head(3).iter_rows()
    )
    return twice.height, examples


def _institution_codes(institutions: pl.LazyFrame, problems: list[Problem]) -> pl.DataFrame:
    """``institution_id`` -> ``municipality_code`` from the institutions frame, checked once.

    A school under two codes would be repeated by a join and counted twice: a problem,
    whatever ``validate`` says.
    """
    missing = [
        c for c in ("institution_id", "municipality_code") if c not in institutions.collect_schema()
    ]
    if missing:
        problems.append(Problem(", ".join(missing), "missing column in institutions"))
        return pl.DataFrame(schema={"institution_id": pl.String, "municipality_code": pl.String})
    codes = (
        institutions.select(
            pl.col("institution_id").cast(pl.String), pl.col("municipality_code").cast(pl.String)
        )
        .unique()
        # a row without a school number names no school: no input row may borrow its code
        .filter(pl.col("institution_id").is_not_null())
        .collect()
    )
    # The codes as an Enum: added to every row of an input, one small integer each (a
    # new text column of 15 M rows costs a second of memory traffic); the rows of the
    # table are text again.
    enum = pl.Enum(codes["municipality_code"].drop_nulls().unique().sort())
    codes = codes.with_columns(pl.col("municipality_code").cast(enum))
    n, examples = _two_codes(codes.lazy(), ["institution_id"])
    if n:
        problems.append(
            Problem(
                "institution_id",
                f"in institutions: {n} institution number(s) with more than one"
                " municipality code (each school belongs to one municipality)",
                None,
                examples,
            )
        )
    return codes


def _with_municipality(
    name: str,
    lf: pl.LazyFrame,
    institutions: pl.DataFrame | None,
    problems: list[Problem],
    *,
    normalise: bool,
) -> pl.LazyFrame:
    """The input with a ``municipality_code`` column (from itself or ``institutions``).

    ``institutions`` are the checked codes (:func:`_institution_codes`).

    With ``normalise`` the institution ids are normalised first where some needs it
    (read from their distinct values, which the lookup reads anyway).
    """
    columns = lf.collect_schema().names()
    if "municipality_code" in columns:
        return lf
    if institutions is None or "institution_id" not in columns:
        problems.append(
            Problem(
                name,
                "has no municipality_code column and no institutions frame was given: the"
                " school and municipality levels need each school's municipality (add the"
                " column, pass institutions=, or ask for levels=('country',))",
            )
        )
        return lf
    # A school the institutions frame does not know (or a row without a school number)
    # would get no municipality: a group of its own under a null code. The distinct ids
    # are few; they are checked here, once, whatever validate says.
    school = pl.col("institution_id").cast(pl.String)
    schools = lf.select(school.unique()).collect()
    respelled = int(schools.select(id_needs_normalising("institution_id")).item())
    if normalise and respelled:
        warn_normalised(name, {"institution_id": respelled})
        school = normalise_id(school)
        schools = schools.select(normalise_id("institution_id").unique())
    missing = (
        schools.lazy()
        .join(
            institutions.lazy().filter(pl.col("municipality_code").is_not_null()),
            on="institution_id",
            how="anti",
            nulls_equal=True,
        )
        .collect()
        .to_series()
    )
    if missing.len():
        problems.append(
            Problem(
                "institution_id",
                f"in {name}: {missing.len()} institution number(s) without a municipality in the"
                " institutions frame (add them to institutions=, or give the input a"
                " municipality_code column)",
                None,
                tuple(repr(v) for v in missing.sort(nulls_last=True).head(3).to_list()),
            )
        )
        return lf
    # A lookup adds the one column (a join would copy every column of every row).
    return lf.with_columns(
        school,
        school.replace_strict(
            institutions["institution_id"],
            institutions["municipality_code"],
            default=None,
            return_dtype=institutions.schema["municipality_code"],
        ).alias("municipality_code"),
    )


def _level_parts(
    given: dict[str, pl.LazyFrame],
    test_parts: tuple[pl.LazyFrame, pl.LazyFrame] | None,
    level: _Level,
    once: _Once,
) -> list[pl.LazyFrame]:
    """The long rows of every family at one level (one lazy frame per family answer)."""
    parts: list[pl.LazyFrame] = []
    if "exams" in given:
        parts += _exam_rows(given["exams"], level, once)
    if test_parts is not None:
        parts += _national_test_rows(test_parts, level, once)
    if "wellbeing" in given:
        parts += _wellbeing_rows(given["wellbeing"], given.get("enrolment"), level, once)
    if "competence" in given:
        parts += _competence_rows(given["competence"], level, once)
    if "absence" in given:
        parts += _absence_rows(given["absence"], level, once)
    if "transitions" in given:
        parts += _transition_rows(given["transitions"], level, once)
    if "inclusion" in given and level.name != "school":
        parts += _inclusion_rows(given["inclusion"], level, once)
    return parts


def _clean(lf: pl.LazyFrame) -> pl.LazyFrame:
    """The frame validation made of ``lf`` where it rewrote values (else ``lf``).

    With ``lf``'s other facts: in memory (collected once more: rare), carried columns.
    """
    known = facts(lf)
    if known is None or known.cleaned is None:
        return lf
    clean = lazy_in_memory(known.cleaned.collect()) if known.in_memory else known.cleaned
    return carrying(clean, known.carry) if known.carry else clean


def _schools_under_two_codes(
    lf: pl.LazyFrame, *, normalise: bool
) -> tuple[int, tuple[str, ...]] | None:
    """Schools of ``lf`` under more than one municipality code in a school year.

    The number of them and up to three examples (:func:`_two_codes`), or None when
    ``lf`` lacks one of the three columns. Read through the distinct (year, school, code)
    rows, which are few; the school years are read canonical, as every rule reads them.
    With ``normalise`` the ids are read as validation normalises them; without, as given:
    never coarser than any unvalidated rule reads them ("151" and "151 " are two codes
    here, as they are to the pupil step; competence, which pads codes, then sees one
    where this sees two, which only costs the shared plan).
    """
    columns = ("school_year", "institution_id", "municipality_code")
    if not set(columns) <= set(lf.collect_schema()):
        return None
    ids = (normalise_id(c) for c in columns[1:]) if normalise else ()
    pairs = (
        lf.select(pl.col(c).cast(pl.String) for c in columns)
        .unique()
        .with_columns(school_year_expr(pl.col("school_year")).alias("school_year"), *ids)
        .unique()
    )
    return _two_codes(pairs, ["school_year", "institution_id"])


def _one_municipality_per_school(name: str, lf: pl.LazyFrame, problems: list[Problem]) -> None:
    """Report schools of ``lf`` under two municipality codes in one school year.

    Their school rows would split in two, and their pupils' rows between two
    municipalities.
    """
    found = _schools_under_two_codes(lf, normalise=True)
    if found is None:
        return  # a missing column is reported elsewhere
    n, examples = found
    if n:
        problems.append(
            Problem(
                "municipality_code",
                f"in {name}: {n} school(s) under more than one municipality code in"
                " a school year (a school belongs to one municipality)",
                None,
                examples,
            )
        )


def _one_code_per_school_as_given(lf: pl.LazyFrame) -> bool:
    """Whether every school of unvalidated ``lf`` (a DataFrame) has one municipality code a year.

    Then its school's columns are one per pupil as the unvalidated rules read them
    (the pupil key holds the school), and the levels can share one pupil step with the
    same numbers as separate calls; otherwise each level groups on its own.
    """
    found = _schools_under_two_codes(lf, normalise=False)
    return found is None or found[0] == 0  # (no codes: none to split a school)


def _every_lesson_has_a_subject(lf: pl.LazyFrame) -> bool:
    """Whether unvalidated lessons all name a subject (validation refuses one without).

    Then coverage computed per subject and summed is the coverage of every grouping
    (:func:`_competence_rows`); otherwise each grouping is its own call, which counts a
    lesson without a subject in all subjects.
    """
    if "subject" not in lf.collect_schema():
        return False
    return int(lf.select(pl.col("subject").null_count()).collect().item()) == 0


def table(
    *,
    exams: _Frame | None = None,
    national_tests: _Frame | None = None,
    wellbeing: _Frame | None = None,
    enrolment: _Frame | None = None,
    competence: _Frame | None = None,
    absence: _Frame | None = None,
    transitions: _Frame | None = None,
    inclusion: _Frame | None = None,
    institutions: _Frame | None = None,
    levels: Sequence[str] = ("school", "municipality"),
    confidence: float = 0.95,
    validate: bool = True,
    allow_cpr: bool = False,
) -> pl.DataFrame | pl.LazyFrame:
    """Every catalogue indicator the given pupil-level inputs allow, at each level, in one table.

    Each family function is called once per level, on the pupils of the input, with the
    unit's columns as ``by``: a municipality's value is computed from its pupils, never
    averaged from its schools' values. The rows follow
    :data:`~folkeskolekvalitet.indicators.INDICATOR_SCHEMA`, with a standard error and an
    interval by the indicator's method (:data:`~folkeskolekvalitet.indicators.CATALOGUE`,
    :doc:`/user_guide/statistics`) and the comparability note of its school year
    (``_core.breaks``).

    Parameters
    ----------
    exams
        Exam grades (:func:`folkeskolekvalitet.exams.grade_average`'s input).
    national_tests
        National test results; adaptive years go through
        :func:`~folkeskolekvalitet.national_tests.level_shares`, linear years through
        :func:`~folkeskolekvalitet.national_tests.good_share` (``share_good`` only).
    wellbeing
        Trivsel answers (long or wide). With ``enrolment`` also the response rate.
    enrolment
        Enrolled pupils, as :func:`folkeskolekvalitet.wellbeing.response_rate` takes them.
    competence
        Lessons, as :func:`folkeskolekvalitet.competence.coverage` takes them; one row for all
        subjects (``subject`` null) and one per subject.
    absence
        Absence records (:func:`folkeskolekvalitet.absence.absence_rates`).
    transitions
        Leavers with their statuses; the ``cohort`` becomes ``school_year``.
    inclusion
        Pupils as :func:`folkeskolekvalitet.interventions.inclusion_rate` takes them; a
        municipality figure, so not computed at school level.
    institutions
        ``institution_id`` → ``municipality_code``, for inputs without a municipality column.
    levels
        Any of ``"school"``, ``"municipality"``, ``"country"``. The country level is
        computed from all pupils in the input and says so in ``note``
        (:data:`COUNTRY_NOTE`): a municipality's own data do not make a national figure.
    confidence
        Level of the intervals (default 0.95).
    validate, allow_cpr
        Passed to the family functions (input validated once, at the first level).

    Returns
    -------
    DataFrame or LazyFrame
        The indicator table: a LazyFrame if any input is lazy (one plan, unexecuted),
        otherwise a DataFrame.

    Raises
    ------
    DataError
        When a school's municipality cannot be known, or when the families find problems.

    Examples
    --------
    Two schools of one municipality: the municipality's absence is its pupils' mean
    (0.1), not the mean of the two schools' rates (0.125).

    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators import table
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "municipality_code": "313",
    ...         "institution_id": ["313001", "313001", "313002"],
    ...         "pupil_id": ["a", "b", "c"],
    ...         "school_days": 200,
    ...         "sick_days": [20, 0, 40],
    ...         "authorised_days": 0,
    ...         "unauthorised_days": 0,
    ...         "months_registered": 11,
    ...     }
    ... )
    >>> out = table(absence=records)
    >>> rows = out.filter(pl.col("indicator") == "absence.rate_total")
    >>> rows.select("unit_level", "unit_id", "n", "value").rows()
    [('school', '313001', 2, 0.05), ('school', '313002', 1, 0.2), ('municipality', '313', 3, 0.1)]

    Source: the families' sources; the methods in :doc:`/user_guide/statistics`.
    """
    conf = _check_confidence(confidence)
    wanted = tuple(levels)
    unknown = [lv for lv in wanted if lv not in UNIT_LEVELS]
    if unknown or not wanted or len(set(wanted)) != len(wanted):
        msg = f"levels must be distinct values of {UNIT_LEVELS!r}, not {tuple(levels)!r}"
        raise ValueError(msg)
    inputs: dict[str, _Frame | None] = {
        "exams": exams,
        "national_tests": national_tests,
        "wellbeing": wellbeing,
        "enrolment": enrolment,
        "competence": competence,
        "absence": absence,
        "transitions": transitions,
        "inclusion": inclusion,
        "institutions": institutions,
    }
    given = {k: as_lazy(v, k) for k, v in inputs.items() if v is not None}
    eager = all(isinstance(v, pl.DataFrame) for v in inputs.values() if v is not None)
    # One input is validated in several calls (transitions once per measure; wide
    # well-being as wide rows, then as the long answers made of them): each distinct
    # warning about respelled ids is given once.
    with normalised_once():
        return _table(given, wanted, eager=eager, conf=conf, validate=validate, allow_cpr=allow_cpr)


def _table(  # noqa: PLR0912, PLR0915 - the steps of table(), in order
    given: dict[str, pl.LazyFrame],
    wanted: tuple[str, ...],
    *,
    eager: bool,
    conf: float,
    validate: bool,
    allow_cpr: bool,
) -> pl.DataFrame | pl.LazyFrame:
    """The body of :func:`table`, on its checked arguments (inputs as lazy frames)."""
    answers = given.get("wellbeing")
    schema = pl.Schema() if answers is None else answers.collect_schema()
    questions = wide_questions(schema)
    if answers is not None and questions is not None:
        # Wide answers (a column per question): made long once, for every call and level.
        # The functions that read long answers (the response rate, the question shares)
        # would each make them again, lazily, which made the table slower given wide
        # answers than given the same answers long. Wide scores are first checked as
        # the pupil-level rules check them: the long rows do not show a row whose cells
        # are all null, nor two rows of one pupil.
        if validate and all(schema[c].is_integer() for c in questions):
            answers = check_wide(answers, questions, allow_cpr=allow_cpr)
        # (an eager table collects the long answers with its other inputs, below)
        given["wellbeing"] = _wellbeing.answers_from_wide(answers, allow_cpr=allow_cpr)
    if validate:
        # The ids of the inputs are normalised by their validation (which reads their
        # distinct values anyway), and every call then reads the clean frame (below);
        # the small institutions frame is normalised here, before the lookup, and the
        # national test results before they are split in two inputs (one warning).
        if "institutions" in given:
            given["institutions"] = normalise_id_columns(given["institutions"], "institutions")
        if "national_tests" in given:
            # (the ids the results' rules read, and the school's columns)
            read = {c.name for c in RESULTS_CONTRACT.columns if c.kind == "id"}
            given["national_tests"] = normalise_id_columns(
                given["national_tests"],
                RESULTS_CONTRACT.what,
                read | {"institution_id", "municipality_code"},
            )
        # Official labels ("Dansk, læsning") become keys once, for every call and level.
        for name, columns in _LABELLED.items():
            if name in given:
                given[name] = relabel_columns(given[name], columns)
    inst_frame = given.pop("institutions", None)
    needs_municipality = any(lv != "country" for lv in wanted)
    problems: list[Problem] = []
    # read and checked once, and only when some input has no municipality column
    lacking = [
        name
        for name, lf in given.items()
        if name != "inclusion" and "municipality_code" not in lf.collect_schema()
    ]
    inst = (
        _institution_codes(inst_frame, problems)
        if inst_frame is not None and needs_municipality and lacking
        else None
    )
    joined: set[str] = set()
    if needs_municipality and not problems:
        for name in list(given):
            if name == "inclusion":
                continue
            before = given[name]
            given[name] = _with_municipality(name, before, inst, problems, normalise=validate)
            if given[name] is not before:
                joined.add(name)
        if validate:
            for name in _ONE_CODE_PER_SCHOOL:
                if name in given and name not in joined:
                    _one_municipality_per_school(name, given[name], problems)
    if problems:
        raise DataError("indicator table", problems)
    # In-memory input: the joins with institutions (and the national tests' split below)
    # are done once here, not again in every family call's validation query; the family
    # answers then form one lazy plan, in which Polars computes a step shared by several
    # answers (a level's pupil step, the same at the school and municipality levels) once.
    if eager:
        # (the in-memory engine keeps the columns it does not touch as they are, in one
        # chunk: the streaming engine copies them into many)
        given = {k: lazy_in_memory(v.collect(engine="in-memory")) for k, v in given.items()}
    # A school's municipality is one code per school and year: joined through the
    # checked institutions, or checked above (validated per pupil by exams and
    # well-being at the widest level). Unvalidated input is trusted no further than it
    # is read: when every input is a DataFrame, a cheap look at an input's distinct
    # schools shows whether its own codes are one per school (a lazy input is not read
    # for it). Where they are, the widest level's columns join the pupil step at every
    # level, and the levels share it (and well-being's row counts one grouping, summed
    # per level); competence is computed once and summed.
    widest = max((_Level(lv) for lv in wanted), key=lambda lv: len(lv.by))

    def codes_agree(name: str) -> bool:
        if validate or name in joined or not widest.by:
            return True  # (to the country alone: no code splits a school or a class)
        return eager and _one_code_per_school_as_given(given[name])

    agree = {name for name in _ONE_CODE_PER_SCHOOL if name in given and codes_agree(name)}
    for name in _CARRIED:
        if name in agree and widest.by:
            # a frame of the table's own, never the caller's object (a fact outlives the call)
            frame = given[name] if eager else given[name].select(pl.all())
            given[name] = carrying(frame, widest.by)
    tests = given.get("national_tests")
    test_parts = None if tests is None else _split_by_test_mode(tests, eager=eager)

    # The widest level first: the one validating call per input then also checks that
    # the school and municipality columns are one per pupil. Validation runs first, on
    # its own (the plans it builds are dropped): where it had to rewrite a value (an id
    # with padding, a label, klassetrin as text), every call reads the frame it made.
    order = sorted(wanted, key=lambda lv: -len(_Level(lv).by))
    summed = (
        frozenset({"competence"})
        if "competence" in agree
        and (validate or (eager and _every_lesson_has_a_subject(given["competence"])))
        else frozenset()
    )
    if validate:
        checking = _Once(validate=True, allow_cpr=allow_cpr, checking=True, summed=summed)
        for name in order:
            _level_parts(given, test_parts, _Level(name), checking)
        given = {k: _clean(v) for k, v in given.items()}
        if test_parts is not None:
            test_parts = (_clean(test_parts[0]), _clean(test_parts[1]))
    once = _Once(validate=False, allow_cpr=allow_cpr, summed=summed)
    by_level = {name: _level_parts(given, test_parts, _Level(name), once) for name in order}
    parts = [part for name in wanted for part in by_level[name]]

    if not parts:
        result = pl.LazyFrame(schema=INDICATOR_SCHEMA)
    else:
        rows = pl.concat(parts, how="vertical")
        methods = {k: v.uncertainty for k, v in CATALOGUE.items()}
        rows = uncertainty(
            rows,
            confidence=conf,
            method=pl.col("indicator").replace_strict(methods, default="none"),
            std=pl.col("_std"),
        )
        status = pl.coalesce(
            pl.col("_status"),
            pl.when(pl.col("value").is_not_null())
            .then(pl.lit("ok"))
            .otherwise(pl.lit("not_available")),
        )
        country = pl.when(pl.col("unit_level") == "country").then(pl.lit(COUNTRY_NOTE))
        note = pl.concat_str(
            [pl.col("_note"), year_note_expr(pl.col("indicator"), pl.col("school_year")), country],
            separator="; ",
            ignore_nulls=True,
        ).replace("", None)
        result = rows.with_columns(
            status.cast(INDICATOR_SCHEMA["status"]).alias("status"),
            note.alias("note"),
            pl.lit("computed").alias("source"),
        ).select(pl.col(c).cast(t) for c, t in INDICATOR_SCHEMA.items())
    return result.collect() if eager else result
