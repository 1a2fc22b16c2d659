"""The audit middleware: every mutating call with a known caller becomes one audit record.

One pure ASGI middleware on the app (no code in routes). It lets the call run, watches the answer go
by (status, ``Location``, and a created object's id from a small JSON body), and once the answer is
sent writes one record with a single conditional ``PutItem`` (:func:`tradewind.audit.trail.record`)
in a worker thread. Whatever the outcome is recorded: 2xx, 4xx (a 403 of the role check too: the
caller is known by then) and 5xx, an exception included. A call whose caller is unknown (no or a bad
credential: 401) names no organisation and is not recorded; nor is a person's call (``/me``) that
acts in no organisation (accepting an invitation is filed under the organisation it joined).

A failed audit write does **not** fail the call: the change it records has already happened, so
answering an error would invite a retry that repeats it. It is made loud instead: an ``ERROR`` log
line carrying the whole record (so nothing is lost: it can be replayed from the logs) and the
``AuditWriteFailed`` metric, which has an alarm (docs/audit.md).

A route may add ``request.state.audit_details`` (a small JSON-able dict, never a secret): ``PUT
/settings`` lists the keys it changed there.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import asdict
from typing import Any

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewind.api.observability import SERVICE_NAME, logger
from tradewind.audit import naming, trail
from tradewind.audit.trail import Entry

BODY_CAPTURE_BYTES = 64 * 1024
"""The most of a 2xx answer kept to find a created object's id (records are small objects)."""
METRIC = "AuditWriteFailed"


class AuditMiddleware:
    """Record every audited call after its answer is sent (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in naming.MUTATING_METHODS:
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": 500, "headers": {}, "body": bytearray()}

        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["headers"] = {
                    k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", ())
                }
            elif message["type"] == "http.response.body" and 200 <= seen["status"] < 300:
                body: bytearray = seen["body"]
                if len(body) < BODY_CAPTURE_BYTES:
                    body.extend(message.get("body", b"")[: BODY_CAPTURE_BYTES - len(body)])
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception:
            seen["status"] = 500  # the request middleware answers it
            await _audit(scope, seen)
            raise
        await _audit(scope, seen)


async def _audit(scope: Scope, seen: dict[str, Any]) -> None:
    entry = _entry(scope, seen)
    if entry is None:
        return
    try:
        await to_thread.run_sync(_write, entry)
    except Exception:
        logger.exception("audit write failed", extra={"audit": _loggable(entry)})
        _count_failure()


def _write(entry: Entry) -> None:
    trail.record(entry)  # pynamodb loads on the first write, not with the app


def _entry(scope: Scope, seen: dict[str, Any]) -> Entry | None:
    """The record of this call, or ``None`` when it is not audited (no caller, or a read-only POST)."""
    state: dict[str, Any] = scope.get("state") or {}
    caller = state.get("principal") or state.get("caller")  # a Principal, or a Caller of /me routes
    route = scope.get("route")
    template = getattr(route, "path", None)
    if caller is None or template is None or not naming.is_audited(scope["method"], template):
        return None
    method, status = scope["method"], int(seen["status"])
    headers: dict[str, str] = seen["headers"]
    params = scope.get("path_params") or {}
    body = _plain(bytes(seen["body"]), headers.get("content-encoding"))
    org_id = getattr(caller, "org_id", None) or naming.answer_field(body, "org_id")
    if org_id is None:  # a person in no organisation yet, whose call joined none
        return None
    details: dict[str, Any] = dict(state.get("audit_details") or {})
    if params:
        details.setdefault("path_params", {k: str(v) for k, v in params.items()})
    return trail.new_entry(
        org_id=org_id,
        actor=caller.actor,
        action=naming.action_name(method, template),
        target_id=naming.target_id(method, template, params, status, body, headers.get("location")),
        status=status,
        method=method,
        path=scope.get("path", ""),
        route=template,
        request_id=state.get("request_id"),
        source_ip=_source_ip(scope),
        user_agent=_header(scope, b"user-agent"),
        details=details,
    )


def _plain(body: bytes, encoding: str | None) -> bytes:
    """The answer's bytes as JSON text (GZip sits inside this middleware); empty when cut short."""
    if encoding != "gzip" or not body:
        return body
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return b""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))[:512]
    return None


def _source_ip(scope: Scope) -> str | None:
    """API Gateway's view of the caller's address, else the socket peer (local runs)."""
    event = scope.get("aws.event") or {}
    identity = (event.get("requestContext") or {}).get("identity") or {}
    if isinstance(identity.get("sourceIp"), str):
        return str(identity["sourceIp"])
    client = scope.get("client")
    return str(client[0]) if client else None


def _loggable(entry: Entry) -> dict[str, Any]:
    values = asdict(entry)
    values["created_at"] = entry.created_at.isoformat()
    return values


def _count_failure() -> None:
    """One ``AuditWriteFailed`` datapoint, flushed at once (EMF on stdout), whatever the host."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    try:
        with single_metric(name=METRIC, unit=MetricUnit.Count, value=1, namespace="Tradewind") as metric:
            metric.add_dimension(name="service", value=SERVICE_NAME)
    except Exception:  # the metric must never fail the call either
        logger.exception("could not emit the %s metric", METRIC)
