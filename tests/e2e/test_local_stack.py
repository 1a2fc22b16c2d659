"""``make run``'s stack as a black box: config, frontend fallback, the WebSocket gateway and its
management API, and state surviving a Ctrl-C restart."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import boto3
import httpx
import pytest
import websockets
from botocore.config import Config

from infra.local.launcher import LocalStack as Stack

pytestmark = pytest.mark.e2e


def _management(stack: Stack) -> Any:
    """A management client signed with credentials other than the stack's own (it must be refused)."""
    return boto3.session.Session(
        aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
    ).client("apigatewaymanagementapi", endpoint_url=stack.url, config=Config(retries={"max_attempts": 1}))


async def _next(ws: Any, kind: str) -> dict[str, Any]:
    """The next server message of type ``kind`` (other envelopes are skipped, errors fail)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
        assert message.get("type") != "error", message
        if message.get("type") == kind:
            return message


def test_config_json_tells_the_frontend_where_everything_is(stack: Stack) -> None:
    config = httpx.get(f"{stack.url}/config.json").json()
    cognito = config.pop("cognito")
    assert config == {"apiUrl": stack.url, "wsUrl": stack.ws_url, "stage": "local", "apiKey": stack.api_key}
    # People sign in through the local server's Cognito proxy (docs/accounts.md).
    assert cognito["endpoint"] == f"{stack.url}/cognito/"
    assert cognito["region"] == "us-east-1"
    assert cognito["userPoolId"].startswith("us-east-1_")
    assert cognito["clientId"]
    assert cognito["cliClientId"]
    assert cognito["clientId"] != cognito["cliClientId"]


def test_browser_navigation_gets_the_frontend_and_api_misses_stay_api_errors(stack: Stack) -> None:
    page = httpx.get(f"{stack.url}/some/deep/link", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert httpx.get(f"{stack.url}/", headers={"Accept": "text/html"}).text == page.text
    missing = httpx.get(f"{stack.url}/no-such-route", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    assert httpx.get(f"{stack.url}/health").status_code == 200


def test_a_websocket_client_subscribes_and_receives_what_the_handlers_publish(stack: Stack) -> None:
    async def scenario() -> None:
        async with websockets.connect(stack.ticket_url()) as ws:
            await ws.send(json.dumps({"action": "ping"}))
            connection_id = (await _next(ws, "pong"))["payload"]["connection_id"]
            await ws.send(json.dumps({"action": "subscribe", "topics": ["notifications"]}))
            assert (await _next(ws, "subscribed"))["payload"]["topics"] == ["notifications"]

            # fan-out through the package's publish(): the ping with topics goes to subscribers
            await ws.send(
                json.dumps({"action": "ping", "topics": ["notifications"], "data": {"via": "publish"}})
            )
            fanned = await _next(ws, "pong")
            assert (fanned["topic"], fanned["payload"]["data"]) == ("notifications", {"via": "publish"})

            # the management API answers the stack's own handlers only (signed with its per-start secret)
            management = _management(stack)
            with pytest.raises(management.exceptions.ForbiddenException):
                await asyncio.to_thread(management.post_to_connection, ConnectionId=connection_id, Data=b"{}")

    asyncio.run(scenario())


def test_a_bad_ticket_is_refused_with_4401(stack: Stack) -> None:
    async def scenario() -> int | None:
        async with websockets.connect(f"{stack.ws_url}?ticket=nope") as ws:
            await asyncio.wait_for(ws.wait_closed(), timeout=10)
            return ws.close_code

    assert asyncio.run(scenario()) == 4401


def _wait_for_sample(stack: Stack, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        items = httpx.get(f"{stack.url}/datasets", headers=stack.headers).json()["items"]
        ready = [d for d in items if d["dataset_id"] == "sample" and d["status"] == "ready"]
        if ready or time.monotonic() > deadline:
            assert ready, items
            return ready[0]
        time.sleep(1)


def test_state_survives_a_ctrl_c_restart(stack: Stack) -> None:
    sample = _wait_for_sample(stack)
    created = httpx.post(
        f"{stack.url}/watchlists", headers=stack.headers, json={"name": "before restart", "symbols": []}
    )
    assert created.status_code == 201, created.text
    watchlist = created.json()
    key_before = stack.api_key

    stack.restart()

    assert stack.api_key == key_before
    after = httpx.get(f"{stack.url}/watchlists/{watchlist['watchlist_id']}", headers=stack.headers)
    assert after.status_code == 200, after.text
    assert after.json()["name"] == "before restart"
    datasets = httpx.get(f"{stack.url}/datasets", headers=stack.headers).json()["items"]
    assert [d for d in datasets if d["dataset_id"] == "sample"] == [sample]
    symbol = httpx.get(f"{stack.url}/symbols", params={"q": "A"}, headers=stack.headers).json()["items"][0][
        "symbol"
    ]
    candles = httpx.get(
        f"{stack.url}/symbols/{symbol}/candles", params={"max_points": 50}, headers=stack.headers
    )
    assert candles.status_code == 200, candles.text
