"""Per-combo statistics of closed trades, vectorised over the combo-sorted trade table.

Every statistic is a grouped reduction keyed by ``combo`` (np.bincount with weights, ufunc.at for
extremes), so the cost is O(number of trades) whatever the number of combos.
"""

from __future__ import annotations

import numpy as np

from tradewind.engine.trades import TradeArrays
from tradewind.metrics.calendar import days_between


def closed_mask(trades: TradeArrays) -> np.ndarray:
    """Which rows are closed trades (an empty ``is_open`` means none is open)."""
    if trades.is_open.shape[0] == 0:
        return np.ones(len(trades), dtype=bool)
    return ~trades.is_open


def trade_counts(trades: TradeArrays, n_combos: int) -> tuple[np.ndarray, np.ndarray]:
    """Closed and open trades per combo."""
    closed = closed_mask(trades)
    n_closed = np.bincount(trades.combo[closed], minlength=n_combos)
    n_open = np.bincount(trades.combo[~closed], minlength=n_combos)
    return n_closed.astype(np.int64), n_open.astype(np.int64)


def _group_extreme(
    ufunc: np.ufunc, start: float, keys: np.ndarray, values: np.ndarray, size: int
) -> np.ndarray:
    out = np.full(size, start)
    ufunc.at(out, keys, values)
    return out


def _longest_runs(keys: np.ndarray, flags: np.ndarray, size: int) -> np.ndarray:
    """Per key, the longest run of consecutive True ``flags`` (rows sorted by key)."""
    out = np.zeros(size, dtype=np.int64)
    if keys.shape[0] == 0:
        return out
    # A run breaks where the key changes or the flag changes; keep the runs of True flags.
    breaks = np.flatnonzero((keys[1:] != keys[:-1]) | (flags[1:] != flags[:-1])) + 1
    starts = np.concatenate(([0], breaks))
    lengths = np.diff(np.concatenate((starts, [keys.shape[0]])))
    wanted = flags[starts]
    np.maximum.at(out, keys[starts[wanted]], lengths[wanted])
    return out


def trade_statistics(trades: TradeArrays, n_combos: int, index: np.ndarray) -> dict[str, np.ndarray]:
    """Win rate, best/worst/average trade, durations, profit factor, SQN, Kelly and streaks."""
    closed = closed_mask(trades)
    key = trades.combo[closed]
    pnl = trades.pnl[closed]
    ret = trades.return_pct[closed] / 100.0
    days = days_between(index, trades.entry_idx[closed], trades.exit_idx[closed])

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(key, weights=weights, minlength=n_combos).astype(np.float64)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        n = total(np.ones_like(pnl))
        has = n > 0
        wins, losses = pnl > 0, pnl < 0
        n_win, n_loss = total(wins.astype(np.float64)), total(losses.astype(np.float64))
        gross_win, gross_loss = total(np.where(wins, pnl, 0.0)), -total(np.where(losses, pnl, 0.0))
        win_rate = n_win / n
        mean_pnl = total(pnl) / n
        std_pnl = np.sqrt(total((pnl - mean_pnl[key]) ** 2) / (n - 1))
        ruinous = total((ret <= -1.0).astype(np.float64)) > 0
        geometric = np.expm1(total(np.log1p(np.where(ret > -1.0, ret, 0.0))) / n)
        payoff = (gross_win / n_win) / (gross_loss / n_loss)
        profit_factor = np.where(
            gross_loss > 0, gross_win / gross_loss, np.where(gross_win > 0, np.inf, np.nan)
        )
        stats = {
            "win_rate_pct": win_rate * 100.0,
            "best_trade_pct": _group_extreme(np.maximum, -np.inf, key, ret, n_combos) * 100.0,
            "worst_trade_pct": _group_extreme(np.minimum, np.inf, key, ret, n_combos) * 100.0,
            "avg_trade_pct": np.where(ruinous, np.nan, geometric) * 100.0,
            "max_trade_duration_days": _group_extreme(np.maximum, -np.inf, key, days, n_combos),
            "avg_trade_duration_days": total(days) / n,
            "profit_factor": profit_factor,
            "expectancy_pct": total(ret) / n * 100.0,
            "sqn": np.where(std_pnl > 0, np.sqrt(n) * mean_pnl / std_pnl, np.nan),
            "kelly": np.where((n_win > 0) & (n_loss > 0), win_rate - (1.0 - win_rate) / payoff, np.nan),
        }
    for name in ("best_trade_pct", "worst_trade_pct", "max_trade_duration_days"):
        stats[name] = np.where(has, stats[name], np.nan)
    stats["max_consecutive_wins"] = _longest_runs(key, wins, n_combos)
    stats["max_consecutive_losses"] = _longest_runs(key, losses, n_combos)
    return stats
