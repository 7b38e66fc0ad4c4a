from __future__ import annotations

from collections import defaultdict

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.interventions import (
    INTERVENTION_SCHEMA,
    PRACTICE_ENUM,
    STATUS_ENUM,
    UNIT_ENUM,
    example_survey,
    parse_survey,
    practice_table,
    resource_rows,
    resource_table,
    status_table,
    to_frame,
)
from folkeskolekvalitet.testing.interventions import intervention_frames

from ..conftest import Runner, run_in_mode

# the seed ../shared/seeds/ballerup-indsatser-udlagte-ressourcer-2021.txt, shipped with the library
SEED = example_survey()
SEED_FRAME = to_frame(parse_survey(SEED))

# Interventions per school and practice, counted by hand from the seed (A, B, C, D, E, all).
SEED_PRACTICE_COUNTS = {
    "Baltorpskolen": (3, 3, 4, 2, 3, 5),
    "Hedegårdsskolen": (1, 4, 4, 2, 4, 6),
    "Måløvhøj Skole": (2, 3, 2, 1, 2, 6),
    "Skovlunde Skole": (5, 2, 3, 0, 0, 6),
    "Skovvejens Skole": (7, 6, 11, 5, 7, 14),
}
# new, increased_or_adjusted, unchanged, existing_before, not stated
SEED_STATUS_COUNTS = {
    "Baltorpskolen": (1, 4, 0, 0, 0),
    "Hedegårdsskolen": (1, 4, 1, 0, 0),
    "Måløvhøj Skole": (1, 2, 0, 2, 1),
    "Skovlunde Skole": (0, 0, 0, 0, 6),
    "Skovvejens Skole": (0, 0, 0, 14, 0),
}


def test_to_frame_schema() -> None:
    assert SEED_FRAME.schema == INTERVENTION_SCHEMA
    assert SEED_FRAME.height == 37
    empty = to_frame([])
    assert empty.schema == INTERVENTION_SCHEMA
    assert empty.height == 0
    first = SEED_FRAME.row(0, named=True)
    assert first["resources"] == [
        {
            "low": 6.0,
            "high": 6.0,
            "unit": "årsværk",
            "approximate": False,
            "scope": None,
            "text": "Seks årsværk",
        }
    ]
    assert first["anchoring"] == ["ressourcecenter", "kompetencecenter", "plc", "ledelse"]


def test_seed_practice_table(run: Runner) -> None:
    table = run(practice_table, SEED_FRAME)
    assert table.schema == pl.Schema(
        {
            "school": pl.String,
            "practice": PRACTICE_ENUM,
            "n_interventions": pl.UInt32,
            "n_in_group": pl.UInt32,
            "share": pl.Float64,
        }
    )
    wide = table.pivot(on="practice", index=["school", "n_in_group"], values="n_interventions")
    got = {r[0]: (*r[2:], r[1]) for r in wide.iter_rows()}
    assert got == SEED_PRACTICE_COUNTS
    skovlunde_e = table.filter(school="Skovlunde Skole", practice="E").row(0, named=True)
    assert skovlunde_e["n_interventions"] == 0
    assert skovlunde_e["share"] == 0.0
    assert table.filter(school="Skovvejens Skole", practice="C")["share"].item() == 11 / 14


def test_seed_practice_table_overall(run: Runner) -> None:
    table = run(practice_table, SEED_FRAME, by=())
    assert table.columns == ["practice", "n_interventions", "n_in_group", "share"]
    assert table["n_interventions"].to_list() == [
        sum(v[k] for v in SEED_PRACTICE_COUNTS.values()) for k in range(5)
    ]
    assert table["n_in_group"].to_list() == [37] * 5


def test_seed_status_table(run: Runner) -> None:
    table = run(status_table, SEED_FRAME)
    assert table.schema["status"] == STATUS_ENUM
    got: dict[str, list[int]] = defaultdict(list)
    for school, _, n in table.select("school", "status", "n_interventions").iter_rows():
        got[school].append(n)
    assert {k: tuple(v) for k, v in got.items()} == SEED_STATUS_COUNTS
    assert table["status"].to_list()[:5] == [*STATUS_ENUM.categories.to_list(), None]


def test_seed_resource_table(run: Runner) -> None:
    table = run(resource_table, SEED_FRAME, hours_per_fte=37.0)
    assert table.schema["unit"] == UNIT_ENUM
    cell = {(r["school"], r["unit"]): r for r in table.iter_rows(named=True)}
    baltorp = cell["Baltorpskolen", "årsværk"]
    assert (baltorp["n_summed"], baltorp["n_approximate"], baltorp["low"]) == (5, 1, 22.0)
    assert baltorp["fte_low"] == 22.0
    maaloev = cell["Måløvhøj Skole", "fuldtidsstilling"]
    assert (maaloev["low"], maaloev["fte_low"]) == (9.0, 9.0)  # 3 + 2 + ca. 4
    lessons = cell["Måløvhøj Skole", "lektioner per uge"]
    # ca. 10 + i alt 8 + i alt 14; "en ugentlig lektion" is a part of the 14
    assert (lessons["n_resources"], lessons["n_summed"], lessons["low"]) == (4, 3, 32.0)
    assert lessons["fte_low"] is None  # no lessons_per_fte given
    hours = cell["Skovvejens Skole", "timer per uge"]
    # 11 + 31 + 20 + 18 + 8 + 22 + 20 + 10 + 26; "2-3 timer i hver klasse" is not summed
    assert (hours["n_resources"], hours["n_summed"], hours["low"]) == (10, 9, 166.0)
    assert hours["fte_low"] == 166 / 37
    assert cell["Skovvejens Skole", "forløb"]["n_summed"] == 0  # "minimum 4 i alle team"
    assert cell["Hedegårdsskolen", "årsværk"]["low"] == 0.0  # zero rows kept


def test_seed_resource_table_with_mentions(run: Runner) -> None:
    table = run(resource_table, SEED_FRAME, by=(), include_mentioned=True)
    forloeb = table.filter(unit="forløb").row(0, named=True)
    # Ca. 20 (LKT), Ca 50 (ressourcepædagoger), Ca. 125 (holddannelse)
    assert (forloeb["n_summed"], forloeb["low"], forloeb["n_approximate"]) == (3, 195.0, 3)
    hours = table.filter(unit="timer per uge").row(0, named=True)
    assert (hours["low"], hours["high"]) == (166.0, 175.0)  # "under 9 timer ugentligt"


def test_resource_rows(run: Runner) -> None:
    rows = run(resource_rows, SEED_FRAME, lessons_per_fte=25)
    # Baltorpskolen 5, Måløvhøj 7, Skovlunde 1, Skovvejens 15 (2 + 9 + 1 + 2 + 1)
    assert rows.height == 28
    assert rows.group_by("school").len().sort("school")["len"].to_list() == [5, 7, 1, 15]
    co = rows.filter(school="Måløvhøj Skole", name="Co-teaching")
    assert co.select("low", "summed", "fte_low").rows() == [(1.0, False, 0.04), (14.0, True, 0.56)]


def test_full_time_equivalents_are_divided_exactly(run: Runner) -> None:
    # 35 lessons a week at 25 lessons per FTE are 1.4 FTE (times the factor 1 / 25 they
    # were 1.4000000000000001)
    rows = run(resource_rows, SEED_FRAME, lessons_per_fte=25)
    lessons = rows.filter(pl.col("unit") == "lektioner per uge")
    for low, fte_low in lessons.select("low", "fte_low").iter_rows():
        assert fte_low == low / 25
    table = run(resource_table, SEED_FRAME, by=(), hours_per_fte=37, lessons_per_fte=25)
    for unit, low, high, fte_low, fte_high in table.select(
        "unit", "low", "high", "fte_low", "fte_high"
    ).iter_rows():
        units = {"timer per uge": 37, "lektioner per uge": 25}.get(unit, 1)
        if fte_low is not None:
            assert (fte_low, fte_high) == (low / units, high / units)
    assert "practice_a" not in rows.columns
    assert "text" in rows.columns


def _reference_practices(df: pl.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in df.iter_rows(named=True):
        groups[row["school"]].append(row)
    out = {}
    for school, rows in groups.items():
        for letter in "ABCDE":
            n = sum(1 for r in rows if r[f"practice_{letter.lower()}"])
            out[school, letter] = (n, len(rows))
    return out


def _reference_resources(
    df: pl.DataFrame, hours: float, lessons: float, *, mentioned: bool
) -> dict[tuple[str, str], dict[str, float | None]]:
    """resource_table in plain Python: every (school, unit) cell, zero cells included."""
    per_fte = {"årsværk": 1.0, "fuldtidsstilling": 1.0}
    per_fte |= {"timer per uge": hours, "lektioner per uge": lessons}
    lists = ["resources", *(["mentioned_resources"] if mentioned else [])]
    rows = list(df.iter_rows(named=True))
    units = {r["unit"] for row in rows for name in lists for r in row[name]}
    sums: dict[tuple[str, str], dict[str, float]] = {
        (row["school"], unit): defaultdict(float) for row in rows for unit in units
    }
    for row in rows:
        summed_units = set()
        for name in lists:
            items = row[name]
            for unit in {r["unit"] for r in items}:
                same = [r for r in items if r["unit"] == unit]
                totals = [r for r in same if r["scope"] == "i alt"]
                counted = totals or [r for r in same if r["scope"] is None]
                cell = sums[row["school"], unit]
                cell["n_resources"] += len(same)
                cell["n_summed"] += len(counted)
                cell["n_approximate"] += sum(1 for r in counted if r["approximate"])
                cell["low"] += sum(r["low"] for r in counted)
                cell["high"] += sum(r["high"] for r in counted)
                if counted:
                    summed_units.add(unit)
        for unit in summed_units:
            sums[row["school"], unit]["n_interventions"] += 1
    out: dict[tuple[str, str], dict[str, float | None]] = {}
    for key, cell in sums.items():
        units = per_fte.get(key[1])
        counts = ("n_resources", "n_summed", "n_interventions", "n_approximate", "low", "high")
        out[key] = {c: cell[c] for c in counts}
        out[key]["fte_factor"] = None if units is None else 1 / units
        out[key]["fte_low"] = None if units is None else cell["low"] / units
        out[key]["fte_high"] = None if units is None else cell["high"] / units
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intervention_frames())
def test_differential_against_plain_python(df: pl.DataFrame) -> None:
    table = practice_table(df)
    got = {
        (s, p): (n, m)
        for s, p, n, m in table.select(
            "school", "practice", "n_interventions", "n_in_group"
        ).iter_rows()
    }
    assert got == _reference_practices(df)
    status = status_table(df)
    for school, n in df.group_by("school").len().iter_rows():
        assert status.filter(school=school)["n_interventions"].sum() == n
    for mentioned in (False, True):
        resources = resource_table(
            df, hours_per_fte=20.0, lessons_per_fte=25.0, include_mentioned=mentioned
        )
        expected = _reference_resources(df, 20.0, 25.0, mentioned=mentioned)
        got_cells = {(r["school"], r["unit"]): r for r in resources.iter_rows(named=True)}
        # every (school, unit) cell, for every unit, and no other
        assert set(got_cells) == set(expected)
        for key, want in expected.items():
            got = got_cells[key]
            for col in ("n_resources", "n_summed", "n_interventions", "n_approximate"):
                assert got[col] == want[col], (key, col)
            for col in ("low", "high", "fte_factor", "fte_low", "fte_high"):
                if want[col] is None:
                    assert got[col] is None, (key, col)
                else:
                    assert got[col] == pytest.approx(want[col]), (key, col)
    resources = resource_table(df, hours_per_fte=20.0)
    for mode in ("lazy-in-memory", "lazy-streaming"):
        assert_frame_equal(run_in_mode(mode, practice_table, df), table)
        assert_frame_equal(run_in_mode(mode, status_table, df), status)
        assert_frame_equal(run_in_mode(mode, resource_table, df, hours_per_fte=20.0), resources)


@pytest.mark.parametrize("fn", [practice_table, status_table, resource_table])
def test_bad_frames(fn: object) -> None:
    call = fn  # type: ignore[assignment]
    with pytest.raises(DataError, match="missing column"):
        call(SEED_FRAME.drop("school"))  # type: ignore[operator]
    with pytest.raises(DataError, match="grouping column"):
        call(SEED_FRAME, by="school_year")  # type: ignore[operator]
    with pytest.raises(TypeError, match="polars DataFrame or LazyFrame"):
        call(SEED_FRAME.to_dicts())  # type: ignore[operator]


def test_bad_values() -> None:
    frame = SEED_FRAME.with_columns(pl.col("status").cast(pl.String)).with_columns(
        pl.when(pl.col("line") == 26).then(pl.lit("maybe")).otherwise("status").alias("status")
    )
    with pytest.raises(DataError, match="column 'status': unknown value") as info:
        status_table(frame)
    assert "'maybe'" in str(info.value)
    with pytest.raises(DataError, match="column 'practice_a': wrong dtype"):
        practice_table(SEED_FRAME.with_columns(pl.col("practice_a").cast(pl.Int8)))
    with pytest.raises(DataError, match="column 'practice_c': missing value"):
        practice_table(SEED_FRAME.with_columns(pl.lit(None, dtype=pl.Boolean).alias("practice_c")))
    with pytest.raises(DataError, match="column 'resources': wrong dtype"):
        resource_table(SEED_FRAME.with_columns(pl.col("resources_text").alias("resources")))
    with pytest.raises(DataError, match="column 'resources': missing column"):
        resource_rows(SEED_FRAME.drop("resources"))
    with pytest.raises(ValueError, match="hours_per_fte must be a positive"):
        resource_table(SEED_FRAME, hours_per_fte=0)
