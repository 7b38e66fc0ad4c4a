"""The :class:`Report`: everything the quality report shows, computed once, written twice."""

from __future__ import annotations

import pathlib
from collections.abc import Mapping

import attrs
import polars as pl

from folkeskolekvalitet.indicators import CATALOGUE
from folkeskolekvalitet.report._cells import cells as _cells
from folkeskolekvalitet.report._figures_of import figures_of
from folkeskolekvalitet.report._labels import FAMILY_ORDER
from folkeskolekvalitet.report.excel import write_xlsx
from folkeskolekvalitet.report.figures import Figure, names_of
from folkeskolekvalitet.report.html import write_html

__all__ = ["Provenance", "Report"]


@attrs.frozen
class Provenance:
    """Where the report's numbers come from.

    Attributes
    ----------
    version
        The folkeskolekvalitet version that computed them.
    created
        The date the report was made (ISO, ``"2026-12-02"``).
    data_files
        The input files read (names), or a description such as ``"syntetiske data"``.
    catalogues
        The catalogues the numbers rest on, by name, with their version.
    """

    version: str
    created: str
    data_files: tuple[str, ...] = ()
    catalogues: Mapping[str, str] = attrs.field(factory=dict)


@attrs.define
class Report:
    """A quality report (kvalitetsrapport) of one municipality and its schools.

    Made by :func:`folkeskolekvalitet.report.build`; write it with :meth:`to_html` and
    :meth:`to_xlsx`, or reuse its parts (:attr:`table`, :attr:`change`, :attr:`compare`,
    :attr:`goals`, :attr:`publication`, :attr:`figures`) in a report of your own.

    Attributes
    ----------
    table
        The indicator table the report shows, after disclosure control: the
        municipality's schools, the municipality and the country over :attr:`years`.
        It holds no national test row of a school or a municipality (folkeskoleloven
        § 55 b): those are in :attr:`publication` as goal met and direction only.
    municipality, municipality_name
        The municipality's code and name.
    schools
        The schools' institution numbers, in the report's order.
    years
        The school years shown.
    change
        :func:`folkeskolekvalitet.indicators.change` of :attr:`table` (or None).
    compare
        :func:`folkeskolekvalitet.indicators.compare` of :attr:`table` against the
        municipality and the country, with a column ``against`` (or None).
    goals
        The goal verdicts of :func:`folkeskolekvalitet.goals.evaluate` (or None).
    publication
        The national tests' publication view
        (:func:`folkeskolekvalitet.national_tests.publication_view`) of the schools and
        the municipality (or None).
    names
        Names of schools and municipalities by id.
    provenance
        Library and catalogue versions, input files, date.
    suppressed
        Whether disclosure control was applied (always, unless asked not to).
    """

    table: pl.DataFrame
    municipality: str
    municipality_name: str
    schools: tuple[str, ...]
    years: tuple[str, ...]
    change: pl.DataFrame | None = None
    compare: pl.DataFrame | None = None
    goals: pl.DataFrame | None = None
    publication: pl.DataFrame | None = None
    names: Mapping[str, str] = attrs.field(factory=dict)
    provenance: Provenance = attrs.field(factory=lambda: Provenance("0", ""))
    suppressed: bool = True
    _cells: pl.DataFrame | None = attrs.field(default=None, init=False, repr=False)
    _figures: tuple[Figure, ...] | None = attrs.field(default=None, init=False, repr=False)

    @property
    def cells(self) -> pl.DataFrame:
        """:attr:`table` with Danish value texts, intervals and significance marks."""
        if self._cells is None:
            self._cells = names_of(_cells(self.table, self.change, self.compare), self.names)
        return self._cells

    @property
    def families(self) -> tuple[str, ...]:
        """The families the report has numbers for, in the report's order."""
        present = set(self.cells["family"].unique().to_list())
        if self.publication is not None:
            present.add("national_tests")
        return tuple(f for f in FAMILY_ORDER if f in present)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The figures (:class:`~folkeskolekvalitet.report.figures.Figure`), built once."""
        if self._figures is None:
            self._figures = tuple(figures_of(self))
        return self._figures

    def to_html(self, path: str | pathlib.Path) -> pathlib.Path:
        """Write the report as one self-contained HTML file that works offline."""
        return write_html(self, path)

    def to_xlsx(self, path: str | pathlib.Path) -> pathlib.Path:
        """Write the datapakke: one sheet per family, the publication view, explanations."""
        return write_xlsx(self, path)

    def summary(self) -> str:
        """A short terminal summary: the municipality's latest numbers and the goals."""
        years = self.years
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(years)
        lines = [
            f"Kvalitetsrapport {self.municipality_name} ({self.municipality}), {span}:"
            f" {len(self.schools)} skoler"
        ]
        if years:
            latest = years[-1]
            cells = self.cells.filter(
                pl.col("school_year") == latest,
                ~pl.col("distribution"),
                pl.col("category").is_null(),
                pl.col("subject").is_null(),
                pl.col("grade_level").is_null(),
            )
            mun = cells.filter(pl.col("unit_level") == "municipality")
            country = dict(
                cells.filter(pl.col("unit_level") == "country")
                .select("indicator", "value_text")
                .iter_rows()
            )
            lines.append(f"Kommunen {latest} (landsplan i parentes):")
            order = {f: i for i, f in enumerate(FAMILY_ORDER)}
            keys = {k: i for i, k in enumerate(CATALOGUE)}
            rows = sorted(
                mun.iter_rows(named=True),
                key=lambda r: (order.get(r["family"], 99), keys.get(r["indicator"], 999)),
            )
            for row in rows:
                ref = country.get(row["indicator"])
                tail = f" ({ref})" if ref else ""
                lines.append(f"  {row['label']}: {row['value_text']}{tail}")
        if self.goals is not None and self.goals.height and years:
            mine = self.goals.filter(
                pl.col("unit_level").cast(pl.String) == "municipality",
                pl.col("school_year") == years[-1],
            )
            counts = dict(mine.group_by(pl.col("verdict").cast(pl.String)).len().iter_rows())
            lines.append(
                f"Målene for kommunen {years[-1]}: {counts.get('met', 0)} opfyldt,"
                f" {counts.get('not_met', 0)} ikke opfyldt,"
                f" {counts.get('not_evaluable', 0)} kan ikke vurderes"
            )
        n_hidden = self.table.filter(
            pl.col("status").cast(pl.String).str.starts_with("suppressed")
        ).height
        lines.append(
            f"Diskretioneret: {n_hidden} tal"
            if self.suppressed
            else "UDEN diskretionering: må ikke offentliggøres"
        )
        return "\n".join(lines)
