"""One entry point from (kind, inputs, params) to the indicator's named outputs."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tradewind.indicators import functions as f
from tradewind.indicators.registry import SPECS

Array = np.ndarray


def compute(
    kind: str, source: Array, bars: Mapping[str, Array], params: Mapping[str, float]
) -> dict[str, Array]:
    """Compute ``kind`` on ``source`` (or the bars' high/low/close/volume), outputs by name.

    ``params`` may omit parameters: the registry's defaults fill them in.
    """
    spec = SPECS[kind]
    p = {name: params.get(name, ps.default) for name, ps in spec.params.items()}
    ints = {name: int(v) for name, v in p.items() if spec.params[name].integer}
    h, lo, c = bars["high"], bars["low"], bars["close"]
    if kind == "macd":
        return f.macd(source, ints["fast"], ints["slow"], ints["signal"])
    if kind == "bollinger":
        return f.bollinger(source, ints["window"], float(p["k"]))
    if kind == "stochastic":
        return f.stochastic(h, lo, c, ints["k"], ints["d"])
    if kind == "donchian":
        return f.donchian(h, lo, ints["window"])
    single = {
        "sma": lambda: f.sma(source, ints["window"]),
        "ema": lambda: f.ema(source, ints["window"]),
        "wma": lambda: f.wma(source, ints["window"]),
        "rsi": lambda: f.rsi(source, ints["window"]),
        "atr": lambda: f.atr(h, lo, c, ints["window"]),
        "roc": lambda: f.roc(source, ints["window"]),
        "highest": lambda: f.highest(source, ints["window"]),
        "lowest": lambda: f.lowest(source, ints["window"]),
        "volume_sma": lambda: f.sma(bars["volume"], ints["window"]),
        "lag": lambda: f.lag(source, ints["periods"]),
    }
    return {"value": single[kind]()}
