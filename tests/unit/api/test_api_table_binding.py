"""Models bind to the table, region and endpoint of the *current* settings, at first use."""

from __future__ import annotations

import pytest
from tradewind.aws import reset_clients
from tradewind.data.models import ApiKeyRecord, WatchlistRecord


def test_models_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_TABLE_NAME", "first-table")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    reset_clients()
    connection = ApiKeyRecord._get_connection()
    assert connection.table_name == "first-table"
    assert (ApiKeyRecord.Meta.region, ApiKeyRecord.Meta.host) == ("eu-west-1", "http://127.0.0.1:4566")
    assert WatchlistRecord._get_connection().table_name == "first-table"

    monkeypatch.setenv("TW_TABLE_NAME", "second-table")
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    reset_clients()
    assert ApiKeyRecord._get_connection().table_name == "second-table"
    assert WatchlistRecord._get_connection().table_name == "second-table"
    assert ApiKeyRecord.Meta.host is None
    reset_clients()
