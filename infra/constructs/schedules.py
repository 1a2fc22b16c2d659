"""EventBridge Scheduler schedules (``AWS::Scheduler::Schedule``: the local cloud's ticker reads them)."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from infra.nag import acknowledge, logical_ref


class Schedules(Construct):
    """Lambda targets on a schedule, invoked through one role Scheduler assumes."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "InvokeRole",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"),
            description="Lets EventBridge Scheduler invoke Tradewind's scheduled Lambdas",
        )
        self.schedules: list[scheduler.CfnSchedule] = []

    def invoke_on_schedule(
        self, construct_id: str, function: lambda_.IFunction, expression: str, description: str
    ) -> scheduler.CfnSchedule:
        """Invoke ``function`` on ``expression`` (``rate(...)`` or ``cron(...)``), retrying twice."""
        function.grant_invoke(self.role)
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            f"AwsSolutions-IAM5[Resource::<{logical_ref(function)}.Arn>:*]",
            "Granting invoke on the function's versions and aliases, the scope CDK's grant_invoke uses.",
        )
        schedule = scheduler.CfnSchedule(
            self,
            construct_id,
            description=description,
            schedule_expression=expression,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            state="ENABLED",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=function.function_arn,
                role_arn=self.role.role_arn,
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=2, maximum_event_age_in_seconds=300
                ),
            ),
        )
        self.schedules.append(schedule)
        return schedule
