"""Comparison with the socio-economic reference (socioøkonomisk reference).

The reference itself is estimated by the ministry from register data the
library does not have; the library takes the published reference per unit and
computes the difference, maps the published significance labels to one code,
and renders the kvalitetsrapport marker (``-1,2*``).

Sources
-------
- Socioøkonomisk reference for grundskolekarakterer:
  https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/sociooekonomisk-reference-for-grundskolekarakterer
- Marker convention ("Hvis skolens karakter er statistisk signifikant forskellig
  fra den socioøkonomiske reference, er forskellen markeret med en *"):
  Ballerup Kommune, kvalitetsrapport 2018, Baltorpskolen, Figur 12.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import polars as pl

from folkeskolekvalitet._core.errors import DataError, Problem
from folkeskolekvalitet._core.format import danish_number
from folkeskolekvalitet._core.frames import FrameT, as_lazy, like_input, normalise_by
from folkeskolekvalitet._core.schema import Check, Column, Contract, RowCheck
from folkeskolekvalitet._core.schoolyear import school_year_expr

__all__ = ["SIGNIFICANCE", "SIGNIFICANCE_ENUM", "Significance", "compare_to_reference"]

SOURCE = (
    "https://www.uvm.dk/statistik/grundskolen/karakterer-og-test/"
    "sociooekonomisk-reference-for-grundskolekarakterer"
)


@attrs.frozen
class Significance:
    """A significance category of a difference from the reference.

    Attributes
    ----------
    code
        ``"above"``, ``"at_level"`` or ``"below"``.
    label
        The Danish label used in this library's reports.
    published
        The label variants the official exports use for this category.
    """

    code: str
    label: str
    published: tuple[str, ...]
    source: str = SOURCE


#: The three categories and every published label variant.
SIGNIFICANCE: tuple[Significance, ...] = (
    Significance(
        "above",
        "Statistisk signifikant over",
        ("Over niveau", "Bedre end forventet", "Over", "Statistisk signifikant over"),
    ),
    Significance(
        "at_level",
        "Ingen statistisk signifikant afvigelse",
        ("På niveau", "På Niveau", "Ingen afvigelse", "Ingen statistisk signifikant afvigelse"),
    ),
    Significance(
        "below",
        "Statistisk signifikant under",
        ("Under niveau", "Dårligere end forventet", "Under", "Statistisk signifikant under"),
    ),
)

#: The significance codes as a Polars Enum.
SIGNIFICANCE_ENUM = pl.Enum([s.code for s in SIGNIFICANCE])


def _label_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for s in SIGNIFICANCE:
        out[s.code] = s.code
        for label in s.published:
            out[" ".join(label.lower().split())] = s.code
    return out


_LABELS = _label_map()
#: Published values that mean "no value" (the SOCREFEX dimension's error member).
_NO_VALUE = ("<fejl>", "")


def _normalised(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")


REFERENCE_CONTRACT = Contract(
    "socio-economic references",
    (
        Column(
            "reference",
            "number",
            nullable=True,
            checks=(
                Check(
                    "infinite reference (a missing reference is null or NaN)",
                    lambda e: e.cast(pl.Float64).is_infinite(),
                ),
            ),
            description="Published reference value.",
        ),
        Column(
            "significance",
            "string",
            nullable=True,
            required=False,
            checks=(
                Check(
                    "unknown significance label (known: "
                    + ", ".join(repr(lab) for s in SIGNIFICANCE for lab in s.published)
                    + ", '<fejl>')",
                    lambda e: ~_normalised(e).is_in([*_LABELS, *_NO_VALUE]),
                ),
            ),
            description="Published significance label (any variant) or code.",
        ),
    ),
)


def _significance_without_reference(present: frozenset[str]) -> list[RowCheck]:
    if "significance" not in present:
        return []
    label = _normalised(pl.col("significance")).replace_strict(
        _LABELS, default=None, return_dtype=pl.String
    )
    return [
        RowCheck(
            "reference, significance",
            "a significance (above / below / not significant) without a reference value",
            pl.col("reference").cast(pl.Float64).fill_nan(None).is_null() & label.is_not_null(),
            ("significance",),
        )
    ]


def compare_to_reference(
    averages: FrameT,
    references: pl.DataFrame | pl.LazyFrame,
    *,
    on: str | Sequence[str] = ("school_year", "institution_id"),
    value: str = "average",
    decimals: int = 1,
) -> FrameT:
    """Difference from the socio-economic reference, its significance, and the report marker.

    Parameters
    ----------
    averages
        A frame with the ``on`` columns and a ``value`` column (e.g. the output
        of :func:`grade_average`).
    references
        The published references: the ``on`` columns, ``reference`` and
        optionally ``significance`` with any published label ("Over niveau",
        "Bedre end forventet", "Under", "Ingen afvigelse", ...) or a code
        (``above``, ``at_level``, ``below``); ``"<fejl>"`` and nulls mean no
        value.
    on
        Join columns; each must identify at most one reference row.
    value
        The column compared with the reference.
    decimals
        Decimals of the marker.

    Returns
    -------
    DataFrame or LazyFrame
        ``averages`` with ``reference``, ``difference`` (``value - reference``,
        unrounded), ``significance`` (Enum ``above`` / ``at_level`` /
        ``below``) and ``marker``: the difference with a Danish decimal comma,
        rounded half away from zero, and ``*`` when significant, e.g.
        ``"-1,2*"``. Units without a reference keep null values.

    Examples
    --------
    The Baltorpskolen figures of the Ballerup 2018 kvalitetsrapport (Figur 12):

    >>> from folkeskolekvalitet.exams import compare_to_reference
    >>> import polars as pl
    >>> averages = pl.DataFrame(
    ...     {"exam": ["dansk_retskrivning", "engelsk_mundtlig"], "average": [4.8, 6.9]}
    ... )
    >>> references = pl.DataFrame(
    ...     {
    ...         "exam": ["dansk_retskrivning", "engelsk_mundtlig"],
    ...         "reference": [6.0, 7.1],
    ...         "significance": ["Under niveau", "På niveau"],
    ...     }
    ... )
    >>> compare_to_reference(averages, references, on="exam").select("exam", "marker")
    shape: (2, 2)
    ┌────────────────────┬────────┐
    │ exam               ┆ marker │
    │ ---                ┆ ---    │
    │ str                ┆ str    │
    ╞════════════════════╪════════╡
    │ dansk_retskrivning ┆ -1,2*  │
    │ engelsk_mundtlig   ┆ -0,2   │
    └────────────────────┴────────┘
    """
    on_cols: tuple[str, ...] = normalise_by(on)
    left = as_lazy(averages, "averages")
    right = as_lazy(references, "references")
    left_schema = left.collect_schema()
    problems = [
        Problem(name, "missing column in averages")
        for name in (*on_cols, value)
        if name not in left_schema
    ]
    problems += [
        Problem(name, "averages already has this output column; drop or rename it first")
        for name in ("reference", "difference", "significance", "marker")
        if name in left_schema
    ]
    if not problems and left_schema[value].is_numeric():
        finite = pl.col(value).cast(pl.Float64).is_finite()
        n_bad = left.select((~finite).fill_null(value=False).sum()).collect().item()
        if n_bad:
            problems.append(
                Problem(value, "not a finite number (NaN or infinite) in averages", int(n_bad))
            )
    if problems:
        raise DataError("averages", problems)
    contract = Contract(
        REFERENCE_CONTRACT.what,
        (
            *[Column(c, "school_year" if c == "school_year" else "id") for c in on_cols],
            *REFERENCE_CONTRACT.columns,
        ),
        key=on_cols,
    )
    checked = contract.validate(right, row_checks=_significance_without_reference)
    right = checked.lf(right)
    if "significance" in checked.columns:
        significance = (
            _normalised(pl.col("significance"))
            .replace_strict(_LABELS, default=None, return_dtype=pl.String)
            .cast(SIGNIFICANCE_ENUM)
        )
    else:
        significance = pl.lit(None, dtype=SIGNIFICANCE_ENUM)
    right = right.select(
        *[
            checked.school_year(c).alias(c)
            if c in checked.school_years
            else pl.col(c).cast(left_schema[c])
            for c in on_cols
        ],
        pl.col("reference").cast(pl.Float64).fill_nan(None),
        significance.alias("significance"),
    )
    if "school_year" in on_cols:
        # Output school years are canonical, so "2017/2018" meets "2017/18".
        left = left.with_columns(school_year_expr("school_year").alias("school_year"))
    difference = pl.col(value).cast(pl.Float64) - pl.col("reference")
    stars = pl.when(pl.col("significance").is_in(["above", "below"])).then(pl.lit("*"))
    result = (
        left.join(right, on=list(on_cols), how="left", maintain_order="left")
        .with_columns(difference.alias("difference"))
        .with_columns(
            (danish_number(pl.col("difference"), decimals) + stars.otherwise(pl.lit(""))).alias(
                "marker"
            )
        )
    )
    return like_input(averages, result)
