"""Plain-Python reference implementations of the national test rules (loops are fine here)."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

LEVEL_KEYS = ["fremragende", "rigtig_god", "god", "jaevn", "mangelfuld", "ikke_tilstraekkelig"]
_LABELS = {
    "fremragende": "Fremragende præstation",
    "rigtig_god": "Rigtig god præstation",
    "god": "God præstation",
    "jaevn": "Jævn præstation",
    "mangelfuld": "Mangelfuld præstation",
    "ikke_tilstraekkelig": "Ikke tilstrækkelig præstation",
}


def parse_level(text: str | None) -> str | None:
    if text is None:
        return None
    norm = " ".join(text.replace("_", " ").lower().split())
    for key, label in _LABELS.items():
        variants = {key.replace("_", " "), label.lower(), label.lower().removesuffix(" præstation")}
        variants |= {v.replace("æ", "ae") for v in variants}
        if norm in variants:
            return key
    raise ValueError(text)


def level_shares(rows: list[dict[str, Any]], by: tuple[str, ...]) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[str | None]] = defaultdict(list)
    for r in rows:
        if r["subject"] not in ("dansk_laesning", "matematik"):
            continue
        key = (*(r[c] for c in by), r["subject"], r["grade_level"])
        groups[key].append(parse_level(r["level"]))
    out = []
    for key in sorted(
        groups, key=lambda k: (k[:-2], ["dansk_laesning", "matematik"].index(k[-2]), k[-1])
    ):
        levels = groups[key]
        given = [lv for lv in levels if lv is not None]
        n = len(given)
        counts = {k: sum(1 for lv in given if lv == k) for k in LEVEL_KEYS}
        good = counts["fremragende"] + counts["rigtig_god"] + counts["god"]
        poor = counts["mangelfuld"] + counts["ikke_tilstraekkelig"]
        row: dict[str, Any] = dict(zip((*by, "subject", "grade_level"), key, strict=True))
        row |= {"n_pupils": n, "n_no_result": len(levels) - n}
        for name, c in (("good", good), ("best", counts["fremragende"]), ("poor", poor)):
            row[f"n_{name}"] = c
            row[f"share_{name}"] = c / n if n else None
        for k in LEVEL_KEYS:
            row[f"n_{k}"] = counts[k]
            row[f"share_{k}"] = counts[k] / n if n else None
        out.append(row)
    return out


REGIME_FIRST = {2009: "nationale_test", 2022: "overgangstest", 2026: "faerdighedstest"}


def regime(start: int) -> str:
    if start >= 2026:
        return "faerdighedstest"
    if start >= 2022:
        return "overgangstest"
    return "nationale_test"


NEW_TESTS = {(2017, "matematik", 8), (2017, "engelsk", 4)}


def goal_status(  # noqa: PLR0912 - a plain reference, one branch per rule
    rows: list[dict[str, Any]],
    unit: tuple[str, ...],
    *,
    threshold: float = 0.8,
    min_n: int = 1,
    within: float = 0.0,
) -> list[dict[str, Any]]:
    """One dict per unit, subject, grade, year and goal: goal_met, direction, reason."""
    index = {}
    for r in rows:
        start = int(r["school_year"][:4])
        index[(*(r[u] for u in unit), r["subject"], r["grade_level"], start)] = r
    out = []
    for key, r in index.items():
        if r["subject"] not in ("dansk_laesning", "matematik"):
            continue
        *u, subject, grade, start = key
        prev = index.get((*u, subject, grade, start - 1))
        goals = ["good"] + (["best", "poor"] if "n_best" in r else [])
        for g in goals:
            n = r["n_pupils"]
            measured = g == "good" or regime(start) == "nationale_test"
            if not measured:
                reason = "not_measured"
            elif n == 0:
                reason = "no_results"
            elif n < min_n:
                reason = "too_few_pupils"
            elif start in REGIME_FIRST:
                reason = "regime_boundary"
            elif (start, subject, grade) in NEW_TESTS:
                reason = "new_test"
            elif prev is None:
                reason = "no_previous_year"
            elif prev["n_pupils"] == 0:
                reason = "no_previous_results"
            elif prev["n_pupils"] < min_n:
                reason = "too_few_pupils"
            elif prev.get(f"n_{g}") is None or r.get(f"n_{g}") is None:
                reason = "not_measured"
            else:
                reason = None
            if reason is None:
                now = Fraction(r[f"n_{g}"], n)
                before = Fraction(prev[f"n_{g}"], prev["n_pupils"])
                if within and abs(float(now) - float(before)) <= within * (1 + 1e-9):
                    now = before
                direction = "up" if now > before else "down" if now < before else "unchanged"
            else:
                direction = "not_comparable"
            if g == "good":
                if n == 0:
                    met, reason = None, "no_results"
                elif n < min_n:
                    met, reason = None, "too_few_pupils"
                else:
                    met = r["n_good"] / n >= threshold
            elif reason is None:
                met = direction == ("up" if g == "best" else "down")
            else:
                met = None
            out.append(
                {
                    **dict(zip(unit, u, strict=True)),
                    "subject": subject,
                    "grade_level": grade,
                    "school_year": r["school_year"],
                    "goal": g,
                    "goal_met": met,
                    "direction": direction,
                    "reason": reason,
                }
            )
    order = {"good": 0, "best": 1, "poor": 2}
    subj = {"dansk_laesning": 0, "matematik": 1}
    out.sort(
        key=lambda d: (
            *(d[u] for u in unit),
            subj[d["subject"]],
            d["grade_level"],
            d["school_year"],
            order[d["goal"]],
        )
    )
    return out
