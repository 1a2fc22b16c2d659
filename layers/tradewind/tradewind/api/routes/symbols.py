"""Symbol search: autocomplete across the tenant's ready datasets (one prefix query, cached briefly)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tradewind.api.auth import Tenant
from tradewind.api.params import SYMBOL_PREFIX
from tradewind.services import symbols

router = APIRouter(prefix="/symbols", tags=["symbols"])


class SymbolDatasetOut(BaseModel):
    dataset_id: str
    dataset_name: str
    synthetic: bool
    rows: int
    start: datetime
    end: datetime


class SymbolOut(BaseModel):
    symbol: str
    description: str | None = None
    synthetic: bool = Field(description="true if any dataset holding it is synthetic")
    datasets: list[SymbolDatasetOut]


class SymbolList(BaseModel):
    items: list[SymbolOut]


@router.get("", summary="Search symbols by prefix (autocomplete)")
async def search(
    tenant: Tenant,
    q: Annotated[
        str,
        Query(
            max_length=symbols.MAX_QUERY_LENGTH, pattern=SYMBOL_PREFIX, description="prefix, case-insensitive"
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SymbolList:
    # Autocomplete repeats itself: a cache hit is answered on the event loop, a miss in a thread.
    matches = symbols.cached_search(tenant, q, limit)
    if matches is None:
        matches = await run_in_threadpool(symbols.search, tenant, q, limit)
    return SymbolList(
        items=[
            SymbolOut(
                symbol=m.symbol,
                description=m.description,
                synthetic=m.synthetic,
                datasets=[SymbolDatasetOut(**vars(d)) for d in m.datasets],
            )
            for m in matches
        ]
    )
