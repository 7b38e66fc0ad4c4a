"""The competence family: kompetencedækning, its domain types and its dated targets.

See :doc:`/user_guide/competence` for a guide and :doc:`/rules/competence` for
the rules with their sources.
"""

from folkeskolekvalitet.competence._input import LESSONS_CONTRACT, TOTALS_CONTRACT
from folkeskolekvalitet.competence.catalogue import (
    CLASS_TYPE_ENUM,
    CLASS_TYPES,
    COMPETENCE_ENUM,
    COMPETENCE_KINDS,
    INDSKOLING_GRADE_LEVELS,
    MAX_COMPETENCES,
    PUBLISHED_GRADE_LEVELS,
    SUBJECT_ENUM,
    SUBJECTS,
    ClassType,
    CompetenceKind,
    Subject,
)
from folkeskolekvalitet.competence.coverage import COVERAGE_COLUMNS, coverage
from folkeskolekvalitet.competence.targets import (
    COVERAGE_TARGETS,
    SCHEDULES,
    CoverageTarget,
    compare_to_target,
    coverage_target,
)

__all__ = [
    "CLASS_TYPES",
    "CLASS_TYPE_ENUM",
    "COMPETENCE_ENUM",
    "COMPETENCE_KINDS",
    "COVERAGE_COLUMNS",
    "COVERAGE_TARGETS",
    "INDSKOLING_GRADE_LEVELS",
    "LESSONS_CONTRACT",
    "MAX_COMPETENCES",
    "PUBLISHED_GRADE_LEVELS",
    "SCHEDULES",
    "SUBJECTS",
    "SUBJECT_ENUM",
    "TOTALS_CONTRACT",
    "ClassType",
    "CompetenceKind",
    "CoverageTarget",
    "Subject",
    "compare_to_target",
    "coverage",
    "coverage_target",
]
