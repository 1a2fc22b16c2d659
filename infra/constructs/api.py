"""The REST API: API Gateway (proxy, throttled, access-logged, traced) in front of the api Lambda."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constructs.function import python_function
from infra.nag import acknowledge
from infra.stages import StageSettings


class Api(Construct):
    """``LambdaRestApi`` proxying every path to FastAPI, which owns routing, auth, CORS and errors."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = python_function(
            self,
            "Function",
            code_dir=code_dir,
            handler="handler.handler",
            service="api",
            layers=layers,
            settings=settings,
            memory_mb=1024,
            timeout=Duration.seconds(29),
            # Held back for the API alone: a wide sweep's workers can never starve it.
            reserved_concurrency=settings.api_reserved_concurrency,
            description="Tradewind HTTP API (FastAPI behind Mangum)",
        )
        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=settings.log_retention, removal_policy=settings.removal_policy
        )
        self.rest_api = apigw.LambdaRestApi(
            self,
            "RestApi",
            handler=self.function,
            proxy=True,
            rest_api_name=f"tradewind-{settings.name}",
            description="Tradewind REST API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Mangum base64-encodes GZip-compressed bodies; API Gateway only decodes them for these types.
            binary_media_types=["*/*"],
            # Execution and access logs need the account-level (per region) API Gateway CloudWatch role.
            # A stage must not own it (destroying a dev stage would break every other stage's logging):
            # the TradewindAccount stack (infra/account.py) sets it once and retains it.
            cloud_watch_role=False,
            deploy_options=apigw.StageOptions(
                stage_name=settings.name,
                throttling_rate_limit=settings.api_rate_limit,
                throttling_burst_limit=settings.api_burst_limit,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                metrics_enabled=True,
                tracing_enabled=True,
            ),
        )
        self._acknowledge()

    @property
    def url(self) -> str:
        """The stage's invoke URL (``https://{id}.execute-api.{region}.amazonaws.com/{stage}/``)."""
        return self.rest_api.url

    def _acknowledge(self) -> None:
        reason_auth = (
            "Every route except /health* authenticates inside the api Lambda with tenant-scoped, hashed "
            "API keys (Authorization: Bearer or X-Api-Key); health checks must stay anonymous."
        )
        acknowledge(self.rest_api, "AwsSolutions-APIG4", reason_auth)
        acknowledge(self.rest_api, "AwsSolutions-COG4", reason_auth + " Tradewind has no Cognito pool.")
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG2",
            "The proxy forwards to FastAPI, which validates every body and parameter with pydantic and "
            "answers 4xx problem+json naming the field; a second, drifting schema here would disagree.",
        )
        acknowledge(
            self.rest_api.deployment_stage,
            "AwsSolutions-APIG3",
            "Stage throttling (per-stage rate/burst) bounds abuse; a WAF web ACL is an account-level choice.",
        )
