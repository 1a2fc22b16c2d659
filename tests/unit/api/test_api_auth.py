"""API keys: how they are sent, stored, cached, revoked, and that tenants never see each other."""

from __future__ import annotations

import pytest
from cachetools import TLRUCache
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.errors import InvalidInput
from tradewind.services import apikeys
from tradewind.settings import get_settings


def tenant_of(grant: apikeys.KeyGrant | None) -> str | None:
    return grant.tenant_id if grant else None


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_missing_key_is_401_with_a_challenge(api: TestClient) -> None:
    r = api.get("/watchlists")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"
    assert "X-Api-Key" in r.json()["detail"]


def test_wrong_or_malformed_keys_are_401(api: TestClient, key: str) -> None:
    for headers in (
        bearer(key + "x"),
        {"X-Api-Key": "tw_000000000000_guess"},
        {"X-Api-Key": "not-even-our-format"},
        {"Authorization": f"Basic {key}"},
    ):
        r = api.get("/watchlists", headers=headers)
        assert r.status_code == 401, headers
        assert "www-authenticate" in r.headers


def test_bearer_and_header_keys_both_work(api: TestClient, key: str) -> None:
    assert api.get("/watchlists", headers=bearer(key)).status_code == 200
    assert api.get("/watchlists", headers={"X-Api-Key": key}).status_code == 200


def test_only_the_hash_of_a_secret_is_stored(aws: None) -> None:
    created = apikeys.create_api_key("acme", "ci")
    assert created.secret.startswith(f"tw_{created.key_id}_")
    items = client("dynamodb").scan(TableName=get_settings().table_name)["Items"]
    assert created.secret not in repr(items)
    assert {"S": f"APIKEY#{apikeys.hash_secret(created.secret)}"} in [i["pk"] for i in items]
    assert tenant_of(apikeys.resolve(created.secret)) == "acme"


def test_resolution_is_cached_both_ways(aws: None) -> None:
    created = apikeys.create_api_key("acme", "ci")
    unknown = "tw_000000000000_nobody"
    assert tenant_of(apikeys.resolve(created.secret)) == "acme"
    assert apikeys.resolve(unknown) is None
    table = get_settings().table_name
    client("dynamodb").delete_item(
        TableName=table,
        Key={"pk": {"S": f"APIKEY#{apikeys.hash_secret(created.secret)}"}, "sk": {"S": "APIKEY"}},
    )
    hit, grant = apikeys.cached_resolution(created.secret)
    assert (hit, tenant_of(grant)) == (True, "acme")
    assert apikeys.cached_resolution(unknown) == (True, None)
    apikeys.clear_cache()
    assert apikeys.resolve(created.secret) is None


def test_a_zero_ttl_caches_nothing(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    created = apikeys.create_api_key("acme", "ci")
    unknown = "tw_000000000000_nobody"
    with monkeypatch.context() as env:
        env.setenv("TW_API_KEY_CACHE_SECONDS", "0")
        get_settings.cache_clear()
        assert (tenant_of(apikeys.resolve(created.secret)), apikeys.resolve(unknown)) == ("acme", None)
        assert apikeys.cached_resolution(created.secret) == (False, None)
        assert apikeys.cached_resolution(unknown) == (False, None)
    get_settings.cache_clear()


def test_cache_entries_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found keys live ``api_key_cache_seconds``; unknown ones at most ``NEGATIVE_TTL_SECONDS``."""
    monkeypatch.setenv("TW_API_KEY_CACHE_SECONDS", "60")
    get_settings.cache_clear()
    now = [100.0]
    cache: TLRUCache[str, str | None] = TLRUCache(maxsize=10, ttu=apikeys.cache_expiry, timer=lambda: now[0])
    cache["h"] = "acme"
    cache["neg"] = None
    assert cache["h"] == "acme"
    assert "neg" in cache
    now[0] += apikeys.NEGATIVE_TTL_SECONDS + 1
    assert "neg" not in cache
    assert cache["h"] == "acme"
    now[0] += 60
    assert "h" not in cache
    get_settings.cache_clear()


def test_key_routes_create_list_and_revoke(api: TestClient, key: str, other_key: str) -> None:
    created = api.post("/api-keys", json={"name": "laptop"}, headers=bearer(key))
    assert created.status_code == 201
    new = created.json()
    assert api.get("/watchlists", headers=bearer(new["secret"])).status_code == 200

    listed = api.get("/api-keys", headers=bearer(key)).json()["items"]
    assert {k["name"] for k in listed} == {"test", "laptop"}
    assert all("secret" not in k for k in listed)
    assert {k["name"] for k in api.get("/api-keys", headers=bearer(other_key)).json()["items"]} == {"test"}

    assert api.delete(f"/api-keys/{new['key_id']}", headers=bearer(other_key)).status_code == 404
    assert api.delete(f"/api-keys/{new['key_id']}", headers=bearer(key)).status_code == 204
    assert api.delete(f"/api-keys/{new['key_id']}", headers=bearer(key)).status_code == 204
    r = api.get("/watchlists", headers=bearer(new["secret"]))
    assert r.status_code == 401
    assert r.json()["detail"] == "invalid or revoked API key"
    revoked = [k for k in api.get("/api-keys", headers=bearer(key)).json()["items"] if k["name"] == "laptop"]
    assert revoked[0]["revoked_at"] is not None


def test_key_listing_pages(api: TestClient, key: str, other_key: str) -> None:
    for i in range(3):
        apikeys.create_api_key("acme", f"k{i}")
    first = api.get("/api-keys", params={"limit": 2}, headers=bearer(key)).json()
    rest = api.get("/api-keys", params={"limit": 10, "next_token": first["next_token"]}, headers=bearer(key))
    names = [k["name"] for k in first["items"] + rest.json()["items"]]
    assert sorted(names) == ["k0", "k1", "k2", "test"]
    assert rest.json()["next_token"] is None
    stolen = api.get("/api-keys", params={"next_token": first["next_token"]}, headers=bearer(other_key))
    assert stolen.status_code == 422


def test_key_route_validation(api: TestClient, key: str) -> None:
    r = api.delete("/api-keys/NOT-AN-ID", headers=bearer(key))
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["path", "key_id"])
    r = api.post("/api-keys", json={"name": "x" * 65}, headers=bearer(key))
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "name"])


def test_invalid_tenant_ids_are_refused(aws: None) -> None:
    for bad in ("", "a#b", "x" * 65, "-lead"):
        with pytest.raises(InvalidInput) as caught:
            apikeys.create_api_key(bad, "k")
        assert caught.value.problems[0].loc == ["tenant_id"]


PUBLIC_PROBES = {"/health", "/health/live", "/health/ready", "/health/info"}


def test_every_route_but_the_health_probes_requires_a_key(api: TestClient) -> None:
    doc = api.get("/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            public = path in PUBLIC_PROBES
            assert bool(operation.get("security")) is not public, f"{method.upper()} {path}"


def test_tenants_cannot_reach_each_others_watchlists(api: TestClient, key: str, other_key: str) -> None:
    mine = api.post("/watchlists", json={"name": "mine", "symbols": ["AAPL"]}, headers=bearer(key)).json()
    url = f"/watchlists/{mine['watchlist_id']}"
    intruder = bearer(other_key)
    assert api.get(url, headers=intruder).status_code == 404
    assert api.put(url, json={"name": "pwned", "symbols": []}, headers=intruder).status_code == 404
    assert api.post(f"{url}/symbols", json={"symbol": "EVIL"}, headers=intruder).status_code == 404
    assert api.delete(f"{url}/symbols/AAPL", headers=intruder).status_code == 404
    assert api.delete(url, headers=intruder).status_code == 404
    assert api.get("/watchlists", headers=intruder).json()["items"] == []
    assert api.get(url, headers=bearer(key)).json() == mine
    not_found = api.get(url, headers=intruder).json()
    missing = api.get("/watchlists/doesnotexist", headers=intruder).json()
    assert not_found["detail"].replace(mine["watchlist_id"], "ID") == missing["detail"].replace(
        "doesnotexist", "ID"
    )
