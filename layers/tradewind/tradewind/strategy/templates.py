"""Ready-made strategy documents: starting points a researcher copies and edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tradewind.strategy.models import Strategy


def _p(default: float, low: float, high: float, step: float = 1, kind: str = "int") -> dict[str, Any]:
    return {"type": kind, "default": default, "min": low, "max": high, "step": step}


def _ref(name: str) -> dict[str, str]:
    return {"param": name}


def _cross(kind: str, label: str) -> Strategy:
    return Strategy.model_validate(
        {
            "name": f"{label} cross",
            "description": f"Long when the fast {label} crosses above the slow one, out when below.",
            "parameters": {"fast": _p(10, 2, 200), "slow": _p(30, 2, 200)},
            "constraints": [{"left": "fast", "op": "<", "right": "slow"}],
            "indicators": {
                "fast_ma": {"kind": kind, "source": "close", "params": {"window": _ref("fast")}},
                "slow_ma": {"kind": kind, "source": "close", "params": {"window": _ref("slow")}},
            },
            "rules": [
                {
                    "id": "enter",
                    "when": {"op": "crosses_above", "left": "fast_ma", "right": "slow_ma"},
                    "action": "buy",
                },
                {
                    "id": "exit",
                    "when": {"op": "crosses_below", "left": "fast_ma", "right": "slow_ma"},
                    "action": "short",
                },
            ],
        }
    )


def sma_cross() -> Strategy:
    """Classic moving-average crossover on simple averages (long only; ``short`` exits)."""
    return _cross("sma", "SMA")


def ema_cross() -> Strategy:
    """The crossover on exponential averages, which react faster."""
    return _cross("ema", "EMA")


def rsi_mean_reversion() -> Strategy:
    """Buy oversold (RSI back above the low band), sell overbought."""
    return Strategy.model_validate(
        {
            "name": "RSI mean reversion",
            "parameters": {"window": _p(14, 2, 50), "low": _p(30, 5, 45, 5), "high": _p(70, 55, 95, 5)},
            "indicators": {"rsi": {"kind": "rsi", "params": {"window": _ref("window")}}},
            "rules": [
                {
                    "id": "enter",
                    "when": {"op": "crosses_above", "left": "rsi", "right": _ref("low")},
                    "action": "buy",
                },
                {"id": "exit", "when": {"op": ">", "left": "rsi", "right": _ref("high")}, "action": "sell"},
            ],
        }
    )


def bollinger_breakout() -> Strategy:
    """Enter when the close breaks above the upper band; leave when it falls back below the middle."""
    return Strategy.model_validate(
        {
            "name": "Bollinger breakout",
            "parameters": {"window": _p(20, 5, 100), "k": _p(2.0, 1.0, 3.0, 0.5, "float")},
            "indicators": {"bb": {"kind": "bollinger", "params": {"window": _ref("window"), "k": _ref("k")}}},
            "rules": [
                {
                    "id": "enter",
                    "when": {"op": "crosses_above", "left": "close", "right": "bb.upper"},
                    "action": "buy",
                },
                {
                    "id": "exit",
                    "when": {"op": "crosses_below", "left": "close", "right": "bb.middle"},
                    "action": "sell",
                },
            ],
        }
    )


def macd_trend() -> Strategy:
    """Follow the MACD line across its signal line, long and short."""
    return Strategy.model_validate(
        {
            "name": "MACD trend",
            "parameters": {"fast": _p(12, 4, 30), "slow": _p(26, 10, 60), "signal": _p(9, 3, 20)},
            "constraints": [{"left": "fast", "op": "<", "right": "slow"}],
            "indicators": {
                "macd": {
                    "kind": "macd",
                    "params": {"fast": _ref("fast"), "slow": _ref("slow"), "signal": _ref("signal")},
                }
            },
            "rules": [
                {
                    "id": "long",
                    "when": {"op": "crosses_above", "left": "macd.line", "right": "macd.signal"},
                    "action": "buy",
                },
                {
                    "id": "short",
                    "when": {"op": "crosses_below", "left": "macd.line", "right": "macd.signal"},
                    "action": "short",
                },
            ],
            "direction": "long_short",
        }
    )


def donchian_breakout() -> Strategy:
    """Turtle-style: buy a break of the prior N-bar high, exit at the prior M-bar low, 2 ATR stop."""
    return Strategy.model_validate(
        {
            "name": "Donchian breakout (turtle)",
            "parameters": {"entry": _p(20, 5, 100), "exit": _p(10, 2, 50)},
            "constraints": [{"left": "exit", "op": "<", "right": "entry"}],
            "indicators": {
                "upper": {"kind": "highest", "source": "high", "params": {"window": _ref("entry")}},
                "lower": {"kind": "lowest", "source": "low", "params": {"window": _ref("exit")}},
                "prior_upper": {"kind": "lag", "source": "upper", "params": {"periods": 1}},
                "prior_lower": {"kind": "lag", "source": "lower", "params": {"periods": 1}},
            },
            "rules": [
                {
                    "id": "enter",
                    "when": {"op": ">", "left": "close", "right": "prior_upper"},
                    "action": "buy",
                },
                {
                    "id": "exit",
                    "when": {"op": "<", "left": "close", "right": "prior_lower"},
                    "action": "sell",
                },
            ],
            "risk": {"stop_loss": {"atr": 2}, "atr_window": 20},
        }
    )


TEMPLATES: dict[str, Callable[[], Strategy]] = {
    "sma_cross": sma_cross,
    "ema_cross": ema_cross,
    "rsi_mean_reversion": rsi_mean_reversion,
    "bollinger_breakout": bollinger_breakout,
    "macd_trend": macd_trend,
    "donchian_breakout": donchian_breakout,
}


def template(name: str) -> Strategy:
    """A fresh copy of the named template; ``KeyError`` lists the known names."""
    try:
        return TEMPLATES[name]()
    except KeyError:
        raise KeyError(f"unknown template '{name}' (known: {', '.join(TEMPLATES)})") from None
