"""Readers: uddannelsesstatistik.dk, the institution register, Danish files.

Most municipal analysts work from aggregates downloaded from uddannelsesstatistik.dk
(STIL's data warehouse) and from files with Danish headers out of their own school
systems. This package reads both into the library's vocabulary:

- :func:`read_uddannelsesstatistik` and :func:`to_indicator_table`: an API response or a
  download to a tidy frame, and on to the indicator table;
- :class:`UddannelsesstatistikClient`: the warehouse's JSON API (paging, retries, cache);
- :func:`read_institutions`: the institution register;
- :func:`from_danish`: pupil-level files with Danish headers and labels.

The optional dependencies (``httpx`` for the client, ``fastexcel`` for XLSX) come with
``pip install 'folkeskolekvalitet[io]'``.
"""

from folkeskolekvalitet.io.client import (
    ApiError,
    AuthenticationError,
    QueryError,
    UddannelsesstatistikClient,
    UnknownMeasureError,
)
from folkeskolekvalitet.io.danish import LABELS, from_danish
from folkeskolekvalitet.io.institutions import INSTITUTION_HEADERS, read_institutions
from folkeskolekvalitet.io.numbers import MISSING_MARKERS, missing_reason, parse_danish_number
from folkeskolekvalitet.io.uddannelsesstatistik import (
    CUBES,
    DIMENSIONS,
    MEASURES,
    Cube,
    MeasureMap,
    dimension_name,
    read_uddannelsesstatistik,
    to_indicator_table,
    to_references,
)

__all__ = [
    "CUBES",
    "DIMENSIONS",
    "INSTITUTION_HEADERS",
    "LABELS",
    "MEASURES",
    "MISSING_MARKERS",
    "ApiError",
    "AuthenticationError",
    "Cube",
    "MeasureMap",
    "QueryError",
    "UddannelsesstatistikClient",
    "UnknownMeasureError",
    "dimension_name",
    "from_danish",
    "missing_reason",
    "parse_danish_number",
    "read_institutions",
    "read_uddannelsesstatistik",
    "to_indicator_table",
    "to_references",
]
