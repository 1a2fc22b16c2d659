"""SQS alert delivery: one event for one channel per message, partial batch responses
(``tradewind.alerts.delivery.deliver``: a failed attempt hides its message for the backoff and fails
alone; the last one fails for the dead-letter queue).
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from tradewind.alerts.delivery import DeliveryMessage, defer_message, deliver
from tradewind.sqs_worker import sqs_batch_handler

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Tradewind")


@tracer.capture_method
def record_handler(record: SQSRecord) -> str:
    message = DeliveryMessage.parse(json.loads(record.body))
    receipt = record.receipt_handle
    try:
        outcome = deliver(
            message,
            int(record.attributes.approximate_receive_count),
            lambda seconds: defer_message(receipt, seconds),
        )
    except Exception:
        metrics.add_metric(name="AlertDelivery_failed_attempt", unit=MetricUnit.Count, value=1)
        raise
    logger.info(
        "alert handled", channel_id=message.channel_id, event_id=message.event.event_id, outcome=outcome
    )
    metrics.add_metric(name=f"AlertDelivery_{outcome}", unit=MetricUnit.Count, value=1)
    return outcome


handler = sqs_batch_handler(record_handler, logger=logger, tracer=tracer, metrics=metrics)
