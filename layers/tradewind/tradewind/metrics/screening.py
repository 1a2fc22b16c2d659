"""The sweep's cheap pass over equity: bar-return sums and the maximum drawdown, in one streaming scan.

Equity is (n_bars, n_combos) with bars along axis 0, so every step works on whole rows (all combos
at once). Rows are visited in blocks of ``BLOCK_ROWS`` so the return buffer stays in cache, and the
maximum drawdown uses block extremes: the bars of block b fall at most to ``min_b / peak_before_b``
against older peaks, and to no less than ``min_b / max_b`` against peaks inside the block. Only the
few (block, combo) pairs whose inside-block bound could beat the best older-peak drawdown are
rescanned bar by bar, so the drawdown costs about two reductions instead of a running maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK_ROWS = 64


@dataclass(frozen=True)
class ReturnSums:
    """Per combo: N bar returns r_t = E_t / E_{t-1} - 1 (t = 1..n-1), their sum and sum of squares."""

    count: int
    sum1: np.ndarray
    sum2: np.ndarray


def scan_screening(equity: np.ndarray) -> tuple[ReturnSums, np.ndarray]:
    """Return sums and the lowest E_t / max(E_0..E_t) per combo (1 means never below a peak)."""
    n_bars, n_combos = equity.shape
    n_blocks = -(-n_bars // BLOCK_ROWS)
    sum1 = np.zeros(n_combos)
    sum2 = np.zeros(n_combos)
    block_max = np.empty((n_blocks, n_combos))
    block_min = np.empty((n_blocks, n_combos))
    buffer = np.empty((BLOCK_ROWS, n_combos))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(n_blocks):
            first, stop = k * BLOCK_ROWS, min((k + 1) * BLOCK_ROWS, n_bars)
            rows = equity[first:stop]
            np.max(rows, axis=0, out=block_max[k])
            np.min(rows, axis=0, out=block_min[k])
            lo = max(first, 1)
            if stop > lo:
                r = buffer[: stop - lo]
                np.divide(equity[lo:stop], equity[lo - 1 : stop - 1], out=r)
                r -= 1.0
                sum1 += r.sum(axis=0)
                sum2 += np.einsum("ij,ij->j", r, r)
        lowest = _lowest_ratio(equity, block_max, block_min)
    return ReturnSums(n_bars - 1, sum1, sum2), lowest


def _lowest_ratio(equity: np.ndarray, block_max: np.ndarray, block_min: np.ndarray) -> np.ndarray:
    """min_t E_t / running_peak_t from block extremes, rescanning only blocks that could matter."""
    n_blocks, n_combos = block_max.shape
    peak_before = np.empty_like(block_max)
    peak_before[0] = -np.inf
    if n_blocks > 1:
        np.maximum.accumulate(block_max[:-1], axis=0, out=peak_before[1:])
    lowest = np.ones(n_combos)
    if n_blocks > 1:
        np.minimum(lowest, (block_min[1:] / peak_before[1:]).min(axis=0), out=lowest)
    # A non-positive minimum breaks the ratio bounds: rescan such blocks exactly as well.
    suspect = (block_min / block_max < lowest) | (block_min <= 0) | np.isnan(block_min)
    blocks, combos = np.nonzero(suspect)
    if blocks.size:
        rows = np.minimum(blocks[:, None] * BLOCK_ROWS + np.arange(BLOCK_ROWS), equity.shape[0] - 1)
        values = equity[rows, combos[:, None]]  # past the last bar: the last bar again (same ratio)
        peaks = np.maximum.accumulate(np.maximum(values, peak_before[blocks, combos][:, None]), axis=1)
        np.minimum.at(lowest, combos, (values / peaks).min(axis=1))
    return lowest
