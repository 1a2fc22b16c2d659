"""Alarms that mean "someone should look": poison imports, failed seeds, API errors."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.stages import StageSettings


class Monitoring(Construct):
    """An alarm topic (emailed when the stage sets ``alarm_email``) and the alarms that feed it."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"Tradewind {settings.name} alarms",
            enforce_ssl=True,
            master_key=kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns"),
        )
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(self, construct_id: str, metric: cloudwatch.Metric, description: str) -> None:
        alarm = metric.create_alarm(
            self,
            construct_id,
            alarm_description=description,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)

    def dead_letters(self, construct_id: str, queue: sqs.IQueue) -> None:
        """Any message in a DLQ is a poison message that needs a human."""
        self._alarm(
            construct_id,
            queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(5)),
            "Messages reached a dead-letter queue after their retries",
        )

    def failed_executions(self, construct_id: str, machine: sfn.StateMachine) -> None:
        """A failed workflow execution (after its task retries)."""
        self._alarm(construct_id, machine.metric_failed(period=Duration.minutes(5)), "A workflow failed")

    def function_errors(self, construct_id: str, function: lambda_.IFunction) -> None:
        """Unhandled errors (FastAPI answers 5xx itself, so these are crashes or timeouts)."""
        self._alarm(
            construct_id, function.metric_errors(period=Duration.minutes(5)), "A Lambda crashed or timed out"
        )
