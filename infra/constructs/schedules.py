"""EventBridge Scheduler schedules (``AWS::Scheduler::Schedule``: the local cloud's ticker reads them):
the template's own (the janitor) and the group users' schedules live in (:class:`UserSchedules`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from infra.constructs.function import python_function
from infra.nag import acknowledge, logical_ref
from infra.stages import StageSettings


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


class UserSchedules(Construct):
    """Schedules users create at run time (docs/schedules.md): the stage's schedule group, the
    schedule-fire Lambda every one of them targets, and the role EventBridge Scheduler assumes to
    invoke it (that function only). The API creates, updates and deletes schedules in the group,
    passing that role (``grant_manage``)."""

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
        self.group_name = f"tradewind-{settings.name}"
        self.group = scheduler.CfnScheduleGroup(self, "Group", name=self.group_name)
        self.fire = python_function(
            self,
            "ScheduleFire",
            code_dir=functions_dir / "schedule_fire",
            handler="handler.handler",
            service="schedule_fire",
            layers=layers,
            settings=settings,
            timeout=Duration.seconds(60),
            description="Schedules: submit a user schedule's job at each fire, once per fire time",
        )
        self.role = iam.Role(
            self,
            "FireRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description=f"Tradewind {settings.name}: EventBridge Scheduler invokes the schedule-fire Lambda",
        )
        # lambda:InvokeFunction on this one function (no versions or aliases: no wildcard).
        self.role.add_to_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.fire.function_arn])
        )

    @property
    def schedule_arn_pattern(self) -> str:
        """Every schedule of this stage's group (names are ``{tenant}-{id}``, made at run time)."""
        stack = Stack.of(self)
        return stack.format_arn(
            service="scheduler", resource="schedule", resource_name=f"{self.group_name}/*"
        )

    def grant_manage(self, function: lambda_.Function) -> None:
        """Create, read, update and delete schedules in the group, and pass the fire role to Scheduler."""
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=[
                    "scheduler:CreateSchedule",
                    "scheduler:UpdateSchedule",
                    "scheduler:DeleteSchedule",
                    "scheduler:GetSchedule",
                ],
                resources=[self.schedule_arn_pattern],
            )
        )
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
            )
        )
        assert function.role is not None
        acknowledge(
            function.role,
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:"
            f"schedule/{self.group_name}/*]",
            "User schedules are named {tenant}-{id} at run time; limited to this stage's schedule group.",
        )
