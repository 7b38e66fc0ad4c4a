"""The national test regimes, the tested subjects and the obligatory tests by school year.

Danish tests changed twice: the adaptive *nationale test* (obligatory 2009/10
to 2021/22), the linear *Folkeskolens Nationale Overgangstest* (2022/23 to
2025/26) and the linear *Folkeskolens Nationale Færdighedstest* (from
2026/27). The obligatory tests (subject × klassetrin) changed inside the first
regime in 2017/18. A year-on-year change is never computed across a regime
boundary (the ministry itself refuses the 2021/22 → 2022/23 comparison).

Sources
-------
- Nationale test, fag og klassetrin (2017/18 change):
  https://uvm.dk/folkeskolen/elevplaner-nationale-test-og-trivselsmaaling/nationale-test/fag-og-klassetrin
- Landsresultater 2016 (the ten obligatory tests 2010-2016/17):
  http://uvm.dk/Service/Statistik/~/UVM-DK/Content/News/Udd/Folke/2016/Okt/161027-Landsresultater-for-nationale-test-2016
- Folkeskolens nationale færdighedstest and overgangstest:
  https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/folkeskolens-nationale-faerdighedstest
- Overblik over de fremtidige test:
  https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/overblik-over-de-fremtidige-test
- Results 2019/20 (sample-only testing):
  https://www.uvm.dk/aktuelt/nyheder/uvm/2020/nov/201104-resultater-fra-de-nationale-test-i-skoleaaret-2019-2020
- Results 2020 and 2021 (late testing):
  https://www.stil.dk/aktuelt/uvm/2021/nov/211108-resultaterne-af-de-nationale-test-i-skoleaarer
- Overgangstest 2023/24 (earlier testing):
  https://www.uvm.dk/aktuelt/nyheder/uvm/2024/maj/240502-resultater-fra-folkeskolens-nationale-overgangstest-2023-24-er-nu-offentliggjort
"""

from __future__ import annotations

from typing import Literal, cast

import attrs
import polars as pl

from folkeskolekvalitet._core.breaks import BREAKS, breaks_for
from folkeskolekvalitet._core.errors import CatalogueError
from folkeskolekvalitet._core.schoolyear import (
    normalise_school_year,
    parse_school_year,
    previous_school_year,
)

__all__ = [
    "FLAGS",
    "FLAG_ENUM",
    "OBLIGATORY_TESTS",
    "REGIMES",
    "REGIME_ENUM",
    "SUBJECTS",
    "SUBJECT_ENUM",
    "ComparabilityFlag",
    "ObligatoryTest",
    "Regime",
    "Subject",
    "flags_for",
    "obligatory_tests",
    "regime_for",
    "subject",
]

FAG_SOURCE = (
    "https://uvm.dk/folkeskolen/elevplaner-nationale-test-og-trivselsmaaling/"
    "nationale-test/fag-og-klassetrin"
)
LANDSRESULTATER_2016_SOURCE = (
    "http://uvm.dk/Service/Statistik/~/UVM-DK/Content/News/Udd/Folke/2016/Okt/"
    "161027-Landsresultater-for-nationale-test-2016"
)
OVERGANG_SOURCE = (
    "https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/"
    "hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/"
    "folkeskolens-nationale-faerdighedstest"
)
FAERDIGHED_SOURCE = (
    "https://www.uvm.dk/aktuelt/i-fokus/evaluerings-og-bedoemmelsessystem/"
    "hovedelementer%20i%20aftalen/test-%20og%20evalueringsredskaber/"
    "overblik-over-de-fremtidige-test"
)
OM_NT_SOURCE = (
    "https://uvm.dk/folkeskolen/elevplaner-nationale-test-og-trivselsmaaling/"
    "nationale-test/om-nationale-test"
)

RegimeKey = Literal["nationale_test", "overgangstest", "faerdighedstest"]
ResultKind = Literal["level", "points"]
SubjectKey = Literal["dansk_laesning", "matematik", "engelsk", "fysik_kemi", "geografi", "biologi"]


@attrs.frozen
class Regime:
    """A national test regime: which test system was obligatory in a school year.

    Attributes
    ----------
    key
        Stable key: ``"nationale_test"``, ``"overgangstest"`` or ``"faerdighedstest"``.
    label
        Official Danish name.
    first_year, last_year
        The school years (inclusive) the regime was obligatory; ``last_year`` is
        ``None`` for the current, open-ended regime.
    adaptive
        Whether the test is adaptive (items depend on earlier answers) rather
        than linear (all pupils on a klassetrin get the same items).
    result
        The per-pupil result the regime delivers: ``"level"`` (criterion level
        of the kriteriebaserede skala, with a percentile 1-100) or ``"points"``
        (number of correct answers; the overgangstest also delivers a "god
        til" flag).
    source
        Where the catalogue entry comes from.
    """

    key: RegimeKey
    label: str
    first_year: str
    last_year: str | None
    adaptive: bool
    result: ResultKind
    source: str

    def covers(self, school_year: str) -> bool:
        """Whether the regime was obligatory in ``school_year``."""
        start = parse_school_year(school_year)
        if start < parse_school_year(self.first_year):
            return False
        return self.last_year is None or start <= parse_school_year(self.last_year)


# The regime boundaries are the register's series breaks (one register, no copy).
_OVERGANG = next(b for b in BREAKS if b.key == "national_tests_overgangstest")
_FAERDIGHED = next(b for b in BREAKS if b.key == "national_tests_faerdighedstest")

#: The three regimes, oldest first.
REGIMES: tuple[Regime, ...] = (
    Regime(
        "nationale_test",
        "De nationale test",
        "2009/10",
        previous_school_year(_OVERGANG.first_year),
        adaptive=True,
        result="level",
        source=OM_NT_SOURCE,
    ),
    Regime(
        "overgangstest",
        "Folkeskolens Nationale Overgangstest",
        _OVERGANG.first_year,
        previous_school_year(_FAERDIGHED.first_year),
        adaptive=False,
        result="points",
        source=OVERGANG_SOURCE,
    ),
    Regime(
        "faerdighedstest",
        "Folkeskolens Nationale Færdighedstest",
        _FAERDIGHED.first_year,
        None,
        adaptive=False,
        result="points",
        source=FAERDIGHED_SOURCE,
    ),
)

#: The regime keys as a Polars Enum, oldest first.
REGIME_ENUM = pl.Enum([r.key for r in REGIMES])


def regime_for(school_year: str) -> Regime:
    """Return the test regime that was obligatory in ``school_year``.

    Parameters
    ----------
    school_year
        A school year in any accepted spelling (``"2017/18"``, ``"2017-2018"``).

    Raises
    ------
    CatalogueError
        Before 2009/10: the nationale test became obligatory in spring 2010.

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import regime_for
    >>> regime_for("2021/22").key
    'nationale_test'
    >>> regime_for("2022-2023").label
    'Folkeskolens Nationale Overgangstest'
    >>> regime_for("2030/31").key
    'faerdighedstest'
    >>> regime_for("2008/09")
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.CatalogueError: no national test regime in 2008/09: ...
    """
    year = normalise_school_year(school_year)
    for regime in REGIMES:
        if regime.covers(year):
            return regime
    msg = (
        f"no national test regime in {year}: the nationale test became obligatory in"
        f" {REGIMES[0].first_year} (spring 2010)"
    )
    raise CatalogueError(msg)


@attrs.frozen
class Subject:
    """A tested subject (fag) of the national tests.

    Attributes
    ----------
    key
        Stable key, e.g. ``"dansk_laesning"``.
    label
        Official Danish name, e.g. "Dansk, læsning".
    criterion_levels
        Whether the adaptive nationale test reported the six criterion levels
        (kriteriebaseret skala) for this subject: only læsning and matematik.
    goal_subject
        Whether the national goals (resultatmål 1.1, 1.2 and 2.1) are followed
        in this subject: læsning and matematik.
    source
        Where the catalogue entry comes from.
    """

    key: SubjectKey
    label: str
    criterion_levels: bool
    goal_subject: bool
    source: str = FAG_SOURCE


#: The subjects that have (or had) an obligatory national test.
SUBJECTS: tuple[Subject, ...] = (
    Subject("dansk_laesning", "Dansk, læsning", criterion_levels=True, goal_subject=True),
    Subject("matematik", "Matematik", criterion_levels=True, goal_subject=True),
    Subject("engelsk", "Engelsk", criterion_levels=False, goal_subject=False),
    Subject("fysik_kemi", "Fysik/kemi", criterion_levels=False, goal_subject=False),
    Subject("geografi", "Geografi", criterion_levels=False, goal_subject=False),
    Subject("biologi", "Biologi", criterion_levels=False, goal_subject=False),
)

#: The subject keys as a Polars Enum.
SUBJECT_ENUM = pl.Enum([s.key for s in SUBJECTS])


def subject(key: str) -> Subject:
    """Look up a tested subject by key.

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import subject
    >>> subject("dansk_laesning").label
    'Dansk, læsning'
    """
    for s in SUBJECTS:
        if s.key == key:
            return s
    msg = f"unknown subject {key!r}; known: " + ", ".join(s.key for s in SUBJECTS)
    raise KeyError(msg)


@attrs.frozen
class ObligatoryTest:
    """An obligatory national test: one subject on one klassetrin, for a period.

    Attributes
    ----------
    regime
        The regime key.
    subject
        The subject key.
    grade_level
        The klassetrin (2-8).
    first_year, last_year
        The school years (inclusive) the test was obligatory; ``last_year`` is
        ``None`` when open-ended.
    label
        Danish name, e.g. "Dansk, læsning, 2. klasse".
    source
        Where the catalogue entry comes from.
    """

    regime: RegimeKey
    subject: SubjectKey
    grade_level: int
    first_year: str
    last_year: str | None
    label: str
    source: str

    def is_obligatory_in(self, school_year: str) -> bool:
        """Whether the test was obligatory in ``school_year``."""
        start = parse_school_year(school_year)
        if start < parse_school_year(self.first_year):
            return False
        return self.last_year is None or start <= parse_school_year(self.last_year)


def _tests(
    regime: RegimeKey,
    first: str,
    last: str | None,
    plan: dict[SubjectKey, tuple[int, ...]],
    source: str,
) -> tuple[ObligatoryTest, ...]:
    labels = {s.key: s.label for s in SUBJECTS}
    return tuple(
        ObligatoryTest(regime, subject, g, first, last, f"{labels[subject]}, {g}. klasse", source)
        for subject, grades in plan.items()
        for g in grades
    )


#: Every obligatory test of every period, oldest first; within a period by subject
#: and klassetrin.
OBLIGATORY_TESTS: tuple[ObligatoryTest, ...] = (
    *_tests(
        "nationale_test",
        "2009/10",
        "2016/17",
        {
            "dansk_laesning": (2, 4, 6, 8),
            "matematik": (3, 6),
            "engelsk": (7,),
            "geografi": (8,),
            "biologi": (8,),
            "fysik_kemi": (8,),
        },
        LANDSRESULTATER_2016_SOURCE,
    ),
    *_tests(
        "nationale_test",
        "2017/18",
        "2021/22",
        {
            "dansk_laesning": (2, 4, 6, 8),
            "matematik": (3, 6, 8),
            "engelsk": (4, 7),
            "fysik_kemi": (8,),
        },
        FAG_SOURCE,
    ),
    *_tests(
        "overgangstest",
        "2022/23",
        "2025/26",
        {"dansk_laesning": (2, 3, 4, 6, 8), "matematik": (2, 4, 6, 7, 8)},
        OVERGANG_SOURCE,
    ),
    *_tests(
        "faerdighedstest",
        "2026/27",
        None,
        {"dansk_laesning": (2, 3, 4, 6, 8), "matematik": (2, 4, 6, 7, 8)},
        FAERDIGHED_SOURCE,
    ),
)


def obligatory_tests(school_year: str) -> tuple[ObligatoryTest, ...]:
    """Return the obligatory national tests of ``school_year``.

    Raises
    ------
    CatalogueError
        Before 2009/10 (no regime).

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import obligatory_tests
    >>> [(t.subject, t.grade_level) for t in obligatory_tests("2016/17")][4:]
    [('matematik', 3), ('matematik', 6), ('engelsk', 7),
     ('geografi', 8), ('biologi', 8), ('fysik_kemi', 8)]
    >>> [(t.subject, t.grade_level) for t in obligatory_tests("2017/18")][4:]
    [('matematik', 3), ('matematik', 6), ('matematik', 8),
     ('engelsk', 4), ('engelsk', 7), ('fysik_kemi', 8)]
    >>> len(obligatory_tests("2023/24"))
    10
    """
    year = normalise_school_year(school_year)
    regime_for(year)
    return tuple(t for t in OBLIGATORY_TESTS if t.is_obligatory_in(year))


FlagKey = Literal["sample_only", "late_testing", "early_testing"]


@attrs.frozen
class ComparabilityFlag:
    """A known break in the national test series: results of these years compare badly.

    Attributes
    ----------
    key
        ``"sample_only"``, ``"late_testing"`` or ``"early_testing"``.
    label
        Danish description.
    first_year, last_year
        The school years (inclusive) the flag applies to.
    note
        What happened, in English.
    source
        Where the flag comes from.
    """

    key: FlagKey
    label: str
    first_year: str
    last_year: str
    note: str
    source: str

    def applies_to(self, school_year: str) -> bool:
        """Whether the flag applies to ``school_year``."""
        start = parse_school_year(school_year)
        return parse_school_year(self.first_year) <= start <= parse_school_year(self.last_year)


#: The comparability flags of the national test series.
FLAGS: tuple[ComparabilityFlag, ...] = tuple(
    ComparabilityFlag(
        cast("FlagKey", b.key.removeprefix("national_tests_")),
        b.reason_da,
        b.first_year,
        b.last_year or b.first_year,
        b.reason,
        b.source,
    )
    for b in breaks_for("national_tests.")
    if b.is_episode
)

#: The flag keys as a Polars Enum.
FLAG_ENUM = pl.Enum([f.key for f in FLAGS])


def flags_for(school_year: str) -> tuple[ComparabilityFlag, ...]:
    """Return the comparability flags of ``school_year`` (empty for an ordinary year).

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import flags_for
    >>> [f.key for f in flags_for("2019/20")]
    ['sample_only', 'late_testing']
    >>> [f.key for f in flags_for("2023/24")]
    ['early_testing']
    >>> flags_for("2017/18")
    ()
    """
    year = normalise_school_year(school_year)
    return tuple(f for f in FLAGS if f.applies_to(year))
