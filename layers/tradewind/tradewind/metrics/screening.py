"""The sweep's cheap pass over equity: bar-return sums and the maximum drawdown, in one streaming scan.

Equity arrives Fortran-ordered (n_bars, n_combos), the engine's layout: each combo's bars are
contiguous. Combos are visited in groups of ``GROUP_COMBOS`` so a group's buffers stay in the L2
cache. Returns are one flat division over the group (the few quotients across two combos' rows are
overwritten), and the maximum drawdown avoids a running maximum (a sequential scan, the slowest numpy
pass measured here) by using block extremes: the bars of block b fall at most to
``min_b / peak_before_b`` against older peaks, and to no less than ``min_b / max_b`` against peaks
inside the block. Only the (block, combo) pairs whose inside-block bound could beat the best
older-peak drawdown are rescanned bar by bar.

Those bounds hold for positive equity only: E_t / max(a, b) = min(E_t / a, E_t / b) needs E_t > 0 and
positive peaks. A combo whose equity reaches zero or below (a leveraged or short strategy can lose
more than its cash), or is NaN, anywhere is computed exactly instead, with a running peak over all
its bars (:func:`_exact_lowest`): the pruning's answer for it could be wrong in any block after the
crossing, not only in the blocks that hold a non-positive bar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GROUP_COMBOS = 128
BLOCK_BARS = 128  # long enough for fast reductions, short enough that rescans stay cheap


@dataclass(frozen=True)
class ReturnSums:
    """Per combo: N bar returns r_t = E_t / E_{t-1} - 1 (t = 1..n-1), their sum and sum of squares."""

    count: int
    sum1: np.ndarray
    sum2: np.ndarray


def scan_screening(equity: np.ndarray) -> tuple[ReturnSums, np.ndarray]:
    """Return sums and the lowest E_t / max(E_0..E_t) per combo (1 means never below a peak)."""
    n_bars, n_combos = equity.shape
    rows = np.asfortranarray(equity, dtype=np.float64).T  # (n_combos, n_bars), a view of the engine's
    sum1, sum2, lowest = np.zeros(n_combos), np.zeros(n_combos), np.ones(n_combos)
    returns = np.empty((min(GROUP_COMBOS, n_combos), n_bars))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for first in range(0, n_combos, GROUP_COMBOS):
            group = rows[first : first + GROUP_COMBOS]
            size = group.shape[0]
            if n_bars > 1:
                r = returns[:size]
                flat = r.reshape(-1)
                np.divide(group.reshape(-1)[1:], group.reshape(-1)[:-1], out=flat[1:])
                r[:, 0] = 1.0  # not a return: the quotient across two rows (r_0 = 0 adds nothing)
                r -= 1.0
                sum1[first : first + size] = r.sum(axis=1)
                sum2[first : first + size] = np.einsum("ij,ij->i", r, r)
            lowest[first : first + size] = _lowest_ratio(group)
    return ReturnSums(n_bars - 1, sum1, sum2), lowest


def _lowest_ratio(rows: np.ndarray) -> np.ndarray:
    """min_t E_t / running_peak_t of each row, from block extremes, rescanning only what could matter."""
    n_combos, n_bars = rows.shape
    full, tail = divmod(n_bars, BLOCK_BARS)
    n_blocks = full + (tail > 0)
    block_max, block_min = np.empty((n_combos, n_blocks)), np.empty((n_combos, n_blocks))
    blocks = rows[:, : full * BLOCK_BARS].reshape(n_combos, full, BLOCK_BARS)
    np.max(blocks, axis=2, out=block_max[:, :full])
    np.min(blocks, axis=2, out=block_min[:, :full])
    if tail:
        np.max(rows[:, full * BLOCK_BARS :], axis=1, out=block_max[:, full])
        np.min(rows[:, full * BLOCK_BARS :], axis=1, out=block_min[:, full])
    peak_before = np.empty_like(block_max)
    peak_before[:, 0] = -np.inf
    np.maximum.accumulate(block_max[:, :-1], axis=1, out=peak_before[:, 1:])
    lowest = np.minimum(1.0, (block_min[:, 1:] / peak_before[:, 1:]).min(axis=1, initial=1.0))
    exact: np.ndarray = ~np.all(block_min > 0, axis=1)  # a bar <= 0 or NaN: the bounds do not hold
    suspect = (block_min / block_max < lowest[:, None]) & ~exact[:, None]
    combos, found = np.nonzero(suspect)
    if combos.size:
        bars = np.minimum(found[:, None] * BLOCK_BARS + np.arange(BLOCK_BARS), n_bars - 1)
        values = rows[combos[:, None], bars]  # past the last bar: the last bar again (same ratio)
        peaks = np.maximum.accumulate(np.maximum(values, peak_before[combos, found][:, None]), axis=1)
        np.minimum.at(lowest, combos, (values / peaks).min(axis=1))
    if exact.any():
        lowest[exact] = _exact_lowest(rows[exact])
    return lowest


def _exact_lowest(rows: np.ndarray) -> np.ndarray:
    """min_t E_t / max(E_0..E_t) of each row with a running peak (NaN bars ignored, at most 1)."""
    peaks = np.fmax.accumulate(rows, axis=1)
    return np.fmin.reduce(rows / peaks, axis=1, initial=1.0)
