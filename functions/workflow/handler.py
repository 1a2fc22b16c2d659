"""The workflow state machine's tasks (docs/workflows.md): begin, step (waited on with a task token),
succeed, fail (the Catch path).

Payloads (JSON objects):
- ``begin``: in ``{tenant_id, job_id}`` -> out ``{tenant_id, job_id, index: 0, count}``
- ``step``: in ``{tenant_id, job_id, index, token}`` -> out ``{job_id}`` (ignored: the state takes the
  task token's answer, sent when the step's job ends)
- ``succeed``: in the loop's state -> out ``{job_id, status}``
- ``fail``: in the failed state's input plus ``error: {Error, Cause}`` -> out ``{job_id, status, error}``
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def begin(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.workflows import steps

    return steps.begin(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def step(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.workflows import steps

    return steps.step(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def succeed(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.workflows import steps

    return steps.succeed(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def fail(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.workflows import steps

    return steps.fail(event)
