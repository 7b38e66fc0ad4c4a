"""Parse the export of a municipal survey of inclusion interventions.

The survey form asks every school, for every intervention (indsats): its name,
its status, which mellemformer A-E it is (a tick table), where it is anchored,
its purpose and its resources/methods/tools. A form tool exports the answers
as text: the school's name as a heading (sometimes glued to the first field,
"Hedegårdsskolen**Indsatsens navn: …**"), tab-separated label/answer cells,
"x"/"X" ticks, answers continued over several lines, and stray HTML from the
rich-text fields. :func:`parse_survey` turns such an export into
:class:`Intervention` records and reports every line it could not place.

Source: Ballerup Kommune, "Undersøgelse af indsatser til at opnå målet med
udlægning af ressourcer" (2021), a real export in this format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import Literal

import attrs

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet.interventions._text import clean_html, squash
from folkeskolekvalitet.interventions.resources import Resource, parse_resources
from folkeskolekvalitet.interventions.taxonomy import (
    PRACTICES,
    Anchoring,
    InterventionStatus,
    Practice,
    Tier,
    parse_anchoring,
    parse_status,
    parse_tiers,
)

__all__ = ["Intervention", "ParsedSurvey", "SurveyIssue", "example_survey", "parse_survey"]

_EXAMPLE = "ballerup-indsatser-udlagte-ressourcer-2021.txt"


def example_survey() -> str:
    """The export of Ballerup Kommune's 2021 survey of the devolved inclusion resources.

    A real export in the format :func:`parse_survey` reads (five schools, 37
    interventions), shipped with the library for examples, demos and tests:
    "Undersøgelse af indsatser til at opnå målet med udlægning af ressourcer",
    Ballerup Kommune, 2021 (a public municipal document; no public URL found).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import example_survey, parse_survey
    >>> text = example_survey()
    >>> text.splitlines()[3]
    'Undersøgelse af indsatser til at opnå målet med udlægning af ressourcer'
    >>> len(parse_survey(text).interventions)
    37
    """
    data = resources.files("folkeskolekvalitet.interventions") / "data" / _EXAMPLE
    return data.read_text(encoding="utf-8")


@attrs.frozen
class Intervention:
    r"""One intervention (indsats) of a school, as answered in the survey.

    Attributes
    ----------
    school
        The school (the heading above the record); ``None`` if the record came
        before any school heading.
    name
        The intervention's name (Indsatsens navn).
    status
        The recognised status, or ``None`` when the record states none.
    status_text
        The status in the school's own words (``None`` when absent).
    practices
        The ticked mellemformer (possibly none).
    anchoring
        The anchoring vocabulary entries the anchoring text names.
    anchoring_text
        Where the intervention is anchored, verbatim (HTML removed).
    purpose
        The purpose (Hvad er formålet), verbatim (HTML removed).
    resources
        The resources stated in the resources field.
    resources_text
        The resources/methods/tools field, verbatim (HTML removed).
    mentioned_resources
        Amounts with a resource unit found in the anchoring and purpose texts.
        Kept apart: they may be resources ("Ca. 20 forløb") or context ("under
        9 timer ugentligt" as a threshold).
    tiers
        The tiers (forebyggende …) the record's texts mention.
    text
        The original lines of the record.
    line
        The line number (1-based) where the record starts in the export.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey
    >>> export = (
    ...     "Skovvejens Skole\n\nIndsatsens navn: AKT\n\nIndsats, der var der i forvejen\n\n"
    ...     "Hvilken praksis er indsatsen:\tKryds\n"
    ...     "C: Tiltag rettet mod alle klassens børn\tX\n"
    ...     "Ressourcer/metoder/værktøjer:\t20 timer/uge Uddannede AKT lærere\n"
    ... )
    >>> rec = parse_survey(export).interventions[0]
    >>> rec.school, rec.name, rec.status.value, sorted(p.value for p in rec.practices)
    ('Skovvejens Skole', 'AKT', 'existing_before', ['C'])
    >>> [(r.low, r.unit) for r in rec.resources]
    [(20.0, 'timer per uge')]
    """

    school: str | None
    name: str
    status: InterventionStatus | None
    status_text: str | None
    practices: frozenset[Practice]
    anchoring: frozenset[Anchoring]
    anchoring_text: str
    purpose: str
    resources: tuple[Resource, ...]
    resources_text: str
    mentioned_resources: tuple[Resource, ...] = ()
    tiers: frozenset[Tier] = frozenset()
    text: str = ""
    line: int = 0


#: Kinds of issue that are problems (raise with ``errors="raise"``).
PROBLEM_KINDS = {
    "unknown_practice": "unknown practice letter (the mellemformer are A, B, C, D, E)",
    "bad_tick": "unrecognised mark in the tick table (a tick is 'x' or 'X')",
    "unknown_status": "status not recognised (new, increased or adjusted, unchanged,"
    " existing before)",
    "ambiguous_status": "status wording names several statuses",
    "no_school": "intervention record before any school heading",
    "missing_name": "intervention record without a name",
    "duplicate_school": "school listed twice (its interventions would be counted twice:"
    " is the export pasted twice?)",
    "duplicate_intervention": "intervention listed twice for the same school",
    "empty_export": "no intervention record in the export (empty, white space only, or no"
    " 'Indsatsens navn:' line)",
    "cut_off": "the last intervention record is cut off: it lacks parts every other record"
    " has (is the export truncated?)",
}
#: Kinds of issue that are only reported.
NOTE_KINDS = {
    "unplaced": "line not placed in any intervention record",
    "empty_record": "empty intervention record (skipped)",
}


@attrs.frozen
class SurveyIssue:
    r"""A line of the export that the parser could not place, or a problem in it.

    Attributes
    ----------
    line
        Line number (1-based).
    text
        The line as written.
    kind
        ``"unplaced"``, ``"empty_record"`` (reported only) or a problem:
        ``"unknown_practice"``, ``"bad_tick"``, ``"unknown_status"``,
        ``"ambiguous_status"``, ``"no_school"``, ``"missing_name"``,
        ``"duplicate_school"``, ``"duplicate_intervention"``, ``"empty_export"``,
        ``"cut_off"``.
    message
        What is wrong, in plain words.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey
    >>> survey = parse_survey("Baltorpskolen\n\nLøs tekst\n\nIndsatsens navn: AKT\n")
    >>> print(survey.unplaced[0])
    line 3: line not placed in any intervention record: 'Løs tekst'
    """

    line: int
    text: str
    kind: str
    message: str

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        return f"line {self.line}: {self.message}: {shown!r}"


@attrs.frozen
class ParsedSurvey:
    r"""The result of :func:`parse_survey`: the interventions and the report.

    Attributes
    ----------
    interventions
        Every intervention found, in the order of the export.
    issues
        Every line not placed, every empty record and every problem, in line
        order.
    preamble
        The text before the first school heading (the survey's introduction).

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey
    >>> survey = parse_survey("Indledning\n\nBALTORPSKOLEN\n\nIndsatsens navn: AKT\n\nNy indsats\n")
    >>> survey.preamble, survey.schools, len(survey.interventions)
    ('Indledning', ('Baltorpskolen',), 1)
    >>> print(survey.report())
    1 interventions from 1 schools; 0 problems; 0 unplaced lines
    """

    interventions: tuple[Intervention, ...]
    issues: tuple[SurveyIssue, ...] = ()
    preamble: str = ""

    @property
    def unplaced(self) -> tuple[SurveyIssue, ...]:
        """The lines the parser could not place in any record."""
        return tuple(i for i in self.issues if i.kind == "unplaced")

    @property
    def problems(self) -> tuple[SurveyIssue, ...]:
        """The problems (unknown practice letter, unknown status, …)."""
        return tuple(i for i in self.issues if i.kind in PROBLEM_KINDS)

    @property
    def schools(self) -> tuple[str, ...]:
        """The schools, in the order of the export."""
        return tuple(dict.fromkeys(i.school for i in self.interventions if i.school is not None))

    def report(self) -> str:
        """A plain-text report: counts, then every issue with its line number."""
        lines = [
            f"{len(self.interventions)} interventions from {len(self.schools)} schools;"
            f" {len(self.problems)} problems; {len(self.unplaced)} unplaced lines"
        ]
        lines += [f"  - {i}" for i in self.issues]
        return "\n".join(lines)


_NAME = re.compile(r"^(?P<head>.*?)[*\s]*Indsatsens\s+navn\s*:\s*(?P<name>.*)$", re.IGNORECASE)
_TICK_HEADER = re.compile(r"^\s*Hvilken\s+praksis\s+er\s+indsatsen\s*:", re.IGNORECASE)
#: The tick header's first words: inside a record, a line cut off after them (a truncated
#: export) still starts the tick table, so the record is reported as cut off.
_TICK_HEADER_START = re.compile(r"^\s*Hvilken\s+praksis\b", re.IGNORECASE)
_TEXT_HEADER = re.compile(r"^\s*Tekst\s*:\s*$", re.IGNORECASE)
_FIELD = re.compile(
    r"^\s*(?P<label>Hvor\s+er\s+indsatsen\s+forankret|Hvad\s+er\s+formålet"
    r"|Ressourcer\s*/\s*metoder\s*/\s*værktøjer)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"^\s*(?P<letter>[A-Za-zÆØÅæøå])\s*:\s*(?P<label>.*)$")
_TICK = re.compile(r"^(?:[xX]|✓|✔|☒|☑)(?:\s.*)?$")
_GLUED_TICK = re.compile(r"\s(?:[xX]|✓|✔)$")
_SEPARATOR = re.compile(r"^[\s\-–—_=]*[-–—_=][\s\-–—_=]*$")
_SMALL_WORDS = {"i", "ved", "på", "og", "af", "for", "til"}
_SCHOOL_WORD = re.compile(r"skolen?(?![\w-])", re.IGNORECASE)
_MAX_HEADING_WORDS = 8

_IssueFn = Callable[[int, str, str], None]

_FIELD_KEYS = {"hvor": "anchoring", "hvad": "purpose", "ressourcer": "resources"}
_PRACTICE_BY_LETTER = {p.value: p for p in PRACTICES}


def _school_name(head: str, known: dict[str, str] | None) -> str:
    name = squash(head.strip("*").strip())
    if known is not None and name.casefold() in known:
        return known[name.casefold()]
    if name.isupper():
        words = name.lower().split()
        name = " ".join(
            w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return name


def _looks_like_school(text: str, known: dict[str, str] | None, *, before_record: bool) -> bool:
    """Whether a line is a school heading.

    A known school; a short line in capitals; a short line of capitalised
    words, one ending in "skole"/"skolen"; or -- standing alone right before a
    record -- any short line starting with a capital with such a word
    ("Herlev skole", "Kildeskolen afd. Nord", "Hedegårdsskolen, afd. Syd").
    "skolens", "Udskolingen" do not make a heading: a school is named, not
    mentioned.
    """
    t = squash(text.strip("*"))
    if known is not None and t.casefold() in known:
        return True
    if not t or len(t) > 80 or "\t" in text or t.endswith((".", ":", ",", ";", "?", "!")):
        return False
    if t.isupper() and any(c.isalpha() for c in t):
        return True
    words = t.replace(",", " ").split()
    capitalised = all(w[:1].isupper() or w in _SMALL_WORDS for w in words)
    names_school = bool(_SCHOOL_WORD.search(t)) and words[0][:1].isupper()
    if capitalised and names_school:
        return True
    return before_record and names_school and len(words) <= _MAX_HEADING_WORDS


@attrs.define
class _Record:
    school: str | None
    name: str
    line: int
    lines: list[str] = attrs.Factory(list)
    status_lines: list[tuple[int, str]] = attrs.Factory(list)
    ticks: set[str] = attrs.Factory(set)
    letters: set[str] = attrs.Factory(set)
    tick_seen: bool = False
    letter: str | None = None
    fields: dict[str, list[str]] = attrs.Factory(dict)
    field: str | None = None


def _record_start(line: str) -> re.Match[str] | None:
    """The "Indsatsens navn:" line starting a record (not one inside an answer)."""
    named = _NAME.match(line)
    if named and ("\t" in named["head"] or len(named["head"]) > 80):
        return None
    return named


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def parse_survey(
    text: str,
    *,
    schools: Iterable[str] | None = None,
    errors: Literal["raise", "report"] = "raise",
) -> ParsedSurvey:
    r"""Parse a survey export into interventions, with a report of what it could not place.

    Parameters
    ----------
    text
        The whole export as text (tab-separated cells, one answer per line).
    schools
        Optional list of school names: headings are matched against it
        (case-insensitive) and reported in its spelling. Without it, a heading
        is a short line after a blank line, before an "Indsatsens navn" line,
        in capitals or naming a school (a word ending in "skole"/"skolen":
        "Herlev skole", "Kildeskolen afd. Nord"); headings in capitals are
        written in title case ("SKOVLUNDE SKOLE" becomes "Skovlunde Skole").
        Any other line alone there is reported as unplaced, never appended
        to the answer above it.
    errors
        ``"raise"`` (default): raise :class:`~folkeskolekvalitet.DataError`
        listing every problem (practice letter outside A-E, a mark that is not
        a tick, a status that is not recognised, …). ``"report"``: return the
        result with the problems in its report. Lines the parser could not
        place are always reported, never raised.

    Returns
    -------
    ParsedSurvey
        ``interventions`` (in export order), ``issues`` (the report:
        ``unplaced`` lines and ``problems``) and ``preamble``.

    Raises
    ------
    DataError
        With ``errors="raise"``, if the export has problems.

    Notes
    -----
    Source: the format of Ballerup Kommune's export "Undersøgelse af indsatser til at opnå
    målet med udlægning af ressourcer" (2021; no public URL); the taxonomy after
    Aarhus Kommune, https://aarhus.dk/om-kommunen/boern-og-unge/nyheder-for-fagprofessionelle/bredere-boernefaellesskaber/mellemformer

    Examples
    --------
    >>> from folkeskolekvalitet.interventions import parse_survey
    >>> export = (
    ...     "SKOVLUNDE SKOLE**Indsatsens navn: Lille klassen**\n"
    ...     "Hvilken praksis er indsatsen:\tKryds\n"
    ...     "A: Miniklasser og elever delvist uden for klassen\tx\n"
    ...     "B: Individualiserede tiltag\t\n"
    ...     "\tTekst:\n"
    ...     "Hvor er indsatsen forankret:\tSkovlunde Skole, afd. Lundebjerg\n"
    ...     "Ressourcer/metoder/værktøjer:\t<p>1 ressourcepædagog i 2 lektioner dagligt.</p>\n"
    ... )
    >>> survey = parse_survey(export)
    >>> rec = survey.interventions[0]
    >>> rec.school, rec.name, [p.value for p in rec.practices], rec.resources_text
    ('Skovlunde Skole', 'Lille klassen', ['A'], '1 ressourcepædagog i 2 lektioner dagligt.')
    >>> survey.unplaced
    ()

    A practice letter outside A-E is a problem:

    >>> parse_survey(
    ...     "Baltorpskolen\nIndsatsens navn: X\nHvilken praksis er indsatsen:\nF: Noget andet\tx\n"
    ... )
    Traceback (most recent call last):
    ...
    folkeskolekvalitet._core.errors.DataError: intervention survey: 1 problem
      - column 'practice': unknown practice letter (the mellemformer are A, ...); e.g. line 4: ...
    """
    given: object = text
    if not isinstance(given, str):
        msg = f"parse_survey takes the export as a str, not {type(given).__name__}"
        raise TypeError(msg)
    if isinstance(schools, str):
        msg = "schools must be a list of school names, not one str"
        raise TypeError(msg)
    if errors not in ("raise", "report"):
        msg = f"errors must be 'raise' or 'report', not {errors!r}"
        raise ValueError(msg)
    known = None if schools is None else {squash(s).casefold(): s for s in schools}
    # trailing white space (tabs of empty cells) carries nothing and hides headings
    lines = [line.rstrip() for line in text.removeprefix("\ufeff").splitlines()]
    parser = _Parser(lines, known)
    parser.run()
    interventions = []
    seen: dict[tuple[str | None, str], int] = {}
    for rec in parser.records:
        built = _build(rec, parser.issue)
        if built is not None:
            interventions.append(built)
            key = (built.school, built.name.casefold())
            if key in seen:
                parser.issue(rec.line, rec.lines[0], "duplicate_intervention")
            seen.setdefault(key, rec.line)
    if not parser.records:
        parser.issue(1, lines[0] if lines else "", "empty_export")
    elif len(parser.records) >= 2:
        _check_cut_off(parser)
    issues = sorted(parser.issues, key=lambda x: x.line)
    result = ParsedSurvey(tuple(interventions), tuple(issues), "\n".join(parser.preamble).strip())
    if errors == "raise" and result.problems:
        raise _as_error(result.problems)
    return result


def _parts(rec: _Record) -> set[str]:
    """The parts of a record: tick table, practice letters, fields (the status is optional)."""
    parts = {f"practice {x}" for x in rec.letters} | {f"field {k}" for k in rec.fields}
    if rec.tick_seen:
        parts.add("tick table")
    return parts


def _check_cut_off(parser: _Parser) -> None:
    """Report the last record if it started the parts every earlier record has, not all.

    A record with none of them (a name only) is taken as written: only a record
    that stops part-way through the common parts looks cut off.
    """
    *earlier, last = parser.records
    common = set.intersection(*(_parts(r) for r in earlier))
    has = _parts(last) & common
    if has and has != common:
        parser.issue(last.line, last.lines[0], "cut_off")


class _Parser:
    """The line-by-line state machine of :func:`parse_survey`."""

    def __init__(self, lines: list[str], known: dict[str, str] | None) -> None:
        self.lines = lines
        self.known = known
        self.issues: list[SurveyIssue] = []
        self.records: list[_Record] = []
        self.preamble: list[str] = []
        self.school: str | None = None
        self.sections: set[str] = set()
        self.seen_heading = False
        self.cur: _Record | None = None
        self.state = "outside"
        self.following: list[str | None] = [None] * len(lines)
        upcoming: str | None = None
        for k in range(len(lines) - 1, -1, -1):
            self.following[k] = upcoming
            if lines[k].strip():
                upcoming = lines[k]

    def issue(self, n: int, line: str, kind: str) -> None:
        message = PROBLEM_KINDS.get(kind) or NOTE_KINDS[kind]
        self.issues.append(SurveyIssue(n, line, kind, message))

    def finish(self) -> None:
        cur = self.cur
        if cur is not None:
            while cur.lines and not cur.lines[-1].strip():
                cur.lines.pop()
            self.records.append(cur)
        self.cur = None

    def is_heading(self, i: int, line: str) -> bool:
        """A school name alone between blank lines, before a record or outside any record."""
        following = self.following[i]
        alone = (i == 0 or not self.lines[i - 1].strip()) and (
            i + 1 == len(self.lines) or not self.lines[i + 1].strip()
        )
        before_record = following is not None and _record_start(following) is not None
        named_school = squash(line).casefold().endswith(("skole", "skolen"))
        return (
            not line.startswith("\t")
            and (i == 0 or not self.lines[i - 1].strip())
            and (before_record or (alone and self.cur is None and named_school))
            and not _FIELD.match(line)
            and _looks_like_school(line, self.known, before_record=before_record)
        )

    def stands_before_record(self, i: int, line: str) -> bool:
        """A paragraph of its own right before a record: a heading or nothing of the record's.

        Such a line is not a continuation of the record's last answer (those
        follow the answer, or start with a tab), so it is never appended to it.
        """
        following = self.following[i]
        return (
            not line.startswith("\t")
            and i > 0
            and not self.lines[i - 1].strip()
            and following is not None
            and _record_start(following) is not None
            and not _FIELD.match(line)
            and not _TICK_HEADER.match(line)
            and not _LETTER.match(line.split("\t", 1)[0])
        )

    def alone_before_record(self, i: int, line: str, cur: _Record) -> bool:
        """A line of the current record standing alone before the next one (not a status)."""
        status_expected = self.state == "name" or (self.state == "status" and not cur.status_lines)
        return not status_expected and self.stands_before_record(i, line)

    def issue_before_record(self, n: int, line: str) -> None:
        self.issues.append(
            SurveyIssue(
                n,
                line,
                "unplaced",
                "line not placed: alone before an intervention record, not a school heading"
                " (the next record keeps the school above; pass schools=[...] if it is one)",
            )
        )

    def run(self) -> None:
        for i, line in enumerate(self.lines):
            self.feed(i, line)
        self.finish()

    def start_record(self, n: int, line: str, named: re.Match[str]) -> None:
        self.finish()
        head = named["head"]
        if head.strip(" *\t"):
            self.set_school(n, line, _school_name(head, self.known))
        self.cur = _Record(self.school, named["name"].strip().strip("*").strip(), n, [line])
        self.state = "name"

    def set_school(self, n: int, line: str, school: str) -> None:
        """Start a school's section; a school whose section was closed before is listed twice."""
        key = squash(school).casefold()
        if school != self.school and key in self.sections:
            self.issue(n, line, "duplicate_school")
        self.sections.add(key)
        self.school = school
        self.seen_heading = True

    def blank(self, line: str) -> None:
        if self.cur is not None:
            self.cur.lines.append(line)
            if self.state == "name":
                self.state = "status"
        elif not self.seen_heading:
            self.preamble.append(line)

    def feed(self, i: int, line: str) -> None:
        n = i + 1
        named = _record_start(line)
        if named:
            self.start_record(n, line, named)
        elif not line.strip():
            self.blank(line)
        elif _SEPARATOR.match(line):
            return
        elif self.is_heading(i, line):
            self.finish()
            self.set_school(n, line, _school_name(line.strip(), self.known))
            self.state = "outside"
        elif self.cur is None:
            if not self.seen_heading and not self.records:
                self.preamble.append(line)
            else:
                self.issue(n, line, "unplaced")
        elif self.alone_before_record(i, line, self.cur):
            self.issue_before_record(n, line)
        else:
            self.cur.lines.append(line)
            self.in_record(self.cur, n, line)

    def in_record(self, cur: _Record, n: int, line: str) -> None:
        field = _FIELD.match(line)
        if _TICK_HEADER_START.match(line):
            self.state = "ticks"
            cur.tick_seen = True
        elif _TEXT_HEADER.match(line):
            self.state = "fields"
        elif field:
            self.state = "fields"
            cur.field = _FIELD_KEYS[field["label"].split()[0].lower().split("/")[0]]
            cur.fields.setdefault(cur.field, []).append(field["value"])
        elif self.state == "ticks" or (
            self.state in ("name", "status")
            and "\t" in line
            and _LETTER.match(line.split("\t", 1)[0])
        ):
            self.state = "ticks"  # a tick table without its header line
            _tick_row(cur, n, line, self.issue)
        elif self.state == "name":
            cur.name = f"{cur.name} {line.strip()}".strip()
        elif self.state == "status":
            cur.status_lines.append((n, line.strip()))
        elif self.state == "fields" and cur.field is not None:
            cur.fields[cur.field].append(line.strip())
        else:
            self.issue(n, line, "unplaced")


def _tick_row(cur: _Record, n: int, line: str, issue: _IssueFn) -> None:
    cells = _cells(line)
    letter_at = next((k for k, c in enumerate(cells) if _LETTER.match(c)), None)
    if letter_at is not None:
        m = _LETTER.match(cells[letter_at])
        assert m is not None
        letter = m["letter"].upper()
        if letter not in _PRACTICE_BY_LETTER:
            issue(n, line, "unknown_practice")
            cur.letter = None
            return
        cur.letter = letter
        cur.letters.add(letter)
        label = m["label"]
        if _GLUED_TICK.search(label):
            cur.ticks.add(letter)
        if (
            not label.strip()
            and letter_at + 1 < len(cells)
            and not _TICK.match(cells[letter_at + 1])
        ):
            # every cell tab-separated ("A:<tab>label<tab>x"): the next cell is the label
            label = cells[letter_at + 1]
            if _GLUED_TICK.search(label):
                cur.ticks.add(letter)
            cells = cells[: letter_at + 1] + cells[letter_at + 2 :]
    elif cur.letter is None:
        if any(_TICK.match(c) for c in cells if c):
            issue(n, line, "bad_tick")
        else:
            issue(n, line, "unplaced")
        return
    others = [c for k, c in enumerate(cells) if k != letter_at and c]
    # a continuation line of a label: its first cell is label text, later cells are marks
    if letter_at is None and others and not _TICK.match(others[0]):
        others = others[1:]
    for cell in others:
        if _TICK.match(cell):
            cur.ticks.add(cur.letter)
        else:
            issue(n, line, "bad_tick")


def _build(rec: _Record, issue: _IssueFn) -> Intervention | None:
    texts = {k: clean_html("\n".join(v)) for k, v in rec.fields.items()}
    anchoring_text = texts.get("anchoring", "")
    purpose = texts.get("purpose", "")
    resources_text = texts.get("resources", "")
    status_text = " ".join(t for _, t in rec.status_lines) or None
    if not (rec.name or rec.ticks or any(texts.values()) or status_text):
        issue(rec.line, rec.lines[0], "empty_record")
        return None
    status: InterventionStatus | None = None
    if status_text is not None:
        found = parse_status(status_text)
        first_line, first_text = rec.status_lines[0]
        if len(found) == 1:
            status = found[0]
        elif not found:
            issue(first_line, first_text, "unknown_status")
        else:
            issue(first_line, first_text, "ambiguous_status")
    if rec.school is None:
        issue(rec.line, rec.lines[0], "no_school")
    if not rec.name:
        issue(rec.line, rec.lines[0], "missing_name")
    everything = " ".join((rec.name, anchoring_text, purpose, resources_text))
    return Intervention(
        school=rec.school,
        name=squash(rec.name),
        status=status,
        status_text=status_text,
        practices=frozenset(_PRACTICE_BY_LETTER[x] for x in rec.ticks),
        anchoring=parse_anchoring(anchoring_text),
        anchoring_text=anchoring_text,
        purpose=purpose,
        resources=parse_resources(resources_text),
        resources_text=resources_text,
        mentioned_resources=parse_resources(anchoring_text) + parse_resources(purpose),
        tiers=parse_tiers(everything),
        text="\n".join(rec.lines),
        line=rec.line,
    )


def _as_error(problems: Sequence[SurveyIssue]) -> DataError:
    by_kind: dict[str, list[SurveyIssue]] = {}
    for p in problems:
        by_kind.setdefault(p.kind, []).append(p)
    column = {
        "unknown_practice": "practice",
        "bad_tick": "practice",
        "unknown_status": "status",
        "ambiguous_status": "status",
        "no_school": "school",
        "missing_name": "name",
        "duplicate_school": "school",
        "duplicate_intervention": "school, name",
        "empty_export": "<export>",
        "cut_off": "<export>",
    }
    out = [
        Problem(
            column[kind],
            PROBLEM_KINDS[kind],
            len(items),
            tuple(f"line {i.line}: {i.text[:60]!r}" for i in items[:3]),
        )
        for kind, items in by_kind.items()
    ]
    return DataError("intervention survey", out)
