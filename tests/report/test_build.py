"""build(): from an indicator table to a report; the demo; § 55 b on real synthetic data."""

from __future__ import annotations

import pathlib
import re

import polars as pl
import pytest

from folkeskolekvalitet import DataError, indicators, report
from folkeskolekvalitet._core.format import danish_number
from folkeskolekvalitet.cli import main
from folkeskolekvalitet.national_tests import good_share, level_shares
from folkeskolekvalitet.synthetic import country
from tests.report._tables import MUNICIPALITY, SCHOOLS, SMALL, YEARS, hand_table

YEARS_SYN = ("2022/23", "2023/24")


@pytest.fixture(scope="module")
def built() -> report.Report:
    return report.build(
        hand_table(), municipality="Ballerup", years="2021/22:2023/24", names=SCHOOLS
    )


def test_build_takes_the_municipality_years_and_schools(built: report.Report) -> None:
    assert built.municipality == MUNICIPALITY
    assert built.years == YEARS
    assert set(built.schools) == set(SCHOOLS)
    assert built.suppressed
    assert set(built.table["unit_level"].cast(pl.String).unique()) == {
        "school",
        "municipality",
        "country",
    }
    assert built.change is not None
    assert built.compare is not None
    assert set(built.compare["against"].unique()) == {"municipality", "country"}


def test_build_suppresses_the_school_of_four(built: report.Report) -> None:
    small = built.table.filter(pl.col("unit_id") == SMALL)
    assert small.height
    assert small["value"].null_count() == small.height
    assert set(small["status"].cast(pl.String)) <= {"suppressed", "suppressed_complementary"}
    cells = built.cells.filter(pl.col("unit_id") == SMALL)
    assert set(cells["value_text"].to_list()) == {".."}


def test_build_keeps_no_national_test_share(built: report.Report) -> None:
    nt = built.table.filter(pl.col("indicator").str.starts_with("national_tests."))
    assert not nt.height
    assert built.publication is not None
    assert "value" not in built.publication.columns


def test_build_without_suppression_is_marked(tmp_path: pathlib.Path) -> None:
    raw = report.build(hand_table(), municipality="151", suppress=False)
    assert not raw.suppressed
    assert raw.table.filter(pl.col("unit_id") == SMALL)["value"].null_count() == 0
    html = raw.to_html(tmp_path / "intern.html").read_text(encoding="utf-8")
    assert "må ikke offentliggøres" in html


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"municipality": "Atlantis"}, "Atlantis"),
        ({"municipality": "101"}, "no row of municipality 101"),
        ({"municipality": "151", "schools": ["151999"]}, "151999"),
        ({"municipality": "151", "years": "2023/24:2021/22"}, "runs backwards"),
    ],
)
def test_build_refuses_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(DataError, match=match):
        report.build(hand_table(), **kwargs)  # type: ignore[arg-type]


def test_build_refuses_an_invalid_table() -> None:
    with pytest.raises(DataError, match="indicator table"):
        report.build(hand_table().drop("status"), municipality="151")


@pytest.fixture(scope="module")
def synthetic(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[object, report.Report, pathlib.Path]:
    dk = country(school_years=YEARS_SYN, scale=0.01, municipalities=["151", "101"], seed=3)
    table = indicators.table(
        exams=dk.exams,
        national_tests=dk.national_tests,
        wellbeing=dk.wellbeing,
        enrolment=dk.enrolment,
        absence=dk.absence,
        institutions=dk.institutions,
        levels=("school", "municipality", "country"),
    )
    rep = report.build(table, municipality="151")
    out = tmp_path_factory.mktemp("synthetic")
    rep.to_html(out / "r.html")
    rep.to_xlsx(out / "r.xlsx")
    return dk, rep, out


def test_no_output_holds_a_national_test_share_of_the_input(
    synthetic: tuple[object, report.Report, pathlib.Path],
) -> None:
    dk, rep, out = synthetic
    tests = dk.national_tests  # type: ignore[attr-defined]
    texts: set[str] = set()
    numbers: set[float] = set()
    for by in (
        ["school_year", "municipality_code", "institution_id", "subject", "grade_level"],
        ["school_year", "municipality_code", "subject", "grade_level"],
    ):
        early = tests.filter(pl.col("school_year") < "2022/23")
        late = tests.filter(pl.col("school_year") >= "2022/23")
        frames = []
        if early.height:
            frames.append(level_shares(early, by=by))
        if late.height:
            frames.append(good_share(late, by=by))
        for frame in frames:
            for col in frame.columns:
                if col.startswith("share"):
                    s = frame[col].drop_nulls()
                    numbers |= set(s.round(6).to_list())
                    for d in (1, 2):
                        texts |= set(
                            frame.select(danish_number(pl.col(col) * 100, d))
                            .to_series()
                            .drop_nulls()
                            .to_list()
                        )
    html = (out / "r.html").read_text(encoding="utf-8")
    section = html.split('<section id="national_tests">')[1].split("</section>")[0]
    plain = re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", section, flags=re.S))
    assert "%" not in plain.replace("80 %", "").replace("80\xa0%", "")
    svg_text = " ".join(re.findall(r"<text[^>]*>(.*?)</text>", section))
    assert "%" not in svg_text.replace("80 %", "")
    everywhere = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S) + " ".join(
        re.findall(r"<text[^>]*>(.*?)</text>", html)
    )
    assert texts
    assert not [t for t in texts if re.search(rf"(?<![\d,]){re.escape(t)}(?!\d)", everywhere)]
    sheets = pl.read_excel(out / "r.xlsx", sheet_id=0, engine="calamine", infer_schema_length=None)
    nt = sheets["Nationale test"]
    assert not [c for c in nt.columns if nt[c].dtype.is_float()]
    assert rep.table.filter(pl.col("indicator").str.starts_with("national_tests.")).height == 0
    assert numbers  # the input has shares
    for name, frame in sheets.items():
        for col in frame.columns:
            if frame[col].dtype.is_float():
                found = set(frame[col].drop_nulls().round(6).to_list()) & (numbers - {0.0, 1.0})
                assert not found, (name, col)


def test_demo_writes_the_report_and_prints_a_summary(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path), "--quiet", "--years", "2023/24"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "kvalitetsrapport.html") in out
    assert str(tmp_path / "datapakke.xlsx") in out
    assert "Kvalitetsrapport Ballerup (151)" in out
    assert "Karaktergennemsnit" in out
    assert (tmp_path / "kvalitetsrapport.html").stat().st_size > 10_000
    assert (tmp_path / "datapakke.xlsx").stat().st_size > 5_000


def test_report_command_on_a_data_directory(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dk = country(school_years=YEARS_SYN, scale=0.01, municipalities=["151"], seed=5)
    data = dk.write(tmp_path / "data")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    code = main(
        [
            "report",
            "--data",
            str(data),
            "--municipality",
            "151",
            "--years",
            "2022/23:2023/24",
            "--out",
            str(html),
            "--xlsx",
            str(xlsx),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "wrote" in captured.out
    assert "done" in captured.err  # the progress bar
    assert html.is_file()
    back = report.read_xlsx(xlsx)
    assert back.height
    assert not back.filter(pl.col("indicator").str.starts_with("national_tests.")).height
    # inclusion.parquet from Country.write reaches the table (municipality level)
    assert back.filter(pl.col("indicator") == "interventions.inclusion_rate").height


def test_goals_on_the_front_page_without_national_test_shares(tmp_path: pathlib.Path) -> None:
    from folkeskolekvalitet import goals

    rep = report.build(hand_table(), municipality="151", goals=goals.NATIONAL, names=SCHOOLS)
    assert rep.goals is not None
    good = rep.goals.filter(pl.col("goal") == "nt_good_80")
    assert good.height
    assert good["value"].null_count() == good.height  # a verdict, never the share
    assert set(good["verdict"].cast(pl.String)) <= {"met", "not_met", "not_evaluable"}
    wellbeing = rep.goals.filter(pl.col("goal") == "wellbeing_rise")
    assert wellbeing.height
    html = rep.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    front = html.split('<section id="maal">')[1].split("</section>")[0]
    for goal in goals.NATIONAL:
        if rep.goals.filter(pl.col("goal") == goal.key).height:
            assert goal.label in front


def test_a_missing_goals_file_is_a_data_error(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["report", "--data", str(tmp_path), "--municipality", "151", "--goals",
         str(tmp_path / "maal.toml"), "--quiet"]
    )  # fmt: skip
    assert code == 2
    assert "maal.toml" in capsys.readouterr().err
