"""Performance metrics of backtests, computed for a whole parameter grid at once.

``compute_metrics`` turns the engine's equity curves and trade table into one row per combination;
``METRICS`` describes every column; ``SCREENING`` is the cheap subset a sweep can ask for.
"""

from tradewind.metrics.catalog import METRICS, SCREENING, MetricSpec
from tradewind.metrics.compute import compute_metrics
from tradewind.metrics.formatting import format_metrics

__all__ = ["METRICS", "SCREENING", "MetricSpec", "compute_metrics", "format_metrics"]
