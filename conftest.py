"""Pytest configuration shared by the doctests (src/) and the test suite (tests/)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import polars as pl
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _polars_config() -> Iterator[None]:
    """Pin Polars' table formatting so doctest output does not depend on the terminal."""
    with pl.Config(tbl_width_chars=100, fmt_str_lengths=32):
        yield


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["pl"] = pl
