"""Danish column headers and the canonical English column names they stand for.

Municipal exports and the files of uddannelsesstatistik.dk name their columns in
Danish (``skoleår``, ``institutionsnummer``, ``elev_id``, ``klassetrin``,
``fag``, ``karakter``). The library's rules read canonical English names
(``school_year``, ``institution_id``, ``pupil_id``, ``grade_level``,
``subject``, ``grade``). :data:`DANISH_HEADERS` maps the usual Danish headers,
lower-cased and normalised by :func:`header_key`, to the canonical names;
:func:`canonical_header` looks one header up, and :func:`missing_column_hints`
turns a frame's Danish headers into the hints a "missing column" error gives.
The readers reuse the same map to rename a whole frame.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = ["DANISH_HEADERS", "canonical_header", "header_key", "missing_column_hints"]

_SEPARATORS = re.compile(r"[\s\-./]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def header_key(name: str) -> str:
    """The lookup form of a column header: NFC, lower case, spaces and dashes as ``_``.

    Examples
    --------
    >>> from folkeskolekvalitet._core.danish import header_key
    >>> header_key(" Elev-ID ")
    'elev_id'
    >>> header_key("Skoleår")
    'skoleår'
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", name)).strip().lower()
    return _SEPARATORS.sub("_", text).strip("_")


_HEADERS: dict[str, tuple[str, ...]] = {
    "school_year": (
        "skoleår",
        "skoleaar",
        "skolear",
        "skole_år",
        "skole_aar",
        "år",
        "aar",
        "skoleårstal",
    ),
    "cohort": ("årgang", "aargang", "afgangsår", "afgangsaar", "afgangsårgang", "kohorte"),
    "municipality_code": (
        "kommunekode",
        "kommunenr",
        "kommunenummer",
        "kommune_nr",
        "kommune_kode",
        "komkode",
        "kom_kode",
        "kommune",
    ),
    "institution_id": (
        "institutionsnummer",
        "institutionsnr",
        "institution_nr",
        "inst_nr",
        "instnr",
        "institutionsid",
        "institution_id_dk",
        "skolenummer",
        "skolenr",
        "skole_nr",
        "skolekode",
    ),
    "school": ("skole", "skolenavn", "skole_navn", "institution", "institutionsnavn"),
    "department_id": ("afdeling", "afdelingsnummer", "afdelingsnr", "afdeling_nr"),
    "pupil_id": (
        "elev_id",
        "elevid",
        "elevnummer",
        "elevnr",
        "elev_nr",
        "elev",
        "elevpseudonym",
        "pseudonym",
        "løbenummer",
        "loebenummer",
    ),
    "class_id": ("klasse", "klasse_id", "klasseid", "klassebetegnelse", "hold", "hold_id"),
    "grade_level": ("klassetrin", "trin", "klassetrinnet", "klassetrin_nr", "klasse_trin"),
    "teacher_id": ("lærer_id", "laerer_id", "lærerid", "laererid", "lærer", "laerer", "underviser"),
    "subject": ("fag", "fagnavn", "fag_navn", "testfag"),
    "exam": ("prøve", "proeve", "prøvefag", "proevefag", "delprøve", "delproeve", "prøveform"),
    "grade": ("karakter", "prøvekarakter", "proevekarakter", "karakter_7", "afgangskarakter"),
    "exception_code": (
        "undtagelseskode",
        "undtagelse",
        "fritagelseskode",
        "særlig_kode",
        "saerlig_kode",
    ),
    "level": ("niveau", "præstationsniveau", "praestationsniveau", "faglig_niveau", "kategori"),
    "points": ("point", "testpoint", "score_nt", "skalapoint"),
    "percentile": ("percentil", "percentilscore"),
    "good": ("gode", "god", "mindst_gode", "gode_præstationer"),
    "question": ("spørgsmål", "spoergsmaal", "spørgsmålsnummer", "spoergsmaalsnummer", "sp_nr"),
    "answer": ("svar", "svarkategori", "svartekst", "besvarelse"),
    "score": ("svarværdi", "svarvaerdi", "point_trivsel", "værdi", "vaerdi"),
    "quarter": ("kvartal",),
    "school_days": ("skoledage", "skoledøgn", "antal_skoledage"),
    "months_registered": ("måneder", "maaneder", "indskrevne_måneder", "indskrevne_maaneder"),
    "sick_days": ("sygefravær", "sygefravaer", "sygedage", "sygdom"),
    "authorised_days": (
        "lovligt_fravær",
        "lovligt_fravaer",
        "godkendt_fravær",
        "godkendt_fravaer",
        "fravær_med_tilladelse",
    ),
    "unauthorised_days": (
        "ulovligt_fravær",
        "ulovligt_fravaer",
        "ikke_godkendt_fravær",
        "ikke_godkendt_fravaer",
        "fravær",
        "fravaer",
        "fraværsdage",
        "fravaersdage",
    ),
    "class_type": ("klassetype", "klasse_type", "klasseform"),
    "lessons": ("lektioner", "timer", "antal_lektioner", "planlagte_timer", "undervisningstimer"),
    "competence": ("kompetence", "kompetencedækning", "kompetencedaekning", "linjefag"),
    "teacher_competence_count": ("antal_kompetencer", "kompetencer"),
    "lessons_competent": ("timer_med_kompetence", "lektioner_med_kompetence"),
    "lessons_not_competent": ("timer_uden_kompetence", "lektioner_uden_kompetence"),
    "status": ("status", "indsatsstatus"),
    "status_3m": ("status_3_mdr", "status_3mdr", "overgang_3_mdr", "status_efter_3_måneder"),
    "status_15m": ("status_15_mdr", "status_15mdr", "overgang_15_mdr", "status_efter_15_måneder"),
    "application": ("ansøgning", "ansoegning", "førsteprioritet", "foersteprioritet"),
    "school_type": ("skoletype", "skole_type", "skoleform", "tilbud"),
    "special_class": ("specialklasse", "special_klasse"),
    "reference": ("reference", "referenceværdi", "referencevaerdi", "forventet", "socioøkonomisk"),
    "n_pupils": ("antal_elever", "elever", "antal"),
}


def _build() -> Mapping[str, str]:
    out: dict[str, str] = {}
    for canonical, headers in _HEADERS.items():
        for header in headers:
            key = header_key(header)
            if key in out and out[key] != canonical:  # pragma: no cover - a typo in the table
                msg = f"Danish header {header!r} maps to both {out[key]!r} and {canonical!r}"
                raise AssertionError(msg)
            out[key] = canonical
    return MappingProxyType(out)


#: Danish column headers (lower case, normalised by :func:`header_key`) -> the
#: canonical English column name the rules read.
DANISH_HEADERS: Mapping[str, str] = _build()


def canonical_header(name: str) -> str | None:
    """The canonical column name a Danish header stands for, or ``None``.

    Examples
    --------
    >>> from folkeskolekvalitet._core.danish import canonical_header
    >>> canonical_header("Skoleår"), canonical_header("ELEV_ID"), canonical_header("x")
    ('school_year', 'pupil_id', None)
    """
    return DANISH_HEADERS.get(header_key(name))


def missing_column_hints(missing: Iterable[str], columns: Iterable[str]) -> dict[str, str]:
    """For each missing canonical column, the frame's Danish header that stands for it.

    Examples
    --------
    >>> from folkeskolekvalitet._core.danish import missing_column_hints
    >>> missing_column_hints(["school_year", "grade"], ["skoleår", "karakter", "elev"])
    {'school_year': 'skoleår', 'grade': 'karakter'}
    """
    wanted = set(missing)
    out: dict[str, str] = {}
    for column in columns:
        canonical = canonical_header(column)
        if canonical in wanted and canonical not in out:
            out[canonical] = column
    return out
