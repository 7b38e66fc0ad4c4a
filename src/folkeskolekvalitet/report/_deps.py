"""Lazy imports of the report's optional dependencies, with a clear message when missing."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require"]

_PACKAGES = {
    "altair": "altair",
    "vl_convert": "vl-convert-python",
    "xlsxwriter": "xlsxwriter",
    "fastexcel": "fastexcel",
}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an ImportError that says how to install the report extra.

    Examples
    --------
    >>> from folkeskolekvalitet.report._deps import require
    >>> require("xlsxwriter").__name__
    'xlsxwriter'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:  # pragma: no cover - exercised only without the extra
        package = _PACKAGES.get(module, module)
        msg = (
            f"the report needs the optional package {package!r}: install the report extra"
            ' (in the source tree: `python -m pip install ".[report]"`)'
        )
        raise ImportError(msg) from err
