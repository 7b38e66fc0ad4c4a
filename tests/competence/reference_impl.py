"""Plain-Python reference implementation of kompetencedækning (loops, no Polars).

Written from RULES.md §4 and the ministry's description, independently of the
library code, to be compared with the vectorised function on generated data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

COVERED = {"undervisningskompetence", "tilsvarende"}
Row = dict[str, Any]


def coverage(
    rows: Iterable[Row],
    by: Sequence[str],
    *,
    grades: Iterable[int] = range(1, 11),
    ties: str = "teacher_id",
    max_competences: int = 6,
    equivalent: bool = True,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Per group: every lesson bucket, the counts and the share."""
    covered = COVERED if equivalent else {"undervisningskompetence"}
    grade_set = set(grades)
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        key = tuple(r[c] for c in by)
        g = groups.setdefault(
            key,
            {
                "lessons_special": 0.0,
                "lessons_other_grades": 0.0,
                "lessons_excluded": 0.0,
                "excluded": set(),
                "units": defaultdict(list),
            },
        )
        lessons = float(r["lessons"])
        if r["class_type"] != "normal":
            g["lessons_special"] += lessons
        elif r["grade_level"] not in grade_set:
            g["lessons_other_grades"] += lessons
        elif r["teacher_competence_count"] > max_competences:
            g["lessons_excluded"] += lessons
            g["excluded"].add(r["teacher_id"])
        else:
            unit = (r["school_year"], r["institution_id"], r["class_id"], r["subject"])
            g["units"][unit].append((lessons, r["teacher_id"], r["competence"] in covered))
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, g in groups.items():
        total = competent = co_teaching = 0.0
        teachers = set()
        for teachers_of_unit in g["units"].values():
            best = max(teachers_of_unit, key=lambda t: t[0])[0]
            at_best = [t for t in teachers_of_unit if t[0] == best]
            if ties == "competent":
                at_best.sort(key=lambda t: (not t[2], t[1]))
            elif ties == "not_competent":
                at_best.sort(key=lambda t: (t[2], t[1]))
            else:
                at_best.sort(key=lambda t: t[1])
            lessons, teacher, is_covered = at_best[0]
            total += lessons
            competent += lessons if is_covered else 0.0
            co_teaching += sum(t[0] for t in teachers_of_unit) - lessons
            teachers.add(teacher)
        out[key] = {
            "n_class_subjects": len(g["units"]),
            "n_teachers": len(teachers),
            "n_teachers_excluded": len(g["excluded"]),
            "lessons_excluded": g["lessons_excluded"],
            "lessons_co_teaching": co_teaching,
            "lessons_special": g["lessons_special"],
            "lessons_other_grades": g["lessons_other_grades"],
            "lessons_total": total,
            "lessons_competent": competent,
            "share": competent / total if total > 0 else None,
        }
    return out
