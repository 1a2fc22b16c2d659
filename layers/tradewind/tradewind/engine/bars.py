"""Market data as the engine wants it: aligned float64 columns and a datetime64 index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradewind.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("open", "high", "low", "close")
TIME_COLUMNS = ("time", "timestamp", "date", "datetime")


@dataclass(frozen=True)
class Bars:
    """One instrument's OHLCV bars in time order."""

    index: np.ndarray  # datetime64[ns]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return int(self.close.shape[0])

    def columns(self) -> dict[str, np.ndarray]:
        """The price columns by name, as series references see them."""
        return {
            "open": self.open,
            "high": self.high,
            "low": self.low,
            "close": self.close,
            "volume": self.volume,
        }

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Bars:
        """Read open/high/low/close[/volume] (any case) indexed by time or with a time column."""
        import pandas as pd

        df = frame.rename(columns={c: str(c).lower() for c in frame.columns})
        if not isinstance(df.index, pd.DatetimeIndex):
            time_col = next((c for c in TIME_COLUMNS if c in df.columns), None)
            if time_col is None:
                raise InvalidInput(
                    "The bars need a time index or column.",
                    [
                        FieldProblem(
                            ["data", "time"],
                            f"no DatetimeIndex and none of the columns {TIME_COLUMNS}",
                            "missing",
                        )
                    ],
                )
            df = df.set_index(pd.DatetimeIndex(pd.to_datetime(df[time_col], utc=True)))
        problems = [
            FieldProblem(["data", c], f"missing column '{c}'", "missing")
            for c in REQUIRED
            if c not in df.columns
        ]
        if problems:
            raise InvalidInput("The bars are missing columns.", problems)
        df = df.sort_index()
        arrays = {c: df[c].to_numpy(dtype=np.float64) for c in REQUIRED}
        volume = df["volume"].to_numpy(dtype=np.float64) if "volume" in df.columns else np.zeros(len(df))
        problems = [
            FieldProblem(["data", c], "contains missing values", "missing")
            for c, a in arrays.items()
            if np.isnan(a).any()
        ]
        if len(df) < 2:
            problems.append(FieldProblem(["data"], "at least 2 bars are needed", "too_short"))
        if problems:
            raise InvalidInput("The bars are invalid.", problems)
        index = df.index.tz_convert(None) if df.index.tz is not None else df.index
        return cls(index.to_numpy(dtype="datetime64[ns]"), volume=volume, **arrays)
