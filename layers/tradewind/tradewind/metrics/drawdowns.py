"""Drawdown periods (peak to recovery) of many equity curves, found as runs in one flat array.

The input holds E_t / running_peak_t with one row per combo plus a trailing column of 1.0, so when the
rows are laid end to end no run of "under water" bars can cross from one combo into the next. Run
starts and ends come from one np.diff, each run's trough from one np.minimum.reduceat.
"""

from __future__ import annotations

import numpy as np

from tradewind.metrics.calendar import days_between


def drawdown_statistics(ratio: np.ndarray, index: np.ndarray, under: np.ndarray) -> dict[str, np.ndarray]:
    """Max/avg drawdown depth (fractions, <= 0) and max/avg duration (days) for each row of ``ratio``.

    ``ratio`` is (n_combos, n_bars + 1), last column 1.0. A period starts at the bar before the first
    bar under the peak (the peak bar) and ends at the first bar back at the peak, or at the last bar
    when equity has not recovered. ``under`` is a boolean buffer shaped like ``ratio``.
    """
    n_combos, width = ratio.shape
    n_bars = width - 1
    np.less(ratio, 1.0, out=under)
    under[:, 0] = False  # the first bar is its own peak
    steps = np.diff(under.view(np.int8).ravel())
    starts = np.flatnonzero(steps == 1) + 1
    ends = np.flatnonzero(steps == -1)  # last bar under water, inclusive
    combo = starts // width
    bounds = np.empty(2 * starts.shape[0], dtype=np.int64)
    bounds[0::2], bounds[1::2] = starts, ends + 1
    troughs = np.minimum.reduceat(ratio.ravel(), bounds)[0::2] - 1.0 if starts.size else np.zeros(0)
    peak_bar = starts % width - 1
    recovery_bar = np.minimum(ends % width + 1, n_bars - 1)
    durations = days_between(index, peak_bar, recovery_bar)
    count = np.bincount(combo, minlength=n_combos).astype(np.float64)
    longest, deepest = np.zeros(n_combos), np.zeros(n_combos)
    np.maximum.at(longest, combo, durations)
    np.minimum.at(deepest, combo, troughs)  # the deepest trough is the maximum drawdown
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "max_drawdown": deepest,
            "avg_drawdown": np.bincount(combo, weights=troughs, minlength=n_combos) / count,
            "max_drawdown_duration_days": longest,
            "avg_drawdown_duration_days": np.bincount(combo, weights=durations, minlength=n_combos) / count,
        }
