"""Goals as data: national and local goals, evaluated on the indicator table.

A :class:`Goal` names an indicator, a kind (a threshold, a dated schedule, a change from a
baseline year, a year-on-year direction, a comparison with a reference unit, a count) and
its target in the indicator's own terms. :func:`evaluate` gives a verdict per unit, goal and
school year with the evidence behind it; :data:`NATIONAL`, :data:`KALUNDBORG_2018` and
:data:`BALLERUP_2018` ship the goals of the seeds; :func:`read_goals` reads a municipality's
own goals from a TOML file.
"""

from folkeskolekvalitet._core.verdicts import VERDICT_ENUM, VERDICTS
from folkeskolekvalitet.goals.evaluate import OUTPUT_COLUMNS, REASON_ENUM, REASONS, evaluate
from folkeskolekvalitet.goals.files import (
    EXAMPLE_FILE,
    FIELDS,
    KIND_NAMES,
    VALUE_NAMES,
    read_goals,
)
from folkeskolekvalitet.goals.goal import KIND_ENUM, KINDS, REFERENCES, Goal, GoalError, GoalKind
from folkeskolekvalitet.goals.sets import (
    BALLERUP_2018,
    GOAL_SETS,
    KALUNDBORG_2018,
    NATIONAL,
    competence_schedule,
)

__all__ = [
    "BALLERUP_2018",
    "EXAMPLE_FILE",
    "FIELDS",
    "GOAL_SETS",
    "KALUNDBORG_2018",
    "KINDS",
    "KIND_ENUM",
    "KIND_NAMES",
    "NATIONAL",
    "OUTPUT_COLUMNS",
    "REASONS",
    "REASON_ENUM",
    "REFERENCES",
    "VALUE_NAMES",
    "VERDICTS",
    "VERDICT_ENUM",
    "Goal",
    "GoalError",
    "GoalKind",
    "competence_schedule",
    "evaluate",
    "read_goals",
]
