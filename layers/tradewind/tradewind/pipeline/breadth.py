"""Market breadth over a universe, bar by bar (definitions in docs/pipeline.md, Breadth).

Breadth is computed in two steps so that batches of symbols can be scanned apart: each symbol gives
its **components** (is it advancing, above its averages, at a new high...), components add up over
symbols (:func:`combine`), and the **measures** (A/D line, percentages, McClellan, TRIN) follow from
the summed components alone (:func:`measures`). A breadth history is therefore kept as components
and its measures recomputed whenever it is extended.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

COMPONENTS = (
    "issues",  # symbols with this bar and a previous one
    "advances",
    "declines",
    "unchanged",
    "up_volume",
    "down_volume",
    "above_50",
    "with_50",  # symbols whose 50-bar average exists at this bar
    "above_200",
    "with_200",
    "new_highs",
    "new_lows",
)
MEASURES = (
    "advances",
    "declines",
    "unchanged",
    "net_advances",
    "ad_line",
    "up_volume",
    "down_volume",
    "pct_above_50",
    "pct_above_200",
    "new_highs",
    "new_lows",
    "highs_minus_lows",
    "mcclellan_oscillator",
    "mcclellan_summation",
    "trin",
)
FAST_EMA, SLOW_EMA = 19, 39  # McClellan's exponential averages of net advances


def components(
    times: np.ndarray,
    close: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    volume: np.ndarray,
    year_bars: int,
) -> pd.DataFrame:
    """One symbol's contribution to each component at each of its bars (indexed by time)."""
    n = close.size
    prev = np.concatenate(([np.nan], close[:-1]))
    has_prev = np.arange(n) > 0
    up, down = has_prev & (close > prev), has_prev & (close < prev)
    frame = {
        "issues": has_prev,
        "advances": up,
        "declines": down,
        "unchanged": has_prev & (close == prev),
        "up_volume": np.where(up, volume, 0.0),
        "down_volume": np.where(down, volume, 0.0),
    }
    for window in (50, 200):
        average = _sma(close, window)
        frame[f"above_{window}"] = close > average  # NaN (too few bars) compares false
        frame[f"with_{window}"] = ~np.isnan(average)
    prior_high = _prior_extreme(high, year_bars - 1, np.maximum)
    prior_low = _prior_extreme(low, year_bars - 1, np.minimum)
    frame["new_highs"] = high > prior_high
    frame["new_lows"] = low < prior_low
    out = pd.DataFrame({name: np.asarray(frame[name], dtype=np.float64) for name in COMPONENTS})
    out.index = pd.DatetimeIndex(times, name="time")
    return out


def _sma(values: np.ndarray, window: int) -> np.ndarray:
    """The mean of the last ``window`` values including this one (NaN before ``window`` values)."""
    out = np.full(values.size, np.nan)
    if values.size >= window:
        sums = np.cumsum(np.concatenate(([0.0], values)))
        out[window - 1 :] = (sums[window:] - sums[:-window]) / window
    return out


def _prior_extreme(values: np.ndarray, window: int, pick: np.ufunc) -> np.ndarray:
    """The extreme of the ``window`` values before each one (NaN until that many exist)."""
    out = np.full(values.size, np.nan)
    if values.size > window:
        stacked = np.lib.stride_tricks.sliding_window_view(values[:-1], window)
        out[window:] = pick.reduce(stacked, axis=1)
    return out


def combine(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Components summed over symbols (or batches), one row per bar time in time order."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return pd.DataFrame(columns=list(COMPONENTS), index=pd.DatetimeIndex([], name="time"), dtype=float)
    return pd.concat(frames).groupby(level=0).sum().sort_index()


def measures(summed: pd.DataFrame) -> pd.DataFrame:
    """Every measure of docs/pipeline.md from summed components (rows in time order)."""
    c = {name: summed[name].to_numpy(dtype=np.float64) for name in COMPONENTS}
    net = c["advances"] - c["declines"]
    oscillator = _ema(net, FAST_EMA) - _ema(net, SLOW_EMA)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_50 = np.where(c["with_50"] > 0, 100.0 * c["above_50"] / c["with_50"], np.nan)
        pct_200 = np.where(c["with_200"] > 0, 100.0 * c["above_200"] / c["with_200"], np.nan)
        defined = (c["declines"] > 0) & (c["up_volume"] > 0) & (c["down_volume"] > 0)
        trin = np.where(
            defined,
            (c["advances"] * c["down_volume"]) / (c["declines"] * c["up_volume"]),
            np.nan,
        )
    return pd.DataFrame(
        {
            "advances": c["advances"],
            "declines": c["declines"],
            "unchanged": c["unchanged"],
            "net_advances": net,
            "ad_line": np.cumsum(net),
            "up_volume": c["up_volume"],
            "down_volume": c["down_volume"],
            "pct_above_50": pct_50,
            "pct_above_200": pct_200,
            "new_highs": c["new_highs"],
            "new_lows": c["new_lows"],
            "highs_minus_lows": c["new_highs"] - c["new_lows"],
            "mcclellan_oscillator": oscillator,
            "mcclellan_summation": np.cumsum(oscillator),
            "trin": trin,
        },
        index=summed.index,
    )


def _ema(values: np.ndarray, window: int) -> np.ndarray:
    """Exponential average with ``alpha = 2 / (window + 1)``, seeded with the first value."""
    alpha = 2.0 / (window + 1)
    out = np.empty(values.size)
    level = values[0] if values.size else 0.0
    for i, value in enumerate(values):
        level = level + alpha * (value - level)
        out[i] = level
    return out


def extend(
    history: pd.DataFrame | None,
    fresh: pd.DataFrame,
    span: tuple[np.datetime64 | None, np.datetime64 | None] | None = None,
) -> pd.DataFrame:
    """A universe's component history with a run's components: the run's rows replace the history's
    at the same times, the rest is kept (time order). With ``span`` (first instant, instant after;
    either open), every history row inside it is replaced: a recomputation over a range also drops
    the bars that no longer exist there."""
    if history is None or history.empty:
        return fresh.sort_index()
    drop = history.index.isin(fresh.index)
    if span is not None:
        times = history.index.to_numpy(dtype="datetime64[ns]")
        inside = np.ones(times.size, dtype=bool)
        if span[0] is not None:
            inside &= times >= span[0]
        if span[1] is not None:
            inside &= times < span[1]
        drop |= inside
    return pd.concat([history[~drop], fresh]).sort_index()
