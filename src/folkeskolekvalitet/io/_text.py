"""Example values for error messages, with anything shaped like a CPR number hidden."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["examples"]

_CPR = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")
_N = 3


def examples(values: Iterable[object]) -> tuple[str, ...]:
    """The first distinct values as ``repr``; a value holding a CPR-like number is hidden.

    Examples
    --------
    >>> from folkeskolekvalitet.io._text import examples
    >>> examples(["7.3", "7.3", "0101901234", None, "x", "y"])
    ("'7.3'", "'<hidden: looks like a CPR number>'", 'None')
    """
    out: list[str] = []
    for value in dict.fromkeys(values):
        out.append(
            repr("<hidden: looks like a CPR number>") if _CPR.search(str(value)) else repr(value)
        )
        if len(out) == _N:
            break
    return tuple(out)
