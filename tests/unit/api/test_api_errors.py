"""The one error model, request ids, GZip, CORS and the OpenAPI document."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tradewind.api.app import create_app
from tradewind.api.auth import Tenant
from tradewind.api.observability import logger
from tradewind.errors import Conflict

PROBLEM = "application/problem+json"


def test_validation_error_names_every_bad_field(api: TestClient, key: str) -> None:
    r = api.post(
        "/watchlists", json={"name": "", "symbols": ["ok", "bad#sym", 7]}, headers={"X-Api-Key": key}
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 422
    assert body["title"] == "Invalid input"
    assert body["instance"] == "/watchlists"
    locs = [e["loc"] for e in body["errors"]]
    assert ["body", "name"] in locs
    assert ["body", "symbols", 1] in locs
    assert ["body", "symbols", 2] in locs
    assert all(e["msg"] and e["type"] for e in body["errors"])
    assert body["request_id"] == r.headers["x-request-id"]


def test_malformed_json_is_a_400_naming_the_body(api: TestClient, key: str) -> None:
    r = api.post(
        "/watchlists", content=b"{not json", headers={"X-Api-Key": key, "Content-Type": "application/json"}
    )
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM)
    assert r.json()["errors"][0]["loc"] == ["body"]


def test_query_validation_names_the_parameter(api: TestClient, key: str) -> None:
    r = api.get("/watchlists?limit=0", headers={"X-Api-Key": key})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]


def test_unknown_route_and_method_are_problems(api: TestClient) -> None:
    r = api.get("/no-such-thing")
    assert (r.status_code, r.headers["content-type"], r.json()["title"]) == (404, PROBLEM, "Not Found")
    r = api.post("/health")
    assert (r.status_code, r.headers["content-type"]) == (405, PROBLEM)
    assert r.headers["allow"] == "GET"


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy_routes"])
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/watchlists/w1", "DELETE, GET, PUT"),
        ("PATCH", "/watchlists", "GET, POST"),
        ("PUT", "/strategies/s1/versions", "GET"),
        ("GET", "/watchlists/w1/symbols", "POST"),
    ],
)
def test_a_405_allows_every_method_of_the_path(
    aws: None, key: str, lazy: bool, method: str, path: str, allowed: str
) -> None:
    client = TestClient(create_app(lazy_routes=lazy), raise_server_exceptions=False)
    r = client.request(method, path, headers={"X-Api-Key": key})
    assert (r.status_code, r.headers["content-type"]) == (405, PROBLEM)
    assert r.headers["allow"] == allowed


@pytest.fixture
def raising_client(aws: None) -> TestClient:
    app = create_app()

    def boom() -> None:
        raise RuntimeError("database password is hunter2")

    def conflict() -> None:
        raise Conflict("already there")

    def boom_for(tenant: Tenant) -> None:
        raise RuntimeError(f"failed for {tenant}")

    app.add_api_route("/boom", boom)
    app.add_api_route("/boom-for-tenant", boom_for)
    app.add_api_route("/conflict", conflict)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """What the API's Powertools logger writes (its JSON lines), captured."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_unexpected_error_is_a_500_that_leaks_nothing(
    raising_client: TestClient, log_stream: io.StringIO
) -> None:
    r = raising_client.get("/boom", headers={"X-Request-Id": "req-42"})
    assert r.status_code == 500
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["x-request-id"] == "req-42"
    body = r.json()
    assert body["request_id"] == "req-42"
    assert "hunter2" not in r.text
    assert "RuntimeError" not in r.text
    (line,) = [json.loads(x) for x in log_stream.getvalue().splitlines() if "unhandled" in x]
    assert line["request_id"] == "req-42"
    assert "hunter2" in line["exception"]  # the log keeps what the client must not see


def test_log_lines_carry_request_and_tenant_ids(
    raising_client: TestClient, key: str, log_stream: io.StringIO
) -> None:
    r = raising_client.get("/boom-for-tenant", headers={"X-Api-Key": key, "X-Request-Id": "req-7"})
    assert r.status_code == 500
    (line,) = [json.loads(x) for x in log_stream.getvalue().splitlines() if "unhandled" in x]
    assert (line["request_id"], line["tenant_id"]) == ("req-7", "acme")


def test_domain_error_takes_its_status_from_the_class(raising_client: TestClient) -> None:
    r = raising_client.get("/conflict")
    assert r.status_code == 409
    assert r.json() | {"request_id": None} == {
        "type": "urn:tradewind:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "already there",
        "instance": "/conflict",
        "request_id": None,
        "errors": [],
    }


def test_request_id_is_honoured_or_generated(api: TestClient) -> None:
    assert api.get("/health", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = api.get("/health", headers={"X-Request-Id": "not a valid id!"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert api.get("/health").headers["x-request-id"] != generated


def test_large_responses_are_gzipped(api: TestClient) -> None:
    big = api.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert big.headers.get("content-encoding") == "gzip"
    assert big.json()["openapi"].startswith("3.")
    small = api.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_cors_allows_only_configured_origins(api: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key"}
    ok = api.options("/watchlists", headers={"Origin": "https://app.example.com", **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://app.example.com"
    denied = api.options("/watchlists", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in denied.headers
    simple = api.get("/health", headers={"Origin": "https://app.example.com"})
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


def test_openapi_documents_security_and_problems(api: TestClient) -> None:
    doc = api.get("/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    assert schemes["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "`X-Api-Key: tw_...`",
    }
    post = doc["paths"]["/watchlists"]["post"]
    for code in ("401", "422", "500"):
        assert post["responses"][code]["content"][PROBLEM]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert set(doc["components"]["schemas"]["Problem"]["properties"]) >= {"type", "title", "status", "errors"}
    assert api.get("/docs").status_code == 200
