"""EventBridge target: a job's workflow execution ended outside the workflow (FAILED, TIMED_OUT,
ABORTED) -> the job is failed with the execution's cause, unless it is final, paused, or the execution
is not its current one (docs/jobs.md, Executions that end outside the workflow)."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from tradewind.jobs import recovery

    return recovery.execution_ended(event)
