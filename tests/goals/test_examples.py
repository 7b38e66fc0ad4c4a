"""The seeds' goals on worked numbers (Kalundborg 2018, Ballerup 2018, the national goals)."""

from __future__ import annotations

import polars as pl
import pytest

from folkeskolekvalitet.goals import (
    BALLERUP_2018,
    KALUNDBORG_2018,
    NATIONAL,
    Goal,
    evaluate,
)
from tests.conftest import Runner
from tests.goals.tables import row, table, verdicts

NT_GOOD = "national_tests.share_good"
PASSING = "exams.share_passing_danish_and_math"


def one(result: pl.DataFrame, **where: object) -> dict[str, object]:
    for column, value in where.items():
        result = result.filter(pl.col(column) == value)
    assert result.height == 1, result
    return result.row(0, named=True)


def kalundborg(goal: str) -> Goal:
    return next(g for g in KALUNDBORG_2018 if g.key == goal)


def test_kalundborg_plus_10_percentage_points(run: Runner) -> None:
    data = table(
        row("2017/18", PASSING, 0.60),
        row("2018/19", PASSING, 0.66),
        row("2019/20", PASSING, 0.90),
        row("2020/21", PASSING, 0.90),
        row("2022/23", PASSING, 0.71),
        row("2023/24", PASSING, 0.69),
    )
    out = run(evaluate, data, [kalundborg("passing_plus_10pp")])
    base = one(out, school_year="2017/18")
    assert (base["verdict"], base["reason"]) == ("not_evaluable", "before_baseline")
    # One third of the way from 60 % to 70 %: the target of 2018/19 is 63.3 %.
    y1 = one(out, school_year="2018/19")
    assert y1["target"] == pytest.approx(0.60 + 0.10 / 3)
    assert y1["distance"] == pytest.approx(0.66 - (0.60 + 0.10 / 3))
    assert (y1["verdict"], y1["goal_met"], y1["on_track"]) == ("met", True, True)
    assert y1["value_compared"] == pytest.approx(0.60)
    # 2019/20-2021/22 are COVID years for the exams: no comparison with 2017/18.
    for year in ("2019/20", "2020/21"):
        r = one(out, school_year=year)
        assert (r["verdict"], r["reason"], r["goal_met"]) == (
            "not_evaluable",
            "comparability_break",
            None,
        )
    after = one(out, school_year="2022/23")
    assert after["target"] == pytest.approx(0.70)
    assert (after["verdict"], after["on_track"]) == ("met", None)
    assert one(out, school_year="2023/24")["verdict"] == "not_met"


def test_kalundborg_plus_10_percent_on_the_grade_average(run: Runner) -> None:
    avg = "exams.subject_average"
    data = table(
        row("2017/18", avg, 6.0, subject="dansk"),
        row("2018/19", avg, 6.25, subject="dansk"),
        row("2022/23", avg, 6.5, subject="dansk"),
        row("2017/18", avg, 5.0, subject="matematik"),
        row("2022/23", avg, 5.6, subject="matematik"),
    )
    out = run(evaluate, data, [kalundborg("grade_average_plus_10pct")])
    y1 = one(out, school_year="2018/19", subject="dansk")
    assert y1["target"] == pytest.approx(6.0 * (1 + 0.10 / 3))
    assert y1["verdict"] == "met"
    dansk = one(out, school_year="2022/23", subject="dansk")
    assert dansk["target"] == pytest.approx(6.6)
    assert (dansk["verdict"], dansk["distance"]) == ("not_met", pytest.approx(-0.1))
    matematik = one(out, school_year="2022/23", subject="matematik")
    assert (matematik["target"], matematik["verdict"]) == (pytest.approx(5.5), "met")


def test_kalundborg_national_tests_across_covid_and_the_regime_boundary(run: Runner) -> None:
    rows = [
        row(y, NT_GOOD, v, subject="dansk", grade_level=4)
        for y, v in [
            ("2017/18", 0.66),
            ("2018/19", 0.70),
            ("2020/21", 0.80),
            ("2021/22", 0.77),
            ("2022/23", 0.80),
        ]
    ]
    out = run(evaluate, table(*rows), [kalundborg("nt_good_plus_10pp")])
    assert verdicts(out) == {
        ("326001", "2017/18"): "not_evaluable",
        ("326001", "2018/19"): "met",  # 0.70 >= 0.6933
        ("326001", "2020/21"): "not_evaluable",  # late testing (COVID)
        ("326001", "2021/22"): "met",  # 0.77 >= 0.76
        ("326001", "2022/23"): "not_evaluable",  # the overgangstest: a new regime
    }
    assert one(out, school_year="2022/23")["reason"] == "comparability_break"


def test_kalundborg_absence_at_the_national_average(run: Runner) -> None:
    ind = "absence.rate_total"
    data = table(
        row("2019/20", ind, 0.050, se=0.002, ci_low=0.046, ci_high=0.054),
        row("2019/20", ind, 0.060, unit_id="326002", se=0.002, ci_low=0.056, ci_high=0.064),
        row("2019/20", ind, 0.056, unit_level="municipality"),
        row("2019/20", ind, 0.055, unit_level="country", se=0.0005, n=60000),
        row("2020/21", ind, 0.050),
    )
    out = run(evaluate, data, [kalundborg("absence_national_average")])
    good = one(out, unit_id="326001", school_year="2019/20")
    assert good["target"] == pytest.approx(0.055)
    assert (good["verdict"], good["on_track"]) == ("met", True)
    # The difference -0.5 points has a 95 % interval wholly below 0.
    assert good["certain"] is True
    assert one(out, unit_id="326002", school_year="2019/20")["verdict"] == "not_met"
    municipality = one(out, unit_id="326", school_year="2019/20")
    assert (municipality["verdict"], municipality["certain"]) == ("not_met", None)
    late = one(out, unit_id="326001", school_year="2020/21")
    assert (late["reason"], late["on_track"]) == ("no_reference", None)
    assert set(out["unit_level"].cast(pl.String)) == {"school", "municipality"}


def test_kalundborg_three_business_agreements(run: Runner) -> None:
    ind = "local.business_agreements"
    data = table(
        row("2018/19", ind, 3.0),
        row("2018/19", ind, 2.0, unit_id="326002"),
        row("2018/19", ind, 4.0, unit_level="municipality"),
    )
    out = run(evaluate, data, [kalundborg("business_agreements")])
    assert verdicts(out) == {("326001", "2018/19"): "met", ("326002", "2018/19"): "not_met"}


def test_ballerup_at_most_35_percent_to_tenth_grade(run: Runner) -> None:
    ind = "transitions.first_priority_share"
    data = table(
        row("2017/18", ind, 0.35, category="tiende_klasse"),
        row("2017/18", ind, 0.60, category="ungdomsuddannelse"),
        row("2017/18", ind, 0.05, category="oevrigt"),
        row("2018/19", ind, 0.36, category="tiende_klasse"),
        row("2018/19", ind, 0.64, category="ungdomsuddannelse"),
    )
    out = run(evaluate, data, BALLERUP_2018[:1])
    assert verdicts(out) == {
        ("326001", "2017/18"): "met",  # exactly 35 %: "højst"
        ("326001", "2018/19"): "not_met",
    }
    assert one(out, school_year="2018/19")["distance"] == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("year", "revised", "original"),
    [
        ("2016/17", 0.85, 0.85),
        ("2018/19", 0.85, 0.90),  # a report written in 2018 measured 2018/19 against 90 %
        ("2020/21", 0.90, 0.95),
        ("2023/24", 0.90, 0.95),
        ("2025/26", 0.95, 0.95),
    ],
)
def test_competence_target_of_a_school_year_on_each_schedule(
    year: str, revised: float, original: float
) -> None:
    data = table(row(year, "competence.coverage", 0.88, unit_level="municipality"))
    out = evaluate(data, NATIONAL)
    assert one(out, goal="competence_coverage_revised")["target"] == revised
    assert one(out, goal="competence_coverage_original")["target"] == original
    assert one(out, goal="competence_coverage_revised")["goal_met"] == (revised <= 0.88)


def test_competence_before_the_first_milestone_has_no_target() -> None:
    data = table(row("2015/16", "competence.coverage", 0.80, unit_level="municipality"))
    r = one(evaluate(data, NATIONAL), goal="competence_coverage_revised")
    assert (r["verdict"], r["reason"], r["target"]) == ("not_evaluable", "no_target", None)


def test_ballerup_measures_the_school_against_the_original_schedule() -> None:
    data = table(row("2017/18", "competence.coverage", 0.80))
    out = evaluate(data, BALLERUP_2018)
    r = one(out, goal="competence_coverage_original")
    assert (r["target"], r["verdict"]) == (0.85, "not_met")
    # The national goal is measured at municipality level: no school rows.
    assert evaluate(data, NATIONAL).height == 0


def test_national_test_goals(run: Runner) -> None:
    best, poor = "national_tests.share_best", "national_tests.share_poor"
    cell = {"subject": "matematik", "grade_level": 6}
    data = table(
        row("2017/18", NT_GOOD, 0.75, **cell),
        row("2018/19", NT_GOOD, 36 / 45, **cell),
        row("2017/18", best, 0.10, **cell),
        row("2018/19", best, 0.12, **cell),
        row("2017/18", poor, 0.15, **cell),
        row("2018/19", poor, 0.16, **cell),
        row("2021/22", poor, 0.15, **cell),
        row("2022/23", poor, 0.10, **cell),
        row("2018/19", NT_GOOD, None, status="suppressed", subject="dansk", grade_level=2),
    )
    out = run(evaluate, data, NATIONAL)
    good = out.filter(pl.col("goal") == "nt_good_80", pl.col("subject") == "matematik")
    assert good["verdict"].cast(pl.String).to_list() == ["not_met", "met"]
    assert one(out, goal="nt_best_rise", school_year="2018/19")["verdict"] == "met"
    assert one(out, goal="nt_best_rise", school_year="2017/18")["reason"] == "no_previous_year"
    assert one(out, goal="nt_poor_fall", school_year="2018/19")["verdict"] == "not_met"
    boundary = one(out, goal="nt_poor_fall", school_year="2022/23")
    assert (boundary["verdict"], boundary["reason"]) == ("not_evaluable", "comparability_break")
    hidden = one(out, goal="nt_good_80", subject="dansk")
    assert (hidden["verdict"], hidden["reason"], hidden["value"]) == (
        "not_evaluable",
        "suppressed",
        None,
    )


def test_require_significant_needs_an_interval() -> None:
    goal = Goal("up", "Stige", "wellbeing.general", "rise", require_significant=True)
    no_se = table(
        row("2021/22", "wellbeing.general", 3.7), row("2022/23", "wellbeing.general", 3.9)
    )
    r = one(evaluate(no_se, [goal]), school_year="2022/23")
    assert (r["verdict"], r["reason"]) == ("not_evaluable", "no_interval")
    small = table(
        row("2021/22", "wellbeing.general", 3.70, se=0.05),
        row("2022/23", "wellbeing.general", 3.75, se=0.05),
    )
    # +0.05 with se 0.07: up, but not significantly: not met, and certain of that.
    r = one(evaluate(small, [goal]), school_year="2022/23")
    assert (r["verdict"], r["certain"]) == ("not_met", False)
    plain = Goal("up", "Stige", "wellbeing.general", "rise")
    assert one(evaluate(small, [plain]), school_year="2022/23")["verdict"] == "met"
    big = small.with_columns(
        pl.when(pl.col("school_year") == "2022/23").then(4.0).otherwise(3.7).alias("value")
    )
    r = one(evaluate(big, [goal]), school_year="2022/23")
    assert (r["verdict"], r["certain"]) == ("met", True)


def test_threshold_certain_from_the_value_interval() -> None:
    goal = NATIONAL[0]
    cell = {"subject": "dansk", "grade_level": 2}
    data = table(
        row("2018/19", NT_GOOD, 0.85, ci_low=0.81, ci_high=0.89, **cell),
        row("2018/19", NT_GOOD, 0.82, unit_id="326002", ci_low=0.70, ci_high=0.90, **cell),
        row("2018/19", NT_GOOD, 0.60, unit_id="326003", ci_low=0.50, ci_high=0.70, **cell),
        row("2018/19", NT_GOOD, 0.90, unit_id="326004", **cell),
    )
    out = evaluate(data, [goal]).sort("unit_id")
    assert out["certain"].to_list() == [True, False, True, None]


def test_output_columns_and_lazy_in_lazy_out() -> None:
    from folkeskolekvalitet.goals import OUTPUT_COLUMNS

    data = table(row("2018/19", PASSING, 0.7))
    lazy = evaluate(data.lazy(), KALUNDBORG_2018)
    assert isinstance(lazy, pl.LazyFrame)
    out = lazy.collect()
    assert tuple(out.columns) == OUTPUT_COLUMNS
    assert evaluate(data, []).columns == list(OUTPUT_COLUMNS)


def test_bad_arguments() -> None:
    data = table(row("2018/19", PASSING, 0.7))
    with pytest.raises(ValueError, match="unique"):
        evaluate(data, [NATIONAL[0], NATIONAL[0]])
    with pytest.raises(TypeError, match="Goal objects"):
        evaluate(data, ["nt_good_80"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="confidence"):
        evaluate(data, NATIONAL, confidence=95)
    from folkeskolekvalitet import DataError

    with pytest.raises(DataError):
        evaluate(data.with_columns(indicator=pl.lit("exams.average")), NATIONAL)
