"""Schedule fire (EventBridge Scheduler, one invocation per fire of a user schedule): submit the
schedule's job for its tenant, once per scheduled time (``tradewind.schedules.fire``).

Only the scheduler's role may invoke this function; the input is the one the API wrote.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.schedules.fire import fire

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = fire(event)
    metrics.add_metric(name=f"ScheduleFire_{result['outcome']}", unit=MetricUnit.Count, value=1)
    logger.info("schedule fired", schedule_id=event.get("schedule_id"), **result)
    return result
