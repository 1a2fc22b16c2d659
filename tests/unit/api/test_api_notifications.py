"""Notifications over the API (newest first, unread filter and count, marking read, paging, tenant
isolation) and their live push to a ``notifications`` subscriber through a loopback management API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tradewind.api.pagination import encode_token
from tradewind.aws import reset_clients
from tradewind.services import notifications


def _notify(n: int, tenant: str = "acme") -> list[str]:
    """``n`` notifications of ``tenant``, oldest first; returns their ids."""
    return [
        notifications.notify(
            tenant, notifications.JOB_COMPLETED, f"job {i} done", "Sharpe 1.2", f"/jobs/{i}"
        ).notification_id
        for i in range(n)
    ]


def _count(api: TestClient, h: dict[str, str]) -> int:
    r = api.get("/notifications/unread-count", headers=h)
    assert r.status_code == 200, r.text
    return int(r.json()["unread"])


def test_listed_newest_first_and_counted_unread(api: TestClient, h: dict[str, str]) -> None:
    ids = _notify(3)
    body = api.get("/notifications", headers=h).json()
    assert [n["notification_id"] for n in body["items"]] == ids[::-1]
    assert body["next_token"] is None
    first = body["items"][-1]
    assert (first["kind"], first["title"], first["link"], first["read_at"]) == (
        "job.completed",
        "job 0 done",
        "/jobs/0",
        None,
    )
    assert _count(api, h) == 3


def test_mark_read_is_idempotent_and_the_count_never_goes_negative(
    api: TestClient, h: dict[str, str]
) -> None:
    ids = _notify(2)
    read = api.post(f"/notifications/{ids[0]}/read", headers=h)
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    again = api.post(f"/notifications/{ids[0]}/read", headers=h).json()
    assert again["read_at"] == read.json()["read_at"]
    assert _count(api, h) == 1
    unread = api.get("/notifications?unread=true", headers=h).json()["items"]
    assert [n["notification_id"] for n in unread] == [ids[1]]

    assert api.post("/notifications/read-all", headers=h).json() == {"marked": 1}
    assert api.post("/notifications/read-all", headers=h).json() == {"marked": 0}
    assert api.post(f"/notifications/{ids[1]}/read", headers=h).status_code == 200
    assert _count(api, h) == 0
    assert api.get("/notifications?unread=true", headers=h).json()["items"] == []
    assert all(n["read_at"] for n in api.get("/notifications", headers=h).json()["items"])


@pytest.mark.parametrize("unread", [False, True])
def test_pages_cover_every_notification_once(api: TestClient, h: dict[str, str], unread: bool) -> None:
    ids = _notify(5)
    seen: list[str] = []
    url = f"/notifications?limit=2&unread={str(unread).lower()}"
    token: str | None = None
    for _ in range(5):
        r = api.get(url + (f"&next_token={token}" if token else ""), headers=h)
        assert r.status_code == 200, r.text
        seen += [n["notification_id"] for n in r.json()["items"]]
        token = r.json()["next_token"]
        if token is None:
            break
    assert seen == ids[::-1]


@pytest.mark.parametrize("unread", ["false", "true"])
@pytest.mark.parametrize(
    "forged",
    [
        {"sk": {"N": "1"}, "gsi1pk": {"S": "TENANT#acme"}, "gsi1sk": {"N": "1"}},
        {"sk": {"S": "NOTIF#1"}, "gsi1pk": {"S": "TENANT#acme"}},
        {"sk": {"S": "STRATEGY#1"}},
        {"sk": {"S": "NOTIF#1"}, "gsi1pk": {"S": "TENANT#acme"}, "gsi1sk": {"S": "JOBS#backtest#1"}},
    ],
)
def test_a_forged_token_is_422_naming_next_token(
    api: TestClient, h: dict[str, str], unread: str, forged: dict[str, Any]
) -> None:
    token = encode_token({"pk": {"S": "TENANT#acme"}, **forged})
    r = api.get("/notifications", params={"unread": unread, "next_token": token}, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])


def test_a_token_of_one_list_is_refused_by_the_other(api: TestClient, h: dict[str, str]) -> None:
    _notify(3)
    token = api.get("/notifications?limit=1&unread=true", headers=h).json()["next_token"]
    r = api.get(f"/notifications?next_token={token}", headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])


def test_tenants_see_only_their_own(api: TestClient, h: dict[str, str], other: dict[str, str]) -> None:
    (mine,) = _notify(1)
    _notify(2, tenant="globex")
    assert api.post(f"/notifications/{mine}/read", headers=other).status_code == 404
    assert api.post("/notifications/read-all", headers=other).json() == {"marked": 2}
    assert _count(api, h) == 1
    assert [n["notification_id"] for n in api.get("/notifications", headers=h).json()["items"]] == [mine]
    assert len(api.get("/notifications", headers=other).json()["items"]) == 2


def test_bad_inputs_name_the_field(api: TestClient, h: dict[str, str]) -> None:
    r = api.post("/notifications/no%20spaces/read", headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["path", "notification_id"])
    r = api.get("/notifications?unread=maybe", headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "unread"])
    assert api.post("/notifications/0123456789abcdef012345/read", headers=h).status_code == 404


def test_an_unknown_kind_is_a_producer_bug(aws: None) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        notifications.notify("acme", "job.done", "t", "b")


class Posts(list[tuple[str, dict[str, Any]]]):
    """``(connection id, message)`` of every post the loopback management API received."""


@pytest.fixture
def management_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[Posts]:
    """A small HTTP server standing in for API Gateway's ``@connections`` endpoint."""
    posts = Posts()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            posts.append((self.path.removeprefix("/@connections/"), json.loads(data)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("TW_WS_MANAGEMENT_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    reset_clients()
    yield posts
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscriber(aws: None) -> None:
    """Connection ``c1`` of tenant ``acme`` subscribed to ``notifications``; ``c2`` of ``globex`` too."""
    from datetime import UTC, datetime, timedelta

    from tradewind.realtime import connections

    now = datetime.now(UTC)  # the connections table comes with the ``aws`` fixture
    for connection_id, tenant in (("c1", "acme"), ("c2", "globex")):
        record = connections.save_connection(connection_id, tenant, now, now + timedelta(hours=2))
        connections.add_topics(record, ["notifications"])


def test_a_subscriber_receives_the_push(management_api: Posts, subscriber: None) -> None:
    notification = notifications.notify(
        "acme", notifications.DATASET_READY, "ready", "12 symbols", "/datasets/d1"
    )
    assert len(management_api) == 1
    connection_id, message = management_api[0]
    assert (connection_id, message["type"], message["topic"]) == ("c1", "notification", "notifications")
    assert message["payload"]["notification_id"] == notification.notification_id
    assert (message["payload"]["title"], message["payload"]["link"]) == ("ready", "/datasets/d1")


def test_a_failed_push_does_not_fail_the_producer(
    subscriber: None, api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TW_WS_MANAGEMENT_ENDPOINT", raising=False)  # subscribers but nowhere to post
    reset_clients()
    (saved,) = _notify(1)
    assert [n["notification_id"] for n in api.get("/notifications", headers=h).json()["items"]] == [saved]


def test_the_message_code_and_params_are_listed_and_old_records_have_none(
    api: TestClient, h: dict[str, str]
) -> None:
    from tradewind.services.notification_messages import schedule_failed

    notifications.notify("acme", notifications.JOB_FAILED, "old", "stored before codes existed")
    notifications.send("acme", schedule_failed("nightly", "strategy gone"), "/schedules/s1")
    new, old = api.get("/notifications", headers=h).json()["items"]
    assert old["message"] is None
    assert (new["kind"], new["title"], new["body"]) == (
        "schedule.failed",
        "Schedule 'nightly' could not start its job",
        "strategy gone",
    )
    assert new["message"] == {
        "code": "schedule.failed",
        "params": {"name": "nightly", "reason": "strategy gone"},
    }
    read = api.post(f"/notifications/{new['notification_id']}/read", headers=h).json()
    assert read["message"] == new["message"]


def test_the_push_carries_the_message(management_api: Posts, subscriber: None) -> None:
    from tradewind.services.notification_messages import channel_paused

    notifications.send("acme", channel_paused("ops", 5, "HTTP 500"), "/integrations/c1")
    ((_, pushed),) = management_api
    assert pushed["payload"]["message"] == {
        "code": "channel.paused",
        "params": {"name": "ops", "failures": 5, "error": "HTTP 500"},
    }
    assert pushed["payload"]["title"] == "Channel 'ops' was paused"
