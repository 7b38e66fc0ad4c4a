from __future__ import annotations

import subprocess
import sys

import pytest

from folkeskolekvalitet.cli import main


def test_demo_prints_the_exam_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--schools", "3", "--years", "2", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "synthetic municipality 151: 3 schools, 2 school years" in out
    assert "gennemsnit" in out
    assert "151003" in out
    assert "2022/23" in out


def test_demo_as_a_module_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "folkeskolekvalitet.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("folkeskolekvalitet ")


def test_unknown_command_fails() -> None:
    with pytest.raises(SystemExit):
        main(["nope"])
