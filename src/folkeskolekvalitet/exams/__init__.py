"""The exams family: grade scales, bound exams by school year, and grade indicators.

See :doc:`/user_guide/exams` for a guide and :doc:`/rules/exams` for the rules
with their sources.
"""

from folkeskolekvalitet.exams.catalogue import (
    BOUND_EXAMS,
    EXAM_ENUM,
    FIRST_CONFIRMED_YEAR,
    LAST_CONFIRMED_YEAR,
    SUBJECT_ENUM,
    BoundExam,
    bound_exams,
    comparability_note,
)
from folkeskolekvalitet.exams.grades import (
    EXCEPTION_CODE_ENUM,
    EXCEPTION_CODES,
    GRADE_13_ENUM,
    GRADE_ENUM,
    GRADES,
    GRADES_13,
    ExceptionCode,
    Grade,
    Grade13,
    convert_13_to_7,
    grade,
    grade_points,
    parse_grade,
)
from folkeskolekvalitet.exams.indicators import (
    grade_average,
    pupil_averages,
    share_passing_danish_and_math,
    share_took_all_bound_exams,
    subject_averages,
)
from folkeskolekvalitet.exams.reference import (
    SIGNIFICANCE,
    SIGNIFICANCE_ENUM,
    Significance,
    compare_to_reference,
)

__all__ = [
    "BOUND_EXAMS",
    "EXAM_ENUM",
    "EXCEPTION_CODES",
    "EXCEPTION_CODE_ENUM",
    "FIRST_CONFIRMED_YEAR",
    "GRADES",
    "GRADES_13",
    "GRADE_13_ENUM",
    "GRADE_ENUM",
    "LAST_CONFIRMED_YEAR",
    "SIGNIFICANCE",
    "SIGNIFICANCE_ENUM",
    "SUBJECT_ENUM",
    "BoundExam",
    "ExceptionCode",
    "Grade",
    "Grade13",
    "Significance",
    "bound_exams",
    "comparability_note",
    "compare_to_reference",
    "convert_13_to_7",
    "grade",
    "grade_average",
    "grade_points",
    "parse_grade",
    "pupil_averages",
    "share_passing_danish_and_math",
    "share_took_all_bound_exams",
    "subject_averages",
]
