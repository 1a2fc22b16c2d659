"""Candles of one symbol over a time range, optionally downsampled for a chart.

numpy/pandas load on the first call (never at API import): published Parquet is read through the
in-process cache of :mod:`tradewind.data.bars`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tradewind.data import bars
from tradewind.data.marketdata import READY, DatasetRecord, SymbolRecord
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.services import symbols as symbol_search

if TYPE_CHECKING:
    from tradewind.marketdata.downsample import Candles


@dataclass(frozen=True)
class CandleSeries:
    """The candles of ``symbol`` from ``dataset_id``; ``total`` counts bars in range before downsampling."""

    symbol: str
    dataset_id: str
    dataset_name: str
    synthetic: bool
    total: int
    downsampled: bool
    candles: Candles


def get_candles(
    tenant_id: str,
    symbol: str,
    *,
    dataset_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    max_points: int | None = None,
) -> CandleSeries:
    """Bars with ``start <= t <= end``; without ``dataset_id`` a real dataset wins over a synthetic one."""
    import numpy as np

    from tradewind.marketdata.downsample import Candles, downsample

    symbol = symbol.upper()
    if not SYMBOL_PATTERN.match(symbol):
        raise InvalidInput(
            "invalid symbol", [FieldProblem(["path", "symbol"], "not a symbol", "value_error")]
        )
    if start is not None and end is not None and _naive_utc(start) > _naive_utc(end):
        raise InvalidInput("start is after end", [FieldProblem(["query", "start"], "must not be after end")])
    if max_points is not None and max_points < 2:
        raise InvalidInput(
            "max_points too small", [FieldProblem(["query", "max_points"], "must be at least 2")]
        )
    row = _symbol_row(tenant_id, symbol, dataset_id)
    frame = bars.read_bars(row.object_key)
    times = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    keep = np.ones(len(times), dtype=bool)
    if start is not None:
        keep &= times >= np.datetime64(_naive_utc(start), "ns")
    if end is not None:
        keep &= times <= np.datetime64(_naive_utc(end), "ns")
    candles = Candles(
        t=times[keep].astype("datetime64[s]").astype(np.int64),
        o=frame["open"].to_numpy(dtype=np.float64)[keep],
        h=frame["high"].to_numpy(dtype=np.float64)[keep],
        low=frame["low"].to_numpy(dtype=np.float64)[keep],
        c=frame["close"].to_numpy(dtype=np.float64)[keep],
        v=frame["volume"].to_numpy(dtype=np.float64)[keep],
    )
    total = len(candles)
    if max_points is not None:
        candles = downsample(candles, max_points)
    return CandleSeries(
        symbol=symbol,
        dataset_id=row.dataset_id,
        dataset_name=row.dataset_name,
        synthetic=row.synthetic,
        total=total,
        downsampled=len(candles) < total,
        candles=candles,
    )


def _naive_utc(moment: datetime) -> datetime:
    """Published timestamps are naive UTC; naive inputs are read as UTC too."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _symbol_row(tenant_id: str, symbol: str, dataset_id: str | None) -> SymbolRecord:
    if dataset_id is None:
        rows = symbol_search.datasets_of(tenant_id, symbol)
        if not rows:
            raise NotFound(f"symbol {symbol!r} is in none of your ready datasets")
        return sorted(rows, key=lambda r: r.synthetic)[0]
    try:
        return SymbolRecord.get(*SymbolRecord.key(tenant_id, symbol, dataset_id))
    except SymbolRecord.DoesNotExist:
        pass
    try:
        dataset = DatasetRecord.get(*DatasetRecord.key(tenant_id, dataset_id))
    except DatasetRecord.DoesNotExist:
        raise NotFound(f"dataset {dataset_id!r} not found") from None
    if dataset.status != READY:
        raise Conflict(f"dataset {dataset_id!r} is {dataset.status}, not ready")
    raise NotFound(f"symbol {symbol!r} is not in dataset {dataset_id!r}")
