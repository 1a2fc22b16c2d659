"""Channel use cases: create, read, update (secrets rotate here), delete, resume, the delivery log.

Every input problem is a 422 naming its field; secrets are returned only redacted, except a
generated webhook signing secret, shown once in the answer that generated it. Changing a channel
forgets the organisation's cached subscriptions in this process (``publish.forget``).
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.alerts import publish
from tradewind.alerts.events import AlertEvent, EventKind, Subscription
from tradewind.alerts.targets import redact_secret, redact_url, target_problems
from tradewind.data.table import query_page
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound, TradewindError
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.channels import ChannelRecord, DeliveryRecord

MAX_CHANNELS = 20
"""Channels one organisation may have."""
MAX_NAME = 100
DELIVERY_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class ChannelSpec:
    """What a caller sends to create (every field) or update (``None``: keep) a channel."""

    name: str | None = None
    kind: str | None = None
    url: str | None = None
    secret: str | None = None
    bot_token: str | None = None
    chat_id: str | None = None
    subscriptions: list[Subscription] | None = None
    rotate_secret: bool = False


@dataclass(frozen=True)
class Channel:
    """A channel as the API shows it: destination and secrets redacted."""

    channel_id: str
    name: str
    kind: str
    destination: str
    chat_id: str | None
    secret_hint: str | None
    subscriptions: list[Subscription]
    status: str
    paused_at: datetime | None
    paused_reason: str | None
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Saved:
    """A saved channel and, when this call generated it, the signing secret (shown once)."""

    channel: Channel
    signing_secret: str | None = None


@dataclass(frozen=True)
class Delivery:
    event_id: str
    event_kind: str
    title: str
    status: str
    attempts: int
    status_code: int | None
    error: str | None
    test: bool
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class AlertsUnavailable(TradewindError):
    """This deployment has no delivery queue (``TW_ALERTS_QUEUE_URL`` unset)."""

    status = 503
    title = "Service unavailable"


def _records() -> type[ChannelRecord]:
    from tradewind.data.channels import ChannelRecord

    return ChannelRecord


def _deliveries() -> type[DeliveryRecord]:
    from tradewind.data.channels import DeliveryRecord

    return DeliveryRecord


def new_id() -> str:
    """A time-sortable id (milliseconds, then 40 random bits), like notifications'."""
    from tradewind.services.notifications import new_id as notification_id

    return notification_id()


def view(record: ChannelRecord) -> Channel:
    if record.kind == "telegram":
        destination = f"bot {redact_secret(record.bot_token or '')}"
    else:
        destination = redact_url(record.url or "")
    return Channel(
        channel_id=record.channel_id,
        name=record.name,
        kind=record.kind,
        destination=destination,
        chat_id=record.chat_id,
        secret_hint=redact_secret(record.signing_secret) if record.signing_secret else None,
        subscriptions=[Subscription.from_json(s) for s in record.subscriptions],
        status=record.status,
        paused_at=record.paused_at,
        paused_reason=record.paused_reason,
        consecutive_failures=int(record.consecutive_failures or 0),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _name_problem(name: str) -> str | None:
    if not name.strip():
        return "must not be blank"
    if len(name) > MAX_NAME:
        return f"at most {MAX_NAME} characters"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "must not contain control characters"
    return None


def _subscription_problems(subscriptions: list[Subscription]) -> list[FieldProblem]:
    problems = []
    if not subscriptions:
        problems.append(FieldProblem(["body", "subscriptions"], "subscribe to at least one event kind"))
    seen: set[EventKind] = set()
    for i, sub in enumerate(subscriptions):
        loc: list[str | int] = ["body", "subscriptions", i]
        if sub.event is EventKind.TEST:
            problems.append(
                FieldProblem([*loc, "event"], "test events are sent with POST /channels/{id}/test")
            )
        if sub.event in seen:
            problems.append(FieldProblem([*loc, "event"], f"{sub.event} is listed twice"))
        seen.add(sub.event)
        if sub.min_strength is not None and sub.event is not EventKind.PIPELINE_SIGNALS:
            problems.append(FieldProblem([*loc, "min_strength"], "only pipeline.signals has a strength"))
        if sub.min_strength is not None and not 0 <= sub.min_strength <= 1:
            problems.append(FieldProblem([*loc, "min_strength"], "between 0 and 1"))
    return problems


def _check(spec: ChannelSpec, kind: str, *, partial: bool) -> None:
    problems: list[FieldProblem] = []
    if spec.name is not None and (reason := _name_problem(spec.name)):
        problems.append(FieldProblem(["body", "name"], reason))
    if spec.subscriptions is not None:
        problems += _subscription_problems(spec.subscriptions)
    settings = get_settings()
    problems += target_problems(
        kind,
        url=spec.url,
        bot_token=spec.bot_token,
        chat_id=spec.chat_id,
        secret=spec.secret,
        allow_loopback=settings.alerts_allow_loopback and settings.stage == "local",
        partial=partial,
    )
    if spec.rotate_secret and (kind != "webhook" or spec.secret is not None):
        reason = "only a webhook's secret rotates" if kind != "webhook" else "send secret or rotate_secret"
        problems.append(FieldProblem(["body", "rotate_secret"], reason))
    if problems:
        fields = ", ".join(".".join(str(p) for p in problem.loc) for problem in problems)
        raise InvalidInput(f"invalid channel: {fields}", problems)


def _generated_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _load(tenant_id: str, channel_id: str) -> ChannelRecord:
    records = _records()
    try:
        return records.get(*records.key(tenant_id, channel_id), consistent_read=True)
    except records.DoesNotExist:
        raise NotFound(f"channel {channel_id!r} not found") from None


def list_channels(tenant_id: str) -> list[Channel]:
    """Every channel of the organisation, oldest first (at most :data:`MAX_CHANNELS`)."""
    records = _records()
    pk, prefix = records.key(tenant_id)
    return [view(r) for r in records.query(pk, records.sk.startswith(prefix))]


def get_channel(tenant_id: str, channel_id: str) -> Channel:
    return view(_load(tenant_id, channel_id))


def create_channel(tenant_id: str, actor: str, spec: ChannelSpec) -> Saved:
    """Save a new channel; a webhook without ``secret`` gets a generated one (returned once)."""
    assert spec.kind is not None
    assert spec.name is not None
    assert spec.subscriptions is not None
    _check(spec, spec.kind, partial=False)
    records = _records()
    pk, prefix = records.key(tenant_id)
    if records.count(pk, records.sk.startswith(prefix), limit=MAX_CHANNELS) >= MAX_CHANNELS:
        raise Conflict(f"an organisation has at most {MAX_CHANNELS} channels: delete one first")
    generated = _generated_secret() if spec.kind == "webhook" and spec.secret is None else None
    now, channel_id = datetime.now(UTC), new_id()
    record = records(
        *records.key(tenant_id, channel_id),
        tenant_id=tenant_id,
        channel_id=channel_id,
        name=spec.name.strip(),
        kind=spec.kind,
        url=spec.url,
        signing_secret=spec.secret or generated,
        bot_token=spec.bot_token,
        chat_id=spec.chat_id,
        subscriptions=[s.to_json() for s in spec.subscriptions],
        created_at=now,
        updated_at=now,
        created_by=actor,
    )
    record.save(condition=records.pk.does_not_exist())
    publish.forget(tenant_id)
    return Saved(view(record), generated)


def update_channel(tenant_id: str, channel_id: str, spec: ChannelSpec) -> Saved:
    """Change what is given; a given secret (URL, token, signing secret) replaces the stored one."""
    record = _load(tenant_id, channel_id)
    if spec.kind is not None and spec.kind != record.kind:
        raise InvalidInput(
            "a channel's kind cannot change",
            [FieldProblem(["body", "kind"], f"this channel is a {record.kind} channel; create a new one")],
        )
    _check(spec, record.kind, partial=True)
    records = type(record)
    generated = _generated_secret() if spec.rotate_secret else None
    actions: list[Any] = [records.updated_at.set(datetime.now(UTC))]
    if spec.name is not None:
        actions.append(records.name.set(spec.name.strip()))
    if spec.subscriptions is not None:
        actions.append(records.subscriptions.set([s.to_json() for s in spec.subscriptions]))
    for attribute, value in (
        (records.url, spec.url),
        (records.bot_token, spec.bot_token),
        (records.chat_id, spec.chat_id),
        (records.signing_secret, spec.secret or generated),
    ):
        if value is not None:
            actions.append(attribute.set(value))
    record.update(actions=actions, condition=records.pk.exists())
    publish.forget(tenant_id)
    return Saved(view(record), generated)


def delete_channel(tenant_id: str, channel_id: str) -> None:
    """Delete the channel and its delivery log; 404 if absent."""
    record = _load(tenant_id, channel_id)
    deliveries = _deliveries()
    pk, prefix = deliveries.key(tenant_id, channel_id)
    with deliveries.batch_write() as batch:
        for row in deliveries.query(pk, deliveries.sk.startswith(prefix)):
            batch.delete(row)
    record.delete()
    publish.forget(tenant_id)


def resume_channel(tenant_id: str, channel_id: str) -> Channel:
    """Make a paused channel receive events again (its failure count starts over); idempotent."""
    from tradewind.data.channels import ACTIVE

    record = _load(tenant_id, channel_id)
    records = type(record)
    record.update(
        actions=[
            records.status.set(ACTIVE),
            records.consecutive_failures.set(0),
            records.paused_at.remove(),
            records.paused_reason.remove(),
            records.updated_at.set(datetime.now(UTC)),
        ],
        condition=records.pk.exists(),
    )
    publish.forget(tenant_id)
    return view(record)


def delivery_view(record: DeliveryRecord) -> Delivery:
    return Delivery(
        event_id=record.event_id,
        event_kind=record.event_kind,
        title=record.title,
        status=record.status,
        attempts=int(record.attempts or 0),
        status_code=None if record.status_code is None else int(record.status_code),
        error=record.error,
        test=bool(record.test),
        created_at=record.created_at,
        updated_at=record.updated_at,
        delivered_at=record.delivered_at,
        next_attempt_at=record.next_attempt_at,
    )


def list_deliveries(
    tenant_id: str, channel_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[Delivery], dict[str, Any] | None]:
    """One page of the channel's delivery log, newest first; 404 if the channel is absent."""
    _load(tenant_id, channel_id)
    deliveries = _deliveries()
    pk, prefix = deliveries.key(tenant_id, channel_id)
    rows, next_key = query_page(
        deliveries.query, pk, deliveries.sk.startswith(prefix), limit=limit, start=start, newest_first=True
    )
    return [delivery_view(r) for r in rows], next_key


def send_test(tenant_id: str, channel_id: str, actor: str) -> str:
    """Queue a test event for this one channel (paused or not) through the real delivery path."""
    record = _load(tenant_id, channel_id)
    if not get_settings().alerts_queue_url:
        raise AlertsUnavailable("alert delivery is not configured in this deployment")
    event = AlertEvent(
        event_id=new_id(),
        kind=EventKind.TEST,
        title=f"Test alert for '{record.name}'",
        text=f"This test was sent by {actor} from Tradewind. If you can read it, the channel works.",
        occurred_at=datetime.now(UTC),
        link="/integrations",
    )
    publish.send(tenant_id, [(channel_id, event)])
    return event.event_id
