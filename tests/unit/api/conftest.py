"""Fixtures for API tests: moto as the AWS, the main table and data bucket, an app client and keys.

Tables are created from the pynamodb models (same keys and index as the CDK table) until tests use
the shared ``cloud`` fixture provisioned from the synthesized template.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from tradewind.aws import client, reset_clients
from tradewind.services import apikeys

TABLE = "tw-test-main"
BUCKET = "tw-test-data"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh moto account with the main table, the connections table and the data bucket."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "TW_TABLE_NAME": TABLE,
        "TW_DATA_BUCKET": BUCKET,
        "TW_CORS_ORIGINS": "https://app.example.com",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    reset_clients()
    apikeys.clear_cache()
    with mock_aws():
        from tradewind.data.models import ApiKeyRecord
        from tradewind.realtime.connections import ConnectionRecord

        ApiKeyRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
        ConnectionRecord.create_table(billing_mode="PAY_PER_REQUEST", wait=True)  # tickets, revocation
        client("s3").create_bucket(Bucket=BUCKET)
        yield
    reset_clients()
    apikeys.clear_cache()


@pytest.fixture
def api(aws: None) -> Iterator[TestClient]:
    """The app under test, talking to moto."""
    from tradewind.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def key(aws: None) -> str:
    """A valid API key of tenant ``acme``."""
    return apikeys.create_api_key("acme", "test").secret


@pytest.fixture
def other_key(aws: None) -> str:
    """A valid API key of tenant ``globex``."""
    return apikeys.create_api_key("globex", "test").secret
