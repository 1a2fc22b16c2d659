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
from tradewind.pipeline.timeframes import resample, year_bars
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


def run(
    spec: PipelineSpec, symbols: Iterable[tuple[str, str]], read: Callable[[str], pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The batch's signal table and its summed breadth components (``read``: bars by object key)."""
    first, after = bounds(spec.start, spec.end)
    params = {name: float(value) for name, value in spec.params.items()}
    lookback = year_bars(spec.timeframe)
    tables, parts = [], []
    for symbol, key in symbols:
        frame = resample(read(key), spec.timeframe)
        times = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
        columns = {c: frame[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")}
        keep = in_period(times, first, after)
        part = breadth.components(
            times, columns["close"], columns["high"], columns["low"], columns["volume"], lookback
        )
        parts.append(part[keep])
        if keep.sum() >= 2:
            bars = Bars(times[keep], **{c: v[keep] for c, v in columns.items()})
            tables.append(symbol_signals(symbol, bars, spec.strategy, params))
    found = pd.concat(tables, ignore_index=True) if tables else empty_signals()
    return found, breadth.combine(parts)
