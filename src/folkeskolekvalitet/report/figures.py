"""The report's figures: Altair charts, rendered offline to inline SVG.

Each figure is a :class:`Figure` holding an Altair chart (reuse it, restyle it, save it)
and renders to SVG with ``vl-convert`` (the Vega engine bundled in the wheel: no network,
no fonts fetched, no external reference in the SVG). Shares and rates are drawn in
percent, numbers with a Danish decimal comma.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl

from folkeskolekvalitet.national_tests import SUBJECTS as NT_SUBJECTS
from folkeskolekvalitet.report._deps import require
from folkeskolekvalitet.report._labels import LEVEL_LABELS, NT_GOAL_LABELS

__all__ = [
    "Figure",
    "distribution_figure",
    "national_test_figure",
    "schools_figure",
    "trend_figure",
]

_PERCENT_UNITS = ("share", "rate")
_COLORS = ("#1f5f8b", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d35400", "#16a085")
_ID = re.compile(r'\bid="([^"]+)"')
_NT_SUBJECTS: dict[str, str] = {s.key: s.label for s in NT_SUBJECTS}


@attrs.define
class Figure:
    """One figure of the report.

    Attributes
    ----------
    key
        A short identifier, unique in the report (``"exams-trend"``).
    family
        The family section it belongs to.
    title
        The Danish caption.
    chart
        The Altair chart (``altair.TopLevelMixin``): show it in a notebook, change it,
        or save it with ``chart.save("figur.svg")``.

    Examples
    --------
    >>> import polars as pl
    >>> from folkeskolekvalitet.report.figures import trend_figure
    >>> rows = pl.DataFrame(
    ...     {
    ...         "school_year": ["2022/23", "2023/24"],
    ...         "unit_level": ["municipality", "municipality"],
    ...         "unit_name": ["Ballerup", "Ballerup"],
    ...         "series": ["Karaktergennemsnit", "Karaktergennemsnit"],
    ...         "unit": ["grade", "grade"],
    ...         "value": [7.1, 7.3],
    ...         "ci_low": [6.9, 7.1],
    ...         "ci_high": [7.3, 7.5],
    ...     }
    ... )
    >>> figure = trend_figure(rows, key="exams-trend", family="exams", title="Udvikling")
    >>> figure.to_svg().startswith("<svg")
    True
    """

    key: str
    family: str
    title: str
    chart: Any = attrs.field(repr=False)
    _svg: str | None = attrs.field(default=None, init=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The Vega-Lite specification of the chart."""
        spec: dict[str, Any] = self.chart.to_dict(validate=False)
        return spec

    def to_svg(self) -> str:
        """The chart as SVG text (rendered once, offline, with Danish number formats).

        Element ids are prefixed with the figure's key, so several figures can live inline
        in one HTML page.
        """
        if self._svg is None:
            vlc = require("vl_convert")
            svg: str = vlc.vegalite_to_svg(
                self.to_dict(), format_locale="da-DK", time_format_locale="da-DK"
            )
            prefix = re.sub(r"[^A-Za-z0-9_-]", "-", self.key) + "-"
            ids = set(_ID.findall(svg))
            for old in ids:
                svg = svg.replace(f'id="{old}"', f'id="{prefix}{old}"')
                svg = svg.replace(f"url(#{old})", f"url(#{prefix}{old})")
                svg = svg.replace(f'href="#{old}"', f'href="#{prefix}{old}"')
            self._svg = svg
        return self._svg


def _alt() -> Any:
    return require("altair")


def _percent(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """Scale shares and rates to percent for drawing."""
    pct = pl.col("unit").is_in(_PERCENT_UNITS)
    return frame.with_columns(
        pl.when(pct).then(pl.col(c) * 100).otherwise(pl.col(c)).alias(c)
        for c in columns
        if c in frame.columns
    )


def _data(frame: pl.DataFrame) -> Any:
    return _alt().Data(values=frame.to_dicts())


def _config(chart: Any) -> Any:
    return (
        chart.configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, grid=True, gridColor="#e5e5e5")
        .configure_legend(orient="bottom", labelFontSize=11, titleFontSize=11)
    )


def trend_figure(rows: pl.DataFrame, *, key: str, family: str, title: str) -> Figure:
    """Trends over the school years with 95 % interval bands, one panel per series.

    ``rows``: ``school_year``, ``unit_level``, ``unit_name``, ``series`` (the panel's
    title), ``unit`` (of the indicator), ``value``, ``ci_low``, ``ci_high``; missing values
    (suppressed) are left out of the drawing.
    """
    alt = _alt()
    data = _percent(rows.filter(pl.col("value").is_not_null()), ("value", "ci_low", "ci_high"))
    data = data.with_columns(
        pl.col("unit_level").cast(pl.String).replace(dict(LEVEL_LABELS)).alias("niveau"),
        pl.format(
            "{}{}",
            pl.col("series"),
            pl.when(pl.col("unit").is_in(_PERCENT_UNITS))
            .then(pl.lit(" (%)"))
            .otherwise(pl.lit("")),
        ).alias("series"),
    )
    x = alt.X("school_year:O", title="Skoleår", axis=alt.Axis(labelAngle=0))
    color = alt.Color("unit_name:N", title=None, scale=alt.Scale(range=list(_COLORS)))
    base = alt.Chart().encode(x=x, color=color)
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("ci_low:Q", title=None, scale=alt.Scale(zero=False)), y2="ci_high:Q"
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.1~f")),
        tooltip=["unit_name:N", "school_year:O", alt.Tooltip("value:Q", format=",.1f")],
    )
    n_series = data["series"].n_unique()
    chart = (
        alt.layer(band, line, data=_data(data))
        .properties(width=230, height=150)
        .facet(
            facet=alt.Facet(
                "series:N", title=None, header=alt.Header(labelFontSize=12, labelLimit=300)
            ),
            columns=min(2, max(n_series, 1)),
        )
        .resolve_scale(y="independent")
    )
    return Figure(key, family, title, _config(chart))


def schools_figure(rows: pl.DataFrame, *, key: str, family: str, title: str) -> Figure:
    """Each school's value with its interval against the municipality and the country.

    ``rows``: one indicator and year; ``unit_level``, ``unit_name``, ``unit``, ``value``,
    ``ci_low``, ``ci_high``. Schools are dots with interval bars; the municipality a
    dashed line, the country a dotted one.
    """
    alt = _alt()
    data = _percent(rows.filter(pl.col("value").is_not_null()), ("value", "ci_low", "ci_high"))
    schools = data.filter(pl.col("unit_level") == "school")
    refs = data.filter(pl.col("unit_level") != "school").with_columns(
        pl.col("unit_level").cast(pl.String).replace(dict(LEVEL_LABELS)).alias("niveau")
    )
    unit = rows["unit"][0] if rows.height else "grade"
    x_title = "%" if unit in _PERCENT_UNITS else "Værdi"
    y = alt.Y("unit_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=160))
    bars = (
        alt.Chart(_data(schools))
        .mark_rule(color="#1f5f8b", opacity=0.6)
        .encode(
            y=y, x=alt.X("ci_low:Q", title=x_title, scale=alt.Scale(zero=False)), x2="ci_high:Q"
        )
    )
    dots = (
        alt.Chart(_data(schools))
        .mark_point(filled=True, color="#1f5f8b", size=50)
        .encode(y=y, x="value:Q", tooltip=["unit_name:N", alt.Tooltip("value:Q", format=",.1f")])
    )
    lines = (
        alt.Chart(_data(refs))
        .mark_rule(size=2)
        .encode(
            x="value:Q",
            color=alt.Color(
                "niveau:N",
                title=None,
                scale=alt.Scale(domain=["Kommune", "Landsplan"], range=["#c0392b", "#7f8c8d"]),
            ),
            strokeDash=alt.StrokeDash(
                "niveau:N",
                title=None,
                scale=alt.Scale(domain=["Kommune", "Landsplan"], range=[[6, 3], [2, 2]]),
            ),
        )
    )
    height = max(60, 18 * max(schools.height, 1))
    chart = alt.layer(bars, dots, lines).properties(width=420, height=height)
    return Figure(key, family, title, _config(chart))


def distribution_figure(
    rows: pl.DataFrame, *, key: str, family: str, title: str, order: list[str] | None = None
) -> Figure:
    """Stacked shares of the categories of a distribution, one bar per unit.

    ``rows``: ``unit_name``, ``category_label``, ``value`` (a share); one year.
    """
    alt = _alt()
    data = rows.filter(pl.col("value").is_not_null()).with_columns(
        (pl.col("value") * 100).alias("procent")
    )
    cats = (
        order if order is not None else data["category_label"].unique(maintain_order=True).to_list()
    )
    height = max(60, 20 * max(data["unit_name"].n_unique(), 1))
    chart = (
        alt.Chart(_data(data))
        .mark_bar()
        .encode(
            y=alt.Y("unit_name:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("procent:Q", title="%", stack="zero", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "category_label:N",
                title=None,
                sort=cats,
                scale=alt.Scale(domain=cats, scheme="blues" if len(cats) <= 5 else "tableau10"),
            ),
            order=alt.Order("_order:Q"),
            tooltip=["unit_name:N", "category_label:N", alt.Tooltip("procent:Q", format=",.0f")],
        )
        .transform_calculate(_order=f"indexof({cats!r}, datum.category_label)")
        .properties(width=380, height=height)
    )
    return Figure(key, family, title, _config(chart))


def national_test_figure(
    view: pl.DataFrame, *, key: str, title: str, unit: str = "institution_id"
) -> Figure:
    """How many schools met the national goal (publication view only; no share).

    ``view``: rows of :func:`folkeskolekvalitet.national_tests.publication_view` at school
    level; the figure counts schools per year and test by ``goal_met`` of the good goal.
    """
    alt = _alt()
    verdict = (
        pl.when(pl.col("goal_met"))
        .then(pl.lit("Opfyldt"))
        .when(~pl.col("goal_met"))
        .then(pl.lit("Ikke opfyldt"))
        .otherwise(pl.lit("Oplyses ikke / kan ikke vurderes"))
    )
    data = (
        view.filter(pl.col("goal") == "good")
        .with_columns(
            verdict.alias("vurdering"),
            pl.format(
                "{} {}. kl.",
                pl.col("subject").cast(pl.String).replace(_NT_SUBJECTS),
                pl.col("grade_level"),
            ).alias("test"),
        )
        .group_by("school_year", "test", "vurdering")
        .agg(pl.col(unit).n_unique().alias("skoler"))
        .sort("school_year", "test")
    )
    domain = ["Opfyldt", "Ikke opfyldt", "Oplyses ikke / kan ikke vurderes"]
    chart = (
        alt.Chart(_data(data))
        .mark_bar()
        .encode(
            x=alt.X("school_year:O", title="Skoleår", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("skoler:Q", title="Skoler", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "vurdering:N",
                title=NT_GOAL_LABELS["good"],
                scale=alt.Scale(domain=domain, range=["#27ae60", "#c0392b", "#bdc3c7"]),
            ),
            tooltip=["test:N", "school_year:O", "vurdering:N", "skoler:Q"],
        )
        .properties(width=150, height=130)
        .facet(facet=alt.Facet("test:N", title=None), columns=3)
    )
    return Figure(key, "national_tests", title, _config(chart))


def names_of(rows: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """Add ``unit_name``: the school's or municipality's name, else its id; 'Landsplan' for DK."""
    return rows.with_columns(
        pl.when(pl.col("unit_level") == "country")
        .then(pl.lit("Landsplan"))
        .otherwise(
            pl.col("unit_id").replace_strict(
                dict(names), default=pl.col("unit_id"), return_dtype=pl.String
            )
        )
        .alias("unit_name")
    )
