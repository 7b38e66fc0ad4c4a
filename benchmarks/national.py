"""Every indicator of every family for a synthetic country over ten school years.

``python benchmarks/national.py [--scale 1.0] [--years 10] [--per-year] [--lazy]``

Draws :func:`folkeskolekvalitet.synthetic.country` (generation is not timed), then
computes the whole indicator table with :func:`folkeskolekvalitet.indicators.table`
(school, municipality and country level, validation on) and reports the wall time and the
peak memory of the computation: the process's resident memory sampled every 20 ms, minus
what it held before the computation started. ``--per-year`` draws and computes one school
year at a time (each year's drawing untimed; the times are summed); ``--lazy`` passes lazy
frames (one plan, collected with the streaming engine). The issue aims at under 30 s and
12 GB at scale 1.0.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import polars as pl

from folkeskolekvalitet.indicators import table
from folkeskolekvalitet.synthetic import country

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def measured(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall time, peak resident memory above the starting point (bytes), and the result."""
    start_rss = _rss()
    peak = [start_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return seconds, max(peak[0], _rss()) - start_rss, result


def _inputs(frames: dict[str, pl.DataFrame], *, lazy: bool) -> dict[str, Any]:
    keys = ("exams", "national_tests", "wellbeing", "enrolment", "competence", "absence")
    out: dict[str, Any] = {k: frames[k] for k in keys if k in frames}
    out["transitions"] = frames["transitions"]
    out["institutions"] = frames["institutions"]
    if lazy:
        out = {k: v.lazy() for k, v in out.items()}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = every folkeskole")
    parser.add_argument("--years", type=int, default=10, help="school years, ending 2023/24")
    parser.add_argument("--per-year", action="store_true", help="one school year at a time")
    parser.add_argument("--lazy", action="store_true", help="lazy input, streaming engine")
    args = parser.parse_args()
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2024 - args.years, 2024)]
    levels = ("school", "municipality", "country")
    if args.per_year:
        return _year_by_year(years, args.scale, levels, lazy=args.lazy)
    t0 = time.perf_counter()
    land = country(school_years=years, scale=args.scale, seed=1)
    frames = land.frames()
    rows = sum(f.height for f in frames.values())
    print(
        f"generated {rows:,} rows for {len(years)} school years in {time.perf_counter() - t0:.1f} s"
    )

    def run_all() -> pl.DataFrame:
        return _run(frames, levels, lazy=args.lazy)

    seconds, peak, result = measured(run_all)
    print(
        f"indicators.table: {result.height:,} rows, {seconds:.1f} s,"
        f" peak memory {peak / 2**30:.2f} GiB above the input (aim: 30 s, 12 GB)"
    )
    return 0


def _year_by_year(years: list[str], scale: float, levels: tuple[str, ...], *, lazy: bool) -> int:
    """Each school year drawn (not timed) and computed on its own: the memory of one year."""
    total, peak, rows, drawn = 0.0, 0, 0, 0
    for year in years:
        frames = country(school_years=[year], scale=scale, seed=1).frames()
        drawn += sum(f.height for f in frames.values())
        seconds, year_peak, result = measured(
            lambda frames=frames: _run(frames, levels, lazy=lazy)  # type: ignore[misc]
        )
        total, peak, rows = total + seconds, max(peak, year_peak), rows + result.height
        print(f"  {year}: {seconds:.1f} s, peak {year_peak / 2**30:.2f} GiB above the input")
    print(
        f"indicators.table, one school year at a time: {rows:,} rows from {drawn:,} input rows,"
        f" {total:.1f} s in all, peak memory {peak / 2**30:.2f} GiB above a year's input"
        " (aim: 30 s, 12 GB)"
    )
    return 0


def _run(frames: dict[str, pl.DataFrame], levels: tuple[str, ...], *, lazy: bool) -> pl.DataFrame:
    out = table(**_inputs(frames, lazy=lazy), levels=levels)
    if isinstance(out, pl.LazyFrame):
        return out.collect(engine="streaming")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
