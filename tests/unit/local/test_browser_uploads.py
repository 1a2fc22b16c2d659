"""``make run`` lets the dashboard PUT uploads to the embedded moto S3 (another origin): the data
bucket's CORS rule gains the server's own origins, keeping the template's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from tradewind import aws

from infra.local.server import allow_browser_uploads, local_origins


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    aws.reset_clients()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="data")
        yield client
    aws.reset_clients()


def test_local_origins_cover_both_loopback_names() -> None:
    assert local_origins("127.0.0.1", 8123) == ["http://127.0.0.1:8123", "http://localhost:8123"]
    assert local_origins("10.0.0.5", 80) == ["http://10.0.0.5:80"]


def test_the_servers_origins_join_the_templates_upload_rule(s3: Any) -> None:
    template_rule = {
        "AllowedMethods": ["PUT", "GET", "HEAD"],
        "AllowedOrigins": ["http://localhost:5173"],
        "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 3000,
    }
    s3.put_bucket_cors(Bucket="data", CORSConfiguration={"CORSRules": [template_rule]})
    allow_browser_uploads("data", ["http://127.0.0.1:8123"])
    (rule,) = s3.get_bucket_cors(Bucket="data")["CORSRules"]
    assert rule["AllowedOrigins"] == ["http://127.0.0.1:8123", "http://localhost:5173"]
    assert rule["AllowedMethods"] == ["PUT", "GET", "HEAD"]


def test_a_bucket_without_cors_gets_an_upload_rule(s3: Any) -> None:
    allow_browser_uploads("data", ["http://127.0.0.1:8123"])
    (rule,) = s3.get_bucket_cors(Bucket="data")["CORSRules"]
    assert (rule["AllowedMethods"], rule["AllowedOrigins"]) == (["PUT"], ["http://127.0.0.1:8123"])
