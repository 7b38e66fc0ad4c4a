"""A plain-Python reference implementation of goals.evaluate, for the differential test.

Written from the rules in the docstring of :func:`folkeskolekvalitet.goals.evaluate`, one row
at a time, without Polars.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

from folkeskolekvalitet._core.breaks import comparability_reason
from folkeskolekvalitet.goals import Goal

TOL = 1e-12
Row = dict[str, Any]


def _start(year: str) -> int:
    return int(year[:4])


def _meets(value: float, target: float, side: str) -> bool:
    slack = max(abs(target), 1.0) * TOL
    return value >= target - slack if side == "at_least" else value <= target + slack


def _find(rows: list[Row], **where: Any) -> Row | None:
    hits = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(hits) <= 1
    return hits[0] if hits else None


def _sched(goal: Goal, year: int) -> float | None:
    out = None
    for y, t in goal.targets_by_year:
        if year >= _start(y):
            out = float(t)
    return out


def evaluate_reference(  # noqa: PLR0912 - a plain reference, one branch per rule
    rows: list[Row],
    goal: Goal,
    confidence: float = 0.95,
    stats: dict[tuple[str, str], tuple[Any, Any, Any]] | None = None,
) -> list[Row]:
    """Evaluate ``goal`` on ``rows``.

    ``stats`` gives, for rise/fall and the reference kinds, ``(ci_low_difference,
    ci_high_difference, significant)`` per ``(unit_id, school_year)`` as the indicator layer
    computes them (``indicators.change`` / ``compare``): those statistics are tested there.
    """
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    out = []
    kind, side = goal.kind, goal.side
    for r in rows:
        if r["indicator"] != goal.indicator or r["unit_level"] not in goal.levels:
            continue
        if any(
            getattr(goal, c) is not None and r[c] != getattr(goal, c)
            for c in ("subject", "grade_level", "category")
        ):
            continue
        year = _start(r["school_year"])
        value = r["value"] if r["status"] == "ok" else None
        same = {
            k: r[k]
            for k in ("unit_level", "unit_id", "indicator", "subject", "grade_level", "category")
        }
        other: Row | None = None
        uses_other = (
            kind in ("rise", "fall", "at_least_reference", "at_most_reference")
            or goal.baseline_year is not None
        )
        if kind in ("rise", "fall"):
            prev = f"{year - 1}/{year % 100:02d}"
            other = _find(rows, school_year=prev, **same)
            missing = "no_previous_year"
        elif kind in ("at_least_reference", "at_most_reference"):
            ref_id = r["municipality_code"] if goal.reference == "municipality" else "DK"
            other = _find(
                rows,
                school_year=r["school_year"],
                unit_level=goal.reference,
                unit_id=ref_id,
                indicator=r["indicator"],
                subject=r["subject"],
                grade_level=r["grade_level"],
                category=r["category"],
            )
            missing = "no_reference"
        elif goal.baseline_year is not None:
            other = _find(rows, school_year=goal.baseline_year, **same)
            missing = "no_baseline"
        compared = other["value"] if other is not None and other["status"] == "ok" else None
        base_start = None if goal.baseline_year is None else _start(goal.baseline_year)
        dead_start = None if goal.deadline is None else _start(goal.deadline)
        # The final target.
        if kind in ("at_least", "at_most"):
            final = _sched(goal, year) if goal.targets_by_year else float(goal.target)  # type: ignore[arg-type]
        elif kind == "change_pp":
            final = None if compared is None else compared + goal.target  # type: ignore[operator]
        elif kind == "change_relative":
            final = None if compared is None else compared * (1 + goal.target)  # type: ignore[operator]
        elif kind in ("rise", "fall"):
            final = compared
        elif kind in ("at_least_reference", "at_most_reference"):
            final = None if compared is None else compared + (goal.target or 0.0)
        else:
            final = float(goal.target)  # type: ignore[arg-type]
        trajectory = base_start is not None and dead_start is not None
        needs_other = kind not in ("at_least", "at_most") or (trajectory and year < dead_start)  # type: ignore[operator]
        target = final
        if (trajectory or goal.is_change) and needs_other:
            if compared is None or final is None or year < base_start:  # type: ignore[operator]
                target = None
            elif dead_start is None or year >= dead_start:
                target = final
            else:
                target = compared + (final - compared) * (year - base_start) / (
                    dead_start - base_start
                )  # type: ignore[operator]
        # The difference.
        diff = lo_d = hi_d = sig = None
        if other is not None and value is not None and compared is not None:
            diff = value - compared
            if stats is not None:
                lo_d, hi_d, sig = stats.get((r["unit_id"], r["school_year"]), (None, None, None))
            elif r["se"] is not None and other["se"] is not None:
                se = (r["se"] ** 2 + other["se"] ** 2) ** 0.5
                lo_d, hi_d = diff - z * se, diff + z * se
                sig = lo_d > 0 or hi_d < 0
        # The reason.
        reason = None
        if r["status"] in ("suppressed", "suppressed_complementary"):
            reason = "suppressed"
        elif r["status"] != "ok":
            reason = "not_available"
        elif goal.targets_by_year and final is None:
            reason = "no_target"
        elif uses_other and needs_other and base_start is not None and year <= base_start:
            reason = "before_baseline"
        elif uses_other and needs_other and other is None:
            reason = missing
        elif (
            uses_other
            and needs_other
            and other["status"] in ("suppressed", "suppressed_complementary")
        ):  # type: ignore[index]
            reason = "suppressed"
        elif uses_other and needs_other and other["status"] != "ok":  # type: ignore[index]
            reason = missing
        elif (
            uses_other
            and needs_other
            and kind not in ("at_least_reference", "at_most_reference")
            and comparability_reason(r["indicator"], r["school_year"], other["school_year"])
            is not None  # type: ignore[index]
        ):
            reason = "comparability_break"
        elif goal.require_significant and sig is None:
            reason = "no_interval"
        # The verdict.
        met = None
        if reason is None:
            if kind in ("rise", "fall"):
                moved = sig if goal.require_significant else True
                met = (diff > 0 and moved) if kind == "rise" else (diff < 0 and moved)  # type: ignore[operator]
            else:
                met = _meets(value, target, side)  # type: ignore[arg-type]
                if goal.require_significant:
                    wanted = diff > 0 if side == "at_least" else diff < 0  # type: ignore[operator]
                    met = met and bool(sig) and wanted
        if kind in ("rise", "fall"):
            lo, hi, at = lo_d, hi_d, 0.0
        elif goal.is_change or kind in ("at_least_reference", "at_most_reference"):
            lo, hi = lo_d, hi_d
            at = None if target is None or compared is None else target - compared
        else:
            lo, hi, at = r["ci_low"], r["ci_high"], target
        certain = None
        if met is not None and lo is not None and hi is not None and at is not None:
            if side == "at_least":
                certain = lo >= at if met else hi < at
            else:
                certain = hi <= at if met else lo > at
        on_track = met if dead_start is not None and year <= dead_start else None
        out.append(
            {
                "unit_id": r["unit_id"],
                "school_year": r["school_year"],
                "verdict": "not_evaluable" if met is None else ("met" if met else "not_met"),
                "reason": reason,
                "target": target,
                "certain": certain,
                "on_track": on_track,
            }
        )
    return out
