"""The general machinery in folkeskolekvalitet._core.suppression, on hand-made systems."""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet._core.suppression import System, complement, exposures


def _cells(totals: list[float], hidden: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "_cell": list(range(len(totals))),
            "_hidden": [i in hidden for i in range(len(totals))],
            "_total": [None if i in hidden else t for i, t in enumerate(totals)],
            "_lo": [0.0] * len(totals),
            "_hi": [100.0] * len(totals),
            "_fixed": [False] * len(totals),
            "_order": list(range(len(totals))),
        },
        schema_overrides={"_total": pl.Float64, "_order": pl.Int64},
    )


def _incidence(relations: list[dict[int, int]]) -> pl.DataFrame:
    rows = [(r, c, a) for r, rel in enumerate(relations) for c, a in rel.items()]
    return pl.DataFrame(
        rows, schema={"_rel": pl.Int64, "_cell": pl.Int64, "_coef": pl.Int64}, orient="row"
    )


def test_cells_withheld_together_join_the_component_of_their_relation() -> None:
    # parent 0 = 1 + 2 + 3 + 4; 4 is withheld, then 1 and 2 at once: one component.
    totals = [40.0, 10.0, 10.0, 10.0, 10.0]
    system = System(_cells(totals, [4]), _incidence([{0: -1, 1: 1, 2: 1, 3: 1, 4: 1}]))
    system.withhold([2, 1])
    assert list(system.components().values()) == [[1, 2, 4]]
    assert system.exposures() == []


def test_a_lone_withheld_part_is_exposed_and_the_smallest_other_part_protects_it() -> None:
    totals = [40.0, 10.0, 12.0, 8.0, 10.0]
    cells = _cells(totals, [1])
    incidence = _incidence([{0: -1, 1: 1, 2: 1, 3: 1, 4: 1}])
    assert System(cells, incidence).exposures() == [(1, "linear", (0,))]
    # _order follows the cell id here: the first published, not fixed member is the parent.
    assert complement(cells, incidence) == ([0], [])
    by_size = cells.with_columns(pl.Series("_order", [9, 0, 3, 1, 2], dtype=pl.Int64))
    assert complement(by_size, incidence) == ([3], [])


def test_independent_components_get_a_complement_each_in_one_round() -> None:
    # Two separate sums, each with one withheld part: one complement each.
    totals = [20.0, 5.0, 15.0, 30.0, 10.0, 20.0]
    cells = _cells(totals, [1, 4]).with_columns(
        pl.Series("_order", [9, 0, 1, 9, 0, 1], dtype=pl.Int64)
    )
    incidence = _incidence([{0: -1, 1: 1, 2: 1}, {3: -1, 4: 1, 5: 1}])
    added, left = complement(cells, incidence)
    assert (added, left) == ([2, 5], [])
    system = System(
        cells.with_columns(pl.col("_cell").is_in([1, 2, 4, 5]).alias("_hidden")), incidence
    )
    assert system.exposures() == []


def _sized(sizes: list[int], hidden: list[int]) -> pl.DataFrame:
    return _cells([0.0] * len(sizes), hidden).with_columns(
        pl.Series("_size0", sizes, dtype=pl.Int64),
        pl.Series("_order", sorted(range(len(sizes)), key=lambda i: (sizes[i], i)), dtype=pl.Int64)
        .arg_sort()
        .cast(pl.Int64),
    )


def test_residual_reader_looks_at_sizes_only() -> None:
    # whole 0 (40) = 1 (3, withheld) + 2 (12) + 3 (25); class 4 (5) + 5 (7) = 2.
    sizes = [40, 3, 12, 25, 5, 7]
    incidence = _incidence([{0: -1, 1: 1, 2: 1, 3: 1}, {2: -1, 4: 1, 5: 1}])
    cells = _sized(sizes, [1])
    assert exposures(cells, incidence, residual_below=5) == [(1, "residual", (0,))]
    # the smallest published part goes, and its parts with it (they would cover it again)
    assert complement(cells, incidence, residual_below=5) == ([2, 4, 5], [])
    # 3 + 12 held back is enough; the results (totals) play no part
    done = cells.with_columns(pl.col("_cell").is_in([1, 2, 4, 5]).alias("_hidden"))
    assert exposures(done, incidence, residual_below=5) == []
    assert exposures(done, incidence, residual_below=16) == [(1, "residual", (0,))]
    # a whole with no published part is withheld itself
    alone = _sized([4, 3, 1], [1, 2])
    assert complement(alone, _incidence([{0: -1, 1: 1, 2: 1}]), residual_below=5) == ([0], [])
