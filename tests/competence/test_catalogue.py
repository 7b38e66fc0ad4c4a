"""Competence kinds, class types and subjects: Danish labels, sources, Enums."""

from __future__ import annotations

from folkeskolekvalitet.competence import (
    CLASS_TYPE_ENUM,
    CLASS_TYPES,
    COMPETENCE_ENUM,
    COMPETENCE_KINDS,
    INDSKOLING_GRADE_LEVELS,
    LESSONS_CONTRACT,
    MAX_COMPETENCES,
    PUBLISHED_GRADE_LEVELS,
    SUBJECT_ENUM,
    SUBJECTS,
    TOTALS_CONTRACT,
)


def test_codes_as_in_the_issue() -> None:
    assert [k.code for k in COMPETENCE_KINDS] == ["undervisningskompetence", "tilsvarende", "ingen"]
    assert [c.code for c in CLASS_TYPES] == ["normal", "special"]
    assert COMPETENCE_ENUM.categories.to_list() == [k.code for k in COMPETENCE_KINDS]
    assert CLASS_TYPE_ENUM.categories.to_list() == [c.code for c in CLASS_TYPES]
    assert SUBJECT_ENUM.categories.to_list() == [s.key for s in SUBJECTS]


def test_only_linjefag_and_equivalent_are_covered() -> None:
    assert {k.code for k in COMPETENCE_KINDS if k.covered} == {
        "undervisningskompetence",
        "tilsvarende",
    }
    assert {c.code for c in CLASS_TYPES if c.counted} == {"normal"}


def test_labels_and_sources() -> None:
    for entry in (*COMPETENCE_KINDS, *CLASS_TYPES, *SUBJECTS):
        assert entry.label
        assert entry.source.startswith("https://")
    assert len({s.key for s in SUBJECTS}) == len(SUBJECTS)
    assert {s.label for s in SUBJECTS} >= {"Dansk", "Natur/teknologi", "Håndværk og design"}


def test_rule_constants() -> None:
    assert MAX_COMPETENCES == 6
    assert tuple(range(1, 11)) == PUBLISHED_GRADE_LEVELS
    assert set(INDSKOLING_GRADE_LEVELS) == {0, 1, 2, 3}


def test_contract_columns_as_in_the_issue() -> None:
    assert [c.name for c in LESSONS_CONTRACT.columns] == [
        "school_year",
        "municipality_code",
        "institution_id",
        "class_id",
        "class_type",
        "grade_level",
        "subject",
        "teacher_id",
        "lessons",
        "competence",
        "teacher_competence_count",
    ]
    assert {c.name for c in TOTALS_CONTRACT.columns if c.required} == {
        "school_year",
        "lessons_competent",
        "lessons_not_competent",
    }
