"""How many bars make a year, read from the bar timestamps (annualisation needs it)."""

from __future__ import annotations

import numpy as np

NS_PER_DAY = 86_400 * 10**9
DAYS_PER_YEAR = 365.25
# A series is "calendar-daily" (crypto-like) when more than 60% of the expected 2/7 of its bars fall on
# a weekend; the rule and threshold are backtesting.py's.
_WEEKEND_SHARE = 2 / 7 * 0.6


def _nanoseconds(index: np.ndarray) -> np.ndarray:
    """Timestamps as int64 nanoseconds, whatever the datetime64 unit (pandas 3 defaults to microseconds)."""
    return np.asarray(index).astype("datetime64[ns]").view(np.int64)


def days_between(index: np.ndarray, first: np.ndarray | int, last: np.ndarray | int) -> np.ndarray:
    """Calendar days (float) from ``index[first]`` to ``index[last]``."""
    ns = _nanoseconds(index)
    return np.asarray((ns[last] - ns[first]) / NS_PER_DAY, dtype=np.float64)


def periods_per_year(index: np.ndarray) -> float:
    """Bars per year: 252 (business-daily) or 365 (7-day week), times bars per day when intraday.

    Weekly, monthly, quarterly and yearly bars give round(365.25 / median spacing in days): 52, 12, 4, 1.
    NaN for fewer than two bars.
    """
    if index.shape[0] < 2:
        return float("nan")
    ns = _nanoseconds(index)
    step_days = float(np.median(np.diff(ns))) / NS_PER_DAY
    if step_days >= 5.0:
        return float(max(1, round(DAYS_PER_YEAR / step_days)))
    day_numbers = ns // NS_PER_DAY  # days since 1970-01-01, a Thursday
    weekday = (day_numbers + 3) % 7  # Monday = 0
    trading_days = 365.0 if float(np.mean(weekday >= 5)) > _WEEKEND_SHARE else 252.0
    if step_days >= 1.0:
        return trading_days
    bars_per_day = index.shape[0] / np.unique(day_numbers).shape[0]
    return trading_days * bars_per_day
