"""The indicator table's schema and validate_table."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.indicators import (
    INDICATOR_SCHEMA,
    KEY_COLUMNS,
    STATUS_ENUM,
    UNIT_LEVEL_ENUM,
    empty_table,
    validate_table,
)

ROW: dict[str, Any] = {
    "school_year": "2022/23",
    "unit_level": "school",
    "unit_id": "101001",
    "municipality_code": "101",
    "indicator": "exams.share_took_all_bound_exams",
    "subject": None,
    "grade_level": None,
    "category": None,
    "value": 0.8,
    "n": 10,
    "numerator": 8.0,
    "se": 0.126,
    "ci_low": 0.49,
    "ci_high": 0.943,
    "confidence": 0.95,
    "status": "ok",
    "note": None,
    "source": "computed",
}


def table(*changes: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([{**ROW, **c} for c in changes or ({},)], schema=INDICATOR_SCHEMA)


def problems(frame: pl.DataFrame | pl.LazyFrame) -> list[tuple[str, str]]:
    with pytest.raises(DataError) as info:
        validate_table(frame)
    return [(p.column, p.rule) for p in info.value.problems]


def test_schema_columns_and_dtypes() -> None:
    assert list(INDICATOR_SCHEMA) == [
        "school_year",
        "unit_level",
        "unit_id",
        "municipality_code",
        "indicator",
        "subject",
        "grade_level",
        "category",
        "value",
        "n",
        "numerator",
        "se",
        "ci_low",
        "ci_high",
        "confidence",
        "status",
        "note",
        "source",
    ]
    assert INDICATOR_SCHEMA["unit_level"] == UNIT_LEVEL_ENUM
    assert INDICATOR_SCHEMA["status"] == STATUS_ENUM
    assert INDICATOR_SCHEMA["n"] == pl.UInt32
    assert INDICATOR_SCHEMA["grade_level"] == pl.Int8
    assert set(KEY_COLUMNS) <= set(INDICATOR_SCHEMA)


def test_valid_tables_pass_eager_and_lazy() -> None:
    good = table(
        {},
        {"unit_level": "municipality", "unit_id": "101"},
        {"unit_level": "country", "unit_id": "DK", "municipality_code": None},
        {
            "indicator": "local.pupils_in_10th",
            "value": 12.0,
            "se": None,
            "ci_low": None,
            "ci_high": None,
        },
        {
            "indicator": "exams.subject_average",
            "subject": "dansk",
            "value": 7.2,
            "numerator": None,
            "ci_low": 6.9,
            "ci_high": 7.5,
        },
        {
            "indicator": "exams.grade_average",
            "value": None,
            "se": None,
            "ci_low": None,
            "ci_high": None,
            "status": "suppressed",
        },
    )
    assert validate_table(good) is good
    lazy = good.lazy()
    assert validate_table(lazy) is lazy
    assert validate_table(empty_table()).height == 0


def test_missing_column_and_wrong_dtype_are_listed_together() -> None:
    bad = table().drop("note").with_columns(pl.col("n").cast(pl.Int64))
    assert problems(bad) == [
        ("n", "must have dtype UInt32, not Int64"),
        ("note", "missing column"),
    ]


def test_every_value_problem_at_once() -> None:
    bad = table(
        {"school_year": "2022/24"},
        {"indicator": "exams.average"},
        {"unit_level": "country", "unit_id": "101", "municipality_code": "101"},
        {"status": "suppressed"},
        {"value": None},
        {"value": 1.2, "ci_high": 1.3},
        {"se": -1.0},
        {"ci_low": 0.9},
        {"subject": "dansk"},
        {"confidence": 95.0},
        {"unit_id": "0101901234"},
    )
    found = problems(bad)
    expected = [
        ("school_year", "must be a school year 'YYYY/YY'"),
        ("indicator", "must be a catalogue key or start with 'local.'"),
        ("unit_id", "must be 'DK' at country level"),
        ("municipality_code", "must be null at country level"),
        ("value", "must be null when status is not 'ok' (a missing value is never a number)"),
        ("value", "must be given when status is 'ok'"),
        ("value", "a share or rate must lie in [0, 1]"),
        ("se", "must be >= 0"),
        ("ci_low", "must be <= value"),
        ("subject", "not a breakdown of this indicator (must be null)"),
        ("confidence", "must lie strictly between 0 and 1"),
        ("unit_id", "looks like a CPR number; a unit is a school, a municipality or the country"),
    ]
    for item in expected:
        assert item in found


def test_a_cpr_like_unit_is_never_echoed() -> None:
    with pytest.raises(DataError) as info:
        validate_table(table({"unit_id": "0101901234"}))
    assert "0101901234" not in str(info.value)


def test_duplicated_key() -> None:
    found = problems(table({}, {}))
    assert found == [
        (", ".join(KEY_COLUMNS), "duplicated key: one row per unit, year, indicator and breakdown")
    ]


def test_not_a_frame() -> None:
    with pytest.raises(TypeError):
        validate_table({"a": 1})  # type: ignore[type-var]
