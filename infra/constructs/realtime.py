"""Realtime: the WebSocket API, its $connect/$disconnect/$default Lambdas and the connections table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jsii
from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import WebSocketLambdaIntegration
from constructs import Construct

from infra.constructs.data import pk_sk_table
from infra.constructs.function import python_function
from infra.nag import acknowledge
from infra.stages import StageSettings

# API Gateway's WebSocket access-log variables (the v2 stage has no JSON helper like REST's).
_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","connectionId":"$context.connectionId",'
    '"routeKey":"$context.routeKey","eventType":"$context.eventType","status":"$context.status",'
    '"ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"error":"$context.error.message","integrationError":"$context.integrationErrorMessage"}'
)


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    """JSON access logs into a log group (the v2 L2 takes an interface, not a struct)."""

    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return apigw.AccessLogFormat.custom(_ACCESS_LOG_FORMAT)


class Realtime(Construct):
    """Browsers connect here; ``tradewind.realtime.publish`` posts back through the management API."""

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
        self.connections_table = pk_sk_table(self, "ConnectionsTable", settings)

        def handler(
            construct_id: str, folder: str, description: str, timeout: Duration = Duration.seconds(10)
        ) -> lambda_.Function:
            return python_function(
                self,
                construct_id,
                code_dir=functions_dir / folder,
                handler="handler.handler",
                service=folder,
                layers=layers,
                settings=settings,
                memory_mb=512,
                timeout=timeout,
                description=description,
            )

        self.connect = handler("Connect", "ws_connect", "WebSocket $connect: authenticate, record")
        self.disconnect = handler("Disconnect", "ws_disconnect", "WebSocket $disconnect: forget")
        self.default = handler("DefaultRoute", "ws_default", "WebSocket $default: subscribe/unsubscribe")
        self.janitor = handler(
            "Janitor", "janitor", "Scheduled: prune stale WebSocket connections", Duration.minutes(1)
        )

        self.api = apigwv2.WebSocketApi(
            self,
            "WebSocketApi",
            api_name=f"tradewind-{settings.name}-ws",
            description="Tradewind realtime (subscribe to topics, receive published messages)",
            route_selection_expression="$request.body.action",
            connect_route_options=apigwv2.WebSocketRouteOptions(
                integration=WebSocketLambdaIntegration("ConnectIntegration", self.connect)
            ),
            disconnect_route_options=apigwv2.WebSocketRouteOptions(
                integration=WebSocketLambdaIntegration("DisconnectIntegration", self.disconnect)
            ),
            default_route_options=apigwv2.WebSocketRouteOptions(
                integration=WebSocketLambdaIntegration("DefaultIntegration", self.default)
            ),
        )
        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=settings.log_retention, removal_policy=settings.removal_policy
        )
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=settings.name,
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=settings.api_rate_limit, burst_limit=settings.api_burst_limit
            ),
            access_log_settings=_AccessLogSettings(access_logs),
        )
        acknowledge(
            self.api,
            "AwsSolutions-APIG4",
            "$connect authorizes in its Lambda: it consumes a single-use, 60 s ticket from the query string "
            "(issued by the API-key-authenticated POST /realtime/tickets) and rejects the upgrade otherwise; "
            "$disconnect/$default are only reachable on a connection $connect accepted.",
        )

    @property
    def functions(self) -> list[lambda_.Function]:
        """Every Lambda of the realtime capability."""
        return [self.connect, self.disconnect, self.default, self.janitor]

    @property
    def url(self) -> str:
        """``wss://{id}.execute-api.{region}.amazonaws.com/{stage}``: what browsers connect to."""
        return self.stage.url

    @property
    def management_endpoint(self) -> str:
        """``https://{id}.execute-api.{region}.amazonaws.com/{stage}``: where publish posts."""
        return self.stage.callback_url
