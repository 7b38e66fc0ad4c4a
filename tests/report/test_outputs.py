"""The HTML report and the Excel datapakke: offline, complete, suppressed, § 55 b safe."""

from __future__ import annotations

import html.parser
import pathlib
import re

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from folkeskolekvalitet.report import FAMILY_SHEETS, Report, read_xlsx
from tests.report._tables import SCHOOLS, SMALL, YEARS, nt_shares

fastexcel = pytest.importorskip("fastexcel")


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.figures: list[str] = []
        self.svg_in: list[str] = []
        self._figure: str | None = None
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("src", "href", "srcset", "poster", "data", "action", "xlink:href"):
            if a.get(name):
                self.refs.append((tag, name, str(a[name])))
        if tag == "figure":
            self._figure = a.get("data-figure")
            if self._figure:
                self.figures.append(self._figure)
        if tag == "svg" and self._figure:
            self.svg_in.append(self._figure)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _parse(path: pathlib.Path) -> _Collect:
    parser = _Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_html_references_no_external_resource(written: dict[str, pathlib.Path]) -> None:
    page = _parse(written["html"])
    for tag, attr, value in page.refs:
        if tag == "a" and attr == "href":
            continue  # source links are plain anchors
        assert not re.match(r"^\s*(https?:)?//", value), (tag, attr, value)
        assert tag != "link", "no stylesheet or font is linked"
    assert not any(t in ("script", "link", "img", "iframe") for t, _, _ in page.refs)
    css = "".join(page.styles)
    assert "@import" not in css
    assert "url(" not in css
    assert "@font-face" not in css
    text = written["html"].read_text(encoding="utf-8")
    # the only http(s) outside anchors are XML namespaces of the inline SVGs
    outside = re.sub(r'<a href="[^"]*"', "", text)
    outside = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", outside)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*https?://", outside)
    assert "Content-Security-Policy" in text


def test_every_figure_has_its_svg(hand_report: Report, written: dict[str, pathlib.Path]) -> None:
    page = _parse(written["html"])
    keys = [f.key for f in hand_report.figures]
    assert keys, "the report has figures"
    assert page.figures == keys
    assert sorted(page.svg_in) == sorted(keys)
    assert {f.family for f in hand_report.figures} >= {
        "exams",
        "wellbeing",
        "absence",
        "national_tests",
    }


def test_svg_has_no_external_reference(hand_report: Report) -> None:
    for figure in hand_report.figures:
        svg = figure.to_svg()
        assert svg.startswith("<svg")
        refs = re.findall(r'(?:href|src)="([^"]*)"', svg)
        assert all(r.startswith("#") for r in refs), refs
        assert "@import" not in svg
        assert "@font-face" not in svg


def test_svg_ids_are_unique_in_the_page(written: dict[str, pathlib.Path]) -> None:
    ids = re.findall(r'\bid="([^"]+)"', written["html"].read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids))


def test_danish_number_formats(written: dict[str, pathlib.Path]) -> None:
    text = written["html"].read_text(encoding="utf-8")
    assert "7,2" in text  # a grade average with a decimal comma
    assert "86\xa0%" in text  # a share in percent
    assert not re.search(r"\b7\.2\b", text)
    assert '<html lang="da">' in text


def test_excel_reads_back_as_the_suppressed_table(
    hand_report: Report, written: dict[str, pathlib.Path]
) -> None:
    back = read_xlsx(written["xlsx"])
    assert_frame_equal(back, hand_report.table, check_row_order=False)


def test_excel_sheets_headers_and_explanations(
    hand_report: Report, written: dict[str, pathlib.Path]
) -> None:
    sheets = pl.read_excel(written["xlsx"], sheet_id=0, engine="calamine")
    assert list(sheets) == ["Karakterer", "Nationale test", "Trivsel", "Fravær", "Forklaring"]
    assert sheets["Karakterer"].columns[:3] == ["Skoleår", "Niveau", "Enheds-id"]
    explained = set(sheets["Forklaring"]["Kolonne"].to_list())
    for name, frame in sheets.items():
        if name != "Forklaring":
            assert set(frame.columns) <= explained, name
    assert FAMILY_SHEETS["national_tests"] == "Nationale test"


def test_excel_header_row_is_frozen(written: dict[str, pathlib.Path]) -> None:
    import zipfile

    with zipfile.ZipFile(written["xlsx"]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            xml = z.read(name).decode()
            assert 'ySplit="1"' in xml, name
            assert 'state="frozen"' in xml, name
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="0%"' in styles
    assert 'formatCode="0.0"' in styles


def test_a_school_of_four_pupils_shows_the_symbol_never_a_number(
    raw_table: pl.DataFrame, written: dict[str, pathlib.Path]
) -> None:
    text = written["html"].read_text(encoding="utf-8")
    name = SCHOOLS[SMALL]
    rows = re.findall(rf"<tr><td>{name}</td>(.*?)</tr>", text)
    assert rows, "the small school is in the tables"
    tables = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    tables = [cells for cells in tables if len(cells) == len(YEARS)]  # indicator tables
    assert tables
    for cells in tables:
        for cell in cells:
            assert '<span class="sym">..</span>' in cell
            assert not re.search(r"\d", re.sub(r"<sup>.*?</sup>", "", cell)), cell
    assert 'id="exams-suppressed"' not in text
    assert 'id="fn-exams-suppressed"' in text
    sheets = pl.read_excel(written["xlsx"], sheet_id=0, engine="calamine", infer_schema_length=None)
    for sheet in ("Karakterer", "Trivsel", "Fravær"):
        small = sheets[sheet].filter(pl.col("Enheds-id").cast(pl.String) == SMALL)
        assert small.height
        assert small["Symbol"].to_list() == [".."] * small.height
        for col in ("Værdi", "Tæller", "Standardfejl", "Nedre grænse", "Øvre grænse"):
            assert small[col].null_count() == small.height, (sheet, col)


def test_no_national_test_share_of_a_school_or_the_municipality(
    hand_report: Report, raw_table: pl.DataFrame, written: dict[str, pathlib.Path]
) -> None:
    assert not hand_report.table.filter(
        pl.col("indicator").str.starts_with("national_tests.")
    ).height
    text = written["html"].read_text(encoding="utf-8")
    section = text.split('<section id="national_tests">')[1].split("</section>")[0]
    visible = re.sub(r"<svg.*?</svg>", "", section, flags=re.S)
    assert "%" not in re.sub(r"80 %|80\xa0%|95 %", "", re.sub(r"<[^>]+>", " ", visible))
    # every text a reader sees: outside the figures, and the figures' own text elements
    svg_texts = " ".join(re.findall(r"<text[^>]*>(.*?)</text>", text))
    readable = re.sub(r"<svg.*?</svg>", " ", text, flags=re.S) + " " + svg_texts
    shares = nt_shares(raw_table)
    found = [s for s in shares if re.search(rf"(?<![\d,]){re.escape(s)}(?!\d)", readable)]
    assert not found
    raw = raw_table.filter(
        pl.col("indicator").str.starts_with("national_tests."), pl.col("unit_level") != "country"
    )
    values = set(raw["value"].round(6).to_list()) | set(raw["numerator"].to_list())
    sheets = pl.read_excel(written["xlsx"], sheet_id=0, engine="calamine", infer_schema_length=None)
    nt = sheets["Nationale test"]
    assert nt.columns == [
        "Kommunekode",
        "Institutionsnummer",
        "Fag",
        "Klassetrin",
        "Skoleår",
        "Mål",
        "Mål opfyldt",
        "Udvikling",
    ]
    for name, frame in sheets.items():
        for col in frame.columns:
            if frame[col].dtype.is_float():
                assert not set(frame[col].drop_nulls().round(6).to_list()) & values - {0.0, 1.0}, (
                    name,
                    col,
                )
