"""The well-being family: the trivselsmåling questionnaires, scores and indicators.

See :doc:`/user_guide/wellbeing` for a guide and :doc:`/rules/wellbeing` for the
rules with their sources.
"""

from folkeskolekvalitet.wellbeing.indicators import (
    indicators,
    pupil_scores,
    question_shares,
    response_rate,
    score_answers,
    score_distribution,
    share_above,
)
from folkeskolekvalitet.wellbeing.questions import (
    ANSWER_SCALES,
    DECLINED_TEXTS,
    INDICATOR_ENUM,
    INDICATORS,
    INTERVAL_ENUM,
    QUESTION_ENUM,
    QUESTIONNAIRE_ENUM,
    QUESTIONS_0_3,
    QUESTIONS_4_9,
    SCALES,
    SCORE_DENOMINATOR,
    SCORE_INTERVALS,
    AnswerOption,
    AnswerScale,
    Indicator,
    Question,
    ScoreInterval,
    indicator,
    normalise_answer_text,
    question,
    reverse_score,
)
from folkeskolekvalitet.wellbeing.wide import answers_from_wide

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
    "answers_from_wide",
    "indicator",
    "indicators",
    "normalise_answer_text",
    "pupil_scores",
    "question",
    "question_shares",
    "response_rate",
    "reverse_score",
    "score_answers",
    "score_distribution",
    "share_above",
]
