"""Resources written as free Danish text: "Seks årsværk", "ca. 2,5 fuldtidsstillinger".

:func:`parse_resources` finds every amount with a resource unit in a text and
returns it as a :class:`Resource`: the amount as a range (``low`` = ``high``
for an exact amount), the unit, whether the amount is approximate ("ca."), its
scope ("i hver klasse", "i alt") and the original words. It reads number words
(en/et ... tolv, halvanden), digits with a decimal comma, fractions below 1
("3/4"), ranges ("2-3", "tre-fire", "mellem 2 og 3") and bounds ("minimum 4",
"op til 5"). A number without a resource unit ("3 elever", "8 uger", "4.
lektion") is not a resource, and neither is a factor of a multiplication ("3 x
2 timer", "2 lærere á 10 timer": the product is not written): the parser
never guesses.

Source: the resource answers of Ballerup Kommune's 2021 survey of the devolved
inclusion resources (see :mod:`folkeskolekvalitet.interventions.taxonomy`).
"""

from __future__ import annotations

import math
import re
from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet.interventions._text import clean_html, squash
from folkeskolekvalitet.interventions.taxonomy import SURVEY_SOURCE

__all__ = [
    "NUMBER_WORDS",
    "UNITS",
    "UNIT_ENUM",
    "Resource",
    "Unit",
    "parse_resources",
]

#: How a unit converts to full-time equivalents (see :class:`Unit`).
FteRule = Literal["fte", "hours_per_week", "lessons_per_week"]


@attrs.frozen
class Unit:
    """A unit in which schools state resources.

    Attributes
    ----------
    value
        The unit as written in tables (Danish), e.g. ``"timer per uge"``.
    label
        Danish description.
    fte
        How the unit converts to full-time equivalents: ``"fte"`` (one unit is
        one full-time equivalent: årsværk, fuldtidsstilling), ``"hours_per_week"``
        or ``"lessons_per_week"`` (convertible with a factor the user gives), or
        ``None`` (never convertible: forløb, kroner, persons, totals without a
        period).
    source
        Where the unit comes from (the resource answers of Ballerup Kommune's
        survey, 2021).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import UNITS
    >>> [(u.value, u.fte) for u in UNITS[:3]]
    [('årsværk', 'fte'), ('fuldtidsstilling', 'fte'), ('timer per uge', 'hours_per_week')]
    """

    value: str
    label: str
    fte: FteRule | None = None
    source: str = SURVEY_SOURCE

    def __str__(self) -> str:
        return self.value


#: Every unit the parser recognises.
UNITS: tuple[Unit, ...] = (
    Unit("årsværk", "Årsværk (one full-time person for a year)", "fte"),
    Unit("fuldtidsstilling", "Fuldtidsstillinger, fuldtidsansatte", "fte"),
    Unit("timer per uge", "Timer om ugen", "hours_per_week"),
    Unit("lektioner per uge", "Lektioner om ugen", "lessons_per_week"),
    Unit("timer per dag", "Timer om dagen"),
    Unit("lektioner per dag", "Lektioner om dagen"),
    Unit("timer per måned", "Timer om måneden"),
    Unit("lektioner per måned", "Lektioner om måneden"),
    Unit("timer per år", "Timer om året"),
    Unit("lektioner per år", "Lektioner om året"),
    Unit("timer", "Timer (no period stated)"),
    Unit("lektioner", "Lektioner (no period stated)"),
    Unit("forløb", "Forløb"),
    Unit("ansatte", "Ansatte (persons, not full-time equivalents)"),
    Unit("stillinger", "Stillinger (positions; full or part time not stated)"),
    Unit("kroner", "Kroner"),
)

#: The unit values as a Polars Enum.
UNIT_ENUM = pl.Enum([u.value for u in UNITS])

UNIT_BY_VALUE = {u.value: u for u in UNITS}

#: The number words the parser reads, with their values.
NUMBER_WORDS: dict[str, float] = {
    "en": 1,
    "én": 1,
    "et": 1,
    "ét": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "halvanden": 1.5,
    "halvandet": 1.5,
}

_SCOPE_TOTAL = ("i alt", "samlet")


@attrs.frozen
class Resource:
    """An amount of resources found in a text.

    Attributes
    ----------
    low, high
        The amount as a range; equal for an exact amount ("2-3" gives 2 and 3;
        "minimum 4" gives 4 and ``inf``; "op til 5" gives 0 and 5).
    unit
        One of :data:`UNITS` (its ``value``, e.g. ``"årsværk"``).
    approximate
        The amount is approximate ("ca.", "cirka", "omkring").
    scope
        What the amount applies to, as written: ``"i alt"`` for a stated total,
        ``"i hver klasse"``, ``"pr. klasse"`` ... for an amount per unit, or
        ``None``.
    text
        The original words, e.g. ``"Ca. fire årsværk"``.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_resources
    >>> r = parse_resources("Ca. fire årsværk")[0]
    >>> r.low, r.high, r.unit, r.approximate, r.scope, r.text
    (4.0, 4.0, 'årsværk', True, None, 'Ca. fire årsværk')
    """

    low: float
    high: float
    unit: str
    approximate: bool = False
    scope: str | None = None
    text: str = ""

    @property
    def per_unit(self) -> bool:
        """Whether the amount applies to each of several units ("i hver klasse").

        Such an amount is not a total and is never summed with totals.
        """
        return self.scope is not None and self.scope.lower() not in _SCOPE_TOTAL

    @property
    def total(self) -> bool:
        """Whether the text states the amount as a total ("i alt", "samlet")."""
        return self.scope is not None and self.scope.lower() in _SCOPE_TOTAL


_WORD_ALT = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))


#: Before a number: not a letter, digit, decimal mark or fraction bar ("3/4" is not
#: a 4), except the "." of an abbreviated qualifier ("ca.3").
_NUMBER_START = r"(?:(?<![\w,./])|(?<=\bca\.)|(?<=\bmin\.)|(?<=\bmaks\.)|(?<=\bmax\.))"
#: After a number word: a hyphen only in a range of words ("tre-fire"), never in a
#: compound ("to-lærerordning").
_WORD_END = rf"\b(?!-(?!\s*(?:{_WORD_ALT}|\d)\b))"


def _number(name: str) -> str:
    return (
        rf"(?P<{name}>"
        r"(?:en|et)\s+halvt?\b"
        rf"|{_NUMBER_START}\d/\d(?![\w½/]|[.,]\d)"
        rf"|{_NUMBER_START}(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?½?(?![\w½/]|[.,]\d)"
        rf"|{_NUMBER_START}½(?!\w)"
        rf"|\b(?:{_WORD_ALT}){_WORD_END}"
        r")"
    )


_QUALIFIER = (
    r"(?:(?P<total>i\s+alt|samlet)\s+)?"
    r"(?:(?P<qual>ca\.|ca:|ca\b|cirka|omkring|omtrent|minimum|mindst|min\.|mere\s+end|over"
    r"|op\s+til|højst|maks\.|maks\b|maksimalt|max\.?|under|mindre\s+end)\s*)?"
)
_AMOUNT = (
    r"(?:mellem\s+"
    + _number("lo1")
    + r"\s+og\s+"
    + _number("hi1")
    + r"|"
    + _number("lo2")
    + r"(?:\s*[-–—]\s*|\s+til\s+)"
    + _number("hi2")
    + r"|"
    + _number("lo3")
    + r")"
)
#: A stated period after the abbreviation "t" (timer): "10 t/uge", "10 t. ugentligt".
_PERIOD_AHEAD = (
    r"\s*/\s*(?:pr\.?\s*)?(?:ugen?|dagen?|året|år|måneden|måned)\b"
    r"|\s+(?:pr\.?|per|om|i|hver)\s+(?:ugen?|dagen?|året|år|måneden|måned)\b"
    r"|\s+(?:ugentligt?|dagligt?|årligt?|månedligt?)\b"
)
_ADJECTIVE = r"(?:\s+(?P<adj>ugentlige?|daglige?|årlige?|ekstra))?"
_UNIT = (
    r"\s*(?P<unit>"
    r"(?P<aarsvaerk>årsværk)"
    r"|(?P<fuldtid>fuldtids[\w-]*)"
    r"|(?P<timer>[\w-]*timer\b|time\b|t(?:\.|\b)(?=" + _PERIOD_AHEAD + r"))"
    r"|(?P<lektioner>[\w-]*lektion(?:er)?\b)"
    r"|(?P<forloeb>[\w-]*forløb\b)"
    r"|(?P<kroner>(?P<mult>mio\.?|millioner|mia\.?|milliarder|tusinde?)?\s*(?:kr\.|kr\b|kroner\b))"
    r"|(?P<tkr>t\.\s?kr\.?|tkr\.?)"
    r"|(?P<ansatte>ansat(?:te)?\b)"
    r"|(?P<ansatte_noun>[\w-]+\s+ansat(?:te)?\b)"
    r"|(?P<stillinger>(?<!fuldtids)stilling(?:er)?\b)"
    r")"
)
_PERIOD = (
    r"(?P<period>\s*/\s*(?:pr\.?\s*)?(?P<p1>ugen?|dagen?|året|år|måneden|måned)\b"
    r"|\s+(?:pr\.?|per|om|i|hver)\s+(?P<p2>ugen?|dagen?|året|år|måneden|måned)\b"
    r"|\s+(?P<p3>ugentligt?|dagligt?|årligt?|månedligt?)\b)?"
)
_SCOPE = (
    r"(?P<scope_all>[.,]?\s+(?P<scope>(?:i|til|pr\.?|per)\s+(?:hver|hvert|alle)\s+[\w-]+"
    r"|(?:pr\.?|per)\s+(?:klasse|elev|årgang|team|hold|barn|børn|skole|afdeling|lærer)\w*))?"
)
_RESOURCE = re.compile(_QUALIFIER + _AMOUNT + _ADJECTIVE + _UNIT + _PERIOD + _SCOPE, re.IGNORECASE)

_ARTICLES = {"en", "et"}
_NOT_AFTER_ARTICLE = {"forløb", "ansatte", "kroner", "timer", "lektioner", "stillinger"}
#: Right before an amount: a multiplication ("3 x 2 timer", "2*2 lektioner", "2 lærere
#: á 10 timer"). The product is not stated, so the amount is not taken.
_TIMES_BEFORE = re.compile(r"(?:(?<=[\s\d])[xX]|[*×·]|(?<!\w)[áà])\s*$")
_APPROX_BEFORE = re.compile(r"(?<!\w)(?:ca\.|ca:|ca|cirka|omkring|omtrent)\s*$", re.IGNORECASE)
#: Kroner written before the amount: "Kr. 200.000", "DKK 1,5 mio."
_KRONER_FIRST = re.compile(
    r"(?<!\w)(?:kr\.|kr\b|kroner\b|dkk\b)\s*"
    r"(?P<amount>(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?)(?![\w½/]|[.,]\d)"
    r"(?:\s*(?P<mult>mio\.?|millioner|mia\.?|milliarder|tusinde?)(?!\w))?",
    re.IGNORECASE,
)
_APPROX = {"ca.", "ca:", "ca", "cirka", "omkring", "omtrent"}
_AT_LEAST = {"minimum", "mindst", "min.", "mere end", "over"}
_PERIODS = {"uge": "uge", "dag": "dag", "år": "år", "måned": "måned"}
_MULT = {"mio": 1e6, "millioner": 1e6, "mia": 1e9, "milliarder": 1e9, "tusind": 1e3}


def _value(token: str) -> float:
    t = token.lower()
    if re.fullmatch(r"(?:en|et)\s+halvt?", t):
        return 0.5
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    if "/" in t:
        numerator, denominator = (int(x) for x in t.split("/"))
        return numerator / denominator
    half = 0.5 if t.endswith("½") else 0.0
    t = t.removesuffix("½")
    if not t:
        return half
    return float(t.replace(".", "").replace(",", ".")) + half


def _period(word: str | None) -> str | None:
    if word is None:
        return None
    w = word.lower()
    for stem, period in _PERIODS.items():
        if w.startswith(stem):
            return period
    if w.startswith(("ugentlig", "daglig", "årlig", "månedlig")):
        return {"u": "uge", "d": "dag", "å": "år", "m": "måned"}[w[0]]
    return None  # pragma: no cover - the regex only lets the words above through


def _unit(m: re.Match[str]) -> tuple[str, float]:
    """The unit value and the multiplier of the amount."""
    g = m.groupdict()
    if g["aarsvaerk"]:
        return "årsværk", 1.0
    if g["fuldtid"]:
        return "fuldtidsstilling", 1.0
    if g["kroner"] is not None:
        mult = (g["mult"] or "").lower().rstrip(".")
        key = next((k for k in _MULT if mult.startswith(k)), None)
        return "kroner", _MULT[key] if key else 1.0
    if g["tkr"]:
        return "kroner", 1e3
    if g["ansatte"] or g["ansatte_noun"]:
        return "ansatte", 1.0
    if g["stillinger"]:
        return "stillinger", 1.0
    if g["forloeb"]:
        return "forløb", 1.0
    base = "timer" if g["timer"] else "lektioner"
    period = _period(g["p1"] or g["p2"] or g["p3"] or g["adj"])
    return (f"{base} per {period}" if period else base), 1.0


def parse_resources(text: str) -> tuple[Resource, ...]:
    """Find the resources stated in a free Danish text.

    Parameters
    ----------
    text
        Any text; stray HTML is removed first.

    Returns
    -------
    tuple of Resource
        In the order they appear; empty when the text states no amount with a
        resource unit (the parser never guesses a number).

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_resources
    >>> [(r.low, r.high, r.unit) for r in parse_resources("Seks årsværk Kompetenceudvikling")]
    [(6.0, 6.0, 'årsværk')]
    >>> r = parse_resources("2-3 timer/pr uge i hver klasse (i alt 132 timer)")
    >>> [(x.low, x.high, x.unit, x.scope) for x in r]
    [(2.0, 3.0, 'timer per uge', 'i hver klasse'), (132.0, 132.0, 'timer', 'i alt')]
    >>> [(x.low, x.unit, x.approximate) for x in parse_resources("ca. 2,5 fuldtidsstillinger")]
    [(2.5, 'fuldtidsstilling', True)]
    >>> parse_resources("Skærmende undervisning i udvalgte lektioner for 3 elever")
    ()
    """
    plain = squash(clean_html(text))
    found: list[tuple[int, Resource]] = []
    taken: list[tuple[int, int]] = []
    for m in _RESOURCE.finditer(plain):
        taken.append(m.span())
        value, mult = _unit(m)
        g = m.groupdict()
        lo_tok = g["lo1"] or g["lo2"] or g["lo3"]
        if lo_tok.lower() in _ARTICLES and value in _NOT_AFTER_ARTICLE:
            continue  # "et turboforløb", "en time": an article, not an amount
        hi_tok = g["hi1"] or g["hi2"] or lo_tok
        if not (_proper(lo_tok) and _proper(hi_tok)):
            continue  # "5/2 timer", "3/0": not a fraction of a unit; never guess
        if _TIMES_BEFORE.search(plain, 0, m.start()):
            continue  # "3 x 2 timer", "2 lærere á 10 timer": a factor, not the amount
        low, high = _value(lo_tok) * mult, _value(hi_tok) * mult
        qual = (g["qual"] or "").lower()
        qual = " ".join(qual.split())
        if qual in _AT_LEAST:
            high = math.inf
        elif qual and qual not in _APPROX:
            low = 0.0
        if g["total"]:
            scope: str | None = " ".join(g["total"].lower().split())
        elif g["scope"]:
            scope = " ".join(g["scope"].split())
        else:
            scope = None
        words = m.group(0).strip()
        found.append(
            (
                m.start(),
                Resource(
                    low=float(low),
                    high=float(high),
                    unit=value,
                    approximate=qual in _APPROX,
                    scope=scope,
                    text=words,
                ),
            )
        )
    for k in _KRONER_FIRST.finditer(plain):
        if any(start < k.end() and k.start() < end for start, end in taken):
            continue
        if _TIMES_BEFORE.search(plain, 0, k.start()):
            continue
        scale = (k["mult"] or "").lower().rstrip(".")
        key = next((x for x in _MULT if scale.startswith(x)), None)
        amount = _value(k["amount"]) * (_MULT[key] if key else 1.0)
        approx = _APPROX_BEFORE.search(plain, 0, k.start())
        start = k.start() if approx is None else approx.start()
        words = plain[start : k.end()]
        found.append((start, Resource(amount, amount, "kroner", approx is not None, None, words)))
    return tuple(r for _, r in sorted(found, key=lambda x: x[0]))


def _proper(token: str) -> bool:
    """A token that is not a fraction, or a fraction below 1 ("3/4", not "24/7")."""
    if "/" not in token:
        return True
    numerator, denominator = (int(x) for x in token.split("/"))
    return 0 < numerator < denominator
