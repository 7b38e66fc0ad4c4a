"""table(): every family's numbers in one long table, equal to the family functions'."""

from __future__ import annotations

import importlib
import math
import re
import warnings
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError, IdsNormalisedWarning
from folkeskolekvalitet import absence as fam_absence
from folkeskolekvalitet import competence as fam_competence
from folkeskolekvalitet import exams as fam_exams
from folkeskolekvalitet import national_tests as fam_nt
from folkeskolekvalitet import transitions as fam_transitions
from folkeskolekvalitet import wellbeing as fam_wellbeing
from folkeskolekvalitet.indicators import (
    CATALOGUE,
    COUNTRY_NOTE,
    INDICATOR_SCHEMA,
    KEY_COLUMNS,
    table,
    validate_table,
)
from folkeskolekvalitet.indicators.catalogue import WAREHOUSE_ONLY
from folkeskolekvalitet.synthetic import (
    absence_records,
    competence_lessons,
    exam_grades,
    national_test_results,
    transition_statuses,
    wellbeing_answers,
)
from folkeskolekvalitet.testing import absence_frames

LEVELS = ("school", "municipality", "country")
BY = {
    "school": ("institution_id", "municipality_code"),
    "municipality": ("municipality_code",),
    "country": (),
}


@pytest.fixture(scope="module")
def inputs() -> dict[str, pl.DataFrame]:
    answers = wellbeing_answers(n_schools=2, school_years=["2022/23"], pupils_per_grade=6)
    enrolment = answers.group_by(
        "school_year", "municipality_code", "institution_id", "grade_level"
    ).agg(n_enrolled=pl.col("pupil_id").n_unique().cast(pl.Int64) + 2)
    return {
        "exams": exam_grades(
            n_schools=3, school_years=["2018/19", "2019/20"], pupils_per_school=25
        ),
        "national_tests": national_test_results(
            n_schools=2, school_years=["2021/22", "2022/23"], pupils_per_grade=8
        ),
        "wellbeing": answers,
        "enrolment": enrolment,
        "competence": competence_lessons(n_schools=2, school_years=["2018/19"]),
        "absence": absence_records(n_schools=3, school_years=["2018/19"], pupils_per_school=30),
        "transitions": transition_statuses(n_schools=2, cohorts=["2022/23"], pupils_per_school=25),
    }


@pytest.fixture(scope="module")
def full(inputs: dict[str, pl.DataFrame]) -> pl.DataFrame:
    out = table(**inputs, levels=LEVELS)
    assert isinstance(out, pl.DataFrame)
    return out


def _rows(full: pl.DataFrame, indicator: str, level: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = full.filter(
        (pl.col("indicator") == indicator) & (pl.col("unit_level") == level)
    ).iter_rows(named=True)
    return {
        (r["school_year"], r["unit_id"], r["subject"], r["grade_level"], r["category"]): r
        for r in rows
    }


def _unit(level: str, row: dict[str, Any]) -> str:
    if level == "school":
        return str(row["institution_id"])
    if level == "municipality":
        return str(row["municipality_code"])
    return "DK"


def _same(got: float | None, expected: float | None) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return got is None
    return got is not None and math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12)


def _check(  # noqa: PLR0917 - the family output and its columns
    full: pl.DataFrame,
    indicator: str,
    level: str,
    family_out: pl.DataFrame,
    value: str,
    n: str,
    *,
    year: str = "school_year",
    subject: str | None = None,
    grade_level: str | None = None,
    category: Any = None,
    numerator: str | None = None,
) -> int:
    got = _rows(full, indicator, level)
    checked = 0
    for r in family_out.iter_rows(named=True):
        cat = category(r) if callable(category) else None
        key = (
            r[year],
            _unit(level, r),
            None if subject is None or r[subject] is None else str(r[subject]),
            None if grade_level is None else r[grade_level],
            cat,
        )
        row = got[key]
        assert _same(row["value"], r[value]), (indicator, level, key)
        assert row["n"] == round(r[n]), (indicator, level, key)
        if numerator is not None:
            assert _same(row["numerator"], float(r[numerator]))
        checked += 1
    assert checked == len(got), (indicator, level)
    return checked


@pytest.mark.parametrize("level", LEVELS)
def test_differential_exams(
    full: pl.DataFrame, inputs: dict[str, pl.DataFrame], level: str
) -> None:
    g = inputs["exams"]
    by = ("school_year", *BY[level])
    _check(full, "exams.grade_average", level, fam_exams.grade_average(g, by=by), "average",
           "n_pupils_included")  # fmt: skip
    _check(full, "exams.subject_average", level, fam_exams.subject_averages(g, by=by), "average",
           "n_pupils_included", subject="subject")  # fmt: skip
    _check(full, "exams.share_passing_danish_and_math", level,
           fam_exams.share_passing_danish_and_math(g, by=by), "share", "n_pupils",
           numerator="n_passing")  # fmt: skip
    _check(full, "exams.share_took_all_bound_exams", level,
           fam_exams.share_took_all_bound_exams(g, by=by), "share", "n_pupils",
           numerator="n_took_all")  # fmt: skip


@pytest.mark.parametrize("level", LEVELS)
def test_differential_national_tests(
    full: pl.DataFrame, inputs: dict[str, pl.DataFrame], level: str
) -> None:
    r = inputs["national_tests"]
    by = ("school_year", *BY[level], "subject", "grade_level")
    old = fam_nt.level_shares(r.filter(pl.col("school_year") == "2021/22"), by=by)
    new = fam_nt.good_share(r.filter(pl.col("school_year") == "2022/23"), by=by)
    for name in ("best", "poor"):
        _check(full, f"national_tests.share_{name}", level, old, f"share_{name}", "n_pupils",
               subject="subject", grade_level="grade_level", numerator=f"n_{name}")  # fmt: skip
    both = pl.concat([old.select(new.columns), new])
    _check(full, "national_tests.share_good", level, both, "share_good", "n_pupils",
           subject="subject", grade_level="grade_level", numerator="n_good")  # fmt: skip


@pytest.mark.parametrize("level", LEVELS)
def test_differential_wellbeing(
    full: pl.DataFrame, inputs: dict[str, pl.DataFrame], level: str
) -> None:
    a = inputs["wellbeing"]
    by = ("school_year", *BY[level])
    ind = fam_wellbeing.indicators(a, by=by)
    for key in ("general", "social", "academic", "support_inspiration", "calm_order"):
        _check(full, f"wellbeing.{key}", level,
               ind.filter(pl.col("indicator") == key), "mean", "n_pupils_included")  # fmt: skip
    _check(full, "wellbeing.interval_share", level, fam_wellbeing.score_distribution(a, by=by),
           "share", "n_pupils", numerator="n",
           category=lambda r: f"{r['indicator']}:{r['interval']}")  # fmt: skip
    _check(full, "wellbeing.question_top2", level, fam_wellbeing.question_shares(a, by=by),
           "share_top2", "n_answered", numerator="n_top2",
           category=lambda r: f"{r['questionnaire']}:{r['question']}")  # fmt: skip
    _check(full, "wellbeing.response_rate", level,
           fam_wellbeing.response_rate(a, inputs["enrolment"], by=by), "response_rate",
           "n_enrolled", numerator="n_answering")  # fmt: skip


@pytest.mark.parametrize("level", LEVELS)
def test_differential_competence_absence_transitions(
    full: pl.DataFrame, inputs: dict[str, pl.DataFrame], level: str
) -> None:
    by = ("school_year", *BY[level])
    lessons = inputs["competence"]
    both = pl.concat(
        [
            fam_competence.coverage(lessons, by=by).with_columns(
                pl.lit(None, dtype=pl.String).alias("subject")
            ),
            fam_competence.coverage(lessons, by=(*by, "subject")).with_columns(
                pl.col("subject").cast(pl.String)
            ),
        ],
        how="diagonal_relaxed",
    )
    _check(full, "competence.coverage", level, both, "share", "lessons_total",
           numerator="lessons_competent", subject="subject")  # fmt: skip
    rec = inputs["absence"]
    rates = fam_absence.absence_rates(rec, by=by)
    for kind in ("total", "sick", "authorised", "unauthorised"):
        _check(full, f"absence.rate_{kind}", level, rates, f"rate_{kind}", "n_pupils")
    _check(full, "absence.share_above_10", level, fam_absence.share_above(rec, 0.10, by=by),
           "share_above", "n_pupils", numerator="n_above")  # fmt: skip
    leavers = inputs["transitions"]
    tby = ("cohort", *BY[level])
    late = fam_transitions.status_shares(leavers, by=tby, horizon="15m")
    _check(full, "transitions.status_share_15m", level, late, "share", "n_pupils", year="cohort",
           numerator="n", category=lambda r: str(r["status"]))  # fmt: skip
    early = fam_transitions.status_shares(leavers, by=tby).with_columns(
        pl.when(pl.col("valid")).then(pl.col("share")).alias("share")
    )
    _check(full, "transitions.status_share_3m", level, early, "share", "n_pupils", year="cohort",
           numerator="n", category=lambda r: str(r["status"]))  # fmt: skip
    _check(full, "transitions.first_priority_share", level,
           fam_transitions.application_shares(leavers, by=tby), "share", "n_pupils",
           year="cohort", numerator="n", category=lambda r: str(r["application"]))  # fmt: skip


def test_every_catalogue_indicator_but_inclusion_is_there(full: pl.DataFrame) -> None:
    present = set(full["indicator"].unique())
    # Indicators only the warehouse publishes come from the readers, not from table().
    assert present == set(CATALOGUE) - {"interventions.inclusion_rate"} - WAREHOUSE_ONLY


def test_the_table_is_valid_and_typed(full: pl.DataFrame) -> None:
    assert full.schema == INDICATOR_SCHEMA
    validate_table(full)


def test_properties_of_every_row(full: pl.DataFrame) -> None:
    ok = full.filter(pl.col("se").is_not_null())
    assert (ok["se"] >= 0).all()
    bounded = full.filter(pl.col("ci_low").is_not_null())
    assert (bounded["ci_low"] <= bounded["value"]).all()
    assert (bounded["value"] <= bounded["ci_high"]).all()
    shares = full.filter(
        pl.col("indicator").is_in([k for k, v in CATALOGUE.items() if v.uncertainty == "wilson"])
        & pl.col("value").is_not_null()
    )
    assert (shares["ci_low"] < shares["ci_high"]).all()  # also for shares of 0 and 1
    assert shares.filter(pl.col("value").is_in([0.0, 1.0])).height > 0
    # competence is a census of lessons: no standard error
    cov = full.filter(pl.col("indicator") == "competence.coverage")
    assert cov["se"].null_count() == cov.height
    assert cov["ci_low"].null_count() == cov.height


def test_school_n_add_up_to_the_municipality(full: pl.DataFrame) -> None:
    pupil_counted = full.filter(
        pl.col("indicator").is_in(
            ["exams.share_took_all_bound_exams", "absence.rate_total", "wellbeing.general"]
        )
    )
    sums = (
        pupil_counted.group_by("school_year", "indicator", "unit_level")
        .agg(pl.col("n").sum())
        .pivot("unit_level", index=["school_year", "indicator"], values="n")
    )
    assert (sums["school"] == sums["municipality"]).all()
    assert (sums["municipality"] == sums["country"]).all()


def test_country_rows_say_so(full: pl.DataFrame) -> None:
    country = full.filter(pl.col("unit_level") == "country")
    assert country["note"].str.contains(COUNTRY_NOTE, literal=True).all()
    assert country["municipality_code"].null_count() == country.height
    assert (country["unit_id"] == "DK").all()
    assert (
        full.filter(pl.col("unit_level") != "country")["note"]
        .str.contains("country level", literal=True)
        .not_()
        .all()
    )


def test_comparability_notes_on_rows(full: pl.DataFrame) -> None:
    covid = full.filter(pl.col("indicator").str.starts_with("exams."))
    notes = dict(zip(covid["school_year"], covid["note"], strict=False))
    assert notes["2019/20"].startswith("COVID-19")


def test_the_municipality_is_its_pupils_mean_not_the_mean_of_its_schools() -> None:
    """Hand-computed: school A 2 pupils (10 %, 0 %), school B 1 pupil (20 %)."""
    records = pl.DataFrame(
        {
            "school_year": "2018/19",
            "institution_id": ["313001", "313001", "313002"],
            "pupil_id": ["a", "b", "c"],
            "school_days": 200,
            "sick_days": [20, 0, 40],
            "authorised_days": 0,
            "unauthorised_days": 0,
            "months_registered": 11,
        }
    )
    institutions = pl.DataFrame(
        {"institution_id": ["313001", "313002"], "municipality_code": ["313", "313"]}
    )
    out = table(absence=records, institutions=institutions)
    rates = out.filter(pl.col("indicator") == "absence.rate_total")
    schools = rates.filter(pl.col("unit_level") == "school")["value"].to_list()
    assert schools == pytest.approx([0.05, 0.2])
    assert sum(schools) / 2 == pytest.approx(0.125)
    municipality = rates.filter(pl.col("unit_level") == "municipality")
    assert municipality["value"].item() == pytest.approx(0.1)
    assert municipality["n"].item() == 3


def test_without_municipality_the_levels_are_a_data_error() -> None:
    records = pl.DataFrame(
        {
            "school_year": "2018/19",
            "institution_id": ["313001"],
            "pupil_id": ["a"],
            "school_days": 200,
            "sick_days": 2,
            "authorised_days": 0,
            "unauthorised_days": 0,
            "months_registered": 11,
        }
    )
    with pytest.raises(DataError, match="municipality"):
        table(absence=records)
    out = table(absence=records, levels=("country",))
    assert isinstance(out, pl.DataFrame)
    assert set(out["unit_level"].cast(pl.String)) == {"country"}


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="levels"):
        table(levels=("school", "region"))
    with pytest.raises(ValueError, match="confidence"):
        table(confidence=95)
    empty = table()
    assert isinstance(empty, pl.DataFrame)
    assert empty.schema == INDICATOR_SCHEMA
    assert empty.height == 0


def test_lazy_in_lazy_out(inputs: dict[str, pl.DataFrame], full: pl.DataFrame) -> None:
    lazy = table(**{k: v.lazy() for k, v in inputs.items()}, levels=LEVELS)
    assert isinstance(lazy, pl.LazyFrame)
    for engine in ("in-memory", "streaming"):
        got = lazy.collect(engine=engine)
        assert_frame_equal(got.sort(KEY_COLUMNS), full.sort(KEY_COLUMNS), rel_tol=1e-9)


def test_confidence_level_widens_intervals(inputs: dict[str, pl.DataFrame]) -> None:
    narrow = table(absence=inputs["absence"], exams=inputs["exams"], confidence=0.8)
    wide = table(absence=inputs["absence"], exams=inputs["exams"], confidence=0.99)
    assert isinstance(narrow, pl.DataFrame)
    assert isinstance(wide, pl.DataFrame)
    assert (narrow["confidence"] == 0.8).all()
    width = (pl.col("ci_high") - pl.col("ci_low")).alias("w")
    assert (narrow.select(width)["w"] <= wide.select(width)["w"]).all()


_INSTITUTIONS = pl.DataFrame(
    {"institution_id": ["151001", "151002"], "municipality_code": ["151", "152"]}
)


@settings(max_examples=25, deadline=None)
@given(absence_frames(), st.randoms(use_true_random=False))
def test_invariant_to_row_order_and_modes_agree(df: pl.DataFrame, rnd: Any) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = df[order]
    kw: dict[str, Any] = {"institutions": _INSTITUTIONS, "levels": LEVELS}
    eager = table(absence=df, **kw)
    again = table(absence=shuffled, **kw)
    assert isinstance(eager, pl.DataFrame)
    assert isinstance(again, pl.DataFrame)
    assert_frame_equal(eager, again, rel_tol=1e-9)
    lazy = table(absence=df.lazy(), **kw)
    assert isinstance(lazy, pl.LazyFrame)
    assert_frame_equal(lazy.collect(engine="streaming"), eager, rel_tol=1e-9)
    validate_table(eager)
    bounded = eager.filter(pl.col("ci_low").is_not_null())
    assert (bounded["ci_low"] <= bounded["value"]).all()
    assert (bounded["value"] <= bounded["ci_high"]).all()
    assert (eager["se"].drop_nulls() >= 0).all()
    n = eager.filter(pl.col("indicator") == "absence.rate_total")
    by_level = {lv: n.filter(pl.col("unit_level") == lv)["n"].sum() for lv in LEVELS}
    assert by_level["school"] == by_level["municipality"] == by_level["country"]


def test_inclusion_is_a_municipality_figure() -> None:
    pupils = pl.DataFrame(
        {
            "school_year": "2020/21",
            "municipality_code": "151",
            "institution_id": ["151001", "151001", "151001", "151002", "151003"],
            "pupil_id": ["p1", "p2", "p3", "p4", "p5"],
            "school_type": [
                "folkeskole",
                "folkeskole",
                "folkeskole",
                "specialskole",
                "fri_grundskole",
            ],
            "special_class": [False, False, True, None, None],
        }
    )
    out = table(inclusion=pupils, levels=LEVELS)
    assert isinstance(out, pl.DataFrame)
    assert out["unit_level"].cast(pl.String).to_list() == ["municipality", "country"]
    row = out.row(0, named=True)
    assert (row["value"], row["n"], row["numerator"]) == (0.5, 4, 2.0)
    assert row["ci_low"] < 0.5 < row["ci_high"]


def test_tenth_grade_at_three_months_is_not_applicable(full: pl.DataFrame) -> None:
    rows = full.filter(
        (pl.col("indicator") == "transitions.status_share_3m")
        & (pl.col("category") == "tiende_klasse")
    )
    assert rows.height > 0
    assert (rows["status"] == "not_applicable").all()
    assert rows["value"].null_count() == rows.height
    assert rows["note"].str.contains("15-month").all()
    others = full.filter(pl.col("status") != "not_applicable")
    assert (others.filter(pl.col("value").is_null())["status"] == "not_available").all()


def test_breakdowns_hold_the_catalogue_values(full: pl.DataFrame) -> None:
    for key, entry in CATALOGUE.items():
        rows = full.filter(pl.col("indicator") == key)
        for column in ("subject", "grade_level", "category"):
            used = entry.breakdown_columns
            present = set(rows[column].drop_nulls().cast(pl.String))
            if column not in used:
                assert not present, (key, column)
                continue
            fixed = next(b for b in entry.breakdowns if b.column == column).values
            if fixed:
                assert present <= set(fixed), (key, column, present - set(fixed))


def test_a_school_missing_from_institutions_is_a_data_error() -> None:
    """A school the institutions frame does not know gets no municipality: never a silent
    group under a null municipality code."""
    grades = exam_grades(n_schools=3, school_years=["2022/23"], seed=3).drop("municipality_code")
    schools = grades["institution_id"].unique().sort().to_list()
    institutions = pl.DataFrame({"institution_id": schools[:2], "municipality_code": ["151"] * 2})
    with pytest.raises(DataError, match="without a municipality") as err:
        table(exams=grades, institutions=institutions)
    assert repr(schools[2]) in str(err.value)
    # with every school known it works
    full = pl.DataFrame({"institution_id": schools, "municipality_code": ["151"] * 3})
    assert table(exams=grades, institutions=full).height


def test_each_input_is_validated_whatever_the_order_of_the_levels() -> None:
    """Validated once per input, at the widest level: a pupil in two municipalities is a
    DataError even when the country level comes first (validating there would miss it)."""
    grades = exam_grades(n_schools=2, school_years=["2022/23"], seed=5)
    pupil = grades["pupil_id"][0]
    bad = grades.with_columns(
        pl.when((pl.col("pupil_id") == pupil) & (pl.col("exam") == pl.col("exam").first()))
        .then(pl.lit("999"))
        .otherwise(pl.col("municipality_code"))
        .alias("municipality_code")
    )
    with pytest.raises(DataError, match="municipality_code"):
        table(exams=bad, levels=("country", "school"))
    out = table(exams=grades, levels=("country", "school"))
    assert out["unit_level"].unique(maintain_order=True).to_list() == ["country", "school"]


def test_the_linear_national_test_years_are_validated_too() -> None:
    """The adaptive and the linear years are two inputs of two functions: each is checked."""
    results = national_test_results(n_schools=2, school_years=["2022/23"], pupils_per_grade=5)
    bad = results.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("svensk"))
        .otherwise(pl.col("subject").cast(pl.String))
        .alias("subject")
    )
    with pytest.raises(DataError, match="svensk"):
        table(national_tests=bad)


@pytest.mark.parametrize("lazy", [False, True])
def test_a_national_test_row_with_no_school_year_is_reported_not_dropped(lazy: bool) -> None:
    results = national_test_results(n_schools=1, school_years=["2021/22"], pupils_per_grade=4)
    bad = results.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("forår"))
        .otherwise(pl.col("school_year"))
        .alias("school_year")
    )

    def build() -> None:
        out = table(national_tests=bad.lazy() if lazy else bad)
        if isinstance(out, pl.LazyFrame):
            out.collect()

    with pytest.raises(DataError, match="school_year"):
        build()


@pytest.mark.parametrize("lazy", [False, True])
def test_a_respelled_pupil_id_is_one_pupil_at_every_level_and_indicator(lazy: bool) -> None:
    """Issue 9's example through the table: one trailing space must not make 3 pupils 4,
    in any of the functions the table calls and at any level (each input is validated by
    one call only; the others must see the normalised ids too)."""
    grades = exam_grades(n_schools=1, school_years=["2022/23"], pupils_per_school=3, seed=3)
    first_row = pl.int_range(pl.len()) == 0
    padded = grades.with_columns(
        pl.when(first_row).then(pl.col("pupil_id") + " ").otherwise(pl.col("pupil_id"))
    )
    with pytest.warns(IdsNormalisedWarning, match="pupil_id"):
        got = table(exams=padded.lazy() if lazy else padded, levels=LEVELS)
    if isinstance(got, pl.LazyFrame):
        got = got.collect()
    expected = table(exams=grades, levels=LEVELS)
    assert_frame_equal(got, expected)


_SPELLINGS = (
    lambda v: v + " ",
    lambda v: " " + v,
    lambda v: v + "\u00a0",
    lambda v: v[:1] + "\u200b" + v[1:],
    lambda v: "\ufeff" + v,
)


@given(row=st.integers(min_value=0, max_value=10_000), spelling=st.sampled_from(_SPELLINGS))
@settings(max_examples=20, deadline=None)
def test_any_respelled_pupil_id_leaves_the_table_unchanged(row: int, spelling: Any) -> None:
    """Property (issue 9, item 3, through the table): respelling one row's pupil id
    changes no number at any level."""
    absence = absence_records(n_schools=2, school_years=["2018/19"], pupils_per_school=6, seed=4)
    ids = absence["pupil_id"].to_list()
    i = row % len(ids)
    ids[i] = spelling(ids[i])
    respelled = absence.with_columns(pl.Series("pupil_id", ids, dtype=pl.String))
    with pytest.warns(IdsNormalisedWarning):
        got = table(absence=respelled, levels=LEVELS)
    assert_frame_equal(got, table(absence=absence, levels=LEVELS))


@pytest.mark.parametrize("levels", [("school",), LEVELS])
def test_official_labels_give_the_same_table_as_keys(levels: tuple[str, ...]) -> None:
    """Exam, test-subject and competence-subject labels are read as their keys at every
    level and in every function (not only in the one call that validates)."""
    from folkeskolekvalitet.competence.catalogue import SUBJECTS as LESSON_SUBJECTS
    from folkeskolekvalitet.exams.catalogue import BOUND_EXAMS
    from folkeskolekvalitet.national_tests.catalogue import SUBJECTS as TEST_SUBJECTS

    def labelled(frame: pl.DataFrame, column: str, labels: dict[str, str]) -> pl.DataFrame:
        return frame.with_columns(pl.col(column).cast(pl.String).replace(labels))

    keys = {
        "exams": exam_grades(n_schools=2, school_years=["2018/19"], pupils_per_school=8, seed=2),
        "national_tests": national_test_results(
            n_schools=2, school_years=["2020/21"], pupils_per_grade=6
        ),
        "competence": competence_lessons(n_schools=2, school_years=["2018/19"]),
    }
    labels = {
        "exams": labelled(keys["exams"], "exam", {e.key: e.label for e in BOUND_EXAMS}),
        "national_tests": labelled(
            keys["national_tests"], "subject", {s.key: s.label for s in TEST_SUBJECTS}
        ),
        "competence": labelled(
            keys["competence"], "subject", {s.key: s.label for s in LESSON_SUBJECTS}
        ),
    }
    assert_frame_equal(table(**labels, levels=levels), table(**keys, levels=levels))


def test_every_transitions_measure_is_validated_in_the_table() -> None:
    """Each measure has its own contract: a null 15-month status is a DataError in the
    table as in status_shares (it was counted in the denominator)."""
    leavers = transition_statuses(n_schools=1, cohorts=["2022/23"], pupils_per_school=6)
    broken = leavers.with_columns(
        pl.when(pl.int_range(pl.len()) < 2)
        .then(None)
        .otherwise(pl.col("status_15m"))
        .alias("status_15m")
    )
    with pytest.raises(DataError, match="status_15m"):
        fam_transitions.status_shares(broken, horizon="15m")
    with pytest.raises(DataError, match="status_15m"):
        table(transitions=broken)
    bogus = leavers.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("bogus"))
        .otherwise(pl.col("application").cast(pl.String))
        .alias("application")
    )
    with pytest.raises(DataError, match="application"):
        table(transitions=bogus)


def _pupil_groupings(plan: str) -> set[str]:
    """The groupings of ``plan`` on the pupil (each distinct one once)."""
    return {b for b in re.findall(r"\] BY \[([^\]]*)\]", plan) if "pupil_id" in b}


def test_levels_share_one_pupil_step(inputs: dict[str, pl.DataFrame]) -> None:
    # Validated at the widest level, a school's columns are one per pupil: they join the
    # pupil grouping at every level, so the three levels read one pupil step (without
    # validation nothing vouches for them, and the country level groups on its own).
    def pupil_groupings(*, validate: bool) -> set[str]:
        lazy = table(wellbeing=inputs["wellbeing"].lazy(), levels=LEVELS, validate=validate)
        return _pupil_groupings(lazy.explain())

    assert len(pupil_groupings(validate=True)) == 1
    assert len(pupil_groupings(validate=False)) == 2


def _table_plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans of the indicator tables collected from now on (appended as they run)."""
    plans: list[str] = []
    collect = pl.LazyFrame.collect

    def spy(self: pl.LazyFrame, *args: Any, **kwargs: Any) -> Any:
        if "unit_level" in self.collect_schema():
            plans.append(self.explain())
        return collect(self, *args, **kwargs)

    monkeypatch.setattr(pl.LazyFrame, "collect", spy)
    return plans


def test_unvalidated_in_memory_levels_share_one_pupil_step(
    inputs: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In memory, unvalidated input whose schools have one municipality code a year (a
    # cheap look at its distinct schools) is grouped once for every level, as validated
    # input is: validate=False is not slower. The numbers are those of the family calls.
    plans = _table_plans(monkeypatch)
    out = table(wellbeing=inputs["wellbeing"], levels=LEVELS, validate=False)
    assert len(plans) == 1
    assert len(_pupil_groupings(plans[0])) == 1
    monkeypatch.undo()
    assert_frame_equal(out, table(wellbeing=inputs["wellbeing"], levels=LEVELS))


def _first_school_split(frame: pl.DataFrame, variant: str) -> pl.DataFrame:
    """Every other row of the first school under another code (``variant``: how)."""
    first = (pl.col("institution_id") == frame["institution_id"][0]) & (
        pl.int_range(pl.len()) % 2 == 0
    )
    code = pl.col("municipality_code")
    if variant == "padded":  # one code, spelled with a space: two codes as given
        return frame.with_columns(
            pl.when(first).then(code + " ").otherwise(code).alias("municipality_code")
        )
    if variant == "null":
        return frame.with_columns(
            pl.when(first).then(None).otherwise(code).alias("municipality_code")
        )
    # another code, in the same school year spelled another way
    year = str(frame["school_year"][0])
    return frame.with_columns(
        pl.when(first).then(pl.lit("101")).otherwise(code).alias("municipality_code"),
        pl.when(first)
        .then(pl.lit(year.replace("/", "/20")))
        .otherwise(pl.col("school_year"))
        .alias("school_year"),
    )


@pytest.mark.parametrize("variant", ["two_codes", "padded", "null"])
@pytest.mark.parametrize("family", ["exams", "absence", "wellbeing", "competence"])
def test_unvalidated_school_under_two_codes_is_grouped_as_the_family_calls_group_it(
    inputs: dict[str, pl.DataFrame], family: str, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Unvalidated, a school under two codes (as given: a padded or a missing code is
    # another code to an unvalidated rule) is not refused, and its codes are not carried
    # nor competence summed: each level is its own call. Lazy input is never read for
    # the check, so it is grouped level by level: the reference.
    frame = inputs[family]
    if family == "absence":  # quarterly: pupils have several rows to group
        frame = absence_records(
            n_schools=2, school_years=["2019/20"], pupils_per_school=6, quarterly=True
        )
    bad = _first_school_split(frame, variant)
    plans = _table_plans(monkeypatch)
    table(**{family: frame}, levels=LEVELS, validate=False)
    out = table(**{family: bad}, levels=LEVELS, validate=False)
    clean, split = (_pupil_groupings(plan) for plan in plans)
    if family in ("exams", "wellbeing"):
        assert len(split) > len(clean)  # (the country level's pupils grouped on their own)
    monkeypatch.undo()
    reference = table(**{family: bad.lazy()}, levels=LEVELS, validate=False)
    assert isinstance(reference, pl.LazyFrame)
    assert_frame_equal(out, reference.collect())


def test_absence_levels_read_the_records_once_per_function(
    inputs: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The four rates of a level are one frame: Polars then shares the pupil step between
    # the levels (it caches the largest common part of a plan, which was each level's
    # rates, read by four frames): one read for the rates, one for share_above.
    quarters = absence_records(
        n_schools=2, school_years=["2019/20"], pupils_per_school=5, quarterly=True
    )
    plans = _table_plans(monkeypatch)
    out = table(absence=quarters, levels=LEVELS)
    assert plans[0].count("DF [") <= 2
    monkeypatch.undo()
    # (the values: test_differential_competence_absence_transitions; the order here)
    kinds = out.filter(pl.col("unit_level") == "school")["indicator"].unique(maintain_order=True)
    assert kinds.to_list() == [
        "absence.rate_total",
        "absence.rate_sick",
        "absence.rate_authorised",
        "absence.rate_unauthorised",
        "absence.share_above_10",
    ]


def _two_pupils_absence(schools: list[str | None]) -> pl.DataFrame:
    """Absence records of two pupils, ``a`` and ``b``, at ``schools`` (no municipality)."""
    return pl.DataFrame(
        {
            "school_year": "2018/19",
            "institution_id": schools,
            "pupil_id": ["a", "b"],
            "school_days": 200,
            "sick_days": [20, 40],
            "authorised_days": 0,
            "unauthorised_days": 0,
            "months_registered": 11,
        }
    )


@pytest.mark.parametrize("validate", [True, False])
def test_a_school_under_two_municipality_codes_in_institutions_is_refused(validate: bool) -> None:
    # the join would repeat the school's rows: each pupil counted twice, silently
    records = _two_pupils_absence(["313001", "313002"])
    institutions = pl.DataFrame(
        {
            "institution_id": ["313001", "313001", "313002"],
            "municipality_code": ["313", "101", "313"],
        }
    )
    with pytest.raises(DataError, match="more than one municipality code") as err:
        table(absence=records, institutions=institutions, validate=validate)
    assert "'313001': '101', '313'" in str(err.value)


def test_a_school_under_two_municipality_codes_in_the_input_is_refused() -> None:
    # absence does not check its by columns per pupil: the table checks the school's
    # municipality itself (the school's rows would split, its pupils' steps too)
    records = pl.DataFrame(
        {
            "school_year": ["2018/19", "2018/2019", "2019/20"],
            "municipality_code": ["313", "101", "101"],
            "institution_id": ["313001", "313001", "313001"],
            "pupil_id": ["a", "b", "a"],
            "school_days": 200,
            "sick_days": [20, 40, 0],
            "authorised_days": 0,
            "unauthorised_days": 0,
            "months_registered": 11,
        }
    )
    with pytest.raises(DataError, match="more than one municipality code in a school year") as err:
        table(absence=records)
    assert "2018/19 '313001': '101', '313'" in str(err.value)
    # a school that moved between two school years is not a problem
    table(absence=records.filter(pl.col("pupil_id") == "a"))


@pytest.mark.parametrize("lazy", [False, True])
def test_respelled_ids_in_answers_and_enrolment_leave_the_table_unchanged(
    inputs: dict[str, pl.DataFrame], lazy: bool
) -> None:
    # validation normalises the ids (it reads their distinct values anyway); every call
    # of every level then reads the frame it made, not the input
    answers, enrolment = inputs["wellbeing"], inputs["enrolment"]
    first = pl.int_range(pl.len()) == 0
    # one answer of a pupil spelled apart from the pupil's other answers
    respelled = answers.with_columns(
        pl.when(first).then(pl.col("pupil_id") + "\u00a0").otherwise(pl.col("pupil_id")),
        pl.when(first).then(" " + pl.col("institution_id")).otherwise(pl.col("institution_id")),
    )
    with pytest.warns(IdsNormalisedWarning, match="pupil_id"):
        got = table(
            wellbeing=respelled.lazy() if lazy else respelled,
            enrolment=enrolment.lazy() if lazy else enrolment,
            levels=LEVELS,
        )
    if isinstance(got, pl.LazyFrame):
        got = got.collect()
    assert_frame_equal(got, table(wellbeing=answers, enrolment=enrolment, levels=LEVELS))


def _half_of_first_pupil(grades: pl.DataFrame, **values: str) -> pl.DataFrame:
    """``grades`` with every other row of the first pupil given ``values``."""
    odd = (pl.col("pupil_id") == grades["pupil_id"][0]) & (pl.int_range(pl.len()) % 2 == 0)
    return grades.with_columns(
        pl.when(odd).then(pl.lit(v)).otherwise(pl.col(c)).alias(c) for c, v in values.items()
    )


def test_the_callers_frame_keeps_no_fact_after_a_refused_table() -> None:
    # review 2026-12-02: the table marked the caller's own LazyFrame as carrying a
    # school's columns; after a refused table, later family calls on it miscounted
    grades = exam_grades(n_schools=2, school_years=["2018/19"], pupils_per_school=5, seed=1)
    lf = _half_of_first_pupil(grades, municipality_code="999").lazy()
    before = fam_exams.grade_average(lf, by=("school_year",)).collect()
    with pytest.raises(DataError):
        table(exams=lf).collect()
    assert_frame_equal(fam_exams.grade_average(lf, by=("school_year",)).collect(), before)


def test_a_pupils_year_spelled_two_ways_under_two_codes_is_refused() -> None:
    # review 2026-12-02: exams' per-pupil check reads the raw year; the table's own
    # check of one municipality per school and year reads the canonical one
    grades = exam_grades(n_schools=1, school_years=["2018/19"], pupils_per_school=3, seed=2)
    bad = _half_of_first_pupil(grades, school_year="2018/2019", municipality_code="101")
    with pytest.raises(DataError, match="more than one municipality code"):
        table(exams=bad, levels=LEVELS)


def test_each_input_respelled_gives_one_warning(inputs: dict[str, pl.DataFrame]) -> None:
    # The table validates one input in several calls (national tests in two parts, the
    # adaptive and the linear years; transitions once per measure): one warning each.
    def respelled(frame: pl.DataFrame) -> pl.DataFrame:
        # every row of the first pupil of each school year, with a trailing space
        first = pl.col("pupil_id") == pl.col("pupil_id").first().over(frame.columns[0])
        return frame.with_columns(
            pl.when(first).then(pl.col("pupil_id") + " ").otherwise(pl.col("pupil_id"))
        )

    names = ("national_tests", "transitions")
    years = inputs["national_tests"]["school_year"].unique().to_list()
    assert len(years) == 2  # one adaptive, one linear year: two parts
    clean = {k: inputs[k] for k in names}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = table(**{k: respelled(v) for k, v in clean.items()}, levels=LEVELS)
    messages = [str(w.message) for w in caught if w.category is IdsNormalisedWarning]
    assert len(messages) == 2, messages
    # the pupil of each of the two test years is one value each, counted once
    starts = sorted(m.split(" (")[0] for m in messages)
    assert starts == [
        "national test results: normalised 2 pupil_id values",
        "transition statuses: normalised 1 pupil_id value",
    ]
    assert_frame_equal(got, table(**clean, levels=LEVELS))


@pytest.mark.parametrize("validate", [True, False])
def test_a_row_without_a_school_number_gets_no_municipality(validate: bool) -> None:
    # never the municipality of an institutions row without one, and never a silent
    # group under a null code: without a school there is no municipality to look up
    records = _two_pupils_absence(["313001", None])
    institutions = pl.DataFrame(
        {"institution_id": ["313001", None], "municipality_code": ["313", "999"]}
    )
    with pytest.raises(DataError, match="without a municipality") as err:
        table(absence=records, institutions=institutions, validate=validate)
    assert "None" in str(err.value)
    assert "999" not in str(err.value)


def _lessons(**columns: Any) -> pl.DataFrame:
    """Two lessons rows of one school (1a, dansk, t1 and t2), with ``columns`` replaced."""
    base: dict[str, Any] = {
        "school_year": "2018/19",
        "municipality_code": "151",
        "institution_id": "151001",
        "class_id": "1a",
        "class_type": "normal",
        "grade_level": 1,
        "subject": "dansk",
        "teacher_id": ["t1", "t2"],
        "lessons": [100.0, 90.0],
        "competence": ["ingen", "undervisningskompetence"],
        "teacher_competence_count": 1,
    }
    return pl.DataFrame(base | columns)


def _coverage_row(out: pl.DataFrame | pl.LazyFrame, level: str) -> tuple[Any, ...]:
    assert isinstance(out, pl.DataFrame)
    rows = out.filter(
        (pl.col("indicator") == "competence.coverage")
        & (pl.col("unit_level") == level)
        & pl.col("subject").is_null()
    )
    return rows.select("value", "n", "numerator").row(0)


def test_competence_school_under_two_codes_is_refused_and_unvalidated_matches_coverage() -> None:
    # One class and subject under two municipality codes: the counting teacher is found
    # per class and subject (t1, the most lessons), never one per code.
    lessons = _lessons(municipality_code=["151", "101"])
    with pytest.raises(DataError, match="more than one municipality code"):
        table(competence=lessons, levels=("municipality", "country"))
    out = table(competence=lessons, levels=("municipality", "country"), validate=False)
    direct = fam_competence.coverage(lessons, by="school_year", validate=False)
    assert _coverage_row(out, "country") == (0.0, 100, 0.0)
    assert direct.select("share", "lessons_total", "lessons_competent").row(0) == (0.0, 100, 0.0)


def test_competence_lessons_without_a_subject_count_in_all_subjects_unvalidated() -> None:
    # validation refuses a lesson without a subject; unvalidated, it still counts in the
    # all-subjects coverage, as coverage() counts it
    lessons = _lessons(
        class_id=["1a", "2a"],
        grade_level=[1, 2],
        subject=["dansk", None],
        lessons=[100.0, 300.0],
    )
    out = table(competence=lessons, levels=("country",), validate=False)
    direct = fam_competence.coverage(lessons, by="school_year", validate=False)
    assert _coverage_row(out, "country") == (0.75, 400, 300.0)
    assert direct.select("share", "lessons_total", "lessons_competent").row(0) == (0.75, 400, 300)


def test_unvalidated_clean_lessons_are_summed_as_validated_ones(
    inputs: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    # every lesson with a subject and one code per school: coverage is computed once per
    # subject and summed to every level, unvalidated too (the same numbers, fewer passes)
    lessons = inputs["competence"]
    plans = _table_plans(monkeypatch)
    out = table(competence=lessons, levels=LEVELS, validate=False)
    table(competence=lessons.with_columns(subject=None), levels=LEVELS, validate=False)
    summed, separate = (plan.count("AGGREGATE") for plan in plans)
    assert summed < separate
    monkeypatch.undo()
    assert_frame_equal(out, table(competence=lessons, levels=LEVELS))


def test_unvalidated_lessons_are_summed_to_the_country_whatever_their_codes(
    inputs: dict[str, pl.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the country level splits no class by its municipality code: summed without a look
    lessons = _first_school_split(inputs["competence"], "two_codes")
    plans = _table_plans(monkeypatch)
    out = table(competence=lessons, levels=("country",), validate=False)
    monkeypatch.undo()
    reference = table(competence=lessons.lazy(), levels=("country",), validate=False)
    assert isinstance(reference, pl.LazyFrame)
    assert plans[0].count("AGGREGATE") < reference.explain().count("AGGREGATE")
    assert_frame_equal(out, reference.collect())


def test_warnings_as_errors_do_not_hide_the_data_error(inputs: dict[str, pl.DataFrame]) -> None:
    # a respelled id (a warning, held back to the end) and a problem (the DataError): with
    # warnings turned into errors the DataError still ends the call
    grades = inputs["exams"]
    first = pl.int_range(pl.len()) == 0
    broken = grades.with_columns(
        pl.when(first).then(pl.col("pupil_id") + " ").otherwise(pl.col("pupil_id")),
        pl.when(first).then(pl.lit("99")).otherwise(pl.col("grade").cast(pl.String)).alias("grade"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", IdsNormalisedWarning)
        with pytest.raises(DataError, match="grade"):
            table(exams=broken)


def test_an_id_column_no_rule_reads_gives_no_warning(inputs: dict[str, pl.DataFrame]) -> None:
    results = inputs["national_tests"].with_columns(pl.lit(" x ").alias("teacher_id"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", IdsNormalisedWarning)
        table(national_tests=results)


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("validate", [True, False])
def test_wide_wellbeing_answers_give_the_long_answers_table(
    inputs: dict[str, pl.DataFrame], lazy: bool, validate: bool
) -> None:
    # Wide answers are made long once for every call and level (the response rate and the
    # question shares made them again in each call): the table is that of the long ones.
    answers = inputs["wellbeing"]
    index = [c for c in answers.columns if c not in ("question", "score")]
    wide = answers.pivot(on="question", index=index, values="score")
    enrolment = inputs["enrolment"]

    def of(frame: pl.DataFrame) -> pl.DataFrame:
        given = {"wellbeing": frame, "enrolment": enrolment}
        if lazy:
            out = table(**{k: v.lazy() for k, v in given.items()}, levels=LEVELS, validate=validate)
            assert isinstance(out, pl.LazyFrame)
            return out.collect()
        out = table(**given, levels=LEVELS, validate=validate)
        assert isinstance(out, pl.DataFrame)
        return out

    expected = of(answers)
    assert set(expected["indicator"].unique()) >= {
        "wellbeing.response_rate",
        "wellbeing.question_top2",
        "wellbeing.general",
    }
    assert_frame_equal(of(wide), expected, check_exact=False)


def test_wide_wellbeing_answers_with_cpr_shaped_ids_follow_allow_cpr() -> None:
    wide = _wide_pupils().head(1).with_columns(pl.lit("010203-1234").alias("pupil_id"))
    with pytest.raises(DataError, match="CPR"):
        table(wellbeing=wide, levels=("school",))
    for validate in (True, False):
        out = table(wellbeing=wide, levels=("school",), allow_cpr=True, validate=validate)
        assert isinstance(out, pl.DataFrame)
        assert "010203-1234" not in str(out.to_dicts())
        top2 = out.filter(pl.col("indicator") == "wellbeing.question_top2", pl.col("n") > 0)
        assert sorted(top2["category"].to_list()) == ["4-9:hoerer_til_paa_skolen", "4-9:mobbet"]
        assert top2["n"].to_list() == [1, 1]


def _wide_pupils() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": "2023/24",
            "municipality_code": "151",
            "institution_id": "151001",
            "grade_level": [6, 6],
            "pupil_id": ["a", "b"],
            "mobbet": [3, 4],
            "hoerer_til_paa_skolen": [2, 5],
        },
        schema_overrides={"mobbet": pl.Int8, "hoerer_til_paa_skolen": pl.Int8},
    )


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("with_enrolment", [False, True])
@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        # a row whose cells are all null: never a long answer, still checked
        ({"pupil_id": "c", "grade_level": 12, "mobbet": None}, "grade_level"),
        ({"pupil_id": None, "mobbet": None}, "pupil_id"),
        # a second row of one pupil: not silently one pupil
        ({"pupil_id": "a", "mobbet": 1}, "school_year, pupil_id"),
    ],
)
def test_wide_wellbeing_answers_are_checked_as_wide_rows(
    lazy: bool, with_enrolment: bool, bad_row: dict[str, Any], column: str
) -> None:
    wide = _wide_pupils()
    extra = wide.head(1).with_columns(
        pl.lit(None, dtype=pl.Int8).alias("hoerer_til_paa_skolen"),
        *(pl.lit(v, dtype=wide.schema[k]).alias(k) for k, v in bad_row.items()),
    )
    bad = pl.concat([wide, extra])
    given: dict[str, Any] = {"wellbeing": bad}
    if with_enrolment:
        given["enrolment"] = wide.select(
            "school_year", "municipality_code", "institution_id", "grade_level", "pupil_id"
        )
    if lazy:
        given = {k: v.lazy() for k, v in given.items()}
    with pytest.raises(DataError) as info:  # (a lazy input too: checked at the call)
        table(**given, levels=("school", "municipality"))
    assert column in {p.column for p in info.value.problems}
    # the same frame is refused by the family function
    with pytest.raises(DataError):
        fam_wellbeing.indicators(bad)


def test_wide_wellbeing_answers_are_made_long_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the package's ``indicators`` is the function; the module is its own)
    wellbeing_indicators = importlib.import_module("folkeskolekvalitet.wellbeing.indicators")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a well-being function made the table's answers long again")

    monkeypatch.setattr(wellbeing_indicators, "answers_from_wide", refuse)
    wide = _wide_pupils()
    enrolment = wide.select(
        "school_year", "municipality_code", "institution_id", "grade_level", "pupil_id"
    )
    out = table(wellbeing=wide, enrolment=enrolment, levels=("school",))
    assert isinstance(out, pl.DataFrame)
    rate = out.filter(pl.col("indicator") == "wellbeing.response_rate")
    assert rate["value"].to_list() == [1.0]
