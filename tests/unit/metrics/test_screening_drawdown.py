"""The block-pruned maximum drawdown of the screening pass against a plain running peak."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tradewind.metrics.screening import BLOCK_BARS, scan_screening


def plain_lowest_ratio(equity: np.ndarray) -> np.ndarray:
    out = []
    for column in equity.T:
        peak, lowest = column[0], 1.0
        for value in column:
            peak = max(peak, value)
            lowest = min(lowest, value / peak)
        out.append(lowest)
    return np.array(out)


@settings(max_examples=40, deadline=None)
@given(
    n_bars=st.integers(1, 5 * BLOCK_BARS + 3),
    n_combos=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    volatility=st.sampled_from([0.0, 0.001, 0.02, 0.3]),
)
def test_pruned_drawdown_equals_a_running_peak(
    n_bars: int, n_combos: int, seed: int, volatility: float
) -> None:
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, volatility, (n_bars, n_combos)) * (rng.random((n_bars, n_combos)) < 0.6)
    # A 0.3 volatility step below -100 % makes equity cross zero now and then: those combos take the
    # exact path, the others the pruned one, and both must equal the running peak.
    equity = 100 * np.cumprod(1 + steps, axis=0)
    sums, lowest = scan_screening(equity)
    np.testing.assert_allclose(lowest, plain_lowest_ratio(equity), rtol=0, atol=1e-15)
    returns = equity[1:] / equity[:-1] - 1
    np.testing.assert_allclose(sums.sum1, returns.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(sums.sum2, (returns**2).sum(axis=0), atol=1e-12)


def test_equity_crossing_zero_is_rescanned_exactly() -> None:
    column = np.concatenate([np.linspace(100, 150, 70), np.linspace(150, -20, 70), np.linspace(-20, 10, 70)])
    equity = np.stack([column, column[::-1] + 200], axis=1)
    _, lowest = scan_screening(equity)
    np.testing.assert_allclose(lowest, plain_lowest_ratio(equity), rtol=0, atol=1e-15)


def test_equity_that_crossed_zero_earlier_is_exact_in_every_later_block() -> None:
    """Negative in block 0 only, positive after: the pruned bounds would divide later blocks by a
    negative older peak (a block without any non-positive bar was never rescanned)."""
    n = 4 * BLOCK_BARS
    t = np.arange(n, dtype=float)
    crossing = np.where(t < BLOCK_BARS // 2, -50.0 + t, 5.0 + 10 * np.sin(t / 7) + t / 10)
    recovered = np.concatenate([np.linspace(-10, -1, BLOCK_BARS), np.linspace(3, 40, n - BLOCK_BARS)])
    equity = np.stack([crossing, recovered, np.linspace(100, 200, n)], axis=1)
    assert (equity[BLOCK_BARS:, :2] > 0).all()  # every block after the first is positive
    _, lowest = scan_screening(equity)
    np.testing.assert_allclose(lowest, plain_lowest_ratio(equity), rtol=0, atol=1e-15)


@settings(max_examples=200, deadline=None)
@given(
    n_bars=st.integers(2, 4 * BLOCK_BARS + 3),
    seed=st.integers(0, 2**32 - 1),
    shift=st.floats(-150.0, 50.0),
)
def test_sign_changing_equity_matches_a_running_peak(n_bars: int, seed: int, shift: float) -> None:
    rng = np.random.default_rng(seed)
    equity = 100 + shift + np.cumsum(rng.normal(0.0, 8.0, (n_bars, 4)), axis=0)
    equity[np.abs(equity) < 1e-9] = 1e-9  # an exact zero peak makes the reference divide by zero
    _, lowest = scan_screening(equity)
    np.testing.assert_allclose(lowest, plain_lowest_ratio(equity), rtol=0, atol=1e-12)
