"""The full pass over equity: one combo per row, a group of combos at a time.

Equity is Fortran-ordered, so a combo's bars are contiguous and every step (returns, moments, running
peak, drawdown runs, tail quantiles) runs along memory, in a copy padded for the drawdown runs. Groups
of ``GROUP_COMBOS`` bound the temporaries to a few (GROUP_COMBOS, n_bars) arrays, allocated once per
call and reused: fresh multi-megabyte arrays cost page faults that, measured here, exceeded the
arithmetic.
"""

from __future__ import annotations

import numpy as np

from tradewind.metrics.distribution import moment_statistics, tail_quantiles
from tradewind.metrics.drawdowns import drawdown_statistics

GROUP_COMBOS = 256


class _Workspace:
    """Reusable buffers for one group: the equity table (+ a pad column), returns, two scratch."""

    def __init__(self, n_bars: int, width: int) -> None:
        self.table = np.empty((width, n_bars + 1))
        self.returns = np.empty((width, max(n_bars - 1, 0)))
        self.scratch = (np.empty((width, n_bars + 1)), np.empty((width, n_bars + 1)))
        self.under = np.empty((width, n_bars + 1), dtype=bool)

    def view(self, size: int, n_bars: int) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        returns = self.returns[:size]
        first, second = self.scratch
        return (
            self.table[:size],
            returns,
            (first[:size, : returns.shape[1]], second[:size, : returns.shape[1]]),
        )


def scan_full(
    equity: np.ndarray, index: np.ndarray, rf_per_bar: float, market: np.ndarray
) -> dict[str, np.ndarray]:
    """Per-combo return moments, tail quantiles and drawdown statistics (see the two modules used)."""
    n_bars, n_combos = equity.shape
    space = _Workspace(n_bars, min(GROUP_COMBOS, n_combos))
    parts: list[dict[str, np.ndarray]] = []
    for first in range(0, n_combos, GROUP_COMBOS):
        group = equity[:, first : first + GROUP_COMBOS]
        table, returns, scratch = space.view(group.shape[1], n_bars)
        values = table[:, :n_bars]
        np.copyto(values, group.T)  # equity is Fortran-ordered: a plain row-by-row copy
        part: dict[str, np.ndarray] = {}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if n_bars > 1:
                np.divide(values[:, 1:], values[:, :-1], out=returns)
                returns -= 1.0
                part.update(moment_statistics(returns, rf_per_bar, market, scratch))
                part["q05"], part["q95"] = tail_quantiles(returns)
            peaks = space.scratch[0][: group.shape[1], :n_bars]
            np.maximum.accumulate(values, axis=1, out=peaks)
            part["peak"] = peaks[:, -1].copy()
            np.divide(values, peaks, out=values)
        table[:, n_bars] = 1.0
        part.update(drawdown_statistics(table, index, space.under[: group.shape[1]]))
        parts.append(part)
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
