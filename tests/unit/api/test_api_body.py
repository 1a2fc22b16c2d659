"""Request bodies: bounded in size (413) and parsed into one error model (400 when not JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tradewind.api.app import create_app
from tradewind.settings import get_settings

PROBLEM = "application/problem+json"
LIMIT = 1024 * 1024


def _big_watchlist(size: int) -> bytes:
    return json.dumps({"name": "big", "symbols": [], "padding": "x" * size}).encode()


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_the_default_limit_is_1_mib() -> None:
    assert get_settings().max_request_body_bytes == LIMIT


def test_a_declared_length_over_the_limit_is_a_413_before_anything_reads_it(
    api: TestClient, key: str
) -> None:
    r = api.post(
        "/watchlists",
        content=_big_watchlist(LIMIT),
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    assert (r.status_code, r.headers["content-type"]) == (413, PROBLEM)
    body = r.json()
    assert body["title"] == "Content too large"
    assert "1,048,576 bytes" in body["detail"]
    assert body["errors"] == [{"loc": ["body"], "msg": body["detail"], "type": "too_large"}]
    assert body["request_id"] == r.headers["x-request-id"]


def test_the_limit_applies_before_authentication(api: TestClient) -> None:
    r = api.post(
        "/strategies", content=_big_watchlist(2 * LIMIT), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_a_body_no_operation_reads_is_ignored_not_refused(api: TestClient, key: str) -> None:
    """GET and DELETE take no body: it is never read, and their documented statuses hold (no 413)."""
    r = api.request("GET", "/watchlists", content=_big_watchlist(LIMIT), headers={"X-Api-Key": key})
    assert r.status_code == 200


def test_a_chunked_body_is_counted_as_it_streams(api: TestClient, key: str) -> None:
    r = api.post(
        "/watchlists",
        content=_chunks(_big_watchlist(LIMIT)),
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    assert (r.status_code, r.headers["content-type"]) == (413, PROBLEM)
    assert r.json()["errors"][0]["loc"] == ["body"]


def test_a_body_within_the_limit_goes_through(api: TestClient, key: str) -> None:
    h = {"X-Api-Key": key, "Content-Type": "application/json"}
    r = api.post(
        "/watchlists", content=_chunks(json.dumps({"name": "w", "symbols": ["AAPL"]}).encode()), headers=h
    )
    assert r.status_code == 201, r.text


def test_the_limit_is_a_setting(aws: None, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("TW_MAX_REQUEST_BODY_BYTES", "100")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app(), raise_server_exceptions=False)
        r = client.post("/watchlists", json={"name": "x" * 100}, headers={"X-Api-Key": key})
    finally:
        get_settings.cache_clear()
    assert r.status_code == 413
    assert "100 bytes" in r.json()["detail"]


def test_a_strategy_document_at_its_own_limit_fits_in_a_request() -> None:
    from tradewind.services.strategies import MAX_DOCUMENT_BYTES

    assert MAX_DOCUMENT_BYTES * 4 < LIMIT  # room for a pretty-printed document and the request around it


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("body", "msg"),
    [
        (b"{not json", "Expecting property name enclosed in double quotes"),
        (b'{"name": "a"', "Expecting ',' delimiter"),
        (b'{"name": "\xff"}', "not UTF-8"),
        (b'{"of": ' + _nested(100_000) + b"}", "nested too deeply"),
    ],
    ids=["syntax", "truncated", "encoding", "nesting"],
)
def test_a_body_that_is_not_json_is_a_400_naming_the_body(
    api: TestClient, key: str, body: bytes, msg: str
) -> None:
    r = api.post("/watchlists", content=body, headers={"X-Api-Key": key, "Content-Type": "application/json"})
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM)
    problem = r.json()
    assert problem["title"] == "Malformed body"
    (error,) = problem["errors"]
    assert error["loc"] == ["body"]
    assert error["type"] == "json_invalid"
    assert msg in error["msg"]


def test_deep_but_parseable_json_is_a_4xx_not_a_500(api: TestClient, key: str) -> None:
    h = {"X-Api-Key": key, "Content-Type": "application/json"}
    for depth in (200, 900):
        condition: dict[str, object] = {"op": ">", "left": "close", "right": 1}
        for _ in range(depth):
            condition = {"op": "not", "of": condition}
        doc = {"name": "deep", "rules": [{"id": "r", "when": condition, "action": "buy"}]}
        for path in ("/strategies/validate", "/strategies/import"):
            r = api.post(path, content=json.dumps(doc).encode(), headers=h)
            assert 200 <= r.status_code < 500, (depth, path, r.status_code)
            if r.status_code >= 400:
                assert r.json()["errors"], (depth, path)
