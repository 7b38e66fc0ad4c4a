from __future__ import annotations

import pytest

from folkeskolekvalitet.interventions import (
    ANCHORING_ENUM,
    ANCHORINGS,
    PRACTICE_ENUM,
    PRACTICES,
    STATUS_ENUM,
    STATUSES,
    TIER_ENUM,
    TIERS,
    example_survey,
    parse_anchoring,
    parse_status,
    parse_tiers,
    practice,
)


def test_practice_texts_are_the_survey_form_texts() -> None:
    # the first tick table of the Ballerup 2021 export (lines 31-35)
    lines = example_survey().splitlines()[30:35]
    form = [line.split("\t")[0] for line in lines]
    assert form == [f"{p.value}: {p.label}" for p in PRACTICES]
    assert [p.value for p in PRACTICES] == ["A", "B", "C", "D", "E"]
    assert [p.column for p in PRACTICES] == [f"practice_{x}" for x in "abcde"]
    assert all(p.unverified and p.source for p in PRACTICES)


def test_practice_lookup() -> None:
    assert practice("c") is PRACTICES[2]
    assert str(practice(" E ")) == "E"
    with pytest.raises(KeyError, match="unknown practice 'F'"):
        practice("F")


def test_enums_follow_the_catalogues() -> None:
    assert PRACTICE_ENUM.categories.to_list() == ["A", "B", "C", "D", "E"]
    assert STATUS_ENUM.categories.to_list() == [
        "new",
        "increased_or_adjusted",
        "unchanged",
        "existing_before",
    ]
    assert TIER_ENUM.categories.to_list() == ["forebyggende", "foregribende", "indgribende", "akut"]
    assert ANCHORING_ENUM.categories.to_list() == [a.value for a in ANCHORINGS]
    assert [t.value for t in TIERS] == TIER_ENUM.categories.to_list()


@pytest.mark.parametrize("status", STATUSES, ids=lambda s: s.value)
def test_every_example_wording_is_recognised(status: object) -> None:
    for wording in status.examples:  # type: ignore[attr-defined]
        assert parse_status(wording) == (status,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Indsat der var der i forvejen", ["existing_before"]),  # the seed's typo
        (
            "indsats, der var der i forvejen – på nær co-teaching, som vi skal i gang med.",
            ["existing_before"],
        ),
        ("Ny indsats, som erstatter en der var der i forvejen", ["new", "existing_before"]),
        ("Anden ordning samt brug af allerede eksisterende midler", []),
        # RULES section 7: existing before, "sometimes opprioriteret"
        ("Opprioriteret indsats", ["existing_before"]),
        ("Indsatsen er opprioriteret", ["existing_before"]),
        ("OPPRIORITERING af en eksisterende indsats", ["existing_before"]),
    ],
)
def test_status_wordings(text: str, expected: list[str]) -> None:
    assert [s.value for s in parse_status(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kompetencecenteret (PLC og RC) og de pædagogiske ledere",
            {"kompetencecenter", "plc", "ressourcecenter", "ledelse"},
        ),
        ("I Ressourcecenter (RC)", {"ressourcecenter"}),
        ("RC Kun i udskolingen", {"ressourcecenter", "afdeling"}),
        ("Skovlunde Skole, afd. Lundebjerg", {"afdeling"}),
        ("BFO og ressourcecentret", {"fritid", "ressourcecenter"}),
        ("På alle årgange og i ledelsen", {"aargang", "ledelse"}),
        ("Indsatsen er forankret hos det enkelte klasseteam.", {"klasseteam"}),
        ("Sparring med vejlederne", set()),  # "vejleder" is not "leder"
        ("Indsatsen er nu flyttet ind på skolen", set()),
    ],
)
def test_anchoring_vocabulary(text: str, expected: set[str]) -> None:
    assert {a.value for a in parse_anchoring(text)} == expected


def test_tiers_are_mentions() -> None:
    text = (
        "1. forebyggende opgaver 2. foregribende opgaver 3. indgribende aktiviteter 4. akut hjælp"
    )
    assert {t.value for t in parse_tiers(text)} == {
        "forebyggende",
        "foregribende",
        "indgribende",
        "akut",
    }
    assert parse_tiers("Forebyggelse af fravær") == frozenset()
