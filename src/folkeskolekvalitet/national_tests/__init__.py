"""The national tests family: three regimes, goal shares and what may be published.

The adaptive *nationale test* (to 2021/22), the linear *overgangstest*
(2022/23-2025/26) and the linear *færdighedstest* (from 2026/27); the
obligatory tests of each period; the criterion levels; the shares behind the
national goals; the goal status; and the publication-safe view that
folkeskoleloven § 55 b requires.

See :doc:`/user_guide/national_tests` for a guide and
:doc:`/rules/national_tests` for the rules with their sources.
"""

from folkeskolekvalitet.national_tests.catalogue import (
    FLAG_ENUM,
    FLAGS,
    OBLIGATORY_TESTS,
    REGIME_ENUM,
    REGIMES,
    SUBJECT_ENUM,
    SUBJECTS,
    ComparabilityFlag,
    ObligatoryTest,
    Regime,
    Subject,
    flags_for,
    obligatory_tests,
    regime_for,
    subject,
)
from folkeskolekvalitet.national_tests.indicators import (
    good_share,
    level_distribution,
    level_shares,
)
from folkeskolekvalitet.national_tests.levels import (
    CRITERION_FIRST_YEAR,
    LEVEL_ENUM,
    LEVELS,
    Level,
    level,
    parse_level,
)
from folkeskolekvalitet.national_tests.status import (
    DIRECTION_ENUM,
    DIRECTIONS,
    GOAL_ENUM,
    GOALS,
    REASON_ENUM,
    REASONS,
    UNIT_COLUMNS,
    Goal,
    goal_status,
    publication_view,
)

__all__ = [
    "CRITERION_FIRST_YEAR",
    "DIRECTIONS",
    "DIRECTION_ENUM",
    "FLAGS",
    "FLAG_ENUM",
    "GOALS",
    "GOAL_ENUM",
    "LEVELS",
    "LEVEL_ENUM",
    "OBLIGATORY_TESTS",
    "REASONS",
    "REASON_ENUM",
    "REGIMES",
    "REGIME_ENUM",
    "SUBJECTS",
    "SUBJECT_ENUM",
    "UNIT_COLUMNS",
    "ComparabilityFlag",
    "Goal",
    "Level",
    "ObligatoryTest",
    "Regime",
    "Subject",
    "flags_for",
    "goal_status",
    "good_share",
    "level",
    "level_distribution",
    "level_shares",
    "obligatory_tests",
    "parse_level",
    "publication_view",
    "regime_for",
    "subject",
]
