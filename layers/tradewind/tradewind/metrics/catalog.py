"""The catalogue of metrics: ids, labels, units and formulas, in display order.

One source for the engine (column names), the CLI table (labels), the API and docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is named, shown and computed; ``screening`` marks the cheap sweep subset."""

    id: str
    label: str
    unit: str  # "date", "days", "%", "cash", "ratio", "count", "probability"
    formula: str
    screening: bool = False


_SPECS = (
    MetricSpec("start", "Start", "date", "index[0]"),
    MetricSpec("end", "End", "date", "index[-1]"),
    MetricSpec("duration_days", "Duration", "days", "(index[-1] - index[0]) in days"),
    MetricSpec("exposure_pct", "Exposure Time [%]", "%", "share of bars with a non-zero position * 100"),
    MetricSpec("equity_final", "Equity Final [$]", "cash", "E[-1]"),
    MetricSpec("equity_peak", "Equity Peak [$]", "cash", "max(E)"),
    MetricSpec("commissions", "Commissions [$]", "cash", "sum of fees paid"),
    MetricSpec("return_pct", "Return [%]", "%", "(E[-1] / cash - 1) * 100", screening=True),
    MetricSpec("buy_hold_return_pct", "Buy & Hold Return [%]", "%", "(close[-1] / close[0] - 1) * 100"),
    MetricSpec("return_ann_pct", "Return (Ann.) [%]", "%", "((E[-1] / E[0]) ** (P / N) - 1) * 100"),
    MetricSpec("volatility_ann_pct", "Volatility (Ann.) [%]", "%", "std(r, ddof=1) * sqrt(P) * 100"),
    MetricSpec("cagr_pct", "CAGR [%]", "%", "((E[-1] / E[0]) ** (365.25 / duration_days) - 1) * 100"),
    MetricSpec(
        "sharpe", "Sharpe Ratio", "ratio", "(mean(r) - rf_p) / std(r, ddof=1) * sqrt(P)", screening=True
    ),
    MetricSpec(
        "sortino", "Sortino Ratio", "ratio", "(mean(r) - rf_p) / sqrt(mean(min(r - rf_p, 0)^2)) * sqrt(P)"
    ),
    MetricSpec("calmar", "Calmar Ratio", "ratio", "return_ann / |max_drawdown| (as fractions)"),
    MetricSpec("omega", "Omega Ratio", "ratio", "sum(max(r - rf_p, 0)) / sum(max(rf_p - r, 0))"),
    MetricSpec("alpha_pct", "Alpha [%]", "%", "(R - rf_T) - beta * (R_bh - rf_T), in %"),
    MetricSpec("beta", "Beta", "ratio", "cov(r, m) / var(m)"),
    MetricSpec(
        "max_drawdown_pct", "Max. Drawdown [%]", "%", "min(E / cummax(E) - 1) * 100 (<= 0)", screening=True
    ),
    MetricSpec(
        "avg_drawdown_pct", "Avg. Drawdown [%]", "%", "mean over drawdown periods of their trough, * 100"
    ),
    MetricSpec(
        "max_drawdown_duration_days", "Max. Drawdown Duration", "days", "longest peak-to-recovery time"
    ),
    MetricSpec("avg_drawdown_duration_days", "Avg. Drawdown Duration", "days", "mean peak-to-recovery time"),
    MetricSpec("trades", "# Trades", "count", "number of closed trades", screening=True),
    MetricSpec("open_trades", "# Open Trades", "count", "number of trades still open on the last bar"),
    MetricSpec("win_rate_pct", "Win Rate [%]", "%", "count(pnl > 0) / trades * 100"),
    MetricSpec("best_trade_pct", "Best Trade [%]", "%", "max(trade return %)"),
    MetricSpec("worst_trade_pct", "Worst Trade [%]", "%", "min(trade return %)"),
    MetricSpec("avg_trade_pct", "Avg. Trade [%]", "%", "(prod(1 + t) ** (1 / trades) - 1) * 100 (geometric)"),
    MetricSpec("max_trade_duration_days", "Max. Trade Duration", "days", "max(exit time - entry time)"),
    MetricSpec("avg_trade_duration_days", "Avg. Trade Duration", "days", "mean(exit time - entry time)"),
    MetricSpec("profit_factor", "Profit Factor", "ratio", "sum(pnl > 0) / |sum(pnl < 0)|"),
    MetricSpec("expectancy_pct", "Expectancy [%]", "%", "mean(trade return %)"),
    MetricSpec("sqn", "SQN", "ratio", "sqrt(trades) * mean(pnl) / std(pnl, ddof=1)"),
    MetricSpec("kelly", "Kelly Criterion", "ratio", "W - (1 - W) / (mean(winning pnl) / mean(|losing pnl|))"),
    MetricSpec(
        "max_consecutive_wins", "Max. Consecutive Wins", "count", "longest run of trades with pnl > 0"
    ),
    MetricSpec(
        "max_consecutive_losses", "Max. Consecutive Losses", "count", "longest run of trades with pnl < 0"
    ),
    MetricSpec("tail_ratio", "Tail Ratio", "ratio", "|quantile(r, 0.95)| / |quantile(r, 0.05)|"),
    MetricSpec("var_95_pct", "Value at Risk 95% [%]", "%", "quantile(r, 0.05) * 100 (<= 0 for a loss)"),
    MetricSpec(
        "probabilistic_sharpe",
        "Probabilistic Sharpe Ratio",
        "probability",
        "Phi(SR * sqrt(N - 1) / sqrt(1 - skew * SR + (kurt - 1) / 4 * SR^2)), SR per bar",
    ),
)

METRICS: dict[str, MetricSpec] = {spec.id: spec for spec in _SPECS}
SCREENING: tuple[str, ...] = ("return_pct", "sharpe", "max_drawdown_pct", "trades")


def rankable(ids: Iterable[str] = METRICS) -> list[str]:
    """The metrics among ``ids`` that a sweep can rank and chart by: numbers, not the dates
    ``start``/``end``; in the order given (ids that are not metrics are dropped)."""
    return [m for m in ids if m in METRICS and METRICS[m].unit != "date"]
