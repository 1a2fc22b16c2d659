"""The trade table shared by the engine (which fills it) and the metrics (which read it).

Columnar numpy arrays, one element per trade, for every parameter combination of a run at once:
``combo`` says which combination a trade belongs to. Rows are sorted by ``combo`` then ``entry_idx``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

EXIT_REASONS = ("signal", "stop_loss", "take_profit", "trailing_stop", "reversal", "end_of_data")


@dataclass(frozen=True)
class TradeArrays:
    """Closed trades plus, flagged by ``is_open``, the positions still open on the last bar."""

    combo: np.ndarray  # int64: index of the parameter combination
    entry_idx: np.ndarray  # int64: bar of the entry fill
    exit_idx: np.ndarray  # int64: bar of the exit fill (last bar for an open trade)
    entry_price: np.ndarray  # float64: fill price including slippage
    exit_price: np.ndarray  # float64: fill price including slippage (last close for an open trade)
    size: np.ndarray  # float64: signed units, > 0 long, < 0 short
    pnl: np.ndarray  # float64: profit in cash after both sides' fees
    return_pct: np.ndarray  # float64: pnl / entry notional * 100
    fees: np.ndarray  # float64: commission paid on both sides
    exit_reason: np.ndarray  # int8: index into EXIT_REASONS
    is_open: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return int(self.combo.shape[0])

    @classmethod
    def columns(cls) -> list[str]:
        """The per-trade arrays, in declaration order."""
        return [f.name for f in fields(cls)]

    @classmethod
    def empty(cls) -> TradeArrays:
        """A table with no trades."""
        f8 = np.zeros(0, dtype=np.float64)
        i8 = np.zeros(0, dtype=np.int64)
        return cls(i8, i8, i8, f8, f8, f8, f8, f8, f8, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=bool))


@dataclass(frozen=True)
class Segments:
    """Each combination's equity as constant-holding stretches: ``cash + units * close`` on bars
    ``start .. end - 1``. Sorted by ``combo`` then ``start``; each combination's first starts at bar 0
    and its last ends at ``n_bars``. The sweep's screening metrics read these instead of a per-bar
    equity matrix (``tradewind.metrics.segments``)."""

    n_bars: int
    width: int  # number of combinations
    combo: np.ndarray  # int64
    start: np.ndarray  # int64
    end: np.ndarray  # int64, exclusive
    cash: np.ndarray  # float64
    units: np.ndarray  # float64, signed

    def holdings(self, combos: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Cash and units at every bar, one row per combination (all, or the sorted ``combos``):
        each segment's values repeated over its bars, (rows, n_bars)."""
        if combos is None:
            rows, count = slice(None), self.width
        else:
            picked = np.zeros(self.width, dtype=bool)
            picked[combos] = True
            rows, count = picked[self.combo], combos.size
        length = (self.end - self.start)[rows]
        cash = np.repeat(self.cash[rows], length).reshape(count, self.n_bars)
        units = np.repeat(self.units[rows], length).reshape(count, self.n_bars)
        return cash, units
