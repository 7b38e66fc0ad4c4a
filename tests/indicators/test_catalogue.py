"""The catalogue of published indicators."""

from __future__ import annotations

import pytest

from folkeskolekvalitet import indicators as ind
from folkeskolekvalitet.indicators import CATALOGUE, UNCERTAINTY_METHODS, UNITS, indicator

REQUIRED = {
    "exams.grade_average": ("grade", ()),
    "exams.subject_average": ("grade", ("subject",)),
    "exams.share_passing_danish_and_math": ("share", ()),
    "exams.share_took_all_bound_exams": ("share", ()),
    "national_tests.share_good": ("share", ("subject", "grade_level")),
    "national_tests.share_best": ("share", ("subject", "grade_level")),
    "national_tests.share_poor": ("share", ("subject", "grade_level")),
    "wellbeing.general": ("score", ()),
    "wellbeing.social": ("score", ()),
    "wellbeing.academic": ("score", ()),
    "wellbeing.support_inspiration": ("score", ()),
    "wellbeing.calm_order": ("score", ()),
    "wellbeing.interval_share": ("share", ("category",)),
    "wellbeing.question_top2": ("share", ("category",)),
    "wellbeing.response_rate": ("share", ()),
    "competence.coverage": ("share", ("subject",)),
    "absence.rate_total": ("rate", ()),
    "absence.rate_sick": ("rate", ()),
    "absence.rate_authorised": ("rate", ()),
    "absence.rate_unauthorised": ("rate", ()),
    "absence.share_above_10": ("share", ()),
    "transitions.status_share_3m": ("share", ("category",)),
    "transitions.status_share_15m": ("share", ("category",)),
    "transitions.first_priority_share": ("share", ("category",)),
    "interventions.inclusion_rate": ("share", ()),
}


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_the_issue_s_indicators_with_unit_and_breakdowns(key: str) -> None:
    entry = CATALOGUE[key]
    unit, breakdowns = REQUIRED[key]
    assert entry.key == key
    assert entry.family == key.split(".", maxsplit=1)[0]
    assert entry.unit == unit
    assert entry.breakdown_columns == breakdowns
    assert entry.unit in UNITS
    assert entry.uncertainty in UNCERTAINTY_METHODS
    assert entry.min_n == 5
    assert entry.label
    assert entry.source


def test_distributions_make_up_a_whole() -> None:
    wholes = {k for k, v in CATALOGUE.items() if v.is_distribution}
    assert wholes == {
        "wellbeing.interval_share",
        "transitions.status_share_3m",
        "transitions.status_share_15m",
        "transitions.first_priority_share",
    }
    assert "general:(4,5]" in CATALOGUE["wellbeing.interval_share"].breakdowns[0].values


def test_methods() -> None:
    assert CATALOGUE["competence.coverage"].uncertainty == "none"
    assert CATALOGUE["absence.rate_sick"].uncertainty == "delta"
    assert CATALOGUE["wellbeing.general"].uncertainty == "t"
    assert CATALOGUE["exams.share_took_all_bound_exams"].uncertainty == "wilson"
    assert CATALOGUE["absence.rate_total"].higher_is_better is False
    assert CATALOGUE["transitions.status_share_3m"].higher_is_better is None


def test_lookup_and_unknown_key() -> None:
    assert indicator("wellbeing.general").label == "Generel skoletrivsel"
    with pytest.raises(KeyError, match="local"):
        indicator("exams.average")


def test_public_names() -> None:
    for name in ind.__all__:
        assert hasattr(ind, name)


def test_fixed_breakdown_values_are_what_the_table_holds() -> None:
    from folkeskolekvalitet.national_tests import SUBJECTS

    nt = CATALOGUE["national_tests.share_good"].breakdowns[0]
    assert nt.values == tuple(s.key for s in SUBJECTS)
    exams = CATALOGUE["exams.subject_average"].breakdowns[0]
    assert exams.values == ("dansk", "matematik")
