"""Pupil-level files with Danish headers and labels, in the library's vocabulary.

A municipality's own school systems export files such as ``skoleår; institutionsnummer;
elevnummer; klassetrin; fag; karakter`` with values such as ``"Dansk, læsning"``,
``"4. klasse"`` or ``"Rigtig god præstation"``. :func:`from_danish` renames the headers to
the canonical columns (the one map ``folkeskolekvalitet._core.danish.DANISH_HEADERS``,
which the families' error hints use too) and turns the official labels into the
catalogues' keys, so the frame goes straight into the families' functions.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from folkeskolekvalitet._core.danish import DANISH_HEADERS, canonical_header
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input
from folkeskolekvalitet._core.schema import grade_level_from_text, label_key
from folkeskolekvalitet._core.schoolyear import school_year_expr
from folkeskolekvalitet.competence.catalogue import SUBJECTS as COMPETENCE_SUBJECTS
from folkeskolekvalitet.exams.catalogue import BOUND_EXAMS
from folkeskolekvalitet.exams.catalogue import SUBJECT_ENUM as EXAM_SUBJECT_ENUM
from folkeskolekvalitet.io._text import examples
from folkeskolekvalitet.national_tests.catalogue import SUBJECTS as TEST_SUBJECTS
from folkeskolekvalitet.national_tests.levels import LEVELS

__all__ = ["LABELS", "from_danish"]

_WHAT = "Danish file"


def _merge(*pairs: tuple[str, str]) -> dict[str, str]:
    """Normalised label -> key; a label two catalogues read differently is left out."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for label, key in pairs:
        k = label_key(label)
        if k in out and out[k] != key:
            clash.add(k)
        out[k] = key
    return {k: v for k, v in out.items() if k not in clash}


def _labels() -> Mapping[str, Mapping[str, str]]:
    subjects = _merge(
        *((s.label, s.key) for s in TEST_SUBJECTS),
        *((s.label, s.key) for s in COMPETENCE_SUBJECTS),
        *((str(c).capitalize(), str(c)) for c in EXAM_SUBJECT_ENUM.categories),
    )
    exams = _merge(*((e.label, e.key) for e in BOUND_EXAMS))
    levels = _merge(
        *((lv.label, lv.key) for lv in LEVELS),
        *((lv.short_label, lv.key) for lv in LEVELS),
    )
    return {"subject": subjects, "exam": exams, "level": levels}


#: Canonical column -> (normalised official label -> catalogue key), built from the
#: catalogues of national tests, exams and competence: ``"dansk, læsning"`` ->
#: ``"dansk_laesning"``, ``"rigtig god præstation"`` -> ``"rigtig_god"``.
LABELS: Mapping[str, Mapping[str, str]] = _labels()

_CANONICAL = frozenset(DANISH_HEADERS.values())


def _headers(columns: list[str], unknown: str) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Renames, dropped headers and problems for a frame's headers."""
    renames: dict[str, str] = {}
    problems: list[Problem] = []
    dropped: list[str] = []
    for name in columns:
        target = name if name in _CANONICAL else canonical_header(name)
        if target is None:
            if unknown == "raise":
                problems.append(
                    Problem(
                        name,
                        "unknown header: neither a Danish header the library knows nor a"
                        " canonical column (pass unknown='keep' or 'drop')",
                    )
                )
            elif unknown == "drop":
                dropped.append(name)
            continue
        renames[name] = target
    by_target: dict[str, list[str]] = {}
    for name, target in renames.items():
        by_target.setdefault(target, []).append(name)
    problems += [
        Problem(
            ", ".join(names),
            f"several headers stand for {target!r}; keep one",
            None,
            examples(names),
        )
        for target, names in by_target.items()
        if len(names) > 1
    ]
    return renames, dropped, problems


def from_danish(frame: FrameT, *, unknown: str = "raise") -> FrameT:
    """Rename Danish headers to the canonical columns and Danish labels to catalogue keys.

    Headers are matched case-, space- and dash-insensitively (``"Skoleår"``,
    ``"ELEV_ID"``, ``"elevnummer"``, ``"Institutionsnummer"``, ``"klassetrin"``, ``"fag"``,
    ``"prøve"``, ``"karakter"``, ``"fravær"`` …; see
    ``folkeskolekvalitet._core.danish.DANISH_HEADERS``); canonical headers pass as they
    are. Values: school years become ``"YYYY/YY"``; a text klassetrin (``"4. klasse"``,
    ``"Børnehaveklasse"``) becomes the Int8 ``grade_level`` when every value reads as one;
    official labels of subjects (``"Dansk, læsning"``), exams (``"Matematik uden
    hjælpemidler"``) and test levels (``"Rigtig god præstation"``) become their keys
    (:data:`LABELS`). Other values are left for the family's own checks to judge.

    Parameters
    ----------
    frame
        A DataFrame or LazyFrame with Danish (or canonical) headers.
    unknown
        What to do with a header that is neither: ``"raise"`` (default: every such header
        listed in one DataError), ``"keep"`` or ``"drop"``.

    Returns
    -------
    DataFrame or LazyFrame
        The frame with canonical columns, of the kind it was given.

    Raises
    ------
    DataError
        Listing every unknown header (with ``unknown="raise"``) and every pair of headers
        that stand for the same column.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.io import from_danish
    >>> danish = pl.DataFrame(
    ...     {
    ...         "Skoleår": ["2023/2024"],
    ...         "Institutionsnummer": ["280012"],
    ...         "Elevnummer": ["e1"],
    ...         "Klassetrin": ["4. klasse"],
    ...         "Fag": ["Dansk, læsning"],
    ...         "Niveau": ["Rigtig god præstation"],
    ...     }
    ... )
    >>> from_danish(danish).row(0, named=True)  # doctest: +NORMALIZE_WHITESPACE
    {'school_year': '2023/24', 'institution_id': '280012', 'pupil_id': 'e1', 'grade_level': 4,
     'subject': 'dansk_laesning', 'level': 'rigtig_god'}
    >>> from_danish(danish.with_columns(Mærke=pl.lit(1), Farve=pl.lit(2)))
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.DataError: Danish file: 2 problems
      - column 'Mærke': unknown header: neither a Danish header the library knows nor a canonical column (pass unknown='keep' or 'drop')
      - column 'Farve': unknown header: neither a Danish header the library knows nor a canonical column (pass unknown='keep' or 'drop')
    """  # noqa: E501
    if unknown not in ("raise", "keep", "drop"):
        msg = f"unknown must be 'raise', 'keep' or 'drop', not {unknown!r}"
        raise ValueError(msg)
    lf = as_lazy(frame, "frame")
    columns = lf.collect_schema().names()
    renames, dropped, problems = _headers(columns, unknown)
    if problems:
        raise DataError(_WHAT, problems)
    lf = lf.drop(dropped).rename(renames)
    schema = lf.collect_schema()
    exprs: list[pl.Expr] = []
    if "school_year" in schema:
        exprs.append(
            pl.coalesce(
                school_year_expr("school_year"), pl.col("school_year").cast(pl.String)
            ).alias("school_year")
        )
    for column, labels in LABELS.items():
        if column in schema and (
            schema[column] == pl.String or isinstance(schema[column], pl.Categorical | pl.Enum)
        ):
            text = pl.col(column).cast(pl.String)
            normalised = (
                text.str.normalize("NFC")
                .str.to_lowercase()
                .str.replace_all(r"\s+", " ")
                .str.strip_chars()
            )
            exprs.append(
                normalised.replace_strict(dict(labels), default=text, return_dtype=pl.String).alias(
                    column
                )
            )
    if exprs:
        lf = lf.with_columns(exprs)
    if "grade_level" in schema and not schema["grade_level"].is_numeric():
        # the distinct klassetrin texts, read as the families read them ("4. klasse" -> 4)
        seen = lf.select(pl.col("grade_level").cast(pl.String).unique()).collect()
        levels = {v: grade_level_from_text(v) for v in seen.to_series().drop_nulls()}
        if all(level is not None for level in levels.values()):
            lf = lf.with_columns(
                pl.col("grade_level")
                .cast(pl.String)
                .replace_strict(levels, default=None, return_dtype=pl.Int8)
            )
    return like_input(frame, lf)
