"""Complementary suppression and the attacker's audit over linked additive tables.

The general machinery behind :mod:`folkeskolekvalitet.disclosure`, kept here (below the
families) so a family can use it without importing upward. It knows nothing of
indicators: it works on two plain frames with generic column names.

``cells`` — one row per cell:

- ``_cell`` (Int64): the cell's id;
- ``_hidden`` (Boolean): the cell's value is withheld;
- ``_total`` (Float64): the published total of the cell (a count or a sum of pupil values);
  null when the reader does not know it (a withheld cell, or a cell without a size);
- ``_lo``, ``_hi`` (Float64): what the reader knows the total must lie between (``0`` and
  ``n`` for a count); ``-inf`` / ``inf`` when unbounded;
- ``_fixed`` (Boolean): the cell can never be withheld (a whole that is public anyway);
- ``_order`` (Int64): preference as a complement, smallest first (the smallest group).

``incidence`` — the relations, one row per member: ``_rel`` (Int64), ``_cell``, ``_coef``
(Int64). Relation ``r`` says ``sum(_coef * total) == 0`` over its members (a parent has
coefficient -1 and its children +1).

The reader (the attacker) knows every published total, the bounds, and the relations. A
withheld cell is **exposed** when

- ``linear``: its total is a linear combination of the published ones: its unit vector lies
  in the row space of the relation matrix restricted to the unknown cells. This is decided
  exactly: relations with a member that appears nowhere else are peeled off (such a member
  can absorb its relation), and the small core left is brought to reduced row echelon form
  with exact fractions;
- ``bound``: the bounds, propagated through the relations (interval constraint propagation,
  what a careful reader does with a spreadsheet), leave it a single possible total — e.g. the
  withheld part of a parent is 0, or equals its pupils.

:func:`complement` adds withheld cells, one per exposed group of linked unknown cells and
round, until nothing is exposed: for an exposed cell, the published, not fixed member with the
smallest ``_order`` of its relation with the fewest unknown cells (for a bound exposure, one
whose total lies strictly inside its bounds first). The choice is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

import polars as pl

__all__ = ["Exposure", "System", "complement", "exposures"]

_MAX_PASSES = 100
_REL_TOL = 1e-7

#: (cell, method, relation ids through which it is exposed)
Exposure = tuple[int, str, tuple[int, ...]]

Number = int | Fraction


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _REL_TOL * max(1.0, abs(a), abs(b))


def _peel(rows: dict[int, dict[int, int]]) -> tuple[set[int], list[tuple[int, int]]]:
    """Peel off relations with a member that appears in no other relation.

    Such a member can absorb its relation: the relation says nothing about the others, and
    the member is determined exactly when all the others are. Returns the relations left
    (the core) and the peeled (relation, member) pairs in peeling order.
    """
    rels_of: dict[int, set[int]] = {}
    for rel, row in rows.items():
        for v in row:
            rels_of.setdefault(v, set()).add(rel)
    active = set(rows)
    peeled: list[tuple[int, int]] = []
    queue = sorted(v for v, rs in rels_of.items() if len(rs) == 1)
    while queue:
        v = queue.pop()
        if len(rels_of[v]) != 1:
            continue
        (rel,) = rels_of[v]
        active.discard(rel)
        peeled.append((rel, v))
        for u in rows[rel]:
            rels_of[u].discard(rel)
            if len(rels_of[u]) == 1:
                queue.append(u)
    return active, peeled


def _eliminate(rows: dict[int, dict[int, int]], active: set[int]) -> set[int]:
    """Cells whose unit vector lies in the row space of the ``active`` relations (exact RREF)."""
    pivots: dict[int, dict[int, Number]] = {}
    for rel in sorted(active):
        row: dict[int, Number] = dict(rows[rel])
        for v in [v for v in row if v in pivots]:
            factor = row.get(v, 0)
            if factor:
                for u, a in pivots[v].items():
                    row[u] = row.get(u, 0) - factor * a
                row = {u: a for u, a in row.items() if a}
        if not row:
            continue
        p = min(row, key=lambda u: (abs(row[u]) != 1, u))
        head = row[p]
        normed: dict[int, Number] = {
            u: (a if head == 1 else (-a if head == -1 else Fraction(a) / head))
            for u, a in row.items()
        }
        for q, other in pivots.items():
            factor = other.get(p, 0)
            if factor:
                for u, a in normed.items():
                    other[u] = other.get(u, 0) - factor * a
                pivots[q] = {u: a for u, a in other.items() if a}
        pivots[p] = normed
    return {v for v, r in pivots.items() if len(r) == 1}


class System:
    """The relations around the unknown cells, loaded from the frames as needed.

    Only relations with an unknown member are read into Python; withholding a further
    cell loads that cell's relations. Everything else stays in Polars.
    """

    def __init__(self, cells: pl.DataFrame, incidence: pl.DataFrame) -> None:
        self._incidence = incidence.select(
            pl.col("_rel").cast(pl.Int64), pl.col("_cell").cast(pl.Int64), pl.col("_coef")
        ).join(
            cells.select(
                pl.col("_cell").cast(pl.Int64),
                "_total",
                "_lo",
                "_hi",
                "_fixed",
                "_order",
                "_hidden",
            ),
            on="_cell",
            how="inner",
        )
        self.members: dict[int, list[tuple[int, int]]] = {}
        self.rels_of: dict[int, list[int]] = {}
        self.total: dict[int, float | None] = {}
        self.lo: dict[int, float] = {}
        self.hi: dict[int, float] = {}
        self.fixed: dict[int, bool] = {}
        self.order: dict[int, int] = {}
        self.hidden: set[int] = set()
        start = cells.filter(pl.col("_hidden") | pl.col("_total").is_null())
        self.hidden = set(cells.filter(pl.col("_hidden"))["_cell"].to_list())
        self.unknown: set[int] = set(start["_cell"].to_list())
        self._load(self.unknown)

    def _load(self, new_cells: Iterable[int]) -> None:
        """Read the relations of ``new_cells`` (and their members) not read yet."""
        ids = sorted({c for c in new_cells if c not in self.rels_of})
        if not ids:
            return
        own = self._incidence.filter(pl.col("_cell").is_in(ids)).select("_rel", "_cell")
        for c in ids:
            self.rels_of[c] = []
        for rel, cell in own.sort("_cell", "_rel").iter_rows():
            self.rels_of[cell].append(rel)
        rels = own.select("_rel").unique().filter(~pl.col("_rel").is_in(list(self.members)))
        if rels.height == 0:
            return
        rows = self._incidence.join(rels, on="_rel", how="semi").sort("_rel", "_cell")
        for rel, cell, coef, total, lo, hi, fixed, order, _ in rows.iter_rows():
            self.members.setdefault(rel, []).append((cell, coef))
            self.total[cell] = total
            self.lo[cell] = lo
            self.hi[cell] = hi
            self.fixed[cell] = fixed
            self.order[cell] = order

    def withhold(self, cells: Iterable[int]) -> None:
        """Withhold further cells."""
        cells = list(cells)
        self.hidden.update(cells)
        self.unknown.update(cells)
        # Cells known so far only as members: make sure all their relations are read.
        for c in cells:
            self.rels_of.pop(c, None)
        self._load(cells)

    # -- the attacker -------------------------------------------------------------------

    def _equations(self) -> list[tuple[int, list[tuple[int, int]], float]]:
        """(relation, unknown terms, right-hand side) of every relation with an unknown."""
        out = []
        for rel in sorted(self.members):
            terms = []
            rhs = 0.0
            for cell, coef in self.members[rel]:
                if cell in self.unknown:
                    terms.append((cell, coef))
                else:
                    total = self.total[cell]
                    rhs -= coef * (total if total is not None else math.nan)
            if terms:
                out.append((rel, terms, rhs))
        return out

    def _linear(self, equations: list[tuple[int, list[tuple[int, int]], float]]) -> set[int]:
        """The unknown cells whose total the relations determine exactly."""
        rows: dict[int, dict[int, int]] = {rel: dict(terms) for rel, terms, _ in equations}
        active, peeled = _peel(rows)
        determined = _eliminate(rows, active)
        for rel, v in reversed(peeled):
            if all(u in determined for u in rows[rel] if u != v):
                determined.add(v)
        return determined

    def _bounds(self, equations: list[tuple[int, list[tuple[int, int]], float]]) -> dict[int, int]:
        """Unknown cells that the bounds force to one total, with the relation that did it."""
        lo = {v: self.lo[v] for _, terms, _ in equations for v, _ in terms}
        hi = {v: self.hi[v] for v in lo}
        start_point = {v for v in lo if _close(lo[v], hi[v])}
        forced_by: dict[int, int] = {}
        usable = [(r, t, rhs) for r, t, rhs in equations if not math.isnan(rhs)]
        for _ in range(_MAX_PASSES):
            changed = False
            for rel, terms, rhs in usable:
                low = [a * lo[v] if a > 0 else a * hi[v] for v, a in terms]
                high = [a * hi[v] if a > 0 else a * lo[v] for v, a in terms]
                low_fin = sum(x for x in low if math.isfinite(x))
                high_fin = sum(x for x in high if math.isfinite(x))
                low_inf = sum(1 for x in low if not math.isfinite(x))
                high_inf = sum(1 for x in high if not math.isfinite(x))
                for (v, a), lv, hv in zip(terms, low, high, strict=True):
                    others_low_inf = low_inf - (0 if math.isfinite(lv) else 1)
                    others_high_inf = high_inf - (0 if math.isfinite(hv) else 1)
                    # a*x = rhs - sum(others): between rhs - others_high and rhs - others_low
                    ax_lo = (
                        rhs - (high_fin - (hv if math.isfinite(hv) else 0.0))
                        if others_high_inf == 0
                        else -math.inf
                    )
                    ax_hi = (
                        rhs - (low_fin - (lv if math.isfinite(lv) else 0.0))
                        if others_low_inf == 0
                        else math.inf
                    )
                    new_lo, new_hi = (ax_lo / a, ax_hi / a) if a > 0 else (ax_hi / a, ax_lo / a)
                    if new_lo > lo[v] and not _close(new_lo, lo[v]):
                        lo[v] = new_lo
                        changed = True
                        if _close(lo[v], hi[v]):
                            forced_by.setdefault(v, rel)
                    if new_hi < hi[v] and not _close(new_hi, hi[v]):
                        hi[v] = new_hi
                        changed = True
                        if _close(lo[v], hi[v]):
                            forced_by.setdefault(v, rel)
            if not changed:
                break
        out = {}
        for v, lo_v in lo.items():
            if v in start_point or not (math.isfinite(lo_v) and math.isfinite(hi[v])):
                continue
            if _close(lo_v, hi[v]) or hi[v] < lo_v:
                out[v] = forced_by.get(v, min(self.rels_of.get(v) or [-1]))
        return out

    def exposures(self) -> list[Exposure]:
        """Every withheld cell the reader can work out, sorted by cell."""
        equations = self._equations()
        linear = self._linear(equations)
        out: dict[int, Exposure] = {}
        for v in sorted(linear & self.hidden):
            out[v] = (v, "linear", tuple(sorted(self.rels_of.get(v, []))))
        for v, rel in sorted(self._bounds(equations).items()):
            if v in self.hidden and v not in out:
                out[v] = (v, "bound", (rel,))
        return [out[v] for v in sorted(out)]

    # -- the defender -------------------------------------------------------------------

    def _components(self) -> dict[int, int]:
        """Component (smallest cell id) of every unknown cell, linked through relations."""
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(x, x) != root:
                parent[x], x = root, parent[x]
            return root

        for rel in self.members:
            unknown = [c for c, _ in self.members[rel] if c in self.unknown]
            for c in unknown[1:]:
                a, b = find(unknown[0]), find(c)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        return {c: find(c) for c in self.unknown}

    def _candidates(self, rel: int, *, inside: bool) -> list[int]:
        out = []
        for cell, _ in self.members[rel]:
            if cell in self.unknown or self.fixed.get(cell, True):
                continue
            total = self.total[cell]
            if total is None:
                continue
            if inside and not (
                self.lo[cell] < total < self.hi[cell]
                and not _close(total, self.lo[cell])
                and not _close(total, self.hi[cell])
            ):
                continue
            out.append(cell)
        return sorted(out, key=lambda c: (self.order[c], c))

    def choose(self, exposure: Exposure, component: Iterable[int]) -> int | None:
        """The complement that protects ``exposure``: see the module docstring."""
        cell, method, _ = exposure

        def unknown_count(rel: int) -> int:
            return sum(1 for c, _ in self.members[rel] if c in self.unknown)

        own = sorted(self.rels_of.get(cell, []), key=lambda r: (unknown_count(r), r))
        wider = sorted(
            {r for c in component for r in self.rels_of.get(c, [])} - set(own),
            key=lambda r: (unknown_count(r), r),
        )
        passes = (True, False) if method == "bound" else (False,)
        for inside in passes:
            for rel in [*own, *wider]:
                found = self._candidates(rel, inside=inside)
                if found:
                    return found[0]
        return None


def exposures(cells: pl.DataFrame, incidence: pl.DataFrame) -> list[Exposure]:
    """Every withheld cell of ``cells`` the reader can work out (see the module docstring)."""
    return System(cells, incidence).exposures()


def complement(cells: pl.DataFrame, incidence: pl.DataFrame) -> tuple[list[int], list[Exposure]]:
    """The cells to withhold besides the withheld ones so that nothing is exposed.

    Returns the complementary cells (sorted) and what stays exposed because no cell could be
    added (empty unless every candidate is fixed).
    """
    system = System(cells, incidence)
    added: list[int] = []
    while True:
        found = system.exposures()
        if not found:
            return sorted(added), []
        components = system._components()
        members: dict[int, list[int]] = {}
        for c, root in components.items():
            members.setdefault(root, []).append(c)
        chosen: set[int] = set()
        done: set[int] = set()
        for exposure in found:
            root = components.get(exposure[0], exposure[0])
            if root in done:
                continue
            pick = system.choose(exposure, members.get(root, [exposure[0]]))
            if pick is not None:
                chosen.add(pick)
                done.add(root)
        if not chosen:
            return sorted(added), found
        added.extend(sorted(chosen))
        system.withhold(sorted(chosen))
