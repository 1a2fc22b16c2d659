"""The request envelope: a request id on every response and log line, a bounded body, a clean 500.

Pure ASGI middlewares (no per-request ``BaseHTTPMiddleware`` task overhead).
:class:`RequestContextMiddleware` honours an incoming
``X-Request-Id`` (when it is a sane token), else reuses API Gateway's request id, else makes one; puts it
in ``request.state.request_id``, in the Powertools log keys and in the ``X-Request-Id`` response header.
An exception no handler knows is logged with that id and answered with a problem+json 500 that leaks
nothing of the internals. :class:`BodyLimitMiddleware` answers 413 for a body over
``settings.max_request_body_bytes`` before anything reads it whole or parses it.
:class:`GatewayRootPathMiddleware` makes /docs work under an API stage.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewind.api.errors import PROBLEM_JSON, TOO_LARGE, BodyTooLarge, problem_body, too_large_errors
from tradewind.api.observability import logger

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if _VALID_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    event = scope.get("aws.event") or {}
    gateway_id = (event.get("requestContext") or {}).get("requestId")
    if isinstance(gateway_id, str) and _VALID_REQUEST_ID.fullmatch(gateway_id):
        return gateway_id
    return uuid.uuid4().hex


class GatewayRootPathMiddleware:
    """Behind API Gateway, tell the app the path prefix the browser sees (the stage, or a base path).

    Mangum passes the path without the stage (``/docs`` for ``/prod/docs``) and an empty ``root_path``,
    so /docs would load ``/openapi.json`` instead of ``/prod/openapi.json``. The prefix is what the
    request context's full path has before the proxied path; it goes into ``root_path`` and, as ASGI
    has it, in front of ``path`` (a problem's ``instance`` is then the path the client called).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        event = scope.get("aws.event")
        if event and not scope.get("root_path"):
            full = (event.get("requestContext") or {}).get("path") or ""
            path = event.get("path") or ""
            if path and full.endswith(path) and len(full) > len(path):
                # As ASGI has it, ``path`` includes ``root_path``: Starlette routes (and mounts, such as
                # the docs' assets) on the path with the root path taken off.
                prefix = full[: -len(path)].rstrip("/")
                scope = {**scope, "root_path": prefix, "path": prefix + scope["path"]}
        await self.app(scope, receive, send)


class RequestContextMiddleware:
    """Outermost app middleware: request id in, request id out, problem+json 500 on the unexpected."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        logger.thread_safe_append_keys(request_id=request_id)
        header = (REQUEST_ID_HEADER, request_id.encode("latin-1"))
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception(
                "unhandled error", extra={"path": scope.get("path"), "method": scope.get("method")}
            )
            if started:
                raise
            detail = "unexpected error; quote the request id when reporting it"
            await _send_problem(send, scope, 500, "Internal error", detail, extra_headers=[header])
        finally:
            logger.thread_safe_remove_keys(["request_id"])


class BodyLimitMiddleware:
    """413 for a request body longer than ``max_bytes``, before the app reads or parses it.

    A ``Content-Length`` over the limit is answered at once, the body unread; a body without one
    (chunked) is counted as it streams in and refused as soon as it passes the limit. Sits inside
    CORS, so a browser can read the answer. Only methods whose operations take a body are checked: no
    route reads the body of a GET or DELETE, and the document promises 413 only where a body is taken.
    """

    CHECKED_METHODS = frozenset({"POST", "PUT", "PATCH"})

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in self.CHECKED_METHODS:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            detail = str(BodyTooLarge(self.max_bytes).detail)
            await _send_problem(send, scope, 413, TOO_LARGE, detail, too_large_errors(detail))
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)  # the app's error handlers answer the 413
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _send_problem(
    send: Send,
    scope: Scope,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    state: dict[str, Any] = scope.get("state", {})
    body = json.dumps(
        problem_body(
            status=status,
            title=title,
            detail=detail,
            instance=scope.get("path"),
            request_id=state.get("request_id"),
            errors=errors,
        )
    ).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": [*headers, *(extra_headers or [])]}
    )
    await send({"type": "http.response.body", "body": body})
