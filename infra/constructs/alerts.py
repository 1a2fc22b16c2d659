"""Alert delivery (docs/alerts.md): a queue (with DLQ) feeding the alert delivery Lambda.

``tradewind.alerts.publish`` sends one message per (event, channel); the Lambda posts it with
partial batch responses. A failed attempt hides its message for the backoff (``ChangeMessageVisibility``,
which the event source's consume grant includes); the queue's ``maxReceiveCount`` is the delivery's
``MAX_ATTEMPTS``, so the attempt the code treats as last is the one after which SQS dead-letters it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct
from tradewind.alerts.policy import CONNECT_TIMEOUT_SECONDS, MAX_ATTEMPTS, READ_TIMEOUT_SECONDS

from infra.constructs.function import python_function
from infra.constructs.queues import queue_with_dead_letters
from infra.stages import StageSettings

MESSAGES_PER_INVOKE = 5
# Every message of a batch may take a whole connect + read timeout, plus its record writes.
DELIVERY_TIMEOUT = Duration.seconds(
    int(MESSAGES_PER_INVOKE * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS)) + 30
)


class Alerts(Construct):
    """SQS delivery queue + DLQ -> alert delivery Lambda (partial batch failures)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.queue, self.dead_letters = queue_with_dead_letters(
            self,
            "AlertQueue",
            "AlertDeadLetters",
            worker_timeout=DELIVERY_TIMEOUT,
            max_receive_count=MAX_ATTEMPTS,
        )
        self.delivery = python_function(
            self,
            "AlertDelivery",
            code_dir=functions_dir / "alert_delivery",
            handler="handler.handler",
            service="alert_delivery",
            layers=layers,
            settings=settings,
            memory_mb=256,
            timeout=DELIVERY_TIMEOUT,
            description="Alerts: post one event to one notification channel",
        )
        self.delivery.add_event_source(
            sources.SqsEventSource(
                self.queue, batch_size=MESSAGES_PER_INVOKE, report_batch_item_failures=True
            )
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        return [self.delivery]
