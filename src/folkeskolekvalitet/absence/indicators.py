"""Absence indicators: pupil fractions, group rates, shares above a threshold, quarterly flags.

Input: absence records, one row per pupil and period, with columns
``school_year``, optional ``quarter`` (calendar quarter 1-4),
``institution_id``, ``pupil_id``, ``school_days``, ``sick_days``,
``authorised_days``, ``unauthorised_days`` and ``months_registered`` (see
:doc:`/user_guide/absence`). Rows per quarter are added up to the school year
unless ``quarter`` is one of the grouping columns.

Sources
-------
- Elevfravær, Børne- og Undervisningsministeriet (pupil fraction = days
  absent ÷ school days; averages are means of pupil fractions weighted by
  the months the pupil was registered at the institution):
  https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer
- Fraværsregler i folkeskolen (10 % and 15 % ulovligt fravær per calendar
  quarter): https://www.uvm.dk/folkeskolen/organisering-og-ledelse/foraeldrenes-rolle/fravaersregler-i-folkeskolen/materiale-til-foraeldre
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.exprs import PUPIL_KEY
from folkeskolekvalitet._core.frames import FrameT, like_input, normalise_by
from folkeskolekvalitet.absence._input import DAY_COLUMNS, Prepared, prepare
from folkeskolekvalitet.absence.catalogue import (
    ABSENCE_KINDS,
    STATUTORY_RULES,
    AbsenceRule,
)

__all__ = ["absence_rates", "pupil_absence", "quarterly_flags", "share_above"]

DEFAULT_BY = ("school_year", "institution_id")

Period = Literal["school_year", "quarter"]
Per = Literal["institution", "pupil"]
KindName = Literal["total", "sick", "authorised", "unauthorised"]

FRACTIONS = (*(f"frac_{k.key}" for k in ABSENCE_KINDS), "frac_total")
RATES = (*(f"rate_{k.key}" for k in ABSENCE_KINDS), "rate_total")
#: The per-pupil standard deviations of the linearised rates: ``std_<kind>``.
STDS = (*(f"std_{k.key}" for k in ABSENCE_KINDS), "std_total")
_KINDS: tuple[str, ...] = ("total", *(k.key for k in ABSENCE_KINDS))
_TIME = ("school_year", "calendar_year", "quarter")


def _pupil_rows(prepared: Prepared, group: Sequence[str]) -> pl.LazyFrame:
    """One row per unit of ``group``: days added up (over quarters if needed), fractions."""
    rows = prepared.rows
    numeric = ["school_days", *DAY_COLUMNS] + (["months_registered"] if prepared.months else [])
    if prepared.quarterly and "quarter" not in group:
        rows = rows.group_by(list(group)).agg(pl.col(c).sum() for c in numeric)
    absent = pl.sum_horizontal([pl.col(c) for c in DAY_COLUMNS])
    return rows.select(
        *group,
        *numeric,
        *[
            safe_share(pl.col(k.column), pl.col("school_days")).alias(f"frac_{k.key}")
            for k in ABSENCE_KINDS
        ],
        safe_share(absent, pl.col("school_days")).alias("frac_total"),
    )


def _group_of(
    by_cols: tuple[str, ...], *, keep_quarter: bool, carry: Sequence[str] = ()
) -> tuple[str, ...]:
    """The pupil unit plus the carried and extra ``by`` columns (and the quarter if kept)."""
    key = (*PUPIL_KEY[:1], "quarter", *PUPIL_KEY[1:]) if keep_quarter else PUPIL_KEY
    return tuple(dict.fromkeys((*key, *carry, *by_cols)))


def pupil_absence(
    records: FrameT,
    *,
    by: str | Sequence[str] = (),
    period: Period = "school_year",
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Each pupil's absence as fractions of the school days, per kind and in total.

    A pupil's fraction of a kind is the days of that kind divided by the
    school days (sygefravær, fravær med tilladelse, ulovligt fravær); the total
    is the sum of the three kinds divided by the school days. Fractions are in
    [0, 1] and null when the pupil had no school days.

    Parameters
    ----------
    records
        Absence records (``school_year``, optional ``quarter``,
        ``institution_id``, ``pupil_id``, ``school_days``, ``sick_days``,
        ``authorised_days``, ``unauthorised_days``, optional
        ``months_registered``).
    by
        Extra pupil-level columns to keep (e.g. ``"grade_level"``).
    period
        ``"school_year"`` (default): rows per quarter are added up to one row
        per pupil, institution and school year. ``"quarter"``: one row per
        quarter (needs the ``quarter`` column).
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        One row per pupil unit: ``school_year``, (``quarter``,)
        ``institution_id``, ``pupil_id``, the ``by`` columns, ``school_days``,
        the three day columns, ``months_registered`` (if given), and
        ``frac_sick``, ``frac_authorised``, ``frac_unauthorised``,
        ``frac_total``.

    Raises
    ------
    DataError
        For every problem in the input, listed together: missing columns,
        negative days, days absent above the school days, a quarter outside
        1-4, duplicated pupil rows, CPR-looking pupil ids.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.absence import pupil_absence
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "institution_id": "313001",
    ...         "pupil_id": ["a", "b"],
    ...         "school_days": [200, 100],
    ...         "sick_days": [6, 2],
    ...         "authorised_days": [2, 0],
    ...         "unauthorised_days": [2, 0],
    ...         "months_registered": [11, 5],
    ...     }
    ... )
    >>> pupil_absence(records).select("pupil_id", "frac_sick", "frac_total")
    shape: (2, 3)
    ┌──────────┬───────────┬────────────┐
    │ pupil_id ┆ frac_sick ┆ frac_total │
    │ ---      ┆ ---       ┆ ---        │
    │ str      ┆ f64       ┆ f64        │
    ╞══════════╪═══════════╪════════════╡
    │ a        ┆ 0.03      ┆ 0.05       │
    │ b        ┆ 0.02      ┆ 0.02       │
    └──────────┴───────────┴────────────┘

    Source: https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    if period not in ("school_year", "quarter"):
        msg = f"period must be 'school_year' or 'quarter', not {period!r}"
        raise ValueError(msg)
    quarterly = period == "quarter" or "quarter" in by_cols
    prepared = prepare(
        records,
        by=by_cols,
        quarterly=quarterly,
        months=False,
        allow_cpr=allow_cpr,
        validate=validate,
    )
    group = _group_of(by_cols, keep_quarter=quarterly)
    result = _pupil_rows(prepared, group).sort(list(group))
    return like_input(records, result)


def _inclusion(prepared: Prepared, *, weighted: bool) -> tuple[pl.Expr, pl.Expr]:
    """(included, weight): pupils with school days (and months, if known) count."""
    included = pl.col("school_days") > 0
    if prepared.months:
        included = included & (pl.col("months_registered") > 0)
    weight = pl.col("months_registered") if weighted else pl.lit(1.0)
    return included, pl.when(included).then(weight).otherwise(0.0)


def absence_rates(
    records: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    weighted: bool = True,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Average absence per group (gennemsnitligt fravær), per kind and in total.

    The official rule: the group's rate is the mean of its pupils' fractions
    (:func:`pupil_absence`), each pupil weighted by the months the pupil was
    registered at the institution in the period. A pupil registered for 0
    months, or with no school days, counts for nothing (and is counted in
    ``n_pupils_excluded``). A pupil who changed school is one unit per school,
    each with its own months, as in the ministry's statistics.

    Parameters
    ----------
    records
        Absence records (see :func:`pupil_absence`); ``months_registered`` is
        required when ``weighted``.
    by
        Grouping columns, e.g. ``("school_year", "municipality_code")``. With
        ``"quarter"`` among them, rates are per quarter (weighted by the months
        registered in the quarter); otherwise quarters are added up per pupil
        first.
    weighted
        ``True`` (default, the official rule): weight pupils by months
        registered. ``False``: plain mean of pupil fractions (a variant for
        data without months).
    allow_cpr, validate
        As in :func:`pupil_absence`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: the ``by`` columns, ``n_pupils`` (pupil units that
        count), ``n_pupils_excluded``, ``months_registered`` (the total weight,
        when months are given), ``rate_sick``, ``rate_authorised``,
        ``rate_unauthorised`` and ``rate_total`` (fractions, unrounded; null
        when no pupil counts). ``rate_total`` is the sum of the three kinds.
        ``std_sick``, ``std_authorised``, ``std_unauthorised`` and ``std_total``:
        the per-pupil standard deviation of the linearised rate (delta method for a
        ratio estimator), ``sqrt(sum w_i^2 (f_i - R)^2 / (n - 1)) / mean(w)``, so that
        ``std / sqrt(n_pupils)`` is the rate's standard error; with ``weighted=False``
        it is the plain standard deviation of the pupils' fractions (null below 2
        pupils).

    Examples
    --------
    Pupil ``b`` has 2 % absence but was registered only 5 months, so the
    school's rate leans towards ``a``'s 5 %: (11·0.05 + 5·0.02) / 16.

    >>> import polars as pl
    >>> from folkeskolekvalitet.absence import absence_rates
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "institution_id": "313001",
    ...         "pupil_id": ["a", "b"],
    ...         "school_days": [200, 100],
    ...         "sick_days": [6, 2],
    ...         "authorised_days": [2, 0],
    ...         "unauthorised_days": [2, 0],
    ...         "months_registered": [11, 5],
    ...     }
    ... )
    >>> absence_rates(records).select("n_pupils", "rate_sick", "rate_total").row(0)
    (2, 0.02687..., 0.040625)

    Source: https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    prepared = prepare(
        records,
        by=by_cols,
        quarterly="quarter" in by_cols,
        months=weighted,
        allow_cpr=allow_cpr,
        validate=validate,
    )
    group = _group_of(
        by_cols,
        keep_quarter=prepared.quarterly and "quarter" in by_cols,
        carry=prepared.carry,
    )
    pupils = _pupil_rows(prepared, group)
    included, weight = _inclusion(prepared, weighted=weighted)
    pupils = pupils.with_columns(weight.alias("_w"), included.alias("_in"))
    total_w = pl.col("_w").sum()
    aggs = [
        pl.col("_in").sum().cast(pl.UInt32).alias("n_pupils"),
        (~pl.col("_in")).sum().cast(pl.UInt32).alias("n_pupils_excluded"),
    ]
    if prepared.months:
        aggs.append(
            pl.col("months_registered").filter(pl.col("_in")).sum().alias("months_registered")
        )
    aggs += [
        safe_share((pl.col("_w") * pl.col(frac).fill_null(0.0)).sum(), total_w).alias(rate)
        for frac, rate in zip(FRACTIONS, RATES, strict=True)
    ]
    # Sums for the per-pupil standard deviation of the linearised rate (see STDS).
    w2 = pl.col("_w").pow(2)
    aggs += [total_w.alias("_sw"), w2.sum().alias("_sw2")]
    for i, frac in enumerate(FRACTIONS):
        f = pl.col(frac).fill_null(0.0)
        aggs += [(w2 * f).sum().alias(f"_sw2f{i}"), (w2 * f * f).sum().alias(f"_sw2ff{i}")]
    result = _aggregate(pupils, by_cols, aggs)
    n = pl.col("n_pupils").cast(pl.Float64)
    stds = []
    for i, (rate, std) in enumerate(zip(RATES, STDS, strict=True)):
        r = pl.col(rate)
        # sum of w_i^2 (f_i - R)^2 over the pupils that count
        ss = pl.col(f"_sw2ff{i}") - 2 * r * pl.col(f"_sw2f{i}") + r * r * pl.col("_sw2")
        # The expanded sum cancels: where every pupil has the same fraction it leaves
        # rounding noise (a std of ~1e-8 instead of 0); below 1e-12 of its first term it is 0.
        ss = pl.when(ss > 1e-12 * pl.col(f"_sw2ff{i}")).then(ss).otherwise(0.0)
        mean_w = pl.col("_sw") / n
        stds.append(pl.when(n > 1).then((ss / (n - 1)).sqrt() / mean_w).alias(std))
    result = result.with_columns(stds).drop(
        "_sw", "_sw2", *(f"_sw2f{i}" for i in range(4)), *(f"_sw2ff{i}" for i in range(4))
    )
    return like_input(records, sort_groups(result, by_cols))


def _aggregate(lf: pl.LazyFrame, by_cols: tuple[str, ...], aggs: list[pl.Expr]) -> pl.LazyFrame:
    if by_cols:
        return lf.group_by(list(by_cols)).agg(aggs)
    return lf.select(aggs)


def share_above(
    records: FrameT,
    threshold: float = 0.10,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    kind: KindName = "total",
    weighted: bool = False,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of pupils whose absence is strictly above ``threshold`` (andel over 10 %).

    A pupil is above when the pupil's fraction (:func:`pupil_absence`) is
    greater than ``threshold``, compared unrounded: exactly 10 % is *not*
    above 10 %. Pupils with no school days, or registered 0 months, do not
    count.

    **Weighting.** By default every pupil unit counts once (a head count):
    ``share_above = n_above / n_pupils``. This matches the published national
    figures, which are head counts (2023/24: 110.966 of 513.857 pupils). With
    ``weighted=True`` each pupil counts with the months registered, as in
    :func:`absence_rates`; ``n_pupils`` and ``n_above`` stay head counts and
    only ``share_above`` is weighted. The ministry has not documented which
    weighting its "Over 10 procent" measure uses.

    Parameters
    ----------
    records
        Absence records (see :func:`pupil_absence`).
    threshold
        A fraction in [0, 1]: 0.10 for 10 % (the national indicator), 0.03 for
        Kalundborg's local rule.
    by
        Grouping columns (as in :func:`absence_rates`).
    kind
        ``"total"`` (default), ``"sick"``, ``"authorised"`` or ``"unauthorised"``.
    weighted
        Weight pupils by months registered (see above).
    allow_cpr, validate
        As in :func:`pupil_absence`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: the ``by`` columns, ``n_pupils``, ``n_above`` and
        ``share_above`` (null when no pupil counts).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.absence import share_above
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "institution_id": "313001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "school_days": 200,
    ...         "sick_days": [20, 21, 4, 0],
    ...         "authorised_days": 0,
    ...         "unauthorised_days": 0,
    ...         "months_registered": 11,
    ...     }
    ... )
    >>> share_above(records).select("n_pupils", "n_above", "share_above").row(0)
    (4, 1, 0.25)

    Pupil ``a`` has exactly 10 % and is not above. Source:
    https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        msg = f"threshold must be a number, not {type(threshold).__name__}"
        raise TypeError(msg)
    if not 0.0 <= threshold <= 1.0:
        msg = f"threshold is a fraction in [0, 1] (10 % is 0.10), not {threshold!r}"
        raise ValueError(msg)
    if kind not in _KINDS:
        msg = f"kind must be one of {', '.join(map(repr, _KINDS))}, not {kind!r}"
        raise ValueError(msg)
    prepared = prepare(
        records,
        by=by_cols,
        quarterly="quarter" in by_cols,
        months=weighted,
        allow_cpr=allow_cpr,
        validate=validate,
    )
    group = _group_of(
        by_cols,
        keep_quarter=prepared.quarterly and "quarter" in by_cols,
        carry=prepared.carry,
    )
    pupils = _pupil_rows(prepared, group)
    included, weight = _inclusion(prepared, weighted=weighted)
    above = included & (pl.col(f"frac_{kind}") > threshold)
    pupils = pupils.with_columns(
        included.alias("_in"), above.fill_null(value=False).alias("_above"), weight.alias("_w")
    )
    aggs = [
        pl.col("_in").sum().cast(pl.UInt32).alias("n_pupils"),
        pl.col("_above").sum().cast(pl.UInt32).alias("n_above"),
        safe_share(
            (pl.col("_w") * pl.col("_above").cast(pl.Float64)).sum(), pl.col("_w").sum()
        ).alias("share_above"),
    ]
    result = _aggregate(pupils, by_cols, aggs)
    return like_input(records, sort_groups(result, by_cols))


def _quarter_index(year: pl.Expr, quarter: pl.Expr) -> pl.Expr:
    return year.cast(pl.Int32) * 4 + quarter.cast(pl.Int32) - 1


def quarterly_flags(
    records: FrameT,
    *,
    rules: Sequence[AbsenceRule] = STATUTORY_RULES,
    local_rules: Sequence[AbsenceRule] = (),
    by: str | Sequence[str] = (),
    per: Per = "institution",
    ignore_in_force: bool = False,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Flag each pupil and calendar quarter against the absence rules.

    The statutory rules (in force from 1 August 2019) look at **ulovligt
    fravær** within one calendar quarter, with the quarter's own school days
    as denominator, and use "at least": 10 % or more → the school leader must
    warn the parents (``warn_parents``); 15 % or more → the school leader must
    notify the municipality, which may stop the børne- og ungeydelse for a
    quarter (``notify_municipality``). Local rules are further
    :class:`~folkeskolekvalitet.absence.AbsenceRule` objects, e.g.
    :data:`~folkeskolekvalitet.absence.KALUNDBORG_PLAN` (total absence above
    3 %).

    Parameters
    ----------
    records
        Absence records per quarter (the ``quarter`` column is required).
    rules
        The rules to evaluate (default: the two statutory rules).
    local_rules
        More rules, evaluated after ``rules`` (a municipality's own).
    by
        Extra pupil-level columns to keep.
    per
        ``"institution"`` (default): each school's registrations are judged on
        their own, one row per pupil, school and quarter. ``"pupil"``: a
        pupil's days at all schools in the quarter are added up first (no
        official rule for pupils changing school within a quarter was found;
        both readings are offered).
    ignore_in_force
        Evaluate rules also in quarters before they came into force (by
        default those flags are null: not evaluable).
    allow_cpr, validate
        As in :func:`pupil_absence`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per pupil (and institution) and quarter: with
        ``per="institution"`` one row per input row, in the input's order;
        with ``per="pupil"`` sorted by school year and pupil, each pupil's
        quarters in time order. Columns: ``school_year``,
        ``calendar_year``, ``quarter``, ``institution_id`` (unless
        ``per="pupil"``), ``pupil_id``, the ``by`` columns, ``school_days``,
        the three day columns, the four fractions and one Boolean column per
        rule, named by the rule's ``key``. A flag is null when the quarter had
        no school days or the rule was not yet in force.

    Examples
    --------
    A quarter of 50 school days: 5 days of ulovligt fravær is exactly 10 %
    (warn), 8 days is 16 % (notify).

    >>> import polars as pl
    >>> from folkeskolekvalitet.absence import KALUNDBORG_PLAN, quarterly_flags
    >>> records = pl.DataFrame(
    ...     {
    ...         "school_year": "2019/20",
    ...         "quarter": 4,
    ...         "institution_id": "326001",
    ...         "pupil_id": ["a", "b", "c"],
    ...         "school_days": 50,
    ...         "sick_days": [0, 0, 2],
    ...         "authorised_days": 0,
    ...         "unauthorised_days": [5, 8, 0],
    ...     }
    ... )
    >>> flags = quarterly_flags(records, local_rules=[KALUNDBORG_PLAN])
    >>> flags.select("pupil_id", "warn_parents", "notify_municipality", "kalundborg_plan")
    shape: (3, 4)
    ┌──────────┬──────────────┬─────────────────────┬─────────────────┐
    │ pupil_id ┆ warn_parents ┆ notify_municipality ┆ kalundborg_plan │
    │ ---      ┆ ---          ┆ ---                 ┆ ---             │
    │ str      ┆ bool         ┆ bool                ┆ bool            │
    ╞══════════╪══════════════╪═════════════════════╪═════════════════╡
    │ a        ┆ true         ┆ false               ┆ true            │
    │ b        ┆ true         ┆ true                ┆ true            │
    │ c        ┆ false        ┆ false               ┆ true            │
    └──────────┴──────────────┴─────────────────────┴─────────────────┘

    Source: https://www.uvm.dk/folkeskolen/organisering-og-ledelse/foraeldrenes-rolle/fravaersregler-i-folkeskolen/materiale-til-foraeldre
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    all_rules = (*rules, *local_rules)
    if per not in ("institution", "pupil"):
        msg = f"per must be 'institution' or 'pupil', not {per!r}"
        raise ValueError(msg)
    if per == "pupil" and "institution_id" in by_cols:
        msg = "per='pupil' adds up a pupil's schools; 'institution_id' cannot be in by"
        raise ValueError(msg)
    _check_rules(all_rules, by_cols)
    prepared = prepare(
        records, by=by_cols, quarterly=True, months=False, allow_cpr=allow_cpr, validate=validate
    )
    group: tuple[str, ...]
    if per == "institution":
        group = _group_of(by_cols, keep_quarter=True)
        pupils = _pupil_rows(prepared, group)
    else:
        group = tuple(dict.fromkeys(("school_year", "quarter", "pupil_id", *by_cols)))
        summed = prepared.rows.group_by(list(group)).agg(
            pl.col(c).sum() for c in ("school_days", *DAY_COLUMNS)
        )
        pupils = _pupil_rows(Prepared(summed, quarterly=True, months=False), group)
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    calendar_year = (start + pl.col("quarter").is_in([1, 2]).cast(pl.Int32)).alias("calendar_year")
    pupils = pupils.with_columns(calendar_year)
    index = _quarter_index(pl.col("calendar_year"), pl.col("quarter"))
    flags: list[pl.Expr] = []
    for rule in all_rules:
        hit = rule.expr()
        if rule.in_force_from is not None and not ignore_in_force:
            first = rule.in_force_from.year * 4 + (rule.in_force_from.month - 1) // 3
            hit = pl.when(index >= first).then(hit).otherwise(None)
        flags.append(hit.alias(rule.key))
    head = ["school_year", "calendar_year", "quarter", *[c for c in group if c not in _TIME]]
    result = pupils.select(*head, "school_days", *DAY_COLUMNS, *FRACTIONS, *flags)
    if per == "pupil":
        # rows were added up: sort per pupil, each pupil's quarters in time order
        # (3, 4, 1, 2 within a school year). Per institution the flags annotate the
        # input rows one to one and keep their order (sorting millions of rows by
        # text keys would cost more than the rule itself).
        order = ["school_year", *[c for c in group if c not in _TIME], "calendar_year", "quarter"]
        result = result.sort(order)
    return like_input(records, result)


def _check_rules(rules: Sequence[AbsenceRule], by_cols: tuple[str, ...]) -> None:
    taken = {
        "school_year",
        "quarter",
        "calendar_year",
        "institution_id",
        "pupil_id",
        "school_days",
        *DAY_COLUMNS,
        *FRACTIONS,
        *by_cols,
    }
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule, AbsenceRule):  # type: ignore[redundant-expr,unused-ignore]
            msg = f"rules must be AbsenceRule objects, not {type(rule).__name__}"  # type: ignore[unreachable,unused-ignore]
            raise TypeError(msg)
        if rule.key in seen or rule.key in taken:
            msg = f"rule key {rule.key!r} is used twice or clashes with an output column"
            raise ValueError(msg)
        seen.add(rule.key)
