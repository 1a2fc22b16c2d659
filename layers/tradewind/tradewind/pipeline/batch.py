"""One batch's work, without AWS: each symbol's signals and breadth components from its bars.

Signals are the strategy's decisions on the bars of the run's period (what a backtest over that
period decides); breadth components use the symbol's whole history before the period as lookback
(a 200-bar average exists on the first day of the period when the data has it), then keep the
period's bars. A symbol with fewer bars in the period than the strategy's longest window yields no
signals, as a backtest of it would refuse to run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from tradewind.engine.bars import Bars
from tradewind.errors import InvalidInput
from tradewind.pipeline import breadth, signals
from tradewind.pipeline.spec import PipelineSpec
from tradewind.pipeline.timeframes import Timeframe, resample, year_bars
from tradewind.strategy.models import Strategy

SIGNAL_COLUMNS = ("symbol", "time", "bar", "rule", "action", "side", "strength", "close", "values")


def bounds(start: date | None, end: date | None) -> tuple[np.datetime64 | None, np.datetime64 | None]:
    """The period's first instant and the instant after its last day (inclusive UTC dates)."""
    first = None if start is None else np.datetime64(datetime.combine(start, time()), "ns")
    after = None if end is None else np.datetime64(datetime.combine(end + timedelta(days=1), time()), "ns")
    return first, after


def in_period(times: np.ndarray, first: np.datetime64 | None, after: np.datetime64 | None) -> np.ndarray:
    keep = np.ones(times.size, dtype=bool)
    if first is not None:
        keep &= times >= first
    if after is not None:
        keep &= times < after
    return keep


def symbol_signals(symbol: str, bars: Bars, strategy: Strategy, params: dict[str, float]) -> pd.DataFrame:
    """The symbol's signal rows (none when its bars are too few for the strategy's windows)."""
    try:
        table = signals.scan(bars, strategy, params)
    except InvalidInput:
        table = None
    if table is None or not len(table):
        return empty_signals()
    return pd.DataFrame(
        {
            "symbol": symbol,
            "time": table.time,
            "bar": table.bar,
            "rule": table.rule,
            "action": table.action,
            "side": table.side,
            "strength": table.strength,
            "close": table.close,
            "values": [json.dumps(v, separators=(",", ":"), allow_nan=False) for v in table.values],
        }
    )


def empty_signals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": pd.Series(dtype=str),
            "time": pd.Series(dtype="datetime64[ns]"),
            "bar": pd.Series(dtype=np.int64),
            "rule": pd.Series(dtype=str),
            "action": pd.Series(dtype=str),
            "side": pd.Series(dtype=str),
            "strength": pd.Series(dtype=np.float64),
            "close": pd.Series(dtype=np.float64),
            "values": pd.Series(dtype=str),
        }
    )


def timeframe_columns(frame: pd.DataFrame, timeframe: Timeframe) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A symbol's bar times and OHLCV columns in ``timeframe``."""
    frame = resample(frame, timeframe)
    times = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    return times, {c: frame[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")}


def period_components(
    frames: Iterable[pd.DataFrame], timeframe: Timeframe, start: date | None, end: date | None
) -> pd.DataFrame:
    """Summed breadth components of these symbols' bars on the period's bars (each symbol's whole
    history is its lookback, as in :func:`run`): what a run's batches add up to."""
    first, after = bounds(start, end)
    lookback = year_bars(timeframe)
    parts = []
    for frame in frames:
        times, columns = timeframe_columns(frame, timeframe)
        parts.append(_components(times, columns, lookback)[in_period(times, first, after)])
    return breadth.combine(parts)


def _components(times: np.ndarray, c: dict[str, np.ndarray], lookback: int) -> pd.DataFrame:
    return breadth.components(times, c["close"], c["high"], c["low"], c["volume"], lookback)


def run(
    spec: PipelineSpec, symbols: Iterable[tuple[str, str]], read: Callable[[str], pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The batch's signal table and its summed breadth components (``read``: bars by object key)."""
    first, after = bounds(spec.start, spec.end)
    params = {name: float(value) for name, value in spec.params.items()}
    lookback = year_bars(spec.timeframe)
    tables, parts = [], []
    for symbol, key in symbols:
        times, columns = timeframe_columns(read(key), spec.timeframe)
        keep = in_period(times, first, after)
        parts.append(_components(times, columns, lookback)[keep])
        if keep.sum() >= 2:
            bars = Bars(times[keep], **{c: v[keep] for c, v in columns.items()})
            tables.append(symbol_signals(symbol, bars, spec.strategy, params))
    found = pd.concat(tables, ignore_index=True) if tables else empty_signals()
    return found, breadth.combine(parts)
