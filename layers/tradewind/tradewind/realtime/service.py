"""Realtime use cases: accept a connection, handle a client action, forget, prune stale ones, close a
revoked key's connections.

Called by the thin handlers through :mod:`tradewind.realtime.gateway`; everything here takes plain
values so the same code is driven by API Gateway in AWS and by the local gateway in ``make run``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger

from tradewind.errors import Unauthorized
from tradewind.realtime import connections, tickets
from tradewind.realtime.messages import ClientMessage, FieldError, envelope, parse_client_message
from tradewind.realtime.publisher import hang_up, publish, send
from tradewind.realtime.snapshots import snapshot
from tradewind.realtime.topics import MAX_TOPICS_PER_CONNECTION
from tradewind.settings import get_settings

logger = Logger(child=True)

MAX_CONNECTION_AGE = dt.timedelta(hours=2)
"""API Gateway closes every WebSocket connection after 2 hours, whatever its traffic."""
EXPIRY_MARGIN = dt.timedelta(minutes=10)
"""Rows outlive the connection a little so TTL never deletes one that is still open."""


@dataclass(frozen=True)
class Outcome:
    """How a client action ended: an HTTP-like status for the gateway and the errors sent back."""

    status: int
    errors: list[FieldError] = field(default_factory=list)


def ticket_from(query: Mapping[str, str] | None) -> str | None:
    """The ticket a client presented as ``?ticket=``.

    API keys are refused in the URL (``?token=``/``?api_key=``, the protocol before tickets): a URL
    ends up in access logs, proxies and browser history, and a key there would outlive them all.
    """
    params = query or {}
    if not params.get("ticket") and (params.get("token") or params.get("api_key")):
        raise Unauthorized(
            "API keys are not accepted in the URL: connect with ?ticket=<ticket from POST /realtime/tickets>"
        )
    return params.get("ticket") or None


@dataclass(frozen=True)
class Accepted:
    """Who an accepted connection belongs to."""

    tenant_id: str
    key_id: str | None  # None: a signed-in person's connection


def connect(connection_id: str, ticket: str | None, now: dt.datetime | None = None) -> Accepted:
    """Redeem the ticket and record the connection under its tenant and API key id.

    The key is checked again *after* the connection is recorded under it: a revocation either runs
    after this check (and finds the connection in the key's index, see :func:`close_key_connections`)
    or before it (and the check refuses), so a ticket issued just before a revocation cannot open a
    connection that outlives it. Raises ``Unauthorized``.
    """
    at = now or dt.datetime.now(dt.UTC)
    redeemed = tickets.redeem(ticket, at)
    expires_at = at + MAX_CONNECTION_AGE + EXPIRY_MARGIN
    connections.save_connection(connection_id, redeemed.tenant_id, at, expires_at, key_id=redeemed.key_id)
    if redeemed.key_hash is not None and tickets.active_key(redeemed.key_hash) is None:
        connections.delete_connection(connection_id)
        raise Unauthorized("the ticket's API key was revoked")
    return Accepted(redeemed.tenant_id, redeemed.key_id)


def close_key_connections(tenant_id: str, key_id: str, endpoint: str | None = None) -> int:
    """Close every open connection of one API key (it was revoked) and forget them; returns how many.

    Each is closed through the management API (``DeleteConnection``; API Gateway then sends the client
    a close frame and ``$disconnect``) and its rows are deleted here at once, so publishing stops
    reaching it even where no management endpoint is configured.
    """
    ids = connections.key_connection_ids(tenant_id, key_id)
    url = endpoint or get_settings().ws_management_endpoint
    for connection_id in ids:
        if url:
            hang_up(url, connection_id)
        else:
            logger.warning("no management endpoint: connection not closed", connection_id=connection_id)
        if not connections.delete_connection(connection_id):
            connections.forget_key_connection(tenant_id, key_id, connection_id)
    if ids:
        logger.info("closed the connections of a revoked key", key_id=key_id, closed=len(ids))
    return len(ids)


def disconnect(connection_id: str) -> bool:
    """Forget a closed connection and its subscriptions; ``False`` if it was already gone."""
    return connections.delete_connection(connection_id)


def handle_message(connection_id: str, body: str | None, endpoint: str) -> Outcome:
    """Validate one client frame and act on it; every reply goes back over the management API."""
    parsed = parse_client_message(body)
    if isinstance(parsed, list):
        return _reject(endpoint, connection_id, parsed, 400)
    connection = connections.get_connection(connection_id)
    if connection is None:
        problem = FieldError(field="connection", message="unknown connection: reconnect")
        return _reject(endpoint, connection_id, [problem], 410)
    try:
        if parsed.action == "subscribe":
            return _subscribe(endpoint, connection, parsed)
        if parsed.action == "unsubscribe":
            connections.remove_topics(connection, parsed.topics)
            send(endpoint, connection_id, envelope("unsubscribed", {"topics": parsed.topics}))
            return Outcome(200)
        return _ping(endpoint, connection, parsed)
    except connections.ConnectionGone:
        return Outcome(410, [FieldError(field="connection", message="connection closed meanwhile")])


def _subscribe(endpoint: str, connection: connections.ConnectionRecord, message: ClientMessage) -> Outcome:
    """Index the topics, ack, then send each topic's current state (see ``snapshots``)."""
    current = set(connection.topics or ())
    if len(current | set(message.topics)) > MAX_TOPICS_PER_CONNECTION:
        problem = FieldError(
            field="topics",
            message=f"at most {MAX_TOPICS_PER_CONNECTION} topics per connection ({len(current)} already)",
        )
        return _reject(endpoint, connection.connection_id, [problem], 400)
    connections.add_topics(connection, message.topics)
    send(endpoint, connection.connection_id, envelope("subscribed", {"topics": message.topics}))
    for topic in message.topics:
        state = snapshot(connection.tenant_id, topic)
        if state is not None:
            send(endpoint, connection.connection_id, envelope(state[0], state[1], topic=topic))
    return Outcome(200)


def _ping(endpoint: str, connection: connections.ConnectionRecord, message: ClientMessage) -> Outcome:
    """``pong`` straight back, or — with topics — through ``publish`` to every subscriber of them.

    The second form exercises the whole fan-out path (index query, management API, pruning), which
    makes it the end-to-end check of realtime delivery used by the tests and by operators.
    """
    payload: dict[str, Any] = {"data": message.data, "connection_id": connection.connection_id}
    if not message.topics:
        send(endpoint, connection.connection_id, envelope("pong", payload))
        return Outcome(200)
    for topic in message.topics:
        publish(connection.tenant_id, topic, "pong", payload, endpoint=endpoint)
    return Outcome(200)


def _reject(endpoint: str, connection_id: str, problems: list[FieldError], status: int) -> Outcome:
    first = problems[0]
    payload = {
        "field": first.field,
        "message": first.message,
        "errors": [problem.model_dump() for problem in problems],
    }
    send(endpoint, connection_id, envelope("error", payload))
    return Outcome(status, problems)


def prune_stale(now: dt.datetime | None = None) -> int:
    """Delete connections older than API Gateway allows or past their expiry; returns how many."""
    at = now or dt.datetime.now(dt.UTC)
    stale = list(connections.stale_connection_ids(at - MAX_CONNECTION_AGE, at))
    return sum(connections.delete_connection(connection_id) for connection_id in stale)
