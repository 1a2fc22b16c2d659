"""Indicators against plain pandas formulas, warm-ups, causality and the grid's compute-once cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tradewind.indicators import functions as f
from tradewind.indicators.compute import compute
from tradewind.indicators.registry import SPECS

RNG = np.random.default_rng(11)
N = 300
CLOSE = pd.Series(100 * np.exp(np.cumsum(RNG.normal(0, 0.01, N))))
HIGH = CLOSE * (1 + RNG.uniform(0, 0.01, N))
LOW = CLOSE * (1 - RNG.uniform(0, 0.01, N))
X = CLOSE.to_numpy()


def close_enough(got: np.ndarray, want: pd.Series | np.ndarray) -> None:
    np.testing.assert_allclose(got, np.asarray(want, dtype=float), rtol=1e-9, atol=1e-9, equal_nan=True)


def seeded_ewm(values: pd.Series, window: int, alpha: float) -> pd.Series:
    """Smoothing seeded with the SMA of the first ``window`` values, written the long way."""
    out = pd.Series(np.nan, index=values.index)
    first = values.first_valid_index()
    assert first is not None
    start = values.index.get_loc(first)
    level = values.iloc[start : start + window].mean()
    out.iloc[start + window - 1] = level
    for i in range(start + window, len(values)):
        level = alpha * values.iloc[i] + (1 - alpha) * level
        out.iloc[i] = level
    return out


@pytest.mark.parametrize("window", [1, 2, 14, 50])
def test_moving_averages(window: int) -> None:
    close_enough(f.sma(X, window), CLOSE.rolling(window).mean())
    close_enough(f.ema(X, window), seeded_ewm(CLOSE, window, 2 / (window + 1)))
    weights = np.arange(1, window + 1)
    close_enough(
        f.wma(X, window), CLOSE.rolling(window).apply(lambda w: (w * weights).sum() / weights.sum(), raw=True)
    )


def test_rsi_wilder() -> None:
    change = CLOSE.diff()
    gain = seeded_ewm(change.clip(lower=0), 14, 1 / 14)
    loss = seeded_ewm((-change).clip(lower=0), 14, 1 / 14)
    close_enough(f.rsi(X, 14), 100 - 100 / (1 + gain / loss))
    assert np.isnan(f.rsi(X, 14)[:14]).all()
    assert not np.isnan(f.rsi(X, 14)[14])
    assert f.rsi(np.arange(1.0, 40.0), 14)[-1] == 100.0


def test_macd_bollinger_roc() -> None:
    m = f.macd(X, 12, 26, 9)
    line = f.ema(X, 12) - f.ema(X, 26)
    close_enough(m["line"], line)
    close_enough(m["signal"], seeded_ewm(pd.Series(line), 9, 2 / 10))
    close_enough(m["hist"], m["line"] - m["signal"])
    bb = f.bollinger(X, 20, 2.0)
    std = CLOSE.rolling(20).std(ddof=0)
    close_enough(bb["upper"], CLOSE.rolling(20).mean() + 2 * std)
    close_enough(bb["lower"], CLOSE.rolling(20).mean() - 2 * std)
    close_enough(f.roc(X, 10), (CLOSE / CLOSE.shift(10) - 1) * 100)


def test_atr_stochastic_donchian() -> None:
    prev = CLOSE.shift(1)
    tr = pd.concat([HIGH - LOW, (HIGH - prev).abs(), (LOW - prev).abs()], axis=1).max(axis=1)
    close_enough(f.atr(HIGH.to_numpy(), LOW.to_numpy(), X, 14), seeded_ewm(tr, 14, 1 / 14))
    st = f.stochastic(HIGH.to_numpy(), LOW.to_numpy(), X, 14, 3)
    hh, ll = HIGH.rolling(14).max(), LOW.rolling(14).min()
    k = 100 * (CLOSE - ll) / (hh - ll)
    close_enough(st["k"], k)
    close_enough(st["d"], k.rolling(3).mean())
    dc = f.donchian(HIGH.to_numpy(), LOW.to_numpy(), 20)
    close_enough(dc["upper"], HIGH.rolling(20).max())
    close_enough(dc["lower"], LOW.rolling(20).min())
    close_enough(f.lag(X, 3), CLOSE.shift(3))


def test_indicator_of_indicator_starts_after_the_inner_warm_up() -> None:
    inner = f.rsi(X, 14)
    outer = f.sma(inner, 5)
    close_enough(outer, pd.Series(inner).rolling(5).mean())
    assert np.isnan(outer[:18]).all()
    assert not np.isnan(outer[18])


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_no_look_ahead(kind: str) -> None:
    """Values up to t do not change when bars after t change."""
    bars = {"open": X, "high": HIGH.to_numpy(), "low": LOW.to_numpy(), "close": X, "volume": X * 10}
    cut = 150
    changed = {k: np.concatenate([v[: cut + 1], v[cut + 1 :] * 3.0]) for k, v in bars.items()}
    a = compute(kind, bars["close"], bars, {})
    b = compute(kind, changed["close"], changed, {})
    for name in a:
        np.testing.assert_array_equal(a[name][: cut + 1], b[name][: cut + 1])
        assert np.isnan(a[name][0]), "the first bar is warm-up for every indicator"


def test_grid_computes_each_distinct_indicator_once() -> None:
    from tradewind.engine.bars import Bars
    from tradewind.engine.signals import SignalPlan
    from tradewind.strategy import expand, template

    frame = pd.DataFrame(
        {"open": X, "high": HIGH.to_numpy(), "low": LOW.to_numpy(), "close": X},
        index=pd.bdate_range("2020-01-01", periods=N),
    )
    strategy = template("sma_cross")
    grid = expand(strategy, {"fast": [2, 3, 4], "slow": [5, 6]})
    plan = SignalPlan(strategy, Bars.from_frame(frame), grid, len(grid["fast"]))
    assert plan.series("fast_ma").matrix.shape == (3, N)
    assert plan.series("slow_ma").matrix.shape == (2, N)
    close_enough(plan.series("slow_ma").matrix[1], f.sma(X, 6))
