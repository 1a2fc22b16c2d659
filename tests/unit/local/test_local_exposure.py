"""What the local stack exposes: ``@connections`` only to requests signed with the process's secret,
the API key in ``/config.json`` only to loopback callers, and a warning for a non-loopback bind."""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
import uvicorn
from botocore.exceptions import ClientError
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from infra.local.gateway import Connection, ManagementCredentials, WebSocketGateway
from infra.local.launcher import free_port
from infra.local.server import exposed_warning, is_loopback
from infra.local.web import LocalApp

CREDENTIALS = ManagementCredentials("local", "per-start-secret-known-only-to-the-process")
CONFIG = {
    "apiUrl": "http://127.0.0.1:8000",
    "wsUrl": "ws://127.0.0.1:8000/ws",
    "stage": "local",
    "apiKey": "tw_k",
}
CONNECTION_ID = base64.urlsafe_b64encode(os.urandom(10)).decode()  # as the gateway makes them ("=" too)


@dataclass
class FakeSocket:
    """Stands in for an accepted Starlette WebSocket: records what the gateway does with it."""

    sent: list[str] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    async def send_text(self, text: str) -> None:
        self.sent.append(text)

    async def send_bytes(self, data: bytes) -> None:
        self.sent.append(data.decode(errors="replace"))

    async def close(self, code: int = 1000) -> None:
        self.closed.append(code)


def local_app(tmp_path: Path) -> tuple[LocalApp, FakeSocket]:
    gateway = WebSocketGateway(runtime=None, routes={}, credentials=CREDENTIALS)  # type: ignore[arg-type]
    socket = FakeSocket()
    gateway.connections[CONNECTION_ID] = Connection(socket, "127.0.0.1", "test")  # type: ignore[arg-type]
    api = Starlette(routes=[Route("/health", lambda _: PlainTextResponse("ok"))])
    return LocalApp(api, gateway, CONFIG, tmp_path), socket


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, FakeSocket]]:
    """The composed local app on a real port (boto3 signs real HTTP requests)."""
    app, socket = local_app(tmp_path)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", socket
    server.should_exit = True
    thread.join(timeout=10)


def management(url: str, secret: str) -> Any:
    session = boto3.session.Session(
        aws_access_key_id="local", aws_secret_access_key=secret, region_name="us-east-1"
    )
    return session.client("apigatewaymanagementapi", endpoint_url=url)


def test_the_processs_own_signed_client_reaches_the_connection(served: tuple[str, FakeSocket]) -> None:
    url, socket = served
    client = management(url, CREDENTIALS.secret_key)
    client.post_to_connection(ConnectionId=CONNECTION_ID, Data=b'{"type": "pong"}')
    assert socket.sent == ['{"type": "pong"}']
    assert client.get_connection(ConnectionId=CONNECTION_ID)["Identity"]["SourceIp"] == "127.0.0.1"
    client.delete_connection(ConnectionId=CONNECTION_ID)
    assert socket.closed == [1000]
    with pytest.raises(ClientError) as gone:
        client.post_to_connection(ConnectionId=CONNECTION_ID, Data=b"{}")
    assert gone.value.response["Error"]["Code"] == "GoneException"


@pytest.mark.parametrize("method", ["POST", "GET", "DELETE"])
def test_an_unsigned_request_is_refused(served: tuple[str, FakeSocket], method: str) -> None:
    url, socket = served
    r = httpx.request(method, f"{url}/@connections/{CONNECTION_ID}", content=b'{"type": "phish"}')
    assert r.status_code == 403
    assert r.headers["x-amzn-errortype"] == "ForbiddenException"
    assert (socket.sent, socket.closed) == ([], [])


def test_a_request_signed_with_another_secret_is_refused(served: tuple[str, FakeSocket]) -> None:
    url, socket = served
    for secret in ("local", "guessed"):
        with pytest.raises(ClientError) as refused:
            management(url, secret).post_to_connection(ConnectionId=CONNECTION_ID, Data=b"{}")
        assert refused.value.response["Error"]["Code"] == "ForbiddenException"
        with pytest.raises(ClientError):
            management(url, secret).delete_connection(ConnectionId=CONNECTION_ID)
    assert (socket.sent, socket.closed) == ([], [])


def test_a_replayed_signature_does_not_carry_another_body(served: tuple[str, FakeSocket]) -> None:
    """A signature is over the body too: a captured signed request cannot post something else."""
    url, socket = served
    captured: dict[str, str] = {}
    client = management(url, CREDENTIALS.secret_key)
    client.meta.events.register(
        "before-send.*", lambda request, **_: captured.update(dict(request.headers.items())) or None
    )
    client.post_to_connection(ConnectionId=CONNECTION_ID, Data=b'{"n": 1}')
    headers = {k: v for k, v in captured.items() if k.lower() in ("authorization", "x-amz-date")}
    r = httpx.post(f"{url}/@connections/{CONNECTION_ID}", content=b'{"n": 2}', headers=headers)
    assert r.status_code == 403
    assert socket.sent == ['{"n": 1}']


def config_from(app: LocalApp, client: tuple[str, int], host: str = "127.0.0.1:8000") -> dict[str, Any]:
    with TestClient(app, base_url=f"http://{host}", client=client) as test_client:
        response = test_client.get("/config.json")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("client", "host"), [(("127.0.0.1", 5000), "127.0.0.1:8000"), (("::1", 5000), "localhost:8000")]
)
def test_config_json_gives_the_key_to_a_loopback_caller(
    tmp_path: Path, client: tuple[str, int], host: str
) -> None:
    app, _ = local_app(tmp_path)
    assert config_from(app, client, host) == CONFIG


@pytest.mark.parametrize(
    ("client", "host"),
    [
        (("192.168.1.20", 5000), "192.168.1.10:8000"),  # another machine on the LAN (--host 0.0.0.0)
        (("10.0.0.7", 5000), "127.0.0.1:8000"),  # whatever Host it claims
        (("127.0.0.1", 5000), "attacker.example:8000"),  # a page whose name was rebound to 127.0.0.1
        (("testclient", 50000), "127.0.0.1:8000"),  # not an address at all
    ],
)
def test_config_json_gives_no_key_to_anyone_else(tmp_path: Path, client: tuple[str, int], host: str) -> None:
    app, _ = local_app(tmp_path)
    config = config_from(app, client, host)
    assert "apiKey" not in config
    assert config == {k: v for k, v in CONFIG.items() if k != "apiKey"}


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("my-laptop.lan", False),
    ],
)
def test_which_binds_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_non_loopback_bind_prints_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from infra.local import server

    class Stop(Exception):
        pass

    def stop(*_args: Any) -> None:
        raise Stop

    monkeypatch.setattr(server, "EmbeddedMoto", stop)  # stop right after the argument checks
    monkeypatch.setattr(server.signal, "signal", lambda *_: None)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.setenv(name, os.environ.get(name, "x"))  # main() sets them: restored after the test
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(Stop):
        server.main(["--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert "WARNING: --host 0.0.0.0" in capsys.readouterr().err
    with pytest.raises(Stop):
        server.main(["--host", "127.0.0.1", "--data-dir", str(tmp_path)])
    assert "WARNING" not in capsys.readouterr().err
    assert "reachable from other machines" in exposed_warning("0.0.0.0", 8000)
