"""WebSocket tickets under moto: issued for a live key, stored hashed, redeemed once, before expiry;
revoking a key closes its connections."""

import datetime as dt

import pytest
from tradewind.errors import Unauthorized
from tradewind.realtime import connections, service, tickets
from tradewind.realtime.tickets import TICKET_TTL_SECONDS, TicketRecord
from tradewind.services.apikeys import create_api_key, hash_secret, revoke

pytestmark = pytest.mark.usefixtures("aws")

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def stored_tickets() -> list[TicketRecord]:
    return list(TicketRecord.scan(TicketRecord.sk == "TICKET"))


def test_a_ticket_is_random_short_lived_and_stored_only_hashed() -> None:
    key = create_api_key("acme", "browser")
    first = tickets.issue(key.secret, now=NOW)
    second = tickets.issue(key.secret, now=NOW)
    assert first.ticket != second.ticket
    assert len(first.ticket) >= 40
    assert (first.expires_in, first.tenant_id, first.key_id) == (TICKET_TTL_SECONDS, "acme", key.key_id)
    stored = stored_tickets()
    assert len(stored) == 2
    assert first.ticket not in repr([row.attribute_values for row in stored])
    assert key.secret not in repr([row.attribute_values for row in stored])
    row = TicketRecord.get(tickets.ticket_pk(first.ticket), "TICKET")
    assert (row.tenant_id, row.key_id, row.key_hash) == ("acme", key.key_id, hash_secret(key.secret))
    assert row.expires_at == NOW + dt.timedelta(seconds=TICKET_TTL_SECONDS)  # DynamoDB TTL removes it


def test_a_ticket_works_once() -> None:
    ticket = tickets.issue(create_api_key("acme", "browser").secret, now=NOW).ticket
    assert service.connect("c1", ticket, now=NOW).tenant_id == "acme"
    with pytest.raises(Unauthorized, match="already used"):
        service.connect("c2", ticket, now=NOW)
    assert connections.get_connection("c2") is None
    assert stored_tickets() == []


def test_a_ticket_expires_after_its_ttl() -> None:
    key = create_api_key("acme", "browser")
    late = NOW + dt.timedelta(seconds=TICKET_TTL_SECONDS + 1)
    with pytest.raises(Unauthorized, match="expired"):
        service.connect("c1", tickets.issue(key.secret, now=NOW).ticket, now=late)
    assert connections.get_connection("c1") is None
    in_time = NOW + dt.timedelta(seconds=TICKET_TTL_SECONDS - 1)
    assert service.connect("c2", tickets.issue(key.secret, now=NOW).ticket, now=in_time).tenant_id == "acme"


def test_an_overlong_ticket_is_refused_without_a_lookup() -> None:
    with pytest.raises(Unauthorized, match="unknown"):
        tickets.redeem("x" * 1000)


@pytest.mark.parametrize("secret", ["tw_000000000000_guess", "not-a-key"])
def test_no_ticket_for_an_unknown_key(secret: str) -> None:
    with pytest.raises(Unauthorized):
        tickets.issue(secret)


def test_no_ticket_for_a_revoked_key() -> None:
    key = create_api_key("acme", "browser")
    revoke("acme", key.key_id)
    with pytest.raises(Unauthorized, match="revoked"):
        tickets.issue(key.secret)


def test_a_ticket_of_a_key_revoked_before_its_use_opens_nothing() -> None:
    key = create_api_key("acme", "browser")
    ticket = tickets.issue(key.secret).ticket
    revoke("acme", key.key_id)
    with pytest.raises(Unauthorized, match="revoked"):
        service.connect("c1", ticket)
    assert connections.get_connection("c1") is None
    assert connections.key_connection_ids("acme", key.key_id) == []


def test_the_connection_belongs_to_the_tickets_tenant_only() -> None:
    acme, globex = create_api_key("acme", "a"), create_api_key("globex", "g")
    accepted = service.connect("g1", tickets.issue(globex.secret).ticket)
    assert accepted == service.Accepted("globex", globex.key_id)
    meta = connections.get_connection("g1")
    assert meta is not None
    connections.add_topics(meta, ["notifications"])
    assert connections.subscriber_ids("acme", "notifications") == []
    assert connections.key_connection_ids("acme", acme.key_id) == []
    assert connections.key_connection_ids("globex", globex.key_id) == ["g1"]


def test_revoking_a_key_closes_its_connections_and_only_those(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_WS_MANAGEMENT_ENDPOINT", "http://management.test")
    from tradewind.aws import reset_clients

    reset_clients()
    closed: list[tuple[str, str]] = []
    monkeypatch.setattr(service, "hang_up", lambda endpoint, cid: closed.append((endpoint, cid)))
    laptop, phone = create_api_key("acme", "laptop"), create_api_key("acme", "phone")
    for connection_id, key in (("l1", laptop), ("l2", laptop), ("p1", phone)):
        service.connect(connection_id, tickets.issue(key.secret).ticket)
        meta = connections.get_connection(connection_id)
        assert meta is not None
        connections.add_topics(meta, ["notifications"])

    revoke("acme", laptop.key_id)

    assert sorted(closed) == [("http://management.test", "l1"), ("http://management.test", "l2")]
    assert connections.get_connection("l1") is None
    assert connections.get_connection("l2") is None
    assert connections.key_connection_ids("acme", laptop.key_id) == []
    assert connections.subscriber_ids("acme", "notifications") == ["p1"]
    revoke("acme", laptop.key_id)  # idempotent: nothing left to close
    assert len(closed) == 2


def test_disconnect_and_pruning_forget_the_keys_index_row() -> None:
    key = create_api_key("acme", "browser")
    service.connect("c1", tickets.issue(key.secret, now=NOW).ticket, now=NOW)
    service.connect("c2", tickets.issue(key.secret, now=NOW).ticket, now=NOW)
    assert service.disconnect("c1") is True
    assert connections.key_connection_ids("acme", key.key_id) == ["c2"]
    assert service.prune_stale(now=NOW + dt.timedelta(hours=3)) == 1
    assert connections.key_connection_ids("acme", key.key_id) == []
