"""The ``folkeskolekvalitet`` command line.

``folkeskolekvalitet demo`` generates a synthetic municipality and prints its
exam indicators per school and year, computed by the library's rules;
``folkeskolekvalitet synthetic --out DIR`` writes a synthetic Denmark (one
Parquet file per family, the registers and a survey export) to ``DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet import __version__
from folkeskolekvalitet._core.errors import CatalogueError
from folkeskolekvalitet._core.format import danish_number
from folkeskolekvalitet._core.schoolyear import parse_school_years
from folkeskolekvalitet.exams import (
    bound_exams,
    comparability_note,
    grade_average,
    share_passing_danish_and_math,
    share_took_all_bound_exams,
)
from folkeskolekvalitet.synthetic import exam_grades

__all__ = ["exam_overview", "main"]


def exam_overview(grades: pl.DataFrame, *, by: Sequence[str]) -> pl.DataFrame:
    """Exam indicators side by side, formatted for reading (Danish decimal comma).

    Columns: the ``by`` columns, ``elever`` (pupils), ``gennemsnit`` (grade
    average of the bound exams), ``min_02_da_ma`` (share with at least 02 in
    dansk and matematik, %), ``alle_bundne`` (share who took all bound exams, %).
    """
    by = list(by)
    avg = grade_average(grades, by=by)
    passing = share_passing_danish_and_math(grades, by=by)
    took = share_took_all_bound_exams(grades, by=by)
    table = avg.join(passing, on=by, suffix="_pass").join(took, on=by, suffix="_took")
    return table.select(
        *by,
        pl.col("n_pupils").alias("elever"),
        danish_number(pl.col("average"), 1).alias("gennemsnit"),
        danish_number(pl.col("share") * 100, 0).alias("min_02_da_ma_pct"),
        danish_number(pl.col("share_took") * 100, 0).alias("alle_bundne_pct"),
    ).sort(by)


def _demo(args: argparse.Namespace) -> int:
    years = [
        f"{y}/{(y + 1) % 100:02d}" for y in range(args.first_year, args.first_year + args.years)
    ]
    grades = exam_grades(
        n_schools=args.schools,
        school_years=years,
        municipality_code=args.municipality,
        seed=args.seed,
    )
    notes = [(year, comparability_note(year)) for year in years]
    n_pupils = grades.select(pl.struct("school_year", "pupil_id").n_unique()).item()
    print(
        f"folkeskolekvalitet {__version__} - synthetic municipality {args.municipality}:"
        f" {args.schools} schools, {len(years)} school years, {n_pupils} pupils in 9. klasse,"
        f" {grades.height} exam registrations (seed {args.seed})."
    )
    print("Karakterer i de bundne prøver, 9. klasse (synthetic data):\n")
    with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(exam_overview(grades, by=["school_year", "institution_id"]))
        print("\nKommunen i alt:\n")
        print(exam_overview(grades, by=["school_year", "municipality_code"]))
    for year, note in notes:
        if note is not None:
            print(f"\nNB {year}: {note}.")
    print(
        "\ngennemsnit: mean of pupil averages, pupils with at least 4 of 8 grades;"
        " min_02_da_ma_pct: pupils with >= 02 in both dansk and matematik among those who"
        " took all dansk and matematik delprøver; alle_bundne_pct: pupils with a grade in"
        " every bound delprøve."
    )
    return 0


def _synthetic(args: argparse.Namespace) -> int:
    from folkeskolekvalitet.synthetic.denmark import write_country  # noqa: PLC0415

    started = time.perf_counter()
    out = write_country(args.out, school_years=args.years, scale=args.scale, seed=args.seed)
    files = sorted(p.name for p in out.iterdir() if p.is_file())
    print(
        f"folkeskolekvalitet {__version__} - synthetic Denmark, school years"
        f" {args.years[0]}-{args.years[-1]}, scale {args.scale}, seed {args.seed}:"
        f" wrote {', '.join(files)} to {out} in {time.perf_counter() - started:.1f} s."
        " Synthetic data: no real pupil, school or result is in them."
    )
    return 0


def _years_argument(text: str) -> tuple[str, ...]:
    try:
        return parse_school_years(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``folkeskolekvalitet`` command."""
    parser = argparse.ArgumentParser(
        prog="folkeskolekvalitet",
        description="Quality indicators of the Danish folkeskole.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="indicators of a synthetic municipality")
    demo.add_argument("--schools", type=int, default=6, help="number of schools (default 6)")
    demo.add_argument("--years", type=int, default=3, help="number of school years (default 3)")
    demo.add_argument(
        "--first-year", type=int, default=2021, help="first school year's start (default 2021)"
    )
    demo.add_argument("--municipality", default="151", help="municipality code (default 151)")
    demo.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
    demo.set_defaults(func=_demo)
    synthetic = sub.add_parser(
        "synthetic",
        help="write a synthetic Denmark (Parquet per family) to a directory",
        description="Write a synthetic Denmark to DIR: <family>.parquet for exams,"
        " national_tests, wellbeing, competence, absence and transitions, enrolment.parquet,"
        " institutions.parquet and interventions.txt.",
    )
    synthetic.add_argument("--out", required=True, help="output directory (created if needed)")
    synthetic.add_argument(
        "--scale", type=float, default=1.0, help="share of the schools, 0-1 (default 1.0)"
    )
    synthetic.add_argument(
        "--years",
        type=_years_argument,
        default=parse_school_years("2021/22:2023/24"),
        help="a school year or a range, e.g. 2023/24 or 2021/22:2023/24 (the default)",
    )
    synthetic.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    synthetic.set_defaults(func=_synthetic)
    args = parser.parse_args(argv)
    if args.command == "demo":
        if args.schools < 1 or args.years < 1:
            parser.error("--schools and --years must be at least 1")
        last = args.first_year + args.years - 1
        try:
            bound_exams(f"{args.first_year}/{(args.first_year + 1) % 100:02d}")
            bound_exams(f"{last}/{(last + 1) % 100:02d}")
        except CatalogueError as err:
            parser.error(str(err))
    if args.command == "synthetic":
        if not args.scale > 0:
            parser.error("--scale must be positive")
        try:
            bound_exams(args.years[0])
            bound_exams(args.years[-1])
        except CatalogueError as err:
            parser.error(str(err))
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
