"""compute_metrics: one row of metrics per parameter combination, from the engine's arrays.

Every metric is computed for all combos at once; undefined values (no trades, zero volatility, fewer
than two bars, equity at or below zero) come out as NaN, never as an exception. docs/metrics.md
defines each formula and edge case.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from tradewind.engine.trades import Segments, TradeArrays
from tradewind.metrics.calendar import DAYS_PER_YEAR, days_between, periods_per_year
from tradewind.metrics.catalog import METRICS, SCREENING
from tradewind.metrics.full import scan_full
from tradewind.metrics.screening import ReturnSums, scan_screening
from tradewind.metrics.segments import CloseTables, screen_segments
from tradewind.metrics.trade_stats import trade_counts, trade_statistics

Level = Literal["screening", "full"]


def compute_metrics(
    equity: np.ndarray,
    trades: TradeArrays,
    exposure: np.ndarray,
    close: np.ndarray,
    index: np.ndarray,
    commissions: np.ndarray,
    cash: float,
    level: Level = "full",
    risk_free_rate: float = 0.0,
) -> pd.DataFrame:
    """Metrics for each combo (a column of ``equity``); ``trades.combo`` indexes those columns.

    ``equity`` is the mark-to-market equity at each bar's close (n_bars, n_combos); ``close`` and
    ``index`` the instrument's closes and timestamps; ``exposure`` the fraction of bars in a position
    and ``commissions`` the fees paid, per combo. ``risk_free_rate`` is annual.
    """
    columns = metric_columns(equity, trades, exposure, close, index, commissions, cash, level, risk_free_rate)
    return pd.DataFrame(columns)


def metric_columns(
    equity: np.ndarray,
    trades: TradeArrays,
    exposure: np.ndarray,
    close: np.ndarray,
    index: np.ndarray,
    commissions: np.ndarray,
    cash: float,
    level: Level = "full",
    risk_free_rate: float = 0.0,
) -> dict[str, np.ndarray]:
    """``compute_metrics`` as one array per metric, in catalogue order, without building a frame.

    A single backtest reads one row: a DataFrame would cost more than all its arithmetic.
    """
    equity, index = _validated(
        equity, trades, exposure, close, index, commissions, cash, level, risk_free_rate
    )
    n_combos = equity.shape[1]
    if n_combos == 0:
        return {name: np.zeros(0) for name in (SCREENING if level == "screening" else METRICS)}
    per_year = periods_per_year(index)
    rf_per_bar = (1.0 + risk_free_rate) ** (1.0 / per_year) - 1.0 if risk_free_rate else 0.0
    n_closed, n_open = trade_counts(trades, n_combos)
    final = equity[-1].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        total_return = final / cash - 1.0
        if level == "screening":
            sums, lowest = scan_screening(equity)
            return _screening_columns(equity[0], final, sums, lowest, n_closed, cash, per_year, rf_per_bar)
        market = _bar_returns(np.asarray(close, dtype=np.float64))
        scan = scan_full(equity, index, rf_per_bar, market - market.mean() if market.size else market)
        columns = _full_columns(
            equity, scan, market, close, index, per_year, rf_per_bar, risk_free_rate, total_return
        )
    columns.update(
        {
            "exposure_pct": np.asarray(exposure, dtype=np.float64) * 100.0,
            "commissions": np.asarray(commissions, dtype=np.float64),
            "trades": n_closed,
            "open_trades": n_open,
        }
    )
    columns.update(trade_statistics(trades, n_combos, index))
    return {name: columns[name] for name in METRICS}


def segment_screening_columns(
    segments: Segments,
    trades: TradeArrays,
    close: np.ndarray,
    index: np.ndarray,
    cash: float,
    risk_free_rate: float = 0.0,
    tables: CloseTables | None = None,
) -> dict[str, np.ndarray]:
    """The screening columns from constant-holding segments (``tradewind.metrics.segments``).

    Equal to ``metric_columns(..., level="screening")`` on the segments' equity matrix, without
    building it: the sweep's cheap pass costs per segment instead of per bar. ``tables``:
    ``CloseTables.of(close)``, shared by the blocks of one series.
    """
    index = _checked(segments.n_bars, segments.width, trades, close, index, cash, risk_free_rate)
    if segments.width == 0:
        return {name: np.zeros(0) for name in SCREENING}
    per_year = periods_per_year(index)
    rf_per_bar = (1.0 + risk_free_rate) ** (1.0 / per_year) - 1.0 if risk_free_rate else 0.0
    n_closed, _ = trade_counts(trades, segments.width)
    screen = screen_segments(segments, close, tables)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _screening_columns(
            screen.first, screen.final, screen.sums, screen.lowest, n_closed, cash, per_year, rf_per_bar
        )


def _screening_columns(
    first: np.ndarray,
    final: np.ndarray,
    sums: ReturnSums,
    lowest: np.ndarray,
    n_closed: np.ndarray,
    cash: float,
    per_year: float,
    rf_per_bar: float,
) -> dict[str, np.ndarray]:
    """Return, Sharpe, max drawdown and closed trades from the screening pass's per-combo quantities."""
    solvent = (lowest > 0) & (first > 0)  # never at or below zero: bar returns mean something
    count = sums.count
    mean = sums.sum1 / count
    variance = (sums.sum2 - sums.sum1 * mean) / (count - 1) if count > 1 else np.nan
    sharpe = _ratio(mean - rf_per_bar, _volatility(mean, variance)) * math.sqrt(per_year)
    columns = {
        "return_pct": (final / cash - 1.0) * 100.0,
        "sharpe": np.where(solvent, sharpe, np.nan),
        "max_drawdown_pct": np.where(first > 0, (lowest - 1.0) * 100.0, np.nan),
        "trades": n_closed,
    }
    return {name: columns[name] for name in SCREENING}


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is zero, negative or NaN."""
    return np.where(denominator > 0, numerator / denominator, np.nan)


def _volatility(mean: np.ndarray, variance: np.ndarray | float) -> np.ndarray:
    """Standard deviation of bar returns; 0 when returns are constant up to rounding (|mean| * 1e-9)."""
    std = np.sqrt(variance)
    return np.where(std > 1e-9 * np.abs(mean), std, 0.0)


def _bar_returns(series: np.ndarray) -> np.ndarray:
    """close_t / close_{t-1} - 1 for t >= 1; all NaN when a price is zero or negative."""
    returns = series[1:] / series[:-1] - 1.0
    return returns if bool(np.all(series > 0)) else np.full_like(returns, np.nan)


def _full_columns(
    equity: np.ndarray,
    scan: dict[str, np.ndarray],
    market: np.ndarray,
    close: np.ndarray,
    index: np.ndarray,
    per_year: float,
    rf_per_bar: float,
    risk_free_rate: float,
    total_return: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every equity-derived metric of the full set, from the full scan's per-combo quantities."""
    n_bars, n_combos = equity.shape
    count = n_bars - 1
    nan = np.full(n_combos, np.nan)
    first, final = equity[0].astype(np.float64), equity[-1].astype(np.float64)
    solvent = (scan["max_drawdown"] > -1.0) & (first > 0)
    span_days = float(days_between(index, 0, -1))
    growth = np.where(solvent, final / first, np.nan)
    return_ann = growth ** (per_year / count) - 1.0 if count else nan
    cagr = growth ** (DAYS_PER_YEAR / span_days) - 1.0 if span_days > 0 else nan
    max_dd = np.where(first > 0, scan["max_drawdown"], np.nan)
    buy_hold = close[-1] / close[0] - 1.0 if close[0] > 0 else math.nan
    columns: dict[str, np.ndarray] = {
        "start": np.full(n_combos, index[0]),
        "end": np.full(n_combos, index[-1]),
        "duration_days": np.full(n_combos, span_days),
        "equity_final": final,
        "equity_peak": scan["peak"],
        "return_pct": total_return * 100.0,
        "buy_hold_return_pct": np.full(n_combos, buy_hold * 100.0),
        "return_ann_pct": return_ann * 100.0,
        "cagr_pct": cagr * 100.0,
        "calmar": _ratio(return_ann, -max_dd),
        "max_drawdown_pct": max_dd * 100.0,
        "avg_drawdown_pct": np.where(first > 0, scan["avg_drawdown"], np.nan) * 100.0,
        "max_drawdown_duration_days": scan["max_drawdown_duration_days"],
        "avg_drawdown_duration_days": scan["avg_drawdown_duration_days"],
    }
    if count < 2:
        for name in ("volatility_ann_pct", "sharpe", "sortino", "omega", "alpha_pct", "beta", "tail_ratio"):
            columns[name] = nan
        columns["var_95_pct"] = np.where(solvent, scan["q05"], np.nan) * 100.0 if count else nan
        columns["probabilistic_sharpe"] = nan
        return columns
    std = _volatility(scan["mean"], scan["variance"])
    excess = scan["mean"] - rf_per_bar
    per_bar_sharpe = _ratio(excess, std)
    market_var = float(np.sum((market - market.mean()) ** 2))
    beta = scan["market_cross"] / market_var if market_var > 0 else nan
    rf_total = (1.0 + risk_free_rate) ** (count / per_year) - 1.0
    up, down = scan["upside_sum"], -scan["downside_sum"]
    omega = np.where(down > 0, up / down, np.where(up > 0, np.inf, np.nan))
    equity_based = {
        "volatility_ann_pct": std * math.sqrt(per_year) * 100.0,
        "sharpe": per_bar_sharpe * math.sqrt(per_year),
        "sortino": _ratio(excess, np.sqrt(scan["downside_sq_sum"] / count)) * math.sqrt(per_year),
        "omega": omega,
        "alpha_pct": ((total_return - rf_total) - beta * (buy_hold - rf_total)) * 100.0,
        "beta": beta,
        "tail_ratio": _ratio(np.abs(scan["q95"]), np.abs(scan["q05"])),
        "var_95_pct": scan["q05"] * 100.0,
        "probabilistic_sharpe": _probabilistic_sharpe(per_bar_sharpe, scan["skew"], scan["kurtosis"], count),
    }
    columns.update({name: np.where(solvent, value, np.nan) for name, value in equity_based.items()})
    return columns


def _probabilistic_sharpe(
    sharpe: np.ndarray, skew: np.ndarray, kurtosis: np.ndarray, count: int
) -> np.ndarray:
    """P(true Sharpe > 0) given the per-bar Sharpe of ``count`` returns (Bailey & Lopez de Prado, 2012)."""
    spread = 1.0 - skew * sharpe + (kurtosis - 1.0) / 4.0 * sharpe**2
    z = _ratio(sharpe * math.sqrt(count - 1), np.sqrt(spread))
    return np.array([0.5 * math.erfc(-value / math.sqrt(2.0)) for value in z.tolist()], dtype=np.float64)


def _validated(
    equity: np.ndarray,
    trades: TradeArrays,
    exposure: np.ndarray,
    close: np.ndarray,
    index: np.ndarray,
    commissions: np.ndarray,
    cash: float,
    level: str,
    risk_free_rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Check shapes and ranges, naming the argument at fault; return equity and index as needed.

    Equity comes back Fortran-ordered (each combo's bars contiguous, the engine's layout), the order
    every scan reads.
    """
    if level not in ("screening", "full"):
        raise ValueError(f"level must be 'screening' or 'full', not {level!r}")
    if equity.ndim != 2 or equity.shape[0] < 1:
        raise ValueError(f"equity must be (n_bars >= 1, n_combos), got shape {equity.shape}")
    n_bars, n_combos = equity.shape
    for name, array, size in (("exposure", exposure, n_combos), ("commissions", commissions, n_combos)):
        if np.shape(array) != (size,):
            raise ValueError(f"{name} must have shape ({size},), got {np.shape(array)}")
    index = _checked(n_bars, n_combos, trades, close, index, cash, risk_free_rate)
    return np.asfortranarray(equity, dtype=np.float64), index


def _checked(
    n_bars: int,
    n_combos: int,
    trades: TradeArrays,
    close: np.ndarray,
    index: np.ndarray,
    cash: float,
    risk_free_rate: float,
) -> np.ndarray:
    """Check what both metric paths read besides equity; return the index as datetime64[ns]."""
    for name, array in (("close", close), ("index", index)):
        if np.shape(array) != (n_bars,):
            raise ValueError(f"{name} must have shape ({n_bars},), got {np.shape(array)}")
    if not np.issubdtype(np.asarray(index).dtype, np.datetime64):
        raise ValueError(f"index must be datetime64, got {np.asarray(index).dtype}")
    if not (math.isfinite(cash) and cash > 0):
        raise ValueError(f"cash must be a positive number, got {cash}")
    if not (math.isfinite(risk_free_rate) and risk_free_rate > -1):
        raise ValueError(f"risk_free_rate must be a finite annual rate above -1, got {risk_free_rate}")
    combo = trades.combo
    if combo.size and (combo.min() < 0 or combo.max() >= n_combos):
        raise ValueError(f"trades.combo must index equity's {n_combos} columns")
    same_combo = combo[1:] == combo[:-1]
    if np.any(combo[1:] < combo[:-1]) or np.any(same_combo & (trades.entry_idx[1:] < trades.entry_idx[:-1])):
        raise ValueError("trades must be sorted by combo then entry_idx")
    return np.asarray(index, dtype="datetime64[ns]")
