"""The quality report (kvalitetsrapport): an offline HTML report and an Excel datapakke.

:func:`build` makes a :class:`Report` of one municipality from an indicator table: per
school, for the municipality and the country, each indicator over the years with its
interval, the change from last year and the differences to the municipality and the
country (marked only where significant), the goals and whether they were met, the national
tests' publication view and comparability notes. :meth:`Report.to_html` writes one
self-contained HTML file (styles and figures inline: it works offline);
:meth:`Report.to_xlsx` the datapakke for the school development talks. The figures are
Altair charts (:class:`Figure`), rendered offline to SVG.

Needs the ``report`` extra: ``python -m pip install ".[report]"``.
"""

from folkeskolekvalitet.report.build import build
from folkeskolekvalitet.report.data import read_data
from folkeskolekvalitet.report.excel import DATAPAKKE_COLUMNS, FAMILY_SHEETS, read_xlsx
from folkeskolekvalitet.report.figures import Figure
from folkeskolekvalitet.report.model import Provenance, Report

__all__ = [
    "DATAPAKKE_COLUMNS",
    "FAMILY_SHEETS",
    "Figure",
    "Provenance",
    "Report",
    "build",
    "read_data",
    "read_xlsx",
]
