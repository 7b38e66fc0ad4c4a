"""The ``folkeskolekvalitet`` command line.

``folkeskolekvalitet report`` builds the quality report (an offline HTML file and an Excel
datapakke) of a municipality from a data directory or synthetic data;
``folkeskolekvalitet demo`` builds it for a synthetic municipality into the current
directory and prints a short summary; ``folkeskolekvalitet synthetic --out DIR`` writes a
synthetic Denmark (one Parquet file per family, the registers and a survey export) to
``DIR``.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from collections.abc import Sequence

from folkeskolekvalitet import __version__
from folkeskolekvalitet._core.errors import CatalogueError, DataError
from folkeskolekvalitet._core.schoolyear import parse_school_years
from folkeskolekvalitet.exams import bound_exams

__all__ = ["main"]

_DEMO_MUNICIPALITY = "151"
_DEMO_YEARS = "2021/22:2023/24"


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


def _report(args: argparse.Namespace) -> int:
    from folkeskolekvalitet.report.run import make_report  # noqa: PLC0415

    done = make_report(
        municipality=args.municipality,
        data=args.data,
        synthetic=args.synthetic,
        schools=args.schools,
        years=args.years,
        goals=args.goals,
        out=args.out,
        xlsx=args.xlsx,
        suppress=not args.no_suppression,
        quiet=args.quiet,
        seed=args.seed,
    )
    if not args.quiet:
        written = [str(p) for p in (done.html, done.xlsx) if p is not None]
        print("wrote " + " and ".join(written))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from folkeskolekvalitet.report.run import make_report  # noqa: PLC0415

    started = time.perf_counter()
    out = pathlib.Path(args.out)
    done = make_report(
        municipality=args.municipality,
        synthetic=True,
        years=args.years,
        national_goals=True,
        out=out / "kvalitetsrapport.html",
        xlsx=out / "datapakke.xlsx",
        quiet=args.quiet,
        seed=args.seed,
    )
    print(
        f"folkeskolekvalitet {__version__} - demo on synthetic data (seed {args.seed}), made in"
        f" {time.perf_counter() - started:.1f} s:"
    )
    print(f"  report:    {done.html}")
    print(f"  datapakke: {done.xlsx}")
    print(done.report.summary())
    print(
        "Synthetic data: no real pupil, school or result is in them. Open the report in a browser."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``folkeskolekvalitet`` command."""
    parser = argparse.ArgumentParser(
        prog="folkeskolekvalitet",
        description="Quality indicators of the Danish folkeskole.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    report = sub.add_parser(
        "report",
        help="the quality report of a municipality: offline HTML and an Excel datapakke",
        description="Build the quality report (kvalitetsrapport) of a municipality: one"
        " self-contained HTML file and, with --xlsx, the Excel datapakke.",
    )
    source = report.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data",
        metavar="DIR",
        help="data directory: <family>.parquet/.csv/.xlsx, institutions, enrolment,"
        " interventions.txt, uddannelsesstatistik/ (as `folkeskolekvalitet synthetic` writes it)",
    )
    source.add_argument("--synthetic", action="store_true", help="use synthetic data")
    report.add_argument("--municipality", required=True, help="municipality code or name")
    report.add_argument("--schools", nargs="+", metavar="ID", help="institution numbers to show")
    report.add_argument(
        "--years",
        type=_years_argument,
        help="a school year or a range, e.g. 2023/24 or 2021/22:2023/24 (default: all)",
    )
    report.add_argument("--goals", metavar="FILE", help="goals file (TOML)")
    report.add_argument(
        "--out", default="kvalitetsrapport.html", help="HTML file (default kvalitetsrapport.html)"
    )
    report.add_argument("--xlsx", metavar="FILE", help="also write the Excel datapakke here")
    report.add_argument(
        "--no-suppression",
        action="store_true",
        help="no disclosure control (internal use only: the result may not be published)",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    report.add_argument("--seed", type=int, default=0, help="seed of --synthetic (default 0)")
    report.set_defaults(func=_report)

    demo = sub.add_parser(
        "demo",
        help="the quality report of a synthetic municipality, into the current directory",
    )
    demo.add_argument("--out", default=".", help="output directory (default: current)")
    demo.add_argument(
        "--municipality", default=_DEMO_MUNICIPALITY, help="municipality code (default 151)"
    )
    demo.add_argument(
        "--years",
        type=_years_argument,
        default=parse_school_years(_DEMO_YEARS),
        help="a school year or a range (default 2021/22:2023/24)",
    )
    demo.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(func=_demo)

    synthetic = sub.add_parser(
        "synthetic",
        help="write a synthetic Denmark (Parquet per family) to a directory",
        description="Write a synthetic Denmark to DIR: <family>.parquet for exams,"
        " national_tests, wellbeing, competence, absence and transitions, enrolment.parquet,"
        " inclusion.parquet, institutions.parquet and interventions.txt.",
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
    if args.command == "synthetic" and not args.scale > 0:
        parser.error("--scale must be positive")
    drawn = args.command in ("synthetic", "demo") or (args.command == "report" and args.synthetic)
    if drawn and args.years:
        try:
            bound_exams(args.years[0])
            bound_exams(args.years[-1])
        except CatalogueError as err:
            parser.error(str(err))
    try:
        result: int = args.func(args)
    except DataError as err:
        print(f"folkeskolekvalitet: {err}", file=sys.stderr)
        return 2
    except ImportError as err:
        print(f"folkeskolekvalitet: {err}", file=sys.stderr)
        return 3
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
