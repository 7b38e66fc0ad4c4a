"""Goal sets shipped as data: the national goals and the goals of the seed municipalities.

Each set is a tuple of :class:`~folkeskolekvalitet.goals.Goal`, with the Danish wording of
its source and the source itself.
"""

from __future__ import annotations

from folkeskolekvalitet.absence.catalogue import KALUNDBORG_SOURCE as _KALUNDBORG_ABSENCE
from folkeskolekvalitet.competence.targets import COVERAGE_TARGETS, Schedule
from folkeskolekvalitet.goals.goal import Goal
from folkeskolekvalitet.transitions.catalogue import BALLERUP_TENTH_GRADE_GOAL

__all__ = [
    "BALLERUP_2018",
    "GOAL_SETS",
    "KALUNDBORG_2018",
    "NATIONAL",
    "competence_schedule",
]

NATIONAL_GOALS_SOURCE = (
    "https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/"
    "om-nationale-maal"
)
KALUNDBORG_SOURCE = (
    "Kalundborg Kommune, 'Forbedring af resultater i folkeskolen' (plan, Børn- og"
    " Familieudvalget 2018), Mål og delmål"
)
BALLERUP_SOURCE = "Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, §§ 8.2-8.4"

#: The baseline year the library reads Kalundborg's 2018 plan against: the plan was adopted
#: in the spring of 2018 and names no year, so the last school year with data then, 2017/18.
KALUNDBORG_BASELINE = "2017/18"
#: Kalundborg's deadline for the results goals: "ved udgangen af skoleåret 2020/21".
KALUNDBORG_DEADLINE = "2020/21"


def competence_schedule(schedule: Schedule = "revised") -> dict[str, float]:
    """The kompetencedækning targets of ``schedule`` as ``{first school year: share}``.

    Read from :data:`folkeskolekvalitet.competence.COVERAGE_TARGETS` (a milestone starts
    where the share changes).

    Examples
    --------
    >>> from folkeskolekvalitet.goals import competence_schedule
    >>> competence_schedule("original")
    {'2016/17': 0.85, '2018/19': 0.9, '2020/21': 0.95}
    >>> competence_schedule("revised")
    {'2016/17': 0.85, '2020/21': 0.9, '2025/26': 0.95}
    """
    out: dict[str, float] = {}
    for entry in COVERAGE_TARGETS:
        if entry.schedule == schedule and (not out or list(out.values())[-1] != entry.share):
            out[entry.first_year] = entry.share
    return out


def _competence(schedule: Schedule, levels: tuple[str, ...], source: str) -> Goal:
    years = {"revised": "2016, 2020/21 og 2025/26", "original": "2016, 2018 og 2020"}[schedule]
    return Goal(
        f"competence_coverage_{schedule}",
        f"Kompetencedækning: 85 %, 90 % og 95 % i {years}",
        "competence.coverage",
        "at_least",
        targets_by_year=competence_schedule(schedule),
        levels=levels,
        source=source,
    )


#: The national goals: the national test goals of the 2014 reform (resultatmål 1.1, 1.2,
#: 2.1, per subject and klassetrin), the rise in well-being (resultatmål 3) and the
#: kompetencedækning targets on both schedules (measured at municipality level).
NATIONAL: tuple[Goal, ...] = (
    Goal(
        "nt_good_80",
        "Mindst 80 % af eleverne skal være gode til at læse og regne i de nationale test",
        "national_tests.share_good",
        "at_least",
        target=0.80,
        source=NATIONAL_GOALS_SOURCE,
    ),
    Goal(
        "nt_best_rise",
        "Andelen af de allerdygtigste elever i dansk og matematik skal stige år for år",
        "national_tests.share_best",
        "rise",
        source=NATIONAL_GOALS_SOURCE,
    ),
    Goal(
        "nt_poor_fall",
        "Andelen af elever med dårlige resultater i de nationale test for læsning og"
        " matematik skal reduceres år for år",
        "national_tests.share_poor",
        "fall",
        source=NATIONAL_GOALS_SOURCE,
    ),
    Goal(
        "wellbeing_rise",
        "Elevernes trivsel skal øges",
        "wellbeing.general",
        "rise",
        source=NATIONAL_GOALS_SOURCE,
    ),
    _competence(
        "revised",
        ("municipality", "country"),
        "https://www.uvm.dk/statistik/grundskolen/personale-og-skoler/kompetencedaekning-i-folkeskolen",
    ),
    _competence(
        "original",
        ("municipality", "country"),
        "https://www.uvm.dk/aktuelt/nyheder/uvm/2018/juni/180611-kompetencedaekning-i-folkeskolen-er-steget",
    ),
)

#: Kalundborg's 2018 plan: absence at the national average by the end of 2019/20; +10
#: percentage points in the national tests' good share and in the share with at least 02 in
#: dansk and matematik, +10 % on the grade average in dansk and matematik, by the end of
#: 2020/21 (from :data:`KALUNDBORG_BASELINE`); three business agreements per school.
KALUNDBORG_2018: tuple[Goal, ...] = (
    Goal(
        "absence_national_average",
        "Ved udgangen af skoleåret 2019/20 er det samlede elevfravær i Kalundborg Kommunes"
        " skoler på landsgennemsnittet",
        "absence.rate_total",
        "at_most_reference",
        reference="country",
        deadline="2019/20",
        levels=("school", "municipality"),
        source=_KALUNDBORG_ABSENCE,
    ),
    Goal(
        "nt_good_plus_10pp",
        "Andelen af elever med gode resultater i de nationale test i dansk og matematik skal"
        " stige med minimum 10 procentpoint ved udgangen af skoleåret 2020/21",
        "national_tests.share_good",
        "change_pp",
        target=0.10,
        baseline_year=KALUNDBORG_BASELINE,
        deadline=KALUNDBORG_DEADLINE,
        levels=("school", "municipality"),
        source=KALUNDBORG_SOURCE,
    ),
    Goal(
        "passing_plus_10pp",
        "Andelen af elever, der får mindst 02 i dansk og matematik ved afgangsprøven i 9."
        " klasse, skal stige med minimum 10 procentpoint ved udgangen af skoleåret 2020/21",
        "exams.share_passing_danish_and_math",
        "change_pp",
        target=0.10,
        baseline_year=KALUNDBORG_BASELINE,
        deadline=KALUNDBORG_DEADLINE,
        levels=("school", "municipality"),
        source=KALUNDBORG_SOURCE,
    ),
    Goal(
        "grade_average_plus_10pct",
        "Karaktergennemsnittet i dansk og matematik ved afgangsprøven i 9. klasse skal stige"
        " med minimum 10 % ved udgangen af skoleåret 2020/21",
        "exams.subject_average",
        "change_relative",
        target=0.10,
        baseline_year=KALUNDBORG_BASELINE,
        deadline=KALUNDBORG_DEADLINE,
        levels=("school", "municipality"),
        source=KALUNDBORG_SOURCE,
    ),
    Goal(
        "business_agreements",
        "Hver skole indgår 3 konkrete aftaler med fokus på lokale virksomheder og relevante"
        " uddannelser",
        "local.business_agreements",
        "count",
        target=3,
        levels=("school",),
        source=KALUNDBORG_SOURCE,
    ),
)

#: Ballerup's goals in the 2018 quality report: at most 35 % of a cohort to 10. klasse
#: (first-priority applications), and the school measured against the kompetencedækning
#: milestones the report quotes (85 % in 2016, 90 % in 2018, 95 % in 2020). The report's
#: national test goals are those of :data:`NATIONAL`.
BALLERUP_2018: tuple[Goal, ...] = (
    Goal(
        "tenth_grade_at_most_35",
        BALLERUP_TENTH_GRADE_GOAL.label,
        "transitions.first_priority_share",
        "at_most",
        target=BALLERUP_TENTH_GRADE_GOAL.max_share,
        category=BALLERUP_TENTH_GRADE_GOAL.category,
        source=BALLERUP_TENTH_GRADE_GOAL.source,
    ),
    _competence("original", ("school", "municipality"), BALLERUP_SOURCE),
)

#: The shipped goal sets by name.
GOAL_SETS: dict[str, tuple[Goal, ...]] = {
    "national": NATIONAL,
    "kalundborg_2018": KALUNDBORG_2018,
    "ballerup_2018": BALLERUP_2018,
}
