"""The grade scales: 7-trinsskalaen, the undtagelseskoder and the old 13-skala.

Sources
-------
- Karakterskalaer (7-trinsskala, ECTS, 13-skala equivalents), Uddannelses- og
  Forskningsministeriet: https://ufm.dk/uddannelse/anerkendelse-og-dokumentation/dokumentation/karakterskalaer
- Karakterværdier and undtagelseskoder for Karakterdatabasen, STIL:
  https://viden.stil.dk/pages/viewpage.action?pageId=185469766
- Oversættelsesskala fra 13-skalaen til 7-trins-skalaen, Børne- og
  Undervisningsministeriet:
  http://uvm.dk/uddannelsessystemet/7-trins-skalaen/oversaettelsesskala-fra-13-skalaen-til-7-trins-skalaen
"""

from __future__ import annotations

import attrs
import polars as pl

__all__ = [
    "EXCEPTION_CODES",
    "EXCEPTION_CODE_ENUM",
    "GRADES",
    "GRADES_13",
    "GRADE_13_ENUM",
    "GRADE_ENUM",
    "ExceptionCode",
    "Grade",
    "Grade13",
    "convert_13_to_7",
    "grade",
    "grade_points",
    "parse_grade",
]

SCALE_SOURCE = (
    "https://ufm.dk/uddannelse/anerkendelse-og-dokumentation/dokumentation/karakterskalaer"
)
STIL_SOURCE = "https://viden.stil.dk/pages/viewpage.action?pageId=185469766"
CONVERSION_SOURCE = (
    "http://uvm.dk/uddannelsessystemet/7-trins-skalaen/"
    "oversaettelsesskala-fra-13-skalaen-til-7-trins-skalaen"
)


@attrs.frozen
class Grade:
    """A grade of the 7-trinsskala.

    Attributes
    ----------
    text
        Canonical text (``"-3"``, ``"00"``, ``"02"``, ``"4"``, ``"7"``, ``"10"``, ``"12"``).
    points
        Numeric value used in averages.
    order
        Position in scale order, 1 (``-3``) to 7 (``12``).
    label
        The official betegnelse, e.g. "Den gode præstation".
    ects
        The ECTS letter (``A`` ... ``F``; ``Fx`` for 00).
    passed
        Whether the grade passes (02 or better).
    source
        Where the definition comes from.
    """

    text: str
    points: int
    order: int
    label: str
    ects: str
    passed: bool
    source: str = SCALE_SOURCE

    def __str__(self) -> str:
        return self.text


#: The 7-trinsskala in scale order, worst first.
GRADES: tuple[Grade, ...] = (
    Grade("-3", -3, 1, "Den ringe præstation", "F", passed=False),
    Grade("00", 0, 2, "Den utilstrækkelige præstation", "Fx", passed=False),
    Grade("02", 2, 3, "Den tilstrækkelige præstation", "E", passed=True),
    Grade("4", 4, 4, "Den jævne præstation", "D", passed=True),
    Grade("7", 7, 5, "Den gode præstation", "C", passed=True),
    Grade("10", 10, 6, "Den fortrinlige præstation", "B", passed=True),
    Grade("12", 12, 7, "Den fremragende præstation", "A", passed=True),
)

#: The 7-trinsskala as a Polars Enum, in scale order (so sorting sorts by grade).
GRADE_ENUM = pl.Enum([g.text for g in GRADES])


def _spellings() -> dict[str, str]:
    """Every accepted spelling of a 7-trinsskala grade -> canonical text."""
    out: dict[str, str] = {}
    for g in GRADES:
        bases = {g.text, str(g.points)}
        if g.points == -3:
            bases.add("-03")
        if g.points == 0:
            bases.add("-0")  # a float -0.0 prints as "-0.0"
        for base in bases:
            out[base] = g.text
            out[base + ".0"] = g.text
    return out


_SPELLINGS = _spellings()


def grade(text: str | int | float) -> Grade:
    """Look up a 7-trinsskala grade by any accepted spelling.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import grade
    >>> grade("02").label
    'Den tilstrækkelige præstation'
    >>> grade(2) == grade("2,0") == grade("02")
    True
    >>> grade("03")
    Traceback (most recent call last):
    ...
    ValueError: '03' is not a grade of the 7-trinsskala (-3, 00, 02, 4, 7, 10, 12); 03 is a ...
    """
    key = str(text).strip().replace(",", ".")
    if key in _SPELLINGS:
        canonical = _SPELLINGS[key]
        return next(g for g in GRADES if g.text == canonical)
    raise ValueError(_unknown_grade_message(text))


def _unknown_grade_message(value: object) -> str:
    msg = f"{value!r} is not a grade of the 7-trinsskala (-3, 00, 02, 4, 7, 10, 12)"
    key = str(value).strip()
    if key in {g.text for g in GRADES_13} - _SPELLINGS.keys() or key == "13":
        msg += f"; {key} is a 13-skala grade: use convert_13_to_7"
    return msg


def _text(column: str | pl.Expr) -> pl.Expr:
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.cast(pl.String).str.strip_chars().str.replace(",", ".", literal=True)


def parse_grade(column: str | pl.Expr) -> pl.Expr:
    """Parse grades in any accepted spelling into the 7-trinsskala Enum.

    Accepts ``"02"``, ``"2"``, ``2``, ``2.0``, ``"2,0"``, ``"-03"`` and so on;
    nulls stay null. A value that is not a grade (``"03"``, ``5``, ``"13"``)
    raises an error when the expression runs, never a silent null. Frame
    functions validate first and report such values as a
    :class:`~folkeskolekvalitet.DataError`.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import parse_grade
    >>> import polars as pl
    >>> df = pl.DataFrame({"g": ["02", "2,0", "-03", "12", None]})
    >>> df.select(parse_grade("g")).to_series().to_list()
    ['02', '02', '-3', '12', None]
    >>> pl.DataFrame({"g": [2, -3, 10]}).select(parse_grade("g")).to_series().to_list()
    ['02', '-3', '10']
    """
    return _text(column).replace_strict(_SPELLINGS, return_dtype=GRADE_ENUM)


def is_grade_text(column: str | pl.Expr) -> pl.Expr:
    """Boolean expression: whether the (non-null) value is an accepted spelling of a grade."""
    return _text(column).is_in(list(_SPELLINGS))


_POINTS = {i: g.points for i, g in enumerate(GRADES)}


def grade_points(column: str | pl.Expr) -> pl.Expr:
    """Numeric points (Int8) of grades in any spelling ``parse_grade`` accepts.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import grade_points
    >>> import polars as pl
    >>> pl.DataFrame({"g": ["-3", "00", "02", "12"]}).select(
    ...     grade_points("g")
    ... ).to_series().to_list()
    [-3, 0, 2, 12]
    """
    expr = pl.col(column) if isinstance(column, str) else column
    return (
        parse_grade(expr)
        .to_physical()
        .replace_strict(_POINTS, return_dtype=pl.Int8)
        .alias(expr.meta.output_name(raise_if_undetermined=False) or "points")
    )


@attrs.frozen
class ExceptionCode:
    """An undtagelseskode: recorded in place of a prøvekarakter.

    Exception codes are not grades: they never enter an average, and the rules
    count them.

    Attributes
    ----------
    code
        The STIL code, ``"81"`` ... ``"89"``.
    key
        A short English key.
    label
        The official Danish wording.
    source
        Where the definition comes from.
    """

    code: str
    key: str
    label: str
    source: str = STIL_SOURCE


#: The undtagelseskoder for prøvekarakterer (STIL).
EXCEPTION_CODES: tuple[ExceptionCode, ...] = (
    ExceptionCode(
        "81",
        "no_teaching",
        "Ingen prøvekarakter, eleven har ikke modtaget undervisning i faget",
    ),
    ExceptionCode("84", "expelled", "Bortvist fra prøven"),
    ExceptionCode("85", "exempt_danish", "Prøvefritaget pga. utilstrækkelige danskkundskaber"),
    ExceptionCode(
        "86",
        "exempt_youth_school",
        "Prøvefritaget pga. kommunal ungdomsskoles heltidsundervisning",
    ),
    ExceptionCode("87", "absent", "Udeblevet fra obligatorisk prøve"),
    ExceptionCode("88", "exempt_disability", "Prøvefritaget pga. betydelig funktionsnedsættelse"),
    ExceptionCode("89", "sick", "Sygdom"),
)

#: The exception codes as a Polars Enum.
EXCEPTION_CODE_ENUM = pl.Enum([c.code for c in EXCEPTION_CODES])


def parse_exception_code(column: str | pl.Expr) -> pl.Expr:
    """Exception codes given as text or numbers (``87``, ``"87"``, ``87.0``) -> Enum."""
    mapping = {c.code: c.code for c in EXCEPTION_CODES} | {
        c.code + ".0": c.code for c in EXCEPTION_CODES
    }
    return _text(column).replace_strict(mapping, return_dtype=EXCEPTION_CODE_ENUM)


def is_exception_code_text(column: str | pl.Expr) -> pl.Expr:
    """Boolean expression: whether the (non-null) value is a known exception code."""
    codes = [c.code for c in EXCEPTION_CODES]
    return _text(column).is_in(codes + [c + ".0" for c in codes])


@attrs.frozen
class Grade13:
    """A grade of the old 13-skala (used before 2007/08 in the folkeskole).

    Attributes
    ----------
    text
        Canonical text (``"00"``, ``"03"``, ``"5"`` ... ``"13"``).
    points
        Numeric value.
    converted
        The 7-trinsskala grade of the official grade-by-grade conversion.
    source
        Where the conversion comes from.
    """

    text: str
    points: int
    converted: str
    source: str = CONVERSION_SOURCE


#: The 13-skala, worst first, with the official conversion to the 7-trinsskala.
#: Averages must *not* be converted grade by grade (a separate official table
#: exists whose full content is not public); only single grades are converted.
GRADES_13: tuple[Grade13, ...] = (
    Grade13("00", 0, "-3"),
    Grade13("03", 3, "00"),
    Grade13("5", 5, "00"),
    Grade13("6", 6, "02"),
    Grade13("7", 7, "4"),
    Grade13("8", 8, "7"),
    Grade13("9", 9, "7"),
    Grade13("10", 10, "10"),
    Grade13("11", 11, "12"),
    Grade13("13", 13, "12"),
)

#: The 13-skala as a Polars Enum, in scale order.
GRADE_13_ENUM = pl.Enum([g.text for g in GRADES_13])


def _spellings_13() -> dict[str, str]:
    out: dict[str, str] = {}
    for g in GRADES_13:
        for base in {g.text, str(g.points)}:
            out[base] = g.converted
            out[base + ".0"] = g.converted
    return out


def convert_13_to_7(column: str | pl.Expr) -> pl.Expr:
    """Convert single 13-skala grades to the 7-trinsskala (official table).

    13 and 11 -> 12, 10 -> 10, 9 and 8 -> 7, 7 -> 4, 6 -> 02, 5 and 03 -> 00,
    00 -> -3. Accepts text or numbers; anything else raises when the expression
    runs. Do not use it to convert averages.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import convert_13_to_7
    >>> import polars as pl
    >>> df = pl.DataFrame({"old": ["13", "11", "9", "8", "7", "6", "5", "03", "00"]})
    >>> df.select(convert_13_to_7("old")).to_series().to_list()
    ['12', '12', '7', '7', '4', '02', '00', '00', '-3']
    """
    return _text(column).replace_strict(_spellings_13(), return_dtype=GRADE_ENUM)
