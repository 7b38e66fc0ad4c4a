"""Hypothesis strategy for hierarchical indicator tables (schools, municipalities, country)."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import strategies as st

from folkeskolekvalitet.indicators.catalogue import CATALOGUE
from folkeskolekvalitet.indicators.schema import INDICATOR_SCHEMA

__all__ = ["indicator_tables"]

_SHARE = "exams.share_passing_danish_and_math"
_MEAN = "exams.grade_average"
_WHOLE = "transitions.status_share_3m"
_TOTAL = "competence.coverage"
_NT = "national_tests.share_good"
_MENU = (_SHARE, _MEAN, _WHOLE, _TOTAL, _NT)


def _row(year: str, level: str, unit: str, muni: str | None, ind: str, **kw: Any) -> dict[str, Any]:
    n, num = kw.pop("n"), kw.pop("num")
    mean = ind == _MEAN
    return {
        "school_year": year,
        "unit_level": level,
        "unit_id": unit,
        "municipality_code": muni,
        "indicator": ind,
        "subject": kw.get("subject"),
        "grade_level": kw.get("grade_level"),
        "category": kw.get("category"),
        "value": num / n,
        "n": n,
        "numerator": None if mean else float(num),
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "confidence": 0.95,
        "status": "ok",
        "note": None,
        "source": "computed",
    }


@st.composite
def indicator_tables(  # noqa: PLR0912
    draw: st.DrawFn,
    *,
    max_municipalities: int = 3,
    max_schools: int = 5,
    max_pupils: int = 30,
    indicators: tuple[str, ...] = _MENU,
    years: int = 1,
) -> pl.DataFrame:
    """Draw a coherent hierarchical indicator table.

    Schools within municipalities (one of them may have a single school), with or
    without the municipality and country rows; every parent row is the sum of its
    children (counts for shares, pupil-value sums for means). The indicators are drawn
    from ``indicators`` (by default a share, a mean, a distribution whose categories make up
    a whole, a subject breakdown next to its total, and a national test share by subject
    and klassetrin). Small groups, shares of 0 and 1 and single-school municipalities are
    frequent, so disclosure control has work to do.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from folkeskolekvalitet.indicators import validate_table
    >>> from folkeskolekvalitet.testing.indicators import indicator_tables
    >>> @settings(max_examples=5)
    ... @given(indicator_tables())
    ... def check(table):
    ...     assert validate_table(table) is table
    >>> check()
    """
    n_munis = draw(st.integers(1, max_municipalities))
    codes = [f"{101 + 46 * i}" for i in range(n_munis)]
    schools = {
        m: [f"{m}{j + 1:03d}" for j in range(draw(st.integers(1, max_schools)))] for m in codes
    }
    chosen = draw(
        st.lists(st.sampled_from(indicators), min_size=1, max_size=len(indicators), unique=True)
    )
    with_munis = draw(st.booleans())
    with_country = draw(st.booleans())
    first = draw(st.integers(2015, 2022))
    rows: list[dict[str, Any]] = []
    for y in range(years):
        year = f"{first + y}/{(first + y + 1) % 100:02d}"
        for ind in sorted(chosen):
            # leaf cells: (school, breakdown dict) -> (n, num)
            leaves: dict[tuple[str, tuple[tuple[str, Any], ...]], tuple[int, int]] = {}
            for m in codes:
                for s in schools[m]:
                    n = draw(st.integers(1, max_pupils))
                    if ind == _WHOLE:
                        cats = CATALOGUE[_WHOLE].breakdowns[0].values[:3]
                        cut = sorted(draw(st.lists(st.integers(0, n), min_size=2, max_size=2)))
                        for c, k in zip(cats, (cut[0], cut[1] - cut[0], n - cut[1]), strict=True):
                            leaves[(s, (("category", c),))] = (n, k)
                    elif ind == _NT:
                        for subj in ("dansk", "matematik"):
                            k = draw(st.integers(0, n))
                            leaves[(s, (("subject", subj), ("grade_level", 8)))] = (n, k)
                    elif ind == _TOTAL:
                        for subj in ("dansk", "matematik"):
                            m_n = draw(st.integers(1, max_pupils))
                            leaves[(s, (("subject", subj),))] = (m_n, draw(st.integers(0, m_n)))
                    elif ind == _MEAN:
                        leaves[(s, ())] = (n, draw(st.integers(-3 * n, 12 * n)))
                    else:
                        leaves[(s, ())] = (n, draw(st.integers(0, n)))
            if ind == _TOTAL:  # the all-subjects total next to the subjects
                for s in {s for s, _ in leaves}:
                    parts = [v for (t, _), v in leaves.items() if t == s]
                    leaves[(s, ())] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
            sums: dict[tuple[str, str, tuple[tuple[str, Any], ...]], list[int]] = {}
            for (s, bd), (n, k) in leaves.items():
                m = s[:3]
                kw = dict(bd)
                rows.append(_row(year, "school", s, m, ind, n=n, num=k, **kw))
                for key in (("municipality", m, bd), ("country", "DK", bd)):
                    acc = sums.setdefault(key, [0, 0])
                    acc[0] += n
                    acc[1] += k
            for (level, unit, bd), (n, k) in sums.items():
                if (level == "municipality" and with_munis) or (
                    level == "country" and with_country
                ):
                    muni = unit if level == "municipality" else None
                    rows.append(_row(year, level, unit, muni, ind, n=n, num=k, **dict(bd)))
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
