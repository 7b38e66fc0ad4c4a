"""suppress(), audit() and symbols(): examples and properties on generated tables."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet.disclosure import audit, suppress, symbols
from folkeskolekvalitet.indicators import CATALOGUE, INDICATOR_SCHEMA, STATUS_ENUM
from folkeskolekvalitet.testing.indicators import indicator_tables

from .reference_impl import linear_exposed, relations

HIDDEN = ("suppressed", "suppressed_complementary")
SHARE = "exams.share_passing_danish_and_math"


def _row(level: str, unit: str, n: int, k: float, **kw: Any) -> dict[str, Any]:
    ind = kw.pop("indicator", SHARE)
    return {
        "school_year": "2023/24",
        "unit_level": level,
        "unit_id": unit,
        "municipality_code": None if level == "country" else unit[:3],
        "indicator": ind,
        "value": k / n,
        "n": n,
        "numerator": float(k),
        "confidence": 0.95,
        "status": "ok",
        "source": "computed",
        **kw,
    }


def _five_schools() -> pl.DataFrame:
    sizes = {"101001": (4, 3), "101002": (20, 15), "101003": (25, 20)}
    sizes |= {"101004": (30, 24), "101005": (41, 30)}
    rows = [_row("school", u, n, k) for u, (n, k) in sizes.items()]
    rows.append(_row("municipality", "101", 120, 92))
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA)


def _status(table: pl.DataFrame) -> dict[str, str]:
    return dict(table.select("unit_id", pl.col("status").cast(pl.String)).iter_rows())


def test_small_school_hidden_with_one_complement(run: Any) -> None:
    out = run(suppress, _five_schools())
    status = _status(out)
    assert status["101001"] == "suppressed"
    assert sorted(s for s in status.values() if s != "ok") == [
        "suppressed",
        "suppressed_complementary",
    ]
    assert status["101002"] == "suppressed_complementary"  # the smallest other school
    assert status["101"] == "ok"
    assert run(audit, out).height == 0


def test_without_the_complement_audit_finds_the_school() -> None:
    out = suppress(_five_schools())
    undone = out.with_columns(
        pl.when(pl.col("status") == "suppressed_complementary")
        .then(pl.lit("ok", STATUS_ENUM))
        .otherwise(pl.col("status"))
        .alias("status"),
        pl.when(pl.col("status") == "suppressed_complementary")
        .then(15 / 20)
        .otherwise(pl.col("value"))
        .alias("value"),
    )
    found = audit(undone)
    assert found["unit_id"].to_list() == ["101001"]
    assert found["method"].to_list() == ["linear"]
    assert "municipality 101" in found["how"].item()


def test_single_school_municipality_hides_itself_or_its_school() -> None:
    rows = [
        _row("school", "101001", 3, 1),
        _row("municipality", "101", 3, 1),
        _row("school", "147001", 30, 20),
        _row("school", "147002", 40, 21),
        _row("municipality", "147", 70, 41),
        _row("country", "DK", 73, 42),
    ]
    out = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA))
    status = _status(out)
    assert status["101001"] == "suppressed"
    assert status["101"] == "suppressed"  # the same 3 pupils: small too
    assert audit(out).height == 0
    # the country then needs a second hidden municipality, which needs a hidden school
    assert status["147"] == "suppressed_complementary"
    assert status["DK"] == "ok"
    assert [status["147001"], status["147002"]].count("suppressed_complementary") == 1


def test_single_school_municipality_all_or_none() -> None:
    # A withheld school that is its municipality's only school, next to a published
    # municipality: the municipality's row goes (its other rows have no other child).
    rows = [
        _row("school", "101001", 8, 8),  # 100 % of 8 pupils
        _row("municipality", "101", 8, 8),
    ]
    out = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA), all_or_none_below=9)
    assert _status(out) == {"101001": "suppressed", "101": "suppressed"}
    assert audit(out).height == 0


def test_the_smallest_other_part_is_the_complement() -> None:
    # A small subject next to the school's total and one other subject: the complement is
    # the smaller of the other subject and the total; parts that do not add up are no sum.
    def cov(subject: str | None, n: int, k: int) -> dict[str, Any]:
        return _row("school", "101001", n, k, indicator="competence.coverage", subject=subject)

    rows = [cov("dansk", 3, 2), cov("matematik", 30, 20), cov(None, 33, 22)]
    out = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA))
    assert out["status"].cast(pl.String).to_list() == [
        "suppressed",
        "suppressed_complementary",
        "ok",
    ]
    rows = [cov("dansk", 3, 2), cov("matematik", 40, 20), cov(None, 43, 22)]
    rows[1]["n"], rows[2]["n"] = 45, 43  # the total is now the smaller group
    rows[1]["value"] = 20 / 45
    out = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA))
    assert audit(out).height == 0


def test_six_pupils_all_in_the_top_interval() -> None:
    cats = ["general:[1,2]", "general:(2,3]", "general:(3,4]", "general:(4,5]"]
    rows = [
        _row(
            "school",
            "101001",
            6,
            6 if c.endswith("(4,5]") else 0,
            indicator="wellbeing.interval_share",
            category=c,
        )
        for c in cats
    ]
    out = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA))
    top = out.filter(pl.col("category") == "general:(4,5]")
    assert top["status"].cast(pl.String).item() == "suppressed"
    assert top["value"].item() is None
    assert audit(out).height == 0
    # without all_or_none the group of 6 is shown
    shown = suppress(pl.DataFrame(rows, schema=INDICATOR_SCHEMA), all_or_none=False)
    assert (shown["status"] == "ok").all()


def test_a_distribution_with_one_hidden_category_gets_a_complement() -> None:
    cats = ["general:[1,2]", "general:(2,3]", "general:(3,4]", "general:(4,5]"]
    counts = [0, 4, 10, 16]
    rows = [
        _row("school", "101001", 30, k, indicator="wellbeing.interval_share", category=c)
        for c, k in zip(cats, counts, strict=True)
    ]
    table = pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
    out = suppress(table, all_or_none_below=31)
    assert out["status"].cast(pl.String).to_list()[0] == "suppressed"
    assert (out["status"] == "suppressed_complementary").sum() >= 1
    assert audit(out).height == 0


def test_no_national_test_value_below_the_country_survives() -> None:
    rows = [
        _row(
            "school",
            "101001",
            50,
            40,
            indicator="national_tests.share_good",
            subject="dansk",
            grade_level=2,
        ),
        _row(
            "municipality",
            "101",
            50,
            40,
            indicator="national_tests.share_good",
            subject="dansk",
            grade_level=2,
        ),
        _row(
            "country",
            "DK",
            50000,
            40000,
            indicator="national_tests.share_good",
            subject="dansk",
            grade_level=2,
        ),
    ]
    table = pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
    out = suppress(table, min_n=1, all_or_none=False)
    below = out.filter(pl.col("unit_level") != "country")
    assert below["value"].null_count() == below.height == 2
    assert below["note"].to_list() == ["§ 55 b", "§ 55 b"]
    assert out.filter(pl.col("unit_level") == "country")["value"].item() == pytest.approx(0.8)


def test_hide_n_and_the_withheld_columns() -> None:
    out = suppress(_five_schools(), hide_n=True)
    hidden = out.filter(pl.col("status").cast(pl.String).is_in(HIDDEN))
    for c in ("value", "numerator", "se", "ci_low", "ci_high", "n"):
        assert hidden[c].null_count() == hidden.height
    assert audit(out).height == 0


def test_bound_attack_when_the_rest_is_all_zero() -> None:
    # Both withheld schools had 0 passing and the municipality says so: a bound exposure.
    rows = [
        _row("school", "101001", 4, 0),
        _row("school", "101002", 6, 0),
        _row("school", "101003", 30, 15),
        _row("municipality", "101", 40, 15),
    ]
    table = pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
    hidden = table.with_columns(
        pl.when(pl.col("unit_id").is_in(["101001", "101002"]))
        .then(pl.lit("suppressed", STATUS_ENUM))
        .otherwise(pl.col("status"))
        .alias("status"),
        pl.when(pl.col("unit_id").is_in(["101001", "101002"]))
        .then(None)
        .otherwise(pl.col("value"))
        .alias("value"),
        pl.when(pl.col("unit_id").is_in(["101001", "101002"]))
        .then(None)
        .otherwise(pl.col("numerator"))
        .alias("numerator"),
    )
    found = audit(hidden)
    assert sorted(found["unit_id"].to_list()) == ["101001", "101002"]
    assert set(found["method"].to_list()) == {"bound"}
    out = suppress(table)
    assert audit(out).height == 0
    assert _status(out)["101003"] != "ok" or _status(out)["101"] != "ok"


def test_symbols_by_reason() -> None:
    out = symbols(suppress(_five_schools()))
    assert out.filter(pl.col("status") == "ok")["symbol"].null_count() == 4
    assert set(out.filter(pl.col("status") != "ok")["symbol"].to_list()) == {".."}
    gss = symbols(suppress(_five_schools()), style="gss")
    assert set(gss.filter(pl.col("status") != "ok")["symbol"].to_list()) == {"c"}
    with pytest.raises(ValueError, match="style"):
        symbols(_five_schools(), style="udir")  # type: ignore[arg-type]


def test_bad_input() -> None:
    with pytest.raises(DataError):
        suppress(_five_schools().drop("n"))
    with pytest.raises(ValueError, match="min_n"):
        suppress(_five_schools(), min_n=0)


# -- properties ----------------------------------------------------------------------------

PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(indicator_tables(), st.booleans(), st.integers(1, 12))
def test_audit_of_suppress_is_empty(table: pl.DataFrame, hide_n: bool, min_n: int) -> None:
    out = suppress(table, hide_n=hide_n, min_n=min_n)
    assert audit(out).height == 0
    # the independent reference reader finds nothing either
    assert not linear_exposed(out)


@PROPS
@given(indicator_tables())
def test_deterministic_and_idempotent(table: pl.DataFrame) -> None:
    once = suppress(table)
    assert_frame_equal(once, suppress(table))
    assert_frame_equal(suppress(once), once)
    shuffled = table.sample(fraction=1.0, shuffle=True, seed=1)
    by_key = ["school_year", "unit_id", "indicator", "subject", "grade_level", "category"]
    assert_frame_equal(
        suppress(shuffled).sort(by_key, nulls_last=True), once.sort(by_key, nulls_last=True)
    )


@PROPS
@given(indicator_tables())
def test_hidden_rows_carry_nothing_of_their_value(table: pl.DataFrame) -> None:
    out = suppress(table)
    hidden = out.filter(pl.col("status").cast(pl.String).is_in(HIDDEN))
    for c in ("value", "numerator", "se", "ci_low", "ci_high"):
        assert hidden[c].null_count() == hidden.height
    # n is kept and the keys too
    assert_frame_equal(
        out.drop("value", "numerator", "status", "note"),
        table.drop("value", "numerator", "status", "note"),
    )


@PROPS
@given(indicator_tables())
def test_nothing_hidden_without_a_reason(table: pl.DataFrame) -> None:
    out = suppress(table)
    joined = table.with_row_index("i").join(
        out.with_row_index("i").select("i", pl.col("status").alias("after")), on="i"
    )
    primary = joined.filter(pl.col("after") == "suppressed")
    nt = pl.col("indicator").str.starts_with("national_tests.") & (
        pl.col("unit_level") != "country"
    )
    aon = (
        (pl.col("n") < 10)
        & pl.col("value").is_in([0.0, 1.0])
        & (pl.col("indicator") != "exams.grade_average")
    )
    assert primary.filter(~(nt | (pl.col("n") < 5) | aon)).height == 0
    # every complement shares a relation with another withheld row
    rels = relations(table)
    hidden = set(joined.filter(pl.col("after").cast(pl.String).is_in(HIDDEN))["i"].to_list())
    for i in joined.filter(pl.col("after") == "suppressed_complementary")["i"].to_list():
        assert any(i in r and (hidden & set(r) - {i}) for r in rels), i


@PROPS
@given(indicator_tables(), st.integers(1, 12))
def test_nothing_hidden_far_from_a_primary_suppression(table: pl.DataFrame, min_n: int) -> None:
    # The "nothing with enough pupils and no relation to a hidden row is hidden",
    # from the input side: a row with n >= min_n, not a 0 % / 100 % share of a small group
    # and not a national test below the country is hidden only when it is linked to a
    # primary-suppressed row, directly or through other withheld rows. (Directly is not
    # enough: a complement can need its own complement, as the country with one small
    # municipality in test_single_school_municipality_hides_itself_or_its_school.)
    out = suppress(table, min_n=min_n)
    after = out["status"].cast(pl.String).to_list()
    shares = {k for k, ind in CATALOGUE.items() if ind.unit in ("share", "rate")}
    primary = {
        i
        for i, r in enumerate(table.iter_rows(named=True))
        if (r["indicator"].startswith("national_tests.") and r["unit_level"] != "country")
        or r["n"] < min_n
        or (r["indicator"] in shares and r["n"] < 10 and r["value"] in (0.0, 1.0))
    }
    hidden = {i for i, s in enumerate(after) if s in HIDDEN}
    assert primary <= hidden
    rels = relations(table)
    reached = set(primary)
    frontier = list(primary)
    while frontier:
        i = frontier.pop()
        for rel in rels:
            if i in rel:
                for j in (hidden & set(rel)) - reached:
                    reached.add(j)
                    frontier.append(j)
    assert hidden <= reached, sorted(hidden - reached)
