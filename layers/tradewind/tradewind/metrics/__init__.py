"""Performance metrics of backtests, computed for a whole parameter grid at once.

``compute_metrics`` turns the engine's equity curves and trade table into one row per combination;
``METRICS`` describes every column; ``SCREENING`` is the cheap subset a sweep can ask for.

The formulas (numpy/pandas) load on first access, so the API can check a metric id against the
catalogue without loading pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradewind.metrics.catalog import METRICS, SCREENING, MetricSpec

if TYPE_CHECKING:
    from tradewind.metrics.compute import compute_metrics
    from tradewind.metrics.formatting import format_metrics

__all__ = ["METRICS", "SCREENING", "MetricSpec", "compute_metrics", "format_metrics"]


def __getattr__(name: str) -> Any:
    if name == "compute_metrics":
        from tradewind.metrics.compute import compute_metrics

        return compute_metrics
    if name == "format_metrics":
        from tradewind.metrics.formatting import format_metrics

        return format_metrics
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
