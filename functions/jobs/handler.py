"""The job workflow's four tasks (docs/jobs.md): plan, work (one Distributed Map item), reduce,
mark_failed (the Catch path).

Payloads (all JSON objects):
- ``plan``: in ``{tenant_id, job_id}`` -> out ``{tenant_id, job_id, manifest_key, shards, combinations}``
- ``work``: in ``{tenant_id, job_id, shard: <manifest item>}`` -> out ``{job_id, shard, counted | skipped}``
- ``reduce``: in plan's output -> out ``{tenant_id, job_id, status}``
- ``mark_failed``: in the failed step's input plus ``error: {Error, Cause}`` -> out
  ``{tenant_id, job_id, status, error}``

The four Lambdas share this module, so each imports only its own task, inside its handler: the
failure path never loads numpy or pandas, and no task loads another's modules.
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
def plan(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.jobs import plan as planning

    return planning.plan(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def work(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.jobs import worker

    return worker.work(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def reduce(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.jobs import reduce as reducing

    return reducing.reduce(event)


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def mark_failed(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.jobs import failure

    return failure.mark_failed(event)
