"""change() and compare(): differences with their uncertainty, breaks and part-whole tests."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from folkeskolekvalitet.indicators import (
    INDICATOR_SCHEMA,
    change,
    compare,
    table,
    uncertainty,
)
from folkeskolekvalitet.indicators._stats import normal_quantile
from folkeskolekvalitet.synthetic import national_test_results

Z = normal_quantile(0.975)


def _table(rows: list[dict[str, Any]], method: str = "wilson") -> pl.DataFrame:
    base: dict[str, Any] = {
        "unit_level": "school",
        "unit_id": "101001",
        "municipality_code": "101",
        "indicator": "exams.share_took_all_bound_exams",
        "subject": None,
        "grade_level": None,
        "category": None,
        "numerator": None,
        "status": "ok",
        "note": None,
        "source": "computed",
        "_std": None,
    }
    frame = pl.LazyFrame([{**base, **r} for r in rows], infer_schema_length=None)
    out = uncertainty(
        frame, confidence=0.95, method=pl.lit(method), std=pl.col("_std").cast(pl.Float64)
    )
    return out.select(pl.col(c).cast(t) for c, t in INDICATOR_SCHEMA.items()).collect()


def _share(year: str, x: int, n: int, **kw: Any) -> dict[str, Any]:
    return {"school_year": year, "value": x / n, "n": n, "numerator": float(x), **kw}


def test_national_test_change_across_the_regime_break_is_not_comparable() -> None:
    results = national_test_results(
        n_schools=2, school_years=["2021/22", "2022/23"], pupils_per_grade=8
    )
    out = change(table(national_tests=results))
    good = out.filter(pl.col("indicator") == "national_tests.share_good")
    assert good.height > 0
    assert (good["direction"] == "not_comparable").all()
    assert good["reason"].str.contains("regime").all()


def test_share_change_uses_newcombe_and_the_direction_of_the_exact_values() -> None:
    out = change(_table([_share("2017/18", 4, 10), _share("2018/19", 8, 10)]))
    row = out.row(0, named=True)
    assert row["previous_year"] == "2017/18"
    assert row["difference"] == pytest.approx(0.4)
    assert row["difference_relative"] == pytest.approx(1.0)
    assert (row["ci_low_difference"], row["ci_high_difference"]) == pytest.approx(
        (-0.0225, 0.6725), abs=1e-4
    )
    assert row["significant"] is False
    assert row["direction"] == "up"
    assert row["reason"] is None
    se = math.sqrt(0.8 * 0.2 / 10 + 0.4 * 0.6 / 10)
    assert row["se_difference"] == pytest.approx(se)
    assert row["p_value"] == pytest.approx(math.erfc(0.4 / se / math.sqrt(2)), abs=1e-6)


def test_large_groups_make_a_change_significant_and_zero_is_unchanged() -> None:
    out = change(_table([_share("2017/18", 400, 1000), _share("2018/19", 500, 1000)]))
    assert out["significant"].item() is True
    same = change(_table([_share("2017/18", 0, 10), _share("2018/19", 0, 10)]))
    row = same.row(0, named=True)
    assert row["direction"] == "unchanged"
    assert row["difference_relative"] is None  # no relative change from 0
    assert row["significant"] is False
    assert row["p_value"] == 1.0


def test_mean_change_is_welch() -> None:
    rows = [
        {"school_year": "2017/18", "value": 6.0, "n": 30, "_std": 2.0},
        {"school_year": "2018/19", "value": 7.5, "n": 20, "_std": 3.0},
    ]
    out = change(_table([{**r, "indicator": "exams.grade_average"} for r in rows], "t"))
    row = out.row(0, named=True)
    v1, v0 = 9 / 20, 4 / 30
    se = math.sqrt(v1 + v0)
    df = (v1 + v0) ** 2 / (v1**2 / 19 + v0**2 / 29)
    assert row["se_difference"] == pytest.approx(se)
    assert df == pytest.approx(30.19, abs=0.01)
    # t(0.975, 30.19) lies between the table's t(0.975, 40) and t(0.975, 30)
    half = row["ci_high_difference"] - row["difference"]
    assert 2.0211 < half / se < 2.0423
    assert 0.04 < row["p_value"] < 0.06


def test_covid_exam_years_and_missing_values() -> None:
    rows = [_share("2018/19", 5, 10), _share("2019/20", 6, 10), _share("2020/21", 6, 10)]
    out = change(_table(rows)).sort("school_year")
    assert out["direction"].to_list() == ["not_comparable", "not_comparable"]
    assert out["reason"][0].startswith("COVID-19")
    suppressed = _share("2018/19", 0, 10) | {
        "value": None,
        "numerator": None,
        "status": "suppressed",
    }
    out = change(_table([_share("2017/18", 5, 10), suppressed]))
    assert out["direction"].item() is None
    assert out["p_value"].item() is None


def test_periods_and_confidence() -> None:
    rows = [_share("2015/16", 4, 10), _share("2016/17", 5, 10), _share("2017/18", 8, 10)]
    out = change(_table(rows), periods=2)
    assert out.select("school_year", "previous_year").rows() == [("2017/18", "2015/16")]
    wide = change(_table(rows), confidence=0.99).sort("school_year")
    narrow = change(_table(rows), confidence=0.8).sort("school_year")
    assert (wide["ci_high_difference"] > narrow["ci_high_difference"]).all()
    with pytest.raises(ValueError, match="periods"):
        change(_table(rows), periods=0)


def test_lazy_in_lazy_out() -> None:
    rows = [_share("2017/18", 4, 10), _share("2018/19", 8, 10)]
    lazy = change(_table(rows).lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(change(_table(rows)))


def _compare_reference(xs: int, ns: int, xm: int, nm: int) -> tuple[float, float]:
    """Plain Python: (difference, se_difference) of a school's share against its municipality."""
    ps, pm = xs / ns, xm / nm
    n_rest = nm - ns
    p_rest = (xm - xs) / n_rest
    se_s = math.sqrt(ps * (1 - ps) / ns)
    se_r = math.sqrt(p_rest * (1 - p_rest) / n_rest)
    w = ns / nm
    return ps - pm, (1 - w) * math.sqrt(se_s**2 + se_r**2)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.data())
def test_compare_against_plain_python(ns: int, n_other: int, data: st.DataObject) -> None:
    xs = data.draw(st.integers(0, ns))
    x_other = data.draw(st.integers(0, n_other))
    nm, xm = ns + n_other, xs + x_other
    rows = [
        _share("2018/19", xs, ns),
        _share("2018/19", xm, nm, unit_level="municipality", unit_id="101"),
    ]
    out = compare(_table(rows))
    row = out.row(0, named=True)
    diff, se = _compare_reference(xs, ns, xm, nm)
    assert row["difference"] == pytest.approx(diff, abs=1e-12)
    assert row["se_difference"] == pytest.approx(se, abs=1e-12)
    assert row["value_reference"] == pytest.approx(xm / nm)
    significant = (diff - Z * se > 0) or (diff + Z * se < 0)
    assert row["significant"] is significant
    expected = ("above" if diff > 0 else "below") if significant else "at"
    assert row["position"] == expected


def test_compare_with_the_country_and_a_school_that_is_its_municipality() -> None:
    rows = [
        _share("2018/19", 9, 10),
        _share("2018/19", 9, 10, unit_level="municipality", unit_id="101"),
        _share("2018/19", 500, 1000, unit_level="country", unit_id="DK", municipality_code=None),
    ]
    table_ = _table(rows)
    alone = compare(table_).row(0, named=True)
    assert alone["se_difference"] == 0.0
    assert alone["position"] == "at"
    country = compare(table_, against="country")
    assert country["unit_level"].cast(pl.String).to_list() == ["school", "municipality"]
    assert (country["position"] == "above").all()
    with pytest.raises(ValueError, match="against"):
        compare(table_, against="region")  # type: ignore[arg-type]


def test_compare_means_and_census() -> None:
    rows = [
        {"school_year": "2018/19", "value": 8.0, "n": 20, "_std": 2.0},
        {"school_year": "2018/19", "value": 7.0, "n": 20, "_std": 2.0, "unit_id": "101002"},
    ]
    # municipality of both schools: mean 7.5; sd from the pooled sums of squares
    ss = sum(19 * 4.0 + 20 * v**2 for v in (8.0, 7.0))
    sd = math.sqrt((ss - 40 * 7.5**2) / 39)
    mun = {
        "school_year": "2018/19",
        "value": 7.5,
        "n": 40,
        "_std": sd,
        "unit_level": "municipality",
        "unit_id": "101",
    }
    out = compare(
        _table([{**r, "indicator": "exams.grade_average"} for r in [*rows, mun]], "t")
    ).sort("unit_id")
    first = out.row(0, named=True)
    # rest of the municipality without school 1 is school 2: se_rest = 2/sqrt(20)
    expected = 0.5 * math.sqrt(2 * (2 / math.sqrt(20)) ** 2)
    assert first["se_difference"] == pytest.approx(expected)
    census = _table(
        [
            {"school_year": "2018/19", "value": 0.8, "n": 100,
             "indicator": "competence.coverage", "numerator": 80.0},
            {"school_year": "2018/19", "value": 0.7, "n": 300, "unit_level": "municipality",
             "unit_id": "101", "indicator": "competence.coverage", "numerator": 210.0},
        ],
        "none",
    )  # fmt: skip
    row = compare(census).row(0, named=True)
    assert row["se_difference"] is None
    assert row["position"] is None


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200), st.integers(1, 200), st.data())
def test_change_properties(n0: int, n1: int, data: st.DataObject) -> None:
    x0 = data.draw(st.integers(0, n0))
    x1 = data.draw(st.integers(0, n1))
    row = change(_table([_share("2016/17", x0, n0), _share("2017/18", x1, n1)])).row(0, named=True)
    d = x1 / n1 - x0 / n0
    assert row["difference"] == pytest.approx(d)
    assert row["ci_low_difference"] <= d + 1e-12
    assert d <= row["ci_high_difference"] + 1e-12
    assert row["ci_low_difference"] < row["ci_high_difference"]  # never degenerate
    assert 0.0 <= row["p_value"] <= 1.0
    assert row["se_difference"] >= 0
    expected = "up" if x1 / n1 > x0 / n0 else "down" if x1 / n1 < x0 / n0 else "unchanged"
    assert row["direction"] == expected
    assert row["significant"] == (row["ci_low_difference"] > 0 or row["ci_high_difference"] < 0)
    # the reverse change mirrors the interval
    back = change(_table([_share("2016/17", x1, n1), _share("2017/18", x0, n0)])).row(0, named=True)
    assert back["ci_low_difference"] == pytest.approx(-row["ci_high_difference"])
    assert back["p_value"] == pytest.approx(row["p_value"])
