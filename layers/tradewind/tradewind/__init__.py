"""Tradewind: serverless trading research.

The package holds the domain (indicators, strategy language, engine, metrics) and the data access
used by the Lambda handlers in ``functions/``. Importing it is cheap: heavy modules (pandas, boto3)
load only when the feature that needs them is used, e.g. ``tradewind.backtest(df, "sma_cross")``.
"""

from __future__ import annotations

from typing import Any

from tradewind.version import __version__

# Notebook entry points, resolved on first use so that ``import tradewind`` stays cheap.
_LAZY = {
    "backtest": "tradewind.engine.api",
    "sweep": "tradewind.engine.api",
    "template": "tradewind.strategy.templates",
    "Strategy": "tradewind.strategy.models",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tradewind' has no attribute '{name}'")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = ["Strategy", "__version__", "backtest", "sweep", "template"]
