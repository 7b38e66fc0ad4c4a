"""Overgang til ungdomsuddannelse: statuses after 9. klasse, application categories, goals.

Sources
-------
- Overgang til uddannelser (population, statuses, levels), Børne- og
  Undervisningsministeriet: https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser
- Om nøgletallene til gennemsigtighed og åbenhed ("Årstal er afgangsår";
  "Uoplyst til-uddannelse omfatter dem, som ikke er overgået"):
  https://www.uvm.dk/statistik/tvaergaaende-statistik/noegletal-til-gennemsigtighed-og-aabenhed/om-noegletallene-til-gennemsigtighed-og-aabenhed
- Søgning til ungdomsuddannelserne (first priority in March; the 2023 method
  break): https://www.uvm.dk/statistik/grundskolen/elever/soegning-til-ungdomsuddannelser/soegning-til-ungdomsuddannelserne
- Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4 and note 9
  (status 1 October; 10. klasse not validly measurable at 3 months; the
  "øvrigt" category; the goal of at most 35 % to 10. klasse).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.breaks import BREAKS
from folkeskolekvalitet._core.exprs import as_expr
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year

__all__ = [
    "APPLICATIONS",
    "APPLICATION_ENUM",
    "APPLICATION_METHOD_ENUM",
    "BALLERUP_TENTH_GRADE_GOAL",
    "HORIZONS",
    "LOCAL_GOALS",
    "METHOD_BREAK_YEAR",
    "STATUSES",
    "STATUS_ENUM",
    "ApplicationCategory",
    "Horizon",
    "TransitionGoal",
    "TransitionStatus",
    "application_method",
    "in_youth_education",
    "status_date",
]

OVERGANG_SOURCE = "https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser"
NOEGLETAL_SOURCE = (
    "https://www.uvm.dk/statistik/tvaergaaende-statistik/noegletal-til-gennemsigtighed-og-aabenhed/"
    "om-noegletallene-til-gennemsigtighed-og-aabenhed"
)
SOEGNING_SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/elever/soegning-til-ungdomsuddannelser/"
    "soegning-til-ungdomsuddannelserne"
)
BALLERUP_SOURCE = "Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4 and note 9"

HorizonKey = Literal["3m", "15m"]


@attrs.frozen
class TransitionStatus:
    """A pupil's education status a given time after leaving 9. klasse.

    Attributes
    ----------
    key
        Stable key, e.g. ``"gymnasial"``.
    label
        Danish name, e.g. "Gymnasial uddannelse".
    youth_education
        Whether the status counts as being in a youth education
        (ungdomsuddannelse): gymnasiale, erhvervsfaglige and øvrige.
    note
        What the status covers.
    source
        Where the category comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import STATUSES
    >>> [s.key for s in STATUSES if s.youth_education]
    ['gymnasial', 'erhvervsfaglig', 'anden_ungdomsuddannelse']
    >>> STATUSES[0].label, STATUSES[0].source
    ('Gymnasial uddannelse', 'https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser')
    """

    key: str
    label: str
    youth_education: bool
    note: str = ""
    source: str = OVERGANG_SOURCE


#: The statuses, youth educations first.
STATUSES: tuple[TransitionStatus, ...] = (
    TransitionStatus(
        "gymnasial",
        "Gymnasial uddannelse",
        youth_education=True,
        note="stx, hhx, htx, hf, IB and other gymnasiale uddannelser",
    ),
    TransitionStatus(
        "erhvervsfaglig",
        "Erhvervsfaglig uddannelse",
        youth_education=True,
        note="Erhvervsuddannelser (eud, eux)",
    ),
    TransitionStatus(
        "anden_ungdomsuddannelse",
        "Øvrige ungdomsuddannelser",
        youth_education=True,
        note="E.g. STU, KUU, EGU",
    ),
    TransitionStatus(
        "tiende_klasse",
        "10. klasse",
        youth_education=False,
        note="Not validly measurable 3 months after 9. klasse (Ballerup 2018, § 8.4)",
        source=BALLERUP_SOURCE,
    ),
    TransitionStatus(
        "andet",
        "Andet (ikke i ungdomsuddannelse)",
        youth_education=False,
        note="In none of the above, e.g. FGU, work, abroad",
    ),
    TransitionStatus(
        "uoplyst",
        "Uoplyst",
        youth_education=False,
        note="Uoplyst til-uddannelse: those who have not transferred to an education",
        source=NOEGLETAL_SOURCE,
    ),
)

#: The status keys as a Polars Enum, in catalogue order.
STATUS_ENUM = pl.Enum([s.key for s in STATUSES])


@attrs.frozen
class ApplicationCategory:
    """A category of first-priority applications (søgning, 1. prioritet) in March of 9. klasse.

    Attributes
    ----------
    key
        Stable key: ``"ungdomsuddannelse"``, ``"tiende_klasse"`` or ``"oevrigt"``.
    label
        Danish name.
    includes
        What the category includes.
    source
        Where the category comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import APPLICATIONS
    >>> [a.label for a in APPLICATIONS]
    ['Ungdomsuddannelse', '10. klasse', 'Øvrigt']
    >>> APPLICATIONS[2].includes[:3]
    ('10. klasse på specialskole', '11. skoleår', 'produktionsskole')
    >>> APPLICATIONS[2].source
    'Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4 and note 9'
    """

    key: str
    label: str
    includes: tuple[str, ...]
    source: str = BALLERUP_SOURCE


#: The application categories of the kvalitetsrapport (Ballerup 2018, Figur 22 and note 9).
APPLICATIONS: tuple[ApplicationCategory, ...] = (
    ApplicationCategory(
        "ungdomsuddannelse",
        "Ungdomsuddannelse",
        ("gymnasiale uddannelser", "erhvervsuddannelser", "øvrige ungdomsuddannelser"),
    ),
    ApplicationCategory("tiende_klasse", "10. klasse", ("10. klasse",)),
    ApplicationCategory(
        "oevrigt",
        "Øvrigt",
        (
            "10. klasse på specialskole",
            "11. skoleår",
            "produktionsskole",
            "ungdomshøjskole",
            "VUC",
            "udlandsophold",
            "arbejde",
            "andet",
        ),
    ),
)

#: The application keys as a Polars Enum.
APPLICATION_ENUM = pl.Enum([a.key for a in APPLICATIONS])

#: The calendar year of the first applications under the new method: from 2023
#: "direkte fra skole" means attached to a grundskole when applying (before: at
#: any time in the school year); about 2-3.000 fewer applicants, not fully comparable.
METHOD_BREAK_YEAR = (
    parse_school_year(
        next(b for b in BREAKS if b.key == "transitions_application_method_2023").first_year
    )
    + 1
)

#: How the applications of a group were counted: before the 2023 method break,
#: from it, or a mix of both (not comparable).
APPLICATION_METHOD_ENUM = pl.Enum(["before_2023", "from_2023", "mixed"])


@attrs.frozen
class Horizon:
    """When the status is measured after leaving 9. klasse.

    Attributes
    ----------
    key
        ``"3m"`` or ``"15m"``.
    months
        Months after the end of 9. klasse.
    label
        Danish name.
    years_after
        The status date is 1 October this many years after the leaving year.
    source
        Where the definition comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import HORIZONS
    >>> [(h.key, h.months, h.years_after) for h in HORIZONS]
    [('3m', 3, 0), ('15m', 15, 1)]
    """

    key: HorizonKey
    months: int
    label: str
    years_after: int
    source: str = BALLERUP_SOURCE


#: The two horizons of the kvalitetsrapport.
HORIZONS: tuple[Horizon, ...] = (
    Horizon("3m", 3, "Overgang til ungdomsuddannelse tre måneder efter 9. klasse", 0),
    Horizon("15m", 15, "Overgang til ungdomsuddannelse 15 måneder efter 9. klasse", 1),
)


@attrs.frozen
class TransitionGoal:
    """A goal on the share of a cohort in one category (e.g. at most 35 % to 10. klasse).

    Attributes
    ----------
    key
        Stable key.
    label
        The goal in Danish, as the source words it.
    category
        The application (or status) key the goal is about.
    max_share
        The largest share that meets the goal (a fraction).
    measure
        ``"application"`` (first priority in March), ``"3m"`` or ``"15m"``.
    source
        Where the goal comes from.
    local
        Whether it is a municipality's own goal.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import BALLERUP_TENTH_GRADE_GOAL, TransitionGoal
    >>> BALLERUP_TENTH_GRADE_GOAL.max_share, BALLERUP_TENTH_GRADE_GOAL.measure
    (0.35, 'application')
    >>> own = TransitionGoal("egen", "Højst 40 %", "tiende_klasse", 0.40, "15m", "Skolepolitik")
    >>> own.local
    True
    """

    key: str
    label: str
    category: str
    max_share: float
    measure: Literal["application", "3m", "15m"]
    source: str
    local: bool = True


#: Ballerup Kommune (2018): at most 35 % of a cohort shall take 10. klasse before a
#: youth education; the kvalitetsrapport measures it on first-priority applications.
BALLERUP_TENTH_GRADE_GOAL = TransitionGoal(
    "ballerup_tenth_grade",
    "Højst 35 % af en årgang skal tage 10. klasse, inden de starter på en ungdomsuddannelse",
    "tiende_klasse",
    0.35,
    "application",
    BALLERUP_SOURCE,
)


#: Known municipal goals from the seeds.
LOCAL_GOALS: tuple[TransitionGoal, ...] = (BALLERUP_TENTH_GRADE_GOAL,)


def in_youth_education(status: str | pl.Expr) -> pl.Expr:
    """Return a boolean expression: whether the status is a youth education.

    True for ``gymnasial``, ``erhvervsfaglig`` and ``anden_ungdomsuddannelse``;
    false for the other statuses; null stays null.

    Parameters
    ----------
    status
        A status column (name or expression), text or :data:`STATUS_ENUM`.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.transitions import in_youth_education
    >>> df = pl.DataFrame({"status_3m": ["gymnasial", "tiende_klasse", None]})
    >>> df.select(in_youth_education("status_3m"))["status_3m"].to_list()
    [True, False, None]

    Source: https://www.uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser
    """
    expr = as_expr(status)
    youth = [s.key for s in STATUSES if s.youth_education]
    return expr.cast(pl.String).str.strip_chars().is_in(youth)


def status_date(cohort: str, horizon: HorizonKey = "3m") -> dt.date:
    """Return the date a cohort's status is measured.

    1 October of the leaving year (3 months) or of the year after (15 months).

    Parameters
    ----------
    cohort
        The school year the pupils left 9. klasse, e.g. ``"2017/18"`` (leaving
        in summer 2018; the ministry labels this cohort 2018, "årstal er
        afgangsår").
    horizon
        ``"3m"`` or ``"15m"``.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import status_date
    >>> status_date("2017/18", "3m")
    datetime.date(2018, 10, 1)
    >>> status_date("2017/18", "15m")
    datetime.date(2019, 10, 1)
    """
    for h in HORIZONS:
        if h.key == horizon:
            return dt.date(parse_school_year(cohort) + 1 + h.years_after, 10, 1)
    msg = f"horizon must be '3m' or '15m', not {horizon!r}"
    raise ValueError(msg)


def application_method(cohort: str) -> str:
    """Whether a cohort's applications were counted before or after the 2023 method break.

    The applications are made in March of 9. klasse, so cohort ``"2022/23"``
    is the first under the new method.

    Examples
    --------
    >>> from folkeskolekvalitet.transitions import application_method
    >>> application_method("2021/22"), application_method("2022/23")
    ('before_2023', 'from_2023')
    """
    year = parse_school_year(normalise_school_year(cohort)) + 1
    return "from_2023" if year >= METHOD_BREAK_YEAR else "before_2023"
