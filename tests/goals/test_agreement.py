"""The family goal functions and goals.evaluate give the same verdicts on the same data."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from folkeskolekvalitet.competence import compare_to_target
from folkeskolekvalitet.goals import BALLERUP_2018, NATIONAL, Goal, evaluate
from folkeskolekvalitet.national_tests import goal_status
from folkeskolekvalitet.transitions import check_goal
from tests.goals.tables import row, table

YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2022)]  # the adaptive tests


def _goal(key: str) -> Goal:
    return next(g for g in (*NATIONAL, *BALLERUP_2018) if g.key == key)


@settings(max_examples=15, deadline=None)
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["151001", "151002"]),
            st.sampled_from(YEARS),
            st.sampled_from([("dansk", 4), ("matematik", 6)]),
            st.integers(1, 60),
            st.integers(0, 60),
            st.integers(0, 60),
            st.integers(0, 60),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda c: (c[0], c[1], c[2]),
    )
)
def test_goal_status_and_evaluate_agree(cells: list[tuple[Any, ...]]) -> None:
    counts = []
    for unit, year, (subject, grade), n, good_raw, best_raw, poor_raw in cells:
        good = min(good_raw, n)
        best, poor = min(best_raw, good), min(poor_raw, n - good)
        counts.append((unit, year, subject, grade, n, good, best, poor))
    # The family's subject key of dansk/læsning is "dansk_laesning"; the table's is "dansk".
    family_subject = {"dansk": "dansk_laesning", "matematik": "matematik"}
    shares = pl.DataFrame(
        [(*c[:2], family_subject[c[2]], *c[3:]) for c in counts],
        schema=[
            "institution_id",
            "school_year",
            "subject",
            "grade_level",
            "n_pupils",
            "n_good",
            "n_best",
            "n_poor",
        ],
        orient="row",
    )
    rows = [
        row(
            year,
            f"national_tests.share_{g}",
            k / n,
            unit_id=unit,
            municipality_code="151",
            subject=subject,
            grade_level=grade,
            n=n,
        )
        for unit, year, subject, grade, n, good, best, poor in counts
        for g, k in (("good", good), ("best", best), ("poor", poor))
    ]
    goals = [_goal("nt_good_80"), _goal("nt_best_rise"), _goal("nt_poor_fall")]
    verdicts = evaluate(table(*rows), goals) if rows else None
    status = goal_status(shares, flagged="not_comparable") if counts else None
    if verdicts is None or status is None:
        return
    names = {"nt_good_80": "good", "nt_best_rise": "best", "nt_poor_fall": "poor"}
    ours = {
        (u, y, s, gl, names[g]): m
        for u, y, s, gl, g, m in verdicts.select(
            "unit_id", "school_year", "subject", "grade_level", "goal", "goal_met"
        ).iter_rows()
    }
    theirs = {
        (u, y, str(s).replace("dansk_laesning", "dansk"), gl, str(g)): m
        for u, y, s, gl, g, m in status.select(
            "institution_id", "school_year", "subject", "grade_level", "goal", "goal_met"
        ).iter_rows()
    }
    assert ours == theirs


@settings(max_examples=15, deadline=None)
@given(
    groups=st.lists(
        st.tuples(
            st.sampled_from(["2017/18", "2018/19", "2019/20"]),
            st.sampled_from(["151001", "151002"]),
            st.integers(0, 20),
            st.integers(0, 20),
            st.integers(0, 5),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda g: (g[0], g[1]),
    )
)
def test_check_goal_and_evaluate_agree(groups: list[tuple[str, str, int, int, int]]) -> None:
    pupils: list[dict[str, str]] = []
    rows = []
    for cohort, school, tenth, youth, other in groups:
        n = tenth + youth + other
        if n == 0:
            continue
        for category, k in (
            ("tiende_klasse", tenth),
            ("ungdomsuddannelse", youth),
            ("oevrigt", other),
        ):
            pupils += [
                {
                    "cohort": cohort,
                    "institution_id": school,
                    "pupil_id": f"{school}{cohort}{category}{i}",
                    "application": category,
                }
                for i in range(k)
            ]
            rows.append(
                row(
                    cohort,
                    "transitions.first_priority_share",
                    k / n,
                    unit_id=school,
                    municipality_code="151",
                    category=category,
                    n=n,
                )
            )
    if not pupils:
        return
    family = check_goal(pl.DataFrame(pupils))
    verdicts = evaluate(table(*rows), [_goal("tenth_grade_at_most_35")])
    theirs = {(c, s): m for c, s, m in family.select("cohort", "institution_id", "met").iter_rows()}
    ours = {
        (y, u): m for y, u, m in verdicts.select("school_year", "unit_id", "goal_met").iter_rows()
    }
    assert ours == theirs


@settings(max_examples=20, deadline=None)
@given(
    values=st.lists(
        st.tuples(
            st.sampled_from([f"{y}/{(y + 1) % 100:02d}" for y in range(2016, 2028)]),
            st.sampled_from([0.85, 0.9, 0.95, 0.9 - 1e-13, 0.8999]) | st.floats(0, 1),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda v: v[0],
    ),
    schedule=st.sampled_from(["revised", "original"]),
)
def test_compare_to_target_and_evaluate_agree(
    values: list[tuple[str, float]], schedule: str
) -> None:
    coverage = pl.DataFrame(values, schema=["school_year", "share"], orient="row")
    family = compare_to_target(coverage, schedule=schedule)  # type: ignore[arg-type]
    rows = [
        row(y, "competence.coverage", v, unit_level="municipality", municipality_code="151")
        for y, v in values
    ]
    verdicts = evaluate(table(*rows), [_goal(f"competence_coverage_{schedule}")])
    theirs = {y: (t, m) for y, t, m in family.select("school_year", "target", "met").iter_rows()}
    ours = {
        y: (t, m) for y, t, m in verdicts.select("school_year", "target", "goal_met").iter_rows()
    }
    assert ours == theirs
