"""A synthetic Denmark: one coherent country for demos, tests, docs and benchmarks.

:func:`country` draws the 98 municipalities with their real codes and names,
schools roughly in proportion to the real ones, and cohorts of pupils who move
up one grade level a year. One latent picture per pupil (a socio-economic
index, an ability that correlates with it, the school's effects) drives the
exam grades, national test results, well-being answers, absence and
transition statuses of the same pupil, so the families fit together the way
real data do. National levels follow the official figures (see
:data:`NATIONAL_TARGETS`); the known breaks are there (the COVID exam years,
the national test regimes, the sample-only test year 2019/20, the 2023 change
in how applications are counted).

The data are synthetic: no real pupil, school or municipality result is in
them. School names are invented; the number of schools per municipality is an
approximation.
"""

from __future__ import annotations

import pathlib
import random
from collections.abc import Callable, Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.municipalities import municipality, municipality_code
from folkeskolekvalitet.synthetic import _world
from folkeskolekvalitet.synthetic._world import World

__all__ = ["FAMILIES", "NATIONAL_TARGETS", "Country", "country", "write_country"]

#: The family frames of a :class:`Country`, named after the family modules.
FAMILIES = ("exams", "national_tests", "wellbeing", "competence", "absence", "transitions")

#: National figures the synthetic country aims at, with their sources. Each entry is
#: ``(low, high, source)``: the range the country's national figure must fall in, per
#: school year where it is given per year in the source.
NATIONAL_TARGETS: dict[str, tuple[float, float, str]] = {
    "grade_average": (
        7.0,
        7.9,
        "Afgangseksamen averages 7,3 (2017/18), 7,4 (2018/19), 7,5 (2019/20), 7,8 (2020/21),"
        " 7,4 (2022/23): uvm.dk news 29 Sep 2021, uni-c.dk news 19 Sep 2023",
    ),
    "reading_good_share": (
        0.62,
        0.80,
        "Share good readers in the nationale test 2014/15-2020/21, 62-79 % (STIL 8 Nov 2021);"
        " overgangstest 72 % (2022/23) and 68 % (2023/24) (uvm.dk news 2 May 2024)",
    ),
    "wellbeing_general": (
        3.5,
        3.8,
        "General well-being 4.-9. klasse 3,7 (2017/18-2021/22), 3,6 (2022/23):"
        " uvm.dk news 7 Oct 2021 and 23 May 2023",
    ),
    "absence_total": (
        0.05,
        0.085,
        "Average total absence 5,2-8 % (2013/14-2022/23): uvm.dk/statistik/grundskolen/elever/"
        "elevfravaer; uni-c.dk news 9 Nov 2023",
    ),
    "youth_education_3m": (
        0.36,
        0.50,
        "About 42-44 % of a 9.-klasse årgang in a youth education three months later"
        " (uvm.dk/statistik/grundskolen/elever/overgang-til-uddannelser, 5 Sep 2022)",
    ),
    "youth_education_15m": (
        0.80,
        0.92,
        "About 86-87 % fifteen months later (same source)",
    ),
    "tenth_grade_application": (
        0.38,
        0.58,
        "51 % of 9.-klasse pupils applied for 10. klasse in 2021; fewer from 2023 (method"
        " change): uvm.dk søgning til ungdomsuddannelserne, 5 Sep 2022 and 18 Apr 2023",
    ),
    "inclusion_rate": (
        0.935,
        0.96,
        "Inklusionsgrad 94,6 % (2011/12), 95,2 % (2015/16), 94,7 % (2018/19), 94,1 % (2020/21):"
        " uvm.dk/statistik/grundskolen/elever/specialundervisning",
    ),
}

_DEFAULT_YEARS = ("2021/22", "2022/23", "2023/24")


def _cut(frame: pl.DataFrame, code: str) -> pl.DataFrame:
    """The rows of one municipality (by ``municipality_code`` or the institution number)."""
    if "municipality_code" in frame.columns:
        return frame.filter(pl.col("municipality_code").cast(pl.String) == code)
    return frame.filter(pl.col("institution_id").cast(pl.String).str.starts_with(code))


@attrs.frozen(eq=False)
class Country:
    """A synthetic country (or part of one): one frame per indicator family and the registers.

    Attributes
    ----------
    exams, national_tests, wellbeing, competence, absence, transitions
        The input frames of the family of the same name (exam registrations,
        national test results, trivselsmåling answers, lesson plans, absence
        records, leavers of 9. klasse). ``absence`` has one row per pupil and
        calendar quarter (a ``quarter`` column): every absence function takes
        it, :func:`~folkeskolekvalitet.absence.quarterly_flags` per quarter and
        the others adding the quarters up to the school year.
    enrolment
        One row per enrolled pupil and school year: ``school_year``,
        ``municipality_code``, ``institution_id``, ``grade_level``,
        ``class_id``, ``pupil_id`` and ``ses_index`` (the pupil's synthetic
        socio-economic index, about N(0, 1) nationally).
    inclusion
        The pupils of the inklusionsgrad (the input of
        :func:`folkeskolekvalitet.interventions.inclusion_rate`): one row per
        pupil and school year with ``school_year``, ``municipality_code``,
        ``grade_level``, ``pupil_id``, ``school_type`` and ``special_class``;
        the enrolled pupils (``folkeskole``, a few in a specialklasse) and the
        pupils at specialskoler and in dagbehandling, who are in no other frame.
    institutions
        One row per school: ``institution_id``, ``name``,
        ``municipality_code``, ``municipality``.
    interventions
        A survey export of the municipalities' interventions (mellemformer),
        as text in the form tool's format (:func:`folkeskolekvalitet.interventions.parse_survey`).
    school_years, seed, scale
        How the country was drawn.
    """

    exams: pl.DataFrame
    national_tests: pl.DataFrame
    wellbeing: pl.DataFrame
    competence: pl.DataFrame
    absence: pl.DataFrame
    transitions: pl.DataFrame
    enrolment: pl.DataFrame
    inclusion: pl.DataFrame
    institutions: pl.DataFrame
    interventions: str
    school_years: tuple[str, ...]
    seed: int
    scale: float

    def frames(self) -> dict[str, pl.DataFrame]:
        """The family frames and the registers by name (not ``interventions``)."""
        return {
            **{name: getattr(self, name) for name in FAMILIES},
            "enrolment": self.enrolment,
            "inclusion": self.inclusion,
            "institutions": self.institutions,
        }

    def municipality(self, code: str) -> Country:
        """The part of the country in one municipality (code or name).

        Examples
        --------
        >>> from folkeskolekvalitet.synthetic import country
        >>> dk = country(school_years=["2023/24"], scale=0.01, municipalities=["151", "101"])
        >>> ballerup = dk.municipality("Ballerup")
        >>> ballerup.institutions["municipality"].unique().to_list()
        ['Ballerup']
        """
        key = _code(code)
        frames = {name: _cut(frame, key) for name, frame in self.frames().items()}
        return Country(
            **frames,
            interventions=survey_text(frames["institutions"], self.seed),
            school_years=self.school_years,
            seed=self.seed,
            scale=self.scale,
        )

    def write(self, directory: str | pathlib.Path) -> pathlib.Path:
        """Write the country as ``DIR/<family>.parquet``, the registers and ``interventions.txt``.

        The layout the report command reads: one Parquet file per family
        attribute (``exams.parquet``, ...), ``enrolment.parquet``,
        ``inclusion.parquet``, ``institutions.parquet`` and
        ``interventions.txt`` (UTF-8). The
        directory is created if needed; existing files are replaced.

        Returns
        -------
        pathlib.Path
            The directory.
        """
        out = pathlib.Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in self.frames().items():
            frame.write_parquet(out / f"{name}.parquet")
        (out / "interventions.txt").write_text(self.interventions, encoding="utf-8")
        return out


def _code(text: str) -> str:
    text = str(text).strip()
    return municipality(text).code if text.isdigit() else municipality_code(text)


_FamilyRows = Callable[[World, str], pl.LazyFrame]


def _quarterly_absence(world: World, year: str) -> pl.LazyFrame:
    return _world.absence_rows(world, year, quarterly=True)


_FAMILY_ROWS: dict[str, _FamilyRows] = {
    "exams": _world.exam_rows,
    "national_tests": _world.national_test_rows,
    "wellbeing": _world.wellbeing_rows,
    "competence": _world.competence_rows,
    "absence": _quarterly_absence,
    "transitions": _world.transition_rows,
    "enrolment": _world.enrolment,
    "inclusion": _world.inclusion_rows,
}


def country(
    *,
    school_years: Sequence[str] = _DEFAULT_YEARS,
    scale: float = 1.0,
    seed: int = 0,
    municipalities: Sequence[str] | None = None,
) -> Country:
    """A synthetic Denmark: every family's frames for the same pupils and schools.

    Parameters
    ----------
    school_years
        The school years to draw (``"2021/22"`` ...), up to 2024/25 (the last
        year with a confirmed exam catalogue). Pupils present in several years
        move up one grade level a year.
    scale
        Share of the schools to draw: 1.0 gives about 1,050 folkeskoler, 0.1
        about 150 (every municipality keeps at least one school). Schools keep
        their realistic size, so a smaller scale means fewer schools, not
        smaller ones.
    seed
        Seed; the same seed gives the same frames (for a given Polars version).
    municipalities
        Draw only these municipalities (codes or names); the result is the same
        as cutting them out of the whole country with :meth:`Country.municipality`.

    Returns
    -------
    Country
        The frames, the registers and a survey export of interventions.

    Notes
    -----
    The model, on a standardised latent scale: each school has an achievement
    effect (sd 0.22), a mean socio-economic level (sd 0.45), a well-being
    effect and an absence effect; each pupil has a socio-economic index
    (``ses_index`` in ``enrolment``), an ability correlated 0.4 with it, a
    well-being propensity (higher with ses and ability) and an absence
    propensity (lower with ses and ability). Exam grades, test results,
    answers, absence and the application and statuses after 9. klasse are all
    drawn from these. National levels per year are in
    :data:`NATIONAL_TARGETS`, ``EXAM_AVERAGE`` and ``ABSENCE_TOTAL``.

    Examples
    --------
    >>> from folkeskolekvalitet.synthetic import country
    >>> dk = country(school_years=["2022/23", "2023/24"], scale=0.01, municipalities=["151"])
    >>> dk.institutions.columns
    ['institution_id', 'name', 'municipality_code', 'municipality']
    >>> dk.institutions["institution_id"].str.slice(0, 3).unique().to_list()
    ['151']
    >>> sorted(dk.exams["school_year"].unique().to_list())
    ['2022/23', '2023/24']
    """
    codes = None if municipalities is None else [_code(c) for c in municipalities]
    world = _world.make_world(
        school_years=school_years, scale=scale, seed=seed, municipality_codes=codes
    )
    frames: dict[str, pl.DataFrame] = {}
    for name, rows in _FAMILY_ROWS.items():
        # the streaming engine: about three times faster on the well-being answers'
        # cross join, and a smaller peak (the same rows in the same order)
        parts = [rows(world, year).collect(engine="streaming") for year in world.years]
        frames[name] = pl.concat(parts, how="vertical", rechunk=False)
    institutions = world.schools.select(
        "institution_id", "name", "municipality_code", "municipality"
    )
    return Country(
        **frames,
        institutions=institutions,
        interventions=survey_text(institutions, seed),
        school_years=world.years,
        seed=seed,
        scale=float(scale),
    )


def write_country(
    directory: str | pathlib.Path,
    *,
    school_years: Sequence[str] = _DEFAULT_YEARS,
    scale: float = 1.0,
    seed: int = 0,
    municipalities: Sequence[str] | None = None,
) -> pathlib.Path:
    """Draw a synthetic Denmark and write it to ``directory``, year by year.

    The same files as ``country(...).write(directory)`` with the same content,
    but each family is streamed to its Parquet file one school year at a time,
    so a whole country over many years never has to fit in memory at once (the
    ``folkeskolekvalitet synthetic`` command uses this).

    Parameters
    ----------
    directory
        Output directory (created if needed; existing files are replaced).
    school_years, scale, seed, municipalities
        As in :func:`country`.

    Returns
    -------
    pathlib.Path
        The directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from folkeskolekvalitet.synthetic import write_country
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_country(tmp, school_years=["2023/24"], scale=0.01, municipalities=["151"])
    ...     sorted(p.name for p in pathlib.Path(out).iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['absence.parquet', 'competence.parquet', 'enrolment.parquet', 'exams.parquet',
     'inclusion.parquet', 'institutions.parquet', 'interventions.txt',
     'national_tests.parquet', 'transitions.parquet', 'wellbeing.parquet']
    """
    codes = None if municipalities is None else [_code(c) for c in municipalities]
    world = _world.make_world(
        school_years=school_years, scale=scale, seed=seed, municipality_codes=codes
    )
    out = pathlib.Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in _FAMILY_ROWS.items():
        plan = pl.concat([rows(world, year) for year in world.years], how="vertical")
        plan.sink_parquet(out / f"{name}.parquet")
    institutions = world.schools.select(
        "institution_id", "name", "municipality_code", "municipality"
    )
    institutions.write_parquet(out / "institutions.parquet")
    (out / "interventions.txt").write_text(survey_text(institutions, seed), encoding="utf-8")
    return out


_INTERVENTIONS = (
    ("Co-teaching - to voksne underviser sammen", "CE"),
    ("Læsevejledning i indskolingen", "BD"),
    ("Miniklasse for elever i mistrivsel", "A"),
    ("AKT-team og trivselsvejledning", "BCD"),
    ("Holddannelse i matematik", "AC"),
    ("Turboforløb i læsning", "AB"),
    ("Ressourcecenter med inklusionsvejledere", "DE"),
    ("Fleksible læringsmiljøer", "C"),
)
_STATUS = (
    "(ny indsats som følge af udlægningen af ressourcer)",
    "(indsats der er øget eller tilpasset som følge af udlægning)",
    None,
)
_PRACTICES = (
    ("A", "Miniklasser og elever delvist uden for klassen gennem særlig indsats"),
    ("B", "Individualiserede tiltag rettet mod enkeltbørn gennem indsats ved ressourceperson"),
    ("C", "Tiltag rettet mod alle klassens børn og evt. lærer gennem indsats ved ressourceperson"),
    ("D", "Sparring/vejledning af almenlærer/pædagog ift. enkeltbørn"),
    (
        "E",
        "Sparring/vejledning/mesterlære/co-teaching/aktionslæring ift. almen lærer/pædagog med"
        " fokus på hele klassefællesskabet",
    ),
)


def survey_text(institutions: pl.DataFrame, seed: int) -> str:
    """A survey export of 1-3 interventions per school, in the form tool's format.

    Deterministic for the seed and each school's institution number, so a
    municipality's part of the country's export is the municipality's own export.
    """
    out = [
        "Undersøgelse af indsatser til at opnå målet med udlægning af ressourcer",
        "",
        "Neden for har hver skole beskrevet de indsatser, som midlerne er anvendt til.",
        "",
    ]
    for institution_id, name in institutions.select("institution_id", "name").iter_rows():
        rng = random.Random(f"{seed}-{institution_id}")
        chosen = rng.sample(_INTERVENTIONS, rng.randint(1, 3))
        out += [f"{name.upper()} ({institution_id})", ""]
        for title, ticks in chosen:
            hours = rng.choice((2, 4, 6, 10, 20))
            out += [f"Indsatsens navn: {title}", ""]
            status = rng.choice(_STATUS)
            if status is not None:
                out += [status, ""]
            out.append("Hvilken praksis er indsatsen:\tKryds")
            out += [f"{key}: {label}\t{'x' if key in ticks else ''}" for key, label in _PRACTICES]
            out += [
                "\tTekst:",
                "Hvor er indsatsen forankret:\tRessourcecentret og de pædagogiske ledere",
                "Hvad er formålet:\tAt styrke elevernes deltagelse i almenundervisningen",
                f"Ressourcer/metoder/værktøjer:\t{hours} timer om ugen",
                "",
            ]
    return "\n".join(out)


def national_figures(dk: Country) -> dict[str, float]:
    """The country's national figures, computed with the library's own rules.

    Keys as in :data:`NATIONAL_TARGETS`; used by the tests and the docs.
    """
    from folkeskolekvalitet.absence import absence_rates  # noqa: PLC0415
    from folkeskolekvalitet.exams import grade_average  # noqa: PLC0415
    from folkeskolekvalitet.interventions import inclusion_rate  # noqa: PLC0415
    from folkeskolekvalitet.transitions import application_shares, youth_education_share  # noqa: PLC0415
    from folkeskolekvalitet.wellbeing import indicators  # noqa: PLC0415

    everyone = pl.lit("DK").alias("country")
    exams = dk.exams.with_columns(everyone)
    # share good among the readers with a result: a criterion level of God or better in the
    # adaptive test, the "god til" flag in the overgangstest
    tests = dk.national_tests.filter(
        (pl.col("subject") == "dansk_laesning")
        & (pl.col("level").is_not_null() | pl.col("good").is_not_null())
    )
    good = pl.coalesce(
        pl.col("level").cast(pl.String).is_in(["fremragende", "rigtig_god", "god"]),
        pl.col("good"),
    ).cast(pl.Float64)
    wb = dk.wellbeing.with_columns(everyone)
    absence = dk.absence.with_columns(everyone)
    leavers = dk.transitions.with_columns(everyone)
    general = indicators(wb, by="country").filter(pl.col("indicator") == "general")
    apps = application_shares(leavers, by="country")
    return {
        "grade_average": float(grade_average(exams, by="country")["average"][0]),
        "reading_good_share": float(tests.select(good.mean()).item()),
        "wellbeing_general": float(general["mean"][0]),
        "absence_total": float(absence_rates(absence, by="country")["rate_total"][0]),
        "youth_education_3m": float(youth_education_share(leavers, by="country")["share"][0]),
        "youth_education_15m": float(
            youth_education_share(leavers, by="country", horizon="15m")["share"][0]
        ),
        "tenth_grade_application": float(
            apps.filter(pl.col("application") == "tiende_klasse")["share"][0]
        ),
        "inclusion_rate": float(inclusion_rate(dk.inclusion, by=())["inclusion_rate"][0]),
    }
