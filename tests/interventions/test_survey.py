from __future__ import annotations

import pathlib
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from folkeskolekvalitet import DataError
from folkeskolekvalitet.interventions import example_survey, parse_survey, practice_table, to_frame
from folkeskolekvalitet.testing.interventions import survey_exports

DATA = pathlib.Path(__file__).parent / "data"
# the seed ../shared/seeds/ballerup-indsatser-udlagte-ressourcer-2021.txt, shipped with the library
SEED = example_survey()
SECOND = (DATA / "second-export.txt").read_text(encoding="utf-8")

# Read off the seed by hand: school, name, ticked practices, status.
SEED_RECORDS = [
    ("Baltorpskolen", "Co-teaching - to voksne underviser sammen", "CE", "new"),
    ("Baltorpskolen", "Opgradering af vejlederfunktioner", "CDE", "increased_or_adjusted"),
    ("Baltorpskolen", "Ressourcepædagogiske", "ABCDE", "increased_or_adjusted"),
    ("Baltorpskolen", "Learning Literacy", "AB", "increased_or_adjusted"),
    ("Baltorpskolen", "Holddeling", "ABC", "increased_or_adjusted"),
    ("Hedegårdsskolen", "Obligatoriske forløb m. LKT vejleder.", "CE", "increased_or_adjusted"),
    ("Hedegårdsskolen", "LKT-vejledere", "BCDE", "increased_or_adjusted"),
    ("Hedegårdsskolen", "Ressourcepædagoger", "BC", "increased_or_adjusted"),
    ("Hedegårdsskolen", "Sparring med tværfaglige team (PPR)", "BCDE", "unchanged"),
    ("Hedegårdsskolen", "Miniklasse", "AB", "new"),
    ("Hedegårdsskolen", "Holddannelse", "E", "increased_or_adjusted"),
    ("Måløvhøj Skole", "DST (Det stressreducerende tilbud)", "AB", "new"),
    (
        "Måløvhøj Skole",
        "Skoleflex og anden form for pædagogisk behandling i nærmiljøet – Anden ordning samt"
        " brug af allerede eksisterende midler",
        "BC",
        None,
    ),
    (
        "Måløvhøj Skole",
        "Individuelle tiltag i forhold til elever med særlige behov",
        "BC",
        "existing_before",
    ),
    (
        "Måløvhøj Skole",
        "Omsorgsgrupper og tilbud til børn i brudte familie",
        "A",
        "existing_before",
    ),
    ("Måløvhøj Skole", "Ordblindevenlig skole", "DE", "increased_or_adjusted"),
    ("Måløvhøj Skole", "Co-teaching", "E", "increased_or_adjusted"),
    ("Skovlunde Skole", "Rampen", "A", None),
    ("Skovlunde Skole", "Lille klassen", "A", None),
    ("Skovlunde Skole", "Vendepunktet", "A", None),
    ("Skovlunde Skole", "Minidiamant", "C", None),
    ("Skovlunde Skole", "Ressourcepædagog", "ABC", None),
    ("Skovlunde Skole", "Ressourcetimer", "ABC", None),
    (
        "Skovvejens Skole",
        "Dysleksi indsats (specialuddannet lærer på fuld tid)",
        "ABCDE",
        "existing_before",
    ),
    (
        "Skovvejens Skole",
        "Inklusionsindsats (specialuddannet lærer på fuld tid)",
        "ABCDE",
        "existing_before",
    ),
    ("Skovvejens Skole", "Læsevejledning", "BCDE", "existing_before"),
    ("Skovvejens Skole", "Faglig vejledning", "CDE", "existing_before"),
    ("Skovvejens Skole", "Ressourcepædagoger (5 ansatte)", "BCD", "existing_before"),
    ("Skovvejens Skole", "LL (Learning Literacy)", "B", "existing_before"),
    ("Skovvejens Skole", "Diamantforløb", "CE", "existing_before"),
    ("Skovvejens Skole", "Turbo i udskolingen", "A", "existing_before"),
    ("Skovvejens Skole", "Dansk som andetsprog", "AC", "existing_before"),
    ("Skovvejens Skole", "AKT", "CE", "existing_before"),
    ("Skovvejens Skole", "MAT – klar", "ABC", "existing_before"),
    ("Skovvejens Skole", "Enkeltintegreret", "AC", "existing_before"),
    (
        "Skovvejens Skole",
        "To-lærer indsats og co-teaching – herunder holddeling",
        "ACE",
        "existing_before",
    ),
    ("Skovvejens Skole", "BAL", "", "existing_before"),
]


def test_seed_is_parsed_in_full() -> None:
    survey = parse_survey(SEED)
    got = [
        (
            i.school,
            i.name,
            "".join(sorted(p.value for p in i.practices)),
            None if i.status is None else i.status.value,
        )
        for i in survey.interventions
    ]
    assert got == SEED_RECORDS
    assert survey.schools == (
        "Baltorpskolen",
        "Hedegårdsskolen",
        "Måløvhøj Skole",
        "Skovlunde Skole",
        "Skovvejens Skole",
    )
    # nothing a reader would place is reported: no problems, no unplaced lines
    assert survey.issues == ()
    assert survey.report().startswith("37 interventions from 5 schools; 0 problems")


def test_seed_details() -> None:
    survey = parse_survey(SEED)
    by_name = {(i.school, i.name): i for i in survey.interventions}
    first = survey.interventions[0]
    assert first.line == 26
    assert first.status_text == "(ny indsats som følge af udlægningen af ressourcer)"
    assert first.anchoring_text == "Kompetencecenteret (PLC og RC) og de pædagogiske ledere"
    assert {a.value for a in first.anchoring} == {
        "kompetencecenter",
        "plc",
        "ressourcecenter",
        "ledelse",
    }
    assert (
        first.text.splitlines()[0] == "Indsatsens navn: Co-teaching - to voksne underviser sammen"
    )
    # stray HTML removed, list items on their own lines, original kept in text
    upgrade = by_name["Baltorpskolen", "Opgradering af vejlederfunktioner"]
    assert upgrade.resources_text.startswith("Fire årsværk\nVejledere i læsning")
    assert "<p>" not in upgrade.resources_text
    assert "<p>Fire årsværk</p>" in upgrade.text
    assert {t.value for t in upgrade.tiers} == {
        "forebyggende",
        "foregribende",
        "indgribende",
        "akut",
    }
    # glued headings: the school comes from the glue, the name loses the ** markers
    glued = by_name["Hedegårdsskolen", "Obligatoriske forløb m. LKT vejleder."]
    assert glued.text.startswith("Hedegårdsskolen**Indsatsens navn:")
    # a field continued on a line that starts with a tab
    pedagogues = by_name["Hedegårdsskolen", "Ressourcepædagoger"]
    assert pedagogues.anchoring_text.endswith("Ca 50 forløb/indsatser.")
    assert [(r.low, r.unit) for r in pedagogues.mentioned_resources] == [(50.0, "forløb")]
    assert pedagogues.resources == ()
    # the status wording is kept verbatim
    faglig = by_name["Skovvejens Skole", "Faglig vejledning"]
    assert faglig.status_text == "Indsats, der var der i forvejen – opprioriteret i år"
    assert faglig.resources_text.endswith(
        "Sparring, mødefacilitering og ekspertise\nUddannelse og kompetenceløft"
    )
    # the preamble holds the survey's introduction and its funding pools
    assert survey.preamble.startswith("Undersøgelse af indsatser til at opnå målet")
    assert "- Inklusionspuljen: 39 mio." in survey.preamble
    assert "- Støttetimer: 8,9 mio." in survey.preamble


def test_seed_resources() -> None:
    survey = parse_survey(SEED)
    amounts = {
        i.name: [(r.low, r.high, r.unit) for r in i.resources]
        for i in survey.interventions
        if i.school == "Baltorpskolen"
    }
    assert amounts == {
        "Co-teaching - to voksne underviser sammen": [(6.0, 6.0, "årsværk")],
        "Opgradering af vejlederfunktioner": [(4.0, 4.0, "årsværk")],
        "Ressourcepædagogiske": [(6.0, 6.0, "årsværk")],
        "Learning Literacy": [(2.0, 2.0, "årsværk")],
        "Holddeling": [(4.0, 4.0, "årsværk")],
    }
    holddeling = survey.interventions[4]
    assert holddeling.resources[0].approximate


def test_school_list_gives_the_spelling() -> None:
    names = [
        "BALTORPSKOLEN",
        "Hedegårdsskolen",
        "Måløvhøj Skole",
        "SKOVLUNDE SKOLE",
        "Skovvejens skole",
    ]
    survey = parse_survey(SEED, schools=names)
    assert survey.schools == tuple(names)


SECOND_RECORDS = [
    ("Rude Skov Skole", "Ressourceteam", "BC", "new"),
    ("Rude Skov Skole", "Bedre venner", "CE", "increased_or_adjusted"),
    ("Rude Skov Skole", "Kløften", "", "unchanged"),
    ("Herstedøster Skole", "Læsevejledning", "BD", "existing_before"),
    ("Herstedøster Skole", "Inklusionsvejleder på fuld tid", "DE", "increased_or_adjusted"),
]


def test_second_export_with_variations() -> None:
    survey = parse_survey(SECOND)
    got = [
        (
            i.school,
            i.name,
            "".join(sorted(p.value for p in i.practices)),
            None if i.status is None else i.status.value,
        )
        for i in survey.interventions
    ]
    assert got == SECOND_RECORDS
    resources = [
        [(r.low, r.high, r.unit, r.approximate, r.scope) for r in i.resources]
        for i in survey.interventions
    ]
    assert resources == [
        [(3.0, 3.0, "årsværk", False, None)],  # "Tre årsværk"
        [(12.0, 12.0, "lektioner per uge", False, None)],  # "12 lektioner ugentligt"
        [(20.0, 20.0, "forløb", True, None)],
        [
            (2.5, 2.5, "fuldtidsstilling", True, None),  # "ca. 2,5 fuldtidsstillinger"
            (2.0, 3.0, "timer per uge", False, "i hver klasse"),
            (30.0, 30.0, "timer", False, "i alt"),
        ],
        [(1.5, 1.5, "årsværk", False, None), (150_000.0, 150_000.0, "kroner", False, None)],
    ]
    team = survey.interventions[0]
    # a field split over lines without a leading tab
    assert team.anchoring_text == (
        "Ressourcecenteret (RC) i samarbejde med\nledelsen og de enkelte klasseteams."
    )
    assert {a.value for a in team.anchoring} == {"ressourcecenter", "ledelse", "klasseteam"}
    assert team.resources_text == "Tre årsværk\nDen smalle pensel\nDen brede pensel"
    assert survey.interventions[4].purpose == (
        "Strategisk mål\nFærre elever visiteres til specialtilbud\nBedre overgange"
    )
    # the empty record is skipped and reported; nothing is unplaced, nothing is a problem
    assert [(i.line, i.kind) for i in survey.issues] == [(89, "empty_record")]
    assert survey.unplaced == ()
    assert survey.problems == ()


BAD = """Baltorpskolen

Indsatsens navn: Holddeling

Måske en indsats

Hvilken praksis er indsatsen:\tKryds
A: Miniklasser og elever delvist uden for klassen gennem særlig indsats\tx
F: Noget helt andet\tx
C: Tiltag rettet mod alle klassens børn\tja tak
Hvor er indsatsen forankret:\tRC
"""


def test_bad_input_is_reported_clearly() -> None:
    with pytest.raises(DataError) as info:
        parse_survey(BAD)
    message = str(info.value)
    assert message.startswith("intervention survey: 3 problems")
    assert "column 'status': status not recognised" in message
    assert "line 5: 'Måske en indsats'" in message
    assert "column 'practice': unknown practice letter (the mellemformer are A, B, C, D, E)" in (
        message
    )
    assert "line 9: 'F: Noget helt andet\\tx'" in message
    assert "unrecognised mark in the tick table" in message
    assert {p.column for p in info.value.problems} == {"status", "practice"}


def test_report_mode_keeps_the_interventions() -> None:
    survey = parse_survey(BAD, errors="report")
    (rec,) = survey.interventions
    assert rec.status is None
    assert rec.status_text == "Måske en indsats"
    assert {p.value for p in rec.practices} == {"A"}  # F is not a practice; "ja tak" no tick
    assert [(i.line, i.kind) for i in survey.problems] == [
        (5, "unknown_status"),
        (9, "unknown_practice"),
        (10, "bad_tick"),
    ]
    assert "line 9: unknown practice letter" in survey.report()


def test_unplaced_lines_are_reported_not_raised() -> None:
    text = (
        "Baltorpskolen\n\nEn løs linje uden plads\n\nIndsatsens navn: AKT\n\nNy indsats\n\n"
        "Hvilken praksis er indsatsen:\tKryds\nA: Miniklasser\tx\n"
    )
    survey = parse_survey(text)
    assert [(i.line, i.kind, i.text) for i in survey.issues] == [
        (3, "unplaced", "En løs linje uden plads")
    ]
    assert len(survey.interventions) == 1


def test_records_before_any_school_are_a_problem() -> None:
    text = "Indsatsens navn: AKT\n\nNy indsats\n"
    with pytest.raises(DataError, match="before any school heading"):
        parse_survey(text)
    (rec,) = parse_survey(text, errors="report").interventions
    assert rec.school is None


def test_ambiguous_status() -> None:
    text = "Baltorpskolen\n\nIndsatsens navn: AKT\n\nNy indsats, uændret omfang\n"
    with pytest.raises(DataError, match="names several statuses"):
        parse_survey(text)


def test_errors_argument_is_checked() -> None:
    with pytest.raises(ValueError, match="errors must be"):
        parse_survey("", errors="ignore")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, b"Baltorpskolen", 3, ["Baltorpskolen"]])
def test_export_must_be_a_str(bad: object) -> None:
    # None gave a raw AttributeError ('NoneType' object has no attribute 'removeprefix')
    with pytest.raises(TypeError, match="parse_survey takes the export as a str"):
        parse_survey(bad)  # type: ignore[arg-type]


def test_schools_must_not_be_one_str() -> None:
    with pytest.raises(TypeError, match="list of school names"):
        parse_survey("", schools="Baltorpskolen")


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n  \n", "Overskrift\n\nLøs tekst\n"])
def test_empty_export_is_a_problem(text: str) -> None:
    """Issue 9, item 5: an empty or whitespace-only export was accepted silently."""
    with pytest.raises(DataError, match="no intervention record"):
        parse_survey(text)
    survey = parse_survey(text, errors="report")
    assert survey.interventions == ()
    assert [p.kind for p in survey.problems] == ["empty_export"]


def test_school_listed_twice_is_a_problem() -> None:
    """Issue 9, item 5: the seed pasted twice gave 74 interventions instead of 37, silently."""
    with pytest.raises(DataError, match="school listed twice") as info:
        parse_survey(SEED + "\n" + SEED)
    assert "intervention listed twice" in str(info.value)
    survey = parse_survey(SEED + "\n" + SEED, errors="report")
    kinds = {p.kind for p in survey.problems}
    assert kinds == {"duplicate_school", "duplicate_intervention"}
    assert sum(p.kind == "duplicate_intervention" for p in survey.problems) == 37
    # the tables refuse the doubled rows
    with pytest.raises(DataError, match="duplicated key"):
        practice_table(to_frame(survey))


@pytest.mark.parametrize("fraction", [1 / 3, 0.5, 0.77])
def test_truncated_export_is_a_problem(fraction: float) -> None:
    """Issue 9, item 5: a third of the seed gave 11 of 37 interventions and no issue."""
    text = SEED[: int(len(SEED) * fraction)]
    with pytest.raises(DataError, match="cut off"):
        parse_survey(text)
    assert [p.kind for p in parse_survey(text, errors="report").problems] == ["cut_off"]


def _summary(text: str) -> list[tuple[object, ...]]:
    return [
        (i.school, i.name, i.status, sorted(p.value for p in i.practices), i.resources_text)
        for i in parse_survey(text).interventions
    ]


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("\n\n", "\n\n\n\n"),  # more blank lines between blocks
        lambda t: "\n".join(line if line.strip() else "\t\t" for line in t.splitlines()),
        lambda t: t.replace(": ", ":\t"),  # every cell tab-separated
        lambda t: "\n".join(line + "\t" for line in t.splitlines()),  # trailing empty cells
        lambda t: t.replace("\n", "\r\n"),
    ],
)
def test_blank_lines_and_tab_separated_exports_parse(variant: Any) -> None:
    assert _summary(variant(SEED)) == _summary(SEED)


def test_export_without_blank_lines_fails_naming_the_cause() -> None:
    squeezed = "\n".join(line for line in SEED.splitlines() if line.strip())
    with pytest.raises(DataError, match="before any school heading"):
        parse_survey(squeezed)


@settings(max_examples=40, deadline=None)
@given(survey_exports())
def test_generated_exports_are_parsed(case: tuple[str, list[dict[str, object]]]) -> None:
    text, expected = case
    survey = parse_survey(text)
    got = [
        {
            "school": i.school,
            "name": i.name,
            "status": None if i.status is None else i.status.value,
            "practices": sorted(p.value for p in i.practices),
        }
        for i in survey.interventions
    ]
    assert got == expected
    assert survey.issues == ()


def test_tick_table_without_header_and_name_inside_an_answer() -> None:
    text = (
        "Baltorpskolen\n\nIndsatsens navn: AKT\n\nNy indsats\n\n"
        "A: Miniklasser og elever delvist uden for klassen\tx\nB: Individualiserede tiltag\t\n"
        "Hvad er formålet:\tSe også Indsatsens navn: Holddeling\ti planen\n"
    )
    survey = parse_survey(text)
    (rec,) = survey.interventions
    assert [p.value for p in rec.practices] == ["A"]
    assert rec.status is not None
    assert rec.status.value == "new"
    assert rec.purpose == "Se også Indsatsens navn: Holddeling i planen"
    assert survey.issues == ()


def test_preamble_words_are_not_schools_and_bom_is_ignored() -> None:
    text = (
        "\ufeffIndledning\n\nSkolerne\n\nNedenfor har hver skole beskrevet sine indsatser.\n\n"
        "Skovvejens Skole\n\nIndsatsens navn: AKT\r\n\r\nIndsats, der var der i forvejen\r\n"
    )
    survey = parse_survey(text)
    assert survey.preamble.splitlines()[0] == "Indledning"
    assert "Skolerne" in survey.preamble
    assert survey.schools == ("Skovvejens Skole",)
    assert survey.issues == ()


_RECORD = (
    "Indsatsens navn: {n}\n\nNy indsats\n\nHvilken praksis er indsatsen:\tKryds\nA: Mini\tx\n"
    "\tTekst:\nRessourcer/metoder/værktøjer:\t{r}\n\n"
)


@pytest.mark.parametrize(
    "heading",
    [
        "Kildeskolen afd. Nord",
        "Herlev skole",
        "Hedegårdsskolen, afd. Syd",
        "Sankt Annæ Skole",
        "Skolen ved Sundet",
    ],
)
def test_headings_not_all_capitalised_start_a_school(heading: str) -> None:
    # they were appended to the previous record's resources and the next record got
    # the previous school
    text = (
        "Æblehaveskolen\n\n"
        + _RECORD.format(n="X", r="1 årsværk")
        + heading
        + "\n\n"
        + _RECORD.format(n="Y", r="2 årsværk")
    )
    survey = parse_survey(text)
    assert [(i.name, i.school, i.resources_text) for i in survey.interventions] == [
        ("X", "Æblehaveskolen", "1 årsværk"),
        ("Y", heading, "2 årsværk"),
    ]
    assert survey.issues == ()


@pytest.mark.parametrize(
    "line",
    ["Lundebjerg", "Udskolingen", "Samarbejde med skolens ledelse", "støtte i hele skolen"],
)
def test_lines_alone_before_a_record_are_never_appended_silently(line: str) -> None:
    # not a heading: reported as unplaced, not glued to the answer above it
    text = (
        "Æblehaveskolen\n\n"
        + _RECORD.format(n="X", r="1 årsværk")
        + line
        + "\n\n"
        + _RECORD.format(n="Y", r="2 årsværk")
    )
    survey = parse_survey(text)
    assert [(i.school, i.resources_text) for i in survey.interventions] == [
        ("Æblehaveskolen", "1 årsværk"),
        ("Æblehaveskolen", "2 årsværk"),
    ]
    (issue,) = survey.issues
    assert (issue.line, issue.kind, issue.text) == (12, "unplaced", line)
    assert "not a school heading" in issue.message
    assert survey.unplaced == (issue,)


def test_lines_alone_before_a_record_after_ticks_or_status() -> None:
    after_ticks = (
        "Æblehaveskolen\n\nIndsatsens navn: X\n\nNy indsats\n\n"
        "Hvilken praksis er indsatsen:\tKryds\nA: Mini\tx\n\nLundebjerg\n\n"
        "Indsatsens navn: Y\n"
    )
    survey = parse_survey(after_ticks)
    assert [(i.line, i.text) for i in survey.unplaced] == [(10, "Lundebjerg")]
    after_status = "Æblehaveskolen\n\nIndsatsens navn: X\n\nNy indsats\n\nLundebjerg\n\n"
    survey = parse_survey(after_status + "Indsatsens navn: Y\n")
    assert survey.interventions[0].status_text == "Ny indsats"
    assert [(i.line, i.text) for i in survey.unplaced] == [(7, "Lundebjerg")]


def test_answers_continued_over_lines_stay_in_the_answer() -> None:
    text = (
        "Æblehaveskolen\n\nIndsatsens navn: X\n\nNy indsats\n\n"
        "Ressourcer/metoder/værktøjer:\tTre\nårsværk på skolen\n\n\tog hele skolen\n\n"
        "Indsatsens navn: Y\n"
    )
    survey = parse_survey(text)
    assert survey.interventions[0].resources_text == "Tre\nårsværk på skolen\nog hele skolen"
    assert survey.issues == ()


@example(cut=28503)  # cut inside the tick header's first line: "Hvilken praksis"
@settings(max_examples=30, deadline=None)
@given(st.integers(1, len(SEED) - 1))
def test_a_cut_export_never_loses_interventions_silently(cut: int) -> None:
    """Cut anywhere (issue 9, item 5): a record cut between its tick table and its last field
    (with a complete record before it) is a DataError; otherwise the interventions are the
    seed's first ones, only the last one's text may be short.
    """
    text = SEED[:cut]
    full = parse_survey(SEED).interventions
    blocks = text.split("Indsatsens navn:")
    last = blocks[-1]
    if len(blocks) >= 3 and "Hvilken praksis" in last and "Ressourcer/metoder" not in last:
        with pytest.raises(DataError, match="cut off"):
            parse_survey(text)
        return
    try:
        got = parse_survey(text).interventions
    except DataError:
        return
    assert len(got) <= len(blocks) - 1
    assert [(i.school, i.name, i.practices) for i in got[:-1]] == [
        (i.school, i.name, i.practices) for i in full[: max(len(got) - 1, 0)]
    ]
