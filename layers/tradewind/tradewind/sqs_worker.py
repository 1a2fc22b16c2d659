"""The Lambda entry point shared by the SQS workers: Powertools' BatchProcessor, partial batch responses.

A worker's handler module keeps its own ``record_handler`` (one message in, its outcome out) and its
Logger, Tracer and Metrics, and makes its entry point in one line::

    handler = sqs_batch_handler(record_handler, logger=logger, tracer=tracer, metrics=metrics)

A message whose ``record_handler`` raises is reported failed alone: SQS redelivers it and, after the
queue's receive limit, moves it to the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

SqsHandler = Callable[[dict[str, Any], LambdaContext], PartialItemFailureResponse]


def sqs_batch_handler(
    record_handler: Callable[[SQSRecord], Any], *, logger: Logger, tracer: Tracer, metrics: Metrics
) -> SqsHandler:
    """A Lambda handler that runs ``record_handler`` on each SQS record and reports the failed ones.

    Metrics are flushed, the invocation traced and the Lambda context logged, as the decorators
    ``@metrics.log_metrics @tracer.capture_lambda_handler @logger.inject_lambda_context`` do.
    """
    processor = BatchProcessor(event_type=EventType.SQS)

    @metrics.log_metrics
    @tracer.capture_lambda_handler
    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    return handler
