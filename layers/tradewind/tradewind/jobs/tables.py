"""Encoding of shard objects and result artifacts: strict JSON, ISO times, content types.

Result JSON is strict (``NaN``/``inf`` become ``null``, times ISO 8601 UTC with a ``Z``) because
browsers parse it. Shard objects are internal and must round-trip exactly: Parquet frames
(:mod:`tradewind.marketdata.parquet`, ``columns=None``) keep float64 bits, and the JSON shards of a
backtest keep non-finite numbers as Python's ``NaN``/``Infinity``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

JSON_TYPE = "application/json"
PARQUET_TYPE = "application/vnd.apache.parquet"
CSV_TYPE = "text/csv"


def utc_times(values: np.ndarray) -> list[str]:
    """Bar times (naive UTC ``datetime64``) as ISO 8601 strings with a ``Z``."""
    return [
        f"{text}Z" for text in np.datetime_as_string(np.asarray(values, dtype="datetime64[ns]"), unit="s")
    ]


def utc_time(value: Any) -> str:
    return utc_times(np.asarray([value], dtype="datetime64[ns]"))[0]


def plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy numbers to Python, non-finite to ``None``, times to ISO strings."""
    if isinstance(value, np.datetime64 | pd.Timestamp):
        return None if pd.isna(value) else utc_time(value)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


def plain_mapping(values: Mapping[str, Any]) -> dict[str, Any]:
    return {str(name): plain(value) for name, value in values.items()}


def strict_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON that a browser accepts (callers pass values through ``plain`` first)."""
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()


def exact_json(obj: Any) -> bytes:
    """JSON that round-trips float64 exactly, ``NaN`` and ``Infinity`` included (shard objects only)."""
    return json.dumps(obj, separators=(",", ":")).encode()
