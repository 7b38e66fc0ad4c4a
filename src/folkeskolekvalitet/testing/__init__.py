"""Public Hypothesis strategies for every input frame of the library.

Downstream users can test their own code on the same kinds of data the library
is tested on. Requires Hypothesis (``pip install folkeskolekvalitet[testing]``).
The strategies wrap :func:`polars.testing.parametric.dataframes` with explicit
dtypes, no NaN and realistic sizes; the ``broken_*`` strategies draw a valid
frame with one kind of breakage, which the rules must report as a
:class:`~folkeskolekvalitet.DataError`.
"""

from folkeskolekvalitet.testing.absence import absence_frames, broken_absence_frames
from folkeskolekvalitet.testing.competence import (
    broken_lesson_frames,
    lesson_frames,
    lesson_total_frames,
)
from folkeskolekvalitet.testing.exams import broken_exam_grade_frames, exam_grade_frames
from folkeskolekvalitet.testing.indicators import indicator_tables
from folkeskolekvalitet.testing.interventions import (
    intervention_frames,
    pupil_frames,
    resource_texts,
    survey_exports,
    texts_without_numbers,
)
from folkeskolekvalitet.testing.national_tests import (
    broken_national_test_frames,
    national_test_frames,
    national_test_share_frames,
)
from folkeskolekvalitet.testing.transitions import broken_transition_frames, transition_frames
from folkeskolekvalitet.testing.wellbeing import (
    broken_wellbeing_answer_frames,
    wellbeing_answer_frames,
)

__all__ = [
    "absence_frames",
    "broken_absence_frames",
    "broken_exam_grade_frames",
    "broken_lesson_frames",
    "broken_national_test_frames",
    "broken_transition_frames",
    "broken_wellbeing_answer_frames",
    "exam_grade_frames",
    "indicator_tables",
    "intervention_frames",
    "lesson_frames",
    "lesson_total_frames",
    "national_test_frames",
    "national_test_share_frames",
    "pupil_frames",
    "resource_texts",
    "survey_exports",
    "texts_without_numbers",
    "transition_frames",
    "wellbeing_answer_frames",
]
