"""Data access for the connections table: who is connected, for which tenant, listening to what.

Keys (docs/architecture.md): ``CONN#{id}``/``META`` holds the tenant, the API key id, times and
subscribed topics; ``TOPIC#{tenant}#{topic}``/``CONN#{id}`` is the fan-out index a publish queries;
``KEY#{tenant}#{key_id}``/``CONN#{id}`` lists a key's connections, so revoking the key can close
them (one query, strongly consistent, no GSI). The tenant is part of every index key, so a publish
for one tenant can never reach another tenant's connection. Every row carries ``expires_at`` so
DynamoDB TTL eventually removes whatever a crash left behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from tradewind.data.table import SettingsBoundModel, condition_failed

META_SK = "META"


def connection_pk(connection_id: str) -> str:
    return f"CONN#{connection_id}"


def topic_pk(tenant_id: str, topic: str) -> str:
    return f"TOPIC#{tenant_id}#{topic}"


def key_pk(tenant_id: str, key_id: str) -> str:
    return f"KEY#{tenant_id}#{key_id}"


class ConnectionsTableModel(SettingsBoundModel):
    """Base of both record kinds of the connections table (one table, one shared ``Meta``)."""

    settings_table_attr = "connections_table_name"

    class Meta:
        table_name = ""  # bound from settings.connections_table_name on first use

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    expires_at = TTLAttribute(null=True)


class ConnectionRecord(ConnectionsTableModel):
    """``CONN#{id}``/``META``: one open WebSocket connection."""

    connection_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    key_id = UnicodeAttribute(null=True)  # the API key the connection's ticket was issued to
    connected_at = UTCDateTimeAttribute()
    topics = UnicodeSetAttribute(null=True)


class SubscriptionRecord(ConnectionsTableModel):
    """``TOPIC#{tenant}#{topic}``/``CONN#{id}``: one row of the fan-out index."""

    connection_id = UnicodeAttribute()


class KeyConnectionRecord(ConnectionsTableModel):
    """``KEY#{tenant}#{key_id}``/``CONN#{id}``: one connection opened with a ticket of that API key."""

    connection_id = UnicodeAttribute()


def save_connection(
    connection_id: str,
    tenant_id: str,
    connected_at: dt.datetime,
    expires_at: dt.datetime,
    key_id: str | None = None,
) -> ConnectionRecord:
    """Record a newly accepted connection (a reconnect with the same id starts afresh).

    The key's index row is written before ``META``: a ``META`` naming a key is always findable from
    that key, so a revocation never misses it.
    """
    if key_id is not None:
        KeyConnectionRecord(
            key_pk(tenant_id, key_id),
            connection_pk(connection_id),
            connection_id=connection_id,
            expires_at=expires_at,
        ).save()
    record = ConnectionRecord(
        connection_pk(connection_id),
        META_SK,
        connection_id=connection_id,
        tenant_id=tenant_id,
        key_id=key_id,
        connected_at=connected_at,
        expires_at=expires_at,
    )
    record.save()
    return record


def get_connection(connection_id: str) -> ConnectionRecord | None:
    try:
        return ConnectionRecord.get(connection_pk(connection_id), META_SK)
    except DoesNotExist:
        return None


class ConnectionGone(Exception):
    """The connection's ``META`` row vanished (it disconnected or was pruned) mid-request."""


def add_topics(connection: ConnectionRecord, topics: Iterable[str]) -> None:
    """Record the topics on the ``META`` row, then index the connection under each of them.

    ``META`` first, conditionally: a connection that disconnected meanwhile must not be resurrected
    as a half-empty row, nor leave index rows that nothing would ever delete.
    """
    new = set(topics)
    _update_topics(connection, ConnectionRecord.topics.add(new))
    with SubscriptionRecord.batch_write() as batch:
        for topic in new:
            batch.save(
                SubscriptionRecord(
                    topic_pk(connection.tenant_id, topic),
                    connection.pk,
                    connection_id=connection.connection_id,
                    expires_at=connection.expires_at,
                )
            )


def remove_topics(connection: ConnectionRecord, topics: Iterable[str]) -> None:
    """Drop the connection from each topic's index and from its ``META`` row."""
    gone = set(topics)
    _update_topics(connection, ConnectionRecord.topics.delete(gone))
    _delete_subscriptions(connection.tenant_id, gone, connection.connection_id)


def _update_topics(connection: ConnectionRecord, action: Action) -> None:
    try:
        connection.update(actions=[action], condition=ConnectionRecord.pk.exists())
    except UpdateError as exc:
        if condition_failed(exc):
            raise ConnectionGone(connection.connection_id) from exc
        raise


def delete_connection(connection_id: str) -> bool:
    """Remove a connection and all its index rows; ``False`` if it was already gone."""
    connection = get_connection(connection_id)
    if connection is None:
        return False
    _delete_subscriptions(connection.tenant_id, connection.topics or set(), connection_id)
    connection.delete()
    if connection.key_id is not None:
        KeyConnectionRecord(key_pk(connection.tenant_id, connection.key_id), connection.pk).delete()
    return True


def delete_subscription(tenant_id: str, topic: str, connection_id: str) -> None:
    """Remove one index row (a publish found it pointing at a connection that no longer exists)."""
    _delete_subscriptions(tenant_id, {topic}, connection_id)


def _delete_subscriptions(tenant_id: str, topics: Iterable[str], connection_id: str) -> None:
    with SubscriptionRecord.batch_write() as batch:
        for topic in topics:
            batch.delete(SubscriptionRecord(topic_pk(tenant_id, topic), connection_pk(connection_id)))


def subscriber_ids(tenant_id: str, topic: str) -> list[str]:
    """Connection ids subscribed to ``topic`` within ``tenant_id`` (one query on the index)."""
    rows = SubscriptionRecord.query(
        topic_pk(tenant_id, topic), attributes_to_get=["connection_id"], consistent_read=True
    )
    return [row.connection_id for row in rows]


def key_connection_ids(tenant_id: str, key_id: str) -> list[str]:
    """Connection ids opened with tickets of one API key (one strongly consistent query)."""
    rows = KeyConnectionRecord.query(
        key_pk(tenant_id, key_id), attributes_to_get=["connection_id"], consistent_read=True
    )
    return [row.connection_id for row in rows]


def forget_key_connection(tenant_id: str, key_id: str, connection_id: str) -> None:
    """Remove one row of a key's index (its connection's ``META`` is already gone)."""
    KeyConnectionRecord(key_pk(tenant_id, key_id), connection_pk(connection_id)).delete()


def stale_connection_ids(connected_before: dt.datetime, now: dt.datetime) -> Iterator[str]:
    """Ids of connections older than the gateway allows, or past ``expires_at`` (TTL is lazy).

    A scan: the table holds only live connections and their index rows, and the janitor runs every
    few minutes, so a GSI kept just for this would cost more than it saves.
    """
    condition = (ConnectionRecord.sk == META_SK) & (
        (ConnectionRecord.connected_at < connected_before) | (ConnectionRecord.expires_at < now)
    )
    for record in ConnectionRecord.scan(condition, attributes_to_get=["connection_id"]):
        yield record.connection_id
