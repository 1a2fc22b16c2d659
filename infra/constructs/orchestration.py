"""Background work: the import queue (with DLQ) feeding import_worker, and the sample-seed workflow."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.constructs.function import FULL_VCPU_MEMORY_MB, python_function
from infra.constructs.queues import queue_with_dead_letters
from infra.constructs.tasks import invoke, standard_state_machine
from infra.stages import StageSettings

WORKER_TIMEOUT = Duration.minutes(5)
# A message whose import failed this many times is poison: it moves to the DLQ.
MAX_RECEIVE_COUNT = 3


class Orchestration(Construct):
    """SQS -> import_worker (partial batch failures) and Step Functions plan -> Map(generate) -> finalize."""

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

        def worker(construct_id: str, folder: str, handler: str, description: str) -> lambda_.Function:
            return python_function(
                self,
                construct_id,
                code_dir=functions_dir / folder,
                handler=handler,
                service=folder,
                layers=layers,
                settings=settings,
                memory_mb=FULL_VCPU_MEMORY_MB,
                timeout=WORKER_TIMEOUT,
                description=description,
            )

        self.import_queue, self.dead_letters = queue_with_dead_letters(
            self,
            "ImportQueue",
            "ImportDeadLetters",
            worker_timeout=WORKER_TIMEOUT,
            max_receive_count=MAX_RECEIVE_COUNT,
        )
        self.import_worker = worker(
            "ImportWorker", "import_worker", "handler.handler", "Validate an upload and publish Parquet"
        )
        self.import_worker.add_event_source(
            sources.SqsEventSource(self.import_queue, batch_size=5, report_batch_item_failures=True)
        )

        self.plan = worker("SeedPlan", "sample_seed", "handler.plan", "Sample seed: split the universe")
        self.generate = worker("SeedGenerate", "sample_seed", "handler.generate", "Sample seed: one batch")
        self.finalize = worker("SeedFinalize", "sample_seed", "handler.finalize", "Sample seed: record it")
        self.seed_state_machine = self._seed_state_machine(settings)

    def _seed_state_machine(self, settings: StageSettings) -> sfn.StateMachine:
        """plan -> Map over ``$.batches`` (generate) -> finalize; Lambda service errors retry with backoff."""
        generate_batches = sfn.Map(
            self,
            "GenerateBatches",
            items_path="$.batches",
            max_concurrency=settings.seed_map_concurrency,
            result_path="$.generated",
        ).item_processor(invoke(self, "Generate", self.generate))
        # A batch that still fails after its retries must not leave the dataset "importing" forever:
        # finalize sees ``$.error`` and marks it failed, then the execution fails visibly.
        mark_failed = invoke(self, "MarkFailed", self.finalize).next(
            sfn.Fail(self, "SeedFailed", error="SeedFailed", cause="A batch failed; dataset marked failed")
        )
        generate_batches.add_catch(mark_failed, errors=["States.ALL"], result_path="$.error")
        definition = (
            invoke(self, "Plan", self.plan)
            .next(generate_batches)
            .next(invoke(self, "Finalize", self.finalize))
        )
        return standard_state_machine(
            self,
            "SampleSeed",
            log_group_id="SeedLogs",
            definition=definition,
            timeout=Duration.hours(1),
            settings=settings,
            functions=self.seed_functions,
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        """Every Lambda of the orchestration capability."""
        return [self.import_worker, self.plan, self.generate, self.finalize]

    @property
    def seed_functions(self) -> list[lambda_.Function]:
        """The state machine's tasks (they must not reference the state machine: that is a cycle)."""
        return [self.plan, self.generate, self.finalize]
