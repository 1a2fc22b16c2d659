"""Deterministic synthetic daily OHLCV: the sample universe the product ships with.

Returns follow a factor model so symbols move together: a market factor (regime-switching drift —
bull, bear, sideways — with GARCH(1,1) volatility and Student-t shocks) plus one factor per sector and
an idiosyncratic GARCH part per symbol. Opens gap from the previous close (now and then by several
percent, like earnings), intraday ranges wrap open and close, and volume rises with |return| and
volatility. Every random stream is derived from ``(seed, role, index)`` so one symbol's bars are the
same whether it is generated alone, in a Map batch, or with the whole universe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tradewind.marketdata.universe import (
    SAMPLE_END,
    SAMPLE_SEED,
    SAMPLE_START,
    SECTORS,
    SampleSymbol,
    sample_symbols,
)

if TYPE_CHECKING:
    import pandas as pd

# Regimes: daily drift and volatility multiplier; rows of TRANSITIONS are today's regime.
REGIME_NAMES = ("bull", "bear", "sideways")
REGIME_DRIFT = np.array([0.0007, -0.0009, 0.0])
REGIME_VOL = np.array([0.85, 1.6, 1.0])
TRANSITIONS = np.array(
    [
        [0.994, 0.002, 0.004],
        [0.010, 0.982, 0.008],
        [0.006, 0.003, 0.991],
    ]
)
STUDENT_DF = 4.0
GARCH_ALPHA = 0.08
GARCH_BETA = 0.90
MARKET_VOL = 0.009
SECTOR_VOL = 0.006
IDIO_VOL = 0.011
GAP_PROBABILITY = 0.01

_ROLE_MARKET, _ROLE_SECTOR, _ROLE_SYMBOL = 0, 1, 2


@dataclass(frozen=True)
class SampleBars:
    """Bars for several symbols on one shared calendar: arrays are ``(days, symbols)``."""

    dates: np.ndarray  # datetime64[D], business days
    symbols: list[SampleSymbol]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray  # int64

    def frame(self, column: int) -> pd.DataFrame:
        """One symbol's bars in the published layout (``BAR_COLUMNS``, naive UTC timestamps)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "timestamp": self.dates.astype("datetime64[ns]"),
                "open": self.open[:, column],
                "high": self.high[:, column],
                "low": self.low[:, column],
                "close": self.close[:, column],
                "volume": self.volume[:, column].astype(np.float64),
            }
        )

    def long_frame(self) -> pd.DataFrame:
        """Every symbol in one table, as an uploaded file would be: ``date, symbol, open..volume``."""
        import pandas as pd

        days, width = self.close.shape
        return pd.DataFrame(
            {
                "date": np.tile(self.dates.astype(str), width),
                "symbol": np.repeat([s.symbol for s in self.symbols], days),
                "open": self.open.T.ravel(),
                "high": self.high.T.ravel(),
                "low": self.low.T.ravel(),
                "close": self.close.T.ravel(),
                "volume": self.volume.T.ravel(),
            }
        )


def business_days(start: str = SAMPLE_START, end: str = SAMPLE_END) -> np.ndarray:
    """Weekdays from ``start`` to ``end`` inclusive (exchange holidays are not modelled)."""
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
    return days[np.is_busday(days)]


def generate(
    symbols: Sequence[SampleSymbol] | None = None,
    *,
    seed: int = SAMPLE_SEED,
    start: str = SAMPLE_START,
    end: str = SAMPLE_END,
) -> SampleBars:
    """Bars for ``symbols`` (default: the whole curated universe); same inputs give the same bars."""
    chosen = list(symbols) if symbols is not None else sample_symbols()
    dates = business_days(start, end)
    days = len(dates)
    market, regime_vol = _market_factor(seed, days)
    sector_shocks = np.column_stack(
        [_student(_rng(seed, _ROLE_SECTOR, i), days) for i in range(len(SECTORS))]
    )
    sector_returns, _ = _garch(sector_shocks, np.full(len(SECTORS), SECTOR_VOL))
    sector_column = {name: i for i, name in enumerate(SECTORS)}

    rngs = [_rng(seed, _ROLE_SYMBOL, sym.index) for sym in chosen]
    # Per-symbol draws, each from the symbol's own stream, in a fixed order.
    draws: list[dict[str, Any]] = [
        {
            "beta": rng.uniform(0.6, 1.5),
            "loading": rng.uniform(0.5, 1.2),
            "idio_vol": IDIO_VOL * rng.uniform(0.7, 1.6),
            "overnight": rng.uniform(0.15, 0.35),
            "price": rng.uniform(15.0, 350.0),
            "volume": rng.lognormal(13.5, 1.0),
            "shocks": _student(rng, days),
            "jumps": rng.random(days) < GAP_PROBABILITY,
            "jump_size": rng.choice([-1.0, 1.0], days) * rng.uniform(0.03, 0.09, days),
            "range": np.abs(rng.standard_normal((days, 2))),
            "volume_noise": rng.normal(0.0, 0.25, days),
        }
        for rng in rngs
    ]

    def stack(key: str) -> np.ndarray:
        return np.array([d[key] for d in draws])

    beta, loading, overnight = stack("beta"), stack("loading"), stack("overnight")
    idio, idio_sigma = _garch(np.column_stack([d["shocks"] for d in draws]), stack("idio_vol"))
    sector = sector_returns[:, [sector_column[sym.sector] for sym in chosen]]
    jumps = np.column_stack([np.where(d["jumps"], d["jump_size"], 0.0) for d in draws])
    diffusion = market[:, None] * beta + sector * loading + idio * regime_vol[:, None]
    returns = diffusion + jumps
    gaps = overnight * diffusion + jumps
    sigmas = np.sqrt((beta * MARKET_VOL) ** 2 + idio_sigma**2) * regime_vol[:, None]
    ranges = np.stack([d["range"] for d in draws], axis=1)
    volume_noise = np.column_stack([d["volume_noise"] for d in draws])
    return _to_bars(
        dates, chosen, returns, gaps, sigmas, stack("price"), stack("volume"), ranges, volume_noise
    )


def _rng(seed: int, role: int, index: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, role, index])))


def _student(rng: np.random.Generator, days: int) -> np.ndarray:
    """Fat-tailed shocks with unit variance."""
    return rng.standard_t(STUDENT_DF, days) / np.sqrt(STUDENT_DF / (STUDENT_DF - 2.0))


def _garch(shocks: np.ndarray, long_run_vol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GARCH(1,1) per column: a big shock raises tomorrow's variance, which decays back slowly."""
    omega = long_run_vol**2 * (1.0 - GARCH_ALPHA - GARCH_BETA)
    variance = long_run_vol**2
    out = np.empty_like(shocks)
    sigma = np.empty_like(shocks)
    for t in range(shocks.shape[0]):
        sigma[t] = np.sqrt(variance)
        out[t] = sigma[t] * shocks[t]
        variance = omega + GARCH_ALPHA * out[t] ** 2 + GARCH_BETA * variance
    return out, sigma


def _market_factor(seed: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Market returns under a Markov chain of regimes, and the regime's volatility multiplier per day."""
    rng = _rng(seed, _ROLE_MARKET, 0)
    uniforms = rng.random(days)
    cumulative = np.cumsum(TRANSITIONS, axis=1)
    regime = np.empty(days, dtype=np.int64)
    state = 0
    for t in range(days):
        state = int(np.searchsorted(cumulative[state], uniforms[t]))
        regime[t] = min(state, len(REGIME_NAMES) - 1)
        state = regime[t]
    vol = REGIME_VOL[regime]
    garch, _ = _garch(_student(rng, days)[:, None], np.array([MARKET_VOL]))
    return REGIME_DRIFT[regime] + garch[:, 0] * vol, vol


def _to_bars(
    dates: np.ndarray,
    symbols: list[SampleSymbol],
    returns: np.ndarray,
    gaps: np.ndarray,
    sigmas: np.ndarray,
    first_price: np.ndarray,
    base_volume: np.ndarray,
    ranges: np.ndarray,
    volume_noise: np.ndarray,
) -> SampleBars:
    """Turn log returns into prices: open gaps from the previous close, high/low wrap both."""
    close = np.exp(np.log(first_price) + np.cumsum(returns, axis=0))
    previous_close = np.vstack([first_price[None, :], close[:-1]])
    open_ = previous_close * np.exp(gaps)
    high = np.maximum(open_, close) * np.exp(ranges[..., 0] * sigmas * 0.6)
    low = np.minimum(open_, close) * np.exp(-ranges[..., 1] * sigmas * 0.6)
    open_, high, low, close = (np.maximum(np.round(a, 2), 0.01) for a in (open_, high, low, close))
    high = np.maximum.reduce([high, open_, close])
    low = np.minimum.reduce([low, open_, close])

    surprise = np.abs(returns) / np.maximum(sigmas, 1e-9)
    long_run = np.median(sigmas, axis=0)
    volume = base_volume * np.exp(0.35 * surprise + 0.8 * (sigmas / long_run - 1.0) + volume_noise)
    return SampleBars(dates, symbols, open_, high, low, close, np.round(volume).astype(np.int64))
