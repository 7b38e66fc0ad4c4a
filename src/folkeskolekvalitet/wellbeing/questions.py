"""The trivselsmåling questionnaires: questions, answer scales and indicators.

The national well-being survey has two questionnaires: 40 questions for
4.–9. klasse (five answer options plus "ønsker ikke at svare") and 20 simpler
questions for 0.–3. klasse (three options). Every 4.–9. question either
belongs to one of four indicators or to none ("øvrige spørgsmål"); the
general indicator (generel skoletrivsel) covers all 29 indicator questions.

The catalogues are loaded from the CSV files shipped with the package
(``folkeskolekvalitet/wellbeing/data``), transcribed from Bilag 2 and Bilag 3 of
Ballerup Kommune's Kvalitetsrapport 2018 (Baltorpskolen), which lists the
indicator of every 4.–9. question. How well each question's answer wording is
verified is carried into :attr:`Question.verified`.

Sources
-------
- BEK nr. 1167 af 12/10/2015 om måling af elevernes trivsel i folkeskolen
  (Bilag 1: 0.–3. klasse, Bilag 2: 4.–9. klasse):
  https://www.retsinformation.dk/eli/lta/2015/1167
- Indicators, scale 1–5, the half rule and the score intervals, Børne- og
  Undervisningsministeriet: https://www.uvm.dk/statistik/grundskolen/elever/trivselsmaalinger
- Answer-type names (Tit5Type, Altid5Type, Gode4Type, Enig5Type, Meget3Type ...),
  STIL's datainstruks:
  http://docplayer.dk/7903310-National-trivselsmaaling-i-folkeskolen-datainstruks-i-forbindelse-med-bekendtgoerelse-om-maaling-af-elevernes-trivsel-i-folkeskolen.html
"""

from __future__ import annotations

import csv
import math
import re
from fractions import Fraction
from importlib import resources
from typing import Literal, cast

import attrs
import polars as pl

__all__ = [
    "ANSWER_SCALES",
    "DECLINED_TEXTS",
    "INDICATORS",
    "INDICATOR_ENUM",
    "INTERVAL_ENUM",
    "QUESTIONNAIRE_ENUM",
    "QUESTIONS_0_3",
    "QUESTIONS_4_9",
    "QUESTION_ENUM",
    "SCALES",
    "SCORE_DENOMINATOR",
    "SCORE_INTERVALS",
    "AnswerOption",
    "AnswerScale",
    "Indicator",
    "Question",
    "ScoreInterval",
    "indicator",
    "normalise_answer_text",
    "question",
    "reverse_score",
]

Polarity = Literal["positive", "negative"]
Verification = Literal["yes", "likely", "unverified"]
Questionnaire = Literal["4-9", "0-3"]

BEK_SOURCE = "https://www.retsinformation.dk/eli/lta/2015/1167"
UVM_SOURCE = "https://www.uvm.dk/statistik/grundskolen/elever/trivselsmaalinger"
STIL_SOURCE = (
    "http://docplayer.dk/7903310-National-trivselsmaaling-i-folkeskolen-datainstruks-i-"
    "forbindelse-med-bekendtgoerelse-om-maaling-af-elevernes-trivsel-i-folkeskolen.html"
)
SEED_SOURCE = (
    "Ballerup Kommune, Kvalitetsrapport 2018, Baltorpskolen, Bilag 2 and 3"
    " (transcription of the ministry's spørgerammer)"
)
NDARVILLE_SOURCE = "https://ndarville.com/blog/da/2017/01/08/trivselsmaalinger/"
SFI_SOURCE = (
    "https://9pdf.org/article/bilag-udvikling-af-trivselsm%C3%A5linger-i-folkeskolen.yr3d6nx8"
)

_NORMALISE = re.compile(r"[\s,.;:!?'\"/()\-–]+")


def normalise_answer_text(text: str) -> str:
    """Normalise an answer text for matching: case-folded, without spaces and punctuation.

    "En gang imellem" and "en gang i mellem" match; so do "Ja, meget" and
    "ja meget".

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import normalise_answer_text
    >>> normalise_answer_text(" En gang i mellem ") == normalise_answer_text("En gang imellem")
    True
    >>> normalise_answer_text("Ja, meget")
    'jameget'
    """
    return _NORMALISE.sub("", text.casefold())


def normalised_text_expr(expr: pl.Expr) -> pl.Expr:
    """The vectorised form of :func:`normalise_answer_text` (String in, String out)."""
    return expr.cast(pl.String).str.to_lowercase().str.replace_all(_NORMALISE.pattern, "")


@attrs.frozen
class AnswerOption:
    """One answer option of a scale.

    Attributes
    ----------
    text
        The Danish wording, e.g. ``"Meget tit"``.
    points
        The option's position for a **positively** worded question, 1 (worst)
        to the number of options (best), as the microdata code it;
        negatively worded questions reverse it. The trivsel score is
        :meth:`AnswerScale.score` of it (the same on five-option scales).
    aliases
        Further accepted wordings of the same option (matched, like ``text``,
        case- and space-insensitively).
    """

    text: str
    points: int
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """The text and its aliases."""
        return (self.text, *self.aliases)


@attrs.frozen
class AnswerScale:
    """An answer scale (svarkategori) of the questionnaires.

    Attributes
    ----------
    key
        Stable key (``"frequency5"``, ``"always5"``, ``"agree5"``, ``"good4"``,
        ``"yes3"``).
    label
        The answer-type name in STIL's datainstruks (``"Tit5Type"`` ...).
    options
        The options in printed order, the most positive wording first.
    verified
        How well the option wordings are verified: ``"yes"`` (several
        consistent sources), ``"likely"`` or ``"unverified"`` (wordings partly
        unknown; the library's choice is documented).
    note
        What is known and what is not about the wording.
    source
        Where the wording comes from.

    Every scale is scored on the official 1–5 trivsel scale ("5 er den
    højest mulige trivsel"): :meth:`score` maps an option's points linearly
    onto 1–5, best → 5 and worst → 1, so four options score 1, 2⅓, 3⅔ and 5
    and three options 1, 3 and 5. STIL's exact coding of scales with fewer
    than five options is not published; this is the reading the official
    1–5 scale implies (scoring a four-option question 1–4 would make the best
    answer to every question give Faglig trivsel 4.875, not 5).

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import ANSWER_SCALES
    >>> [o.text for o in ANSWER_SCALES["frequency5"].options]
    ['Meget tit', 'Tit', 'En gang imellem', 'Sjældent', 'Aldrig']
    >>> ANSWER_SCALES["frequency5"].max_points
    5
    >>> [round(s, 4) for s in ANSWER_SCALES["good4"].scores]
    [5.0, 3.6667, 2.3333, 1.0]
    """

    key: str
    label: str
    options: tuple[AnswerOption, ...]
    verified: Verification
    note: str = ""
    source: str = STIL_SOURCE

    @property
    def max_points(self) -> int:
        """Points of the best option."""
        return max(o.points for o in self.options)

    def score(self, points: int) -> Fraction:
        """The 1–5 trivsel score of an option's points, exactly (best → 5, worst → 1).

        ``1 + 4 · (points − 1) / (max_points − 1)``: the one place where a
        scale with fewer than five options is put on the 1–5 scale.

        Raises
        ------
        ValueError
            For points outside 1 to :attr:`max_points`.
        """
        if not 1 <= points <= self.max_points:
            msg = f"points {points!r} outside 1-{self.max_points} of the {self.key!r} scale"
            raise ValueError(msg)
        return 1 + Fraction(4 * (points - 1), self.max_points - 1)

    @property
    def scores(self) -> tuple[float, ...]:
        """The 1–5 score of each option in printed order (positively worded question)."""
        return tuple(float(self.score(o.points)) for o in self.options)

    @property
    def top_points(self) -> int:
        """The lowest points that still count as a "top" answer.

        The two best options for five- and four-option scales, the best option
        for the three-option scale of 0.–3. klasse.
        """
        ranked = sorted((o.points for o in self.options), reverse=True)
        return ranked[0] if len(ranked) <= 3 else ranked[1]

    @property
    def option_texts(self) -> tuple[str, ...]:
        """The option texts in printed order."""
        return tuple(o.text for o in self.options)


#: Accepted wordings of "ønsker ikke at svare" (a missing answer, never a score).
DECLINED_TEXTS: tuple[str, ...] = ("Ønsker ikke at svare", "Jeg ønsker ikke at svare")

#: The answer scales by key.
ANSWER_SCALES: dict[str, AnswerScale] = {
    "frequency5": AnswerScale(
        "frequency5",
        "Tit5Type",
        (
            AnswerOption("Meget tit", 5),
            AnswerOption("Tit", 4),
            AnswerOption("En gang imellem", 3),
            AnswerOption("Sjældent", 2),
            AnswerOption("Aldrig", 1),
        ),
        "likely",
        "Consistent in third-party code, media and the SFI pilot; the datavarehus"
        " spells 'En gang i mellem'.",
    ),
    "always5": AnswerScale(
        "always5",
        "Altid5Type",
        (
            AnswerOption("Altid", 5),
            AnswerOption("For det meste", 4),
            AnswerOption("Nogle gange", 3, ("En gang imellem",)),
            AnswerOption("Sjældent", 2),
            AnswerOption("Aldrig", 1),
        ),
        "unverified",
        "Only 'Altid', 'For det meste' and 'Aldrig' are documented; the two middle"
        " wordings follow the SFI pilot and are not verified.",
        SFI_SOURCE,
    ),
    "agree5": AnswerScale(
        "agree5",
        "Enig5Type",
        (
            AnswerOption("Helt enig", 5),
            AnswerOption("Enig", 4),
            AnswerOption("Hverken enig eller uenig", 3),
            AnswerOption("Uenig", 2),
            AnswerOption("Helt uenig", 1),
        ),
        "likely",
        "Consistent in third-party code, media and the SFI pilot.",
    ),
    "good4": AnswerScale(
        "good4",
        "Gode4Type",
        (
            AnswerOption("Virkelig gode", 4, ("Meget gode",)),
            AnswerOption("Gode", 3),
            AnswerOption("Middel", 2, ("Nogenlunde",)),
            AnswerOption("Under middel", 1, ("Ikke gode",)),
        ),
        "unverified",
        "STIL's datainstruks has a four-option type; the wordings follow the SFI pilot"
        " and are not verified. The microdata code the options 4 (best) to 1 ('1 is the"
        " worst'); STIL's exact coding on the 1-5 indicator scale is not published, so"
        " the library rescales them linearly onto 1-5 (5, 3 2/3, 2 1/3, 1), the reading"
        " the official scale ('5 is the highest possible well-being') implies.",
        SFI_SOURCE,
    ),
    "yes3": AnswerScale(
        "yes3",
        "Meget3Type/Tit3Type/Meste3Type/Fleste3Type",
        (
            AnswerOption(
                "Ja, meget",
                3,
                (
                    "Ja, tit",
                    "Ja, for det meste",
                    "Ja, de fleste",
                    "Ja, meget/tit/for det meste",
                    "Ja meget tit for det meste",
                ),
            ),
            AnswerOption(
                "Ja, lidt",
                2,
                ("Ja, nogle gange", "Ja, nogle", "Ja, lidt/nogle gange", "Lidt", "Nogle gange"),
            ),
            AnswerOption("Nej", 1),
        ),
        "unverified",
        "Three options whose first two wordings vary by question ('Ja, meget', 'Ja,"
        " tit', 'Ja, for det meste' / 'Ja, lidt', 'Ja, nogle gange'); transcribed by a"
        " blogger from the ministry's PDF. Every variant is accepted for every question."
        " Scored 5, 3, 1 on the 1-5 scale (linear rescaling of the microdata's 3-2-1; STIL's"
        " exact coding is not published).",
        NDARVILLE_SOURCE,
    ),
}

#: The answer scales as a tuple (for tables).
SCALES: tuple[AnswerScale, ...] = tuple(ANSWER_SCALES.values())

#: Every score is a whole multiple of ``1 / SCORE_DENOMINATOR`` (3: thirds, from the
#: four-option scale); the rules sum scores in these units, exactly, as integers.
SCORE_DENOMINATOR: int = math.lcm(
    *(sc.score(o.points).denominator for sc in SCALES for o in sc.options)
)


@attrs.frozen
class Indicator:
    """A trivsel indicator of 4.–9. klasse.

    Attributes
    ----------
    key
        ``"social"``, ``"academic"``, ``"support_inspiration"``, ``"calm_order"``
        or ``"general"``.
    label
        Official Danish name, e.g. "Social trivsel".
    n_questions
        Number of questions in the indicator (10, 8, 7, 4; 29 for general).
    n_required
        Questions a pupil must answer for the pupil's score to count: at least
        half, rounded up (5, 4, 4, 2, 15).
    description
        The ministry's description.
    source
        Where the definition comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import indicator
    >>> indicator("support_inspiration").n_required
    4
    """

    key: str
    label: str
    n_questions: int
    n_required: int
    description: str
    source: str = UVM_SOURCE


#: The indicators in report order; ``general`` (generel skoletrivsel) last.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "social",
        "Social trivsel",
        10,
        5,
        "Tilhørsforhold til skolen, klassen og fællesskabet, samt tryghed og mobning.",
    ),
    Indicator(
        "academic",
        "Faglig trivsel",
        8,
        4,
        "Oplevelse af egne faglige evner, koncentrationsevne og problemløsningsevne.",
    ),
    Indicator(
        "support_inspiration",
        "Støtte og inspiration",
        7,
        4,
        "Oplevelse af motivation og medbestemmelse, samt af lærernes hjælp og støtte.",
    ),
    Indicator(
        "calm_order",
        "Ro og orden",
        4,
        2,
        "Oplevelse af ro og støj i klassen samt klasseledelse.",
    ),
    Indicator(
        "general",
        "Generel skoletrivsel",
        29,
        15,
        "Alle 29 spørgsmål i de fire indikatorer (ikke gennemsnittet af de fire).",
    ),
)

#: Indicator keys as a Polars Enum, in report order.
INDICATOR_ENUM = pl.Enum([i.key for i in INDICATORS])

_INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}


def indicator(key: str) -> Indicator:
    """Look up an indicator by key.

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import indicator
    >>> indicator("general").label
    'Generel skoletrivsel'
    """
    try:
        return _INDICATOR_BY_KEY[key]
    except KeyError:
        known = ", ".join(_INDICATOR_BY_KEY)
        msg = f"unknown indicator {key!r} (known: {known})"
        raise KeyError(msg) from None


@attrs.frozen
class Question:
    """A question of a trivselsmåling questionnaire.

    Attributes
    ----------
    key
        Stable key, e.g. ``"mobbet"``; keys are the identity of a question
        across questionnaire versions.
    number
        Number within the questionnaire version. For 0.–3. klasse the order
        of the published transcriptions differs; the numbers follow Bilag 3 of
        the Ballerup 2018 report (prefer keys for 0.–3. data).
    questionnaire
        ``"4-9"`` or ``"0-3"``.
    label
        The Danish question text.
    indicator
        Indicator key (``"social"`` ...), ``"other"`` for a 4.–9. question in no
        indicator, ``None`` for 0.–3. klasse (no indicators).
    polarity
        ``"positive"`` or ``"negative"`` (negatively worded questions are
        reversed, so that 5 is always the most trivsel).
    scale
        The answer scale with its option texts.
    verified
        How well the question's answer wording is verified (``"yes"``,
        ``"likely"``, ``"unverified"``), from the catalogue CSV.
    source
        Where the question comes from.

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import question
    >>> q = question("mobbet")
    >>> q.number, q.indicator, q.polarity, q.scale.key
    (14, 'social', 'negative', 'frequency5')
    >>> q.points("Aldrig"), q.points("meget TIT")
    (5, 1)
    >>> question("laerernes_syn_paa_fremskridt").score("Virkelig gode")
    5.0
    """

    key: str
    number: int
    questionnaire: Questionnaire
    label: str
    indicator: str | None
    polarity: Polarity
    scale: AnswerScale
    verified: Verification
    source: str = BEK_SOURCE

    @property
    def scale_key(self) -> str:
        """The answer scale's key (for tables)."""
        return self.scale.key

    @property
    def option_texts(self) -> tuple[str, ...]:
        """The answer option texts in printed order."""
        return self.scale.option_texts

    @property
    def max_points(self) -> int:
        """The best score of the question (5, 4 or 3)."""
        return self.scale.max_points

    def points(self, answer: str) -> int | None:
        """Score of an answer text (polarity applied); ``None`` for "ønsker ikke at svare".

        Raises
        ------
        ValueError
            If the text is not an option of the question's scale.
        """
        wanted = normalise_answer_text(answer)
        if wanted in {normalise_answer_text(t) for t in DECLINED_TEXTS}:
            return None
        for option in self.scale.options:
            if wanted in {normalise_answer_text(s) for s in option.spellings}:
                return self.oriented(option.points)
        options = ", ".join(repr(t) for t in self.option_texts)
        msg = f"{answer!r} is not an answer option of {self.key!r} (options: {options})"
        raise ValueError(msg)

    def score(self, answer: str) -> float | None:
        """The 1–5 trivsel score of an answer text (see :meth:`AnswerScale.score`).

        ``None`` for "ønsker ikke at svare".

        Raises
        ------
        ValueError
            If the text is not an option of the question's scale.
        """
        points = self.points(answer)
        return None if points is None else float(self.scale.score(points))

    def oriented(self, points: int) -> int:
        """Apply the polarity to the points of a positively worded option."""
        if self.polarity == "negative":
            return self.scale.max_points + 1 - points
        return points


def _verification(value: str) -> Verification:
    if value not in ("yes", "likely", "unverified"):
        msg = f"bad verification flag {value!r} in the question catalogue"
        raise ValueError(msg)
    return cast(Verification, value)


def _polarity(value: str) -> Polarity:
    if value not in ("positive", "negative"):
        msg = f"bad polarity {value!r} in the question catalogue"
        raise ValueError(msg)
    return cast(Polarity, value)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("folkeskolekvalitet.wellbeing").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _load_4_9() -> tuple[Question, ...]:
    return tuple(
        Question(
            key=row["key"],
            number=int(row["number"]),
            questionnaire="4-9",
            label=row["text_da"],
            indicator=row["indicator"],
            polarity=_polarity(row["polarity"]),
            scale=ANSWER_SCALES[row["answer_scale"]],
            verified=_verification(row["scale_verified"]),
        )
        for row in _read("trivsel-questions-4-9.csv")
    )


def _load_0_3() -> tuple[Question, ...]:
    return tuple(
        Question(
            key=row["key"],
            number=int(row["number_seed_order"]),
            questionnaire="0-3",
            label=row["text_da"],
            indicator=None,
            polarity=_polarity(row["polarity"]),
            scale=ANSWER_SCALES["yes3"],
            verified="unverified",
        )
        for row in _read("trivsel-questions-0-3.csv")
    )


#: The 40 questions for 4.–9. klasse, in questionnaire order.
QUESTIONS_4_9: tuple[Question, ...] = _load_4_9()

#: The 20 questions for 0.–3. klasse, in the order of the seed's Bilag 3.
QUESTIONS_0_3: tuple[Question, ...] = _load_0_3()

#: Every question key (both questionnaires; some keys are shared) as a Polars Enum.
QUESTION_ENUM = pl.Enum(list(dict.fromkeys(q.key for q in (*QUESTIONS_4_9, *QUESTIONS_0_3))))

#: The questionnaires as a Polars Enum.
QUESTIONNAIRE_ENUM = pl.Enum(["0-3", "4-9"])


def _check_catalogues() -> None:
    counts = {i.key: 0 for i in INDICATORS}
    for q in QUESTIONS_4_9:
        if q.indicator in counts:
            counts[q.indicator] += 1
    counts["general"] = sum(v for k, v in counts.items() if k != "general")
    for ind in INDICATORS:
        if counts[ind.key] != ind.n_questions or ind.n_required != math.ceil(ind.n_questions / 2):
            msg = f"the question catalogue does not give {ind.key!r} {ind.n_questions} questions"
            raise ValueError(msg)
    if len(QUESTIONS_4_9) != 40 or len(QUESTIONS_0_3) != 20:
        msg = "the questionnaires must have 40 and 20 questions"
        raise ValueError(msg)


_check_catalogues()


def question(key: str | int, questionnaire: Questionnaire = "4-9") -> Question:
    """Look up a question by key or by number within a questionnaire.

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import question
    >>> question(14).key
    'mobbet'
    >>> question("alene", "0-3").polarity
    'negative'
    >>> question(41)
    Traceback (most recent call last):
    ...
    KeyError: 'no question 41 in the 4.-9. klasse questionnaire (1-40)'
    """
    questions = QUESTIONS_4_9 if questionnaire == "4-9" else QUESTIONS_0_3
    wanted = str(key).strip().casefold()
    for q in questions:
        if wanted in (q.key, str(q.number)):
            return q
    grades = "4.-9." if questionnaire == "4-9" else "0.-3."
    msg = f"no question {key!r} in the {grades} klasse questionnaire (1-{len(questions)})"
    raise KeyError(msg)


def reverse_score(score: str | pl.Expr, max_points: int = 5) -> pl.Expr:
    """Reverse scores of a ``max_points`` scale: ``max_points + 1 - score``; 0 and null stay.

    Reversing twice gives the original scores. Use it to turn a negatively
    worded question's raw option position into a trivsel score, or back.

    Examples
    --------
    >>> from folkeskolekvalitet.wellbeing import reverse_score
    >>> import polars as pl
    >>> s = pl.Series([1, 2, 5, 0, None], dtype=pl.Int8)
    >>> pl.select(reverse_score(pl.lit(s))).to_series().to_list()
    [5, 4, 1, 0, None]
    """
    expr = pl.col(score) if isinstance(score, str) else score
    return pl.when(expr > 0).then(max_points + 1 - expr).otherwise(expr)


@attrs.frozen
class ScoreInterval:
    """An interval of pupil indicator scores, as printed in the official figures.

    Attributes
    ----------
    key
        ``"[1,2]"``, ``"(2,3]"``, ``"(3,4]"`` or ``"(4,5]"``.
    low, high
        Bounds; the interval is ``(low, high]``, except the first, which is
        closed: ``[1, 2]``.
    label
        The printed Danish label, e.g. ``"4,1-5,0"``.
    source
        Where the intervals come from.
    """

    key: str
    low: float
    high: float
    label: str
    source: str = UVM_SOURCE


#: The four score intervals, worst first. The ministry prints "1,0–2,0 ... 4,1–5,0"
#: and calls the top group "score over 4": the library uses half-open intervals
#: on the unrounded score.
SCORE_INTERVALS: tuple[ScoreInterval, ...] = (
    ScoreInterval("[1,2]", 1.0, 2.0, "1,0-2,0"),
    ScoreInterval("(2,3]", 2.0, 3.0, "2,1-3,0"),
    ScoreInterval("(3,4]", 3.0, 4.0, "3,1-4,0"),
    ScoreInterval("(4,5]", 4.0, 5.0, "4,1-5,0"),
)

#: The interval keys as a Polars Enum.
INTERVAL_ENUM = pl.Enum([i.key for i in SCORE_INTERVALS])
