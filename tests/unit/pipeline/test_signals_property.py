"""A signal is exactly a decision a backtest of the same strategy takes on that bar (random strategies).

Random documents, bars and parameters from the engine's property-test generators; the scan's signals
must equal, bar for bar, (1) the action codes the engine's backtest path computes
(``SignalPlan.chunk``), (2) the decision and deciding rule of the one-bar-at-a-time reference
backtester, and (3) every trade a backtest opens must start from a signal of its side.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.engine.api import backtest_one, single_params
from tradewind.engine.bars import Bars
from tradewind.engine.signals import SignalPlan
from tradewind.pipeline.signals import ACTION_NAMES, scan
from tradewind.strategy.models import Strategy
from tradewind.strategy.validation import parse_strategy

from tests.unit.engine.reference import _Reference
from tests.unit.engine.test_property import bars, documents, grids


def reference_decisions(strategy: Strategy, b: Bars, params: dict[str, float]) -> dict[int, tuple[str, str]]:
    """bar -> (action, rule id) as the reference backtester decides (the rule: highest priority,
    first listed on a tie, among the enabled rules that hold)."""
    ref = _Reference(strategy, b, params, 10_000.0)
    out = {}
    for t in range(len(b)):
        action = ref.action(t)
        if action is None:
            continue
        best = None
        for rule in strategy.rules:
            if rule.enabled and ref.holds(rule.when, t) and (best is None or rule.priority > best.priority):
                best = rule
        assert best is not None
        out[t] = (action, best.id)
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), frame=bars(), grid=grids(), pick=st.integers(0, 4))
def test_signals_are_the_backtest_decisions(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], pick: int
) -> None:
    strategy = parse_strategy(doc)
    params = {name: float(values[pick % values.size]) for name, values in grid.items()}
    b = Bars.from_frame(frame)
    table = scan(b, strategy, params)
    got = {
        int(bar): (action, rule)
        for bar, action, rule in zip(table.bar, table.action, table.rule, strict=True)
    }

    plan = SignalPlan(strategy, b, single_params(strategy, params), 1)
    codes = plan.chunk(0, 1).codes[0]
    engine = {int(t): ACTION_NAMES[int(codes[t])] for t in np.flatnonzero(codes)}
    assert {bar: action for bar, (action, _) in got.items()} == engine

    assert got == reference_decisions(strategy, b, params)

    lag = 1 if strategy.execution.fill == "next_open" else 0
    sides = dict(zip(table.bar.tolist(), table.side, strict=True))
    result = backtest_one(b, strategy, params, 10_000.0)
    for entry, size in zip(result.trade_arrays.entry_idx, result.trade_arrays.size, strict=True):
        assert sides.get(int(entry) - lag) == ("long" if size > 0 else "short")
    assert np.all((table.strength >= 0) & (table.strength <= 1) | np.isnan(table.strength))
    assert table.close.tolist() == b.close[table.bar].tolist()
