"""What each indicator kind needs (inputs, parameters) and yields (outputs), for validation and compute.

The registry is numpy-free so that validating a strategy document (in the API Lambda) stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Inputs = Literal["source", "hlc", "hl", "volume"]


@dataclass(frozen=True)
class ParamSpec:
    default: float
    integer: bool = True
    minimum: float = 1
    is_window: bool = True  # counts towards the warm-up ("window longer than the data")


@dataclass(frozen=True)
class IndicatorSpec:
    inputs: Inputs
    params: dict[str, ParamSpec]
    outputs: tuple[str, ...] = ("value",)

    @property
    def default_output(self) -> str:
        """The output a bare reference (``"bb"`` rather than ``"bb.upper"``) means."""
        return self.outputs[0]


def _window(default: int) -> dict[str, ParamSpec]:
    return {"window": ParamSpec(default)}


SPECS: dict[str, IndicatorSpec] = {
    "sma": IndicatorSpec("source", _window(20)),
    "ema": IndicatorSpec("source", _window(20)),
    "wma": IndicatorSpec("source", _window(20)),
    "rsi": IndicatorSpec("source", _window(14)),
    "macd": IndicatorSpec(
        "source",
        {"fast": ParamSpec(12), "slow": ParamSpec(26), "signal": ParamSpec(9)},
        ("line", "signal", "hist"),
    ),
    "bollinger": IndicatorSpec(
        "source",
        {"window": ParamSpec(20), "k": ParamSpec(2.0, integer=False, minimum=0, is_window=False)},
        ("middle", "upper", "lower"),
    ),
    "atr": IndicatorSpec("hlc", _window(14)),
    "stochastic": IndicatorSpec("hlc", {"k": ParamSpec(14), "d": ParamSpec(3)}, ("k", "d")),
    "roc": IndicatorSpec("source", _window(10)),
    "donchian": IndicatorSpec("hl", _window(20), ("middle", "upper", "lower")),
    "highest": IndicatorSpec("source", _window(20)),
    "lowest": IndicatorSpec("source", _window(20)),
    "volume_sma": IndicatorSpec("volume", _window(20)),
    "lag": IndicatorSpec("source", {"periods": ParamSpec(1)}),
}
