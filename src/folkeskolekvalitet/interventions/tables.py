"""Interventions as a tidy frame, and the tables of a municipal report.

:func:`to_frame` turns parsed interventions into a Polars frame, one row per
intervention. The table functions take that frame (eager or lazy) and return
the counts a municipal report needs: interventions per school and practice
(:func:`practice_table`), per school and status (:func:`status_table`), and the
resources per school and unit with full-time equivalents where the unit allows
a conversion (:func:`resource_table`; :func:`resource_rows` shows every
resource with whether it was summed).

Source: the tables Ballerup Kommune's 2021 survey of the devolved inclusion
resources was made for (see :mod:`folkeskolekvalitet.interventions.taxonomy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.exprs import divided_by
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input, normalise_by
from folkeskolekvalitet._core.schema import Column, Contract
from folkeskolekvalitet.interventions.resources import UNIT_ENUM, UNITS, Resource
from folkeskolekvalitet.interventions.survey import Intervention, ParsedSurvey
from folkeskolekvalitet.interventions.taxonomy import (
    ANCHORING_ENUM,
    PRACTICE_ENUM,
    PRACTICES,
    STATUS_ENUM,
    STATUSES,
    TIER_ENUM,
)

__all__ = [
    "INTERVENTION_SCHEMA",
    "RESOURCE_STRUCT",
    "practice_table",
    "resource_rows",
    "resource_table",
    "status_table",
    "to_frame",
]

DEFAULT_BY = ("school",)

#: The struct of one resource in the ``resources`` list columns.
RESOURCE_STRUCT = pl.Struct(
    {
        "low": pl.Float64,
        "high": pl.Float64,
        "unit": UNIT_ENUM,
        "approximate": pl.Boolean,
        "scope": pl.String,
        "text": pl.String,
    }
)

_PRACTICE_COLUMNS = tuple(p.column for p in PRACTICES)

#: The schema of :func:`to_frame`.
INTERVENTION_SCHEMA = pl.Schema(
    [
        ("school", pl.String()),
        ("name", pl.String()),
        ("status", STATUS_ENUM),
        ("status_text", pl.String()),
        *[(c, pl.Boolean()) for c in _PRACTICE_COLUMNS],
        ("n_practices", pl.UInt32()),
        ("anchoring", pl.List(ANCHORING_ENUM)),
        ("anchoring_text", pl.String()),
        ("purpose", pl.String()),
        ("resources", pl.List(RESOURCE_STRUCT)),
        ("resources_text", pl.String()),
        ("mentioned_resources", pl.List(RESOURCE_STRUCT)),
        ("tiers", pl.List(TIER_ENUM)),
        ("line", pl.UInt32()),
        ("text", pl.String()),
    ]
)

INTERVENTIONS_CONTRACT = Contract(
    "interventions",
    (
        Column("school", "string", description="School name."),
        Column(
            "status",
            "string",
            nullable=True,
            required=False,
            allowed=tuple(s.value for s in STATUSES),
            description="Status value (null when not stated).",
        ),
        *(
            Column(c, "boolean", required=False, description=f"Practice {c[-1].upper()} ticked.")
            for c in _PRACTICE_COLUMNS
        ),
        Column("name", "string", nullable=True, required=False, description="Intervention."),
    ),
    # an intervention counted twice (an export pasted twice, frames concatenated twice)
    key=("school", "name"),
)


def _resource_dict(r: Resource) -> dict[str, object]:
    return {
        "low": r.low,
        "high": r.high,
        "unit": r.unit,
        "approximate": r.approximate,
        "scope": r.scope,
        "text": r.text,
    }


def to_frame(interventions: Iterable[Intervention] | ParsedSurvey) -> pl.DataFrame:
    r"""One row per intervention: school, name, status, ticks, anchoring, resources, text.

    Parameters
    ----------
    interventions
        Interventions, or the result of
        :func:`~folkeskolekvalitet.interventions.parse_survey`.

    Returns
    -------
    DataFrame
        Columns (see :data:`INTERVENTION_SCHEMA`): ``school``, ``name``,
        ``status`` (Enum, null when not stated), ``status_text``, booleans
        ``practice_a`` … ``practice_e``, ``n_practices``, ``anchoring`` (list of
        Enum), ``anchoring_text``, ``purpose``, ``resources`` and
        ``mentioned_resources`` (lists of :data:`RESOURCE_STRUCT`),
        ``resources_text``, ``tiers`` (list of Enum), ``line`` (where the record
        starts in the export) and ``text`` (the original record).

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey, to_frame
    >>> export = (
    ...     "Skovvejens Skole\n\nIndsatsens navn: AKT\n\nIndsats, der var der i forvejen\n\n"
    ...     "Hvilken praksis er indsatsen:\tKryds\n"
    ...     "C: Tiltag rettet mod alle klassens børn\tX\n"
    ...     "E: Sparring/vejledning/mesterlære\tX\n"
    ...     "Ressourcer/metoder/værktøjer:\t20 timer/uge Uddannede AKT lærere\n"
    ... )
    >>> to_frame(parse_survey(export)).select(
    ...     "school", "name", "status", "practice_c", "n_practices"
    ... )
    shape: (1, 5)
    ┌──────────────────┬──────┬─────────────────┬────────────┬─────────────┐
    │ school           ┆ name ┆ status          ┆ practice_c ┆ n_practices │
    │ ---              ┆ ---  ┆ ---             ┆ ---        ┆ ---         │
    │ str              ┆ str  ┆ enum            ┆ bool       ┆ u32         │
    ╞══════════════════╪══════╪═════════════════╪════════════╪═════════════╡
    │ Skovvejens Skole ┆ AKT  ┆ existing_before ┆ true       ┆ 2           │
    └──────────────────┴──────┴─────────────────┴────────────┴─────────────┘
    """
    items = (
        interventions.interventions if isinstance(interventions, ParsedSurvey) else interventions
    )
    rows = []
    for i in items:
        letters = {p.value for p in i.practices}
        rows.append(
            {
                "school": i.school,
                "name": i.name,
                "status": None if i.status is None else i.status.value,
                "status_text": i.status_text,
                **{p.column: p.value in letters for p in PRACTICES},
                "n_practices": len(letters),
                "anchoring": sorted(
                    (a.value for a in i.anchoring),
                    key=lambda v: ANCHORING_ENUM.categories.to_list().index(v),
                ),
                "anchoring_text": i.anchoring_text,
                "purpose": i.purpose,
                "resources": [_resource_dict(r) for r in i.resources],
                "resources_text": i.resources_text,
                "mentioned_resources": [_resource_dict(r) for r in i.mentioned_resources],
                "tiers": sorted(
                    (t.value for t in i.tiers),
                    key=lambda v: TIER_ENUM.categories.to_list().index(v),
                ),
                "line": i.line,
                "text": i.text,
            }
        )
    return pl.DataFrame(rows, schema=INTERVENTION_SCHEMA, orient="row")


def _grouped(lf: pl.LazyFrame, by: tuple[str, ...]) -> tuple[pl.LazyFrame, tuple[str, ...]]:
    """Give an ungrouped table a constant group column (dropped at the end)."""
    if by:
        return lf, by
    return lf.with_columns(pl.lit(0, dtype=pl.UInt8).alias("_all")), ("_all",)


def _finish(result: pl.LazyFrame, by: tuple[str, ...], last: str) -> pl.LazyFrame:
    result = sort_groups(result, (*by, last))
    return result.drop("_all") if by == ("_all",) else result


def _validate(lf: pl.LazyFrame, by: tuple[str, ...], needed: Sequence[str]) -> pl.LazyFrame:
    schema = lf.collect_schema()
    missing = [c for c in needed if c not in schema]
    if missing:
        raise DataError(
            "interventions",
            [Problem(c, "missing column (make the frame with to_frame)") for c in missing],
        )
    return INTERVENTIONS_CONTRACT.validate(lf, by=by).lf(lf)


def practice_table(interventions: FrameT, *, by: str | Sequence[str] = DEFAULT_BY) -> FrameT:
    """Interventions per group and mellemform (practice A-E).

    One intervention can tick several practices, so the counts of a group sum
    to more than its interventions; an intervention without ticks counts in
    ``n_in_group`` only.

    Parameters
    ----------
    interventions
        The frame of :func:`to_frame` (or any frame with ``school`` and the
        booleans ``practice_a`` … ``practice_e``).
    by
        Grouping columns; ``()`` for one row per practice over everything.

    Returns
    -------
    DataFrame or LazyFrame
        ``by`` columns, ``practice`` (Enum A-E; every practice for every
        group, zero rows kept), ``n_interventions`` (with the practice ticked),
        ``n_in_group`` (all interventions of the group) and ``share``
        (``n_interventions / n_in_group``).

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.interventions import practice_table
    >>> frame = pl.DataFrame(
    ...     {
    ...         "school": ["Baltorpskolen", "Baltorpskolen"],
    ...         "practice_a": [False, True],
    ...         "practice_b": [False, True],
    ...         "practice_c": [True, True],
    ...         "practice_d": [False, True],
    ...         "practice_e": [True, True],
    ...     }
    ... )
    >>> practice_table(frame).select("practice", "n_interventions", "share")
    shape: (5, 3)
    ┌──────────┬─────────────────┬───────┐
    │ practice ┆ n_interventions ┆ share │
    │ ---      ┆ ---             ┆ ---   │
    │ enum     ┆ u32             ┆ f64   │
    ╞══════════╪═════════════════╪═══════╡
    │ A        ┆ 1               ┆ 0.5   │
    │ B        ┆ 1               ┆ 0.5   │
    │ C        ┆ 2               ┆ 1.0   │
    │ D        ┆ 1               ┆ 0.5   │
    │ E        ┆ 2               ┆ 1.0   │
    └──────────┴─────────────────┴───────┘
    """
    groups = normalise_by(by)
    lf = as_lazy(interventions, "interventions")
    lf = _validate(lf, groups, ("school", *_PRACTICE_COLUMNS))
    keys: tuple[str, ...]
    lf, keys = _grouped(lf, groups)
    letters = [p.value for p in PRACTICES]
    wide = lf.group_by(list(keys)).agg(
        pl.len().cast(pl.UInt32).alias("n_in_group"),
        *[pl.col(p.column).sum().cast(pl.UInt32).alias(p.value) for p in PRACTICES],
    )
    result = wide.unpivot(
        index=[*keys, "n_in_group"],
        on=letters,
        variable_name="practice",
        value_name="n_interventions",
    ).select(
        *keys,
        pl.col("practice").cast(PRACTICE_ENUM),
        pl.col("n_interventions").cast(pl.UInt32),
        "n_in_group",
        safe_share(pl.col("n_interventions"), pl.col("n_in_group")).alias("share"),
    )
    return like_input(interventions, _finish(result, keys, "practice"))


_NOT_STATED = "__not_stated__"


def status_table(interventions: FrameT, *, by: str | Sequence[str] = DEFAULT_BY) -> FrameT:
    """Interventions per group and status (new, increased or adjusted, unchanged, existing).

    Parameters
    ----------
    interventions
        The frame of :func:`to_frame` (or any frame with ``school`` and
        ``status``).
    by
        Grouping columns; ``()`` for one row per status over everything.

    Returns
    -------
    DataFrame or LazyFrame
        ``by`` columns, ``status`` (Enum; every status for every group, zero
        rows kept, and a row with a null status for the interventions whose
        record states none), ``n_interventions``, ``n_in_group`` and
        ``share``.

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.interventions import status_table
    >>> frame = pl.DataFrame({"school": ["Hedegårdsskolen"] * 3, "status": ["new", "new", None]})
    >>> status_table(frame).select("status", "n_interventions", "n_in_group")
    shape: (5, 3)
    ┌───────────────────────┬─────────────────┬────────────┐
    │ status                ┆ n_interventions ┆ n_in_group │
    │ ---                   ┆ ---             ┆ ---        │
    │ enum                  ┆ u32             ┆ u32        │
    ╞═══════════════════════╪═════════════════╪════════════╡
    │ new                   ┆ 2               ┆ 3          │
    │ increased_or_adjusted ┆ 0               ┆ 3          │
    │ unchanged             ┆ 0               ┆ 3          │
    │ existing_before       ┆ 0               ┆ 3          │
    │ null                  ┆ 1               ┆ 3          │
    └───────────────────────┴─────────────────┴────────────┘
    """
    groups = normalise_by(by)
    lf = as_lazy(interventions, "interventions")
    lf = _validate(lf, groups, ("school", "status"))
    keys: tuple[str, ...]
    lf, keys = _grouped(lf, groups)
    status = pl.col("status").cast(pl.String).str.strip_chars()
    values: list[str] = [s.value for s in STATUSES]
    wide = lf.group_by(list(keys)).agg(
        pl.len().cast(pl.UInt32).alias("n_in_group"),
        *[(status == v).sum().cast(pl.UInt32).alias(v) for v in values],
        status.is_null().sum().cast(pl.UInt32).alias(_NOT_STATED),
    )
    result = wide.unpivot(
        index=[*keys, "n_in_group"],
        on=[*values, _NOT_STATED],
        variable_name="status",
        value_name="n_interventions",
    ).select(
        *keys,
        pl.when(pl.col("status") != _NOT_STATED)
        .then(pl.col("status"))
        .cast(STATUS_ENUM)
        .alias("status"),
        pl.col("n_interventions").cast(pl.UInt32),
        "n_in_group",
        safe_share(pl.col("n_interventions"), pl.col("n_in_group")).alias("share"),
    )
    return like_input(interventions, _finish(result, keys, "status"))


_DROP_FOR_ROWS = (
    "resources",
    "mentioned_resources",
    "text",
    "purpose",
    "anchoring_text",
    "resources_text",
    "anchoring",
    "tiers",
    "status_text",
    *_PRACTICE_COLUMNS,
    "n_practices",
)
_FTE_UNITS = [u.value for u in UNITS if u.fte == "fte"]


def _check_factor(name: str, value: float | None) -> None:
    if value is not None and not value > 0:
        msg = f"{name} must be a positive number of units per full-time equivalent, not {value!r}"
        raise ValueError(msg)


def _units_per_fte(hours_per_fte: float | None, lessons_per_fte: float | None) -> pl.Expr:
    """Expression: units of ``unit`` per full-time equivalent, null where none applies."""
    unit = pl.col("unit").cast(pl.String)
    units = dict.fromkeys(_FTE_UNITS, 1.0)
    if hours_per_fte is not None:
        units["timer per uge"] = float(hours_per_fte)
    if lessons_per_fte is not None:
        units["lektioner per uge"] = float(lessons_per_fte)
    return unit.replace_strict(units, default=None, return_dtype=pl.Float64)


def _with_fte(frame: pl.LazyFrame, units_per_fte: pl.Expr) -> pl.LazyFrame:
    """``fte_factor`` (FTE per unit) and the bounds in FTE, divided exactly.

    35 lessons a week at 25 lessons per FTE are 35 / 25 = 1.4 FTE (multiplied by the
    factor 1 / 25 they were 1.4000000000000001).
    """
    return frame.with_columns(
        divided_by(pl.lit(1.0), units_per_fte).alias("fte_factor"),
        divided_by(pl.col("low"), units_per_fte).alias("fte_low"),
        divided_by(pl.col("high"), units_per_fte).alias("fte_high"),
    )


def _check_resources_column(lf: pl.LazyFrame, name: str) -> None:
    dtype = lf.collect_schema().get(name)
    if dtype is None:
        raise DataError(
            "interventions", [Problem(name, "missing column (make the frame with to_frame)")]
        )
    fields: set[str] = set()
    if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct):
        fields = {f.name for f in dtype.inner.fields}
    if not {"low", "high", "unit", "approximate", "scope", "text"} <= fields:
        raise DataError(
            "interventions",
            [Problem(name, f"wrong dtype {dtype}: expected {pl.List(RESOURCE_STRUCT)}")],
        )


def _rows(
    lf: pl.LazyFrame,
    *,
    include_mentioned: bool,
    hours_per_fte: float | None,
    lessons_per_fte: float | None,
) -> pl.LazyFrame:
    _check_factor("hours_per_fte", hours_per_fte)
    _check_factor("lessons_per_fte", lessons_per_fte)
    lists = ["resources", *(["mentioned_resources"] if include_mentioned else [])]
    for name in lists:
        _check_resources_column(lf, name)
    schema = lf.collect_schema()
    keep = [c for c in schema if c not in _DROP_FOR_ROWS]
    indexed = lf.with_row_index("_rec")
    parts = [
        indexed.select(
            *keep,
            "_rec",
            pl.lit(name == "mentioned_resources").alias("mentioned"),
            pl.col(name).cast(pl.List(RESOURCE_STRUCT)).alias("_r"),
        )
        for name in lists
    ]
    exploded = pl.concat(parts).explode("_r").filter(pl.col("_r").is_not_null()).unnest("_r")
    scope = pl.col("scope").str.to_lowercase().str.strip_chars()
    is_total = scope.is_in(["i alt", "samlet"]).fill_null(value=False)
    per_unit = scope.is_not_null() & ~is_total
    totals = exploded.group_by(["_rec", "mentioned", "unit"]).agg(
        is_total.any().alias("_has_total")
    )
    joined = exploded.join(
        totals, on=["_rec", "mentioned", "unit"], how="left", maintain_order="left"
    ).with_columns((~per_unit & (is_total | ~pl.col("_has_total"))).alias("summed"))
    return _with_fte(joined, _units_per_fte(hours_per_fte, lessons_per_fte)).drop("_has_total")


def resource_rows(
    interventions: FrameT,
    *,
    include_mentioned: bool = False,
    hours_per_fte: float | None = None,
    lessons_per_fte: float | None = None,
) -> FrameT:
    r"""One row per resource, with whether it is summed and its full-time equivalents.

    A resource is *summed* (counted in :func:`resource_table`) unless it
    applies to each of several units ("2-3 timer i hver klasse") or it is a
    part of a total the same text states ("en ugentlig lektion … i alt 14
    ugentlige lektioner": only the 14 is summed).

    Parameters
    ----------
    interventions
        The frame of :func:`to_frame`.
    include_mentioned
        Also take the amounts found in the anchoring and purpose texts
        (``mentioned_resources``); by default only the resources field counts.
    hours_per_fte
        Hours per week of one full-time equivalent; converts ``timer per uge``.
        ``None`` (default): no conversion (the survey does not say whether its
        "timer" are clock hours or lessons).
    lessons_per_fte
        Lessons per week of one full-time equivalent; converts ``lektioner per
        uge``. ``None`` (default): no conversion.

    Returns
    -------
    DataFrame or LazyFrame
        The intervention's columns (``school``, ``name``, ``status``, ``line``
        and any added ones), ``mentioned``, ``low``, ``high``, ``unit``,
        ``approximate``, ``scope``, ``text``, ``summed``, ``fte_factor``,
        ``fte_low`` and ``fte_high`` (null where the unit has no conversion).

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey, resource_rows, to_frame
    >>> export = (
    ...     "Måløvhøj Skole**Indsatsens navn: Co-teaching**\n\nIndsats der er øget\n\n"
    ...     "Ressourcer/metoder/værktøjer:\thver klasse i indskolingen tildelt en ugentlig"
    ...     " lektion svarende til i alt 14 ugentlige lektioner\n"
    ... )
    >>> frame = to_frame(parse_survey(export))
    >>> resource_rows(frame, lessons_per_fte=25).select("low", "unit", "summed", "fte_low")
    shape: (2, 4)
    ┌──────┬───────────────────┬────────┬─────────┐
    │ low  ┆ unit              ┆ summed ┆ fte_low │
    │ ---  ┆ ---               ┆ ---    ┆ ---     │
    │ f64  ┆ enum              ┆ bool   ┆ f64     │
    ╞══════╪═══════════════════╪════════╪═════════╡
    │ 1.0  ┆ lektioner per uge ┆ false  ┆ 0.04    │
    │ 14.0 ┆ lektioner per uge ┆ true   ┆ 0.56    │
    └──────┴───────────────────┴────────┴─────────┘
    """
    lf = as_lazy(interventions, "interventions")
    rows = _rows(
        lf,
        include_mentioned=include_mentioned,
        hours_per_fte=hours_per_fte,
        lessons_per_fte=lessons_per_fte,
    )
    return like_input(
        interventions, rows.sort("_rec", "mentioned", maintain_order=True).drop("_rec")
    )


def resource_table(
    interventions: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    include_mentioned: bool = False,
    hours_per_fte: float | None = None,
    lessons_per_fte: float | None = None,
) -> FrameT:
    r"""Resources per group and unit, with full-time equivalents where the unit allows it.

    Amounts are summed per unit, never across units: "årsværk" and
    "fuldtidsstilling" are one full-time equivalent each; "timer per uge" and
    "lektioner per uge" convert only with the factor you give; forløb,
    kroner, persons (ansatte), hours without a period and per-day amounts
    never convert. See :func:`resource_rows` for which amounts are summed.

    Parameters
    ----------
    interventions
        The frame of :func:`to_frame`.
    by
        Grouping columns; ``()`` for one row per unit over everything.
    include_mentioned, hours_per_fte, lessons_per_fte
        As in :func:`resource_rows`.

    Returns
    -------
    DataFrame or LazyFrame
        ``by`` columns, ``unit`` (Enum; every unit found anywhere in the
        input for every group, zero rows kept), ``n_resources`` (amounts
        found), ``n_summed`` (amounts summed), ``n_interventions`` (with a
        summed amount), ``n_approximate`` (summed amounts marked "ca."),
        ``low`` and ``high`` (sums; ``high`` is ``inf`` where an amount is
        open-ended, "minimum 4"), ``fte_factor``, ``fte_low`` and ``fte_high``
        (null where the unit has no conversion).

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey, resource_table, to_frame
    >>> export = (
    ...     "BALTORPSKOLEN\n\nIndsatsens navn: Learning Literacy\n\n(ny indsats)\n\n"
    ...     "Ressourcer/metoder/værktøjer:\tTo årsværk Uddannede LL - lærere\n\n"
    ...     "Indsatsens navn: Holddeling\n\n(ny indsats)\n\n"
    ...     "Ressourcer/metoder/værktøjer:\tCa. fire årsværk og 10 timer/uge\n"
    ... )
    >>> table = resource_table(to_frame(parse_survey(export)), hours_per_fte=37)
    >>> table.select("unit", "n_summed", "n_approximate", "low", "fte_low")
    shape: (2, 5)
    ┌───────────────┬──────────┬───────────────┬──────┬─────────┐
    │ unit          ┆ n_summed ┆ n_approximate ┆ low  ┆ fte_low │
    │ ---           ┆ ---      ┆ ---           ┆ ---  ┆ ---     │
    │ enum          ┆ u32      ┆ u32           ┆ f64  ┆ f64     │
    ╞═══════════════╪══════════╪═══════════════╪══════╪═════════╡
    │ årsværk       ┆ 2        ┆ 1             ┆ 6.0  ┆ 6.0     │
    │ timer per uge ┆ 1        ┆ 0             ┆ 10.0 ┆ 0.27027 │
    └───────────────┴──────────┴───────────────┴──────┴─────────┘
    """
    groups = normalise_by(by)
    lf = as_lazy(interventions, "interventions")
    lf = _validate(lf, groups, ("school",))
    keys: tuple[str, ...]
    lf, keys = _grouped(lf, groups)
    rows = _rows(
        lf,
        include_mentioned=include_mentioned,
        hours_per_fte=hours_per_fte,
        lessons_per_fte=lessons_per_fte,
    )
    summed = pl.col("summed")
    agg = rows.group_by([*keys, "unit"]).agg(
        pl.len().cast(pl.UInt32).alias("n_resources"),
        summed.sum().cast(pl.UInt32).alias("n_summed"),
        pl.col("_rec").filter(summed).n_unique().cast(pl.UInt32).alias("n_interventions"),
        (pl.col("approximate") & summed).sum().cast(pl.UInt32).alias("n_approximate"),
        pl.col("low").filter(summed).sum().alias("low"),
        pl.col("high").filter(summed).sum().alias("high"),
    )
    grid = lf.select(keys).unique().join(rows.select(pl.col("unit")).unique(), how="cross")
    counts = ["n_resources", "n_summed", "n_interventions", "n_approximate"]
    filled = grid.join(agg, on=[*keys, "unit"], how="left", nulls_equal=True).with_columns(
        *[pl.col(c).fill_null(0) for c in counts],
        pl.col("low").fill_null(0.0),
        pl.col("high").fill_null(0.0),
    )
    result = _with_fte(filled, _units_per_fte(hours_per_fte, lessons_per_fte)).select(
        *keys, "unit", *counts, "low", "high", "fte_factor", "fte_low", "fte_high"
    )
    return like_input(interventions, _finish(result, keys, "unit"))
