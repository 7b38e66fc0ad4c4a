"""The Excel datapakke.

One sheet per family, the national tests' publication view, and a sheet that explains every
column; Danish headers and number formats, frozen header rows.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet.indicators import CATALOGUE, INDICATOR_SCHEMA
from folkeskolekvalitet.report._deps import require
from folkeskolekvalitet.report._labels import (
    COLUMN_EXPLANATIONS,
    COLUMN_LABELS,
    DIRECTION_LABELS,
    LEVEL_LABELS,
    NT_GOAL_LABELS,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    VERDICT_LABELS,
)

if TYPE_CHECKING:
    from folkeskolekvalitet.report.model import Report

__all__ = ["DATAPAKKE_COLUMNS", "FAMILY_SHEETS", "read_xlsx", "write_xlsx"]

#: The sheet of each family (the national tests' sheet is the publication view).
FAMILY_SHEETS: Mapping[str, str] = {
    "exams": "Karakterer",
    "national_tests": "Nationale test",
    "wellbeing": "Trivsel",
    "competence": "Kompetencedækning",
    "absence": "Fravær",
    "transitions": "Overgang",
    "interventions": "Inklusion",
    "local": "Lokale indikatorer",
}
_EXPLAIN_SHEET = "Forklaring"
_GOALS_SHEET = "Mål"

#: The columns of a family sheet, in order (their Danish headers: ``COLUMN_LABELS``).
DATAPAKKE_COLUMNS: tuple[str, ...] = (
    "school_year",
    "unit_level",
    "unit_id",
    "unit_name",
    "municipality_code",
    "indicator",
    "indicator_label",
    "subject",
    "grade_level",
    "category",
    "value",
    "symbol",
    "n",
    "numerator",
    "se",
    "ci_low",
    "ci_high",
    "confidence",
    "status",
    "note",
    "source",
)
_NUMBER_COLUMNS = ("value", "se", "ci_low", "ci_high")
_NT_COLUMNS = (
    "municipality_code",
    "institution_id",
    "subject",
    "grade_level",
    "school_year",
    "goal",
    "goal_met",
    "direction",
)


def _family(indicator: str) -> str:
    ind = CATALOGUE.get(indicator)
    return ind.family if ind is not None else "local"


def _value_format(unit: str | None, decimals: int | None) -> str:
    d = 1 if decimals is None else decimals
    frac = "." + "0" * d if d else ""
    if unit in ("share", "rate"):
        return f"0{frac}%"
    return f"0{frac}"


def _sheet_rows(report: Report, family: str) -> pl.DataFrame:
    table = report.table.with_columns(
        pl.col("indicator")
        .replace_strict(
            {k: i.family for k, i in CATALOGUE.items()}, default="local", return_dtype=pl.String
        )
        .alias("_family")
    )
    rows = table.filter(pl.col("_family") == family).drop("_family")
    labels = {k: i.label for k, i in CATALOGUE.items()}
    names = dict(report.names)
    return rows.with_columns(
        pl.col("indicator")
        .replace_strict(labels, default=pl.col("indicator"), return_dtype=pl.String)
        .alias("indicator_label"),
        pl.when(pl.col("unit_level") == "country")
        .then(pl.lit("Landsplan"))
        .otherwise(
            pl.col("unit_id").replace_strict(
                names, default=pl.col("unit_id"), return_dtype=pl.String
            )
        )
        .alias("unit_name"),
        pl.col("status")
        .cast(pl.String)
        .replace_strict(dict(STATUS_SYMBOLS), default=None, return_dtype=pl.String)
        .alias("symbol"),
    ).sort(
        "indicator",
        "subject",
        "grade_level",
        "category",
        "unit_level",
        "unit_id",
        "school_year",
        nulls_last=True,
    )


def _write_column(  # noqa: PLR0917 - one column of one sheet
    ws: Any, j: int, col: str, frame: pl.DataFrame, value_formats: list[Any], cell_format: Any
) -> int:
    """Write one column below its header; return its width."""
    values = frame[col].to_list()
    width = len(COLUMN_LABELS.get(col, col)) + 2
    dtype = frame.schema[col]
    if dtype.is_numeric():
        if col in _NUMBER_COLUMNS:
            formats = value_formats
        else:
            fixed = cell_format(
                "0%" if col == "confidence" else "0" if col == "numerator" else "General"
            )
            formats = [fixed] * len(values)
        write_number = ws.write_number
        for i, v in enumerate(values, start=1):
            if v is not None:
                write_number(i, j, v, formats[i - 1])
    elif dtype == pl.Boolean:
        for i, v in enumerate(values, start=1):
            if v is not None:
                ws.write_boolean(i, j, v)
    else:
        longest = 0
        write_string = ws.write_string
        for i, v in enumerate(values, start=1):
            if v is not None:
                text = str(v)
                longest = max(longest, len(text))
                write_string(i, j, text)
        width = max(width, min(longest + 2, 60))
    return width


def _write_table(
    ws: Any,
    frame: pl.DataFrame,
    columns: Sequence[str],
    formats: Mapping[str, Any],
    cell_format: Any,
) -> None:
    header = formats["header"]
    for j, col in enumerate(columns):
        ws.write_string(0, j, COLUMN_LABELS.get(col, col), header)
    units = frame["_unit"].to_list() if "_unit" in frame.columns else [None] * frame.height
    decs = frame["_decimals"].to_list() if "_decimals" in frame.columns else [None] * frame.height
    value_formats = [cell_format(_value_format(u, d)) for u, d in zip(units, decs, strict=True)]
    for j, col in enumerate(columns):
        width = _write_column(ws, j, col, frame, value_formats, cell_format)
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    if frame.height:
        ws.autofilter(0, 0, frame.height, len(columns) - 1)


def write_xlsx(report: Report, path: str | pathlib.Path) -> pathlib.Path:
    """Write the report's datapakke to ``path`` and return the path."""
    xlsxwriter = require("xlsxwriter")
    out = pathlib.Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out), {"nan_inf_to_errors": True})
    cache: dict[str, Any] = {}

    def cell_format(num: str) -> Any:
        if num not in cache:
            cache[num] = wb.add_format({"num_format": num})
        return cache[num]

    formats = {
        "header": wb.add_format(
            {"bold": True, "bg_color": "#DDE7F0", "text_wrap": True, "valign": "top"}
        )
    }
    units = {k: (i.unit, i.decimals) for k, i in CATALOGUE.items()}
    present = {_family(k) for k in report.table["indicator"].unique().to_list()}
    for family, sheet in FAMILY_SHEETS.items():
        if family == "national_tests":
            if report.publication is not None:
                _write_publication(wb.add_worksheet(sheet), report, formats, cell_format)
            continue
        if family not in present:
            continue
        rows = _sheet_rows(report, family)
        rows = rows.with_columns(
            pl.col("indicator")
            .replace_strict(
                {k: u for k, (u, _) in units.items()}, default=None, return_dtype=pl.String
            )
            .alias("_unit"),
            pl.col("indicator")
            .replace_strict(
                {k: d for k, (_, d) in units.items()}, default=None, return_dtype=pl.Int64
            )
            .alias("_decimals"),
            pl.col("unit_level")
            .cast(pl.String)
            .replace_strict(dict(LEVEL_LABELS), return_dtype=pl.String),
            pl.col("status")
            .cast(pl.String)
            .replace_strict(dict(STATUS_LABELS), return_dtype=pl.String),
        )
        _write_table(wb.add_worksheet(sheet), rows, DATAPAKKE_COLUMNS, formats, cell_format)
    if report.goals is not None and report.goals.height:
        goals = report.goals.select(
            pl.col(c).cast(pl.String)
            if report.goals.schema[c] in (pl.Categorical,)
            or isinstance(report.goals.schema[c], pl.Enum)
            else pl.col(c)
            for c in report.goals.columns
        )
        cols = [
            c
            for c in goals.columns
            if goals.schema[c] in (pl.String, pl.Boolean) or goals.schema[c].is_numeric()
        ]
        if "verdict" in cols:
            goals = goals.with_columns(pl.col("verdict").replace(dict(VERDICT_LABELS)))
        _write_table(wb.add_worksheet(_GOALS_SHEET), goals, cols, formats, cell_format)
    ws = wb.add_worksheet(_EXPLAIN_SHEET)
    ws.write_string(0, 0, "Kolonne", formats["header"])
    ws.write_string(0, 1, "Nøgle", formats["header"])
    ws.write_string(0, 2, "Forklaring", formats["header"])
    explained = [*DATAPAKKE_COLUMNS, *(c for c in _NT_COLUMNS if c not in DATAPAKKE_COLUMNS)]
    for i, col in enumerate(explained, start=1):
        ws.write_string(i, 0, COLUMN_LABELS[col])
        ws.write_string(i, 1, col)
        ws.write_string(i, 2, COLUMN_EXPLANATIONS[col])
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 100)
    ws.freeze_panes(1, 0)
    wb.close()
    return out


def _write_publication(
    ws: Any, report: Report, formats: Mapping[str, Any], cell_format: Any
) -> None:
    view = report.publication
    assert view is not None
    cols = [c for c in _NT_COLUMNS if c in view.columns]
    frame = view.select(cols).with_columns(
        pl.col("goal")
        .cast(pl.String)
        .replace_strict(
            dict(NT_GOAL_LABELS), default=pl.col("goal").cast(pl.String), return_dtype=pl.String
        ),
        pl.col("direction")
        .cast(pl.String)
        .replace_strict(
            dict(DIRECTION_LABELS),
            default=pl.col("direction").cast(pl.String),
            return_dtype=pl.String,
        ),
        pl.col("subject").cast(pl.String),
        pl.when(pl.col("goal_met"))
        .then(pl.lit("Ja"))
        .when(~pl.col("goal_met"))
        .then(pl.lit("Nej"))
        .otherwise(pl.lit("oplyses ikke"))
        .alias("goal_met"),
    )
    _write_table(ws, frame, cols, formats, cell_format)


def _read_schema() -> dict[str, Any]:
    """The Danish headers of the family sheets with the dtypes to read them as."""
    numbers = ("value", "numerator", "se", "ci_low", "ci_high", "confidence")
    out: dict[str, Any] = {}
    for col in DATAPAKKE_COLUMNS:
        if col in numbers:
            out[COLUMN_LABELS[col]] = pl.Float64
        elif col in ("n", "grade_level"):
            out[COLUMN_LABELS[col]] = pl.Int64
        else:
            out[COLUMN_LABELS[col]] = pl.String
    return out


def read_xlsx(path: str | pathlib.Path) -> pl.DataFrame:
    """Read a datapakke back into an indicator table (the family sheets, not the view).

    The inverse of :meth:`Report.to_xlsx` for the indicator rows: the Danish headers,
    levels and statuses are mapped back to the table's columns and codes.

    Raises
    ------
    DataError
        If the file is not a datapakke (a sheet lacks a column).
    """
    fastexcel = require("fastexcel")
    source = pathlib.Path(path)
    wanted = [s for f, s in FAMILY_SHEETS.items() if f != "national_tests"]
    try:
        present = [s for s in fastexcel.read_excel(str(source)).sheet_names if s in wanted]
        sheets = (
            pl.read_excel(
                source, sheet_name=present, engine="calamine", schema_overrides=_read_schema()
            )
            if present
            else {}
        )
    except Exception as err:
        raise DataError.single(
            f"datapakke {source.name}", "<file>", f"cannot be read as a datapakke ({err})"
        ) from None
    back = {v: k for k, v in COLUMN_LABELS.items()}
    levels = {v: k for k, v in LEVEL_LABELS.items()}
    statuses = {v: k for k, v in STATUS_LABELS.items()}
    parts = []
    problems = []
    for family, sheet in FAMILY_SHEETS.items():
        if family == "national_tests" or sheet not in sheets:
            continue
        frame = sheets[sheet].rename(lambda c: back.get(c, c))
        missing = [c for c in INDICATOR_SCHEMA if c not in frame.columns]
        if missing:
            problems.append(Problem(", ".join(missing), f"missing in sheet {sheet!r}"))
            continue
        frame = frame.with_columns(
            pl.col("unit_level").cast(pl.String).replace_strict(levels, return_dtype=pl.String),
            pl.col("status").cast(pl.String).replace_strict(statuses, return_dtype=pl.String),
        )
        parts.append(
            frame.select(
                pl.col(c).cast(pl.String).cast(d)
                if d == pl.String or isinstance(d, pl.Enum)
                else pl.col(c).cast(d)
                for c, d in INDICATOR_SCHEMA.items()
            )
        )
    if problems:
        raise DataError(f"datapakke {source.name}", problems)
    if not parts:
        return pl.DataFrame(schema=INDICATOR_SCHEMA)
    return pl.concat(parts)
