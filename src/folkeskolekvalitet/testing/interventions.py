"""Hypothesis strategies for the interventions family.

- :func:`resource_texts`: a Danish text stating one resource, with the amount
  written as digits or as a word, and the :class:`Resource` it must parse to;
- :func:`texts_without_numbers`: Danish text that states no amount at all;
- :func:`survey_exports`: a survey export in the form tool's format (school
  headings, glued headings, tick tables with "x"/"X", blank lines, stray
  HTML) with the interventions it must parse to;
- :func:`intervention_frames`: the frame of
  :func:`~folkeskolekvalitet.interventions.to_frame` for drawn interventions;
- :func:`pupil_frames`: pupils for
  :func:`~folkeskolekvalitet.interventions.inclusion_rate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from folkeskolekvalitet.interventions.inclusion import SCHOOL_TYPE_ENUM, SCHOOL_TYPES
from folkeskolekvalitet.interventions.resources import NUMBER_WORDS, Resource
from folkeskolekvalitet.interventions.survey import Intervention
from folkeskolekvalitet.interventions.tables import to_frame
from folkeskolekvalitet.interventions.taxonomy import PRACTICES, STATUSES
from folkeskolekvalitet.testing._columns import sampled_column

__all__ = [
    "intervention_frames",
    "pupil_frames",
    "resource_texts",
    "survey_exports",
    "texts_without_numbers",
]

#: Words written for the amounts 1-12 and 1.5 (the neuter/common forms agree here).
_WORD_FOR: dict[float, str] = {
    1.5: "halvanden",
    **{v: w for w, v in NUMBER_WORDS.items() if w not in {"en", "et", "én", "ét", "halvandet"}},
}

#: (unit phrase, unit value, accepts the article-like words "en"/"et")
_UNIT_PHRASES: tuple[tuple[str, str], ...] = (
    ("årsværk", "årsværk"),
    ("fuldtidsstillinger", "fuldtidsstilling"),
    ("timer/uge", "timer per uge"),
    ("timer om ugen", "timer per uge"),
    ("lektioner ugentligt", "lektioner per uge"),
    ("ugentlige lektioner", "lektioner per uge"),
    ("forløb", "forløb"),
)

_FILLER = (
    "Kompetenceudvikling af alle medarbejdere",
    "Uddannede vejledere med særlige kompetencer",
    "<p>Sparring, mødefacilitering og ekspertise</p>",
    "Vejledning i og uden for undervisningen",
    "Der udarbejdes mål og handleplaner for den enkelte elev",
    "Co-teaching",
    "",
)

_PLAIN_WORDS = (
    "indsats",
    "elever",
    "klassen",
    "ressourcepædagog",
    "trivsel",
    "læring",
    "sparring",
    "vejledning",
    "fællesskab",
    "handleplan",
    "timer",
    "lektioner",
    "forløb",
    "årsværk",
    "undervisning",
    "med",
    "og",
    "i",
    "på",
    "<p>",
    "</p>",
    "•",
)


@st.composite
def resource_texts(draw: st.DrawFn, *, written: str | None = None) -> tuple[str, Resource]:
    """A text stating one resource, and the resource it states.

    Parameters
    ----------
    written
        ``"digits"``, ``"words"`` or ``None`` (either) for how the amount is
        written.

    Returns
    -------
    tuple of (str, Resource)
        The text and the expected resource (``text`` is left empty: compare
        ``low``, ``high``, ``unit`` and ``approximate``).

    Examples
    --------
    >>> from folkeskolekvalitet.testing.interventions import resource_texts
    >>> from hypothesis import given, settings
    >>> from folkeskolekvalitet.interventions import parse_resources
    >>> @settings(max_examples=10)
    ... @given(resource_texts())
    ... def test_parses(case):
    ...     text, expected = case
    ...     assert parse_resources(text)[0].low == expected.low
    >>> test_parses()
    """
    value = draw(st.sampled_from(sorted(_WORD_FOR)))
    how = written or draw(st.sampled_from(["digits", "words"]))
    if how == "words":
        amount = _WORD_FOR[value]
        if draw(st.booleans()):
            amount = amount.capitalize()
    else:
        amount = f"{value:g}".replace(".", ",")
    phrase, unit = draw(st.sampled_from(_UNIT_PHRASES))
    approximate = draw(st.booleans())
    prefix = draw(st.sampled_from(["Ca. ", "ca. ", "cirka "])) if approximate else ""
    before = draw(st.sampled_from(_FILLER))
    after = draw(st.sampled_from(_FILLER))
    text = " ".join(x for x in (before, f"{prefix}{amount} {phrase}", after) if x)
    return text, Resource(low=float(value), high=float(value), unit=unit, approximate=approximate)


def texts_without_numbers(*, max_words: int = 30) -> st.SearchStrategy[str]:
    """Danish-looking text without any digit or number word.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.interventions import texts_without_numbers
    >>> from hypothesis import given, settings
    >>> from folkeskolekvalitet.interventions import parse_resources
    >>> @settings(max_examples=10)
    ... @given(texts_without_numbers())
    ... def test_nothing(text):
    ...     assert parse_resources(text) == ()
    >>> test_nothing()
    """
    number_words = set(NUMBER_WORDS) | {"halv", "halvt"}
    letters = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=1, max_size=9).filter(
        lambda w: w.lower() not in number_words
    )
    word = st.one_of(st.sampled_from(_PLAIN_WORDS), letters)
    return st.lists(word, max_size=max_words).map(" ".join)


_STATUS_WORDINGS: dict[str, tuple[str, ...]] = {
    "new": ("Ny indsats", "(ny indsats som følge af udlægningen af ressourcer)"),
    "increased_or_adjusted": (
        "Øget og tilpasset indsats",
        "(indsats der er øget eller tilpasset som følge af udlægning)",
        "Indsats der er øget",
    ),
    "unchanged": ("Indsatsen uændret",),
    "existing_before": (
        "Indsats, der var der i forvejen",
        "indsats, der var der i forvejen – opprioriteret i år",
    ),
}

_SCHOOLS = ("Baltorpskolen", "Rude Skov Skole", "Herstedøster Skole", "Ellebjergskolen")
_NAMES = ("Co-teaching", "Læsevejledning", "Miniklasse", "AKT", "Holddannelse", "Turbo")


@st.composite
def survey_exports(
    draw: st.DrawFn, *, max_schools: int = 3, max_interventions: int = 4
) -> tuple[str, list[dict[str, object]]]:
    """A survey export in the form tool's format, and what it must parse to.

    The export varies the way real exports do: headings alone or glued to the
    first field (with "**"), in capitals or not; status wordings; "x" or "X";
    blank lines inside the tick table; stray HTML in the answers.

    Returns
    -------
    tuple of (str, list of dict)
        The export text and, per intervention in order, ``school``, ``name``,
        ``status`` (value or ``None``) and ``practices`` (sorted letters).

    Examples
    --------
    >>> from folkeskolekvalitet.testing.interventions import survey_exports
    >>> from hypothesis import given, settings
    >>> from folkeskolekvalitet.interventions import parse_survey
    >>> @settings(max_examples=10)
    ... @given(survey_exports(max_schools=1, max_interventions=2))
    ... def test_count(case):
    ...     text, expected = case
    ...     assert len(parse_survey(text).interventions) == len(expected)
    >>> test_count()
    """
    schools = draw(
        st.lists(st.sampled_from(_SCHOOLS), min_size=1, max_size=max_schools, unique=True)
    )
    out: list[str] = ["Undersøgelse af indsatser", ""]
    expected: list[dict[str, object]] = []
    for school in schools:
        n = draw(st.integers(1, min(max_interventions, len(_NAMES))))
        glued = draw(st.booleans())
        shown = school.upper() if draw(st.booleans()) else school
        # a school lists each intervention once (a repeated name is a problem)
        names = draw(st.lists(st.sampled_from(_NAMES), min_size=n, max_size=n, unique=True))
        for k, name in enumerate(names):
            status = draw(st.sampled_from([None, *_STATUS_WORDINGS]))
            ticks = draw(st.sets(st.sampled_from([p.value for p in PRACTICES])))
            mark = draw(st.sampled_from(["x", "X"]))
            if k == 0 and glued:
                out.append(f"{shown}**Indsatsens navn: {name}**")
            else:
                if k == 0:
                    out += [shown, ""]
                out.append(f"Indsatsens navn: {name}")
            out.append("")
            if status is not None:
                out += [draw(st.sampled_from(_STATUS_WORDINGS[status])), ""]
            out.append("Hvilken praksis er indsatsen:\tKryds")
            for p in PRACTICES:
                out.append(f"{p.value}: {p.label}\t{mark if p.value in ticks else ''}")
                if draw(st.integers(0, 5)) == 0:
                    out.append("")
            out.append("\tTekst:")
            out.append("Hvor er indsatsen forankret:\tRessourcecentret")
            out.append("Hvad er formålet:\t<p>At styrke elevernes deltagelsesmuligheder</p>")
            out.append(f"Ressourcer/metoder/værktøjer:\t{draw(st.sampled_from(_FILLER))}")
            out.append("")
            expected.append(
                {"school": school, "name": name, "status": status, "practices": sorted(ticks)}
            )
    return "\n".join(out), expected


_RESOURCE = st.builds(
    lambda low, extra, unit, approx, scope: Resource(
        low=low, high=low + extra, unit=unit, approximate=approx, scope=scope
    ),
    st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 10.0, 20.0]),
    st.sampled_from([0.0, 0.0, 1.0]),
    st.sampled_from(
        ["årsværk", "fuldtidsstilling", "timer per uge", "lektioner per uge", "forløb"]
    ),
    st.booleans(),
    st.sampled_from([None, None, None, "i alt", "i hver klasse"]),
)


@st.composite
def intervention_frames(
    draw: st.DrawFn,
    *,
    schools: Sequence[str] = ("Baltorpskolen", "Hedegårdsskolen", "Måløvhøj Skole"),
    max_interventions: int = 12,
) -> pl.DataFrame:
    """The frame of :func:`~folkeskolekvalitet.interventions.to_frame` for drawn interventions.

    Examples
    --------
    >>> from folkeskolekvalitet.testing.interventions import intervention_frames
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(intervention_frames(max_interventions=3))
    ... def test_columns(df):
    ...     assert df.columns[:3] == ["school", "name", "status"]
    >>> test_columns()
    """
    items = []
    n = draw(st.integers(0, max_interventions))
    for k in range(n):
        status = draw(st.sampled_from([None, *STATUSES]))
        items.append(
            Intervention(
                school=draw(st.sampled_from(list(schools))),
                name=f"Indsats {k}",
                status=status,
                status_text=None if status is None else status.label,
                practices=frozenset(draw(st.sets(st.sampled_from(PRACTICES)))),
                anchoring=frozenset(),
                anchoring_text="",
                purpose="",
                resources=tuple(draw(st.lists(_RESOURCE, max_size=3))),
                resources_text="",
                mentioned_resources=tuple(draw(st.lists(_RESOURCE, max_size=1))),
                line=k + 1,
            )
        )
    return to_frame(items)


def pupil_frames(
    *,
    school_years: Sequence[str] = ("2019/20", "2020/21"),
    municipalities: Sequence[str] = ("151", "153", "157"),
    min_pupils: int = 0,
    max_pupils: int = 40,
) -> st.SearchStrategy[pl.DataFrame]:
    """Pupils for :func:`~folkeskolekvalitet.interventions.inclusion_rate`.

    Columns ``school_year``, ``municipality_code``, ``pupil_id`` (unique),
    ``school_type`` (Enum) and ``special_class`` (null outside folkeskoler and
    kommunale ungdomsskoler, where it is never null).

    Examples
    --------
    >>> from folkeskolekvalitet.testing.interventions import pupil_frames
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(pupil_frames(max_pupils=5))
    ... def test_columns(df):
    ...     assert "school_type" in df.columns
    >>> test_columns()
    """
    types = [t.value for t in SCHOOL_TYPES]
    class_based = [t.value for t in SCHOOL_TYPES if t.municipal and not t.segregated]
    frames = dataframes(
        [
            sampled_column("school_year", pl.String, list(school_years)),
            sampled_column("municipality_code", pl.String, list(municipalities)),
            sampled_column("school_type", pl.String, types),
            column("special_class", dtype=pl.Boolean, allow_null=False),
            column("unknown_elsewhere", dtype=pl.Boolean, allow_null=False),
        ],
        min_size=min_pupils,
        max_size=max_pupils,
    )

    def finish(df: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
        assert isinstance(df, pl.DataFrame)
        kind = pl.col("school_type")
        return df.with_row_index("i").select(
            "school_year",
            "municipality_code",
            pl.format("p{}", pl.col("i")).alias("pupil_id"),
            kind.cast(SCHOOL_TYPE_ENUM),
            pl.when(~kind.is_in(class_based) & pl.col("unknown_elsewhere"))
            .then(None)
            .otherwise(pl.col("special_class"))
            .alias("special_class"),
        )

    return frames.map(finish)
