"""folkeskolekvalitet: quality indicators of the Danish folkeskole, exact and fast."""

from importlib.metadata import PackageNotFoundError, version

from folkeskolekvalitet._core.errors import CatalogueError, DataError

try:
    __version__ = version("folkeskolekvalitet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["CatalogueError", "DataError", "__version__"]
