"""The model's calibration: grade shifts hit the yearly targets (plain-Python reference)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet.synthetic._world import (
    EXAM_AVERAGE,
    GRADE_CUTS,
    GRADE_POINTS,
    exam_latent_sd,
    grade_shift,
    school_names,
)


def _reference_mean_grade(shift: float, sd: float, steps: int = 20_000) -> float:
    """Mean grade of a latent N(shift, sd) cut at GRADE_CUTS, by numerical integration."""
    total = 0.0
    lo, hi = shift - 8 * sd, shift + 8 * sd
    width = (hi - lo) / steps
    for i in range(steps):
        x = lo + (i + 0.5) * width
        density = math.exp(-0.5 * ((x - shift) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
        step = sum(x >= c for c in GRADE_CUTS)
        total += GRADE_POINTS[step] * density * width
    return total


@given(st.floats(6.0, 8.5))
def test_grade_shift_hits_the_target(target: float) -> None:
    sd = exam_latent_sd()
    shift = grade_shift(target, sd)
    assert _reference_mean_grade(shift, sd, steps=4_000) == pytest.approx(target, abs=0.01)


def test_the_yearly_targets_include_the_published_averages() -> None:
    published = {"2017/18": 7.3, "2018/19": 7.4, "2019/20": 7.5, "2020/21": 7.8, "2022/23": 7.4}
    for year, value in published.items():
        assert EXAM_AVERAGE[year] == value


def test_school_names_are_distinct() -> None:
    names = school_names(200)
    assert len(set(names)) == 200
    assert names[0] == "Lindskolen"
