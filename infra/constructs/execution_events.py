"""Executions that end outside the workflow (docs/jobs.md): an EventBridge rule on Step Functions
"Execution Status Change" (FAILED, TIMED_OUT, ABORTED) of the given state machines, targeting a small
Lambda that fails the job with the execution's cause (``tradewind.jobs.recovery.execution_ended``).

A Catch inside the workflow already fails the job for every step's error (MarkFailed); this covers
what no Catch sees: an execution stopped from the console or the API, the state machine's timeout,
``States.Runtime`` errors and payloads over the limit. The local cloud emulates the rule
(``infra/local/execution_events.py``: moto stores rules but never fires them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.constructs.function import python_function
from infra.stages import StageSettings

ENDED_OUTSIDE = ["FAILED", "TIMED_OUT", "ABORTED"]
DETAIL_TYPE = "Step Functions Execution Status Change"


class ExecutionEvents(Construct):
    """The ``JobExecutionEnded`` Lambda and the rule that sends it the machines' ended executions."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
        state_machines: Sequence[sfn.IStateMachine],
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = python_function(
            self,
            "JobExecutionEnded",
            code_dir=functions_dir / "job_execution_ended",
            handler="handler.handler",
            service="jobs",
            layers=layers,
            settings=settings,
            memory_mb=512,
            timeout=Duration.seconds(30),
            description="Jobs: fail a job whose execution ended outside the workflow",
        )
        self.rule = events.Rule(
            self,
            "ExecutionEnded",
            description="A job workflow execution FAILED, TIMED_OUT or ABORTED: fail its job with the cause",
            event_pattern=events.EventPattern(
                source=["aws.states"],
                detail_type=[DETAIL_TYPE],
                detail={
                    "status": ENDED_OUTSIDE,
                    "stateMachineArn": [machine.state_machine_arn for machine in state_machines],
                },
            ),
            targets=[
                targets.LambdaFunction(self.function, retry_attempts=4, max_event_age=Duration.hours(2))
            ],
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        return [self.function]
