"""The vectorized backtester: fill simulation across a parameter grid, single runs, sweeps, portfolios."""

from tradewind.engine.api import BacktestResult, backtest, load_strategy, sweep
from tradewind.engine.portfolio import PortfolioResult

__all__ = ["BacktestResult", "PortfolioResult", "backtest", "load_strategy", "sweep"]
