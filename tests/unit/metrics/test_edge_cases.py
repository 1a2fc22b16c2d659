"""Undefined metrics come out as NaN (or the documented value), never as an exception."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tradewind.engine.trades import TradeArrays
from tradewind.metrics import METRICS, compute_metrics

from tests.unit.metrics.builders import run, trade_arrays
from tests.unit.metrics.reference import Trade

TRADE_RATIOS = (
    "win_rate_pct",
    "best_trade_pct",
    "worst_trade_pct",
    "avg_trade_pct",
    "expectancy_pct",
    "sqn",
    "kelly",
)


def test_no_trades_gives_nan_trade_statistics_and_zero_counts() -> None:
    row = run([[100.0, 101.0, 99.0, 102.0]]).iloc[0]
    assert row["trades"] == 0
    assert row["open_trades"] == 0
    assert row["max_consecutive_wins"] == 0
    assert row["max_consecutive_losses"] == 0
    for name in (*TRADE_RATIOS, "profit_factor", "max_trade_duration_days", "avg_trade_duration_days"):
        assert math.isnan(row[name]), name


def test_flat_equity_has_zero_drawdown_and_undefined_ratios() -> None:
    row = run([[100.0] * 30]).iloc[0]
    assert row["return_pct"] == 0.0
    assert row["max_drawdown_pct"] == 0.0
    assert row["max_drawdown_duration_days"] == 0.0
    assert row["volatility_ann_pct"] == 0.0
    for name in ("avg_drawdown_pct", "avg_drawdown_duration_days", "sharpe", "sortino", "calmar", "omega"):
        assert math.isnan(row[name]), name
    for name in ("tail_ratio", "probabilistic_sharpe"):
        assert math.isnan(row[name]), name
    assert row["var_95_pct"] == 0.0


def test_constant_growth_has_no_volatility_and_no_sharpe() -> None:
    row = run([list(100 * 1.01 ** np.arange(40))]).iloc[0]
    assert row["volatility_ann_pct"] == 0.0
    assert math.isnan(row["sharpe"])


@pytest.mark.parametrize("level", ["screening", "full"])
def test_a_single_bar_gives_nan_for_everything_needing_returns(level: str) -> None:
    frame = run([[100.0], [120.0]], cash=100.0, level=level)
    assert frame["return_pct"].tolist() == [0.0, pytest.approx(20.0)]
    assert frame["max_drawdown_pct"].tolist() == [0.0, 0.0]
    assert frame["sharpe"].isna().all()
    if level == "full":
        for name in (
            "return_ann_pct",
            "cagr_pct",
            "volatility_ann_pct",
            "var_95_pct",
            "beta",
            "duration_days",
        ):
            assert frame[name].isna().all() or name == "duration_days", name
        assert (frame["duration_days"] == 0).all()


def test_all_losing_trades() -> None:
    trades = [Trade(0, 1, -10.0, -1.0), Trade(2, 3, -20.0, -2.0), Trade(4, 5, -5.0, -0.5)]
    row = run([[100.0, 90.0, 90.0, 70.0, 70.0, 65.0]], [trades]).iloc[0]
    assert row["trades"] == 3
    assert row["win_rate_pct"] == 0.0
    assert row["profit_factor"] == 0.0
    assert math.isnan(row["kelly"])
    assert row["max_consecutive_losses"] == 3
    assert row["max_consecutive_wins"] == 0
    assert row["best_trade_pct"] == pytest.approx(-0.5)


def test_no_losing_trade_gives_an_infinite_profit_factor() -> None:
    row = run([[100.0, 110.0, 120.0]], [[Trade(0, 1, 10.0, 10.0), Trade(1, 2, 9.0, 9.0)]]).iloc[0]
    assert row["profit_factor"] == math.inf
    assert row["max_consecutive_wins"] == 2


def test_an_open_trade_is_not_counted_in_trade_statistics() -> None:
    trades = [Trade(0, 2, 10.0, 10.0), Trade(3, 5, -50.0, -40.0, is_open=True)]
    row = run([[100.0, 105.0, 110.0, 110.0, 80.0, 60.0]], [trades]).iloc[0]
    assert row["trades"] == 1
    assert row["open_trades"] == 1
    assert row["win_rate_pct"] == 100.0
    assert row["worst_trade_pct"] == pytest.approx(10.0)
    # ...but its mark-to-market loss is in the equity, hence in the drawdown.
    assert row["max_drawdown_pct"] == pytest.approx((60 / 110 - 1) * 100)


def test_unrecovered_drawdown_runs_to_the_last_bar() -> None:
    index = pd.date_range("2024-01-01", periods=6, freq="D")
    row = run([[100.0, 120.0, 90.0, 110.0, 120.0, 100.0]], index=index).iloc[0]
    # periods: bar 1 (peak) -> bar 4 (recovery) = 3 days; bar 4 -> bar 5 (end) = 1 day
    assert row["max_drawdown_duration_days"] == 3.0
    assert row["avg_drawdown_duration_days"] == 2.0
    assert row["avg_drawdown_pct"] == pytest.approx(((90 / 120 - 1) + (100 / 120 - 1)) / 2 * 100)
    assert row["max_drawdown_pct"] == pytest.approx(-25.0)


def test_ruined_equity_makes_return_ratios_nan_but_keeps_return_and_drawdown() -> None:
    row = run([[100.0, 50.0, 0.0, -10.0]], cash=100.0).iloc[0]
    assert row["return_pct"] == pytest.approx(-110.0)
    assert row["max_drawdown_pct"] == pytest.approx(-110.0)
    for name in ("sharpe", "sortino", "return_ann_pct", "volatility_ann_pct", "probabilistic_sharpe"):
        assert math.isnan(row[name]), name
    assert math.isnan(run([[100.0, 50.0, 0.0, -10.0]], cash=100.0, level="screening").loc[0, "sharpe"])


def test_a_trade_losing_everything_makes_the_geometric_average_nan() -> None:
    row = run([[100.0, 0.5, 0.5]], [[Trade(0, 1, -99.5, -100.0)]]).iloc[0]
    assert math.isnan(row["avg_trade_pct"])
    assert row["expectancy_pct"] == -100.0


def test_zero_combos_give_an_empty_frame_with_every_column() -> None:
    frame = compute_metrics(
        np.zeros((5, 0)),
        TradeArrays.empty(),
        np.zeros(0),
        np.ones(5),
        pd.bdate_range("2024-01-01", periods=5).values,
        np.zeros(0),
        1000.0,
    )
    assert frame.shape == (0, len(METRICS))


def test_column_types() -> None:
    frame = run([[100.0, 101.0], [100.0, 99.0]])
    assert frame["start"].dtype.kind == "M"
    for name in ("trades", "open_trades", "max_consecutive_wins", "max_consecutive_losses"):
        assert frame[name].dtype == np.int64, name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "fast"}, "level"),
        ({"cash": 0.0}, "cash"),
        ({"risk_free_rate": float("nan")}, "risk_free_rate"),
        ({"close": np.ones(4)}, "close"),
        ({"exposure": np.ones(3)}, "exposure"),
        ({"index": np.arange(5)}, "index"),
        ({"trades": trade_arrays([[], [], [Trade(0, 1, 1.0, 1.0)]])}, "trades.combo"),
        ({"trades": trade_arrays([[Trade(3, 4, 1.0, 1.0), Trade(0, 1, 1.0, 1.0)], []])}, "sorted"),
        ({"equity": np.ones(5)}, "equity"),
    ],
)
def test_bad_arguments_are_named(change: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "equity": np.ones((5, 2)),
        "trades": TradeArrays.empty(),
        "exposure": np.zeros(2),
        "close": np.ones(5),
        "index": pd.bdate_range("2024-01-01", periods=5).values,
        "commissions": np.zeros(2),
        "cash": 1000.0,
    }
    arguments.update(change)
    with pytest.raises(ValueError, match=message):
        compute_metrics(**arguments)  # type: ignore[arg-type]
