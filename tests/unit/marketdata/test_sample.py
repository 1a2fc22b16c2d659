"""The synthetic universe: deterministic, realistic enough to research on, and internally consistent."""

from __future__ import annotations

import numpy as np
import pytest
from tradewind.marketdata.sample import SampleBars, business_days, generate
from tradewind.marketdata.universe import SAMPLE_DATASET_NAME, SYMBOL_PATTERN, sample_symbols


@pytest.fixture(scope="module")
def bars() -> SampleBars:
    return generate()


def _log_returns(bars: SampleBars) -> np.ndarray:
    return np.diff(np.log(bars.close), axis=0)


def test_universe_is_big_long_and_labelled(bars: SampleBars) -> None:
    assert len(bars.symbols) >= 50
    assert len({s.symbol for s in bars.symbols}) == len(bars.symbols)
    assert all(SYMBOL_PATTERN.match(s.symbol) and 3 <= len(s.symbol) <= 5 for s in bars.symbols)
    years = (bars.dates[-1] - bars.dates[0]).astype(int) / 365.25
    assert years >= 10
    assert np.is_busday(bars.dates).all()
    assert "synthetic" in SAMPLE_DATASET_NAME.lower()
    assert all("synthetic" in s.name for s in bars.symbols)


def test_same_seed_same_bars_and_batches_agree(bars: SampleBars) -> None:
    again = generate()
    np.testing.assert_array_equal(again.close, bars.close)
    np.testing.assert_array_equal(again.volume, bars.volume)
    batch = generate(sample_symbols()[8:16])
    np.testing.assert_array_equal(batch.open, bars.open[:, 8:16])
    np.testing.assert_array_equal(batch.high, bars.high[:, 8:16])
    other = generate(seed=7)
    assert not np.allclose(other.close, bars.close)


def test_ohlc_invariants(bars: SampleBars) -> None:
    assert (bars.low > 0).all()
    assert (bars.high >= np.maximum(bars.open, bars.close)).all()
    assert (bars.low <= np.minimum(bars.open, bars.close)).all()
    assert (bars.volume > 0).all()
    assert (bars.high > bars.low).mean() > 0.95  # real ranges, not flat bars


def test_symbols_move_together(bars: SampleBars) -> None:
    corr = np.corrcoef(_log_returns(bars).T)
    off_diagonal = corr[~np.eye(len(corr), dtype=bool)]
    assert off_diagonal.mean() > 0.1
    # Same-sector pairs are more correlated than the average pair.
    sectors = np.array([s.sector for s in bars.symbols])
    same = (sectors[:, None] == sectors[None, :]) & ~np.eye(len(corr), dtype=bool)
    assert corr[same].mean() > off_diagonal.mean()


def test_volatility_clusters_and_tails_are_fat(bars: SampleBars) -> None:
    r = _log_returns(bars)
    a = np.abs(r - r.mean(axis=0))
    lag1 = [np.corrcoef(a[1:, i], a[:-1, i])[0, 1] for i in range(r.shape[1])]
    assert np.mean(lag1) > 0.05
    standardized = (r - r.mean(axis=0)) / r.std(axis=0)
    excess_kurtosis = (standardized**4).mean(axis=0) - 3
    assert np.median(excess_kurtosis) > 1


def test_regimes_and_gaps_show_in_prices(bars: SampleBars) -> None:
    market = _log_returns(bars).mean(axis=1)
    yearly = np.add.reduceat(market, np.arange(0, len(market), 252))
    assert yearly.max() > 0.05
    assert yearly.min() < -0.05
    gaps = np.abs(np.log(bars.open[1:] / bars.close[:-1]))
    assert (gaps > 0.03).any()


def test_volume_rises_with_big_moves(bars: SampleBars) -> None:
    r = np.abs(_log_returns(bars))
    v = np.log(bars.volume[1:])
    corr = [np.corrcoef(r[:, i], v[:, i])[0, 1] for i in range(r.shape[1])]
    assert np.mean(corr) > 0.1


def test_business_days_span() -> None:
    days = business_days("2024-01-01", "2024-01-07")
    assert [str(d) for d in days] == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]


def test_more_symbols_on_demand() -> None:
    symbols = sample_symbols(500)
    assert len({s.symbol for s in symbols}) == 500
    assert symbols[: len(sample_symbols())] == sample_symbols()
