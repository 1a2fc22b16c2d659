"""Realtime: a short-lived, single-use ticket to open the WebSocket with (docs/websocket.md).

The credential (an API key or a signed-in person's ID token) travels in a header here, never in a
URL; the WebSocket URL carries only the ticket, which ``$connect`` consumes. The realtime modules
(pynamodb) load inside the route, not at import.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import CurrentPrincipal
from tradewind.errors import Unauthorized
from tradewind.settings import get_settings

router = APIRouter(prefix="/realtime", tags=["realtime"])


class TicketOut(BaseModel):
    ticket: str = Field(description="pass as `?ticket=` when opening the WebSocket; works once")
    expires_in: int = Field(description="seconds left to open the WebSocket with it")
    url: str | None = Field(
        description="the WebSocket URL with the ticket in it (null when this deployment has no WebSocket URL)"
    )


@router.post(
    "/tickets",
    status_code=status.HTTP_201_CREATED,
    summary="Get a single-use ticket to open the WebSocket with (valid 60 s)",
)
def create_ticket(principal: CurrentPrincipal, request: Request, response: Response) -> TicketOut:
    from tradewind.accounts.authorizer import credential
    from tradewind.realtime import tickets

    if principal.actor.startswith("user:"):
        issued = tickets.issue_for_person(principal.org_id, principal.actor)
    else:
        # The key again, past any resolution cache: a key revoked a moment ago gets no ticket.
        issued = tickets.issue(credential(request.headers) or "")
        if issued.tenant_id != principal.org_id:  # only a changed record can differ
            raise Unauthorized("invalid or revoked API key")
    response.headers["Cache-Control"] = "no-store"
    ws_url = get_settings().ws_url
    url = f"{ws_url}{'&' if '?' in ws_url else '?'}ticket={issued.ticket}" if ws_url else None
    return TicketOut(ticket=issued.ticket, expires_in=issued.expires_in, url=url)
