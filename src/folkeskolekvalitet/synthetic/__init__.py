"""Realistic synthetic data for demos, docs, tests and benchmarks.

:func:`country` draws a whole synthetic Denmark whose families fit together
(the same pupils, schools and latent picture behind every frame); the
per-family generators draw one family for one municipality.

The generators are seeded and vectorised, so a whole country over ten years
takes seconds. The data are synthetic: no real pupil is in them. They are
realistic in the ways the rules care about (distributions near the national
ones, differences between schools, missing values, exception codes).

The exact values drawn for a seed may change between Polars versions (the
random numbers come from Polars' hash function); shapes, rates and
distributions do not.
"""

from folkeskolekvalitet.synthetic._random import normal, uniform
from folkeskolekvalitet.synthetic.absence import absence_records
from folkeskolekvalitet.synthetic.competence import competence_lessons
from folkeskolekvalitet.synthetic.denmark import (
    FAMILIES,
    NATIONAL_TARGETS,
    Country,
    country,
    write_country,
)
from folkeskolekvalitet.synthetic.exams import exam_grades
from folkeskolekvalitet.synthetic.national_tests import national_test_results
from folkeskolekvalitet.synthetic.transitions import transition_statuses
from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers

__all__ = [
    "FAMILIES",
    "NATIONAL_TARGETS",
    "Country",
    "absence_records",
    "competence_lessons",
    "country",
    "exam_grades",
    "national_test_results",
    "normal",
    "transition_statuses",
    "uniform",
    "wellbeing_answers",
    "write_country",
]
