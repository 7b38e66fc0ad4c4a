"""The bound exams (bundne prøver) of 9. klasse, by school year.

Each *graded* bound delprøve carries its own grade; these are the units the
averages are built from. The list changed in 2016/17 (fysik/kemi was replaced by
the fællesprøve in fysik/kemi, biologi og geografi), and a new exam structure
applies from 2025/26 whose full list is not confirmed: the catalogue refuses to
guess it.

Sources
-------
- FLIS key figure "Karaktergennemsnit i bundne prøvefag" (8 bound delprøver,
  dansk orden excluded): http://www.geofyn.dk/flis/?dbschema=flis_dk&noegletalprocnavn=100-0110-800-0-2-0
- Prøvefag i 8., 9. og 10. klasse, Børne- og Undervisningsministeriet:
  https://www.uvm.dk/folkeskolen/folkeskolens-proever/proeveterminer-proevefag-og-planer/proevefag-i-8---9--og-10--klasse
- Fællesprøven, BEK nr. 1824 af 16/12/2015: https://www.retsinformation.dk/eli/lta/2015/1824
- New exam structure from 2025/26 (L 41, 2024/25):
  https://ft.dk/samling/20241/lovforslag/l41/20241_l41_som_fremsat.htm
"""

from __future__ import annotations

from typing import Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.breaks import year_note
from folkeskolekvalitet._core.errors import CatalogueError
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year

__all__ = [
    "BOUND_EXAMS",
    "EXAM_ENUM",
    "FIRST_CONFIRMED_YEAR",
    "LAST_CONFIRMED_YEAR",
    "SUBJECT_ENUM",
    "BoundExam",
    "bound_exams",
    "comparability_note",
]

Subject = Literal["dansk", "matematik", "engelsk", "naturfag"]

FLIS_SOURCE = "http://www.geofyn.dk/flis/?dbschema=flis_dk&noegletalprocnavn=100-0110-800-0-2-0"
UVM_SOURCE = (
    "https://www.uvm.dk/folkeskolen/folkeskolens-proever/proeveterminer-proevefag-og-planer/"
    "proevefag-i-8---9--og-10--klasse"
)
FAELLES_SOURCE = "https://www.retsinformation.dk/eli/lta/2015/1824"

#: First school year of the confirmed catalogue (bound exams obligatory from 2006/07).
FIRST_CONFIRMED_YEAR = "2006/07"
#: Last school year of the confirmed catalogue (a new structure applies from 2025/26).
LAST_CONFIRMED_YEAR = "2024/25"


@attrs.frozen
class BoundExam:
    """A graded bound delprøve of 9. klasse.

    Attributes
    ----------
    key
        Stable key, e.g. ``"dansk_laesning"``.
    label
        Official Danish name, e.g. "Dansk, læsning".
    subject
        ``"dansk"``, ``"matematik"``, ``"engelsk"`` or ``"naturfag"``.
    first_year, last_year
        The school years (inclusive) in which the delprøve is bound.
    flis_code
        The FLIS fagkode where known.
    source
        Where the catalogue entry comes from.
    """

    key: str
    label: str
    subject: Subject
    first_year: str
    last_year: str
    flis_code: str | None = None
    source: str = FLIS_SOURCE

    def is_bound_in(self, school_year: str) -> bool:
        """Whether the delprøve is bound in ``school_year``."""
        start = parse_school_year(school_year)
        return parse_school_year(self.first_year) <= start <= parse_school_year(self.last_year)


#: Every graded bound delprøve of the confirmed period, in report order.
BOUND_EXAMS: tuple[BoundExam, ...] = (
    BoundExam("dansk_laesning", "Dansk, læsning", "dansk", "2006/07", "2024/25", "110"),
    BoundExam("dansk_retskrivning", "Dansk, retskrivning", "dansk", "2006/07", "2024/25", "140"),
    BoundExam(
        "dansk_skriftlig_fremstilling",
        "Dansk, skriftlig fremstilling",
        "dansk",
        "2006/07",
        "2024/25",
        "150",
    ),
    BoundExam("dansk_mundtlig", "Dansk, mundtlig", "dansk", "2006/07", "2024/25", "120"),
    BoundExam(
        "matematik_med_hjaelpemidler",
        "Matematik med hjælpemidler",
        "matematik",
        "2006/07",
        "2024/25",
        "210",
    ),
    BoundExam(
        "matematik_uden_hjaelpemidler",
        "Matematik uden hjælpemidler",
        "matematik",
        "2006/07",
        "2024/25",
        "220",
    ),
    BoundExam("engelsk_mundtlig", "Engelsk, mundtlig", "engelsk", "2006/07", "2024/25", "410"),
    BoundExam(
        "fysik_kemi",
        "Fysik/kemi, praktisk/mundtlig",
        "naturfag",
        "2006/07",
        "2015/16",
        "570",
    ),
    BoundExam(
        "faellesproeve",
        "Fællesprøve i fysik/kemi, biologi og geografi",
        "naturfag",
        "2016/17",
        "2024/25",
        None,
        FAELLES_SOURCE,
    ),
)

#: Exam keys the input may contain: the bound delprøver and ``dansk_orden``
#: (graded in old data, never part of any average; such rows are ignored).
EXAM_KEYS: tuple[str, ...] = (*(e.key for e in BOUND_EXAMS), "dansk_orden")

#: The exam keys as a Polars Enum.
EXAM_ENUM = pl.Enum(list(EXAM_KEYS))

#: The subjects of the bound delprøver as a Polars Enum.
SUBJECT_ENUM = pl.Enum(["dansk", "matematik", "engelsk", "naturfag"])


def bound_exams(school_year: str) -> tuple[BoundExam, ...]:
    """Return the graded bound delprøver of ``school_year``.

    Parameters
    ----------
    school_year
        A school year in any accepted spelling (``"2017/18"``, ``"2017-2018"``).

    Raises
    ------
    CatalogueError
        For school years whose list is not confirmed: before 2006/07 (the
        prøver were voluntary) and from 2025/26 (a new exam structure whose full
        list has not been published in a source the library could verify).

    Examples
    --------
    >>> from folkeskolekvalitet.exams import bound_exams
    >>> [e.key for e in bound_exams("2017/18")]  # doctest: +NORMALIZE_WHITESPACE
    ['dansk_laesning', 'dansk_retskrivning', 'dansk_skriftlig_fremstilling',
     'dansk_mundtlig', 'matematik_med_hjaelpemidler', 'matematik_uden_hjaelpemidler',
     'engelsk_mundtlig', 'faellesproeve']
    >>> bound_exams("2015/16")[-1].label
    'Fysik/kemi, praktisk/mundtlig'
    >>> bound_exams("2025/26")
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.CatalogueError: the bound exams of 2025/26 are not ...
    """
    year = normalise_school_year(school_year)
    start = parse_school_year(year)
    if start < parse_school_year(FIRST_CONFIRMED_YEAR):
        msg = (
            f"the bound exams of {year} are not confirmed: the prøver became obligatory"
            f" in {FIRST_CONFIRMED_YEAR}; the catalogue covers"
            f" {FIRST_CONFIRMED_YEAR}-{LAST_CONFIRMED_YEAR}"
        )
        raise CatalogueError(msg)
    if start > parse_school_year(LAST_CONFIRMED_YEAR):
        msg = (
            f"the bound exams of {year} are not confirmed: a new exam structure applies"
            " from 2025/26 and its full list of bound delprøver is not yet in the"
            f" catalogue (confirmed {FIRST_CONFIRMED_YEAR}-{LAST_CONFIRMED_YEAR}); the"
            " library will not reuse an older list silently"
        )
        raise CatalogueError(msg)
    return tuple(e for e in BOUND_EXAMS if e.is_bound_in(year))


def comparability_note(school_year: str) -> str | None:
    """Return why exam results of ``school_year`` are not comparable, or ``None``.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import comparability_note
    >>> comparability_note("2019/20")
    'COVID-19: all prøver were cancelled; standpunktskarakterer were raised to prøvekarakterer'
    >>> comparability_note("2017/18") is None
    True
    """
    return year_note("exams.", normalise_school_year(school_year))
