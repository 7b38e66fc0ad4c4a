"""The taxonomy of inclusion interventions: mellemformer A-E, status, tiers, anchoring.

A municipality's survey of what its schools spend the devolved inclusion
money on classifies every intervention (indsats) by *practice* -- the
mellemformer A-E of Aarhus Kommune's analysis, several of which can be ticked
for one intervention --, by *status* (new, increased or adjusted, unchanged,
existing before) and by where it is *anchored* (forankret). Schools also
describe their work in *tiers*: forebyggende, foregribende, indgribende and
akut.

Sources
-------
- Ballerup Kommune, "Undersøgelse af indsatser til at opnå målet med udlægning
  af ressourcer" (2021), using Aarhus Kommune, "Afdækning af skolernes arbejde
  med mellemformer" (efterår 2020); the A-E texts are quoted from the survey
  form. The Aarhus report itself is not public (unverified).
- Aarhus Kommune on mellemformer:
  https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer
- Tiers: Ballerup 2021 (Baltorpskolen's four kinds of tasks), Baltorpskolen's
  kvalitetsrapport 2018 and Rude Skov Skole's skoleudviklingssamtale 2025.
"""

from __future__ import annotations

import re

import attrs
import polars as pl

__all__ = [
    "ANCHORINGS",
    "ANCHORING_ENUM",
    "PRACTICES",
    "PRACTICE_ENUM",
    "STATUSES",
    "STATUS_ENUM",
    "TIERS",
    "TIER_ENUM",
    "Anchoring",
    "InterventionStatus",
    "Practice",
    "Tier",
    "parse_anchoring",
    "parse_status",
    "parse_tiers",
    "practice",
]

SURVEY_SOURCE = (
    "Ballerup Kommune: Undersøgelse af indsatser til at opnå målet med udlægning af ressourcer"
    " (2021), after Aarhus Kommune: Afdækning af skolernes arbejde med mellemformer (2020)"
)
AARHUS_SOURCE = (
    "https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/"
    "bredere-boernefaellesskaber/mellemformer"
)
TIER_SOURCE = (
    "Ballerup Kommune 2021 (Baltorpskolen); Baltorpskolen kvalitetsrapport 2018;"
    " Rude Skov Skole skoleudviklingssamtale 2025"
)


@attrs.frozen
class Practice:
    """A mellemform: one of the practices A-E of the intervention survey.

    Attributes
    ----------
    value
        The letter, ``"A"`` ... ``"E"``.
    label
        The full Danish text of the survey form.
    column
        The boolean column of :func:`~folkeskolekvalitet.interventions.to_frame`
        (``"practice_a"`` ...).
    unverified
        True: the taxonomy is quoted from Ballerup's form; Aarhus Kommune's
        original report was not found in public.
    source
        Where the text comes from; Aarhus Kommune on mellemformer:
        https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import practice
    >>> p = practice("e")
    >>> p.value, p.column
    ('E', 'practice_e')
    >>> p.label[:40]
    'Sparring/vejledning/mesterlære/co-teachi'
    """

    value: str
    label: str
    unverified: bool = True
    source: str = SURVEY_SOURCE

    @property
    def column(self) -> str:
        """The name of the practice's boolean column in the intervention frame."""
        return f"practice_{self.value.lower()}"

    def __str__(self) -> str:
        return self.value


#: The mellemformer A-E, with the survey form's full Danish texts.
PRACTICES: tuple[Practice, ...] = (
    Practice("A", "Miniklasser og elever delvist uden for klassen gennem særlig indsats"),
    Practice(
        "B", "Individualiserede tiltag rettet mod enkeltbørn gennem indsats ved ressourceperson"
    ),
    Practice(
        "C",
        "Tiltag rettet mod alle klassens børn og evt. lærer gennem indsats ved ressourceperson",
    ),
    Practice("D", "Sparring/vejledning af almenlærer/pædagog ift. enkeltbørn"),
    Practice(
        "E",
        "Sparring/vejledning/mesterlære/co-teaching/aktionslæring ift. almen lærer/pædagog"
        " med fokus på hele klassefællesskabet",
    ),
)

#: The practice letters as a Polars Enum, in order A-E.
PRACTICE_ENUM = pl.Enum([p.value for p in PRACTICES])

_PRACTICE_BY_VALUE = {p.value: p for p in PRACTICES}


def practice(letter: str) -> Practice:
    """Return the practice for a letter (``"A"`` ... ``"E"``, any case).

    Raises
    ------
    KeyError
        For any other letter, naming the known ones.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import practice
    >>> practice("B").label
    'Individualiserede tiltag rettet mod enkeltbørn gennem indsats ved ressourceperson'
    >>> practice("F")
    Traceback (most recent call last):
    ...
    KeyError: "unknown practice 'F' (the mellemformer are A, B, C, D, E)"
    """
    key = letter.strip().upper()
    if key not in _PRACTICE_BY_VALUE:
        msg = f"unknown practice {letter!r} (the mellemformer are A, B, C, D, E)"
        raise KeyError(msg)
    return _PRACTICE_BY_VALUE[key]


@attrs.frozen
class InterventionStatus:
    """The status of an intervention relative to the devolved resources.

    Attributes
    ----------
    value
        ``"new"``, ``"increased_or_adjusted"``, ``"unchanged"`` or ``"existing_before"``.
    label
        Danish name.
    pattern
        The regular expression (case-insensitive) that recognises the status in
        the free wording of a survey.
    examples
        Wordings seen in surveys.
    source
        Where the category comes from (Ballerup Kommune's survey, 2021; no
        public URL).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import STATUSES
    >>> [s.value for s in STATUSES]
    ['new', 'increased_or_adjusted', 'unchanged', 'existing_before']
    >>> STATUSES[3].label
    'Indsats der var der i forvejen'
    """

    value: str
    label: str
    pattern: str
    examples: tuple[str, ...] = ()
    source: str = SURVEY_SOURCE

    def __str__(self) -> str:
        return self.value


#: The statuses an intervention can have, in survey order.
STATUSES: tuple[InterventionStatus, ...] = (
    InterventionStatus(
        "new",
        "Ny indsats (som følge af udlægningen af ressourcer)",
        r"\bny\b|\bnye\b",
        ("(ny indsats som følge af udlægningen af ressourcer)", "Ny indsats"),
    ),
    InterventionStatus(
        "increased_or_adjusted",
        "Indsats der er øget eller tilpasset (som følge af udlægningen)",
        r"øget|forøget|tilpasset",
        (
            "(indsats der er øget eller tilpasset som følge af udlægning)",
            "Øget og tilpasset indsats",
            "Øget indsats",
            "Indsats der er øget",
        ),
    ),
    InterventionStatus("unchanged", "Indsatsen er uændret", r"uændret", ("Indsatsen uændret",)),
    InterventionStatus(
        "existing_before",
        "Indsats der var der i forvejen",
        r"i\s+forvejen|eksisterende\s+indsats|opprioriter",
        (
            "Indsats der var der i forvejen",
            "Indsats, der var der i forvejen – opprioriteret i år",
            "Opprioriteret indsats",
        ),
    ),
)

#: The status values as a Polars Enum, in survey order.
STATUS_ENUM = pl.Enum([s.value for s in STATUSES])

_STATUS_RES = [(s, re.compile(s.pattern, re.IGNORECASE)) for s in STATUSES]


def parse_status(text: str) -> tuple[InterventionStatus, ...]:
    """Return the statuses a free wording names (none, one, or -- ambiguous -- several).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_status
    >>> [s.value for s in parse_status("Indsats, der var der i forvejen – opprioriteret i år")]
    ['existing_before']
    >>> [s.value for s in parse_status("(ny indsats som følge af udlægningen af ressourcer)")]
    ['new']
    >>> [s.value for s in parse_status("Opprioriteret indsats")]
    ['existing_before']
    >>> parse_status("Anden ordning")
    ()
    """
    return tuple(s for s, rx in _STATUS_RES if rx.search(text))


@attrs.frozen
class Tier:
    """A tier of intervention (forebyggende, foregribende, indgribende, akut).

    Attributes
    ----------
    value
        The Danish tier word.
    label
        Danish name.
    description
        What the tier covers, in the words of a school (Baltorpskolen, 2021).
    unverified
        True: the triad (and akut) is used in many municipal policies, but no
        national definition was found.
    source
        Where the tier comes from (municipal documents; no national source).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import TIERS
    >>> [t.value for t in TIERS]
    ['forebyggende', 'foregribende', 'indgribende', 'akut']
    """

    value: str
    label: str
    description: str
    unverified: bool = True
    source: str = TIER_SOURCE

    def __str__(self) -> str:
        return self.value


#: The tiers, from the broadest to the most acute.
TIERS: tuple[Tier, ...] = (
    Tier(
        "forebyggende",
        "Forebyggende indsats",
        "aktiviteter der fremmer fag og trivsel generelt",
    ),
    Tier(
        "foregribende",
        "Foregribende indsats",
        "aktiviteter målrettet elever med faglige huller eller mistrivsel med brug for"
        " særlig indsats",
    ),
    Tier(
        "indgribende",
        "Indgribende indsats",
        "aktiviteter der står i stedet for eller som supplement til alm. undervisning",
    ),
    Tier("akut", "Akut hjælp", "opgaver der skal løses øjeblikkeligt"),
)

#: The tier values as a Polars Enum.
TIER_ENUM = pl.Enum([t.value for t in TIERS])

_TIER_RES = [
    (TIERS[0], re.compile(r"\bforebyggende\b", re.IGNORECASE)),
    (TIERS[1], re.compile(r"\bforegribende\b", re.IGNORECASE)),
    (TIERS[2], re.compile(r"\bindgribende\b", re.IGNORECASE)),
    (TIERS[3], re.compile(r"\bakut(?:te)?\b", re.IGNORECASE)),
]


def parse_tiers(text: str) -> frozenset[Tier]:
    """Return the tiers a text names (a mention, not a classification).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_tiers
    >>> sorted(t.value for t in parse_tiers("Altså er det også en forebyggende indsats."))
    ['forebyggende']
    """
    return frozenset(t for t, rx in _TIER_RES if rx.search(text))


@attrs.frozen
class Anchoring:
    """Where an intervention is anchored (forankret): a small vocabulary.

    The survey answers this question in free text; :func:`parse_anchoring`
    maps the text to every entry whose pattern it matches. The text itself is
    always kept.

    Attributes
    ----------
    value
        Stable key, e.g. ``"ressourcecenter"``.
    label
        Danish name.
    pattern
        Regular expression recognising the entry (case-insensitive unless the
        pattern is an abbreviation in capitals).
    source
        Where the vocabulary comes from (the answers of Ballerup Kommune's
        survey, 2021).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import ANCHORINGS
    >>> ANCHORINGS[0].value, ANCHORINGS[0].label
    ('ressourcecenter', 'Ressourcecenter (RC)')
    """

    value: str
    label: str
    pattern: str
    source: str = SURVEY_SOURCE

    def __str__(self) -> str:
        return self.value


#: The anchoring vocabulary.
ANCHORINGS: tuple[Anchoring, ...] = (
    Anchoring("ressourcecenter", "Ressourcecenter (RC)", r"(?i:ressourcecent)|\bRC\b"),
    Anchoring("kompetencecenter", "Kompetencecenter", r"(?i:kompetencecent)"),
    Anchoring("plc", "Pædagogisk læringscenter (PLC)", r"\bPLC\b|(?i:pædagogiske? læringscent)"),
    Anchoring("ledelse", "Ledelse (skoleleder, pædagogiske ledere)", r"(?i:ledelse|\bledere?\b)"),
    Anchoring("klasseteam", "Klasseteam", r"(?i:klasseteam)"),
    Anchoring("aargang", "Årgang (årgangsteam)", r"(?i:årgang)"),
    Anchoring(
        "afdeling",
        "Afdeling (indskoling, mellemtrin, udskoling)",
        r"(?i:afdeling|\bafd\.|indskoling|mellemtrin|udskoling)",
    ),
    Anchoring("ppr", "Pædagogisk psykologisk rådgivning (PPR)", r"\bPPR\b"),
    Anchoring("fritid", "BFO, SFO eller klub", r"\b(?:BFO|SFO)\b|(?i:\bklub)"),
    Anchoring("hele_skolen", "Hele skolen", r"(?i:hele skolen)"),
)

#: The anchoring keys as a Polars Enum.
ANCHORING_ENUM = pl.Enum([a.value for a in ANCHORINGS])

_ANCHORING_RES = [(a, re.compile(a.pattern)) for a in ANCHORINGS]


def parse_anchoring(text: str) -> frozenset[Anchoring]:
    """Map a free anchoring text to the vocabulary (every entry it names).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_anchoring
    >>> text = "Kompetencecenteret (PLC og RC) og de pædagogiske ledere"
    >>> sorted(a.value for a in parse_anchoring(text))
    ['kompetencecenter', 'ledelse', 'plc', 'ressourcecenter']
    >>> parse_anchoring("Indsatsen er nu flyttet ind på skolen")
    frozenset()
    """
    return frozenset(a for a, rx in _ANCHORING_RES if rx.search(text))
