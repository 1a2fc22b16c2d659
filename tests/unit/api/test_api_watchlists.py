"""Watchlists over the API: CRUD, symbol normalization and validation, limits, paging, concurrency."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tradewind.data.models import WatchlistRecord
from tradewind.services import watchlists


def _create(api: TestClient, h: dict[str, str], name: str = "tech", symbols: list[str] | None = None) -> str:
    r = api.post("/watchlists", json={"name": name, "symbols": symbols or []}, headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["watchlist_id"])


def test_crud_roundtrip(api: TestClient, h: dict[str, str]) -> None:
    created = api.post(
        "/watchlists", json={"name": "tech", "symbols": ["aapl", " msft ", "brk.b"]}, headers=h
    )
    assert created.status_code == 201
    body = created.json()
    assert body["symbols"] == ["AAPL", "MSFT", "BRK.B"]
    url = f"/watchlists/{body['watchlist_id']}"
    assert api.get(url, headers=h).json() == body

    replaced = api.put(url, json={"name": "big tech", "symbols": ["GOOG"]}, headers=h).json()
    assert (replaced["name"], replaced["symbols"]) == ("big tech", ["GOOG"])
    assert replaced["created_at"] == body["created_at"]
    assert replaced["updated_at"] >= body["updated_at"]

    assert api.delete(url, headers=h).status_code == 204
    assert api.get(url, headers=h).status_code == 404
    assert api.delete(url, headers=h).status_code == 404


def test_add_and_remove_symbols_are_idempotent(api: TestClient, h: dict[str, str]) -> None:
    url = f"/watchlists/{_create(api, h, symbols=['AAPL'])}"
    assert api.post(f"{url}/symbols", json={"symbol": "msft"}, headers=h).json()["symbols"] == [
        "AAPL",
        "MSFT",
    ]
    again = api.post(f"{url}/symbols", json={"symbol": "MSFT"}, headers=h)
    assert (again.status_code, again.json()["symbols"]) == (200, ["AAPL", "MSFT"])
    assert api.delete(f"{url}/symbols/aapl", headers=h).json()["symbols"] == ["MSFT"]
    assert api.delete(f"{url}/symbols/AAPL", headers=h).json()["symbols"] == ["MSFT"]


def test_symbol_validation_names_the_field(api: TestClient, h: dict[str, str]) -> None:
    url = f"/watchlists/{_create(api, h)}"
    r = api.post(f"{url}/symbols", json={"symbol": "NO SPACES"}, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "symbol"])
    r = api.delete(f"{url}/symbols/A%23B", headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["path", "symbol"])
    r = api.post("/watchlists", json={"name": "dup", "symbols": ["AAPL", "MSFT", "aapl"]}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"loc": ["body", "symbols", 2], "msg": "duplicate symbol 'AAPL'", "type": "value_error"}
    ]
    r = api.get("/watchlists/bad%23id", headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["path", "watchlist_id"])


def test_size_limits(api: TestClient, h: dict[str, str]) -> None:
    too_many = [f"S{i}" for i in range(watchlists.MAX_SYMBOLS + 1)]
    r = api.post("/watchlists", json={"name": "huge", "symbols": too_many}, headers=h)
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "symbols"])
    url = f"/watchlists/{_create(api, h, symbols=too_many[:-1])}"
    r = api.post(f"{url}/symbols", json={"symbol": "ONEMORE"}, headers=h)
    assert r.status_code == 409
    assert "at most" in r.json()["detail"]


def test_tenant_watchlist_count_is_capped(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watchlists, "MAX_WATCHLISTS", 2)
    _create(api, h, "one")
    _create(api, h, "two")
    r = api.post("/watchlists", json={"name": "three"}, headers=h)
    assert (r.status_code, r.json()["title"]) == (409, "Conflict")


def test_listing_pages_with_next_token(api: TestClient, h: dict[str, str], other_key: str) -> None:
    ids = {_create(api, h, f"w{i}") for i in range(5)}
    seen: list[str] = []
    token = None
    for _ in range(5):
        params: dict[str, str | int] = {"limit": 2, **({"next_token": token} if token else {})}
        page = api.get("/watchlists", params=params, headers=h).json()
        assert len(page["items"]) <= 2
        seen += [w["watchlist_id"] for w in page["items"]]
        token = page["next_token"]
        if not token:
            break
    assert sorted(seen) == sorted(ids)

    first = api.get("/watchlists", params={"limit": 2}, headers=h).json()
    stolen = api.get(
        "/watchlists", params={"next_token": first["next_token"]}, headers={"X-Api-Key": other_key}
    )
    assert (stolen.status_code, stolen.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])
    garbage = api.get("/watchlists", params={"next_token": "!!!"}, headers=h)
    assert (garbage.status_code, garbage.json()["errors"][0]["loc"]) == (422, ["query", "next_token"])


def test_a_concurrent_edit_is_retried_not_lost(
    api: TestClient, h: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wid = _create(api, h, symbols=["AAPL"])
    real_get = watchlists._get
    raced: list[bool] = []

    def get_then_lose_the_race(tenant_id: str, watchlist_id: str) -> WatchlistRecord:
        record = real_get(tenant_id, watchlist_id)
        if not raced:  # another writer saves between our read and our write
            raced.append(True)
            other = real_get(tenant_id, watchlist_id)
            other.symbols = [*other.symbols, "TSLA"]
            other.save()
        return record

    monkeypatch.setattr(watchlists, "_get", get_then_lose_the_race)
    r = api.post(f"/watchlists/{wid}/symbols", json={"symbol": "MSFT"}, headers=h)
    assert r.json()["symbols"] == ["AAPL", "TSLA", "MSFT"]
