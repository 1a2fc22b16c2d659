"""``TradewindAccount``: the one account-level (per region) setting every stage needs, deployed once.

API Gateway writes REST execution logs and REST/WebSocket access logs through a single CloudWatch
role set on the account, per region (``AWS::ApiGateway::Account``). A stage stack that owned it would
take it away from every other stage (and any other API in the account) when destroyed, so it lives
here, retained: deleting this stack leaves the role and the setting in place. Each stage stack
depends on this one, so ``cdk deploy Tradewind-<stage>`` deploys it first (a no-op once it exists).
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.nag import acknowledge

ACCOUNT_STACK_NAME = "TradewindAccount"


class TradewindAccountStack(Stack):
    """The API Gateway CloudWatch logging role and the account setting that points at it."""

    def __init__(self, scope: Construct, construct_id: str = ACCOUNT_STACK_NAME) -> None:
        super().__init__(
            scope,
            construct_id,
            description="Tradewind account-level settings (API Gateway logging role); shared by every stage",
        )
        self.logging_role = iam.Role(
            self,
            "ApiGatewayLoggingRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway pushes execution and access logs to CloudWatch Logs (account-wide)",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
                )
            ],
        )
        self.logging_role.apply_removal_policy(RemovalPolicy.RETAIN)
        self.api_gateway_account = apigw.CfnAccount(
            self, "ApiGatewayAccount", cloud_watch_role_arn=self.logging_role.role_arn
        )
        self.api_gateway_account.apply_removal_policy(RemovalPolicy.RETAIN)
        acknowledge(
            self.logging_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "API Gateway's account-level logging role: AWS's managed policy is the one its documentation "
            "prescribes, and API Gateway names the log groups it creates at run time.",
        )
