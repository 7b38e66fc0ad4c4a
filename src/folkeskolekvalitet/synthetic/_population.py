"""The synthetic population shared by the generators: schools, pupils and their ids.

Every generator draws the same kind of municipality: ``n_schools`` schools
with a random effect and a random size, and for each school year a cohort of
pupils whose number varies around ``pupils_per_school``. Pupils get a unique
integer key (``pkey``) from which their random draws and their pseudonymous id
are derived.
"""

from __future__ import annotations

import polars as pl

from folkeskolekvalitet.synthetic._random import normal, uniform

__all__ = ["institution_id", "pupil_cohorts", "pupil_id", "schools"]


def schools(n_schools: int, seed: int, *, effect_sd: float) -> pl.LazyFrame:
    """One row per school: ``school`` (0, 1, ...), ``school_effect`` ~ N(0, effect_sd), ``size``.

    ``size`` is uniform in [0.6, 1.4): schools differ in size by up to about ±40 %.
    """
    frame = pl.LazyFrame({"school": pl.int_range(n_schools, eager=True, dtype=pl.Int64)})
    return frame.with_columns(
        (normal(pl.col("school"), seed, 1) * effect_sd).alias("school_effect"),
        (0.6 + 0.8 * uniform(pl.col("school"), seed, 2)).alias("size"),
    )


def pupil_cohorts(
    school_frame: pl.LazyFrame,
    years: pl.LazyFrame,
    *,
    pupils_per_school: int,
    seed: int,
    key_scale: int,
) -> pl.LazyFrame:
    """Schools x years -> one row per pupil, with ``pupil`` and a unique integer ``pkey``.

    ``years`` needs a ``year_idx`` column (0, 1, ...); each school's cohort is
    its size times ``pupils_per_school`` times a yearly factor in [0.9, 1.1).
    ``key_scale`` must exceed the largest cohort.
    """
    return (
        school_frame.join(years, how="cross")
        .with_columns(
            (
                pl.col("size")
                * pupils_per_school
                * (0.9 + 0.2 * uniform(pl.col("school") * 1000 + pl.col("year_idx"), seed, 3))
            )
            .round()
            .cast(pl.Int64)
            .clip(lower_bound=1)
            .alias("n")
        )
        .with_columns(pl.int_ranges(0, pl.col("n")).alias("pupil"))
        .explode("pupil")
        .with_columns(
            ((pl.col("school") * 1_000 + pl.col("year_idx")) * key_scale + pl.col("pupil")).alias(
                "pkey"
            )
        )
    )


def institution_id(municipality_code: str, n_schools: int) -> pl.Expr:
    """The institution id of ``school``: the municipality code and a zero-padded number."""
    width = max(3, len(str(n_schools)))
    return pl.lit(municipality_code) + (pl.col("school") + 1).cast(pl.String).str.zfill(width)


def pupil_id(seed: int, *, digits: int = 8, prefix: str = "P") -> pl.Expr:
    """A pseudonymous pupil id from ``pkey``: ``"P<hash digits>-<pkey>"`` (never CPR-like)."""
    return pl.format(
        prefix + "{}-{}",
        pl.col("pkey").hash(seed + 99).cast(pl.String).str.slice(0, digits),
        pl.col("pkey").cast(pl.String),
    )
