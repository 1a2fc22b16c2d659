"""Fast engine == reference engine on random strategies and random bars (trades and equity to 1e-9)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.engine.bars import Bars
from tradewind.engine.grid import run_grid
from tradewind.engine.trades import EXIT_REASONS
from tradewind.strategy.models import Strategy
from tradewind.strategy.validation import parse_strategy

from tests.unit.engine.reference import reference_backtest

SERIES = ["close", "fast", "slow", "osc", "smooth", "bb.upper", "bb.lower"]


@st.composite
def bars(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(25, 120))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vol = draw(st.sampled_from([0.005, 0.02, 0.05]))
    close = 50 * np.exp(np.cumsum(rng.normal(0, vol, n)))
    gaps = np.where(rng.random(n) < 0.15, rng.normal(0, 4 * vol, n), rng.normal(0, vol / 4, n))
    open_ = np.concatenate(([50.0], close[:-1])) * np.exp(gaps)
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, vol, n)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, vol, n)))
    return pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": 1.0},
        index=pd.bdate_range("2021-01-01", periods=n),
    )


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["cmp", "cmp", "cross", "between"] + (["all", "any", "not"] if depth < 2 else []))
    )
    if kind == "cmp":
        right = draw(st.one_of(st.sampled_from(SERIES), st.just({"param": "level"})))
        return {
            "op": draw(st.sampled_from([">", "<", ">=", "<="])),
            "left": draw(st.sampled_from(SERIES)),
            "right": right,
        }
    if kind == "cross":
        left, right = draw(st.lists(st.sampled_from(SERIES), min_size=2, max_size=2, unique=True))
        return {"op": draw(st.sampled_from(["crosses_above", "crosses_below"])), "left": left, "right": right}
    if kind == "between":
        return {"op": "between", "left": "osc", "lower": 30, "upper": {"param": "level"}}
    if kind == "not":
        return {"op": "not", "of": draw(conditions(depth + 1))}
    return {"op": kind, "of": draw(st.lists(conditions(depth + 1), min_size=1, max_size=3))}


def exit_rule(draw: st.DrawFn) -> dict[str, Any] | None:
    choice = draw(st.sampled_from([None, None, None, "pct", "atr", "param"]))
    if choice is None:
        return None
    if choice == "param":
        return {"pct": {"param": "stop"}}
    if choice == "pct":
        return {"pct": draw(st.floats(0.3, 15))}
    return {"atr": draw(st.floats(0.3, 4))}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    ma = draw(st.sampled_from(["sma", "ema", "wma"]))
    n_rules = draw(st.integers(1, 4))
    rules = [
        {
            "id": f"r{i}",
            "when": draw(conditions()),
            "action": draw(st.sampled_from(["buy", "sell", "short", "cover", "close"])),
            "priority": draw(st.integers(0, 2)),
            "enabled": i == 0 or draw(st.booleans()),
        }
        for i in range(n_rules)
    ]
    sizing_mode = draw(st.sampled_from(["all_in", "fraction", "units"]))
    sizing: dict[str, Any] = {"mode": sizing_mode, "fractional": draw(st.booleans())}
    if sizing_mode == "fraction":
        sizing["value"] = draw(st.floats(0.05, 1.0))
    elif sizing_mode == "units":
        sizing["value"] = draw(st.floats(0.5, 40))
    return {
        "name": "random",
        "parameters": {
            "fast": {"default": 3, "min": 1, "max": 10},
            "slow": {"default": 8, "min": 2, "max": 20},
            "level": {"type": "float", "default": 50.0, "min": 0, "max": 200},
            "stop": {"type": "float", "default": 2.0, "min": 0.1, "max": 50},
        },
        "indicators": {
            "fast": {"kind": ma, "params": {"window": {"param": "fast"}}},
            "slow": {
                "kind": draw(st.sampled_from(["sma", "ema", "wma"])),
                "params": {"window": {"param": "slow"}},
            },
            "osc": {"kind": draw(st.sampled_from(["rsi", "roc"])), "params": {"window": 5}},
            "smooth": {"kind": "sma", "source": "osc", "params": {"window": 3}},
            "bb": {"kind": "bollinger", "params": {"window": {"param": "slow"}, "k": 1.5}},
        },
        "rules": rules,
        "direction": draw(st.sampled_from(["long_only", "short_only", "long_short"])),
        "sizing": sizing,
        "risk": {
            "stop_loss": exit_rule(draw),
            "take_profit": exit_rule(draw),
            "trailing_stop": exit_rule(draw),
            "atr_window": draw(st.integers(2, 6)),
        },
        "costs": {
            "commission": draw(st.sampled_from([0.0, 0.001, 0.01])),
            "commission_fixed": draw(st.sampled_from([0.0, 1.0, 25.0])),
            "slippage_bps": draw(st.sampled_from([0.0, 5.0, 80.0])),
        },
        "execution": {
            "fill": draw(st.sampled_from(["next_open", "close"])),
            "close_at_end": draw(st.booleans()),
        },
    }


@st.composite
def grids(draw: st.DrawFn) -> dict[str, np.ndarray]:
    size = draw(st.integers(1, 5))
    fast = draw(st.lists(st.integers(1, 10), min_size=size, max_size=size))
    slow = draw(st.lists(st.integers(2, 20), min_size=size, max_size=size))
    level = draw(st.lists(st.sampled_from([0.0, 40.0, 55.0, 100.0, 150.0]), min_size=size, max_size=size))
    stop = draw(st.lists(st.floats(0.2, 10), min_size=size, max_size=size))
    return {
        k: np.asarray(v, dtype=np.float64)
        for k, v in {"fast": fast, "slow": slow, "level": level, "stop": stop}.items()
    }


def assert_same(
    strategy: Strategy, frame: pd.DataFrame, grid: dict[str, np.ndarray], cash: float, chunk: int
) -> None:
    b = Bars.from_frame(frame)
    for ch in run_grid(strategy, b, grid, cash, chunk_size=chunk):
        equity = ch.result.equity(b.close)
        for local in range(ch.stop - ch.start):
            combo = ch.start + local
            params = {k: float(v[combo]) for k, v in grid.items()}
            ref = reference_backtest(strategy, b, params, cash)
            np.testing.assert_allclose(equity[:, local], ref.equity, rtol=1e-9, atol=1e-9 * cash)
            t = ch.result.trades
            mine = np.flatnonzero(t.combo == local)
            assert len(mine) == len(ref.trades), (params, len(mine), len(ref.trades))
            for row, r in zip(mine, ref.trades, strict=True):
                assert (t.entry_idx[row], t.exit_idx[row], bool(t.is_open[row])) == (
                    r.entry_bar,
                    r.exit_bar,
                    r.is_open,
                )
                assert EXIT_REASONS[t.exit_reason[row]] == r.exit_reason
                got = [
                    t.entry_price[row],
                    t.exit_price[row],
                    t.size[row],
                    t.pnl[row],
                    t.return_pct[row],
                    t.fees[row],
                ]
                want = [r.entry_price, r.exit_price, r.size, r.pnl, r.return_pct, r.fees]
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=documents(),
    frame=bars(),
    grid=grids(),
    cash=st.sampled_from([100.0, 10_000.0]),
    chunk=st.integers(1, 3),
)
def test_engine_matches_reference(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], cash: float, chunk: int
) -> None:
    assert_same(parse_strategy(doc), frame, grid, cash, chunk)


@st.composite
def crossing_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Crossovers that trade often: reversals, signal exits and re-entries after stops."""
    doc = draw(documents())
    up, down = draw(
        st.sampled_from([("buy", "short"), ("buy", "sell"), ("short", "cover"), ("buy", "close")])
    )
    doc["rules"] = [
        {"id": "up", "when": {"op": "crosses_above", "left": "fast", "right": "slow"}, "action": up},
        {"id": "down", "when": {"op": "crosses_below", "left": "fast", "right": "slow"}, "action": down},
        {
            "id": "level",
            "when": {"op": ">", "left": "osc", "right": {"param": "level"}},
            "action": "close",
            "priority": -1,
        },
    ]
    doc["direction"] = draw(st.sampled_from(["long_short", "long_short", "long_only", "short_only"]))
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=crossing_documents(),
    frame=bars(),
    grid=grids(),
    cash=st.sampled_from([100.0, 10_000.0]),
    chunk=st.integers(1, 3),
)
def test_engine_matches_reference_on_crossovers(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], cash: float, chunk: int
) -> None:
    assert_same(parse_strategy(doc), frame, grid, cash, chunk)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.one_of(documents(), crossing_documents()),
    frame=bars(),
    grid=grids(),
    cash=st.sampled_from([100.0, 10_000.0]),
)
def test_event_path_matches_reference(
    doc: dict[str, Any], frame: pd.DataFrame, grid: dict[str, np.ndarray], cash: float
) -> None:
    """Without risk exits a chunk of several combinations loops over fills instead of bars."""
    doc["risk"] = {"atr_window": doc["risk"]["atr_window"]}
    assert_same(parse_strategy(doc), frame, grid, cash, chunk=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.one_of(documents(), crossing_documents()),
    frame=bars(),
    cash=st.sampled_from([100.0, 10_000.0]),
    level=st.sampled_from([0.0, 55.0]),
)
def test_ordered_sweep_matches_reference(
    doc: dict[str, Any], frame: pd.DataFrame, cash: float, level: float
) -> None:
    """A grid in sweep order has long runs of consecutive indicator columns: blocks are cut at them."""
    fast, slow = np.meshgrid(np.arange(1.0, 5.0), np.arange(2.0, 21.0), indexing="ij")
    grid = {
        "fast": fast.ravel(),
        "slow": slow.ravel(),
        "level": np.full(fast.size, level),
        "stop": np.full(fast.size, 2.0),
    }
    assert_same(parse_strategy(doc), frame, grid, cash, chunk=fast.size)
