"""Presigned URLs: in AWS on the region's virtual-hosted S3 origin (what the web app's CSP allows and
the browser's CORS preflight reaches without a redirect); locally on the embedded moto endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from tradewind import aws
from tradewind.data import objects


@pytest.fixture
def signing_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    objects._presigner.cache_clear()
    aws.reset_clients()
    yield monkeypatch
    objects._presigner.cache_clear()
    aws.reset_clients()


# The CSP's connect-src entry for uploads (infra/stack.py browser_connect_origins), per region.
def csp_allows(url: str, region: str) -> bool:
    host = urlsplit(url).netloc
    return (
        urlsplit(url).scheme == "https"
        and re.fullmatch(rf"[a-z0-9.-]+\.s3\.{re.escape(region)}\.amazonaws\.com", host) is not None
    )


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_a_put_url_in_aws_is_virtual_hosted_on_the_regional_endpoint(
    signing_env: pytest.MonkeyPatch, region: str
) -> None:
    signing_env.setenv("AWS_REGION", region)
    signing_env.setenv("AWS_DEFAULT_REGION", region)
    url = objects.presigned_url("put_object", 60, Bucket="tradewind-data-x1", Key="uploads/t/d/source.csv")
    assert urlsplit(url).netloc == f"tradewind-data-x1.s3.{region}.amazonaws.com"
    assert urlsplit(url).path == "/uploads/t/d/source.csv"
    assert csp_allows(url, region)
    assert "X-Amz-Signature=" in url


def test_china_regions_use_their_own_suffix() -> None:
    assert objects.regional_endpoint("cn-north-1") == "https://s3.cn-north-1.amazonaws.com.cn"


def test_a_local_endpoint_is_kept(signing_env: pytest.MonkeyPatch) -> None:
    signing_env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5055")
    url = objects.presigned_url("put_object", 60, Bucket="b", Key="k.csv")
    assert url.startswith("http://127.0.0.1:5055/b/k.csv?")
