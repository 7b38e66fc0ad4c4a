"""The transitions family (overgang til ungdomsuddannelse).

Statuses after 9. klasse, first-priority applications, and goals on them.

See :doc:`/user_guide/transitions` for a guide and :doc:`/rules/transitions` for the
rules with their sources.
"""

from folkeskolekvalitet.transitions.catalogue import (
    APPLICATION_ENUM,
    APPLICATION_METHOD_ENUM,
    APPLICATIONS,
    BALLERUP_TENTH_GRADE_GOAL,
    HORIZONS,
    LOCAL_GOALS,
    METHOD_BREAK_YEAR,
    STATUS_ENUM,
    STATUSES,
    ApplicationCategory,
    Horizon,
    TransitionGoal,
    TransitionStatus,
    application_method,
    in_youth_education,
    status_date,
)
from folkeskolekvalitet.transitions.indicators import (
    application_shares,
    check_goal,
    status_shares,
    youth_education_share,
)

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
    "application_shares",
    "check_goal",
    "in_youth_education",
    "status_date",
    "status_shares",
    "youth_education_share",
]
