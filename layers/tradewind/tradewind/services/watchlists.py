"""Watchlists: a tenant's named, ordered lists of symbols.

Every read and write is keyed by the caller's tenant (``TENANT#{t}`` / ``WATCHLIST#{id}``), so another
tenant's id is simply not found. Writes are read-modify-write guarded by the record's version: a
concurrent edit makes the loser re-read and re-apply (up to :data:`MAX_ATTEMPTS`), then 409.
Symbols arrive normalized (upper-case, pattern-checked by the API model); a list must not repeat a
symbol, while adding a present symbol or removing an absent one is a no-op (idempotent).
pynamodb loads on first use (:func:`_records`), keeping it out of the API Lambda's cold import.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.data.keys import tenant_pk
from tradewind.data.table import condition_failed, query_page
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound

MAX_WATCHLISTS = 100
MAX_SYMBOLS = 200
MAX_ATTEMPTS = 3

if TYPE_CHECKING:
    from tradewind.data.models import WatchlistRecord


def _records() -> type[WatchlistRecord]:
    from tradewind.data.models import WatchlistRecord

    return WatchlistRecord


@dataclass(frozen=True)
class Watchlist:
    watchlist_id: str
    name: str
    symbols: list[str]
    created_at: datetime
    updated_at: datetime


def _view(record: WatchlistRecord) -> Watchlist:
    return Watchlist(
        record.watchlist_id, record.name, list(record.symbols), record.created_at, record.updated_at
    )


def _check_unique(symbols: list[str]) -> None:
    seen: set[str] = set()
    problems = []
    for index, symbol in enumerate(symbols):
        if symbol in seen:
            problems.append(FieldProblem(["body", "symbols", index], f"duplicate symbol {symbol!r}"))
        seen.add(symbol)
    if problems:
        raise InvalidInput("a watchlist lists each symbol once", problems)


def _get(tenant_id: str, watchlist_id: str) -> WatchlistRecord:
    records = _records()
    try:
        return records.get(tenant_pk(tenant_id), records.sort_key(watchlist_id))
    except records.DoesNotExist:
        raise NotFound(f"watchlist {watchlist_id!r} not found") from None


def create_watchlist(tenant_id: str, name: str, symbols: list[str]) -> Watchlist:
    """A new watchlist; 409 once the tenant has :data:`MAX_WATCHLISTS`."""
    _check_unique(symbols)
    records, pk = _records(), tenant_pk(tenant_id)
    if records.count(pk, records.sk.startswith(records.sort_key())) >= MAX_WATCHLISTS:
        raise Conflict(f"a tenant keeps at most {MAX_WATCHLISTS} watchlists")
    watchlist_id = secrets.token_hex(8)
    now = datetime.now(UTC)
    record = records(
        pk,
        records.sort_key(watchlist_id),
        watchlist_id=watchlist_id,
        name=name,
        symbols=symbols,
        created_at=now,
        updated_at=now,
    )
    record.save()
    return _view(record)


def list_watchlists(
    tenant_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[Watchlist], dict[str, Any] | None]:
    """One page of the tenant's watchlists (ordered by id) and the key to continue from."""
    records = _records()
    rows, next_key = query_page(
        records.query,
        tenant_pk(tenant_id),
        records.sk.startswith(records.sort_key()),
        limit=limit,
        start=start,
    )
    return [_view(r) for r in rows], next_key


def get_watchlist(tenant_id: str, watchlist_id: str) -> Watchlist:
    return _view(_get(tenant_id, watchlist_id))


def _update(tenant_id: str, watchlist_id: str, change: Callable[[WatchlistRecord], bool]) -> Watchlist:
    """Apply ``change`` (returns whether it changed anything) and save, retrying lost races."""
    for _ in range(MAX_ATTEMPTS):
        record = _get(tenant_id, watchlist_id)
        if not change(record):
            return _view(record)
        record.updated_at = datetime.now(UTC)
        try:
            record.save()
        except Exception as exc:
            if not condition_failed(exc):
                raise
            continue
        return _view(record)
    raise Conflict(f"watchlist {watchlist_id!r} is being changed concurrently; retry")


def replace_watchlist(tenant_id: str, watchlist_id: str, name: str, symbols: list[str]) -> Watchlist:
    """Set the name and the whole symbol list."""
    _check_unique(symbols)

    def change(record: WatchlistRecord) -> bool:
        record.name, record.symbols = name, list(symbols)
        return True

    return _update(tenant_id, watchlist_id, change)


def add_symbol(tenant_id: str, watchlist_id: str, symbol: str) -> Watchlist:
    """Append ``symbol`` unless present (then nothing changes); 409 when the list is full."""

    def change(record: WatchlistRecord) -> bool:
        if symbol in record.symbols:
            return False
        if len(record.symbols) >= MAX_SYMBOLS:
            raise Conflict(f"a watchlist holds at most {MAX_SYMBOLS} symbols")
        record.symbols = [*record.symbols, symbol]
        return True

    return _update(tenant_id, watchlist_id, change)


def remove_symbol(tenant_id: str, watchlist_id: str, symbol: str) -> Watchlist:
    """Remove ``symbol`` if present (absent: nothing changes)."""

    def change(record: WatchlistRecord) -> bool:
        if symbol not in record.symbols:
            return False
        record.symbols = [s for s in record.symbols if s != symbol]
        return True

    return _update(tenant_id, watchlist_id, change)


def delete_watchlist(tenant_id: str, watchlist_id: str) -> None:
    """Delete the watchlist; 404 if the tenant has none with this id."""
    for _ in range(MAX_ATTEMPTS):
        record = _get(tenant_id, watchlist_id)
        try:
            record.delete()
        except Exception as exc:
            if not condition_failed(exc):
                raise
            continue
        return
    raise Conflict(f"watchlist {watchlist_id!r} is being changed concurrently; retry")
