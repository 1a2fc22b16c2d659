"""Real WebSocket clients against ``make run``'s stack: auth on connect, subscribe, and a message
published by a handler (``ping`` on a topic goes through ``tradewind.realtime.publish``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

pytestmark = pytest.mark.e2e

TIMEOUT = 10.0


def ws_url(stack: Any) -> str:
    return str(stack.ws_url)


async def receive(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))


async def subscribe(ws: ClientConnection, *topics: str) -> None:
    await ws.send(json.dumps({"action": "subscribe", "topics": list(topics)}))
    ack = await receive(ws)
    assert (ack["type"], ack["payload"]) == ("subscribed", {"topics": list(topics)})


def test_subscriber_receives_what_a_handler_publishes(stack: Any) -> None:
    async def scenario() -> None:
        async with (
            connect(f"{ws_url(stack)}?token={stack.api_key}") as sender,
            connect(
                ws_url(stack), additional_headers={"Authorization": f"Bearer {stack.api_key}"}
            ) as listener,
        ):
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


@pytest.mark.parametrize("query", ["?token=tw_not_a_real_key", ""])
def test_a_bad_or_missing_key_is_refused(stack: Any, query: str) -> None:
    """API Gateway answers the upgrade with 401; the local gateway closes the socket with 4401."""

    async def scenario() -> None:
        with pytest.raises((InvalidStatus, ConnectionClosed)) as refused:
            async with connect(ws_url(stack) + query) as ws:
                await receive(ws)
        error = refused.value
        if isinstance(error, InvalidStatus):
            assert error.response.status_code == 401
        else:
            assert error.rcvd is not None
            assert error.rcvd.code == 4401

    asyncio.run(scenario())
