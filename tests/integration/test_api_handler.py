"""The API Lambda handler driven by real API Gateway REST proxy events, against the provisioned cloud."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
from tradewind.services import apikeys

from bench.apigw import LambdaContext, rest_event
from infra.local.cloud import LocalCloud


@pytest.fixture
def invoke(clean_cloud: LocalCloud) -> Any:
    from functions.api import handler

    def call(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return dict(handler.handler(rest_event(method, path, **kwargs), LambdaContext()))

    return call


def _json(response: dict[str, Any]) -> Any:
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body)
        if response["headers"].get("content-encoding") == "gzip":
            body = gzip.decompress(body)
    return json.loads(body)


def test_health_ready_through_api_gateway(invoke: Any) -> None:
    r = invoke("GET", "/health/ready")
    assert r["statusCode"] == 200
    assert _json(r)["status"] == "ok"
    assert set(_json(r)["checks"]) == {"dynamodb", "s3"}


def test_request_id_defaults_to_the_gateway_request_id(invoke: Any) -> None:
    event = rest_event("GET", "/health")
    from functions.api import handler

    r = handler.handler(event, LambdaContext())
    assert r["headers"]["x-request-id"] == event["requestContext"]["requestId"]
    assert invoke("GET", "/health", headers={"X-Request-Id": "mine-1"})["headers"]["x-request-id"] == "mine-1"


def test_authenticated_watchlist_flow(invoke: Any) -> None:
    key = apikeys.create_api_key("acme", "integration").secret
    auth = {"Authorization": f"Bearer {key}"}
    assert invoke("GET", "/watchlists")["statusCode"] == 401
    created = invoke("POST", "/watchlists", headers=auth, body={"name": "tech", "symbols": ["aapl"]})
    assert created["statusCode"] == 201
    wid = _json(created)["watchlist_id"]
    added = invoke("POST", f"/watchlists/{wid}/symbols", headers=auth, body={"symbol": "msft"})
    assert _json(added)["symbols"] == ["AAPL", "MSFT"]
    listed = invoke("GET", "/watchlists", headers=auth, query={"limit": "10"})
    assert [w["watchlist_id"] for w in _json(listed)["items"]] == [wid]
    bad = invoke("POST", "/watchlists", headers=auth, body={"name": "x", "symbols": ["a b"]})
    assert bad["statusCode"] == 422
    assert bad["headers"]["content-type"] == "application/problem+json"
    assert _json(bad)["errors"][0]["loc"] == ["body", "symbols", 0]


def test_large_responses_are_gzipped_through_mangum(invoke: Any) -> None:
    r = invoke("GET", "/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert r["headers"]["content-encoding"] == "gzip"
    assert r["isBase64Encoded"] is True
    assert "/watchlists" in _json(r)["paths"]


def test_docs_behind_a_stage_load_the_staged_openapi(invoke: Any) -> None:
    page = invoke("GET", "/docs")
    assert page["statusCode"] == 200
    assert "/prod/openapi.json" in page["body"]
    assert "/prod/docs-assets/swagger-ui-bundle.js" in page["body"]  # served by the app, no CDN
    assert invoke("GET", "/docs-assets/swagger-ui-bundle.js")["statusCode"] == 200
    doc = _json(invoke("GET", "/openapi.json", stage="prod"))
    assert doc["servers"] == [{"url": "/prod"}]


def test_system_status_reports_every_resource_and_a_dead_letter_backlog(invoke: Any) -> None:
    """GET /health/system probes the provisioned resources; a failed message makes its DLQ not ok."""
    import boto3

    auth = {"Authorization": f"Bearer {apikeys.create_api_key('acme', 'system').secret}"}
    assert invoke("GET", "/health/system")["statusCode"] == 401
    status = _json(invoke("GET", "/health/system", headers=auth))
    kinds = {(c["kind"], c["role"]): c for c in status["components"]}
    assert set(kinds) == {
        ("table", "main"),
        ("table", "connections"),
        ("bucket", "data"),
        ("bucket", "artifacts"),
        ("queue", "import"),
        ("queue", "pipeline"),
        ("dead_letter_queue", "import"),
        ("dead_letter_queue", "pipeline"),
        ("state_machine", "jobs"),
        ("state_machine", "seed"),
    }
    assert status["ok"] is True, [c for c in status["components"] if not c["ok"]]
    assert kinds[("dead_letter_queue", "import")]["depth"] == 0

    sqs = boto3.session.Session(region_name="us-east-1").client("sqs")
    sqs.send_message(QueueUrl=kinds[("dead_letter_queue", "import")]["resource"], MessageBody="{}")
    status = _json(invoke("GET", "/health/system", headers=auth))
    dead = next(c for c in status["components"] if (c["kind"], c["role"]) == ("dead_letter_queue", "import"))
    assert (status["ok"], dead["ok"], dead["depth"]) == (False, False, 1)
