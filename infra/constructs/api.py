"""The REST API: API Gateway (proxy, throttled, access-logged, traced) in front of the api Lambda.

Every path goes to FastAPI, behind the accounts authorizer (docs/accounts.md) except the anonymous
ones: the health probes (``PUBLIC_ROUTES``), the API's docs pages, and CORS preflights (``OPTIONS``,
answered by FastAPI's CORS middleware: a browser sends no credential with them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct
from tradewind.accounts.route_roles import PUBLIC_ROUTES

from infra.constructs.function import python_function
from infra.nag import acknowledge
from infra.stages import StageSettings

ANONYMOUS_PAGES = ("docs", "redoc", "openapi.json", "docs-assets")
"""First path segments of the API's own docs (a browser page load carries no credential)."""


class Api(Construct):
    """``LambdaRestApi`` proxying every path to FastAPI, which owns routing, roles, CORS and errors;
    the authorizer turns unauthenticated requests away before they reach it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code_dir: Path,
        layers: Sequence[lambda_.ILayerVersion],
        settings: StageSettings,
        authorizer: apigw.IAuthorizer,
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
            proxy=False,
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
        self._routes(authorizer)
        self._acknowledge()

    def _routes(self, authorizer: apigw.IAuthorizer) -> None:
        """``ANY`` on ``/`` and ``/{proxy+}`` behind the authorizer; anonymous methods where needed.
        (A default authorizer could not be lifted from single methods: CDK refuses NONE then.)"""
        root = self.rest_api.root
        none = apigw.AuthorizationType.NONE
        custom = apigw.AuthorizationType.CUSTOM
        proxy = root.add_resource("{proxy+}")
        for resource in (root, proxy):
            resource.add_method("ANY", authorizer=authorizer, authorization_type=custom)
            resource.add_method("OPTIONS", authorization_type=none)
        for _method, path in sorted(PUBLIC_ROUTES):
            resource = root.resource_for_path(path)
            resource.add_method("GET", authorization_type=none)
            resource.add_method("OPTIONS", authorization_type=none)
        # Under an anonymous path, its other children (``/health/system``) stay behind the authorizer.
        for parent in sorted({p.rsplit("/", 1)[0] for _, p in PUBLIC_ROUTES} - {""}):
            nested = root.resource_for_path(parent).add_resource("{proxy+}")
            nested.add_method("ANY", authorizer=authorizer, authorization_type=custom)
            nested.add_method("OPTIONS", authorization_type=none)
        for page in ANONYMOUS_PAGES:
            page_root = root.add_resource(page)
            page_root.add_method("GET", authorization_type=none)
            page_root.add_resource("{proxy+}").add_method("GET", authorization_type=none)
        # The authorizer's refusals are the gateway's own answers: let a browser read them.
        for response_type in (apigw.ResponseType.UNAUTHORIZED, apigw.ResponseType.ACCESS_DENIED):
            self.rest_api.add_gateway_response(
                f"{response_type.response_type}Response",
                type=response_type,
                response_headers={
                    "Access-Control-Allow-Origin": "'*'",
                    "WWW-Authenticate": "'Bearer realm=\"tradewind\"'",
                },
            )

    @property
    def url(self) -> str:
        """The stage's invoke URL (``https://{id}.execute-api.{region}.amazonaws.com/{stage}/``)."""
        return self.rest_api.url

    def _acknowledge(self) -> None:
        reason_auth = (
            "Every route is behind the accounts REQUEST authorizer except the anonymous ones: health "
            "probes, the API's docs pages and CORS preflights (OPTIONS, which carry no credential)."
        )
        acknowledge(self.rest_api, "AwsSolutions-APIG4", reason_auth)
        acknowledge(
            self.rest_api,
            "AwsSolutions-COG4",
            "A Lambda REQUEST authorizer verifies the pool's ID tokens (JWKS, iss, aud, token_use) and "
            "also API keys, which a Cognito authorizer cannot: " + reason_auth,
        )
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
