"""The absence family (elevfravær): kinds of absence, rates, shares and quarterly rules.

See :doc:`/user_guide/absence` for a guide and :doc:`/rules/absence` for the rules
with their sources.
"""

from folkeskolekvalitet.absence.catalogue import (
    ABSENCE_KIND_ENUM,
    ABSENCE_KINDS,
    KALUNDBORG_PLAN,
    LOCAL_RULES,
    NATIONAL_LEVELS,
    NOTIFY_MUNICIPALITY,
    QUARTERS,
    STATUTORY_RULES,
    WARN_PARENTS,
    AbsenceKind,
    AbsenceRule,
    NationalLevel,
    Quarter,
    comparability_note,
    national_level,
)
from folkeskolekvalitet.absence.indicators import (
    absence_rates,
    pupil_absence,
    quarterly_flags,
    share_above,
)

__all__ = [
    "ABSENCE_KINDS",
    "ABSENCE_KIND_ENUM",
    "KALUNDBORG_PLAN",
    "LOCAL_RULES",
    "NATIONAL_LEVELS",
    "NOTIFY_MUNICIPALITY",
    "QUARTERS",
    "STATUTORY_RULES",
    "WARN_PARENTS",
    "AbsenceKind",
    "AbsenceRule",
    "NationalLevel",
    "Quarter",
    "absence_rates",
    "comparability_note",
    "national_level",
    "pupil_absence",
    "quarterly_flags",
    "share_above",
]
