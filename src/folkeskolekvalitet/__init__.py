"""folkeskolekvalitet: quality indicators of the Danish folkeskole, exact and fast.

The indicator families live in subpackages (:mod:`folkeskolekvalitet.exams`,
...); this module holds what they share: the errors, school-year helpers and
the privacy guard.
"""

from importlib.metadata import PackageNotFoundError, version

from folkeskolekvalitet._core.errors import (
    CatalogueError,
    DataError,
    IdsNormalisedWarning,
    Problem,
)
from folkeskolekvalitet._core.format import danish_number, round_half_up
from folkeskolekvalitet._core.ids import normalise_id
from folkeskolekvalitet._core.privacy import looks_like_cpr
from folkeskolekvalitet._core.schoolyear import (
    next_school_year,
    normalise_school_year,
    parse_school_year,
    previous_school_year,
    school_year_expr,
    shift_school_year,
)

try:
    __version__ = version("folkeskolekvalitet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CatalogueError",
    "DataError",
    "IdsNormalisedWarning",
    "Problem",
    "__version__",
    "danish_number",
    "looks_like_cpr",
    "next_school_year",
    "normalise_id",
    "normalise_school_year",
    "parse_school_year",
    "previous_school_year",
    "round_half_up",
    "school_year_expr",
    "shift_school_year",
]
