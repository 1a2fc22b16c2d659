"""SQS command runner: one command run (a job of kind ``command``) per message, partial batch
responses (``tradewind.commands.runs.execute``: a run is started once; a redelivery of a run found
running fails it instead of running it again).
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from tradewind.commands.runs import execute
from tradewind.sqs_worker import sqs_batch_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    body = json.loads(record.body)
    outcome = execute(
        str(body["tenant_id"]), str(body["job_id"]), int(record.attributes.approximate_receive_count)
    )
    logger.info("command run handled", job_id=body["job_id"], outcome=outcome)
    metrics.add_metric(name=f"CommandRun_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


handler = sqs_batch_handler(record_handler, logger=logger, tracer=tracer, metrics=metrics)
