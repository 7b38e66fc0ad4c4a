"""compare_to_reference against the Ballerup 2018 kvalitetsrapport, Figur 12.

Figur 12 gives, per bound delprøve, Baltorpskolen's average, the socio-economic
reference and the difference, marked with * where significant (seed:
shared/seeds/ballerup-baltorpskolen-kvalitetsrapport-2018.txt, lines ~1252-1286).
Four columns: Baltorpskolen (2015/16, district level), Grantoften and Rugvænget
(2016/17, matrikler) and Baltorpskolen (2017/18).
"""

from __future__ import annotations

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.exams import SIGNIFICANCE_ENUM, compare_to_reference
from tests.conftest import Runner

# (unit, exam, average, reference, printed difference) as printed in Figur 12.
FIGUR_12 = [
    ("baltorp_1516", "dansk_laesning", 5.2, 5.7, "-0,5"),
    ("grantoften", "dansk_laesning", 4.5, 5.1, "-0,6"),
    ("rugvaenget", "dansk_laesning", 5.2, 5.2, "0,0"),
    ("baltorp_1718", "dansk_laesning", 4.7, 4.6, "0,1"),
    ("baltorp_1516", "dansk_mundtlig", 7.4, 7.2, "0,2"),
    ("grantoften", "dansk_mundtlig", 7.7, 7.4, "0,3"),
    ("rugvaenget", "dansk_mundtlig", 7.4, 7.4, "0,0"),
    ("baltorp_1718", "dansk_mundtlig", 7.0, 7.0, "0,0"),
    ("baltorp_1516", "dansk_retskrivning", 4.8, 6.0, "-1,2*"),
    ("grantoften", "dansk_retskrivning", 5.2, 5.7, "-0,5"),
    ("rugvaenget", "dansk_retskrivning", 6.1, 5.9, "0,2"),
    ("baltorp_1718", "dansk_retskrivning", 5.8, 5.5, "0,3"),
    ("baltorp_1516", "dansk_skriftlig_fremstilling", 5.9, 5.8, "0,1"),
    ("grantoften", "dansk_skriftlig_fremstilling", 7.1, 5.9, "1,2*"),
    ("rugvaenget", "dansk_skriftlig_fremstilling", 6.3, 5.7, "0,6"),
    ("baltorp_1718", "dansk_skriftlig_fremstilling", 5.9, 5.4, "0,5"),
    ("baltorp_1516", "engelsk_mundtlig", 6.9, 7.1, "-0,2"),
    ("grantoften", "engelsk_mundtlig", 6.7, 6.9, "-0,2"),
    ("rugvaenget", "engelsk_mundtlig", 6.1, 6.7, "-0,6"),
    ("baltorp_1718", "engelsk_mundtlig", 6.3, 7.1, "-0,8*"),
    ("baltorp_1516", "fysik_kemi", 4.7, 5.8, "-1,1*"),
    ("grantoften", "faellesproeve", 6.4, 6.6, "-0,2"),
    ("rugvaenget", "faellesproeve", 6.1, 6.6, "-0,5"),
    ("baltorp_1718", "faellesproeve", 6.4, 6.5, "-0,1"),
    ("baltorp_1516", "matematik_med_hjaelpemidler", 5.4, 5.7, "-0,3"),
    ("grantoften", "matematik_med_hjaelpemidler", 5.2, 5.0, "0,2"),
    ("rugvaenget", "matematik_med_hjaelpemidler", 7.0, 5.7, "1,3*"),
    ("baltorp_1718", "matematik_med_hjaelpemidler", 5.8, 5.6, "0,2"),
    ("baltorp_1516", "matematik_uden_hjaelpemidler", 5.7, 6.1, "-0,4"),
    ("grantoften", "matematik_uden_hjaelpemidler", 5.1, 5.5, "-0,4"),
    ("rugvaenget", "matematik_uden_hjaelpemidler", 6.5, 6.1, "0,4"),
    ("baltorp_1718", "matematik_uden_hjaelpemidler", 5.6, 5.8, "-0,2"),
    ("baltorp_1516", "gennemsnit", 5.7, 6.1, "-0,4"),
    ("grantoften", "gennemsnit", 5.8, 5.9, "-0,1"),
    ("rugvaenget", "gennemsnit", 6.3, 6.2, "0,1"),
    ("baltorp_1718", "gennemsnit", 5.8, 5.8, "0,0"),
]


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    averages = pl.DataFrame(
        [(u, e, a) for u, e, a, _, _ in FIGUR_12], schema=["unit", "exam", "average"], orient="row"
    )
    labels = {True: "Under niveau", False: "På niveau"}
    references = pl.DataFrame(
        [
            (
                u,
                e,
                r,
                ("Over niveau" if not d.startswith("-") else labels[True])
                if d.endswith("*")
                else labels[False],
            )
            for u, e, _, r, d in FIGUR_12
        ],
        schema=["unit", "exam", "reference", "significance"],
        orient="row",
    )
    return averages, references


def test_figur_12_markers(run: Runner) -> None:
    averages, references = _frames()
    out = run(compare_to_reference, averages, references, on=["unit", "exam"])
    assert out["marker"].to_list() == [d for *_, d in FIGUR_12]
    assert out.columns == [
        "unit",
        "exam",
        "average",
        "reference",
        "significance",
        "difference",
        "marker",
    ]
    assert out["significance"].dtype == SIGNIFICANCE_ENUM
    assert out.filter(pl.col("marker").str.ends_with("*"))["significance"].to_list() == [
        "below",
        "above",
        "below",
        "below",
        "above",
    ]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Over niveau", "above"),
        ("Bedre end forventet", "above"),
        ("over", "above"),
        ("På Niveau", "at_level"),
        ("  på   niveau ", "at_level"),
        ("Ingen afvigelse", "at_level"),
        ("Dårligere end forventet", "below"),
        ("Under", "below"),
        ("below", "below"),
        ("<fejl>", None),
        (None, None),
    ],
)
def test_every_published_label_variant(label: str | None, code: str | None) -> None:
    averages = pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"], "average": [6.0]})
    refs = pl.DataFrame(
        {
            "institution_id": ["1"],
            "school_year": ["2017/2018"],
            "reference": [7.25],
            "significance": [label],
        },
        schema_overrides={"significance": pl.String},
    )
    out = compare_to_reference(averages, refs)
    assert out["significance"][0] == code
    assert out["marker"][0] == ("-1,3*" if code in ("above", "below") else "-1,3")


def test_unknown_label_and_duplicated_reference() -> None:
    averages = pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"], "average": [6.0]})
    refs = pl.DataFrame(
        {
            "institution_id": ["1"],
            "school_year": ["2017/18"],
            "reference": [7.0],
            "significance": ["signifikant"],
        }
    )
    with pytest.raises(DataError, match="unknown significance label"):
        compare_to_reference(averages, refs)
    with pytest.raises(DataError, match="duplicated key"):
        compare_to_reference(
            averages,
            pl.concat([refs, refs]).with_columns(pl.lit(None, pl.String).alias("significance")),
        )


def test_missing_reference_stays_null() -> None:
    averages = pl.DataFrame(
        {"institution_id": ["1", "2"], "school_year": ["2017/18"] * 2, "average": [6.0, 7.0]}
    )
    refs = pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"], "reference": [5.0]})
    out = compare_to_reference(averages, refs)
    assert out["marker"].to_list() == ["1,0", None]
    assert out["difference"].to_list() == [1.0, None]


def test_missing_value_column() -> None:
    with pytest.raises(DataError, match="missing column in averages"):
        compare_to_reference(
            pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"]}), pl.DataFrame()
        )


def test_output_columns_already_present_are_refused() -> None:
    averages = pl.DataFrame(
        {"institution_id": ["1"], "school_year": ["2017/18"], "average": [6.0], "reference": [1.0]}
    )
    refs = pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"], "reference": [5.5]})
    with pytest.raises(DataError, match="already has this output column"):
        compare_to_reference(averages, refs)


def test_nan_reference_is_no_reference_and_years_meet_across_spellings() -> None:
    averages = pl.DataFrame(
        {
            "institution_id": ["1", "2"],
            "school_year": ["2017/2018", "2017/18"],
            "average": [6.0, 7.0],
        }
    )
    refs = pl.DataFrame(
        {
            "institution_id": ["1", "2"],
            "school_year": ["2017/18", "2017-18"],
            "reference": [float("nan"), 6.5],
        }
    )
    out = compare_to_reference(averages, refs)
    assert out["school_year"].to_list() == ["2017/18", "2017/18"]
    assert out["reference"].to_list() == [None, 6.5]
    assert out["marker"].to_list() == [None, "0,5"]


def test_references_duplicated_across_year_spellings() -> None:
    averages = pl.DataFrame({"institution_id": ["1"], "school_year": ["2017/18"], "average": [6.0]})
    refs = pl.DataFrame(
        {
            "institution_id": ["1", "1"],
            "school_year": ["2017/18", "2017/2018"],
            "reference": [5.0, 5.0],
        }
    )
    with pytest.raises(DataError, match="duplicated key"):
        compare_to_reference(averages, refs)
