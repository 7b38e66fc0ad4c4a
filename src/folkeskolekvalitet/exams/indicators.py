"""Exam indicators: grade averages, subject averages and shares, per group.

Input: long exam registrations, one row per pupil and bound delprøve, with
columns ``school_year``, ``institution_id``, ``pupil_id``, ``exam``, ``grade``
and optionally ``exception_code`` (see :doc:`/user_guide/exams`). Every school
year in the input uses its own catalogue of bound exams.

Sources
-------
- Karaktergennemsnit i bundne prøvefag (FLIS; kvalitetsrapport rule: mean of
  pupil means, pupils with at least 4 of 8 grades):
  http://www.geofyn.dk/flis/?dbschema=flis_dk&noegletalprocnavn=100-0110-800-0-2-0
- Gennemsnit ved folkeskolens afgangseksamen (weights of written dansk and
  matematik): https://www.ug.dk/6til10klasse/beregning-af-gennemsnit-ved-folkeskolens-afgangseksamen
- Adgangskrav til erhvervsuddannelserne (at least 02 in dansk and matematik):
  https://www.stukuvm.dk/uvm-dk/erhvervsuddannelser/adgang-og-optagelse/adgangskrav
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from folkeskolekvalitet._core.aggregate import counted_mean, safe_share, sort_groups
from folkeskolekvalitet._core.frames import FrameT, like_input, normalise_by
from folkeskolekvalitet.exams._input import PUPIL_KEY, Prepared, n_bound, prepare
from folkeskolekvalitet.exams.catalogue import BOUND_EXAMS
from folkeskolekvalitet.exams.grades import EXCEPTION_CODES

__all__ = [
    "grade_average",
    "pupil_averages",
    "share_passing_danish_and_math",
    "share_took_all_bound_exams",
    "subject_averages",
]

DEFAULT_BY = ("school_year", "institution_id")

AverageMethod = Literal["pupil_mean", "complete", "grade_mean"]
Denominator = Literal["took_all", "all_pupils"]
Weights = Literal["equal", "admission"]


def _check_min_exams(min_exams: int) -> None:
    if min_exams < 1:
        msg = f"min_exams must be at least 1, not {min_exams}"
        raise ValueError(msg)


def _pupil_table(rows: pl.LazyFrame, group: tuple[str, ...]) -> pl.LazyFrame:
    """One row per pupil: registrations, grades, sum of points, bound exams that year."""
    return rows.group_by(list(group)).agg(
        pl.len().cast(pl.UInt32).alias("n_registered"),
        pl.col("points").count().cast(pl.UInt32).alias("n_exams"),
        pl.col("points").cast(pl.Int64).sum().alias("_sum"),
        (pl.col("points").cast(pl.Int64) ** 2).sum().alias("_sumsq"),
        n_bound(pl.col("year_start").first()).alias("_n_bound"),
    )


def pupil_averages(
    grades: FrameT,
    *,
    min_exams: int = 4,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Each pupil's average of the graded bound delprøver (kvalitetsrapport rule).

    A pupil's average is the plain mean of the pupil's 7-trinsskala grades in
    the bound delprøver of that school year (exception codes and ``dansk_orden``
    never count). The pupil is ``included`` in group averages when the pupil has
    at least ``min_exams`` grades.

    Parameters
    ----------
    grades
        Exam registrations (``school_year``, ``institution_id``, ``pupil_id``,
        ``exam``, ``grade``, optional ``exception_code``).
    min_exams
        Grades a pupil needs to be included (the official rule: 4 of 8).
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        One row per pupil: ``school_year``, ``institution_id``, ``pupil_id``,
        ``n_exams`` (grades), ``average`` (null without grades), ``included``.

    Raises
    ------
    DataError
        For every problem in the input, listed together.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.exams import pupil_averages
    >>> grades = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a"] * 4 + ["b"] * 3,
    ...         "exam": [
    ...             "dansk_laesning",
    ...             "dansk_mundtlig",
    ...             "engelsk_mundtlig",
    ...             "faellesproeve",
    ...             "dansk_laesning",
    ...             "dansk_mundtlig",
    ...             "engelsk_mundtlig",
    ...         ],
    ...         "grade": ["7", "10", "02", "4", "12", "12", "10"],
    ...     }
    ... )
    >>> pupil_averages(grades)
    shape: (2, 6)
    ┌─────────────┬────────────────┬──────────┬─────────┬───────────┬──────────┐
    │ school_year ┆ institution_id ┆ pupil_id ┆ n_exams ┆ average   ┆ included │
    │ ---         ┆ ---            ┆ ---      ┆ ---     ┆ ---       ┆ ---      │
    │ str         ┆ str            ┆ str      ┆ u32     ┆ f64       ┆ bool     │
    ╞═════════════╪════════════════╪══════════╪═════════╪═══════════╪══════════╡
    │ 2017/18     ┆ 151001         ┆ a        ┆ 4       ┆ 5.75      ┆ true     │
    │ 2017/18     ┆ 151001         ┆ b        ┆ 3       ┆ 11.333333 ┆ false    │
    └─────────────┴────────────────┴──────────┴─────────┴───────────┴──────────┘
    """
    _check_min_exams(min_exams)
    prepared: Prepared = prepare(grades, by=(), allow_cpr=allow_cpr, validate=validate)
    result = (
        _pupil_table(prepared.rows, PUPIL_KEY)
        .select(
            *PUPIL_KEY,
            "n_exams",
            safe_share(pl.col("_sum"), pl.col("n_exams")).alias("average"),
            (pl.col("n_exams") >= min_exams).alias("included"),
        )
        .sort(list(PUPIL_KEY))
    )
    return like_input(grades, result)


def grade_average(
    grades: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    min_exams: int = 4,
    method: AverageMethod = "pupil_mean",
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Grade average of the bound exams per group (karaktergennemsnit i bundne prøvefag).

    Parameters
    ----------
    grades
        Exam registrations.
    by
        Grouping columns; pupil-level attributes only (each pupil must have one
        value), e.g. ``("school_year", "municipality_code")``.
    min_exams
        Grades a pupil needs to be included (``method="pupil_mean"``).
    method
        ``"pupil_mean"`` (default, the kvalitetsrapport / FLIS rule): the mean of
        the averages of pupils with at least ``min_exams`` grades.
        ``"complete"``: the mean of the averages of pupils with a grade in every
        bound delprøve of the year (the afgangseksamen population, restricted to
        the bound delprøver). ``"grade_mean"``: all grades summed and divided by
        their number (the transparency key figure); every pupil with a grade is
        included and ``std`` is over grades.
    allow_cpr, validate
        As in :func:`pupil_averages`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: the ``by`` columns, ``n_pupils`` (pupils with any
        registration in a bound delprøve), ``n_pupils_included``, ``n_grades``
        (grades behind the average), ``average`` (unrounded) and ``std``
        (sample standard deviation of pupil averages).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.exams import grade_average
    >>> from folkeskolekvalitet.synthetic import exam_grades
    >>> grades = exam_grades(n_schools=3, school_years=["2017/18"], seed=1)
    >>> grade_average(grades).columns
    ['school_year', 'institution_id', 'n_pupils', 'n_pupils_included', 'n_grades', 'average', 'std']
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    _check_min_exams(min_exams)
    prepared: Prepared = prepare(grades, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    pupils = _pupil_table(prepared.rows, prepared.group)
    if method == "grade_mean":
        n_grades = pl.col("n_exams").sum()
        mean = pl.col("_sum").sum() / n_grades
        variance = (pl.col("_sumsq").sum() - n_grades * mean**2) / (n_grades - 1)
        result = pupils.group_by(list(by_cols)).agg(
            pl.len().cast(pl.UInt32).alias("n_pupils"),
            (pl.col("n_exams") > 0).sum().cast(pl.UInt32).alias("n_pupils_included"),
            n_grades.cast(pl.UInt32).alias("n_grades"),
            pl.when(n_grades > 0).then(mean).otherwise(None).cast(pl.Float64).alias("average"),
            pl.when(n_grades > 1)
            .then(variance.clip(lower_bound=0).sqrt())
            .otherwise(None)
            .cast(pl.Float64)
            .alias("std"),
        )
        return like_input(grades, sort_groups(result, by_cols))
    if method == "pupil_mean":
        included = pl.col("n_exams") >= min_exams
    elif method == "complete":
        included = pl.col("n_exams") == pl.col("_n_bound")
    else:
        msg = f"method must be 'pupil_mean', 'complete' or 'grade_mean', not {method!r}"
        raise ValueError(msg)
    pupils = pupils.with_columns(
        safe_share(pl.col("_sum"), pl.col("n_exams")).alias("_avg"),
        included.alias("_included"),
    )
    result = pupils.group_by(list(by_cols)).agg(
        *counted_mean(pl.col("_avg"), pl.col("_included"))[:2],
        pl.col("n_exams").filter(pl.col("_included")).sum().cast(pl.UInt32).alias("n_grades"),
        *counted_mean(pl.col("_avg"), pl.col("_included"))[2:],
    )
    return like_input(grades, sort_groups(result, by_cols))


_DANSK = {e.key for e in BOUND_EXAMS if e.subject == "dansk"}
_MATEMATIK = {e.key for e in BOUND_EXAMS if e.subject == "matematik"}
SUBJECTS = pl.Enum(["dansk", "matematik"])


def _subject_marks(rows: pl.LazyFrame, group: tuple[str, ...], oral_weight: float) -> pl.LazyFrame:
    """Per pupil: the admission-weighted dansk and matematik marks (null unless complete)."""

    def grade_of(key: str) -> pl.Expr:
        return pl.col("points").filter(pl.col("exam") == key).first().cast(pl.Float64)

    written = (
        0.25 * grade_of("dansk_retskrivning")
        + 0.25 * grade_of("dansk_laesning")
        + 0.5 * grade_of("dansk_skriftlig_fremstilling")
    )
    return rows.group_by(list(group)).agg(
        ((1 - oral_weight) * written + oral_weight * grade_of("dansk_mundtlig")).alias("_dansk"),
        (
            0.5 * grade_of("matematik_med_hjaelpemidler")
            + 0.5 * grade_of("matematik_uden_hjaelpemidler")
        ).alias("_matematik"),
    )


def subject_averages(
    grades: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    weights: Weights = "equal",
    min_exams: int = 1,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Average of the bound delprøver in dansk and in matematik, per group.

    The same pupil-then-group rule as :func:`grade_average`: each pupil's mean
    over the subject's delprøver, then the mean of pupil means.

    Parameters
    ----------
    grades
        Exam registrations.
    by
        Grouping columns.
    weights
        ``"equal"`` (default): each graded delprøve counts once (the ministry's
        "Elevgennemsnit (uden vægtning)"); pupils need ``min_exams`` grades in
        the subject. ``"admission"``: the weighted marks used for admission —
        matematik = ½·med + ½·uden hjælpemidler; dansk = ½·skriftlig +
        ½·mundtlig with skriftlig = ¼·retskrivning + ¼·læsning + ½·skriftlig
        fremstilling (the ½/½ combination of written and oral dansk is the
        probable rule, not confirmed by an official worked example); pupils
        need every delprøve of the subject.
    min_exams
        Grades a pupil needs in the subject (``weights="equal"``).
    allow_cpr, validate
        As in :func:`pupil_averages`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and ``subject`` (``dansk``, ``matematik``):
        ``n_pupils`` (pupils with a registration in the subject),
        ``n_pupils_included``, ``average``, ``std``.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import subject_averages
    >>> from folkeskolekvalitet.synthetic import exam_grades
    >>> out = subject_averages(exam_grades(n_schools=2, school_years=["2018/19"], seed=3))
    >>> out.select("institution_id", "subject").rows()
    [('151001', 'dansk'), ('151001', 'matematik'), ('151002', 'dansk'), ('151002', 'matematik')]
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    _check_min_exams(min_exams)
    prepared: Prepared = prepare(grades, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    subject = (
        pl.when(pl.col("exam").cast(pl.String).is_in(list(_DANSK)))
        .then(pl.lit("dansk"))
        .when(pl.col("exam").cast(pl.String).is_in(list(_MATEMATIK)))
        .then(pl.lit("matematik"))
        .otherwise(None)
        .cast(SUBJECTS)
    )
    rows = prepared.rows.with_columns(subject.alias("subject")).filter(
        pl.col("subject").is_not_null()
    )
    key = [*prepared.group, "subject"]
    if weights == "equal":
        pupils = rows.group_by(key).agg(
            (pl.col("points").cast(pl.Float64).mean()).alias("_avg"),
            (pl.col("points").count() >= min_exams).alias("_included"),
        )
    elif weights == "admission":
        marks = _subject_marks(rows, prepared.group, oral_weight=0.5)
        present = rows.group_by(key).agg(pl.len().alias("_n"))
        pupils = (
            present.join(
                marks.unpivot(
                    index=list(prepared.group),
                    on=["_dansk", "_matematik"],
                    variable_name="subject",
                    value_name="_avg",
                ).with_columns(pl.col("subject").str.strip_prefix("_").cast(SUBJECTS)),
                on=key,
                how="left",
                nulls_equal=True,
            )
            .with_columns(pl.col("_avg").is_not_null().alias("_included"))
            .drop("_n")
        )
    else:
        msg = f"weights must be 'equal' or 'admission', not {weights!r}"
        raise ValueError(msg)
    result = pupils.group_by([*by_cols, "subject"]).agg(
        *counted_mean(pl.col("_avg"), pl.col("_included"))
    )
    return like_input(grades, sort_groups(result, (*by_cols, "subject")))


def share_passing_danish_and_math(
    grades: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    denominator: Denominator = "took_all",
    round_marks: bool = False,
    danish_oral_weight: float = 0.5,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of pupils with at least 02 in both dansk and matematik.

    A pupil passes when the weighted dansk mark is at least 2.0 **and** the
    weighted matematik mark is at least 2.0 (marks as in
    :func:`subject_averages` with ``weights="admission"``), compared unrounded
    by default: 1.875 does not pass ("ingen oprunding").

    Parameters
    ----------
    grades
        Exam registrations.
    by
        Grouping columns.
    denominator
        ``"took_all"`` (default): pupils with a grade in all six bound dansk and
        matematik delprøver. ``"all_pupils"``: every pupil with a registration
        in a bound delprøve; a missing or exempted delprøve counts as not
        passing.
    round_marks
        Round each mark to one decimal, half up, before comparing (a local
        variant; 1.95 would then pass).
    danish_oral_weight
        Weight of dansk mundtlig in the dansk mark (default ½, the probable but
        unverified official rule).
    allow_cpr, validate
        As in :func:`pupil_averages`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: ``n_pupils`` (the denominator), ``n_passing``,
        ``share``. The share below 2 in dansk or matematik (a common local
        goal) is ``1 - share``.

    Examples
    --------
    >>> from folkeskolekvalitet.exams import share_passing_danish_and_math
    >>> import polars as pl
    >>> keys = [
    ...     "dansk_laesning",
    ...     "dansk_retskrivning",
    ...     "dansk_skriftlig_fremstilling",
    ...     "dansk_mundtlig",
    ...     "matematik_med_hjaelpemidler",
    ...     "matematik_uden_hjaelpemidler",
    ... ]
    >>> grades = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "institution_id": "151001",
    ...         "pupil_id": ["a"] * 6 + ["b"] * 6,
    ...         "exam": keys * 2,
    ...         "grade": ["02", "02", "02", "02", "02", "02", "4", "4", "4", "4", "02", "00"],
    ...     }
    ... )
    >>> share_passing_danish_and_math(grades).select("n_pupils", "n_passing", "share").row(0)
    (2, 1, 0.5)
    """
    if not 0 <= danish_oral_weight <= 1:
        msg = f"danish_oral_weight must be between 0 and 1, not {danish_oral_weight}"
        raise ValueError(msg)
    by_cols: tuple[str, ...] = normalise_by(by)
    prepared: Prepared = prepare(grades, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    marks = _subject_marks(prepared.rows, prepared.group, oral_weight=danish_oral_weight)

    def mark(name: str) -> pl.Expr:
        col = pl.col(name)
        return ((col * 10 + 0.5).floor() / 10) if round_marks else col

    took_all = pl.col("_dansk").is_not_null() & pl.col("_matematik").is_not_null()
    passing = ((mark("_dansk") >= 2.0) & (mark("_matematik") >= 2.0)).fill_null(value=False)
    if denominator == "took_all":
        n_pupils = took_all.sum()
    elif denominator == "all_pupils":
        n_pupils = pl.len()
    else:
        msg = f"denominator must be 'took_all' or 'all_pupils', not {denominator!r}"
        raise ValueError(msg)
    # A passing pupil has both marks, so passing pupils are in either denominator.
    result = marks.group_by(list(by_cols)).agg(
        n_pupils.cast(pl.UInt32).alias("n_pupils"),
        passing.sum().cast(pl.UInt32).alias("n_passing"),
    )
    result = result.with_columns(safe_share(pl.col("n_passing"), pl.col("n_pupils")).alias("share"))
    return like_input(grades, sort_groups(result, by_cols))


def share_took_all_bound_exams(
    grades: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    min_exams: int | None = None,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of pupils who took all bound exams (andel der har aflagt alle bundne prøver).

    Numerator: pupils with a 7-trinsskala grade in every bound delprøve of
    that school year. Denominator: pupils with any registration (grade or
    exception code) in a bound delprøve.

    Parameters
    ----------
    grades
        Exam registrations.
    by
        Grouping columns.
    min_exams
        If given, the FLIS variant "andel der tager afgangsprøve": pupils with
        at least this many grades (4 in FLIS) count as having taken the exams.
    allow_cpr, validate
        As in :func:`pupil_averages`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: ``n_pupils``, ``n_took_all``, ``share``, and for
        each exception code the number of pupils with at least one such code
        (``n_pupils_code_81`` ... ``n_pupils_code_89``).

    Examples
    --------
    >>> from folkeskolekvalitet.exams import share_took_all_bound_exams
    >>> from folkeskolekvalitet.synthetic import exam_grades
    >>> out = share_took_all_bound_exams(exam_grades(n_schools=1, school_years=["2018/19"]))
    >>> out.columns[:5]
    ['school_year', 'institution_id', 'n_pupils', 'n_took_all', 'share']
    """
    if min_exams is not None:
        _check_min_exams(min_exams)
    by_cols: tuple[str, ...] = normalise_by(by)
    prepared: Prepared = prepare(grades, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    codes = [c.code for c in EXCEPTION_CODES]
    pupils = prepared.rows.group_by(list(prepared.group)).agg(
        pl.col("points").count().alias("_n_exams"),
        n_bound(pl.col("year_start").first()).alias("_n_bound"),
        *[(pl.col("exception_code") == code).any().alias(f"_code_{code}") for code in codes],
    )
    took = (
        pl.col("_n_exams") >= pl.col("_n_bound")
        if min_exams is None
        else pl.col("_n_exams") >= min_exams
    )
    result = pupils.group_by(list(by_cols)).agg(
        pl.len().cast(pl.UInt32).alias("n_pupils"),
        took.sum().cast(pl.UInt32).alias("n_took_all"),
        *[
            pl.col(f"_code_{code}")
            .fill_null(value=False)
            .sum()
            .cast(pl.UInt32)
            .alias(f"n_pupils_code_{code}")
            for code in codes
        ],
    )
    result = result.select(
        *by_cols,
        "n_pupils",
        "n_took_all",
        safe_share(pl.col("n_took_all"), pl.col("n_pupils")).alias("share"),
        *[f"n_pupils_code_{code}" for code in codes],
    )
    return like_input(grades, sort_groups(result, by_cols))
