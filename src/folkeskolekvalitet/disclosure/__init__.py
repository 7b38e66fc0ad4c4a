"""Disclosure control: no published number reveals a small group or a school's test results.

:func:`suppress` withholds what may not be published (national test results below the
country, small groups, 0 % or 100 % of a small group) and then as few further cells as it
takes so that no withheld value can be worked out from the published ones;
:func:`audit` is the attacker's view of a table; :func:`symbols` renders the missing
values for print.
"""

from folkeskolekvalitet.disclosure.control import (
    DANISH_SYMBOLS,
    GSS_SYMBOLS,
    audit,
    suppress,
    symbols,
)

__all__ = ["DANISH_SYMBOLS", "GSS_SYMBOLS", "audit", "suppress", "symbols"]
