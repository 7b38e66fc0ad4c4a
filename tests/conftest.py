"""Fixtures for the test suite.

``run`` is the eager / lazy / streaming constructor fixture (the narwhals idea):
every frame function is called on a DataFrame, on a LazyFrame collected by the
in-memory engine, and on a LazyFrame collected by the streaming engine. Tests
that use it therefore check that all three give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

Runner = Callable[..., pl.DataFrame]

MODES = ("eager", "lazy-in-memory", "lazy-streaming")


def run_in_mode(
    mode: str, fn: Callable[..., Any], data: pl.DataFrame, *args: Any, **kwargs: Any
) -> pl.DataFrame:
    """Call ``fn`` on ``data`` in one of the three modes and return a DataFrame."""
    if mode == "eager":
        out = fn(data, *args, **kwargs)
        assert isinstance(out, pl.DataFrame), f"{fn.__name__} returned {type(out)} for a DataFrame"
        return out
    out = fn(data.lazy(), *args, **kwargs)
    assert isinstance(out, pl.LazyFrame), f"{fn.__name__} returned {type(out)} for a LazyFrame"
    engine = "in-memory" if mode == "lazy-in-memory" else "streaming"
    return out.collect(engine=engine)


@pytest.fixture(params=MODES)
def run(request: pytest.FixtureRequest) -> Runner:
    """Run a frame function in eager, lazy in-memory or lazy streaming mode."""
    mode = request.param

    def runner(
        fn: Callable[..., Any], data: pl.DataFrame, *args: Any, **kwargs: Any
    ) -> pl.DataFrame:
        return run_in_mode(mode, fn, data, *args, **kwargs)

    return runner
