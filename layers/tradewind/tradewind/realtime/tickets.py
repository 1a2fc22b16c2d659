"""Short-lived, single-use WebSocket tickets: the browser never puts the API key in a URL.

A browser cannot set headers on a WebSocket, and a query string ends up in access logs, proxies and
browser history. So a client first calls ``POST /realtime/tickets`` with its API key in a header,
receives a random ticket valid for :data:`TICKET_TTL_SECONDS`, and connects with ``?ticket=``.
``$connect`` redeems it with one conditional ``DeleteItem`` (the ticket must exist and not be past
its expiry), so a second use, a replay from a log line or an expired ticket is refused.

Only the ticket's sha256 is stored (``TICKET#{sha256}``/``TICKET`` in the connections table, which
has DynamoDB TTL on ``expires_at``), with the tenant, the key id and the key's own hash: ``$connect``
checks that the key was not revoked between the ticket's issue and its use. A signed-in person's
ticket (:func:`issue_for_person`) carries their actor instead of a key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError

from tradewind.data.table import condition_failed
from tradewind.errors import Unauthorized
from tradewind.realtime.connections import ConnectionsTableModel

TICKET_TTL_SECONDS = 60
"""How long a ticket can be redeemed: enough to open a socket, too short to be worth stealing."""
TICKET_SK = "TICKET"
MAX_TICKET_LENGTH = 128
REFUSED = "unknown, expired or already used ticket: get a new one from POST /realtime/tickets"


class TicketRecord(ConnectionsTableModel):
    """``TICKET#{sha256(ticket)}``/``TICKET``: one ticket not redeemed yet."""

    tenant_id = UnicodeAttribute()
    key_id = UnicodeAttribute(null=True)  # absent on a person's ticket
    key_hash = UnicodeAttribute(null=True)  # sha256 of the API key (the main table's key of its record)
    actor = UnicodeAttribute(null=True)  # ``user:<sub>`` on a person's ticket
    issued_at = UTCDateTimeAttribute()


@dataclass(frozen=True)
class Ticket:
    """What ``POST /realtime/tickets`` answers (the ticket itself is never stored)."""

    ticket: str
    expires_in: int
    tenant_id: str
    key_id: str | None


@dataclass(frozen=True)
class Redeemed:
    """Who a redeemed ticket was issued to."""

    tenant_id: str
    key_id: str | None
    key_hash: str | None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def ticket_pk(ticket: str) -> str:
    return f"TICKET#{_hash(ticket)}"


def active_key(key_hash: str) -> tuple[str, str] | None:
    """``(tenant, key id)`` of the API key stored under ``key_hash``, or ``None`` if unknown or
    revoked. A strongly consistent read: no cache, so a revocation is seen at once."""
    from tradewind.data.models import ApiKeyRecord

    try:
        record = ApiKeyRecord.get(ApiKeyRecord.hash_pk(key_hash), ApiKeyRecord.SORT_KEY, consistent_read=True)
    except ApiKeyRecord.DoesNotExist:
        return None
    return None if record.revoked_at else (record.tenant_id, record.key_id)


def issue(secret: str, now: dt.datetime | None = None) -> Ticket:
    """A new ticket for the API key ``secret`` (checked again here, past any resolution cache)."""
    key_hash = _hash(secret)
    owner = active_key(key_hash)
    if owner is None:
        raise Unauthorized("invalid or revoked API key")
    tenant_id, key_id = owner
    at = now or dt.datetime.now(dt.UTC)
    ticket = secrets.token_urlsafe(32)
    TicketRecord(
        ticket_pk(ticket),
        TICKET_SK,
        tenant_id=tenant_id,
        key_id=key_id,
        key_hash=key_hash,
        issued_at=at,
        expires_at=at + dt.timedelta(seconds=TICKET_TTL_SECONDS),
    ).save(condition=TicketRecord.pk.does_not_exist())
    return Ticket(ticket, TICKET_TTL_SECONDS, tenant_id, key_id)


def issue_for_person(tenant_id: str, actor: str, now: dt.datetime | None = None) -> Ticket:
    """A new ticket for a signed-in person (their ID token was verified by the caller)."""
    at = now or dt.datetime.now(dt.UTC)
    ticket = secrets.token_urlsafe(32)
    TicketRecord(
        ticket_pk(ticket),
        TICKET_SK,
        tenant_id=tenant_id,
        actor=actor,
        issued_at=at,
        expires_at=at + dt.timedelta(seconds=TICKET_TTL_SECONDS),
    ).save(condition=TicketRecord.pk.does_not_exist())
    return Ticket(ticket, TICKET_TTL_SECONDS, tenant_id, None)


def redeem(ticket: str | None, now: dt.datetime | None = None) -> Redeemed:
    """Consume ``ticket`` atomically: it must exist and be unexpired; nobody can use it again.

    One ``DeleteItem`` conditioned on both, returning the deleted item: of two concurrent uses only
    one succeeds. Raises ``Unauthorized`` for anything else (missing, unknown, used or expired).
    """
    if not ticket:
        raise Unauthorized("missing ticket: connect with ?ticket=<ticket from POST /realtime/tickets>")
    if len(ticket) > MAX_TICKET_LENGTH:
        raise Unauthorized(REFUSED)
    at = now or dt.datetime.now(dt.UTC)
    condition = TicketRecord.pk.exists() & (TicketRecord.expires_at > at)
    try:
        answer: dict[str, Any] = TicketRecord._get_connection().delete_item(
            ticket_pk(ticket), TICKET_SK, condition=condition, return_values="ALL_OLD"
        )
    except DeleteError as exc:
        if condition_failed(exc):
            raise Unauthorized(REFUSED) from None
        raise
    record = TicketRecord.from_raw_data(answer["Attributes"])
    return Redeemed(record.tenant_id, record.key_id, record.key_hash)
