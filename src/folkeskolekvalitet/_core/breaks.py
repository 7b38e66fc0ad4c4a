"""The register of comparability breaks: where two school years of an indicator do not compare.

One register for the whole library: the families read their comparability notes from it
(exam and absence COVID years, national test regimes and flags, the well-being survey's
moves, the 2023 method break of the applications) and :func:`folkeskolekvalitet.indicators.change`
uses it to mark a year-on-year change ``not_comparable``.

A :class:`Break` is one of two kinds:

* a **series break** (``last_year is None``): the way an indicator is measured changed from
  ``first_year`` on; a year before it never compares with a year from it on;
* an **episode** (``last_year`` given): the years ``first_year`` to ``last_year`` were
  measured under exceptional conditions (COVID-19, a moved survey window); a year of the
  episode compares with no other year.

Each break names its source (the ministry's statistics pages and news items, the
executive orders); :data:`BREAKS` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year

__all__ = [
    "BREAKS",
    "Break",
    "breaks_for",
    "comparability_reason",
    "comparability_reason_expr",
    "comparable",
    "year_note",
    "year_note_expr",
]

_EXAMS_COVID_SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/karakterer-i-grundskolen"
)
_EXAMS_2021_22_SOURCE = (
    "https://www.uni-c.dk/aktuelt/nyheder/uvm/2023/sep/230919-grundskolekarakterer"
)
_ABSENCE_SOURCE = "https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer"
_NT_SAMPLE_SOURCE = (
    "https://www.uvm.dk/aktuelt/nyheder/uvm/2020/nov/"
    "201104-resultater-fra-de-nationale-test-i-skoleaaret-2019-2020"
)
_NT_LATE_SOURCE = (
    "https://www.stil.dk/aktuelt/uvm/2021/nov/211108-resultaterne-af-de-nationale-test-i-skoleaarer"
)
_NT_EARLY_SOURCE = (
    "https://www.uvm.dk/aktuelt/nyheder/uvm/2024/maj/"
    "240502-resultater-fra-folkeskolens-nationale-overgangstest-2023-24-er-nu-offentliggjort"
)
_NT_OVERGANG_SOURCE = (
    "https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/"
    "hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/"
    "folkeskolens-nationale-faerdighedstest"
)
_NT_FAERDIGHED_SOURCE = (
    "https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/"
    "hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/"
    "overblik-over-de-fremtidige-test"
)
_WB_2018_SOURCE = "http://www.socialjura.dk/content-storage/regler/2018/bek-128-af-262-2018/"
_WB_COVID_SOURCE = "https://www.uvm.dk/aktuelt/nyheder/uvm/2021/okt/211007-uaendret-trivsel-blandt-elever-i-folkeskolen"
_SOEGNING_SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/elever/soegning-til-ungdomsuddannelser/"
    "soegning-til-ungdomsuddannelserne"
)


@attrs.frozen
class Break:
    """One comparability break of an indicator series.

    Attributes
    ----------
    key
        A short identifier, unique in the register (e.g. ``"exams_covid_2019_20"``).
    prefix
        The indicators it concerns: a catalogue key or a key prefix ending in ``"."``
        (``"exams."`` is every exam indicator).
    first_year
        A series break: the first school year measured the new way. An episode: the
        first school year of the episode.
    last_year
        ``None`` for a series break; the last school year of an episode.
    reason_da, reason
        Why the years do not compare, in Danish and in English.
    source
        Where the break is documented.
    """

    key: str
    prefix: str
    first_year: str = attrs.field(converter=normalise_school_year)
    last_year: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(normalise_school_year)
    )
    reason_da: str = ""
    reason: str = ""
    source: str = ""

    @property
    def is_episode(self) -> bool:
        """Whether the break is an episode of exceptional years (else a series break)."""
        return self.last_year is not None

    def concerns(self, indicator: str) -> bool:
        """Whether the break concerns ``indicator`` (a catalogue key).

        Examples
        --------
        >>> from folkeskolekvalitet._core.breaks import BREAKS
        >>> BREAKS[0].prefix, BREAKS[0].concerns("exams.grade_average")
        ('exams.', True)
        """
        if self.prefix.endswith("."):
            return indicator.startswith(self.prefix)
        return indicator == self.prefix

    def covers(self, school_year: str) -> bool:
        """Whether ``school_year`` lies in the episode (always ``False`` for a series break)."""
        if self.last_year is None:
            return False
        start = parse_school_year(normalise_school_year(school_year))
        return parse_school_year(self.first_year) <= start <= parse_school_year(self.last_year)

    def separates(self, year_a: str, year_b: str) -> bool:
        """Whether the break makes ``year_a`` and ``year_b`` not comparable.

        Examples
        --------
        >>> from folkeskolekvalitet._core.breaks import BREAKS
        >>> regime = next(b for b in BREAKS if b.key == "national_tests_overgangstest")
        >>> regime.separates("2021/22", "2022/23"), regime.separates("2022/23", "2023/24")
        (True, False)
        """
        a = parse_school_year(normalise_school_year(year_a))
        b = parse_school_year(normalise_school_year(year_b))
        if a == b:
            return False
        first = parse_school_year(self.first_year)
        if self.last_year is None:
            return min(a, b) < first <= max(a, b)
        last = parse_school_year(self.last_year)
        return first <= a <= last or first <= b <= last


#: Every known comparability break, oldest first within a family.
BREAKS: tuple[Break, ...] = (
    Break(
        "exams_covid_2019_20",
        "exams.",
        "2019/20",
        "2019/20",
        "COVID-19: alle prøver blev aflyst; standpunktskaraktererne blev hævet til prøvekarakterer",
        "COVID-19: all prøver were cancelled; standpunktskarakterer were raised to prøvekarakterer",
        _EXAMS_COVID_SOURCE,
    ),
    Break(
        "exams_covid_2020_21",
        "exams.",
        "2020/21",
        "2020/21",
        "COVID-19: kun de bundne prøver i dansk, matematik og engelsk blev afholdt;"
        " standpunktskarakteren erstattede prøvekarakteren, hvor den var højere",
        "COVID-19: only the bound prøver in dansk, matematik and engelsk were held; the"
        " standpunktskarakter replaced the prøvekarakter where higher",
        _EXAMS_COVID_SOURCE,
    ),
    Break(
        "exams_covid_2021_22",
        "exams.",
        "2021/22",
        "2021/22",
        "COVID-19: en kombination af prøvekarakterer og hævede standpunktskarakterer",
        "COVID-19: a combination of prøvekarakterer and raised standpunktskarakterer",
        _EXAMS_2021_22_SOURCE,
    ),
    Break(
        "absence_covid_2019_20",
        "absence.",
        "2019/20",
        "2019/20",
        "COVID-19: fraværet i foråret 2020 (marts-juni) kan ikke sammenlignes",
        "COVID-19: absence in spring 2020 (March-June) is not comparable",
        _ABSENCE_SOURCE,
    ),
    Break(
        "absence_covid_2020_21",
        "absence.",
        "2020/21",
        "2020/21",
        "COVID-19: ministeriet advarer om, at fraværet i 2020/21 ikke kan sammenlignes",
        "COVID-19: the ministry warns that absence in 2020/21 is not comparable",
        _ABSENCE_SOURCE,
    ),
    Break(
        "absence_covid_2021_22",
        "absence.",
        "2021/22",
        "2021/22",
        "COVID-19: meget højt sygefravær i december 2021",
        "COVID-19: very high sick absence in December 2021",
        _ABSENCE_SOURCE,
    ),
    Break(
        "national_tests_sample_only",
        "national_tests.",
        "2019/20",
        "2019/20",
        "Kun stikprøve af klasser testet (COVID-19)",
        "only a representative sample of classes and the 20 % weakest schools had to"
        " test (L 126, 2019/20); other schools tested voluntarily",
        _NT_SAMPLE_SOURCE,
    ),
    Break(
        "national_tests_late_testing",
        "national_tests.",
        "2019/20",
        "2020/21",
        "Test gennemført senere på skoleåret (COVID-19)",
        "many tests were taken later in the school year than usual; later testing"
        " gives higher results, so the years are not comparable with earlier ones",
        _NT_LATE_SOURCE,
    ),
    Break(
        "national_tests_overgangstest",
        "national_tests.",
        "2022/23",
        None,
        "Ny test: Folkeskolens Nationale Overgangstest afløste de nationale test",
        "a new test regime: the overgangstest (linear) replaced the adaptive nationale test",
        _NT_OVERGANG_SOURCE,
    ),
    Break(
        "national_tests_early_testing",
        "national_tests.",
        "2023/24",
        "2023/24",
        "Overgangstesten gennemført tidligere på skoleåret",
        "the overgangstest was taken in August-October 2023, about ten weeks earlier"
        " than in 2022/23",
        _NT_EARLY_SOURCE,
    ),
    Break(
        "national_tests_faerdighedstest",
        "national_tests.",
        "2026/27",
        None,
        "Ny test: Folkeskolens Nationale Færdighedstest afløste overgangstesten",
        "a new test regime: the færdighedstest replaced the overgangstest",
        _NT_FAERDIGHED_SOURCE,
    ),
    Break(
        "wellbeing_moved_2017_18",
        "wellbeing.",
        "2017/18",
        "2017/18",
        "Målingen flyttet til 20. marts-31. maj 2018 med mulighed for anonyme papirbesvarelser;"
        " 21.000 færre elever svarede",
        "the survey was moved to 20 March-31 May 2018 with an anonymous paper option;"
        " 21,000 fewer pupils answered",
        _WB_2018_SOURCE,
    ),
    Break(
        "wellbeing_covid",
        "wellbeing.",
        "2019/20",
        "2020/21",
        "COVID-19: målingsperioden blev udskudt eller forlænget",
        "COVID-19: the survey window was postponed or extended",
        _WB_COVID_SOURCE,
    ),
    Break(
        "transitions_application_method_2023",
        "transitions.first_priority_share",
        "2022/23",
        None,
        "Ny opgørelse fra 2023: 'direkte fra skole' betyder tilknyttet en grundskole på"
        " ansøgningstidspunktet; ca. 2-3.000 færre ansøgere",
        "method break 2023: 'direkte fra skole' now means attached to a grundskole when"
        " applying (before: at any time in the school year); about 2-3,000 fewer applicants",
        _SOEGNING_SOURCE,
    ),
)


def _check_register(breaks: Iterable[Break]) -> None:
    keys = [b.key for b in breaks]
    if len(set(keys)) != len(keys):  # pragma: no cover - guards edits of the register
        msg = "comparability breaks must have unique keys"
        raise ValueError(msg)


_check_register(BREAKS)


def breaks_for(indicator: str) -> tuple[Break, ...]:
    """Return the breaks that concern ``indicator`` (a catalogue key or a family prefix).

    Examples
    --------
    >>> from folkeskolekvalitet._core.breaks import breaks_for
    >>> [b.key for b in breaks_for("transitions.first_priority_share")]
    ['transitions_application_method_2023']
    >>> breaks_for("competence.coverage")
    ()
    """
    return tuple(b for b in BREAKS if b.concerns(indicator))


def comparability_reason(
    indicator: str, year_a: str, year_b: str, *, language: str = "en"
) -> str | None:
    """Return why ``year_a`` and ``year_b`` of ``indicator`` do not compare, or ``None``.

    Several reasons are joined with ``"; "``.

    Examples
    --------
    >>> from folkeskolekvalitet._core.breaks import comparability_reason
    >>> comparability_reason("national_tests.share_good", "2021/22", "2022/23")
    'a new test regime: the overgangstest (linear) replaced the adaptive nationale test'
    >>> comparability_reason("exams.grade_average", "2017/18", "2018/19") is None
    True
    """
    reasons = [
        (b.reason_da if language == "da" else b.reason)
        for b in breaks_for(indicator)
        if b.separates(year_a, year_b)
    ]
    return "; ".join(reasons) if reasons else None


def comparable(indicator: str, year_a: str, year_b: str) -> bool:
    """Whether ``year_a`` and ``year_b`` of ``indicator`` compare (no break between them).

    Examples
    --------
    >>> from folkeskolekvalitet._core.breaks import comparable
    >>> comparable("exams.grade_average", "2018/19", "2019/20")
    False
    >>> comparable("wellbeing.general", "2021/22", "2022/23")
    True
    """
    return comparability_reason(indicator, year_a, year_b) is None


def year_note(indicator: str, school_year: str, *, language: str = "en") -> str | None:
    """Return the notes of the episodes ``school_year`` of ``indicator`` lies in, or ``None``.

    This is the note a table row carries; a series break is a note on the change, not on
    the year.

    Examples
    --------
    >>> from folkeskolekvalitet._core.breaks import year_note
    >>> year_note("absence.rate_total", "2020/21")
    'COVID-19: the ministry warns that absence in 2020/21 is not comparable'
    >>> year_note("absence.rate_total", "2022/23") is None
    True
    """
    notes = [
        (b.reason_da if language == "da" else b.reason)
        for b in breaks_for(indicator)
        if b.covers(school_year)
    ]
    return "; ".join(notes) if notes else None


def _start(year: pl.Expr) -> pl.Expr:
    return year.str.slice(0, 4).cast(pl.Int32, strict=False)


def _concerns_expr(b: Break, indicator: pl.Expr) -> pl.Expr:
    if b.prefix.endswith("."):
        return indicator.str.starts_with(b.prefix)
    return indicator == pl.lit(b.prefix)


def _join(parts: Sequence[pl.Expr]) -> pl.Expr:
    if not parts:
        return pl.lit(None, dtype=pl.String)
    return pl.concat_str(parts, separator="; ", ignore_nulls=True).replace("", None)


def comparability_reason_expr(
    indicator: pl.Expr, year: pl.Expr, other_year: pl.Expr, *, language: str = "en"
) -> pl.Expr:
    """The expression form of :func:`comparability_reason`: a String, null when comparable.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.breaks import comparability_reason_expr
    >>> df = pl.DataFrame(
    ...     {
    ...         "i": ["exams.grade_average", "competence.coverage"],
    ...         "y": ["2019/20", "2019/20"],
    ...         "p": ["2018/19", "2018/19"],
    ...     }
    ... )
    >>> df.select(comparability_reason_expr(pl.col("i"), pl.col("y"), pl.col("p")).alias("r"))[
    ...     "r"
    ... ].to_list()  # doctest: +ELLIPSIS
    ['COVID-19: all prøver were cancelled; ...', None]
    """
    a, b = _start(year), _start(other_year)
    lo, hi = pl.min_horizontal(a, b), pl.max_horizontal(a, b)
    parts = []
    for brk in BREAKS:
        first = parse_school_year(brk.first_year)
        if brk.last_year is None:
            hit = (lo < first) & (hi >= first)
        else:
            last = parse_school_year(brk.last_year)
            hit = (a != b) & (a.is_between(first, last) | b.is_between(first, last))
        text = brk.reason_da if language == "da" else brk.reason
        parts.append(pl.when(_concerns_expr(brk, indicator) & hit).then(pl.lit(text)))
    return _join(parts)


def year_note_expr(indicator: pl.Expr, year: pl.Expr, *, language: str = "en") -> pl.Expr:
    """The expression form of :func:`year_note`: a String, null for an ordinary year.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet._core.breaks import year_note_expr
    >>> df = pl.DataFrame({"i": ["absence.rate_total"], "y": ["2021/22"]})
    >>> df.select(year_note_expr(pl.col("i"), pl.col("y")).alias("n"))["n"].to_list()
    ['COVID-19: very high sick absence in December 2021']
    """
    a = _start(year)
    parts = []
    for brk in BREAKS:
        if brk.last_year is None:
            continue
        first, last = parse_school_year(brk.first_year), parse_school_year(brk.last_year)
        text = brk.reason_da if language == "da" else brk.reason
        parts.append(
            pl.when(_concerns_expr(brk, indicator) & a.is_between(first, last)).then(pl.lit(text))
        )
    return _join(parts)
