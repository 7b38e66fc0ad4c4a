"""Fixtures of the report tests: a report from a hand-built table, written once per module."""

from __future__ import annotations

import pathlib

import polars as pl
import pytest

from folkeskolekvalitet.disclosure import suppress
from folkeskolekvalitet.report import Report
from folkeskolekvalitet.report.build import _publication
from tests.report._tables import MUNICIPALITY, SCHOOLS, YEARS, hand_table


@pytest.fixture(scope="session")
def raw_table() -> pl.DataFrame:
    return hand_table()


@pytest.fixture(scope="session")
def hand_report(raw_table: pl.DataFrame) -> Report:
    """A report assembled from its parts (the rendering layer; disclosure control applied)."""
    nt = pl.col("indicator").str.starts_with("national_tests.")
    publication = _publication(raw_table.filter(nt, pl.col("unit_level") != "country"))
    return Report(
        table=suppress(raw_table.filter(~nt)),
        municipality=MUNICIPALITY,
        municipality_name="Ballerup",
        schools=tuple(SCHOOLS),
        years=YEARS,
        publication=publication,
        names={**SCHOOLS, MUNICIPALITY: "Ballerup"},
    )


@pytest.fixture(scope="session")
def written(
    hand_report: Report, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pathlib.Path]:
    out = tmp_path_factory.mktemp("report")
    return {
        "html": hand_report.to_html(out / "kvalitetsrapport.html"),
        "xlsx": hand_report.to_xlsx(out / "datapakke.xlsx"),
    }
