"""A plain-Python reader of an indicator table: the relations, and what they determine exactly.

Written from the issue text without the library's code: dense Gaussian elimination with
fractions over every relation at once (no peeling, no lazy loading).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import polars as pl

from folkeskolekvalitet.indicators import CATALOGUE

MEMBER = ("ok", "suppressed", "suppressed_complementary")
PART = ("school_year", "indicator", "subject", "grade_level", "category")


def relations(table: pl.DataFrame) -> list[dict[int, int]]:
    """Every relation as {row index: coefficient}; a whole's (known) pupils are left out."""
    rows = [(i, r) for i, r in enumerate(table.iter_rows(named=True)) if r["status"] in MEMBER]
    index: dict[tuple[Any, ...], int] = {}
    for i, r in rows:
        index[(r["unit_level"], r["unit_id"], *(r[c] for c in PART))] = i
    out: dict[tuple[Any, ...], dict[int, int]] = {}
    for i, r in rows:
        part = tuple(r[c] for c in PART)
        if r["unit_level"] == "school":
            parent = index.get(("municipality", r["municipality_code"], *part))
            if parent is None:
                parent = index.get(("country", "DK", *part))
        elif r["unit_level"] == "municipality":
            parent = index.get(("country", "DK", *part))
        else:
            parent = None
        if parent is not None:
            rel = out.setdefault(("h", parent), {parent: -1})
            rel[i] = 1
        for k, column in enumerate(PART):
            if column in {"school_year", "indicator"} or r[column] is None:
                continue
            other = list(part)
            other[k] = None
            total = index.get((r["unit_level"], r["unit_id"], *other))
            if total is not None:
                rel = out.setdefault(("b", column, total), {total: -1})
                rel[i] = 1
        ind = CATALOGUE.get(r["indicator"])
        if ind is not None and ind.is_distribution and r["category"] is not None:
            group = r["category"].rsplit(":", 1)[0] if ":" in r["category"] else ""
            key = ("w", r["unit_level"], r["unit_id"], *part[:-1], group)
            out.setdefault(key, {})[i] = 1
    n = table["n"].to_list()

    def complete(rel: dict[int, int]) -> bool:
        sizes = [n[i] for i in rel]
        return None in sizes or sum(a * n[i] for i, a in rel.items()) == 0

    return [
        rel
        for key, rel in out.items()
        if (key[0] == "w" and len(rel) >= 2) or (key[0] != "w" and complete(rel))
    ]


def linear_exposed(table: pl.DataFrame) -> list[int]:
    """Rows withheld whose numerator the published rows determine exactly."""
    status = table["status"].cast(pl.String).to_list()
    unknown = [i for i, s in enumerate(status) if s in ("suppressed", "suppressed_complementary")]
    if not unknown:
        return []
    col = {v: j for j, v in enumerate(unknown)}
    matrix = []
    for rel in relations(table):
        row = [Fraction(0)] * len(unknown)
        for i, a in rel.items():
            if i in col:
                row[col[i]] = Fraction(a)
        if any(row):
            matrix.append(row)
    # reduced row echelon form
    pivots: list[int] = []
    r = 0
    for j in range(len(unknown)):
        pivot = next((k for k in range(r, len(matrix)) if matrix[k][j] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        head = matrix[r][j]
        matrix[r] = [x / head for x in matrix[r]]
        for k in range(len(matrix)):
            if k != r and matrix[k][j] != 0:
                f = matrix[k][j]
                matrix[k] = [a - f * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        pivots.append(j)
        r += 1
    return [unknown[j] for k, j in enumerate(pivots) if sum(1 for x in matrix[k] if x != 0) == 1]
