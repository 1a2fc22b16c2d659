"""A work queue for a Lambda worker: encrypted, TLS-only, with its dead-letter queue."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

DEAD_LETTER_RETENTION = Duration.days(14)
"""How long a poison message waits in a dead-letter queue (SQS's maximum) for a look or a redrive."""


def queue_with_dead_letters(
    scope: Construct,
    queue_id: str,
    dead_letters_id: str,
    *,
    worker_timeout: Duration,
    max_receive_count: int,
) -> tuple[sqs.Queue, sqs.Queue]:
    """``(queue, dead_letters)``, both SQS-managed encrypted and TLS-only, made in ``scope``.

    The queue's visibility timeout is six times ``worker_timeout`` (AWS's guidance for Lambda
    sources); a message received ``max_receive_count`` times moves to the dead-letter queue.
    """
    dead_letters = sqs.Queue(
        scope,
        dead_letters_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=DEAD_LETTER_RETENTION,
    )
    queue = sqs.Queue(
        scope,
        queue_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        visibility_timeout=Duration.seconds(worker_timeout.to_seconds() * 6),
        dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=max_receive_count, queue=dead_letters),
    )
    return queue, dead_letters
