"""SQS pipeline worker: one batch of a run's symbols per message, partial batch responses.

A message that raises is reported failed alone (SQS redelivers it; after the queue's receive limit it
moves to the DLQ, and its last try fails the run: ``tradewind.pipeline.worker``).
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
from tradewind.pipeline.spec import BatchMessage
from tradewind.pipeline.worker import handle

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    message = BatchMessage.model_validate(json.loads(record.body))
    outcome = handle(message, int(record.attributes.approximate_receive_count))
    logger.info("batch handled", job_id=message.job_id, batch=message.batch, outcome=outcome)
    metrics.add_metric(name=f"PipelineBatch_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
