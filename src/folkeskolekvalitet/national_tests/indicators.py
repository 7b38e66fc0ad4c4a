"""National test shares: good, best and poor results per unit, subject and klassetrin.

These are the **raw, confidential** shares (folkeskoleloven § 55 b): a
municipality may know them, but may publish only whether a goal is met and the
direction of change. Use :func:`~folkeskolekvalitet.national_tests.publication_view`
for anything that leaves the administration.

Sources
-------
- Nationale mål, resultatmål 1.1, 1.2 and 2.1:
  https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/om-nationale-maal
- Definition of the shares (God or better; Mangelfuld or Ikke tilstrækkelig):
  https://www.stil.dk/aktuelt/uvm/2021/nov/211108-resultaterne-af-de-nationale-test-i-skoleaarer
- Overgangstest results (points; national "gode" shares):
  https://www.uvm.dk/folkeskolen/test-evaluering-og-skoleudvikling/test--og-evalueringsredskaber/folkeskolens-nationale-overgangstest/testresultalter
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.aggregate import safe_share, sort_groups
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input, normalise_by
from folkeskolekvalitet.national_tests._input import RESULTS_CONTRACT, prepare
from folkeskolekvalitet.national_tests.catalogue import SUBJECTS, regime_for
from folkeskolekvalitet.national_tests.levels import LEVEL_ENUM, LEVELS

__all__ = ["good_share", "level_distribution", "level_shares"]

DEFAULT_BY = ("school_year", "institution_id")

_CRITERION_SUBJECTS = [s.key for s in SUBJECTS if s.criterion_levels]

GoodSource = Literal["auto", "flag", "points"]


#: Input result columns and output columns: a grouping column must not be called so.
_RESERVED = frozenset(
    {
        "level",
        "points",
        "good",
        "percentile",
        "year_start",
        "n_pupils",
        "n_no_result",
        "n_level",
        "share",
        *(f"{p}_{g}" for p in ("n", "share") for g in ("good", "best", "poor")),
        *(f"{p}_{lv.key}" for p in ("n", "share") for lv in LEVELS),
    }
)


def _group(by: tuple[str, ...]) -> tuple[str, ...]:
    reserved = sorted(c for c in by if c in _RESERVED or c.startswith("_"))
    if reserved:
        msg = (
            f"by must not contain {reserved!r}: these are result or output columns (or"
            " internal names starting with '_'); group by other columns"
        )
        raise ValueError(msg)
    return (*(c for c in by if c not in ("subject", "grade_level")), "subject", "grade_level")


def level_shares(
    results: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Shares of good, best and poor results and the level distribution (nationale test).

    Per group, subject and klassetrin, among pupils with a result (a criterion
    level): **good** = God, Rigtig god or Fremragende præstation (resultatmål
    1.1); **best** = Fremragende præstation (*de allerdygtigste*, 1.2);
    **poor** = Mangelfuld or Ikke tilstrækkelig præstation (2.1). Every level
    has its own count and share, zero included.

    The result is confidential (folkeskoleloven § 55 b): publish only
    :func:`publication_view`.

    Parameters
    ----------
    results
        One row per pupil and obligatory test of the adaptive nationale test
        (2009/10-2021/22): ``school_year``, ``institution_id``, ``pupil_id``,
        ``subject``, ``grade_level``, ``level`` (key such as ``"rigtig_god"`` or
        official label such as "Rigtig god præstation"; null = no result).
        Rows of subjects without a criterion scale (engelsk, fysik/kemi,
        geografi, biologi) are allowed with a null level and are left out.
    by
        Grouping columns besides subject and klassetrin, e.g.
        ``("school_year", "municipality_code")``; each pupil's row must carry
        one value.
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked, and
        so are the school years, subjects and levels (on their distinct values:
        the rules cannot read them otherwise).

    Returns
    -------
    DataFrame or LazyFrame
        One row per group, ``subject`` and ``grade_level``: ``n_pupils`` (pupils
        with a level: the denominator), ``n_no_result`` (rows without a level),
        ``n_good``, ``share_good``, ``n_best``, ``share_best``, ``n_poor``,
        ``share_poor``, then ``n_<level>`` and ``share_<level>`` for the six
        levels, best first. Shares are fractions, null when ``n_pupils`` is 0.

    Raises
    ------
    DataError
        For every problem in the input, listed together: among them a test that
        was not obligatory that year (matematik 8. klasse before 2017/18), a
        school year of the linear tests (use :func:`good_share`), a level for a
        subject without criterion levels, a level before 2014/15 (the criterion
        scale was reported from January 2015), a duplicated pupil-test row, a
        pupil at two institutions in one school year, a missing column.
    ValueError
        If ``by`` names a result or output column (``level``, ``points``,
        ``good``, ``percentile``, ``n_pupils``, ``share_good``, ...).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.national_tests import level_shares
    >>> results = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d", "e"],
    ...         "subject": "dansk_laesning",
    ...         "grade_level": 2,
    ...         "level": ["fremragende", "God præstation", "god", "jaevn", "Mangelfuld præstation"],
    ...     }
    ... )
    >>> level_shares(results).select("n_pupils", "share_good", "share_best", "share_poor").row(0)
    (5, 0.6, 0.2, 0.2)
    """
    by_cols = normalise_by(by)
    group = _group(by_cols)
    prepared = prepare(results, by=by_cols, mode="levels", allow_cpr=allow_cpr, validate=validate)
    idx = pl.col("level").to_physical()
    counts = [(idx == i).sum().cast(pl.UInt32).alias(f"n_{lv.key}") for i, lv in enumerate(LEVELS)]
    agg = (
        prepared.rows.filter(pl.col("subject").cast(pl.String).is_in(_CRITERION_SUBJECTS))
        .group_by(list(group))
        .agg(
            pl.col("level").count().cast(pl.UInt32).alias("n_pupils"),
            pl.col("level").null_count().cast(pl.UInt32).alias("n_no_result"),
            *counts,
        )
    )

    def total(keys: list[str]) -> pl.Expr:
        return pl.sum_horizontal([pl.col(f"n_{k}") for k in keys]).cast(pl.UInt32)

    n = pl.col("n_pupils")
    summary = {
        "good": total([lv.key for lv in LEVELS if lv.good]),
        "best": total([lv.key for lv in LEVELS if lv.best]),
        "poor": total([lv.key for lv in LEVELS if lv.poor]),
    }
    result = agg.select(
        *group,
        "n_pupils",
        "n_no_result",
        *[
            e
            for name, expr in summary.items()
            for e in (expr.alias(f"n_{name}"), safe_share(expr, n).alias(f"share_{name}"))
        ],
        *[
            e
            for lv in LEVELS
            for e in (
                pl.col(f"n_{lv.key}"),
                safe_share(pl.col(f"n_{lv.key}"), n).alias(f"share_{lv.key}"),
            )
        ],
    )
    return like_input(results, sort_groups(result, group))


def level_distribution(
    results: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """The full distribution over the six criterion levels, one row per level (long form).

    The same counts as :func:`level_shares`, tidy: every group, subject and
    klassetrin gets six rows, one per level (best first), zero counts included.
    Confidential, like :func:`level_shares`.

    Parameters
    ----------
    results, by, allow_cpr, validate
        As in :func:`level_shares`.

    Returns
    -------
    DataFrame or LazyFrame
        The group columns, ``subject``, ``grade_level``, ``level`` (Enum, best
        first), ``n_pupils`` (pupils with a level), ``n_level`` and ``share``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.national_tests import level_distribution
    >>> results = pl.DataFrame(
    ...     {
    ...         "school_year": "2018/19",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "subject": "matematik",
    ...         "grade_level": 3,
    ...         "level": ["god", "god", "jaevn", "fremragende"],
    ...     }
    ... )
    >>> level_distribution(results).select("level", "n_level", "share").rows()
    [('fremragende', 1, 0.25), ('rigtig_god', 0, 0.0), ('god', 2, 0.5), ('jaevn', 1, 0.25),
     ('mangelfuld', 0, 0.0), ('ikke_tilstraekkelig', 0, 0.0)]
    """
    by_cols = normalise_by(by)
    group: tuple[str, ...] = _group(by_cols)
    lf = as_lazy(results, "results")
    wide = level_shares(lf, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    long = (
        wide.select(*group, "n_pupils", *[f"n_{lv.key}" for lv in LEVELS])
        .unpivot(
            index=[*group, "n_pupils"],
            on=[f"n_{lv.key}" for lv in LEVELS],
            variable_name="level",
            value_name="n_level",
        )
        .select(
            *group,
            pl.col("level").str.strip_prefix("n_").cast(LEVEL_ENUM),
            "n_pupils",
            pl.col("n_level").cast(pl.UInt32),
            safe_share(pl.col("n_level"), pl.col("n_pupils")).alias("share"),
        )
    )
    return like_input(results, sort_groups(long, (*group, "level")))


CutOff = float | int | Mapping[tuple[str, int], float]


def good_share(
    results: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    cut_off: CutOff | None = None,
    source: GoodSource = "auto",
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of pupils *good at* reading or maths in the linear tests (2022/23-).

    The overgangstest (2022/23-2025/26) and the færdighedstest (from 2026/27)
    deliver points (correct answers), and the overgangstest a "god til" flag.
    A pupil counts as good from the delivered flag, or from points at or above
    a cut-off **the caller supplies**: the library knows no official cut-off
    for the linear tests (none was found in the ministry's material) and will
    not invent one.

    The result is confidential (folkeskoleloven § 55 b): publish only
    :func:`publication_view`.

    Parameters
    ----------
    results
        One row per pupil and obligatory test: ``school_year``,
        ``institution_id``, ``pupil_id``, ``subject``, ``grade_level``, and
        ``good`` (Boolean, the delivered flag) and/or ``points``; a null result
        means no result.
    by
        Grouping columns besides subject and klassetrin.
    cut_off
        Points needed to count as good: one number for every test, or a mapping
        ``{(subject, grade_level): points}``. Required when the result comes
        from points.
    source
        ``"auto"`` (default): points with ``cut_off`` when a cut-off is given,
        else the delivered ``good`` flag. ``"flag"`` or ``"points"`` to choose.
    allow_cpr, validate
        As in :func:`level_shares`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group, ``subject`` and ``grade_level``: ``n_pupils`` (with a
        result), ``n_no_result``, ``n_good``, ``share_good``.

    Raises
    ------
    DataError
        For bad input, including a school year of the adaptive nationale test
        (use :func:`level_shares`), a test without a cut-off in ``cut_off``, and
        færdighedstest rows read from the flag without any flag delivered (the
        færdighedstest has points only: pass ``cut_off``).
    ValueError
        If points are to be used and no ``cut_off`` is given; if ``cut_off`` is
        not a finite number of points at least 0 (nor a mapping of such numbers
        keyed by a known subject and a klassetrin 0-10); if ``by`` names a
        result or output column.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.national_tests import good_share
    >>> results = pl.DataFrame(
    ...     {
    ...         "school_year": "2023/24",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "subject": "matematik",
    ...         "grade_level": 4,
    ...         "points": [31, 18, 25, None],
    ...     }
    ... )
    >>> good_share(results, cut_off=25).select(
    ...     "n_pupils", "n_no_result", "n_good", "share_good"
    ... ).row(0)
    (3, 1, 2, 0.6666666666666666)
    """
    by_cols = normalise_by(by)
    group = _group(by_cols)
    if source not in ("auto", "flag", "points"):
        msg = f"source must be 'auto', 'flag' or 'points', not {source!r}"
        raise ValueError(msg)
    cut_offs = _check_cut_off(cut_off)
    prepared = prepare(results, by=by_cols, mode="linear", allow_cpr=allow_cpr, validate=validate)
    if source == "auto":
        source = "flag" if cut_off is None else "points"
    rows = prepared.rows
    if source == "flag":
        if "good" not in prepared.columns:
            raise DataError(
                RESULTS_CONTRACT.what,
                [
                    Problem(
                        "good",
                        "missing column: without a cut_off, good_share needs the delivered"
                        " 'god til' flag (Boolean); pass cut_off=... to use points",
                    )
                ],
            )
        _check_flags(prepared.tests, prepared.flagged)
        good = pl.col("good")
    elif source == "points":
        if "points" not in prepared.columns:
            raise DataError(
                RESULTS_CONTRACT.what,
                [Problem("points", "missing column (source='points' needs points)")],
            )
        if cut_off is None:
            msg = (
                "good_share from points needs cut_off=...: the library has no official"
                " cut-off for 'god til' in the overgangstest or færdighedstest"
            )
            raise ValueError(msg)
        if isinstance(cut_offs, dict):
            rows = _join_cut_offs(rows, cut_offs, prepared.tests)
            good = pl.col("points") >= pl.col("_cut_off")
        else:
            good = pl.col("points") >= cut_offs
    agg = rows.group_by(list(group)).agg(
        good.count().cast(pl.UInt32).alias("n_pupils"),
        good.null_count().cast(pl.UInt32).alias("n_no_result"),
        good.sum().cast(pl.UInt32).alias("n_good"),
    )
    result = agg.select(
        *group,
        "n_pupils",
        "n_no_result",
        "n_good",
        safe_share(pl.col("n_good"), pl.col("n_pupils")).alias("share_good"),
    )
    return like_input(results, sort_groups(result, group))


def _points(value: object, where: str) -> float:
    """A cut-off: a finite number of points, at least 0 (not a bool, not text)."""
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value < 0
    ):
        msg = f"cut_off{where} must be a finite number of points, at least 0, not {value!r}"
        raise ValueError(msg)
    return float(value)


def _check_cut_off(cut_off: object) -> float | dict[tuple[str, int], float] | None:
    """The cut-off, checked: None, a number, or {(subject, grade_level): number}."""
    if cut_off is None:
        return None
    if not isinstance(cut_off, Mapping):
        return _points(cut_off, "")
    subjects = {s.key for s in SUBJECTS}
    out: dict[tuple[str, int], float] = {}
    for key, value in cut_off.items():
        ok = (
            isinstance(key, tuple)
            and len(key) == 2
            and key[0] in subjects
            and isinstance(key[1], int)
            and not isinstance(key[1], bool)
            and 0 <= key[1] <= 10
        )
        if not ok:
            msg = (
                f"cut_off keys must be (subject, grade_level) with a known subject"
                f" ({', '.join(sorted(subjects))}) and a klassetrin 0-10, not {key!r}"
            )
            raise ValueError(msg)
        out[(key[0], key[1])] = _points(value, f"[{key!r}]")
    return out


def _check_flags(tests: pl.DataFrame, flagged: frozenset[tuple[str, str]] | None) -> None:
    """The færdighedstest delivers no flag: an all-null flag there needs a cut-off."""
    missing = sorted(
        {
            (y, str(subj))
            for y, subj in tests.select("school_year", "subject").iter_rows()
            if regime_for(y).key == "faerdighedstest" and (y, str(subj)) not in (flagged or set())
        }
    )
    if missing:
        raise DataError(
            RESULTS_CONTRACT.what,
            [
                Problem(
                    "good",
                    "no 'god til' flag delivered (the færdighedstest has points only): pass"
                    " cut_off=... to count pupils good from points",
                    None,
                    tuple(f"({y!r}, {s!r})" for y, s in missing[:3]),
                )
            ],
        )


def _join_cut_offs(
    rows: pl.LazyFrame, cut_off: Mapping[tuple[str, int], float], tests: pl.DataFrame | None
) -> pl.LazyFrame:
    table = pl.LazyFrame(
        [(str(s), int(g), float(v)) for (s, g), v in cut_off.items()],
        schema={"_subject": pl.String, "grade_level": pl.Int8, "_cut_off": pl.Float64},
        orient="row",
    )
    if tests is not None:
        known = set(cut_off)
        missing = sorted(
            {(s, int(g)) for s, g in tests.select("subject", "grade_level").iter_rows()} - known
        )
        if missing:
            raise DataError(
                RESULTS_CONTRACT.what,
                [
                    Problem(
                        "subject, grade_level",
                        "no cut-off given for this test in cut_off",
                        None,
                        tuple(f"({s!r}, {g})" for s, g in missing[:3]),
                    )
                ],
            )
    return rows.with_columns(pl.col("subject").cast(pl.String).alias("_subject")).join(
        table, on=["_subject", "grade_level"], how="left"
    )
