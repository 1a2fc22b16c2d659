"""API keys: issue, resolve to a tenant and role, list, revoke.

A key carries a role (viewer, researcher or admin; a key stored before roles existed has none and is
an admin key), optional scopes (route groups, the first segment of a path: a scoped key may call
only those) and an optional expiry (a key past it is refused with a 401 naming the expiry; the
record stays, so the answer says "expired", not "unknown").

A secret looks like ``tw_<key_id>_<random>``; only its sha256 is stored (the record's key), so a
leaked table does not leak usable keys. :func:`resolve` sits on every authenticated request, so its
answers (found *and* not found) are cached in-process for ``settings.api_key_cache_seconds``
(negative answers for at most :data:`NEGATIVE_TTL_SECONDS`): a revocation takes effect in other
processes within that TTL, immediately in the revoking one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from cachetools import TLRUCache

from tradewind.accounts.principal import Role
from tradewind.data.table import query_page
from tradewind.errors import FieldProblem, InvalidInput, NotFound, Unauthorized
from tradewind.settings import get_settings
from tradewind.text import NAME_PATTERN

SECRET_PREFIX = "tw_"
MAX_SECRET_LENGTH = 128
NEGATIVE_TTL_SECONDS = 5.0
MAX_CACHE_ENTRIES = 10_000
TENANT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

if TYPE_CHECKING:
    from tradewind.data.models import ApiKeyRecord


def _records() -> type[ApiKeyRecord]:
    """The model, imported on first use: pynamodb stays out of the API Lambda's cold import."""
    from tradewind.data.models import ApiKeyRecord

    return ApiKeyRecord


@dataclass(frozen=True)
class KeyGrant:
    """What a valid secret grants: whose it is, the role, the scopes (empty: all) and the expiry."""

    tenant_id: str
    key_id: str
    role: Role
    scopes: tuple[str, ...] = ()
    valid_until: datetime | None = None

    def check_unexpired(self, now: datetime | None = None) -> None:
        """401 naming the expiry once the key is past it."""
        if self.valid_until is not None and self.valid_until <= (now or _now()):
            raise Unauthorized(f"API key expired at {self.valid_until.isoformat()}: create a new one")


@dataclass(frozen=True)
class ApiKeyCreated:
    """A new key; ``secret`` is shown once and cannot be recovered later."""

    key_id: str
    secret: str
    tenant_id: str
    name: str
    created_at: datetime
    role: Role = Role.ADMIN
    scopes: tuple[str, ...] = ()
    valid_until: datetime | None = None


@dataclass(frozen=True)
class ApiKeyInfo:
    """What a tenant may see about one of its keys (never the secret)."""

    key_id: str
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    role: Role
    scopes: tuple[str, ...]
    valid_until: datetime | None


def cache_expiry(_digest: str, tenant: KeyGrant | None, now: float) -> float:
    """A found key lives ``api_key_cache_seconds``; an unknown one at most :data:`NEGATIVE_TTL_SECONDS`."""
    ttl = get_settings().api_key_cache_seconds
    return now + (ttl if tenant else min(ttl, NEGATIVE_TTL_SECONDS))


# secret hash -> grant (None: unknown or revoked); cachetools caches are not thread-safe.
_cache: TLRUCache[str, KeyGrant | None] = TLRUCache(maxsize=MAX_CACHE_ENTRIES, ttu=cache_expiry)
_cache_lock = threading.Lock()
_MISSING = object()


def clear_cache() -> None:
    """Forget every cached resolution (tests, and after bulk key changes)."""
    with _cache_lock:
        _cache.clear()


def hash_secret(secret: str) -> str:
    """The stored form of a secret: its sha256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _check_tenant_id(tenant_id: str) -> None:
    if not TENANT_ID_PATTERN.fullmatch(tenant_id):
        raise InvalidInput(
            "invalid tenant id",
            [
                FieldProblem(
                    ["tenant_id"], f"must match {TENANT_ID_PATTERN.pattern}", "string_pattern_mismatch"
                )
            ],
        )


def create_api_key(
    tenant_id: str,
    name: str,
    role: Role = Role.ADMIN,
    scopes: tuple[str, ...] = (),
    valid_until: datetime | None = None,
) -> ApiKeyCreated:
    """Issue a key for ``tenant_id``; the returned secret is the only copy."""
    _check_tenant_id(tenant_id)
    if not 1 <= len(name) <= 64 or not re.fullmatch(NAME_PATTERN, name):
        msg = "must be 1 to 64 characters, without control characters"
        raise InvalidInput("invalid key name", [FieldProblem(["name"], msg)])
    records = _records()
    key_id = secrets.token_hex(6)
    secret = f"{SECRET_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    gsi1pk, gsi1sk = records.tenant_index_key(tenant_id, key_id)
    record = records(
        records.hash_pk(hash_secret(secret)),
        records.SORT_KEY,
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        key_id=key_id,
        name=name,
        prefix=f"{SECRET_PREFIX}{key_id}",
        created_at=_now(),
        role=role.value,
        scopes=list(scopes) or None,
        valid_until=valid_until,
    )
    record.save(condition=records.pk.does_not_exist())
    return ApiKeyCreated(key_id, secret, tenant_id, name, record.created_at, role, scopes, valid_until)


def _well_formed(secret: str) -> bool:
    return secret.startswith(SECRET_PREFIX) and len(secret) <= MAX_SECRET_LENGTH


def cached_resolution(secret: str) -> tuple[bool, KeyGrant | None]:
    """``(True, grant or None)`` when the answer is known without I/O, else ``(False, None)``."""
    if not _well_formed(secret):
        return True, None
    with _cache_lock:
        grant = _cache.get(hash_secret(secret), _MISSING)
    return (False, None) if grant is _MISSING else (True, cast("KeyGrant | None", grant))


def resolve(secret: str) -> KeyGrant | None:
    """What a secret grants, or ``None`` if it is malformed, unknown or revoked (expiry is the
    caller's check: :meth:`KeyGrant.check_unexpired`)."""
    hit, grant = cached_resolution(secret)
    if hit:
        return grant
    digest = hash_secret(secret)
    grant = _lookup(digest)
    with _cache_lock:
        _cache[digest] = grant  # not kept when cache_expiry says it has already expired (a 0 s TTL)
    return grant


def _grant(record: ApiKeyRecord) -> KeyGrant:
    role = Role(record.role) if record.role else Role.ADMIN
    return KeyGrant(record.tenant_id, record.key_id, role, tuple(record.scopes or ()), record.valid_until)


def _lookup(digest: str) -> KeyGrant | None:
    records = _records()
    try:
        record = records.get(records.hash_pk(digest), records.SORT_KEY)
    except records.DoesNotExist:
        return None
    return None if record.revoked_at else _grant(record)


def list_api_keys(
    tenant_id: str, limit: int = 100, start: dict[str, Any] | None = None
) -> tuple[list[ApiKeyInfo], dict[str, Any] | None]:
    """One page of a tenant's keys, revoked ones included, ordered by key id; and where to continue."""
    records = _records()
    gsi1pk, prefix = records.tenant_index_key(tenant_id)
    rows, next_key = query_page(
        records.gsi1.query,
        gsi1pk,
        records.gsi1sk.startswith(prefix),
        limit=limit,
        start=start,
    )
    items = [
        ApiKeyInfo(r.key_id, r.name, r.prefix, r.created_at, r.revoked_at, g.role, g.scopes, g.valid_until)
        for r in rows
        for g in [_grant(r)]
    ]
    return items, next_key


def revoke(tenant_id: str, key_id: str) -> None:
    """Revoke one of the tenant's keys (idempotent) and close its WebSocket connections; another
    tenant's key id is simply not found."""
    records = _records()
    gsi1pk, gsi1sk = records.tenant_index_key(tenant_id, key_id)
    found = list(records.gsi1.query(gsi1pk, records.gsi1sk == gsi1sk, limit=1))
    if not found:
        raise NotFound(f"API key {key_id!r} not found")
    record = found[0]
    if record.revoked_at is None:
        record.update(actions=[records.revoked_at.set(_now())], condition=records.pk.exists())
    with _cache_lock:
        _cache.pop(record.pk.removeprefix("APIKEY#"), None)
    # The key's open WebSocket connections close now (also on a repeated revoke: it is idempotent).
    from tradewind.realtime.service import close_key_connections

    close_key_connections(tenant_id, key_id)
