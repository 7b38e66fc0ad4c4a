"""Reading a data directory for the report: the layout ``Country.write`` produces.

``DIR/<family>.parquet`` (``exams``, ``national_tests``, ``wellbeing``, ``competence``,
``absence``, ``transitions``), ``inclusion.parquet``, ``enrolment.parquet``,
``institutions.parquet`` and
``interventions.txt``, any of them optional; CSV or XLSX files with the same names are read
too. Files from uddannelsesstatistik.dk under ``DIR/uddannelsesstatistik/`` are read by
:func:`folkeskolekvalitet.io.read_uddannelsesstatistik` and supply the official figures,
the country's among them.
"""

from __future__ import annotations

import importlib
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet.indicators import INDICATOR_SCHEMA, KEY_COLUMNS

__all__ = ["FRAME_FILES", "InputData", "read_data"]

#: The frames a data directory may hold, by file stem.
FRAME_FILES: tuple[str, ...] = (
    "exams",
    "national_tests",
    "wellbeing",
    "competence",
    "absence",
    "transitions",
    "inclusion",
    "enrolment",
    "institutions",
)
_TEXT_COLUMNS = (
    "school_year",
    "cohort",
    "municipality_code",
    "institution_id",
    "department_id",
    "class_id",
    "pupil_id",
    "teacher_id",
)
_SUFFIXES = (".parquet", ".csv", ".xlsx")
_OFFICIAL_DIR = "uddannelsesstatistik"


@attrs.frozen
class InputData:
    """What :func:`folkeskolekvalitet.report.read_data` found in a data directory.

    Attributes
    ----------
    frames
        The pupil-level frames by name (``exams``, ..., ``enrolment``, ``institutions``).
    interventions
        The text of ``interventions.txt`` (a survey export), or None.
    official
        The indicator table of the uddannelsesstatistik.dk files, or None.
    files
        The files read, relative to the directory.
    """

    frames: Mapping[str, pl.DataFrame]
    interventions: str | None = None
    official: pl.DataFrame | None = None
    files: tuple[str, ...] = ()

    @property
    def names(self) -> dict[str, str]:
        """School names by institution number (from ``institutions``), if given."""
        inst = self.frames.get("institutions")
        if inst is None or "name" not in inst.columns:
            return {}
        pairs = inst.select(
            pl.col("institution_id").cast(pl.String), pl.col("name").cast(pl.String)
        )
        return dict(pairs.unique("institution_id").iter_rows())

    def table(self, *, levels: Sequence[str] | None = None) -> pl.DataFrame:
        """The indicator table of everything read.

        Computed from the pupil-level frames by :func:`folkeskolekvalitet.indicators.table`,
        plus the official figures.

        ``levels`` default: school and municipality, and the country too when the frames
        hold more than one municipality (one municipality's pupils do not make a national
        figure; the official files supply it).
        """
        from folkeskolekvalitet import indicators  # noqa: PLC0415

        families = {k: v for k, v in self.frames.items() if k != "institutions"}
        parts: list[pl.DataFrame] = []
        if families:
            if levels is None:
                codes: set[str] = set()
                for frame in self.frames.values():
                    if "municipality_code" in frame.columns:
                        codes |= set(
                            frame["municipality_code"]
                            .cast(pl.String)
                            .unique()
                            .drop_nulls()
                            .to_list()
                        )
                levels = (
                    ("school", "municipality", "country")
                    if len(codes) > 1
                    else ("school", "municipality")
                )
            get = families.get
            computed = indicators.table(
                exams=get("exams"),
                national_tests=get("national_tests"),
                wellbeing=get("wellbeing"),
                enrolment=get("enrolment"),
                competence=get("competence"),
                absence=get("absence"),
                transitions=get("transitions"),
                inclusion=get("inclusion"),
                institutions=self.frames.get("institutions"),
                levels=levels,
            )
            parts.append(computed.collect() if isinstance(computed, pl.LazyFrame) else computed)
        if self.official is not None and self.official.height:
            official = self.official
            if parts:
                # computed numbers win where both give the same key
                keys = list(KEY_COLUMNS)
                official = official.join(
                    parts[0].select(keys), on=keys, how="anti", nulls_equal=True
                )
            parts.append(official)
        if not parts:
            return pl.DataFrame(schema=INDICATOR_SCHEMA)
        return pl.concat(parts, how="vertical")


def _find(directory: pathlib.Path, stem: str) -> list[pathlib.Path]:
    return [
        directory / f"{stem}{suffix}"
        for suffix in _SUFFIXES
        if (directory / f"{stem}{suffix}").is_file()
    ]


def _read_frame(path: pathlib.Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix == ".csv":
        head = pl.read_csv(path, n_rows=0)
        overrides = {c: pl.String for c in head.columns if c in _TEXT_COLUMNS}
        return pl.read_csv(path, schema_overrides=overrides, infer_schema_length=10_000)
    from folkeskolekvalitet.report._deps import require  # noqa: PLC0415

    require("fastexcel")
    frame = pl.read_excel(path, engine="calamine", infer_schema_length=10_000)
    return frame.with_columns(
        pl.col(c).cast(pl.String) for c in frame.columns if c in _TEXT_COLUMNS
    )


def read_data(directory: str | pathlib.Path) -> InputData:
    """Read a data directory (see the module's description).

    Raises
    ------
    DataError
        Naming every file that is missing, unreadable or given twice, and what to do.

    Examples
    --------
    >>> import tempfile
    >>> from folkeskolekvalitet.report import read_data
    >>> from folkeskolekvalitet.synthetic import country
    >>> dk = country(school_years=["2023/24"], scale=0.01, municipalities=["151"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = read_data(dk.write(tmp))
    >>> sorted(data.frames)[:3], data.interventions is not None
    (['absence', 'competence', 'enrolment'], True)
    """
    root = pathlib.Path(directory)
    what = f"data directory {str(root)!r}"
    if not root.is_dir():
        raise DataError.single(
            what,
            "<directory>",
            "does not exist or is not a directory: give the folder that holds exams.parquet,"
            " institutions.parquet, ... (as `folkeskolekvalitet synthetic` or Country.write"
            " writes it)",
        )
    problems: list[Problem] = []
    frames: dict[str, pl.DataFrame] = {}
    files: list[str] = []
    for stem in FRAME_FILES:
        found = _find(root, stem)
        if len(found) > 1:
            problems.append(
                Problem(
                    found[0].name,
                    "given in several formats ("
                    + ", ".join(p.name for p in found)
                    + "): keep one of them",
                )
            )
            continue
        if not found:
            continue
        path = found[0]
        try:
            frames[stem] = _read_frame(path)
        except Exception as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            problems.append(
                Problem(
                    path.name,
                    f"cannot be read as {path.suffix[1:].upper()} ({first[:160]}): write it"
                    " again, e.g. with Country.write or polars' write_parquet",
                )
            )
            continue
        files.append(path.name)
    interventions = None
    text_path = root / "interventions.txt"
    if text_path.is_file():
        try:
            interventions = text_path.read_text(encoding="utf-8")
            files.append(text_path.name)
        except UnicodeDecodeError:
            problems.append(Problem(text_path.name, "is not UTF-8 text: save it as UTF-8"))
    official = None
    official_dir = root / _OFFICIAL_DIR
    if official_dir.is_dir():
        official, official_files, official_problems = _read_official(official_dir)
        files += [f"{_OFFICIAL_DIR}/{name}" for name in official_files]
        problems += official_problems
    if problems:
        raise DataError(what, problems)
    if not frames and official is None:
        raise DataError.single(
            what,
            "<directory>",
            "holds no data file: expected any of "
            + ", ".join(f"{s}.parquet" for s in FRAME_FILES)
            + f" (or .csv/.xlsx), or uddannelsesstatistik.dk files under {_OFFICIAL_DIR}/",
        )
    return InputData(
        frames=frames, interventions=interventions, official=official, files=tuple(files)
    )


def _read_official(directory: pathlib.Path) -> tuple[pl.DataFrame | None, list[str], list[Problem]]:
    """uddannelsesstatistik.dk files through the readers (``folkeskolekvalitet.io``)."""
    paths = sorted(p for p in directory.iterdir() if p.suffix.lower() in (".json", ".csv", ".xlsx"))
    if not paths:
        return None, [], []
    try:
        # the readers (folkeskolekvalitet.io) sit below the report
        fio: Any = importlib.import_module("folkeskolekvalitet.io")
    except ImportError:  # pragma: no cover - only in a build without the readers
        problem = Problem(
            _OFFICIAL_DIR,
            "reading uddannelsesstatistik.dk files needs folkeskolekvalitet.io, which this"
            " installation lacks: update folkeskolekvalitet or move the folder away",
        )
        return None, [], [problem]
    parts: list[pl.DataFrame] = []
    names: list[str] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            frame = fio.to_indicator_table(fio.read_uddannelsesstatistik(path))
        except DataError as err:
            problems.append(Problem(path.name, f"not an uddannelsesstatistik.dk export: {err}"))
            continue
        parts.append(frame.collect() if isinstance(frame, pl.LazyFrame) else frame)
        names.append(path.name)
    return (pl.concat(parts, how="vertical") if parts else None), names, problems
