"""The quality report of a municipality of about 20 schools over 3 school years, all families.

``python benchmarks/bench_report.py`` (or ``python benchmarks/run.py report``) times the
steps of ``folkeskolekvalitet report``: computing the indicator table from pupil-level data
(the municipality's and, for the country figures, a synthetic Denmark of a few per cent of
the schools), ``report.build`` (disclosure control, change, comparisons, goals, publication
view), the HTML file (figures rendered to SVG) and the Excel datapakke. Aim: under 15 s in
all on the development machine. The synthetic data are drawn before the clock starts.
There is no pandas or DuckDB twin of a report: the cases are timed on their own.
"""

from __future__ import annotations

import sys
import tempfile
import time

import polars as pl

from folkeskolekvalitet import goals, indicators, report
from folkeskolekvalitet._core.municipalities import MUNICIPALITIES
from folkeskolekvalitet.report.run import (
    SYNTHETIC_COUNTRY_MUNICIPALITIES,
    SYNTHETIC_COUNTRY_SCALE,
)
from folkeskolekvalitet.synthetic import country

YEARS = ("2021/22", "2022/23", "2023/24")


def _municipality(n_schools: int) -> str:
    return min(MUNICIPALITIES, key=lambda m: (abs(m.schools - n_schools), m.code)).code


def _table(dk: object, levels: tuple[str, ...]) -> pl.DataFrame:
    frames = {
        name: getattr(dk, name)
        for name in (
            "exams",
            "national_tests",
            "wellbeing",
            "enrolment",
            "competence",
            "absence",
            "transitions",
            "institutions",
        )
    }
    out = indicators.table(**frames, levels=levels)
    return out.collect() if isinstance(out, pl.LazyFrame) else out


def run(scale: float = 1.0, repeat: int = 1) -> dict[str, float]:
    """Time the report's steps; ``scale`` multiplies the number of schools (20 at 1.0)."""
    code = _municipality(round(20 * scale))
    local = country(school_years=YEARS, municipalities=[code], seed=1)
    sample = country(
        school_years=YEARS,
        scale=SYNTHETIC_COUNTRY_SCALE,
        municipalities=list(SYNTHETIC_COUNTRY_MUNICIPALITIES),
        seed=1,
    )
    names = dict(local.institutions.select("institution_id", "name").iter_rows())
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for _ in range(max(repeat, 1)):
        steps: dict[str, float] = {}
        start, cpu_start = time.perf_counter(), time.process_time()
        mine = _table(local, ("school", "municipality"))
        steps["indicator table (municipality)"] = time.perf_counter() - start
        t = time.perf_counter()
        table = pl.concat([mine, _table(sample, ("country",))])
        steps["indicator table (country sample)"] = time.perf_counter() - t
        t = time.perf_counter()
        rep = report.build(table, municipality=code, years=YEARS, goals=goals.NATIONAL, names=names)
        steps["build"] = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            rep.to_html(f"{tmp}/kvalitetsrapport.html")
            steps[f"html ({len(rep.figures)} figures)"] = time.perf_counter() - t
            t = time.perf_counter()
            rep.to_xlsx(f"{tmp}/datapakke.xlsx")
            steps["xlsx"] = time.perf_counter() - t
        steps["total"] = time.perf_counter() - start
        cpu["total"] = min(time.process_time() - cpu_start, cpu.get("total", float("inf")))
        timings = {k: min(v, timings.get(k, v)) for k, v in steps.items()}
    print(
        f"municipality {code}: {len(rep.schools)} schools, {len(YEARS)} school years,"
        f" {rep.table.height} rows in the report's table"
    )
    for step, seconds in timings.items():
        print(f"  {step:36} {seconds:7.2f} s")
    print(f"  {'CPU time of the total':36} {cpu['total']:7.2f} s (all threads)")
    return timings


def cases(scale: float) -> list[object]:
    """No three-way cases: ``run.py`` calls :func:`run` instead."""
    del scale
    return []


if __name__ == "__main__":
    run()
    sys.exit(0)
