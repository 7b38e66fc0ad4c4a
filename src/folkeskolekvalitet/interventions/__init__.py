"""The interventions family: mellemformer A-E, resources, survey parsing and inklusionsgrad.

See :doc:`/user_guide/interventions` for a guide and :doc:`/rules/interventions`
for the rules with their sources.
"""

from folkeskolekvalitet.interventions.inclusion import (
    SCHOOL_TYPE_ENUM,
    SCHOOL_TYPES,
    SchoolType,
    inclusion_rate,
)
from folkeskolekvalitet.interventions.resources import (
    NUMBER_WORDS,
    UNIT_ENUM,
    UNITS,
    Resource,
    Unit,
    parse_resources,
)
from folkeskolekvalitet.interventions.survey import (
    Intervention,
    ParsedSurvey,
    SurveyIssue,
    example_survey,
    parse_survey,
)
from folkeskolekvalitet.interventions.tables import (
    INTERVENTION_SCHEMA,
    RESOURCE_STRUCT,
    practice_table,
    resource_rows,
    resource_table,
    status_table,
    to_frame,
)
from folkeskolekvalitet.interventions.taxonomy import (
    ANCHORING_ENUM,
    ANCHORINGS,
    PRACTICE_ENUM,
    PRACTICES,
    STATUS_ENUM,
    STATUSES,
    TIER_ENUM,
    TIERS,
    Anchoring,
    InterventionStatus,
    Practice,
    Tier,
    parse_anchoring,
    parse_status,
    parse_tiers,
    practice,
)

__all__ = [
    "ANCHORINGS",
    "ANCHORING_ENUM",
    "INTERVENTION_SCHEMA",
    "NUMBER_WORDS",
    "PRACTICES",
    "PRACTICE_ENUM",
    "RESOURCE_STRUCT",
    "SCHOOL_TYPES",
    "SCHOOL_TYPE_ENUM",
    "STATUSES",
    "STATUS_ENUM",
    "TIERS",
    "TIER_ENUM",
    "UNITS",
    "UNIT_ENUM",
    "Anchoring",
    "Intervention",
    "InterventionStatus",
    "ParsedSurvey",
    "Practice",
    "Resource",
    "SchoolType",
    "SurveyIssue",
    "Tier",
    "Unit",
    "example_survey",
    "inclusion_rate",
    "parse_anchoring",
    "parse_resources",
    "parse_status",
    "parse_survey",
    "parse_tiers",
    "practice",
    "practice_table",
    "resource_rows",
    "resource_table",
    "status_table",
    "to_frame",
]
