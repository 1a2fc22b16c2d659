"""Command runs (docs/commands.md): a queue (with DLQ) feeding the command runner Lambda.

``POST /commands/{name}/runs`` (and a schedule's fire) records the run as a job and sends one
message; the runner runs it outside the API's 29-second request, with partial batch responses.
A message is received at most ``MAX_RECEIVE_COUNT`` times: the runner starts a run only from
``queued``, and fails a run it finds ``running`` on a redelivery rather than running it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from infra.constructs.function import python_function
from infra.constructs.queues import queue_with_dead_letters
from infra.stages import StageSettings

RUNNER_TIMEOUT = Duration.minutes(10)
MAX_RECEIVE_COUNT = 2


class Commands(Construct):
    """SQS command queue + DLQ -> command runner (one run per invocation)."""

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
            "CommandQueue",
            "CommandDeadLetters",
            worker_timeout=RUNNER_TIMEOUT,
            max_receive_count=MAX_RECEIVE_COUNT,
        )
        self.runner = python_function(
            self,
            "CommandRunner",
            code_dir=functions_dir / "command_runner",
            handler="handler.handler",
            service="command_runner",
            layers=layers,
            settings=settings,
            memory_mb=512,
            timeout=RUNNER_TIMEOUT,
            description="Commands: run one catalogue command as a job",
        )
        self.runner.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=1, report_batch_item_failures=True)
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        return [self.runner]
