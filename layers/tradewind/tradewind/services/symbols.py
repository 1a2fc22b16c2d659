"""Symbol search for autocomplete: a prefix over every symbol the tenant's ready datasets publish.

One DynamoDB Query (``begins_with(sk, "SYMBOL#{Q}")``) per page; answers are cached per tenant and
query for :data:`CACHE_SECONDS` because autocomplete repeats the same short prefixes. Publishing and
deleting in this process invalidate the tenant's entries at once; other processes see changes within
the TTL. pynamodb loads on the first query (:func:`_records`), keeping it out of the API Lambda's cold
import.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cachetools import TTLCache

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.marketdata.universe import SYMBOL_PATTERN

if TYPE_CHECKING:
    from tradewind.data.marketdata import SymbolRecord

CACHE_SECONDS = 5.0
MAX_CACHE_ENTRIES = 5_000
MAX_QUERY_LENGTH = 20


def _records() -> type[SymbolRecord]:
    from tradewind.data.marketdata import SymbolRecord

    return SymbolRecord


@dataclass(frozen=True)
class SymbolDataset:
    """One dataset that holds the symbol, with its label."""

    dataset_id: str
    dataset_name: str
    synthetic: bool
    rows: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class SymbolMatch:
    """A symbol and every dataset that publishes it (``synthetic`` if any of them is)."""

    symbol: str
    description: str | None
    datasets: list[SymbolDataset] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return any(d.synthetic for d in self.datasets)


# (tenant, prefix, limit) -> matches; cachetools caches are not thread-safe.
_cache: TTLCache[tuple[str, str, int], list[SymbolMatch]] = TTLCache(
    maxsize=MAX_CACHE_ENTRIES, ttl=CACHE_SECONDS
)
_lock = threading.Lock()


def invalidate(tenant_id: str) -> None:
    """Forget the tenant's cached answers (its datasets changed)."""
    with _lock:
        for key in [k for k in _cache if k[0] == tenant_id]:
            del _cache[key]


def cached_search(tenant_id: str, query: str, limit: int) -> list[SymbolMatch] | None:
    """The cached answer of :func:`search`, or ``None`` when it needs a query (no I/O here)."""
    with _lock:
        return _cache.get((tenant_id, _prefix(query), limit))


def search(tenant_id: str, query: str, limit: int) -> list[SymbolMatch]:
    """Up to ``limit`` distinct symbols starting with ``query`` (case-insensitive), in symbol order."""
    cached = cached_search(tenant_id, query, limit)
    if cached is not None:
        return cached
    prefix = _prefix(query)
    matches = _query(tenant_id, prefix, limit)
    with _lock:
        _cache[(tenant_id, prefix, limit)] = matches
    return matches


def _prefix(query: str) -> str:
    prefix = query.strip().upper()
    if len(prefix) > MAX_QUERY_LENGTH or (prefix and not SYMBOL_PATTERN.match(prefix)):
        raise InvalidInput(
            "invalid symbol query",
            [
                FieldProblem(
                    ["query", "q"], "up to 20 letters, digits or . - = ^ _", "string_pattern_mismatch"
                )
            ],
        )
    return prefix


def _query(tenant_id: str, prefix: str, limit: int) -> list[SymbolMatch]:
    records = _records()
    pk, sk_prefix = records.key(tenant_id, prefix)
    found: dict[str, SymbolMatch] = {}
    # A symbol has one row per dataset, so read a little more than `limit` rows per page.
    for row in records.query(pk, records.sk.startswith(sk_prefix), page_size=limit * 2 + 8):
        match = found.get(row.symbol)
        if match is None:
            if len(found) == limit:
                break
            match = found[row.symbol] = SymbolMatch(row.symbol, row.description)
        match.datasets.append(
            SymbolDataset(
                row.dataset_id, row.dataset_name, row.synthetic, int(row.rows), row.start_at, row.end_at
            )
        )
    return list(found.values())


def datasets_of(tenant_id: str, symbol: str) -> list[SymbolRecord]:
    """Every symbol row of exactly ``symbol`` (one per dataset that publishes it)."""
    records = _records()
    pk, sk_prefix = records.key(tenant_id, f"{symbol.upper()}#")
    return list(records.query(pk, records.sk.startswith(sk_prefix)))
