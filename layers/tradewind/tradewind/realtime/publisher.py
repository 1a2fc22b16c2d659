"""Delivery through the API Gateway management API: ``publish`` to a topic, ``send`` to one connection,
``hang_up`` to close one.

A connection that answers 410 Gone has closed without a ``$disconnect`` reaching us (API Gateway
delivers that event on a best-effort basis), so it is pruned on the spot. Any other failure is
logged and skipped: one broken client must never stop the others from receiving a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from tradewind.aws import management_client
from tradewind.realtime import connections
from tradewind.realtime.messages import encode, envelope
from tradewind.realtime.topics import check_topic
from tradewind.settings import get_settings

logger = Logger(child=True)

MAX_PARALLEL_POSTS = 8
"""Fan-out posts in flight at once: one slow connection should not delay the rest."""


class Delivery(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"
    FAILED = "failed"


class RealtimeNotConfigured(RuntimeError):
    """There are subscribers but no management endpoint to reach them (``TW_WS_MANAGEMENT_ENDPOINT``)."""


def configured_endpoint() -> str:
    endpoint = get_settings().ws_management_endpoint
    if not endpoint:
        raise RealtimeNotConfigured("TW_WS_MANAGEMENT_ENDPOINT is not set")
    return endpoint


def _call(operation: str, endpoint: str, connection_id: str, **kwargs: Any) -> Delivery:
    """One management API call on one connection, classified (never raises for AWS errors)."""
    try:
        getattr(management_client(endpoint), operation)(ConnectionId=connection_id, **kwargs)
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if exc.response.get("Error", {}).get("Code") == "GoneException" or status == 410:
            return Delivery.GONE
        logger.warning(f"{operation} failed", connection_id=connection_id, error=str(exc))
        return Delivery.FAILED
    except BotoCoreError as exc:
        logger.warning(f"{operation} failed", connection_id=connection_id, error=str(exc))
        return Delivery.FAILED
    return Delivery.DELIVERED


def post(endpoint: str, connection_id: str, data: bytes) -> Delivery:
    """Post raw bytes to one connection and classify the outcome (never raises for AWS errors)."""
    return _call("post_to_connection", endpoint, connection_id, Data=data)


def hang_up(endpoint: str, connection_id: str) -> Delivery:
    """Close one connection (``DeleteConnection``); ``GONE`` when it had closed already."""
    return _call("delete_connection", endpoint, connection_id)


def send(endpoint: str, connection_id: str, message: Mapping[str, Any]) -> Delivery:
    """Send one enveloped message to one connection (replies, acks, errors); prune it if gone."""
    outcome = post(endpoint, connection_id, encode(message))
    if outcome is Delivery.GONE:
        connections.delete_connection(connection_id)
    return outcome


def publish(
    tenant_id: str, topic: str, event_type: str, payload: Mapping[str, Any], *, endpoint: str | None = None
) -> int:
    """Deliver ``{"type", "topic", "ts", "payload"}`` to the tenant's subscribers of ``topic``.

    Returns how many connections received it. Gone connections are pruned (their ``META`` and every
    index row); other failures are logged and skipped. ``endpoint`` defaults to
    ``settings.ws_management_endpoint``, needed only when there is someone to deliver to.
    """
    check_topic(topic)
    ids = connections.subscriber_ids(tenant_id, topic)
    if not ids:
        return 0
    url = endpoint or configured_endpoint()
    data = encode(envelope(event_type, payload, topic=topic))
    if len(ids) == 1:
        outcomes = [post(url, ids[0], data)]
    else:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_POSTS, len(ids))) as pool:
            outcomes = list(pool.map(lambda cid: post(url, cid, data), ids))
    for connection_id, outcome in zip(ids, outcomes, strict=True):
        if outcome is Delivery.GONE:
            connections.delete_connection(connection_id)
            connections.delete_subscription(tenant_id, topic, connection_id)
    delivered = outcomes.count(Delivery.DELIVERED)
    logger.debug("published", topic=topic, type=event_type, subscribers=len(ids), delivered=delivered)
    return delivered
