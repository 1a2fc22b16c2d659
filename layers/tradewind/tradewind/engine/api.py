"""The friendly entry points: ``backtest`` one parameter set, ``sweep`` a whole parameter space.

Both accept a pandas DataFrame of bars (or ``Bars``) and a strategy (model, dict, JSON text or a
template name). ``backtest`` also accepts ``{symbol: DataFrame}`` and then returns a portfolio.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from tradewind.engine.bars import Bars
from tradewind.engine.grid import BLOCK_COMBOS, run_grid
from tradewind.engine.results import combo_range, drawdown_pct, trades_frame
from tradewind.engine.simulate import SimResult
from tradewind.engine.trades import TradeArrays
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy.models import Strategy
from tradewind.strategy.space import ConstraintLike, SpaceEntry, expand
from tradewind.strategy.templates import TEMPLATES
from tradewind.strategy.validation import check_windows, parse_strategy

StrategyLike: TypeAlias = Strategy | Mapping[str, Any] | str
DataLike: TypeAlias = pd.DataFrame | Bars


@dataclass(frozen=True)
class BacktestResult:
    """Everything one run produces; ``trades`` has one row per trade, open ones flagged ``is_open``."""

    strategy: Strategy
    params: dict[str, float]
    metrics: pd.Series
    trades: pd.DataFrame
    equity: pd.Series
    drawdown: pd.Series  # percent below the running peak
    position: pd.Series  # signed units held at each close
    trade_arrays: TradeArrays


def load_strategy(strategy: StrategyLike, n_bars: int | None = None) -> Strategy:
    """A validated strategy from a model, a dict, JSON text or a template name."""
    if isinstance(strategy, str) and strategy in TEMPLATES:
        strategy = TEMPLATES[strategy]()
    return parse_strategy(strategy, n_bars)


def check_data_length(strategy: Strategy, columns: Mapping[str, np.ndarray], n_bars: int) -> None:
    """Refuse windows longer than the data, for the parameter values actually run."""
    problems = check_windows(strategy, n_bars, {name: col.tolist() for name, col in columns.items()})
    if problems:
        raise InvalidInput("The strategy needs more bars than the data has.", problems)


def to_bars(data: DataLike) -> Bars:
    return data if isinstance(data, Bars) else Bars.from_frame(data)


def single_params(strategy: Strategy, params: Mapping[str, float] | None) -> dict[str, np.ndarray]:
    """One combination: the defaults overridden by ``params``, checked against ranges and constraints."""
    given = dict(params or {})
    space: dict[str, SpaceEntry] = {
        name: [given.pop(name, p.default)] for name, p in strategy.parameters.items()
    }
    space.update({name: [value] for name, value in given.items()})  # unknown names: expand reports them
    try:
        columns = expand(strategy, space)
    except InvalidInput as exc:
        problems = [FieldProblem(["params", *p.loc[1:]], p.msg, p.type) for p in exc.problems]
        raise InvalidInput("The parameters are invalid.", problems) from exc
    if columns and len(next(iter(columns.values()))) == 0:
        raise InvalidInput(
            "The parameters violate the strategy's constraints.",
            [FieldProblem(["params"], "the parameters violate a constraint", "constraint")],
        )
    return columns


def chunk_metrics(
    sim: SimResult, bars: Bars, cash: float, level: Literal["screening", "full"], risk_free_rate: float
) -> pd.DataFrame:
    """Metrics of a chunk's combinations, block by block so no (bars x combos) matrix gets big."""
    width = sim.exposure.shape[0]
    frames = []
    for lo in range(0, width, BLOCK_COMBOS):
        hi = min(width, lo + BLOCK_COMBOS)
        trades = combo_range(sim.trades, lo, hi)
        equity = sim.equity(bars.close, lo, hi)
        frames.append(
            metrics_frame(
                equity, trades, sim.exposure[lo:hi], sim.commissions[lo:hi], bars, cash, level, risk_free_rate
            )
        )
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def metrics_frame(
    equity: np.ndarray,
    trades: TradeArrays,
    exposure: np.ndarray,
    commissions: np.ndarray,
    bars: Bars,
    cash: float,
    level: Literal["screening", "full"],
    risk_free_rate: float,
) -> pd.DataFrame:
    """One metrics row per combination (the formulas live in ``tradewind.metrics``)."""
    from tradewind.metrics import compute_metrics

    return compute_metrics(
        equity,
        trades,
        exposure,
        bars.close,
        bars.index,
        commissions,
        cash,
        level=level,
        risk_free_rate=risk_free_rate,
    )


def backtest(
    data: DataLike | Mapping[str, DataLike],
    strategy: StrategyLike,
    params: Mapping[str, float] | None = None,
    cash: float = 10_000.0,
    weights: Mapping[str, float] | None = None,
    risk_free_rate: float = 0.0,
) -> Any:
    """Run one parameter set; a ``{symbol: data}`` mapping gives a ``PortfolioResult``."""
    if isinstance(data, Mapping):
        from tradewind.engine.portfolio import backtest_portfolio

        return backtest_portfolio(data, strategy, params, cash, weights, risk_free_rate)
    return backtest_one(to_bars(data), strategy, params, cash, risk_free_rate)


def backtest_one(
    bars: Bars,
    strategy: StrategyLike,
    params: Mapping[str, float] | None,
    cash: float,
    risk_free_rate: float = 0.0,
) -> BacktestResult:
    """A single backtest on one instrument."""
    doc = load_strategy(strategy)
    columns = single_params(doc, params)
    check_data_length(doc, columns, len(bars))
    sim = next(run_grid(doc, bars, columns, cash)).result
    index = pd.DatetimeIndex(bars.index)
    held_cash, units = sim.changes.holdings(0, 1)
    position = units[:, 0].copy()
    equity_matrix = held_cash + units * bars.close[:, None]
    equity = equity_matrix[:, 0]
    metrics = metrics_frame(
        equity_matrix, sim.trades, sim.exposure, sim.commissions, bars, cash, "full", risk_free_rate
    )
    return BacktestResult(
        strategy=doc,
        params={name: _plain(doc, name, col[0]) for name, col in columns.items()},
        metrics=metrics.iloc[0],
        trades=trades_frame(sim.trades, bars.index),
        equity=pd.Series(equity, index=index, name="equity"),
        drawdown=pd.Series(drawdown_pct(equity), index=index, name="drawdown_pct"),
        position=pd.Series(position, index=index, name="position"),
        trade_arrays=sim.trades,
    )


def _plain(strategy: Strategy, name: str, value: float) -> float:
    p = strategy.parameters.get(name)
    return int(value) if p is not None and p.type == "int" else float(value)


def sweep(
    data: DataLike,
    strategy: StrategyLike,
    space: Mapping[str, SpaceEntry] | None = None,
    constraints: Sequence[ConstraintLike] = (),
    cash: float = 10_000.0,
    level: Literal["screening", "full"] = "screening",
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    risk_free_rate: float = 0.0,
) -> pd.DataFrame:
    """Evaluate every combination of the space; one row per combination: parameters then metrics."""
    bars = to_bars(data)
    doc = load_strategy(strategy)
    columns = expand(doc, space, constraints)
    check_data_length(doc, columns, len(bars))
    n_combos = len(next(iter(columns.values()))) if columns else 1
    frames = []
    for chunk in run_grid(doc, bars, columns, cash, chunk_size=chunk_size, progress=progress):
        frames.append(chunk_metrics(chunk.result, bars, cash, level, risk_free_rate))
    metrics = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = pd.DataFrame(
        {
            name: col.astype(np.int64) if doc.parameters[name].type == "int" else col
            for name, col in columns.items()
        }
    )
    table = table.reindex(range(n_combos)) if table.empty else table
    return pd.concat([table.reset_index(drop=True), metrics.reset_index(drop=True)], axis=1)
