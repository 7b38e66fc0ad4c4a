"""The national test catalogues: regimes, obligatory tests, levels, flags."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from folkeskolekvalitet import CatalogueError
from folkeskolekvalitet.national_tests import (
    FLAGS,
    LEVEL_ENUM,
    LEVELS,
    OBLIGATORY_TESTS,
    REGIMES,
    SUBJECT_ENUM,
    flags_for,
    level,
    obligatory_tests,
    parse_level,
    regime_for,
    subject,
)


@pytest.mark.parametrize(
    ("year", "key"),
    [
        ("2009/10", "nationale_test"),
        ("2016/17", "nationale_test"),
        ("2021/22", "nationale_test"),
        ("2022/23", "overgangstest"),
        ("2025-2026", "overgangstest"),
        ("2026/27", "faerdighedstest"),
        ("2040/41", "faerdighedstest"),
    ],
)
def test_regime_for(year: str, key: str) -> None:
    assert regime_for(year).key == key


def test_no_regime_before_2009() -> None:
    with pytest.raises(CatalogueError, match="2008/09"):
        regime_for("2008/09")
    with pytest.raises(CatalogueError):
        obligatory_tests("2005/06")


def test_regimes_are_contiguous() -> None:
    for before, after in itertools.pairwise(REGIMES):
        assert before.last_year is not None
        assert int(after.first_year[:4]) == int(before.last_year[:4]) + 1
    assert [r.result for r in REGIMES] == ["level", "points", "points"]
    assert all(r.source.startswith("http") for r in REGIMES)


def _plan(year: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for t in obligatory_tests(year):
        out.setdefault(t.subject, []).append(t.grade_level)
    return out


def test_obligatory_tests_2010_to_2016_17() -> None:
    plan = {
        "dansk_laesning": [2, 4, 6, 8],
        "matematik": [3, 6],
        "engelsk": [7],
        "geografi": [8],
        "biologi": [8],
        "fysik_kemi": [8],
    }
    for year in ("2009/10", "2012/13", "2016/17"):
        assert _plan(year) == plan
        assert len(obligatory_tests(year)) == 10


def test_obligatory_tests_from_2017_18() -> None:
    """The 2017/18 change: matematik 8. and engelsk 4. added; biologi and geografi voluntary."""
    plan = {
        "dansk_laesning": [2, 4, 6, 8],
        "matematik": [3, 6, 8],
        "engelsk": [4, 7],
        "fysik_kemi": [8],
    }
    for year in ("2017/18", "2021/22"):
        assert _plan(year) == plan
        assert len(obligatory_tests(year)) == 10


@pytest.mark.parametrize("year", ["2022/23", "2025/26", "2026/27", "2030/31"])
def test_linear_tests(year: str) -> None:
    assert _plan(year) == {"dansk_laesning": [2, 3, 4, 6, 8], "matematik": [2, 4, 6, 7, 8]}


def test_catalogue_entries_have_labels_and_sources() -> None:
    for t in OBLIGATORY_TESTS:
        assert t.label.endswith(f"{t.grade_level}. klasse")
        assert t.source.startswith("http")
    assert obligatory_tests("2018/19")[0].label == "Dansk, læsning, 2. klasse"
    assert subject("fysik_kemi").label == "Fysik/kemi"
    assert SUBJECT_ENUM.categories.to_list()[:2] == ["dansk_laesning", "matematik"]


def test_levels_in_scale_order_with_danish_labels() -> None:
    assert [lv.key for lv in LEVELS] == [
        "fremragende",
        "rigtig_god",
        "god",
        "jaevn",
        "mangelfuld",
        "ikke_tilstraekkelig",
    ]
    assert [lv.label for lv in LEVELS] == [
        "Fremragende præstation",
        "Rigtig god præstation",
        "God præstation",
        "Jævn præstation",
        "Mangelfuld præstation",
        "Ikke tilstrækkelig præstation",
    ]
    assert [lv.rank for lv in LEVELS] == [1, 2, 3, 4, 5, 6]
    assert [lv.key for lv in LEVELS if lv.good] == ["fremragende", "rigtig_god", "god"]
    assert [lv.key for lv in LEVELS if lv.best] == ["fremragende"]
    assert [lv.key for lv in LEVELS if lv.poor] == ["mangelfuld", "ikke_tilstraekkelig"]
    assert LEVEL_ENUM.categories.to_list() == [lv.key for lv in LEVELS]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Rigtig god præstation", "rigtig_god"),
        ("rigtig god", "rigtig_god"),
        ("RIGTIG_GOD", "rigtig_god"),
        ("Jævn præstation", "jaevn"),
        ("jaevn", "jaevn"),
        ("  Ikke   tilstrækkelig præstation ", "ikke_tilstraekkelig"),
        ("Ikke tilstraekkelig", "ikke_tilstraekkelig"),
        ("Fremragende", "fremragende"),
    ],
)
def test_level_spellings(text: str, key: str) -> None:
    assert level(text).key == key
    assert pl.select(parse_level(pl.lit(text))).item() == key


@pytest.mark.parametrize("text", ["godt", "Meget god", "middel", "", "7"])
def test_unknown_level(text: str) -> None:
    with pytest.raises(ValueError, match="not a criterion level"):
        level(text)


def test_flags() -> None:
    assert [f.key for f in flags_for("2019/20")] == ["sample_only", "late_testing"]
    assert [f.key for f in flags_for("2020/21")] == ["late_testing"]
    assert [f.key for f in flags_for("2023/24")] == ["early_testing"]
    assert flags_for("2021/22") == ()
    assert flags_for("2022/23") == ()
    assert all(f.source.startswith("http") for f in FLAGS)
