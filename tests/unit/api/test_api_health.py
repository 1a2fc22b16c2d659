"""Health routes: free liveness, real readiness probes, build info; none needs a key."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tradewind.aws import client
from tradewind.settings import get_settings
from tradewind.version import __version__


def test_health_and_live_are_ok_without_a_key(api: TestClient) -> None:
    assert api.get("/health").json() == {"status": "ok"}
    assert api.get("/health/live").json() == {"status": "ok"}


def test_ready_probes_dynamodb_and_s3(api: TestClient) -> None:
    settings = get_settings()
    r = api.get("/health/ready")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "checks": {
            "dynamodb": {"ok": True, "detail": settings.table_name},
            "s3": {"ok": True, "detail": settings.data_bucket},
        },
    }


def test_ready_is_503_naming_a_missing_bucket(api: TestClient) -> None:
    bucket = get_settings().data_bucket
    client("s3").delete_bucket(Bucket=bucket)
    r = api.get("/health/ready")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["detail"] == "not ready: s3"
    assert [e["loc"] for e in body["errors"]] == [["dependencies", "s3"]]
    assert bucket in body["errors"][0]["msg"]


def test_ready_is_503_naming_a_missing_table(api: TestClient) -> None:
    client("dynamodb").delete_table(TableName=get_settings().table_name)
    r = api.get("/health/ready")
    assert r.status_code == 503
    assert r.json()["detail"] == "not ready: dynamodb"
    assert "ResourceNotFoundException" in r.json()["errors"][0]["msg"]


def test_info_reports_the_build(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_COMMIT", "abc1234")
    assert api.get("/health/info").json() == {
        "version": __version__,
        "commit": "abc1234",
        "stage": "local",
        "region": "us-east-1",
    }
