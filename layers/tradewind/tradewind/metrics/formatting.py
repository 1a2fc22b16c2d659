"""Human-readable metric values for tables (the CLI, reports)."""

from __future__ import annotations

import math

import pandas as pd

from tradewind.metrics.catalog import METRICS


def _format_value(unit: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "n/a"
    if unit == "date":
        return str(pd.Timestamp(value))
    number = float(value)  # type: ignore[arg-type]
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if unit == "days":
        if number >= 10 or number == int(number):
            return f"{round(number)} days"
        return str(pd.Timedelta(days=number).round("s"))
    if unit == "count":
        return str(int(number))
    if unit in ("%", "cash"):
        return f"{number:,.2f}"
    return f"{number:.3f}"


def format_metrics(row: pd.Series) -> list[tuple[str, str]]:
    """(label, formatted value) for each known metric in ``row``, in catalogue order.

    Percentages and cash have 2 decimals, ratios 3, durations read "123 days" (whole days from ten
    days up; shorter fractional ones "2 days 06:00:00"), undefined values "n/a".
    """
    return [
        (spec.label, _format_value(spec.unit, row[spec.id]))
        for spec in METRICS.values()
        if spec.id in row.index
    ]
