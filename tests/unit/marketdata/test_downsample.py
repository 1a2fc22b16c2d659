"""OHLC bucket aggregation."""

from __future__ import annotations

import numpy as np
import pytest
from tradewind.marketdata.downsample import Candles, downsample


def _candles(n: int) -> Candles:
    i = np.arange(n, dtype=np.float64)
    return Candles(t=np.arange(n) * 86400, o=i + 0.5, h=i + 2, low=i - 1, c=i + 1, v=np.ones(n))


def test_buckets_keep_open_first_high_max_low_min_close_last_volume_sum() -> None:
    out = downsample(_candles(10), 3)
    # buckets: [0,1,2] [3,4,5] [6..9]
    np.testing.assert_array_equal(out.t, [0, 3 * 86400, 6 * 86400])
    np.testing.assert_array_equal(out.o, [0.5, 3.5, 6.5])
    np.testing.assert_array_equal(out.h, [4, 7, 11])
    np.testing.assert_array_equal(out.low, [-1, 2, 5])
    np.testing.assert_array_equal(out.c, [3, 6, 10])
    np.testing.assert_array_equal(out.v, [3, 3, 4])
    assert out.v.sum() == 10


def test_short_series_is_untouched() -> None:
    candles = _candles(5)
    assert downsample(candles, 5) is candles


@pytest.mark.parametrize(("n", "m"), [(3130, 500), (101, 2), (7, 6)])
def test_size_and_extremes_preserved(n: int, m: int) -> None:
    candles = _candles(n)
    out = downsample(candles, m)
    assert len(out) == m
    assert out.h.max() == candles.h.max()
    assert out.low.min() == candles.low.min()
    assert out.o[0] == candles.o[0]
    assert out.c[-1] == candles.c[-1]


def test_max_points_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        downsample(_candles(3), 1)
