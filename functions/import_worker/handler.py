"""SQS import worker: one dataset import per message, partial batch responses.

A bad file is a handled outcome (the dataset ends ``failed`` with the row and column); any other
exception marks only that message failed, so SQS redelivers it and, after the queue's receive limit,
moves it to the DLQ.
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
from tradewind.services.imports import ImportMessage, run_import

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    message = ImportMessage.parse(json.loads(record.body))
    outcome = run_import(message)
    logger.info(
        "import finished", dataset_id=message.dataset_id, tenant_id=message.tenant_id, outcome=outcome
    )
    metrics.add_metric(name=f"Import_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
