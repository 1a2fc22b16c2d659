"""What Tradewind's state machines share: Lambda tasks that survive throttling, a traced and logged
Standard state machine, and the cdk-nag acknowledgements both need."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.nag import acknowledge, logical_ref
from infra.stages import StageSettings


def invoke(scope: Construct, construct_id: str, function: lambda_.IFunction) -> tasks.LambdaInvoke:
    """Call ``function`` with the state as payload and take its return value as the result."""
    task = tasks.LambdaInvoke(scope, construct_id, lambda_function=function, payload_response_only=True)
    # LambdaInvoke already retries Lambda service errors; throttling under a wide Map needs it too.
    task.add_retry(
        errors=["Lambda.TooManyRequestsException"],
        interval=Duration.seconds(2),
        max_attempts=4,
        backoff_rate=2,
        jitter_strategy=sfn.JitterType.FULL,
    )
    return task


def standard_state_machine(
    scope: Construct,
    construct_id: str,
    *,
    log_group_id: str,
    definition: sfn.IChainable,
    timeout: Duration,
    settings: StageSettings,
    functions: Sequence[lambda_.IFunction],
) -> sfn.StateMachine:
    """A Standard state machine, X-Ray traced, logging every event (without data) to its own group.

    ``functions`` are the Lambdas its tasks invoke: their ``:*`` (versions/aliases) grants are
    acknowledged one function at a time.
    """
    log_group = logs.LogGroup(
        scope, log_group_id, retention=settings.log_retention, removal_policy=settings.removal_policy
    )
    machine = sfn.StateMachine(
        scope,
        construct_id,
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=sfn.DefinitionBody.from_chainable(definition),
        timeout=timeout,
        tracing_enabled=True,
        logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
    )
    acknowledge(
        machine.role,
        "AwsSolutions-IAM5[Resource::*]",
        "X-Ray tracing and CloudWatch Logs delivery actions support no resource scope.",
    )
    for function in functions:
        acknowledge(
            machine.role,
            f"AwsSolutions-IAM5[Resource::<{logical_ref(function)}.Arn>:*]",
            "LambdaInvoke may call the task function's versions/aliases; scoped to that one function.",
        )
    return machine
