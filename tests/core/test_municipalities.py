from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from folkeskolekvalitet._core.municipalities import (
    MUNICIPALITIES,
    REGIONS,
    Municipality,
    municipality,
    municipality_code,
    municipality_name,
)

# A sample of codes and names checked against Danmarks Statistik's list of municipality codes.
KNOWN = {
    "101": "København",
    "147": "Frederiksberg",
    "151": "Ballerup",
    "173": "Lyngby-Taarbæk",
    "169": "Høje-Taastrup",
    "185": "Tårnby",
    "400": "Bornholm",
    "430": "Faaborg-Midtfyn",
    "461": "Odense",
    "480": "Nordfyns",
    "492": "Ærø",
    "580": "Aabenraa",
    "751": "Aarhus",
    "760": "Ringkøbing-Skjern",
    "820": "Vesthimmerlands",
    "825": "Læsø",
    "851": "Aalborg",
    "860": "Hjørring",
}


def test_ninety_eight_unique_codes_and_names() -> None:
    assert len(MUNICIPALITIES) == 98
    assert len({m.code for m in MUNICIPALITIES}) == 98
    assert len({m.name for m in MUNICIPALITIES}) == 98
    assert all(len(m.code) == 3 and m.code.isdigit() for m in MUNICIPALITIES)
    assert [m.code for m in MUNICIPALITIES] == sorted(m.code for m in MUNICIPALITIES)
    assert "411" not in {m.code for m in MUNICIPALITIES}  # Christiansø is no municipality


def test_regions() -> None:
    counts = {r: sum(m.region == r for m in MUNICIPALITIES) for r in REGIONS}
    assert counts == {
        "Region Hovedstaden": 29,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
    }


def test_known_codes_and_names() -> None:
    for code, name in KNOWN.items():
        assert municipality_name(code) == name
        assert municipality_code(name) == code


def test_school_counts_are_about_the_national_number() -> None:
    assert 1_000 <= sum(m.schools for m in MUNICIPALITIES) <= 1_100
    assert all(m.schools >= 1 for m in MUNICIPALITIES)
    # The big four have the most schools.
    biggest = sorted(MUNICIPALITIES, key=lambda m: -m.schools)[:4]
    assert {m.name for m in biggest} == {"København", "Aarhus", "Aalborg", "Odense"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Københavns", "101"),
        ("København", "101"),
        ("Københavns Kommune", "101"),
        ("KØBENHAVNS KOMMUNE", "101"),
        ("Koebenhavn", "101"),
        ("Aarhus", "751"),
        ("Århus", "751"),
        ("Århus Kommune", "751"),
        ("Ålborg", "851"),
        ("Åbenrå", "580"),
        ("Bornholms Regionskommune", "400"),
        ("Bornholms", "400"),
        ("Nordfyns Kommune", "480"),
        ("Nordfyn", "480"),
        ("Vesthimmerland", "820"),
        ("Lyngby Taarbæk", "173"),
        ("lyngby-taarbæk kommune", "173"),
        ("Høje Taastrup", "169"),
        ("Taarnby", "185"),
        ("  Ballerup   Kommune ", "151"),
        ("Ballerup\u00a0Kommune", "151"),
        ("Brønderslev-Dronninglund", "810"),
        ("Ringkøbing - Skjern", "760"),
        ("101", "101"),
    ],
)
def test_variants(text: str, code: str) -> None:
    assert municipality_code(text) == code


@pytest.mark.parametrize("text", ["Ballerupp", "Christiansø", "Region Sjælland", "", "999"])
def test_unknown_names_are_refused_clearly(text: str) -> None:
    with pytest.raises(ValueError, match="is not a Danish municipality"):
        municipality_code(text)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Danish municipality code"):
        municipality("411")


@given(
    st.sampled_from(MUNICIPALITIES),
    st.sampled_from(["{}", "{} Kommune", "{} kommune", "  {}  ", "{} KOMMUNE"]),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
)
def test_every_name_round_trips_in_every_form(
    m: Municipality, form: str, case: Callable[[str], str]
) -> None:
    assert municipality_code(case(form.format(m.name))) == m.code
    assert municipality_code(m.label) == m.code
