"""The event form of a chunk's action codes (no code matrix) equals the dense code matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.engine.bars import Bars
from tradewind.engine.signals import SignalPlan
from tradewind.strategy.validation import parse_strategy

from tests.unit.engine.test_property import bars, crossing_documents, documents, grids


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.one_of(documents(), crossing_documents()),
    frame=bars(),
    grid=grids(),
    cut=st.integers(0, 5),
)
def test_events_equal_the_dense_codes(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], cut: int
) -> None:
    """Every rule set, priority and direction: same cells, same winning code, time order kept."""
    for rule in doc["rules"][1:]:
        rule["enabled"] = True  # rules that all fire on some bar exercise the priority resolution
    strategy, b = parse_strategy(doc), Bars.from_frame(frame)
    n_combos = grid["fast"].size
    plan = SignalPlan(strategy, b, grid, n_combos)
    start = min(cut, n_combos - 1)
    dense = plan.chunk(start, n_combos).codes
    events = plan.events(start, n_combos)
    flat = np.flatnonzero(dense != 0)  # the dense matrix's nonzero cells, combination-major
    combo, bar = np.divmod(flat, dense.shape[1])
    assert (events.width, events.n_bars) == dense.shape
    np.testing.assert_array_equal(events.combo, combo)
    np.testing.assert_array_equal(events.bar, bar)
    np.testing.assert_array_equal(events.code, dense.ravel()[flat])
    rows = np.arange(0, events.width, 2)
    np.testing.assert_array_equal(events.codes(rows), dense[rows])


def test_events_of_a_rule_set_that_never_fires_are_empty() -> None:
    doc = {
        "name": "never",
        "indicators": {"fast": {"kind": "sma", "params": {"window": 3}}},
        "rules": [{"id": "r", "when": {"op": ">", "left": "fast", "right": 1e9}, "action": "buy"}],
    }
    frame = pd.DataFrame(
        {"open": 1.0, "high": 1.0, "low": 1.0, "close": np.linspace(1, 2, 30)},
        index=pd.bdate_range("2024-01-01", periods=30),
    )
    plan = SignalPlan(parse_strategy(doc), Bars.from_frame(frame), {}, 1)
    events = plan.events(0, 1)
    assert events.combo.size == events.bar.size == events.code.size == 0
    assert events.codes(np.arange(1)).shape == (1, 30)
