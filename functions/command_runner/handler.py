"""SQS command runner: one command run (a job of kind ``command``) per message, partial batch
responses (``tradewind.commands.runs.execute``: a run is started once; a redelivery of a run found
running fails it instead of running it again).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from tradewind.commands.runs import execute

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    body = json.loads(record.body)
    outcome = execute(
        str(body["tenant_id"]), str(body["job_id"]), int(record.attributes.approximate_receive_count)
    )
    logger.info("command run handled", job_id=body["job_id"], outcome=outcome)
    metrics.add_metric(name=f"CommandRun_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
