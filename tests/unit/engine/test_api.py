"""The notebook API: lazy top-level names, results' shapes, sweeps, portfolios, input errors."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import tradewind
from tradewind.errors import InvalidInput

from tests.unit.engine.conftest import random_walk


def test_import_tradewind_does_not_load_pandas() -> None:
    code = "import sys, tradewind, tradewind.strategy; sys.exit(bool({'pandas', 'numpy'} & set(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    assert subprocess.run([sys.executable, "-c", code], check=False, env=env).returncode == 0


def test_backtest_result_is_consistent(walk: pd.DataFrame) -> None:
    result = tradewind.backtest(walk, "sma_cross", params={"fast": 5, "slow": 20}, cash=5_000)
    assert result.params == {"fast": 5, "slow": 20}
    assert len(result.equity) == len(result.position) == len(result.drawdown) == len(walk)
    assert result.equity.iloc[-1] == pytest.approx(result.metrics["equity_final"])
    closed = result.trades[~result.trades.is_open]
    open_pnl = result.trades[result.trades.is_open].pnl.sum()
    assert result.equity.iloc[-1] == pytest.approx(5_000 + closed.pnl.sum() + open_pnl)
    assert (result.drawdown <= 0).all()
    held = result.position != 0
    assert result.metrics["exposure_pct"] == pytest.approx(held.mean() * 100)


def test_sweep_rows_match_single_backtests(walk: pd.DataFrame) -> None:
    board = tradewind.sweep(
        walk, "sma_cross", space={"fast": [3, 8], "slow": [20, 40]}, level="full", chunk_size=3
    )
    assert len(board) == 4
    for row in board.itertuples():
        single = tradewind.backtest(walk, "sma_cross", params={"fast": row.fast, "slow": row.slow})
        assert row.return_pct == pytest.approx(single.metrics["return_pct"], rel=1e-12)
        assert row.trades == single.metrics["trades"]


def test_sweep_with_stops_in_blocks_matches_one_chunk(walk: pd.DataFrame) -> None:
    doc = tradewind.template("sma_cross").model_dump()
    doc["risk"] = {"stop_loss": {"pct": 3}, "trailing_stop": {"atr": 2}}
    space = {"fast": {"min": 2, "max": 20, "step": 3}, "slow": [25, 50]}
    whole = tradewind.sweep(walk, doc, space=space)
    chunked = tradewind.sweep(walk, doc, space=space, chunk_size=4)
    pd.testing.assert_frame_equal(whole, chunked)


def test_portfolio_combines_weighted_slices() -> None:
    a, b = random_walk(200, seed=1), random_walk(150, seed=2).iloc[30:]
    result = tradewind.backtest({"A": a, "B": b}, "sma_cross", cash=9_000, weights={"A": 2, "B": 1})
    assert result.weights == {"A": pytest.approx(2 / 3), "B": pytest.approx(1 / 3)}
    at = result.equity.index
    expected = result.symbols["A"].equity.reindex(at).ffill().fillna(6_000) + result.symbols[
        "B"
    ].equity.reindex(at).ffill().fillna(3_000)
    np.testing.assert_allclose(result.equity.to_numpy(), expected.to_numpy())
    assert result.equity.iloc[0] == pytest.approx(9_000)


def test_bad_inputs_name_their_field(walk: pd.DataFrame) -> None:
    with pytest.raises(InvalidInput) as caught:
        tradewind.backtest(walk.drop(columns="high"), "sma_cross")
    assert [p.loc for p in caught.value.problems] == [["data", "high"]]
    with pytest.raises(InvalidInput) as caught:
        tradewind.backtest(walk, "sma_cross", params={"fast": 40, "slow": 30})
    assert caught.value.problems[0].loc == ["params"]
    with pytest.raises(InvalidInput) as caught:
        tradewind.backtest(walk.iloc[:25], "sma_cross")  # slow = 30 bars
    assert caught.value.problems[0].loc == ["indicators", "slow_ma", "params", "window"]
    with pytest.raises(InvalidInput) as caught:
        tradewind.backtest({"A": walk}, "sma_cross", weights={"Z": 1})
    assert ["weights", "Z"] in [p.loc for p in caught.value.problems]
