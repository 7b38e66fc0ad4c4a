"""read_uddannelsesstatistik and to_indicator_table on every mapped cube."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.exams import compare_to_reference
from folkeskolekvalitet.indicators import CATALOGUE, INDICATOR_SCHEMA, validate_table
from folkeskolekvalitet.io import (
    CUBES,
    MEASURES,
    dimension_name,
    read_institutions,
    read_uddannelsesstatistik,
    to_indicator_table,
    to_references,
)

from . import fixtures as fx


def table_of(records: list[dict[str, str]], **kwargs: object) -> pl.DataFrame:
    cube = kwargs.pop("cube", None)
    frame = read_uddannelsesstatistik(records, cube=cube)  # type: ignore[arg-type]
    return to_indicator_table(frame, **kwargs)  # type: ignore[arg-type]


def row(table: pl.DataFrame, **keys: object) -> dict[str, object]:
    expr = pl.lit(value=True)
    for k, v in keys.items():
        expr = expr & (pl.col(k).is_null() if v is None else pl.col(k) == v)
    found = table.filter(expr)
    assert found.height == 1, (keys, found)
    return found.row(0, named=True)


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("[Skoleår].[Skoleår].[Skoleår]", "school_year"),
        ("[Tid].[Skoleår]", "school_year"),
        ("[Institution].[Institution].[Institution]", "institution"),
        ("[Institution].[Beliggenhedskommune].[Beliggenhedskommune]", "municipality"),
        ("[Institution].[Kommune]", "municipality"),
        ("[Klassetrin].[Klassetringruppe]", "grade_group"),
        ("[Klassetrin].[Skoletrin]", "school_stage"),
        (fx.TRIV_IV, "interval"),
        ("[Indikatorsvar].[Indikator svar]", "interval"),
        ("[Insttype].[Institutionstype]", "institution_type"),
        ("Skoleår", "school_year"),
        ("Beliggenhedskommune", "municipality"),
        ("Forældres uddannelse", "foraeldres_uddannelse"),
    ],
)
def test_dimension_names(key: str, name: str) -> None:
    assert dimension_name(key) == name


def test_reads_json_file_text_and_records_alike(tmp_path: Path) -> None:
    path = tmp_path / "fravaer.json"
    path.write_text(json.dumps(fx.FRAVAAR, ensure_ascii=False), encoding="utf-8")
    from_records = read_uddannelsesstatistik(fx.FRAVAAR)
    assert read_uddannelsesstatistik(path).equals(from_records)
    assert read_uddannelsesstatistik(str(path)).equals(from_records)
    assert read_uddannelsesstatistik(json.dumps(fx.FRAVAAR)).equals(from_records)
    assert read_uddannelsesstatistik({"data": fx.FRAVAAR}).equals(from_records)
    assert from_records["school_year"].unique(maintain_order=True).to_list() == [
        "2022/23",
        "2023/24",
    ]
    assert from_records["cube"].unique().to_list() == ["ELEVFRAV/FRAVAAR"]
    n = from_records.filter(pl.col("measure") == "Antal elever")["value"].to_list()
    assert n == [2351.0, 2402.0]
    rate = from_records.filter(pl.col("measure") == "Gennemsnitligt fravær per skoleår")
    assert rate["value"].to_list() == [0.079, 0.073]
    assert rate["written_as"].unique().to_list() == ["percent"]


def test_municipality_variants_map_to_one_code() -> None:
    records = [
        {fx.YEAR: "2023/2024", fx.KOMMUNE: name, "Inklusionsgrad": "94,0 %"}
        for name in ["Københavns", "København", "Københavns Kommune", "Koebenhavn"]
    ]
    frame = read_uddannelsesstatistik(records)
    assert frame["municipality_code"].unique().to_list() == ["101"]


def test_unreadable_cells_are_reported_together() -> None:
    records = [
        {
            fx.YEAR: "2023/2024",
            fx.KOMMUNE: "Randrs",
            "Inklusionsgrad": "94.0",
            "Antal elever": "7.3",
        },
        {fx.YEAR: "2023/25", fx.KOMMUNE: "Randers", "Inklusionsgrad": "abc", "Antal elever": "12"},
    ]
    with pytest.raises(DataError) as info:
        read_uddannelsesstatistik(records)
    text = str(info.value)
    assert "4 problems" in text
    assert "'2023/25'" in text
    assert "'Randrs'" in text
    assert "'94.0', 'abc'" in text
    assert "'7.3'" in text


def test_missing_cells_are_null_with_a_reason_never_zero() -> None:
    markers = ["<fejl>", "", "-", "..", "*", "x", "X", " - "]
    records = [{fx.YEAR: "2023/2024", fx.KOMMUNE: "Randers", "Inklusionsgrad": m} for m in markers]
    records.append({fx.YEAR: "2023/2024", fx.KOMMUNE: "Randers"})  # key left out of the record
    frame = read_uddannelsesstatistik(records)
    assert frame["value"].null_count() == frame.height
    assert frame["missing"].null_count() == 0
    table = to_indicator_table(frame.filter(pl.col("record") == 0))
    assert table["status"].to_list() == ["not_available"]
    assert table["value"].to_list() == [None]
    assert "<fejl>" in table["note"][0]


def test_csv_download_with_bom_and_decimal_commas(tmp_path: Path) -> None:
    text = (
        "Skoleår;Beliggenhedskommune;Skoletrin;Gennemsnitligt fravær per skoleår;"
        "Over 10 procent;Antal elever\n"
        "2022/2023;Randers;Udskoling;7,9 %;28,4 %;2.351\n"
        "2023/2024;Randers;Udskoling;7,3;24,0;2.402\n"
    )
    path = tmp_path / "fravaer.csv"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    frame = read_uddannelsesstatistik(path)
    assert frame["cube"].unique().to_list() == ["ELEVFRAV/FRAVAAR"]
    assert {"school_year", "municipality_code", "school_stage"} <= set(frame.columns)
    table = to_indicator_table(frame)
    total = table.filter(pl.col("indicator") == "absence.rate_total")
    # "7,3" without % in a share measure is a percentage, as the warehouse publishes shares;
    # divided exactly (Polars's reciprocal gave 0.07300000000000001)
    assert total["value"].to_list() == [0.079, 0.073]
    assert total["n"].to_list() == [2351, 2402]
    assert total["note"].to_list() == ["school_stage: Udskoling"] * 2


def test_xlsx_download(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    path = tmp_path / "elever.xlsx"
    pl.DataFrame(
        {
            "Skoleår": ["2023/2024", "2023/2024"],
            "Beliggenhedskommune": ["København", "Aarhus"],
            "Inklusionsgrad": [0.941, 0.953],  # a percentage cell holds the fraction
            "Andel der modtager seg specialundervisning": ["5,9 %", "4,7 %"],
            "Antal elever": [41220, 33015],
        }
    ).write_excel(path)
    table = to_indicator_table(read_uddannelsesstatistik(path))
    incl = table.filter(pl.col("indicator") == "interventions.inclusion_rate")
    assert incl["unit_id"].to_list() == ["101", "751"]
    assert incl["value"].to_list() == [0.941, 0.953]
    seg = table.filter(pl.col("indicator") == "interventions.share_segregated")
    assert seg["value"].to_list() == [0.059, 0.047]
    assert seg["n"].to_list() == [41220, 33015]


# ------------------------------------------------------------------ every cube


def test_every_cube_has_a_fixture_and_every_measure_is_exercised() -> None:
    assert set(fx.CUBE_FIXTURES) | {"SOCR/SOCREF3ÅR"} == set(CUBES)
    for m in MEASURES:
        assert m.indicator.startswith("wellbeing.") or m.indicator in CATALOGUE
    seen = set()
    for cube, records in [*fx.CUBE_FIXTURES.items(), ("TRIV/TRIVIND", fx.TRIVIND_MEANS)]:
        seen |= {(cube, k) for r in records for k in r if not k.startswith("[")}
    for m in MEASURES:
        cube = m.cube.replace("SOCREF3ÅR", "SOCREFEX")
        assert (cube, m.measure) in seen, m


@pytest.mark.parametrize("cube", list(fx.CUBE_FIXTURES))
def test_every_cube_gives_a_valid_table(cube: str) -> None:
    institutions = None
    if cube == "OVER/OVERSKO":
        institutions = read_institutions(
            pl.DataFrame(
                {
                    "Institutionsnummer": ["730001", "730003"],
                    "Institutionsnavn": ["Bakkeskolen", "Engskolen"],
                    "Beliggenhedskommune": ["Randers Kommune", "Randers Kommune"],
                }
            )
        )
    frame = read_uddannelsesstatistik(fx.CUBE_FIXTURES[cube], cube=cube)
    table = to_indicator_table(frame, institutions=institutions)
    assert table.schema == INDICATOR_SCHEMA
    validate_table(table)
    assert table.height > 0
    assert table["source"].unique().to_list() == [f"uddannelsesstatistik.dk {cube}"]
    # a value is there exactly when the status is ok; never a 0 for a missing cell
    assert (table["status"] == "ok").to_list() == table["value"].is_not_null().to_list()


def test_exam_grades() -> None:
    table = table_of(fx.KARA)
    ok = row(table, unit_id="730001", indicator="exams.grade_average")
    assert ok["value"] == 7.3
    assert ok["n"] == 57
    assert ok["municipality_code"] == "730"
    assert ok["se"] is None  # a mean published without its spread
    share = row(table, unit_id="730001", indicator="exams.share_at_least_2_obligatory")
    assert share["value"] == 0.912
    assert share["numerator"] is None
    assert share["se"] == pytest.approx(math.sqrt(0.912 * 0.088 / 57))
    assert share["ci_low"] < 0.912 < share["ci_high"]
    missing = table.filter(pl.col("unit_id") == "730002")
    assert missing["status"].to_list() == ["not_available"] * 3
    assert missing["n"].to_list() == [None] * 3
    assert sorted(missing["note"].to_list()) == [
        "uddannelsesstatistik.dk: empty cell",
        "uddannelsesstatistik.dk: error member '<fejl>' in the warehouse",
        "uddannelsesstatistik.dk: not published ('-')",
    ]


def test_municipality_rows() -> None:
    table = table_of(fx.KARA_MUNICIPALITIES)
    assert table["unit_level"].cast(pl.String).unique().to_list() == ["municipality"]
    assert table["unit_id"].to_list() == ["101", "730", "751"]
    assert table["n"].to_list() == [4312, 1012, 3208]


def test_socio_economic_reference() -> None:
    frame = read_uddannelsesstatistik(fx.SOCREFEX, cube="SOCR/SOCREFEX")
    table = to_indicator_table(frame)
    ref = row(table, unit_id="730001", indicator="exams.socioeconomic_reference")
    assert ref["value"] == 6.8
    diff = row(table, unit_id="730001", indicator="exams.reference_difference")
    assert diff["value"] == 0.5
    assert diff["note"] == "significance: above"
    assert row(table, unit_id="730003", indicator="exams.reference_difference")["note"] == (
        "significance: at_level"
    )
    three = to_indicator_table(read_uddannelsesstatistik(fx.SOCREFEX, cube="SOCR/SOCREF3ÅR"))
    assert set(three["indicator"]) == {
        "exams.socioeconomic_reference_3y",
        "exams.reference_difference_3y",
    }
    # without the cube the 1- and 3-year references cannot be told apart
    with pytest.raises(DataError, match="pass cube="):
        to_indicator_table(read_uddannelsesstatistik(fx.SOCREFEX))


def test_references_feed_compare_to_reference() -> None:
    refs = to_references(read_uddannelsesstatistik(fx.SOCREFEX, cube="SOCR/SOCREFEX"))
    assert refs.columns == [
        "school_year",
        "institution_id",
        "average",
        "reference",
        "difference",
        "significance",
    ]
    averages = refs.select("school_year", "institution_id", "average")
    out = compare_to_reference(averages, refs.drop("average", "difference"))
    assert out["marker"].to_list() == ["0,5*", "-0,3"]
    assert out["significance"].cast(pl.String).to_list() == ["above", "at_level"]


def test_wellbeing_intervals_and_means() -> None:
    table = table_of(fx.TRIVIND_INTERVALS)
    shares = table.filter(pl.col("indicator") == "wellbeing.interval_share")
    assert shares.height == 8
    top = row(shares, category="general:(4,5]")
    assert top["value"] == 0.5
    assert top["numerator"] == 100
    assert top["n"] == 200
    assert top["se"] == pytest.approx(math.sqrt(0.25 / 200))
    assert top["note"] == "grade_group: 4.-9. klasse"
    means = table_of(fx.TRIVIND_MEANS)
    school = row(means, unit_id="730001", indicator="wellbeing.general")
    assert school["value"] == 4.1
    assert school["n"] == 200
    assert school["se"] is None
    kommune = row(means, unit_id="730", indicator="wellbeing.general")
    assert kommune["unit_level"] == "municipality"
    assert kommune["value"] == 4.0
    assert kommune["n"] is None  # the cube gives no count for the kommunetal
    land = row(means, unit_id="DK", indicator="wellbeing.calm_order")
    assert land["value"] == 3.8
    assert land["municipality_code"] is None
    # the municipality and country figures repeat on every school row: one row each
    assert means.filter(pl.col("unit_level") == "municipality").height == 2


def test_wellbeing_for_the_quality_report() -> None:
    table = table_of(fx.KVALTRIV, cube="TRIV/KVALTRIV")
    assert table["indicator"].to_list() == ["wellbeing.academic", "wellbeing.support_inspiration"]
    assert table["school_year"].unique().to_list() == ["2022/23"]
    shares = table_of(fx.KVALTRIV_INTERVALS, cube="TRIV/KVALTRIV")
    assert shares["indicator"].unique().to_list() == ["wellbeing.interval_share"]
    assert shares["category"].to_list() == [
        "calm_order:[1,2]",
        "calm_order:(2,3]",
        "calm_order:(3,4]",
        "calm_order:(4,5]",
    ]
    assert row(shares, category="calm_order:(4,5]")["value"] == 0.5


def test_absence() -> None:
    table = table_of(fx.FRAVAAR)
    assert set(table["indicator"]) == {
        "absence.rate_total",
        "absence.rate_sick",
        "absence.rate_unauthorised",
        "absence.share_above_10",
    }
    above = row(table, school_year="2022/23", indicator="absence.share_above_10")
    assert above["value"] == 0.284
    assert above["n"] == 2351
    assert above["se"] == pytest.approx(math.sqrt(0.284 * 0.716 / 2351))
    rate = row(table, school_year="2022/23", indicator="absence.rate_sick")
    assert rate["se"] is None  # a ratio estimator needs pupil-level data


def test_several_stages_are_refused_with_a_hint() -> None:
    records = [dict(fx.FRAVAAR[0]), {**fx.FRAVAAR[0], fx.STAGE: "Mellemtrin"}]
    with pytest.raises(DataError, match=r"school_stage.*filter the frame"):
        table_of(records)


def test_competence_by_subject() -> None:
    table = table_of(fx.KOMPEX)
    assert row(table, subject=None)["value"] == 0.875
    assert row(table, subject="dansk")["value"] == 0.951
    nt = row(table, subject="natur_teknologi")
    assert nt["status"] == "not_available"
    assert nt["value"] is None
    assert table["se"].null_count() == table.height  # coverage is a census


def test_transitions_by_department_name() -> None:
    frame = read_uddannelsesstatistik(fx.OVERSKO)
    with pytest.raises(DataError, match="institution number"):
        to_indicator_table(frame)
    institutions = read_institutions(
        pl.DataFrame(
            {
                "INST_NR": [730001, 730003],
                "INST_NAVN": ["Bakkeskolen", "Engskolen"],
                "KOMMUNE_NR": [730, 730],
            }
        )
    )
    table = to_indicator_table(frame, institutions=institutions)
    school = row(table, unit_id="730001")
    assert school["value"] == 0.842
    assert school["n"] == 57
    assert row(table, unit_id="730003")["status"] == "not_available"
    kommune = row(table, unit_level="municipality")
    assert kommune["unit_id"] == "730"
    assert kommune["n"] == 1104
    assert kommune["value"] == 0.81
    assert row(table, unit_level="country")["value"] == 0.832


def test_left_out_rows_with_expected() -> None:
    expected = pl.DataFrame(
        {
            "school_year": ["2023/2024"] * 3 + ["2022/2023"],
            "institution_id": ["730001", "730002", "730009", "730001"],
            "municipality_code": "730",
        }
    )
    table = table_of(fx.KARA, expected=expected)
    validate_table(table)
    added = table.filter(pl.col("note").str.starts_with("left out"))
    assert sorted(set(added["unit_id"])) == ["730001", "730009"]
    assert added.height == 2 * 3  # two unit-years × the three indicators of the cube
    assert added["status"].unique().to_list() == ["not_available"]
    assert added["value"].null_count() == added.height
    # rows already in the table (with or without a value) are not repeated
    assert table.filter(pl.col("unit_id") == "730002").height == 3


def test_expected_school_without_municipality_is_an_error() -> None:
    expected = pl.DataFrame({"school_year": ["2023/24"], "unit_id": ["999999"]})
    with pytest.raises(DataError, match="municipality_code"):
        table_of(fx.KARA, expected=expected)


def test_unknown_measure_is_reported() -> None:
    records = [{**fx.FRAVAAR[0], "Elever i alt": "12"}]
    frame = read_uddannelsesstatistik(records, cube="ELEVFRAV/FRAVAAR")
    with pytest.raises(DataError, match="Elever i alt"):
        to_indicator_table(frame)


def test_lazy_in_lazy_out() -> None:
    frame = read_uddannelsesstatistik(fx.KARA)
    lazy = to_indicator_table(frame.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(to_indicator_table(frame))


def test_a_cpr_number_is_never_echoed() -> None:
    records = [{fx.YEAR: "2023/2024", fx.KOMMUNE: "Aarhus", "Inklusionsgrad": "0101901234"}]
    # a plain 10-digit number reads as a number; in a malformed cell it is hidden
    records.append({fx.YEAR: "2023/2024", fx.KOMMUNE: "Aarhus", "Inklusionsgrad": "010190-1234"})
    with pytest.raises(DataError) as info:
        read_uddannelsesstatistik(records)
    assert "1234" not in str(info.value)


def test_institutions_need_the_register_columns() -> None:
    frame = read_uddannelsesstatistik(fx.OVERSKO)
    with pytest.raises(DataError, match="read_institutions"):
        to_indicator_table(frame, institutions=pl.DataFrame({"institution_id": ["730001"]}))


def test_grade_levels_are_read_as_the_families_read_them() -> None:
    records = [
        {
            fx.YEAR: "2023/2024",
            fx.KOMMUNE: "Randers",
            "[Klassetrin].[Klassetrin]": level,
            "Inklusionsgrad": "94,0 %",
        }
        for level in ["4. klasse", "Børnehaveklasse", "10"]
    ]
    assert read_uddannelsesstatistik(records)["grade_level"].to_list() == [4, 0, 10]
    records[0]["[Klassetrin].[Klassetrin]"] = "4.a"
    with pytest.raises(DataError, match="klassetrin"):
        read_uddannelsesstatistik(records)


def test_warehouse_only_indicators_are_read_not_computed() -> None:
    from folkeskolekvalitet.indicators.catalogue import WAREHOUSE_ONLY

    mapped = {m.indicator for m in MEASURES}
    assert mapped >= WAREHOUSE_ONLY
    assert all(key in CATALOGUE for key in WAREHOUSE_ONLY)
    assert "exams.grade_average" not in WAREHOUSE_ONLY


def test_cube_from_the_file_name(tmp_path: Path) -> None:
    for name, cube in [
        ("socref3år_2024.json", "SOCR/SOCREF3ÅR"),
        ("SOCREFEX.json", "SOCR/SOCREFEX"),
    ]:
        path = tmp_path / name
        path.write_text(json.dumps(fx.SOCREFEX), encoding="utf-8")
        assert read_uddannelsesstatistik(path)["cube"].unique().to_list() == [cube]
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(fx.SOCREFEX), encoding="utf-8")
    assert read_uddannelsesstatistik(path)["cube"].to_list()[0] is None
