"""The survey-answers input, declared: read by :func:`folkeskolekvalitet._core.pipeline.prepare`.

:data:`ANSWERS_CONTRACT` declares the long answers completely: the columns and
their value rules, the key (a pupil answers each question once; a question's
key and its number are one question), the pupil and the attributes that are
one per pupil (institution, grade level, class), the score rules, and the
checks against the question catalogue (the pupil's questionnaire has the
question; the answer text is an option of its scale), judged on the distinct
combinations of grade level, question and answer. Every problem comes in one
:class:`~folkeskolekvalitet.DataError`.

The typed rows carry small integer question codes (or the question's
indicator), so that the rules group and sum on integers; validated questions
and answer texts are typed through lookups of their distinct values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.exprs import PUPIL_KEY, lookup
from folkeskolekvalitet._core.frames import as_lazy, one_chunk
from folkeskolekvalitet._core.pipeline import Projection, fine_grouping, pupil_step
from folkeskolekvalitet._core.pipeline import prepare as _prepare
from folkeskolekvalitet._core.schema import CatalogueCheck, Check, Column, Contract, RowCheck
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
#: Indicator index and step of each code in one small integer (``ind * 16 + step``):
#: one lookup of the question per row gives both.
_IND_STEP_OF_CODE: dict[int, int] = {i: IND_OF_CODE[i] * 16 + STEP_OF_CODE[i] for i in IND_OF_CODE}
assert all(0 < step < 16 for step in STEP_OF_CODE.values())
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


def _names_of(band: Band) -> dict[str, int]:
    """Each question of a questionnaire by key and by number -> global code."""
    offset, questions = (0, QUESTIONS_4_9) if band == "4-9" else (N_4_9, QUESTIONS_0_3)
    out = {q.key: offset + i for i, q in enumerate(questions)}
    return out | {str(q.number): offset + i for i, q in enumerate(questions)}


_NAMES: dict[Band, dict[str, int]] = {"4-9": _names_of("4-9"), "0-3": _names_of("0-3")}


@functools.lru_cache(maxsize=4096)
def _resolve_question(value: object, band: Band) -> int | None:
    """Global code of a question given as key or number in a questionnaire, or None."""
    if value is None:
        return None
    text = str(value).strip().casefold()
    if text.endswith(".0"):
        text = text[:-2]
    return _NAMES[band].get(text)


#: The last school year whose catalogue this family has confirmed from an official
#: source; later years are refused (see ``Contract.last_year``), as exams refuses 2025/26.
LAST_CONFIRMED_YEAR = "2024/25"


def _band_of(level: object) -> Band | None:
    """The questionnaire of a klassetrin (``None`` outside 0-9, which its own rule reports)."""
    if not isinstance(level, int) or not 0 <= level <= 9:
        return None
    return "0-3" if level <= 3 else "4-9"


def _band_mask(band: Band) -> pl.Expr:
    return pl.col("grade_level") >= 4 if band == "4-9" else pl.col("grade_level") <= 3


_UNKNOWN_QUESTION = (
    "unknown question for the pupil's questionnaire (4.-9. klasse: keys such as 'mobbet' or"
    " numbers 1-40; 0.-3. klasse: keys such as 'alene' or numbers 1-20)"
)
_UNKNOWN_ANSWER = (
    "unknown answer text (not an option of any answer scale, nor 'ønsker ikke at svare';"
    " matching ignores case, spaces and punctuation)"
)
_MISFIT = "answer text is not an option of the question's answer scale"

Verdict = tuple[str, str, tuple[str, ...]] | None


def _question_verdict(level: object, question: object) -> Verdict:
    """Catalogue check: the pupil's questionnaire has the question (by key or number)."""
    band = _band_of(level)
    if band is None or _resolve_question(question, band) is not None:
        return None
    return ("question", _UNKNOWN_QUESTION, ("grade_level", "question"))


def _answer_verdict(level: object, question: object, answer: object) -> Verdict:
    """Catalogue check: the answer text is an option (of the question's scale)."""
    tid = TEXT_IDS.get(normalise_answer_text(str(answer)))
    if tid is None:
        return ("answer", _UNKNOWN_ANSWER, ("answer",))
    band = _band_of(level)
    code = None if band is None else _resolve_question(question, band)
    if code is not None and code * 64 + tid not in POINTS_OF:
        return ("question, answer", _MISFIT, ("question", "answer"))
    return None


_SCORE_SHOWN = ("grade_level", "question", "score")


def _score_verdict(level: object, question: object, score: object) -> Verdict:
    """Catalogue check: the score is an option of the pupil's questionnaire and question."""
    band = _band_of(level)
    if band is None or not isinstance(score, int):
        return None
    if band == "0-3":
        if 0 <= score <= 3:
            return None
        return (
            "score",
            "score outside 0-3 for 0.-3. klasse (1 worst ... 3 best, 0 = ønsker ikke at svare)",
            _SCORE_SHOWN,
        )
    if not 0 <= score <= 5:
        return (
            "score",
            "score outside 0-5 for 4.-9. klasse (1 worst ... 5 best, 0 = ønsker ikke at svare)",
            _SCORE_SHOWN,
        )
    code = _resolve_question(question, band)
    q = None if code is None else QUESTIONS[code]
    if q is None or score <= q.max_points:
        return None
    return (
        "score",
        f"score above {q.max_points} for question {q.number} ({q.key}), whose scale has"
        f" {q.max_points} options (a score is the option's position, 1 = worst)",
        _SCORE_SHOWN,
    )


QUESTION_COLUMNS = ("grade_level", "question")
ANSWER_COLUMNS = ("grade_level", "question", "answer")
SCORE_COLUMNS = ("grade_level", "question", "score")


def _question_maps(seen: pl.DataFrame) -> dict[Band, dict[object, int]]:
    """Raw question value -> global code per questionnaire, from validated combinations."""
    maps: dict[Band, dict[object, int]] = {"4-9": {}, "0-3": {}}
    for level, value in seen.select(QUESTION_COLUMNS).iter_rows():
        band = _band_of(level)
        code = None if band is None else _resolve_question(value, band)
        if band is not None and code is not None:
            maps[band][value] = code
    return maps


def _question_spellings(
    seen: Mapping[tuple[str, ...], pl.DataFrame],
) -> dict[str, pl.Expr] | None:
    """The question as its key, when a key and a number of one question both occur.

    ``None`` when no two values seen stand for one question of a questionnaire
    (then the key is checked for duplicates as given).
    """
    combos = seen.get(QUESTION_COLUMNS, seen.get(ANSWER_COLUMNS))
    if combos is None:
        return None
    maps = _question_maps(combos)
    if all(len(set(m.values())) == len(m) for m in maps.values()):
        return None
    text = pl.col("question").cast(pl.String)

    def keys(band: Band) -> pl.Expr:
        mapping = {str(raw): QUESTIONS[code].key for raw, code in maps[band].items()}
        return text.replace_strict(mapping, default=text, return_dtype=pl.String)

    return {
        "question": pl.when(_band_mask("0-3")).then(keys("0-3")).otherwise(keys("4-9")),
    }


def _duplicate_rule(n: int) -> str:
    return (
        f"duplicated pupil-question row: {n} row{'s' if n != 1 else ''} repeat a (school year,"
        " pupil, question) already present (a pupil answers each question once; a key and"
        " a number of the same question count as the same question)"
    )


def _per_pupil_rule(names: Sequence[str], n: int) -> str:
    return (
        f"a pupil's rows disagree on {', '.join(names)} within a school year ({n} pupil"
        f"{'s' if n != 1 else ''}; a pupil answers once a year, at one school, in"
        " one grade and class, and would otherwise be counted as several pupils)"
    )


def _code_expr(
    dtype: pl.DataType,
    maps: Mapping[Band, Mapping[object, int]] | None,
    bands: Sequence[Band],
    compose: Mapping[int, int] | None = None,
) -> pl.Expr:
    """Expression: the global Int8 question code of each row (null for another band's row).

    With ``compose``, the code is mapped on in the same lookup (e.g. to the
    question's indicator): one lookup per row instead of two. With ``maps``
    (validated) only the values seen are looked up.
    """
    q = pl.col("question")

    def then(table: Mapping[Any, int]) -> dict[Any, int]:
        return {k: compose[v] for k, v in table.items()} if compose else dict(table)

    per_band: dict[Band, pl.Expr] = {}
    for band in bands:
        if isinstance(dtype, pl.Enum):
            cats = dtype.categories.to_list()
            table = {
                i: c for i, v in enumerate(cats) if (c := _resolve_question(v, band)) is not None
            }
            if maps is not None:  # only what was seen
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
            expr = q.replace_strict(then(maps[band]), default=None, return_dtype=pl.Int8)
        else:
            offset, questions = (0, QUESTIONS_4_9) if band == "4-9" else (N_4_9, QUESTIONS_0_3)
            table2 = {q_.key: offset + i for i, q_ in enumerate(questions)} | {
                str(q_.number): offset + i for i, q_ in enumerate(questions)
            }
            text = q.cast(pl.String).str.strip_chars().str.to_lowercase().str.strip_suffix(".0")
            expr = text.replace_strict(then(table2), default=None, return_dtype=pl.Int8)
        per_band[band] = expr
    if len(bands) == 1:
        return per_band[bands[0]]
    return pl.when(_band_mask("0-3")).then(per_band["0-3"]).otherwise(per_band["4-9"])


def _points_expr(answers: pl.DataFrame | None) -> pl.Expr:
    """Expression: oriented points of an answer text (0 = declined; null = no answer).

    Over ``_code`` and ``answer``; with ``answers`` (the validated combinations)
    the texts are typed through their distinct values.
    """
    answer = pl.col("answer").cast(pl.String)
    if answers is not None:
        texts = answers["answer"].cast(pl.String).unique().to_list()
        tid = lookup(answer, texts, lambda t: TEXT_IDS[normalise_answer_text(t)], pl.Int16)
    else:
        tid = normalised_text_expr(answer).replace_strict(TEXT_IDS, return_dtype=pl.Int16)
    key = pl.col("_code").cast(pl.Int16) * 64 + tid
    return key.replace_strict(POINTS_OF, return_dtype=pl.Int8)


def _by_code(code: pl.Expr, table: Mapping[int, int]) -> pl.Expr:
    """``table`` of each question code (Int8): an array index per row, not a hash lookup."""
    values = pl.Series([table[i] for i in range(len(QUESTIONS))], dtype=pl.Int8)
    return pl.lit(values).gather(code)


def _score_points(step: pl.Expr) -> pl.Expr:
    """Option positions 1..n onto the 1-5 scale, in units (0 and null stay)."""
    score = pl.col("score").cast(pl.Int8)
    return pl.when(score > 0).then(UNIT + (score - 1) * step).otherwise(score).cast(pl.Int8)


def _project(
    bands: tuple[Band, ...], indicator_only: bool
) -> Callable[[Projection], dict[str, pl.Expr]]:
    """The typed rows: grade level (Int8), question code (or indicator), points or answer."""

    def project(p: Projection) -> dict[str, pl.Expr]:
        dtype = p.dtype("question")
        assert dtype is not None
        combos = p.combinations(QUESTION_COLUMNS)
        seen = p.distinct("question")
        if combos is not None:
            maps = _question_maps(combos)
        elif seen is not None:  # unvalidated, in memory: every band's reading of each value
            maps = _question_maps(
                pl.DataFrame({"grade_level": [0, 4]}).join(
                    seen.rename("question").to_frame(), how="cross"
                )
            )
        else:
            maps = None
        out = {"grade_level": pl.col("grade_level").cast(pl.Int8)}
        if p.has("answer"):
            out["_code"] = _code_expr(dtype, maps, bands)
            out["answer"] = pl.col("answer")
            return out
        # the question is looked up once per row; the step comes with it
        if indicator_only:
            both = _code_expr(dtype, maps, bands, _IND_STEP_OF_CODE)
            out["_ind"] = both // 16
            out["_points"] = _score_points(both % 16)
        else:
            out["_code"] = code = _code_expr(dtype, maps, bands)
            out["_points"] = _score_points(_by_code(code, STEP_OF_CODE))
        return out

    return project


def _keep(bands: tuple[Band, ...]) -> Callable[[Projection], pl.Expr | None]:
    """Only the rows of the questionnaires in ``bands`` (validation covers every row)."""

    def keep(_: Projection) -> pl.Expr | None:
        return _band_mask(bands[0]) if len(bands) == 1 else None

    return keep


_NOT_BY = "a pupil answers many questions"


@functools.cache
def _contract(bands: tuple[Band, ...], indicator_only: bool) -> Contract:
    """The answers contract, projecting the questionnaires in ``bands``."""
    return Contract(
        "trivsel answers",
        (
            Column("school_year", "school_year", description="School year, e.g. '2023/24'."),
            Column("institution_id", "id", description="Institution (school) number."),
            Column(
                "grade_level",
                "integer",
                checks=(
                    Check(
                        "grade level outside 0-9 (the survey covers børnehaveklassen, 0, to 9."
                        " klasse)",
                        lambda e: ~e.is_between(0, 9),
                    ),
                ),
                description="Klassetrin, 0 (børnehaveklasse) to 9; decides the questionnaire.",
            ),
            Column(
                "class_id", "id", nullable=True, required=False, description="Class (optional)."
            ),
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
        key=("school_year", "pupil_id", "question"),
        last_year=LAST_CONFIRMED_YEAR,
        group=(*PUPIL_KEY, "grade_level"),
        pupil=("school_year", "pupil_id"),
        per_pupil=PUPIL_ATTRIBUTES,
        not_by=tuple((c, _NOT_BY) for c in ("question", "answer", "score")),
        catalogue=(
            CatalogueCheck(QUESTION_COLUMNS, _question_verdict),
            CatalogueCheck(ANSWER_COLUMNS, _answer_verdict),
            CatalogueCheck(SCORE_COLUMNS, _score_verdict),
        ),
        project=_project(bands, indicator_only),
        keep=_keep(bands),
        duplicate_rule=_duplicate_rule,
        key_spellings=_question_spellings,
        per_pupil_rule=_per_pupil_rule,
    )


#: Pupil attributes that must not vary within (school year, pupil): the rules
#: group a pupil's rows on them, so a varying value would split the pupil in two.
PUPIL_ATTRIBUTES = ("institution_id", "grade_level", "class_id")

#: The long answers, declared (both questionnaires projected).
ANSWERS_CONTRACT = _contract(("4-9", "0-3"), False)


@attrs.frozen
class Prepared:
    """Validated answers as typed rows.

    ``rows`` has the pupil key (``school_year`` canonical String,
    ``institution_id`` and ``pupil_id`` String), ``grade_level`` (Int8),
    the extra grouping columns, ``_code`` (Int8 global question code; ``_ind``,
    the indicator index, for ``indicator_only`` score input), ``_score`` (Int8,
    null unless answered) and ``_declined`` (Boolean).
    """

    rows: pl.LazyFrame
    group: tuple[str, ...]
    value: str
    #: Expression (over the input columns) of the global question code.
    code: pl.Expr
    #: Expression (over the input columns plus ``_code``) of the oriented points,
    #: 0 for "ønsker ikke at svare", null for no answer.
    points: pl.Expr
    #: The carried columns (:attr:`folkeskolekvalitet._core.pipeline.Prepared.carry`).
    carry: tuple[str, ...] = ()

    def fine(self, by: Sequence[str]) -> tuple[str, ...]:
        """``by`` and the carried columns: the grouping of a row count summed over ``by``."""
        return fine_grouping(by, self.carry)


def _value_problem(lf: pl.LazyFrame) -> Problem | None:
    """Exactly one of ``answer`` and ``score`` must be given."""
    schema = lf.collect_schema()
    has_answer, has_score = "answer" in schema, "score" in schema
    if has_answer != has_score:
        return None
    rule = (
        "give either an 'answer' column (option texts) or a 'score' column (0-5), not both"
        if has_answer
        else "missing column: 'answer' (option texts) or 'score' (0-5)"
    )
    return Problem("answer, score", rule)


def prepare(
    answers: object,
    *,
    by: Sequence[str],
    bands: Sequence[Band] = ("4-9", "0-3"),
    allow_cpr: bool,
    validate: bool,
    extra: Sequence[str] = (),
    indicator_only: bool = False,
) -> Prepared:
    """Validate survey answers and return typed rows of the questionnaires in ``bands``.

    The shared pipeline on the answers contract. Rows of the other
    questionnaire are dropped (so 0.-3. answers never reach the indicators);
    validation still covers every row. With ``indicator_only`` and score
    input, the rows carry ``_ind`` (the question's indicator index, 4 = none)
    instead of ``_code``.
    """
    answers = one_chunk(answers)
    lf = as_lazy(answers, "answers")
    contract = _contract(tuple(bands), indicator_only)
    schema_problem = _value_problem(lf)
    if schema_problem is not None:
        # one round: with the other schema problems, if any
        try:
            contract.validate(lf, values=False)
        except DataError as err:
            raise DataError(contract.what, [schema_problem, *err.problems]) from None
        raise DataError(contract.what, [schema_problem])
    prepared = _prepare(
        answers,
        contract,
        by=tuple(dict.fromkeys((*extra, *by))),
        validate=validate,
        allow_cpr=allow_cpr,
        name="answers",
    )
    dtype = lf.collect_schema()["question"]
    combos = prepared.checked.combinations(QUESTION_COLUMNS) if validate else None
    maps = None if combos is None else _question_maps(combos)
    code = _code_expr(dtype, maps, ("4-9", "0-3"))
    rows = prepared.rows
    if "answer" in prepared.checked.columns:
        value = "answer"
        points = _points_expr(prepared.checked.combinations(ANSWER_COLUMNS) if validate else None)
        rows = rows.with_columns(points.alias("_points")).drop("answer")
    else:
        value = "score"
        points = _score_points(_by_code(code, STEP_OF_CODE))
    rows = rows.with_columns(
        pl.when(pl.col("_points") > 0).then(pl.col("_points")).alias("_score"),
        (pl.col("_points") == 0).fill_null(value=False).alias("_declined"),
    ).drop("_points")
    return Prepared(rows, prepared.group, value, code, points, prepared.carry)


# --- one step: the pupil grouping of eager score input, checks counted in it -------------

#: Bits of an indicator's field in the packed sums.
_FIELD = 16
#: Score slots per question code in the packed tables (scores 0-7; a score outside them
#: is read as its nearest, and refused by the checks).
_SLOTS = 8


def _packed_tables() -> tuple[pl.Series, pl.Series]:
    """Each 4.-9. question's contribution to a pupil's packed sums, by code * _SLOTS + score.

    The score in units (sums) and one answer (counts), shifted into the 16-bit field of
    the question's indicator (0-3); 0 for a declined answer and a question of no
    indicator. A pupil without repeated questions answers at most ten questions of an
    indicator (at most 150 units): the fields never carry into each other.
    """
    sums, counts = [0] * (64 * _SLOTS), [0] * (64 * _SLOTS)
    for code, q in enumerate(QUESTIONS[:N_4_9]):
        k = IND_OF_CODE[code]
        if k == 4:
            continue
        for score in range(1, min(q.max_points, _SLOTS - 1) + 1):
            units = UNIT + (score - 1) * STEP_OF_CODE[code]
            sums[code * _SLOTS + score] = units << (_FIELD * k)
            counts[code * _SLOTS + score] = 1 << (_FIELD * k)
    return pl.Series(sums, dtype=pl.UInt64), pl.Series(counts, dtype=pl.UInt64)


_PACKED_SUMS, _PACKED_COUNTS = _packed_tables()
#: Every question's key and number in either questionnaire, as text.
_NAMES_ENUM = pl.Enum(list(dict.fromkeys((*_NAMES["4-9"], *_NAMES["0-3"]))))


def _row_code(dtype: pl.DataType) -> pl.Expr | None:
    """Expression: each row's global question code 0-59 for its grade's questionnaire.

    Null where the question is not one of that questionnaire. An Enum's categories are
    read as :func:`prepare` reads them (ignoring case and surrounding spaces, accepting
    ``"14.0"``); text must be a key or a number exactly (``"mobbet"``, ``"14"``): it is
    first read as an Enum of every key and number (one hash per row), and another
    spelling is null, so that :func:`prepare` reads it. Then each category's code in
    each questionnaire is an array index. ``None`` for a question column that is
    neither an Enum nor text.
    """
    question = pl.col("question")
    if isinstance(dtype, pl.String):
        dtype, question = _NAMES_ENUM, question.cast(_NAMES_ENUM, strict=False)
    if not isinstance(dtype, pl.Enum):
        return None
    table: list[int | None] = []
    for value in dtype.categories.to_list():
        table += [_resolve_question(value, "0-3"), _resolve_question(value, "4-9")]
    older = (pl.col("grade_level") >= 4).cast(pl.Int64)
    index = question.to_physical().cast(pl.Int64) * 2 + older
    return pl.lit(pl.Series(table, dtype=pl.Int8)).gather(index)


def pupil_sums_in_one_step(
    answers: object,
    *,
    by: Sequence[str],
    allow_cpr: bool,
    extra: Sequence[str] = (),
) -> tuple[pl.LazyFrame, tuple[str, ...]] | None:
    """The long path's validated pupil sums of an eager score frame in one grouping, or ``None``.

    :func:`~folkeskolekvalitet._core.pipeline.pupil_step` with the indicators' packed
    sums: each row adds its score in units (and one answer) to its indicator's 16-bit
    field of two 64-bit sums, so the grouping adds two integers per row instead of eight
    conditional aggregates, and counts the checks of every row in the same query. The
    result is the same frame as :func:`prepare` and the long path's pupil sums give:
    one row per 4.-9. klasse pupil with the group columns, ``_n0`` ... ``_n4`` and
    ``_s0`` ... ``_s4``. ``None`` where that step does not apply or anything is not
    plainly clean: :func:`prepare` then reports it.
    """
    if not isinstance(answers, pl.DataFrame) or "answer" in answers.schema:
        return None
    schema = answers.schema
    if not {"grade_level", "question", "score"} <= set(schema.names()):
        return None
    if not (schema["grade_level"].is_integer() and schema["score"].is_integer()):
        return None
    code = _row_code(schema["question"])
    if code is None:
        return None
    # (clipped before the cast: a score of any integer dtype and size is read, and
    # one outside the scale is refused by the checks of the representative rows)
    score = pl.col("score").clip(0, _SLOTS - 1).cast(pl.Int16)
    index = pl.col("__code").cast(pl.Int16) * _SLOTS + score
    step = pupil_step(
        answers,
        ANSWERS_CONTRACT,
        key_code=pl.col("__code"),
        values={
            "__code": code,  # once per row (a text lookup for text questions)
            "__sums": pl.lit(_PACKED_SUMS).gather(index),
            "__counts": pl.lit(_PACKED_COUNTS).gather(index),
        },
        aggregates=[pl.col("__sums").sum(), pl.col("__counts").sum()],
        by=tuple(dict.fromkeys((*extra, *by))),
        allow_cpr=allow_cpr,
    )
    if step is None:
        return None
    field_size = 1 << _FIELD
    fields = []
    for k in range(4):
        counts = (pl.col("__counts") // (1 << (_FIELD * k))) % field_size
        sums = (pl.col("__sums") // (1 << (_FIELD * k))) % field_size
        fields += [counts.cast(pl.UInt32).alias(f"_n{k}"), sums.cast(pl.Int32).alias(f"_s{k}")]
    pupils = (
        step.pupils.lazy()
        .filter(pl.col("grade_level") >= 4)
        .select(*step.group, *fields)
        .with_columns(
            pl.sum_horizontal([f"_n{k}" for k in range(4)]).alias("_n4"),
            pl.sum_horizontal([f"_s{k}" for k in range(4)]).alias("_s4"),
        )
    )
    return pupils, step.group


# --- wide input ---------------------------------------------------------------------------

#: Every question key, of either questionnaire: the column names of wide input.
WIDE_KEYS = frozenset(q.key for q in QUESTIONS)
_KEYS_4_9 = frozenset(q.key for q in QUESTIONS_4_9)
_KEYS_0_3 = frozenset(q.key for q in QUESTIONS_0_3)

#: The wide answers' pupil columns: one row per pupil (the question columns are
#: declared per input, see :func:`prepare_wide_sums`).
WIDE_CONTRACT = Contract(
    "wide trivsel answers",
    tuple(c for c in ANSWERS_CONTRACT.columns if c.name not in ("question", "answer", "score")),
    key=("school_year", "pupil_id"),
    last_year=LAST_CONFIRMED_YEAR,
    group=(*PUPIL_KEY, "grade_level"),
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


def _wide_project(cols: tuple[str, ...]) -> Callable[[Projection], dict[str, pl.Expr]]:
    """The typed wide rows: answered counts and score sums per indicator, in units."""

    def project(_: Projection) -> dict[str, pl.Expr]:
        out = {
            "grade_level": pl.col("grade_level").cast(pl.Int8),
            "_any": pl.any_horizontal([pl.col(c).is_not_null() for c in cols]),
        }
        for k in range(4):
            mine = [c for c in cols if c in _KEYS_4_9 and IND_OF_CODE[CODE_OF[("4-9", c)]] == k]
            answered = [(pl.col(c) > 0).fill_null(value=False).cast(pl.UInt32) for c in mine]
            steps = [STEP_OF_CODE[CODE_OF[("4-9", c)]] for c in mine]
            scores = [
                pl.when(pl.col(c) > 0)
                .then(UNIT + (pl.col(c).cast(pl.Int32) - 1) * step)
                .otherwise(0)
                for c, step in zip(mine, steps, strict=True)
            ]
            out[f"_n{k}"] = pl.sum_horizontal(answered) if mine else pl.lit(0, dtype=pl.UInt32)
            out[f"_s{k}"] = pl.sum_horizontal(scores) if mine else pl.lit(0, dtype=pl.Int32)
        return out

    return project


@functools.cache
def _wide_contract(cols: tuple[str, ...]) -> Contract:
    """The wide contract with the question columns ``cols`` (integer scores)."""
    return attrs.evolve(
        WIDE_CONTRACT,
        columns=(
            *WIDE_CONTRACT.columns,
            *(Column(c, "integer", nullable=True, description="Score.") for c in cols),
        ),
        row_checks=lambda _: _wide_checks(cols),
        project=_wide_project(cols),
        # pupils of 4.-9. klasse with at least one question cell
        keep=lambda _: (pl.col("grade_level") >= 4) & pl.col("_any"),
    )


def prepare_wide_sums(
    answers: object,
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
    prepared = _prepare(
        one_chunk(answers),
        _wide_contract(tuple(cols)),
        by=tuple(dict.fromkeys((*extra, *by))),
        validate=validate,
        allow_cpr=allow_cpr,
        name="answers",
    )
    pupils = prepared.rows.drop("_any").with_columns(
        pl.sum_horizontal([f"_n{k}" for k in range(4)]).alias("_n4"),
        pl.sum_horizontal([f"_s{k}" for k in range(4)]).alias("_s4"),
    )
    return pupils, prepared.group


def check_wide(answers: pl.LazyFrame, cols: Sequence[str], *, allow_cpr: bool) -> pl.LazyFrame:
    """Check wide integer scores as the pupil-level rules do; the frame to read.

    Every check of :func:`prepare_wide_sums` (one row per pupil, the scores, the
    attributes, the ids), without the sums: for a caller that reads the answers long
    (the indicator table), where a row whose cells are all null would never be seen
    and two rows of one pupil would silently be one. Raises
    :class:`~folkeskolekvalitet.DataError`; ids spelled with padding are normalised in
    the returned frame.
    """
    contract = _wide_contract(tuple(cols))
    checked = _prepare(answers, contract, validate=True, allow_cpr=allow_cpr, name="answers")
    return checked.checked.lf(answers)
