from __future__ import annotations

import pathlib

import polars as pl
import pytest

from folkeskolekvalitet.cli import main
from folkeskolekvalitet.synthetic import FAMILIES


def test_synthetic_writes_the_report_layout(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dk"
    assert main(["synthetic", "--out", str(out), "--scale", "0.01", "--years", "2022/23:2023/24",
                 "--seed", "4"]) == 0  # fmt: skip
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(f"{f}.parquet" for f in FAMILIES), "enrolment.parquet",
                            "institutions.parquet", "interventions.txt"])  # fmt: skip
    exams = pl.read_parquet(out / "exams.parquet")
    assert sorted(exams["school_year"].unique().to_list()) == ["2022/23", "2023/24"]
    institutions = pl.read_parquet(out / "institutions.parquet")
    assert institutions["municipality_code"].n_unique() == 98
    assert "Synthetic data" in capsys.readouterr().out


def test_one_year_and_default_seed(tmp_path: pathlib.Path) -> None:
    assert main(["synthetic", "--out", str(tmp_path), "--scale", "0.01", "--years", "2023/24"]) == 0
    enrolment = pl.read_parquet(tmp_path / "enrolment.parquet")
    assert enrolment["school_year"].unique().to_list() == ["2023/24"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2023/25"], "not a school year"),
        (["--years", "2024/25:2022/23"], "runs backwards"),
        (["--years", "2030/31"], "2030/31"),
        (["--scale", "0"], "--scale must be positive"),
    ],
)
def test_bad_options_are_refused(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit):
        main(["synthetic", "--out", str(tmp_path), *args])
    assert message in capsys.readouterr().err
