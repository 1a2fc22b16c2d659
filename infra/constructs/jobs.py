"""The job workflow (docs/jobs.md): backtests and optimizations fanned out over Lambda workers.

A Standard state machine: Plan -> Distributed Map over the shard manifest in S3 (EXPRESS children
running the worker, MaxConcurrency per stage, retries with backoff) -> Reduce (retried once on a
transient failure) -> Paused (a paused job: its resume starts a new execution) or Done; a Catch on
each of the three goes to MarkFailed, then the execution fails. The same definition runs under
``make run``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.constructs.function import FULL_VCPU_MEMORY_MB, python_function
from infra.constructs.tasks import invoke, standard_state_machine
from infra.nag import acknowledge, execution_arn_pattern, logical_ref
from infra.stages import StageSettings

# One full vCPU; the API's cost estimate prices GB-seconds with it (TW_WORKER_MEMORY_MB).
WORKER_MEMORY_MB = FULL_VCPU_MEMORY_MB
# An EXPRESS child may run 5 minutes: three attempts of a worker plus the retry waits must fit.
WORKER_TIMEOUT = Duration.seconds(90)
WORKER_RETRIES = 2
RETRY_INTERVAL = Duration.seconds(1)
RETRY_BACKOFF = 2.0
# Plan expands the space (numpy) and, for walk-forward, reads every symbol's bars.
PLAN_MEMORY_MB = FULL_VCPU_MEMORY_MB
PLAN_TIMEOUT = Duration.minutes(2)
# Reduce merges every shard (up to settings.max_sweep_combinations rows) and writes the table twice.
REDUCE_MEMORY_MB = 3008
REDUCE_TIMEOUT = Duration.minutes(15)
# A job's errors about its own inputs (a missing symbol, too few bars) fail the same way every time.
PERMANENT_ERRORS = ["JobInputError"]
# Reduce is retried once on a transient failure (an S3 or DynamoDB call that failed, the Lambda
# service): it is idempotent (the same result keys rewritten from the same shards, one conditional
# final write). What would fail again is not retried: its own RuntimeError (shards not all counted,
# a result it cannot build), running out of memory or time.
REDUCE_PERMANENT_ERRORS = [
    "JobInputError",
    "RuntimeError",
    "MemoryError",
    "Runtime.ExitError",
    "States.Timeout",
]
REDUCE_RETRIES = 1
REDUCE_RETRY_INTERVAL = Duration.seconds(2)


class Jobs(Construct):
    """The job functions (plan, worker, reduce, mark_failed) and the state machine running them."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
        artifacts: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)

        def function(
            construct_id: str, entry: str, description: str, memory_mb: int, timeout: Duration
        ) -> lambda_.Function:
            return python_function(
                self,
                construct_id,
                code_dir=functions_dir / "jobs",
                handler=f"handler.{entry}",
                service="jobs",
                layers=layers,
                settings=settings,
                memory_mb=memory_mb,
                timeout=timeout,
                description=description,
            )

        self.plan = function(
            "JobPlan", "plan", "Jobs: expand the space, write the manifest", PLAN_MEMORY_MB, PLAN_TIMEOUT
        )
        self.worker = function("JobWorker", "work", "Jobs: run one shard", WORKER_MEMORY_MB, WORKER_TIMEOUT)
        self.reduce = function(
            "JobReduce", "reduce", "Jobs: merge shards, write results", REDUCE_MEMORY_MB, REDUCE_TIMEOUT
        )
        self.mark_failed = function(
            "JobMarkFailed", "mark_failed", "Jobs: record a failure", 512, Duration.seconds(30)
        )
        self.state_machine = self._state_machine(settings, artifacts)

    @property
    def functions(self) -> list[lambda_.Function]:
        """The state machine's tasks (they must not reference the state machine: that is a cycle)."""
        return [self.plan, self.worker, self.reduce, self.mark_failed]

    def _state_machine(self, settings: StageSettings, artifacts: s3.IBucket) -> sfn.StateMachine:
        work = invoke(self, "Work", self.worker)
        work.add_retry(errors=PERMANENT_ERRORS, max_attempts=0)
        work.add_retry(
            errors=["States.ALL"],
            interval=RETRY_INTERVAL,
            max_attempts=WORKER_RETRIES,
            backoff_rate=RETRY_BACKOFF,
        )
        shards = sfn.DistributedMap(
            self,
            "Shards",
            item_reader=sfn.S3JsonItemReader(bucket=artifacts, key=sfn.JsonPath.string_at("$.manifest_key")),
            item_selector={
                "tenant_id": sfn.JsonPath.string_at("$.tenant_id"),
                "job_id": sfn.JsonPath.string_at("$.job_id"),
                "shard": sfn.JsonPath.object_at("$$.Map.Item.Value"),
            },
            map_execution_type=sfn.StateMachineType.EXPRESS,
            max_concurrency=settings.job_map_concurrency,
            tolerated_failure_percentage=0,
            result_path=sfn.JsonPath.DISCARD,  # workers write their results to S3; Reduce reads them there
        ).item_processor(work)
        plan, reduce = invoke(self, "Plan", self.plan), invoke(self, "Reduce", self.reduce)
        reduce.add_retry(errors=REDUCE_PERMANENT_ERRORS, max_attempts=0)
        reduce.add_retry(errors=["States.ALL"], interval=REDUCE_RETRY_INTERVAL, max_attempts=REDUCE_RETRIES)
        mark_failed = invoke(self, "MarkFailed", self.mark_failed).next(
            sfn.Fail(
                self, "JobFailed", error="JobFailed", cause="The job failed; its record holds the reason"
            )
        )
        for step in (plan, shards, reduce):
            step.add_catch(mark_failed, errors=["States.ALL"], result_path="$.error")
        # Reduce does nothing for a paused job (jobs.pause) and returns its status: the execution
        # ends at Paused; the resume starts a new one over the shards left.
        paused_or_done = (
            sfn.Choice(self, "PausedOrDone")
            .when(
                sfn.Condition.and_(
                    sfn.Condition.is_string("$.status"), sfn.Condition.string_equals("$.status", "paused")
                ),
                sfn.Succeed(self, "Paused", comment="Paused: a resume starts a new execution"),
            )
            .otherwise(sfn.Succeed(self, "Done"))
        )
        machine = standard_state_machine(
            self,
            "JobWorkflow",
            log_group_id="JobLogs",
            definition=plan.next(shards).next(reduce).next(paused_or_done),
            timeout=Duration.hours(6),
            settings=settings,
            functions=self.functions,
        )
        acknowledge(
            machine.role,
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<{logical_ref(artifacts)}>/*]",
            "The Map's ItemReader reads each job's manifest.json, a key known at run time; this bucket only.",
        )
        for suffix in (":*", "/*:*"):
            acknowledge(
                machine,
                f"AwsSolutions-IAM5[Resource::{execution_arn_pattern(machine)}{suffix}]",
                "A Distributed Map starts, describes and stops its own child executions (ids made at run "
                "time); limited to this state machine's executions.",
            )
        return machine
