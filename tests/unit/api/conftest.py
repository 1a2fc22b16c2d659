"""Fixtures for API tests: moto as the AWS, the main table and data bucket, an app client and keys.

Tables are created from the pynamodb models (same keys and index as the CDK table) until tests use
the shared ``cloud`` fixture provisioned from the synthesized template.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from tradewind.aws import client, reset_clients
from tradewind.services import apikeys

if TYPE_CHECKING:
    import pandas as pd

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


@pytest.fixture
def h(key: str) -> dict[str, str]:
    """The headers of tenant ``acme``'s requests."""
    return {"X-Api-Key": key}


@pytest.fixture
def other(other_key: str) -> dict[str, str]:
    """The headers of tenant ``globex``'s requests."""
    return {"X-Api-Key": other_key}


@pytest.fixture
def machine(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The jobs' artifacts bucket and state machine (``jobs_support.provision``): the machine's ARN."""
    from tests.unit.api.jobs_support import provision

    return provision(monkeypatch)


@pytest.fixture
def data(machine: str) -> tuple[str, dict[str, pd.DataFrame]]:
    """A ready dataset of tenant ``acme`` (``jobs_support.ready_dataset``): its id and the bars."""
    from tests.unit.api.jobs_support import ready_dataset

    return ready_dataset("acme")
