"""suppress() on a country x ten years indicator table (disclosure control).

Scale 1.0: 98 municipalities, about 1 050 schools, ten school years, a share without
breakdown, a mean, a four-category distribution and a national test share by subject and
klassetrin (§ 55 b hides it below the country): about 0.3 million rows. Group sizes are
drawn so that small schools occur as they do. Run: ``python benchmarks/bench_disclosure.py
--scale 0.1``. Prints the wall-clock and CPU time of ``suppress`` and of ``audit`` on its
result (on a shared machine the CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import random
import time

import polars as pl

from folkeskolekvalitet.disclosure import audit, suppress
from folkeskolekvalitet.indicators import INDICATOR_SCHEMA

CATS = ("general:[1,2]", "general:(2,3]", "general:(3,4]", "general:(4,5]")


def table(scale: float, seed: int = 1) -> pl.DataFrame:
    rng = random.Random(seed)
    n_munis = max(2, round(98 * scale))
    schools = {f"{101 + m:03d}": rng.randint(1, 21) for m in range(n_munis)}
    rows = []
    for y in range(2014, 2024):
        year = f"{y}/{(y + 1) % 100:02d}"
        cells: list[tuple[str, dict[str, object], int, int]] = []
        for muni, k in schools.items():
            for s in range(k):
                unit = f"{muni}{s + 1:03d}"
                n = max(1, int(rng.lognormvariate(3.5, 0.8)))
                cells.append(
                    (
                        unit,
                        {"indicator": "exams.share_passing_danish_and_math"},
                        n,
                        rng.randint(0, n),
                    )
                )
                cells.append(
                    (unit, {"indicator": "exams.grade_average"}, n, rng.randint(0, 12 * n))
                )
                cut = sorted(rng.randint(0, n) for _ in range(3))
                parts = (cut[0], cut[1] - cut[0], cut[2] - cut[1], n - cut[2])
                for c, p in zip(CATS, parts, strict=True):
                    cells.append(
                        (unit, {"indicator": "wellbeing.interval_share", "category": c}, n, p)
                    )
                for subject in ("dansk", "matematik"):
                    for grade in (2, 4, 6, 8):
                        m = max(1, n // 2)
                        key = {
                            "indicator": "national_tests.share_good",
                            "subject": subject,
                            "grade_level": grade,
                        }
                        cells.append((unit, key, m, rng.randint(0, m)))
        sums: dict[tuple[str, tuple[tuple[str, object], ...]], list[int]] = {}
        for unit, key, n, k in cells:
            rows.append(_row(year, "school", unit, unit[:3], key, n, k))
            for parent in (unit[:3], "DK"):
                acc = sums.setdefault((parent, tuple(sorted(key.items()))), [0, 0])
                acc[0] += n
                acc[1] += k
        for (unit, key), (n, k) in sums.items():
            level = "country" if unit == "DK" else "municipality"
            rows.append(_row(year, level, unit, None if unit == "DK" else unit, dict(key), n, k))
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA)


def _row(  # noqa: PLR0917
    year: str, level: str, unit: str, muni: str | None, key: dict[str, object], n: int, k: int
) -> dict[str, object]:
    mean = key["indicator"] == "exams.grade_average"
    return {
        "school_year": year,
        "unit_level": level,
        "unit_id": unit,
        "municipality_code": muni,
        **key,
        "value": k / n,
        "n": n,
        "numerator": None if mean else float(k),
        "confidence": 0.95,
        "status": "ok",
        "source": "computed",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    run(args.scale)


def run(scale: float, repeat: int = 1) -> None:
    """Time suppress and audit once (``repeat`` is accepted for ``run.py``; one run)."""
    del repeat
    data = table(scale)
    start, cpu_start = time.perf_counter(), time.process_time()
    safe = suppress(data)
    mid, cpu_mid = time.perf_counter(), time.process_time()
    left = audit(safe)
    end, cpu_end = time.perf_counter(), time.process_time()
    hidden = safe.filter(pl.col("status") != "ok").height
    print(
        f"rows {data.height:,}  hidden {hidden:,}"
        f"  suppress {mid - start:.1f} s (CPU {cpu_mid - cpu_start:.1f} s)"
        f"  audit {end - mid:.1f} s (CPU {cpu_end - cpu_mid:.1f} s)"
        f"  exposed after suppress {left.height}"
    )


if __name__ == "__main__":
    main()
