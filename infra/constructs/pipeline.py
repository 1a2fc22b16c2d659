"""The signal pipeline: a batch queue (with DLQ) feeding the pipeline worker (docs/pipeline.md).

``POST /pipeline/runs`` sends one message per batch of symbols; the worker takes them through
Powertools' BatchProcessor with partial batch responses. A message that fails ``MAX_RECEIVE_COUNT``
times moves to the dead-letter queue (its last try fails the run; the stack alarms on the DLQ).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from infra.constructs.function import FULL_VCPU_MEMORY_MB, python_function
from infra.constructs.queues import queue_with_dead_letters
from infra.stages import StageSettings

WORKER_TIMEOUT = Duration.minutes(5)
MAX_RECEIVE_COUNT = 3
"""Receives of one batch before it is poison; the worker reads it (TW_PIPELINE_MAX_RECEIVES) to fail
the run on the last one."""
BATCH_SYMBOLS = 25
"""Symbols per message (TW_PIPELINE_BATCH_SYMBOLS): a batch of 10-year daily bars runs in well under
a second, and 500 symbols make 20 messages that concurrent workers share."""
MESSAGES_PER_INVOKE = 1
"""One batch per invocation: batches of one run then spread over concurrent workers."""


class Pipeline(Construct):
    """SQS batch queue + DLQ -> pipeline worker (partial batch failures)."""

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
            "PipelineQueue",
            "PipelineDeadLetters",
            worker_timeout=WORKER_TIMEOUT,
            max_receive_count=MAX_RECEIVE_COUNT,
        )
        self.worker = python_function(
            self,
            "PipelineWorker",
            code_dir=functions_dir / "pipeline_worker",
            handler="handler.handler",
            service="pipeline_worker",
            layers=layers,
            settings=settings,
            memory_mb=FULL_VCPU_MEMORY_MB,
            timeout=WORKER_TIMEOUT,
            description="Pipeline: scan one batch of symbols; aggregate after the last",
        )
        self.worker.add_environment("TW_PIPELINE_MAX_RECEIVES", str(MAX_RECEIVE_COUNT))
        self.worker.add_event_source(
            sources.SqsEventSource(
                self.queue, batch_size=MESSAGES_PER_INVOKE, report_batch_item_failures=True
            )
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        return [self.worker]
