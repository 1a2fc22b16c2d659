"""Channel routes: validation (4xx naming the field), secrets write-only and redacted, rotation by
PUT, resume, tenant isolation, the delivery log's paging, and a test send queued on a real SQS queue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client, reset_clients

SLACK = "https://hooks.slack.com/services/T000/B000/XXXXabcd"
WEBHOOK = {
    "name": "Ops hook",
    "kind": "webhook",
    "url": "https://hooks.example.com/tradewind?token=t0psecretWXYZ",
    "subscriptions": [{"event": "job.failed"}, {"event": "pipeline.signals", "min_strength": 0.4}],
}


@pytest.fixture
def tables(aws: None) -> None:
    from tradewind.alerts import publish

    publish.forget()


def _create(api: TestClient, h: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    r = api.post("/channels", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _locs(r: Any) -> list[list[str | int]]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return [e["loc"] for e in r.json()["errors"]]


def test_a_webhook_gets_a_generated_secret_shown_once_and_never_its_url(
    api: TestClient, h: dict[str, str], tables: None
) -> None:
    created = _create(api, h, WEBHOOK)
    secret = created["signing_secret"]
    assert secret.startswith("whsec_")
    assert created["destination"] == "https://hooks.example.com/…/WXYZ"
    assert created["secret_hint"] == f"…{secret[-4:]}"
    assert created["status"] == "active"
    assert created["subscriptions"] == [
        {"event": "job.failed", "min_strength": None},
        {"event": "pipeline.signals", "min_strength": 0.4},
    ]
    listed = api.get("/channels", headers=h)
    fetched = api.get(f"/channels/{created['channel_id']}", headers=h)
    for text in (listed.text, fetched.text):
        assert "t0psecret" not in text
        assert secret not in text
    assert "signing_secret" not in fetched.json()


def test_put_rotates_secrets_and_keeps_what_it_does_not_name(
    api: TestClient, h: dict[str, str], tables: None
) -> None:
    created = _create(api, h, WEBHOOK)
    path = f"/channels/{created['channel_id']}"
    renamed = api.put(path, json={"name": "Renamed"}, headers=h).json()
    assert (renamed["name"], renamed["destination"], renamed["secret_hint"]) == (
        "Renamed",
        created["destination"],
        created["secret_hint"],
    )
    assert renamed["signing_secret"] is None
    rotated = api.put(
        path, json={"rotate_secret": True, "url": "https://other.example.com/in/abcd"}, headers=h
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["signing_secret"] not in (None, created["signing_secret"])
    assert new["destination"] == "https://other.example.com/…/abcd"
    given = api.put(path, json={"secret": "my-own-secret-0001"}, headers=h).json()
    assert given["secret_hint"] == "…0001"
    assert _locs(api.put(path, json={"kind": "slack"}, headers=h)) == [["body", "kind"]]
    assert _locs(api.put(path, json={"bot_token": "1:x"}, headers=h))[0] == ["body", "bot_token"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"name": ""}, ["body", "name"]),
        ({"name": " \t "}, ["body", "name"]),
        ({"name": "bell\x07"}, ["body", "name"]),
        ({"kind": "email"}, ["body", "kind"]),
        ({"url": "http://hooks.example.com/x"}, ["body", "url"]),
        ({"url": "https://127.0.0.1/x"}, ["body", "url"]),
        ({"url": None}, ["body", "url"]),
        ({"secret": "short"}, ["body", "secret"]),
        ({"subscriptions": []}, ["body", "subscriptions"]),
        ({"subscriptions": [{"event": "job.started"}]}, ["body", "subscriptions", 0, "event"]),
        ({"subscriptions": [{"event": "test"}]}, ["body", "subscriptions", 0, "event"]),
        (
            {"subscriptions": [{"event": "job.failed"}, {"event": "job.failed"}]},
            ["body", "subscriptions", 1, "event"],
        ),
        (
            {"subscriptions": [{"event": "job.failed", "min_strength": 0.5}]},
            ["body", "subscriptions", 0, "min_strength"],
        ),
        (
            {"subscriptions": [{"event": "pipeline.signals", "min_strength": 1.5}]},
            ["body", "subscriptions", 0, "min_strength"],
        ),
        ({"bot_token": "123:abc"}, ["body", "bot_token"]),
        ({"colour": "red"}, ["body", "colour"]),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(
    api: TestClient, h: dict[str, str], tables: None, change: dict[str, Any], loc: list[str | int]
) -> None:
    assert loc in _locs(api.post("/channels", json={**WEBHOOK, **change}, headers=h))
    assert api.get("/channels", headers=h).json()["items"] == []


def test_each_kind_needs_its_own_destination(api: TestClient, h: dict[str, str], tables: None) -> None:
    subs = [{"event": "job.succeeded"}]
    slack = {"name": "s", "kind": "slack", "subscriptions": subs}
    assert _locs(
        api.post("/channels", json={**slack, "url": "https://example.com/services/x"}, headers=h)
    ) == [["body", "url"]]
    made = _create(api, h, {**slack, "url": SLACK})
    assert made["destination"] == "https://hooks.slack.com/…/abcd"
    assert made["signing_secret"] is None
    assert made["secret_hint"] is None
    discord = {
        "name": "d",
        "kind": "discord",
        "subscriptions": subs,
        "url": "https://discord.com/api/webhooks/1/tok3n",
    }
    assert _create(api, h, discord)["destination"] == "https://discord.com/…/ok3n"
    telegram = {"name": "t", "kind": "telegram", "subscriptions": subs}
    assert _locs(api.post("/channels", json=telegram, headers=h)) == [
        ["body", "bot_token"],
        ["body", "chat_id"],
    ]
    token = "123456:" + "A" * 31 + "wxyz"
    made = _create(api, h, {**telegram, "bot_token": token, "chat_id": "@trade_desk"})
    assert (made["destination"], made["chat_id"]) == ("bot …wxyz", "@trade_desk")
    assert token not in api.get("/channels", headers=h).text


def test_channels_belong_to_their_organisation(
    api: TestClient, h: dict[str, str], other_key: str, tables: None
) -> None:
    made = _create(api, h, WEBHOOK)
    other = {"X-Api-Key": other_key}
    assert api.get("/channels", headers=other).json()["items"] == []
    for method, suffix in (
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("POST", "/resume"),
        ("GET", "/deliveries"),
    ):
        r = api.request(
            method,
            f"/channels/{made['channel_id']}{suffix}",
            headers=other,
            json={} if method == "PUT" else None,
        )
        assert r.status_code == 404, (method, suffix, r.text)
    assert api.delete(f"/channels/{made['channel_id']}", headers=h).status_code == 204
    assert api.get(f"/channels/{made['channel_id']}", headers=h).status_code == 404


def test_an_organisation_has_at_most_20_channels(api: TestClient, h: dict[str, str], tables: None) -> None:
    for i in range(20):
        _create(api, h, {**WEBHOOK, "name": f"hook {i}"})
    r = api.post("/channels", json=WEBHOOK, headers=h)
    assert r.status_code == 409, r.text


@pytest.fixture
def queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = client("sqs").create_queue(QueueName="alerts")["QueueUrl"]
    monkeypatch.setenv("TW_ALERTS_QUEUE_URL", url)
    reset_clients()
    yield url
    reset_clients()


def test_send_test_queues_one_message_for_that_channel_even_when_paused(
    api: TestClient, h: dict[str, str], tables: None, queue: str
) -> None:
    from tradewind.data.channels import PAUSED, ChannelRecord

    made = _create(api, h, WEBHOOK)
    ChannelRecord.get(*ChannelRecord.key("acme", made["channel_id"])).update(
        actions=[ChannelRecord.status.set(PAUSED)]
    )
    assert api.get(f"/channels/{made['channel_id']}", headers=h).json()["status"] == "paused"
    r = api.post(f"/channels/{made['channel_id']}/test", headers=h)
    assert r.status_code == 202, r.text
    (message,) = client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(message["Body"])
    assert (body["tenant_id"], body["channel_id"]) == ("acme", made["channel_id"])
    assert (body["event"]["kind"], body["event"]["event_id"]) == ("test", r.json()["event_id"])
    assert "t0psecret" not in message["Body"]  # secrets never travel on the queue
    resumed = api.post(f"/channels/{made['channel_id']}/resume", headers=h).json()
    assert (resumed["status"], resumed["paused_at"], resumed["consecutive_failures"]) == ("active", None, 0)


def test_send_test_without_a_delivery_queue_is_503(api: TestClient, h: dict[str, str], tables: None) -> None:
    made = _create(api, h, WEBHOOK)
    assert api.post(f"/channels/{made['channel_id']}/test", headers=h).status_code == 503


def test_the_delivery_log_pages_newest_first_and_refuses_another_channels_token(
    api: TestClient, h: dict[str, str], tables: None
) -> None:
    from datetime import UTC, datetime

    from tradewind.data.channels import DeliveryRecord

    a, b = _create(api, h, WEBHOOK)["channel_id"], _create(api, h, WEBHOOK)["channel_id"]
    now = datetime.now(UTC)
    for i in range(3):
        DeliveryRecord(
            *DeliveryRecord.key("acme", a, f"e{i}"),
            tenant_id="acme",
            channel_id=a,
            event_id=f"e{i}",
            event_kind="job.failed",
            title=f"t{i}",
            status="delivered",
            attempts=1,
            status_code=200,
            created_at=now,
            updated_at=now,
        ).save()
    first = api.get(f"/channels/{a}/deliveries?limit=2", headers=h).json()
    assert [d["event_id"] for d in first["items"]] == ["e2", "e1"]
    assert first["items"][0]["status_code"] == 200
    rest = api.get(f"/channels/{a}/deliveries?limit=2&next_token={first['next_token']}", headers=h).json()
    assert [d["event_id"] for d in rest["items"]] == ["e0"]
    assert api.get(f"/channels/{b}/deliveries?next_token={first['next_token']}", headers=h).status_code == 422
    assert api.get(f"/channels/{b}/deliveries", headers=h).json()["items"] == []
