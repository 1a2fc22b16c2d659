"""Watchlist routes: CRUD of the caller's watchlists and adding/removing one symbol."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.marketdata.universe import SYMBOL_PATTERN
from tradewind.services import watchlists
from tradewind.text import Name

router = APIRouter(prefix="/watchlists", tags=["watchlists"])


def _normalize(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


Symbol = Annotated[
    str,
    BeforeValidator(_normalize),
    StringConstraints(pattern=SYMBOL_PATTERN.pattern),
    Field(description="ticker, upper-cased on input (`aapl` -> `AAPL`)", examples=["AAPL"]),
]
WatchlistId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
SymbolPath = Annotated[str, BeforeValidator(_normalize), Path(pattern=SYMBOL_PATTERN.pattern)]


class WatchlistIn(BaseModel):
    name: Name = Field(min_length=1, max_length=100)
    symbols: list[Symbol] = Field(default_factory=list, max_length=watchlists.MAX_SYMBOLS)


class SymbolIn(BaseModel):
    symbol: Symbol


class WatchlistOut(BaseModel):
    watchlist_id: str
    name: str
    symbols: list[str]
    created_at: datetime
    updated_at: datetime


def _out(w: watchlists.Watchlist) -> WatchlistOut:
    return WatchlistOut(**vars(w))


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(409), summary="Create a watchlist")
def create(tenant: Tenant, body: WatchlistIn) -> WatchlistOut:
    return _out(watchlists.create_watchlist(tenant, body.name, body.symbols))


@router.get("", summary="List your watchlists")
def list_all(tenant: Tenant, limit: Limit = 50, next_token: NextToken = None) -> Page[WatchlistOut]:
    start = decode_token(next_token, partition=tenant_pk(tenant))
    items, last = watchlists.list_watchlists(tenant, limit, start)
    return Page(items=[_out(w) for w in items], next_token=encode_token(last))


@router.get("/{watchlist_id}", responses=problems(404), summary="Get a watchlist")
def get(tenant: Tenant, watchlist_id: WatchlistId) -> WatchlistOut:
    return _out(watchlists.get_watchlist(tenant, watchlist_id))


@router.put("/{watchlist_id}", responses=problems(404, 409), summary="Replace a watchlist's name and symbols")
def replace(tenant: Tenant, watchlist_id: WatchlistId, body: WatchlistIn) -> WatchlistOut:
    return _out(watchlists.replace_watchlist(tenant, watchlist_id, body.name, body.symbols))


@router.delete(
    "/{watchlist_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, 409),
    summary="Delete a watchlist",
)
def delete(tenant: Tenant, watchlist_id: WatchlistId) -> None:
    watchlists.delete_watchlist(tenant, watchlist_id)


@router.post(
    "/{watchlist_id}/symbols", responses=problems(404, 409), summary="Add a symbol (no-op if present)"
)
def add_symbol(tenant: Tenant, watchlist_id: WatchlistId, body: SymbolIn) -> WatchlistOut:
    return _out(watchlists.add_symbol(tenant, watchlist_id, body.symbol))


@router.delete(
    "/{watchlist_id}/symbols/{symbol}",
    responses=problems(404, 409),
    summary="Remove a symbol (no-op if absent)",
)
def remove_symbol(tenant: Tenant, watchlist_id: WatchlistId, symbol: SymbolPath) -> WatchlistOut:
    return _out(watchlists.remove_symbol(tenant, watchlist_id, symbol))
