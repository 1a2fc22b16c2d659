"""Notification routes: the caller's notifications newest first, the unread count, marking read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.services import notifications

router = APIRouter(prefix="/notifications", tags=["notifications"])

NotificationId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,64}$")]
Unread = Annotated[bool, Query(description="only unread notifications")]

# The partition and sort attributes each list queries, and its sort-key prefix (tokens are not
# interchangeable between the two lists).
_LIST_KEYS = {False: ("pk", "sk", "NOTIF#"), True: ("gsi1pk", "gsi1sk", "UNREAD#")}


class NotificationMessage(BaseModel):
    """The notification as a code and its values, for a client to render in its reader's language."""

    code: str = Field(description="stable message code, e.g. job.completed.optimization (docs/api.md)")
    params: dict[str, Any] = Field(description="the values the code's text shows")


class NotificationOut(BaseModel):
    notification_id: str
    kind: str
    title: str = Field(description="English title (built from message)")
    body: str = Field(description="English body (built from message)")
    link: str | None
    created_at: datetime
    read_at: datetime | None
    message: NotificationMessage | None = Field(
        default=None, description="code + params; null on notifications stored before codes existed"
    )


class UnreadCountOut(BaseModel):
    unread: int


class MarkedOut(BaseModel):
    marked: int


def _out(n: notifications.Notification) -> NotificationOut:
    return NotificationOut(**vars(n))


@router.get("", summary="List your notifications, newest first")
def list_all(
    tenant: Tenant, limit: Limit = 50, next_token: NextToken = None, unread: Unread = False
) -> Page[NotificationOut]:
    partition_attr, sort_attr, prefix = _LIST_KEYS[unread]
    start = decode_token(
        next_token,
        partition=tenant_pk(tenant),
        partition_attr=partition_attr,
        sort_attr=sort_attr,
        sort_prefix=prefix,
    )
    items, last = notifications.list_notifications(tenant, limit, start, unread_only=unread)
    return Page(items=[_out(n) for n in items], next_token=encode_token(last))


@router.get("/unread-count", summary="How many notifications are unread")
def unread_count(tenant: Tenant) -> UnreadCountOut:
    return UnreadCountOut(unread=notifications.unread_count(tenant))


@router.post("/read-all", summary="Mark every notification read")
def read_all(tenant: Tenant) -> MarkedOut:
    return MarkedOut(marked=notifications.mark_all_read(tenant))


@router.post(
    "/{notification_id}/read", responses=problems(404), summary="Mark a notification read (idempotent)"
)
def read(tenant: Tenant, notification_id: NotificationId) -> NotificationOut:
    return _out(notifications.mark_read(tenant, notification_id))
