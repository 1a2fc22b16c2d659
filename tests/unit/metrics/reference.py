"""A deliberately plain, one-combo-at-a-time computation of every metric, for the tests to compare with.

Loops and pandas written for clarity, following docs/metrics.md; nothing here is shared with the
vectorised implementation except the periods-per-year number, which is passed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Trade:
    entry_idx: int
    exit_idx: int
    pnl: float
    return_pct: float
    is_open: bool = False


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _drawdown_periods(equity: list[float], days: list[float]) -> list[tuple[float, float]]:
    """(trough as a fraction <= 0, duration in days) for each peak-to-recovery period."""
    periods = []
    peak, peak_bar, trough, under = equity[0], 0, 0.0, False
    for t in range(1, len(equity)):
        if equity[t] >= peak:
            if under:
                periods.append((trough, days[t] - days[peak_bar]))
                under = False
            peak, peak_bar = equity[t], t
        else:
            trough = min(trough, equity[t] / peak - 1) if under else equity[t] / peak - 1
            under = True
    if under:
        periods.append((trough, days[-1] - days[peak_bar]))
    return periods


def reference_metrics(
    equity: list[float],
    trades: list[Trade],
    exposure: float,
    close: list[float],
    index: pd.DatetimeIndex,
    commissions: float,
    cash: float,
    per_year: float,
    rf: float = 0.0,
) -> dict[str, object]:
    """Every metric of one combo."""
    nan = math.nan
    n = len(equity)
    days = [(ts - index[0]).total_seconds() / 86400 for ts in index]
    out: dict[str, object] = {
        "start": index[0],
        "end": index[-1],
        "duration_days": days[-1],
        "exposure_pct": exposure * 100,
        "equity_final": equity[-1],
        "equity_peak": max(equity),
        "commissions": commissions,
        "return_pct": (equity[-1] / cash - 1) * 100,
        "buy_hold_return_pct": (close[-1] / close[0] - 1) * 100,
    }
    peaks = list(pd.Series(equity).cummax())
    max_dd = min(e / p - 1 for e, p in zip(equity, peaks, strict=True))
    periods = _drawdown_periods(equity, days)
    out["max_drawdown_pct"] = max_dd * 100
    out["avg_drawdown_pct"] = sum(p[0] for p in periods) / len(periods) * 100 if periods else nan
    out["max_drawdown_duration_days"] = max((p[1] for p in periods), default=0.0)
    out["avg_drawdown_duration_days"] = sum(p[1] for p in periods) / len(periods) if periods else nan

    r = [equity[t] / equity[t - 1] - 1 for t in range(1, n)]
    count = len(r)
    rf_bar = (1 + rf) ** (1 / per_year) - 1
    growth = equity[-1] / equity[0]
    out["return_ann_pct"] = (growth ** (per_year / count) - 1) * 100 if count else nan
    out["cagr_pct"] = (growth ** (365.25 / days[-1]) - 1) * 100 if days[-1] > 0 else nan
    out["calmar"] = (out["return_ann_pct"] / 100) / -max_dd if max_dd < 0 and count else nan  # type: ignore[operator]
    for name in ("volatility_ann_pct", "sharpe", "sortino", "omega", "alpha_pct", "beta", "tail_ratio"):
        out[name] = nan
    out["var_95_pct"] = _quantile(r, 0.05) * 100 if count else nan
    out["probabilistic_sharpe"] = nan
    if count >= 2:
        mean = sum(r) / count
        std = math.sqrt(sum((x - mean) ** 2 for x in r) / (count - 1))
        out["volatility_ann_pct"] = std * math.sqrt(per_year) * 100
        if std > 0:
            out["sharpe"] = (mean - rf_bar) / std * math.sqrt(per_year)
        downside = math.sqrt(sum(min(x - rf_bar, 0) ** 2 for x in r) / count)
        out["sortino"] = (mean - rf_bar) / downside * math.sqrt(per_year) if downside > 0 else nan
        gains = sum(max(x - rf_bar, 0) for x in r)
        losses = sum(max(rf_bar - x, 0) for x in r)
        out["omega"] = gains / losses if losses > 0 else (math.inf if gains > 0 else nan)
        market = [close[t] / close[t - 1] - 1 for t in range(1, n)]
        if np.var(market) > 0:
            beta = np.cov(r, market)[0, 1] / np.var(market, ddof=1)
            rf_total = (1 + rf) ** (count / per_year) - 1
            out["beta"] = beta
            out["alpha_pct"] = (
                (equity[-1] / cash - 1 - rf_total) - beta * (close[-1] / close[0] - 1 - rf_total)
            ) * 100
        q05, q95 = _quantile(r, 0.05), _quantile(r, 0.95)
        out["tail_ratio"] = abs(q95) / abs(q05) if q05 != 0 else nan
        if std > 0:
            sr = (mean - rf_bar) / std
            m2 = sum((x - mean) ** 2 for x in r) / count
            skew = sum((x - mean) ** 3 for x in r) / count / m2**1.5
            kurt = sum((x - mean) ** 4 for x in r) / count / m2**2
            z = sr * math.sqrt(count - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr**2)
            out["probabilistic_sharpe"] = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    out.update(reference_trade_metrics(trades, days))
    return out


def reference_trade_metrics(trades: list[Trade], days: list[float]) -> dict[str, object]:
    """Statistics of the closed trades of one combo."""
    nan = math.nan
    closed = [t for t in trades if not t.is_open]
    n = len(closed)
    pnl = [t.pnl for t in closed]
    ret = [t.return_pct / 100 for t in closed]
    durations = [days[t.exit_idx] - days[t.entry_idx] for t in closed]
    wins = [p for p in pnl if p > 0]
    losses = [p for p in pnl if p < 0]
    out: dict[str, object] = {"trades": n, "open_trades": len(trades) - n}
    out["win_rate_pct"] = len(wins) / n * 100 if n else nan
    out["best_trade_pct"] = max(ret) * 100 if n else nan
    out["worst_trade_pct"] = min(ret) * 100 if n else nan
    out["avg_trade_pct"] = (
        (math.prod(1 + x for x in ret) ** (1 / n) - 1) * 100 if n and min(ret) > -1 else nan
    )
    out["max_trade_duration_days"] = max(durations) if n else nan
    out["avg_trade_duration_days"] = sum(durations) / n if n else nan
    gross_win, gross_loss = sum(wins), -sum(losses)
    out["profit_factor"] = gross_win / gross_loss if gross_loss > 0 else (math.inf if gross_win > 0 else nan)
    out["expectancy_pct"] = sum(ret) / n * 100 if n else nan
    std = float(np.std(pnl, ddof=1)) if n >= 2 else 0.0
    out["sqn"] = math.sqrt(n) * (sum(pnl) / n) / std if std > 0 else nan
    if wins and losses:
        w = len(wins) / n
        out["kelly"] = w - (1 - w) / ((sum(wins) / len(wins)) / (-sum(losses) / len(losses)))
    else:
        out["kelly"] = nan
    best = {"max_consecutive_wins": 0, "max_consecutive_losses": 0}
    streak = {"max_consecutive_wins": 0, "max_consecutive_losses": 0}
    for p in pnl:
        streak["max_consecutive_wins"] = streak["max_consecutive_wins"] + 1 if p > 0 else 0
        streak["max_consecutive_losses"] = streak["max_consecutive_losses"] + 1 if p < 0 else 0
        for key in best:
            best[key] = max(best[key], streak[key])
    out.update(best)
    return out
