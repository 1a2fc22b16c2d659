"""Daily bars from Yahoo Finance via ``yfinance`` (the optional ``yfinance`` extra).

The provider only fetches and reshapes: its CSV goes through the same upload -> SQS -> validation
path as a file a user uploads, so a provider glitch (a NaN, a duplicate day) fails loudly, with a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FIELDS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume"}
Downloader = Callable[..., "pd.DataFrame"]


def _yfinance_download(**kwargs: Any) -> pd.DataFrame:
    import yfinance

    frame: pd.DataFrame = yfinance.download(**kwargs)
    return frame


def fetch_daily(
    symbols: Sequence[str], start: date, end: date, *, download: Downloader | None = None
) -> pd.DataFrame:
    """Unadjusted daily bars for ``symbols`` from ``start`` to ``end`` inclusive, long format."""
    raw = (download or _yfinance_download)(
        tickers=list(symbols),
        start=start.isoformat(),
        end=(end + timedelta(days=1)).isoformat(),  # yfinance's end is exclusive
        interval="1d",
        auto_adjust=False,
        actions=False,
        group_by="column",
        multi_level_index=True,
        progress=False,
        threads=False,
    )
    return normalize(raw, symbols)


def normalize(raw: pd.DataFrame, symbols: Sequence[str]) -> pd.DataFrame:
    """``timestamp, symbol, open, high, low, close, volume`` rows, sorted by symbol then time.

    yfinance answers with ``(Price, Ticker)`` column levels (``Adj Close`` is dropped) or, for one
    ticker in older versions, flat columns; days on which a ticker has no bar (all NaN) are dropped.
    """
    import pandas as pd

    if isinstance(raw.columns, pd.MultiIndex):
        field_level = next(
            i for i in range(raw.columns.nlevels) if set(FIELDS) <= set(raw.columns.get_level_values(i))
        )
        long = raw.stack(level=1 - field_level, future_stack=True)
        long.index = long.index.set_names(["timestamp", "symbol"])
        long = long.reset_index()
    else:
        long = raw.rename_axis("timestamp").reset_index()
        long["symbol"] = symbols[0]
    long = long.rename(columns=FIELDS)
    long = long.loc[:, ["timestamp", "symbol", *FIELDS.values()]]
    long = long.dropna(how="all", subset=list(FIELDS.values()))
    long["symbol"] = long["symbol"].astype(str).str.upper()
    long["timestamp"] = pd.to_datetime(long["timestamp"]).dt.strftime("%Y-%m-%d")
    return long.sort_values(["symbol", "timestamp"], kind="stable").reset_index(drop=True)


def to_csv_bytes(bars: pd.DataFrame) -> bytes:
    return bars.to_csv(index=False).encode()
