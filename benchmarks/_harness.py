"""A small benchmark harness: the same rule in Polars, pandas and DuckDB, in one run.

Each ``bench_<family>.py`` module defines ``cases(scale: float) -> list[Case]``.
``scale=1.0`` means national scale (as the issue for the family defines it);
the runner times every implementation of every case (best of ``repeat`` runs,
after one warm-up), checks that the three implementations agree, and prints
the ratios pandas / Polars and DuckDB / Polars (above 1 means Polars is faster).
Timings are noisy on shared machines; read them as ratios, never assert them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """One rule, implemented three ways on the same data."""

    name: str
    rows: int
    polars: Callable[[], Any]
    pandas: Callable[[], Any]
    duckdb: Callable[[], Any]
    #: Given the three results, raise AssertionError if they disagree.
    check: Callable[[Any, Any, Any], None] | None = None
    notes: str = ""
    #: The library with ``validate=False`` (optional): never slower than with validation.
    unvalidated: Callable[[], Any] | None = None
    #: A plain scan of the columns the rule reads (optional): the floor the rule is
    #: measured against (the issue aims at <= 10x a scan).
    scan: Callable[[], Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)


def scan_columns(frame: Any, columns: list[str]) -> Callable[[], Any]:
    """A plain scan of ``columns`` of a Polars DataFrame: every value read once."""
    import polars as pl

    def run() -> Any:
        exprs = [
            pl.col(c).cast(pl.String).str.len_bytes().sum()
            if frame.schema[c] in (pl.String, pl.Categorical)
            or isinstance(frame.schema[c], pl.Enum)
            else pl.col(c).sum()
            for c in columns
        ]
        return frame.select(exprs)

    return run


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs after one warm-up, and the last result."""
    result = fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


#: The issue's goal for every indicator at national scale, with validation on.
GOAL_PANDAS, GOAL_DUCKDB, GOAL_SCAN = 5.0, 1.0, 10.0


def goals(case: Case) -> str:
    """Which of the goals a timed case meets: ``pandas duckdb scan unvalidated``, each ok or not."""
    t = case.timings
    marks = [
        f"pandas {'ok' if t['pandas'] / t['polars'] >= GOAL_PANDAS else 'no'}",
        f"duckdb {'ok' if t['duckdb'] / t['polars'] >= GOAL_DUCKDB else 'no'}",
    ]
    if "scan" in t:
        marks.append(f"scan {'ok' if t['polars'] / t['scan'] <= GOAL_SCAN else 'no'}")
    if "unvalidated" in t:
        # Timings are noisy: 10 % slower still counts as "not slower".
        marks.append(f"validate=False {'ok' if t['unvalidated'] <= 1.1 * t['polars'] else 'no'}")
    return ", ".join(marks)


def markdown(family: str, cases: list[Case]) -> str:
    """The timed cases as rows of the table in ``benchmarks/README.md``."""
    rows = []
    for case in cases:
        t = case.timings
        unvalidated = f"{t['unvalidated']:.3f}" if "unvalidated" in t else ""
        scan = f"{t['polars'] / t['scan']:.1f}" if "scan" in t else ""
        rows.append(
            f"| {family} | {case.name} | {case.rows / 1e6:.2f} M | {t['polars']:.3f}"
            f" | {unvalidated} | {t['pandas'] / t['polars']:.1f}"
            f" | {t['duckdb'] / t['polars']:.1f} | {scan} |"
        )
    return "\n".join(rows)


def run_cases(cases: list[Case], repeat: int = 3) -> list[Case]:
    """Time every case; check agreement; print a table of timings and ratios."""
    header = (
        f"{'case':44} {'rows':>10} {'polars s':>9} {'pandas s':>9} {'duckdb s':>9}"
        f" {'pd/pl':>7} {'duck/pl':>8}"
    )
    print(header)
    print("-" * len(header))
    for case in cases:
        results = {}
        for impl in ("polars", "pandas", "duckdb"):
            seconds, results[impl] = best_of(getattr(case, impl), repeat)
            case.timings[impl] = seconds
        if case.check is not None:
            case.check(results["polars"], results["pandas"], results["duckdb"])
        extra = ""
        if case.unvalidated is not None:
            case.timings["unvalidated"], _ = best_of(case.unvalidated, repeat)
            extra += f"  validate=False {case.timings['unvalidated']:.3f} s"
        if case.scan is not None:
            case.timings["scan"], _ = best_of(case.scan, repeat)
            extra += (
                f"  scan {case.timings['scan']:.3f} s"
                f" (polars/scan {case.timings['polars'] / case.timings['scan']:.1f})"
            )
        t = case.timings
        print(
            f"{case.name:44} {case.rows:>10,} {t['polars']:>9.3f} {t['pandas']:>9.3f}"
            f" {t['duckdb']:>9.3f} {t['pandas'] / t['polars']:>7.1f}"
            f" {t['duckdb'] / t['polars']:>8.1f}" + extra
        )
        print(f"{'':44} goals: {goals(case)}")
    return cases
