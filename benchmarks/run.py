"""Run the benchmarks: ``python benchmarks/run.py [--scale 1.0] [--repeat 3] [family ...]``.

Every ``bench_<family>.py`` next to this file is a family. See ``_harness.py``.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

from _harness import markdown, run_cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("families", nargs="*", help="families to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national scale")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--markdown", action="store_true", help="also print the rows of benchmarks/README.md"
    )
    args = parser.parse_args()
    rows: list[str] = []
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    families = args.families or available
    for family in families:
        module = importlib.import_module(f"bench_{family}")
        print(f"\n== {family} (scale {args.scale}) ==")
        if hasattr(module, "run"):  # a benchmark with its own comparison (indicators)
            module.run(args.scale, args.repeat)
        else:
            timed = run_cases(module.cases(args.scale), repeat=args.repeat)
            rows.append(markdown(family, timed))
    if args.markdown and rows:
        print(
            "\n| family | case | rows | Polars s | `validate=False` s | pandas / Polars"
            " | DuckDB / Polars | Polars / scan |\n|---|---|---:|---:|---:|---:|---:|---:|"
        )
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
