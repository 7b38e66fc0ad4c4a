"""The synthetic country: coherent frames every family accepts, plausible national figures."""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from folkeskolekvalitet import absence, competence, exams, interventions, looks_like_cpr
from folkeskolekvalitet import national_tests as nt
from folkeskolekvalitet import transitions as tr
from folkeskolekvalitet import wellbeing as wb
from folkeskolekvalitet._core.municipalities import MUNICIPALITIES
from folkeskolekvalitet.national_tests import regime_for
from folkeskolekvalitet.synthetic import FAMILIES, NATIONAL_TARGETS, Country, country
from folkeskolekvalitet.synthetic.denmark import national_figures

YEARS = ("2021/22", "2022/23")


@pytest.fixture(scope="module")
def dk() -> Country:
    return country(school_years=YEARS, scale=0.02, seed=3)


def _years_of(results: pl.DataFrame, result: str) -> pl.DataFrame:
    keep = [y for y in results["school_year"].unique().to_list() if regime_for(y).result == result]
    return results.filter(pl.col("school_year").is_in(keep))


# Every public frame function of every family, called on the country's frames. The national
# test functions are regime-specific by design (level_shares for the adaptive test's criterion
# levels, good_share for the overgangstest), so each gets the years of its regime.
CALLS: dict[str, Callable[[Country], Any]] = {
    "exams.pupil_averages": lambda c: exams.pupil_averages(c.exams),
    "exams.grade_average": lambda c: exams.grade_average(c.exams),
    "exams.subject_averages": lambda c: exams.subject_averages(c.exams),
    "exams.share_passing_danish_and_math": lambda c: exams.share_passing_danish_and_math(c.exams),
    "exams.share_took_all_bound_exams": lambda c: exams.share_took_all_bound_exams(c.exams),
    "national_tests.good_share": lambda c: nt.good_share(_years_of(c.national_tests, "points")),
    "national_tests.level_shares": lambda c: nt.level_shares(_years_of(c.national_tests, "level")),
    "national_tests.level_distribution": lambda c: nt.level_distribution(
        _years_of(c.national_tests, "level")
    ),
    "national_tests.goal_status": lambda c: nt.goal_status(
        nt.level_shares(_years_of(c.national_tests, "level"))
    ),
    "national_tests.publication_view": lambda c: nt.publication_view(
        nt.level_shares(_years_of(c.national_tests, "level"))
    ),
    "wellbeing.indicators": lambda c: wb.indicators(c.wellbeing),
    "wellbeing.pupil_scores": lambda c: wb.pupil_scores(c.wellbeing),
    "wellbeing.question_shares": lambda c: wb.question_shares(c.wellbeing),
    "wellbeing.score_answers": lambda c: wb.score_answers(c.wellbeing),
    "wellbeing.score_distribution": lambda c: wb.score_distribution(c.wellbeing),
    "wellbeing.share_above": lambda c: wb.share_above(c.wellbeing, threshold=3.0),
    "wellbeing.response_rate": lambda c: wb.response_rate(c.wellbeing, c.enrolment),
    "competence.coverage": lambda c: competence.coverage(c.competence),
    "competence.compare_to_target": lambda c: competence.compare_to_target(
        competence.coverage(c.competence)
    ),
    "absence.absence_rates": lambda c: absence.absence_rates(c.absence),
    "absence.pupil_absence": lambda c: absence.pupil_absence(c.absence),
    "absence.share_above": lambda c: absence.share_above(c.absence),
    "transitions.application_shares": lambda c: tr.application_shares(c.transitions),
    "transitions.status_shares": lambda c: tr.status_shares(c.transitions, horizon="15m"),
    "transitions.youth_education_share": lambda c: tr.youth_education_share(c.transitions),
    "transitions.check_goal": lambda c: tr.check_goal(c.transitions),
    "interventions.parse_survey": lambda c: interventions.to_frame(
        interventions.parse_survey(c.interventions)
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_family_function_accepts_the_frames(dk: Country, name: str) -> None:
    out = CALLS[name](dk)
    assert isinstance(out, pl.DataFrame)
    assert out.height > 0


def test_the_interventions_export_parses_to_every_school(dk: Country) -> None:
    frame = interventions.to_frame(interventions.parse_survey(dk.interventions))
    assert frame["school"].n_unique() == dk.institutions.height
    assert interventions.practice_table(frame).height > 0
    assert interventions.resource_table(frame).height > 0


def test_indicators_table_accepts_the_frames(dk: Country) -> None:
    indicators = pytest.importorskip("folkeskolekvalitet.indicators")
    if not hasattr(indicators, "table"):
        pytest.skip("folkeskolekvalitet.indicators.table has not landed yet")
    table = indicators.table(
        exams=dk.exams,
        national_tests=dk.national_tests,
        wellbeing=dk.wellbeing,
        enrolment=dk.enrolment,
        competence=dk.competence,
        absence=dk.absence,
        transitions=dk.transitions,
        institutions=dk.institutions,
        levels=("school", "municipality"),
    )
    assert table.height > 0


def test_98_municipalities_with_real_codes_and_names(dk: Country) -> None:
    institutions = dk.institutions
    assert institutions.columns == ["institution_id", "name", "municipality_code", "municipality"]
    pairs = set(institutions.select("municipality_code", "municipality").unique().iter_rows())
    assert pairs == {(m.code, m.name) for m in MUNICIPALITIES}


def test_schools_in_proportion_at_full_scale() -> None:
    from folkeskolekvalitet.synthetic._world import make_world

    world = make_world(school_years=["2023/24"], scale=1.0)
    counts = dict(world.schools.group_by("municipality_code").len().iter_rows())
    assert 1_000 <= world.schools.height <= 1_100
    assert counts == {m.code: m.schools for m in MUNICIPALITIES}


def test_ids_unique_and_institution_numbers_start_with_the_municipality(dk: Country) -> None:
    inst = dk.institutions
    assert inst["institution_id"].is_unique().all()
    assert inst["institution_id"].str.len_chars().eq(6).all()
    assert (inst["institution_id"].str.slice(0, 3) == inst["municipality_code"]).all()
    for name, frame in dk.frames().items():
        if "institution_id" in frame.columns:
            ids = set(frame["institution_id"].unique().to_list())
            assert ids <= set(inst["institution_id"].to_list()), name
        if "municipality_code" in frame.columns:
            assert (frame["institution_id"].str.slice(0, 3) == frame["municipality_code"]).all(), (
                name
            )
    # One row per pupil and school year in the enrolment; a pupil is at one school.
    assert not dk.enrolment.select("school_year", "pupil_id").is_duplicated().any()
    schools_per_pupil = dk.enrolment.group_by("pupil_id").agg(pl.col("institution_id").n_unique())
    assert schools_per_pupil["institution_id"].max() == 1


def test_no_pupil_id_looks_like_a_cpr_number(dk: Country) -> None:
    for name, frame in dk.frames().items():
        if "pupil_id" in frame.columns:
            ids = frame.select(pl.col("pupil_id").unique())
            assert not ids.select(looks_like_cpr("pupil_id", zero_pad=True).any()).item(), name


def test_cohorts_move_up_one_grade_level_a_year(dk: Country) -> None:
    e = dk.enrolment
    first = e.filter(pl.col("school_year") == YEARS[0]).select("pupil_id", "grade_level")
    second = e.filter(pl.col("school_year") == YEARS[1]).select("pupil_id", "grade_level")
    both = first.join(second, on="pupil_id", suffix="_next")
    assert both.height > 0.8 * first.height
    assert (both["grade_level_next"] == both["grade_level"] + 1).all()
    # 9. klasse leaves (or goes on to 10. klasse at the same school); nobody is in 11. klasse.
    leavers = first.filter(pl.col("grade_level") == 9).join(second, on="pupil_id", how="anti")
    assert leavers.height > 0.7 * first.filter(pl.col("grade_level") == 9).height
    assert e["grade_level"].max() == 10
    # The 9. klasse pupils are the exam takers and the leavers.
    ninth = set(e.filter(pl.col("grade_level") == 9)["pupil_id"].to_list())
    assert set(dk.exams["pupil_id"].unique().to_list()) == ninth
    assert set(dk.transitions["pupil_id"].unique().to_list()) == ninth


def test_every_frame_has_the_years(dk: Country) -> None:
    for name in FAMILIES:
        frame = getattr(dk, name)
        column = "cohort" if name == "transitions" else "school_year"
        assert sorted(frame[column].unique().to_list()) == list(YEARS), name


@pytest.mark.parametrize("key", sorted(NATIONAL_TARGETS))
def test_national_figures_are_plausible(dk: Country, key: str) -> None:
    low, high, source = NATIONAL_TARGETS[key]
    value = national_figures(dk)[key]
    assert low <= value <= high, f"{key} = {value:.3f} outside [{low}, {high}] ({source})"


def _corr(frame: pl.DataFrame, a: str, b: str) -> float:
    value = frame.select(pl.corr(a, b)).item()
    assert isinstance(value, float)
    assert not math.isnan(value)
    return value


def test_the_socio_economic_index_drives_every_family(dk: Country) -> None:
    ses = dk.enrolment.select("school_year", "pupil_id", "ses_index")
    grades = exams.pupil_averages(dk.exams).join(ses, on=["school_year", "pupil_id"])
    assert _corr(grades, "ses_index", "average") > 0.2

    points = {"fremragende": 6, "rigtig_god": 5, "god": 4, "jaevn": 3, "mangelfuld": 2}
    levels = (
        dk.national_tests.filter(pl.col("level").is_not_null())
        .with_columns(
            pl.col("level").cast(pl.String).replace_strict(points, default=1).alias("points")
        )
        .join(ses, on=["school_year", "pupil_id"])
    )
    assert _corr(levels, "ses_index", "points") > 0.1
    linear = dk.national_tests.filter(pl.col("points").is_not_null()).join(
        ses, on=["school_year", "pupil_id"]
    )
    assert _corr(linear, "ses_index", "points") > 0.1

    rates = absence.pupil_absence(dk.absence).join(ses, on=["school_year", "pupil_id"])
    assert _corr(rates, "ses_index", "frac_total") < -0.05

    scores = (
        wb.pupil_scores(dk.wellbeing)
        .filter(pl.col("indicator") == "general")
        .join(ses, on=["school_year", "pupil_id"])
    )
    assert _corr(scores, "ses_index", "score") > 0.02

    gymnasial = dk.transitions.with_columns(
        (pl.col("status_15m") == "gymnasial").cast(pl.Float64).alias("gym"),
        pl.col("cohort").alias("school_year"),
    ).join(ses, on=["school_year", "pupil_id"])
    assert _corr(gymnasial, "ses_index", "gym") > 0.05


def test_a_pupils_families_agree(dk: Country) -> None:
    # Grade average and absence of the same pupils go in opposite directions.
    grades = exams.pupil_averages(dk.exams)
    rates = absence.pupil_absence(dk.absence)
    both = grades.join(rates, on=["school_year", "pupil_id"])
    assert _corr(both, "average", "frac_total") < -0.05


def test_same_seed_same_frames_other_seed_other_frames() -> None:
    a = country(school_years=["2023/24"], scale=0.01, seed=5, municipalities=["151", "101"])
    b = country(school_years=["2023/24"], scale=0.01, seed=5, municipalities=["151", "101"])
    c = country(school_years=["2023/24"], scale=0.01, seed=6, municipalities=["151", "101"])
    for name, frame in a.frames().items():
        assert frame.equals(b.frames()[name]), name
    assert a.interventions == b.interventions
    assert not a.exams.equals(c.exams)


def test_a_municipality_alone_is_the_municipality_cut_out(dk: Country) -> None:
    alone = country(school_years=YEARS, scale=0.02, seed=3, municipalities=["Ballerup"])
    cut = dk.municipality("151")
    for name, frame in alone.frames().items():
        assert frame.equals(cut.frames()[name]), name
    assert alone.interventions == cut.interventions
    assert cut.institutions["municipality"].unique().to_list() == ["Ballerup"]


def test_write_and_write_country_give_the_same_files(tmp_path: pathlib.Path) -> None:
    from folkeskolekvalitet.synthetic import write_country

    args: dict[str, Any] = {"school_years": ["2022/23"], "scale": 0.01, "seed": 1}
    dk = country(**args, municipalities=["151"])
    dk.write(tmp_path / "a")
    write_country(tmp_path / "b", **args, municipalities=["151"])
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert names == sorted([*(f"{f}.parquet" for f in FAMILIES), "enrolment.parquet",
                            "institutions.parquet", "interventions.txt"])  # fmt: skip
    for name in names:
        if name.endswith(".parquet"):
            a = pl.read_parquet(tmp_path / "a" / name)
            assert a.equals(pl.read_parquet(tmp_path / "b" / name)), name
            assert a.equals(dk.frames()[name.removesuffix(".parquet")]), name
    text = (tmp_path / "a" / "interventions.txt").read_text(encoding="utf-8")
    assert text == (tmp_path / "b" / "interventions.txt").read_text(encoding="utf-8")


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        country(school_years=["2023/24"], scale=0)
    with pytest.raises(ValueError, match="at least one school year"):
        country(school_years=[])
    with pytest.raises(ValueError, match="not a Danish municipality"):
        country(school_years=["2023/24"], municipalities=["Atlantis"])
