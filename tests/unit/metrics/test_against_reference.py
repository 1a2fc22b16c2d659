"""Every metric against the plain reference, on random curves and trades (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.metrics import METRICS, SCREENING

from tests.unit.metrics.builders import run
from tests.unit.metrics.reference import Trade, reference_metrics


def assert_same(actual: object, expected: object, name: str) -> None:
    if isinstance(expected, pd.Timestamp):
        assert pd.Timestamp(actual) == expected, name  # type: ignore[arg-type]
        return
    a, e = float(actual), float(expected)  # type: ignore[arg-type]
    if math.isnan(e):
        assert math.isnan(a), f"{name}: {a} != nan"
    else:
        assert a == pytest.approx(e, rel=1e-9, abs=1e-9), name


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[list[float]], list[list[Trade]], list[float], float]:
    n_bars = draw(st.integers(1, 70))
    n_combos = draw(st.integers(1, 4))
    step = st.one_of(st.just(0.0), st.integers(-3000, 3000).map(lambda v: v / 10_000))
    curves, all_trades = [], []
    for _ in range(n_combos):
        steps = draw(st.lists(step, min_size=n_bars, max_size=n_bars))
        curve = list(1000.0 * np.cumprod(1.0 + np.array(steps)))
        curves.append(curve)
        bars = sorted(draw(st.lists(st.integers(0, n_bars - 1), max_size=12)))
        trades = [
            Trade(
                entry_idx=a,
                exit_idx=b,
                pnl=draw(st.integers(-2000, 2000).map(lambda v: v / 4)),
                return_pct=draw(st.integers(-990, 3000).map(lambda v: v / 10)),
            )
            for a, b in zip(bars[0::2], bars[1::2], strict=False)
        ]
        if trades and draw(st.booleans()):
            trades[-1].is_open = True
        all_trades.append(trades)
    close = list(50.0 * np.cumprod(1.0 + np.array(draw(st.lists(step, min_size=n_bars, max_size=n_bars)))))
    rf = draw(st.sampled_from([0.0, 0.03]))
    return curves, all_trades, close, rf


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_every_metric_matches_the_reference(
    case: tuple[list[list[float]], list[list[Trade]], list[float], float],
) -> None:
    curves, trades, close, rf = case
    index = pd.bdate_range("2021-03-01", periods=len(curves[0]))
    frame = run(curves, trades, close=close, index=index, cash=1000.0, rf=rf)
    assert list(frame.columns) == list(METRICS)
    for combo, (curve, combo_trades) in enumerate(zip(curves, trades, strict=True)):
        expected = reference_metrics(
            curve,
            combo_trades,
            frame.loc[combo, "exposure_pct"] / 100,
            close,
            index,
            float(combo),
            1000.0,
            252,
            rf,
        )
        for name in METRICS:
            assert_same(frame.loc[combo, name], expected[name], name)


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_combos_together_equal_each_alone(
    case: tuple[list[list[float]], list[list[Trade]], list[float], float],
) -> None:
    curves, trades, close, rf = case
    together = run(curves, trades, close=close, rf=rf, cash=1000.0)
    for combo in range(len(curves)):
        alone = run([curves[combo]], [trades[combo]], close=close, rf=rf, cash=1000.0)
        for name in METRICS:
            if name in ("exposure_pct", "commissions"):
                continue  # inputs echoed back: the builder gives each combo its own
            assert_same(alone.loc[0, name], together.loc[combo, name], name)


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_screening_equals_the_full_set_on_its_columns(
    case: tuple[list[list[float]], list[list[Trade]], list[float], float],
) -> None:
    curves, trades, close, rf = case
    full = run(curves, trades, close=close, rf=rf, cash=1000.0)
    screening = run(curves, trades, close=close, rf=rf, cash=1000.0, level="screening")
    assert list(screening.columns) == list(SCREENING)
    for combo in range(len(curves)):
        for name in SCREENING:
            assert_same(screening.loc[combo, name], full.loc[combo, name], name)


def test_long_random_curves_match_the_reference() -> None:
    """Many bars and enough combos to cross the internal block and group boundaries."""
    rng = np.random.default_rng(7)
    n_bars, n_combos = 700, 300
    steps = rng.normal(0.0004, 0.012, (n_combos, n_bars)) * (rng.random((n_combos, n_bars)) < 0.7)
    curves = (1000 * np.cumprod(1 + steps, axis=1)).tolist()
    close = list(100 * np.cumprod(1 + rng.normal(0, 0.01, n_bars)))
    index = pd.bdate_range("2018-01-01", periods=n_bars)
    frame = run(curves, close=close, index=index, cash=1000.0)
    for combo in (0, 1, 255, 256, 257, 299):
        expected = reference_metrics(
            curves[combo], [], frame.loc[combo, "exposure_pct"] / 100, close, index, float(combo), 1000.0, 252
        )
        for name in METRICS:
            assert_same(frame.loc[combo, name], expected[name], name)
