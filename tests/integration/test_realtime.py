"""Realtime handlers in-process against the provisioned stack, posting to a loopback management API.

Tables come from the synthesized CDK template (the shared ``clean_cloud`` fixture), so the models
are checked against the real key schema.

moto's ``post_to_connection`` accepts any connection id and keeps no per-message record, so the
management API here is a small HTTP server on 127.0.0.1 that records every post (and every
``DeleteConnection``) and answers like API Gateway does: 410 GoneException for connections that
closed, 403 for ones it refuses. Clients connect as browsers do: with a ticket, never the key.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import pytest
from tradewind.aws import reset_clients
from tradewind.realtime import connections, publish, tickets
from tradewind.realtime.connections import SubscriptionRecord
from tradewind.realtime.publisher import RealtimeNotConfigured
from tradewind.services import apikeys, datasets

from infra.local.cloud import LocalCloud

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


@dataclass
class ManagementApi:
    """What the fake API Gateway management endpoint received, and how it should answer."""

    url: str = ""
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    closed: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    forbidden: set[str] = field(default_factory=set)

    def types(self, connection_id: str) -> list[str]:
        return [message["type"] for message in self.posts[connection_id]]


def _server_for(api: ManagementApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            prefix = "/@connections/"
            connection_id = unquote(self.path.removeprefix(prefix)) if self.path.startswith(prefix) else ""
            data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if connection_id in api.gone:
                self._answer(410, "GoneException")
            elif connection_id in api.forbidden or not connection_id:
                self._answer(403, "ForbiddenException")
            else:
                api.posts[connection_id].append(json.loads(data))
                self._answer(200, None)

        def do_DELETE(self) -> None:
            connection_id = unquote(self.path.removeprefix("/@connections/"))
            if connection_id in api.gone or connection_id in api.closed:
                self._answer(410, "GoneException")
            else:
                api.closed.append(connection_id)
                self._answer(204, None)

        def _answer(self, status: int, error: str | None) -> None:
            body = b"" if status == 204 else json.dumps({"message": error} if error else {}).encode()
            self.send_response(status)
            if error:
                self.send_header("x-amzn-ErrorType", error)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler


@pytest.fixture
def management_api() -> Iterator[ManagementApi]:
    api = ManagementApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _server_for(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield api
    server.shutdown()
    server.server_close()


@pytest.fixture
def realtime(
    clean_cloud: LocalCloud, management_api: ManagementApi, monkeypatch: pytest.MonkeyPatch
) -> LocalCloud:
    """The provisioned stack (tables from the synthesized template) posting to ``management_api``."""
    monkeypatch.setenv("TW_WS_MANAGEMENT_ENDPOINT", management_api.url)
    reset_clients()
    return clean_cloud


def _load(folder: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{folder}_handler", FUNCTIONS / folder / "handler.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class LambdaContext:
    function_name: str = "test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test"
    aws_request_id: str = "request-1"


Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@pytest.fixture(scope="module")
def handlers() -> dict[str, Handler]:
    return {name: _load(name).handler for name in ("ws_connect", "ws_disconnect", "ws_default", "janitor")}


def ws_event(
    route: str,
    connection_id: str,
    *,
    body: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The proxy event API Gateway WebSocket sends a Lambda integration (fields this code reads)."""
    event_type = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE")
    event: dict[str, Any] = {
        "requestContext": {
            "routeKey": route,
            "eventType": event_type,
            "messageDirection": "IN",
            "connectionId": connection_id,
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "stage": "test",
            "apiId": "abc123",
            "requestId": f"req-{connection_id}",
            "extendedRequestId": f"req-{connection_id}",
            "requestTime": "01/Mar/2025:12:00:00 +0000",
            "requestTimeEpoch": 1740830400000,
            "connectedAt": 1740830400000,
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "isBase64Encoded": False,
    }
    if route == "$connect":
        event["headers"] = headers or {}
        event["queryStringParameters"] = query
    if body is not None:
        event["body"] = body
    return event


class Client:
    """One simulated browser: drives the handlers the way API Gateway would for its connection."""

    def __init__(self, handlers: dict[str, Handler], connection_id: str) -> None:
        self.handlers = handlers
        self.id = connection_id

    def connect(self, **kwargs: Any) -> dict[str, Any]:
        return self.handlers["ws_connect"](ws_event("$connect", self.id, **kwargs), LambdaContext())

    def connect_with(self, secret: str) -> dict[str, Any]:
        """What a browser does: a ticket for the key (over HTTPS, in a header), then ``?ticket=``."""
        return self.connect(query={"ticket": tickets.issue(secret).ticket})

    def send(self, message: dict[str, Any] | str) -> dict[str, Any]:
        body = message if isinstance(message, str) else json.dumps(message)
        return self.handlers["ws_default"](ws_event("$default", self.id, body=body), LambdaContext())

    def disconnect(self) -> dict[str, Any]:
        return self.handlers["ws_disconnect"](ws_event("$disconnect", self.id), LambdaContext())


@pytest.fixture
def client(handlers: dict[str, Handler], realtime: LocalCloud) -> Callable[[str, str], Client]:
    """``client(connection_id, tenant)``: a connected, authenticated client of that tenant."""
    keys: dict[str, str] = {}

    def make(connection_id: str, tenant_id: str) -> Client:
        if tenant_id not in keys:
            keys[tenant_id] = apikeys.create_api_key(tenant_id, "test").secret
        made = Client(handlers, connection_id)
        assert made.connect_with(keys[tenant_id])["statusCode"] == 200
        return made

    return make


def index_rows() -> set[tuple[str, str]]:
    return {(r.pk, r.sk) for r in SubscriptionRecord.scan(SubscriptionRecord.pk.startswith("TOPIC#"))}


@pytest.mark.usefixtures("realtime")
def test_connect_redeems_a_ticket_once(handlers: dict[str, Handler]) -> None:
    key = apikeys.create_api_key("acme", "browser")
    ticket = tickets.issue(key.secret).ticket
    assert Client(handlers, "c1").connect(query={"ticket": ticket}) == {"statusCode": 200}
    meta = connections.get_connection("c1")
    assert meta is not None
    assert (meta.tenant_id, meta.key_id) == ("acme", key.key_id)

    replay = Client(handlers, "c2").connect(query={"ticket": ticket})
    assert replay["statusCode"] == 401
    assert "already used" in json.loads(replay["body"])["detail"]
    assert connections.get_connection("c2") is None


@pytest.mark.usefixtures("realtime")
@pytest.mark.parametrize(
    ("credentials", "detail"),
    [
        ({}, "missing ticket"),
        ({"query": {"ticket": "forged"}}, "unknown, expired or already used ticket"),
        ({"query": {"token": "SECRET"}}, "API keys are not accepted in the URL"),
        ({"query": {"api_key": "SECRET"}}, "API keys are not accepted in the URL"),
        ({"headers": {"Authorization": "Bearer SECRET"}}, "missing ticket"),
        ({"headers": {"X-Api-Key": "SECRET"}}, "missing ticket"),
    ],
)
def test_connect_refuses_anything_but_a_ticket_with_401(
    handlers: dict[str, Handler], credentials: dict[str, dict[str, str]], detail: str
) -> None:
    """Even a valid key is refused in the URL (or a header): only a ticket opens a connection."""
    secret = apikeys.create_api_key("acme", "browser").secret
    filled = {
        where: {k: v.replace("SECRET", secret) for k, v in values.items()}
        for where, values in credentials.items()
    }
    reply = Client(handlers, "c1").connect(**filled)
    assert reply["statusCode"] == 401
    assert json.loads(reply["body"])["detail"].startswith(detail)
    assert connections.get_connection("c1") is None


@pytest.mark.usefixtures("realtime")
def test_an_expired_ticket_is_refused(handlers: dict[str, Handler], monkeypatch: pytest.MonkeyPatch) -> None:
    secret = apikeys.create_api_key("acme", "browser").secret
    issued_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=tickets.TICKET_TTL_SECONDS + 1)
    ticket = tickets.issue(secret, now=issued_at).ticket
    reply = Client(handlers, "c1").connect(query={"ticket": ticket})
    assert reply["statusCode"] == 401
    assert "expired" in json.loads(reply["body"])["detail"]
    assert connections.get_connection("c1") is None


def test_revoking_a_key_closes_its_connections_through_the_management_api(
    handlers: dict[str, Handler], realtime: LocalCloud, management_api: ManagementApi
) -> None:
    laptop = apikeys.create_api_key("acme", "laptop")
    phone = apikeys.create_api_key("acme", "phone")
    for connection_id, key in (("l1", laptop), ("l2", laptop), ("p1", phone)):
        client = Client(handlers, connection_id)
        assert client.connect_with(key.secret)["statusCode"] == 200
        client.send({"action": "subscribe", "topics": ["notifications"]})

    apikeys.revoke("acme", laptop.key_id)

    assert sorted(management_api.closed) == ["l1", "l2"]
    assert connections.get_connection("l1") is None
    assert connections.subscriber_ids("acme", "notifications") == ["p1"]
    assert publish("acme", "notifications", "notification", {"n": 1}) == 1
    # API Gateway then delivers $disconnect for each: harmless, the rows are already gone.
    assert Client(handlers, "l1").disconnect() == {"statusCode": 200}


def test_subscribe_acks_and_indexes_then_unsubscribe_removes(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    a = client("a1", "acme")
    assert a.send({"action": "subscribe", "topics": ["job:42", "notifications"]}) == {"statusCode": 200}
    ack = management_api.posts["a1"][-1]
    assert (ack["type"], ack["topic"], ack["payload"]) == (
        "subscribed",
        None,
        {"topics": ["job:42", "notifications"]},
    )
    assert ack["ts"].endswith("Z")
    assert index_rows() == {("TOPIC#acme#job:42", "CONN#a1"), ("TOPIC#acme#notifications", "CONN#a1")}

    assert a.send({"action": "unsubscribe", "topics": ["job:42"]}) == {"statusCode": 200}
    assert management_api.posts["a1"][-1]["payload"] == {"topics": ["job:42"]}
    assert management_api.types("a1") == ["subscribed", "unsubscribed"]
    assert index_rows() == {("TOPIC#acme#notifications", "CONN#a1")}


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"action": "subscribe", "topics": ["notifications", "jobs:1"]}, "topics[1]"),
        ({"action": "subscribe", "topics": []}, "topics"),
        ({"action": "dance", "topics": ["health"]}, "action"),
        ("{not json", "body"),
    ],
)
def test_bad_actions_answer_400_and_tell_the_client_which_field(
    client: Callable[[str, str], Client], management_api: ManagementApi, message: Any, field: str
) -> None:
    a = client("a1", "acme")
    reply = a.send(message)
    assert reply["statusCode"] == 400
    assert json.loads(reply["body"])["errors"][0]["field"] == field
    error = management_api.posts["a1"][-1]
    assert (error["type"], error["payload"]["field"]) == ("error", field)
    assert error["payload"]["message"]
    assert index_rows() == set()


def test_subscribing_to_a_dataset_sends_its_current_status_to_its_tenant_only(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    record, _ = datasets.create_upload("acme", "bars", "csv")
    topic = f"dataset:{record.dataset_id}"
    owner, stranger = client("a1", "acme"), client("b1", "globex")

    owner.send({"action": "subscribe", "topics": [topic, "dataset:nonexistent1"]})
    stranger.send({"action": "subscribe", "topics": [topic]})

    assert management_api.types("a1") == ["subscribed", "dataset.status"]
    status = management_api.posts["a1"][-1]
    assert status["topic"] == topic
    assert status["payload"]["dataset_id"] == record.dataset_id
    assert (status["payload"]["status"], status["payload"]["error"]) == ("awaiting_upload", None)
    assert management_api.types("b1") == ["subscribed"]


def test_topic_limit_per_connection_is_enforced(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    a = client("a1", "acme")
    assert a.send({"action": "subscribe", "topics": [f"job:{i}" for i in range(50)]})["statusCode"] == 200
    reply = a.send({"action": "subscribe", "topics": ["notifications"]})
    assert reply["statusCode"] == 400
    assert management_api.posts["a1"][-1]["payload"]["field"] == "topics"
    assert ("TOPIC#acme#notifications", "CONN#a1") not in index_rows()


def test_publish_reaches_only_the_tenants_subscribers(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    a1, a2, a3, b1 = client("a1", "acme"), client("a2", "acme"), client("a3", "acme"), client("b1", "globex")
    for subscriber in (a1, a2, b1):
        subscriber.send({"action": "subscribe", "topics": ["notifications"]})
    a3.send({"action": "subscribe", "topics": ["health"]})

    at = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    payload = {"title": "done", "at": at, "sharpe": Decimal("1.5"), "trades": Decimal("12")}
    assert publish("acme", "notifications", "notification", payload) == 2

    for connection_id in ("a1", "a2"):
        message = management_api.posts[connection_id][-1]
        assert message["type"] == "notification"
        assert message["topic"] == "notifications"
        assert message["payload"] == {"title": "done", "at": at.isoformat(), "sharpe": 1.5, "trades": 12}
    assert management_api.types("b1") == ["subscribed"]
    assert management_api.types("a3") == ["subscribed"]
    assert publish("globex", "job:1", "job.progress", {}) == 0


def test_gone_connections_are_pruned_and_other_failures_skipped(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    gone, refused, fine = client("gone", "acme"), client("refused", "acme"), client("fine", "acme")
    gone.send({"action": "subscribe", "topics": ["notifications", "job:9"]})
    for subscriber in (refused, fine):
        subscriber.send({"action": "subscribe", "topics": ["notifications"]})
    management_api.gone.add("gone")
    management_api.forbidden.add("refused")

    assert publish("acme", "notifications", "notification", {"n": 1}) == 1

    assert management_api.types("fine") == ["subscribed", "notification"]
    assert connections.get_connection("gone") is None
    assert not any(sk == "CONN#gone" for _, sk in index_rows())
    assert connections.get_connection("refused") is not None
    assert publish("acme", "notifications", "notification", {"n": 2}) == 1


def test_ping_with_topics_fans_out_through_publish(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    pinger, listener, other_tenant = client("p", "acme"), client("l", "acme"), client("o", "globex")
    for connection in (pinger, listener, other_tenant):
        connection.send({"action": "subscribe", "topics": ["health"]})

    assert pinger.send({"action": "ping", "topics": ["health"], "data": {"seq": 7}}) == {"statusCode": 200}

    for connection_id in ("p", "l"):
        pong = management_api.posts[connection_id][-1]
        assert (pong["type"], pong["topic"]) == ("pong", "health")
        assert pong["payload"] == {"data": {"seq": 7}, "connection_id": "p"}
    assert management_api.types("o") == ["subscribed"]


def test_ping_without_topics_answers_the_caller_only(
    client: Callable[[str, str], Client], management_api: ManagementApi
) -> None:
    pinger, listener = client("p", "acme"), client("l", "acme")
    listener.send({"action": "subscribe", "topics": ["health"]})
    pinger.send({"action": "ping"})
    assert management_api.posts["p"] == [
        {
            **management_api.posts["p"][0],
            "type": "pong",
            "topic": None,
            "payload": {"data": None, "connection_id": "p"},
        }
    ]
    assert management_api.types("l") == ["subscribed"]


def test_a_message_from_an_unknown_connection_is_refused(
    handlers: dict[str, Handler], realtime: LocalCloud, management_api: ManagementApi
) -> None:
    reply = Client(handlers, "ghost").send({"action": "subscribe", "topics": ["health"]})
    assert reply["statusCode"] == 410
    assert management_api.posts["ghost"][-1]["payload"]["field"] == "connection"
    assert index_rows() == set()


def test_disconnect_forgets_everything(client: Callable[[str, str], Client]) -> None:
    a, b = client("a1", "acme"), client("b1", "acme")
    a.send({"action": "subscribe", "topics": ["notifications", "dataset:d1"]})
    b.send({"action": "subscribe", "topics": ["notifications"]})
    assert a.disconnect() == {"statusCode": 200}
    assert connections.get_connection("a1") is None
    assert index_rows() == {("TOPIC#acme#notifications", "CONN#b1")}
    assert a.disconnect() == {"statusCode": 200}


def test_janitor_prunes_connections_past_the_two_hour_limit(
    handlers: dict[str, Handler], client: Callable[[str, str], Client]
) -> None:
    fresh = client("fresh", "acme")
    fresh.send({"action": "subscribe", "topics": ["health"]})
    now = dt.datetime.now(dt.UTC)
    old = connections.save_connection("old", "acme", now - dt.timedelta(hours=3), now + dt.timedelta(hours=1))
    connections.add_topics(old, ["health"])

    assert handlers["janitor"]({}, LambdaContext())["pruned"] == 1
    assert connections.subscriber_ids("acme", "health") == ["fresh"]
    assert handlers["janitor"]({}, LambdaContext())["pruned"] == 0


def test_publish_needs_an_endpoint_only_when_someone_listens(
    client: Callable[[str, str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    client("a1", "acme").send({"action": "subscribe", "topics": ["notifications"]})
    monkeypatch.delenv("TW_WS_MANAGEMENT_ENDPOINT")
    reset_clients()
    assert publish("acme", "health", "health", {}) == 0
    with pytest.raises(RealtimeNotConfigured):
        publish("acme", "notifications", "notification", {})
    with pytest.raises(ValueError, match="unknown topic"):
        publish("acme", "news", "notification", {})
