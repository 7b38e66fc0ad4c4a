"""The survey-answers input contract and its preparation into typed lazy rows.

Validation runs one aggregate query (through :meth:`Contract.validate`) that
also collects, per questionnaire, the distinct question values (and answer
texts) and counts the pupil ids that could be CPR numbers; a second query
groups the rows by (hashed) pupil to look for duplicated questions, which is
several times cheaper than counting distinct row keys. Exact counts and
examples are fetched only when something is wrong. The prepared rows carry
small integer question codes, so that the rules group and sum on integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.exprs import PUPIL_KEY, shown_id
from folkeskolekvalitet._core.frames import as_lazy
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck, Validated
from folkeskolekvalitet.wellbeing.questions import (
    ANSWER_SCALES,
    DECLINED_TEXTS,
    INDICATORS,
    QUESTIONS_0_3,
    QUESTIONS_4_9,
    SCORE_DENOMINATOR,
    Question,
    normalise_answer_text,
    normalised_text_expr,
)

Band = Literal["4-9", "0-3"]

#: Every question with its global integer code: 0-39 for 4.-9., 40-59 for 0.-3.
QUESTIONS: tuple[Question, ...] = (*QUESTIONS_4_9, *QUESTIONS_0_3)
CODE_OF: dict[tuple[str, str], int] = {(q.questionnaire, q.key): i for i, q in enumerate(QUESTIONS)}
N_4_9 = len(QUESTIONS_4_9)

#: Indicator index (0-3 in INDICATORS order) of each 4.-9. code; 4 = no indicator.
_IND_INDEX = {ind.key: i for i, ind in enumerate(INDICATORS[:4])}
IND_OF_CODE: dict[int, int] = {
    i: _IND_INDEX.get(q.indicator or "", 4) for i, q in enumerate(QUESTIONS)
}
#: Scores are carried in units of 1 / SCORE_DENOMINATOR (integers: exact sums).
UNIT = SCORE_DENOMINATOR


def _units(q: Question, points: int) -> int:
    """The 1-5 score of oriented ``points`` of ``q``, in units (AnswerScale.score)."""
    return int(q.scale.score(points) * UNIT)


TOP_OF_CODE: dict[int, int] = {i: _units(q, q.scale.top_points) for i, q in enumerate(QUESTIONS)}
#: Units per option step of each code's scale (a score input ``s`` is ``UNIT + (s-1) * step``).
STEP_OF_CODE: dict[int, int] = {i: _units(q, 2) - UNIT for i, q in enumerate(QUESTIONS)}
#: Number of options of each code's scale (the largest score input).
MAX_OF_CODE: dict[int, int] = {i: q.scale.max_points for i, q in enumerate(QUESTIONS)}

_DECLINED = {normalise_answer_text(t) for t in DECLINED_TEXTS}


def _text_ids() -> dict[str, int]:
    """Normalised answer spellings -> text id (0 = ønsker ikke at svare)."""
    ids = dict.fromkeys(_DECLINED, 0)
    for scale in ANSWER_SCALES.values():
        for option in scale.options:
            for spelling in option.spellings:
                ids.setdefault(normalise_answer_text(spelling), len(set(ids.values())))
    return ids


TEXT_IDS = _text_ids()


def _points_table() -> dict[int, int]:
    """(code * 64 + text id) -> oriented 1-5 score in units; 0 for ønsker ikke at svare."""
    table: dict[int, int] = {}
    for code, q in enumerate(QUESTIONS):
        table[code * 64] = 0
        for option in q.scale.options:
            for spelling in option.spellings:
                table[code * 64 + TEXT_IDS[normalise_answer_text(spelling)]] = _units(
                    q, q.oriented(option.points)
                )
    return table


POINTS_OF = _points_table()


def _resolve_question(value: object, band: Band) -> int | None:
    """Global code of a question given as key or number in a questionnaire, or None."""
    if value is None:
        return None
    text = str(value).strip().casefold()
    if text.endswith(".0"):
        text = text[:-2]
    offset, questions = (0, QUESTIONS_4_9) if band == "4-9" else (N_4_9, QUESTIONS_0_3)
    for i, q in enumerate(questions):
        if text in (q.key, str(q.number)):
            return offset + i
    return None


#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2024/25"

ANSWERS_CONTRACT = Contract(
    "trivsel answers",
    (
        Column("school_year", "school_year", description="School year, e.g. '2023/24'."),
        Column("institution_id", "id", description="Institution (school) number."),
        Column(
            "grade_level",
            "integer",
            checks=(
                Check(
                    "grade level outside 0-9 (the survey covers børnehaveklassen, 0, to 9. klasse)",
                    lambda e: ~e.is_between(0, 9),
                ),
            ),
            description="Klassetrin, 0 (børnehaveklasse) to 9; decides the questionnaire.",
        ),
        Column("class_id", "id", nullable=True, required=False, description="Class (optional)."),
        Column("pupil_id", "id", description="Pseudonymous pupil id (never a CPR number)."),
        Column(
            "question",
            "code",
            description="Stable question key ('mobbet') or number in the questionnaire (14).",
        ),
        Column(
            "answer",
            "string",
            nullable=True,
            required=False,
            description="Answer option text ('Meget tit'); give either answer or score.",
        ),
        Column(
            "score",
            "integer",
            nullable=True,
            required=False,
            description=(
                "Option position 1 (worst) to 5 (best; 4 or 3 on shorter scales), rescaled"
                " onto 1-5; 0 = did not answer."
            ),
        ),
    ),
    last_year=LAST_CONFIRMED_YEAR,
)


@attrs.frozen
class Prepared:
    """Validated answers as typed rows.

    ``rows`` has the pupil key (``school_year`` canonical String,
    ``institution_id`` String, ``pupil_id`` as given), ``grade_level`` (Int8),
    the extra grouping columns, ``_code`` (Int8 global question code),
    ``_score`` (Int8, null unless answered) and ``_declined`` (Boolean).
    """

    rows: pl.LazyFrame
    group: tuple[str, ...]
    value: str
    #: Expression (over the input columns) of the global question code.
    code: pl.Expr
    #: Expression (over the input columns plus ``_code``) of the oriented points,
    #: 0 for "ønsker ikke at svare", null for no answer.
    points: pl.Expr


def _score_checks(present: frozenset[str], question: pl.DataType | None = None) -> list[RowCheck]:
    """The score rules; ``question`` is the question column's dtype (for cheap lookups)."""
    if "score" not in present:
        return []
    score, level = pl.col("score"), pl.col("grade_level")
    show = ("grade_level", "question", "score")
    return [
        RowCheck(
            "score",
            "score outside 0-5 for 4.-9. klasse (1 worst ... 5 best, 0 = ønsker ikke at svare)",
            (level >= 4) & score.is_not_null() & ~score.is_between(0, 5),
            show,
        ),
        RowCheck(
            "score",
            "score outside 0-3 for 0.-3. klasse (1 worst ... 3 best, 0 = ønsker ikke at svare)",
            (level <= 3) & score.is_not_null() & ~score.is_between(0, 3),
            show,
        ),
        *[_score_above_scale(q, question) for q in QUESTIONS_4_9 if q.max_points < 5],
    ]


def _score_above_scale(q: Question, dtype: pl.DataType | None = None) -> RowCheck:
    """A score above the options of ``q``'s scale (4.-9. klasse).

    The count reads the question's text only on the rows whose score is too high for
    that scale (a numeric test first), not on every row.
    """
    high = (pl.col("grade_level") >= 4) & (pl.col("score") > q.max_points)
    return RowCheck(
        "score",
        f"score above {q.max_points} for question {q.number} ({q.key}), whose scale has"
        f" {q.max_points} options (a score is the option's position, 1 = worst)",
        high & _is_question(q, dtype=dtype),
        ("grade_level", "question", "score"),
        count=_is_question(
            q, pl.col("question").filter(high.fill_null(value=False)), dtype=dtype
        ).sum(),
    )


def _names(text: str, q: Question) -> bool:
    """Whether a question cell's text names ``q`` (its key or its number, any spacing/case)."""
    return text.strip().lower().removesuffix(".0") in (q.key, str(q.number))


def _is_question(
    q: Question, question: pl.Expr | None = None, *, dtype: pl.DataType | None = None
) -> pl.Expr:
    """Row expression: the ``question`` cell names ``q`` (by key or by number).

    For an Enum column the matching categories are found once, in Python; for an
    integer column the number is compared; text is normalised row by row.
    """
    cell = pl.col("question") if question is None else question
    if isinstance(dtype, pl.Enum):
        matching = [c for c in dtype.categories.to_list() if _names(c, q)]
        return cell.cast(pl.String).is_in(matching)
    if dtype is not None and dtype.is_integer():
        return cell == q.number
    text = cell.cast(pl.String).str.strip_chars().str.to_lowercase()
    return text.str.strip_suffix(".0").is_in([q.key, str(q.number)])


#: Pupil attributes that must not vary within (school year, pupil): the rules
#: group a pupil's rows on them, so a varying value would split the pupil in two.
PUPIL_ATTRIBUTES = ("institution_id", "grade_level", "class_id")


def _pupil_attributes(schema: pl.Schema) -> list[str]:
    return [c for c in PUPIL_ATTRIBUTES if c in schema]


def _possible_duplicates(lf: pl.LazyFrame) -> tuple[int, int]:
    """Rows that may repeat a pupil-question key; pupils whose attributes may vary.

    ``(0, 0)`` means neither happens.

    The attributes (institution, grade level, class) of a pupil's rows are
    compared in the same group-by (the minimum and maximum of a combined
    hash); a group with two values may be a collision, so it is only an alarm.

    The rows are grouped on a 64-bit hash of (school year, pupil), about
    450 000 groups nationally, and each group's rows are compared with its
    distinct questions (a bit per question for Enum questions, else a distinct
    count). Equal keys always land in one group, so a real duplicate is never
    missed; pupils whose hashes collide can only add false alarms, which the
    exact check rules out before anything is reported. Measured on a national
    year (17.8 million rows), this is about six times faster than counting
    distinct hashed row keys, whose hash table has a slot per row.
    """
    schema = lf.collect_schema()
    key = pl.col("pupil_id").hash(101) ^ pl.col("school_year").hash(303)
    dtype = schema["question"]
    attrs_ = _pupil_attributes(schema)
    # one combined hash (seeded per column): half the cost of one per column
    combined = pl.lit(0, dtype=pl.UInt64)
    for i, c in enumerate(attrs_):
        combined = combined ^ pl.col(c).hash(7 + i)
    hashed = [combined.alias("_a")]
    if isinstance(dtype, pl.Enum) and dtype.categories.len() <= 64:
        bits = pl.Series([1 << i for i in range(dtype.categories.len())], dtype=pl.UInt64)
        bit = pl.lit(bits).gather(pl.col("question").to_physical())
        rows = lf.select(key.alias("_k"), bit.alias("_q"), *hashed)
        distinct = pl.col("_q").bitwise_or().bitwise_count_ones()
    else:
        rows = lf.select(key.alias("_k"), pl.col("question").alias("_q"), *hashed)
        distinct = pl.col("_q").n_unique()
    varying = pl.col("_a").min() != pl.col("_a").max()
    grouped = rows.group_by("_k").agg(
        pl.len().cast(pl.Int64).alias("_n"),
        distinct.cast(pl.Int64).alias("_u"),
        varying.alias("_v"),
    )
    row = grouped.select(
        (pl.col("_n") - pl.col("_u")).sum().alias("dups"), pl.col("_v").sum().alias("mixed")
    ).collect()
    return int(row["dups"][0] or 0), int(row["mixed"][0] or 0)


def _varying_pupils(lf: pl.LazyFrame, year: pl.Expr) -> Problem | None:
    """Exact check: pupils whose institution, grade level or class varies within a year."""
    attrs_ = _pupil_attributes(lf.collect_schema())
    keyed = lf.select(year.alias("school_year"), pl.col("pupil_id"), *attrs_)
    pupils = (
        keyed.group_by("school_year", "pupil_id")
        .agg(pl.len().alias("_rows"), *(pl.col(c).n_unique().alias(c) for c in attrs_))
        .filter(pl.any_horizontal(pl.col(c) > 1 for c in attrs_))
        .sort("school_year", "pupil_id")
        .collect()
    )
    if pupils.is_empty():
        return None
    examples = tuple(
        f"({r['school_year']!r}, {_pupil_shown(r['pupil_id'])})"
        for r in pupils.head(3).iter_rows(named=True)
    )
    names = ", ".join(c for c in attrs_ if (pupils[c] > 1).any())
    return Problem(
        "school_year, pupil_id",
        f"a pupil's rows disagree on {names} within a school year ({pupils.height} pupil"
        f"{'s' if pupils.height != 1 else ''}; a pupil answers once a year, at one school, in"
        " one grade and class, and would otherwise be counted as several pupils)",
        int(pupils["_rows"].sum()),
        examples,
    )


def _question_values(band: Band) -> pl.Expr:
    level = pl.col("grade_level")
    mask = level >= 4 if band == "4-9" else level <= 3
    return pl.col("question").filter(mask).unique().implode()


def _answer_values(band: Band) -> pl.Expr:
    level = pl.col("grade_level")
    mask = level >= 4 if band == "4-9" else level <= 3
    return (
        pl.struct(pl.col("question"), pl.col("answer").cast(pl.String))
        .filter(mask)
        .unique()
        .implode()
    )


def _values(obj: object) -> list[object]:
    assert isinstance(obj, pl.Series)
    return obj.to_list()


def _examples(values: Sequence[object], n: int = 3) -> tuple[str, ...]:
    return tuple(repr(v) for v in sorted(values, key=str)[:n])


def _count(lf: pl.LazyFrame, mask: pl.Expr) -> int:
    return int(lf.select(mask.fill_null(value=False).sum()).collect().item())


def _band_mask(band: Band) -> pl.Expr:
    return pl.col("grade_level") >= 4 if band == "4-9" else pl.col("grade_level") <= 3


def _question_maps(
    lf: pl.LazyFrame, seen: Mapping[Band, list[object]], problems: list[Problem]
) -> tuple[dict[Band, dict[object, int]], bool]:
    """Raw question value -> global code per questionnaire; report unknown questions."""
    maps: dict[Band, dict[object, int]] = {"4-9": {}, "0-3": {}}
    ambiguous = False
    bad: dict[Band, list[object]] = {"4-9": [], "0-3": []}
    for band, values in seen.items():
        codes: set[int] = set()
        for value in values:
            code = _resolve_question(value, band)
            if code is None:
                bad[band].append(value)
                continue
            ambiguous |= code in codes
            codes.add(code)
            maps[band][value] = code
    if bad["4-9"] or bad["0-3"]:
        mask = pl.lit(value=False)
        for band in ("4-9", "0-3"):
            if bad[band]:
                mask = mask | (_band_mask(band) & pl.col("question").is_in(bad[band]))
        examples = tuple(
            f"{v!r} in {band}. klasse"
            for band in ("4-9", "0-3")
            for v in sorted(bad[band], key=str)
        )[:3]
        problems.append(
            Problem(
                "question",
                "unknown question for the pupil's questionnaire (4.-9. klasse: keys such as"
                " 'mobbet' or numbers 1-40; 0.-3. klasse: keys such as 'alene' or numbers 1-20)",
                _count(lf, mask),
                examples,
            )
        )
    return maps, ambiguous


def _answer_map(
    lf: pl.LazyFrame,
    seen: Mapping[Band, list[object]],
    qmaps: Mapping[Band, Mapping[object, int]],
    problems: list[Problem],
) -> dict[str, int]:
    """Raw answer text -> text id; report unknown texts and texts outside the question's scale."""
    mapping: dict[str, int] = {}
    unknown: set[str] = set()
    misfit: list[tuple[Band, object, str]] = []
    for band, combos in seen.items():
        for combo in combos:
            assert isinstance(combo, dict)
            raw_q, raw_a = combo["question"], combo["answer"]
            if raw_a is None:
                continue
            tid = TEXT_IDS.get(normalise_answer_text(raw_a))
            if tid is None:
                unknown.add(raw_a)
                continue
            mapping[raw_a] = tid
            code = qmaps[band].get(raw_q)
            if code is not None and code * 64 + tid not in POINTS_OF:
                misfit.append((band, raw_q, raw_a))
    answer = pl.col("answer").cast(pl.String)
    if unknown:
        problems.append(
            Problem(
                "answer",
                "unknown answer text (not an option of any answer scale, nor 'ønsker ikke at"
                " svare'; matching ignores case, spaces and punctuation)",
                _count(lf, answer.is_in(sorted(unknown))),
                _examples(sorted(unknown)),
            )
        )
    if misfit:
        mask = pl.lit(value=False)
        for band, raw_q, raw_a in misfit:
            mask = mask | (_band_mask(band) & (pl.col("question") == raw_q) & (answer == raw_a))
        examples = tuple(
            f"({q!r}, {a!r})" for _, q, a in sorted(misfit, key=lambda t: (str(t[1]), t[2]))[:3]
        )
        problems.append(
            Problem(
                "question, answer",
                "answer text is not an option of the question's answer scale",
                _count(lf, mask),
                examples,
            )
        )
    return mapping


def _lookup(expr: pl.Expr, table: Mapping[Any, int], *, strict: bool) -> pl.Expr:
    """Int8 lookup; strict lookups fail on values outside ``table``, others give null."""
    if strict:
        return expr.replace_strict(dict(table), return_dtype=pl.Int8)
    return expr.replace_strict(dict(table), default=None, return_dtype=pl.Int8)


def _code_expr(
    dtype: pl.DataType,
    maps: Mapping[Band, Mapping[object, int]] | None,
    bands: Sequence[Band],
    compose: Mapping[int, int] | None = None,
) -> pl.Expr:
    """Expression: the global Int8 question code of each row (strict lookup).

    With ``compose``, the code is mapped on in the same lookup (e.g. to the
    question's indicator): one hash lookup per row instead of two.
    """
    q = pl.col("question")

    def then(table: Mapping[Any, int]) -> dict[Any, int]:
        return {k: compose[v] for k, v in table.items()} if compose else dict(table)

    # With both questionnaires each lookup sees the other's rows too (when/then
    # evaluates both branches), so those lookups must not be strict.
    strict = len(bands) == 1
    per_band: dict[Band, pl.Expr] = {}
    for band in bands:
        if isinstance(dtype, pl.Enum):
            cats = dtype.categories.to_list()
            table = {
                i: c for i, v in enumerate(cats) if (c := _resolve_question(v, band)) is not None
            }
            if maps is not None:  # only what was seen, so unknown codes fail loudly
                seen = set(maps[band].values())
                table = {i: c for i, c in table.items() if c in seen}
            # a gather from a small literal is an array index per row, several
            # times faster than a hash lookup; categories never seen give null
            values = then(table)
            codes = [values.get(i) for i in range(dtype.categories.len())]
            expr = pl.lit(pl.Series(codes, dtype=pl.Int8)).gather(q.to_physical())
        elif maps is not None and not maps[band]:
            expr = pl.lit(None, dtype=pl.Int8)  # no row of this questionnaire
        elif maps is not None:
            expr = _lookup(q, then(maps[band]), strict=strict)
        else:
            offset, questions = (0, QUESTIONS_4_9) if band == "4-9" else (N_4_9, QUESTIONS_0_3)
            table2 = {q_.key: offset + i for i, q_ in enumerate(questions)} | {
                str(q_.number): offset + i for i, q_ in enumerate(questions)
            }
            text = q.cast(pl.String).str.strip_chars().str.to_lowercase().str.strip_suffix(".0")
            expr = _lookup(text, then(table2), strict=strict)
        per_band[band] = expr
    if len(bands) == 1:
        return per_band[bands[0]]
    return pl.when(pl.col("grade_level") <= 3).then(per_band["0-3"]).otherwise(per_band["4-9"])


def _points_expr(answer_map: Mapping[str, int] | None) -> pl.Expr:
    """Expression: oriented points of an answer text (0 = declined; null = no answer)."""
    answer = pl.col("answer").cast(pl.String)
    if answer_map is not None and not answer_map:
        tid = pl.lit(None, dtype=pl.Int16)  # no answer texts at all
    elif answer_map is not None:
        tid = answer.replace_strict(dict(answer_map), return_dtype=pl.Int16)
    else:
        tid = normalised_text_expr(answer).replace_strict(TEXT_IDS, return_dtype=pl.Int16)
    key = pl.col("_code").cast(pl.Int16) * 64 + tid
    return key.replace_strict(POINTS_OF, return_dtype=pl.Int8)


_pupil_shown = shown_id


def _exact_duplicates(lf: pl.LazyFrame, year: pl.Expr, code: pl.Expr) -> Problem | None:
    keyed = lf.select(
        year.alias("school_year"), pl.col("pupil_id"), code.alias("_code"), pl.col("question")
    )
    n = int(
        keyed.select(pl.len() - pl.struct("school_year", "pupil_id", "_code").n_unique())
        .collect()
        .item()
    )
    if not n:
        return None
    dup = (
        keyed.group_by("school_year", "pupil_id", "_code")
        .agg(pl.len().alias("n"), pl.col("question").first())
        .filter(pl.col("n") > 1)
        .sort("school_year", "pupil_id", "_code")
        .head(3)
        .collect()
    )
    examples = tuple(
        f"({r['school_year']!r}, {_pupil_shown(r['pupil_id'])}, {r['question']!r})"
        for r in dup.iter_rows(named=True)
    )
    return Problem(
        "school_year, pupil_id, question",
        f"duplicated pupil-question row: {n} row{'s' if n != 1 else ''} repeat a (school year,"
        " pupil, question) already present (a pupil answers each question once; a key and"
        " a number of the same question count as the same question)",
        n,
        examples,
    )


def prepare(
    answers: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str],
    bands: Sequence[Band] = ("4-9", "0-3"),
    allow_cpr: bool,
    validate: bool,
    extra: Sequence[str] = (),
    indicator_only: bool = False,
) -> Prepared:
    """Validate survey answers and return typed rows of the questionnaires in ``bands``.

    Rows of the other questionnaire are dropped (so 0.-3. answers never reach
    the indicators); validation still covers every row. With
    ``indicator_only`` and score input, the rows carry ``_ind`` (the
    question's indicator index, 4 = none) instead of ``_code``.
    """
    lf = as_lazy(answers, "answers")
    schema = lf.collect_schema()
    has_answer, has_score = "answer" in schema, "score" in schema
    if has_answer == has_score:
        rule = (
            "give either an 'answer' column (option texts) or a 'score' column (0-5), not both"
            if has_answer
            else "missing column: 'answer' (option texts) or 'score' (0-5)"
        )
        raise DataError(ANSWERS_CONTRACT.what, [Problem("answer, score", rule)])
    value = "answer" if has_answer else "score"
    aggregates: dict[str, pl.Expr] = {}
    if validate:
        for band in ("4-9", "0-3"):
            aggregates[f"questions {band}"] = _question_values(band)
            if has_answer:
                aggregates[f"answers {band}"] = _answer_values(band)
    try:
        checked = ANSWERS_CONTRACT.validate(
            lf,
            by=by,
            allow_cpr=allow_cpr,  # the pupil ids' distinct values are checked for CPR numbers
            values=validate,
            row_checks=lambda present: _score_checks(present, schema.get("question")),
            aggregates=aggregates,
        )
        lf = checked.lf(lf)
    except DataError as err:
        raise _with_own_problems(err, lf, aggregates, has_answer=has_answer) from None
    qmaps: dict[Band, dict[object, int]] | None = None
    answer_map: dict[str, int] | None = None
    if validate:
        problems: list[Problem] = []
        qmaps, answer_map = _check_values(
            lf,
            checked.aggregates,
            checked.school_years.get("school_year", {}),
            has_answer=has_answer,
            problems=problems,
        )
        if problems:
            raise DataError(ANSWERS_CONTRACT.what, problems)

    year = _school_year(checked, schema, validate=validate)
    group = tuple(dict.fromkeys((*PUPIL_KEY, "grade_level", *extra, *by)))
    institution = pl.col("institution_id")
    if not isinstance(schema["institution_id"], pl.String):
        institution = institution.cast(pl.String)
    rows = lf.filter(_band_mask(bands[0])) if len(bands) == 1 else lf
    code = _code_expr(schema["question"], qmaps, bands)
    if has_answer:
        points = _points_expr(answer_map)
    else:  # option positions 1..n onto the 1-5 scale, in units (0 and null stay)
        score = pl.col("score").cast(pl.Int8)
        step = _code_expr(schema["question"], qmaps, bands, STEP_OF_CODE)
        points = pl.when(score > 0).then(UNIT + (score - 1) * step).otherwise(score).cast(pl.Int8)
    direct = indicator_only and not has_answer
    rows = rows.select(
        year.alias("school_year"),
        institution.alias("institution_id"),
        pl.col("grade_level").cast(pl.Int8),
        *[pl.col(c) for c in group if c not in ("school_year", "institution_id", "grade_level")],
        _code_expr(schema["question"], qmaps, bands, IND_OF_CODE).alias("_ind")
        if direct
        else code.alias("_code"),
        *([pl.col("answer")] if has_answer else [points.alias("score")]),
    )
    rows = rows.with_columns((points if has_answer else pl.col("score")).alias("_points"))
    rows = rows.drop(value)
    rows = rows.with_columns(
        pl.when(pl.col("_points") > 0).then(pl.col("_points")).alias("_score"),
        (pl.col("_points") == 0).fill_null(value=False).alias("_declined"),
    ).drop("_points")
    return Prepared(rows, group, value, code, points)


def _school_year(checked: Validated, schema: pl.Schema, *, validate: bool) -> pl.Expr:
    """The school year as canonical text.

    Without validation the values are taken as given (parsing every row would
    cost more than the rule itself); with validation, only when some value is
    not already canonical is a per-row lookup needed.
    """
    col = pl.col("school_year")
    col = col if isinstance(schema["school_year"], pl.String) else col.cast(pl.String)
    mapping = checked.school_years.get("school_year", {})
    if not validate or all(k == v for k, v in mapping.items()):
        return col
    return checked.school_year()


def _check_values(
    lf: pl.LazyFrame,
    agg: Mapping[str, object],
    school_years: Mapping[str, str] | None,
    *,
    has_answer: bool,
    problems: list[Problem],
) -> tuple[dict[Band, dict[object, int]], dict[str, int] | None]:
    """The family's own value checks, from the aggregates of the validation query.

    ``school_years`` is ``None`` when the contract's own checks failed (the
    error path): duplicates are then counted on the values as given.
    """
    seen: dict[Band, list[object]] = {
        band: [v for v in _values(agg[f"questions {band}"]) if v is not None]
        for band in ("4-9", "0-3")
    }
    qmaps, ambiguous = _question_maps(lf, seen, problems)
    answer_map = None
    if has_answer:
        combos: dict[Band, list[object]] = {
            band: _values(agg[f"answers {band}"]) for band in ("4-9", "0-3")
        }
        answer_map = _answer_map(lf, combos, qmaps, problems)
    n_dups, n_mixed = _possible_duplicates(lf)
    has_dups = n_dups > 0
    # two spellings of one school year hash apart, so the alarm may miss a pupil
    spellings = school_years is not None and len(set(school_years.values())) != len(school_years)
    if n_mixed or spellings:
        year_ = pl.col("school_year").cast(pl.String)
        if school_years is not None:
            year_ = year_.replace_strict(dict(school_years), return_dtype=pl.String)
        problem = _varying_pupils(lf, year_)
        if problem is not None:
            problems.append(problem)
    if school_years is not None:
        ambiguous |= len(set(school_years.values())) != len(school_years)
    if not problems and school_years is not None and (has_dups or ambiguous):
        code = _code_expr(lf.collect_schema()["question"], qmaps, ("4-9", "0-3"))
        year = (
            pl.col("school_year")
            .cast(pl.String)
            .replace_strict(dict(school_years), return_dtype=pl.String)
        )
        problem = _exact_duplicates(lf, year, code)
        if problem is not None:
            problems.append(problem)
    elif has_dups:
        # not every value is known, so duplicates are counted on the values as given
        problem = _exact_duplicates(lf, pl.col("school_year").cast(pl.String), pl.col("question"))
        if problem is not None:
            problems.append(problem)
    return qmaps, answer_map


def _with_own_problems(
    err: DataError, lf: pl.LazyFrame, aggregates: Mapping[str, pl.Expr], *, has_answer: bool
) -> DataError:
    """Add the family's own problems to the contract's, so every problem is listed at once.

    Only when the contract found value problems (the schema is sound, so the
    aggregates can run); this is the error path, where an extra query is fine.
    """
    if not aggregates or any(p.n_rows is None for p in err.problems):
        return err
    schema = lf.collect_schema()
    if "grade_level" in schema and not schema["grade_level"].is_integer():
        return err  # klassetrin given as text that is not one: the aggregates cannot run
    row = lf.select(e.alias(name) for name, e in aggregates.items()).collect()
    agg = {name: row[name][0] for name in row.columns}
    problems = list(err.problems)
    _check_values(lf, agg, None, has_answer=has_answer, problems=problems)
    return DataError(err.what, problems)


# --- wide input ---------------------------------------------------------------------------

#: Every question key, of either questionnaire: the column names of wide input.
WIDE_KEYS = frozenset(q.key for q in QUESTIONS)
_KEYS_4_9 = frozenset(q.key for q in QUESTIONS_4_9)
_KEYS_0_3 = frozenset(q.key for q in QUESTIONS_0_3)

WIDE_CONTRACT = Contract(
    "wide trivsel answers",
    tuple(c for c in ANSWERS_CONTRACT.columns if c.name not in ("question", "answer", "score")),
    key=("school_year", "pupil_id"),
    last_year=LAST_CONFIRMED_YEAR,
)


def wide_questions(schema: pl.Schema) -> list[str] | None:
    """The question columns of a wide frame, or ``None`` for a long frame."""
    if "question" in schema:
        return None
    cols = [c for c in schema.names() if c in WIDE_KEYS]
    return cols or None


_MAX_4_9 = {q.key: q.max_points for q in QUESTIONS_4_9}


def _wide_checks(cols: Sequence[str]) -> list[RowCheck]:
    level = pl.col("grade_level")
    checks: list[RowCheck] = []
    for c in cols:
        v = pl.col(c)
        if c in _KEYS_4_9:
            checks.append(
                RowCheck(
                    c,
                    f"score outside 0-{_MAX_4_9[c]} for 4.-9. klasse (1 worst ..."
                    f" {_MAX_4_9[c]} best, 0 = ønsker ikke at svare)",
                    (level >= 4) & v.is_not_null() & ~v.is_between(0, _MAX_4_9[c]),
                    ("grade_level", c),
                )
            )
        else:
            checks.append(
                RowCheck(
                    c,
                    "answer to a question that is not in the 4.-9. klasse questionnaire",
                    (level >= 4) & v.is_not_null(),
                    ("grade_level", c),
                )
            )
        if c in _KEYS_0_3:
            checks.append(
                RowCheck(
                    c,
                    "score outside 0-3 for 0.-3. klasse (1 worst ... 3 best, 0 = ønsker ikke at"
                    " svare)",
                    (level <= 3) & v.is_not_null() & ~v.is_between(0, 3),
                    ("grade_level", c),
                )
            )
        else:
            checks.append(
                RowCheck(
                    c,
                    "answer to a question that is not in the 0.-3. klasse questionnaire",
                    (level <= 3) & v.is_not_null(),
                    ("grade_level", c),
                )
            )
    return checks


def prepare_wide_sums(
    answers: pl.DataFrame | pl.LazyFrame,
    cols: Sequence[str],
    *,
    by: Sequence[str],
    allow_cpr: bool,
    validate: bool,
    extra: Sequence[str] = (),
) -> tuple[pl.LazyFrame, tuple[str, ...]]:
    """Validate wide integer scores and return the per-pupil sums, row by row.

    One row per 4.-9. klasse pupil with at least one question cell: the pupil
    key, ``grade_level``, the extra grouping columns, and ``_n0`` ... ``_n4``
    (answered questions) and ``_s0`` ... ``_s4`` (score sums) of the four
    indicators and general, exactly as the long path's pupil step gives them.
    """
    lf = as_lazy(answers, "answers")
    schema = lf.collect_schema()
    # The contract checks the pupil ids for CPR numbers on their distinct values.
    checked = WIDE_CONTRACT.validate(
        lf,
        by=by,
        allow_cpr=allow_cpr,
        values=validate,
        row_checks=lambda _: _wide_checks(cols),
    )
    lf = checked.lf(lf)
    group = tuple(dict.fromkeys((*PUPIL_KEY, "grade_level", *extra, *by)))
    institution = pl.col("institution_id")
    if not isinstance(schema["institution_id"], pl.String):
        institution = institution.cast(pl.String)
    any_cell = pl.any_horizontal([pl.col(c).is_not_null() for c in cols])
    rows = lf.filter((pl.col("grade_level") >= 4) & any_cell)
    sums: list[pl.Expr] = []
    for k in range(4):
        mine = [c for c in cols if c in _KEYS_4_9 and IND_OF_CODE[CODE_OF[("4-9", c)]] == k]
        answered = [(pl.col(c) > 0).fill_null(value=False).cast(pl.UInt32) for c in mine]
        steps = [STEP_OF_CODE[CODE_OF[("4-9", c)]] for c in mine]
        scores = [
            pl.when(pl.col(c) > 0).then(UNIT + (pl.col(c).cast(pl.Int32) - 1) * step).otherwise(0)
            for c, step in zip(mine, steps, strict=True)
        ]
        sums += [
            (pl.sum_horizontal(answered) if mine else pl.lit(0, dtype=pl.UInt32)).alias(f"_n{k}"),
            (pl.sum_horizontal(scores) if mine else pl.lit(0, dtype=pl.Int32)).alias(f"_s{k}"),
        ]
    pupils = rows.select(
        _school_year(checked, schema, validate=validate).alias("school_year"),
        institution.alias("institution_id"),
        pl.col("grade_level").cast(pl.Int8),
        *[pl.col(c) for c in group if c not in ("school_year", "institution_id", "grade_level")],
        *sums,
    ).with_columns(
        pl.sum_horizontal([f"_n{k}" for k in range(4)]).alias("_n4"),
        pl.sum_horizontal([f"_s{k}" for k in range(4)]).alias("_s4"),
    )
    return pupils, group
