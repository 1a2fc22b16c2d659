"""Scheduled janitor (EventBridge Scheduler, every 10 minutes): prune stale WebSocket connections and
flag stalled jobs.

API Gateway closes connections after 2 hours but delivers ``$disconnect`` only on a best-effort
basis, and DynamoDB TTL deletes expired rows lazily, so stale rows are removed here on a schedule.
A running job with no progress for its kind's threshold is flagged ``stalled`` in its timeline and
notified once (``tradewind.jobs.stall``, docs/jobs.md#stalled-jobs).
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.jobs import stall
from tradewind.realtime import service

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    pruned = service.prune_stale()
    metrics.add_metric(name="StaleConnectionsPruned", unit=MetricUnit.Count, value=pruned)
    logger.info("pruned stale connections", pruned=pruned)
    jobs = stall.check_all()
    metrics.add_metric(name="JobsStalled", unit=MetricUnit.Count, value=jobs["stalled"])
    logger.info("checked running jobs for stalls", extra=jobs)
    return {"pruned": pruned, **{f"jobs_{name}": count for name, count in jobs.items()}}
