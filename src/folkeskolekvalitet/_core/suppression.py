"""Complementary suppression and the attacker's audit over linked additive tables.

The general machinery behind :mod:`folkeskolekvalitet.disclosure` and the national tests'
publication view, kept here (below the families) so a family can use it without importing
upward. It knows nothing of indicators: it works on two plain frames with generic column
names.

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

:func:`complement` adds withheld cells round by round until nothing is exposed: for each
exposed component of linked unknown cells, one for its first exposure and one for each
further exposure none of whose relations holds a complement of this round; for an exposed
cell, the published, not fixed member with the smallest ``_order`` of its relation with the
fewest unknown cells (for a bound exposure, one whose total lies strictly inside its bounds
first). The choice is deterministic. The incidence is read into Python once; the unknown
cells are kept in components (union-find), and only a component that a complement joined is
asked again — a component's answer depends on its own relations alone — so a country x ten
years table takes seconds, not minutes.

``residual_below`` (for summaries that publish statements, not numbers, such as the
national tests' publication view) replaces this reader by the **residual** reader, which
looks at group sizes only (cells carry ``_size0``, ``_size1``, ... columns): for every
relation whose whole (coefficient -1) is published, the size of the whole not covered by
its parts — a withheld part counts with the sizes of its own published parts, recursively —
must be 0 or at least ``residual_below`` in every size column. A complement is then the
smallest published part of that relation, withheld together with everything below it (its
published parts would cover it again), or the whole when no part is published.
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
    """The relations around the unknown cells, read once into Python.

    The incidence is read once (one ``to_list`` per column, no per-round query); the
    unknown cells are kept in components linked through the relations (union-find), so
    the attacker's question is asked per component and, in :func:`complement`, again only
    of the components a new complement touched. Relations without an unknown member are
    never looked at unless a complement reaches them.
    """

    def __init__(
        self, cells: pl.DataFrame, incidence: pl.DataFrame, *, residual_below: int | None = None
    ) -> None:
        cells = cells.with_columns(pl.col("_cell").cast(pl.Int64))
        self.residual_below = residual_below
        inc = (
            incidence.select(
                pl.col("_rel").cast(pl.Int64), pl.col("_cell").cast(pl.Int64), pl.col("_coef")
            )
            .join(cells.select("_cell"), on="_cell", how="semi")
            .sort("_rel", "_cell")
        )
        rels, members, coefs = (inc[c].to_list() for c in ("_rel", "_cell", "_coef"))
        self.members: dict[int, list[tuple[int, int]]] = {}
        self.rels_of: dict[int, list[int]] = {}
        for rel, cell, coef in zip(rels, members, coefs, strict=True):
            self.members.setdefault(rel, []).append((cell, coef))
            self.rels_of.setdefault(cell, []).append(rel)
        for rs in self.rels_of.values():
            rs.sort()
        #: the relations of which a cell is the whole (coefficient -1)
        self.whole_of: dict[int, list[int]] = {}
        for rel, row in self.members.items():
            for cell, coef in row:
                if coef == -1:
                    self.whole_of.setdefault(cell, []).append(rel)
        ids = cells["_cell"].to_list()
        self.total: dict[int, float | None] = dict(zip(ids, cells["_total"].to_list(), strict=True))
        self.lo: dict[int, float] = dict(zip(ids, cells["_lo"].to_list(), strict=True))
        self.hi: dict[int, float] = dict(zip(ids, cells["_hi"].to_list(), strict=True))
        self.fixed: dict[int, bool] = dict(zip(ids, cells["_fixed"].to_list(), strict=True))
        self.order: dict[int, int] = dict(zip(ids, cells["_order"].to_list(), strict=True))
        self.sizes: dict[int, tuple[int, ...]] = {}
        if residual_below is not None:
            names = sorted(c for c in cells.columns if c.startswith("_size"))
            columns = [cells[c].fill_null(0).to_list() for c in names]
            self.sizes = {cell: tuple(col[i] for col in columns) for i, cell in enumerate(ids)}
        self.hidden: set[int] = set(cells.filter(pl.col("_hidden"))["_cell"].to_list())
        start = cells.filter(pl.col("_hidden") | pl.col("_total").is_null())
        self.unknown: set[int] = set()
        self._parent: dict[int, int] = {}
        self._comp: dict[int, list[int]] = {}
        self._add_unknown(start["_cell"].to_list())

    # -- components of unknown cells (union-find) ---------------------------------------

    def _find(self, x: int) -> int:
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[x] != root:
            self._parent[x], x = root, self._parent[x]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._comp[ra]) < len(self._comp[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._comp[ra].extend(self._comp.pop(rb))

    def _add_unknown(self, cells: Iterable[int]) -> None:
        new = sorted(c for c in set(cells) if c not in self.unknown)
        for c in new:
            self.unknown.add(c)
            self._parent[c] = c
            self._comp[c] = [c]
            for rel in self.rels_of.get(c, []):
                # The unknown members of a relation are linked already (cells are added
                # one at a time): joining one of them is enough.
                for other, _ in self.members[rel]:
                    if other != c and other in self.unknown:
                        self._union(c, other)
                        break

    def components(self) -> dict[int, list[int]]:
        """The unknown cells by component (keyed by a member), each list sorted."""
        return {root: sorted(cells) for root, cells in self._comp.items()}

    def root(self, cell: int) -> int:
        """The component of an unknown cell."""
        return self._find(cell)

    def withhold(self, cells: Iterable[int]) -> None:
        """Withhold further cells."""
        cells = list(cells)
        self.hidden.update(cells)
        self._add_unknown(cells)

    # -- the attacker -------------------------------------------------------------------

    def _equations(self, cells: Iterable[int]) -> list[tuple[int, list[tuple[int, int]], float]]:
        """(relation, unknown terms, right-hand side) of every relation of ``cells``."""
        out = []
        for rel in sorted({r for c in cells for r in self.rels_of.get(c, [])}):
            terms = []
            rhs = 0.0
            for cell, coef in self.members[rel]:
                if cell in self.unknown:
                    terms.append((cell, coef))
                else:
                    total = self.total[cell]
                    rhs -= coef * (total if total is not None else math.nan)
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

    def exposures_of(self, component: Iterable[int]) -> list[Exposure]:
        """The withheld cells of one component the reader can work out, sorted by cell.

        The relations of different components share no unknown cell, so what the reader
        can work out in one depends on its relations alone.
        """
        if self.residual_below is not None:
            return self._residual(component, self.residual_below)
        equations = self._equations(component)
        linear = self._linear(equations)
        out: dict[int, Exposure] = {}
        for v in sorted(linear & self.hidden):
            out[v] = (v, "linear", tuple(self.rels_of.get(v, [])))
        for v, rel in sorted(self._bounds(equations).items()):
            if v in self.hidden and v not in out:
                out[v] = (v, "bound", (rel,))
        return [out[v] for v in sorted(out)]

    def _covered(self, cell: int, k: int, seen: frozenset[int] = frozenset()) -> int:
        """Size ``k`` of ``cell`` that the reader sees: its own, or its known parts'."""
        if cell not in self.unknown:
            return int(self.sizes[cell][k])
        best = 0
        for rel in self.whole_of.get(cell, []):
            parts = [c for c, a in self.members[rel] if a == 1 and c not in seen]
            best = max(best, sum(self._covered(c, k, seen | {cell}) for c in parts))
        return best

    def _residual(self, component: Iterable[int], below: int) -> list[Exposure]:
        """Relations whose known whole leaves between 1 and ``below - 1`` unseen."""
        out = []
        for rel in sorted({r for c in component for r in self.rels_of.get(c, [])}):
            row = self.members[rel]
            wholes = [c for c, a in row if a == -1]
            if len(wholes) != 1 or wholes[0] in self.unknown:
                continue
            parts = [c for c, a in row if a == 1]
            unknown = [c for c in parts if c in self.unknown]
            if not unknown:
                continue
            for k, whole_size in enumerate(self.sizes[wholes[0]]):
                left = whole_size - sum(self._covered(c, k) for c in parts)
                if 0 < left < below:
                    out.append((min(unknown), "residual", (rel,)))
                    break
        return sorted(out)

    def parts_below(self, cell: int) -> list[int]:
        """The cells below ``cell`` through the relations it is the whole of, not fixed."""
        out: set[int] = set()
        stack = [cell]
        while stack:
            c = stack.pop()
            for rel in self.whole_of.get(c, []):
                for part, coef in self.members[rel]:
                    if coef == 1 and part not in out and part != cell:
                        out.add(part)
                        stack.append(part)
        return sorted(c for c in out if not self.fixed.get(c, True))

    def exposures(self) -> list[Exposure]:
        """Every withheld cell the reader can work out, sorted by cell."""
        found = [e for cells in self.components().values() for e in self.exposures_of(cells)]
        return sorted(found)

    # -- the defender -------------------------------------------------------------------

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

        if method == "residual":  # a part of the same whole, or the whole
            own, wider = list(exposure[2]), []
        else:
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


def exposures(
    cells: pl.DataFrame, incidence: pl.DataFrame, *, residual_below: int | None = None
) -> list[Exposure]:
    """Every withheld cell of ``cells`` the reader can work out (see the module docstring)."""
    return System(cells, incidence, residual_below=residual_below).exposures()


def complement(
    cells: pl.DataFrame, incidence: pl.DataFrame, *, residual_below: int | None = None
) -> tuple[list[int], list[Exposure]]:
    """The cells to withhold besides the withheld ones so that nothing is exposed.

    Returns the complementary cells (sorted) and what stays exposed because no cell could be
    added (empty unless every candidate is fixed).

    Round by round, every exposed component gets a complement for its first exposure and
    for each further exposure far from this round's complements (none of its relations
    holds one); a component is asked again only when a complement joined or touched it
    (its relations are unchanged otherwise, and so is the answer).
    """
    system = System(cells, incidence, residual_below=residual_below)
    added: list[int] = []
    stuck: dict[int, list[Exposure]] = {}
    dirty = system.components()
    while dirty:
        chosen: set[int] = set()
        for root in sorted(dirty):
            members = dirty[root]
            found = system.exposures_of(members)
            if not found:
                continue
            # One complement for the first exposure, and one for each further exposure
            # none of whose relations a complement of this round is in (a far-off
            # exposure is not helped by it; a near one is asked again next round).
            near: set[int] = set()
            stuck_here = []
            for exposure in found:
                own = system.rels_of.get(exposure[0], [])
                if any(r in near for r in own):
                    continue
                pick = system.choose(exposure, members)
                if pick is None:
                    stuck_here.append(exposure)
                    continue
                chosen.add(pick)
                near.update(own)
                near.update(system.rels_of.get(pick, []))
                if exposure[1] == "residual" and (pick, -1) not in system.members[exposure[2][0]]:
                    # Its known parts would cover it again: they go with it.
                    below = [c for c in system.parts_below(pick) if c not in system.hidden]
                    chosen.update(below)
                    for c in below:
                        near.update(system.rels_of.get(c, []))
            if stuck_here and not near:
                stuck[root] = stuck_here
        if not chosen:
            break
        added.extend(sorted(chosen))
        system.withhold(sorted(chosen))
        roots = {system.root(c) for c in chosen}
        stuck = {r: e for r, e in stuck.items() if system.root(r) not in roots}
        comps = system.components()
        dirty = {r: comps[r] for r in roots}
    left = sorted(e for found in stuck.values() for e in found)
    return sorted(added), left
