"""The institution register (institutionsregisteret) as the library's institutions frame.

The register is exported as a ``;``-separated CSV in UTF-8 with a BOM (headers such as
"Institutionsnummer", "Institutionstype, navn", "Beliggenhedskommune") and, in an older
form, as XLSX with upper-case headers (``INST_NR``, ``INST_NAVN``, ``INST_TYPE_NR``,
``KOMMUNE_NR``, ``BEL_KOMMUNE``, ``HOVEDSKOLE_INST``, ``ENHEDSART``). Both read into the
same frame: 6-digit ``institution_id``, ``name``, ``municipality_code`` and
``municipality``, the type, the main school of a department, and whether the
institution is a folkeskole.

Sources
-------
- Institutionsregisteret: https://www.uddannelsesstatistik.dk and
  https://instreg.stil.dk (exports).
- The XLSX layout: https://github.com/BrianLBardo/tidsserieanalyse-af-trivselsmaeling
  (datasets/Folkeskoler.xlsx).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.municipalities import MUNICIPALITIES
from folkeskolekvalitet.io._deps import require
from folkeskolekvalitet.io._text import examples
from folkeskolekvalitet.io.uddannelsesstatistik import _municipality_codes

__all__ = ["INSTITUTION_HEADERS", "read_institutions"]

#: The register's headers (lower case) -> the library's columns.
INSTITUTION_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "institutionsnummer": "institution_id",
        "institutionsnr": "institution_id",
        "inst_nr": "institution_id",
        "institutionsnavn": "name",
        "navn": "name",
        "inst_navn": "name",
        "institutionstype, navn": "institution_type",
        "institutionstype": "institution_type",
        "inst_type_navn": "institution_type",
        "institutionstype, nummer": "institution_type_code",
        "institutionstypenummer": "institution_type_code",
        "inst_type_nr": "institution_type_code",
        "beliggenhedskommune": "_municipality",
        "bel_kommune": "_municipality",
        "beliggenhedskommune, navn": "_municipality",
        "beliggenhedskommunenummer": "_municipality_number",
        "beliggenhedskommune, nummer": "_municipality_number",
        "kommune_nr": "_municipality_number",
        "kommunenummer": "_municipality_number",
        "hovedskole_inst": "main_school_id",
        "hovedskole": "main_school_id",
        "hovedskolens institutionsnummer": "main_school_id",
        "enhedsart": "unit_kind",
        "enhedsart, navn": "unit_kind",
    }
)

#: The institution type number of folkeskoler.
FOLKESKOLE_TYPE = "1012"
_WHAT = "institution register"
_NAMES = {m.code: m.name for m in MUNICIPALITIES}


def _read(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        require("fastexcel")
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    else:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        first = text.split("\n", 1)[0]
        separator = ";" if first.count(";") >= first.count(",") else ","
        frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False)
    return frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})


def _municipality_code(frame: pl.DataFrame) -> tuple[pl.Expr, list[Problem]]:
    """The 3-digit municipality code from the number column, or from the name column."""
    problems: list[Problem] = []
    code = pl.lit(None, pl.String)
    if "_municipality_number" in frame.columns:
        number = pl.col("_municipality_number").str.replace(r"\.0$", "")
        code = pl.when(number.str.contains(r"^\d{1,3}$")).then(number.str.zfill(3))
    if "_municipality" in frame.columns:
        text = pl.col("_municipality").str.replace(r"\.0$", "")
        digits = pl.when(text.str.contains(r"^\d{1,3}$")).then(text.str.zfill(3))
        names = frame.filter(~text.str.contains(r"^\d{1,3}$"))["_municipality"]
        codes, unknown = _municipality_codes(names.unique().to_list())
        if unknown:
            problems.append(
                Problem(
                    "municipality",
                    "not one of the 98 municipalities",
                    frame.filter(pl.col("_municipality").is_in(unknown)).height,
                    examples(sorted(unknown)),
                )
            )
        by_name = pl.col("_municipality").replace_strict(
            codes, default=None, return_dtype=pl.String
        )
        code = code.fill_null(digits.fill_null(by_name))
    return code, problems


def read_institutions(path: str | os.PathLike[str] | pl.DataFrame) -> pl.DataFrame:
    """Read the institution register (CSV or XLSX export) into the institutions frame.

    Parameters
    ----------
    path
        A ``;``-separated CSV (UTF-8, with or without a BOM) or an XLSX export, or a
        DataFrame with the register's headers.

    Returns
    -------
    DataFrame
        ``institution_id`` (6-digit text), ``name``, ``municipality_code`` (3 digits),
        ``municipality`` (short official name), ``institution_type`` (the type's name,
        or its number when only the number is given), ``institution_type_code``,
        ``main_school_id`` (the hovedskole of a department; null when not given),
        ``is_department`` (a department of another institution), ``unit_kind``
        (enhedsart, as published) and ``is_folkeskole`` (type number 1012 or a type name
        "Folkeskole…"). Usable as the ``institutions`` frame of the indicator table
        and of :func:`~folkeskolekvalitet.io.to_indicator_table`.

    Raises
    ------
    DataError
        Missing institution numbers or municipalities, numbers that are not 6 digits,
        municipality names that are not one of the 98.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.io import read_institutions
    >>> register = pl.DataFrame(
    ...     {
    ...         "Institutionsnummer": ["101001", "101002"],
    ...         "Institutionsnavn": ["Amager Fælled Skole", "Sankt Annæ Gymnasium"],
    ...         "Institutionstype, navn": ["Folkeskoler", "Gymnasier"],
    ...         "Beliggenhedskommune": ["Københavns Kommune", "Københavns Kommune"],
    ...     }
    ... )
    >>> read_institutions(register).select(
    ...     "institution_id", "municipality_code", "municipality", "is_folkeskole"
    ... )
    shape: (2, 4)
    ┌────────────────┬───────────────────┬──────────────┬───────────────┐
    │ institution_id ┆ municipality_code ┆ municipality ┆ is_folkeskole │
    │ ---            ┆ ---               ┆ ---          ┆ ---           │
    │ str            ┆ str               ┆ str          ┆ bool          │
    ╞════════════════╪═══════════════════╪══════════════╪═══════════════╡
    │ 101001         ┆ 101               ┆ København    ┆ true          │
    │ 101002         ┆ 101               ┆ København    ┆ false         │
    └────────────────┴───────────────────┴──────────────┴───────────────┘
    """
    raw = path if isinstance(path, pl.DataFrame) else _read(Path(path))
    renames: dict[str, str] = {}
    for column in raw.columns:
        target = INSTITUTION_HEADERS.get(" ".join(column.casefold().split()))
        if target is not None and target not in renames.values():
            renames[column] = target
    frame = raw.select(
        [pl.col(k).cast(pl.String).str.strip_chars().alias(v) for k, v in renames.items()]
    )
    problems: list[Problem] = []
    if "institution_id" not in frame.columns:
        problems.append(
            Problem(
                "institution_id",
                "missing column: expected 'Institutionsnummer' or 'INST_NR'; found "
                + ", ".join(repr(c) for c in raw.columns[:12]),
            )
        )
    if "_municipality" not in frame.columns and "_municipality_number" not in frame.columns:
        problems.append(
            Problem(
                "municipality_code",
                "missing column: expected 'Beliggenhedskommune', 'BEL_KOMMUNE' or 'KOMMUNE_NR'",
            )
        )
    if problems:
        raise DataError(_WHAT, problems)
    for column in (
        "name",
        "institution_type",
        "institution_type_code",
        "main_school_id",
        "unit_kind",
    ):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    six = pl.col("institution_id").str.replace(r"\.0$", "").str.zfill(6)
    bad = frame.filter(~six.str.contains(r"^\d{6}$") | pl.col("institution_id").is_null())
    if bad.height:
        problems.append(
            Problem(
                "institution_id",
                "not an institution number (up to 6 digits)",
                bad.height,
                examples(bad["institution_id"]),
            )
        )
    code, code_problems = _municipality_code(frame)
    problems += code_problems
    frame = frame.with_columns(six.alias("institution_id"), code.alias("municipality_code"))
    no_code = frame.filter(pl.col("municipality_code").is_null())
    if no_code.height:
        problems.append(
            Problem(
                "municipality_code",
                "no municipality for the institution",
                no_code.height,
                examples(no_code["institution_id"]),
            )
        )
    if problems:
        raise DataError(_WHAT, problems)
    main = pl.col("main_school_id").str.replace(r"\.0$", "")
    main = pl.when(main.str.contains(r"^\d{1,6}$")).then(main.str.zfill(6))
    type_code = pl.col("institution_type_code").str.replace(r"\.0$", "")
    folkeskole = (type_code == FOLKESKOLE_TYPE).fill_null(value=False) | pl.col(
        "institution_type"
    ).str.to_lowercase().str.starts_with("folkeskole").fill_null(value=False)
    return frame.select(
        "institution_id",
        "name",
        "municipality_code",
        pl.col("municipality_code")
        .replace_strict(_NAMES, default=None, return_dtype=pl.String)
        .alias("municipality"),
        pl.coalesce("institution_type", type_code).alias("institution_type"),
        type_code.alias("institution_type_code"),
        main.alias("main_school_id"),
        (main.is_not_null() & (main != pl.col("institution_id")))
        .fill_null(value=False)
        .alias("is_department"),
        "unit_kind",
        folkeskole.alias("is_folkeskole"),
    )
