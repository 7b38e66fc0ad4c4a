"""The indicator table for a synthetic country: ``table()`` against the family functions.

Scale 1.0: a country of 98 municipalities with 11 schools each (about 1 100 schools),
one school year, every family. The baseline is what ``table()`` replaces: calling every
family function once per level (school, municipality, country) on the same data. The
issue's target: ``table()`` no slower than the baseline plus 20 % (ratio
``table / baseline <= 1.2``). Timings are noisy on shared machines; read the ratio.

Run: ``python benchmarks/run.py indicators --scale 0.1`` (or this file directly).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import polars as pl

from _harness import best_of
from folkeskolekvalitet import absence, competence, exams, national_tests, transitions, wellbeing
from folkeskolekvalitet.indicators import table
from folkeskolekvalitet.synthetic import (
    absence_records,
    competence_lessons,
    exam_grades,
    national_test_results,
    transition_statuses,
    wellbeing_answers,
)

YEAR = "2022/23"
LEVELS = ("school", "municipality", "country")
BY = {
    "school": ("institution_id", "municipality_code"),
    "municipality": ("municipality_code",),
    "country": (),
}


def country(scale: float) -> dict[str, pl.DataFrame]:
    """A synthetic country: every family's pupil data for one school year."""
    n_municipalities = max(2, round(98 * scale))
    codes = [f"{101 + i:03d}" for i in range(n_municipalities)]
    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in ("ex", "nt", "wb", "co", "ab", "tr")}
    for i, code in enumerate(codes):
        kw: dict[str, Any] = {"n_schools": 11, "municipality_code": code, "seed": i}
        parts["ex"].append(exam_grades(school_years=[YEAR], pupils_per_school=55, **kw))
        parts["nt"].append(national_test_results(school_years=[YEAR], pupils_per_grade=50, **kw))
        parts["wb"].append(wellbeing_answers(school_years=[YEAR], pupils_per_grade=50, **kw))
        parts["ab"].append(absence_records(school_years=[YEAR], pupils_per_school=500, **kw))
        parts["tr"].append(transition_statuses(cohorts=[YEAR], pupils_per_school=55, **kw))
        parts["co"].append(
            competence_lessons(n_schools=11, school_years=[YEAR], municipality_codes=[code], seed=i)
        )

    def unique_ids(frames: list[pl.DataFrame]) -> pl.DataFrame:
        # the generators number pupils per call: prefix the municipality
        return pl.concat(
            f.with_columns(pupil_id=pl.col("municipality_code") + pl.lit("-") + pl.col("pupil_id"))
            if "pupil_id" in f.columns
            else f
            for f in frames
        )

    for key in ("ex", "nt", "wb", "ab", "tr"):
        parts[key] = [unique_ids(parts[key])]
    answers = pl.concat(parts["wb"])
    enrolment = answers.group_by(
        "school_year", "municipality_code", "institution_id", "grade_level"
    ).agg(n_enrolled=pl.col("pupil_id").n_unique().cast(pl.Int64) + 1)
    return {
        "exams": pl.concat(parts["ex"]),
        "national_tests": pl.concat(parts["nt"]),
        "wellbeing": answers,
        "enrolment": enrolment,
        "competence": pl.concat(parts["co"]),
        "absence": pl.concat(parts["ab"]),
        "transitions": pl.concat(parts["tr"]),
    }


def baseline(data: dict[str, pl.DataFrame]) -> list[pl.DataFrame]:
    """Every family function once per level, eagerly: what table() replaces."""
    out = []
    for level in LEVELS:
        by = ("school_year", *BY[level])
        g = data["exams"]
        out += [
            exams.grade_average(g, by=by),
            exams.subject_averages(g, by=by),
            exams.share_passing_danish_and_math(g, by=by),
            exams.share_took_all_bound_exams(g, by=by),
        ]
        out.append(
            national_tests.good_share(data["national_tests"], by=(*by, "subject", "grade_level"))
        )
        a = data["wellbeing"]
        out += [
            wellbeing.indicators(a, by=by),
            wellbeing.score_distribution(a, by=by),
            wellbeing.question_shares(a, by=by),
            wellbeing.response_rate(a, data["enrolment"], by=by),
        ]
        lessons = data["competence"]
        out += [
            competence.coverage(lessons, by=by),
            competence.coverage(lessons, by=(*by, "subject")),
        ]
        r = data["absence"]
        out += [absence.absence_rates(r, by=by), absence.share_above(r, 0.10, by=by)]
        leavers = data["transitions"]
        tby = ("cohort", *BY[level])
        out += [
            transitions.status_shares(leavers, by=tby),
            transitions.status_shares(leavers, by=tby, horizon="15m"),
            transitions.application_shares(leavers, by=tby),
        ]
    return out


def run(scale: float, repeat: int) -> float:
    data = country(scale)
    rows = sum(f.height for f in data.values())
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("family functions once per level", lambda: baseline(data)),
        ("table() eager", lambda: table(**data, levels=LEVELS)),
        (
            "table() lazy, collected",
            lambda: table(**{k: v.lazy() for k, v in data.items()}, levels=LEVELS).collect(),  # type: ignore[union-attr]
        ),
    ]
    print(f"{'case':40} {'rows in':>12} {'seconds':>9}")
    timings = {}
    for name, fn in cases:
        seconds, _ = best_of(fn, repeat)
        timings[name] = seconds
        print(f"{name:40} {rows:>12,} {seconds:>9.3f}")
    ratio = timings["table() eager"] / timings["family functions once per level"]
    print(f"table() eager / baseline: {ratio:.2f} (target <= 1.20)")
    return ratio


if __name__ == "__main__":
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
    run(scale, repeat=2)
