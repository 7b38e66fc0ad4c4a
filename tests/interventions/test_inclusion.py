from __future__ import annotations

from collections import defaultdict

import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.interventions import SCHOOL_TYPE_ENUM, SCHOOL_TYPES, inclusion_rate
from folkeskolekvalitet.testing.interventions import pupil_frames

from ..conftest import Runner, run_in_mode

PUPILS = pl.DataFrame(
    {
        "school_year": ["2020/21"] * 7 + ["2021/22"] * 2,
        "municipality_code": ["151"] * 9,
        "institution_id": [
            "151001",
            "151001",
            "151001",
            "151002",
            "151090",
            "151091",
            "151080",
            "151001",
            "151002",
        ],
        "pupil_id": ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p1", "p4"],
        "school_type": [
            "folkeskole",
            "folkeskole",
            "folkeskole",
            "kommunal_ungdomsskole",
            "specialskole",
            "dagbehandling",
            "fri_grundskole",
            "folkeskole",
            "folkeskole",
        ],
        "special_class": [False, False, True, True, None, None, None, False, False],
    }
)


def test_hand_example(run: Runner) -> None:
    out = run(inclusion_rate, PUPILS)
    assert out.columns == [
        "school_year",
        "municipality_code",
        "n_pupils",
        "n_municipal",
        "n_special_class",
        "n_special_school",
        "n_segregated",
        "n_included",
        "inclusion_rate",
        "segregation_rate",
    ]
    first = out.row(0, named=True)
    # 7 pupils, 6 in municipal offers (not the friskole pupil); segregated: 2 in special
    # classes, 1 at a specialskole, 1 in dagbehandling -> 2 of 6 included
    assert (
        first["n_pupils"],
        first["n_municipal"],
        first["n_special_class"],
        first["n_special_school"],
        first["n_segregated"],
        first["n_included"],
    ) == (7, 6, 2, 2, 4, 2)
    assert first["inclusion_rate"] == pytest.approx(2 / 6)
    assert first["segregation_rate"] == pytest.approx(4 / 6)
    assert out.row(1, named=True)["inclusion_rate"] == 1.0
    assert out.schema["n_pupils"] == pl.UInt32
    assert out.schema["inclusion_rate"] == pl.Float64


def test_per_institution_and_overall(run: Runner) -> None:
    out = run(inclusion_rate, PUPILS, by=("school_year", "institution_id"))
    friskole = out.filter(institution_id="151080").row(0, named=True)
    assert friskole["n_municipal"] == 0
    assert friskole["inclusion_rate"] is None
    overall = run(inclusion_rate, PUPILS, by=())
    assert overall.select("n_pupils", "n_municipal", "n_included").row(0) == (9, 8, 4)


def test_aggregated_counts(run: Runner) -> None:
    # pupil numbers per offer, as a municipality gets them (30 September counts)
    counts = pl.DataFrame(
        {
            "school_year": ["2018/19"] * 4,
            "municipality_code": ["151"] * 4,
            "school_type": ["folkeskole", "folkeskole", "specialskole", "fri_grundskole"],
            "special_class": [False, True, None, None],
            "n": [5_300, 150, 120, 900],
        }
    )
    out = run(inclusion_rate, counts, count="n")
    row = out.row(0, named=True)
    assert (row["n_pupils"], row["n_municipal"], row["n_segregated"]) == (6_470, 5_570, 270)
    assert row["inclusion_rate"] == pytest.approx(5_300 / 5_570)


def test_aggregated_counts_beyond_uint32(run: Runner) -> None:
    # sums above 2**32 - 1 gave a raw InvalidOperationError from a UInt32 cast
    big = 2**32 - 1
    counts = pl.DataFrame(
        {
            "school_year": ["2018/19"] * 3,
            "municipality_code": ["151"] * 3,
            "school_type": ["folkeskole", "folkeskole", "specialskole"],
            "special_class": [False, True, None],
            "n": [big, big, 3],
        }
    )
    row = run(inclusion_rate, counts, count="n").row(0, named=True)
    assert (row["n_pupils"], row["n_municipal"], row["n_special_class"]) == (
        2 * big + 3,
        2 * big + 3,
        big,
    )
    assert row["n_segregated"] == big + 3
    assert row["n_included"] == big
    out = inclusion_rate(counts, count="n")
    assert {out.schema[c] for c in out.columns if c.startswith("n_")} == {pl.UInt64}
    # one row beyond the UInt32 range is not a pupil count
    too_big = counts.with_columns(pl.Series("n", [2**32, 1, 1], dtype=pl.Int64))
    with pytest.raises(DataError, match="column 'n': more than 4,294,967,295 pupils in one row"):
        inclusion_rate(too_big, count="n")
    with pytest.raises(DataError, match="more than 4,294,967,295 pupils"):
        inclusion_rate(too_big.with_columns(pl.col("n").cast(pl.UInt64)), count="n")


def test_school_year_is_normalised(run: Runner) -> None:
    one_year = PUPILS.filter(school_year="2020/21")
    out = run(inclusion_rate, one_year.with_columns(pl.lit("2020-2021").alias("school_year")))
    assert out["school_year"].to_list() == ["2020/21"]


def _reference(df: pl.DataFrame) -> dict[tuple[str, str], tuple[int, int, int]]:
    kinds = {t.value: t for t in SCHOOL_TYPES}
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in df.iter_rows(named=True):
        key = (row["school_year"], row["municipality_code"])
        kind = kinds[row["school_type"]]
        acc[key][0] += 1
        if kind.municipal:
            acc[key][1] += 1
            if kind.segregated or row["special_class"]:
                acc[key][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in acc.items()}


@settings(max_examples=50, deadline=None)
@given(pupil_frames())
def test_differential_against_plain_python(df: pl.DataFrame) -> None:
    out = inclusion_rate(df)
    got = {
        (r["school_year"], r["municipality_code"]): (
            r["n_pupils"],
            r["n_municipal"],
            r["n_segregated"],
        )
        for r in out.iter_rows(named=True)
    }
    assert got == _reference(df)
    for r in out.iter_rows(named=True):
        if r["n_municipal"]:
            assert r["inclusion_rate"] == pytest.approx(1 - r["n_segregated"] / r["n_municipal"])
            assert 0.0 <= r["inclusion_rate"] <= 1.0
        else:
            assert r["inclusion_rate"] is None
    for mode in ("lazy-in-memory", "lazy-streaming"):
        assert_frame_equal(run_in_mode(mode, inclusion_rate, df), out)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (pl.lit("privatskole").alias("school_type"), "column 'school_type': unknown value"),
        (
            pl.lit(None, dtype=pl.Boolean).alias("special_class"),
            "column 'special_class': missing \\(null\\) for a pupil at a folkeskole",
        ),
        (pl.lit("2020/22").alias("school_year"), "column 'school_year': not a school year"),
        (pl.lit("0102031234").alias("pupil_id"), "CPR"),
        (pl.lit(1).alias("special_class"), "column 'special_class': wrong dtype"),
    ],
)
def test_bad_input(change: pl.Expr, match: str) -> None:
    with pytest.raises(DataError, match=match):
        inclusion_rate(PUPILS.with_columns(change))


def test_bad_input_more() -> None:
    with pytest.raises(DataError, match="duplicated key"):
        inclusion_rate(pl.concat([PUPILS, PUPILS.head(1)]))
    with pytest.raises(DataError, match="column 'school_type': missing column"):
        inclusion_rate(PUPILS.drop("school_type"))
    with pytest.raises(DataError, match="grouping column"):
        inclusion_rate(PUPILS, by=("school_year", "grade_level"))
    counts = PUPILS.with_columns(pl.lit(-1).alias("n")).drop("pupil_id")
    with pytest.raises(DataError, match="column 'n': negative number of pupils"):
        inclusion_rate(counts, count="n")
    enum_input = PUPILS.with_columns(pl.col("school_type").cast(SCHOOL_TYPE_ENUM))
    assert_frame_equal(inclusion_rate(enum_input), inclusion_rate(PUPILS))


@pytest.mark.parametrize("validate", [True, False])
def test_eager_and_lazy_input_agree_and_keep_the_by_dtypes(validate: bool) -> None:
    """Moved onto the shared pipeline: an unvalidated eager input with a school type that
    is no key is read like a lazy one, and an integer municipality code stays an integer."""
    pupils = pl.DataFrame(
        {
            "school_year": "2020/21",
            "municipality_code": [101, 101, 101],
            "pupil_id": ["a", "b", "c"],
            "school_type": ["folkeskole", "Folkeskole", " specialskole"],
            "special_class": [False, False, None],
        }
    )
    by = ("school_year", "municipality_code")
    if validate:
        with pytest.raises(DataError, match="school_type"):
            inclusion_rate(pupils, by=by)
        return
    eager = inclusion_rate(pupils, by=by, validate=False)
    lazy = inclusion_rate(pupils.lazy(), by=by, validate=False).collect()
    assert_frame_equal(eager, lazy)
    assert eager.schema["municipality_code"] == pl.Int64
    assert eager.select("n_pupils", "n_municipal", "n_segregated").row(0) == (3, 2, 1)
