"""Realtime: a short-lived, single-use ticket to open the WebSocket with (docs/websocket.md).

The API key travels in a header here, never in a URL; the WebSocket URL carries only the ticket,
which ``$connect`` consumes. The realtime modules (pynamodb) load inside the route, not at import.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.errors import Unauthorized
from tradewind.settings import get_settings

router = APIRouter(prefix="/realtime", tags=["realtime"])


class TicketOut(BaseModel):
    ticket: str = Field(description="pass as `?ticket=` when opening the WebSocket; works once")
    expires_in: int = Field(description="seconds left to open the WebSocket with it")
    url: str | None = Field(
        description="the WebSocket URL with the ticket in it (null when this deployment has no WebSocket URL)"
    )


def _presented_key(request: Request) -> str:
    """The key the caller authenticated with (``Tenant`` has already checked it): as
    :func:`tradewind.api.auth.current_principal` reads it, a Bearer token first, else ``X-Api-Key``."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = request.headers.get("x-api-key")
    if not key:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'")
    return key


@router.post(
    "/tickets",
    status_code=status.HTTP_201_CREATED,
    summary="Get a single-use ticket to open the WebSocket with (valid 60 s)",
)
def create_ticket(tenant: Tenant, request: Request, response: Response) -> TicketOut:
    from tradewind.realtime import tickets

    issued = tickets.issue(_presented_key(request))
    if issued.tenant_id != tenant:  # the same key resolved twice: only a changed record can differ
        raise Unauthorized("invalid or revoked API key")
    response.headers["Cache-Control"] = "no-store"
    ws_url = get_settings().ws_url
    url = f"{ws_url}{'&' if '?' in ws_url else '?'}ticket={issued.ticket}" if ws_url else None
    return TicketOut(ticket=issued.ticket, expires_in=issued.expires_in, url=url)
