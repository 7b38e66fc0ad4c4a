"""The trivsel rules: hand-computed examples, seed figures, properties, differential, bad input."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError, IdsNormalisedWarning
from folkeskolekvalitet._core.frames import carrying, lazy_in_memory
from folkeskolekvalitet.synthetic import wellbeing_answers
from folkeskolekvalitet.testing.wellbeing import (
    broken_wellbeing_answer_frames,
    wellbeing_answer_frames,
)
from folkeskolekvalitet.wellbeing import (
    QUESTION_ENUM,
    QUESTIONS_0_3,
    QUESTIONS_4_9,
    indicators,
    pupil_scores,
    question_shares,
    response_rate,
    score_answers,
    score_distribution,
    share_above,
)
from tests.conftest import Runner
from tests.wellbeing import reference_impl as ref

BASE = {"school_year": "2023/24", "institution_id": "151001"}


def _rows(pupil: str, grade: int, answers: dict[str, str | None]) -> list[dict[str, Any]]:
    return [
        {**BASE, "grade_level": grade, "pupil_id": pupil, "question": q, "answer": a}
        for q, a in answers.items()
    ]


@pytest.fixture
def example() -> pl.DataFrame:
    """Three 6. klasse pupils and one 2. klasse pupil; support and inspiration by hand.

    Support and inspiration has 7 questions, so a pupil needs 4 answers.
    a: 4 of 7 answered (one declined) -> (4 + 5 + 3 + 2) / 4 = 3.5, included;
       "undervisningen_kedelig" is negative: "Aldrig" scores 5.
    b: 3 of 7 answered -> not included (3 < 4).
    c: 7 of 7 -> (2 + 2 + 4 + 4 + 4 + 5 + 3) / 7 = 24/7.
    d: 0.-3. klasse, never in the indicators.
    """
    rows = [
        *_rows(
            "a",
            6,
            {
                "medbestemmelse": "Tit",
                "undervisningen_kedelig": "Aldrig",
                "undervisningen_spaendende": "En gang i mellem",
                "lyst_til_at_laere": "uenig",
                "laerer_paa_gode_maader": "Ønsker ikke at svare",
                "mobbet": "Aldrig",
            },
        ),
        *_rows(
            "b",
            6,
            {
                "medbestemmelse": "Meget tit",
                "undervisningen_kedelig": "Meget tit",
                "elevernes_ideer_bruges": "Helt enig",
                "lyst_til_at_laere": "Jeg ønsker ikke at svare",
                "laererne_stoetter_mig": None,
            },
        ),
        *_rows(
            "c",
            6,
            {
                "medbestemmelse": "Sjældent",
                "undervisningen_kedelig": "Tit",
                "undervisningen_spaendende": "Tit",
                "laerer_paa_gode_maader": "Tit",
                "lyst_til_at_laere": "Enig",
                "laererne_stoetter_mig": "Helt enig",
                "elevernes_ideer_bruges": "Hverken enig eller uenig",
            },
        ),
        *_rows("d", 2, {"glad_for_skolen": "Ja, meget", "alene": "Nej", "driller": "Ja, tit"}),
    ]
    return pl.DataFrame(rows)


def test_example_pupil_scores(example: pl.DataFrame, run: Runner) -> None:
    out = run(pupil_scores, example).filter(pl.col("indicator") == "support_inspiration")
    assert out["pupil_id"].to_list() == ["a", "b", "c"]
    assert out["n_answered"].to_list() == [4, 3, 7]
    assert out["n_required"].to_list() == [4, 4, 4]
    scores = out["score"].to_list()
    assert scores[0] == 3.5
    assert scores[1] is None
    assert scores[2] == pytest.approx(24 / 7)


def test_example_indicators(example: pl.DataFrame, run: Runner) -> None:
    out = run(indicators, example)
    support = out.filter(pl.col("indicator") == "support_inspiration").row(0, named=True)
    assert support["n_pupils"] == 3  # the 0.-3. pupil never counts
    assert support["n_pupils_included"] == 2
    assert support["mean"] == pytest.approx((3.5 + 24 / 7) / 2)
    assert support["std"] == pytest.approx(abs(3.5 - 24 / 7) / math.sqrt(2))
    social = out.filter(pl.col("indicator") == "social").row(0, named=True)
    assert social["n_pupils_included"] == 0  # one of 10 social questions answered
    assert social["mean"] is None
    assert out["indicator"].to_list() == [
        "social",
        "academic",
        "support_inspiration",
        "calm_order",
        "general",
    ]


def test_example_scores(example: pl.DataFrame, run: Runner) -> None:
    out = run(score_answers, example)
    assert out.columns == [*example.columns, "score"]
    a = out.filter(pl.col("pupil_id") == "a")["score"].to_list()
    assert a == [4, 5, 3, 2, None, 5]
    d = out.filter(pl.col("pupil_id") == "d")["score"].to_list()
    assert d == [5, 5, 1]  # "alene", "driller" negative: "Nej" is best; 3 options: 5, 3, 1


def test_example_distribution_and_share_above(example: pl.DataFrame, run: Runner) -> None:
    dist = run(score_distribution, example).filter(pl.col("indicator") == "support_inspiration")
    assert dist["interval"].to_list() == ["[1,2]", "(2,3]", "(3,4]", "(4,5]"]
    assert dist["n"].to_list() == [0, 0, 2, 0]
    assert dist["share"].to_list() == [0.0, 0.0, 1.0, 0.0]
    above = run(share_above, example, threshold=3.45).filter(
        pl.col("indicator") == "support_inspiration"
    )
    assert above.select("n_pupils_included", "n_above", "share_above").row(0) == (2, 1, 0.5)


def test_general_is_not_the_mean_of_the_four(run: Runner) -> None:
    """Social and calm all best (5), academic and support all worst (1)."""
    rows = []
    for q in QUESTIONS_4_9:
        if q.indicator == "other":
            continue
        best = q.indicator in ("social", "calm_order")
        rows.append(
            {
                **BASE,
                "grade_level": 8,
                "pupil_id": "x",
                "question": q.key,
                "score": 5 if best else 1,
            }
        )
    out = run(indicators, pl.DataFrame(rows))
    means = dict(zip(out["indicator"].to_list(), out["mean"].to_list(), strict=True))
    assert means["social"] == 5.0
    assert means["academic"] == 1.0
    assert means["general"] == pytest.approx((10 * 5 + 8 + 7 + 4 * 5) / 29)
    four = (
        means["social"] + means["academic"] + means["support_inspiration"] + means["calm_order"]
    ) / 4
    assert four == 3.0
    assert means["general"] != pytest.approx(four)


def test_half_rule_boundaries(run: Runner) -> None:
    """Exactly half counts (2 of 4 calm questions; 15 of 29 general), one fewer does not."""
    calm = [q.key for q in QUESTIONS_4_9 if q.indicator == "calm_order"]
    rows = [
        {**BASE, "grade_level": 5, "pupil_id": "two", "question": calm[0], "score": 4},
        {**BASE, "grade_level": 5, "pupil_id": "two", "question": calm[1], "score": 3},
        {**BASE, "grade_level": 5, "pupil_id": "one", "question": calm[0], "score": 4},
        {**BASE, "grade_level": 5, "pupil_id": "one", "question": calm[1], "score": 0},
    ]
    out = run(pupil_scores, pl.DataFrame(rows)).filter(pl.col("indicator") == "calm_order")
    assert out.select("pupil_id", "n_answered", "score").rows() == [
        ("one", 1, None),
        ("two", 2, 3.5),
    ]


def _shares_frame(counts: dict[str, int], question: str, n: int = 100) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for text, k in counts.items():
        rows += [{"answer": text, "question": question} for _ in range(k)]
    assert len(rows) == n
    return rows


def test_seed_ballerup_2018_question_shares(run: Runner) -> None:
    """Baltorpskolen 2017/18 (Ballerup kvalitetsrapport 2018, Figur 29-34): 61 % glad for
    the school (meget tit/tit), 16 % medbestemmelse, 78 % hear the teacher, 65 % klarer sig
    godt fagligt (helt enig/enig). Answers built to give the published shares."""
    figures = {
        "glad_for_skolen": (
            {"Meget tit": 30, "Tit": 31, "En gang imellem": 25, "Sjældent": 10, "Aldrig": 4},
            0.61,
        ),
        "medbestemmelse": (
            {"Meget tit": 4, "Tit": 12, "En gang imellem": 40, "Sjældent": 30, "Aldrig": 14},
            0.16,
        ),
        "let_at_hoere_laereren": (
            {"Meget tit": 38, "Tit": 40, "En gang imellem": 15, "Sjældent": 5, "Aldrig": 2},
            0.78,
        ),
        "klarer_mig_godt_fagligt": (
            {
                "Helt enig": 25,
                "Enig": 40,
                "Hverken enig eller uenig": 25,
                "Uenig": 6,
                "Helt uenig": 4,
            },
            0.65,
        ),
        "mobbet": (
            {"Aldrig": 85, "Sjældent": 8, "En gang imellem": 4, "Tit": 2, "Meget tit": 1},
            0.93,
        ),
    }
    rows = []
    for key, (counts, _) in figures.items():
        for i, r in enumerate(_shares_frame(counts, key)):
            rows.append(
                {
                    "school_year": "2017/18",
                    "institution_id": "151010",
                    "grade_level": 4 + i % 6,
                    "pupil_id": f"p{i}",
                    **r,
                }
            )
    out = run(question_shares, pl.DataFrame(rows))
    got = dict(zip(out["question"].to_list(), out["share_top2"].to_list(), strict=True))
    for key, (_, share) in figures.items():
        assert got[key] == pytest.approx(share)
    assert out.height == 40  # every 4.-9. question, zero rows kept
    assert out.filter(pl.col("question") == "tryg")["n_answered"].to_list() == [0]


def test_seed_ballerup_2018_response_rate(run: Runner) -> None:
    """Baltorpskolen 2017/18: 83 % of the pupils in 4.-9. klasse answered."""
    answers = pl.DataFrame(
        {
            "school_year": "2017/18",
            "institution_id": "151010",
            "grade_level": 7,
            "pupil_id": [f"p{i}" for i in range(83)],
            "question": "mobbet",
            "score": 5,
        }
    )
    enrolment = pl.DataFrame(
        {
            "school_year": "2017/18",
            "institution_id": "151010",
            "grade_level": [4, 5, 6, 7, 8, 9, 10],
            "n_enrolled": [17, 17, 17, 17, 16, 16, 30],
        }
    )
    out = run(response_rate, answers, enrolment)
    assert out.select("n_enrolled", "n_answering", "response_rate").row(0) == (100, 83, 0.83)


def test_response_rate_with_pupil_list_and_missing_group(run: Runner) -> None:
    answers = pl.DataFrame(
        {
            "school_year": "2023/24",
            "institution_id": "151001",
            "grade_level": 3,
            "pupil_id": ["a", "b"],
            "question": "alene",
            "score": [3, 0],
        }
    )
    enrolment = pl.DataFrame(
        {
            "school_year": "2023/24",
            "institution_id": ["151001"] * 3 + ["151002"],
            "grade_level": 3,
            "pupil_id": ["a", "b", "c", "z"],
        }
    )
    out = run(response_rate, answers, enrolment)
    assert out.select("institution_id", "n_enrolled", "n_answering", "response_rate").rows() == [
        ("151001", 3, 2, pytest.approx(2 / 3)),
        ("151002", 1, 0, 0.0),
    ]


@pytest.mark.parametrize(
    ("answers_dtype", "enrolment_dtype"),
    [
        (pl.Categorical(), pl.String()),
        (pl.String(), pl.Enum(["101", "151"])),
        (pl.Enum(["151"]), pl.Enum(["101", "151"])),
    ],
)
def test_response_rate_by_a_code_column_of_two_dtypes(
    run: Runner, answers_dtype: pl.DataType, enrolment_dtype: pl.DataType
) -> None:
    # a by column read as Categorical on one side and as text on the other (a warehouse
    # export and a register file) is one column: the counts meet, no dtype error
    answers = pl.DataFrame(
        {
            "school_year": "2023/24",
            "municipality_code": "151",
            "institution_id": "151001",
            "grade_level": 3,
            "pupil_id": ["a", "b"],
            "question": "alene",
            "score": [3, 0],
        }
    ).with_columns(pl.col("municipality_code").cast(answers_dtype))
    enrolment = pl.DataFrame(
        {
            "school_year": "2023/24",
            "municipality_code": "151",
            "institution_id": "151001",
            "grade_level": 3,
            "pupil_id": ["a", "b", "c", "d"],
        }
    ).with_columns(pl.col("municipality_code").cast(enrolment_dtype))
    out = run(response_rate, answers, enrolment, by=("school_year", "municipality_code"))
    assert out.select(pl.col("municipality_code").cast(pl.String), "response_rate").rows() == [
        ("151", 0.5)
    ]


def test_response_rate_refuses_answering_pupil_outside_enrolment(run: Runner) -> None:
    """Issue 9, item 4: a pupil enrolled at a grade outside grade_levels gave a rate of 2.0."""
    answers = pl.DataFrame(
        {
            **BASE,
            "grade_level": 8,
            "pupil_id": ["a", "b"],
            "question": "mobbet",
            "score": [5, 4],
        }
    )
    by_pupil = pl.DataFrame({**BASE, "grade_level": [8, 3], "pupil_id": ["a", "b"]})
    with pytest.raises(DataError, match="not enrolled") as err:
        run(response_rate, answers, by_pupil, grade_levels=range(4, 10))
    assert err.value.problems[0].n_rows == 1
    counts = pl.DataFrame({**BASE, "grade_level": [8, 3], "n_enrolled": [1, 1]})
    with pytest.raises(DataError, match="more answering pupils than enrolled"):
        run(response_rate, answers, counts, grade_levels=range(4, 10))
    # all enrolled at a counted grade: a rate of 1, never above
    ok = pl.DataFrame({**BASE, "grade_level": 8, "pupil_id": ["a", "b"]})
    assert run(response_rate, answers, ok)["response_rate"].to_list() == [1.0]


@given(wellbeing_answer_frames(max_pupils=15), st.integers(0, 9))
def test_response_rate_never_above_one(df: pl.DataFrame, cut: int) -> None:
    """Enrolment = every answering pupil at its grade; whatever grades are counted, rate <= 1."""
    enrolment = df.select("school_year", "institution_id", "grade_level", "pupil_id").unique()
    out = response_rate(df, enrolment, grade_levels=range(cut, 10))
    assert out["response_rate"].drop_nulls().le(1.0).all()


def _extreme_answers(best: bool, form: str, n_pupils: int, grade: int) -> pl.DataFrame:
    rows = []
    for p in range(n_pupils):
        for q in QUESTIONS_4_9:
            row: dict[str, Any] = {**BASE, "grade_level": grade, "pupil_id": f"p{p}"}
            row["question"] = q.key
            if form == "score":  # oriented option position
                row["score"] = q.max_points if best else 1
            else:
                first = (q.polarity == "positive") == best
                row["answer"] = q.option_texts[0] if first else q.option_texts[-1]
            rows.append(row)
    return pl.DataFrame(rows)


@given(
    st.booleans(),
    st.sampled_from(["answer", "score"]),
    st.integers(1, 4),
    st.integers(4, 9),
)
@settings(max_examples=30, deadline=None)
def test_all_best_gives_five_and_all_worst_one(best: bool, form: str, n: int, grade: int) -> None:
    """Issue 9, item 1: the four-option question 28 was scored 1-4 inside the 1-5 indicators.

    The best answer to every question gave Faglig trivsel 4.875; now every indicator is
    exactly 5 for all-best answers and exactly 1 for all-worst, in every mode.
    """
    df = _extreme_answers(best, form, n, grade)
    want = 5.0 if best else 1.0
    for frame in (df, df.lazy()):
        out = indicators(frame)
        out = out.collect() if isinstance(out, pl.LazyFrame) else out
        assert out["mean"].to_list() == [want] * 5, out
    scores = pupil_scores(df)["score"].to_list()
    assert scores == [want] * (5 * n)


def test_four_option_question_is_rescaled_onto_one_to_five(run: Runner) -> None:
    """Question 28's four options score 5, 3 2/3, 2 1/3 and 1 (issue 9, item 1)."""
    q28 = "laerernes_syn_paa_fremskridt"
    texts = ["Virkelig gode", "Gode", "Middel", "Under middel", "Ønsker ikke at svare"]
    df = pl.DataFrame(
        {**BASE, "grade_level": 6, "pupil_id": [f"p{i}" for i in range(5)], "question": q28}
    ).with_columns(pl.Series("answer", texts))
    out = run(score_answers, df)
    assert out.schema["score"] == pl.Float64
    assert out["score"].to_list() == [5.0, 11 / 3, 7 / 3, 1.0, None]
    by_score = df.drop("answer").with_columns(pl.Series("score", [4, 3, 2, 1, 0], dtype=pl.Int8))
    assert run(score_answers, by_score)["score"].to_list() == [5.0, 11 / 3, 7 / 3, 1.0, None]
    with pytest.raises(DataError, match="score above 4 for question 28"):
        run(score_answers, by_score.with_columns(pl.lit(5).alias("score")))


@pytest.mark.parametrize(
    "question",
    [
        pl.Series(["laerernes_syn_paa_fremskridt"] * 2, dtype=QUESTION_ENUM),
        pl.Series(["laerernes_syn_paa_fremskridt"] * 2),
        pl.Series([" Laerernes_Syn_Paa_Fremskridt", "28.0 "]),
        pl.Series([28, 28], dtype=pl.Int16),
        pl.Series(["28", " 28"], dtype=pl.Enum(["28", " 28", "ensom"])),
    ],
    ids=["enum", "text", "text-respelled", "integer", "enum-of-numbers"],
)
def test_a_score_above_a_short_scale_is_found_in_every_spelling(question: pl.Series) -> None:
    df = pl.DataFrame(
        {**BASE, "grade_level": 6, "pupil_id": ["p1", "p2"], "score": [5, 4]}
    ).with_columns(question.alias("question"))
    with pytest.raises(DataError, match="score above 4 for question 28") as err:
        score_answers(df)
    assert "(1 row)" in str(err.value)  # the count comes from the cheap form, exact


# --- properties -----------------------------------------------------------------------------


def _dicts(df: pl.DataFrame) -> list[dict[str, Any]]:
    return df.with_columns(pl.col("question").cast(pl.String)).to_dicts()


@given(wellbeing_answer_frames(max_pupils=25))
def test_differential_indicators(df: pl.DataFrame) -> None:
    by = ("school_year", "institution_id")
    out = indicators(df)
    expected = ref.indicators(_dicts(df), by)
    assert out.height == len(expected)
    for row in out.iter_rows(named=True):
        exp = expected[(row["school_year"], row["institution_id"], row["indicator"])]
        assert row["n_pupils"] == exp["n_pupils"]
        assert row["n_pupils_included"] == exp["n_pupils_included"]
        assert ref.close(row["mean"], exp["mean"])
        assert ref.close(row["std"], exp["std"]) or math.isclose(
            row["std"], exp["std"], rel_tol=1e-6
        )


@given(wellbeing_answer_frames(max_pupils=20))
def test_differential_distribution(df: pl.DataFrame) -> None:
    out = score_distribution(df, by="institution_id")
    expected = ref.distribution(_dicts(df), ("institution_id",))
    assert out.height == len(expected)
    for row in out.iter_rows(named=True):
        n, included = expected[(row["institution_id"], row["indicator"], row["interval"])]
        assert (row["n"], row["n_pupils"]) == (n, included)
        if included:
            assert row["share"] == pytest.approx(n / included)
        else:
            assert row["share"] is None


@settings(max_examples=30)
@given(wellbeing_answer_frames(max_pupils=15, grade_levels=(1, 3, 5, 9)))
def test_differential_question_shares(df: pl.DataFrame) -> None:
    out = question_shares(df, by="school_year")
    expected = ref.question_shares(_dicts(df), ("school_year",))
    seen = {}
    for row in out.iter_rows(named=True):
        key = (row["school_year"], row["questionnaire"], row["question"])
        seen[key] = (row["n_answered"], row["n_declined"], row["n_top2"])
        assert seen[key] == expected.get(key, (0, 0, 0))
    assert set(expected) <= set(seen)


@settings(max_examples=15)
@given(wellbeing_answer_frames(max_pupils=10))
def test_eager_lazy_streaming_agree(df: pl.DataFrame) -> None:
    for fn, kwargs in (
        (indicators, {}),
        (pupil_scores, {}),
        (score_distribution, {"by": ("school_year", "grade_level")}),
        (share_above, {"threshold": 4}),
        (question_shares, {}),
        (score_answers, {}),
    ):
        eager = fn(df, **kwargs)
        lazy = fn(df.lazy(), **kwargs)
        assert isinstance(lazy, pl.LazyFrame)
        assert_frame_equal(lazy.collect(engine="in-memory"), eager)
        assert_frame_equal(lazy.collect(engine="streaming"), eager)


@settings(max_examples=25)
@given(wellbeing_answer_frames(max_pupils=12), st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(df: pl.DataFrame, rnd: Any) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = df[order]
    assert_frame_equal(indicators(shuffled), indicators(df))
    assert_frame_equal(question_shares(shuffled), question_shares(df))


@settings(max_examples=25)
@given(wellbeing_answer_frames(max_pupils=12, form="score", grade_levels=(5, 8)))
def test_pupils_who_answered_nothing_change_only_counts(df: pl.DataFrame) -> None:
    if df.is_empty():
        return
    first = df["pupil_id"][0]
    ghost = df.filter(pl.col("pupil_id") == first).with_columns(
        pl.lit("ghost").alias("pupil_id"), pl.lit(0, dtype=pl.Int8).alias("score")
    )
    before, after = indicators(df), indicators(pl.concat([df, ghost]))
    assert_frame_equal(after.drop("n_pupils"), before.drop("n_pupils"))
    group = (df["school_year"][0], df["institution_id"][0])
    grown = after.filter(pl.col("school_year") == group[0], pl.col("institution_id") == group[1])
    same = before.filter(pl.col("school_year") == group[0], pl.col("institution_id") == group[1])
    assert (grown["n_pupils"] - same["n_pupils"]).to_list() == [1] * 5


@settings(max_examples=25)
@given(wellbeing_answer_frames(max_pupils=15))
def test_interval_shares_sum_to_one(df: pl.DataFrame) -> None:
    out = (
        score_distribution(df)
        .group_by("school_year", "institution_id", "indicator")
        .agg(pl.col("share").sum(), pl.col("n").sum(), pl.col("n_pupils").first())
    )
    for row in out.iter_rows(named=True):
        assert row["n"] == row["n_pupils"]
        if row["n_pupils"]:
            assert row["share"] == pytest.approx(1.0)


@settings(max_examples=30)
@given(wellbeing_answer_frames(max_pupils=10))
def test_answer_texts_and_scores_agree(df: pl.DataFrame) -> None:
    """Scoring the texts gives the scores they were made from (any question form)."""
    scored = score_answers(df)
    assert scored.schema["score"] == pl.Float64
    got, expected = scored["score"].to_list(), [ref.score_of(r) for r in _dicts(df)]
    assert len(got) == len(expected)
    assert all(ref.close(a, b) for a, b in zip(got, expected, strict=True)), (got, expected)


@settings(max_examples=25)
@given(wellbeing_answer_frames(max_pupils=12), st.floats(1, 5))
def test_share_above_matches_pupil_scores(df: pl.DataFrame, threshold: float) -> None:
    scores = pupil_scores(df)
    out = share_above(df, threshold=threshold, by="institution_id")
    for row in out.iter_rows(named=True):
        mine = scores.filter(
            pl.col("institution_id") == row["institution_id"],
            pl.col("indicator") == row["indicator"],
        )["score"].drop_nulls()
        assert row["n_pupils_included"] == mine.len()
        assert row["n_above"] == (mine > threshold).sum()


# --- bad input ------------------------------------------------------------------------------


@given(broken_wellbeing_answer_frames())
def test_broken_frames_raise_data_error(case: tuple[pl.DataFrame, str, str]) -> None:
    broken, kind, column = case
    with pytest.raises(DataError) as info:
        indicators(broken)
    assert any(p.column == column for p in info.value.problems), (kind, str(info.value))


def _one(**extra: Any) -> dict[str, Any]:
    return {**BASE, "grade_level": 6, "pupil_id": "a", "question": "mobbet", **extra}


@pytest.mark.parametrize(
    ("rows", "column", "words"),
    [
        ([_one(question="41", score=3)], "question", "unknown question"),
        ([_one(question=41, score=3)], "question", "unknown question"),
        ([_one(question="alene", score=3)], "question", "unknown question"),  # a 0.-3. key
        ([_one(score=7)], "score", "outside 0-5"),
        ([_one(grade_level=2, question="alene", score=4)], "score", "outside 0-3"),
        ([_one(answer="Måske")], "answer", "unknown answer text"),
        ([_one(answer="Helt enig")], "question, answer", "not an option"),
        ([_one(score=3), _one(score=4)], "school_year, pupil_id, question", "duplicated"),
        (
            [_one(score=3), _one(question="14", score=4)],
            "school_year, pupil_id, question",
            "duplicated",
        ),
        ([_one(score=3, pupil_id="010203-1234")], "pupil_id", "CPR"),
        ([_one(score=3, grade_level=10)], "grade_level", "outside 0-9"),
        ([_one(score=3, school_year="2017/19")], "school_year", "not a school year"),
        ([_one()], "answer, score", "missing column"),
        ([_one(score=3, answer="Tit")], "answer, score", "not both"),
        ([_one(score=None, question=None)], "question", "null"),
    ],
)
def test_bad_input(rows: list[dict[str, Any]], column: str, words: str) -> None:
    with pytest.raises(DataError) as info:
        indicators(pl.DataFrame(rows))
    problem = next(p for p in info.value.problems if p.column == column)
    assert words in problem.rule


def test_every_problem_listed_at_once() -> None:
    rows = [_one(question="41", score=7), _one(question="tryg", score=3, pupil_id="010203-1234")]
    with pytest.raises(DataError) as info:
        question_shares(pl.DataFrame(rows))
    assert {p.column for p in info.value.problems} >= {"question", "score", "pupil_id"}
    assert "41" in str(info.value)


def test_wrong_dtype_and_missing_by() -> None:
    df = pl.DataFrame([_one(score=3)]).with_columns(pl.col("grade_level").cast(pl.Float64))
    with pytest.raises(DataError, match="grade_level"):
        indicators(df)
    # Klassetrin as text is read ("5", "5. klasse"); other text is refused.
    as_text = pl.DataFrame([_one(score=3)]).with_columns(pl.col("grade_level").cast(pl.String))
    assert_frame_equal(indicators(as_text), indicators(pl.DataFrame([_one(score=3)])))
    with pytest.raises(DataError, match="not a klassetrin"):
        indicators(as_text.with_columns(grade_level=pl.lit("femte")))
    with pytest.raises(DataError, match="municipality_code"):
        indicators(pl.DataFrame([_one(score=3)]), by="municipality_code")


def test_cpr_allowed_when_asked() -> None:
    out = indicators(pl.DataFrame([_one(score=3, pupil_id="010203-1234")]), allow_cpr=True)
    assert out["n_pupils"].to_list() == [1] * 5


def test_enrolment_needs_counts_or_pupils() -> None:
    answers = pl.DataFrame([_one(score=3)])
    with pytest.raises(DataError, match="n_enrolled"):
        response_rate(answers, pl.DataFrame({**BASE, "grade_level": [6]}))


def test_validate_false_trusts_the_input() -> None:
    df = pl.DataFrame([_one(score=3), _one(question="tryg", score=4)])
    assert_frame_equal(indicators(df, validate=False), indicators(df))


@pytest.mark.parametrize("form", ["key", "number", "enum"])
def test_duplicates_found_for_every_question_dtype(form: str) -> None:
    rows = pl.DataFrame(
        [
            _one(question="mobbet", score=3),
            _one(question="tryg", score=4),
            _one(question="tryg", score=5),
        ]
    )
    if form == "number":
        rows = rows.with_columns(pl.col("question").replace_strict({"mobbet": 14, "tryg": 13}))
    elif form == "enum":
        rows = rows.with_columns(pl.col("question").cast(QUESTION_ENUM))
    with pytest.raises(DataError, match="duplicated pupil-question row") as info:
        indicators(rows)
    assert info.value.problems[0].n_rows == 1
    other_year = rows.with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("2022/23"))
        .otherwise("school_year")
        .alias("school_year")
    )
    assert indicators(other_year).height == 10  # the same pupil in two years is fine


@pytest.mark.parametrize(
    ("column", "values", "name"),
    [
        ("grade_level", [5, 5, 5, 6, 6, 6], "grade_level"),
        ("institution_id", ["1", "1", "1", "2", "2", "2"], "institution_id"),
        ("class_id", ["5a", "5a", "5a", "5b", "5b", "5b"], "class_id"),
    ],
)
def test_a_pupil_split_over_grades_schools_or_classes_is_an_error(
    column: str, values: list[Any], name: str
) -> None:
    # Without the check, the pupil's 6 social answers were counted as two pupils
    # with 3 answers each, both below the half rule (n_pupils 2, mean null).
    social = [q.key for q in QUESTIONS_4_9 if q.indicator == "social"][:6]
    rows = pl.DataFrame(
        {**BASE, "grade_level": 5, "class_id": "5a", "pupil_id": "a", "question": social}
    ).with_columns(pl.Series(column, values), score=pl.lit(5))
    with pytest.raises(DataError) as info:
        indicators(rows, by="school_year")
    problem = next(p for p in info.value.problems if p.column == "school_year, pupil_id")
    assert name in problem.rule
    assert problem.n_rows == 6
    with pytest.raises(DataError):
        pupil_scores(rows.lazy())
    consistent = rows.with_columns(pl.lit(values[0]).alias(column))
    out = indicators(consistent, by="school_year").filter(pl.col("indicator") == "social")
    assert out.select("n_pupils", "n_pupils_included", "mean").row(0) == (1, 1, 5.0)


def test_negative_enrolment_count_is_a_data_error() -> None:
    # Used to raise Polars' InvalidOperationError (cast of -4 to UInt32).
    answers = pl.DataFrame([_one(score=3)])
    enrolment = pl.DataFrame({**BASE, "grade_level": [6, 6], "n_enrolled": [-4, 2]})
    with pytest.raises(DataError, match="negative count") as info:
        response_rate(answers, enrolment)
    assert info.value.problems[0].n_rows == 1


@pytest.mark.parametrize(
    ("indicator", "required"),
    [("social", 5), ("academic", 4), ("support_inspiration", 4), ("calm_order", 2)],
)
def test_half_rule_boundary_of_every_indicator(indicator: str, required: int) -> None:
    """At least half of the indicator's questions (RULES §3: 5/10, 4/8, 4/7, 2/4)
    counts, one fewer does not; declined answers ("ønsker ikke at svare") do not count."""
    keys = [q.key for q in QUESTIONS_4_9 if q.indicator == indicator]
    rows = []
    for pupil, n_answered in (("at", required), ("below", required - 1)):
        for i, key in enumerate(keys):
            score = (3 if i % 2 else 5) if i < n_answered else 0
            rows.append(
                {**BASE, "grade_level": 7, "pupil_id": pupil, "question": key, "score": score}
            )
    out = pupil_scores(pl.DataFrame(rows)).filter(pl.col("indicator") == indicator)
    answered = [(3 if i % 2 else 5) for i in range(required)]
    assert out.select("pupil_id", "n_answered", "n_required", "score").rows() == [
        ("at", required, required, sum(answered) / required),
        ("below", required - 1, required, None),
    ]


def test_half_rule_boundary_of_general() -> None:
    """General: 15 of the 29 indicator questions count, 14 do not; other questions never."""
    inside = [q.key for q in QUESTIONS_4_9 if q.indicator != "other"]
    other = [q.key for q in QUESTIONS_4_9 if q.indicator == "other"]
    assert len(inside) == 29
    rows = []
    for pupil, n in (("at", 15), ("below", 14)):
        keys = inside[:n] + other  # the 11 other questions must not help
        rows += [
            {**BASE, "grade_level": 9, "pupil_id": pupil, "question": k, "score": 4} for k in keys
        ]
    out = pupil_scores(pl.DataFrame(rows)).filter(pl.col("indicator") == "general")
    assert out.select("pupil_id", "n_answered", "score").rows() == [
        ("at", 15, 4.0),
        ("below", 14, None),
    ]


def test_a_pupil_split_over_two_spellings_of_the_year_is_an_error() -> None:
    social = [q.key for q in QUESTIONS_4_9 if q.indicator == "social"][:6]
    rows = pl.DataFrame(
        {
            **BASE,
            "school_year": ["2023/24"] * 3 + ["2023-24"] * 3,
            "grade_level": [5, 5, 5, 6, 6, 6],
            "pupil_id": "a",
            "question": social,
            "score": 5,
        }
    )
    with pytest.raises(DataError, match="grade_level within a school year"):
        indicators(rows)


@pytest.mark.parametrize("allow_cpr", [False, True])
def test_error_examples_never_show_a_cpr_number(allow_cpr: bool) -> None:
    # The duplicate example used to print the pupil id as given: '010203-1234'.
    cpr = "010203-1234"
    social = [q.key for q in QUESTIONS_4_9 if q.indicator == "social"]
    duplicated = pl.DataFrame([_one(score=3, pupil_id=cpr), _one(score=4, pupil_id=cpr)])
    split = pl.DataFrame(
        [
            _one(question=social[0], score=3, pupil_id=cpr, grade_level=5),
            _one(question=social[1], score=3, pupil_id=cpr, grade_level=6),
        ]
    )
    for df, words in ((duplicated, "duplicated"), (split, "disagree")):
        with pytest.raises(DataError, match=words) as info:
            indicators(df, allow_cpr=allow_cpr)
        assert "1234" not in str(info.value)
        assert "hidden" in str(info.value)


# --- one round: the shared input pipeline ---------------------------------------------------


def test_every_kind_of_problem_in_one_data_error() -> None:
    """Schema-sound input with value, catalogue, key and per-pupil problems: one error."""
    social = [q.key for q in QUESTIONS_4_9 if q.indicator == "social"]
    rows = [
        _one(question="41", answer="Tit"),  # unknown question
        _one(question=social[0], answer="Måske"),  # unknown answer text
        _one(question=social[1], answer="Helt enig", pupil_id="b"),  # not on the scale
        _one(question=social[2], answer="Tit", pupil_id="c"),
        _one(question=social[2], answer="Tit", pupil_id="c"),  # duplicated
        _one(question=social[3], answer="Tit", pupil_id="d", grade_level=5),
        _one(question=social[4], answer="Tit", pupil_id="d", grade_level=6),  # pupil split
        _one(question=social[5], answer="Tit", pupil_id="010203-1234"),  # CPR
        _one(question=social[6], answer="Tit", pupil_id="e", grade_level=11),  # grade level
        _one(question=social[7], answer="Tit", pupil_id="f", school_year="2023/25"),
    ]
    with pytest.raises(DataError) as info:
        indicators(pl.DataFrame(rows))
    found = {(p.column, p.rule.split(" (")[0].split(":")[0]) for p in info.value.problems}
    assert {column for column, _ in found} >= {
        "question",
        "answer",
        "question, answer",
        "school_year, pupil_id, question",
        "school_year, pupil_id",
        "pupil_id",
        "grade_level",
        "school_year",
    }, found
    assert "1234" not in str(info.value)


def test_score_problems_and_catalogue_problems_in_one_data_error() -> None:
    rows = [
        _one(question="41", score=3),
        _one(question="mobbet", score=7, pupil_id="b"),
        _one(question="28", score=5, pupil_id="c"),  # a four-option question
        _one(question="alene", score=4, pupil_id="d", grade_level=2),
    ]
    with pytest.raises(DataError) as info:
        indicators(pl.DataFrame(rows).lazy())
    rules = [p.rule for p in info.value.problems]
    assert any("unknown question" in r for r in rules)
    assert any("outside 0-5" in r for r in rules)
    assert any("score above 4 for question 28" in r for r in rules)
    assert any("outside 0-3" in r for r in rules)
    assert all(p.n_rows == 1 for p in info.value.problems)


def test_a_key_and_a_number_of_one_question_are_one_question_in_every_dtype() -> None:
    rows = pl.DataFrame([_one(question="mobbet", answer="Tit"), _one(question="14", answer="Tit")])
    with pytest.raises(DataError, match="duplicated pupil-question row") as info:
        score_answers(rows)
    assert [p.n_rows for p in info.value.problems] == [1]
    # a 0.-3. klasse pupil's question 14 is another question than mobbet
    other = rows.with_columns(pl.Series("pupil_id", ["a", "b"]))
    assert score_answers(other).height == 2


def test_a_grouping_column_varying_within_a_pupil_is_an_error() -> None:
    rows = pl.DataFrame(
        [
            {**_one(question="mobbet", score=3), "municipality_code": "101"},
            {**_one(question="tryg", score=3), "municipality_code": "147"},
        ]
    )
    with pytest.raises(DataError, match="municipality_code within a school year"):
        indicators(rows, by="municipality_code")


@pytest.mark.parametrize("lazy", [False, True])
def test_validate_false_agrees_on_an_enum_question(lazy: bool) -> None:
    rows = pl.DataFrame(
        [_one(question=k, score=1 + i % 4, pupil_id="y") for i, k in enumerate(_KEYS_4_9)]
        + [_one(question=k, score=i % 3, pupil_id="z", grade_level=2) for i, k in enumerate(_0_3)]
    ).with_columns(pl.col("question").cast(QUESTION_ENUM))
    data = rows.lazy() if lazy else rows
    for rule in (indicators, question_shares, score_answers):
        checked, trusted = rule(data), rule(data, validate=False)
        if lazy:
            checked, trusted = checked.collect(), trusted.collect()
        assert_frame_equal(trusted, checked)


_KEYS_4_9 = [q.key for q in QUESTIONS_4_9]
_0_3 = [q.key for q in QUESTIONS_0_3]


@pytest.mark.parametrize("lazy", [False, True])
def test_validate_false_agrees_on_texts_numbers_and_spellings(lazy: bool) -> None:
    social = [q.key for q in QUESTIONS_4_9 if q.indicator == "social"]
    rows = pl.DataFrame(
        [
            _one(question=" 2 ", score=4, pupil_id=p, school_year=y)
            for p, y in (("a", "2023/24"), ("b", "2023/2024"))
        ]
        + [
            _one(question=k.upper(), score=1 + i % 4, pupil_id=p, school_year=y)
            for i, k in enumerate(social[2:])
            for p, y in (("a", "2023/24"), ("b", "2023/2024"))
        ]
    )
    data = rows.lazy() if lazy else rows
    for rule in (indicators, question_shares):
        checked, trusted = rule(data), rule(data, validate=False)
        if lazy:
            checked, trusted = checked.collect(), trusted.collect()
        assert_frame_equal(trusted, checked)


@settings(max_examples=25)
@given(
    wellbeing_answer_frames(max_pupils=20, institutions=("151001", "151002", "157001")),
    st.sampled_from(
        [
            ("school_year",),
            ("school_year", "municipality_code"),
            ("municipality_code", "school_year", "institution_id"),
        ]
    ),
)
def test_carried_columns_change_no_number(df: pl.DataFrame, by: tuple[str, ...]) -> None:
    # The indicator table vouches that a school's columns are one per pupil: they join
    # the pupil grouping (and the row counts' grouping, summed over by) so that its
    # levels share one step. Every rule gives the same numbers as without them.
    df = df.with_columns(pl.col("institution_id").str.slice(0, 3).alias("municipality_code"))
    carried = carrying(lazy_in_memory(df), ("institution_id", "municipality_code"))
    enrolment = df.select("school_year", "institution_id", "municipality_code",
                          "grade_level", "pupil_id").unique()  # fmt: skip
    calls: list[tuple[Any, dict[str, Any]]] = [
        (indicators, {}),
        (score_distribution, {}),
        (question_shares, {}),
        (response_rate, {"enrolment": enrolment}),
    ]
    for fn, kwargs in calls:
        for validate in (True, False):
            expected = fn(df, by=by, validate=validate, **kwargs)
            got = fn(carried, by=by, validate=validate, **kwargs).collect()
            assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-12)


def test_response_rate_keeps_a_numeric_by_column_of_two_widths() -> None:
    # grade levels as Int8 in the answers and Int64 in the enrolment join as numbers
    answers = pl.DataFrame(
        {
            **BASE,
            "grade_level": pl.Series([8, 8], dtype=pl.Int8),
            "pupil_id": ["a", "b"],
            "question": "mobbet",
            "score": [5, 4],
        }
    )
    enrolment = pl.DataFrame({**BASE, "grade_level": [8], "n_enrolled": [4]})
    out = response_rate(answers, enrolment, by=("school_year", "grade_level"))
    assert out["grade_level"].dtype.is_integer()
    assert out.select("grade_level", "response_rate").rows() == [(8, 0.5)]


def test_response_rate_counts_the_answering_pupils_of_an_in_memory_frame_once() -> None:
    # validation collects the answering pupils for its check; the rule counts those, and a
    # later call on the same in-memory frame (the indicator table's levels) reads them
    answers = wellbeing_answers(n_schools=2, school_years=["2022/23"], pupils_per_grade=5)
    enrolment = answers.select("school_year", "institution_id", "grade_level", "pupil_id")
    absent = enrolment.head(3).with_columns((pl.lit("x") + pl.col("pupil_id")).alias("pupil_id"))
    enrolment = enrolment.unique().vstack(absent)
    frame = lazy_in_memory(answers)
    for by in (("school_year", "institution_id"), ("school_year",)):
        expected = response_rate(answers, enrolment, by=by, validate=False)
        validated = response_rate(frame, enrolment, by=by).collect()
        later = response_rate(frame, enrolment, by=by, validate=False)
        assert_frame_equal(validated, expected)
        assert_frame_equal(later.collect(), expected)
        # the later plan reads the collected pupils, it does not find them in the answers
        assert "UNIQUE" not in later.explain()
    # respelled ids: validation reads a cleaned frame, so nothing is kept for the raw one
    first = pl.int_range(pl.len()) == 0
    respelled = lazy_in_memory(
        answers.with_columns(
            pl.when(first).then(pl.col("pupil_id") + " ").otherwise(pl.col("pupil_id"))
        )
    )
    with pytest.warns(IdsNormalisedWarning):
        response_rate(respelled, enrolment).collect()
    assert "UNIQUE" in response_rate(respelled, enrolment, validate=False).explain()


@pytest.mark.parametrize("validate", [True, False])
def test_response_rate_reads_the_enrolment_year_in_any_spelling(validate: bool) -> None:
    answers = pl.DataFrame(
        {**BASE, "grade_level": 8, "pupil_id": ["a", "b"], "question": "mobbet", "score": [5, 4]}
    )
    enrolment = pl.DataFrame(
        {
            "school_year": ["2023/2024", "2023/24", " 2023-24 ", "2023/24"],
            "institution_id": "151001",
            "grade_level": 8,
            "pupil_id": ["a", "b", "c", "d"],
        }
    )
    out = response_rate(answers, enrolment, validate=validate)
    assert out.select("school_year", "n_enrolled", "response_rate").rows() == [("2023/24", 4, 0.5)]


def test_response_rate_never_reads_pupils_kept_before_a_column_was_normalised() -> None:
    # A carried column outside by is read as it is; a later call with it in by
    # normalises it: that call counts the pupils it cleaned, not the ones kept before.
    answers = pl.DataFrame(
        {
            "school_year": "2022/23",
            "municipality_code": " 101",
            "institution_id": "151001",
            "grade_level": 8,
            "pupil_id": ["a", "b"],
            "question": "mobbet",
            "score": [5, 4],
        }
    )
    enrolment = answers.select(
        "school_year", "municipality_code", "institution_id", "grade_level", "pupil_id"
    )
    by = ("school_year", "municipality_code")
    frame = carrying(lazy_in_memory(answers), ["municipality_code"])
    response_rate(frame, enrolment, by="school_year").collect()
    with pytest.warns(IdsNormalisedWarning):
        out = response_rate(frame, enrolment, by=by).collect()
    assert out.rows() == [("2022/23", "101", 2, 2, 1.0)]
