"""Resampling to a run's timeframe (docs/pipeline.md, What a run scans)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tradewind.pipeline.timeframes import is_intraday, resample


def frame(times: pd.DatetimeIndex) -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame(
        {
            "timestamp": times,
            "open": np.arange(n, dtype=float) + 1,
            "high": np.arange(n, dtype=float) + 10,
            "low": np.arange(n, dtype=float),
            "close": np.arange(n, dtype=float) + 2,
            "volume": np.ones(n),
        }
    )


def test_weekly_bars_aggregate_the_week_and_carry_its_last_bar_time() -> None:
    daily = frame(pd.bdate_range("2024-01-01", "2024-01-11"))  # Mon 1st .. Thu 11th: 9 bars
    weekly = resample(daily, "1w")
    assert weekly["timestamp"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-11")]
    assert weekly["open"].tolist() == [1.0, 6.0]
    assert weekly["high"].tolist() == [14.0, 18.0]
    assert weekly["low"].tolist() == [0.0, 5.0]
    assert weekly["close"].tolist() == [6.0, 10.0]
    assert weekly["volume"].tolist() == [5.0, 4.0]


def test_monthly_and_daily() -> None:
    daily = frame(pd.bdate_range("2024-01-30", "2024-02-02"))
    assert resample(daily, "1mo")["timestamp"].tolist() == [
        pd.Timestamp("2024-01-31"),
        pd.Timestamp("2024-02-02"),
    ]
    assert resample(daily, "1d") is daily  # daily bars stay as they are
    hourly = frame(pd.date_range("2024-01-01 09:00", periods=6, freq="8h"))
    assert is_intraday(hourly["timestamp"].to_numpy())
    days = resample(hourly, "1d")
    # bars at 09:00 and 17:00 on the 1st; 01:00, 09:00 and 17:00 on the 2nd; 01:00 on the 3rd
    assert days["volume"].tolist() == [2.0, 3.0, 1.0]
    assert days["close"].tolist() == [3.0, 6.0, 7.0]
    assert resample(hourly, "intraday") is hourly
