"""Turning simulator arrays into the tables a researcher reads (pandas)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from tradewind.engine.trades import EXIT_REASONS, TradeArrays


def trades_frame(trades: TradeArrays, index: np.ndarray) -> pd.DataFrame:
    """One row per trade with times, prices, size, PnL, return, fees, duration and exit reason."""
    entry_time = index[trades.entry_idx]
    exit_time = index[trades.exit_idx]
    return pd.DataFrame(
        {
            "entry_time": entry_time,
            "exit_time": exit_time,
            "entry_bar": trades.entry_idx,
            "exit_bar": trades.exit_idx,
            "entry_price": trades.entry_price,
            "exit_price": trades.exit_price,
            "size": trades.size,
            "pnl": trades.pnl,
            "return_pct": trades.return_pct,
            "fees": trades.fees,
            "duration": exit_time - entry_time,
            "exit_reason": np.asarray(EXIT_REASONS, dtype=object)[trades.exit_reason],
            "is_open": trades.is_open,
        }
    )


def drawdown_pct(equity: np.ndarray) -> np.ndarray:
    """Percent below the running peak (0 at a new high, negative below it)."""
    peak = np.maximum.accumulate(equity, axis=0)
    return (equity / peak - 1.0) * 100.0


def select(trades: TradeArrays, mask: np.ndarray | slice) -> TradeArrays:
    """The trades picked by ``mask`` (booleans or row numbers, which also reorder)."""
    return TradeArrays(
        combo=trades.combo[mask],
        entry_idx=trades.entry_idx[mask],
        exit_idx=trades.exit_idx[mask],
        entry_price=trades.entry_price[mask],
        exit_price=trades.exit_price[mask],
        size=trades.size[mask],
        pnl=trades.pnl[mask],
        return_pct=trades.return_pct[mask],
        fees=trades.fees[mask],
        exit_reason=trades.exit_reason[mask],
        is_open=trades.is_open[mask],
    )


def combo_range(trades: TradeArrays, lo: int, hi: int) -> TradeArrays:
    """The trades of combinations ``lo:hi`` (renumbered from 0); the table is sorted by combination."""
    a, b = np.searchsorted(trades.combo, [lo, hi])
    picked = select(trades, slice(int(a), int(b)))
    return dataclasses.replace(picked, combo=picked.combo - lo)


def concat(tables: list[TradeArrays]) -> TradeArrays:
    """Stack trade tables (combos must already be distinct)."""
    if not tables:
        return TradeArrays.empty()
    return TradeArrays(
        **{name: np.concatenate([getattr(t, name) for t in tables]) for name in TradeArrays.columns()}
    )
