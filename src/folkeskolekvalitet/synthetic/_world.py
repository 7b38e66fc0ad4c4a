"""The synthetic population behind :func:`folkeskolekvalitet.synthetic.country`.

One latent picture per pupil drives every family:

- each school has an achievement effect, a mean socio-economic level (schools
  differ in intake), a well-being effect and an absence effect;
- each pupil has a socio-economic index ``ses`` (standardised, about N(0, 1)
  nationally; the school's mean plus an individual part), an ``ability`` that
  correlates 0.4 with ``ses``, a well-being propensity and an absence propensity
  that both depend on ``ses`` and ``ability``.

Pupils enter 0. klasse (børnehaveklasse) at one school and move up one grade
level a year; they leave after 9. klasse, or after 10. klasse where the school
has one. All draws are keyed by the institution number, the year of entry and
the pupil's number in the cohort, so a municipality generated on its own is the
same as that municipality cut out of the country.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import attrs
import polars as pl

from folkeskolekvalitet._core.municipalities import MUNICIPALITIES, municipality
from folkeskolekvalitet._core.schoolyear import normalise_school_year, parse_school_year
from folkeskolekvalitet.synthetic._random import logistic, normal, uniform, uniform_and_bits

__all__ = [
    "ABSENCE_TOTAL",
    "EXAM_AVERAGE",
    "PUPILS_PER_GRADE",
    "World",
    "grade_shift",
    "local_world",
    "make_world",
]

#: Average number of pupils per grade level in a folkeskole of average size (about
#: 55,000 pupils a grade level in about 1,050 folkeskoler; the ministry's pupil
#: statistics, uvm.dk/statistik/grundskolen/elever).
PUPILS_PER_GRADE = 52

#: Target national grade average of the bound exams per school year. 2017/18-2022/23 are
#: the published afgangseksamen averages (uvm.dk news 29 Sep 2021; uni-c.dk news 19 Sep
#: 2023): 7,3 / 7,4 / 7,5 (COVID: raised standpunktskarakterer) / 7,8 (COVID: the higher
#: of prøve- and standpunktskarakter) / - / 7,4. The others are assumptions (marked).
EXAM_AVERAGE: dict[str, float] = {
    "2013/14": 7.0,  # assumed
    "2014/15": 7.0,  # assumed
    "2015/16": 7.1,  # assumed
    "2016/17": 7.2,  # assumed
    "2017/18": 7.3,
    "2018/19": 7.4,
    "2019/20": 7.5,
    "2020/21": 7.8,
    "2021/22": 7.5,  # assumed (COVID: prøve- and raised standpunktskarakterer)
    "2022/23": 7.4,
    "2023/24": 7.4,  # assumed
    "2024/25": 7.4,  # assumed
}

#: Target national average total absence per school year (the absence catalogue,
#: ``folkeskolekvalitet.absence.national_level``: uvm.dk/statistik/grundskolen/elever/
#: elevfravaer and the ministry's news 2016, 2018, 2023). Years without a published
#: figure are assumptions (marked).
ABSENCE_TOTAL: dict[str, float] = {
    "2013/14": 0.054,
    "2014/15": 0.054,
    "2015/16": 0.056,
    "2016/17": 0.056,
    "2017/18": 0.059,
    "2018/19": 0.058,  # assumed
    "2019/20": 0.052,
    "2020/21": 0.060,  # assumed
    "2021/22": 0.080,
    "2022/23": 0.070,
    "2023/24": 0.070,  # assumed (21,6 % of pupils above 10 %)
    "2024/25": 0.068,  # assumed
}

# Shares of the absence types (2019/20: 5,5 sick, 3,5 with permission, 1,4 ulovligt days).
_ABSENCE_SHARES = (0.53, 0.34, 0.13)
_SCHOOL_DAYS = 200

# Model coefficients (standardised latent scale).
_SD_SCHOOL_ACH = 0.22
_SD_SCHOOL_SES = 0.45
_SES_ABILITY = 0.40
_EXAM_ABILITY = 0.82
_EXAM_NOISE = 0.50

# Grade cut points on the standard normal scale (about 2 % -3, 5 % 00, 10 % 02, 18 % 4,
# 28 % 7, 25 % 10, 12 % 12 at latent mean 0).
GRADE_CUTS = (-2.054, -1.476, -0.954, -0.385, 0.332, 1.175)
GRADE_POINTS = (-3, 0, 2, 4, 7, 10, 12)
_Z = NormalDist()


def _mean_grade(shift: float, sd: float) -> float:
    probs = [_Z.cdf((c - shift) / sd) for c in GRADE_CUTS]
    bounds = [0.0, *probs, 1.0]
    return sum(p * (bounds[i + 1] - bounds[i]) for i, p in enumerate(GRADE_POINTS))


def grade_shift(target: float, sd: float) -> float:
    """The latent shift that gives mean grade ``target`` for a latent N(shift, sd)."""
    lo, hi = -3.0, 3.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if _mean_grade(mid, sd) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# Stems of school names, combined into unique names within a municipality.
_STEMS = (
    "Lind", "Bakke", "Skov", "Strand", "Eng", "Sø", "Rosen", "Hyld", "Æble", "Birke",
    "Ege", "Bøge", "Mølle", "Kirke", "Vester", "Øster", "Nørre", "Søndre", "Hav", "Å",
    "Fjord", "Vang", "Toft", "Lykke", "Sol", "Kær", "Holm", "Dal", "Højvang", "Kilde",
)  # fmt: skip
_SUFFIXES = ("skolen", "vejens Skole", "gårdskolen", "parkskolen")


def school_names(count: int) -> list[str]:
    """``count`` distinct Danish-looking school names (deterministic)."""
    names = [f"{stem}{suffix}" for suffix in _SUFFIXES for stem in _STEMS]
    if count > len(names):
        names += [f"Skole {i}" for i in range(len(names) + 1, count + 1)]
    return names[:count]


@attrs.frozen
class World:
    """The population: schools and pupils with their latent picture (both eager)."""

    schools: pl.DataFrame
    pupils: pl.DataFrame
    years: tuple[str, ...]
    seed: int


def _schools(codes: Sequence[str], scale: float, seed: int) -> pl.DataFrame:
    rows: list[tuple[str, str, str, str]] = []
    for code in codes:
        m = municipality(code)
        n = max(1, round(m.schools * scale))
        for i, name in enumerate(school_names(n)):
            rows.append((m.code, m.name, f"{m.code}{i + 1:03d}", name))
    return _school_effects(rows, seed)


def _school_effects(rows: list[tuple[str, str, str, str]], seed: int) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema={
            "municipality_code": pl.String,
            "municipality": pl.String,
            "institution_id": pl.String,
            "name": pl.String,
        },
        orient="row",
    )
    skey = pl.col("institution_id").cast(pl.Int64)
    return frame.with_columns(skey.alias("skey")).with_columns(
        (normal(pl.col("skey"), seed, 101) * _SD_SCHOOL_ACH).alias("school_ach"),
        (normal(pl.col("skey"), seed, 103) * _SD_SCHOOL_SES).alias("school_ses"),
        (normal(pl.col("skey"), seed, 105) * 0.12).alias("school_wb"),
        (normal(pl.col("skey"), seed, 107) * 0.20).alias("school_abs"),
        (0.55 + 0.9 * uniform(pl.col("skey"), seed, 109)).alias("size"),
        (uniform(pl.col("skey"), seed, 111) < 0.12).alias("has_tenth"),
        (uniform(pl.col("skey"), seed, 113) < 0.5).alias("tests_2019"),
    )


def local_world(
    *,
    n_schools: int,
    municipality_code: str,
    school_years: Sequence[str],
    pupils_per_grade: float,
    seed: int,
) -> World:
    """The population of one municipality with ``n_schools`` schools (the per-family generators).

    Institution ids are the municipality code followed by a number of at least
    three digits (``"151001"``); any three-digit code is accepted.
    """
    if n_schools < 1:
        msg = f"n_schools must be at least 1, not {n_schools!r}"
        raise ValueError(msg)
    try:
        name = municipality(municipality_code).name
    except ValueError:
        name = str(municipality_code)
    width = max(3, len(str(n_schools)))
    names = school_names(n_schools)
    rows = [
        (municipality_code, name, f"{municipality_code}{i + 1:0{width}d}", names[i])
        for i in range(n_schools)
    ]
    return _population(_school_effects(rows, seed), school_years, seed, pupils_per_grade)


def make_world(
    *,
    school_years: Sequence[str],
    scale: float = 1.0,
    seed: int = 0,
    municipality_codes: Sequence[str] | None = None,
    pupils_per_grade: float = PUPILS_PER_GRADE,
) -> World:
    """Schools and every pupil enrolled in at least one of ``school_years``."""
    if not school_years:
        msg = "school_years must name at least one school year"
        raise ValueError(msg)
    if not scale > 0:
        msg = f"scale must be positive, not {scale!r}"
        raise ValueError(msg)
    codes = (
        [m.code for m in MUNICIPALITIES]
        if municipality_codes is None
        else [municipality(c).code for c in municipality_codes]
    )
    return _population(_schools(codes, scale, seed), school_years, seed, pupils_per_grade)


def _population(
    schools: pl.DataFrame, school_years: Sequence[str], seed: int, pupils_per_grade: float
) -> World:
    years = tuple(sorted({normalise_school_year(y) for y in school_years}))
    starts = [parse_school_year(y) for y in years]
    first, last = min(starts), max(starts)
    entries = pl.DataFrame({"entry": list(range(first - 10, last + 1))}, schema={"entry": pl.Int64})
    ses_sd = math.sqrt(1 - _SD_SCHOOL_SES**2)
    ability_sd = math.sqrt(1 - _SES_ABILITY**2)
    pupils = (
        schools.lazy()
        .select("skey", "size", "school_ses", "has_tenth")
        .join(entries.lazy(), how="cross")
        .with_columns((pl.col("skey") * 200 + (pl.col("entry") - 1950)).alias("ckey"))
        .with_columns(
            (pl.col("size") * pupils_per_grade * (0.9 + 0.2 * uniform(pl.col("ckey"), seed, 121)))
            .round()
            .cast(pl.Int64)
            .clip(lower_bound=1)
            .alias("n_cohort")
        )
        .with_columns(pl.int_ranges(0, pl.col("n_cohort")).alias("pupil"))
        .explode("pupil")
        .with_columns((pl.col("ckey") * 512 + pl.col("pupil")).alias("pkey"))
        .with_columns(normal(pl.col("pkey"), seed, 131).alias("_z_ses"))
        .with_columns((pl.col("school_ses") + ses_sd * pl.col("_z_ses")).alias("ses"))
        .with_columns(
            (
                _SES_ABILITY * pl.col("ses")
                + ability_sd * normal(pl.col("pkey"), seed, 133)
                # a gentle upward trend: later cohorts do a little better
                + 0.01 * (pl.col("entry") - 2010)
            ).alias("ability"),
            normal(pl.col("pkey"), seed, 135).alias("_z_wb"),
            normal(pl.col("pkey"), seed, 137).alias("_z_abs"),
            (pl.col("has_tenth") & (uniform(pl.col("pkey"), seed, 139) < 0.2)).alias("tenth"),
            # pupils per class: classes of at most 26
            ((pl.col("n_cohort") + 25) // 26).alias("n_classes"),
        )
        .with_columns(
            (0.15 * pl.col("ses") + 0.25 * pl.col("ability") + 0.95 * pl.col("_z_wb")).alias("wb"),
            (-0.30 * pl.col("ses") - 0.15 * pl.col("ability") + 0.93 * pl.col("_z_abs")).alias(
                "absence_propensity"
            ),
        )
        .select(
            "skey",
            "entry",
            "pupil",
            "pkey",
            "n_classes",
            "ses",
            "ability",
            "wb",
            "absence_propensity",
            "tenth",
        )
        .collect()
    )
    return World(schools=schools, pupils=pupils, years=years, seed=seed)


def pupil_id(pkey: pl.Expr) -> pl.Expr:
    """The pseudonymous pupil id: ``"E"`` and the pupil's 11-digit number.

    The number is the institution number, the year of entry and the pupil's
    place in the cohort, so ids are unique across the country; the letter
    (and the 11 digits) mean an id never looks like a CPR number. Twelve
    characters fit inline in a Polars string view, which keeps the largest
    frames small.
    """
    return pl.format("E{}", pkey)


def pupil_years(world: World, year: str) -> pl.LazyFrame:
    """The pupils enrolled in ``year`` with their grade level, class and school columns."""
    start = parse_school_year(year)
    grade = pl.lit(start, dtype=pl.Int64) - pl.col("entry")
    letters = pl.lit("abcdefghijklmnop")
    return (
        world.pupils.lazy()
        .filter((grade.is_between(0, 9)) | ((grade == 10) & pl.col("tenth")))
        .with_columns(
            pl.lit(year).alias("school_year"),
            grade.cast(pl.Int8).alias("grade_level"),
        )
        .join(
            world.schools.lazy().select(
                "skey",
                "municipality_code",
                "institution_id",
                "school_ach",
                "school_wb",
                "school_abs",
                "tests_2019",
            ),
            on="skey",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.format(
                "{}{}",
                pl.col("grade_level"),
                letters.str.slice(pl.col("pupil") % pl.col("n_classes"), 1),
            ).alias("class_id"),
        )
    )


def enrolment(world: World, year: str) -> pl.LazyFrame:
    """One row per enrolled pupil: the ``enrolment`` frame of the country."""
    return pupil_years(world, year).select(
        "school_year",
        "municipality_code",
        "institution_id",
        "grade_level",
        "class_id",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        pl.col("ses").alias("ses_index"),
    )


def exam_latent_sd() -> float:
    """Standard deviation of the exam latent (school + pupil + delprøve noise)."""
    # ability = 0.4 ses + sqrt(1 - 0.4^2) z has variance 1 (ses is about N(0, 1))
    return math.sqrt(_SD_SCHOOL_ACH**2 + _EXAM_ABILITY**2 + _EXAM_NOISE**2)


def absence_targets(year: str) -> float:
    """The national total absence to aim for in ``year`` (nearest known year outside)."""
    if year in ABSENCE_TOTAL:
        return ABSENCE_TOTAL[year]
    first, last = min(ABSENCE_TOTAL), max(ABSENCE_TOTAL)
    return ABSENCE_TOTAL[first if year < first else last]


def exam_target(year: str) -> float:
    """The national grade average to aim for in ``year`` (nearest known year outside)."""
    if year in EXAM_AVERAGE:
        return EXAM_AVERAGE[year]
    first, last = min(EXAM_AVERAGE), max(EXAM_AVERAGE)
    return EXAM_AVERAGE[first if year < first else last]


# School days and months per calendar quarter, in school-year order (Q3 = August-September,
# Q4, Q1, Q2 = April-June); about 200 school days and 11 months (August-June) in a year.
_QUARTERS = pl.LazyFrame(
    {
        "quarter": [3, 4, 1, 2],
        "q_days": [36.0, 56.0, 58.0, 50.0],
        "q_months": [2.0, 3.0, 3.0, 3.0],
        "months_after": [9.0, 6.0, 3.0, 0.0],
    },
    schema_overrides={"quarter": pl.Int8},
)


def absence_rows(world: World, year: str, *, quarterly: bool = False) -> pl.LazyFrame:
    """Absence per pupil and school year (or calendar quarter), driven by the absence propensity.

    Days are drawn per quarter (each quarter's days within its school days) and
    summed to the year, so the yearly and the quarterly records agree exactly.
    """
    seed = world.seed
    target = absence_targets(year)
    # total rate = target * exp(0.6 z + school + 0.4 noise - var/2): mean about the target
    var = 0.6**2 + 0.20**2 + 0.4**2
    sick, auth, unauth = _ABSENCE_SHARES
    yk = parse_school_year(year)
    frame = pupil_years(world, year).filter(pl.col("grade_level") <= 9)
    key = pl.col("pkey") * 64 + (yk - 1990)
    base = (
        0.6 * pl.col("absence_propensity")
        + pl.col("school_abs")
        + 0.4 * normal(key, seed, 141)
        - var / 2
    ).exp() * target
    u_months, _ = uniform_and_bits(key, seed, 143)
    months = (
        pl.when(u_months < 0.004)
        .then(0.0)
        .when(u_months < 0.05)
        .then((1 + (u_months * 200).floor()).clip(1, 10))
        .otherwise(11.0)
    )
    qkey = key * 8 + pl.col("quarter").cast(pl.Int64)
    # exp(0.25 L) for a logistic L has mean pi/4 / sin(pi/4); divide it out
    norm = (math.pi * 0.25) / math.sin(math.pi * 0.25)
    # one hash per pupil and quarter, cut into three 21-bit uniforms (one per kind of absence)
    hashed = qkey.hash(seed=seed * 7919 + 145)
    bits21 = 2**21
    noise_kind = [
        (0.25 * logistic(((hashed // bits21**i) % bits21 + 0.5).cast(pl.Float64) / bits21)).exp()
        / norm
        for i in range(3)
    ]
    rows = (
        frame.with_columns(base.alias("_rate"), months.alias("_months"))
        .join(_QUARTERS, how="cross", maintain_order="left_right")
        .with_columns(
            (pl.col("_months") - pl.col("months_after"))
            .clip(lower_bound=0.0, upper_bound=pl.col("q_months"))
            .alias("months_q")
        )
        .with_columns(
            (pl.col("q_days") * pl.col("months_q") / pl.col("q_months")).round().alias("_d")
        )
        .with_columns(
            (pl.col("_d") * pl.col("_rate") * sick * noise_kind[0])
            .round()
            .clip(upper_bound=pl.col("_d"))
            .alias("sick_days")
        )
        .with_columns(
            (pl.col("_d") * pl.col("_rate") * auth * noise_kind[1])
            .round()
            .clip(upper_bound=pl.col("_d") - pl.col("sick_days"))
            .alias("authorised_days")
        )
        .with_columns(
            (
                pl.col("_d")
                * pl.col("_rate")
                * unauth
                * noise_kind[2]
                * (0.4 * pl.col("absence_propensity") - 0.08).exp()
            )
            .round()
            .clip(upper_bound=pl.col("_d") - pl.col("sick_days") - pl.col("authorised_days"))
            .alias("unauthorised_days")
        )
    )
    counts = ("sick_days", "authorised_days", "unauthorised_days")
    ids = ("school_year", "municipality_code", "institution_id", "pkey", "grade_level")
    if not quarterly:
        rows = (
            rows.group_by(ids)
            .agg(pl.col("_d").sum(), *[pl.col(c).sum() for c in counts], pl.col("months_q").sum())
            .sort("pkey")
        )
    return rows.select(
        "school_year",
        *(["quarter"] if quarterly else []),
        "municipality_code",
        "institution_id",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        "grade_level",
        pl.col("_d").cast(pl.Int32).alias("school_days"),
        *[pl.col(c).cast(pl.Int32) for c in counts],
        pl.col("months_q").cast(pl.Int8).alias("months_registered"),
    )


def exam_rows(world: World, year: str) -> pl.LazyFrame:
    """Exam registrations of the pupils in 9. klasse in ``year``."""
    from folkeskolekvalitet.exams.catalogue import EXAM_ENUM, bound_exams  # noqa: PLC0415
    from folkeskolekvalitet.exams.grades import (  # noqa: PLC0415
        EXCEPTION_CODE_ENUM,
        GRADE_ENUM,
    )

    seed = world.seed
    exams = pl.LazyFrame(
        {"exam": [e.key for e in bound_exams(year)]}, schema={"exam": pl.String}
    ).with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("eidx"))
    yk = parse_school_year(year)
    sd = exam_latent_sd()
    shift = grade_shift(exam_target(year), sd)
    pupils = (
        pupil_years(world, year)
        .filter(pl.col("grade_level") == 9)
        .with_columns((pl.col("pkey") * 64 + (yk - 1990)).alias("pykey"))
        .with_columns(uniform(pl.col("pykey"), seed, 151).alias("u_pupil"))
        .with_columns(
            (0.008 * (-0.9 * pl.col("ability")).exp()).alias("p_exempt"),
            (0.03 * (-0.5 * pl.col("ability") + 0.4 * pl.col("absence_propensity")).exp()).alias(
                "p_miss"
            ),
        )
    )
    rows = pupils.join(exams, how="cross", maintain_order="left_right").with_columns(
        (pl.col("pykey") * 16 + pl.col("eidx")).alias("rkey")
    )
    latent = (
        shift
        + pl.col("school_ach")
        + _EXAM_ABILITY * pl.col("ability")
        - 0.01 * (pl.col("entry") - 2010)  # the cohort trend is in the yearly target
        + _EXAM_NOISE * normal(pl.col("rkey"), seed, 153)
    )
    step = pl.sum_horizontal([(pl.col("_latent") >= cut).cast(pl.Int8) for cut in GRADE_CUTS])
    texts = dict(enumerate(GRADE_ENUM.categories.to_list()))
    u_row = uniform(pl.col("rkey"), seed, 155)
    exempt_all = pl.col("u_pupil") < pl.col("p_exempt")
    misses_some = ~exempt_all & (pl.col("u_pupil") < pl.col("p_exempt") + pl.col("p_miss"))
    code = (
        pl.when(exempt_all)
        .then(
            pl.when(pl.col("u_pupil") < pl.col("p_exempt") / 2)
            .then(pl.lit("88"))
            .otherwise(pl.lit("85"))
        )
        .when(misses_some & (u_row < 0.5))
        .then(pl.when(u_row < 0.3).then(pl.lit("87")).otherwise(pl.lit("89")))
        .when(u_row < 0.004)
        .then(pl.lit("89"))
        .otherwise(None)
        .cast(EXCEPTION_CODE_ENUM)
    )
    return (
        rows.with_columns(latent.alias("_latent"), code.alias("exception_code"))
        .with_columns(
            pl.when(pl.col("exception_code").is_null())
            .then(step.replace_strict(texts, return_dtype=GRADE_ENUM))
            .otherwise(None)
            .alias("grade")
        )
        .select(
            "school_year",
            "municipality_code",
            "institution_id",
            pupil_id(pl.col("pkey")).alias("pupil_id"),
            pl.col("exam").cast(EXAM_ENUM),
            "grade",
            "exception_code",
        )
    )


def national_test_rows(world: World, year: str) -> pl.LazyFrame:
    """Obligatory national test results of ``year`` (the regime of the year)."""
    from folkeskolekvalitet.national_tests.catalogue import (  # noqa: PLC0415
        SUBJECT_ENUM,
        regime_for,
    )
    from folkeskolekvalitet.national_tests.levels import CRITERION_FIRST_YEAR  # noqa: PLC0415
    from folkeskolekvalitet.synthetic.national_tests import (  # noqa: PLC0415
        _level_from_latent,
        _tests_frame,
    )

    seed = world.seed
    yk = parse_school_year(year)
    regime = regime_for(year)
    linear = regime.result == "points"
    flag_good = regime.key == "overgangstest"
    levels = regime.result == "level" and yk >= parse_school_year(CRITERION_FIRST_YEAR)
    tests = _tests_frame([year]).with_columns(pl.col("grade_level").cast(pl.Int8))
    frame = pupil_years(world, year)
    if yk == 2019:
        frame = frame.filter(pl.col("tests_2019"))
    rows = (
        frame.join(tests, on=["school_year", "grade_level"], maintain_order="left_right")
        .with_columns(
            (
                (pl.col("pkey") * 64 + (yk - 1990)) * 8
                + pl.col("subject").cast(SUBJECT_ENUM).to_physical().cast(pl.Int64)
            ).alias("rkey")
        )
        .with_columns(
            (
                pl.col("school_ach")
                + 0.8 * pl.col("ability")
                - 0.01 * (pl.col("entry") - 2010)
                + 0.52 * normal(pl.col("rkey"), seed, 161)
            ).alias("_latent"),
            (uniform(pl.col("rkey"), seed, 163) > 0.03).alias("_has"),
        )
    )
    criterion = pl.col("subject").is_in(["dansk_laesning", "matematik"])
    percentile = (
        (100.0 / (1.0 + (-1.702 * pl.col("_latent")).exp())).ceil().clip(1, 100).cast(pl.Int8)
    )
    max_points = pl.when(pl.col("grade_level") == 2).then(40.0).otherwise(60.0)
    points = (max_points / (1.0 + (-1.3 * (pl.col("_latent") + 1.0)).exp())).round().cast(pl.Int16)
    has = pl.col("_has")
    return rows.select(
        "school_year",
        "municipality_code",
        "institution_id",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        pl.col("subject").cast(SUBJECT_ENUM),
        "grade_level",
        (
            pl.when(has & criterion).then(_level_from_latent(pl.col("_latent"), pl.col("_z_good")))
            if levels
            else pl.lit(None, dtype=_level_dtype())
        ).alias("level"),
        (pl.when(has).then(percentile) if not linear else pl.lit(None, dtype=pl.Int8)).alias(
            "percentile"
        ),
        (pl.when(has).then(points) if linear else pl.lit(None, dtype=pl.Int16)).alias("points"),
        (
            pl.when(has).then(pl.col("_latent") >= pl.col("_z_good"))
            if flag_good
            else pl.lit(None, dtype=pl.Boolean)
        ).alias("good"),
    )


def _level_dtype() -> pl.DataType:
    from folkeskolekvalitet.national_tests.levels import LEVEL_ENUM  # noqa: PLC0415

    return LEVEL_ENUM


#: Year shifts of the well-being answers (national general well-being 3,7 in 2017/18-2021/22,
#: 3,6 in 2022/23; social 4,1 -> 3,9; uvm.dk news 7 Oct 2021 and 23 May 2023).
WELLBEING_SHIFT: dict[str, float] = {"2020/21": -0.03, "2021/22": -0.05, "2022/23": -0.12}


def wellbeing_rows(
    world: World,
    year: str,
    *,
    response: float = 0.88,
    decline_rate: float = 0.02,
    skip_rate: float = 0.01,
    grade_levels: Sequence[int] | None = None,
    detail: bool = False,
) -> pl.LazyFrame:
    """Trivselsmåling answers (score form) of ``year``: one hash per answer.

    ``response`` is the share of the pupils in 0.-9. klasse who answer;
    ``decline_rate`` the share of answers that are "ønsker ikke at svare" (and
    about 1 % of the pupils decline most questions); ``skip_rate`` the share of
    questions with no row. ``detail`` adds ``municipality_code`` and
    ``class_id`` (and the internal ``_pkey``/``_qidx`` sort keys).
    """
    from folkeskolekvalitet.synthetic.wellbeing import _question_table  # noqa: PLC0415
    from folkeskolekvalitet.wellbeing.questions import QUESTIONS_0_3, QUESTIONS_4_9  # noqa: PLC0415

    seed = world.seed
    yk = parse_school_year(year)
    later = max(WELLBEING_SHIFT) if WELLBEING_SHIFT else year
    shift = WELLBEING_SHIFT.get(year, WELLBEING_SHIFT[later] if year > later else 0.0)
    who = pl.col("grade_level") <= 9
    if grade_levels is not None:
        who = who & pl.col("grade_level").is_in([int(g) for g in grade_levels])
    answering = pupil_years(world, year).filter(who)
    key = pl.col("pkey") * 64 + (yk - 1990)
    if response < 1:
        answering = answering.filter(uniform(key, seed, 171) < response)
    extra = ("municipality_code", "class_id", pl.col("pkey").alias("_pkey")) if detail else ()
    pupils = answering.select(
        "institution_id",
        "grade_level",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        key.alias("pykey"),
        (pl.col("school_wb") + 0.45 * pl.col("wb") + shift).alias("_centre"),
        (uniform(key, seed, 173) < 0.01).alias("_declines"),
        *extra,
    )
    parts = []
    for questions, young in ((QUESTIONS_0_3, True), (QUESTIONS_4_9, False)):
        table = _question_table(questions).select("qidx", "question", "centre", "max_points")
        group = pupils.filter(pl.col("grade_level") <= 3 if young else pl.col("grade_level") >= 4)
        parts.append(group.join(table.lazy(), how="cross", maintain_order="left_right"))
    # one hash per answer, computed once (a filter on an expression of the hash would be
    # pushed into the cross join and make it a slow nested-loop join)
    hashed = (pl.col("pykey") * 64 + pl.col("qidx")).hash(seed=seed * 7919 + 175)
    rows = pl.concat(parts).with_columns(hashed.alias("_h"))
    u = ((pl.col("_h") // 2048).cast(pl.Float64) + 0.5) / 2.0**53
    bits = (pl.col("_h") % 2048).cast(pl.Int32)
    # logistic noise with the sd (0.85) of a normal noise per answer
    value = pl.col("centre") + pl.col("_centre") + 0.469 * logistic(u)
    points = value.round().clip(1.0, pl.col("max_points").cast(pl.Float64)).cast(pl.Int8)
    # 11 low bits of the hash: the lowest ones decline, the highest ones skip
    declines = round(2048 * decline_rate)
    declined = (bits < declines) | (pl.col("_declines") & (bits < 1434))
    if skip_rate > 0:
        rows = rows.filter(pl.col("_h") % 2048 < 2048 - round(2048 * skip_rate))
    return rows.select(
        pl.lit(year).alias("school_year"),
        *(["municipality_code"] if detail else []),
        "institution_id",
        "grade_level",
        *(["class_id"] if detail else []),
        "pupil_id",
        "question",
        pl.when(declined).then(pl.lit(0, dtype=pl.Int8)).otherwise(points).alias("score"),
        *([pl.col("_pkey"), pl.col("qidx").alias("_qidx")] if detail else []),
    )


def transition_rows(world: World, year: str) -> pl.LazyFrame:
    """Leavers of 9. klasse in ``year``: application and statuses after 3 and 15 months."""
    from folkeskolekvalitet.transitions.catalogue import (  # noqa: PLC0415
        APPLICATION_ENUM,
        STATUS_ENUM,
    )

    seed = world.seed
    yk = parse_school_year(year)
    pupils = (
        pupil_years(world, year)
        .filter(pl.col("grade_level") == 9)
        .with_columns((pl.col("pkey") * 64 + (yk - 1990)).alias("pykey"))
        .with_columns(
            uniform(pl.col("pykey"), seed, 181).alias("u_app"),
            uniform(pl.col("pykey"), seed, 183).alias("u_type"),
            uniform(pl.col("pykey"), seed, 185).alias("u_3m"),
            uniform(pl.col("pykey"), seed, 187).alias("u_15m"),
        )
    )

    def sigmoid(x: pl.Expr) -> pl.Expr:
        return 1.0 / (1.0 + (-x).exp())

    # 10. klasse: about half (51 % in 2021), fewer from the 2023 method change; pupils with
    # a 10. klasse at their own school apply for it.
    tenth = sigmoid(pl.lit(0.05 if yk < 2022 else -0.15) - 0.35 * pl.col("ability"))
    other = 0.03 * (0.8 * pl.col("absence_propensity") - 0.5 * pl.col("ability")).exp()
    app = (
        pl.when(pl.col("tenth") | (pl.col("u_app") < tenth))
        .then(pl.lit("tiende_klasse"))
        .when(pl.col("u_app") < tenth + other)
        .then(pl.lit("oevrigt"))
        .otherwise(pl.lit("ungdomsuddannelse"))
    )
    # type of youth education: gymnasial more likely with ability and ses (72 % of applicants)
    gym = sigmoid(1.1 + 0.9 * pl.col("ability") + 0.3 * pl.col("ses"))
    kind = (
        pl.when(pl.col("u_type") < gym)
        .then(pl.lit("gymnasial"))
        .when(pl.col("u_type") < gym + (1 - gym) * 0.85)
        .then(pl.lit("erhvervsfaglig"))
        .otherwise(pl.lit("anden_ungdomsuddannelse"))
    )
    fails = 0.06 * (0.8 * pl.col("absence_propensity") - 0.6 * pl.col("ability")).exp()
    status_3m = (
        pl.when(pl.col("_app") == "ungdomsuddannelse")
        .then(
            pl.when(pl.col("u_3m") < 1 - fails)
            .then(pl.col("_kind"))
            .when(pl.col("u_3m") < 1 - fails / 3)
            .then(pl.lit("andet"))
            .otherwise(pl.lit("uoplyst"))
        )
        .when(pl.col("_app") == "tiende_klasse")
        .then(
            pl.when(pl.col("u_3m") < 0.92)
            .then(pl.lit("tiende_klasse"))
            .when(pl.col("u_3m") < 0.97)
            .then(pl.lit("andet"))
            .otherwise(pl.lit("uoplyst"))
        )
        .otherwise(
            pl.when(pl.col("u_3m") < 0.10)
            .then(pl.lit("anden_ungdomsuddannelse"))
            .when(pl.col("u_3m") < 0.85)
            .then(pl.lit("andet"))
            .otherwise(pl.lit("uoplyst"))
        )
    )
    status_15m = (
        pl.when(pl.col("_app") == "oevrigt")
        .then(
            pl.when(pl.col("u_15m") < 0.35)
            .then(pl.col("_kind"))
            .when(pl.col("u_15m") < 0.85)
            .then(pl.lit("andet"))
            .otherwise(pl.lit("uoplyst"))
        )
        .when(pl.col("u_15m") < 1 - 0.9 * fails)
        .then(pl.col("_kind"))
        .when(pl.col("u_15m") < 1 - 0.3 * fails)
        .then(pl.lit("andet"))
        .otherwise(pl.lit("uoplyst"))
    )
    return pupils.with_columns(app.alias("_app"), kind.alias("_kind")).select(
        pl.col("school_year").alias("cohort"),
        "municipality_code",
        "institution_id",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        pl.col("_app").cast(APPLICATION_ENUM).alias("application"),
        status_3m.cast(STATUS_ENUM).alias("status_3m"),
        status_15m.cast(STATUS_ENUM).alias("status_15m"),
    )


def competence_rows(world: World, year: str) -> pl.LazyFrame:
    """Lesson plans of ``year`` for the classes the pupils are in (1.-10. klasse)."""
    from folkeskolekvalitet.competence.catalogue import CLASS_TYPE_ENUM  # noqa: PLC0415
    from folkeskolekvalitet.synthetic.competence import lessons_from_classes  # noqa: PLC0415

    seed = world.seed
    yk = parse_school_year(year)
    first = parse_school_year(world.years[0])
    letters = pl.lit("abcdefghijklmnop")
    grades = (
        pupil_years(world, year)
        .filter(pl.col("grade_level") >= 1)
        .group_by("municipality_code", "institution_id", "skey", "grade_level")
        .agg(pl.col("n_classes").first(), pl.col("school_ach").first())
        .with_columns(
            (pl.col("skey") * 100_000 + yk * 10 + pl.col("grade_level").cast(pl.Int64)).alias(
                "gkey"
            )
        )
        .with_columns((uniform(pl.col("gkey"), seed, 191) < 0.05).alias("has_special"))
    )
    per_school = grades.group_by("skey").agg(pl.col("n_classes").sum().alias("_all"))
    classes = (
        grades.join(per_school, on="skey")
        .with_columns(
            pl.int_ranges(0, pl.col("n_classes") + pl.col("has_special").cast(pl.Int64)).alias(
                "class_idx"
            )
        )
        .explode("class_idx")
        .with_columns((pl.col("class_idx") >= pl.col("n_classes")).alias("_special"))
        .select(
            pl.lit(year).alias("school_year"),
            "municipality_code",
            "institution_id",
            "skey",
            pl.when(pl.col("_special"))
            .then(pl.format("{}s", pl.col("grade_level")))
            .otherwise(
                pl.format("{}{}", pl.col("grade_level"), letters.str.slice(pl.col("class_idx"), 1))
            )
            .alias("class_id"),
            pl.when(pl.col("_special"))
            .then(pl.lit("special"))
            .otherwise(pl.lit("normal"))
            .cast(CLASS_TYPE_ENUM)
            .alias("class_type"),
            pl.col("grade_level").cast(pl.Int8),
            (pl.col("_all") * 0.75 + 6).round().cast(pl.Int64).alias("n_teachers"),
            (uniform(pl.col("skey"), seed, 193) < 0.25).alias("has_fransk"),
            (0.15 * pl.col("school_ach")).alias("school_effect"),
            pl.lit(0.01 * (yk - first)).alias("trend"),
        )
    )
    return lessons_from_classes(classes, seed)


# Segregated pupils per grade level (inklusionsgrad about 94-95 %: 96,5 % in 1. klasse, 92,8 %
# in 9. klasse in 2018/19; uvm.dk/statistik/grundskolen/elever/specialundervisning). About
# half of the segregated pupils are in specialklasser at the folkeskoler (drawn from the
# pupils' own ability and absence propensity), half at specialskoler or in dagbehandling.
_SPECIAL_CLASS_INTERCEPT = -4.75
_SPECIAL_CLASS_PER_GRADE = 0.09
_SPECIAL_SCHOOL_RATE = (0.018, 0.004)  # specialskole, dagbehandling at 0. klasse
_SPECIAL_SCHOOL_PER_GRADE = 0.10  # relative growth per grade level


def inclusion_rows(world: World, year: str) -> pl.LazyFrame:
    """The pupils of the inklusionsgrad in ``year``: the folkeskole pupils and the segregated ones.

    Every enrolled pupil is a folkeskole pupil; a few are taught in a
    specialklasse (more often with low ability and much absence, more often in
    the higher grade levels; once in a specialklasse, a pupil stays there).
    The pupils at specialskoler and in dagbehandling are not at a folkeskole,
    so they are in no other frame: they are drawn per municipality, grade
    level and year in proportion to its folkeskole pupils (with a municipal
    effect), with ids ``"S"`` and eleven digits.
    """
    from folkeskolekvalitet.interventions.inclusion import SCHOOL_TYPE_ENUM  # noqa: PLC0415

    seed = world.seed
    yk = parse_school_year(year)
    grade = pl.col("grade_level").cast(pl.Float64)
    special = (
        _SPECIAL_CLASS_INTERCEPT
        + _SPECIAL_CLASS_PER_GRADE * grade
        - 0.9 * pl.col("ability")
        + 0.5 * pl.col("absence_propensity")
    )
    # one draw per pupil (not per year): the threshold grows with the grade level, so a
    # pupil in a specialklasse stays in one
    in_class = uniform(pl.col("pkey"), seed, 201) < 1.0 / (1.0 + (-special).exp())
    pupils = pupil_years(world, year)
    folkeskole = pupils.select(
        "school_year",
        "municipality_code",
        "grade_level",
        pupil_id(pl.col("pkey")).alias("pupil_id"),
        pl.lit("folkeskole").cast(SCHOOL_TYPE_ENUM).alias("school_type"),
        in_class.alias("special_class"),
    )
    code = pl.col("municipality_code").cast(pl.Int64)
    factor = (0.25 * normal(code, seed, 203) - 0.03).exp()
    kinds = pl.LazyFrame(
        {"school_type": ["specialskole", "dagbehandling"], "_rate": list(_SPECIAL_SCHOOL_RATE)},
        schema={"school_type": SCHOOL_TYPE_ENUM, "_rate": pl.Float64},
    )
    entry = pl.lit(yk, dtype=pl.Int64) - pl.col("grade_level").cast(pl.Int64)
    segregated = (
        pupils.group_by("school_year", "municipality_code", "grade_level", maintain_order=True)
        .agg(pl.len().alias("_n"))
        .join(kinds, how="cross", maintain_order="left_right")
        .with_columns(
            (
                pl.col("_n") * pl.col("_rate") * (1.0 + _SPECIAL_SCHOOL_PER_GRADE * grade) * factor
                # stochastic rounding: small municipalities get their share on average
                + uniform(
                    (code * 100 + pl.col("grade_level").cast(pl.Int64)) * 10
                    + pl.col("school_type").to_physical().cast(pl.Int64),
                    seed,
                    205 + yk,
                )
            )
            .floor()
            .cast(pl.Int64)
            .alias("_k")
        )
        .with_columns(pl.int_ranges(0, pl.col("_k")).alias("_i"))
        .explode("_i")
        .drop_nulls("_i")
        .select(
            "school_year",
            "municipality_code",
            "grade_level",
            pl.format(
                "S{}{}{}{}",
                pl.col("municipality_code"),
                entry,
                pl.col("school_type").to_physical(),
                pl.col("_i").cast(pl.String).str.zfill(3),
            ).alias("pupil_id"),
            "school_type",
            pl.lit(None, dtype=pl.Boolean).alias("special_class"),
        )
    )
    return pl.concat([folkeskole, segregated])
