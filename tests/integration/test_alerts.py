"""Alert delivery on the local cloud: the real delivery queue, its DLQ and the alert_delivery
handler under moto, posting to an HTTP receiver this module starts on 127.0.0.1.

Channels are created through the API (as an admin would); events come from real producers (a failed
import, a pipeline run) or ``POST /channels/{id}/test``; ``cloud.drain_queues()`` runs the SQS
event-source mappings (a failed message is retried at once: the backoff's visibility is the local
poller's business, the schedule itself is unit-tested) until every queue is empty.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
import requests
from fastapi.testclient import TestClient
from tradewind.alerts import payloads, publish
from tradewind.alerts.channels import new_id
from tradewind.alerts.delivery import DeliveryMessage, RetryLater, deliver
from tradewind.alerts.events import AlertEvent, EventKind
from tradewind.alerts.policy import LEASE_SECONDS, MAX_ATTEMPTS, PAUSE_AFTER
from tradewind.aws import reset_clients

from infra.local.cloud import LocalCloud
from tests.integration.marketdata_support import publish_sample_dataset, sample_csv


@dataclass
class Receiver:
    """Records every POST; answers ``status`` (200 unless a test changes it)."""

    url: str
    status: int = 200
    posts: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                state.posts.append((self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok":true}' if state.status < 300 else b"receiver is down")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def api(clean_cloud: LocalCloud) -> Iterator[TestClient]:
    from tradewind.api.app import create_app

    publish.forget()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def auth(clean_cloud: LocalCloud) -> dict[str, str]:
    from tradewind.services.apikeys import create_api_key

    return {"Authorization": f"Bearer {create_api_key('acme', 'test').secret}"}


def _channel(
    api: TestClient, auth: dict[str, str], url: str, *subscriptions: dict[str, Any]
) -> dict[str, Any]:
    body = {"name": "Ops", "kind": "webhook", "url": url, "subscriptions": list(subscriptions)}
    r = api.post("/channels", json=body, headers=auth)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _log(api: TestClient, auth: dict[str, str], channel_id: str) -> list[dict[str, Any]]:
    r = api.get(f"/channels/{channel_id}/deliveries", headers=auth)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _sqs() -> Any:
    return boto3.session.Session(region_name="us-east-1").client("sqs")


def _depth(url: str) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = _sqs().get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[n]) for n in names)


def _fail_import(api: TestClient, auth: dict[str, str]) -> None:
    """A dataset whose row 7 has its high below its low: the import worker fails it."""
    lines = sample_csv(count=1)[0].decode().splitlines()
    fields = lines[6].split(",")
    fields[3] = "-1"
    lines[6] = ",".join(fields)
    created = api.post("/datasets", json={"name": "bad bars", "format": "csv"}, headers=auth).json()
    upload = created["upload"]
    body = ("\n".join(lines) + "\n").encode()
    assert requests.put(upload["url"], data=body, headers=upload["headers"], timeout=10).status_code == 200
    assert api.post(f"/datasets/{created['dataset']['dataset_id']}/complete", headers=auth).status_code == 202


def test_a_failed_import_is_posted_signed_and_logged(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    made = _channel(api, auth, f"{receiver.url}/hook", {"event": "import.failed"}, {"event": "job.failed"})
    _fail_import(api, auth)
    clean_cloud.drain_queues()

    ((path, headers, body),) = receiver.posts
    assert path == "/hook"
    assert headers["X-Tradewind-Event"] == "import.failed"
    assert payloads.verify(
        made["signing_secret"], headers["X-Tradewind-Signature"], body, now=int(time.time())
    )
    event = json.loads(body)
    assert (event["kind"], event["organisation"]) == ("import.failed", "acme")
    assert event["title"].startswith("Dataset 'bad bars' failed: row 7, column 'high': ")
    assert event["link"] == f"/datasets/{event['data']['dataset_id']}"
    (logged,) = _log(api, auth, made["channel_id"])
    assert logged["event_id"] == event["id"] == headers["X-Tradewind-Delivery"]
    assert (logged["status"], logged["attempts"], logged["status_code"], logged["error"]) == (
        "delivered",
        1,
        200,
        None,
    )
    assert logged["delivered_at"] is not None


def test_a_channel_not_subscribed_gets_nothing_and_costs_no_message(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    made = _channel(api, auth, f"{receiver.url}/hook", {"event": "job.succeeded"})
    _fail_import(api, auth)
    clean_cloud.drain_queues()
    assert receiver.posts == []
    assert _log(api, auth, made["channel_id"]) == []


def test_a_failing_receiver_is_retried_then_the_message_is_dead_lettered(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    receiver.status = 500
    made = _channel(api, auth, f"{receiver.url}/down", {"event": "job.failed"})
    sent = api.post(f"/channels/{made['channel_id']}/test", headers=auth)
    assert sent.status_code == 202, sent.text
    clean_cloud.drain_queues()

    assert len(receiver.posts) == MAX_ATTEMPTS
    assert {json.loads(body)["id"] for _, _, body in receiver.posts} == {sent.json()["event_id"]}
    (logged,) = _log(api, auth, made["channel_id"])
    assert (logged["status"], logged["attempts"], logged["status_code"]) == ("failed", MAX_ATTEMPTS, 500)
    assert logged["error"] == "HTTP 500: receiver is down"
    assert logged["test"] is True
    assert _depth(clean_cloud.queue_url("AlertDeadLetters")) == 1
    # a failing test send never pauses the channel
    channel = api.get(f"/channels/{made['channel_id']}", headers=auth).json()
    assert (channel["status"], channel["consecutive_failures"]) == ("active", 0)


def test_a_duplicate_message_posts_once(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    made = _channel(api, auth, f"{receiver.url}/hook", {"event": "job.failed"})
    queue = clean_cloud.queue_url("AlertQueue")
    api.post(f"/channels/{made['channel_id']}/test", headers=auth)
    (message,) = _sqs().receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0)[
        "Messages"
    ]
    _sqs().send_message(QueueUrl=queue, MessageBody=message["Body"])  # SQS delivers at least once
    clean_cloud.drain_queues()

    assert len(receiver.posts) == 1
    (logged,) = _log(api, auth, made["channel_id"])
    assert (logged["status"], logged["attempts"]) == ("delivered", 1)


def test_repeated_failures_pause_the_channel_and_notify_the_organisation(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    receiver.status = 503
    made = _channel(api, auth, f"{receiver.url}/down", {"event": "import.failed"})
    path = f"/channels/{made['channel_id']}"
    for _ in range(PAUSE_AFTER):
        assert publish.publish("acme", EventKind.IMPORT_FAILED, "import failed", "bad row") == 1
        clean_cloud.drain_queues()
    channel = api.get(path, headers=auth).json()
    assert (channel["status"], channel["consecutive_failures"]) == ("paused", PAUSE_AFTER)
    assert (
        channel["paused_reason"]
        == f"{PAUSE_AFTER} deliveries in a row failed; the last: HTTP 503: receiver is down"
    )
    (notice,) = [
        n for n in api.get("/notifications", headers=auth).json()["items"] if n["kind"] == "channel.paused"
    ]
    assert (notice["title"], notice["link"]) == (
        "Channel 'Ops' was paused",
        path.replace("/channels", "/integrations"),
    )
    assert notice["message"] == {
        "code": "channel.paused",
        "params": {"name": "Ops", "failures": PAUSE_AFTER, "error": "HTTP 503: receiver is down"},
    }
    assert len(receiver.posts) == PAUSE_AFTER * MAX_ATTEMPTS

    # paused: events are not queued for it any more
    assert publish.publish("acme", EventKind.IMPORT_FAILED, "import failed", "again") == 0
    receiver.status = 200
    resumed = api.post(f"{path}/resume", headers=auth).json()
    assert (resumed["status"], resumed["consecutive_failures"], resumed["paused_reason"]) == (
        "active",
        0,
        None,
    )
    assert publish.publish("acme", EventKind.IMPORT_FAILED, "import failed", "fixed") == 1
    clean_cloud.drain_queues()
    assert json.loads(receiver.posts[-1][2])["text"] == "fixed"
    assert _log(api, auth, made["channel_id"])[0]["status"] == "delivered"


def test_slack_discord_and_telegram_channels_receive_their_own_payloads(
    clean_cloud: LocalCloud,
    api: TestClient,
    auth: dict[str, str],
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TW_TELEGRAM_API_URL", f"{receiver.url}/telegram")
    reset_clients()
    subs = [{"event": "job.failed"}]
    bodies = [
        {"name": "s", "kind": "slack", "url": f"{receiver.url}/slack", "subscriptions": subs},
        {"name": "d", "kind": "discord", "url": f"{receiver.url}/discord", "subscriptions": subs},
        {
            "name": "t",
            "kind": "telegram",
            "bot_token": "42:" + "k" * 35,
            "chat_id": "-1001",
            "subscriptions": subs,
        },
    ]
    for body in bodies:
        assert api.post("/channels", json=body, headers=auth).status_code == 201
    assert publish.publish("acme", EventKind.JOB_FAILED, "Backtest 'x' failed", "no bars") == 3
    clean_cloud.drain_queues()

    got = {path: json.loads(body) for path, _, body in receiver.posts}
    assert got["/slack"]["text"] == "Backtest 'x' failed"
    assert got["/slack"]["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Backtest 'x' failed"},
    }
    assert got["/discord"]["embeds"][0]["description"] == "no bars"
    telegram = got[f"/telegram/bot42:{'k' * 35}/sendMessage"]
    assert (telegram["chat_id"], telegram["parse_mode"]) == ("-1001", "HTML")
    assert telegram["text"] == "<b>Backtest &#x27;x&#x27; failed</b>\nno bars"


def test_a_pipeline_run_sends_its_last_bars_signals_above_each_channels_strength(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    from tradewind.pipeline.spec import PipelineRunRequest
    from tradewind.pipeline.submit import submit_run

    publish_sample_dataset("acme", "sample", 6)
    everything = _channel(api, auth, f"{receiver.url}/all", {"event": "pipeline.signals"})
    _channel(api, auth, f"{receiver.url}/some", {"event": "pipeline.signals", "min_strength": 0.004})
    none = _channel(api, auth, f"{receiver.url}/none", {"event": "pipeline.signals", "min_strength": 0.99})
    run = PipelineRunRequest(
        template="sma_cross", params={"fast": 3, "slow": 5}, start=date(2018, 1, 1), end=date(2018, 3, 31)
    )
    submit_run("acme", run)
    clean_cloud.drain_queues()

    posted = {path: json.loads(body) for path, _, body in receiver.posts}
    assert set(posted) == {"/all", "/some"}
    event = posted["/all"]
    signals = event["data"]["signals"]
    assert event["kind"] == "pipeline.signals"
    assert event["data"]["total"] == len(signals) == 2  # the sample's last bar with signals has two
    assert {s["time"] for s in signals} == {signals[0]["time"]}
    assert [s["strength"] for s in signals] == sorted((s["strength"] for s in signals), reverse=True)
    some = posted["/some"]["data"]["signals"]
    assert some == [s for s in signals if s["strength"] >= 0.004]
    assert 0 < len(some) < len(signals)
    assert posted["/some"]["text"].startswith("1 signal at or above strength 0.004:\n")
    assert _log(api, auth, none["channel_id"]) == []
    assert _log(api, auth, everything["channel_id"])[0]["status"] == "delivered"


def _message(channel_id: str, kind: EventKind = EventKind.IMPORT_FAILED) -> DeliveryMessage:
    event = AlertEvent(new_id(), kind, "import failed", "bad row", datetime.now(UTC))
    return DeliveryMessage("acme", channel_id, event)


def test_a_copy_arriving_while_an_attempt_holds_the_delivery_waits_for_its_lease(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    from tradewind.data.channels import DeliveryRecord

    made = _channel(api, auth, f"{receiver.url}/hook", {"event": "import.failed"})
    message = _message(made["channel_id"])
    now = datetime.now(UTC)
    DeliveryRecord(
        *DeliveryRecord.key("acme", made["channel_id"], message.event.event_id),
        tenant_id="acme",
        channel_id=made["channel_id"],
        event_id=message.event.event_id,
        event_kind="import.failed",
        title="import failed",
        status="delivering",
        attempts=1,
        lease_until=now + timedelta(seconds=LEASE_SECONDS),
        created_at=now,
        updated_at=now,
    ).save()
    deferred: list[int] = []
    with pytest.raises(RetryLater):
        deliver(message, 2, deferred.append)
    assert (deferred, receiver.posts) == ([LEASE_SECONDS], [])
    # the holder died: once its lease is over, the next copy delivers
    record = DeliveryRecord.get(*DeliveryRecord.key("acme", made["channel_id"], message.event.event_id))
    record.update(actions=[DeliveryRecord.lease_until.set(now - timedelta(seconds=1))])
    assert deliver(message, 3, deferred.append) == "delivered"
    assert len(receiver.posts) == 1
    (logged,) = _log(api, auth, made["channel_id"])
    assert (logged["status"], logged["attempts"]) == ("delivered", 2)
    assert deliver(message, 4, deferred.append) == "duplicate"
    assert len(receiver.posts) == 1


def test_a_message_queued_before_its_channel_was_paused_is_logged_skipped(
    clean_cloud: LocalCloud, api: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    from tradewind.data.channels import PAUSED, ChannelRecord

    made = _channel(api, auth, f"{receiver.url}/hook", {"event": "import.failed"})
    ChannelRecord.get(*ChannelRecord.key("acme", made["channel_id"])).update(
        actions=[ChannelRecord.status.set(PAUSED)]
    )
    assert deliver(_message(made["channel_id"]), 1, lambda _: None) == "skipped"
    assert receiver.posts == []
    (logged,) = _log(api, auth, made["channel_id"])
    assert (logged["status"], logged["attempts"], logged["error"]) == ("skipped", 0, "the channel is paused")
    assert deliver(_message("gone"), 1, lambda _: None) == "gone"  # a deleted channel: nothing to do
