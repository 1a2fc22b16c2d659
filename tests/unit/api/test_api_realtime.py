"""``POST /realtime/tickets``: a single-use WebSocket ticket for the caller's key, never the key itself."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import reset_clients
from tradewind.realtime import service
from tradewind.realtime.tickets import TICKET_TTL_SECONDS
from tradewind.services import apikeys


def test_a_ticket_is_issued_for_the_callers_key(
    api: TestClient, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TW_WS_URL", "wss://ws.example.com/prod")
    reset_clients()
    r = api.post("/realtime/tickets", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert set(body) == {"ticket", "expires_in", "url"}
    assert body["expires_in"] == TICKET_TTL_SECONDS
    assert body["url"] == f"wss://ws.example.com/prod?ticket={body['ticket']}"
    assert key not in r.text
    accepted = service.connect("c1", body["ticket"])
    assert accepted.tenant_id == "acme"
    assert accepted.key_id == key.split("_")[1]


def test_x_api_key_works_too_and_each_ticket_differs(api: TestClient, other_key: str) -> None:
    first = api.post("/realtime/tickets", headers={"X-Api-Key": other_key}).json()
    second = api.post("/realtime/tickets", headers={"X-Api-Key": other_key}).json()
    assert first["ticket"] != second["ticket"]
    assert first["url"] is None  # no TW_WS_URL in this environment
    assert service.connect("c1", first["ticket"]).tenant_id == "globex"


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "tw_000000000000_guess"}])
def test_no_ticket_without_a_valid_key(api: TestClient, headers: dict[str, str]) -> None:
    r = api.post("/realtime/tickets", headers=headers)
    assert r.status_code == 401
    assert "ticket" not in r.json()


def test_no_ticket_for_a_key_revoked_in_another_process(api: TestClient, key: str) -> None:
    """The route checks the key past the resolution cache (another Lambda may have revoked it)."""
    headers = {"Authorization": f"Bearer {key}"}
    assert api.post("/realtime/tickets", headers=headers).status_code == 201  # now cached as valid
    grant = apikeys.resolve(key)
    apikeys.revoke("acme", key.split("_")[1])
    apikeys._cache[apikeys.hash_secret(key)] = grant  # this process still believes it valid
    r = api.post("/realtime/tickets", headers=headers)
    assert r.status_code == 401
    assert "revoked" in r.json()["detail"]
