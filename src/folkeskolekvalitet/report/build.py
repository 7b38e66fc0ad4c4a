"""``build()``: from an indicator table to a :class:`Report` of one municipality."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from folkeskolekvalitet import __version__
from folkeskolekvalitet._core.breaks import BREAKS
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.municipalities import municipality as _municipality
from folkeskolekvalitet._core.municipalities import municipality_code as _code_of
from folkeskolekvalitet._core.schoolyear import parse_school_years
from folkeskolekvalitet.indicators import CATALOGUE, validate_table
from folkeskolekvalitet.report._cells import format_value, indicator_meta
from folkeskolekvalitet.report._labels import REASON_LABELS
from folkeskolekvalitet.report.model import Provenance, Report

__all__ = ["build"]

_NT = "national_tests."
_WHAT = "report"


def _municipality_code(value: str) -> tuple[str, str]:
    text = str(value).strip()
    try:
        m = _municipality(_code_of(text))
    except ValueError as err:
        raise DataError.single(_WHAT, "municipality", str(err)) from None
    return m.code, m.name


def _years(years: str | Sequence[str] | None, frame: pl.DataFrame, code: str) -> tuple[str, ...]:
    if years is None:
        present = frame.filter(pl.col("municipality_code") == code)["school_year"].unique().sort()
        return tuple(present.to_list())
    texts = [years] if isinstance(years, str) else list(years)
    out: list[str] = []
    for text in texts:
        try:
            out.extend(parse_school_years(text))
        except ValueError as err:
            raise DataError.single(_WHAT, "years", str(err)) from None
    return tuple(sorted(set(out)))


def _publication(nt: pl.DataFrame) -> pl.DataFrame | None:
    """The national tests' publication view, rebuilt from the table's counts."""
    from folkeskolekvalitet.national_tests import publication_view  # noqa: PLC0415

    rows = nt.filter(
        pl.col("indicator").is_in(
            ["national_tests.share_good", "national_tests.share_best", "national_tests.share_poor"]
        ),
        pl.col("status") == "ok",
        pl.col("numerator").is_not_null(),
    )
    if not rows.height:
        return None
    keys = ["municipality_code", "institution_id", "school_year", "subject", "grade_level"]
    long = rows.select(
        "municipality_code",
        pl.when(pl.col("unit_level") == "school").then(pl.col("unit_id")).alias("institution_id"),
        "school_year",
        "subject",
        "grade_level",
        pl.col("indicator").str.strip_prefix("national_tests.share_").alias("what"),
        pl.col("n").cast(pl.Int64),
        pl.col("numerator").round(0).cast(pl.Int64),
    )
    n_pupils = long.group_by(keys).agg(pl.col("n").max().alias("n_pupils"))
    counts = long.pivot("what", index=keys, values="numerator", aggregate_function="first")
    counts = counts.rename({c: f"n_{c}" for c in counts.columns if c not in keys})
    shares = n_pupils.join(counts, on=keys, how="left", nulls_equal=True)
    if "n_good" not in shares.columns:
        return None
    view: pl.DataFrame = publication_view(shares, unit=("municipality_code", "institution_id"))
    return view


#: National test goals whose verdict the publication view gives: (indicator, kind, target).
_PUBLISHED_GOALS = {
    ("national_tests.share_good", "at_least", 0.8): "good",
    ("national_tests.share_best", "rise", None): "best",
    ("national_tests.share_poor", "fall", None): "poor",
}


def _published_verdicts(
    evaluated: pl.DataFrame, goal: Any, view_goal: str, publication: pl.DataFrame | None
) -> pl.DataFrame:
    """A national test goal's verdicts taken from the publication view (goal met only)."""
    schema = evaluated.schema
    if publication is None or not publication.height:
        return evaluated.clear()
    rows = publication.filter(pl.col("goal").cast(pl.String) == view_goal)
    school = pl.col("institution_id").is_not_null()
    verdict = (
        pl.when(pl.col("goal_met"))
        .then(pl.lit("met"))
        .when(~pl.col("goal_met"))
        .then(pl.lit("not_met"))
        .otherwise(pl.lit("not_evaluable"))
    )
    out = rows.select(
        "school_year",
        pl.when(school)
        .then(pl.lit("school"))
        .otherwise(pl.lit("municipality"))
        .alias("unit_level"),
        pl.coalesce("institution_id", "municipality_code").alias("unit_id"),
        "municipality_code",
        pl.lit(goal.indicator).alias("indicator"),
        pl.col("subject").cast(pl.String),
        pl.col("grade_level"),
        pl.lit(goal.key).alias("goal"),
        pl.lit(goal.kind).alias("kind"),
        verdict.alias("verdict"),
        "goal_met",
    )
    return pl.concat([evaluated.clear(), out], how="diagonal_relaxed").select(
        pl.col(c).cast(schema[c]) for c in schema
    )


def _goal_frame(
    evaluated: pl.DataFrame, goals: Sequence[Any], publication: pl.DataFrame | None
) -> pl.DataFrame:
    """Goal verdicts with their Danish texts; national test goals from the publication view."""
    parts = []
    for goal in goals:
        own = evaluated.filter(pl.col("goal") == goal.key)
        if str(goal.indicator).startswith(_NT):
            target = None if goal.target is None else round(float(goal.target), 6)
            view_goal = _PUBLISHED_GOALS.get((goal.indicator, goal.kind, target))
            if view_goal is not None and goal.subject is None and goal.grade_level is None:
                own = _published_verdicts(evaluated, goal, view_goal, publication)
        parts.append(own)
    merged = pl.concat(parts, how="vertical") if parts else evaluated
    labels = {g.key: g.label for g in goals}
    meta = indicator_meta().select("indicator", "unit", "decimals")
    out = merged.join(meta, on="indicator", how="left").with_columns(
        pl.col("goal")
        .replace_strict(labels, default=pl.col("goal"), return_dtype=pl.String)
        .alias("label"),
    )
    nt = pl.col("indicator").str.starts_with(_NT)
    unit, dec = pl.col("unit").fill_null("number"), pl.col("decimals").fill_null(1)
    reason = pl.col("reason").cast(pl.String)
    nt_unpublished = nt & (pl.col("verdict") == "not_evaluable")
    return out.with_columns(
        pl.when(nt)
        .then(None)
        .otherwise(format_value(pl.col("value"), unit, dec))
        .alias("value_text"),
        pl.when(nt)
        .then(None)
        .otherwise(format_value(pl.col("target"), unit, dec))
        .alias("target_text"),
        pl.when(nt_unpublished)
        .then(pl.lit(REASON_LABELS["national_tests"]))
        .otherwise(
            reason.replace_strict(dict(REASON_LABELS), default=reason, return_dtype=pl.String)
        )
        .alias("reason_text"),
        # a national test share is never shown (§ 55 b)
        *(
            pl.when(nt).then(pl.lit(None, pl.Float64)).otherwise(pl.col(c)).alias(c)
            for c in ("value", "value_compared", "target", "distance")
        ),
    ).drop("unit", "decimals")


_COUNTRY_NOTE_DA = (
    "landstallet er beregnet af eleverne i data og er ikke det officielle landstal,"
    " medmindre data rummer hele landets elever"
)


def _danish_notes(table: pl.DataFrame) -> pl.DataFrame:
    """The notes of the comparability register and of the country rows, in Danish."""
    from folkeskolekvalitet.indicators.table import COUNTRY_NOTE  # noqa: PLC0415

    note = pl.col("note").str.replace(COUNTRY_NOTE, _COUNTRY_NOTE_DA, literal=True)
    for brk in BREAKS:
        if brk.reason and brk.reason_da:
            note = note.str.replace(brk.reason, brk.reason_da, literal=True)
    return table.with_columns(note.alias("note"))


def build(
    table: pl.DataFrame | pl.LazyFrame,
    *,
    goals: Sequence[Any] | None = None,
    municipality: str,
    schools: Sequence[str] | None = None,
    years: str | Sequence[str] | None = None,
    suppress: bool = True,
    names: Mapping[str, str] | None = None,
    data_files: Sequence[str] = (),
) -> Report:
    """Build the quality report of one municipality from an indicator table.

    Takes the municipality's schools, the municipality and the country from ``table``
    (the long indicator table of :func:`folkeskolekvalitet.indicators.table` or of the
    readers), applies disclosure control
    (:func:`folkeskolekvalitet.disclosure.suppress`), computes the change from last year
    (:func:`folkeskolekvalitet.indicators.change`), the differences to the municipality and
    the country (:func:`folkeskolekvalitet.indicators.compare`), the goal verdicts
    (:func:`folkeskolekvalitet.goals.evaluate`) and the national tests' publication view
    (:func:`folkeskolekvalitet.national_tests.publication_view`). The national test shares
    of schools and the municipality are used only for that view: they are not in the
    report's :attr:`~Report.table` (folkeskoleloven § 55 b).

    Parameters
    ----------
    table
        An indicator table (checked by :func:`~folkeskolekvalitet.indicators.validate_table`).
    goals
        Goals (:class:`folkeskolekvalitet.goals.Goal`), e.g. ``goals.NATIONAL`` or
        ``goals.read_goals("goals.toml")``; ``None`` for none.
    municipality
        The municipality's code (``"151"``) or name (``"Ballerup"``).
    schools
        The schools to show (institution numbers); default all of the municipality's.
    years
        ``"2021/22"``, ``"2021/22:2023/24"`` or a list of them; default every year in the
        table.
    suppress
        Apply disclosure control (default). ``False`` makes an internal report that may not
        be published.
    names
        Names of schools and municipalities by id (default: the municipality's name only).
    data_files
        The input files, listed under sources and provenance.

    Returns
    -------
    Report

    Raises
    ------
    DataError
        For an invalid table, an unknown municipality or school, or bad years.

    Examples
    --------
    >>> from folkeskolekvalitet import indicators, report
    >>> from folkeskolekvalitet.synthetic import country
    >>> dk = country(school_years=["2022/23", "2023/24"], scale=0.01, municipalities=["151"])
    >>> table = indicators.table(exams=dk.exams, institutions=dk.institutions)
    >>> rep = report.build(table, municipality="151", years="2022/23:2023/24")
    >>> rep.municipality_name, rep.years
    ('Ballerup', ('2022/23', '2023/24'))
    """
    from folkeskolekvalitet import indicators as _indicators  # noqa: PLC0415

    frame = table.collect() if isinstance(table, pl.LazyFrame) else table
    validate_table(frame)
    code, name = _municipality_code(municipality)
    yrs = _years(years, frame, code)
    level = pl.col("unit_level").cast(pl.String)
    local = frame.filter(
        ((level != "country") & (pl.col("municipality_code") == code)) | (level == "country"),
        pl.col("school_year").is_in(list(yrs)),
    )
    present = set(local.filter(level == "school")["unit_id"].unique().to_list())
    if schools is not None:
        unknown = sorted(set(schools) - present)
        if unknown:
            raise DataError(
                _WHAT,
                [
                    Problem(
                        "schools",
                        f"not schools of municipality {code} in the table for {', '.join(yrs)}",
                        len(unknown),
                        tuple(repr(s) for s in unknown[:3]),
                    )
                ],
            )
        local = local.filter((level != "school") | pl.col("unit_id").is_in(list(schools)))
        school_ids = tuple(schools)
    else:
        school_ids = tuple(sorted(present))
    if not local.filter(level != "country").height:
        raise DataError.single(
            _WHAT,
            "municipality_code",
            f"the table has no row of municipality {code} ({name})"
            f" in {', '.join(yrs) or 'any year'}",
        )
    unit_names = {code: name, **(dict(names) if names else {})}
    school_ids = tuple(sorted(school_ids, key=lambda s: (unit_names.get(s, s), s)))
    is_nt = pl.col("indicator").str.starts_with(_NT)
    publication = _publication(local.filter(is_nt, level != "country"))
    rest = local.filter(~is_nt)
    if suppress:
        from folkeskolekvalitet import disclosure as _disclosure  # noqa: PLC0415

        shown = _disclosure.suppress(rest)
    else:
        shown = rest
    change = _indicators.change(shown)
    parts = []
    for against in ("municipality", "country"):
        if against == "country" and not shown.filter(level == "country").height:
            continue
        parts.append(
            _indicators.compare(shown, against=against).with_columns(against=pl.lit(against))
        )
    compare = pl.concat(parts, how="diagonal_relaxed") if parts else None
    goal_frame = None
    if goals:
        from folkeskolekvalitet import goals as _goals  # noqa: PLC0415

        goal_list = list(goals.values()) if isinstance(goals, Mapping) else list(goals)
        evaluated = _goals.evaluate(shown, goal_list)
        goal_frame = _goal_frame(evaluated, goal_list, publication)
    catalogues = {
        "indikatorkatalog": f"folkeskolekvalitet {__version__} ({len(CATALOGUE)} indikatorer)",
        "databrud": f"folkeskolekvalitet {__version__} ({len(BREAKS)} brud)",
    }
    provenance = Provenance(
        __version__,
        datetime.date.today().isoformat(),
        tuple(data_files),
        catalogues,
    )
    return Report(
        table=_danish_notes(shown).sort("school_year", "unit_level", "unit_id", "indicator"),
        municipality=code,
        municipality_name=name,
        schools=school_ids,
        years=yrs,
        change=change,
        compare=compare,
        goals=goal_frame,
        publication=publication,
        names=unit_names,
        provenance=provenance,
        suppressed=suppress,
    )
