"""Notification routes: the caller's notifications newest first, the unread count, marking read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from tradewind.api.auth import Tenant
from tradewind.api.errors import PROBLEM_RESPONSES
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.services import notifications

router = APIRouter(prefix="/notifications", tags=["notifications"], responses=PROBLEM_RESPONSES)

NotificationId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,64}$")]
Unread = Annotated[bool, Query(description="only unread notifications")]

# The sort-key attribute and prefix a token of each list carries (tokens are not interchangeable).
_TOKEN_SHAPE = {
    False: ("sk", "NOTIF#", {"pk", "sk"}),
    True: ("gsi1sk", "UNREAD#", {"pk", "sk", "gsi1pk", "gsi1sk"}),
}


class NotificationOut(BaseModel):
    notification_id: str
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class UnreadCountOut(BaseModel):
    unread: int


class MarkedOut(BaseModel):
    marked: int


def _out(n: notifications.Notification) -> NotificationOut:
    return NotificationOut(**vars(n))


def _start(tenant: str, token: str | None, unread: bool) -> dict[str, Any] | None:
    """The key to continue from, checked to come from this same list (all or unread)."""
    start = decode_token(token, partition=tenant_pk(tenant))
    if start is None:
        return None
    attr, prefix, names = _TOKEN_SHAPE[unread]
    if set(start) != names or not start[attr]["S"].startswith(prefix):
        problem = FieldProblem(["query", "next_token"], "token belongs to another list")
        raise InvalidInput("invalid next_token: token belongs to another list", [problem])
    return start


@router.get("", summary="List your notifications, newest first")
def list_all(
    tenant: Tenant, limit: Limit = 50, next_token: NextToken = None, unread: Unread = False
) -> Page[NotificationOut]:
    start = _start(tenant, next_token, unread)
    items, last = notifications.list_notifications(tenant, limit, start, unread_only=unread)
    return Page(items=[_out(n) for n in items], next_token=encode_token(last))


@router.get("/unread-count", summary="How many notifications are unread")
def unread_count(tenant: Tenant) -> UnreadCountOut:
    return UnreadCountOut(unread=notifications.unread_count(tenant))


@router.post("/read-all", summary="Mark every notification read")
def read_all(tenant: Tenant) -> MarkedOut:
    return MarkedOut(marked=notifications.mark_all_read(tenant))


@router.post("/{notification_id}/read", summary="Mark a notification read (idempotent)")
def read(tenant: Tenant, notification_id: NotificationId) -> NotificationOut:
    return _out(notifications.mark_read(tenant, notification_id))
