"""Sphinx directive that renders a library catalogue as a table, with its sources.

Usage::

    .. catalogue-table:: folkeskolekvalitet.exams.BOUND_EXAMS
       :columns: key, label, subject, first_year, last_year, source

Each column is an attribute of the catalogue entries; ``source`` values that are
URLs become links. The table is built from the code, so the docs cannot drift
from what the library computes with.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _resolve(path: str) -> Any:
    module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _cell(value: Any) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        para += nodes.reference(value, value, refuri=value)
    elif isinstance(value, bool):
        para += nodes.Text("yes" if value else "no")
    elif value is None:
        para += nodes.Text("–")
    elif isinstance(value, tuple | list | frozenset | set):
        para += nodes.Text(", ".join(str(v) for v in value) or "–")
    else:
        para += nodes.Text(str(value))
    entry += para
    return entry


class CatalogueTable(SphinxDirective):
    """Render the entries of a catalogue (a tuple of attrs objects) as a table."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "columns": directives.unchanged_required,
        "headers": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        entries = _resolve(self.arguments[0])
        if isinstance(entries, Mapping):
            entries = list(entries.values())
        columns = [c.strip() for c in self.options["columns"].split(",")]
        headers = [h.strip() for h in self.options.get("headers", "").split(",") if h.strip()]
        headers = headers or columns
        table = nodes.table(classes=["catalogue-table"])
        group = nodes.tgroup(cols=len(columns))
        table += group
        for _ in columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        row = nodes.row()
        for h in headers:
            row += _cell(h)
        head += row
        group += head
        body = nodes.tbody()
        for item in entries:
            row = nodes.row()
            for c in columns:
                row += _cell(getattr(item, c))
            body += row
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("catalogue-table", CatalogueTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
