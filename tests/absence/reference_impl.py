"""Plain-Python reference implementations of the absence rules (loops, no Polars).

Written from RULES.md §5 independently of the library code, to be compared with
the vectorised functions on generated data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

KINDS = {"sick": "sick_days", "authorised": "authorised_days", "unauthorised": "unauthorised_days"}


def pupil_units(rows: Iterable[dict[str, Any]], keep_quarter: bool = False) -> list[dict[str, Any]]:
    """Add up a pupil's rows per school year and institution (and quarter if kept)."""
    units: dict[tuple[Any, ...], dict[str, float]] = defaultdict(
        lambda: {"school_days": 0.0, "months": 0.0, **dict.fromkeys(KINDS.values(), 0.0)}
    )
    for r in rows:
        key = (r["school_year"], r["institution_id"], r["pupil_id"])
        if keep_quarter:
            key = (*key, r["quarter"])
        u = units[key]
        u["school_days"] += r["school_days"]
        u["months"] += r.get("months_registered", 0) or 0
        for c in KINDS.values():
            u[c] += r[c]
    out = []
    for key, u in units.items():
        d = dict(zip(("school_year", "institution_id", "pupil_id", "quarter"), key, strict=False))
        d.update(u)
        days = u["school_days"]
        for k, c in KINDS.items():
            d[k] = u[c] / days if days > 0 else None
        d["total"] = sum(u[c] for c in KINDS.values()) / days if days > 0 else None
        out.append(d)
    return out


def rates(
    rows: Iterable[dict[str, Any]], by: tuple[str, ...], weighted: bool = True
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Group rates: weighted mean of pupil fractions over pupils with months and school days."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for u in pupil_units(rows):
        groups[tuple(u[b] for b in by)].append(u)
    out = {}
    for g, units in groups.items():
        counted = [u for u in units if u["months"] > 0 and u["school_days"] > 0]
        weights = [u["months"] if weighted else 1.0 for u in counted]
        total = sum(weights)
        res: dict[str, Any] = {
            "n_pupils": len(counted),
            "n_pupils_excluded": len(units) - len(counted),
        }
        for k in (*KINDS, "total"):
            res[f"rate_{k}"] = (
                sum(w * u[k] for w, u in zip(weights, counted, strict=True)) / total
                if total
                else None
            )
        out[g] = res
    return out


def share_above(
    rows: Iterable[dict[str, Any]], threshold: float, by: tuple[str, ...], kind: str = "total"
) -> dict[tuple[Any, ...], tuple[int, int, float | None]]:
    """(n_pupils, n_above, share) with strictly-above, head-count weighting."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for u in pupil_units(rows):
        g = groups[tuple(u[b] for b in by)]
        if u["months"] > 0 and u["school_days"] > 0:
            g[0] += 1
            g[1] += u[kind] > threshold
    return {k: (n, a, a / n if n else None) for k, (n, a) in groups.items()}


def flags(rows: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[bool | None, bool | None]]:
    """(warn_parents, notify_municipality) per (school_year, quarter, institution, pupil)."""
    out = {}
    for u in pupil_units(rows, keep_quarter=True):
        start = int(u["school_year"][:4])
        year = start + 1 if u["quarter"] in (1, 2) else start
        in_force = (year, u["quarter"]) >= (2019, 3)
        frac = u["unauthorised"]
        if frac is None or not in_force:
            f: tuple[bool | None, bool | None] = (None, None)
        else:
            f = (frac >= 0.10, frac >= 0.15)
        out[(u["school_year"], u["quarter"], u["institution_id"], u["pupil_id"])] = f
    return out
