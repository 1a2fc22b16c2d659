"""The periods-per-year rule (docs/metrics.md)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from tradewind.metrics.calendar import periods_per_year


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (pd.bdate_range("2020-01-01", periods=500), 252),
        (pd.date_range("2020-01-01", periods=500, freq="D"), 365),
        (pd.date_range("2020-01-01", periods=24 * 60, freq="h"), 365 * 24),
        (pd.date_range("2020-01-06", periods=300, freq="W-MON"), 52),
        (pd.date_range("2015-01-31", periods=60, freq="ME"), 12),
        (pd.date_range("2000-03-31", periods=40, freq="QE"), 4),
        (pd.date_range("1990-12-31", periods=30, freq="YE"), 1),
    ],
)
def test_regular_calendars(index: pd.DatetimeIndex, expected: float) -> None:
    assert periods_per_year(index.values) == pytest.approx(expected)


def test_business_day_minute_bars_count_bars_per_session() -> None:
    days = pd.bdate_range("2023-01-02", periods=20)
    index = pd.DatetimeIndex([d + pd.Timedelta(hours=14, minutes=30 + m) for d in days for m in range(390)])
    assert periods_per_year(index.values) == pytest.approx(252 * 390)


def test_business_days_with_holidays_stay_252() -> None:
    index = pd.bdate_range("2020-01-01", periods=300).delete([10, 50, 120])
    assert periods_per_year(index.values) == 252


def test_fewer_than_two_bars_has_no_period() -> None:
    assert math.isnan(periods_per_year(pd.bdate_range("2020-01-01", periods=1).values))
