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


def uniform_and_bits(key: pl.Expr, seed: int, stream: int) -> tuple[pl.Expr, pl.Expr]:
    """One hash, two draws: a uniform number in (0, 1) and 11 independent low bits (0-2047).

    Used where a row needs a continuous draw and a rare event (a declined
    answer, a skipped question) and hashing twice would double the cost.
    """
    hashed = key.hash(seed=seed * 7919 + stream)
    u = ((hashed // 2048).cast(pl.Float64) + 0.5) / _TWO_53
    return u, (hashed % 2048).cast(pl.Int32)


def logistic(u: pl.Expr) -> pl.Expr:
    """A standard logistic variate (sd = pi / sqrt(3)) from a uniform one in (0, 1)."""
    return (u / (1.0 - u)).log()
