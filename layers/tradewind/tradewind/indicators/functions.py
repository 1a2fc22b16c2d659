"""Technical indicators on float64 numpy arrays.

Every function is causal (value at bar t uses bars <= t only) and returns NaN during its warm-up.
Inputs may start with NaN (an indicator of an indicator): the computation starts at the first valid
value, so warm-ups add up instead of poisoning the whole series.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Array = np.ndarray


def _valid_start(x: Array) -> int:
    """Index of the first non-NaN value (len(x) when there is none)."""
    finite = ~np.isnan(x)
    return int(np.argmax(finite)) if finite.any() else len(x)


def _on_valid(x: Array, fn: Callable[[Array], Array]) -> Array:
    """Apply ``fn`` to the part of ``x`` after its leading NaNs and pad the result back."""
    start = _valid_start(x)
    out = np.full(len(x), np.nan)
    if start < len(x):
        out[start:] = fn(x[start:])
    return out


def sma(x: Array, window: int) -> Array:
    """Simple moving average from one cumulative sum (O(n) for any window)."""

    def calc(v: Array) -> Array:
        out = np.full(len(v), np.nan)
        if window <= len(v):
            cs = np.concatenate(([0.0], np.cumsum(v)))
            out[window - 1 :] = (cs[window:] - cs[:-window]) / window
        return out

    return _on_valid(np.asarray(x, dtype=np.float64), calc)


def _seeded_smoothing(v: Array, window: int, alpha: float) -> Array:
    """Exponential smoothing seeded with the SMA of the first ``window`` values (TA-Lib convention)."""
    out = np.full(len(v), np.nan)
    if window <= len(v):
        seeded = v[window - 1 :].copy()
        seeded[0] = v[:window].mean()
        out[window - 1 :] = pd.Series(seeded).ewm(alpha=alpha, adjust=False).mean().to_numpy()
    return out


def ema(x: Array, window: int) -> Array:
    """Exponential moving average, alpha = 2 / (window + 1), seeded with an SMA."""
    return _on_valid(
        np.asarray(x, dtype=np.float64), lambda v: _seeded_smoothing(v, window, 2.0 / (window + 1))
    )


def wma(x: Array, window: int) -> Array:
    """Linearly weighted moving average (weights 1..window, newest heaviest)."""

    def calc(v: Array) -> Array:
        out = np.full(len(v), np.nan)
        if window <= len(v):
            weights = np.arange(1, window + 1, dtype=np.float64)
            out[window - 1 :] = np.convolve(v, weights[::-1], mode="valid") / weights.sum()
        return out

    return _on_valid(np.asarray(x, dtype=np.float64), calc)


def rsi(x: Array, window: int = 14) -> Array:
    """Wilder's RSI: gains and losses smoothed with alpha = 1/window; 100 when there is no loss."""

    def calc(v: Array) -> Array:
        out = np.full(len(v), np.nan)
        if window < len(v):
            change = np.diff(v)
            gain = _seeded_smoothing(np.clip(change, 0, None), window, 1.0 / window)
            loss = _seeded_smoothing(np.clip(-change, 0, None), window, 1.0 / window)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = 100.0 - 100.0 / (1.0 + gain / loss)
            value = np.where(loss == 0, np.where(gain == 0, 50.0, 100.0), value)
            out[1:] = np.where(np.isnan(gain), np.nan, value)
        return out

    return _on_valid(np.asarray(x, dtype=np.float64), calc)


def macd(x: Array, fast: int = 12, slow: int = 26, signal: int = 9) -> dict[str, Array]:
    """MACD line (EMA fast - EMA slow), its signal EMA and the histogram."""
    line = ema(x, fast) - ema(x, slow)
    sig = ema(line, signal)
    return {"line": line, "signal": sig, "hist": line - sig}


def _rolling(x: Array, window: int, how: str) -> Array:
    series = pd.Series(np.asarray(x, dtype=np.float64)).rolling(window, min_periods=window)
    result: pd.Series = getattr(series, how)() if how != "std" else series.std(ddof=0)
    return result.to_numpy()


def bollinger(x: Array, window: int = 20, k: float = 2.0) -> dict[str, Array]:
    """Middle SMA and bands at ``k`` population standard deviations."""
    middle = sma(x, window)
    width = k * _on_valid(np.asarray(x, dtype=np.float64), lambda v: _rolling(v, window, "std"))
    return {"upper": middle + width, "middle": middle, "lower": middle - width}


def true_range(high: Array, low: Array, close: Array) -> Array:
    """max(high - low, |high - prev close|, |low - prev close|); the first bar is high - low."""
    prev = np.concatenate(([np.nan], close[:-1]))
    ranges = np.vstack([high - low, np.abs(high - prev), np.abs(low - prev)])
    return np.nanmax(ranges, axis=0)


def atr(high: Array, low: Array, close: Array, window: int = 14) -> Array:
    """Average true range with Wilder smoothing seeded by an SMA."""
    return _seeded_smoothing(true_range(high, low, close), window, 1.0 / window)


def highest(x: Array, window: int) -> Array:
    """Rolling maximum over the last ``window`` bars, current bar included."""
    return _on_valid(np.asarray(x, dtype=np.float64), lambda v: _rolling(v, window, "max"))


def lowest(x: Array, window: int) -> Array:
    """Rolling minimum over the last ``window`` bars, current bar included."""
    return _on_valid(np.asarray(x, dtype=np.float64), lambda v: _rolling(v, window, "min"))


def stochastic(high: Array, low: Array, close: Array, k: int = 14, d: int = 3) -> dict[str, Array]:
    """%K = where the close sits in the ``k``-bar range (50 for a flat range); %D = SMA(%K, d)."""
    hh, ll = highest(high, k), lowest(low, k)
    span = hh - ll
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_k = np.where(span > 0, 100.0 * (close - ll) / span, np.where(np.isnan(span), np.nan, 50.0))
    return {"k": pct_k, "d": sma(pct_k, d)}


def roc(x: Array, window: int = 10) -> Array:
    """Rate of change in percent against ``window`` bars ago."""
    v = np.asarray(x, dtype=np.float64)
    out = np.full(len(v), np.nan)
    if window < len(v):
        out[window:] = 100.0 * (v[window:] / v[:-window] - 1.0)
    return out


def donchian(high: Array, low: Array, window: int = 20) -> dict[str, Array]:
    """Highest high and lowest low of the last ``window`` bars and their midpoint."""
    upper, lower = highest(high, window), lowest(low, window)
    return {"upper": upper, "middle": (upper + lower) / 2.0, "lower": lower}


def lag(x: Array, periods: int = 1) -> Array:
    """The value ``periods`` bars ago (compare a close with yesterday's channel, not today's)."""
    v = np.asarray(x, dtype=np.float64)
    out = np.full(len(v), np.nan)
    if periods < len(v):
        out[periods:] = v[: len(v) - periods]
    return out
