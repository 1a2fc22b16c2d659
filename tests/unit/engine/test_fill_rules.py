"""Each fill rule of docs/engine.md pinned on hand-written bars."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from tradewind.engine.api import backtest_one
from tradewind.engine.bars import Bars
from tradewind.strategy.validation import parse_strategy

from tests.unit.engine.conftest import frame

# close crosses above 10 on bar 1, below on bar 3.
OPEN = [9.0, 10.5, 12.0, 11.0, 8.0, 8.5]
HIGH = [9.5, 11.5, 12.5, 11.5, 8.5, 9.0]
LOW = [8.5, 10.0, 11.5, 8.8, 7.5, 8.0]
CLOSE = [9.0, 11.0, 12.0, 9.0, 8.0, 8.8]


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "threshold",
        "rules": [
            {"id": "up", "when": {"op": "crosses_above", "left": "close", "right": 10}, "action": "buy"},
            {"id": "down", "when": {"op": "crosses_below", "left": "close", "right": 10}, "action": "sell"},
        ],
    }
    base.update(changes)
    return base


def run(document: dict[str, Any], bars: pd.DataFrame | None = None, cash: float = 1000.0) -> Any:
    data = bars if bars is not None else frame(OPEN, HIGH, LOW, CLOSE)
    return backtest_one(Bars.from_frame(data), parse_strategy(document), None, cash)


def test_signal_on_close_fills_next_open() -> None:
    trades = run(doc()).trades
    assert list(trades.entry_bar) == [2]
    assert list(trades.entry_price) == [12.0]  # open of the bar after the cross
    assert list(trades.exit_bar) == [4]
    assert list(trades.exit_price) == [8.0]
    assert list(trades["size"]) == [83.0]  # floor(1000 / 12): whole units by default


def test_same_bar_close_option() -> None:
    trades = run(doc(execution={"fill": "close"})).trades
    assert (trades.entry_bar[0], trades.entry_price[0]) == (1, 11.0)
    assert (trades.exit_bar[0], trades.exit_price[0]) == (3, 9.0)


def test_fractional_units_on_request() -> None:
    trades = run(doc(sizing={"mode": "all_in", "fractional": True})).trades
    assert trades["size"][0] == pytest.approx(1000 / 12)


def test_commission_per_side_on_notional_and_slippage() -> None:
    result = run(doc(costs={"commission": 0.01, "commission_fixed": 2.0, "slippage_bps": 100}))
    t = result.trades.iloc[0]
    entry = 12.0 * 1.01
    units = np.floor((1000 - 2.0) / (entry * 1.01))
    exit_ = 8.0 * 0.99
    fees = units * entry * 0.01 + 2.0 + units * exit_ * 0.01 + 2.0
    assert (t.entry_price, t.exit_price, t["size"]) == (pytest.approx(entry), pytest.approx(exit_), units)
    assert t.fees == pytest.approx(fees)
    assert t.pnl == pytest.approx(units * (exit_ - entry) - fees)
    assert result.equity.iloc[-1] == pytest.approx(1000 + t.pnl)


def test_reversal_closes_then_opens() -> None:
    document = doc(direction="long_short")
    document["rules"][1]["action"] = "short"
    trades = run(document).trades
    assert list(trades.exit_reason) == ["reversal", "end_of_data"]
    assert trades.exit_bar[0] == trades.entry_bar[1] == 4
    assert trades["size"][1] < 0
    assert bool(trades.is_open[1])


def test_stop_intrabar_at_level() -> None:
    trades = run(doc(risk={"stop_loss": {"pct": 5}})).trades
    # entry 12 at bar 2's open; level 11.4; bar 3 opens at 11 (a gap through it): fills at the open.
    assert (trades.exit_bar[0], trades.exit_reason[0], trades.exit_price[0]) == (3, "stop_loss", 11.0)
    trades = run(doc(risk={"stop_loss": {"pct": 3}})).trades
    # level 11.64 inside bar 2's range (low 11.5): fills at the level on the entry bar.
    assert (trades.exit_bar[0], trades.exit_reason[0]) == (2, "stop_loss")
    assert trades.exit_price[0] == pytest.approx(12 * 0.97)


def test_take_profit_and_trailing_stop() -> None:
    trades = run(doc(risk={"take_profit": {"pct": 4}})).trades
    assert (trades.exit_bar[0], trades.exit_reason[0]) == (2, "take_profit")
    assert trades.exit_price[0] == pytest.approx(12.48)
    trades = run(doc(risk={"trailing_stop": {"pct": 10}})).trades
    # peak 12.5 after bar 2; level 11.25; bar 3 opens at 11: gap fill at the open.
    assert (trades.exit_bar[0], trades.exit_reason[0], trades.exit_price[0]) == (3, "trailing_stop", 11.0)


def test_open_position_marked_to_market_or_closed_at_end() -> None:
    document = doc()
    document["rules"] = document["rules"][:1]
    open_run = run(document)
    t = open_run.trades.iloc[0]
    assert bool(t.is_open)
    assert t.exit_price == CLOSE[-1]
    assert t.exit_reason == "end_of_data"
    assert open_run.equity.iloc[-1] == pytest.approx(1000 - 83 * 12 + 83 * CLOSE[-1])
    closed = run({**document, "execution": {"close_at_end": True}}).trades.iloc[0]
    assert not bool(closed.is_open)
    assert closed.exit_bar == len(CLOSE) - 1


def test_no_look_ahead() -> None:
    """Changing bars after t never changes what happened up to t."""
    from tradewind.strategy.templates import sma_cross

    from tests.unit.engine.conftest import random_walk

    data = random_walk(200, seed=4)
    full = backtest_one(Bars.from_frame(data), sma_cross(), None, 10_000.0)
    cut = 120
    changed = data.copy()
    changed.iloc[cut + 1 :] *= 1.7
    other = backtest_one(Bars.from_frame(changed), sma_cross(), None, 10_000.0)
    np.testing.assert_array_equal(full.equity.iloc[: cut + 1], other.equity.iloc[: cut + 1])
    done = full.trades[full.trades.exit_bar <= cut]
    assert done.equals(other.trades.iloc[: len(done)])


def test_priority_decides_same_bar_conflicts() -> None:
    document = doc()
    document["rules"].append(
        {"id": "never", "when": {"op": ">", "left": "close", "right": 0}, "action": "sell", "priority": 1}
    )
    assert run(document).trades.empty  # "sell" outranks "buy" on every bar
    document["rules"][2]["enabled"] = False
    assert len(run(document).trades) == 1
