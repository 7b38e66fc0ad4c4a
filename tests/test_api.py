"""The public API: sorted __all__, everything importable, every public name documented."""

from __future__ import annotations

import importlib
import inspect
import pathlib
import pkgutil
import re
from typing import Any

import polars as pl
import pytest

import folkeskolekvalitet

ROOT = pathlib.Path(__file__).parents[1]
PUBLIC_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(folkeskolekvalitet.__path__, "folkeskolekvalitet.")
    if not any(part.startswith("_") for part in m.name.split(".")) and m.name.count(".") == 1
)


def test_version() -> None:
    assert re.match(r"^\d+\.\d+", folkeskolekvalitet.__version__)


@pytest.mark.parametrize("name", ["folkeskolekvalitet", *PUBLIC_MODULES])
def test_all_is_explicit_and_importable(name: str) -> None:
    # Its order is checked by ruff (RUF022, isort-style sorting).
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{name} has no __all__"
    assert len(set(names)) == len(names)
    for attr in names:
        assert hasattr(module, attr), f"{name}.{attr} in __all__ but missing"


@pytest.mark.parametrize("name", ["folkeskolekvalitet", *PUBLIC_MODULES])
def test_every_public_name_is_in_the_docs(name: str) -> None:
    docs = ROOT / "docs"
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in docs.rglob("*.rst") if "generated" not in p.parts
    )
    module = importlib.import_module(name)
    missing = [
        n
        for n in getattr(module, "__all__", [])
        if n != "__version__" and not re.search(rf"\b{re.escape(n)}\b", text)
    ]
    assert not missing, f"not mentioned in docs/: {missing}"


def test_families_do_not_import_each_other() -> None:
    families = [
        p.name
        for p in (ROOT / "src/folkeskolekvalitet").iterdir()
        if p.is_dir()
        and not p.name.startswith("_")
        and p.name
        not in ("synthetic", "testing", "report", "io", "indicators", "goals", "disclosure", "cli")
    ]
    for family in families:
        for path in (ROOT / "src/folkeskolekvalitet" / family).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for other in families:
                if other != family:
                    assert f"folkeskolekvalitet.{other}" not in source, f"{path} imports {other}"


def test_core_imports_nothing_above_it() -> None:
    for path in (ROOT / "src/folkeskolekvalitet/_core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import folkeskolekvalitet", "from folkeskolekvalitet")):
                assert line.startswith("from folkeskolekvalitet._core"), f"{path}: {line}"


# --- the output vocabulary and the shape of every public function ----------------------------
#
# `n_pupils` is the denominator; an event's count is `n_<event>` with `share_<event>`; in a
# category distribution the category's count is `n`; means are `mean` and `std`; every
# function takes `by=`; data is positional, options keyword-only. The exceptions below are
# names earlier issues fixed, kept for compatibility and documented in docs/contributing.rst.

FAMILIES = (
    "exams",
    "national_tests",
    "wellbeing",
    "competence",
    "absence",
    "transitions",
    "interventions",
    "indicators",
    "disclosure",
)

#: A second frame the function joins, taken positionally like the first.
SECOND_DATA = {
    "exams.compare_to_reference": "references",
    "wellbeing.response_rate": "enrolment",
}
#: Options that are positional, fixed by earlier issues.
POSITIONAL_OPTIONS = {
    "absence.share_above": "threshold",
    "transitions.check_goal": "goal",
}
#: Frame functions without `by=`: row-level functions and the table's own tools.
NO_BY = {
    "exams.pupil_averages",
    "exams.compare_to_reference",
    "national_tests.goal_status",
    "national_tests.publication_view",
    "wellbeing.answers_from_wide",
    "wellbeing.pupil_scores",
    "wellbeing.score_answers",
    "competence.compare_to_target",
    "interventions.resource_rows",
    "indicators.change",
    "indicators.compare",
    "indicators.table",
    "indicators.uncertainty",
    "indicators.validate_table",
    "disclosure.audit",
    "disclosure.suppress",
    "disclosure.symbols",
}
#: Output names earlier issues fixed (documented exceptions to the vocabulary).
OUTPUT_EXCEPTIONS = {
    "exams.grade_average": {"average", "n_pupils_included"},
    "exams.subject_averages": {"average", "n_pupils_included"},
    "wellbeing.indicators": {"n_pupils_included"},
    "wellbeing.share_above": {"n_pupils_included"},
}
_FORBIDDEN = {"n_total", "average", "n_pupils_included", "count", "percent"}


def _frame_functions() -> list[tuple[str, Any]]:
    out = []
    for family in FAMILIES:
        module = importlib.import_module(f"folkeskolekvalitet.{family}")
        for name in module.__all__:
            fn = getattr(module, name)
            if not inspect.isfunction(fn):
                continue
            params = list(inspect.signature(fn).parameters.values())
            first = str(params[0].annotation) if params else ""
            if "Frame" in first or name == "table":
                out.append((f"{family}.{name}", fn))
    return out


FRAME_FUNCTIONS = _frame_functions()


@pytest.mark.parametrize(("name", "fn"), FRAME_FUNCTIONS, ids=[n for n, _ in FRAME_FUNCTIONS])
def test_data_positional_options_keyword_only(name: str, fn: Any) -> None:
    params = list(inspect.signature(fn).parameters.values())
    positional = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    allowed = 0 if name == "indicators.table" else 1
    allowed += name in SECOND_DATA
    allowed += name in POSITIONAL_OPTIONS
    assert len(positional) == allowed, f"{name}: positional {positional}"
    if name in SECOND_DATA:
        assert positional[1] == SECOND_DATA[name]


@pytest.mark.parametrize(("name", "fn"), FRAME_FUNCTIONS, ids=[n for n, _ in FRAME_FUNCTIONS])
def test_every_grouping_function_takes_by(name: str, fn: Any) -> None:
    has_by = "by" in inspect.signature(fn).parameters
    assert has_by != (name in NO_BY), f"{name}: by= {'unexpected' if has_by else 'missing'}"


def _samples() -> dict[str, pl.DataFrame]:
    from folkeskolekvalitet import (
        absence,
        competence,
        exams,
        national_tests,
        transitions,
        wellbeing,
    )
    from folkeskolekvalitet import synthetic as syn

    grades = syn.exam_grades(n_schools=2, school_years=["2018/19"], pupils_per_school=10)
    tests = syn.national_test_results(
        n_schools=1, school_years=["2021/22", "2022/23"], pupils_per_grade=5
    )
    old = tests.filter(pl.col("school_year") == "2021/22")
    new = tests.filter(pl.col("school_year") == "2022/23")
    answers = syn.wellbeing_answers(n_schools=1, school_years=["2022/23"], pupils_per_grade=3)
    enrolment = answers.group_by("school_year", "institution_id", "grade_level").agg(
        n_enrolled=pl.col("pupil_id").n_unique().cast(pl.Int64)
    )
    lessons = syn.competence_lessons(n_schools=1, school_years=["2018/19"])
    records = syn.absence_records(n_schools=1, school_years=["2018/19"], pupils_per_school=10)
    leavers = syn.transition_statuses(n_schools=1, cohorts=["2022/23"], pupils_per_school=10)
    return {
        "exams.grade_average": exams.grade_average(grades),
        "exams.subject_averages": exams.subject_averages(grades),
        "exams.share_passing_danish_and_math": exams.share_passing_danish_and_math(grades),
        "exams.share_took_all_bound_exams": exams.share_took_all_bound_exams(grades),
        "national_tests.level_shares": national_tests.level_shares(old),
        "national_tests.level_distribution": national_tests.level_distribution(old),
        "national_tests.good_share": national_tests.good_share(new),
        "wellbeing.indicators": wellbeing.indicators(answers),
        "wellbeing.score_distribution": wellbeing.score_distribution(answers),
        "wellbeing.share_above": wellbeing.share_above(answers, threshold=4),
        "wellbeing.question_shares": wellbeing.question_shares(answers),
        "wellbeing.response_rate": wellbeing.response_rate(answers, enrolment),
        "competence.coverage": competence.coverage(lessons),
        "absence.absence_rates": absence.absence_rates(records),
        "absence.share_above": absence.share_above(records),
        "transitions.status_shares": transitions.status_shares(leavers),
        "transitions.application_shares": transitions.application_shares(leavers),
        "transitions.youth_education_share": transitions.youth_education_share(leavers),
        "transitions.check_goal": transitions.check_goal(leavers),
    }


def test_the_output_vocabulary() -> None:
    problems = []
    for name, out in _samples().items():
        columns = set(out.columns)
        allowed = OUTPUT_EXCEPTIONS.get(name, set())
        for bad in sorted((columns & _FORBIDDEN) - allowed):
            problems.append(f"{name}: {bad!r} is not in the vocabulary")
        for column in sorted(columns):
            if column.startswith("share_") and f"n_{column[6:]}" not in columns:
                problems.append(f"{name}: {column!r} without 'n_{column[6:]}'")
        if "mean" in columns and "std" not in columns:
            problems.append(f"{name}: 'mean' without 'std'")
        if "n" in columns and "n_pupils" not in columns:
            problems.append(f"{name}: a distribution's 'n' without the denominator 'n_pupils'")
        for column in sorted(columns):
            if column.startswith("rate_") and f"std_{column[5:]}" not in columns:
                problems.append(f"{name}: {column!r} without 'std_{column[5:]}'")
        if ("share" in columns or "mean" in columns) and not any(
            c.startswith(("n_", "lessons_")) for c in columns
        ):
            problems.append(f"{name}: a value without the counts it rests on")
    assert not problems, "\n".join(problems)


def test_every_exception_is_documented() -> None:
    text = (ROOT / "docs" / "contributing.rst").read_text(encoding="utf-8")
    for name in [*SECOND_DATA, *POSITIONAL_OPTIONS, *OUTPUT_EXCEPTIONS]:
        assert name.split(".", 1)[1] in text, f"{name} not in docs/contributing.rst"
