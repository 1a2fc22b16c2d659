"""Bars to and from Parquet bytes (fastparquet: pyarrow is too big for the Lambda layer)."""

from __future__ import annotations

import io
import warnings

import pandas as pd

BAR_COLUMNS = ("timestamp", "open", "high", "low", "close", "volume")


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """One symbol's bars (``BAR_COLUMNS``, timestamps naive UTC) as a Parquet file."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fastparquet.*deprecated")
        frame.loc[:, list(BAR_COLUMNS)].to_parquet(buffer, engine="fastparquet", index=False)
    return buffer.getvalue()


def from_parquet_bytes(data: bytes) -> pd.DataFrame:
    """The bars written by ``to_parquet_bytes``, or any Parquet file (uploads)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fastparquet.*deprecated")
        return pd.read_parquet(io.BytesIO(data), engine="fastparquet")
