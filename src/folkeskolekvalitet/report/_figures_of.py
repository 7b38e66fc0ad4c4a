"""Which figures a report has.

Per family a trend, the schools against the municipality and the country, and the
distributions (well-being intervals, statuses after 9. klasse, the national goal of the
national tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from folkeskolekvalitet.report._labels import FAMILY_LABELS
from folkeskolekvalitet.report.figures import (
    Figure,
    distribution_figure,
    national_test_figure,
    schools_figure,
    trend_figure,
)
from folkeskolekvalitet.transitions.catalogue import APPLICATIONS, STATUSES
from folkeskolekvalitet.wellbeing.questions import INDICATORS as WB_INDICATORS

if TYPE_CHECKING:
    from folkeskolekvalitet.report.model import Report

__all__ = ["category_labels", "figures_of"]

#: Indicators shown in the Excel datapakke only (too many categories for a page).
EXCEL_ONLY = ("wellbeing.question_top2",)

_INTERVALS = {"[1,2]": "1–2", "(2,3]": "2–3", "(3,4]": "3–4", "(4,5]": "4–5"}


def category_labels() -> dict[str, str]:
    """Danish labels of the category values (statuses, applications, trivsel intervals)."""
    labels = {s.key: s.label for s in STATUSES}
    labels.update({a.key: a.label for a in APPLICATIONS})
    for ind in WB_INDICATORS:
        for code, text in _INTERVALS.items():
            labels[f"{ind.key}:{code}"] = f"{ind.label}: {text}"
    return labels


def _series(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.concat_str(
            pl.col("label"),
            pl.when(pl.col("subject").is_not_null())
            .then(pl.lit(", ") + pl.col("subject"))
            .otherwise(pl.lit("")),
            pl.when(pl.col("grade_level").is_not_null())
            .then(pl.format(", {}. kl.", pl.col("grade_level")))
            .otherwise(pl.lit("")),
        ).alias("series")
    )


def figures_of(report: Report) -> list[Figure]:
    """Build the figures of a report (Altair charts; nothing is rendered yet)."""
    out: list[Figure] = []
    cells = report.cells
    latest = report.years[-1] if report.years else None
    for family in report.families:
        title = FAMILY_LABELS[family]
        if family == "national_tests":
            if report.publication is not None and report.publication.height:
                view = (
                    report.publication.filter(pl.col("institution_id").is_not_null())
                    if "institution_id" in report.publication.columns
                    else report.publication
                )
                if view.height:
                    out.append(
                        national_test_figure(
                            view,
                            key="national_tests-goal",
                            title="Skoler, der når det nationale mål om mindst 80 % gode læsere"
                            " og regnere (kun målopfyldelse offentliggøres, § 55 b)",
                        )
                    )
            continue
        fam = cells.filter(pl.col("family") == family, ~pl.col("indicator").is_in(EXCEL_ONLY))
        plain = _series(fam.filter(~pl.col("distribution")))
        # one panel per indicator: its total where it has one (competence: all subjects)
        has_total = pl.col("subject").is_null().any().over("indicator")
        trend = plain.filter(
            pl.col("unit_level") != "school",
            pl.col("category").is_null(),
            pl.col("subject").is_null() | ~has_total,
        )
        if trend.filter(pl.col("value").is_not_null()).height:
            out.append(
                trend_figure(
                    trend,
                    key=f"{family}-trend",
                    family=family,
                    title=f"{title}: udviklingen i kommunen og på landsplan, med 95 %-intervaller",
                )
            )
        if latest is not None:
            school_rows = plain.filter(
                pl.col("school_year") == latest,
                pl.col("unit_level") == "school",
                pl.col("value").is_not_null(),
                pl.col("category").is_null(),
            )
            if school_rows.height:
                first = school_rows.sort("indicator", "series").row(0, named=True)
                series = first["series"]
                rows = plain.filter(
                    pl.col("school_year") == latest,
                    pl.col("series") == series,
                    pl.col("category").is_null(),
                )
                out.append(
                    schools_figure(
                        rows,
                        key=f"{family}-schools",
                        family=family,
                        title=f"{series} {latest}: skolerne med 95 %-intervaller,"
                        " kommunen og landet",
                    )
                )
            dist = fam.filter(pl.col("distribution"), pl.col("school_year") == latest)
            if family == "wellbeing":
                dist = dist.filter(pl.col("category").str.starts_with("general:"))
            labels = category_labels()
            for key in dist["indicator"].unique(maintain_order=True).sort().to_list():
                rows = dist.filter(pl.col("indicator") == key).with_columns(
                    pl.col("category")
                    .replace_strict(labels, default=pl.col("category"), return_dtype=pl.String)
                    .alias("category_label")
                )
                if not rows.filter(pl.col("value").is_not_null()).height:
                    continue
                order = [
                    labels.get(c, c) for c in rows["category"].unique(maintain_order=True).to_list()
                ]
                label = rows["label"][0]
                out.append(
                    distribution_figure(
                        rows.sort("unit_level", "unit_name"),
                        key=f"{key.replace('.', '-')}-distribution",
                        family=family,
                        title=f"{label} {latest}",
                        order=order,
                    )
                )
    return out
