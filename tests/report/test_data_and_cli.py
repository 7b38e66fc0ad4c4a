"""Reading a data directory, the command's errors and the progress bar."""

from __future__ import annotations

import io
import json
import pathlib

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.cli import main
from folkeskolekvalitet.report import read_data, read_xlsx
from folkeskolekvalitet.report._progress import Progress


def test_a_malformed_file_is_named_with_what_to_do(tmp_path: pathlib.Path) -> None:
    (tmp_path / "exams.parquet").write_bytes(b"not parquet at all")
    pl.DataFrame({"institution_id": ["151001"], "name": ["Baltorpskolen"]}).write_parquet(
        tmp_path / "institutions.parquet"
    )
    with pytest.raises(DataError) as err:
        read_data(tmp_path)
    text = str(err.value)
    assert "exams.parquet" in text
    assert "write it again" in text
    assert "institutions" not in text.split("\n", 1)[1]


def test_a_file_in_two_formats_is_refused(tmp_path: pathlib.Path) -> None:
    frame = pl.DataFrame({"institution_id": ["151001"], "name": ["Baltorpskolen"]})
    frame.write_parquet(tmp_path / "institutions.parquet")
    frame.write_csv(tmp_path / "institutions.csv")
    with pytest.raises(DataError, match=r"institutions\.parquet.*keep one of them"):
        read_data(tmp_path)


def test_an_empty_or_missing_directory(tmp_path: pathlib.Path) -> None:
    with pytest.raises(DataError, match="holds no data file"):
        read_data(tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        read_data(tmp_path / "nope")


def test_csv_keeps_ids_as_text(tmp_path: pathlib.Path) -> None:
    pl.DataFrame({"institution_id": ["051001"], "name": ["Skolen"]}).write_csv(
        tmp_path / "institutions.csv"
    )
    data = read_data(tmp_path)
    assert data.frames["institutions"]["institution_id"].to_list() == ["051001"]
    assert data.names == {"051001": "Skolen"}
    assert data.files == ("institutions.csv",)


def test_report_command_reports_a_data_error(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "--data", str(tmp_path / "missing"), "--municipality", "151", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "missing" in err
    assert "does not exist" in err


def test_unknown_municipality(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--data", str(tmp_path), "--municipality", "Atlantis", "--quiet"])
    assert code == 2
    assert "Atlantis" in capsys.readouterr().err


@pytest.mark.parametrize("years", ["2023/24:2021/22", "2021/23", "21/22"])
def test_years_are_checked_the_same_way(years: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--synthetic", "--municipality", "151", "--years", years])
    assert "--years" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "--years", years])


def test_data_and_synthetic_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--data", "x", "--synthetic", "--municipality", "151"])
    with pytest.raises(SystemExit):
        main(["report", "--municipality", "151"])


def test_progress_is_silent_when_quiet() -> None:
    loud, quiet = io.StringIO(), io.StringIO()
    for stream, q in ((loud, False), (quiet, True)):
        bar = Progress(3, quiet=q, stream=stream)
        for label in ("reading", "computing", "rendering"):
            bar.step(label)
        bar.done()
    assert quiet.getvalue() == ""
    assert "rendering" in loud.getvalue()
    assert loud.getvalue().endswith("\n")


def test_report_from_uddannelsesstatistik_files(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Official files only: the country figures come from the 'Landstal' columns."""
    from tests.io.test_end_to_end import _records

    official = tmp_path / "data" / "uddannelsesstatistik"
    official.mkdir(parents=True)
    (official / "elevfravaer.json").write_text(json.dumps(_records()), encoding="utf-8")
    pl.DataFrame(
        {"institution_id": ["730001", "730002", "730003"], "name": ["Ask", "Bøg", "Eg"]}
    ).write_parquet(tmp_path / "data" / "institutions.parquet")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    code = main(
        [
            "report", "--data", str(tmp_path / "data"), "--municipality", "Randers",
            "--out", str(html), "--xlsx", str(xlsx), "--quiet",
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    page = html.read_text(encoding="utf-8")
    assert "Landsplan" in page
    assert "uddannelsesstatistik/elevfravaer.json" in page
    table = read_xlsx(xlsx)
    levels = set(table["unit_level"].cast(pl.String))
    assert levels == {"school", "municipality", "country"}
    small = table.filter(pl.col("unit_id") == "730003")
    assert small["value"].null_count() == small.height  # 4 pupils: withheld
    assert "Eg" in page
