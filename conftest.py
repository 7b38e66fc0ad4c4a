"""Pytest configuration shared by the doctests (src/) and the test suite (tests/)."""

from __future__ import annotations

import os

import pytest
from _pytest.doctest import DoctestItem
from hypothesis import HealthCheck, settings

# One profile for every check run, on CI and on a fresh clone alike (``nox -s tests``
# sets it): random examples, like a developer's run, so a test that passes only on
# the derandomized examples cannot pass CI; a failure prints the blob to reproduce
# it with ``@reproduce_failure``.
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=False,  # explicit: on CI (CI=true) Hypothesis would derandomize by default
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "dev",
    max_examples=100,
    derandomize=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# ``nox -s fuzz``: many random examples (tests with their own ``max_examples`` keep it).
settings.register_profile(
    "fuzz",
    max_examples=500,
    derandomize=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run every doctest in an empty namespace, as if pasted into a fresh interpreter.

    Doctests from modules would otherwise see the module's globals (``pl``, the
    function itself): an example must import everything it uses.
    """
    for item in items:
        if isinstance(item, DoctestItem) and item.dtest is not None:
            item.dtest.globs = {"__name__": "__main__"}
