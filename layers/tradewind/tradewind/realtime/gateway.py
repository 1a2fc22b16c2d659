"""Adapters between API Gateway WebSocket events and the realtime use cases.

Each ``on_*`` function takes the Powertools event wrapper and returns the integration response the
gateway expects (``statusCode`` and an optional body); the Lambda handlers are one line each.
A non-2xx ``statusCode`` on ``$connect`` makes API Gateway refuse the upgrade with that status.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import APIGatewayWebSocketEvent
from aws_lambda_powertools.utilities.data_classes.api_gateway_websocket_event import (
    APIGatewayWebSocketEventRequestContext,
)

from tradewind.errors import Unauthorized
from tradewind.realtime import service
from tradewind.realtime.messages import encode
from tradewind.settings import get_settings

logger = Logger(child=True)
metrics = Metrics()  # shares the metric set the handler's Metrics flushes


def management_endpoint(context: APIGatewayWebSocketEventRequestContext) -> str:
    """Where replies are posted: ``settings.ws_management_endpoint`` when set (the local gateway,
    or a custom domain whose path differs), else ``https://{domainName}/{stage}`` from the event,
    which is the management API of the execute-api domain the client connected to."""
    return get_settings().ws_management_endpoint or f"https://{context.domain_name}/{context.stage}"


def _reply(status: int, body: Any = None) -> dict[str, Any]:
    reply: dict[str, Any] = {"statusCode": status}
    if body is not None:
        reply["body"] = encode(body).decode()
    return reply


def on_connect(event: APIGatewayWebSocketEvent) -> dict[str, Any]:
    connection_id = event.request_context.connection_id
    try:
        accepted = service.connect(connection_id, service.ticket_from(event.query_string_parameters))
    except Unauthorized as exc:
        logger.info("connection refused", connection_id=connection_id, reason=exc.detail)
        metrics.add_metric(name="ConnectionsRefused", unit=MetricUnit.Count, value=1)
        return _reply(401, {"title": exc.title, "detail": exc.detail})
    logger.info(
        "connected", connection_id=connection_id, tenant_id=accepted.tenant_id, key_id=accepted.key_id
    )
    metrics.add_metric(name="Connections", unit=MetricUnit.Count, value=1)
    return _reply(200)


def on_disconnect(event: APIGatewayWebSocketEvent) -> dict[str, Any]:
    connection_id = event.request_context.connection_id
    known = service.disconnect(connection_id)
    logger.info("disconnected", connection_id=connection_id, known=known)
    metrics.add_metric(name="Disconnections", unit=MetricUnit.Count, value=1)
    return _reply(200)


def on_message(event: APIGatewayWebSocketEvent) -> dict[str, Any]:
    context = event.request_context
    outcome = service.handle_message(context.connection_id, event.decoded_body, management_endpoint(context))
    metrics.add_metric(name="Messages", unit=MetricUnit.Count, value=1)
    if outcome.errors:
        metrics.add_metric(name="MessagesRejected", unit=MetricUnit.Count, value=1)
        errors = [problem.model_dump() for problem in outcome.errors]
        return _reply(outcome.status, {"errors": errors})
    return _reply(outcome.status)
