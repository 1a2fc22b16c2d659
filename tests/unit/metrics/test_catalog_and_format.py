"""The catalogue's invariants and the human formatting of a metrics row."""

from __future__ import annotations

import math
import re

import pandas as pd
from tradewind.metrics import METRICS, SCREENING, format_metrics

from tests.unit.metrics.builders import run
from tests.unit.metrics.reference import Trade


def test_screening_subset_is_flagged_in_the_catalogue() -> None:
    assert tuple(spec.id for spec in METRICS.values() if spec.screening) == SCREENING


def test_ids_are_snake_case_and_labels_unique() -> None:
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in METRICS)
    labels = [spec.label for spec in METRICS.values()]
    assert len(set(labels)) == len(labels)
    assert all(spec.id == name for name, spec in METRICS.items())


def test_format_metrics_gives_labels_and_readable_values() -> None:
    index = pd.date_range("2024-01-01", periods=5, freq="D")
    row = run(
        [[100.0, 110.0, 99.0, 120.0, 120.5]], [[Trade(0, 3, 20.0, 20.0)]], index=index, cash=100.0
    ).iloc[0]
    table = dict(format_metrics(row))
    assert list(table) == [spec.label for spec in METRICS.values()]
    assert table["Start"] == "2024-01-01 00:00:00"
    assert table["Duration"] == "4 days"
    assert table["Return [%]"] == "20.50"
    assert table["# Trades"] == "1"
    assert table["Max. Trade Duration"] == "3 days"
    assert table["Profit Factor"] == "inf"
    assert table["Kelly Criterion"] == "n/a"
    assert table["Equity Final [$]"] == "120.50"


def test_fractional_durations_read_as_time() -> None:
    row = pd.Series({"duration_days": 0.25, "avg_drawdown_duration_days": 12.6, "sharpe": math.nan})
    assert format_metrics(row) == [
        ("Duration", "0 days 06:00:00"),
        ("Sharpe Ratio", "n/a"),
        ("Avg. Drawdown Duration", "13 days"),
    ]
