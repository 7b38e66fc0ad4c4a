"""Indicator tables built by hand for the goals tests, in the INDICATOR_SCHEMA."""

from __future__ import annotations

from typing import Any

import polars as pl

from folkeskolekvalitet.indicators import INDICATOR_SCHEMA

DEFAULTS: dict[str, Any] = {
    "unit_level": "school",
    "unit_id": "326001",
    "municipality_code": "326",
    "subject": None,
    "grade_level": None,
    "category": None,
    "n": 50,
    "numerator": None,
    "se": None,
    "ci_low": None,
    "ci_high": None,
    "confidence": 0.95,
    "status": "ok",
    "note": None,
    "source": "test",
}


def row(school_year: str, indicator: str, value: float | None, **changes: Any) -> dict[str, Any]:
    """One row of an indicator table; a country row gets unit_id 'DK' and no municipality."""
    out = {**DEFAULTS, "school_year": school_year, "indicator": indicator, "value": value}
    out.update(changes)
    if out["unit_level"] == "country":
        out["unit_id"], out["municipality_code"] = "DK", None
    elif out["unit_level"] == "municipality":
        out["unit_id"] = out["municipality_code"]
    if out["status"] != "ok":
        out["value"] = None
    return out


def table(*rows: dict[str, Any]) -> pl.DataFrame:
    """An indicator table of ``rows`` (a row from :func:`row`)."""
    return pl.DataFrame(list(rows), schema=INDICATOR_SCHEMA)


def verdicts(result: pl.DataFrame, goal: str | None = None) -> dict[tuple[str, str], str]:
    """``{(unit_id, school_year): verdict}`` of one goal (or of the only goal)."""
    if goal is not None:
        result = result.filter(pl.col("goal") == goal)
    return {
        (u, y): str(v) for u, y, v in result.select("unit_id", "school_year", "verdict").iter_rows()
    }
