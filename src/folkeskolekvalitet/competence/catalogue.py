"""Domain types of kompetencedækning: competence kinds, class types and subjects.

Kompetencedækning (competence coverage) is the share of the **planned** lessons
of normal classes that are taught by a teacher with *undervisningskompetence*
(the subject was the teacher's linjefag in læreruddannelsen) or *kompetencer
svarende hertil* (the school leader's judgement of further education, courses
and the like).

Sources
-------
- Kompetencedækning i folkeskolen, Børne- og Undervisningsministeriet (definition
  and computation): https://www.uvm.dk/statistik/grundskolen/personale-og-skoler/kompetencedaekning-i-folkeskolen
- Kompetencedækningen i folkeskolen er steget (2018; definition, 2017/18 levels):
  https://www.uvm.dk/aktuelt/nyheder/uvm/2018/juni/180611-kompetencedaekning-i-folkeskolen-er-steget
- Folkeskolens fag (obligatory subjects and valgfag):
  https://www.uvm.dk/folkeskolen/fag-timetal-og-overgange/fag-emner-og-tvaergaaende-temaer/folkeskolens-fag
"""

from __future__ import annotations

from typing import Literal

import attrs
import polars as pl

__all__ = [
    "CLASS_TYPES",
    "CLASS_TYPE_ENUM",
    "COMPETENCE_ENUM",
    "COMPETENCE_KINDS",
    "INDSKOLING_GRADE_LEVELS",
    "MAX_COMPETENCES",
    "PUBLISHED_GRADE_LEVELS",
    "SUBJECTS",
    "SUBJECT_ENUM",
    "ClassType",
    "CompetenceKind",
    "Subject",
]

KD_SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/personale-og-skoler/kompetencedaekning-i-folkeskolen"
)
NEWS_2018_SOURCE = (
    "https://www.uvm.dk/aktuelt/nyheder/uvm/2018/juni/"
    "180611-kompetencedaekning-i-folkeskolen-er-steget"
)
SUBJECTS_SOURCE = (
    "https://www.uvm.dk/folkeskolen/fag-timetal-og-overgange/fag-emner-og-tvaergaaende-temaer/"
    "folkeskolens-fag"
)

#: Teachers registered with more than this many undervisningskompetencer or
#: tilsvarende kompetencer are left out of the statistic, with their lessons.
MAX_COMPETENCES = 6

#: The grade levels the published figures cover (1.-10. klasse).
PUBLISHED_GRADE_LEVELS: tuple[int, ...] = tuple(range(1, 11))

#: The grade levels of indskolingen (børnehaveklasse to 3. klasse) as the library
#: reads the 2025/26 exception; the exact grade scope of the exception is
#: **unverified** (the law text was not retrieved), see
#: :data:`~folkeskolekvalitet.competence.COVERAGE_TARGETS`.
INDSKOLING_GRADE_LEVELS: tuple[int, ...] = (0, 1, 2, 3)


@attrs.frozen
class CompetenceKind:
    """A teacher's competence level in the subject taught (kompetenceniveau).

    Attributes
    ----------
    code
        ``"undervisningskompetence"``, ``"tilsvarende"`` or ``"ingen"``.
    label
        The official Danish name.
    covered
        Whether lessons taught with this competence count as covered.
    description
        What the level means, in the ministry's words (paraphrased).
    source
        Where the definition comes from.
    """

    code: str
    label: str
    covered: bool
    description: str
    source: str = KD_SOURCE


#: The three competence levels, best first.
COMPETENCE_KINDS: tuple[CompetenceKind, ...] = (
    CompetenceKind(
        "undervisningskompetence",
        "Undervisningskompetence",
        covered=True,
        description="the subject was the teacher's linjefag in læreruddannelsen",
    ),
    CompetenceKind(
        "tilsvarende",
        "Kompetence svarende til undervisningskompetence",
        covered=True,
        description=(
            "efteruddannelse, videreuddannelse, kompetencegivende uddannelse or a longer"
            " course judged by the school leader to give equivalent competence"
        ),
    ),
    CompetenceKind(
        "ingen",
        "Uden undervisningskompetence",
        covered=False,
        description="neither undervisningskompetence nor equivalent competence in the subject",
    ),
)

#: The competence codes as a Polars Enum, best first.
COMPETENCE_ENUM = pl.Enum([k.code for k in COMPETENCE_KINDS])


@attrs.frozen
class ClassType:
    """A kind of class (klassetype).

    Attributes
    ----------
    code
        ``"normal"`` or ``"special"``.
    label
        The Danish name.
    counted
        Whether the class's lessons enter kompetencedækning (normal classes only).
    source
        Where the rule comes from.
    """

    code: str
    label: str
    counted: bool
    source: str = KD_SOURCE


#: The class types: only normal classes are part of kompetencedækning.
CLASS_TYPES: tuple[ClassType, ...] = (
    ClassType("normal", "Normalklasse", counted=True),
    ClassType("special", "Specialklasse", counted=False),
)

#: The class-type codes as a Polars Enum.
CLASS_TYPE_ENUM = pl.Enum([c.code for c in CLASS_TYPES])

SubjectGroup = Literal["humanistiske", "naturfag", "praktisk_musiske", "valgfag"]


@attrs.frozen
class Subject:
    """A subject (fag) of the folkeskole timetable.

    Attributes
    ----------
    key
        Stable ASCII key, e.g. ``"natur_teknologi"``.
    label
        The official Danish name, e.g. "Natur/teknologi".
    group
        The fagblok: ``"humanistiske"``, ``"naturfag"``, ``"praktisk_musiske"``,
        or ``"valgfag"``.
    named_in_kd_sources
        Whether the ministry's kompetencedækning pages name the subject. The
        full subject list of the official statistic was not retrieved; the other
        subjects are the obligatory subjects of the folkeskole.
    source
        Where the entry comes from.
    """

    key: str
    label: str
    group: SubjectGroup
    named_in_kd_sources: bool
    source: str = SUBJECTS_SOURCE


#: The subjects accepted in input, in the order of the ministry's fagblokke.
SUBJECTS: tuple[Subject, ...] = (
    Subject("dansk", "Dansk", "humanistiske", named_in_kd_sources=True),
    Subject("engelsk", "Engelsk", "humanistiske", named_in_kd_sources=True),
    Subject("tysk", "Tysk", "humanistiske", named_in_kd_sources=True),
    Subject("fransk", "Fransk", "humanistiske", named_in_kd_sources=True),
    Subject("kristendomskundskab", "Kristendomskundskab", "humanistiske", named_in_kd_sources=True),
    Subject("historie", "Historie", "humanistiske", named_in_kd_sources=False),
    Subject("samfundsfag", "Samfundsfag", "humanistiske", named_in_kd_sources=False),
    Subject("matematik", "Matematik", "naturfag", named_in_kd_sources=True),
    Subject("natur_teknologi", "Natur/teknologi", "naturfag", named_in_kd_sources=True),
    Subject("geografi", "Geografi", "naturfag", named_in_kd_sources=False),
    Subject("biologi", "Biologi", "naturfag", named_in_kd_sources=False),
    Subject("fysik_kemi", "Fysik/kemi", "naturfag", named_in_kd_sources=True),
    Subject("idraet", "Idræt", "praktisk_musiske", named_in_kd_sources=False),
    Subject("musik", "Musik", "praktisk_musiske", named_in_kd_sources=True),
    Subject("billedkunst", "Billedkunst", "praktisk_musiske", named_in_kd_sources=True),
    Subject(
        "haandvaerk_og_design",
        "Håndværk og design",
        "praktisk_musiske",
        named_in_kd_sources=True,
    ),
    Subject("madkundskab", "Madkundskab", "praktisk_musiske", named_in_kd_sources=False),
    Subject("valgfag", "Valgfag", "valgfag", named_in_kd_sources=True),
)

#: The subject keys as a Polars Enum.
SUBJECT_ENUM = pl.Enum([s.key for s in SUBJECTS])
