"""Trivsel scores and indicators: per pupil, per group, distributions and shares.

Input: long survey answers, one row per pupil and question, with columns
``school_year``, ``institution_id``, ``grade_level``, ``pupil_id``,
``question`` (stable key such as ``"mobbet"`` or the question's number), and
either ``answer`` (option text) or ``score`` (the option's position, 1 worst
... 5 best, or 4 or 3 on shorter scales; 0 = "ønsker ikke at svare");
``class_id`` is optional. Every answer is scored on the official 1–5 scale:
scales with fewer than five options are rescaled linearly (see
:meth:`~folkeskolekvalitet.wellbeing.AnswerScale.score`). ``grade_level`` decides the
questionnaire: 0-3 answer the 20 questions for 0.-3. klasse, 4-9 the 40
questions for 4.-9. klasse. Only 4.-9. klasse answers enter the indicators.

Wide input (one row per pupil, one column per question key, no ``question``
column) is accepted too: with integer scores the pupil-level rules sum each
pupil's row directly (no reshaping, no group-by); other wide input is turned
into the long form with :func:`~folkeskolekvalitet.wellbeing.answers_from_wide`
(so :func:`score_answers` on wide input returns long rows).

How the rules are computed: each answer row gets a small integer question code
and its indicator; a single group-by on the pupil sums scores and counts
answers per indicator (conditional sums); a pupil's indicator score is the mean
of the pupil's answered questions of the indicator, counted only when the
pupil answered at least half of them; a group's value is the plain mean of its
pupils' scores.

Sources
-------
- Indicators, scale 1–5, half rule, intervals (Børne- og Undervisningsministeriet):
  https://www.uvm.dk/statistik/grundskolen/elever/trivselsmaalinger
- "Elevens score" and the half rule (notes to the ministry's figures):
  http://uvm.dk/Service/Statistik/Statistik-om-folkeskolen-og-frie-skoler/Statistik-om-elever-i-folkeskolen-og-frie-skoler/Trivselsmaalinger
- "Andel med højest trivsel" as score over 4 (2017):
  https://www.uvm.dk/aktuelt/nyheder/uvm/2017/jun/170621-store-forskelle-paa-elevers-trivsel-fra-kommune-til-kommune
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from folkeskolekvalitet._core.aggregate import counted_mean, safe_share, sort_groups
from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.exprs import as_expr
from folkeskolekvalitet._core.frames import (
    FrameT,
    as_lazy,
    distinct_values,
    facts,
    in_memory,
    joinable,
    lazy_in_memory,
    like_input,
    normalise_by,
    one_chunk,
)
from folkeskolekvalitet._core.schema import Check, Column, Contract
from folkeskolekvalitet._core.schoolyear import school_year_from_values
from folkeskolekvalitet.wellbeing._input import (
    IND_OF_CODE,
    LAST_CONFIRMED_YEAR,
    QUESTIONS,
    TOP_OF_CODE,
    UNIT,
    prepare,
    prepare_wide_sums,
    pupil_sums_in_one_step,
    wide_questions,
)
from folkeskolekvalitet.wellbeing.questions import (
    INDICATOR_ENUM,
    INDICATORS,
    INTERVAL_ENUM,
    QUESTION_ENUM,
    QUESTIONNAIRE_ENUM,
    SCORE_INTERVALS,
)
from folkeskolekvalitet.wellbeing.wide import answers_from_wide, wide_source

__all__ = [
    "half_rule",
    "indicators",
    "pupil_mean",
    "pupil_scores",
    "question_shares",
    "response_rate",
    "score_answers",
    "score_distribution",
    "share_above",
]

DEFAULT_BY = ("school_year", "institution_id")

_KEYS = [i.key for i in INDICATORS]
#: Units -> score, each correctly rounded (a division by a literal would multiply by 1/3).
_SCORE_OF_UNITS = {u: u / UNIT for u in range(5 * UNIT + 1)}
_REQUIRED = [i.n_required for i in INDICATORS]


def _pupil_sums(rows: pl.LazyFrame, group: Sequence[str]) -> pl.LazyFrame:
    """One row per pupil: answered count and score sum per indicator (one group-by)."""
    if "_ind" not in rows.collect_schema():
        ind = pl.col("_code").replace_strict(IND_OF_CODE, return_dtype=pl.Int8)
        rows = rows.with_columns(ind.alias("_ind"))
    aggs: list[pl.Expr] = []
    for k in range(4):
        value = pl.when(pl.col("_ind") == k).then(pl.col("_score"))
        aggs += [value.count().alias(f"_n{k}"), value.sum().cast(pl.Int32).alias(f"_s{k}")]
    pupils = rows.group_by(list(group)).agg(aggs)
    return pupils.with_columns(
        pl.sum_horizontal([f"_n{k}" for k in range(4)]).alias("_n4"),
        pl.sum_horizontal([f"_s{k}" for k in range(4)]).alias("_s4"),
    )


def half_rule(n_answered: str | pl.Expr, n_questions: int | str | pl.Expr) -> pl.Expr:
    """Boolean expression: the pupil answered at least half of the questions (rounded up).

    A pupil's indicator score counts only when the pupil answered at least half
    of the indicator's questions: 5 of 10 (social), 4 of 8, 4 of 7, 2 of 4, and
    15 of the 29 for general well-being.

    Parameters
    ----------
    n_answered
        Column (or expression) with the number of questions the pupil answered.
    n_questions
        The number of questions of the indicator (a number, a column or an
        expression), e.g. ``indicator("social").n_questions``.

    References
    ----------
    Børne- og Undervisningsministeriet, notes to the well-being figures
    ("Elevens score"): https://www.uvm.dk/statistik/grundskolen/elever/trivselsmaalinger

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import half_rule, indicator
    >>> df = pl.DataFrame({"n": [3, 4, 7]})
    >>> df.select(half_rule("n", indicator("academic").n_questions)).to_series().to_list()
    [False, True, True]
    """
    total = (
        n_questions
        if isinstance(n_questions, pl.Expr)
        else (pl.col(n_questions) if isinstance(n_questions, str) else pl.lit(n_questions))
    )
    required = (total.cast(pl.Int64) + 1) // 2
    return (as_expr(n_answered) >= required).alias("half_rule")


def pupil_mean(
    score_sum: str | pl.Expr, n_answered: str | pl.Expr, n_questions: int | str | pl.Expr
) -> pl.Expr:
    """A pupil's indicator score: the mean of the answered questions, null below the half rule.

    Parameters
    ----------
    score_sum
        The sum of the pupil's scores (1-5) over the answered questions.
    n_answered
        The number of answered questions.
    n_questions
        The number of questions of the indicator (see :func:`half_rule`).

    References
    ----------
    Børne- og Undervisningsministeriet, notes to the well-being figures
    ("Elevens score"): https://www.uvm.dk/statistik/grundskolen/elever/trivselsmaalinger

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import pupil_mean
    >>> df = pl.DataFrame({"sum": [18, 6, 0], "n": [5, 2, 0]})
    >>> df.select(pupil_mean("sum", "n", 10)).to_series().to_list()
    [3.6, None, None]
    """
    n = as_expr(n_answered)
    score = as_expr(score_sum).cast(pl.Float64) / n
    return pl.when(half_rule(n, n_questions) & (n > 0)).then(score).alias("score")


def _score(k: int) -> pl.Expr:
    """A pupil's score on indicator ``k`` (null below the half rule)."""
    # Sums are in units of 1/UNIT of a score point (exact for the 0-3 scales).
    n, s = pl.col(f"_n{k}"), pl.col(f"_s{k}")
    ok = half_rule(n, INDICATORS[k].n_questions)
    return pl.when(ok).then(s.cast(pl.Float64) / (n * UNIT).cast(pl.Float64))


def _pupil_scores_wide(
    answers: pl.DataFrame | pl.LazyFrame,
    by: Sequence[str],
    allow_cpr: bool,
    validate: bool,
    extra: Sequence[str] = (),
) -> tuple[pl.LazyFrame, tuple[str, ...]]:
    """One row per 4.-9. pupil with ``_n{k}``, ``_s{k}`` and ``_score{k}`` for k = 0..4.

    Wide integer scores are summed row by row (no reshaping, no group-by), also
    when given as the lazy long frame :func:`answers_from_wide` made of them;
    everything else goes through the long path's single group-by on the pupil.
    """
    source = wide_source(answers)
    data = one_chunk(answers)  # copied once, if at all
    lf = as_lazy(data, "answers") if source is None else source[0]
    schema = lf.collect_schema()
    cols = wide_questions(schema) if source is None else list(source[1])
    if cols is not None and all(schema[c].is_integer() for c in cols):
        pupils, group = prepare_wide_sums(
            data if source is None else lf,
            cols,
            by=by,
            allow_cpr=allow_cpr,
            validate=validate,
            extra=extra,
        )
    else:
        # An eager frame's checks counted in the rule's own pupil grouping (without
        # validation, the rule's grouping alone is cheaper); None: the long path.
        one = (
            pupil_sums_in_one_step(data, by=by, allow_cpr=allow_cpr, extra=extra)
            if validate
            else None
        )
        if one is None:
            prepared = prepare(
                _as_long(data, allow_cpr=allow_cpr),
                by=by,
                bands=("4-9",),
                allow_cpr=allow_cpr,
                validate=validate,
                extra=extra,
                indicator_only=True,
            )
            one = _pupil_sums(prepared.rows, prepared.group), prepared.group
        pupils, group = one
    return pupils.with_columns(_score(k).alias(f"_score{k}") for k in range(5)), group


def _as_long(answers: object, *, allow_cpr: bool) -> pl.DataFrame | pl.LazyFrame:
    """Long answers, turning wide input (one column per question key) into long.

    Long input is returned as given: an in-memory frame stays one, so that its
    code columns are typed through their distinct values even without validation.
    Wide input's ids are checked by :func:`answers_from_wide`, with ``allow_cpr``.
    """
    if isinstance(answers, pl.DataFrame | pl.LazyFrame):
        schema = answers.collect_schema()
    else:
        answers = as_lazy(answers, "answers")
        schema = answers.collect_schema()
    if wide_questions(schema) is None:
        return answers
    return answers_from_wide(as_lazy(answers, "answers"), allow_cpr=allow_cpr)


def _long(
    frame: pl.LazyFrame,
    keep: Sequence[str],
    labels: dict[str, tuple[list[str], pl.Enum]],
    measures: dict[str, list[pl.Expr]],
) -> pl.LazyFrame:
    """Reshape one wide row per group into one row per category (concat_list + explode)."""
    lists = [
        pl.concat_list([pl.lit(v) for v in values]).alias(name)
        for name, (values, _) in labels.items()
    ]
    lists += [pl.concat_list(exprs).alias(name) for name, exprs in measures.items()]
    out = frame.select(*keep, *lists).explode([*labels, *measures])
    return out.with_columns(pl.col(name).cast(enum) for name, (_, enum) in labels.items())


def score_answers(answers: FrameT, *, allow_cpr: bool = False, validate: bool = True) -> FrameT:
    """Score answers on the 1–5 trivsel scale, negative questions reversed.

    Five-option answers score 1–5; answers on scales with fewer options are
    rescaled linearly onto 1–5 (best → 5, worst → 1: four options score 1,
    2⅓, 3⅔, 5, the three options of 0.–3. klasse 1, 3, 5), see
    :meth:`~folkeskolekvalitet.wellbeing.AnswerScale.score`. STIL's exact
    coding of the shorter scales is not published; this is the reading the
    official 1–5 scale implies. "Ønsker ikke at svare" becomes a missing
    score. Texts match ignoring case, spaces and punctuation ("En gang i
    mellem" = "En gang imellem"). Input with a ``score`` column (microdata
    convention: the option's position, 1 worst ... number of options best,
    already oriented; 0 = did not answer) is rescaled the same way.

    Parameters
    ----------
    answers
        Long answers (see the module docs) with ``answer`` or ``score``.
    allow_cpr
        Accept pupil ids that look like CPR numbers.
    validate
        Check values (one aggregate query); the schema is always checked.

    Returns
    -------
    DataFrame or LazyFrame
        The input rows and columns in their order, plus ``score`` (Float64,
        1–5; null for "ønsker ikke at svare" or a missing answer), replacing a
        ``score`` column given.

    Raises
    ------
    DataError
        Listing every problem, e.g. an unknown answer text or question.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import score_answers
    >>> answers = pl.DataFrame(
    ...     {
    ...         "school_year": "2023/24",
    ...         "institution_id": "151001",
    ...         "grade_level": [5, 5, 5, 5, 2],
    ...         "pupil_id": ["a", "a", "a", "a", "b"],
    ...         "question": ["glad_for_skolen", "mobbet", "14", "hoerer_til_paa_skolen", "alene"],
    ...         "answer": ["Meget tit", "aldrig", "Ønsker ikke at svare", "Enig", "Ja, tit"],
    ...     }
    ... )
    >>> score_answers(answers.slice(0, 2)).select("question", "answer", "score").rows()
    [('glad_for_skolen', 'Meget tit', 5.0), ('mobbet', 'aldrig', 5.0)]
    >>> score_answers(answers.slice(2))["score"].to_list()
    [None, 4.0, 1.0]
    """
    lf = as_lazy(_as_long(answers, allow_cpr=allow_cpr), "answers")
    names: list[str] = lf.collect_schema().names()
    prepared = prepare(lf, by=(), allow_cpr=allow_cpr, validate=validate)
    points = lf.with_columns(prepared.code.alias("_code")).with_columns(
        prepared.points.alias("_points")
    )
    out = points.with_columns(
        pl.when(pl.col("_points") > 0)
        .then(pl.col("_points").replace_strict(_SCORE_OF_UNITS, return_dtype=pl.Float64))
        .alias("score")
    )
    order = names if "score" in names else [*names, "score"]
    return like_input(answers, out.select(order))


def pupil_scores(answers: FrameT, *, allow_cpr: bool = False, validate: bool = True) -> FrameT:
    """Each 4.–9. klasse pupil's score on every indicator, with the half rule.

    Parameters
    ----------
    answers
        Long answers (see the module docs); 0.–3. klasse rows are ignored.
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per pupil and ``indicator`` (Enum: ``social``, ``academic``,
        ``support_inspiration``, ``calm_order``, ``general``):
        ``school_year``, ``institution_id``, ``grade_level``, ``class_id``
        (when given), ``pupil_id``, ``indicator``, ``n_answered``,
        ``n_required`` (at least half of the indicator's questions) and
        ``score`` (mean of the answered questions; null when
        ``n_answered < n_required``).

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import pupil_scores
    >>> calm = ["laererne_skaber_ro", "laererne_moeder_praecist", "let_at_hoere_laereren"]
    >>> answers = pl.DataFrame(
    ...     {
    ...         "school_year": "2023/24",
    ...         "institution_id": "151001",
    ...         "grade_level": 6,
    ...         "pupil_id": ["a", "a", "a", "b"],
    ...         "question": calm + ["let_at_hoere_eleverne"],
    ...         "score": [5, 4, 0, 3],
    ...     }
    ... )
    >>> out = pupil_scores(answers).filter(pl.col("indicator") == "calm_order")
    >>> out.select("pupil_id", "n_answered", "n_required", "score").rows()
    [('a', 2, 2, 4.5), ('b', 1, 2, None)]
    """
    lf = as_lazy(answers, "answers")
    extra: tuple[str, ...] = ("class_id",) if "class_id" in lf.collect_schema() else ()
    # (the input as given: an eager frame's checks are counted in the pupil grouping)
    pupils, _ = _pupil_scores_wide(answers, (), allow_cpr, validate, extra)
    keep: list[str] = ["school_year", "institution_id", "grade_level", *extra, "pupil_id"]
    out = _long(
        pupils.with_columns(pl.col("pupil_id").cast(pl.String)),
        keep,
        {"indicator": (_KEYS, INDICATOR_ENUM)},
        {
            "n_answered": [pl.col(f"_n{k}").cast(pl.UInt32) for k in range(5)],
            "n_required": [pl.lit(r, dtype=pl.UInt32) for r in _REQUIRED],
            "score": [pl.col(f"_score{k}") for k in range(5)],
        },
    )
    return like_input(answers, sort_groups(out, (*keep, "indicator")))


def indicators(
    answers: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """The trivsel indicators per group: social, academic, support, calm and order, general.

    A group's value is the plain mean of its pupils' indicator scores; pupils
    below the half rule are counted but not included. ``general`` (generel
    skoletrivsel) is each pupil's mean over all 29 indicator questions, not
    the mean of the four indicators.

    Parameters
    ----------
    answers
        Long answers (see the module docs); 0.–3. klasse rows never enter.
    by
        Grouping columns: pupil-level attributes such as ``school_year``,
        ``institution_id``, ``grade_level``, ``class_id`` or a
        ``municipality_code`` column.
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and ``indicator``: ``n_pupils`` (pupils of
        4.–9. klasse with any answer row), ``n_pupils_included`` (meeting the
        half rule), ``mean`` (unrounded) and ``std`` (sample standard deviation
        of pupil scores, for standard errors: ``std / sqrt(n_pupils_included)``).

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import indicators
    >>> from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers
    >>> out = indicators(wellbeing_answers(n_schools=2, pupils_per_grade=5, seed=1))
    >>> out.columns
    ['school_year', 'institution_id', 'indicator', 'n_pupils', 'n_pupils_included', 'mean', 'std']
    >>> out["indicator"].to_list()[:5]
    ['social', 'academic', 'support_inspiration', 'calm_order', 'general']
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    pupils, _ = _pupil_scores_wide(answers, by_cols, allow_cpr, validate)
    aggs: list[pl.Expr] = []
    for k in range(5):
        score = pl.col(f"_score{k}")
        aggs += counted_mean(
            score,
            score.is_not_null(),
            n_name=f"n_pupils_{k}",
            n_included_name=f"n_pupils_included_{k}",
            mean_name=f"mean_{k}",
            std_name=f"std_{k}",
        )
    grouped = pupils.group_by(list(by_cols)).agg(aggs)
    out = _long(
        grouped,
        by_cols,
        {"indicator": (_KEYS, INDICATOR_ENUM)},
        {
            m: [pl.col(f"{m}_{k}") for k in range(5)]
            for m in ("n_pupils", "n_pupils_included", "mean", "std")
        },
    )
    return like_input(answers, sort_groups(out, (*by_cols, "indicator")))


def score_distribution(
    answers: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Distribution of pupil scores over the four intervals, per group and indicator.

    The intervals are [1, 2], (2, 3], (3, 4] and (4, 5] on the unrounded
    pupil score (printed officially as 1,0–2,0 ... 4,1–5,0; see
    :data:`~folkeskolekvalitet.wellbeing.SCORE_INTERVALS`).

    Parameters
    ----------
    answers
        Long answers.
    by
        Grouping columns (pupil-level attributes).
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group, ``indicator`` and ``interval`` (Enum; every interval,
        zero rows kept): ``n`` (pupils in the interval),
        ``n_pupils`` (pupils with a score: the denominator) and
        ``share``. The shares of a group and indicator sum to 1.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import score_distribution
    >>> from folkeskolekvalitet.synthetic.wellbeing import wellbeing_answers
    >>> answers = wellbeing_answers(n_schools=1, school_years=["2023/24"], pupils_per_grade=5)
    >>> out = score_distribution(answers)
    >>> out.filter(pl.col("indicator") == "general")["interval"].to_list()
    ['[1,2]', '(2,3]', '(3,4]', '(4,5]']
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    pupils, _ = _pupil_scores_wide(answers, by_cols, allow_cpr, validate)
    aggs: list[pl.Expr] = []
    for k in range(5):
        score = pl.col(f"_score{k}")
        aggs.append(score.count().cast(pl.UInt32).alias(f"_inc{k}"))
        for j, interval in enumerate(SCORE_INTERVALS):
            inside = (
                score <= interval.high
                if j == 0
                else (score > interval.low) & (score <= interval.high)
            )
            aggs.append(inside.sum().cast(pl.UInt32).alias(f"_c{k}_{j}"))
    grouped = pupils.group_by(list(by_cols)).agg(aggs)
    pairs = [(k, j) for k in range(5) for j in range(len(SCORE_INTERVALS))]
    out = _long(
        grouped,
        by_cols,
        {
            "indicator": ([_KEYS[k] for k, _ in pairs], INDICATOR_ENUM),
            "interval": ([SCORE_INTERVALS[j].key for _, j in pairs], INTERVAL_ENUM),
        },
        {
            "n": [pl.col(f"_c{k}_{j}") for k, j in pairs],
            "n_pupils": [pl.col(f"_inc{k}") for k, _ in pairs],
        },
    ).with_columns(safe_share(pl.col("n"), pl.col("n_pupils")).alias("share"))
    return like_input(answers, sort_groups(out, (*by_cols, "indicator", "interval")))


def share_above(
    answers: FrameT,
    *,
    threshold: float,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share of included pupils whose indicator score is strictly above ``threshold``.

    "Andel med højest trivsel" is used officially in two senses: a score over
    4 (the ministry's 2017 text, the top interval 4,1–5,0) and, judging by its
    magnitude (about 90 %), a score over 3 (the data warehouse figure). Pass
    ``threshold=4`` or ``threshold=3`` and say which one a report uses.

    Parameters
    ----------
    answers
        Long answers.
    threshold
        The score a pupil must exceed (strictly).
    by
        Grouping columns (pupil-level attributes).
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and ``indicator``: ``n_pupils_included``,
        ``n_above`` and ``share_above``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import share_above
    >>> calm = ["laererne_skaber_ro", "laererne_moeder_praecist"]
    >>> answers = pl.DataFrame(
    ...     {
    ...         "school_year": "2023/24",
    ...         "institution_id": "151001",
    ...         "grade_level": 6,
    ...         "pupil_id": ["a", "a", "b", "b"],
    ...         "question": calm * 2,
    ...         "score": [5, 4, 4, 4],
    ...     }
    ... )
    >>> out = share_above(answers, threshold=4).filter(pl.col("indicator") == "calm_order")
    >>> out.select("n_pupils_included", "n_above", "share_above").row(0)
    (2, 1, 0.5)
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    pupils, _ = _pupil_scores_wide(answers, by_cols, allow_cpr, validate)
    aggs: list[pl.Expr] = []
    for k in range(5):
        score = pl.col(f"_score{k}")
        aggs += [
            score.count().cast(pl.UInt32).alias(f"_inc{k}"),
            (score > threshold).sum().cast(pl.UInt32).alias(f"_above{k}"),
        ]
    grouped = pupils.group_by(list(by_cols)).agg(aggs)
    out = _long(
        grouped,
        by_cols,
        {"indicator": (_KEYS, INDICATOR_ENUM)},
        {
            "n_pupils_included": [pl.col(f"_inc{k}") for k in range(5)],
            "n_above": [pl.col(f"_above{k}") for k in range(5)],
        },
    ).with_columns(safe_share(pl.col("n_above"), pl.col("n_pupils_included")).alias("share_above"))
    return like_input(answers, sort_groups(out, (*by_cols, "indicator")))


_QUESTION_TABLE = pl.LazyFrame(
    {
        "_code": list(range(len(QUESTIONS))),
        "questionnaire": [q.questionnaire for q in QUESTIONS],
        "question": [q.key for q in QUESTIONS],
    },
    schema={"_code": pl.Int8, "questionnaire": QUESTIONNAIRE_ENUM, "question": QUESTION_ENUM},
)


def question_shares(
    answers: FrameT,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Share answering the best two options of every question (the seeds' figures).

    Among the pupils who answered a question, the share choosing the two best
    options, whatever the wording's polarity ("meget tit/tit", "helt
    enig/enig"; for "mobbet" "sjældent/aldrig"). For the three-option
    questionnaire of 0.–3. klasse, the best option.

    Parameters
    ----------
    answers
        Long answers (both questionnaires).
    by
        Grouping columns.
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group and question of every questionnaire present in the
        group (zero rows kept): ``questionnaire`` (``"0-3"``, ``"4-9"``),
        ``question`` (key), ``n_answered``, ``n_declined`` ("ønsker ikke at
        svare"), ``n_top2`` and ``share_top2``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import question_shares
    >>> answers = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "institution_id": "151001",
    ...         "grade_level": 7,
    ...         "pupil_id": ["a", "b", "c", "d"],
    ...         "question": "mobbet",
    ...         "answer": ["Aldrig", "Sjældent", "Tit", "Ønsker ikke at svare"],
    ...     }
    ... )
    >>> out = question_shares(answers).filter(pl.col("question") == "mobbet")
    >>> out.select("n_answered", "n_declined", "n_top2", "share_top2").row(0)
    (3, 1, 2, 0.6666666666666666)
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    prepared = prepare(
        _as_long(answers, allow_cpr=allow_cpr), by=by_cols, allow_cpr=allow_cpr, validate=validate
    )
    top = pl.col("_code").replace_strict(TOP_OF_CODE, return_dtype=pl.Int8)
    # The top-two flag row by row before the grouping: a lookup inside an aggregation
    # would run group by group.
    # Counted on by and the carried columns, then summed over by (exact; shared by the
    # calls of several by within the carried columns).
    fine: tuple[str, ...] = prepared.fine(by_cols)
    measures = ("n_answered", "n_declined", "n_top2")
    fine_counts = (
        prepared.rows.with_columns((pl.col("_score") >= top).alias("_top"))
        .group_by([*fine, "_code"])
        .agg(
            pl.col("_score").count().cast(pl.UInt32).alias("n_answered"),
            pl.col("_declined").sum().cast(pl.UInt32).alias("n_declined"),
            pl.col("_top").sum().cast(pl.UInt32).alias("n_top2"),
        )
    )
    counts = (
        fine_counts
        if fine == by_cols
        else fine_counts.group_by([*by_cols, "_code"]).agg(
            pl.col(m).sum().cast(pl.UInt32) for m in measures
        )
    )
    # The questionnaires present in each group, from the counts (one pass over the rows):
    # a question's code belongs to the questionnaire of the pupil's grade level. Read from
    # the fine counts, which the plan then computes once for every use.
    groups = (
        fine_counts.select(*by_cols, "_code")
        .join(_QUESTION_TABLE.select("_code", "questionnaire"), on="_code")
        .select(*by_cols, "questionnaire")
        .unique()
    )
    grid = groups.join(_QUESTION_TABLE, on="questionnaire")
    out = (
        grid.join(counts, on=[*by_cols, "_code"], how="left", nulls_equal=True)
        .with_columns(pl.col(c).fill_null(0) for c in ("n_answered", "n_declined", "n_top2"))
        .with_columns(safe_share(pl.col("n_top2"), pl.col("n_answered")).alias("share_top2"))
        .sort([*by_cols, "questionnaire", "_code"], nulls_last=True)
        .select(
            *by_cols,
            "questionnaire",
            "question",
            "n_answered",
            "n_declined",
            "n_top2",
            "share_top2",
        )
    )
    return like_input(answers, out)


ENROLMENT_CONTRACT = Contract(
    "enrolment",
    (
        Column("school_year", "school_year"),
        Column("institution_id", "id"),
        Column("grade_level", "integer"),
        Column("pupil_id", "id", required=False),
        Column(
            "n_enrolled",
            "integer",
            required=False,
            checks=(Check("negative count of enrolled pupils", lambda e: e < 0),),
        ),
    ),
    last_year=LAST_CONFIRMED_YEAR,
)


def _answering_pupils(
    answers: object,
    rows: pl.LazyFrame,
    levels: Sequence[int],
    fine: Sequence[str],
    validate: bool,
) -> pl.LazyFrame:
    """The distinct answering pupils of the counted grades: the pupil key and ``fine``.

    The pupil key first, then ``by`` and the carried columns: the same columns in the
    same order for the calls of several ``by`` within them, so that one plan serves them.
    Of in-memory answers, validation needs them for its check: they are collected once
    (a few hundred thousand rows for millions of answers), the rule counts them, and the
    later calls on the same in-memory frame (the indicator table's levels) read them.
    """
    columns = tuple(dict.fromkeys(("school_year", "institution_id", "pupil_id", *fine)))
    key = ("wellbeing.answering_pupils", tuple(levels), columns)
    known = facts(answers)
    # (only while validation has read the frame as it is: a call whose validation
    # normalised a column, one of its by columns, reads the rows it cleaned)
    cache = (
        known.derived if known is not None and known.in_memory and known.cleaned is None else None
    )
    if cache is not None and key in cache:
        return cache[key]
    plan = rows.filter(pl.col("grade_level").is_in(levels)).select(columns).unique()
    if not (validate and in_memory(answers)):
        return plan
    pupils = lazy_in_memory(plan.collect())
    if cache is not None:
        cache[key] = pupils
    return pupils


def _check_answering_enrolled(
    *,
    answering: pl.LazyFrame,
    enrolled: pl.LazyFrame,
    pupils: pl.LazyFrame,
    enrolment: pl.LazyFrame,
    by_cols: tuple[str, ...],
    levels: list[int],
    eschema: pl.Schema,
) -> None:
    """Refuse answering pupils that are not in the enrolment (a rate above 1).

    With ``pupil_id`` enrolment every answering pupil of the counted grades must
    be enrolled in the same school year and institution at a counted grade;
    with ``n_enrolled`` counts a group cannot have more answering than enrolled
    pupils. One small aggregate query, like the contracts' validation.
    """
    problems: list[Problem] = []
    if "pupil_id" in eschema and "n_enrolled" not in eschema:
        key = ["school_year", "institution_id", "pupil_id"]
        missing = (
            pupils.select(key)
            .unique()
            .join(enrolment.select(key).unique(), on=key, how="anti", nulls_equal=True)
            .select(pl.len().alias("n"), pl.col("school_year").first().alias("year"))
            .collect()
        )
        n = int(missing["n"][0])
        if n:
            problems.append(
                Problem(
                    "pupil_id",
                    "answering pupil not enrolled in that school year and institution at one of"
                    f" the counted grade levels {levels} (a response rate cannot exceed 1)",
                    n,
                    (f"school year {missing['year'][0]!r}",),
                )
            )
    else:
        over = (
            enrolled.join(answering, on=list(by_cols), how="inner", nulls_equal=True)
            .filter(pl.col("n_answering") > pl.col("n_enrolled"))
            .select(pl.len().alias("n"), pl.struct(list(by_cols)).first().alias("group"))
            .collect()
        )
        n = int(over["n"][0])
        if n:
            problems.append(
                Problem(
                    "n_enrolled",
                    "more answering pupils than enrolled in the group (a response rate cannot"
                    " exceed 1; are the answering pupils' grade levels in the enrolment?)",
                    n,
                    (repr(over["group"][0]),),
                )
            )
    if problems:
        raise DataError("trivsel answers and enrolment", problems)


def response_rate(
    answers: FrameT,
    enrolment: pl.DataFrame | pl.LazyFrame,
    *,
    by: str | Sequence[str] = DEFAULT_BY,
    grade_levels: Sequence[int] = tuple(range(10)),
    allow_cpr: bool = False,
    validate: bool = True,
) -> FrameT:
    """Response rate (svarprocent): answering pupils / enrolled pupils, per group.

    A pupil answers when the pupil has at least one row in ``answers`` (also if
    every answer is "ønsker ikke at svare"). No official formula is published;
    this is the usual one, with both counts shown.

    Parameters
    ----------
    answers
        Long answers.
    enrolment
        Enrolled pupils: ``school_year``, ``institution_id``, ``grade_level``,
        the ``by`` columns, and either ``pupil_id`` (one row per pupil) or
        ``n_enrolled`` (counts, summed within groups).
    by
        Grouping columns, present in both frames.
    grade_levels
        The surveyed grades to count (default 0-9; pass ``range(4, 10)`` for
        the pupils behind the indicators).
    allow_cpr, validate
        As in :func:`score_answers`.

    Returns
    -------
    DataFrame or LazyFrame
        One row per group: ``n_enrolled``, ``n_answering`` and
        ``response_rate`` (null when nobody is enrolled; never above 1).

    Raises
    ------
    DataError
        For bad input, and (with ``validate``) for an answering pupil who is not
        in the enrolment denominator: with ``pupil_id`` enrolment, a pupil of
        the counted grade levels missing from the enrolment of that school year
        and institution at those grade levels; with ``n_enrolled`` counts, a
        group with more answering than enrolled pupils.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.wellbeing import response_rate
    >>> answers = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "institution_id": "151001",
    ...         "grade_level": 8,
    ...         "pupil_id": ["a", "b"],
    ...         "question": "mobbet",
    ...         "score": [5, 0],
    ...     }
    ... )
    >>> enrolment = pl.DataFrame(
    ...     {
    ...         "school_year": "2017/18",
    ...         "institution_id": "151001",
    ...         "grade_level": 8,
    ...         "n_enrolled": [4],
    ...     }
    ... )
    >>> response_rate(answers, enrolment).select("n_enrolled", "n_answering", "response_rate").row(
    ...     0
    ... )
    (4, 2, 0.5)
    """
    by_cols: tuple[str, ...] = normalise_by(by)
    long = _as_long(answers, allow_cpr=allow_cpr)
    prepared = prepare(long, by=by_cols, allow_cpr=allow_cpr, validate=validate)
    levels = [int(g) for g in grade_levels]
    pupils = _answering_pupils(long, prepared.rows, levels, prepared.fine(by_cols), validate)
    answering = pupils.group_by(list(by_cols)).agg(pl.len().cast(pl.UInt32).alias("n_answering"))
    elf = as_lazy(enrolment, "enrolment")
    eschema = elf.collect_schema()
    checked = ENROLMENT_CONTRACT.validate(elf, by=by_cols, allow_cpr=allow_cpr, values=validate)
    elf = checked.lf(elf)
    if "n_enrolled" not in eschema and "pupil_id" not in eschema:
        raise DataError(
            ENROLMENT_CONTRACT.what,
            [
                Problem(
                    "n_enrolled, pupil_id", "missing column: 'n_enrolled' (counts) or 'pupil_id'"
                )
            ],
        )
    year = checked.school_year()
    if not validate and in_memory(enrolment) and "school_year" in eschema:
        # in memory: its few distinct school years are read, not every row's text
        through = school_year_from_values(
            "school_year", distinct_values(elf, ["school_year"])["school_year"]
        )
        year = year if through is None else through
    # ids as text, as the answers' rows have them
    ids = [c for c in ("institution_id", "pupil_id") if c in eschema]
    elf = elf.filter(pl.col("grade_level").is_in(levels)).with_columns(
        year.alias("school_year"), *(pl.col(c).cast(pl.String) for c in ids)
    )
    if "n_enrolled" in eschema:
        enrolled = elf.group_by(list(by_cols)).agg(
            pl.col("n_enrolled").sum().cast(pl.UInt32).alias("n_enrolled")
        )
    else:
        enrolled = elf.group_by(list(by_cols)).agg(
            pl.col("pupil_id").n_unique().cast(pl.UInt32).alias("n_enrolled")
        )
    # a by column of two dtypes in the two inputs (Categorical and text) is one column
    answering, enrolled = joinable(answering, enrolled, by_cols)
    if validate:
        _check_answering_enrolled(
            answering=answering,
            enrolled=enrolled,
            pupils=pupils,
            enrolment=elf,
            by_cols=by_cols,
            levels=levels,
            eschema=eschema,
        )
    out = (
        enrolled.join(answering, on=list(by_cols), how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col("n_enrolled").fill_null(0), pl.col("n_answering").fill_null(0))
        .with_columns(
            safe_share(pl.col("n_answering"), pl.col("n_enrolled")).alias("response_rate")
        )
        .select(*by_cols, "n_enrolled", "n_answering", "response_rate")
    )
    return like_input(answers, sort_groups(out, by_cols))
