"""SQS import worker: one dataset import per message, partial batch responses.

A bad file is a handled outcome (the dataset ends ``failed`` with the row and column); any other
exception marks only that message failed, so SQS redelivers it and, after the queue's receive limit,
moves it to the DLQ.
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from tradewind.services.imports import ImportMessage, run_import
from tradewind.sqs_worker import sqs_batch_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    message = ImportMessage.parse(json.loads(record.body))
    outcome = run_import(message)
    logger.info(
        "import finished", dataset_id=message.dataset_id, tenant_id=message.tenant_id, outcome=outcome
    )
    metrics.add_metric(name=f"Import_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


handler = sqs_batch_handler(record_handler, logger=logger, tracer=tracer, metrics=metrics)
