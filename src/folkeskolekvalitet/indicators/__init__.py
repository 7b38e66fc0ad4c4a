"""The indicator table: every family's numbers in one long, typed table, with uncertainty.

The layer above the families. :data:`CATALOGUE` lists the published indicators;
:data:`INDICATOR_SCHEMA` fixes the columns of the one long table that goals, disclosure
control, the readers and the report share; :func:`validate_table` checks such a table.
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
from folkeskolekvalitet.indicators.table import COUNTRY_NOTE, table

__all__ = [
    "BREAKDOWN_COLUMNS",
    "CATALOGUE",
    "COUNTRY_NOTE",
    "INDICATOR_SCHEMA",
    "KEY_COLUMNS",
    "LOCAL_PREFIX",
    "STATUSES",
    "STATUS_ENUM",
    "UNCERTAINTY_METHODS",
    "UNITS",
    "UNIT_LEVELS",
    "UNIT_LEVEL_ENUM",
    "Breakdown",
    "Indicator",
    "empty_table",
    "indicator",
    "table",
    "validate_table",
]
