"""The screening pass from constant-holding segments equals the dense pass on their equity matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradewind.engine.trades import Segments
from tradewind.metrics import segments as seg_metrics
from tradewind.metrics.screening import scan_screening
from tradewind.metrics.segments import CloseTables, screen_segments

KINDS = ("flat", "all_in", "whole_units", "fraction", "short", "leveraged")


def dense_equity(seg: Segments, close: np.ndarray) -> np.ndarray:
    """(n_bars, width) equity with the engine's operations (``Changes.equity``)."""
    length = seg.end - seg.start
    cash = np.repeat(seg.cash, length).reshape(seg.width, seg.n_bars).T
    units = np.repeat(seg.units, length).reshape(seg.width, seg.n_bars).T
    return units * close[:, None] + cash


def build(
    close: np.ndarray, fills: list[list[int]], kinds: list[list[str]], rng: np.random.Generator
) -> Segments:
    """Segments from fill bars and a sizing kind per stretch, equity carried from one to the next."""
    n = close.size
    combo, start, end, cash, units = [], [], [], [], []
    for c, (bars, stretch_kinds) in enumerate(zip(fills, kinds, strict=True)):
        edges = [0, *bars, n]
        equity = 1000.0
        for i, kind in enumerate(stretch_kinds):
            s, e = edges[i], edges[i + 1]
            price = close[s]
            u = {
                "flat": 0.0,
                "all_in": equity / price,
                "whole_units": np.floor(equity / price),
                "fraction": rng.uniform(0.05, 0.95) * equity / price,
                "short": -rng.uniform(0.2, 1.0) * equity / price,
                "leveraged": rng.uniform(2.0, 6.0) * equity / price,
            }[kind]
            combo.append(c)
            start.append(s)
            end.append(e)
            units.append(u)
            cash.append(equity - u * price)
            equity = u * close[e - 1] + (equity - u * price) if e > s else equity
            if not equity > 0:
                equity = 1000.0
    as_int = np.asarray
    return Segments(
        n_bars=n,
        width=len(fills),
        combo=as_int(combo, dtype=np.int64),
        start=as_int(start, dtype=np.int64),
        end=as_int(end, dtype=np.int64),
        cash=np.asarray(cash, dtype=np.float64),
        units=np.asarray(units, dtype=np.float64),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[np.ndarray, Segments]:
    n = draw(st.integers(2, 600))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vol = draw(st.sampled_from([0.0, 0.002, 0.02, 0.15]))
    scale = draw(st.sampled_from([0.01, 50.0, 20_000.0]))
    close = scale * np.exp(np.cumsum(rng.normal(draw(st.sampled_from([0.0, 0.01])), vol, n)))
    width = draw(st.integers(1, 5))
    fills, kinds = [], []
    for _ in range(width):
        lowest_bar = draw(st.sampled_from([0, 1, 1, 1]))  # a fill on bar 0 leaves an empty first stretch
        bars = draw(st.lists(st.integers(lowest_bar, n - 1), max_size=12, unique=True)) if n > 1 else []
        fills.append(sorted(bars))
        kinds.append([draw(st.sampled_from(KINDS)) for _ in range(len(bars) + 1)])
    return close, build(close, fills, kinds, rng)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=scenarios())
def test_segments_equal_the_dense_pass(case: tuple[np.ndarray, Segments]) -> None:
    close, seg = case
    equity = dense_equity(seg, close)
    sums, lowest = scan_screening(equity)
    screen = screen_segments(seg, close)
    np.testing.assert_array_equal(screen.lowest, lowest)  # exact: the same floats, no rounding of its own
    np.testing.assert_array_equal(screen.first, equity[0])
    np.testing.assert_array_equal(screen.final, equity[-1])
    assert screen.sums.count == sums.count
    np.testing.assert_allclose(screen.sums.sum1, sums.sum1, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(screen.sums.sum2, sums.sum2, rtol=1e-11, atol=1e-11)


def test_nonpositive_closes_use_the_dense_pass() -> None:
    close = np.array([5.0, 3.0, 0.0, -2.0, 1.0, 4.0, 6.0])
    seg = build(
        close, [[1, 5], [3]], [["flat", "all_in", "flat"], ["whole_units", "short"]], np.random.default_rng(1)
    )
    sums, lowest = scan_screening(dense_equity(seg, close))
    screen = screen_segments(seg, close)
    np.testing.assert_array_equal(screen.lowest, lowest)
    np.testing.assert_array_equal(screen.sums.sum1, sums.sum1)


def test_long_stretches_take_the_expansion_and_agree_with_bar_by_bar() -> None:
    """Held stretches longer than MIN_EXPANDED with a small cash residue are summed from the expansion."""
    rng = np.random.default_rng(7)
    close = 80 * np.exp(np.cumsum(rng.normal(0.0005, 0.02, 900)))
    tables = CloseTables.of(close)
    assert tables is not None
    start = rng.integers(0, 800, 400)
    end = start + rng.integers(seg_metrics.MIN_EXPANDED + 1, 100, 400)
    units = rng.uniform(1, 200, 400)
    cash = units * close[start] * rng.uniform(0, 0.3, 400)  # k = C / u up to 0.3 of the entry close
    k = cash / units
    _, c_lo = tables.extremes(start, end)
    ratio = k / c_lo
    keep = (ratio <= seg_metrics.MAX_RATIO) & (k <= tables.ref)
    assert keep.sum() > 300
    start, end, units, cash, k, ratio = start[keep], end[keep], units[keep], cash[keep], k[keep], ratio[keep]
    into = np.arange(start.size)
    fast1, fast2 = np.zeros(start.size), np.zeros(start.size)
    seg_metrics._expanded(tables, start, end, k, ratio, into, fast1, fast2)
    slow1, slow2 = np.zeros(start.size), np.zeros(start.size)
    seg_metrics._inner_by_bar(close, start, end, cash, units, into, slow1, slow2)
    np.testing.assert_allclose(fast1, slow1, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fast2, slow2, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("n", [1, 2, 3, 64, 65, 1000])
def test_range_tables_match_brute_force(n: int) -> None:
    rng = np.random.default_rng(n)
    close = 10 * np.exp(np.cumsum(rng.normal(0, 0.05, n)))
    tables = CloseTables.of(close)
    assert tables is not None
    start = rng.integers(0, n, 300)
    end = np.minimum(n, start + 1 + rng.integers(0, n, 300))
    hi, lo = tables.extremes(start, end)
    ratio, fall, rise = tables.falls(start, end)
    for i, (s, e) in enumerate(zip(start.tolist(), end.tolist(), strict=True)):
        part = close[s:e]
        peak_before = np.maximum.accumulate(part)
        trough_before = np.minimum.accumulate(part)
        assert (hi[i], lo[i]) == (part.max(), part.min())
        assert ratio[i] == (part / peak_before).min()
        assert fall[i] == (peak_before - part).max()
        assert rise[i] == (part - trough_before).max()


def test_leveraged_equity_that_crosses_zero_has_the_running_peak_drawdown() -> None:
    """A 2-6x long through a 60 % fall: equity goes below zero mid-stretch and back above it. The
    segments hand that combination to the dense pass, which computes it exactly (no block bounds)."""
    close = np.concatenate([np.linspace(100, 150, 150), np.linspace(150, 60, 50), np.linspace(60, 120, 200)])
    seg = build(close, [[100], [100]], [["flat", "leveraged"], ["flat", "all_in"]], np.random.default_rng(3))
    equity = dense_equity(seg, close)
    assert equity[:, 0].min() < 0 < equity[-1, 0]
    peaks = np.maximum.accumulate(equity, axis=0)
    expected = np.minimum(1.0, (equity / peaks).min(axis=0))
    np.testing.assert_allclose(screen_segments(seg, close).lowest, expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(scan_screening(equity)[1], expected, rtol=0, atol=1e-15)
