from __future__ import annotations

import subprocess
import sys

import pytest

from folkeskolekvalitet.cli import main


def test_module_and_version() -> None:
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
