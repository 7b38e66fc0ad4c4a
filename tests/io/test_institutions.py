"""The institution register: CSV with a BOM and the XLSX export with upper-case headers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.io import read_institutions

CSV = (
    "Institutionsnummer;Institutionsnavn;Institutionstype, navn;Beliggenhedskommune;"
    "Geokode: Breddegrad;Enhedsart\n"
    "101001;Amager Fælled Skole;Folkeskoler;Københavns Kommune;55,66;Hovedskole\n"
    "751015;Skjoldhøjskolen;Folkeskoler;Aarhus Kommune;56,17;Hovedskole\n"
    "400001;Rønne Privatskole;Friskoler og private grundskoler;Bornholms Regionskommune;55,1;\n"
    "14002;Christiansø Skole;Folkeskoler;Christiansø;55,32;Hovedskole\n"
)


def test_csv_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "institutioner.csv"
    path.write_bytes("\ufeff".encode() + CSV.encode())
    out = read_institutions(path)
    assert out.columns[:4] == ["institution_id", "name", "municipality_code", "municipality"]
    assert out["institution_id"].to_list() == ["101001", "751015", "400001", "014002"]
    assert out["municipality_code"].to_list() == ["101", "751", "400", "411"]
    assert out["municipality"].to_list() == ["København", "Aarhus", "Bornholm", None]
    assert out["is_folkeskole"].to_list() == [True, True, False, True]
    assert out["unit_kind"][0] == "Hovedskole"
    assert out["is_department"].to_list() == [False] * 4


def test_xlsx_with_upper_case_headers(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    path = tmp_path / "Folkeskoler.xlsx"
    pl.DataFrame(
        {
            "HOVEDSKOLE_INST": [101001, 101001, None],
            "INST_NR": [101001, 101501, 730012],
            "INST_NAVN": ["Amager Fælled Skole", "Amager Fælled Skole, afd. Syd", "Bakkeskolen"],
            "ENHEDSART": ["Hovedskole", "Afdeling", "Hovedskole"],
            "INST_TYPE_NR": [1012, 1012, 1013],
            "KOMMUNE_NR": [101, 101, 730],
            "BEL_KOMMUNE": ["København", "København", "Randers"],
            "EJER_KODE": [1, 1, 1],
            "GEO_BREDDE_GRAD": [55.66, 55.65, 56.46],
        }
    ).write_excel(path)
    out = read_institutions(path)
    assert out["institution_id"].to_list() == ["101001", "101501", "730012"]
    assert out["municipality_code"].to_list() == ["101", "101", "730"]
    assert out["main_school_id"].to_list() == ["101001", "101001", None]
    assert out["is_department"].to_list() == [False, True, False]
    assert out["institution_type_code"].to_list() == ["1012", "1012", "1013"]
    assert out["is_folkeskole"].to_list() == [True, True, False]


def test_problems_are_listed_together() -> None:
    frame = pl.DataFrame(
        {
            "Institutionsnummer": ["12345678", "101001"],
            "Beliggenhedskommune": ["Ballerupp", "Københavns"],
        }
    )
    with pytest.raises(DataError) as info:
        read_institutions(frame)
    text = str(info.value)
    assert "'12345678'" in text
    assert "'Ballerupp'" in text


def test_missing_columns() -> None:
    with pytest.raises(DataError, match="Institutionsnummer"):
        read_institutions(pl.DataFrame({"Navn": ["x"]}))


def test_a_cpr_number_is_never_echoed() -> None:
    frame = pl.DataFrame({"Institutionsnummer": ["010190-1234"], "Beliggenhedskommune": ["Aarhus"]})
    with pytest.raises(DataError) as info:
        read_institutions(frame)
    assert "1234" not in str(info.value)
    assert "hidden" in str(info.value)
