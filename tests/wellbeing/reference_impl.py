"""Plain-Python reference implementations of the trivsel rules (loops, no Polars tricks).

Written from the rule text (RULES.md §3), independently of the library's
vectorised code; only the question catalogue is shared.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

from folkeskolekvalitet.wellbeing import INDICATORS, QUESTIONS_0_3, QUESTIONS_4_9, Question

NEEDED = {"social": 5, "academic": 4, "support_inspiration": 4, "calm_order": 2, "general": 15}


def find_question(value: Any, grade_level: int) -> Question:
    questions = QUESTIONS_0_3 if grade_level <= 3 else QUESTIONS_4_9
    for q in questions:
        if str(value) in (q.key, str(q.number)):
            return q
    raise KeyError(value)


def score_of(row: dict[str, Any]) -> float | None:
    """The 1-5 score of one answer row (issue 9: shorter scales rescaled linearly onto 1-5).

    Best option 5, worst 1, equal steps between: ``1 + 4 * (position - 1) / (n_options - 1)``.
    """
    position = position_of(row)
    if position is None:
        return None
    n_options = len(find_question(row["question"], row["grade_level"]).scale.options)
    return 1 + 4 * (position - 1) / (n_options - 1)


def position_of(row: dict[str, Any]) -> int | None:
    """Oriented option position 1..max of one answer row, None when not answered or declined."""
    q = find_question(row["question"], row["grade_level"])
    if "score" in row:
        s = row["score"]
        return None if s is None or s == 0 else int(s)
    text = row["answer"]
    if text is None:
        return None
    norm = "".join(ch for ch in text.casefold() if ch.isalnum())
    if norm in ("ønskerikkeatsvare", "jegønskerikkeatsvare"):
        return None
    for option in q.scale.options:
        for spelling in option.spellings:
            if "".join(ch for ch in spelling.casefold() if ch.isalnum()) == norm:
                points = option.points
                return q.scale.max_points + 1 - points if q.polarity == "negative" else points
    raise ValueError(text)


def pupil_table(
    rows: list[dict[str, Any]], by: tuple[str, ...]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Pupils of 4.-9. klasse: their group and a list of scores per indicator."""
    pupils: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        if row["grade_level"] <= 3:
            continue
        key = (row["school_year"], row["institution_id"], row["pupil_id"])
        pupil = pupils.setdefault(
            key, {"group": tuple(row[c] for c in by), "scores": defaultdict(list)}
        )
        q = find_question(row["question"], row["grade_level"])
        s = score_of(row)
        if s is not None and q.indicator in NEEDED:
            pupil["scores"][q.indicator].append(s)
            pupil["scores"]["general"].append(s)
    return pupils


def pupil_score(pupil: dict[str, Any], indicator: str) -> float | None:
    values = pupil["scores"][indicator]
    if len(values) < NEEDED[indicator]:
        return None
    return sum(values) / len(values)


def indicators(
    rows: list[dict[str, Any]], by: tuple[str, ...]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """(group..., indicator) -> n_pupils, n_pupils_included, mean, std."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    pupils = pupil_table(rows, by)
    groups = sorted({p["group"] for p in pupils.values()})
    for group in groups:
        members = [p for p in pupils.values() if p["group"] == group]
        for ind in INDICATORS:
            scores = [s for p in members if (s := pupil_score(p, ind.key)) is not None]
            out[(*group, ind.key)] = {
                "n_pupils": len(members),
                "n_pupils_included": len(scores),
                "mean": statistics.fmean(scores) if scores else None,
                "std": statistics.stdev(scores) if len(scores) > 1 else None,
            }
    return out


def interval_of(score: float) -> str:
    if score <= 2:
        return "[1,2]"
    if score <= 3:
        return "(2,3]"
    if score <= 4:
        return "(3,4]"
    return "(4,5]"


def distribution(
    rows: list[dict[str, Any]], by: tuple[str, ...]
) -> dict[tuple[Any, ...], tuple[int, int]]:
    """(group..., indicator, interval) -> (n in interval, n included)."""
    out: dict[tuple[Any, ...], tuple[int, int]] = {}
    pupils = pupil_table(rows, by)
    for group in sorted({p["group"] for p in pupils.values()}):
        members = [p for p in pupils.values() if p["group"] == group]
        for ind in INDICATORS:
            scores = [s for p in members if (s := pupil_score(p, ind.key)) is not None]
            for interval in ("[1,2]", "(2,3]", "(3,4]", "(4,5]"):
                n = sum(1 for s in scores if interval_of(s) == interval)
                out[(*group, ind.key, interval)] = (n, len(scores))
    return out


def question_shares(
    rows: list[dict[str, Any]], by: tuple[str, ...]
) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    """(group..., questionnaire, key) -> (n_answered, n_declined, n_top2), questions with rows."""
    out: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        q = find_question(row["question"], row["grade_level"])
        key = (*(row[c] for c in by), q.questionnaire, q.key)
        counts = out.setdefault(key, [0, 0, 0])
        s = position_of(row)
        declined = (
            (row.get("score") == 0) if "score" in row else (row["answer"] is not None and s is None)
        )
        if s is not None:
            counts[0] += 1
            best = q.scale.max_points
            counts[2] += s >= (best if q.questionnaire == "0-3" else best - 1)
        counts[1] += declined
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
