"""Vectorised, seeded pseudo-random numbers for the synthetic generators.

Random numbers come from hashing row keys inside Polars, so generation stays
vectorised (no Python loop over rows, no NumPy dependency) and a whole country
takes seconds. Values are deterministic for a given Polars version, key, seed
and stream; the hash function is Polars' own and may change between Polars
versions, so tests must rely on distributions, not on exact draws.
"""

from __future__ import annotations

import math

import polars as pl

__all__ = ["normal", "uniform"]

_TWO_53 = float(2**53)


def uniform(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """Pseudo-random uniform numbers in (0, 1], one per row, from hashing ``key``.

    Deterministic for a given Polars version, key, seed and stream.
    """
    bits = key.hash(seed=seed * 7919 + stream) // 2048  # keep 53 bits
    return (bits.cast(pl.Float64) + 1.0) / _TWO_53


def normal(key: pl.Expr, seed: int, stream: int) -> pl.Expr:
    """Pseudo-random standard normal numbers, one per row (Box-Muller)."""
    u1 = uniform(key, seed, 2 * stream)
    u2 = uniform(key, seed, 2 * stream + 1)
    return (-2.0 * u1.log()).sqrt() * (2.0 * math.pi * u2).cos()
