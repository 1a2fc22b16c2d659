"""Every breadth measure against values computed by hand on a small universe (docs/pipeline.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tradewind.pipeline import breadth

DAYS = pd.date_range("2024-01-01", periods=4, freq="D").to_numpy()


def symbol(
    close: list[float], volume: list[float], times: np.ndarray = DAYS, year_bars: int = 252
) -> pd.DataFrame:
    c = np.asarray(close, dtype=float)
    return breadth.components(times[: c.size], c, c, c, np.asarray(volume, dtype=float), year_bars)


@pytest.fixture
def universe() -> pd.DataFrame:
    """Three symbols over four days; C starts a day late.

    A: 10, 11, 11, 12 (vol 100 each)  -> day 2 up, day 3 unchanged, day 4 up
    B: 20, 19, 21, 20 (vol 200 each)  -> down, up, down
    C: -, 5, 4, 3     (vol 50 each)   -> (no previous bar), down, down
    """
    a = symbol([10, 11, 11, 12], [100] * 4)
    b = symbol([20, 19, 21, 20], [200] * 4)
    c = breadth.components(
        DAYS[1:], np.array([5.0, 4, 3]), np.array([5.0, 4, 3]), np.array([5.0, 4, 3]), np.full(3, 50.0), 252
    )
    return breadth.measures(breadth.combine([a, b, c]))


def test_advances_declines_unchanged(universe: pd.DataFrame) -> None:
    assert universe["advances"].tolist() == [0, 1, 1, 1]
    assert universe["declines"].tolist() == [0, 1, 1, 2]
    assert universe["unchanged"].tolist() == [0, 0, 1, 0]
    assert universe["net_advances"].tolist() == [0, 0, 0, -1]


def test_ad_line_is_the_running_sum_of_net_advances(universe: pd.DataFrame) -> None:
    assert universe["ad_line"].tolist() == [0, 0, 0, -1]


def test_up_and_down_volume(universe: pd.DataFrame) -> None:
    # day 2: A up (100), B down (200); day 3: B up (200), C down (50), A unchanged (counts in neither);
    # day 4: A up (100), B and C down (200 + 50)
    assert universe["up_volume"].tolist() == [0, 100, 200, 100]
    assert universe["down_volume"].tolist() == [0, 200, 50, 250]


def test_trin(universe: pd.DataFrame) -> None:
    # (advances / declines) / (up volume / down volume); undefined without declines or volume
    assert np.isnan(universe["trin"].iloc[0])
    assert universe["trin"].iloc[1] == pytest.approx((1 / 1) / (100 / 200))  # 2.0
    assert universe["trin"].iloc[2] == pytest.approx((1 / 1) / (200 / 50))  # 0.25
    assert universe["trin"].iloc[3] == pytest.approx((1 / 2) / (100 / 250))  # 1.25


def test_percent_above_the_50_and_200_bar_averages() -> None:
    days = pd.date_range("2020-01-01", periods=201, freq="D").to_numpy()
    # A: 200 bars at 10, then 12: its 200-bar average exists from bar 199 (10, close equal: not above)
    # and at bar 200 is 10.01 < 12; its 50-bar average at bar 200 is 10.04 < 12.
    a = np.full(201, 10.0)
    a[200] = 12.0
    # B: 60 bars from bar 141 falling by 1 from 100: below its 50-bar average once it has one.
    b = 100.0 - np.arange(60.0)
    parts = [
        breadth.components(days, a, a, a, np.ones(201), 252),
        breadth.components(days[141:], b, b, b, np.ones(60), 252),
    ]
    m = breadth.measures(breadth.combine(parts))
    assert np.isnan(m["pct_above_50"].iloc[48])  # nobody has 50 bars yet
    assert m["pct_above_50"].iloc[49] == 0.0  # A: 10 is not above an average of 10
    assert m["pct_above_50"].iloc[199] == 0.0  # B's average (bar 190 on) is above its close, A equal
    assert m["pct_above_50"].iloc[200] == 50.0  # A above, B below
    assert np.isnan(m["pct_above_200"].iloc[198])
    assert m["pct_above_200"].iloc[199] == 0.0
    assert m["pct_above_200"].iloc[200] == 100.0  # only A has 200 bars


def test_new_highs_and_lows() -> None:
    # With a 3-bar year a bar makes a new high when its high tops the 2 highs before it.
    days = pd.date_range("2024-01-01", periods=5, freq="D").to_numpy()
    high = np.array([5.0, 6, 7, 6, 8])
    low = np.array([4.0, 5, 6, 3, 7])
    close = (high + low) / 2
    x = breadth.components(days, close, high, low, np.ones(5), 3)
    y = breadth.components(days, close, high, low, np.ones(5), 3)
    m = breadth.measures(breadth.combine([x, y]))
    # bar 2: 7 > max(5, 6) new high; bar 3: 3 < min(5, 6) new low; bar 4: 8 > max(7, 6) new high
    assert m["new_highs"].tolist() == [0, 0, 2, 0, 2]
    assert m["new_lows"].tolist() == [0, 0, 0, 2, 0]
    assert m["highs_minus_lows"].tolist() == [0, 0, 2, -2, 2]


def test_mcclellan_oscillator_and_summation() -> None:
    # net advances 1, -1, 3: EMA19 (alpha 0.1) 1, 0.8, 1.02; EMA39 (alpha 0.05) 1, 0.9, 1.005
    summed = pd.DataFrame(
        {name: [0.0, 0.0, 0.0] for name in breadth.COMPONENTS},
        index=pd.date_range("2024-01-01", periods=3, freq="D"),
    )
    summed["advances"] = [2.0, 1.0, 4.0]
    summed["declines"] = [1.0, 2.0, 1.0]
    m = breadth.measures(summed)
    np.testing.assert_allclose(m["mcclellan_oscillator"], [0.0, -0.1, 0.015], atol=1e-12)
    np.testing.assert_allclose(m["mcclellan_summation"], [0.0, -0.1, -0.085], atol=1e-12)


def test_extend_replaces_the_same_times_and_keeps_the_rest(universe: pd.DataFrame) -> None:
    old = breadth.combine([symbol([10, 11, 12, 13], [1] * 4)])
    new = breadth.combine([symbol([13, 12], [1] * 2, times=DAYS[2:])])
    merged = breadth.extend(old, new)
    assert merged.index.tolist() == list(pd.DatetimeIndex(DAYS))
    assert merged["advances"].tolist() == [0, 1, 0, 0]  # days 3-4 from the new part
    assert merged["declines"].tolist() == [0, 0, 0, 1]


def test_extend_over_a_span_drops_the_history_bars_inside_it_that_the_fresh_part_lacks() -> None:
    old = breadth.combine([symbol([10, 11, 12, 13], [1] * 4)])
    fresh = breadth.combine([symbol([13], [1], times=DAYS[2:3])])  # day 2 is gone from the data now
    span = (np.datetime64(DAYS[1], "ns"), np.datetime64(DAYS[3], "ns"))  # days 2 and 3
    merged = breadth.extend(old, fresh, span)
    assert merged.index.tolist() == [pd.Timestamp(DAYS[0]), pd.Timestamp(DAYS[2]), pd.Timestamp(DAYS[3])]
    assert merged["issues"].tolist() == [0, 0, 1]  # day 3 recomputed alone: no previous bar
    assert breadth.extend(old, fresh).index.tolist() == list(pd.DatetimeIndex(DAYS))  # no span: kept


def test_combine_of_nothing_is_empty() -> None:
    assert breadth.measures(breadth.combine([])).empty
