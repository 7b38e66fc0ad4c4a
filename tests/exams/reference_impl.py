"""Plain-Python reference implementations of the exam rules (loops, no Polars).

Written from RULES.md §1 independently of the library code, to be compared with
the vectorised functions on generated data.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable

POINTS = {"-3": -3, "00": 0, "02": 2, "4": 4, "7": 7, "10": 10, "12": 12}
BOUND = {
    "old": [
        "dansk_laesning",
        "dansk_retskrivning",
        "dansk_skriftlig_fremstilling",
        "dansk_mundtlig",
        "matematik_med_hjaelpemidler",
        "matematik_uden_hjaelpemidler",
        "engelsk_mundtlig",
        "fysik_kemi",
    ],
    "new": [
        "dansk_laesning",
        "dansk_retskrivning",
        "dansk_skriftlig_fremstilling",
        "dansk_mundtlig",
        "matematik_med_hjaelpemidler",
        "matematik_uden_hjaelpemidler",
        "engelsk_mundtlig",
        "faellesproeve",
    ],
}


def bound_for(year: str) -> list[str]:
    return BOUND["old"] if int(year[:4]) <= 2015 else BOUND["new"]


Row = dict[str, object]


def pupils(rows: Iterable[Row]) -> dict[tuple[str, str, str], dict[str, object]]:
    """Per pupil key: {exam: points or None (exception)} over the year's bound exams."""
    out: dict[tuple[str, str, str], dict[str, object]] = defaultdict(dict)
    for r in rows:
        year = str(r["school_year"])
        exam = str(r["exam"])
        if exam not in bound_for(year):
            continue
        key = (year, str(r["institution_id"]), str(r["pupil_id"]))
        grade = r["grade"]
        out[key][exam] = None if grade is None else POINTS[str(grade)]
    return out


def grade_average(
    rows: list[Row], min_exams: int = 4
) -> dict[tuple[str, str], tuple[int, int, float | None]]:
    groups: dict[tuple[str, str], list[tuple[int, float | None]]] = defaultdict(list)
    for (year, inst, _), exams in pupils(rows).items():
        grades = [g for g in exams.values() if g is not None]
        avg = sum(grades) / len(grades) if grades else None  # type: ignore[arg-type]
        groups[year, inst].append((len(grades), avg))
    out = {}
    for key, ps in groups.items():
        included = [a for n, a in ps if n >= min_exams and a is not None]
        out[key] = (len(ps), len(included), statistics.fmean(included) if included else None)
    return out


def share_passing(
    rows: list[Row], denominator: str = "took_all"
) -> dict[tuple[str, str], tuple[int, int]]:
    groups: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    for (year, inst, _), exams in pupils(rows).items():
        g = {k: v for k, v in exams.items() if v is not None}
        dansk_keys = [
            "dansk_laesning",
            "dansk_retskrivning",
            "dansk_skriftlig_fremstilling",
            "dansk_mundtlig",
        ]
        mat_keys = ["matematik_med_hjaelpemidler", "matematik_uden_hjaelpemidler"]
        took = all(k in g for k in dansk_keys + mat_keys)
        passing = False
        if took:
            written = (
                0.25 * g["dansk_retskrivning"]
                + 0.25 * g["dansk_laesning"]
                + 0.5 * g["dansk_skriftlig_fremstilling"]
            )  # type: ignore[operator]
            dansk = 0.5 * written + 0.5 * g["dansk_mundtlig"]  # type: ignore[operator]
            mat = 0.5 * g["matematik_med_hjaelpemidler"] + 0.5 * g["matematik_uden_hjaelpemidler"]  # type: ignore[operator]
            passing = dansk >= 2.0 and mat >= 2.0
        groups[year, inst].append((took, passing))
    out = {}
    for key, ps in groups.items():
        if denominator == "took_all":
            out[key] = (sum(t for t, _ in ps), sum(p for _, p in ps))
        else:
            out[key] = (len(ps), sum(p for _, p in ps))
    return out


def took_all(rows: list[Row]) -> dict[tuple[str, str], tuple[int, int]]:
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for (year, inst, _), exams in pupils(rows).items():
        n = sum(v is not None for v in exams.values())
        groups[year, inst].append(n == len(bound_for(year)))
    return {k: (len(v), sum(v)) for k, v in groups.items()}
