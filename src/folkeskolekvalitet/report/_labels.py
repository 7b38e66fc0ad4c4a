"""Danish labels of the report: families, columns, levels, statuses, verdicts, directions."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from folkeskolekvalitet.disclosure import DANISH_SYMBOLS

__all__ = [
    "COLUMN_EXPLANATIONS",
    "COLUMN_LABELS",
    "DIRECTION_LABELS",
    "FAMILY_LABELS",
    "FAMILY_ORDER",
    "LEVEL_LABELS",
    "NT_GOAL_LABELS",
    "REASON_LABELS",
    "STATUS_LABELS",
    "STATUS_SYMBOLS",
    "VERDICT_LABELS",
]

#: The families in the order of the report, with their Danish section titles.
FAMILY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "exams": "Karakterer ved folkeskolens prøver",
        "national_tests": "Nationale test",
        "wellbeing": "Trivsel (den nationale trivselsmåling)",
        "competence": "Kompetencedækning",
        "absence": "Elevfravær",
        "transitions": "Overgang til ungdomsuddannelse",
        "interventions": "Inklusion og mellemformer",
    }
)
FAMILY_ORDER: tuple[str, ...] = tuple(FAMILY_LABELS)

#: Unit levels.
LEVEL_LABELS: Mapping[str, str] = MappingProxyType(
    {"school": "Skole", "municipality": "Kommune", "country": "Landsplan"}
)

#: Statuses of the indicator table.
STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "ok": "offentliggjort",
        "suppressed": "diskretioneret (for få elever)",
        "suppressed_complementary": "diskretioneret (sekundært, så det ikke kan regnes ud)",
        "not_available": "ikke tilgængelig",
        "not_applicable": "ikke relevant",
    }
)

#: The symbol shown in place of a value, by status: disclosure control's Danish symbols.
STATUS_SYMBOLS: Mapping[str, str] = DANISH_SYMBOLS

#: Goal verdicts.
VERDICT_LABELS: Mapping[str, str] = MappingProxyType(
    {"met": "Opfyldt", "not_met": "Ikke opfyldt", "not_evaluable": "Kan ikke vurderes"}
)

#: Directions of a change.
DIRECTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "up": "op",
        "down": "ned",
        "unchanged": "uændret",
        "not_comparable": "kan ikke sammenlignes",
    }
)

#: The national goals of the national tests (publication view).
NT_GOAL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "good": "Mindst 80 % er gode til at læse og regne",
        "best": "Andelen af de allerdygtigste stiger",
        "poor": "Andelen med dårlige resultater falder",
    }
)

#: Danish headers of the datapakke's columns.
COLUMN_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "school_year": "Skoleår",
        "unit_level": "Niveau",
        "unit_id": "Enheds-id",
        "unit_name": "Enhed",
        "municipality_code": "Kommunekode",
        "indicator": "Indikator-nøgle",
        "indicator_label": "Indikator",
        "subject": "Fag",
        "grade_level": "Klassetrin",
        "category": "Kategori",
        "value": "Værdi",
        "symbol": "Symbol",
        "n": "Antal elever (n)",
        "numerator": "Tæller",
        "se": "Standardfejl",
        "ci_low": "Nedre grænse",
        "ci_high": "Øvre grænse",
        "confidence": "Konfidensniveau",
        "status": "Status",
        "note": "Note",
        "source": "Kilde",
        "goal": "Mål",
        "goal_met": "Mål opfyldt",
        "direction": "Udvikling",
        "institution_id": "Institutionsnummer",
    }
)

#: What every column of the datapakke holds (the sheet "Forklaring").
COLUMN_EXPLANATIONS: Mapping[str, str] = MappingProxyType(
    {
        "school_year": "Skoleåret, skrevet ÅÅÅÅ/ÅÅ (fx 2023/24).",
        "unit_level": "Skole, kommune eller landsplan.",
        "unit_id": "Institutionsnummer (skole), kommunekode (kommune) eller DK (landsplan).",
        "unit_name": "Skolens eller kommunens navn, når det kendes.",
        "municipality_code": "Kommunekoden (tom på landsplan).",
        "indicator": "Indikatorens nøgle i folkeskolekvalitet's katalog.",
        "indicator_label": "Indikatorens navn, som den offentliggøres.",
        "subject": "Fag, hvor indikatoren er opdelt på fag.",
        "grade_level": "Klassetrin, hvor indikatoren er opdelt på klassetrin"
        " (0 = børnehaveklasse).",
        "category": "Kategori (trivselsinterval, status efter 9. klasse, spørgsmål ...).",
        "value": "Værdien. Andele og fravær vises i procent, karakterer og trivselsscorer med"
        " én decimal. Tom, når værdien er diskretioneret eller mangler (se Symbol og Status).",
        "symbol": "Tegn i stedet for en tom værdi: '..' diskretioneret (for få elever eller"
        " sekundært), '…' ikke tilgængelig, '.' ikke relevant.",
        "n": "Antal elever, som værdien bygger på (nævneren).",
        "numerator": "Tælleren (antal elever med hændelsen) for andele.",
        "se": "Standardfejlen på værdien.",
        "ci_low": "Nedre grænse af konfidensintervallet: hvor meget tallet kunne variere for en"
        " anden årgang af tilsvarende elever.",
        "ci_high": "Øvre grænse af konfidensintervallet.",
        "confidence": "Konfidensniveauet (0,95 = 95 %).",
        "status": "Offentliggjort, diskretioneret (primært eller sekundært), ikke"
        " tilgængelig eller ikke relevant.",
        "note": "Note om sammenlignelighed (fx COVID-19-år, nyt testsystem) eller beregning.",
        "source": "Hvor tallet kommer fra (beregnet af folkeskolekvalitet eller den"
        " officielle kilde).",
        "goal": "Det nationale mål for de nationale test.",
        "goal_met": "Om målet er opfyldt (tom, når det ikke må oplyses eller ikke kan vurderes).",
        "direction": "Udviklingen fra året før (op, ned, uændret inden for 2 procentpoint,"
        " kan ikke sammenlignes). Resultaterne af de nationale test må ikke offentliggøres"
        " (folkeskoleloven § 55 b): her står kun målopfyldelse og retning.",
        "institution_id": "Institutionsnummer.",
    }
)

#: Why a goal cannot be evaluated (the reasons of :func:`folkeskolekvalitet.goals.evaluate`).
REASON_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "suppressed": "værdien (eller den, den sammenlignes med) er diskretioneret",
        "not_available": "værdien er ikke tilgængelig",
        "before_baseline": "skoleåret ligger ikke efter basisåret",
        "no_baseline": "ingen værdi for basisåret",
        "no_previous_year": "ingen værdi for året før",
        "no_reference": "ingen værdi for sammenligningsenheden samme år",
        "comparability_break": "et databrud gør årene usammenlignelige",
        "no_target": "ingen målværdi for skoleåret",
        "no_interval": "målet kræver signifikans, og der er intet interval",
        "national_tests": "oplyses ikke (§ 55 b, for få elever) eller ikke målt",
    }
)
