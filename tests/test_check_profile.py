"""The README's check command and CI run one random Hypothesis profile (issue 9, item 11)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).parents[1]


def test_ci_profile_is_random_and_prints_the_blob() -> None:
    ci = settings.get_profile("ci")
    assert not ci.derandomize
    assert ci.print_blob
    assert settings.get_profile("fuzz").max_examples >= 500


def test_nox_tests_session_uses_one_profile_regardless_of_ci() -> None:
    noxfile = (ROOT / "noxfile.py").read_text("utf-8")
    assert 'env = {"HYPOTHESIS_PROFILE": "ci"}' in noxfile
    assert "os.environ" not in noxfile
    assert "def fuzz(" in noxfile
