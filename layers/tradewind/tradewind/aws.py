"""Lazily created, cached boto3 clients.

Nothing connects at import time (cold starts stay short and tests can point the environment at moto
first). ``AWS_ENDPOINT_URL`` — honoured by boto3 itself — sends every client to the local cloud;
the WebSocket management client always takes its endpoint from settings instead.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from tradewind.settings import get_settings


@cache
def client(service: str) -> Any:
    """A boto3 client for ``service`` in the configured region, created on first use."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=32)
    return boto3.session.Session().client(service, region_name=get_settings().region, config=config)


@lru_cache(maxsize=8)
def management_client(endpoint_url: str) -> Any:
    """The API Gateway management API client that posts to WebSocket connections."""
    import boto3

    return boto3.session.Session().client(
        "apigatewaymanagementapi", endpoint_url=endpoint_url, region_name=get_settings().region
    )


def reset_clients() -> None:
    """Forget cached clients and settings (tests that switch environments call this)."""
    client.cache_clear()
    management_client.cache_clear()
    get_settings.cache_clear()
