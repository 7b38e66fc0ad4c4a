"""Goals from a file: a TOML file a municipality writes, in Danish or English field names.

The file holds one ``[[maal]]`` (``[["mål"]]``, or ``[[goal]]``) table per goal; TOML keys
without quotes are ASCII, so the Danish names are also accepted with ø → oe, å → aa, æ → ae::

    [[maal]]
    noegle = "fravaer_landsgennemsnit"
    navn = "Elevfraværet er på landsgennemsnittet ved udgangen af 2019/20"
    indikator = "absence.rate_total"
    type = "højst_reference"
    reference = "land"
    frist = "2019/20"
    niveauer = ["skole", "kommune"]
    kilde = "Kalundborg Kommune, plan 2018"

:data:`FIELDS` maps the Danish field names to the English ones, :data:`KIND_NAMES` and
:data:`VALUE_NAMES` the Danish names of kinds, references and unit levels.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet.goals.goal import KINDS, Goal, GoalError

__all__ = ["EXAMPLE_FILE", "FIELDS", "KIND_NAMES", "VALUE_NAMES", "read_goals"]

#: The example goals file shipped with the library (Kalundborg's 2018 plan, in Danish).
EXAMPLE_FILE = Path(__file__).parent / "data" / "kalundborg-2018.toml"

#: Danish field name → English field name (the English names are accepted as they are).
FIELDS: Mapping[str, str] = {
    "nøgle": "key",
    "navn": "label",
    "indikator": "indicator",
    "fag": "subject",
    "klassetrin": "grade_level",
    "kategori": "category",
    "type": "kind",
    "mål": "target",
    "basisår": "baseline_year",
    "frist": "deadline",
    "mål_pr_år": "targets_by_year",
    "reference": "reference",
    "kræv_signifikans": "require_significant",
    "niveauer": "levels",
    "kilde": "source",
}
_ENGLISH = frozenset(FIELDS.values())


def _ascii(name: str) -> str:
    """The ASCII spelling Danish uses where æ, ø, å cannot be typed (TOML bare keys)."""
    return name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


_FIELD_SPELLINGS = {**FIELDS, **{_ascii(k): v for k, v in FIELDS.items()}}

#: Danish kind name → kind.
KIND_NAMES: Mapping[str, str] = {
    "mindst": "at_least",
    "højst": "at_most",
    "ændring_procentpoint": "change_pp",
    "ændring_procent": "change_relative",
    "stige": "rise",
    "falde": "fall",
    "mindst_reference": "at_least_reference",
    "højst_reference": "at_most_reference",
    "antal": "count",
}

#: Danish names of references and unit levels.
VALUE_NAMES: Mapping[str, str] = {
    "skole": "school",
    "kommune": "municipality",
    "land": "country",
    "landet": "country",
}

_KIND_SPELLINGS = {**KIND_NAMES, **{_ascii(k): v for k, v in KIND_NAMES.items()}}
_TABLES = ("mål", "maal", "goal", "goals")


def _convert(entry: Mapping[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name, raw in entry.items():
        value = raw
        field = _FIELD_SPELLINGS.get(name, name)
        if field not in _ENGLISH:
            problems.append(Problem(where, f"unknown field {name!r}"))
            continue
        if field in kwargs:
            problems.append(Problem(where, f"field {field!r} given twice (Danish and English)"))
            continue
        if field == "kind" and isinstance(value, str):
            value = _KIND_SPELLINGS.get(value, value)
        elif field == "reference" and isinstance(value, str):
            value = VALUE_NAMES.get(value, value)
        elif field == "levels":
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                value = tuple(VALUE_NAMES.get(v, v) if isinstance(v, str) else v for v in value)
        elif field == "targets_by_year" and not isinstance(value, Mapping):
            problems.append(Problem(where, 'targets_by_year must be a table {"2016/17" = 0.85}'))
            continue
        elif (
            field in ("target", "grade_level")
            and isinstance(value, float)
            and not math.isfinite(value)
        ):
            problems.append(Problem(where, f"{field} must be a finite number, not {value!r}"))
            continue
        kwargs[field] = value
    for required in ("key", "label", "indicator", "kind"):
        if required not in kwargs:
            danish = next(d for d, e in FIELDS.items() if e == required)
            problems.append(Problem(where, f"missing field {danish!r} ({required})"))
    return kwargs


def read_goals(path: str | PathLike[str]) -> tuple[Goal, ...]:  # noqa: PLR0912
    """Read goals from a TOML file, in Danish or English field names.

    Each goal is a ``[[mål]]`` (or ``[[goal]]``) table with the fields of :class:`Goal`:
    ``nøgle``/``key``, ``navn``/``label``, ``indikator``/``indicator``, ``fag``/``subject``,
    ``klassetrin``/``grade_level``, ``kategori``/``category``, ``type``/``kind``,
    ``mål``/``target``, ``basisår``/``baseline_year``, ``frist``/``deadline``,
    ``mål_pr_år``/``targets_by_year`` (a table of school year = target), ``reference``,
    ``kræv_signifikans``/``require_significant``, ``niveauer``/``levels``, ``kilde``/``source``.
    Kinds may be written in Danish (``mindst``, ``højst``, ``ændring_procentpoint``,
    ``ændring_procent``, ``stige``, ``falde``, ``mindst_reference``, ``højst_reference``,
    ``antal``), as may references and levels (``skole``, ``kommune``, ``land``).

    Parameters
    ----------
    path
        The TOML file.

    Returns
    -------
    tuple of Goal
        In the order of the file.

    Raises
    ------
    DataError
        One error listing every problem of the file: TOML syntax, unknown fields, a missing
        field, an unknown indicator or kind, a share target outside 0-1, a baseline year
        after the deadline, a repeated key, ...
    FileNotFoundError
        When the file does not exist.

    Examples
    --------
    >>> from folkeskolekvalitet.goals import EXAMPLE_FILE, KALUNDBORG_2018, read_goals
    >>> goals = read_goals(EXAMPLE_FILE)
    >>> [g.key for g in goals][:2]
    ['absence_national_average', 'nt_good_plus_10pp']
    >>> goals == KALUNDBORG_2018
    True
    """
    file = Path(path)
    what = f"goals file {file.name}"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DataError(what, [Problem("<file>", f"not valid TOML: {err}")]) from None
    problems: list[Problem] = []
    unknown = [k for k in data if k not in _TABLES]
    if unknown:
        problems.append(
            Problem("<file>", f"unknown top-level names {unknown!r}; write goals as [[mål]]")
        )
    entries: list[Any] = []
    for name in _TABLES:
        value = data.get(name, [])
        if not isinstance(value, list):
            problems.append(Problem("<file>", f"{name!r} must be an array of tables [[{name}]]"))
        else:
            entries += value
    if not entries and not problems:
        problems.append(Problem("<file>", "no goals: write each goal as a [[mål]] table"))
    goals: list[Goal] = []
    keys: list[object] = []
    for i, entry in enumerate(entries, start=1):
        key = (
            entry.get("noegle", entry.get("nøgle", entry.get("key")))
            if isinstance(entry, Mapping)
            else None
        )
        where = f"goal {i}" + (f" ({key!r})" if isinstance(key, str) else "")
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, "must be a table"))
            continue
        kwargs = _convert(entry, where, problems)
        if "key" in kwargs:
            keys.append(kwargs["key"])
        if not {"key", "label", "indicator", "kind"} <= kwargs.keys():
            continue
        if kwargs["kind"] not in KINDS:
            danish = ", ".join(KIND_NAMES)
            problems.append(Problem(where, f"unknown kind {kwargs['kind']!r}; one of {danish}"))
            continue
        try:
            goals.append(Goal(**kwargs))
        except GoalError as err:
            problems += [Problem(where, p) for p in err.problems]
        except (TypeError, ValueError) as err:
            problems.append(Problem(where, str(err)))
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        problems.append(Problem("<file>", f"repeated goal keys {repeated!r}"))
    if problems:
        raise DataError(what, problems)
    return tuple(goals)
