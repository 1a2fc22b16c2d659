"""Workflows (docs/workflows.md): a Standard state machine that runs a saved workflow's steps one
after another, each step a job it submits and then waits for (a task token, sent when the job ends).

```
Begin ──► More? ──► Step (lambda:invoke.waitForTaskToken) ──► Advance (index + 1) ──► More?
  │          └──► Succeed (no step left)
  │         Step: retried on task errors, never on the step's own outcome
  └──────── Catch States.ALL on Begin, Step, Succeed ($.error) ──► Fail (names the step) ──► RunFailed

Begin answers where the loop starts: 0, or for a run resumed after its execution was lost the first
step whose job has not succeeded (all of them: straight to Succeed).
```

The state machine has a fixed name (``tradewind-{stage}-workflows``), so the functions that answer
its task tokens (every job's final transition: the API, reduce, MarkFailed, the pipeline worker, the
command runner, the execution-ended Lambda, the step task itself) are granted
``states:SendTaskSuccess``/``SendTaskFailure`` on its ARN built from that name: a reference would
form a cycle (the machine references the step Lambda, whose submissions reference the job machine,
whose tasks would reference this one).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.constructs.function import python_function
from infra.constructs.tasks import invoke, standard_state_machine
from infra.stages import StageSettings

# A workflow runs at most 20 steps; an optimization may take the job workflow's 6 hours.
WORKFLOW_TIMEOUT = Duration.hours(48)
STEP_RETRIES = 2
# The step's own outcome (sent with its task token) and a run already final are answers, not faults.
FINAL_ERRORS = ["StepFailed", "StepCancelled", "StepStopped", "StepInvalid", "RunEnded"]
TASK_RESPONSE_ACTIONS = ["states:SendTaskSuccess", "states:SendTaskFailure"]


class Workflows(Construct):
    """The workflow functions (begin, step, succeed, fail) and the state machine running them."""

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
        self.state_machine_name = f"tradewind-{settings.name}-workflows"

        def function(construct_id: str, entry: str, description: str, timeout: Duration) -> lambda_.Function:
            return python_function(
                self,
                construct_id,
                code_dir=functions_dir / "workflow",
                handler=f"handler.{entry}",
                service="workflow",
                layers=layers,
                settings=settings,
                memory_mb=512,
                timeout=timeout,
                description=description,
            )

        self.begin = function("WorkflowBegin", "begin", "Workflows: start a run", Duration.seconds(30))
        # A step submits any job as the API would (a backtest's checks may read bars).
        self.step = function("WorkflowStep", "step", "Workflows: submit one step's job", Duration.seconds(60))
        self.succeed = function(
            "WorkflowSucceed", "succeed", "Workflows: a run succeeded", Duration.seconds(30)
        )
        self.fail = function(
            "WorkflowFail", "fail", "Workflows: a run failed at a step", Duration.seconds(30)
        )
        self.state_machine = self._state_machine(settings)

    @property
    def functions(self) -> list[lambda_.Function]:
        """The state machine's tasks (they must not reference the state machine: that is a cycle)."""
        return [self.begin, self.step, self.succeed, self.fail]

    @property
    def state_machine_arn(self) -> str:
        """The state machine's ARN from its fixed name (no reference: see the module docstring)."""
        return Stack.of(self).format_arn(
            service="states",
            resource="stateMachine",
            resource_name=self.state_machine_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )

    def grant_task_response(self, function: lambda_.Function) -> None:
        """Let ``function`` answer this state machine's task tokens (a job's end answers its run)."""
        function.add_to_role_policy(
            iam.PolicyStatement(actions=TASK_RESPONSE_ACTIONS, resources=[self.state_machine_arn])
        )

    def _state_machine(self, settings: StageSettings) -> sfn.StateMachine:
        step = tasks.LambdaInvoke(
            self,
            "Step",
            lambda_function=self.step,
            integration_pattern=sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
            payload=sfn.TaskInput.from_object(
                {
                    "tenant_id": sfn.JsonPath.string_at("$.tenant_id"),
                    "job_id": sfn.JsonPath.string_at("$.job_id"),
                    "index": sfn.JsonPath.number_at("$.index"),
                    "token": sfn.JsonPath.task_token,
                }
            ),
            result_path="$.step",
        )
        step.add_retry(errors=FINAL_ERRORS, max_attempts=0)
        step.add_retry(
            errors=["States.ALL"], interval=Duration.seconds(1), max_attempts=STEP_RETRIES, backoff_rate=2
        )
        begin, succeed = invoke(self, "Begin", self.begin), invoke(self, "Succeed", self.succeed)
        fail = invoke(self, "Fail", self.fail).next(
            sfn.Fail(self, "RunFailed", error="WorkflowFailed", cause="A step failed; the run names it")
        )
        for state in (begin, step, succeed):
            state.add_catch(fail, errors=["States.ALL"], result_path="$.error")
        advance = sfn.Pass(
            self,
            "Advance",
            parameters={
                "tenant_id": sfn.JsonPath.string_at("$.tenant_id"),
                "job_id": sfn.JsonPath.string_at("$.job_id"),
                "count": sfn.JsonPath.number_at("$.count"),
                "index": sfn.JsonPath.math_add(sfn.JsonPath.number_at("$.index"), 1),
            },
        )
        more = (
            sfn.Choice(self, "More")
            .when(sfn.Condition.number_less_than_json_path("$.index", "$.count"), step)
            .otherwise(succeed)
        )
        step.next(advance).next(more)
        machine = standard_state_machine(
            self,
            "WorkflowRuns",
            log_group_id="WorkflowLogs",
            definition=begin.next(more),
            timeout=WORKFLOW_TIMEOUT,
            settings=settings,
            functions=self.functions,
        )
        cfn = machine.node.default_child
        assert isinstance(cfn, sfn.CfnStateMachine)
        cfn.state_machine_name = self.state_machine_name
        return machine
