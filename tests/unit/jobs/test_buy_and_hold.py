"""The buy-and-hold curve a backtest's results carry beside its equity (reduce's ``benchmark``)."""

from __future__ import annotations

import numpy as np
import pytest
from tradewind.jobs.reduce import buy_and_hold
from tradewind.jobs.results import downsample_curve


def _days(*days: int) -> np.ndarray:
    return np.asarray([np.datetime64("2024-01-01", "ns") + np.timedelta64(d, "D") for d in days])


def test_each_share_is_bought_at_its_first_close_and_held() -> None:
    index = _days(0, 1, 2, 3)
    closes = {
        "A": (_days(0, 1, 2, 3), np.asarray([10.0, 20.0, 5.0, 10.0])),
        # B starts a day late (its cash waits) and has no bar on day 3 (its last close holds)
        "B": (_days(1, 2), np.asarray([4.0, 6.0])),
    }
    curve = buy_and_hold(index, closes, {"A": 0.75, "B": 0.25}, 1000.0)
    assert curve.tolist() == pytest.approx([750 + 250, 1500 + 250, 375 + 375, 750 + 375])


def test_a_first_close_that_is_not_positive_keeps_its_cash() -> None:
    index = _days(0, 1)
    curve = buy_and_hold(index, {"A": (index, np.asarray([0.0, 5.0]))}, {"A": 1.0}, 100.0)
    assert curve.tolist() == [100.0, 100.0]


def test_the_cut_keeps_the_benchmark_at_each_runs_last_time() -> None:
    n = 11
    full = {
        "time": [str(i) for i in range(n)],
        "equity": [float(i) for i in range(n)],
        "drawdown_pct": [0.0] * n,
        "benchmark": [100.0 + i for i in range(n)],
    }
    cut = downsample_curve(full, 3)
    assert cut["time"] == ["0", "5", "10"]
    assert cut["benchmark"] == [100.0, 105.0, 110.0]
    assert "benchmark" not in downsample_curve({k: v for k, v in full.items() if k != "benchmark"}, 3)
