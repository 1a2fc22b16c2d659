"""Shared builders for engine tests: small OHLC frames written bar by bar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def frame(open_: list[float], high: list[float], low: list[float], close: list[float]) -> pd.DataFrame:
    """Bars on consecutive business days from explicit prices."""
    index = pd.bdate_range("2024-01-01", periods=len(close))
    return pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": 1000.0}, index=index
    )


def random_walk(n: int = 300, seed: int = 1) -> pd.DataFrame:
    """A seeded daily series with intraday ranges and overnight gaps."""
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0.0002, 0.015, n)))
    open_ = np.concatenate(([100.0], close[:-1])) * np.exp(rng.normal(0, 0.006, n))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.008, n)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.008, n)))
    return pd.DataFrame(
        {
            "open": open_,
            "high": high,
            "low": low,
            "close": close,
            "volume": rng.integers(1_000, 9_000, n).astype(float),
        },
        index=pd.bdate_range("2020-01-01", periods=n),
    )


@pytest.fixture
def walk() -> pd.DataFrame:
    return random_walk()
