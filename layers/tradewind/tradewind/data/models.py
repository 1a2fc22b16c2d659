"""Main-table records of the API basics: API keys and watchlists (keys in docs/architecture.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from pynamodb.attributes import ListAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk


class ApiKeyRecord(MainTableModel):
    """One API key, found by the sha256 of its secret; ``gsi1`` lists a tenant's keys.

    The secret itself is never stored: only its hash (the key) and a display prefix.
    """

    SORT_KEY: ClassVar[str] = "APIKEY"

    tenant_id = UnicodeAttribute()
    key_id = UnicodeAttribute()
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)
    role = UnicodeAttribute(null=True)  # absent on keys made before roles: they are admin keys
    scopes = ListAttribute[Any](of=UnicodeAttribute, null=True)  # route groups; absent: every route
    valid_until = UTCDateTimeAttribute(null=True)  # absent: never expires
    gsi1: Gsi1[ApiKeyRecord] = Gsi1()

    @staticmethod
    def hash_pk(secret_hash: str) -> str:
        return f"APIKEY#{secret_hash}"

    @staticmethod
    def tenant_index_key(tenant_id: str, key_id: str = "") -> tuple[str, str]:
        """``gsi1`` keys of a tenant's key (an empty ``key_id`` gives the prefix of all of them)."""
        return tenant_pk(tenant_id), f"APIKEY#{key_id}"


class WatchlistRecord(MainTableModel):
    """A tenant's named, ordered list of symbols; ``version`` makes concurrent edits safe."""

    watchlist_id = UnicodeAttribute()
    name = UnicodeAttribute()
    symbols = ListAttribute[Any](of=UnicodeAttribute, default=list)  # of str
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @staticmethod
    def sort_key(watchlist_id: str = "") -> str:
        """The record's ``sk`` (an empty id gives the prefix of every watchlist)."""
        return f"WATCHLIST#{watchlist_id}"
