"""The input contracts: every problem at once, never a raw Polars exception."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet._core.schema import CatalogueCheck, Check, Column, Contract, RowCheck

CONTRACT = Contract(
    "test frame",
    (
        Column("school_year", "school_year"),
        Column("pupil_id", "id"),
        Column("kind", "string", allowed=("a", "b")),
        Column("value", "number", nullable=True, checks=(Check("negative", lambda e: e < 0),)),
        Column("note", "string", required=False, nullable=True),
    ),
    key=("school_year", "pupil_id"),
)


def good() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_year": ["2017/18", "2017/2018", "2018-19"],
            "pupil_id": ["p1", "p2", "p1"],
            "kind": ["a", "b", "a"],
            "value": [1.0, None, 3.0],
        }
    )


def test_valid_frame_passes_and_normalises_years() -> None:
    checked = CONTRACT.validate(good().lazy())
    assert checked.columns == {"school_year", "pupil_id", "kind", "value"}
    out = good().select(checked.school_year()).to_series().to_list()
    assert out == ["2017/18", "2017/18", "2018/19"]


def test_schema_problems_are_reported_together() -> None:
    df = good().drop("pupil_id").with_columns(pl.col("value").cast(pl.String))
    with pytest.raises(DataError) as info:
        CONTRACT.validate(df.lazy(), by=["municipality_code"])
    columns = [p.column for p in info.value.problems]
    assert columns == ["pupil_id", "value", "municipality_code"]
    text = str(info.value)
    assert "missing column" in text
    assert "wrong dtype String" in text
    assert "grouping column" in text


def test_schema_and_value_problems_come_in_one_round() -> None:
    # a missing column, a wrong dtype and bad values in the columns that are there: one
    # error with all of them (the key needs the missing column, so it is not checked)
    df = pl.DataFrame(
        {
            "school_year": ["2017/18", "2017/19"],
            "kind": ["a", "c"],
            "value": ["1", "2"],
        }
    )
    with pytest.raises(DataError) as info:
        CONTRACT.validate(df.lazy())
    columns = [p.column for p in info.value.problems]
    assert set(columns) == {"pupil_id", "value", "kind", "school_year"}
    text = str(info.value)
    assert "missing column" in text
    assert "wrong dtype String" in text
    assert "'c'" in text


def test_value_problems_are_reported_together_with_counts_and_examples() -> None:
    df = pl.DataFrame(
        {
            "school_year": ["2017/18", "2017/19", "2017/19", "2018/19"],
            "pupil_id": ["p1", "p1", "p3", None],
            "kind": ["a", "c", "c", "d"],
            "value": [-1.0, 2.0, -5.0, 1.0],
        }
    )
    with pytest.raises(DataError) as info:
        CONTRACT.validate(df.lazy())
    problems = {(p.column, p.rule.split(" (")[0]): p for p in info.value.problems}
    assert problems["pupil_id", "missing value"].n_rows == 1
    unknown = problems["kind", "unknown value"]
    assert unknown.n_rows == 3
    assert unknown.examples == ("'c'", "'d'")
    assert problems["value", "negative"].n_rows == 2
    assert problems["school_year", "not a school year"].n_rows == 2
    assert problems["school_year", "not a school year"].examples == ("'2017/19'",)


def test_duplicated_keys_are_counted() -> None:
    df = pl.concat([good(), good().head(2)])
    with pytest.raises(DataError, match="duplicated key: 2 rows") as info:
        CONTRACT.validate(df.lazy())
    assert info.value.problems[0].column == "school_year, pupil_id"


def test_cpr_pupil_ids_are_refused_unless_allowed() -> None:
    df = good().with_columns(pl.Series("pupil_id", ["010190-1234", "p2", "p3"]))
    with pytest.raises(DataError, match="looks like a CPR number") as info:
        CONTRACT.validate(df.lazy())
    # The CPR itself is never echoed in the message.
    assert "010190" not in str(info.value)
    CONTRACT.validate(df.lazy(), allow_cpr=True)


def test_row_checks() -> None:
    def rows(_present: frozenset[str]) -> list[RowCheck]:
        return [
            RowCheck(
                "kind, value",
                "b needs a value",
                (pl.col("kind") == "b") & pl.col("value").is_null(),
                ("pupil_id",),
            )
        ]

    with pytest.raises(DataError, match="b needs a value") as info:
        CONTRACT.validate(good().lazy(), row_checks=rows)
    assert info.value.problems[0].examples == ("'p2'",)


def test_values_false_checks_only_the_schema() -> None:
    df = good().with_columns(pl.lit("zzz").alias("kind"))
    CONTRACT.validate(df.lazy(), values=False)
    with pytest.raises(DataError):
        CONTRACT.validate(df.drop("kind").lazy(), values=False)


def test_all_null_column_is_reported_as_nulls_not_dtype() -> None:
    df = good().with_columns(pl.lit(None).alias("kind"))
    with pytest.raises(DataError, match="missing value") as info:
        CONTRACT.validate(df.lazy())
    assert info.value.problems[0].n_rows == 3


def test_data_error_is_a_value_error() -> None:
    assert issubclass(DataError, ValueError)


def test_missing_optional_column_used_in_by_is_reported() -> None:
    with pytest.raises(DataError, match="grouping column") as info:
        CONTRACT.validate(good().lazy(), by=["note"])
    assert [p.column for p in info.value.problems] == ["note"]


def test_catalogue_combinations_kept_and_read_from_one_grouping() -> None:
    """A catalogue check on part of another's columns reads the larger grouping; the
    projection gets both sets of combinations; the family's words for keys and pupils."""

    def small(kind: object) -> tuple[str, str, tuple[str, ...]] | None:
        return None if kind in ("a", "b") else ("kind", "unknown", ("kind",))

    def spellings(seen: Mapping[tuple[str, ...], pl.DataFrame]) -> dict[str, pl.Expr] | None:
        assert set(seen) == {("kind",), ("kind", "note")}
        return {"kind": pl.col("kind").str.to_uppercase()}

    def pupils(names: Sequence[str], n: int) -> str:
        return f"pupil disagrees on {', '.join(names)} ({n})"

    contract = Contract(
        "test frame",
        CONTRACT.columns,
        key=("school_year", "pupil_id", "kind"),
        pupil=("school_year", "pupil_id"),
        catalogue=(CatalogueCheck(("kind",), small), CatalogueCheck(("kind", "note"), small2)),
        duplicate_rule=lambda n: f"{n} repeated",
        key_spellings=spellings,
        per_pupil_rule=pupils,
    )
    df = good().with_columns(note=pl.lit("x"))
    checked = contract.validate(df.lazy(), one_value_per=[(("school_year", "pupil_id"), "value")])
    assert checked.combinations(("kind",)).sort("kind")["kind"].to_list() == ["a", "b"]
    assert checked.combinations(("kind", "note")).height == 2
    twice = pl.concat([df, df.head(1)]).with_columns(
        value=pl.when(pl.int_range(pl.len()) == 3).then(9.0).otherwise("value")
    )
    with pytest.raises(DataError) as info:
        contract.validate(twice.lazy(), one_value_per=[(("school_year", "pupil_id"), "value")])
    rules = {p.column: p.rule for p in info.value.problems}
    assert rules["school_year, pupil_id, kind"] == "1 repeated"
    assert rules["school_year, pupil_id"] == "pupil disagrees on value (1)"


def small2(kind: object, note: object) -> tuple[str, str, tuple[str, ...]] | None:
    return None
