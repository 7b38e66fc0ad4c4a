"""The indicator table: every family's numbers in one long, typed table, with uncertainty.

The layer above the families. :data:`CATALOGUE` lists the published indicators;
:data:`INDICATOR_SCHEMA` fixes the columns of the one long table that goals, disclosure
control, the readers and the report share; :func:`validate_table` checks such a table.
:func:`table` computes it from pupil-level data, :func:`change` compares school years and
:func:`compare` a unit with the level above it.
"""

from folkeskolekvalitet.indicators.catalogue import (
    BREAKDOWN_COLUMNS,
    CATALOGUE,
    LOCAL_PREFIX,
    UNCERTAINTY_METHODS,
    UNITS,
    Breakdown,
    Indicator,
    indicator,
)
from folkeskolekvalitet.indicators.change import (
    DIRECTION_ENUM,
    DIRECTIONS,
    POSITION_ENUM,
    POSITIONS,
    change,
    compare,
)
from folkeskolekvalitet.indicators.schema import (
    INDICATOR_SCHEMA,
    KEY_COLUMNS,
    STATUS_ENUM,
    STATUSES,
    UNIT_LEVEL_ENUM,
    UNIT_LEVELS,
    empty_table,
    validate_table,
)
from folkeskolekvalitet.indicators.table import COUNTRY_NOTE, table, uncertainty

__all__ = [
    "BREAKDOWN_COLUMNS",
    "CATALOGUE",
    "COUNTRY_NOTE",
    "DIRECTIONS",
    "DIRECTION_ENUM",
    "INDICATOR_SCHEMA",
    "KEY_COLUMNS",
    "LOCAL_PREFIX",
    "POSITIONS",
    "POSITION_ENUM",
    "STATUSES",
    "STATUS_ENUM",
    "UNCERTAINTY_METHODS",
    "UNITS",
    "UNIT_LEVELS",
    "UNIT_LEVEL_ENUM",
    "Breakdown",
    "Indicator",
    "change",
    "compare",
    "empty_table",
    "indicator",
    "table",
    "uncertainty",
    "validate_table",
]
