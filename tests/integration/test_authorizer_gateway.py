"""The REST API as API Gateway runs it: the authorizer Lambda's answer, then the api Lambda reading
the caller from the authorizer context (no credential re-verified there), against the provisioned cloud."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tradewind.accounts.principal import Role
from tradewind.services import apikeys

from bench.apigw import LambdaContext, rest_event
from infra.local.cloud import LocalCloud

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/jobs"


def authorize(headers: dict[str, str]) -> dict[str, Any]:
    from functions.authorizer import handler

    event = {"type": "REQUEST", "methodArn": METHOD_ARN, "headers": headers, "path": "/jobs"}
    return dict(handler.handler(event, LambdaContext()))


def _json(response: dict[str, Any]) -> Any:
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body)
        if response["headers"].get("content-encoding") == "gzip":
            body = gzip.decompress(body)
    return json.loads(body)


def test_a_key_is_allowed_on_the_whole_stage_with_the_caller_as_context(clean_cloud: LocalCloud) -> None:
    key = apikeys.create_api_key("acme", "gw", Role.RESEARCHER, ("jobs",))
    answer = authorize({"X-Api-Key": key.secret})
    assert answer["principalId"] == f"key:{key.key_id}"
    (statement,) = answer["policyDocument"]["Statement"]
    assert (statement["Effect"], statement["Resource"]) == (
        "Allow",
        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*",
    )
    assert answer["context"]["org_id"] == "acme"
    assert answer["context"]["role"] == "researcher"
    assert answer["context"]["scopes"] == "jobs"


def test_missing_invalid_or_expired_credentials_are_401(clean_cloud: LocalCloud) -> None:
    expired = apikeys.create_api_key("acme", "old", valid_until=datetime.now(UTC) - timedelta(seconds=1))
    for headers in ({}, {"X-Api-Key": "tw_000000000000_nobody"}, {"X-Api-Key": expired.secret}):
        with pytest.raises(Exception, match=r"^Unauthorized$"):  # API Gateway's signal for 401
            authorize(headers)


def test_another_organisation_is_an_explicit_deny(clean_cloud: LocalCloud) -> None:
    key = apikeys.create_api_key("acme", "gw")
    answer = authorize({"X-Api-Key": key.secret, "X-Org-Id": "globex"})
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert "context" not in answer


def test_the_api_lambda_takes_the_caller_from_the_authorizer_context(clean_cloud: LocalCloud) -> None:
    from functions.api import handler

    key = apikeys.create_api_key("acme", "viewer", Role.VIEWER)
    context = authorize({"Authorization": f"Bearer {key.secret}"})["context"]

    def call(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        event = rest_event(method, path, **kwargs)
        event["requestContext"]["authorizer"] = {**context, "principalId": f"key:{key.key_id}"}
        return dict(handler.handler(event, LambdaContext()))

    me = call("GET", "/me")  # no credential header: the gateway already verified it
    assert me["statusCode"] == 200, me
    assert (_json(me)["actor"], _json(me)["role"]) == (f"key:{key.key_id}", "viewer")
    refused = call("POST", "/watchlists", body={"name": "w", "symbols": []})
    assert refused["statusCode"] == 403
    assert "'researcher'" in _json(refused)["detail"]
