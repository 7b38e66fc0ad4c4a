"""Indicator tables built by hand in the schema, for the report's tests."""

from __future__ import annotations

import math

import polars as pl

from folkeskolekvalitet.indicators import INDICATOR_SCHEMA

YEARS = ("2021/22", "2022/23", "2023/24")
MUNICIPALITY = "151"
SCHOOLS = {"151001": "Baltorpskolen", "151002": "Hedegårdsskolen", "151003": "Lilleskolen"}
#: The small school: 4 pupils every year.
SMALL = "151003"


def _row(  # noqa: PLR0917
    year: str, level: str, unit: str, indicator: str, value: float | None, n: int, **kw: object
) -> dict[str, object]:
    share = indicator.split(".")[1].startswith(("share", "rate", "interval", "response"))
    se = None
    lo = hi = None
    if value is not None:
        se = math.sqrt(value * (1 - value) / n) if share else 2.5 / math.sqrt(n)
        lo, hi = value - 1.96 * se, value + 1.96 * se
        if share:
            lo, hi = max(lo, 0.0), min(hi, 1.0)
    return {
        "school_year": year,
        "unit_level": level,
        "unit_id": unit,
        "municipality_code": None if level == "country" else MUNICIPALITY,
        "indicator": indicator,
        "subject": kw.get("subject"),
        "grade_level": kw.get("grade_level"),
        "category": kw.get("category"),
        "value": value,
        "n": n,
        "numerator": kw.get("numerator", round(value * n) if share and value is not None else None),
        "se": se,
        "ci_low": lo,
        "ci_high": hi,
        "confidence": 0.95,
        "status": "ok",
        "note": None,
        "source": "computed",
    }


def hand_table() -> pl.DataFrame:
    """Three schools (one of 4 pupils), the municipality and the country over three years."""
    rows = []
    units = [
        ("school", "151001", 60, 0.0),
        ("school", "151002", 45, -0.6),
        ("school", SMALL, 4, 0.2),
        ("municipality", MUNICIPALITY, 109, -0.2),
        ("country", "DK", 50_000, 0.0),
    ]
    for i, year in enumerate(YEARS):
        for level, unit, n, shift in units:
            rows.append(_row(year, level, unit, "exams.grade_average", 7.2 + shift + 0.1 * i, n))
            rows.append(
                _row(year, level, unit, "exams.share_passing_danish_and_math", 0.86 + shift / 10, n)
            )
            rows.append(_row(year, level, unit, "wellbeing.general", 3.8 + shift / 5, n))
            for cat, share in (("[1,2]", 0.02), ("(2,3]", 0.08), ("(3,4]", 0.45), ("(4,5]", 0.45)):
                rows.append(
                    _row(
                        year,
                        level,
                        unit,
                        "wellbeing.interval_share",
                        share,
                        n,
                        category=f"general:{cat}",
                    )
                )
            rows.append(_row(year, level, unit, "absence.rate_total", 0.06 - shift / 50, n))
            for subject, good in (("dansk_laesning", 0.8137), ("matematik", 0.6789)):
                value = min(max(good + shift / 10 + 0.0113 * i, 0.0), 1.0)
                rows.append(
                    _row(
                        year,
                        level,
                        unit,
                        "national_tests.share_good",
                        value,
                        n,
                        subject=subject,
                        grade_level=6,
                    )
                )
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA)


def nt_shares(table: pl.DataFrame) -> set[str]:
    """Every national test share of a school or the municipality, as the report could print it."""
    from folkeskolekvalitet._core.format import danish_number

    rows = table.filter(
        pl.col("indicator").str.starts_with("national_tests."), pl.col("unit_level") != "country"
    )
    out: set[str] = set()
    for d in (1, 2):  # whole percents are too common to tell apart
        out |= set(
            rows.select(danish_number(pl.col("value") * 100, d)).to_series().drop_nulls().to_list()
        )
    return out


def suppressed_by_hand(table: pl.DataFrame) -> pl.DataFrame:
    """The small school's rows withheld, as disclosure control does (built by hand)."""
    small = (pl.col("unit_id") == SMALL) & ~pl.col("indicator").str.starts_with("national_tests.")
    status = pl.when(small).then(pl.lit("suppressed")).otherwise(pl.col("status").cast(pl.String))
    return table.with_columns(
        *(
            pl.when(small).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("value", "numerator", "se", "ci_low", "ci_high")
        ),
        status.cast(table.schema["status"]).alias("status"),
    )
