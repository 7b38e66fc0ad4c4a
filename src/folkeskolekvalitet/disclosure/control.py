"""suppress(), audit() and symbols() on the indicator table."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.suppression import System, complement
from folkeskolekvalitet.disclosure._relations import cells_and_relations, describe
from folkeskolekvalitet.indicators.catalogue import CATALOGUE
from folkeskolekvalitet.indicators.schema import KEY_COLUMNS, STATUS_ENUM, validate_table

__all__ = ["DANISH_SYMBOLS", "GSS_SYMBOLS", "audit", "suppress", "symbols"]

#: Folkeskoleloven § 55 b: national test results of schools and municipalities are confidential.
NT_NOTE = "§ 55 b"
_NT_PREFIX = "national_tests."
_HIDDEN_COLUMNS = ("value", "numerator", "se", "ci_low", "ci_high")
_DEFAULT_MIN_N = 5

#: Danish print symbols by status (the library's defaults; see the user guide).
DANISH_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "suppressed": "..",
        "suppressed_complementary": "..",
        "not_available": "…",
        "not_applicable": ".",
    }
)
#: The UK Government Statistical Service symbols used by the DfE.
GSS_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "suppressed": "c",
        "suppressed_complementary": "c",
        "not_available": "x",
        "not_applicable": "z",
    }
)


def _check_options(min_n: object, all_or_none_below: object) -> None:
    for name, value in (("min_n", min_n), ("all_or_none_below", all_or_none_below)):
        if value is None and name == "min_n":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            msg = f"{name} must be a whole number of at least 1, not {value!r}"
            raise ValueError(msg)


def _primary(
    table: pl.DataFrame, min_n: int | None, *, all_or_none: bool, all_or_none_below: int
) -> pl.DataFrame:
    """``_nt`` (§ 55 b), ``_small`` and ``_aon`` (0 % or 100 %) of every row that is shown."""
    shown = pl.col("status") == "ok"
    below_country = pl.col("unit_level").cast(pl.String) != "country"
    catalogue_min = pl.col("indicator").replace_strict(
        {k: ind.min_n for k, ind in CATALOGUE.items()},
        default=_DEFAULT_MIN_N,
        return_dtype=pl.Int64,
    )
    threshold = catalogue_min if min_n is None else pl.lit(min_n, dtype=pl.Int64)
    shares = [k for k, ind in CATALOGUE.items() if ind.unit in ("share", "rate")]
    n = pl.col("n").cast(pl.Int64)
    all_or_nothing = (
        pl.col("indicator").is_in(shares)
        & (n < all_or_none_below)
        & ((pl.col("value") == 0) | (pl.col("value") == 1))
    )
    return table.with_columns(
        (shown & pl.col("indicator").str.starts_with(_NT_PREFIX) & below_country).alias("_nt"),
        (shown & (n < threshold)).fill_null(value=False).alias("_small"),
        (shown & all_or_nothing & pl.lit(all_or_none)).fill_null(value=False).alias("_aon"),
    )


def suppress(
    table: FrameT,
    *,
    min_n: int | None = None,
    all_or_none: bool = True,
    all_or_none_below: int = 10,
    hide_n: bool = False,
) -> FrameT:
    """Withhold what may not be published, and what would give it away.

    **Primary suppression** of a shown value (status ``"ok"``):

    - every ``national_tests.*`` value of a school or a municipality (status ``suppressed``,
      note ``"§ 55 b"``): folkeskoleloven § 55 b makes test results of schools and
      municipalities confidential; only the country's are published. No option turns this
      off;
    - a group of fewer pupils than the indicator's ``min_n`` in the catalogue (5:
      uddannelsesstatistik.dk leaves out cells under 3 observations, and under 5 pupils
      for well-being and the socio-economic reference), or than the caller's ``min_n``;
    - with ``all_or_none``, a share (or rate) of exactly 0 or 1 in a group of fewer than
      ``all_or_none_below`` pupils: it tells every pupil's answer.

    **Complementary suppression**: then as few further values as it takes (smallest groups
    first, deterministically) so that no withheld value or numerator can be worked out from
    the published rows along the table's relations: schools within their municipality,
    municipalities within the country (a school without its municipality's row, within the
    country), categories that make up a whole (score intervals, transition statuses,
    application categories; a category ``"<group>:<value>"`` belongs to the whole of
    ``<group>``), and breakdown rows next to their total where the table has both. The
    reader is assumed to know every group's size, the relations and the bounds of a total
    (0 to ``n`` for a count), as :func:`audit` does. The complement may be the parent itself
    (a municipality with one school hides its own row or the school's). Status
    ``suppressed_complementary``, note ``"complementary"``.

    A withheld row keeps its keys and its status; ``value``, ``numerator``, ``se``,
    ``ci_low`` and ``ci_high`` are null; ``n`` is kept unless ``hide_n``. Rows already
    withheld stay withheld (``suppress`` is idempotent); rows not available or not
    applicable add nothing to any sum.

    Sources: folkeskoleloven § 55 b (https://www.retsinformation.dk/eli/lta/2024/989);
    uddannelsesstatistik.dk's cell rule and DST's rule of 3 in every marginal combination
    (https://www.sdu.dk/da/om_sdu/institutter_centre/ist_sundhedstjenesteforsk/forskningsinstruks/anonymiseringshelp);
    Udir's skjermingsregler and SSB's GaussSuppression for the complementary step
    (https://github.com/statisticsnorway/ssb-gausssuppression).

    Parameters
    ----------
    table
        An indicator table (DataFrame or LazyFrame), checked by
        :func:`~folkeskolekvalitet.indicators.validate_table`.
    min_n
        Smallest group shown, for every indicator (default: each indicator's ``min_n``).
    all_or_none
        Withhold a share of exactly 0 or 1 in a small group (default ``True``).
    all_or_none_below
        What "small" means for ``all_or_none``: fewer pupils than this (default 10).
    hide_n
        Also withhold the group size of a withheld row.

    Returns
    -------
    DataFrame or LazyFrame
        The table with the same rows in the same order. The complementary step compares
        rows, so a LazyFrame is computed when called; the LazyFrame returned holds it.

    Raises
    ------
    DataError
        If the table is not a valid indicator table.
    ValueError
        For ``min_n`` or ``all_or_none_below`` not a whole number of at least 1.

    Examples
    --------
    A municipality of five schools, one with 4 pupils:

    >>> import polars as pl
    >>> from folkeskolekvalitet.disclosure import audit, suppress
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA
    >>> def row(level, unit, n, good):
    ...     return {
    ...         "school_year": "2023/24",
    ...         "unit_level": level,
    ...         "unit_id": unit,
    ...         "municipality_code": "101",
    ...         "indicator": "exams.share_passing_danish_and_math",
    ...         "value": good / n,
    ...         "n": n,
    ...         "numerator": float(good),
    ...         "confidence": 0.95,
    ...         "status": "ok",
    ...         "source": "computed",
    ...     }
    >>> sizes = {
    ...     "101001": (4, 3),
    ...     "101002": (20, 15),
    ...     "101003": (25, 20),
    ...     "101004": (30, 24),
    ...     "101005": (41, 30),
    ... }
    >>> rows = [row("school", u, n, g) for u, (n, g) in sizes.items()]
    >>> rows.append(row("municipality", "101", 120, 92))
    >>> table = pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
    >>> safe = suppress(table)
    >>> safe.select("unit_id", "n", "value", "status")
    shape: (6, 4)
    ┌─────────┬─────┬──────────┬──────────────────────────┐
    │ unit_id ┆ n   ┆ value    ┆ status                   │
    │ ---     ┆ --- ┆ ---      ┆ ---                      │
    │ str     ┆ u32 ┆ f64      ┆ enum                     │
    ╞═════════╪═════╪══════════╪══════════════════════════╡
    │ 101001  ┆ 4   ┆ null     ┆ suppressed               │
    │ 101002  ┆ 20  ┆ null     ┆ suppressed_complementary │
    │ 101003  ┆ 25  ┆ 0.8      ┆ ok                       │
    │ 101004  ┆ 30  ┆ 0.8      ┆ ok                       │
    │ 101005  ┆ 41  ┆ 0.731707 ┆ ok                       │
    │ 101     ┆ 120 ┆ 0.766667 ┆ ok                       │
    └─────────┴─────┴──────────┴──────────────────────────┘
    >>> audit(safe).height
    0
    """
    _check_options(min_n, all_or_none_below)
    lf = as_lazy(table, "the indicator table")
    # Canonical row order, so the choice of complements does not depend on the input's order.
    given = validate_table(lf.collect()).with_row_index("_pos")
    frame = given.sort([*KEY_COLUMNS, "_pos"], nulls_last=True)
    marked = _primary(frame, min_n, all_or_none=all_or_none, all_or_none_below=all_or_none_below)
    already = pl.col("status").cast(pl.String).is_in(["suppressed", "suppressed_complementary"])
    primary = pl.col("_nt") | pl.col("_small") | pl.col("_aon")
    hidden = marked.select((primary | already).alias("_h")).to_series()
    extra: list[int] = []
    if hidden.any():
        cells, incidence, _ = cells_and_relations(frame, hidden)
        extra, _left = complement(cells, incidence)
    comp = pl.int_range(pl.len(), dtype=pl.Int64).is_in(extra)
    reason = (
        pl.when(pl.col("_nt"))
        .then(pl.lit(NT_NOTE))
        .when(pl.col("_small"))
        .then(pl.lit("small group"))
        .when(pl.col("_aon"))
        .then(pl.lit("0 % or 100 % of a small group"))
        .when(comp)
        .then(pl.lit("complementary"))
    )
    new = (primary | comp) & (pl.col("status") == "ok")
    gone = new | already
    out = (
        marked.with_columns(
            pl.when(new & primary)
            .then(pl.lit("suppressed", STATUS_ENUM))
            .when(new)
            .then(pl.lit("suppressed_complementary", STATUS_ENUM))
            .otherwise(pl.col("status"))
            .alias("status"),
            pl.when(new)
            .then(
                pl.when(pl.col("note").is_null())
                .then(reason)
                .otherwise(pl.concat_str(pl.col("note"), pl.lit("; "), reason))
            )
            .otherwise(pl.col("note"))
            .alias("note"),
            *(pl.when(gone).then(None).otherwise(pl.col(c)).alias(c) for c in _HIDDEN_COLUMNS),
            (pl.when(gone).then(None).otherwise(pl.col("n")) if hide_n else pl.col("n")).alias("n"),
        )
        .sort("_pos")
        .select(c for c in frame.columns if c != "_pos")
    )
    return like_input(table, out.lazy())


def audit(table: FrameT) -> FrameT:
    """The attacker's view: every withheld value that can be worked out from the published rows.

    The reader knows the published rows, every group's size where it is published, the
    relations of the table (see :func:`suppress`) and the bounds of a total (0 to ``n``
    pupils for a count; the lowest and highest grade or score times ``n`` for a mean). A
    withheld row (status ``suppressed`` or ``suppressed_complementary``) is exposed when

    - ``linear``: its numerator (for a share, a count; for a mean, the sum of pupil values,
      which with ``n`` gives the mean) is a linear combination of published totals — decided
      exactly with fractions;
    - ``bound``: the relations force its numerator to one value (for example, the published
      municipality leaves 0 pupils, or every pupil, for the withheld schools).

    An empty result means the table is safe against this reader; ``audit(suppress(t))`` is
    empty for every table. What it does not model: outside knowledge, earlier publications,
    rounding of the published values, and the full linear programme over all bounds (it
    propagates intervals relation by relation).

    Parameters
    ----------
    table
        An indicator table (DataFrame or LazyFrame).

    Returns
    -------
    DataFrame or LazyFrame
        One row per exposed withheld row: the key columns, ``method`` (``"linear"`` or
        ``"bound"``) and ``how`` (the relations, in words); sorted as the table.

    Raises
    ------
    DataError
        If the table is not a valid indicator table.

    Examples
    --------
    A municipality's value next to those of all but one of its schools gives that school
    away:

    >>> import polars as pl
    >>> from folkeskolekvalitet.disclosure import audit
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA
    >>> rows = [
    ...     {
    ...         "unit_level": "school",
    ...         "unit_id": "101001",
    ...         "value": None,
    ...         "n": 4,
    ...         "status": "suppressed",
    ...     },
    ...     {"unit_level": "school", "unit_id": "101002", "value": 0.75, "n": 20, "status": "ok"},
    ...     {
    ...         "unit_level": "municipality",
    ...         "unit_id": "101",
    ...         "value": 0.75,
    ...         "n": 24,
    ...         "status": "ok",
    ...     },
    ... ]
    >>> common = {
    ...     "school_year": "2023/24",
    ...     "municipality_code": "101",
    ...     "indicator": "exams.share_took_all_bound_exams",
    ...     "confidence": 0.95,
    ...     "source": "computed",
    ... }
    >>> table = pl.DataFrame([common | r for r in rows], schema=INDICATOR_SCHEMA)
    >>> with pl.Config(fmt_str_lengths=32):
    ...     print(audit(table).select("unit_id", "method", "how"))
    shape: (1, 3)
    ┌─────────┬────────┬─────────────────────────────────┐
    │ unit_id ┆ method ┆ how                             │
    │ ---     ┆ ---    ┆ ---                             │
    │ str     ┆ str    ┆ str                             │
    ╞═════════╪════════╪═════════════════════════════════╡
    │ 101001  ┆ linear ┆ schools within municipality 101 │
    └─────────┴────────┴─────────────────────────────────┘
    """
    lf = as_lazy(table, "the indicator table")
    frame = validate_table(lf.collect())
    hidden = frame.select(
        pl.col("status").cast(pl.String).is_in(["suppressed", "suppressed_complementary"])
    ).to_series()
    schema = {**{c: frame.schema[c] for c in KEY_COLUMNS}, "method": pl.String, "how": pl.String}
    found: list[tuple[int, str, str]] = []
    if hidden.any():
        cells, incidence, what = cells_and_relations(frame, hidden)
        for cell, method, rels in System(cells, incidence).exposures():
            found.append((cell, method, describe(what, rels)))
    exposed = pl.DataFrame(
        found, schema={"_cell": pl.Int64, "method": pl.String, "how": pl.String}, orient="row"
    )
    out = (
        frame.with_row_index("_cell")
        .with_columns(pl.col("_cell").cast(pl.Int64))
        .join(exposed, on="_cell", how="inner")
        .sort("_cell")
        .select(*schema)
    )
    return like_input(table, out.lazy())


def symbols(table: FrameT, *, style: Literal["danish", "gss"] = "danish") -> FrameT:
    """The table with a print symbol for every missing value, by its reason.

    Adds a String column ``symbol``: null where the value is shown, otherwise the symbol of
    the row's status. ``style="danish"`` (:data:`DANISH_SYMBOLS`): ``..`` withheld (the
    symbol Danmarks Statistik's Statistikbank uses for a value it does not give; primary and
    complementary alike, so a reader cannot tell which cell is the small one), ``…`` not
    available, ``.`` not applicable. ``style="gss"`` (:data:`GSS_SYMBOLS`): the UK GSS
    letters used by the DfE — ``c`` confidential (suppressed and complementary), ``x`` not
    available, ``z`` not applicable
    (https://dfe-analytical-services.github.io/analysts-guide/statistics-production/ud.html).

    Parameters
    ----------
    table
        An indicator table (DataFrame or LazyFrame).
    style
        ``"danish"`` (default) or ``"gss"``.

    Returns
    -------
    DataFrame or LazyFrame
        ``table`` with the column ``symbol``.

    Raises
    ------
    ValueError
        For an unknown style.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.disclosure import symbols
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA
    >>> common = {
    ...     "school_year": "2023/24",
    ...     "unit_level": "school",
    ...     "municipality_code": "101",
    ...     "indicator": "exams.grade_average",
    ...     "confidence": 0.95,
    ...     "source": "computed",
    ... }
    >>> rows = [
    ...     {"unit_id": "101001", "value": 7.2, "n": 40, "status": "ok"},
    ...     {"unit_id": "101002", "n": 3, "status": "suppressed"},
    ...     {"unit_id": "101003", "status": "not_available"},
    ... ]
    >>> table = pl.DataFrame([common | r for r in rows], schema=INDICATOR_SCHEMA)
    >>> symbols(table)["symbol"].to_list()
    [None, '..', '…']
    >>> symbols(table, style="gss")["symbol"].to_list()
    [None, 'c', 'x']
    """
    if style not in ("danish", "gss"):
        msg = f"style must be 'danish' or 'gss', not {style!r}"
        raise ValueError(msg)
    mapping = DANISH_SYMBOLS if style == "danish" else GSS_SYMBOLS
    lf = as_lazy(table, "the indicator table")
    out = lf.with_columns(
        pl.col("status")
        .cast(pl.String)
        .replace_strict(dict(mapping), default=None, return_dtype=pl.String)
        .alias("symbol")
    )
    return like_input(table, out)
