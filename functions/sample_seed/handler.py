"""The sample-seed state machine's three tasks: plan, generate (one Map batch), finalize.

Payloads (all JSON objects):
- ``plan``: in ``{tenant_id, dataset_id?}`` -> out ``{tenant_id, dataset_id, batches: [{tenant_id, dataset_id,
  symbols: [...]}]}``
- ``generate``: in one batch -> out ``{tenant_id, dataset_id, written}``
- ``finalize``: in plan's output plus the Map results (``$.generated``, unused) -> out
  ``{tenant_id, dataset_id, status: "ready", symbols, rows}``; given a caught error at ``$.error``
  (``{Error, Cause}``) it marks the dataset failed -> out ``{tenant_id, dataset_id, status: "failed"}``
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.services import sample

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def plan(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return sample.plan(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def generate(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return sample.generate(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def finalize(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return sample.finalize(event)
