"""``tradewind remote``'s local side: reading the strategy file and the saved local key, getting a
WebSocket ticket (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tradewind.cli.main import main
from tradewind.cli.remote import Endpoint, local_key, ticket_url
from tradewind.errors import TradewindError

REMOTE = ["remote", "backtest", "--api-key", "k", "--dataset", "sample", "--symbols", "AAA"]


@pytest.mark.parametrize("content", [None, "{not json", b"\xff\xfe"])
def test_an_unusable_strategy_file_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None
) -> None:
    path = tmp_path / "s.json"
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)
    assert main([*REMOTE, "--strategy", str(path)]) == 2
    err = capsys.readouterr().err
    assert "  --strategy: " in err
    assert str(path) in err


def test_the_local_key_is_read_from_the_data_directory(tmp_path: Path) -> None:
    assert local_key(tmp_path) is None
    (tmp_path / "api-key").write_text("secret\n")
    assert local_key(tmp_path) == "secret"


class Answer:
    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        self.status_code = status_code
        self._body = body
        self.text = json.dumps(body)

    def json(self) -> dict[str, Any]:
        return self._body


@pytest.fixture
def ticket_posts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, str]]]:
    """``POST /realtime/tickets`` answered without a network; records what was sent."""
    import httpx

    posts: list[tuple[str, dict[str, str]]] = []

    def post(url: str, headers: dict[str, str], timeout: float) -> Answer:
        posts.append((url, headers))
        if headers.get("Authorization") != "Bearer tw_key":
            return Answer(401, {"title": "Unauthorized", "detail": "invalid or revoked API key"})
        return Answer(201, {"ticket": "T1", "expires_in": 60, "url": "wss://ws.example/prod?ticket=T1"})

    monkeypatch.setattr(httpx, "post", post)
    return posts


def test_the_websocket_is_opened_with_a_ticket_never_the_key(ticket_posts: list[Any]) -> None:
    url = ticket_url(Endpoint("https://api.example", "tw_key"))
    assert url == "wss://ws.example/prod?ticket=T1"  # the URL the API names
    assert "tw_key" not in url
    assert ticket_posts == [("https://api.example/realtime/tickets", {"Authorization": "Bearer tw_key"})]
    assert ticket_url(Endpoint("http://127.0.0.1:8000", "tw_key", "ws://127.0.0.1:8000/ws")) == (
        "ws://127.0.0.1:8000/ws?ticket=T1"  # an explicit --ws-url / TW_WS_URL wins
    )


def test_a_refused_ticket_reports_the_apis_problem(ticket_posts: list[Any]) -> None:
    with pytest.raises(TradewindError, match="HTTP 401: invalid or revoked API key"):
        ticket_url(Endpoint("https://api.example", "tw_revoked"))


def test_the_websocket_url_defaults_to_the_apis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TW_WS_URL", raising=False)
    assert Endpoint.from_env("https://api.example/", "tw_key").ws_url is None
    monkeypatch.setenv("TW_WS_URL", "wss://ws.example/prod")
    assert Endpoint.from_env("https://api.example/", "tw_key") == Endpoint(
        "https://api.example", "tw_key", "wss://ws.example/prod"
    )
