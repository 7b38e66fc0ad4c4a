"""The shared input pipeline: one Contract declaration, one prepare, one DataError."""

from __future__ import annotations

import warnings

import attrs
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from folkeskolekvalitet import DataError
from folkeskolekvalitet._core.exprs import PUPIL_KEY
from folkeskolekvalitet._core.pipeline import Projection, prepare, pupil_step
from folkeskolekvalitet._core.schema import CatalogueCheck, Check, Column, Contract

#: A toy catalogue: subject "b" exists only from 2020/21.
_FIRST = {"a": 2000, "b": 2020}


def _offered(year: str, subject: str) -> tuple[str, str, tuple[str, ...]] | None:
    if year.startswith("2030"):
        return ("school_year", "no catalogue for this school year", ("school_year",))
    if int(year[:4]) < _FIRST[subject]:
        return ("subject", "not offered that year", ("school_year", "subject"))
    return None


def _project(p: Projection) -> dict[str, pl.Expr]:
    return {
        "year_start": p.year_start(),
        "points": p.lookup(
            "mark",
            lambda v: int(str(v).strip()),
            pl.Int8,
            lambda: pl.col("mark").cast(pl.String).str.strip_chars().cast(pl.Int8),
        ),
    }


CONTRACT = Contract(
    "toy marks",
    (
        Column("school_year", "school_year"),
        Column("institution_id", "id"),
        Column("pupil_id", "id"),
        Column("subject", "string", allowed=("a", "b")),
        Column(
            "mark",
            "code",
            checks=(
                Check(
                    "not 1-5",
                    lambda e: ~e.cast(pl.String).str.strip_chars().is_in(["1", "2", "3", "4", "5"]),
                ),
            ),
        ),
    ),
    key=("school_year", "pupil_id", "subject"),
    group=PUPIL_KEY,
    pupil=("school_year", "pupil_id"),
    per_pupil=("institution_id",),
    not_by=(("subject", "a pupil has several subjects"),),
    catalogue=(CatalogueCheck(("school_year", "subject"), _offered),),
    project=_project,
)

GOOD = pl.DataFrame(
    {
        "school_year": ["2021/2022", "2021/22", "2019/20"],
        "institution_id": ["s1", "s1", "s2"],
        "pupil_id": ["p1", "p1", "p2"],
        "subject": ["a", "b", "a"],
        "mark": [" 4", "5", "1"],
    }
)


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize("lazy", [True, False])
def test_prepare_types_the_rows(validate: bool, lazy: bool) -> None:
    data = GOOD.lazy() if lazy else GOOD
    prepared = prepare(data, CONTRACT, by=(), validate=validate, allow_cpr=False)
    assert prepared.group == PUPIL_KEY
    rows = prepared.rows.collect().sort("pupil_id", "points")
    assert rows.columns == ["school_year", "institution_id", "pupil_id", "year_start", "points"]
    assert rows["school_year"].to_list() == ["2021/22", "2021/22", "2019/20"]
    assert rows["points"].to_list() == [4, 5, 1]
    assert rows["year_start"].to_list() == [2021, 2021, 2019]


def test_every_problem_in_one_round() -> None:
    bad = pl.concat(
        [
            GOOD,
            pl.DataFrame(
                {
                    "school_year": ["2019/20", "2030/31", "2019/20", "2021/22"],
                    "institution_id": ["s3", "s3", "s4", "s9"],
                    "pupil_id": ["p3", "p4", "p5", "p1"],
                    "subject": ["b", "a", "c", "a"],
                    "mark": ["2", "3", "9", "2"],
                }
            ),
        ]
    )
    with pytest.raises(DataError) as info:
        prepare(bad, CONTRACT, by=(), validate=True, allow_cpr=False)
    found = {(p.column, p.rule.split(" (")[0]) for p in info.value.problems}
    assert ("subject", "not offered that year") in found
    assert ("school_year", "no catalogue for this school year") in found
    assert ("subject", "unknown value") in found
    assert ("mark", "not 1-5") in found
    # duplicated key, spelled '2021/2022' once and '2021/22' once
    assert any(c == "school_year, pupil_id, subject" for c, _ in found)
    assert any(c == "institution_id" for c, _ in found)  # p1 at two institutions
    offered = next(p for p in info.value.problems if p.rule == "not offered that year")
    # the unknown subject 'c' is reported by its column only, never by the catalogue
    assert offered.examples == ("('2019/20', 'b')",)
    assert offered.n_rows == 1


def test_refused_by_and_missing_columns() -> None:
    with pytest.raises(ValueError, match="a pupil has several subjects"):
        prepare(GOOD, CONTRACT, by=("subject",))
    with pytest.raises(DataError, match="missing column"):
        prepare(GOOD.drop("mark"), CONTRACT)


def test_a_by_column_named_like_a_working_column_is_refused() -> None:
    """Names that start with '_' are the rules' working columns: a grouping column so
    named was overwritten by them (well-being's ``_ind`` gave wrong groups, ``_n0`` a
    Polars DuplicateError; found by review)."""
    frame = GOOD.with_columns(pl.lit("A").alias("_ind"))
    with pytest.raises(ValueError, match=r"by cannot contain \['_ind'\]: names that start"):
        prepare(frame, CONTRACT, by=("_ind",))


# --- additions for the national tests (issue 11) -------------------------------------------

#: The toy contract with the subject checked even without validation, a catalogue check
#: that always runs, and one of two optional columns required.
ALWAYS = attrs.evolve(
    CONTRACT,
    columns=(
        *(attrs.evolve(c, always=True) if c.name == "subject" else c for c in CONTRACT.columns),
        Column("note", "string", required=False),
        Column("remark", "string", required=False),
    ),
    catalogue=(CatalogueCheck(("school_year", "subject"), _offered, always=True),),
    needs=((("note", "remark"), "missing column: a note or a remark"),),
)
NOTED = GOOD.with_columns(pl.lit("x").alias("note"))


@pytest.mark.parametrize("lazy", [True, False])
def test_always_checked_without_validation(lazy: bool) -> None:
    bad = pl.concat(
        [
            NOTED,
            NOTED.head(2).with_columns(
                pl.Series("subject", ["c", "b"]),
                pl.Series("school_year", ["2021/22", "2019/20"]),
                pl.Series("mark", ["9", "9"]),
            ),
        ]
    )
    with pytest.raises(DataError) as info:
        prepare(bad.lazy() if lazy else bad, ALWAYS, validate=False)
    found = {(p.column, p.rule.split(" (")[0]) for p in info.value.problems}
    # the unknown subject and the catalogue, not the marks nor the duplicated key
    assert found == {("subject", "unknown value"), ("subject", "not offered that year")}
    prepared = prepare(NOTED.lazy() if lazy else NOTED, ALWAYS, validate=False)
    assert prepared.checked.school_years["school_year"]["2021/2022"] == "2021/22"
    assert prepared.rows.collect()["year_start"].sort().to_list() == [2019, 2021, 2021]


def test_needs_one_of_several_columns() -> None:
    with pytest.raises(DataError) as info:
        prepare(GOOD.drop("mark"), ALWAYS)
    assert {p.column for p in info.value.problems} == {"mark", "note, remark"}
    prepare(GOOD.with_columns(pl.lit("y").alias("remark")), ALWAYS)


@pytest.mark.parametrize("validate", [True, False])
def test_distinct_combinations_share_one_grouping(validate: bool) -> None:
    prepared = prepare(
        NOTED,
        ALWAYS,
        validate=validate,
        distinct={"wide": ("school_year", "subject", "mark"), "narrow": ("subject", "mark")},
    )
    wide = prepared.checked.distinct["wide"]
    assert wide.height == 3
    assert sorted(prepared.checked.distinct["narrow"].rows()) == [
        ("a", " 4"),
        ("a", "1"),
        ("b", "5"),
    ]


@pytest.mark.parametrize("rows_per_pupil", ["many", "few"])
def test_by_columns_of_the_group_are_no_pupil_attributes(rows_per_pupil: str) -> None:
    contract = attrs.evolve(
        CONTRACT,
        group=(*PUPIL_KEY, "subject"),
        not_by=(),
        rows_per_pupil=rows_per_pupil,
    )
    # p1 has two subjects: grouping by subject is fine
    prepare(GOOD, contract, by=("subject",))
    two_schools = GOOD.with_columns(
        pl.Series("institution_id", ["s1", "s2", "s2"]),
        pl.col("school_year").str.replace("2021/2022", "2021/22"),
    )
    with pytest.raises(DataError, match="must have one value per school_year, pupil_id"):
        prepare(two_schools, contract, by=("subject",))
    duplicated = pl.concat([GOOD, GOOD.head(1)])
    with pytest.raises(DataError, match="duplicated key"):
        prepare(duplicated, contract)


def test_a_lazy_frame_in_memory_is_typed_like_a_dataframe() -> None:
    # the indicator table hands in-memory frames to the rules as lazy input: they are
    # typed through their distinct values (read once, shared), with the same rows as a
    # lazy input's joined school years and a DataFrame's lookups
    from folkeskolekvalitet._core.frames import lazy_in_memory
    from folkeskolekvalitet.exams._input import GRADES_CONTRACT

    df = pl.DataFrame(
        {
            "school_year": ["2017/2018", "2017-18", "2018/19"],
            "institution_id": ["1", "1", "2"],
            "pupil_id": ["a", "b", "c"],
            "exam": ["dansk_laesning", "matematik_med_hjaelpemidler", "dansk_mundtlig"],
            "grade": ["02", "-3", "12"],
        }
    )
    expected = prepare(df, GRADES_CONTRACT, validate=False).rows.collect()
    lazy = prepare(df.lazy(), GRADES_CONTRACT, validate=False).rows.collect()
    lf = lazy_in_memory(df)
    for _ in range(2):  # the second call reads the kept distinct values
        got = prepare(lf, GRADES_CONTRACT, validate=False).rows.collect()
        assert_frame_equal(got, expected)
    assert_frame_equal(lazy.select(expected.columns), expected)


def test_a_frame_whose_later_columns_are_chunked_is_copied_once() -> None:
    # DataFrame.n_chunks() looks at the first column only
    from folkeskolekvalitet._core.frames import as_lazy, one_chunk

    split = pl.concat([pl.DataFrame({"x": [1]}), pl.DataFrame({"x": [2]})], rechunk=False)
    df = pl.concat([pl.DataFrame({"id": [1, 2]}), split], how="horizontal")
    assert df.n_chunks("all") == [1, 2]
    once = one_chunk(df)
    assert isinstance(once, pl.DataFrame)
    assert once.n_chunks("all") == [1, 1]
    assert as_lazy(df).collect().n_chunks("all") == [1, 1]


# --- pupil_step: the checks counted in a rule's own pupil grouping --------------------------

_SUBJECT_CODE = pl.col("subject").replace_strict(
    {"a": 0, "b": 1}, default=None, return_dtype=pl.Int8
)
#: The toy rule: each pupil's number of marks and their sum.
_MARKS = pl.col("mark").cast(pl.String).str.strip_chars().cast(pl.Int64, strict=False)


def _toy_step(frame: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame | None:
    step = pupil_step(
        frame,
        CONTRACT,
        key_code=pl.col("__subject"),
        values={"__subject": _SUBJECT_CODE, "__mark": _MARKS},
        aggregates=[pl.len().alias("n"), pl.col("__mark").sum().alias("total")],
        by=by,
    )
    return None if step is None else step.pupils


def _toy_rule(frame: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    prepared = prepare(frame, CONTRACT, by=by)
    pupils: pl.DataFrame = (
        prepared.rows.group_by(list(prepared.group))
        .agg(pl.len().alias("n"), pl.col("points").cast(pl.Int64).sum().alias("total"))
        .collect()
    )
    return pupils


CLEAN = pl.DataFrame(
    {
        "school_year": ["2021/2022", "2021/2022", "2019/20", "2021/2022"],
        "institution_id": ["s1", "s1", "s2", "s2"],
        "pupil_id": ["p1", "p1", "p2", "p3"],
        "subject": ["a", "b", "a", "b"],
        "mark": [" 4", "5", "1", "2"],
    }
)


def test_pupil_step_of_another_contract_is_its_rule() -> None:
    """The step is the family-independent part: on the toy contract, whose mark has a
    value rule outside any catalogue check, it gives the toy rule's pupils."""
    got = _toy_step(CLEAN)
    assert got is not None
    assert got.columns == ["school_year", "institution_id", "pupil_id", "n", "total"]
    assert_frame_equal(
        got.sort("school_year", "pupil_id"), _toy_rule(CLEAN).sort("school_year", "pupil_id")
    )
    assert _toy_step(CLEAN.lazy()) is None  # type: ignore[arg-type]  # lazy: not taken


#: Bad values of the toy columns, by column position.
_BAD_CELLS: dict[int, list[str | None]] = {
    0: ["2021/2022", "2030/31", "x", None],
    1: [" s1", None],
    2: ["010203-1234", " p1", None],
    3: ["c", None],
    4: ["9", None],
}


def _with_one_bad_cell(
    rows: list[tuple[str | None, ...]], at: int, bad: tuple[int, list[str | None]]
) -> list[tuple[str | None, ...]]:
    column, values = bad
    i = len(rows) - 1 - at % len(rows)  # counted from the end: mostly a row no pupil starts
    row = list(rows[i])
    row[column] = values[at % len(values)]
    return [*rows[:i], tuple(row), *rows[i + 1 :]]


def _clean_toy_rows(min_size: int = 1) -> st.SearchStrategy[list[tuple[str | None, ...]]]:
    """Valid toy rows: each (year, pupil, subject) once, each pupil at one school."""
    keys = st.lists(
        st.tuples(
            st.sampled_from(["2021/22", "2022/23"]),
            st.sampled_from(["p1", "p2", "p3", "p4"]),
            st.sampled_from(["a", "b"]),
            st.sampled_from(["1", " 4", "5"]),
        ),
        min_size=min_size,
        max_size=16,
        unique_by=lambda r: r[:3],
    )
    school = {"p1": "s1", "p2": "s1", "p3": "s2", "p4": "s2"}
    return keys.map(
        lambda rows: [
            (year, school[pupil], pupil, subject, mark) for year, pupil, subject, mark in rows
        ]
    )


def _toy_rows(*pools: list[str | None]) -> st.SearchStrategy[list[tuple[str | None, ...]]]:
    return st.lists(st.tuples(*(st.sampled_from(p) for p in pools)), min_size=1, max_size=12)


@settings(max_examples=600)
@given(
    st.one_of(
        _clean_toy_rows(),
        # clean values (pupils may repeat a subject or change school)
        _toy_rows(
            ["2021/22", "2019/20"], ["s1", "s2"], ["p1", "p2", "p3"], ["a", "b"], ["1", " 4"]
        ),
        # clean rows but for one cell, anywhere
        st.builds(
            _with_one_bad_cell,
            _clean_toy_rows(min_size=8),
            st.integers(0, 11),
            st.sampled_from(list(_BAD_CELLS.items())),
        ),
        # and every kind of bad value, together
        _toy_rows(
            ["2021/22", "2021/2022", "2019/20", "2030/31", "x"],
            ["s1", "s2", " s1", None],
            ["p1", "p2", "p3", "010203-1234", None],
            ["a", "b", "c", None],
            ["1", "2", " 4", "5", "9", None],
        ),
    ),
    st.sampled_from([(), ("institution_id",)]),
)
def test_pupil_step_is_the_rule_or_steps_aside(
    rows: list[tuple[str | None, ...]], by: tuple[str, ...]
) -> None:
    """Whatever the rows, the step gives the rule's pupils, or ``None`` where the rule's
    checks refuse the rows (or normalise an id)."""
    frame = pl.DataFrame(
        rows,
        schema=dict.fromkeys(
            ["school_year", "institution_id", "pupil_id", "subject", "mark"], pl.String
        ),
        orient="row",
    )
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        got = _toy_step(frame, by)
    assert not said
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = _toy_rule(frame, by)
    except DataError:
        assert got is None
        return
    if got is not None:
        assert_frame_equal(
            got.sort("school_year", "pupil_id"), expected.sort("school_year", "pupil_id")
        )
