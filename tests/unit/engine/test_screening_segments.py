"""A sweep's screening metrics from the fills' segments equal those of the dense equity matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import tradewind
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.engine.bars import Bars
from tradewind.engine.grid import run_grid
from tradewind.metrics import SCREENING
from tradewind.metrics.compute import metric_columns, segment_screening_columns
from tradewind.strategy.validation import parse_strategy

from tests.unit.engine.conftest import random_walk
from tests.unit.engine.test_property import bars, crossing_documents, documents, grids


def assert_screening_equal(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert list(got) == list(want) == list(SCREENING)
    np.testing.assert_array_equal(got["trades"], want["trades"])
    np.testing.assert_array_equal(got["return_pct"], want["return_pct"])
    np.testing.assert_array_equal(got["max_drawdown_pct"], want["max_drawdown_pct"])
    np.testing.assert_allclose(got["sharpe"], want["sharpe"], rtol=1e-9, atol=1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.one_of(documents(), crossing_documents()),
    frame=bars(),
    grid=grids(),
    cash=st.sampled_from([100.0, 10_000.0]),
    rf=st.sampled_from([0.0, 0.03]),
)
def test_segments_equal_the_dense_equity_on_random_strategies(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], cash: float, rf: float
) -> None:
    strategy, b = parse_strategy(doc), Bars.from_frame(frame)
    for chunk in run_grid(strategy, b, grid, cash, chunk_size=3):
        sim = chunk.result
        width = sim.exposure.shape[0]
        dense = metric_columns(
            sim.equity(b.close),
            sim.trades,
            sim.exposure,
            b.close,
            b.index,
            sim.commissions,
            cash,
            level="screening",
            risk_free_rate=rf,
        )
        got = segment_screening_columns(
            sim.changes.segments(0, width), sim.trades, b.close, b.index, cash, rf
        )
        assert_screening_equal(got, dense)


def test_screening_sweep_equals_the_full_sweep_on_its_columns() -> None:
    """The full level still goes through the dense matrix: both paths agree on the shared columns."""
    walk = random_walk(500, seed=3)
    space = {"fast": {"min": 2, "max": 30, "step": 2}, "slow": {"min": 10, "max": 120, "step": 10}}
    screening = tradewind.sweep(walk, "sma_cross", space=space)
    full = tradewind.sweep(walk, "sma_cross", space=space, level="full")
    assert len(screening) > 100
    assert_screening_equal(
        {name: screening[name].to_numpy() for name in SCREENING},
        {name: full[name].to_numpy() for name in SCREENING},
    )
