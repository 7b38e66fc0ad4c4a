"""uddannelsesstatistik.dk: the warehouse's responses and downloads as tidy frames.

STIL's data warehouse serves aggregates per school, municipality and country, through
its website (XLSX and ``;``-separated CSV downloads) and a JSON API. Both write
dimension members and measures as Danish text. :func:`read_uddannelsesstatistik` turns
either into one tidy, long frame (one row per record and measure, canonical dimension
names, numbers parsed, missing cells with their reason); :func:`to_indicator_table` maps
the known cubes onto the catalogue of :mod:`folkeskolekvalitet.indicators`.

The layout is documented by public clients of the API, not by STIL itself; the readers
are tolerant where a fact is unconfirmed (which dimension levels a response carries,
whether a CSV percentage carries ``%``) and refuse, with a :class:`~folkeskolekvalitet.DataError`,
what they cannot place.

Sources
-------
- API and response layout: https://github.com/CecilieHermansen3/Uddannelsesstatistik
  (src/fetch_trivsel_fravaer.py) and
  https://github.com/Randers-Kommune-Digitalisering/auto-transform-forward-uddannelsesstatistik.
- Cubes and measures: the clients above, https://github.com/mhaegeman/kbh-folkeskole-tracker.
- Reports and downloads: https://uddannelsesstatistik.dk/Pages/Reports/1834.aspx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.exprs import divided_by
from folkeskolekvalitet._core.frames import FrameT, as_lazy
from folkeskolekvalitet._core.municipalities import municipality_code
from folkeskolekvalitet._core.schema import grade_level_from_text
from folkeskolekvalitet._core.schoolyear import school_year_expr
from folkeskolekvalitet.competence.catalogue import SUBJECTS as COMPETENCE_SUBJECTS
from folkeskolekvalitet.exams.reference import SIGNIFICANCE
from folkeskolekvalitet.indicators import (
    CATALOGUE,
    INDICATOR_SCHEMA,
    KEY_COLUMNS,
    STATUS_ENUM,
    UNIT_LEVEL_ENUM,
    validate_table,
)
from folkeskolekvalitet.io._deps import require
from folkeskolekvalitet.io._text import examples
from folkeskolekvalitet.io.numbers import MISSING_MARKERS, missing_reason, parse_danish_number
from folkeskolekvalitet.wellbeing.questions import INDICATORS as WELLBEING_INDICATORS
from folkeskolekvalitet.wellbeing.questions import SCORE_INTERVALS

__all__ = [
    "CUBES",
    "DIMENSIONS",
    "MEASURES",
    "Cube",
    "MeasureMap",
    "dimension_name",
    "read_uddannelsesstatistik",
    "to_indicator_table",
    "to_references",
]

SITE = "https://uddannelsesstatistik.dk"
_WHAT = "uddannelsesstatistik.dk data"

#: Dimension levels (as the warehouse names them, lower case) -> canonical column.
DIMENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "skoleår": "school_year",
        "år": "school_year",
        "institution": "institution",
        "institutionsnavn": "institution",
        "skole": "institution",
        "institutionsnummer": "institution_id",
        "institutionsnr": "institution_id",
        "inst nr": "institution_id",
        "afdeling": "department",
        "afdelingsnavn": "department",
        "hovedskole": "main_school",
        "beliggenhedskommune": "municipality",
        "kommune": "municipality",
        "institutionskommune": "municipality",
        "beliggenhedsregion": "region",
        "region": "region",
        "institutionstype": "institution_type",
        "insttype": "institution_type",
        "klassetringruppe": "grade_group",
        "skoletrin": "school_stage",
        "klassetrin": "grade_level",
        "trivselsindikator": "indicator",
        "indikator": "indicator",
        "trivselsindikator svarintervaller": "interval",
        "svarintervaller": "interval",
        "indikator svar": "interval",
        "fag": "subject",
        "prøvefag": "subject",
        "fagdisciplin": "exam",
        "prøve": "exam",
        "køn": "sex",
        "herkomst": "origin",
        "uddannelsesgruppe": "parents_education",
        "land": "country",
    }
)

_BRACKETS = re.compile(r"\[([^\]]*)\]")
_SHARE_UNITS = ("share", "rate")
_TOTAL_LABELS = ("i alt", "alle", "alle fag", "total", "samlet", "bundne prøvefag i alt")
#: Christiansø is no municipality but appears in the well-being data (code 411 at DST).
_CHRISTIANSOE = ("christiansø", "christiansoe", "christianso")
_CHRISTIANSOE_CODE = "411"
_LEFT_OUT = (
    "left out by uddannelsesstatistik.dk (fewer than 3 observations, or 5 pupils for"
    " well-being and the socio-economic reference)"
)


@attrs.frozen
class Cube:
    """A cube of the warehouse (område ``GS``).

    Attributes
    ----------
    key
        ``"<emne>/<underemne>"``, e.g. ``"TRIV/TRIVIND"``.
    label
        What it holds, in Danish.
    measures
        The measures (nøgletal) the library maps, as the API names them.
    """

    key: str
    label: str
    measures: tuple[str, ...]
    area: str = "GS"
    source: str = SITE

    @property
    def subject(self) -> str:
        """The emne, e.g. ``"TRIV"``."""
        return self.key.split("/")[0]

    @property
    def subsubject(self) -> str:
        """The underemne, e.g. ``"TRIVIND"``."""
        return self.key.split("/")[1]


BreakdownKind = Literal[
    "none", "wellbeing_indicator", "wellbeing_interval", "exam_subject", "subject"
]


@attrs.frozen
class MeasureMap:
    """How one measure of a cube becomes rows of the indicator table.

    Attributes
    ----------
    cube
        The cube key, e.g. ``"ELEVFRAV/FRAVAAR"``.
    measure
        The measure as the API names it (without a ``" - Kommunetal"`` or ``" - Landstal"``
        suffix; the suffixed variants give municipality and country rows).
    indicator
        The catalogue key; for ``breakdown="wellbeing_indicator"`` the prefix
        ``"wellbeing."`` completed by the indicator dimension.
    count
        The count measure that gives ``n`` (None when the cube has none).
    breakdown
        Which dimension fills the breakdown columns.
    """

    cube: str
    measure: str
    indicator: str
    count: str | None = None
    breakdown: BreakdownKind = "none"


_KARA = "KARA/KARAGNS"
_KARA_N = "Antal elever med karakter eller anden status i prøver"
_TRIV_N = "Antal Indikatorsvar"

#: Every mapped measure.
MEASURES: tuple[MeasureMap, ...] = (
    MeasureMap(_KARA, "Gennemsnit i bundne prøver", "exams.grade_average", _KARA_N),
    MeasureMap(_KARA, "Gennemsnit i obl. 9.-klasseprøver", "exams.obligatory_average", _KARA_N),
    MeasureMap(
        _KARA,
        "Andel elever med mindst 2 i obl. 9.-klasseprøver",
        "exams.share_at_least_2_obligatory",
        _KARA_N,
    ),
    MeasureMap("SOCR/SOCREFEX", "Soc_ref", "exams.socioeconomic_reference", None, "exam_subject"),
    MeasureMap("SOCR/SOCREFEX", "Forskel", "exams.reference_difference", None, "exam_subject"),
    MeasureMap(
        "SOCR/SOCREF3ÅR", "Soc_ref", "exams.socioeconomic_reference_3y", None, "exam_subject"
    ),
    MeasureMap("SOCR/SOCREF3ÅR", "Forskel", "exams.reference_difference_3y", None, "exam_subject"),
    MeasureMap("TRIV/TRIVIND", "Indikatorsvar", "wellbeing.", _TRIV_N, "wellbeing_indicator"),
    MeasureMap(
        "TRIV/TRIVIND",
        "Andel Indikatorsvar",
        "wellbeing.interval_share",
        _TRIV_N,
        "wellbeing_interval",
    ),
    MeasureMap("TRIV/KVALTRIV", "Indikatorsvar", "wellbeing.", _TRIV_N, "wellbeing_indicator"),
    MeasureMap(
        "ELEVFRAV/FRAVAAR",
        "Gennemsnitligt fravær per skoleår",
        "absence.rate_total",
        "Antal elever",
    ),
    MeasureMap("ELEVFRAV/FRAVAAR", "Sygefravær per skoleår", "absence.rate_sick", "Antal elever"),
    MeasureMap(
        "ELEVFRAV/FRAVAAR",
        "Ulovligt fravær per skoleår",
        "absence.rate_unauthorised",
        "Antal elever",
    ),
    MeasureMap("ELEVFRAV/FRAVAAR", "Over 10 procent", "absence.share_above_10", "Antal elever"),
    MeasureMap("KOMP/KOMPEX", "Med kompetence andel", "competence.coverage", None, "subject"),
    MeasureMap(
        "OVER/OVERSKO",
        "Overgang til UU fra 9. og 10. kl. sept året efter",
        "transitions.youth_education_share",
        "Antal elever",
    ),
    MeasureMap("ELEV/ELEVEX", "Inklusionsgrad", "interventions.inclusion_rate", "Antal elever"),
    MeasureMap(
        "ELEV/ELEVEX",
        "Andel der modtager seg specialundervisning",
        "interventions.share_segregated",
        "Antal elever",
    ),
)

#: Measures read but not mapped to an indicator of their own (counts, labels, copies).
_AUXILIARY = {
    _KARA: (_KARA_N,),
    "SOCR/SOCREFEX": ("Karakter", "Signifikant"),
    "SOCR/SOCREF3ÅR": ("Karakter", "Signifikant"),
    "TRIV/TRIVIND": (_TRIV_N,),
    "TRIV/KVALTRIV": (_TRIV_N,),
    "ELEVFRAV/FRAVAAR": ("Antal elever",),
    "OVER/OVERSKO": ("Antal elever",),
    "ELEV/ELEVEX": ("Antal elever",),
}
#: Measures whose cells are labels, not numbers.
_TEXT_MEASURES = ("Signifikant",)
_SUFFIXES = {" - Kommunetal": "municipality", " - Landstal": "country"}

_CUBE_LABELS = {
    _KARA: "Karakterer (gennemsnit, bundne prøver)",
    "SOCR/SOCREFEX": "Socioøkonomisk reference, 1 år",
    "SOCR/SOCREF3ÅR": "Socioøkonomisk reference, 3 år",
    "TRIV/TRIVIND": "Trivselsindikatorer",
    "TRIV/KVALTRIV": "Trivsel til kvalitetsrapporten",
    "ELEVFRAV/FRAVAAR": "Elevfravær",
    "KOMP/KOMPEX": "Kompetencedækning",
    "OVER/OVERSKO": "Overgang til ungdomsuddannelse",
    "ELEV/ELEVEX": "Elever (inklusion, specialundervisning)",
}

#: The cubes the library maps onto the indicator table, by key.
CUBES: Mapping[str, Cube] = MappingProxyType(
    {
        key: Cube(
            key,
            label,
            tuple(
                dict.fromkeys(
                    [m.measure for m in MEASURES if m.cube == key] + list(_AUXILIARY.get(key, ()))
                )
            ),
        )
        for key, label in _CUBE_LABELS.items()
    }
)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").casefold().split())


def _snake(text: str) -> str:
    ascii_text = _norm(text).replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^0-9a-z]+", "_", ascii_text).strip("_") or "dimension"


def _level(key: str) -> str | None:
    """The level name of a bracketed dimension key, or None for a plain name."""
    parts = _BRACKETS.findall(key)
    if not parts or _BRACKETS.sub("", key).replace(".", "").strip():
        return None
    return str(parts[1] if len(parts) >= 2 else parts[0])


def dimension_name(key: str) -> str:
    """The canonical column of a dimension key or header.

    Bracketed keys are read by their level (``"[Tid].[Skoleår]"`` and
    ``"[Skoleår].[Skoleår].[Skoleår]"`` both name the level *Skoleår*); plain headers of
    downloads are taken as the level. Known levels get the library's names
    (:data:`DIMENSIONS`), others a snake_case ASCII form.

    Examples
    --------
    >>> from folkeskolekvalitet.io import dimension_name
    >>> dimension_name("[Skoleår].[Skoleår].[Skoleår]"), dimension_name("[Tid].[Skoleår]")
    ('school_year', 'school_year')
    >>> dimension_name("[Institution].[Beliggenhedskommune].[Beliggenhedskommune]")
    'municipality'
    >>> dimension_name("[Forældres Højest Fuldførte Uddannelse].[Uddannelsesgruppe]")
    'parents_education'
    >>> dimension_name("Elevens alder")
    'elevens_alder'
    """
    level = _level(key)
    name = _norm(level if level is not None else key)
    return DIMENSIONS.get(name, _snake(name))


# --------------------------------------------------------------------------- reading


def _records_frame(records: object) -> pl.DataFrame:
    if isinstance(records, Mapping):
        lists = [v for v in records.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise DataError.single(
                _WHAT, "<frame>", "a JSON response must be a list of records (objects)"
            )
        records = lists[0]
    if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
        raise DataError.single(
            _WHAT, "<frame>", "a JSON response must be a list of records (objects)"
        )
    if not records:
        return pl.DataFrame()
    return pl.from_dicts(records, infer_schema_length=None, strict=False)


def _read_csv(path: Path) -> pl.DataFrame:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") >= first.count(",") else ","
    frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False)
    return frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})


def _read_excel(path: Path) -> pl.DataFrame:
    require("fastexcel")
    frame = pl.read_excel(path, engine="calamine")
    return frame.rename({c: c.strip() for c in frame.columns})


def _load(source: object) -> pl.DataFrame:
    if isinstance(source, pl.DataFrame):
        return source
    if isinstance(source, list | Mapping):
        return _records_frame(source)
    if isinstance(source, str) and source.lstrip().startswith(("[", "{")):
        return _records_frame(json.loads(source))
    if isinstance(source, str | Path):
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix == ".json":
            return _records_frame(json.loads(path.read_text(encoding="utf-8-sig")))
        if suffix in (".csv", ".txt"):
            return _read_csv(path)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return _read_excel(path)
        msg = f"{path.name!r}: expected a .json, .csv or .xlsx file from uddannelsesstatistik.dk"
        raise ValueError(msg)
    msg = (
        "source must be a path, JSON text, a list of records or a polars DataFrame,"
        f" not {type(source).__name__}"
    )
    raise TypeError(msg)


_KNOWN_MEASURES = {
    _norm(name + suffix)
    for cube in CUBES.values()
    for name in cube.measures
    for suffix in ("", *_SUFFIXES)
}


def _is_measure(name: str, series: pl.Series) -> bool:
    """Classify a plain header (downloads): known measure, known level, or by its cells."""
    if _norm(name) in _KNOWN_MEASURES:
        return True
    if _norm(name) in DIMENSIONS:
        return False
    if series.dtype.is_numeric():
        return True
    parsed = pl.select(
        parse_danish_number(pl.lit(series)).is_not_null().alias("ok"),
        missing_reason(pl.lit(series)).is_not_null().alias("missing"),
    )
    return bool((parsed["ok"] | parsed["missing"]).all()) and bool(parsed["ok"].any())


def _municipality_codes(values: Sequence[str | None]) -> tuple[dict[str, str | None], list[str]]:
    """Code of every distinct municipality name; names that are no municipality."""
    codes: dict[str, str | None] = {}
    unknown: list[str] = []
    for name in values:
        if name is None:
            continue
        key = _norm(name)
        if key in MISSING_MARKERS or key in ("uoplyst", "ukendt"):
            codes[name] = None
        elif key in _CHRISTIANSOE:
            codes[name] = _CHRISTIANSOE_CODE
        else:
            try:
                codes[name] = municipality_code(name)
            except ValueError:
                unknown.append(name)
    return codes, unknown


def _infer_cube(measures: Sequence[str], dims: Sequence[str]) -> str | None:
    """The cube whose measures cover the response's measures, when exactly one does."""
    bases = {_base_measure(m)[0] for m in measures}
    fits = [c.key for c in CUBES.values() if bases and bases <= set(c.measures)]
    if len(fits) > 1 and "TRIV/TRIVIND" in fits and "TRIV/KVALTRIV" in fits:
        return "TRIV/TRIVIND"  # both map "Indikatorsvar" onto the same indicators
    return fits[0] if len(fits) == 1 else None


def _cube_from_name(source: object) -> str | None:
    """The cube a file's name names (``"socref3år_2024.json"`` → ``"SOCR/SOCREF3ÅR"``)."""
    if not isinstance(source, Path) and not (
        isinstance(source, str) and not source.lstrip().startswith(("[", "{"))
    ):
        return None
    stem = Path(source).stem.upper()
    found = [c.key for c in CUBES.values() if c.subsubject.upper() in stem]
    return found[0] if len(found) == 1 else None


def _base_measure(name: str) -> tuple[str, str | None]:
    for suffix, level in _SUFFIXES.items():
        if name.endswith(suffix):
            return name[: -len(suffix)], level
    return name, None


def read_uddannelsesstatistik(source: object, *, cube: str | None = None) -> pl.DataFrame:
    """Read an API response or a download of uddannelsesstatistik.dk into a tidy frame.

    Dimension keys become canonical columns (``"[Skoleår].[Skoleår].[Skoleår]"`` and
    ``"[Tid].[Skoleår]"`` → ``school_year``, see :func:`dimension_name`); school years
    become ``"YYYY/YY"``; municipality names (``"Københavns Kommune"``, ``"København"``)
    get their ``municipality_code``; an institution number in an institution member
    (``"Bakkeskolen (280012)"``) or a level of its own becomes ``institution_id``;
    ``"4. klasse"`` becomes ``grade_level`` 4. Measures are parsed the Danish way
    (:func:`~folkeskolekvalitet.io.parse_danish_number`); a missing cell (``"<fejl>"``,
    ``""``, ``"-"``, ``".."``, ``"*"``, ``"x"``) has a null ``value`` and its reason in
    ``missing``, never 0.

    Parameters
    ----------
    source
        A JSON response (a path to a ``.json`` file, JSON text, or the parsed list of
        records), a ``;``-separated CSV or an XLSX file downloaded from the site, or a
        DataFrame read otherwise. In a JSON response bracketed keys are dimensions and
        plain keys measures; in a download a header is a measure when it is a known
        measure or when every cell is a number or a missing marker.
    cube
        The cube, e.g. ``"TRIV/TRIVIND"``; inferred from the measures when omitted, or,
        when the measures fit several cubes, from a file name that contains exactly one
        underemne (``"SOCREF3ÅR_2024.json"``). The socio-economic reference needs one of
        the two: its 1- and 3-year cubes share their measure names.

    Returns
    -------
    DataFrame
        One row per record and measure: ``cube``, ``record`` (the record's position),
        the dimension columns, ``measure`` (as published), ``value`` (Float64, a
        percentage as a fraction), ``text`` (the cell as published), ``written_as``
        (``"percent"``, ``"number"`` for text without ``%``, ``"numeric"`` for a number
        cell) and ``missing`` (why the cell has no value; null when it has one).

    Raises
    ------
    DataError
        Listing every cell it cannot read: school years, municipality names, grade levels
        and measure cells that are neither a Danish number nor a missing marker.

    Examples
    --------
    >>> from folkeskolekvalitet.io import read_uddannelsesstatistik
    >>> records = [
    ...     {
    ...         "[Tid].[Skoleår]": "2024/2025",
    ...         "[Institution].[Beliggenhedskommune].[Beliggenhedskommune]": "Randers",
    ...         "Gennemsnitligt fravær per skoleår": "6,4 %",
    ...         "Antal elever": "8.412",
    ...     },
    ...     {
    ...         "[Tid].[Skoleår]": "2023/2024",
    ...         "[Institution].[Beliggenhedskommune].[Beliggenhedskommune]": "Randers",
    ...         "Gennemsnitligt fravær per skoleår": "<fejl>",
    ...         "Antal elever": "8.390",
    ...     },
    ... ]
    >>> frame = read_uddannelsesstatistik(records)
    >>> frame["cube"][0], frame["municipality_code"][0]
    ('ELEVFRAV/FRAVAAR', '730')
    >>> for row in frame.select("school_year", "measure", "value", "missing").rows():
    ...     print(row)
    ('2024/25', 'Gennemsnitligt fravær per skoleår', 0.064, None)
    ('2023/24', 'Gennemsnitligt fravær per skoleår', None, "error member '<fejl>' in the warehouse")
    ('2024/25', 'Antal elever', 8412.0, None)
    ('2023/24', 'Antal elever', 8390.0, None)
    """
    raw = _load(source)
    if cube is not None and not re.fullmatch(r"[^/\s]+/[^/\s]+", cube):
        msg = f"cube must be '<emne>/<underemne>', e.g. 'TRIV/TRIVIND', not {cube!r}"
        raise ValueError(msg)
    dims: dict[str, str] = {}
    measures: list[str] = []
    problems: list[Problem] = []
    for name in raw.columns:
        if _level(name) is not None or not _is_measure(name, raw[name]):
            canonical = dimension_name(name)
            if canonical in dims.values():
                other = next(k for k, v in dims.items() if v == canonical)
                problems.append(
                    Problem(name, f"names the same dimension as {other!r} ({canonical})")
                )
            dims[name] = canonical
        else:
            measures.append(name)
    if problems:
        raise DataError(_WHAT, problems)
    if cube is None:
        cube = _infer_cube(measures, list(dims.values())) or _cube_from_name(source)
    base = raw.with_row_index("record").select(
        pl.lit(cube, pl.String).alias("cube"),
        "record",
        *[pl.col(k).cast(pl.String).str.strip_chars().alias(v) for k, v in dims.items()],
        *[pl.col(m).alias(f"__m{i}") for i, m in enumerate(measures)],
    )
    base, dim_problems = _normalise_dimensions(base)
    problems += dim_problems
    parts = []
    for i, name in enumerate(measures):
        col = pl.col(f"__m{i}")
        value, text, written = _measure_columns(col, base.schema[f"__m{i}"])
        parts.append(
            base.select(
                "cube",
                "record",
                *dims.values(),
                *[
                    c
                    for c in ("municipality_code", "institution_id")
                    if c in base.columns and c not in dims.values()
                ],
                pl.lit(name).alias("measure"),
                value.alias("value"),
                text.alias("text"),
                written.alias("written_as"),
                missing_reason(col).alias("missing"),
            )
        )
    if not parts:
        raise DataError.single(_WHAT, "<frame>", "no measure columns found")
    long = pl.concat(parts, how="vertical_relaxed")
    bad = long.filter(
        pl.col("value").is_null()
        & pl.col("missing").is_null()
        & ~pl.col("measure").is_in(list(_TEXT_MEASURES))
    )
    if bad.height:
        for key, group in bad.group_by("measure", maintain_order=True):
            problems.append(
                Problem(
                    str(key[0]),
                    "not a Danish number ('7,3', '2.351', '14,4 %') nor a missing marker"
                    " ('<fejl>', '', '-', '..', '*', 'x')",
                    group.height,
                    examples(group["text"].unique(maintain_order=True)),
                )
            )
    if problems:
        raise DataError(_WHAT, problems)
    return long.with_columns(pl.col("record").cast(pl.UInt32))


def _measure_columns(col: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Value, text and how the cell was written, for one measure column."""
    if dtype.is_numeric():
        return col.cast(pl.Float64), col.cast(pl.String), pl.lit("numeric")
    value = parse_danish_number(col)
    text = col.cast(pl.String)
    written = (
        pl.when(value.is_null())
        .then(None)
        .when(text.str.strip_chars().str.ends_with("%"))
        .then(pl.lit("percent"))
        .otherwise(pl.lit("number"))
    )
    return value, text, written


def _normalise_dimensions(base: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    columns = base.columns
    if "school_year" in columns:
        year = school_year_expr("school_year")
        bad = base.filter(year.is_null() & pl.col("school_year").is_not_null())
        if bad.height:
            problems.append(
                Problem(
                    "school_year",
                    "not a school year such as '2024/2025' or '2024/25'",
                    bad.height,
                    examples(bad["school_year"].unique(maintain_order=True)),
                )
            )
        base = base.with_columns(year.alias("school_year"))
    if "municipality" in columns:
        codes, unknown = _municipality_codes(base["municipality"].unique().to_list())
        if unknown:
            problems.append(
                Problem(
                    "municipality",
                    "not one of the 98 municipalities",
                    base.filter(pl.col("municipality").is_in(unknown)).height,
                    examples(sorted(unknown)),
                )
            )
        base = base.with_columns(
            pl.col("municipality")
            .replace_strict(codes, default=None, return_dtype=pl.String)
            .alias("municipality_code")
        )
    if "institution_id" in columns:
        base = base.with_columns(pl.col("institution_id").str.extract(r"(\d{6})", 1))
    elif "institution" in columns:
        found = pl.col("institution").str.extract(r"(?:^|\D)(\d{6})(?:\D|$)", 1)
        base = base.with_columns(found.alias("institution_id"))
    if "grade_level" in columns:
        texts = base["grade_level"].drop_nulls().unique().to_list()
        levels = {t: grade_level_from_text(t) for t in texts}
        level = pl.col("grade_level").replace_strict(levels, default=None, return_dtype=pl.Int8)
        bad = base.filter(level.is_null() & pl.col("grade_level").is_not_null())
        if bad.height:
            problems.append(
                Problem(
                    "grade_level",
                    "not a klassetrin such as '4. klasse' or 'Børnehaveklasse'",
                    bad.height,
                    examples(bad["grade_level"].unique(maintain_order=True)),
                )
            )
        base = base.with_columns(level.alias("grade_level"))
    return base, problems


# ------------------------------------------------------------------ indicator table


def _label_map(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {_norm(label): key for label, key in pairs}


def _wellbeing_labels() -> dict[str, str]:
    pairs = [(i.label, i.key) for i in WELLBEING_INDICATORS] + [
        (i.key, i.key) for i in WELLBEING_INDICATORS
    ]
    pairs.append(("Generel trivsel", "general"))
    return _label_map(pairs)


def _interval_labels() -> dict[str, str]:
    pairs: list[tuple[str, str]] = []
    for iv in SCORE_INTERVALS:
        low, high = iv.label.split("-")
        pairs += [(iv.label, iv.key), (iv.key, iv.key)]
        short = [x.removesuffix(",0") for x in (low, high)]
        pairs += [(f"{short[0]} til {short[1]}", iv.key), (f"{low} til {high}", iv.key)]
        pairs += [(f"{short[0]}-{short[1]}", iv.key), (f"{low} - {high}", iv.key)]
    return _label_map(pairs)


def _subject_labels(kind: BreakdownKind) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(_TOTAL_LABELS)
    if kind == "exam_subject":
        out.update({"dansk": "dansk", "matematik": "matematik"})
        out.update({"engelsk": "engelsk", "naturfag": "naturfag"})
    else:
        for s in COMPETENCE_SUBJECTS:
            out[_norm(s.label)] = s.key
            out[s.key] = s.key
    return out


_WELLBEING_LABELS = _wellbeing_labels()
_INTERVAL_LABELS = _interval_labels()
_SIGNIFICANCE = {_norm(lab): s.code for s in SIGNIFICANCE for lab in (*s.published, s.code)}

#: Dimensions that place a row (unit and year); the others must be breakdowns or fixed.
_PLACING = (
    "school_year",
    "institution",
    "institution_id",
    "municipality",
    "municipality_code",
    "region",
    "department",
    "main_school",
    "country",
)
_BREAKDOWN_DIMS: dict[str, tuple[str, ...]] = {
    "none": (),
    "wellbeing_indicator": ("indicator",),
    "wellbeing_interval": ("indicator", "interval"),
    "exam_subject": ("subject",),
    "subject": ("subject",),
}
_META = ("cube", "record", "measure", "value", "text", "written_as", "missing")


def _mappings() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cube": [m.cube for m in MEASURES],
            "_base": [m.measure for m in MEASURES],
            "_indicator": [m.indicator for m in MEASURES],
            "_count": [m.count for m in MEASURES],
            "_breakdown": [m.breakdown for m in MEASURES],
        },
        schema={
            "cube": pl.String,
            "_base": pl.String,
            "_indicator": pl.String,
            "_count": pl.String,
            "_breakdown": pl.String,
        },
    )


def _examples(values: Sequence[object]) -> tuple[str, ...]:
    return examples(values)


def _check_frame(df: pl.DataFrame) -> list[Problem]:
    missing = [c for c in ("record", "measure", "value", "text", "missing") if c not in df.columns]
    return [
        Problem(c, "missing column; read the data with read_uddannelsesstatistik first")
        for c in missing
    ]


def _resolve_cubes(df: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """Fill the cube of rows without one from their measure; report what stays unknown."""
    problems: list[Problem] = []
    if "cube" not in df.columns:
        df = df.with_columns(pl.lit(None, pl.String).alias("cube"))
    unknown_cube = df.filter(pl.col("cube").is_not_null() & ~pl.col("cube").is_in(list(CUBES)))
    if unknown_cube.height:
        problems.append(
            Problem(
                "cube",
                f"not a cube the library maps (known: {', '.join(CUBES)})",
                unknown_cube.height,
                _examples(unknown_cube["cube"].to_list()),
            )
        )
    if df["cube"].null_count():
        inferred = _infer_cube(df["measure"].unique().to_list(), [])
        if inferred is None:
            problems.append(
                Problem(
                    "cube",
                    "unknown for these measures: pass cube= to read_uddannelsesstatistik"
                    " (e.g. 'SOCR/SOCREFEX' or 'SOCR/SOCREF3ÅR')",
                    df["cube"].null_count(),
                    _examples(df.filter(pl.col("cube").is_null())["measure"].to_list()),
                )
            )
        df = df.with_columns(pl.col("cube").fill_null(pl.lit(inferred, pl.String)))
    return df, problems


def _unit_columns(
    df: pl.DataFrame, institutions: pl.DataFrame | None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Attach unit_level, unit_id and municipality_code to every row."""
    problems: list[Problem] = []
    cols = df.columns
    if "institution_id" not in cols:
        df = df.with_columns(pl.lit(None, pl.String).alias("institution_id"))
    if "municipality_code" not in cols:
        df = df.with_columns(pl.lit(None, pl.String).alias("municipality_code"))
    school_named = [c for c in ("institution", "department") if c in cols]
    if institutions is not None:
        lacking = [
            c for c in ("institution_id", "name", "municipality_code") if c not in institutions
        ]
        if lacking:
            raise DataError(
                "institutions",
                [
                    Problem(c, "missing column; read the register with read_institutions")
                    for c in lacking
                ],
            )
        register = institutions.select(
            pl.col("institution_id").cast(pl.String),
            pl.col("name").cast(pl.String).str.to_lowercase().str.strip_chars().alias("_name"),
            pl.col("municipality_code").cast(pl.String).alias("_reg_municipality"),
        )
        by_id = register.unique("institution_id").select(
            "institution_id", pl.col("_reg_municipality").alias("_id_municipality")
        )
        for column in school_named:
            by_name = register.group_by("_name").agg(
                pl.col("institution_id").first().alias("_reg_id"),
                pl.col("_reg_municipality").first(),
                pl.len().alias("_n_names"),
            )
            df = df.join(
                by_name,
                left_on=pl.col(column).str.to_lowercase().str.strip_chars(),
                right_on="_name",
                how="left",
            )
            ambiguous = df.filter(pl.col("institution_id").is_null() & (pl.col("_n_names") > 1))
            if ambiguous.height:
                problems.append(
                    Problem(
                        column,
                        "names more than one institution of the register; give the number",
                        ambiguous.height,
                        _examples(ambiguous[column].to_list()),
                    )
                )
            df = df.with_columns(
                pl.col("institution_id").fill_null(pl.col("_reg_id")),
                pl.col("municipality_code").fill_null(pl.col("_reg_municipality")),
            ).drop("_reg_id", "_reg_municipality", "_n_names", "_name", strict=False)
        df = (
            df.join(by_id, on="institution_id", how="left")
            .with_columns(pl.col("municipality_code").fill_null(pl.col("_id_municipality")))
            .drop("_id_municipality")
        )
    named = pl.lit(value=False)
    for column in school_named:
        named = named | pl.col(column).is_not_null()
    has_school = pl.col("institution_id").is_not_null() | named
    suffix_level = pl.col("_suffix_level")
    level = (
        pl.when(suffix_level.is_not_null())
        .then(suffix_level)
        .when(has_school)
        .then(pl.lit("school"))
        .when(pl.col("municipality_code").is_not_null())
        .then(pl.lit("municipality"))
        .otherwise(pl.lit("country"))
    )
    df = df.with_columns(level.alias("unit_level"))
    no_id = df.filter((pl.col("unit_level") == "school") & pl.col("institution_id").is_null())
    if no_id.height:
        label: str = school_named[0] if school_named else "institution_id"
        problems.append(
            Problem(
                label,
                "a school without an institution number: pass institutions="
                "read_institutions(...) to look the names up",
                no_id.height,
                _examples(no_id[label].to_list()) if school_named else (),
            )
        )
    no_mun = df.filter((pl.col("unit_level") != "country") & pl.col("municipality_code").is_null())
    if no_mun.height and not no_id.height:
        problems.append(
            Problem(
                "municipality_code",
                "a school or municipality row without a municipality: query the level"
                " [Institution].[Beliggenhedskommune] or pass institutions=",
                no_mun.height,
            )
        )
    unit_id = (
        pl.when(pl.col("unit_level") == "school")
        .then(pl.col("institution_id"))
        .when(pl.col("unit_level") == "municipality")
        .then(pl.col("municipality_code"))
        .otherwise(pl.lit("DK"))
    )
    mun = (
        pl.when(pl.col("unit_level") == "country").then(None).otherwise(pl.col("municipality_code"))
    )
    df = df.with_columns(unit_id.alias("unit_id"), mun.alias("municipality_code"))
    return df, problems


def _breakdowns(df: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """Fill indicator, subject, grade_level and category from the breakdown dimensions."""
    problems: list[Problem] = []
    df = df.with_columns(
        pl.lit(None, pl.String).alias("_subject"),
        pl.lit(None, pl.String).alias("_category"),
        pl.col("_indicator").alias("indicator"),
    )
    if "interval" in df.columns:
        # KVALTRIV publishes "Indikatorsvar" per answer interval too: then it is a share
        per_interval = (pl.col("_breakdown") == "wellbeing_indicator") & pl.col(
            "interval"
        ).is_not_null()
        df = df.with_columns(
            pl.when(per_interval)
            .then(pl.lit("wellbeing_interval"))
            .otherwise(pl.col("_breakdown"))
            .alias("_breakdown"),
            pl.when(per_interval)
            .then(pl.lit("wellbeing.interval_share"))
            .otherwise(pl.col("indicator"))
            .alias("indicator"),
        )
    for kind in ("wellbeing_indicator", "wellbeing_interval"):
        rows = pl.col("_breakdown") == kind
        if not df.select(rows.any()).item():
            continue
        if "indicator_dim" not in df.columns:
            problems.append(
                Problem(
                    "indicator", "missing dimension: query [Trivselsindikator].[Trivselsindikator]"
                )
            )
            continue
        dim = pl.col("indicator_dim")
        key = (
            dim.str.to_lowercase()
            .str.strip_chars()
            .replace_strict(_WELLBEING_LABELS, default=None, return_dtype=pl.String)
        )
        bad = df.filter(rows & key.is_null())
        if bad.height:
            problems.append(
                Problem(
                    "indicator",
                    "not a well-being indicator (Generel trivsel, Social trivsel, Faglig"
                    " trivsel, Støtte og inspiration, Ro og orden)",
                    bad.height,
                    _examples(bad["indicator_dim"].to_list()),
                )
            )
        if kind == "wellbeing_indicator":
            df = df.with_columns(
                pl.when(rows)
                .then(pl.lit("wellbeing.") + key)
                .otherwise(pl.col("indicator"))
                .alias("indicator")
            )
        else:
            interval = (
                pl.col("interval")
                .str.to_lowercase()
                .str.strip_chars()
                .replace_strict(_INTERVAL_LABELS, default=None, return_dtype=pl.String)
            )
            bad = df.filter(rows & interval.is_null())
            if bad.height:
                problems.append(
                    Problem(
                        "interval",
                        "not a well-being score interval ('1 til 2', '2,1 til 3', '3,1 til 4',"
                        " '4,1 til 5')",
                        bad.height,
                        _examples(bad["interval"].to_list()),
                    )
                )
            df = df.with_columns(
                pl.when(rows)
                .then(pl.concat_str([key, pl.lit(":"), interval]))
                .otherwise(pl.col("_category"))
                .alias("_category")
            )
    for kind in ("exam_subject", "subject"):
        rows = pl.col("_breakdown") == kind
        if "subject" not in df.columns or not df.select(rows.any()).item():
            continue
        labels = _subject_labels(kind)  # type: ignore[arg-type]
        text = pl.col("subject").str.to_lowercase().str.strip_chars()
        mapped = text.replace_strict(labels, default="\0", return_dtype=pl.String)
        bad = df.filter(rows & pl.col("subject").is_not_null() & (mapped == "\0"))
        if bad.height:
            problems.append(
                Problem(
                    "subject",
                    "not a subject of this indicator (or 'I alt' for all)",
                    bad.height,
                    _examples(bad["subject"].to_list()),
                )
            )
        df = df.with_columns(
            pl.when(rows & (mapped != "\0"))
            .then(mapped)
            .otherwise(pl.col("_subject"))
            .alias("_subject")
        )
    return df, problems


def _wilson(p: pl.Expr, n: pl.Expr, z: float) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    nf = n.cast(pl.Float64)
    se = (p * (1 - p) / nf).sqrt()
    centre = (p + z**2 / (2 * nf)) / (1 + z**2 / nf)
    half = z / (1 + z**2 / nf) * (p * (1 - p) / nf + z**2 / (4 * nf**2)).sqrt()
    ok = n.is_not_null() & (n > 0) & p.is_not_null()
    return (
        pl.when(ok).then(se),
        # exact at the bounds: the interval of 0 % starts at 0, of 100 % ends at 1
        pl.when(ok).then(pl.min_horizontal(centre - half, p).clip(0.0, 1.0)),
        pl.when(ok).then(pl.max_horizontal(centre + half, p).clip(0.0, 1.0)),
    )


def _z(confidence: float) -> float:
    from statistics import NormalDist  # noqa: PLC0415

    return NormalDist().inv_cdf(0.5 + confidence / 2)


def to_indicator_table(
    frame: FrameT,
    *,
    expected: pl.DataFrame | pl.LazyFrame | None = None,
    institutions: pl.DataFrame | pl.LazyFrame | None = None,
    confidence: float = 0.95,
) -> FrameT:
    """Map a frame read from uddannelsesstatistik.dk onto the indicator table.

    Every measure of :data:`MEASURES` becomes rows of its catalogue indicator, with
    ``source`` ``"uddannelsesstatistik.dk <cube>"``. A row is a school's when it has an
    institution, a municipality's when it has only a municipality, the country's
    otherwise; the ``" - Kommunetal"`` and ``" - Landstal"`` variants of a measure give
    municipality and country rows. ``n`` comes from the cube's count measure on the same
    record (for a distribution over well-being intervals: the sum of the interval counts);
    a share keeps ``numerator`` null unless the cube publishes the count, and gets a
    Wilson standard error and interval when ``n`` is known. Means published without a
    spread have no standard error. A cell the warehouse marked missing gets the status
    ``not_available`` with its reason in ``note``.

    Shares written as text without ``%`` are read as percentages (the warehouse
    publishes shares as percentages); shares in numeric cells (XLSX) as fractions.

    Parameters
    ----------
    frame
        The output of :func:`read_uddannelsesstatistik` (several reads may be
        concatenated). Dimensions that are neither unit, year nor the indicator's
        breakdown must hold one value (filter the frame first); it is kept in ``note``.
    expected
        Rows that should exist, e.g. the municipality's schools × school years: columns
        ``school_year`` and ``unit_id`` (or ``institution_id``), optionally ``unit_level``
        (by default ``"country"`` for ``"DK"``, ``"municipality"`` for three digits,
        ``"school"`` otherwise), ``municipality_code`` and any of ``indicator``,
        ``subject``, ``grade_level``, ``category``; missing key columns are crossed with
        the indicators and breakdowns the data has at that unit level. The rows the
        warehouse left out are added with status ``not_available``.
    institutions
        The institution register (:func:`~folkeskolekvalitet.io.read_institutions`), to
        find numbers and municipalities of schools given by name (the transition cube).
    confidence
        Confidence level of the intervals.

    Returns
    -------
    DataFrame or LazyFrame
        An indicator table (:data:`~folkeskolekvalitet.indicators.INDICATOR_SCHEMA`),
        checked by :func:`~folkeskolekvalitet.indicators.validate_table`. A LazyFrame in
        gives a LazyFrame out (the aggregates are small: they are read at the call).

    Raises
    ------
    DataError
        Listing every problem: unknown cubes or measures, labels it cannot map, schools
        without a number or municipality, dimensions with several values.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.io import read_uddannelsesstatistik, to_indicator_table
    >>> records = [
    ...     {
    ...         "[Skoleår].[Skoleår].[Skoleår]": year,
    ...         "[Institution].[Institution].[Institution]": "Bakkeskolen (730001)",
    ...         "[Institution].[Beliggenhedskommune].[Beliggenhedskommune]": "Randers",
    ...         "Gennemsnitligt fravær per skoleår": rate,
    ...         "Over 10 procent": share,
    ...         "Antal elever": n,
    ...     }
    ...     for year, rate, share, n in [("2023/2024", "6,1 %", "22,0 %", "412")]
    ... ]
    >>> expected = pl.DataFrame({"school_year": ["2023/24", "2024/25"], "unit_id": "730001"})
    >>> table = to_indicator_table(read_uddannelsesstatistik(records), expected=expected)
    >>> table.select("school_year", "indicator", "value", "n", "se", "status")
    shape: (4, 6)
    ┌─────────────┬────────────────────────┬───────┬──────┬──────────┬───────────────┐
    │ school_year ┆ indicator              ┆ value ┆ n    ┆ se       ┆ status        │
    │ ---         ┆ ---                    ┆ ---   ┆ ---  ┆ ---      ┆ ---           │
    │ str         ┆ str                    ┆ f64   ┆ u32  ┆ f64      ┆ enum          │
    ╞═════════════╪════════════════════════╪═══════╪══════╪══════════╪═══════════════╡
    │ 2023/24     ┆ absence.rate_total     ┆ 0.061 ┆ 412  ┆ null     ┆ ok            │
    │ 2023/24     ┆ absence.share_above_10 ┆ 0.22  ┆ 412  ┆ 0.020408 ┆ ok            │
    │ 2024/25     ┆ absence.rate_total     ┆ null  ┆ null ┆ null     ┆ not_available │
    │ 2024/25     ┆ absence.share_above_10 ┆ null  ┆ null ┆ null     ┆ not_available │
    └─────────────┴────────────────────────┴───────┴──────┴──────────┴───────────────┘
    """
    lazy_in = isinstance(frame, pl.LazyFrame)
    df = as_lazy(frame, "the frame").collect()
    problems = _check_frame(df)
    if problems:
        raise DataError(_WHAT, problems)
    if not 0 < confidence < 1:
        msg = f"confidence must lie strictly between 0 and 1, not {confidence!r}"
        raise ValueError(msg)
    df, problems = _resolve_cubes(df)
    if "indicator" in df.columns:
        df = df.rename({"indicator": "indicator_dim"})
    df, measure_problems = _split_measures(df)
    problems += measure_problems
    if problems:
        raise DataError(_WHAT, problems)

    mapped = df.join(_mappings(), on=["cube", "_base"], how="inner")
    counts = df.select(
        "record",
        pl.col("measure").alias("_count_measure"),
        pl.col("value").alias("_n"),
    )
    count_name = pl.concat_str(
        [pl.col("_count"), pl.col("measure").str.slice(pl.col("_base").str.len_chars())]
    )
    mapped = mapped.with_columns(count_name.alias("_count_measure")).join(
        counts, on=["record", "_count_measure"], how="left"
    )
    mapped, unit_problems = _unit_columns(
        mapped, None if institutions is None else as_lazy(institutions).collect()
    )
    problems += unit_problems
    mapped, breakdown_problems = _breakdowns(mapped)
    problems += breakdown_problems
    if problems:
        raise DataError(_WHAT, problems)
    notes, problems = _fixed_dimensions(df, mapped)
    if problems:
        raise DataError(_WHAT, problems)

    table = _assemble(df, mapped, notes, confidence)
    # kommunetal / landstal repeat on every school row: one row per unit (identical rows only;
    # conflicting ones stay and are reported as duplicated keys)
    table = table.unique(maintain_order=True)
    if "school_year" not in table.columns or table["school_year"].null_count():
        raise DataError.single(
            _WHAT, "school_year", "every row needs a school year: query [Skoleår].[Skoleår]"
        )
    if expected is not None:
        table = _add_expected(table, as_lazy(expected, "expected").collect())
    table = table.select(list(INDICATOR_SCHEMA)).cast(dict(INDICATOR_SCHEMA))  # type: ignore[arg-type]
    table = table.sort(["school_year", "unit_level", "unit_id", "indicator"], maintain_order=True)
    validate_table(table)
    return table.lazy() if lazy_in else table  # type: ignore[return-value]


def _split_measures(df: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """The measure without its Kommunetal/Landstal suffix; measures the library cannot map."""
    problems: list[Problem] = []
    base_level = pl.col("measure")
    for suffix, _ in _SUFFIXES.items():
        base_level = base_level.str.strip_suffix(suffix)
    suffix_level = pl.lit(None, pl.String)
    for suffix, level in _SUFFIXES.items():
        suffix_level = (
            pl.when(pl.col("measure").str.ends_with(suffix))
            .then(pl.lit(level))
            .otherwise(suffix_level)
        )
    df = df.with_columns(base_level.alias("_base"), suffix_level.alias("_suffix_level"))
    aux = [(c, m) for c, ms in _AUXILIARY.items() for m in ms]
    known = {(m.cube, m.measure) for m in MEASURES} | set(aux)
    known_frame = pl.DataFrame(
        {"cube": [k[0] for k in known], "_base": [k[1] for k in known]},
        schema={"cube": pl.String, "_base": pl.String},
    )
    unknown = df.join(known_frame, on=["cube", "_base"], how="anti")
    unknown = unknown.filter(pl.col("cube").is_in(list(CUBES)))
    if unknown.height:
        problems.append(
            Problem(
                "measure",
                "not a measure the library maps onto the indicator table"
                f" (per cube: {', '.join(f'{c.key}: {len(c.measures)}' for c in CUBES.values())};"
                " see folkeskolekvalitet.io.CUBES); drop it from the frame",
                unknown.height,
                _examples(unknown["measure"].to_list()),
            )
        )
    return df, problems


def _fixed_dimensions(
    df: pl.DataFrame, mapped: pl.DataFrame
) -> tuple[list[pl.Expr], list[Problem]]:
    """Notes of the dimensions that neither place nor break down a row (one value each)."""
    # dimensions that neither place a row nor break it down must hold one value
    dims = [
        c
        for c in df.columns
        if c not in (*_META, *_PLACING, "_base", "_suffix_level", "unit_level")
    ]
    notes: list[pl.Expr] = []
    problems: list[Problem] = []
    for dim in dims:
        used_by = [k for k, cols in _BREAKDOWN_DIMS.items() if dim.removesuffix("_dim") in cols]
        rows = ~pl.col("_breakdown").is_in(used_by) if used_by else pl.lit(value=True)
        values = mapped.filter(rows & pl.col(dim).is_not_null())[dim].unique()
        if values.len() > 1:
            problems.append(
                Problem(
                    dim.removesuffix("_dim"),
                    "several values, but the indicator table has no such breakdown for"
                    f" these indicators: filter the frame to one, e.g."
                    f" frame.filter(pl.col({dim.removesuffix('_dim')!r}) == {values[0]!r})",
                    mapped.filter(rows & pl.col(dim).is_not_null()).height,
                    _examples(values.to_list()),
                )
            )
        elif values.len() == 1:
            notes.append(pl.when(rows).then(pl.lit(f"{dim.removesuffix('_dim')}: {values[0]}")))
    return notes, problems


def _assemble(
    df: pl.DataFrame, mapped: pl.DataFrame, notes: list[pl.Expr], confidence: float
) -> pl.DataFrame:
    """The indicator-table columns of the mapped rows."""
    catalogue = pl.DataFrame(
        {
            "indicator": list(CATALOGUE),
            "_unit": [i.unit for i in CATALOGUE.values()],
            "_uncertainty": [i.uncertainty for i in CATALOGUE.values()],
        }
    )
    mapped = mapped.join(catalogue, on="indicator", how="left")
    is_share = pl.col("_unit").is_in(list(_SHARE_UNITS))
    value = (
        pl.when(is_share & (pl.col("written_as") == "number"))
        .then(divided_by("value", 100))
        .otherwise(pl.col("value"))
    )
    mapped = mapped.with_columns(value.alias("value"))
    interval_rows = pl.col("_breakdown") == "wellbeing_interval"
    group = ["school_year", "unit_level", "unit_id", "indicator", "_key"]
    mapped = mapped.with_columns(
        pl.col("_category").str.extract(r"^([^:]*):", 1).alias("_key")
    ).with_columns(
        pl.when(interval_rows)
        .then(
            pl.when(pl.col("_n").count().over(group) == len(SCORE_INTERVALS)).then(
                pl.col("_n").sum().over(group)
            )
        )
        .otherwise(pl.col("_n"))
        .alias("_n_total"),
        pl.when(interval_rows).then(pl.col("_n")).alias("_numerator"),
    )
    z = _z(confidence)
    n = pl.col("_n_total").round(0).cast(pl.UInt32)
    wilson = pl.col("_uncertainty") == "wilson"
    se, lo, hi = _wilson(pl.col("value"), n, z)
    significance = pl.lit(None, pl.String)
    if "Signifikant" in df["measure"].to_list():
        sig = df.filter(pl.col("measure") == "Signifikant").select(
            "record",
            pl.col("text")
            .str.to_lowercase()
            .str.strip_chars()
            .replace_strict(_SIGNIFICANCE, default=None, return_dtype=pl.String)
            .alias("_significance"),
        )
        mapped = mapped.join(sig, on="record", how="left")
        significance = pl.when(
            pl.col("indicator").str.starts_with("exams.reference_difference")
        ).then(pl.lit("significance: ") + pl.col("_significance"))
    status = (
        pl.when(pl.col("value").is_not_null()).then(pl.lit("ok")).otherwise(pl.lit("not_available"))
    )
    note = pl.concat_str(
        [
            pl.when(pl.col("value").is_null()).then(
                pl.lit("uddannelsesstatistik.dk: ") + pl.col("missing")
            ),
            significance,
            *notes,
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return mapped.select(
        pl.col("school_year"),
        pl.col("unit_level").cast(UNIT_LEVEL_ENUM),
        pl.col("unit_id"),
        pl.col("municipality_code"),
        pl.col("indicator"),
        pl.col("_subject").alias("subject"),
        pl.lit(None, pl.Int8).alias("grade_level"),
        pl.col("_category").alias("category"),
        pl.col("value"),
        n.alias("n"),
        pl.col("_numerator").alias("numerator"),
        pl.when(wilson).then(se).alias("se"),
        pl.when(wilson).then(lo).alias("ci_low"),
        pl.when(wilson).then(hi).alias("ci_high"),
        pl.lit(confidence).alias("confidence"),
        status.cast(STATUS_ENUM).alias("status"),
        pl.when(note != "").then(note).alias("note"),
        (pl.lit("uddannelsesstatistik.dk ") + pl.col("cube")).alias("source"),
    ).with_columns(
        pl.when(pl.col("status") == "ok").then(pl.col(c)).alias(c)
        for c in ("n", "se", "ci_low", "ci_high")
    )


def _add_expected(table: pl.DataFrame, expected: pl.DataFrame) -> pl.DataFrame:
    if "unit_id" not in expected.columns and "institution_id" in expected.columns:
        expected = expected.rename({"institution_id": "unit_id"})
    problems = [
        Problem(c, "missing column in expected")
        for c in ("school_year", "unit_id")
        if c not in expected.columns
    ]
    if problems:
        raise DataError("expected rows", problems)
    expected = expected.with_columns(
        school_year_expr("school_year").alias("school_year"),
        pl.col("unit_id").cast(pl.String),
    )
    if "unit_level" not in expected.columns:
        level = (
            pl.when(pl.col("unit_id") == "DK")
            .then(pl.lit("country"))
            .when(pl.col("unit_id").str.len_chars() == 3)
            .then(pl.lit("municipality"))
            .otherwise(pl.lit("school"))
        )
        expected = expected.with_columns(level.alias("unit_level"))
    expected = expected.with_columns(pl.col("unit_level").cast(pl.String).cast(UNIT_LEVEL_ENUM))
    breakdown = ["indicator", "subject", "grade_level", "category"]
    missing = [c for c in breakdown if c not in expected.columns]
    if missing:
        combos = table.select("unit_level", *missing).unique()
        expected = expected.join(combos, on="unit_level", how="inner")
    if "municipality_code" not in expected.columns:
        known = (
            table.filter(pl.col("municipality_code").is_not_null())
            .select("unit_level", "unit_id", "municipality_code")
            .unique(subset=["unit_level", "unit_id"])
        )
        expected = expected.join(known, on=["unit_level", "unit_id"], how="left")
        expected = expected.with_columns(
            pl.when(pl.col("unit_level") == "municipality")
            .then(pl.col("unit_id"))
            .otherwise(pl.col("municipality_code"))
            .alias("municipality_code")
        )
    expected = expected.select(
        pl.col("school_year"),
        pl.col("unit_level"),
        pl.col("unit_id"),
        pl.col("municipality_code").cast(pl.String),
        pl.col("indicator").cast(pl.String),
        pl.col("subject").cast(pl.String),
        pl.col("grade_level").cast(pl.Int8),
        pl.col("category").cast(pl.String),
    )
    absent = expected.join(
        table.select(KEY_COLUMNS), on=list(KEY_COLUMNS), how="anti", nulls_equal=True
    ).unique(maintain_order=True)
    if absent.height == 0:
        return table
    sources = table.select("indicator", "source").unique(subset="indicator")
    absent = absent.join(sources, on="indicator", how="left").with_columns(
        pl.col("source").fill_null(pl.lit("uddannelsesstatistik.dk")),
        pl.lit(None, pl.Float64).alias("value"),
        pl.lit(None, pl.UInt32).alias("n"),
        pl.lit(None, pl.Float64).alias("numerator"),
        pl.lit(None, pl.Float64).alias("se"),
        pl.lit(None, pl.Float64).alias("ci_low"),
        pl.lit(None, pl.Float64).alias("ci_high"),
        pl.lit(table["confidence"][0] if table.height else 0.95).alias("confidence"),
        pl.lit("not_available").cast(STATUS_ENUM).alias("status"),
        pl.lit(_LEFT_OUT).alias("note"),
    )
    return pl.concat([table, absent.select(table.columns)], how="vertical_relaxed")


def to_references(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The socio-economic reference of a SOCR cube as the input of ``compare_to_reference``.

    Parameters
    ----------
    frame
        :func:`read_uddannelsesstatistik` of a ``SOCR/SOCREFEX`` or ``SOCR/SOCREF3ÅR``
        response at school level (an institution number per row).

    Returns
    -------
    DataFrame
        ``school_year``, ``institution_id`` (and ``subject`` when the response has it),
        ``average`` (the published "Karakter"), ``reference`` ("Soc_ref"), ``difference``
        ("Forskel") and ``significance`` (the published label, e.g. "Bedre end forventet"),
        ready for :func:`folkeskolekvalitet.exams.compare_to_reference`.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.exams import compare_to_reference
    >>> from folkeskolekvalitet.io import read_uddannelsesstatistik, to_references
    >>> records = [
    ...     {
    ...         "[Skoleår].[Skoleår].[Skoleår]": "2023/2024",
    ...         "[Institution].[Institution].[Institution]": "Baltorpskolen (151011)",
    ...         "Karakter": "7,0",
    ...         "Soc_ref": "7,4",
    ...         "Forskel": "-0,4",
    ...         "Signifikant": "På Niveau",
    ...     }
    ... ]
    >>> refs = to_references(read_uddannelsesstatistik(records, cube="SOCR/SOCREFEX"))
    >>> averages = pl.DataFrame(
    ...     {"school_year": ["2023/24"], "institution_id": ["151011"], "average": [7.0]}
    ... )
    >>> compare_to_reference(averages, refs.drop("average")).select("reference", "marker")
    shape: (1, 2)
    ┌───────────┬────────┐
    │ reference ┆ marker │
    │ ---       ┆ ---    │
    │ f64       ┆ str    │
    ╞═══════════╪════════╡
    │ 7.4       ┆ -0,4   │
    └───────────┴────────┘
    """
    df = as_lazy(frame, "the frame").collect()
    problems = [
        Problem(c, "missing column; read a SOCR cube at school level")
        for c in ("record", "measure", "value", "text", "school_year", "institution_id")
        if c not in df.columns
    ]
    if problems:
        raise DataError(_WHAT, problems)
    keys = ["school_year", "institution_id", *(["subject"] if "subject" in df.columns else [])]
    names = {"Karakter": "average", "Soc_ref": "reference", "Forskel": "difference"}
    out = df.select("record", *keys).unique("record", maintain_order=True)
    for measure, column in names.items():
        part = df.filter(pl.col("measure") == measure).select(
            "record", pl.col("value").alias(column)
        )
        out = out.join(part, on="record", how="left")
    sig = df.filter(pl.col("measure") == "Signifikant").select(
        "record",
        pl.when(pl.col("missing").is_null()).then(pl.col("text")).alias("significance"),
    )
    out = out.join(sig, on="record", how="left")
    if "significance" not in out.columns:
        out = out.with_columns(pl.lit(None, pl.String).alias("significance"))
    bad = out.filter(pl.col("institution_id").is_null())
    if bad.height:
        raise DataError.single(
            _WHAT, "institution_id", "a reference row without an institution number"
        )
    return out.drop("record").with_columns(
        *(pl.col(c).cast(pl.Float64) for c in names.values() if c in out.columns)
    )
