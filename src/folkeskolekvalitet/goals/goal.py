"""A goal as data: :class:`Goal`, its kinds and its checks.

A goal names an indicator of the indicator table (a catalogue key or a ``local.`` key, with
an optional breakdown), a kind, and a target in the indicator's own terms (a share of 80 %
is ``0.8``; a change of 10 percentage points is ``0.10``; a relative change of 10 % is
``0.10``). Source: ``RULES.md`` §8 and the seeds (Ballerup 2018, Kalundborg 2018, the
2025 school development talks).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.indicators import CATALOGUE, LOCAL_PREFIX, UNIT_LEVELS

__all__ = ["KINDS", "KIND_ENUM", "REFERENCES", "Goal", "GoalKind"]

GoalKind = Literal[
    "at_least",
    "at_most",
    "change_pp",
    "change_relative",
    "rise",
    "fall",
    "at_least_reference",
    "at_most_reference",
    "count",
]

#: The kinds of goal, with what each means.
KINDS: Mapping[str, str] = {
    "at_least": "the value is at least the target (a threshold, or a dated schedule)",
    "at_most": "the value is at most the target (a threshold, or a dated schedule)",
    "change_pp": "the value changed by at least `target` (a fraction: 0.10 = 10 percentage"
    " points) from the baseline year; a negative target asks for a fall",
    "change_relative": "the value changed by at least `target` relative to the baseline year"
    " (0.10 = +10 %); a negative target asks for a fall",
    "rise": "the value rose against the same unit's previous school year",
    "fall": "the value fell against the same unit's previous school year",
    "at_least_reference": "the value is at least the reference unit's value the same year"
    " (plus `target`, default 0)",
    "at_most_reference": "the value is at most the reference unit's value the same year"
    " (plus `target`, default 0)",
    "count": "a count of items (e.g. agreements) from a `local.` indicator is at least `target`",
}
#: The kinds as a Polars Enum.
KIND_ENUM = pl.Enum(list(KINDS))

#: The reference units of the reference kinds.
REFERENCES: tuple[str, ...] = ("municipality", "country")

_CHANGE = ("change_pp", "change_relative")
_THRESHOLD = ("at_least", "at_most")
_DIRECTION = ("rise", "fall")
_REFERENCE = ("at_least_reference", "at_most_reference")


class GoalError(ValueError):
    """A goal that breaks its rules; ``problems`` lists every one (plain sentences)."""

    def __init__(self, key: str, problems: Iterable[str]) -> None:
        self.key = key
        self.problems = tuple(problems)
        super().__init__(f"goal {key!r}: " + "; ".join(self.problems))


def _year(value: object) -> object:
    """A school year in canonical form; anything that does not parse is kept for the check."""
    if value is None:
        return None
    try:
        return normalise_school_year(str(value))
    except ValueError:
        return value


def _schedule(value: object) -> object:
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if isinstance(value, (tuple, list)):
        try:
            pairs = [(_year(y), t) for y, t in value]
        except (TypeError, ValueError):
            return tuple(value)
        return tuple(sorted(pairs, key=lambda p: str(p[0])))
    return value


def _levels(value: object) -> object:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return value


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


@attrs.frozen
class Goal:
    """A goal on one indicator: what, of which kind, how much, by when, for which units.

    Attributes
    ----------
    key
        A short identifier, unique in a goal set (``"nt_good_80"``).
    label
        The goal in Danish, as the plan writes it.
    indicator
        A key of :data:`~folkeskolekvalitet.indicators.CATALOGUE` or a ``local.`` key.
    kind
        One of :data:`KINDS`: ``at_least``, ``at_most``, ``change_pp``, ``change_relative``,
        ``rise``, ``fall``, ``at_least_reference``, ``at_most_reference``, ``count``.
    target
        In the indicator's own terms: a share of 80 % is ``0.8``, a change of 10 percentage
        points ``0.10``, a relative change of 10 % ``0.10``, a count ``3``. For the reference
        kinds an offset from the reference value (default 0). ``None`` for ``rise`` and
        ``fall`` and for a dated schedule.
    subject, grade_level, category
        Restrict the goal to one breakdown of the indicator; ``None`` evaluates every value
        of that breakdown separately (each subject, each klassetrin).
    baseline_year
        The school year a change is measured from (required by the change kinds). With a
        threshold and a deadline, the year the straight trajectory to the target starts.
    deadline
        The school year by which the target is to be reached. Before it, the target of a
        year is the point on the straight trajectory from the baseline to the target.
    targets_by_year
        A dated schedule for ``at_least``/``at_most``: ``{"2016/17": 0.85, "2020/21": 0.90}``;
        a year takes the latest entry at or before it (no target before the first entry).
        Stored as sorted ``(school_year, target)`` pairs.
    reference
        ``"municipality"`` (a school against its municipality) or ``"country"`` (against
        the country), for the reference kinds.
    require_significant
        The change (or the difference from the reference) must also be statistically
        significant; for the change, direction and reference kinds only.
    levels
        The unit levels the goal applies to (``"school"``, ``"municipality"``, ``"country"``).
    source
        Where the goal is set (plan, law, page).

    Raises
    ------
    ValueError
        A :class:`GoalError` listing every problem of the goal (an unknown indicator, a share
        target outside 0-1, a baseline year after the deadline, ...).

    Examples
    --------
    >>> from folkeskolekvalitet.goals import Goal
    >>> g = Goal(
    ...     "passing_plus_10pp",
    ...     "Andelen med mindst 02 i dansk og matematik skal stige med 10 procentpoint",
    ...     "exams.share_passing_danish_and_math",
    ...     "change_pp",
    ...     target=0.10,
    ...     baseline_year="2017/18",
    ...     deadline="2020-21",
    ... )
    >>> g.deadline, g.side
    ('2020/21', 'at_least')
    >>> Goal("x", "x", "exams.share_passing_danish_and_math", "at_least", target=80)
    Traceback (most recent call last):
    ...
    folkeskolekvalitet.goals.goal.GoalError: goal 'x': target 80 of a share must lie in [0, 1] ...
    """

    key: str
    label: str
    indicator: str
    kind: GoalKind
    target: float | None = None
    subject: str | None = None
    grade_level: int | None = None
    category: str | None = None
    baseline_year: str | None = attrs.field(default=None, converter=_year)
    deadline: str | None = attrs.field(default=None, converter=_year)
    targets_by_year: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_schedule)
    reference: str | None = None
    require_significant: bool = False
    levels: tuple[str, ...] = attrs.field(default=UNIT_LEVELS, converter=_levels)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        problems = goal_problems(self)
        if problems:
            raise GoalError(str(self.key), problems)

    @property
    def side(self) -> Literal["at_least", "at_most"]:
        """Which side of the target meets the goal: ``"at_least"`` or ``"at_most"``."""
        if self.kind in ("at_most", "at_most_reference", "fall"):
            return "at_most"
        if self.kind in _CHANGE and self.target is not None and self.target < 0:
            return "at_most"
        return "at_least"

    @property
    def is_change(self) -> bool:
        """Whether the goal is a change from a baseline year."""
        return self.kind in _CHANGE

    @property
    def schedule(self) -> dict[str, float]:
        """The dated schedule as a dict (empty for a single target)."""
        return dict(self.targets_by_year)


def _is_share(indicator: str) -> bool:
    ind = CATALOGUE.get(indicator)
    return ind is not None and ind.unit in ("share", "rate")


def _check_year(name: str, value: object, problems: list[str]) -> int | None:
    if value is None:
        return None
    try:
        return parse_school_year(str(value))
    except ValueError:
        problems.append(f"{name} {value!r} is not a school year ('2017/18')")
        return None


def _check_indicator(goal: Goal, problems: list[str]) -> None:
    ind = goal.indicator
    if not isinstance(ind, str) or not (
        ind in CATALOGUE or (ind.startswith(LOCAL_PREFIX) and len(ind) > len(LOCAL_PREFIX))
    ):
        problems.append(
            f"unknown indicator {ind!r}: use a catalogue key or a key starting with"
            f" {LOCAL_PREFIX!r}"
        )
        return
    if goal.kind == "count" and ind in CATALOGUE:
        problems.append(f"a count goal reads a {LOCAL_PREFIX!r} indicator, not {ind!r}")
    entry = CATALOGUE.get(ind)
    for column in ("subject", "grade_level", "category"):
        given = getattr(goal, column)
        if given is None:
            continue
        if entry is not None and column not in entry.breakdown_columns:
            problems.append(f"{ind!r} has no {column} breakdown (got {given!r})")
        elif column == "grade_level" and (not isinstance(given, int) or isinstance(given, bool)):
            problems.append(f"grade_level must be a whole number, not {given!r}")
        elif column != "grade_level" and not isinstance(given, str):
            problems.append(f"{column} must be text, not {given!r}")


def _check_target(goal: Goal, problems: list[str]) -> None:  # noqa: PLR0912
    kind, target, share = goal.kind, goal.target, _is_share(goal.indicator)
    schedule = goal.targets_by_year
    if target is not None and not _is_number(target):
        problems.append(f"target must be a number, not {target!r}")
        return
    if kind in _THRESHOLD:
        if target is None and not schedule:
            problems.append(f"an {kind} goal needs a target or targets_by_year")
        if target is not None and schedule:
            problems.append("give either target or targets_by_year, not both")
        values = [target] if target is not None else []
        for year, value in schedule:
            _check_year("targets_by_year year", year, problems)
            if not _is_number(value):
                problems.append(f"targets_by_year[{year!r}] must be a number, not {value!r}")
            else:
                values.append(value)
        if share:
            problems.extend(
                f"target {v!r} of a share must lie in [0, 1] ({v:g} % is {v / 100:g})"
                if v > 1
                else f"target {v!r} of a share must lie in [0, 1]"
                for v in values
                if not 0 <= v <= 1
            )
        return
    if schedule:
        problems.append(f"targets_by_year is for at_least and at_most goals, not {kind}")
    if kind in _CHANGE or kind == "count":
        if target is None:
            problems.append(f"a {kind} goal needs a target")
        elif kind == "change_pp" and share and not -1 <= target <= 1:
            problems.append(
                f"a change of {target!r} percentage points is written as a fraction"
                " (10 percentage points is 0.10) and must lie in [-1, 1]"
            )
        elif kind == "change_relative" and target <= -1:
            problems.append(f"a relative change must be above -1 (-100 %), not {target!r}")
        elif kind == "count" and (target < 0 or target != int(target)):
            problems.append(f"a count target must be a whole number >= 0, not {target!r}")
        elif target == 0 and kind in _CHANGE:
            problems.append("a change target of 0 is not a change: use rise or fall")
    elif kind in _DIRECTION and target is not None:
        problems.append(f"a {kind} goal has no target (it compares with the previous year)")
    elif kind in _REFERENCE and target is not None and share and not -1 <= target <= 1:
        problems.append(
            f"an offset from the reference of a share must lie in [-1, 1], not {target}"
        )


def _text(value: object) -> bool:
    return isinstance(value, str)


def goal_problems(goal: Goal) -> list[str]:  # noqa: PLR0912
    """Every problem of ``goal`` as plain sentences (empty when the goal is sound)."""
    problems: list[str] = []
    if not _text(goal.key) or not goal.key.strip():
        problems.append(f"key must be non-empty text, not {goal.key!r}")
    if not _text(goal.label):
        problems.append(f"label must be text, not {goal.label!r}")
    if goal.kind not in KINDS:
        problems.append(f"unknown kind {goal.kind!r}; one of {', '.join(KINDS)}")
        return problems
    _check_indicator(goal, problems)
    _check_target(goal, problems)
    baseline = _check_year("baseline_year", goal.baseline_year, problems)
    deadline = _check_year("deadline", goal.deadline, problems)
    if baseline is not None and deadline is not None and baseline >= deadline:
        problems.append(
            f"baseline_year {goal.baseline_year} must come before the deadline {goal.deadline}"
        )
    if goal.kind in _CHANGE and goal.baseline_year is None:
        problems.append(f"a {goal.kind} goal needs a baseline_year")
    if goal.kind in _THRESHOLD and goal.baseline_year is not None and goal.deadline is None:
        problems.append("a baseline_year on a threshold needs a deadline (a trajectory)")
    if goal.kind in _THRESHOLD and goal.baseline_year is not None and goal.targets_by_year:
        problems.append("a dated schedule has no baseline trajectory: drop baseline_year")
    if goal.kind in (*_DIRECTION, *_REFERENCE, "count") and goal.baseline_year is not None:
        problems.append(f"a {goal.kind} goal has no baseline_year")
    if goal.kind in _REFERENCE:
        if goal.reference not in REFERENCES:
            problems.append(
                f"a {goal.kind} goal needs reference 'municipality' or 'country',"
                f" not {goal.reference!r}"
            )
        else:
            above = UNIT_LEVELS[UNIT_LEVELS.index(goal.reference) :]
            wrong = [lv for lv in goal.levels if lv in above]
            if wrong:
                problems.append(
                    f"levels {wrong!r} cannot be compared with the {goal.reference}"
                    " (a unit is compared with a larger one)"
                )
    elif goal.reference is not None:
        problems.append(f"reference is for the reference kinds, not {goal.kind}")
    if goal.require_significant not in (True, False):
        problems.append(
            f"require_significant must be true or false, not {goal.require_significant!r}"
        )
    elif goal.require_significant and goal.kind not in (*_CHANGE, *_DIRECTION, *_REFERENCE):
        problems.append(
            f"require_significant is for a change or a difference, not a {goal.kind} goal"
        )
    levels = goal.levels
    if not isinstance(levels, tuple) or not levels:
        problems.append(f"levels must be a non-empty list of unit levels, not {levels!r}")
    else:
        unknown = [lv for lv in levels if lv not in UNIT_LEVELS]
        if unknown:
            problems.append(f"unknown levels {unknown!r}; use {', '.join(UNIT_LEVELS)}")
    if not _text(goal.source):
        problems.append(f"source must be text, not {goal.source!r}")
    return problems
