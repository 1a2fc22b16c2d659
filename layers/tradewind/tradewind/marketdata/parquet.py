"""Frames to and from Parquet bytes (fastparquet: pyarrow is too big for the Lambda layer): published
bars, and the job workflow's shard objects and result tables."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

import pandas as pd

BAR_COLUMNS = ("timestamp", "open", "high", "low", "close", "volume")


def to_parquet_bytes(frame: pd.DataFrame, columns: Sequence[str] | None = BAR_COLUMNS) -> bytes:
    """A Parquet file of ``columns`` of the frame, without its index: by default one symbol's bars
    (``BAR_COLUMNS``, timestamps naive UTC); ``None`` keeps every column."""
    selected = frame if columns is None else frame.loc[:, list(columns)]
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fastparquet.*deprecated")
        selected.to_parquet(buffer, engine="fastparquet", index=False)
    return buffer.getvalue()


def from_parquet_bytes(data: bytes) -> pd.DataFrame:
    """Any Parquet file as a frame: bars written by ``to_parquet_bytes``, uploads, job tables."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fastparquet.*deprecated")
        return pd.read_parquet(io.BytesIO(data), engine="fastparquet")
