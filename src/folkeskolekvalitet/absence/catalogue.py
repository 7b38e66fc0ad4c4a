"""Elevfravær: the kinds of absence, the quarterly rules and the national levels.

Sources
-------
- Elevfravær (categories, computation, weighting by months registered),
  Børne- og Undervisningsministeriet: https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer
- Fraværsregler i folkeskolen, materiale til forældre (10 % and 15 % ulovligt
  fravær per calendar quarter):
  https://www.uvm.dk/folkeskolen/organisering-og-ledelse/foraeldrenes-rolle/fravaersregler-i-folkeskolen/materiale-til-foraeldre
- Standsning af børne- og ungeydelsen (serviceloven § 153 stk. 2, § 155 c),
  Ankestyrelsen:
  https://ast.dk/social/artikler/generelt-om-omradet/kommunen-skal-undersoge-arsagen-til-elevers-fravaer-inden-der-traeffes-afgorelse-om-standsning-af-borne-og-ungeydelsen
- Kalundborg Kommune, "Forbedring af resultater i folkeskolen" (2018): each
  school makes a plan for pupils whose total absence is above 3 % (a local
  rule, found only in that municipal document).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.breaks import year_note
from folkeskolekvalitet._core.exprs import as_expr
from folkeskolekvalitet._core.schoolyear import normalise_school_year

__all__ = [
    "ABSENCE_KINDS",
    "ABSENCE_KIND_ENUM",
    "KALUNDBORG_PLAN",
    "LOCAL_RULES",
    "NATIONAL_LEVELS",
    "NOTIFY_MUNICIPALITY",
    "QUARTERS",
    "STATUTORY_RULES",
    "WARN_PARENTS",
    "AbsenceKind",
    "AbsenceRule",
    "NationalLevel",
    "Quarter",
    "comparability_note",
    "national_level",
]

UVM_SOURCE = "https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer"
RULES_SOURCE = (
    "https://www.uvm.dk/folkeskolen/organisering-og-ledelse/foraeldrenes-rolle/"
    "fravaersregler-i-folkeskolen/materiale-til-foraeldre"
)
AST_SOURCE = (
    "https://ast.dk/social/artikler/generelt-om-omradet/kommunen-skal-undersoge-arsagen-til-"
    "elevers-fravaer-inden-der-traeffes-afgorelse-om-standsning-af-borne-og-ungeydelsen"
)
KALUNDBORG_SOURCE = (
    "Kalundborg Kommune, 'Forbedring af resultater i folkeskolen' (plan, Børn- og"
    " Familieudvalget 2018), indsatsområde Fravær & Trivsel"
)
NEWS_2018_SOURCE = "https://www.uvm.dk/aktuelt/nyheder/uvm/2018/nov/181107-flere-elever-har-meget-fravaer-i-folkeskolen"
NEWS_2016_SOURCE = (
    "http://uvm.dk/Service/Statistik/~/UVM-DK/Content/News/Udd/Folke/2016/Nov/"
    "161109-Elevers-fravaer-i-folkeskolen"
)
NEWS_2023_SOURCE = "https://www.uni-c.dk/aktuelt/nyheder/uvm/2023/nov/231109-nye-tal-elevfravaer-i-folkeskolen-er-faldet"
NEWS_2024_SOURCE = (
    "https://upday.com/dk/mere-end-hver-femte-elev-misser-store-dele-af-undervisningen"
)

Kind = Literal["sick", "authorised", "unauthorised"]
RuleKind = Literal["sick", "authorised", "unauthorised", "total"]


@attrs.frozen
class AbsenceKind:
    """A kind of absence (fraværstype), registered as whole days.

    Attributes
    ----------
    key
        Stable key: ``"sick"``, ``"authorised"`` or ``"unauthorised"``.
    label
        Official Danish name, e.g. "Sygefravær".
    column
        The input column with the days of this kind, e.g. ``"sick_days"``.
    definition
        What the kind covers, in Danish as the ministry words it (shortened).
    source
        Where the definition comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.absence import ABSENCE_KINDS
    >>> [(k.key, k.label) for k in ABSENCE_KINDS][0]
    ('sick', 'Sygefravær')
    >>> ABSENCE_KINDS[2].source
    'https://www.uvm.dk/statistik/grundskolen/elever/elevfravaer'
    """

    key: Kind
    label: str
    column: str
    definition: str
    source: str = UVM_SOURCE


#: The three kinds of absence, in the ministry's order.
ABSENCE_KINDS: tuple[AbsenceKind, ...] = (
    AbsenceKind(
        "sick",
        "Sygefravær",
        "sick_days",
        "Fravær på grund af sygdom, funktionsnedsættelse eller lignende.",
    ),
    AbsenceKind(
        "authorised",
        "Fravær med tilladelse (lovligt fravær, ekstraordinær frihed)",
        "authorised_days",
        "Fravær med skolelederens tilladelse, fx ferie uden for skolens ferier.",
    ),
    AbsenceKind(
        "unauthorised",
        "Ulovligt fravær",
        "unauthorised_days",
        "Alt fravær, der ikke skyldes sygdom, læge- eller tandlægebesøg eller"
        " funktionsnedsættelse, eller som ikke er givet tilladelse til.",
    ),
)

#: The kinds of absence as a Polars Enum (``"sick"``, ``"authorised"``, ``"unauthorised"``).
ABSENCE_KIND_ENUM = pl.Enum([k.key for k in ABSENCE_KINDS])


@attrs.frozen
class Quarter:
    """A calendar quarter (kvartal), the period of the statutory absence rules.

    Attributes
    ----------
    number
        1 (January-March) to 4 (October-December).
    label
        Danish name, e.g. "1. kvartal (januar-marts)".
    months
        The calendar months of the quarter.
    school_year_part
        ``"start"`` when the quarter lies in the calendar year the school year
        starts in (quarters 3 and 4), ``"end"`` otherwise (quarters 1 and 2).
    source
        Where the quarters are defined.

    Examples
    --------
    >>> from folkeskolekvalitet.absence import QUARTERS
    >>> QUARTERS[3].label, QUARTERS[3].months
    ('4. kvartal (oktober-december)', (10, 11, 12))
    >>> QUARTERS[0].source  # doctest: +ELLIPSIS
    'https://www.uvm.dk/folkeskolen/organisering-og-ledelse/foraeldrenes-rolle/fravaersregler-...'
    """

    number: int
    label: str
    months: tuple[int, int, int]
    school_year_part: Literal["start", "end"]
    source: str = RULES_SOURCE


#: The four calendar quarters.
QUARTERS: tuple[Quarter, ...] = (
    Quarter(1, "1. kvartal (januar-marts)", (1, 2, 3), "end"),
    Quarter(2, "2. kvartal (april-juni)", (4, 5, 6), "end"),
    Quarter(3, "3. kvartal (juli-september)", (7, 8, 9), "start"),
    Quarter(4, "4. kvartal (oktober-december)", (10, 11, 12), "start"),
)


def _check_key(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.isidentifier() or value.startswith("_"):
        msg = f"{attribute.name} must be a column-like name (letters, digits, _), not {value!r}"
        raise ValueError(msg)


def _check_threshold(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        msg = f"{attribute.name} is a fraction in [0, 1] (10 % is 0.10), not {value!r}"
        raise ValueError(msg)


@attrs.frozen
class AbsenceRule:
    """A threshold rule on a pupil's absence within a calendar quarter.

    :func:`~folkeskolekvalitet.absence.quarterly_flags` evaluates each rule
    on every pupil and quarter and returns one boolean column per rule, named
    by ``key``. National rules are :data:`WARN_PARENTS` and
    :data:`NOTIFY_MUNICIPALITY`; a municipality's own rule is one more
    ``AbsenceRule`` (for example :data:`KALUNDBORG_PLAN`).

    Attributes
    ----------
    key
        Name of the output column, e.g. ``"warn_parents"``.
    label
        Danish description of the rule.
    kind
        The absence the rule looks at: one of the three kinds or ``"total"``.
    threshold
        The threshold as a fraction of the quarter's school days (0.10 = 10 %).
    inclusive
        ``True`` for "at least" (≥, the statutory rules: "15 procent eller
        derover"), ``False`` for "more than" (>).
    consequence
        What the rule obliges, in Danish.
    source
        Where the rule comes from.
    local
        Whether it is a municipality's own rule rather than national law.
    in_force_from
        The first day the rule applies; quarters that end before it get a null
        flag (not evaluable). ``None`` for always.

    Examples
    --------
    >>> from folkeskolekvalitet.absence import AbsenceRule
    >>> rule = AbsenceRule(
    ...     "bekymrende",
    ...     "Bekymrende fravær (lokal regel)",
    ...     "total",
    ...     0.08,
    ...     inclusive=False,
    ...     consequence="Samtale med forældrene",
    ...     source="Lokal skolepolitik",
    ...     local=True,
    ... )
    >>> rule.describe()
    'total absence > 8 % of the school days in a quarter'
    """

    key: str = attrs.field(validator=_check_key)
    label: str
    kind: RuleKind = attrs.field(
        validator=attrs.validators.in_(("sick", "authorised", "unauthorised", "total"))
    )
    threshold: float = attrs.field(validator=_check_threshold)
    inclusive: bool = True
    consequence: str = ""
    source: str = ""
    local: bool = False
    in_force_from: dt.date | None = None

    def expr(self, fraction: str | pl.Expr | None = None) -> pl.Expr:
        """Return a boolean expression: whether the rule applies to ``fraction``.

        Parameters
        ----------
        fraction
            The absence fraction (column name or expression); by default the
            column ``frac_<kind>`` of :func:`~folkeskolekvalitet.absence.pupil_absence`.
            Null stays null. The date the rule came into force is not applied
            here (see :func:`~folkeskolekvalitet.absence.quarterly_flags`).

        Examples
        --------
        >>> import polars as pl
        >>> from folkeskolekvalitet.absence import NOTIFY_MUNICIPALITY
        >>> df = pl.DataFrame({"frac_unauthorised": [0.149, 0.15, None]})
        >>> df.select(NOTIFY_MUNICIPALITY.expr())["notify_municipality"].to_list()
        [False, True, None]
        """
        if fraction is None:
            fraction = f"frac_{self.kind}"
        frac = as_expr(fraction)
        hit = frac >= self.threshold if self.inclusive else frac > self.threshold
        return hit.alias(self.key)

    def describe(self) -> str:
        """The rule in one line of English."""
        what = "total absence" if self.kind == "total" else f"{self.kind} absence"
        sign = "≥" if self.inclusive else ">"
        return f"{what} {sign} {self.threshold * 100:g} % of the school days in a quarter"


#: Ulovligt fravær of 10 % or more in a quarter: the school leader must warn the
#: parents that the børne- og ungeydelse may be stopped at 15 % (in force 1 August 2019).
WARN_PARENTS = AbsenceRule(
    "warn_parents",
    "Ulovligt fravær på 10 % eller derover i et kvartal: skolelederen skal orientere"
    " forældrene om, at børne- og ungeydelsen kan standses ved 15 %",
    "unauthorised",
    0.10,
    inclusive=True,
    consequence="Skolelederen orienterer forældrene",
    source=RULES_SOURCE,
    in_force_from=dt.date(2019, 8, 1),
)

#: Ulovligt fravær of 15 % or more in a quarter: the school leader must notify the
#: municipality, which decides whether to stop the børne- og ungeydelse for one quarter
#: (serviceloven § 153 stk. 2, § 155 c; in force 1 August 2019).
NOTIFY_MUNICIPALITY = AbsenceRule(
    "notify_municipality",
    "Ulovligt fravær på 15 % eller derover i et kvartal: skolelederen skal underrette"
    " kommunalbestyrelsen, som kan standse børne- og ungeydelsen for et kvartal",
    "unauthorised",
    0.15,
    inclusive=True,
    consequence="Skolelederen underretter kommunalbestyrelsen (serviceloven § 153, stk. 2)",
    source=AST_SOURCE,
    in_force_from=dt.date(2019, 8, 1),
)

#: The two national quarterly rules, in order of severity.
STATUTORY_RULES: tuple[AbsenceRule, ...] = (WARN_PARENTS, NOTIFY_MUNICIPALITY)

#: Kalundborg Kommune (2018): each school describes its actions when a pupil's
#: total absence is higher than 3 % ("højere end 3 %": strictly above). A local rule.
KALUNDBORG_PLAN = AbsenceRule(
    "kalundborg_plan",
    "Kalundborg: skolens plan for handling, når den enkelte elevs samlede fravær er højere end 3 %",
    "total",
    0.03,
    inclusive=False,
    consequence="Skolens handleplan med fokus på trivsel og stærke børnefællesskaber",
    source=KALUNDBORG_SOURCE,
    local=True,
)


#: Known municipal rules from the seeds (each marked ``local``).
LOCAL_RULES: tuple[AbsenceRule, ...] = (KALUNDBORG_PLAN,)


@attrs.frozen
class NationalLevel:
    """The national level of absence in the folkeskole in one school year.

    Attributes
    ----------
    school_year
        The school year, ``"YYYY/YY"``.
    rate_total
        Average total absence as a fraction (``None`` if not found).
    share_above_10
        Share of pupils with more than 10 % absence (``None`` if not found).
    approximate
        Whether the published figure is rounded to whole percent or given as
        "about".
    note
        Anything to know when comparing with it.
    source
        Where the figure is published.

    Examples
    --------
    >>> from folkeskolekvalitet.absence import national_level
    >>> level = national_level("2017/18")
    >>> level.rate_total, level.share_above_10
    (0.059, 0.147)
    >>> level.source
    'https://www.uvm.dk/aktuelt/nyheder/uvm/2018/nov/181107-flere-elever-har-meget-fravaer-i-folkeskolen'
    """

    school_year: str
    rate_total: float | None
    share_above_10: float | None
    approximate: bool = False
    note: str = ""
    source: str = UVM_SOURCE


#: Published national levels (folkeskolen, total absence), for "versus the national
#: average" goals. Years without a row were not found in an official source.
NATIONAL_LEVELS: tuple[NationalLevel, ...] = (
    NationalLevel(
        "2010/11", 0.060, None, note="Highest of 2010/11-2015/16", source=NEWS_2016_SOURCE
    ),
    NationalLevel("2013/14", 0.054, None),
    NationalLevel("2014/15", 0.054, 0.131),
    NationalLevel("2015/16", 0.056, None, note="About 11 days", source=NEWS_2016_SOURCE),
    NationalLevel("2016/17", 0.056, 0.136, approximate=True, source=NEWS_2018_SOURCE),
    NationalLevel(
        "2017/18", 0.059, 0.147, note="About 12 days; specialskoler 9,4 %", source=NEWS_2018_SOURCE
    ),
    NationalLevel(
        "2019/20",
        0.052,
        None,
        note="COVID-19 (spring 2020); 10,4 days: 5,5 sick, 3,5 with permission, 1,4 ulovligt",
    ),
    NationalLevel(
        "2021/22",
        0.08,
        0.26,
        approximate=True,
        note="High sick absence (COVID-19)",
        source=NEWS_2023_SOURCE,
    ),
    NationalLevel("2022/23", 0.07, 0.20, approximate=True, source=NEWS_2023_SOURCE),
    NationalLevel(
        "2023/24",
        None,
        0.216,
        note="110.966 of 513.857 pupils above 10 % (news report of the ministry's figures)",
        source=NEWS_2024_SOURCE,
    ),
)


def national_level(school_year: str) -> NationalLevel | None:
    """Return the published national absence level of ``school_year``, or ``None``.

    Examples
    --------
    >>> from folkeskolekvalitet.absence import national_level
    >>> national_level("2017/18").rate_total
    0.059
    >>> national_level("2018/19") is None
    True
    """
    year = normalise_school_year(school_year)
    for level in NATIONAL_LEVELS:
        if level.school_year == year:
            return level
    return None


def comparability_note(school_year: str) -> str | None:
    """Return why absence in ``school_year`` is not comparable with other years, or ``None``.

    The ministry warns about spring 2020, 2020/21 and December 2021 (COVID-19).

    Examples
    --------
    >>> from folkeskolekvalitet.absence import comparability_note
    >>> comparability_note("2020/21")
    'COVID-19: the ministry warns that absence in 2020/21 is not comparable'
    >>> comparability_note("2017/18") is None
    True
    """
    return year_note("absence.", normalise_school_year(school_year))
