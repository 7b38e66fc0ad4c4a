"""Pytest configuration shared by the doctests (src/) and the test suite (tests/)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import polars as pl
import pytest
from hypothesis import HealthCheck, settings

# One profile for every check run, on CI and on a fresh clone alike (``nox -s tests``
# sets it): random examples, like a developer's run, so a test that passes only on
# the derandomized examples cannot pass CI; a failure prints the blob to reproduce
# it with ``@reproduce_failure``.
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# ``nox -s fuzz``: many random examples (tests with their own ``max_examples`` keep it).
settings.register_profile(
    "fuzz",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
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
