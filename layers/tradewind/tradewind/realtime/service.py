"""Realtime use cases: accept a connection, handle a client action, forget, prune stale ones.

Called by the thin handlers through :mod:`tradewind.realtime.gateway`; everything here takes plain
values so the same code is driven by API Gateway in AWS and by the local gateway in ``make run``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tradewind.errors import Unauthorized
from tradewind.realtime import connections
from tradewind.realtime.messages import ClientMessage, FieldError, envelope, parse_client_message
from tradewind.realtime.publisher import publish, send
from tradewind.realtime.snapshots import snapshot
from tradewind.realtime.topics import MAX_TOPICS_PER_CONNECTION

MAX_CONNECTION_AGE = dt.timedelta(hours=2)
"""API Gateway closes every WebSocket connection after 2 hours, whatever its traffic."""
EXPIRY_MARGIN = dt.timedelta(minutes=10)
"""Rows outlive the connection a little so TTL never deletes one that is still open."""


@dataclass(frozen=True)
class Outcome:
    """How a client action ended: an HTTP-like status for the gateway and the errors sent back."""

    status: int
    errors: list[FieldError] = field(default_factory=list)


def credential(query: Mapping[str, str], headers: Mapping[str, str]) -> str | None:
    """The API key a client presented: ``?token=``/``?api_key=`` (browsers cannot set headers on a
    WebSocket), else ``Authorization: Bearer`` or ``X-Api-Key``. Mappings must be case-insensitive
    for headers, as API Gateway's are not guaranteed to be lower-case."""
    for name in ("token", "api_key"):
        if query.get(name):
            return query[name]
    authorization = headers.get("authorization") or ""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return headers.get("x-api-key") or None


def connect(connection_id: str, secret: str | None, now: dt.datetime | None = None) -> str:
    """Authenticate and record a new connection; returns its tenant, raises ``Unauthorized``."""
    from tradewind.services.apikeys import resolve

    if not secret:
        raise Unauthorized("missing API key: pass ?token=<key> or an Authorization: Bearer header")
    tenant_id = resolve(secret)
    if tenant_id is None:
        raise Unauthorized("unknown or revoked API key")
    at = now or dt.datetime.now(dt.UTC)
    connections.save_connection(connection_id, tenant_id, at, at + MAX_CONNECTION_AGE + EXPIRY_MARGIN)
    return tenant_id


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
