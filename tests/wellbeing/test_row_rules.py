"""The public row rules: half_rule and pupil_mean (pl.Expr)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet.wellbeing import INDICATORS, half_rule, indicator, pupil_mean


def _reference_mean(scores: list[int], n_questions: int) -> float | None:
    """Plain Python: the mean of the answered questions, if at least half were answered."""
    if len(scores) < math.ceil(n_questions / 2) or not scores:
        return None
    return sum(scores) / len(scores)


def test_half_rule_examples_from_the_ministry() -> None:
    # 5 of the 10 social questions, 4 of 8 academic, 4 of 7 support, 2 of 4 calm, 15 of 29.
    df = pl.DataFrame({"n": [4, 5, 3, 4, 3, 4, 1, 2, 14, 15]})
    sizes = [10, 10, 8, 8, 7, 7, 4, 4, 29, 29]
    out = [df.slice(i, 1).select(half_rule("n", size)).item() for i, size in enumerate(sizes)]
    assert out == [False, True] * 5
    assert [i.n_required for i in INDICATORS] == [5, 4, 4, 2, 15]


def test_half_rule_takes_columns_and_expressions() -> None:
    df = pl.DataFrame({"n": [2, 3], "total": [4, 7]})
    assert df.select(half_rule(pl.col("n"), "total")).to_series().to_list() == [True, False]
    assert df.select(half_rule("n", pl.col("total"))).to_series().to_list() == [True, False]


def test_pupil_mean_example() -> None:
    # Social: 5 answers summing to 18 -> 3.6; 4 answers -> below the half rule.
    df = pl.DataFrame({"s": [18, 16, None], "n": [5, 4, 0]})
    out = df.select(pupil_mean("s", "n", indicator("social").n_questions)).to_series()
    assert out.to_list() == [3.6, None, None]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(INDICATORS),
            st.lists(st.integers(1, 5), max_size=29),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_pupil_mean_matches_the_reference(pupils: list[tuple[object, list[int]]]) -> None:
    rows = []
    for ind, scores in pupils:
        kept = scores[: ind.n_questions]  # type: ignore[attr-defined]
        rows.append((ind.n_questions, kept))  # type: ignore[attr-defined]
    df = pl.DataFrame(
        {
            "total": [t for t, _ in rows],
            "s": [sum(k) for _, k in rows],
            "n": [len(k) for _, k in rows],
        }
    )
    got = df.select(pupil_mean("s", "n", "total")).to_series().to_list()
    included = df.select(half_rule("n", "total")).to_series().to_list()
    for (total, kept), value, inc in zip(rows, got, included, strict=True):
        expected = _reference_mean(kept, total)
        assert inc == (len(kept) >= math.ceil(total / 2))
        if expected is None:
            assert value is None
        else:
            assert value is not None
            assert math.isclose(value, expected)
