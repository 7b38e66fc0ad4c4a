"""The report command's work: read or draw the data, compute, build, write (with progress)."""

from __future__ import annotations

import pathlib
import threading
from collections.abc import Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError
from folkeskolekvalitet.report._progress import Progress
from folkeskolekvalitet.report.build import _municipality_code, build
from folkeskolekvalitet.report.data import read_data
from folkeskolekvalitet.report.model import Report

__all__ = ["Outputs", "make_report"]

#: The synthetic country figures come from a sample of the schools of a synthetic Denmark:
#: this share of the schools of these municipalities (capital, cities, towns, islands).
SYNTHETIC_COUNTRY_SCALE = 0.1
SYNTHETIC_COUNTRY_MUNICIPALITIES = (
    "101",
    "751",
    "461",
    "851",
    "157",
    "630",
    "561",
    "740",
    "326",
    "360",
    "400",
    "813",
)
DEFAULT_YEARS = ("2021/22", "2022/23", "2023/24")


@attrs.frozen
class Outputs:
    """What :func:`make_report` wrote."""

    report: Report
    html: pathlib.Path | None
    xlsx: pathlib.Path | None


def _warm_up() -> threading.Thread:
    """Start the SVG engine in the background while the numbers are computed."""

    def work() -> None:
        try:
            from folkeskolekvalitet.report._deps import require  # noqa: PLC0415

            require("altair")
            require("vl_convert").vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
        except Exception:
            pass

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _synthetic_table(
    code: str, years: Sequence[str], seed: int
) -> tuple[pl.DataFrame, dict[str, str]]:
    from folkeskolekvalitet import indicators  # noqa: PLC0415
    from folkeskolekvalitet.synthetic import country  # noqa: PLC0415

    local = country(school_years=list(years), seed=seed, municipalities=[code])
    sample = country(
        school_years=list(years),
        seed=seed,
        scale=SYNTHETIC_COUNTRY_SCALE,
        municipalities=list(SYNTHETIC_COUNTRY_MUNICIPALITIES),
    )
    parts = []
    for dk, levels in ((local, ("school", "municipality")), (sample, ("country",))):
        t = indicators.table(
            exams=dk.exams,
            national_tests=dk.national_tests,
            wellbeing=dk.wellbeing,
            enrolment=dk.enrolment,
            competence=dk.competence,
            absence=dk.absence,
            transitions=dk.transitions,
            inclusion=dk.inclusion,
            institutions=dk.institutions,
            levels=levels,
        )
        parts.append(t.collect() if isinstance(t, pl.LazyFrame) else t)
    names = dict(local.institutions.select("institution_id", "name").iter_rows())
    return pl.concat(parts, how="vertical"), names


def make_report(
    *,
    municipality: str,
    data: str | pathlib.Path | None = None,
    synthetic: bool = False,
    schools: Sequence[str] | None = None,
    years: str | Sequence[str] | None = None,
    goals: str | pathlib.Path | None = None,
    national_goals: bool = False,
    out: str | pathlib.Path | None = "kvalitetsrapport.html",
    xlsx: str | pathlib.Path | None = None,
    suppress: bool = True,
    quiet: bool = False,
    seed: int = 0,
) -> Outputs:
    """Read (``data``) or draw (``synthetic``) the data, build the report and write it.

    Parameters
    ----------
    municipality
        Code or name.
    data
        A data directory (:func:`folkeskolekvalitet.report.read_data`).
    synthetic
        Use a synthetic municipality instead (its country figures from a sample of a
        synthetic Denmark: :data:`SYNTHETIC_COUNTRY_SCALE` of the schools of
        :data:`SYNTHETIC_COUNTRY_MUNICIPALITIES`).
    schools, years, suppress
        As in :func:`~folkeskolekvalitet.report.build`.
    goals
        A goals file (:func:`folkeskolekvalitet.goals.read_goals`).
    national_goals
        Also evaluate :data:`folkeskolekvalitet.goals.NATIONAL`.
    out, xlsx
        Where to write the HTML report and the datapakke (None: not written).
    quiet
        No progress bar on stderr.
    seed
        The synthetic data's seed.
    """
    if (data is None) == (not synthetic):
        msg = "give either data (a directory) or synthetic=True"
        raise ValueError(msg)
    code, _ = _municipality_code(municipality)
    bar = Progress(5, quiet=quiet)
    warm = _warm_up()
    goal_list: list[object] = []
    if goals is not None or national_goals:
        from folkeskolekvalitet import goals as _goals  # noqa: PLC0415

        if national_goals:
            goal_list += list(_goals.NATIONAL)
        if goals is not None:
            path = pathlib.Path(goals)
            if not path.is_file():
                raise DataError.single(
                    f"goals file {str(path)!r}",
                    "<file>",
                    "does not exist: give a TOML file of goals"
                    " (see the user guide, 'Goals as data')",
                )
            goal_list += list(_goals.read_goals(path))
    if synthetic:
        bar.step("drawing synthetic data")
        if years is None:
            years = DEFAULT_YEARS
        from folkeskolekvalitet._core.schoolyear import parse_school_years  # noqa: PLC0415

        yrs = (
            parse_school_years(years)
            if isinstance(years, str)
            else tuple(y for t in years for y in parse_school_years(t))
        )
        bar.step("computing indicators")
        table, names = _synthetic_table(code, yrs, seed)
        files: tuple[str, ...] = (f"syntetiske data (folkeskolekvalitet.synthetic, seed {seed})",)
    else:
        assert data is not None
        bar.step("reading data")
        inputs = read_data(data)
        bar.step("computing indicators")
        table = inputs.table()
        names = inputs.names
        files = inputs.files
    bar.step("building the report")
    report = build(
        table,
        goals=goal_list or None,
        municipality=code,
        schools=schools,
        years=years,
        suppress=suppress,
        names=names,
        data_files=files,
    )
    bar.step("rendering figures and files")
    warm.join()
    html_path = report.to_html(out) if out is not None else None
    xlsx_path = report.to_xlsx(xlsx) if xlsx is not None else None
    bar.done()
    return Outputs(report, html_path, xlsx_path)
