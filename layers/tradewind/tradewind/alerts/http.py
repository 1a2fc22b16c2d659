"""POSTing one delivery (urllib3: in the Lambda runtime and the layer already, through botocore).

No retries here (SQS retries, with backoff), no redirects (a 3xx is a failure: a webhook that moved
should be edited, and following one could lead anywhere), a connect and a read timeout, and errors
described without the URL: a Telegram URL carries the bot token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from tradewind.alerts.payloads import OutboundRequest
from tradewind.alerts.policy import CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS

MAX_ERROR_BODY = 300


@dataclass(frozen=True)
class Answer:
    """The receiver's status code (``None`` when none came) and, unless it was 2xx, why it failed."""

    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


@cache
def _pool() -> urllib3.PoolManager:
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT_SECONDS, read=READ_TIMEOUT_SECONDS)
    return urllib3.PoolManager(timeout=timeout, retries=False, num_pools=32)


def describe(exc: Exception) -> str:
    """What went wrong, without the URL."""
    if isinstance(exc, ConnectTimeoutError):
        return f"no connection within {CONNECT_TIMEOUT_SECONDS:g} s"
    if isinstance(exc, ReadTimeoutError):
        return f"no answer within {READ_TIMEOUT_SECONDS:g} s"
    if isinstance(exc, NameResolutionError):
        return "host not found"
    if isinstance(exc, SSLError):
        return "TLS handshake failed"
    if isinstance(exc, NewConnectionError):
        return "connection refused"
    if isinstance(exc, ProtocolError):
        return "connection dropped"
    return type(exc).__name__


def post(request: OutboundRequest) -> Answer:
    """Send the request once; 2xx is success, anything else (or no answer) a failure."""
    try:
        response = _pool().request(
            "POST", request.url, body=request.body, headers=request.headers, redirect=False
        )
    except HTTPError as exc:
        return Answer(None, describe(exc))
    if 200 <= response.status < 300:
        return Answer(response.status, None)
    text = response.data[:MAX_ERROR_BODY].decode("utf-8", "replace").strip()
    return Answer(response.status, f"HTTP {response.status}" + (f": {text}" if text else ""))
