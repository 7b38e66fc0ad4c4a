"""Write a small Sphinx inventory for the Polars objects the docs link to.

The build machines cannot reach docs.pola.rs, so intersphinx reads this local
inventory instead of downloading Polars' own; the links still point to the
public Polars documentation. Run ``python docs/_inventories/make_polars_inventory.py``
after adding a Polars object the docs refer to.
"""

from __future__ import annotations

import pathlib
import zlib

OBJECTS = [
    ("polars.DataFrame", "py:class", "reference/dataframe/index.html"),
    ("polars.LazyFrame", "py:class", "reference/lazyframe/index.html"),
    ("polars.Expr", "py:class", "reference/expressions/index.html"),
    ("polars.Series", "py:class", "reference/series/index.html"),
    ("polars.Enum", "py:class", "reference/api/polars.datatypes.Enum.html"),
    ("polars.DataType", "py:class", "reference/datatypes.html"),
    ("polars.Schema", "py:class", "reference/schema/index.html"),
    ("polars.Struct", "py:class", "reference/api/polars.datatypes.Struct.html"),
    ("polars.List", "py:class", "reference/api/polars.datatypes.List.html"),
    ("polars.datatypes.classes.Struct", "py:class", "reference/api/polars.datatypes.Struct.html"),
    ("polars.dataframe.frame.DataFrame", "py:class", "reference/dataframe/index.html"),
    ("polars.lazyframe.frame.LazyFrame", "py:class", "reference/lazyframe/index.html"),
    ("polars.expr.expr.Expr", "py:class", "reference/expressions/index.html"),
    ("polars.series.series.Series", "py:class", "reference/series/index.html"),
    ("polars.datatypes.classes.Enum", "py:class", "reference/api/polars.datatypes.Enum.html"),
    ("polars.datatypes.classes.DataType", "py:class", "reference/datatypes.html"),
    ("polars.schema.Schema", "py:class", "reference/schema/index.html"),
    (
        "polars.testing.parametric.dataframes",
        "py:function",
        "reference/api/polars.testing.parametric.dataframes.html",
    ),
    (
        "polars.testing.assert_frame_equal",
        "py:function",
        "reference/api/polars.testing.assert_frame_equal.html",
    ),
]


def main() -> None:
    header = (
        b"# Sphinx inventory version 2\n"
        b"# Project: Polars\n"
        b"# Version: 2\n"
        b"# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in OBJECTS).encode()
    out = pathlib.Path(__file__).with_name("polars.inv")
    out.write_bytes(header + zlib.compress(body))


if __name__ == "__main__":
    main()
