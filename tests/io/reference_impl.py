"""Plain-Python reference of the Danish number reader, one cell at a time."""

from __future__ import annotations

import re
from decimal import Decimal

MARKERS = {"", "<fejl>", "-", "..", "*", "x"}
_NUMBER = re.compile(r"([-+]?)(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(\d+))?\s*(%?)")


def parse(text: str | None) -> float | None:
    """The value of a cell written the Danish way; None for markers and non-numbers."""
    if text is None:
        return None
    clean = (
        text.replace("\u00a0", " ")
        .replace("\u202f", " ")
        .replace("\u2009", " ")
        .replace("\u2212", "-")
        .strip()
    )
    if clean.lower() in MARKERS:
        return None
    match = _NUMBER.fullmatch(clean)
    if match is None:
        return None
    sign, whole, frac, percent = match.groups()
    number = Decimal(f"{sign}{whole.replace('.', '').replace(' ', '')}.{frac or '0'}")
    if percent:
        number = number.scaleb(-2)
    return float(number)


def write(number: Decimal, *, thousands: bool, percent: bool) -> str:
    """Write a decimal the Danish way (the value as a percentage when ``percent``)."""
    shown = number.scaleb(2) if percent else number
    sign = "-" if shown < 0 else ""
    whole, _, frac = f"{abs(shown):f}".partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", ".")
    text = sign + whole + ("," + frac if frac else "")
    return text + (" %" if percent else "")


def wilson(p: float, n: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Standard error sqrt(p(1-p)/n) and the Wilson score interval of a share p of n."""
    se = (p * (1 - p) / n) ** 0.5
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return se, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))
