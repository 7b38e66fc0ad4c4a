"""The 98 Danish municipalities (kommuner): codes, official names, regions.

Municipality codes are the three-digit codes of the Danish municipal reform of
2007 (Danmarks Statistik, "Kommunekoder"; DAGI, Styrelsen for Dataforsyning og
Infrastruktur). Christiansø (411) is not a municipality and is not listed.

The names are the short official names ("København", "Lyngby-Taarbæk",
"Bornholm"); :func:`municipality_code` also accepts the forms that occur in data
files and reports: the genitive ("Københavns"), the full name ("Københavns
Kommune", "Bornholms Regionskommune"), the old spellings ("Århus", "Ålborg"),
transliterations ("Koebenhavn", "Taarnby"), hyphen or space, any case.

``schools`` is an *approximate* number of folkeskoler (institutions with their
own institution number, afdelinger not counted) in each municipality, rounded,
compiled from the municipalities' school lists and the size of their population
around 2023; the 98 add up to about 1,050, the order of magnitude of the
Børne- og Undervisningsministeriet's count of folkeskoler. The counts serve only
to give the synthetic country schools roughly in proportion to the real ones;
they are not official statistics and must not be reported as such.
"""

from __future__ import annotations

import re

import attrs

__all__ = [
    "MUNICIPALITIES",
    "REGIONS",
    "Municipality",
    "municipality",
    "municipality_code",
    "municipality_name",
]

#: The five regions, in their official order.
REGIONS = (
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
)


@attrs.frozen
class Municipality:
    """One of the 98 Danish municipalities.

    Attributes
    ----------
    code
        The three-digit municipality code, e.g. ``"101"``.
    name
        The short official name, e.g. ``"København"``.
    region
        The name of the region the municipality belongs to.
    schools
        Approximate number of folkeskoler (see the module docstring: an
        approximation for synthetic data, not an official statistic).
    """

    code: str
    name: str
    region: str | None = None
    schools: int = 0

    @property
    def label(self) -> str:
        """The full Danish name: ``"Københavns Kommune"``, ``"Bornholms Regionskommune"``."""
        if self.code == "400":
            return "Bornholms Regionskommune"
        if self.code == "101":
            return "Københavns Kommune"
        return f"{self.name} Kommune"


_H, _S, _D, _M, _N = REGIONS
_DATA: tuple[tuple[str, str, str, int], ...] = (
    ("101", "København", _H, 59),
    ("147", "Frederiksberg", _H, 8),
    ("151", "Ballerup", _H, 7),
    ("153", "Brøndby", _H, 6),
    ("155", "Dragør", _H, 3),
    ("157", "Gentofte", _H, 10),
    ("159", "Gladsaxe", _H, 9),
    ("161", "Glostrup", _H, 3),
    ("163", "Herlev", _H, 4),
    ("165", "Albertslund", _H, 5),
    ("167", "Hvidovre", _H, 8),
    ("169", "Høje-Taastrup", _H, 8),
    ("173", "Lyngby-Taarbæk", _H, 8),
    ("175", "Rødovre", _H, 5),
    ("183", "Ishøj", _H, 3),
    ("185", "Tårnby", _H, 6),
    ("187", "Vallensbæk", _H, 2),
    ("190", "Furesø", _H, 7),
    ("201", "Allerød", _H, 5),
    ("210", "Fredensborg", _H, 7),
    ("217", "Helsingør", _H, 8),
    ("219", "Hillerød", _H, 8),
    ("223", "Hørsholm", _H, 4),
    ("230", "Rudersdal", _H, 8),
    ("240", "Egedal", _H, 8),
    ("250", "Frederikssund", _H, 10),
    ("253", "Greve", _S, 8),
    ("259", "Køge", _S, 11),
    ("260", "Halsnæs", _H, 5),
    ("265", "Roskilde", _S, 14),
    ("269", "Solrød", _S, 4),
    ("270", "Gribskov", _H, 8),
    ("306", "Odsherred", _S, 7),
    ("316", "Holbæk", _S, 14),
    ("320", "Faxe", _S, 8),
    ("326", "Kalundborg", _S, 8),
    ("329", "Ringsted", _S, 7),
    ("330", "Slagelse", _S, 13),
    ("336", "Stevns", _S, 4),
    ("340", "Sorø", _S, 6),
    ("350", "Lejre", _S, 6),
    ("360", "Lolland", _S, 8),
    ("370", "Næstved", _S, 14),
    ("376", "Guldborgsund", _S, 12),
    ("390", "Vordingborg", _S, 9),
    ("400", "Bornholm", _H, 8),
    ("410", "Middelfart", _D, 8),
    ("420", "Assens", _D, 9),
    ("430", "Faaborg-Midtfyn", _D, 11),
    ("440", "Kerteminde", _D, 5),
    ("450", "Nyborg", _D, 6),
    ("461", "Odense", _D, 30),
    ("479", "Svendborg", _D, 10),
    ("480", "Nordfyns", _D, 8),
    ("482", "Langeland", _D, 3),
    ("492", "Ærø", _D, 2),
    ("510", "Haderslev", _D, 13),
    ("530", "Billund", _D, 7),
    ("540", "Sønderborg", _D, 12),
    ("550", "Tønder", _D, 9),
    ("561", "Esbjerg", _D, 22),
    ("563", "Fanø", _D, 1),
    ("573", "Varde", _D, 14),
    ("575", "Vejen", _D, 10),
    ("580", "Aabenraa", _D, 13),
    ("607", "Fredericia", _D, 8),
    ("615", "Horsens", _M, 19),
    ("621", "Kolding", _D, 19),
    ("630", "Vejle", _D, 24),
    ("657", "Herning", _M, 23),
    ("661", "Holstebro", _M, 15),
    ("665", "Lemvig", _M, 5),
    ("671", "Struer", _M, 4),
    ("706", "Syddjurs", _M, 11),
    ("707", "Norddjurs", _M, 10),
    ("710", "Favrskov", _M, 13),
    ("727", "Odder", _M, 5),
    ("730", "Randers", _M, 19),
    ("740", "Silkeborg", _M, 25),
    ("741", "Samsø", _M, 1),
    ("746", "Skanderborg", _M, 15),
    ("751", "Aarhus", _M, 40),
    ("756", "Ikast-Brande", _M, 12),
    ("760", "Ringkøbing-Skjern", _M, 17),
    ("766", "Hedensted", _M, 13),
    ("773", "Morsø", _N, 5),
    ("779", "Skive", _M, 11),
    ("787", "Thisted", _N, 11),
    ("791", "Viborg", _M, 19),
    ("810", "Brønderslev", _N, 8),
    ("813", "Frederikshavn", _N, 11),
    ("820", "Vesthimmerlands", _N, 11),
    ("825", "Læsø", _N, 1),
    ("840", "Rebild", _N, 10),
    ("846", "Mariagerfjord", _N, 12),
    ("849", "Jammerbugt", _N, 9),
    ("851", "Aalborg", _N, 40),
    ("860", "Hjørring", _N, 16),
)

#: The 98 municipalities, ordered by code.
MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    Municipality(code=code, name=name, region=region, schools=schools)
    for code, name, region, schools in _DATA
)

_BY_CODE = {m.code: m for m in MUNICIPALITIES}

# Former names and other spellings that are not derived mechanically.
_ALIASES = {
    "Arhus": "751",
    "Copenhagen": "101",
    "Kobenhavn": "101",
    "Brønderslev-Dronninglund": "810",
    "bornholms regionskommune": "400",
    "regionskommune bornholm": "400",
}

_SUFFIXES = (" regionskommune", " kommune", " kommunes", " municipality")
_PREFIXES = ("kommune ", "kommunen ")


def _key(text: str) -> str:
    """Normalise a municipality name for lookup: case, spacing, Danish letters, suffix."""
    key = " ".join(text.casefold().replace("\u00a0", " ").split())
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    key = re.sub(r"\s*-\s*|\s+", "-", key.strip())
    return key.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("ö", "oe")


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for m in MUNICIPALITIES:
        key = _key(m.name)
        lookup[key] = m.code
        # The genitive ("Københavns", "Bornholms") and, for the names that are
        # genitives ("Nordfyns"), the bare stem.
        if key.endswith("s"):
            lookup.setdefault(key[:-1], m.code)
        else:
            lookup.setdefault(key + "s", m.code)
        lookup.setdefault(_key(m.label), m.code)
    for alias, code in _ALIASES.items():
        lookup.setdefault(_key(alias), code)
    return lookup


_LOOKUP = _build_lookup()


def municipality(code: str) -> Municipality:
    """Return the municipality with the three-digit ``code``.

    Raises
    ------
    ValueError
        If ``code`` is not one of the 98 municipality codes.

    Examples
    --------
    >>> from folkeskolekvalitet._core.municipalities import municipality
    >>> municipality("173").name
    'Lyngby-Taarbæk'
    """
    found = _BY_CODE.get(str(code).strip().zfill(3)) if str(code).strip().isdigit() else None
    if found is None:
        msg = (
            f"{code!r} is not a Danish municipality code: expected one of the 98 three-digit"
            " codes, e.g. '101' (København) or '751' (Aarhus)"
        )
        raise ValueError(msg)
    return found


def municipality_name(code: str) -> str:
    """Return the short official name of the municipality with ``code``.

    Examples
    --------
    >>> from folkeskolekvalitet._core.municipalities import municipality_name
    >>> municipality_name("101")
    'København'
    >>> municipality_name("400")
    'Bornholm'
    """
    return municipality(code).name


def municipality_code(name: str) -> str:
    """Return the three-digit code of a municipality given by name.

    Accepts the short name ("København"), the genitive ("Københavns"), the
    full name ("Københavns Kommune", "Bornholms Regionskommune"), old or
    transliterated spellings ("Århus", "Koebenhavn", "Taarnby"), hyphen or
    space ("Høje Taastrup"), any case, and a three-digit code itself.

    Raises
    ------
    ValueError
        If the name is not one of the 98 municipalities (the message suggests
        the closest names).

    Examples
    --------
    >>> from folkeskolekvalitet._core.municipalities import municipality_code
    >>> municipality_code("Københavns Kommune")
    '101'
    >>> municipality_code("Århus"), municipality_code("aarhus kommune")
    ('751', '751')
    >>> municipality_code("Bornholms Regionskommune")
    '400'
    >>> municipality_code("Lyngby Taarbæk")
    '173'
    >>> municipality_code("Ballerupp")
    Traceback (most recent call last):
    ...
    ValueError: 'Ballerupp' is not a Danish municipality; did you mean 'Ballerup'?
    """
    stripped = name.strip()
    if stripped.isdigit() and len(stripped) == 3 and stripped in _BY_CODE:
        return stripped
    code = _LOOKUP.get(_key(name))
    if code is None:
        msg = f"{name!r} is not a Danish municipality"
        close = _closest(name)
        msg += f"; did you mean {close}?" if close else ": expected a name such as 'København'"
        raise ValueError(msg)
    return code


def _closest(name: str) -> str:
    import difflib  # noqa: PLC0415

    names = [m.name for m in MUNICIPALITIES]
    by_key = {_key(n): n for n in names}
    matches = difflib.get_close_matches(_key(name), list(by_key), n=3, cutoff=0.75)
    return " or ".join(repr(by_key[m]) for m in matches)
