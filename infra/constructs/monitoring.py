"""Alarms that mean "someone should look": poison imports, failed workflows, API errors and slowness.

CloudWatch can only publish to an encrypted topic whose key lets ``cloudwatch.amazonaws.com`` use it:
the AWS-managed ``alias/aws/sns`` key cannot (its policy is fixed), so the topic has its own
customer-managed key (rotated yearly) and a topic policy admitting CloudWatch from this account.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.stages import StageSettings

PERIOD = Duration.minutes(5)
# The API's 99th percentile latency (ms, as API Gateway measures it) that pages after
# LATENCY_PERIODS periods in a row: well above a cold start (about 2 s), well below the 29 s timeout.
LATENCY_P99_MS = 5000
LATENCY_PERIODS = 3


class Monitoring(Construct):
    """An alarm topic (emailed when the stage sets ``alarm_email``) and the alarms that feed it."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "AlarmsKey",
            description=f"Tradewind {settings.name}: encrypts the alarm topic (CloudWatch may use it)",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY if settings.throwaway else RemovalPolicy.RETAIN,
        )
        # CloudWatch encrypts each alarm notification it publishes with the topic's key.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToUseTheKey",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" is this key
            )
        )
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"Tradewind {settings.name} alarms",
            enforce_ssl=True,
            master_key=self.key,
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(
        self,
        construct_id: str,
        metric: cloudwatch.Metric,
        description: str,
        *,
        threshold: float = 1,
        evaluation_periods: int = 1,
    ) -> None:
        alarm = metric.create_alarm(
            self,
            construct_id,
            alarm_description=description,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)

    def dead_letters(self, construct_id: str, queue: sqs.IQueue) -> None:
        """Any message in a DLQ is a poison message that needs a human."""
        self._alarm(
            construct_id,
            queue.metric_approximate_number_of_messages_visible(period=PERIOD),
            "Messages reached a dead-letter queue after their retries",
        )

    def failed_executions(self, construct_id: str, machine: sfn.StateMachine) -> None:
        """A failed workflow execution (after its task retries)."""
        self._alarm(construct_id, machine.metric_failed(period=PERIOD), "A workflow failed")

    def function_errors(self, construct_id: str, function: lambda_.IFunction) -> None:
        """Unhandled errors (FastAPI answers 5xx itself, so these are crashes or timeouts)."""
        self._alarm(construct_id, function.metric_errors(period=PERIOD), "A Lambda crashed or timed out")

    def api_server_errors(self, construct_id: str, stage: apigw.Stage) -> None:
        """Any 5xx a client received from the REST API (FastAPI's own, a crash, a timeout)."""
        self._alarm(
            construct_id,
            stage.metric_server_error(period=PERIOD, statistic=cloudwatch.Stats.SUM),
            "The REST API answered 5xx",
        )

    def audit_write_failures(self, construct_id: str) -> None:
        """An audit record could not be written (the API logged it whole: docs/audit.md)."""
        metric = cloudwatch.Metric(
            namespace="Tradewind",
            metric_name="AuditWriteFailed",
            dimensions_map={"service": "api"},
            period=PERIOD,
            statistic=cloudwatch.Stats.SUM,
        )
        self._alarm(construct_id, metric, "An audit record could not be written; it is in the API's logs")

    def api_latency(self, construct_id: str, stage: apigw.Stage) -> None:
        """The REST API's p99 latency stayed above ``LATENCY_P99_MS`` for ``LATENCY_PERIODS`` periods."""
        self._alarm(
            construct_id,
            stage.metric_latency(period=PERIOD, statistic=cloudwatch.Stats.p(99)),
            f"The REST API's p99 latency exceeded {LATENCY_P99_MS} ms for {LATENCY_PERIODS} periods",
            threshold=LATENCY_P99_MS,
            evaluation_periods=LATENCY_PERIODS,
        )
