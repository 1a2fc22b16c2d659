"""Notification channel routes (docs/alerts.md): CRUD, send a test, resume, the delivery log.

Channels hold secrets (webhook URLs, bot tokens, signing secrets): every route is for admins, and
secrets are write-only (answers show them redacted; a PUT that names one replaces it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from tradewind.alerts.events import SUBSCRIBABLE
from tradewind.api.auth import CurrentPrincipal
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk

router = APIRouter(prefix="/channels", tags=["channels"])

ChannelId = Annotated[str, Path(pattern=r"^[0-9a-f]{1,40}$", examples=["0193a1b2c3d4e5f6a7b8c9"])]
ChannelKind = Literal["webhook", "slack", "discord", "telegram"]
EventName = Literal["job.succeeded", "job.failed", "pipeline.signals", "schedule.failed", "import.failed"]
assert set(get_args(EventName)) == {str(k) for k in SUBSCRIBABLE}  # one list of kinds

_URL = Field(
    default=None,
    max_length=2048,
    description="webhook, Slack and Discord: where to POST (https; write-only, shown redacted)",
)
_SECRET = Field(
    default=None,
    min_length=16,
    max_length=256,
    description="webhook: the HMAC-SHA256 signing secret (write-only); omitted at creation: generated",
)
_BOT_TOKEN = Field(default=None, max_length=200, description="telegram: the bot token (write-only)")
_CHAT_ID = Field(default=None, max_length=64, description="telegram: the chat id or @channel name")


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event: EventName
    min_strength: float | None = Field(
        default=None, ge=0, le=1, description="pipeline.signals only: signals at or above this strength"
    )


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    kind: ChannelKind
    url: str | None = _URL
    secret: str | None = _SECRET
    bot_token: str | None = _BOT_TOKEN
    chat_id: str | None = _CHAT_ID
    subscriptions: list[SubscriptionIn] = Field(min_length=1, max_length=len(SUBSCRIBABLE))


class ChannelUpdate(BaseModel):
    """The fields given change; a given secret replaces the stored one (rotation)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: ChannelKind | None = Field(default=None, description="cannot change; accepted when the same")
    url: str | None = _URL
    secret: str | None = _SECRET
    rotate_secret: bool = Field(default=False, description="webhook: generate a new signing secret")
    bot_token: str | None = _BOT_TOKEN
    chat_id: str | None = _CHAT_ID
    subscriptions: list[SubscriptionIn] | None = Field(
        default=None, min_length=1, max_length=len(SUBSCRIBABLE)
    )


class SubscriptionOut(BaseModel):
    event: EventName
    min_strength: float | None


class ChannelOut(BaseModel):
    channel_id: str
    name: str
    kind: ChannelKind
    destination: str = Field(
        description="the URL or bot token, redacted", examples=["https://hooks.slack.com/…/abcd"]
    )
    chat_id: str | None
    secret_hint: str | None = Field(
        description="webhook: the signing secret's last characters", examples=["…f00d"]
    )
    subscriptions: list[SubscriptionOut]
    status: Literal["active", "paused"]
    paused_at: datetime | None
    paused_reason: str | None
    consecutive_failures: int = Field(description="deliveries in a row that failed every attempt")
    created_at: datetime
    updated_at: datetime


class ChannelSaved(ChannelOut):
    signing_secret: str | None = Field(
        description="the webhook signing secret this call generated: shown once, never again"
    )


class TestSent(BaseModel):
    event_id: str = Field(description="the test event's id: its delivery appears in the log under it")


class DeliveryOut(BaseModel):
    event_id: str
    event_kind: str
    title: str
    status: Literal["delivering", "retrying", "delivered", "failed", "skipped"]
    attempts: int
    status_code: int | None = Field(description="the receiver's last HTTP status (none: no answer)")
    error: str | None
    test: bool
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None = Field(description="when a retrying delivery is attempted again")


def _spec(body: ChannelIn | ChannelUpdate) -> Any:
    from tradewind.alerts.channels import ChannelSpec
    from tradewind.alerts.events import EventKind, Subscription

    subscriptions = (
        None
        if body.subscriptions is None
        else [Subscription(EventKind(s.event), s.min_strength) for s in body.subscriptions]
    )
    return ChannelSpec(
        name=body.name,
        kind=body.kind,
        url=body.url,
        secret=body.secret,
        bot_token=body.bot_token,
        chat_id=body.chat_id,
        subscriptions=subscriptions,
        rotate_secret=isinstance(body, ChannelUpdate) and body.rotate_secret,
    )


def _out(channel: Any) -> dict[str, Any]:
    fields = dict(vars(channel))
    fields["subscriptions"] = [s.to_json() for s in channel.subscriptions]
    return fields


def _saved(saved: Any) -> ChannelSaved:
    return ChannelSaved(**_out(saved.channel), signing_secret=saved.signing_secret)


@router.get("", summary="Your organisation's notification channels (secrets redacted)")
def list_channels(principal: CurrentPrincipal) -> Page[ChannelOut]:
    from tradewind.alerts import channels

    return Page(items=[ChannelOut(**_out(c)) for c in channels.list_channels(principal.org_id)])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problems(409),
    summary="Create a channel (a webhook without secret gets one, shown once)",
)
def create(principal: CurrentPrincipal, body: ChannelIn, response: Response) -> ChannelSaved:
    from tradewind.alerts import channels

    saved = channels.create_channel(principal.org_id, principal.actor, _spec(body))
    response.headers["Location"] = f"/channels/{saved.channel.channel_id}"
    return _saved(saved)


@router.get("/{channel_id}", responses=problems(404), summary="A channel (secrets redacted)")
def get(principal: CurrentPrincipal, channel_id: ChannelId) -> ChannelOut:
    from tradewind.alerts import channels

    return ChannelOut(**_out(channels.get_channel(principal.org_id, channel_id)))


@router.put(
    "/{channel_id}",
    responses=problems(404),
    summary="Change a channel: the fields given (a secret given replaces the stored one)",
)
def update(principal: CurrentPrincipal, channel_id: ChannelId, body: ChannelUpdate) -> ChannelSaved:
    from tradewind.alerts import channels

    return _saved(channels.update_channel(principal.org_id, channel_id, _spec(body)))


@router.delete(
    "/{channel_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404),
    summary="Delete a channel and its delivery log",
)
def delete(principal: CurrentPrincipal, channel_id: ChannelId) -> None:
    from tradewind.alerts import channels

    channels.delete_channel(principal.org_id, channel_id)


@router.post(
    "/{channel_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(404, 503),
    summary="Send a test event through the delivery queue (also to a paused channel)",
)
def send_test(principal: CurrentPrincipal, channel_id: ChannelId) -> TestSent:
    from tradewind.alerts import channels

    return TestSent(event_id=channels.send_test(principal.org_id, channel_id, principal.actor))


@router.post("/{channel_id}/resume", responses=problems(404), summary="Resume a paused channel")
def resume(principal: CurrentPrincipal, channel_id: ChannelId) -> ChannelOut:
    from tradewind.alerts import channels

    return ChannelOut(**_out(channels.resume_channel(principal.org_id, channel_id)))


@router.get(
    "/{channel_id}/deliveries",
    responses=problems(404),
    summary="The channel's delivery log, newest first (kept 30 days)",
)
def deliveries(
    principal: CurrentPrincipal, channel_id: ChannelId, limit: Limit = 50, next_token: NextToken = None
) -> Page[DeliveryOut]:
    from tradewind.alerts import channels

    start = decode_token(
        next_token, partition=tenant_pk(principal.org_id), sort_prefix=f"DELIVERY#{channel_id}#"
    )
    items, last = channels.list_deliveries(principal.org_id, channel_id, limit, start)
    return Page(items=[DeliveryOut(**vars(d)) for d in items], next_token=encode_token(last))
