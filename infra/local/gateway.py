"""A local stand-in for API Gateway WebSocket APIs and their ``@connections`` management API.

Clients connect to ``ws://host:port/ws?ticket=TICKET`` (from ``POST /realtime/tickets``). Each
lifecycle step calls the function the template routes it to, with an API-Gateway-shaped event:
``$connect`` (a ``statusCode`` >= 400 refuses the connection: the socket is closed with
``4000 + status``, e.g. 4401), each message (routed by ``$request.body.action`` when such a route
exists, else ``$default``) and ``$disconnect``. Handlers reply through ``POST /@connections/{id}``
exactly as they do on AWS, with a boto3 ``apigatewaymanagementapi`` client whose endpoint is this
server; an unknown id gets ``410 GoneException``.

Like AWS's, the management API only answers requests signed (SigV4) with the credentials of the
process: ``make run`` sets a random secret access key per start in its own environment, which the
in-process handlers' boto3 clients sign with and nothing outside the process knows. An unsigned or
wrongly signed request (a browser, another local program) gets ``403 ForbiddenException``.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from anyio import to_thread
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket, WebSocketDisconnect

from infra.local.lambda_runtime import LambdaRuntime

log = logging.getLogger("tradewind.local.ws")


@dataclass
class Connection:
    """An open socket and what ``GET @connections/{id}`` reports about it."""

    websocket: WebSocket
    source_ip: str
    user_agent: str
    connected_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_active_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _now_ms() -> int:
    return int(time.time() * 1000)


def _gone(connection_id: str) -> Response:
    return JSONResponse(
        {"message": f"connection {connection_id} is gone"},
        status_code=410,
        headers={"x-amzn-ErrorType": "GoneException"},
    )


def _forbidden(reason: str) -> Response:
    log.warning("refused a @connections request: %s", reason)
    return JSONResponse(
        {"message": f"Forbidden: {reason}"},
        status_code=403,
        headers={"x-amzn-ErrorType": "ForbiddenException"},
    )


_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
    r"(?P<service>[^/,\s]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)
MAX_CLOCK_SKEW_SECONDS = 300
"""A signed request older or newer than this is refused (AWS allows 5 minutes too)."""


@dataclass(frozen=True)
class ManagementCredentials:
    """The credentials a ``@connections`` request must be SigV4-signed with."""

    access_key: str
    secret_key: str

    def check(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> str | None:
        """Why the request is not signed by these credentials, or ``None`` when it is.

        The signature is recomputed with botocore's own signer over exactly the headers the client
        says it signed, with the client's timestamp (checked against the clock), and compared in
        constant time.
        """
        match = _AUTHORIZATION.fullmatch(headers.get("authorization", "").strip())
        if match is None:
            return "missing or malformed SigV4 Authorization header"
        if not hmac.compare_digest(match["key"], self.access_key):
            return "unknown access key"
        stamp = headers.get("x-amz-date", "")
        try:
            signed_at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return "missing or malformed X-Amz-Date"
        if abs((datetime.now(UTC) - signed_at).total_seconds()) > MAX_CLOCK_SKEW_SECONDS:
            return "signature expired"
        if not stamp.startswith(match["date"]):
            return "credential date does not match X-Amz-Date"
        names = match["headers"].split(";")
        if any(name not in headers for name in names):
            return "a signed header is missing"
        request = AWSRequest(method=method, url=url, data=body, headers={n: headers[n] for n in names})
        request.context["timestamp"] = stamp
        signer = SigV4Auth(Credentials(self.access_key, self.secret_key), match["service"], match["region"])
        expected = signer.signature(
            signer.string_to_sign(request, signer.canonical_request(request)), request
        )
        return None if hmac.compare_digest(expected, match["signature"]) else "signature does not match"


class WebSocketGateway:
    """Connections by id, the lifecycle calls into the handlers, and the management routes.

    ``credentials`` are those the handlers' management client signs with (the process's own);
    every ``@connections`` request must carry their signature.
    """

    def __init__(
        self,
        runtime: LambdaRuntime,
        routes: dict[str, str],
        credentials: ManagementCredentials,
        stage: str = "local",
    ) -> None:
        self.runtime = runtime
        self.routes = routes
        self.credentials = credentials
        self.stage = stage
        self.connections: dict[str, Connection] = {}

    def _context(
        self, websocket: WebSocket, connection_id: str, route_key: str, event_type: str
    ) -> dict[str, Any]:
        client = websocket.client
        now = _now_ms()
        return {
            "routeKey": route_key,
            "eventType": event_type,
            "messageDirection": "IN",
            "extendedRequestId": uuid.uuid4().hex,
            "requestTime": datetime.now(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": now,
            "requestId": uuid.uuid4().hex,
            "stage": self.stage,
            "connectedAt": int(self.connections[connection_id].connected_at.timestamp() * 1000)
            if connection_id in self.connections
            else now,
            "identity": {
                "sourceIp": client.host if client else "127.0.0.1",
                "userAgent": websocket.headers.get("user-agent", ""),
            },
            "domainName": websocket.headers.get("host", "127.0.0.1"),
            "connectionId": connection_id,
            "apiId": "local",
        }

    async def _call(self, route_key: str, event: dict[str, Any]) -> tuple[Any, bool]:
        function = self.routes.get(route_key)
        if function is None:
            return {"statusCode": 200}, False
        result, errored = await to_thread.run_sync(self.runtime.invoke, function, event)
        return result, errored

    async def serve(self, websocket: WebSocket) -> None:
        """The ``/ws`` endpoint: connect, relay messages, disconnect."""
        connection_id = base64.urlsafe_b64encode(os.urandom(10)).decode()
        headers = dict(websocket.headers)
        query = dict(websocket.query_params)
        context = self._context(websocket, connection_id, "$connect", "CONNECT")
        event: dict[str, Any] = {
            "requestContext": context,
            "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: websocket.query_params.getlist(k) for k in query} or None,
            "isBase64Encoded": False,
        }
        result, errored = await self._call("$connect", event)
        status = int(result.get("statusCode", 200)) if isinstance(result, dict) and not errored else 500
        await websocket.accept()
        if status >= 400:
            log.info("connection refused with %s", status)
            await websocket.close(code=4000 + status if status < 500 else 1011)
            return
        self.connections[connection_id] = Connection(
            websocket, context["identity"]["sourceIp"], headers.get("user-agent", "")
        )
        close_code = 1000
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    close_code = int(message.get("code", 1000))
                    break
                await self._message(websocket, connection_id, message)
        except WebSocketDisconnect as disconnect:
            close_code = disconnect.code
        finally:
            self.connections.pop(connection_id, None)
            context = self._context(websocket, connection_id, "$disconnect", "DISCONNECT")
            context.update({"disconnectStatusCode": close_code, "disconnectReason": ""})
            await self._call(
                "$disconnect", {"requestContext": context, "headers": headers, "isBase64Encoded": False}
            )

    async def _message(self, websocket: WebSocket, connection_id: str, message: Mapping[str, Any]) -> None:
        text = message.get("text")
        raw = message.get("bytes")
        body, encoded = (text, False) if text is not None else (base64.b64encode(raw or b"").decode(), True)
        route_key = "$default"
        if text is not None:
            try:
                action = json.loads(text).get("action")
            except (ValueError, AttributeError):
                action = None
            if isinstance(action, str) and action in self.routes:
                route_key = action
        self.connections[connection_id].last_active_at = datetime.now(UTC)
        context = self._context(websocket, connection_id, route_key, "MESSAGE")
        context["messageId"] = uuid.uuid4().hex
        _, errored = await self._call(
            route_key, {"requestContext": context, "body": body, "isBase64Encoded": encoded}
        )
        if errored:
            await websocket.send_text(
                json.dumps({"message": "Internal server error", "connectionId": connection_id})
            )

    # -- the @connections management API --------------------------------------------------------

    async def _refusal(self, request: Request) -> Response | None:
        """403 unless the request is signed with the process's credentials (see the module doc)."""
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string", b"")
        url = f"http://{request.headers.get('host', 'localhost')}{raw_path.decode('latin-1')}"
        url += f"?{query.decode('latin-1')}" if query else ""
        reason = self.credentials.check(request.method, url, request.headers, await request.body())
        return None if reason is None else _forbidden(reason)

    async def post_to_connection(self, request: Request) -> Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        connection_id = request.path_params["connection_id"]
        connection = self.connections.get(connection_id)
        if connection is None:
            return _gone(connection_id)
        data = await request.body()
        try:
            await connection.websocket.send_text(data.decode())
        except UnicodeDecodeError:
            await connection.websocket.send_bytes(data)
        except RuntimeError:
            return _gone(connection_id)
        return Response(status_code=200)

    async def get_connection(self, request: Request) -> Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        connection_id = request.path_params["connection_id"]
        connection = self.connections.get(connection_id)
        if connection is None:
            return _gone(connection_id)
        return JSONResponse(
            {
                "connectedAt": connection.connected_at.isoformat(),
                "lastActiveAt": connection.last_active_at.isoformat(),
                "identity": {"sourceIp": connection.source_ip, "userAgent": connection.user_agent},
            }
        )

    async def delete_connection(self, request: Request) -> Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        connection_id = request.path_params["connection_id"]
        connection = self.connections.pop(connection_id, None)
        if connection is None:
            return _gone(connection_id)
        await connection.websocket.close(code=1000)
        return Response(status_code=204)

    def management_routes(self) -> list[Route]:
        path = "/@connections/{connection_id}"
        return [
            Route(path, self.post_to_connection, methods=["POST"]),
            Route(path, self.get_connection, methods=["GET"]),
            Route(path, self.delete_connection, methods=["DELETE"]),
        ]
