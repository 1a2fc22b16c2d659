"""The friendly entry points: ``backtest`` one parameter set, ``sweep`` a whole parameter space.

Both accept a pandas DataFrame of bars (or ``Bars``) and a strategy (model, dict, JSON text or a
template name). ``backtest`` also accepts ``{symbol: DataFrame}`` and then returns a portfolio.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from tradewind.engine.bars import Bars
from tradewind.engine.grid import BLOCK_COMBOS, SCREEN_COMBOS, run_grid
from tradewind.engine.results import combo_range, drawdown_pct, trades_frame
from tradewind.engine.simulate import SimResult
from tradewind.engine.trades import TradeArrays
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy.models import Strategy
from tradewind.strategy.space import ConstraintLike, SpaceEntry, expand
from tradewind.strategy.templates import TEMPLATES
from tradewind.strategy.validation import check_windows, parse_strategy

if TYPE_CHECKING:
    from tradewind.metrics.segments import CloseTables

StrategyLike: TypeAlias = Strategy | Mapping[str, Any] | str
DataLike: TypeAlias = pd.DataFrame | Bars


@dataclass(frozen=True)
class BacktestResult:
    """Everything one run produces; ``trades`` has one row per trade, open ones flagged ``is_open``.

    The run itself (simulation, metrics, trade table) is computed on construction; its pandas views
    are built on first access, since wrapping arrays in frames costs more than a run.
    """

    strategy: Strategy
    params: dict[str, float]
    trade_arrays: TradeArrays
    metric_columns: dict[str, np.ndarray]  # metric id -> one-element array, in catalogue order
    index: np.ndarray  # datetime64 of each bar
    equity_values: np.ndarray  # equity at each close
    units: np.ndarray  # signed units held at each close

    @functools.cached_property
    def metrics(self) -> pd.Series:
        """The metrics row, as ``sweep`` reports it."""
        return pd.DataFrame(self.metric_columns).iloc[0]

    @functools.cached_property
    def trades(self) -> pd.DataFrame:
        return trades_frame(self.trade_arrays, self.index)

    @functools.cached_property
    def equity(self) -> pd.Series:
        return pd.Series(self.equity_values, index=pd.DatetimeIndex(self.index), name="equity")

    @functools.cached_property
    def drawdown(self) -> pd.Series:
        """Percent below the running peak."""
        values = drawdown_pct(self.equity_values)
        return pd.Series(values, index=pd.DatetimeIndex(self.index), name="drawdown_pct")

    @functools.cached_property
    def position(self) -> pd.Series:
        """Signed units held at each close."""
        return pd.Series(self.units, index=pd.DatetimeIndex(self.index), name="position")


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
    sim: SimResult,
    bars: Bars,
    cash: float,
    level: Literal["screening", "full"],
    risk_free_rate: float,
    tables: CloseTables | None,
) -> pd.DataFrame:
    """Metrics of a chunk's combinations: screening from segments (``tables``: the closes' range
    tables, built once per series), the full set block by block so no (bars x combos) matrix gets big."""
    from tradewind.metrics.compute import (  # the metrics import the engine's trade table
        metric_columns,
        segment_screening_columns,
    )

    width = sim.exposure.shape[0]
    parts = []
    if level == "screening":  # from the fills' constant stretches: no (bars x combos) matrix at all
        for lo in range(0, width, SCREEN_COMBOS):
            hi = min(width, lo + SCREEN_COMBOS)
            segments, trades = sim.changes.segments(lo, hi), combo_range(sim.trades, lo, hi)
            parts.append(
                segment_screening_columns(
                    segments, trades, bars.close, bars.index, cash, risk_free_rate, tables
                )
            )
    else:
        for lo in range(0, width, BLOCK_COMBOS):
            hi = min(width, lo + BLOCK_COMBOS)
            trades = combo_range(sim.trades, lo, hi)
            equity = sim.equity(bars.close, lo, hi)
            parts.append(
                metric_columns(
                    equity,
                    trades,
                    sim.exposure[lo:hi],
                    bars.close,
                    bars.index,
                    sim.commissions[lo:hi],
                    cash,
                    level=level,
                    risk_free_rate=risk_free_rate,
                )
            )
    return pd.DataFrame({name: np.concatenate([part[name] for part in parts]) for name in parts[0]})


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
    from tradewind.metrics.compute import compute_metrics  # the metrics import the engine's trade table

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
    from tradewind.metrics.compute import metric_columns

    sim = next(run_grid(doc, bars, columns, cash)).result
    held_cash, units = sim.changes.holdings(0, 1)
    equity = held_cash + units * bars.close[:, None]
    metrics = metric_columns(
        equity,
        sim.trades,
        sim.exposure,
        bars.close,
        bars.index,
        sim.commissions,
        cash,
        level="full",
        risk_free_rate=risk_free_rate,
    )
    return BacktestResult(
        strategy=doc,
        params={name: _plain(doc, name, col[0]) for name, col in columns.items()},
        trade_arrays=sim.trades,
        metric_columns=metrics,
        index=bars.index,
        equity_values=equity[:, 0],
        units=units[:, 0],
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
    n_combos = len(next(iter(columns.values()))) if columns else 1
    metrics = sweep_columns(bars, doc, columns, cash, level, chunk_size, progress, risk_free_rate)
    table = pd.DataFrame(
        {
            name: col.astype(np.int64) if doc.parameters[name].type == "int" else col
            for name, col in columns.items()
        }
    )
    table = table.reindex(range(n_combos)) if table.empty else table
    return pd.concat([table.reset_index(drop=True), metrics.reset_index(drop=True)], axis=1)


def sweep_columns(
    bars: Bars,
    strategy: Strategy,
    columns: dict[str, np.ndarray],
    cash: float = 10_000.0,
    level: Literal["screening", "full"] = "screening",
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    risk_free_rate: float = 0.0,
) -> pd.DataFrame:
    """The metrics of exactly these combinations (equal-length columns), one row each, in order.

    ``sweep`` is this after expanding a space; a job's worker calls it on its shard's slice of the
    expanded space, so a sharded sweep computes every combination the way ``sweep`` does.
    """
    from tradewind.metrics.segments import CloseTables

    check_data_length(strategy, columns, len(bars))
    tables = CloseTables.of(bars.close) if level == "screening" else None
    frames = []
    for chunk in run_grid(strategy, bars, columns, cash, chunk_size=chunk_size, progress=progress):
        frames.append(chunk_metrics(chunk.result, bars, cash, level, risk_free_rate, tables))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
