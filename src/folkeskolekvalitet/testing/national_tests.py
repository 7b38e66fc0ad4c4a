"""Hypothesis strategies for national test frames: results of each regime, shares, broken input.

The result strategies draw frames with :func:`polars.testing.parametric.dataframes`
(explicit dtypes, no NaN, possibly several chunks): one row per pupil and
obligatory test, the test drawn from the school year's own catalogue, levels in
every accepted spelling. Pupil ids are unique by construction, so the frames
are always valid input; :func:`broken_national_test_frames` breaks one thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.national_tests.catalogue import (
    SUBJECT_ENUM,
    SUBJECTS,
    obligatory_tests,
    regime_for,
)
from folkeskolekvalitet.national_tests.levels import CRITERION_FIRST_YEAR, LEVELS
from folkeskolekvalitet.testing._columns import sampled_column

__all__ = [
    "BREAKAGES",
    "broken_national_test_frames",
    "national_test_frames",
    "national_test_share_frames",
]

RegimeName = Literal["nationale_test", "overgangstest", "faerdighedstest"]

_DEFAULT_YEARS: dict[str, tuple[str, ...]] = {
    "nationale_test": ("2016/17", "2017/18", "2018/19"),
    "overgangstest": ("2022/23", "2023/24"),
    "faerdighedstest": ("2026/27", "2027/28"),
}
_NO_RESULT = "__none__"
_FIRST_LEVEL_YEAR = parse_school_year(CRITERION_FIRST_YEAR)
_CRITERION = {s.key for s in SUBJECTS if s.criterion_levels}


def _level_spellings() -> list[str]:
    out: list[str] = []
    for lv in LEVELS:
        out += [lv.key, lv.label, lv.short_label.upper()]
    return out


@st.composite
def national_test_frames(
    draw: st.DrawFn,
    *,
    regime: RegimeName = "nationale_test",
    school_years: Sequence[str] | None = None,
    institutions: Sequence[str] = ("151001", "151002", "151003"),
    min_rows: int = 0,
    max_rows: int = 40,
    criterion_only: bool = False,
    spellings: bool = True,
) -> pl.DataFrame:
    """Valid national test results of one regime.

    Columns: ``school_year``, ``institution_id``, ``pupil_id``, ``subject``,
    ``grade_level`` (Int8) and the regime's result: ``level`` (String, in any
    accepted spelling, null = no result) and ``percentile`` for the
    nationale test; ``points`` (Int16) and, for the overgangstest, ``good``
    (Boolean) for the linear tests.

    Parameters
    ----------
    regime
        ``"nationale_test"``, ``"overgangstest"`` or ``"faerdighedstest"``.
    school_years
        Years to draw from (default: a few years of the regime), kept as given
        in the rows, so that other spellings (``"2017-2018"``) reach the
        functions. Before 2014/15 the level is null (no criterion scale).
    institutions
        Institution ids to draw from.
    min_rows, max_rows
        Number of pupil-test rows.
    criterion_only
        Draw only the subjects with criterion levels (læsning, matematik).
    spellings
        Draw levels in every accepted spelling (keys, official labels, capitals);
        ``False`` draws keys only.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.national_tests import national_test_frames
    >>> from hypothesis import given, settings
    >>> @given(national_test_frames(max_rows=5))
    ... @settings(max_examples=5)
    ... def test_columns(df):
    ...     assert df.columns[:5] == [
    ...         "school_year",
    ...         "institution_id",
    ...         "pupil_id",
    ...         "subject",
    ...         "grade_level",
    ...     ]
    >>> test_columns()
    """
    # The years are drawn as given (any accepted spelling), the catalogue looked up canonically.
    years = list(dict.fromkeys(school_years or _DEFAULT_YEARS[regime]))
    for y in years:
        if regime_for(normalise_school_year(y)).key != regime:
            msg = f"{y} is not a year of the {regime}"
            raise ValueError(msg)
    catalogue = {
        y: [
            (t.subject, t.grade_level)
            for t in obligatory_tests(normalise_school_year(y))
            if not criterion_only or t.subject in _CRITERION
        ]
        for y in years
    }
    with_levels = [
        y for y in years if parse_school_year(normalise_school_year(y)) >= _FIRST_LEVEL_YEAR
    ]
    n_tests = max(len(v) for v in catalogue.values())
    if regime == "nationale_test":
        levels = _level_spellings() if spellings else [lv.key for lv in LEVELS]
        cell = st.one_of(st.sampled_from(levels), st.just(_NO_RESULT))
        result_cols = [
            column("level", dtype=pl.String, strategy=cell, allow_null=False),
            column("percentile", dtype=pl.Int8, strategy=st.integers(1, 100), allow_null=True),
        ]
    else:
        result_cols = [
            column("points", dtype=pl.Int16, strategy=st.integers(0, 60), allow_null=True),
        ]
        if regime == "overgangstest":
            result_cols.append(column("good", dtype=pl.Boolean, allow_null=True))
    frame = draw(
        dataframes(
            [
                sampled_column("school_year", pl.String, years),
                sampled_column("institution_id", pl.String, list(institutions)),
                column(
                    "test", dtype=pl.Int32, strategy=st.integers(0, n_tests - 1), allow_null=False
                ),
                *result_cols,
            ],
            min_size=min_rows,
            max_size=max_rows,
            allow_chunks=True,
        )
    )
    assert isinstance(frame, pl.DataFrame)
    subject_of = {f"{y}|{i}": s for y, tests in catalogue.items() for i, (s, _) in enumerate(tests)}
    grade_of = {f"{y}|{i}": g for y, tests in catalogue.items() for i, (_, g) in enumerate(tests)}
    key = pl.format(
        "{}|{}",
        pl.col("school_year"),
        pl.col("test")
        % pl.col("school_year").replace_strict(
            {y: len(t) for y, t in catalogue.items()}, return_dtype=pl.Int32
        ),
    )
    out = frame.with_row_index("_i").with_columns(
        pl.format("p{}", pl.col("_i")).alias("pupil_id"),
        key.replace_strict(subject_of, return_dtype=pl.String).alias("subject"),
        key.replace_strict(grade_of, return_dtype=pl.Int8).alias("grade_level"),
    )
    base = ["school_year", "institution_id", "pupil_id", "subject", "grade_level"]
    if regime == "nationale_test":
        level = pl.when(
            (pl.col("level") != _NO_RESULT)
            & pl.col("subject").is_in(list(_CRITERION))
            & pl.col("school_year").is_in(with_levels)
        ).then(pl.col("level"))
        return out.select(*base, level.alias("level"), "percentile")
    return out.select(*base, *[c.name for c in result_cols if c.name is not None])


@st.composite
def national_test_share_frames(
    draw: st.DrawFn,
    *,
    school_years: Sequence[str] = ("2019/20", "2020/21", "2021/22", "2022/23", "2023/24"),
    institutions: Sequence[str] = ("151001", "151002"),
    max_pupils: int = 40,
) -> pl.DataFrame:
    """Valid goal-status input: counts per unit, subject, klassetrin and year.

    ``school_years`` are kept as given in the rows (any accepted spelling;
    each year once). Columns: ``institution_id``, ``school_year``, ``subject`` (Enum),
    ``grade_level`` (Int8), ``n_pupils``, ``n_good``, ``n_best``, ``n_poor``
    (UInt32; ``n_best`` and ``n_poor`` null in the linear regimes), with
    ``n_best <= n_good`` and ``n_good + n_poor <= n_pupils``. Each possible
    (unit, year, test) row is present or not, so chains of years have gaps.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.national_tests import national_test_share_frames
    >>> from hypothesis import given, settings
    >>> @given(national_test_share_frames())
    ... @settings(max_examples=5)
    ... def test_counts(df):
    ...     assert (df["n_good"] <= df["n_pupils"]).all()
    >>> test_counts()
    """
    canonical = [normalise_school_year(y) for y in school_years]
    if len(set(canonical)) != len(canonical):
        msg = f"school_years name a year twice (in two spellings): {tuple(school_years)!r}"
        raise ValueError(msg)
    rows: list[tuple[str, str, str, int, int, int, int | None, int | None]] = []
    small = st.integers(0, max_pupils)
    for inst in institutions:
        # The rows keep the years as given: spellings such as '2017-2018' reach the functions.
        for y, year in zip(school_years, canonical, strict=True):
            levels = regime_for(year).result == "level"
            for t in obligatory_tests(year):
                if t.subject not in _CRITERION or not draw(st.booleans()):
                    continue
                n = draw(small)
                good = draw(st.integers(0, n))
                best = draw(st.integers(0, good)) if levels else None
                poor = draw(st.integers(0, n - good)) if levels else None
                rows.append((inst, y, t.subject, t.grade_level, n, good, best, poor))
    return pl.DataFrame(
        rows,
        schema={
            "institution_id": pl.String,
            "school_year": pl.String,
            "subject": SUBJECT_ENUM,
            "grade_level": pl.Int8,
            "n_pupils": pl.UInt32,
            "n_good": pl.UInt32,
            "n_best": pl.UInt32,
            "n_poor": pl.UInt32,
        },
        orient="row",
    )


#: The kinds of breakage :func:`broken_national_test_frames` can introduce.
BREAKAGES = (
    "unknown_level",
    "unknown_subject",
    "test_not_obligatory",
    "level_for_other_subject",
    "bad_school_year",
    "year_before_regimes",
    "linear_year",
    "duplicate_row",
    "missing_column",
    "cpr_pupil_id",
    "wrong_dtype",
    "bad_percentile",
)


@st.composite
def broken_national_test_frames(
    draw: st.DrawFn, *, breakages: Sequence[str] = BREAKAGES
) -> tuple[pl.DataFrame, str]:
    """Valid nationale test results with one kind of breakage; returns ``(frame, breakage)``.

    Every breakage must make :func:`~folkeskolekvalitet.national_tests.level_shares`
    raise :class:`~folkeskolekvalitet.DataError` naming the offending column.
    """
    base = draw(national_test_frames(min_rows=1, max_rows=8, criterion_only=True))
    kind = draw(st.sampled_from(list(breakages)))
    row = draw(st.integers(0, base.height - 1))
    idx = pl.int_range(pl.len()) == row

    def put(name: str, value: object, frame: pl.DataFrame = base) -> pl.DataFrame:
        return frame.with_columns(pl.when(idx).then(pl.lit(value)).otherwise(name).alias(name))

    def grade(frame: pl.DataFrame, value: int) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(idx)
            .then(pl.lit(value, dtype=pl.Int8))
            .otherwise("grade_level")
            .alias("grade_level")
        )

    makers = {
        "unknown_level": lambda: put(
            "level", draw(st.sampled_from(["godt", "middel", "7", "Meget god"]))
        ),
        "unknown_subject": lambda: put(
            "subject", draw(st.sampled_from(["dansk", "tysk", "natur_teknologi"]))
        ),
        "test_not_obligatory": lambda: grade(base, 5),
        "level_for_other_subject": lambda: put("level", "god", grade(put("subject", "engelsk"), 7)),
        "bad_school_year": lambda: put("school_year", "2017/19"),
        # no result on the row: a criterion level in 2007/08 would be a second breakage
        "year_before_regimes": lambda: put("level", None, put("school_year", "2007/08")),
        "linear_year": lambda: grade(put("subject", "matematik", put("school_year", "2023/24")), 4),
        "duplicate_row": lambda: pl.concat([base, base.filter(idx)]),
        "missing_column": lambda: base.drop(
            draw(st.sampled_from(["pupil_id", "subject", "level", "school_year"]))
        ),
        "cpr_pupil_id": lambda: put("pupil_id", "010203-1234"),
        "wrong_dtype": lambda: base.with_columns(pl.col("grade_level").cast(pl.Float64)),
        "bad_percentile": lambda: base.with_columns(
            pl.when(idx).then(pl.lit(0, dtype=pl.Int8)).otherwise("percentile").alias("percentile")
        ),
    }
    if kind not in makers:
        msg = f"unknown breakage {kind!r}"
        raise ValueError(msg)
    broken = makers[kind]()
    return broken, kind
