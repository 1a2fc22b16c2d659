"""SQS pipeline worker: one batch of a run's symbols per message, partial batch responses.

A message that raises is reported failed alone (SQS redelivers it; after the queue's receive limit it
moves to the DLQ, and its last try fails the run: ``tradewind.pipeline.worker``).
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from tradewind.pipeline.spec import BatchMessage
from tradewind.pipeline.worker import handle
from tradewind.sqs_worker import sqs_batch_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    message = BatchMessage.model_validate(json.loads(record.body))
    outcome = handle(message, int(record.attributes.approximate_receive_count))
    logger.info("batch handled", job_id=message.job_id, batch=message.batch, outcome=outcome)
    metrics.add_metric(name=f"PipelineBatch_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


handler = sqs_batch_handler(record_handler, logger=logger, tracer=tracer, metrics=metrics)
