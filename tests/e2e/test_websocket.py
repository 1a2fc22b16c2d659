"""Real WebSocket clients against ``make run``'s stack: tickets on connect (single use, never the key
in the URL), subscribe, a message published by a handler (``ping`` on a topic goes through
``tradewind.realtime.publish``), a revoked key's connections closed, and a ``@connections``
management API that answers only the stack's own handlers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

pytestmark = pytest.mark.e2e

TIMEOUT = 10.0


def ws_url(stack: Any) -> str:
    return str(stack.ws_url)


def ticket_url(stack: Any, headers: dict[str, str] | None = None) -> str:
    """A fresh single-use ticket from ``POST /realtime/tickets`` (the key in a header), in the URL."""
    response = httpx.post(f"{stack.url}/realtime/tickets", headers=headers or stack.headers, timeout=TIMEOUT)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == f"{ws_url(stack)}?ticket={body['ticket']}"
    assert body["expires_in"] == 60
    return str(body["url"])


async def refused_code(url: str) -> int | None:
    """How the gateway refuses a connection: 401 on API Gateway, close code 4401 locally."""
    with pytest.raises((InvalidStatus, ConnectionClosed)) as refused:
        async with connect(url) as ws:
            await receive(ws)
    error = refused.value
    if isinstance(error, InvalidStatus):
        return 4000 + error.response.status_code
    assert isinstance(error, ConnectionClosed)
    return error.rcvd.code if error.rcvd is not None else None


async def receive(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))


async def subscribe(ws: ClientConnection, *topics: str) -> None:
    await ws.send(json.dumps({"action": "subscribe", "topics": list(topics)}))
    ack = await receive(ws)
    assert (ack["type"], ack["payload"]) == ("subscribed", {"topics": list(topics)})


def test_subscriber_receives_what_a_handler_publishes(stack: Any) -> None:
    async def scenario() -> None:
        async with connect(ticket_url(stack)) as sender, connect(ticket_url(stack)) as listener:
            await subscribe(sender, "health")
            await subscribe(listener, "health", "notifications")
            await sender.send(json.dumps({"action": "ping", "topics": ["health"], "data": {"seq": 1}}))
            for ws in (listener, sender):
                message = await receive(ws)
                assert (message["type"], message["topic"]) == ("pong", "health")
                assert message["payload"]["data"] == {"seq": 1}
                assert message["ts"].endswith("Z")

            await sender.send(json.dumps({"action": "subscribe", "topics": ["health", "jobs:1"]}))
            error = await receive(sender)
            assert (error["type"], error["payload"]["field"]) == ("error", "topics[1]")

    asyncio.run(scenario())


def test_a_ticket_opens_one_connection_only(stack: Any) -> None:
    async def scenario() -> None:
        url = ticket_url(stack)
        async with connect(url) as ws:
            await ws.send(json.dumps({"action": "ping"}))
            assert (await receive(ws))["type"] == "pong"
            assert await refused_code(url) == 4401  # replayed, even while the first is open
        assert await refused_code(url) == 4401

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "query", ["?token=KEY", "?api_key=KEY", "?token=tw_not_a_real_key", "?ticket=forged", ""]
)
def test_no_key_in_the_url_and_no_bad_ticket_opens_a_connection(stack: Any, query: str) -> None:
    """Even the valid key is refused in the URL: only a ticket opens a connection."""
    url = ws_url(stack) + query.replace("KEY", stack.api_key)
    assert asyncio.run(refused_code(url)) == 4401


def test_no_ticket_without_a_valid_key(stack: Any) -> None:
    for headers in ({}, {"Authorization": "Bearer tw_000000000000_guess"}):
        assert httpx.post(f"{stack.url}/realtime/tickets", headers=headers).status_code == 401


def test_revoking_a_key_closes_its_connections_within_seconds(stack: Any) -> None:
    created = httpx.post(f"{stack.url}/api-keys", json={"name": "to revoke"}, headers=stack.headers).json()
    doomed_headers = {"Authorization": f"Bearer {created['secret']}"}

    async def scenario() -> None:
        async with connect(ticket_url(stack, doomed_headers)) as doomed, connect(ticket_url(stack)) as other:
            await subscribe(doomed, "health")
            await subscribe(other, "health")
            revoked = await asyncio.to_thread(
                httpx.delete, f"{stack.url}/api-keys/{created['key_id']}", headers=stack.headers
            )
            assert revoked.status_code == 204
            await asyncio.wait_for(doomed.wait_closed(), timeout=5)
            # the other key's connection is untouched and still receives what is published
            await other.send(
                json.dumps({"action": "ping", "topics": ["health"], "data": {"after": "revoke"}})
            )
            pong = await receive(other)
            assert (pong["type"], pong["payload"]["data"]) == ("pong", {"after": "revoke"})

    asyncio.run(scenario())
    refused = httpx.post(f"{stack.url}/realtime/tickets", headers=doomed_headers)
    assert refused.status_code == 401


def test_the_management_api_answers_only_the_stacks_own_handlers(stack: Any) -> None:
    """A program on this machine (or a page in a browser) cannot post to or close connections."""

    async def scenario() -> None:
        async with connect(ticket_url(stack)) as ws:
            await ws.send(json.dumps({"action": "ping"}))
            connection_id = (await receive(ws))["payload"]["connection_id"]
            outsider = boto3.session.Session(
                aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
            ).client(
                "apigatewaymanagementapi", endpoint_url=stack.url, config=Config(retries={"max_attempts": 1})
            )
            for call, kwargs in (
                (outsider.post_to_connection, {"Data": b'{"type": "phish"}'}),
                (outsider.delete_connection, {}),
            ):
                with pytest.raises(ClientError) as refused:
                    await asyncio.to_thread(call, ConnectionId=connection_id, **kwargs)
                assert refused.value.response["Error"]["Code"] == "ForbiddenException"
            unsigned = await asyncio.to_thread(
                httpx.post, f"{stack.url}/@connections/{connection_id}", content=b'{"type": "phish"}'
            )
            assert unsigned.status_code == 403
            await ws.send(json.dumps({"action": "ping", "data": {"still": "open"}}))
            assert (await receive(ws))["payload"]["data"] == {"still": "open"}  # nothing else arrived

    asyncio.run(scenario())
