"""The national targets for kompetencedækning: a dated table, never a constant.

Two schedules are kept, because reports written before January 2019 used the
first one:

- ``"original"``: the economy agreement for 2014 (85 % in 2016, 90 % in 2018/19,
  full coverage = 95 % in 2020), as quoted by the ministry in 2018 and by the
  Ballerup 2018 kvalitetsrapport;
- ``"revised"`` (default): the agreement *Folkets skole* of January 2019 moved
  the 90 % milestone to 2020/21 and full coverage to 2025/26; schools could
  deviate from the target in 2021/22-2024/25 (covid-19 freedoms, extended by
  L 109 and L 131); from 2025/26 the central requirement no longer covers
  indskolingen (Folkeskolens kvalitetsprogram, initiative 5).

Every entry says whether its value and years are stated by an official source
(``verified``) and, for the indskoling exception, whether its grade scope is
(``scope_verified``).

Sources
-------
- https://www.uvm.dk/aktuelt/nyheder/uvm/2018/juni/180611-kompetencedaekning-i-folkeskolen-er-steget
- https://www.bt.dk/politik/maal-om-flere-faguddannede-laerere-i-timerne-udskydes-fem-aar
- https://www.uvm.dk/statistik/grundskolen/personale-og-skoler/kompetencedaekning-i-folkeskolen
- https://www.uvm.dk/folkeskolen/viden-og-kompetencer/kompetenceudvikling-af-paedagogisk-personale
- https://www.ft.dk/samling/20222/lovforslag/L109/bilag/1/2692806/index.htm
- https://www.ft.dk/samling/20231/lovforslag/l131/20231_l131_som_fremsat.htm
- https://uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/politiske-aftaler/folkeskolens-kvalitetsprogram/om-aftalen/ikrafttraedelsesoversigt
"""

from __future__ import annotations

from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import CatalogueError, DataError
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.ids import ID_COLUMNS
from folkeskolekvalitet._core.schema import Check, Column, Contract
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet._core.verdicts import threshold_met
from folkeskolekvalitet.competence.catalogue import KD_SOURCE, NEWS_2018_SOURCE

__all__ = [
    "COVERAGE_TARGETS",
    "SCHEDULES",
    "CoverageTarget",
    "Schedule",
    "compare_to_target",
    "coverage_target",
]

Schedule = Literal["revised", "original"]

#: The target schedules, default first.
SCHEDULES: tuple[Schedule, ...] = ("revised", "original")

BALLERUP_SOURCE = "Ballerup Kommune, kvalitetsrapport 2018, Baltorpskolen, afsnit 8.3"
BT_2019_SOURCE = (
    "https://www.bt.dk/politik/maal-om-flere-faguddannede-laerere-i-timerne-udskydes-fem-aar"
)
COVID_SOURCE = "https://www.uvm.dk/folkeskolen/viden-og-kompetencer/kompetenceudvikling-af-paedagogisk-personale"
L109_SOURCE = "https://www.ft.dk/samling/20222/lovforslag/L109/bilag/1/2692806/index.htm"
L131_SOURCE = "https://www.ft.dk/samling/20231/lovforslag/l131/20231_l131_som_fremsat.htm"
KVALITETSPROGRAM_SOURCE = (
    "https://uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/politiske-aftaler/"
    "folkeskolens-kvalitetsprogram/om-aftalen/ikrafttraedelsesoversigt"
)


@attrs.frozen
class CoverageTarget:
    """One dated entry of a kompetencedækning target schedule.

    Attributes
    ----------
    schedule
        ``"revised"`` (in force since January 2019) or ``"original"``
        (economy agreement for 2014).
    first_year, last_year
        The school years (inclusive) the entry applies to; ``last_year`` is
        ``None`` for an open end.
    share
        The target as a fraction (0.85, 0.90, 0.95); coverage meets it when
        ``coverage >= share``.
    label
        The target in Danish, as reports write it.
    decision
        The political agreement or law behind the entry.
    verified
        Whether an official source states this value for these school years.
    deviation_allowed
        Whether schools could deviate from the target that year (covid-19
        freedoms, folkeskolelovens § 40, stk. 7, 3. pkt.).
    excludes_indskoling
        Whether the requirement no longer applies to indskolingen.
    scope_verified
        Whether the grade scope of the requirement is confirmed (``False`` for
        the indskoling exception: the grades it covers are not verified; the
        library reads indskolingen as 0.-3. klasse).
    note
        How the entry was derived where a source is indirect.
    source
        The official (or seed) source of the entry.
    """

    schedule: Schedule
    first_year: str
    last_year: str | None
    share: float
    label: str
    decision: str
    verified: bool
    deviation_allowed: bool = False
    excludes_indskoling: bool = False
    scope_verified: bool = True
    note: str = ""
    source: str = KD_SOURCE

    @property
    def first_start(self) -> int:
        """Calendar year ``first_year`` starts in."""
        return parse_school_year(self.first_year)

    @property
    def last_start(self) -> int | None:
        """Calendar year ``last_year`` starts in (``None`` for an open end)."""
        return None if self.last_year is None else parse_school_year(self.last_year)

    def applies_to(self, school_year: str) -> bool:
        """Whether the entry applies to ``school_year``."""
        start = parse_school_year(school_year)
        last = self.last_start
        return self.first_start <= start and (last is None or start <= last)


_FIRST = "Delmål: 85 % kompetencedækning"
_SECOND = "Delmål: 90 % kompetencedækning"
_FULL = "Fuld kompetencedækning: 95 %"

#: Every entry of both schedules, revised first, each in date order.
COVERAGE_TARGETS: tuple[CoverageTarget, ...] = (
    CoverageTarget(
        "revised",
        "2016/17",
        "2019/20",
        0.85,
        _FIRST,
        "Økonomiaftalen for 2014; not changed by Folkets skole (January 2019)",
        verified=False,
        note=(
            "85 % in 2016 is stated by the Ballerup 2018 kvalitetsrapport, not by a retrieved"
            " official source; Folkets skole moved only the 90 % and 95 % milestones, so the"
            " 85 % milestone is kept until 2019/20 (inferred)"
        ),
        source=BALLERUP_SOURCE,
    ),
    CoverageTarget(
        "revised",
        "2020/21",
        "2020/21",
        0.90,
        _SECOND,
        "Aftale om Folkets skole (January 2019): the 90 % milestone moved from 2019 to 2021",
        verified=True,
        note="'2019' is 2018/19 in the ministry's wording, so '2021' is read as 2020/21",
        source=BT_2019_SOURCE,
    ),
    CoverageTarget(
        "revised",
        "2021/22",
        "2022/23",
        0.90,
        _SECOND,
        "Udvidede frihedsgrader efter covid-19 (2021 and 2022 agreements)",
        verified=True,
        deviation_allowed=True,
        note="schools could deviate from the target these school years",
        source=COVID_SOURCE,
    ),
    CoverageTarget(
        "revised",
        "2023/24",
        "2023/24",
        0.90,
        _SECOND,
        "L 109 (2022-23, 2. samling): deviation extended to 2023/24",
        verified=True,
        deviation_allowed=True,
        source=L109_SOURCE,
    ),
    CoverageTarget(
        "revised",
        "2024/25",
        "2024/25",
        0.90,
        _SECOND,
        "L 131 (2023-24): deviation extended to 2024/25; the rule lapses 1 August 2025",
        verified=True,
        deviation_allowed=True,
        source=L131_SOURCE,
    ),
    CoverageTarget(
        "revised",
        "2025/26",
        None,
        0.95,
        _FULL,
        "Aftale om Folkets skole (January 2019): full coverage in 2025/26; Folkeskolens"
        " kvalitetsprogram (2024), initiative 5: no central requirement in indskolingen",
        verified=True,
        excludes_indskoling=True,
        scope_verified=False,
        note=(
            "the exact grades of the indskoling exception are unverified; the library reads"
            f" indskolingen as 0.-3. klasse (exception: {KVALITETSPROGRAM_SOURCE})"
        ),
        source=KD_SOURCE,
    ),
    CoverageTarget(
        "original",
        "2016/17",
        "2017/18",
        0.85,
        _FIRST,
        "Økonomiaftalen for 2014",
        verified=False,
        note="'2016: 85 %' is stated by the Ballerup 2018 kvalitetsrapport only",
        source=BALLERUP_SOURCE,
    ),
    CoverageTarget(
        "original",
        "2018/19",
        "2019/20",
        0.90,
        _SECOND,
        "Økonomiaftalen for 2014",
        verified=True,
        note="at least 90 % in the school year 2018/19",
        source=NEWS_2018_SOURCE,
    ),
    CoverageTarget(
        "original",
        "2020/21",
        None,
        0.95,
        _FULL,
        "Økonomiaftalen for 2014",
        verified=True,
        note=(
            "'fuld kompetencedækning i 2020' read as 2020/21, like '2016' and '2018' in the"
            " Ballerup 2018 kvalitetsrapport; superseded by Folkets skole in January 2019"
        ),
        source=NEWS_2018_SOURCE,
    ),
)


def _check_schedule(schedule: str) -> None:
    if schedule not in SCHEDULES:
        msg = f"schedule must be one of {SCHEDULES!r}, not {schedule!r}"
        raise ValueError(msg)


def coverage_target(school_year: str, *, schedule: Schedule = "revised") -> CoverageTarget:
    """Return the national kompetencedækning target of ``school_year``.

    Parameters
    ----------
    school_year
        A school year in any accepted spelling (``"2018/19"``, ``"2018-2019"``).
    schedule
        ``"revised"`` (default, in force since January 2019) or ``"original"``
        (the economy agreement for 2014, used by reports before 2019).

    Returns
    -------
    CoverageTarget
        The entry of :data:`COVERAGE_TARGETS` for that year, with its flags
        (``deviation_allowed``, ``excludes_indskoling``, ``verified``,
        ``scope_verified``) and source.

    Raises
    ------
    CatalogueError
        For school years before the first target (2016/17).
    ValueError
        For text that is not a school year, or an unknown schedule.

    Examples
    --------
    >>> from folkeskolekvalitet.competence import coverage_target
    >>> coverage_target("2018/19", schedule="original").share
    0.9
    >>> coverage_target("2018/19").share
    0.85
    >>> t = coverage_target("2022/23")
    >>> (t.share, t.deviation_allowed)
    (0.9, True)
    >>> t = coverage_target("2025/26")
    >>> (t.share, t.excludes_indskoling, t.scope_verified)
    (0.95, True, False)
    >>> coverage_target("2015/16")
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.CatalogueError: no national ... target for 2015/16: ...
    """
    _check_schedule(schedule)
    year = normalise_school_year(school_year)
    for entry in COVERAGE_TARGETS:
        if entry.schedule == schedule and entry.applies_to(year):
            return entry
    msg = (
        f"no national kompetencedækning target for {year}: the first milestone"
        " (85 %) applies from 2016/17"
    )
    raise CatalogueError(msg)


def _target_expr(start: pl.Expr, schedule: Schedule, field: str, dtype: pl.DataType) -> pl.Expr:
    """Expression: ``field`` of the schedule's entry for the school year starting ``start``."""
    entries = [e for e in COVERAGE_TARGETS if e.schedule == schedule]
    expr: pl.Expr = pl.lit(None, dtype=dtype)
    for e in reversed(entries):
        cond = start >= e.first_start
        last = e.last_start
        if last is not None:
            cond = cond & (start <= last)
        expr = pl.when(cond).then(pl.lit(getattr(e, field), dtype=dtype)).otherwise(expr)
    return expr


def indskoling_excluded_expr(start: pl.Expr, schedule: Schedule = "revised") -> pl.Expr:
    """Boolean expression: whether the target of the year starting ``start`` skips indskolingen."""
    return _target_expr(start, schedule, "excludes_indskoling", pl.Boolean()).fill_null(value=False)


_COMPARE_CONTRACT_WHAT = "coverage"
#: Columns that identify a row of a coverage table (with ``school_year``): unique together.
_GROUP_COLUMNS = frozenset(
    {*ID_COLUMNS, "subject", "grade_level", "class_type", "competence", "department_id"}
)
_NOT_FINITE = Check(
    "not a finite number (NaN or infinite)", lambda e: ~e.cast(pl.Float64).is_finite()
)
_NEGATIVE = Check("negative count", lambda e: e < 0)


def compare_to_target(
    coverage: FrameT,
    *,
    schedule: Schedule = "revised",
    value: str = "share",
) -> FrameT:
    """Compare kompetencedækning with the national target of each row's school year.

    Parameters
    ----------
    coverage
        A frame with ``school_year`` and a ``value`` column of shares in [0, 1],
        e.g. the output of :func:`~folkeskolekvalitet.competence.coverage`.
    schedule
        ``"revised"`` (default) or ``"original"``; see :data:`COVERAGE_TARGETS`.
    value
        The column compared with the target.

    Returns
    -------
    DataFrame or LazyFrame
        ``coverage`` with ``school_year`` in canonical form and the columns
        ``target`` (Float64; null before 2016/17), ``gap`` (``value - target``,
        a fraction, unrounded), ``met`` (``value >= target``; null when the
        value or the target is null), ``deviation_allowed``,
        ``excludes_indskoling``, ``target_verified`` and ``scope_verified``
        (Booleans, null without a target). From 2025/26 the target no longer
        covers indskolingen: compute the coverage compared here with
        ``coverage(..., grade_levels="target")``.

    Raises
    ------
    DataError
        If ``school_year`` or ``value`` is missing, of the wrong dtype, or a
        school year does not parse; if a share is outside [0, 1], a share or
        count (``n_*``, ``lessons*``) is NaN, infinite or (a count) negative, or
        two rows have the same school year and grouping columns.

    Examples
    --------
    The 2017/18 municipal extremes of the ministry's 2018 news (92,8 % and
    66,1 %), against the 90 % milestone of 2018/19 in the original schedule:

    >>> import polars as pl
    >>> from folkeskolekvalitet.competence import compare_to_target
    >>> kd = pl.DataFrame({"school_year": "2018/19", "share": [0.928, 0.661]})
    >>> compare_to_target(kd, schedule="original").select("share", "target", "met")
    shape: (2, 3)
    ┌───────┬────────┬───────┐
    │ share ┆ target ┆ met   │
    │ ---   ┆ ---    ┆ ---   │
    │ f64   ┆ f64    ┆ bool  │
    ╞═══════╪════════╪═══════╡
    │ 0.928 ┆ 0.9    ┆ true  │
    │ 0.661 ┆ 0.9    ┆ false │
    └───────┴────────┴───────┘
    """
    _check_schedule(schedule)
    lf = as_lazy(coverage, "coverage")
    schema = lf.collect_schema()
    counts: list[str] = [
        c
        for c in schema.names()
        if c != value and (c.startswith(("n_", "lessons"))) and schema[c].is_numeric()
    ]
    group: list[str] = [c for c in schema.names() if c in _GROUP_COLUMNS and c != value]
    contract = Contract(
        _COMPARE_CONTRACT_WHAT,
        (
            Column("school_year", "school_year", description="School year, e.g. '2018/19'."),
            *(Column(c, "id", required=False) for c in group),
            Column(
                value,
                "number",
                nullable=True,
                checks=(_NOT_FINITE, Check("share outside [0, 1]", lambda e: (e < 0) | (e > 1))),
                description="Coverage share in [0, 1].",
            ),
            *(Column(c, "number", nullable=True, checks=(_NOT_FINITE, _NEGATIVE)) for c in counts),
        ),
        # With grouping columns a (year, group) occurs once; without them (a list of
        # shares) only a repeated whole row is a duplicate.
        key=("school_year", *group) if group else (),
    )
    repeated = {} if group else {"rows": pl.len() - pl.struct(pl.all()).n_unique()}
    checked = contract.validate(lf, aggregates=repeated)
    n_repeated = checked.aggregates.get("rows")
    if isinstance(n_repeated, int) and n_repeated:
        raise DataError.single(
            _COMPARE_CONTRACT_WHAT,
            "<frame>",
            f"{n_repeated} duplicated row{'s' if n_repeated != 1 else ''}"
            " (each row must occur once)",
        )
    lf = checked.lf(lf)
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    target = _target_expr(start, schedule, "share", pl.Float64())
    share = pl.col(value).cast(pl.Float64)
    result = lf.with_columns(checked.school_year().alias("school_year")).with_columns(
        target.alias("target"),
        (share - target).alias("gap"),
        threshold_met(share, target).alias("met"),
        _target_expr(start, schedule, "deviation_allowed", pl.Boolean()).alias("deviation_allowed"),
        _target_expr(start, schedule, "excludes_indskoling", pl.Boolean()).alias(
            "excludes_indskoling"
        ),
        _target_expr(start, schedule, "verified", pl.Boolean()).alias("target_verified"),
        _target_expr(start, schedule, "scope_verified", pl.Boolean()).alias("scope_verified"),
    )
    return like_input(coverage, result)
