"""Several instruments, one strategy: per-symbol backtests combined into one weighted equity curve.

Each symbol trades its own slice of the cash (``cash * weight``); the portfolio equity is the sum of
the slices on the union of all timestamps (a slice holds its last value on a date its symbol lacks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tradewind.engine.api import BacktestResult, StrategyLike, backtest_one, metrics_frame, to_bars
from tradewind.engine.bars import Bars
from tradewind.engine.results import concat, drawdown_pct, select
from tradewind.engine.trades import TradeArrays
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy.weights import normalized_weights

if TYPE_CHECKING:
    from tradewind.engine.api import DataLike


@dataclass(frozen=True)
class PortfolioResult:
    """Per-symbol results plus the combined equity, drawdown and metrics."""

    symbols: dict[str, BacktestResult]
    weights: dict[str, float]
    metrics: pd.Series
    equity: pd.Series
    drawdown: pd.Series


def backtest_portfolio(
    data: Mapping[str, DataLike],
    strategy: StrategyLike,
    params: Mapping[str, float] | None,
    cash: float,
    weights: Mapping[str, float] | None,
    risk_free_rate: float,
) -> PortfolioResult:
    """Backtest each symbol on its share of the cash and combine the curves."""
    if not data:
        raise InvalidInput(
            "No symbols given.", [FieldProblem(["data"], "at least one symbol is needed", "missing")]
        )
    bars = {symbol: to_bars(frame) for symbol, frame in data.items()}
    w = normalized_weights(list(bars), weights)
    results = {
        s: backtest_one(b, strategy, params, cash * w[s], risk_free_rate) for s, b in bars.items() if w[s] > 0
    }
    return combine(results, bars, w, cash, risk_free_rate)


def combine(
    results: dict[str, BacktestResult],
    bars: Mapping[str, Bars],
    w: dict[str, float],
    cash: float,
    risk_free_rate: float,
) -> PortfolioResult:
    """The portfolio of per-symbol results, each run on ``cash * w[symbol]`` of ``bars[symbol]``.

    Separate from ``backtest_portfolio`` so a job can run the symbols on different workers and
    combine them here with the same maths.
    """
    index = np.unique(np.concatenate([bars[s].index for s in results]))
    equity = np.zeros(len(index))
    benchmark = np.zeros(len(index))
    exposed = np.zeros(len(index), dtype=bool)
    tables = []
    for symbol, result in results.items():
        b = bars[symbol]
        at = pd.DatetimeIndex(index)
        equity += result.equity.reindex(at).ffill().fillna(cash * w[symbol]).to_numpy()
        benchmark += (
            w[symbol]
            * pd.Series(b.close / b.close[0], index=pd.DatetimeIndex(b.index))
            .reindex(at)
            .ffill()
            .fillna(1.0)
            .to_numpy()
        )
        exposed |= result.position.reindex(at).fillna(0.0).to_numpy() != 0
        tables.append(_on_union(result, b, index))
    trades = concat(tables)
    order = np.lexsort((trades.entry_idx, trades.combo))
    trades = select(trades, order)
    commissions = np.asarray([sum(float(r.trades["fees"].sum()) for r in results.values())])
    union = Bars(index, benchmark, benchmark, benchmark, benchmark, np.zeros(len(index)))
    metrics = metrics_frame(
        equity[:, None],
        trades,
        np.asarray([exposed.mean()]),
        commissions,
        union,
        cash,
        "full",
        risk_free_rate,
    )
    at = pd.DatetimeIndex(index)
    return PortfolioResult(
        symbols=results,
        weights=w,
        metrics=metrics.iloc[0],
        equity=pd.Series(equity, index=at, name="equity"),
        drawdown=pd.Series(drawdown_pct(equity), index=at, name="drawdown_pct"),
    )


def _on_union(result: BacktestResult, bars: Bars, index: np.ndarray) -> TradeArrays:
    """The symbol's trades with bar numbers moved onto the union timeline (all as combination 0)."""
    t = result.trade_arrays
    return dataclasses.replace(
        t,
        combo=np.zeros(len(t), dtype=np.int64),
        entry_idx=np.searchsorted(index, bars.index[t.entry_idx]),
        exit_idx=np.searchsorted(index, bars.index[t.exit_idx]),
    )
