"""Lazy imports of the optional dependencies of the readers (the ``io`` extra)."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require"]

_WHY = {
    "httpx": "the uddannelsesstatistik.dk client",
    "fastexcel": "reading XLSX files",
}


def require(module: str) -> ModuleType:
    """Import an optional dependency or raise an ImportError that says how to install it.

    Examples
    --------
    >>> from folkeskolekvalitet.io._deps import require
    >>> require("json").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        why = _WHY.get(module, "this reader")
        msg = (
            f"{module} is needed for {why}; install it with"
            f" `pip install 'folkeskolekvalitet[io]'` (or `pip install {module}`)"
        )
        raise ImportError(msg) from exc
