"""The criterion scale (kriteriebaseret skala) of the adaptive nationale test.

From January 2015 the nationale test in dansk/læsning and matematik reported,
besides the percentile, one of six criterion levels. The cut-points were set by
expert judgement per test and are not public, so the library takes the level as
an **input**; it never derives a level from a percentile.

Sources
-------
- Nationale test, statistics and the criterion scale:
  https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/nationale-test
- National goals (God or better, Fremragende, Mangelfuld or Ikke tilstrækkelig):
  https://www.uvm.dk/folkeskolen/folkeskolens-maal-love-og-regler/nationale-maal/om-nationale-maal
"""

from __future__ import annotations

import re
import unicodedata

import attrs
import polars as pl

__all__ = [
    "CRITERION_FIRST_YEAR",
    "LEVELS",
    "LEVEL_ENUM",
    "Level",
    "level",
    "parse_level",
]

SCALE_SOURCE = "https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/nationale-test"

#: The first school year with criterion levels (reported from January 2015).
CRITERION_FIRST_YEAR = "2014/15"


@attrs.frozen
class Level:
    """A level of the criterion scale.

    Attributes
    ----------
    key
        Stable key: ``"fremragende"``, ``"rigtig_god"``, ``"god"``, ``"jaevn"``,
        ``"mangelfuld"`` or ``"ikke_tilstraekkelig"``.
    label
        The official Danish label, e.g. "Rigtig god præstation".
    rank
        Position on the scale, 1 (Fremragende, best) to 6 (Ikke tilstrækkelig).
    good
        Counts as a *good* result (God or better; resultatmål 1.1).
    best
        Counts among *de allerdygtigste* (Fremragende; resultatmål 1.2).
    poor
        Counts as a *poor* result (Mangelfuld or Ikke tilstrækkelig; resultatmål 2.1).
    source
        Where the definition comes from.
    """

    key: str
    label: str
    rank: int
    good: bool
    best: bool
    poor: bool
    source: str = SCALE_SOURCE

    @property
    def short_label(self) -> str:
        """The label without "præstation", e.g. "Rigtig god"."""
        return self.label.removesuffix(" præstation")

    def __str__(self) -> str:
        return self.key


#: The six criterion levels in scale order, best first (the official order).
LEVELS: tuple[Level, ...] = (
    Level("fremragende", "Fremragende præstation", 1, good=True, best=True, poor=False),
    Level("rigtig_god", "Rigtig god præstation", 2, good=True, best=False, poor=False),
    Level("god", "God præstation", 3, good=True, best=False, poor=False),
    Level("jaevn", "Jævn præstation", 4, good=False, best=False, poor=False),
    Level("mangelfuld", "Mangelfuld præstation", 5, good=False, best=False, poor=True),
    Level(
        "ikke_tilstraekkelig",
        "Ikke tilstrækkelig præstation",
        6,
        good=False,
        best=False,
        poor=True,
    ),
)

#: The criterion levels as a Polars Enum, best first (so sorting sorts best first).
LEVEL_ENUM = pl.Enum([lv.key for lv in LEVELS])

_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _spellings() -> dict[str, str]:
    """Every accepted spelling (normalised) -> key."""
    out: dict[str, str] = {}
    for lv in LEVELS:
        for text in (lv.key, lv.label, lv.short_label):
            norm = _normalise(text)
            out[norm] = lv.key
            out[norm.translate(_ASCII)] = lv.key
    return out


_SPELLINGS = _spellings()


def level(text: str) -> Level:
    """Look up a criterion level by key or official label (case- and space-insensitive).

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import level
    >>> level("rigtig_god").label
    'Rigtig god præstation'
    >>> level("Ikke tilstrækkelig præstation").key
    'ikke_tilstraekkelig'
    >>> level(" jævn ") == level("Jaevn") == level("jaevn")
    True
    >>> level("godt")
    Traceback (most recent call last):
    ...
    ValueError: 'godt' is not a criterion level (fremragende, rigtig_god, god, ...
    """
    key = _SPELLINGS.get(_normalise(str(text)))
    if key is None:
        raise ValueError(_unknown_message(text))
    return next(lv for lv in LEVELS if lv.key == key)


def _unknown_message(value: object) -> str:
    keys = ", ".join(lv.key for lv in LEVELS)
    return f"{value!r} is not a criterion level ({keys}, or their official labels)"


def _text(column: str | pl.Expr) -> pl.Expr:
    expr = pl.col(column) if isinstance(column, str) else column
    return (
        expr.cast(pl.String)
        .str.normalize("NFC")
        .str.to_lowercase()
        .str.replace_all("_", " ", literal=True)
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def parse_level(column: str | pl.Expr) -> pl.Expr:
    """Parse criterion levels given as keys or official labels into :data:`LEVEL_ENUM`.

    Accepts the keys (``"rigtig_god"``), the official labels ("Rigtig god
    præstation"), the labels without "præstation" ("Rigtig god") and ASCII
    spellings ("jaevn"), in any case and spacing; nulls stay null. An unknown
    value raises when the expression runs; frame functions validate first and
    report it as a :class:`~folkeskolekvalitet.DataError`.

    Examples
    --------
    >>> from folkeskolekvalitet.national_tests import parse_level
    >>> import polars as pl
    >>> df = pl.DataFrame({"lv": ["Rigtig god præstation", "JÆVN", "ikke_tilstraekkelig", None]})
    >>> df.select(parse_level("lv")).to_series().to_list()
    ['rigtig_god', 'jaevn', 'ikke_tilstraekkelig', None]
    """
    return _text(column).replace_strict(_SPELLINGS, return_dtype=LEVEL_ENUM)


def is_level_text(column: str | pl.Expr) -> pl.Expr:
    """Return whether each (non-null) value is an accepted spelling of a level."""
    return _text(column).is_in(list(_SPELLINGS))
