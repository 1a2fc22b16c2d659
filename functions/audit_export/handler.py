"""Scheduled audit export (EventBridge Scheduler, daily): the previous UTC day's audit records of every
organisation to ``audit/<org>/<day>.jsonl`` in the artifacts bucket (docs/audit.md).

``{"day": "YYYY-MM-DD"}`` in the event exports that day instead (a backfill); a rerun rewrites the
same objects.
"""

from datetime import date
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.audit.export import export_day, yesterday

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    day = date.fromisoformat(event["day"]) if isinstance(event, dict) and event.get("day") else yesterday()
    counts = export_day(day)
    metrics.add_metric(name="AuditRecordsExported", unit=MetricUnit.Count, value=sum(counts.values()))
    logger.info("exported the audit trail", day=day.isoformat(), organisations=len(counts))
    return {"day": day.isoformat(), "records": counts}
