"""The catalogue of published indicators: one :class:`Indicator` per key of the indicator table.

Every row of the indicator table names its indicator by a key of :data:`CATALOGUE`
(``"exams.grade_average"``, ``"wellbeing.social"``, …) or by a key with the prefix
``local.`` (a municipality's own indicators, e.g. counts for local goals). The
catalogue says what the number is (its unit and published precision), which way is
better, which breakdown columns it uses, the smallest group that may be published and
how its uncertainty is computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from folkeskolekvalitet.absence.catalogue import UVM_SOURCE as ABSENCE_SOURCE
from folkeskolekvalitet.competence.catalogue import KD_SOURCE
from folkeskolekvalitet.exams.catalogue import FLIS_SOURCE
from folkeskolekvalitet.interventions.inclusion import INCLUSION_SOURCE
from folkeskolekvalitet.national_tests.catalogue import OM_NT_SOURCE
from folkeskolekvalitet.national_tests.catalogue import SUBJECTS as NT_SUBJECTS
from folkeskolekvalitet.transitions.catalogue import (
    APPLICATIONS,
    OVERGANG_SOURCE,
    SOEGNING_SOURCE,
    STATUSES,
)
from folkeskolekvalitet.wellbeing.questions import INDICATORS as WELLBEING_INDICATORS
from folkeskolekvalitet.wellbeing.questions import UVM_SOURCE as WELLBEING_SOURCE

__all__ = [
    "BREAKDOWN_COLUMNS",
    "CATALOGUE",
    "LOCAL_PREFIX",
    "UNCERTAINTY_METHODS",
    "UNITS",
    "Breakdown",
    "Indicator",
    "indicator",
]

Unit = Literal["grade", "share", "score", "rate"]
UncertaintyMethod = Literal["wilson", "t", "delta", "none"]
BreakdownColumn = Literal["subject", "grade_level", "category"]

#: The units an indicator's value can have.
UNITS: tuple[str, ...] = ("grade", "share", "score", "rate")

#: The uncertainty methods, by key: what :func:`folkeskolekvalitet.indicators.table` computes.
UNCERTAINTY_METHODS: Mapping[str, str] = MappingProxyType(
    {
        "wilson": "share: Wilson score interval (Wilson 1927); se = sqrt(p(1-p)/n)",
        "t": "mean of pupil values: se = s/sqrt(n), Student t interval with n-1 df",
        "delta": "ratio estimator (weighted mean of pupil fractions): linearised"
        " (delta-method) standard error over pupils, normal interval",
        "none": "no sampling reading: a census (se, ci_low, ci_high are null)",
    }
)

#: The breakdown columns of the indicator table.
BREAKDOWN_COLUMNS: tuple[str, ...] = ("subject", "grade_level", "category")

#: The prefix of indicators outside the catalogue (a municipality's own indicators).
LOCAL_PREFIX = "local."


@attrs.frozen
class Breakdown:
    """One breakdown column an indicator uses.

    Attributes
    ----------
    column
        ``"subject"``, ``"grade_level"`` or ``"category"``.
    meaning
        What the column holds for this indicator.
    values
        The values it takes, when the list is fixed (empty otherwise).
    whole
        Whether the rows of one unit over this column make up a whole (a distribution:
        the shares add up to 1), which disclosure control must respect.
    """

    column: BreakdownColumn
    meaning: str
    values: tuple[str, ...] = ()
    whole: bool = False


@attrs.frozen
class Indicator:
    """A published indicator: one key of the indicator table.

    Attributes
    ----------
    key
        ``"<family>.<name>"``, e.g. ``"exams.grade_average"``.
    family
        The family package that computes it (``"exams"``, ``"wellbeing"``, …).
    label
        The Danish name as published.
    unit
        ``"grade"`` (7-point scale), ``"share"`` (a fraction in [0, 1]), ``"score"``
        (a 1-5 trivsel score) or ``"rate"`` (absence: a fraction of school days).
    decimals
        Published precision: decimals of the value as shown (grades and scores as
        they are; shares and rates as a percentage).
    higher_is_better
        ``True``, ``False``, or ``None`` when neither (a distribution).
    breakdowns
        The breakdown columns the indicator uses (:class:`Breakdown`).
    min_n
        The smallest group that may be published (5 unless a source says otherwise).
    uncertainty
        The method of its standard error and interval: a key of
        :data:`UNCERTAINTY_METHODS` (``"wilson"``, ``"t"``, ``"delta"``, ``"none"``).
    source
        Where the indicator is defined (URL).

    Examples
    --------
    >>> from folkeskolekvalitet.indicators import CATALOGUE
    >>> ind = CATALOGUE["exams.subject_average"]
    >>> ind.unit, ind.decimals, ind.breakdown_columns
    ('grade', 1, ('subject',))
    """

    key: str
    family: str
    label: str
    unit: Unit
    decimals: int
    higher_is_better: bool | None
    breakdowns: tuple[Breakdown, ...] = ()
    min_n: int = 5
    uncertainty: UncertaintyMethod = "wilson"
    source: str = ""

    @property
    def breakdown_columns(self) -> tuple[str, ...]:
        """The names of the breakdown columns the indicator uses."""
        return tuple(b.column for b in self.breakdowns)

    @property
    def is_distribution(self) -> bool:
        """Whether its categories make up a whole (the shares of a unit add up to 1)."""
        return any(b.whole for b in self.breakdowns)


_SUBJECT_EXAMS = Breakdown("subject", "the exam subject", ("dansk", "matematik"))
_NT = (
    Breakdown("subject", "the tested subject", tuple(s.key for s in NT_SUBJECTS)),
    Breakdown("grade_level", "the tested klassetrin (2-8)"),
)
_NT_SOURCE = OM_NT_SOURCE
_WB_INTERVALS = ("[1,2]", "(2,3]", "(3,4]", "(4,5]")


def _build() -> dict[str, Indicator]:
    rows: list[Indicator] = [
        Indicator(
            "exams.grade_average",
            "exams",
            "Karaktergennemsnit i bundne prøvefag",
            "grade",
            1,
            True,
            uncertainty="t",
            source=FLIS_SOURCE,
        ),
        Indicator(
            "exams.subject_average",
            "exams",
            "Karaktergennemsnit i dansk og matematik",
            "grade",
            1,
            True,
            (_SUBJECT_EXAMS,),
            uncertainty="t",
            source=FLIS_SOURCE,
        ),
        Indicator(
            "exams.share_passing_danish_and_math",
            "exams",
            "Andel elever med mindst 02 i både dansk og matematik",
            "share",
            0,
            True,
            source=FLIS_SOURCE,
        ),
        Indicator(
            "exams.share_took_all_bound_exams",
            "exams",
            "Andel elever, der har aflagt alle bundne prøver",
            "share",
            0,
            True,
            source=FLIS_SOURCE,
        ),
        Indicator(
            "national_tests.share_good",
            "national_tests",
            "Andel elever, der er gode til at læse og regne (mindst 'god')",
            "share",
            0,
            True,
            _NT,
            source=_NT_SOURCE,
        ),
        Indicator(
            "national_tests.share_best",
            "national_tests",
            "Andel af de allerdygtigste elever ('fremragende')",
            "share",
            0,
            True,
            _NT,
            source=_NT_SOURCE,
        ),
        Indicator(
            "national_tests.share_poor",
            "national_tests",
            "Andel elever med dårlige resultater ('ikke tilstrækkelig')",
            "share",
            0,
            False,
            _NT,
            source=_NT_SOURCE,
        ),
    ]
    rows += [
        Indicator(
            f"wellbeing.{ind.key}",
            "wellbeing",
            ind.label,
            "score",
            1,
            True,
            uncertainty="t",
            source=WELLBEING_SOURCE,
        )
        for ind in sorted(WELLBEING_INDICATORS, key=lambda i: i.key != "general")
    ]
    rows += [
        Indicator(
            "wellbeing.interval_share",
            "wellbeing",
            "Fordeling af elever på trivselsintervaller",
            "share",
            0,
            None,
            (
                Breakdown(
                    "category",
                    "'<indicator>:<interval>', e.g. 'social:(4,5]'; the four intervals of an"
                    " indicator make up a whole",
                    tuple(
                        f"{ind.key}:{iv}"
                        for ind in sorted(WELLBEING_INDICATORS, key=lambda i: i.key != "general")
                        for iv in _WB_INTERVALS
                    ),
                    whole=True,
                ),
            ),
            source=WELLBEING_SOURCE,
        ),
        Indicator(
            "wellbeing.question_top2",
            "wellbeing",
            "Andel svar i de to bedste svarkategorier",
            "share",
            0,
            True,
            (
                Breakdown(
                    "category",
                    "'<questionnaire>:<question key>', e.g. '4-9:glad_for_skolen' (the two"
                    " questionnaires share some question keys)",
                ),
            ),
            source=WELLBEING_SOURCE,
        ),
        Indicator(
            "wellbeing.response_rate",
            "wellbeing",
            "Svarprocent",
            "share",
            0,
            True,
            source=WELLBEING_SOURCE,
        ),
        Indicator(
            "competence.coverage",
            "competence",
            "Kompetencedækning",
            "share",
            1,
            True,
            (Breakdown("subject", "the subject; null = all subjects"),),
            uncertainty="none",
            source=KD_SOURCE,
        ),
    ]
    for key, label in (
        ("rate_total", "Elevfravær i alt"),
        ("rate_sick", "Sygefravær"),
        ("rate_authorised", "Lovligt fravær"),
        ("rate_unauthorised", "Ulovligt fravær"),
    ):
        rows.append(
            Indicator(
                f"absence.{key}",
                "absence",
                label,
                "rate",
                1,
                False,
                uncertainty="delta",
                source=ABSENCE_SOURCE,
            )
        )
    rows += [
        Indicator(
            "absence.share_above_10",
            "absence",
            "Andel elever med mere end 10 % fravær",
            "share",
            0,
            False,
            source=ABSENCE_SOURCE,
        ),
    ]
    for months in (3, 15):
        rows.append(
            Indicator(
                f"transitions.status_share_{months}m",
                "transitions",
                f"Status {months} måneder efter 9. klasse",
                "share",
                1,
                None,
                (
                    Breakdown(
                        "category",
                        "the status (gymnasial, erhvervsfaglig, …); the statuses make up a whole",
                        tuple(s.key for s in STATUSES),
                        whole=True,
                    ),
                ),
                source=OVERGANG_SOURCE,
            )
        )
    rows += [
        Indicator(
            "transitions.first_priority_share",
            "transitions",
            "Søgning til ungdomsuddannelserne (1. prioritet)",
            "share",
            1,
            None,
            (
                Breakdown(
                    "category",
                    "the application category (1. prioritet); the categories make up a whole",
                    tuple(a.key for a in APPLICATIONS),
                    whole=True,
                ),
            ),
            source=SOEGNING_SOURCE,
        ),
        Indicator(
            "interventions.inclusion_rate",
            "interventions",
            "Inklusionsgrad",
            "share",
            1,
            True,
            source=INCLUSION_SOURCE,
        ),
    ]
    rows += _warehouse_indicators()
    return {r.key: r for r in rows}


#: Source of the indicators only uddannelsesstatistik.dk publishes (no family computes them).
WAREHOUSE_SOURCE = "https://uddannelsesstatistik.dk"
_REFERENCE_SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/"
    "sociooekonomisk-reference-for-grundskolekarakterer"
)


def _warehouse_indicators() -> list[Indicator]:
    """Indicators the warehouse publishes that no family computes (read by ``io``)."""
    subject = Breakdown("subject", "the exam subject; null = the bound exams in all")
    rows: list[Indicator] = []
    for suffix, years in (("", "1 år"), ("_3y", "3 år")):
        rows += [
            Indicator(
                f"exams.socioeconomic_reference{suffix}",
                "exams",
                f"Socioøkonomisk reference for karaktergennemsnittet ({years})",
                "grade",
                1,
                None,
                (subject,),
                uncertainty="none",
                source=_REFERENCE_SOURCE,
            ),
            Indicator(
                f"exams.reference_difference{suffix}",
                "exams",
                f"Forskel mellem karaktergennemsnit og socioøkonomisk reference ({years})",
                "grade",
                1,
                True,
                (subject,),
                uncertainty="none",
                source=_REFERENCE_SOURCE,
            ),
        ]
    rows += [
        Indicator(
            "exams.obligatory_average",
            "exams",
            "Gennemsnit i obligatoriske 9.-klasseprøver",
            "grade",
            1,
            True,
            uncertainty="t",
            source=WAREHOUSE_SOURCE,
        ),
        Indicator(
            "exams.share_at_least_2_obligatory",
            "exams",
            "Andel elever med mindst 2 i obligatoriske 9.-klasseprøver",
            "share",
            0,
            True,
            source=WAREHOUSE_SOURCE,
        ),
        Indicator(
            "interventions.share_segregated",
            "interventions",
            "Andel elever, der modtager segregeret specialundervisning",
            "share",
            1,
            False,
            source=INCLUSION_SOURCE,
        ),
        Indicator(
            "transitions.youth_education_share",
            "transitions",
            "Overgang til ungdomsuddannelse fra 9. og 10. klasse (september året efter)",
            "share",
            1,
            True,
            source=WAREHOUSE_SOURCE,
        ),
    ]
    return rows


#: The published indicators by key.
CATALOGUE: Mapping[str, Indicator] = MappingProxyType(_build())

#: The keys of the indicators only uddannelsesstatistik.dk publishes (read by
#: :mod:`folkeskolekvalitet.io`): no family computes them from pupil data.
WAREHOUSE_ONLY: frozenset[str] = frozenset(i.key for i in _warehouse_indicators())


def indicator(key: str) -> Indicator:
    """Look up an indicator of the catalogue by key.

    Examples
    --------
    >>> from folkeskolekvalitet.indicators import indicator
    >>> indicator("absence.rate_sick").label
    'Sygefravær'
    >>> indicator("absence.rate")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown indicator 'absence.rate'; the catalogue has ... indicators, ..."
    """
    try:
        return CATALOGUE[key]
    except KeyError:
        msg = (
            f"unknown indicator {key!r}; the catalogue has {len(CATALOGUE)} indicators,"
            f" local ones start with {LOCAL_PREFIX!r}"
        )
        raise KeyError(msg) from None
