"""The indicator table's schema: fixed names and dtypes, and the check of a whole table.

Everything above the families (goals, disclosure control, the readers, the report)
reads and writes this one long table. :data:`INDICATOR_SCHEMA` fixes its columns;
:func:`validate_table` checks a table a user assembled or a reader produced and raises
one :class:`~folkeskolekvalitet.DataError` listing every problem.
"""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import FrameT, as_lazy
from folkeskolekvalitet._core.privacy import looks_like_cpr
from folkeskolekvalitet.indicators.catalogue import CATALOGUE, LOCAL_PREFIX

__all__ = [
    "INDICATOR_SCHEMA",
    "KEY_COLUMNS",
    "STATUSES",
    "STATUS_ENUM",
    "UNIT_LEVELS",
    "UNIT_LEVEL_ENUM",
    "empty_table",
    "validate_table",
]

#: The levels of a unit, from the smallest.
UNIT_LEVELS: tuple[str, ...] = ("school", "municipality", "country")
#: The unit levels as a Polars Enum.
UNIT_LEVEL_ENUM = pl.Enum(UNIT_LEVELS)

#: Why a value is (or is not) there.
STATUSES: tuple[str, ...] = (
    "ok",
    "suppressed",
    "suppressed_complementary",
    "not_available",
    "not_applicable",
)
#: The statuses as a Polars Enum.
STATUS_ENUM = pl.Enum(STATUSES)

#: The columns of the indicator table and their dtypes, in order.
INDICATOR_SCHEMA = pl.Schema(
    {  # type: ignore[arg-type]
        "school_year": pl.String,
        "unit_level": UNIT_LEVEL_ENUM,
        "unit_id": pl.String,
        "municipality_code": pl.String,
        "indicator": pl.String,
        "subject": pl.String,
        "grade_level": pl.Int8,
        "category": pl.String,
        "value": pl.Float64,
        "n": pl.UInt32,
        "numerator": pl.Float64,
        "se": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "confidence": pl.Float64,
        "status": STATUS_ENUM,
        "note": pl.String,
        "source": pl.String,
    }
)

#: The columns that identify a row: one value per unit, year, indicator and breakdown.
KEY_COLUMNS: tuple[str, ...] = (
    "school_year",
    "unit_level",
    "unit_id",
    "indicator",
    "subject",
    "grade_level",
    "category",
)

_NOT_NULL = ("school_year", "unit_level", "unit_id", "indicator", "confidence", "status", "source")
_N_EXAMPLES = 3
_WHAT = "indicator table"


def empty_table() -> pl.DataFrame:
    """An indicator table without rows.

    Examples
    --------
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA, empty_table
    >>> empty_table().schema == INDICATOR_SCHEMA
    True
    """
    return pl.DataFrame(schema=INDICATOR_SCHEMA)


def _known_indicator() -> pl.Expr:
    ind = pl.col("indicator")
    return ind.is_in(list(CATALOGUE)) | (
        ind.str.starts_with(LOCAL_PREFIX) & (ind.str.len_chars() > len(LOCAL_PREFIX))
    )


def _breakdown_misuse(column: str) -> pl.Expr:
    """A catalogue indicator with a value in a breakdown column it does not use."""
    unused = [k for k, ind in CATALOGUE.items() if column not in ind.breakdown_columns]
    return pl.col("indicator").is_in(unused) & pl.col(column).is_not_null()


def _value_checks() -> list[tuple[str, str, pl.Expr]]:
    """(column, rule, bad-row expression) of every row check."""
    v, lo, hi, se = pl.col("value"), pl.col("ci_low"), pl.col("ci_high"), pl.col("se")
    level = pl.col("unit_level").cast(pl.String)
    shares = [k for k, ind in CATALOGUE.items() if ind.unit in ("share", "rate")]
    checks: list[tuple[str, str, pl.Expr]] = [
        *(
            (c, "must not be null", pl.col(c).is_null())
            for c in _NOT_NULL
            if c not in ("unit_level", "status")
        ),
        ("unit_level", "must not be null", pl.col("unit_level").is_null()),
        ("status", "must not be null", pl.col("status").is_null()),
        (
            "school_year",
            "must be a school year 'YYYY/YY'",
            ~pl.col("school_year").str.contains(r"^\d{4}/\d{2}$")
            | (
                (pl.col("school_year").str.slice(0, 4).cast(pl.Int32, strict=False) + 1) % 100
                != pl.col("school_year").str.slice(5, 2).cast(pl.Int32, strict=False)
            ),
        ),
        (
            "indicator",
            f"must be a catalogue key or start with {LOCAL_PREFIX!r}",
            ~_known_indicator(),
        ),
        (
            "unit_id",
            "must be 'DK' at country level",
            (level == "country") & (pl.col("unit_id") != "DK"),
        ),
        (
            "unit_id",
            "looks like a CPR number; a unit is a school, a municipality or the country",
            looks_like_cpr(pl.col("unit_id")),
        ),
        (
            "municipality_code",
            "must be null at country level",
            (level == "country") & pl.col("municipality_code").is_not_null(),
        ),
        (
            "municipality_code",
            "must be given for a school or a municipality",
            (level != "country") & pl.col("municipality_code").is_null(),
        ),
        (
            "municipality_code",
            "must equal unit_id at municipality level",
            (level == "municipality") & (pl.col("municipality_code") != pl.col("unit_id")),
        ),
        (
            "value",
            "must be given when status is 'ok'",
            (pl.col("status") == "ok") & v.is_null(),
        ),
        (
            "value",
            "must be null when status is not 'ok' (a missing value is never a number)",
            (pl.col("status") != "ok") & v.is_not_null(),
        ),
        ("value", "must be finite", v.is_not_null() & ~v.is_finite()),
        (
            "value",
            "a share or rate must lie in [0, 1]",
            pl.col("indicator").is_in(shares) & ((v < 0) | (v > 1)),
        ),
        ("se", "must be >= 0", se < 0),
        ("ci_low", "must be <= value", lo > v),
        ("ci_high", "must be >= value", hi < v),
        ("ci_low", "must be <= ci_high", lo > hi),
        (
            "confidence",
            "must lie strictly between 0 and 1",
            (pl.col("confidence") <= 0) | (pl.col("confidence") >= 1),
        ),
        ("numerator", "must be >= 0", pl.col("numerator") < 0),
        *(
            (c, "not a breakdown of this indicator (must be null)", _breakdown_misuse(c))
            for c in ("subject", "grade_level", "category")
        ),
    ]
    return [(c, r, e.fill_null(value=False)) for c, r, e in checks]


def _dtype_problems(schema: pl.Schema) -> list[Problem]:
    problems = []
    for name, dtype in INDICATOR_SCHEMA.items():
        if name not in schema:
            problems.append(Problem(name, "missing column"))
        elif schema[name] != dtype:
            problems.append(Problem(name, f"must have dtype {dtype}, not {schema[name]}"))
    return problems


def validate_table(frame: FrameT) -> FrameT:
    """Check an indicator table and return it unchanged; raise one DataError for every problem.

    Checked: every column of :data:`INDICATOR_SCHEMA` with its dtype (further columns are
    kept and not checked); no nulls where a row needs a value; school years as
    ``"YYYY/YY"``; indicator keys from the catalogue or ``local.…``; the country as ``"DK"``
    without a municipality; a value exactly when ``status`` is ``"ok"``; shares and rates in
    [0, 1]; ``se >= 0`` and ``ci_low <= value <= ci_high``; only the breakdowns the catalogue
    gives the indicator; one row per key (:data:`KEY_COLUMNS`). A lazy table is checked
    with one small aggregate query.

    Parameters
    ----------
    frame
        The table (DataFrame or LazyFrame).

    Returns
    -------
    DataFrame or LazyFrame
        ``frame`` itself.

    Raises
    ------
    DataError
        Listing every problem found.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.indicators import INDICATOR_SCHEMA, STATUS_ENUM, validate_table
    >>> row = {
    ...     "school_year": "2022/23",
    ...     "unit_level": "school",
    ...     "unit_id": "101001",
    ...     "municipality_code": "101",
    ...     "indicator": "exams.grade_average",
    ...     "subject": None,
    ...     "grade_level": None,
    ...     "category": None,
    ...     "value": 7.1,
    ...     "n": 40,
    ...     "numerator": None,
    ...     "se": 0.3,
    ...     "ci_low": 6.5,
    ...     "ci_high": 7.7,
    ...     "confidence": 0.95,
    ...     "status": "ok",
    ...     "note": None,
    ...     "source": "computed",
    ... }
    >>> table = pl.DataFrame([row], schema=INDICATOR_SCHEMA)
    >>> validate_table(table).height
    1
    >>> suppressed = pl.lit("suppressed", STATUS_ENUM)
    >>> bad = table.with_columns(indicator=pl.lit("exams.average"), status=suppressed)
    >>> validate_table(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.DataError: indicator table: 2 problems
      - column 'indicator': must be a catalogue key or start with 'local.' (1 row); e.g. ...
      - column 'value': must be null when status is not 'ok' (a missing value is never ...
    """
    lf = as_lazy(frame, "the indicator table")
    problems = _dtype_problems(lf.collect_schema())
    if problems:
        raise DataError(_WHAT, problems)
    checks = _value_checks()
    counts = lf.select(
        *(e.sum().alias(f"_{i}") for i, (_, _, e) in enumerate(checks)),
        (pl.len() - pl.struct(KEY_COLUMNS).n_unique()).alias("_dup"),
    ).collect()
    bad = [i for i in range(len(checks)) if counts[f"_{i}"].item()]
    for i in bad:
        column, rule, expr = checks[i]
        examples: tuple[str, ...] = ()
        if column in ("school_year", "indicator"):
            values = (
                lf.filter(expr)
                .select(pl.col(column).cast(pl.String))
                .unique(maintain_order=True)
                .head(_N_EXAMPLES)
                .collect()
                .to_series()
                .to_list()
            )
            examples = tuple("null" if x is None else repr(x) for x in values)
        problems.append(Problem(column, rule, int(counts[f"_{i}"].item()), examples))
    n_dup = int(counts["_dup"].item())
    if n_dup:
        problems.append(
            Problem(
                ", ".join(KEY_COLUMNS),
                "duplicated key: one row per unit, year, indicator and breakdown",
                n_dup,
            )
        )
    if problems:
        raise DataError(_WHAT, problems)
    return frame
