"""Candles of one symbol: columnar OHLCV JSON, optionally downsampled by OHLC buckets.

The use case is imported inside the route: it loads pynamodb (and numpy/pandas), which the API Lambda's
cold import leaves to the first request that needs them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.params import SYMBOL_ANY_CASE

router = APIRouter(prefix="/symbols", tags=["symbols"])


class CandlesOut(BaseModel):
    """Columnar bars: ``t`` epoch seconds (UTC), ``o``/``h``/``l``/``c`` prices, ``v`` volume."""

    symbol: str
    dataset_id: str
    dataset_name: str
    synthetic: bool
    total: int = Field(description="bars in the range before downsampling")
    count: int
    downsampled: bool
    t: list[int]
    o: list[float]
    h: list[float]
    l: list[float]  # noqa: E741 - the conventional OHLC key
    c: list[float]
    v: list[float]


@router.get(
    "/{symbol}/candles",
    responses=problems(404, 409),
    summary="OHLCV of a symbol over a range",
    response_model=CandlesOut,
)
def get_candles(
    tenant: Tenant,
    symbol: Annotated[str, Path(pattern=SYMBOL_ANY_CASE, description="any case", examples=["AAPL"])],
    dataset_id: Annotated[
        str | None, Query(max_length=40, description="default: a real dataset before a synthetic one")
    ] = None,
    start: Annotated[
        datetime | None, Query(description="inclusive; ISO date or date-time (UTC if naive)")
    ] = None,
    end: Annotated[datetime | None, Query(description="inclusive")] = None,
    max_points: Annotated[
        int | None, Query(ge=2, le=100_000, description="aggregate into at most this many bars")
    ] = None,
) -> Any:
    from tradewind.services import candles

    series = candles.get_candles(
        tenant, symbol, dataset_id=dataset_id, start=start, end=end, max_points=max_points
    )
    bars = series.candles
    body = {
        "symbol": series.symbol,
        "dataset_id": series.dataset_id,
        "dataset_name": series.dataset_name,
        "synthetic": series.synthetic,
        "total": series.total,
        "count": len(bars),
        "downsampled": series.downsampled,
        "t": bars.t.tolist(),
        "o": bars.o.tolist(),
        "h": bars.h.tolist(),
        "l": bars.low.tolist(),
        "c": bars.c.tolist(),
        "v": bars.v.tolist(),
    }
    # Returned as-is: validating thousands of floats through the response model would double the cost.
    return JSONResponse(body)
