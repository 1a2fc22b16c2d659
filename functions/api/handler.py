"""API Lambda entry point: the FastAPI app behind Mangum, under Powertools Logger, Tracer and Metrics.

The module builds the app at import (cold start) without touching AWS or importing pandas, pynamodb or
boto3: the Tracer patches those for X-Ray when a request first imports them (``patch_when_imported``).
Route groups are included when a request first needs them (``lazy_routes``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from mangum import Mangum
from mangum.types import LambdaContext
from tradewind.api.app import create_app
from tradewind.api.observability import SERVICE_NAME, logger, patch_when_imported

tracer = Tracer(service=SERVICE_NAME, auto_patch=False)
patch_when_imported(tracer)
metrics = Metrics(service=SERVICE_NAME, namespace="Tradewind")

app = create_app(lazy_routes=True)
mangum = Mangum(app, lifespan="off", api_gateway_base_path="/")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return mangum(event, context)
