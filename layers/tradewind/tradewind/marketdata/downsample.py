"""OHLC bucket aggregation: fewer bars that keep the shape of the series a chart needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Candles:
    """Columnar bars: ``t`` is epoch seconds (UTC) of each bar's (or bucket's first bar's) start."""

    t: np.ndarray
    o: np.ndarray
    h: np.ndarray
    low: np.ndarray
    c: np.ndarray
    v: np.ndarray

    def __len__(self) -> int:
        return len(self.t)


def downsample(candles: Candles, max_points: int) -> Candles:
    """At most ``max_points`` bars, each the aggregate of a run of consecutive bars.

    Buckets are as equal in size as possible; a bucket opens at its first open, closes at its last
    close, spans the max high and min low, and sums the volume.
    """
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    n = len(candles)
    if n <= max_points:
        return candles
    starts = (np.arange(max_points) * n) // max_points
    ends = np.append(starts[1:], n) - 1
    return Candles(
        t=candles.t[starts],
        o=candles.o[starts],
        h=np.maximum.reduceat(candles.h, starts),
        low=np.minimum.reduceat(candles.low, starts),
        c=candles.c[ends],
        v=np.add.reduceat(candles.v, starts),
    )
