"""Where the WebSocket handlers post their replies."""

import pytest
from aws_lambda_powertools.utilities.data_classes.api_gateway_websocket_event import (
    APIGatewayWebSocketEventRequestContext,
)
from tradewind.aws import reset_clients
from tradewind.realtime.gateway import management_endpoint

CONTEXT = APIGatewayWebSocketEventRequestContext(
    {"domainName": "abc.execute-api.eu-west-1.amazonaws.com", "stage": "prod"}
)


def test_endpoint_from_the_event_when_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TW_WS_MANAGEMENT_ENDPOINT", raising=False)
    reset_clients()
    assert management_endpoint(CONTEXT) == "https://abc.execute-api.eu-west-1.amazonaws.com/prod"


def test_configured_endpoint_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_WS_MANAGEMENT_ENDPOINT", "http://127.0.0.1:8000")
    reset_clients()
    assert management_endpoint(CONTEXT) == "http://127.0.0.1:8000"
    monkeypatch.delenv("TW_WS_MANAGEMENT_ENDPOINT")
    reset_clients()
