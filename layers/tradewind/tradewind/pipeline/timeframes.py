"""Bars of a pipeline's timeframe: daily, weekly and monthly by resampling, intraday as stored.

A resampled bar opens at its first bar's open, closes at its last bar's close, spans the highest high
and the lowest low, sums the volume, and is stamped with the time of its last bar (so a weekly bar of a
week that ends on a holiday carries the Thursday it really closed on).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Timeframe = Literal["1d", "1w", "1mo", "intraday"]
_PERIODS = {"1d": "D", "1w": "W", "1mo": "M"}
_DAY = np.timedelta64(1, "D")


def is_intraday(times: np.ndarray) -> bool:
    """Whether bars come more than once a day (their median spacing is under a day)."""
    if times.size < 2:
        return False
    return bool(np.median(np.diff(times.astype("datetime64[ns]"))) < _DAY)


def resample(frame: pd.DataFrame, timeframe: Timeframe) -> pd.DataFrame:
    """``frame`` (``timestamp, open, high, low, close, volume`` in time order) in ``timeframe``.

    ``intraday`` keeps the bars as they are; ``1d`` of daily bars too.
    """
    times = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    if timeframe == "intraday" or (timeframe == "1d" and not is_intraday(times)):
        return frame
    period = pd.DatetimeIndex(times).to_period(_PERIODS[timeframe])
    grouped = frame.groupby(np.asarray(period.asi8), sort=True)
    out = grouped.agg(
        timestamp=("timestamp", "last"),
        open=("open", "first"),
        high=("high", "max"),
        low=("low", "min"),
        close=("close", "last"),
        volume=("volume", "sum"),
    )
    return out.reset_index(drop=True)


def year_bars(timeframe: Timeframe) -> int:
    """Bars in 52 weeks: the lookback of a new high or low."""
    return {"1d": 252, "1w": 52, "1mo": 12, "intraday": 252}[timeframe]
