"""Connections table under moto: the META row, the tenant-scoped fan-out index, stale pruning."""

import datetime as dt

import pytest
from tradewind.errors import Unauthorized
from tradewind.realtime import connections, service, tickets
from tradewind.realtime.connections import ConnectionRecord, SubscriptionRecord
from tradewind.services.apikeys import create_api_key

pytestmark = pytest.mark.usefixtures("aws")

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def rows() -> set[tuple[str, str]]:
    """Every fan-out index row of the table (both record kinds share it)."""
    return {(row.pk, row.sk) for row in SubscriptionRecord.scan(SubscriptionRecord.pk.startswith("TOPIC#"))}


def open_connections() -> list[str]:
    return [row.connection_id for row in ConnectionRecord.scan(ConnectionRecord.sk == "META")]


def test_connect_with_a_ticket_records_tenant_key_and_expiry() -> None:
    key = create_api_key("acme", "browser")
    ticket = tickets.issue(key.secret, now=NOW).ticket
    assert service.connect("c1", ticket, now=NOW) == service.Accepted("acme", key.key_id)
    meta = connections.get_connection("c1")
    assert meta is not None
    assert (meta.pk, meta.sk, meta.tenant_id, meta.key_id, meta.connected_at) == (
        "CONN#c1",
        "META",
        "acme",
        key.key_id,
        NOW,
    )
    assert meta.expires_at == NOW + dt.timedelta(hours=2, minutes=10)
    assert connections.key_connection_ids("acme", key.key_id) == ["c1"]


@pytest.mark.parametrize(("ticket", "reason"), [(None, "missing"), ("", "missing"), ("nope", "unknown")])
def test_connect_refuses_missing_or_unknown_tickets(ticket: str | None, reason: str) -> None:
    with pytest.raises(Unauthorized, match=reason):
        service.connect("c1", ticket)
    assert connections.get_connection("c1") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"ticket": "t1"}, "t1"),
        ({}, None),
        (None, None),
        ({"ticket": ""}, None),
        ({"ticket": "t2", "token": "k"}, "t2"),
    ],
)
def test_ticket_from_the_query(query: dict[str, str] | None, expected: str | None) -> None:
    assert service.ticket_from(query) == expected


@pytest.mark.parametrize("query", [{"token": "tw_key"}, {"api_key": "tw_key"}])
def test_an_api_key_in_the_url_is_refused(query: dict[str, str]) -> None:
    with pytest.raises(Unauthorized, match="not accepted in the URL"):
        service.ticket_from(query)


def test_topics_are_indexed_per_tenant_and_removed() -> None:
    a = connections.save_connection("a1", "acme", NOW, NOW + dt.timedelta(hours=3))
    b = connections.save_connection("b1", "globex", NOW, NOW + dt.timedelta(hours=3))
    connections.add_topics(a, ["notifications", "job:7"])
    connections.add_topics(b, ["notifications"])

    assert connections.subscriber_ids("acme", "notifications") == ["a1"]
    assert connections.subscriber_ids("globex", "notifications") == ["b1"]
    assert connections.subscriber_ids("globex", "job:7") == []
    meta = connections.get_connection("a1")
    assert meta is not None
    assert meta.topics == {"notifications", "job:7"}
    index_row = SubscriptionRecord.get("TOPIC#acme#job:7", "CONN#a1")
    assert index_row.expires_at == NOW + dt.timedelta(hours=3)

    connections.remove_topics(a, ["job:7"])
    assert connections.subscriber_ids("acme", "job:7") == []
    assert connections.get_connection("a1").topics == {"notifications"}  # type: ignore[union-attr]


def test_delete_connection_removes_meta_and_every_index_row() -> None:
    a = connections.save_connection("a1", "acme", NOW, NOW + dt.timedelta(hours=3))
    connections.add_topics(a, ["notifications", "health", "dataset:d1"])
    other = connections.save_connection("a2", "acme", NOW, NOW + dt.timedelta(hours=3))
    connections.add_topics(other, ["health"])

    assert service.disconnect("a1") is True
    assert connections.get_connection("a1") is None
    assert rows() == {("TOPIC#acme#health", "CONN#a2")}
    assert service.disconnect("a1") is False


def test_subscribing_a_vanished_connection_leaves_nothing_behind() -> None:
    a = connections.save_connection("a1", "acme", NOW, NOW + dt.timedelta(hours=3))
    service.disconnect("a1")
    with pytest.raises(connections.ConnectionGone):
        connections.add_topics(a, ["health"])
    assert rows() == set()
    assert open_connections() == []


def test_prune_stale_removes_old_and_expired_connections_only() -> None:
    hour = dt.timedelta(hours=1)
    old = connections.save_connection("old", "acme", NOW - 2 * hour - dt.timedelta(seconds=1), NOW + hour)
    expired = connections.save_connection("expired", "acme", NOW - hour, NOW - dt.timedelta(seconds=1))
    fresh = connections.save_connection("fresh", "acme", NOW - hour, NOW + hour)
    for record in (old, expired, fresh):
        connections.add_topics(record, ["notifications"])

    assert service.prune_stale(now=NOW) == 2
    assert open_connections() == ["fresh"]
    assert rows() == {("TOPIC#acme#notifications", "CONN#fresh")}
    assert service.prune_stale(now=NOW) == 0
