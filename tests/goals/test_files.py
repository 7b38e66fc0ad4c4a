"""Goals from a TOML file (read_goals) and the checks of a Goal."""

from __future__ import annotations

import pathlib

import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.goals import (
    BALLERUP_2018,
    EXAMPLE_FILE,
    GOAL_SETS,
    KALUNDBORG_2018,
    NATIONAL,
    Goal,
    GoalError,
    read_goals,
)

DOCS = pathlib.Path(__file__).parents[2] / "docs" / "user_guide" / "goals.rst"


def write(tmp_path: pathlib.Path, text: str) -> pathlib.Path:
    path = tmp_path / "maal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_is_kalundborgs_plan() -> None:
    assert read_goals(EXAMPLE_FILE) == KALUNDBORG_2018


def test_the_example_file_is_the_one_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "literalinclude" in text
    assert "src/folkeskolekvalitet/goals/data/kalundborg-2018.toml" in text


def test_shipped_sets_have_unique_keys_and_sources() -> None:
    assert GOAL_SETS["national"] is NATIONAL
    for goals in GOAL_SETS.values():
        keys = [g.key for g in goals]
        assert len(set(keys)) == len(keys)
        assert all(g.source and g.label for g in goals)


def test_english_names_and_quoted_danish_names(tmp_path: pathlib.Path) -> None:
    english = write(
        tmp_path,
        """
[[goal]]
key = "tenth_grade_at_most_35"
label = "Højst 35 % af en årgang skal tage 10. klasse, inden de starter på en ungdomsuddannelse"
indicator = "transitions.first_priority_share"
category = "tiende_klasse"
kind = "at_most"
target = 0.35
source = "Ballerup Kommune, Baltorpskolen, Kvalitetsrapport 2018, § 8.4 and note 9"
""",
    )
    assert read_goals(english) == BALLERUP_2018[:1]
    danish = write(
        tmp_path,
        """
[["mål"]]
"nøgle" = "kd"
navn = "Kompetencedækning"
indikator = "competence.coverage"
type = "mindst"
"mål_pr_år" = {"2016/17" = 0.85, "2018-19" = 0.9, "2020/21" = 0.95}
niveauer = "kommune"
"kræv_signifikans" = false
""",
    )
    (goal,) = read_goals(danish)
    assert goal.schedule == {"2016/17": 0.85, "2018/19": 0.9, "2020/21": 0.95}
    assert goal.levels == ("municipality",)


def test_a_bad_file_gives_one_error_listing_every_problem(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path,
        """
[[maal]]
noegle = "a"
navn = "Ukendt indikator"
indikator = "exams.average"
type = "mindst"
maal = 0.8

[[maal]]
noegle = "b"
navn = "Procent i stedet for brøk"
indikator = "national_tests.share_good"
type = "mindst"
maal = 80

[[maal]]
noegle = "c"
navn = "Basisår efter frist"
indikator = "exams.share_passing_danish_and_math"
type = "ændring_procentpoint"
maal = 0.1
basisaar = "2021/22"
frist = "2020/21"

[[maal]]
noegle = "d"
navn = "Ukendt felt og type"
indikator = "exams.grade_average"
type = "bedre"
farve = "grøn"

[[maal]]
navn = "Uden nøgle"
indikator = "exams.grade_average"
type = "stige"

[[maal]]
noegle = "a"
navn = "Samme nøgle"
indikator = "exams.grade_average"
type = "stige"
""",
    )
    with pytest.raises(DataError) as info:
        read_goals(path)
    text = str(info.value)
    for expected in (
        "unknown indicator 'exams.average'",
        "target 80 of a share must lie in [0, 1] (80 % is 0.8)",
        "baseline_year 2021/22 must come before the deadline 2020/21",
        "unknown field 'farve'",
        "unknown kind 'bedre'",
        "missing field 'nøgle' (key)",
        "repeated goal keys ['a']",
    ):
        assert expected in text, expected
    assert len(info.value.problems) == 7


def test_a_file_that_is_not_toml(tmp_path: pathlib.Path) -> None:
    with pytest.raises(DataError, match="not valid TOML"):
        read_goals(write(tmp_path, "[[maal]\nnoegle = "))
    with pytest.raises(DataError, match="no goals"):
        read_goals(write(tmp_path, "# nothing\n"))
    with pytest.raises(DataError, match="unknown top-level"):
        read_goals(
            write(
                tmp_path,
                'titel = "x"\n[[maal]]\nnoegle="k"\nnavn="k"\nindikator="local.x"\n'
                'type="antal"\nmaal=1\n',
            )
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "at_least"}, "needs a target or targets_by_year"),
        ({"kind": "at_least", "target": 0.8, "targets_by_year": {"2016/17": 0.8}}, "not both"),
        ({"kind": "at_least", "targets_by_year": {"2016/17": 1.5}}, "must lie in [0, 1]"),
        ({"kind": "change_pp", "target": 0.1}, "needs a baseline_year"),
        ({"kind": "change_pp", "target": 10, "baseline_year": "2017/18"}, "as a fraction"),
        ({"kind": "change_relative", "target": -1.5, "baseline_year": "2017/18"}, "above -1"),
        ({"kind": "rise", "target": 0.1}, "has no target"),
        ({"kind": "at_least", "target": 0.8, "require_significant": True}, "not a at_least"),
        ({"kind": "at_most_reference"}, "needs reference"),
        ({"kind": "at_most_reference", "reference": "municipality"}, "cannot be compared"),
        ({"kind": "count", "target": 3}, "a count goal reads a 'local.'"),
        ({"kind": "at_least", "target": 0.8, "levels": ("skole",)}, "unknown levels"),
        ({"kind": "at_least", "target": 0.8, "grade_level": 4}, "has no grade_level breakdown"),
        ({"kind": "at_least", "target": 0.8, "deadline": "2017/19"}, "not a school year"),
        ({"kind": "at_least", "target": 0.8, "baseline_year": "2017/18"}, "needs a deadline"),
        ({"kind": "kind"}, "unknown kind"),
    ],
)
def test_goal_checks(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GoalError) as info:
        Goal("k", "k", kwargs.pop("indicator", "exams.share_passing_danish_and_math"), **kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_a_falling_change_target_is_at_most() -> None:
    goal = Goal(
        "under_2",
        "Andelen under 2 skal falde",
        "local.share_under_2",
        "change_pp",
        target=-0.05,
        baseline_year="2023/24",
    )
    assert goal.side == "at_most"
    assert Goal("x", "x", "exams.grade_average", "rise").side == "at_least"
