"""Build compute_metrics inputs from per-combo equity lists and trade lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tradewind.engine.trades import TradeArrays
from tradewind.metrics import compute_metrics

from tests.unit.metrics.reference import Trade


def trade_arrays(per_combo: list[list[Trade]]) -> TradeArrays:
    rows = [(c, t) for c, trades in enumerate(per_combo) for t in trades]
    if not rows:
        return TradeArrays.empty()
    f8 = np.ones(len(rows))
    return TradeArrays(
        combo=np.array([c for c, _ in rows], dtype=np.int64),
        entry_idx=np.array([t.entry_idx for _, t in rows], dtype=np.int64),
        exit_idx=np.array([t.exit_idx for _, t in rows], dtype=np.int64),
        entry_price=f8,
        exit_price=f8,
        size=f8,
        pnl=np.array([t.pnl for _, t in rows]),
        return_pct=np.array([t.return_pct for _, t in rows]),
        fees=np.zeros(len(rows)),
        exit_reason=np.zeros(len(rows), dtype=np.int8),
        is_open=np.array([t.is_open for _, t in rows], dtype=bool),
    )


def run(
    curves: list[list[float]],
    trades: list[list[Trade]] | None = None,
    close: list[float] | None = None,
    index: pd.DatetimeIndex | None = None,
    cash: float | None = None,
    level: str = "full",
    rf: float = 0.0,
) -> pd.DataFrame:
    """compute_metrics on the given curves (one list per combo) with simple defaults."""
    equity = np.array(curves, dtype=np.float64).T
    n_bars, n_combos = equity.shape
    index = index if index is not None else pd.bdate_range("2020-01-01", periods=n_bars)
    close = close if close is not None else list(100 + np.arange(n_bars) % 7)
    return compute_metrics(
        equity=equity,
        trades=trade_arrays(trades or [[] for _ in range(n_combos)]),
        exposure=np.linspace(0.0, 1.0, n_combos),
        close=np.asarray(close, dtype=np.float64),
        index=index.values,
        commissions=np.arange(n_combos, dtype=np.float64),
        cash=cash if cash is not None else float(equity[0, 0]),
        level=level,  # type: ignore[arg-type]
        risk_free_rate=rf,
    )
