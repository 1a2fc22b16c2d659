"""Delivering one event to one channel: what the ``alert_delivery`` Lambda runs per SQS message.

Idempotent per (event, channel): the attempt first claims the delivery record (a conditional
update), so a copy of a message that was delivered already posts nothing, and a copy arriving while
an attempt runs waits. A failed attempt is logged on the record and the message is hidden for the
backoff (``ChangeMessageVisibility``) then raised, so SQS brings it back; the attempt SQS counts as
the last (``policy.MAX_ATTEMPTS``, the queue's ``maxReceiveCount``) marks the delivery ``failed``
and the message moves to the dead-letter queue. A channel whose deliveries fail to the end
``policy.PAUSE_AFTER`` times in a row is paused, and the organisation is notified in the app.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.alerts import http, policy
from tradewind.alerts.events import AlertEvent, EventKind
from tradewind.alerts.payloads import Target, build_request
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.channels import ChannelRecord, DeliveryRecord

logger = logging.getLogger(__name__)

DELIVERING, RETRYING, DELIVERED, FAILED, SKIPPED = "delivering", "retrying", "delivered", "failed", "skipped"
FINAL = frozenset({DELIVERED, FAILED, SKIPPED})
RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class DeliveryMessage:
    """The body of one delivery queue message (no secrets: the channel is read at delivery)."""

    tenant_id: str
    channel_id: str
    event: AlertEvent

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> DeliveryMessage:
        return cls(str(raw["tenant_id"]), str(raw["channel_id"]), AlertEvent.from_json(raw["event"]))


class RetryLater(Exception):
    """This attempt failed (or another copy holds the delivery); SQS brings the message back."""


class DeliveryFailed(Exception):
    """The last attempt failed: the message goes to the dead-letter queue."""


def defer_message(receipt_handle: str, seconds: int) -> None:
    """Hide a received delivery message for ``seconds`` (the backoff before its next attempt)."""
    from tradewind.aws import client

    client("sqs").change_message_visibility(
        QueueUrl=get_settings().alerts_queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
    )


def _channel(message: DeliveryMessage) -> ChannelRecord | None:
    from tradewind.data.channels import ChannelRecord

    try:
        return ChannelRecord.get(
            *ChannelRecord.key(message.tenant_id, message.channel_id), consistent_read=True
        )
    except ChannelRecord.DoesNotExist:
        return None


def _record(message: DeliveryMessage, now: datetime) -> DeliveryRecord:
    from tradewind.data.channels import DeliveryRecord

    event = message.event
    return DeliveryRecord(
        *DeliveryRecord.key(message.tenant_id, message.channel_id, event.event_id),
        tenant_id=message.tenant_id,
        channel_id=message.channel_id,
        event_id=event.event_id,
        event_kind=str(event.kind),
        title=event.title,
        status=DELIVERING,
        created_at=now,
        updated_at=now,
        test=event.kind is EventKind.TEST,
    )


def _claim(record: DeliveryRecord, now: datetime) -> bool:
    """Take the delivery for one attempt; ``False`` when it is final or another attempt holds it."""
    from pynamodb.exceptions import UpdateError

    from tradewind.data.table import condition_failed

    d = type(record)
    free = d.status.is_in(DELIVERING, RETRYING) & (d.lease_until.does_not_exist() | (d.lease_until < now))
    try:
        record.update(
            actions=[
                d.tenant_id.set(record.tenant_id),
                d.channel_id.set(record.channel_id),
                d.event_id.set(record.event_id),
                d.event_kind.set(record.event_kind),
                d.title.set(record.title),
                d.test.set(record.test),
                d.created_at.set(d.created_at | now),
                d.status.set(DELIVERING),
                d.attempts.add(1),
                d.lease_until.set(now + timedelta(seconds=policy.LEASE_SECONDS)),
                d.updated_at.set(now),
                d.expires_at.set(now + RETENTION),
            ],
            condition=d.pk.does_not_exist() | free,
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def _skip(record: DeliveryRecord, now: datetime) -> None:
    """Log that a paused channel did not receive the event (unless this delivery exists already)."""
    from pynamodb.exceptions import PutError

    from tradewind.data.table import condition_failed

    record.status, record.error, record.expires_at = SKIPPED, "the channel is paused", now + RETENTION
    try:
        record.save(condition=type(record).pk.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise


def _post(channel: ChannelRecord, event: AlertEvent) -> http.Answer:
    settings = get_settings()
    target = Target(
        kind=channel.kind,
        url=channel.url,
        signing_secret=channel.signing_secret,
        bot_token=channel.bot_token,
        chat_id=channel.chat_id,
    )
    request = build_request(
        target,
        event,
        org_id=channel.tenant_id,
        timestamp=int(time.time()),
        site_url=settings.site_url,
        telegram_api=settings.telegram_api_url,
    )
    return http.post(request)


def deliver(message: DeliveryMessage, receive_count: int, defer: Callable[[int], None]) -> str:
    """One attempt at delivering ``message`` (the module docstring says how); returns the outcome
    (``delivered``, ``duplicate``, ``skipped``, ``gone``) or raises :class:`RetryLater` /
    :class:`DeliveryFailed`."""
    from tradewind.data.channels import PAUSED

    now = datetime.now(UTC)
    channel = _channel(message)
    if channel is None:
        return "gone"
    record = _record(message, now)
    if channel.status == PAUSED and message.event.kind is not EventKind.TEST:
        _skip(record, now)
        return SKIPPED
    if not _claim(record, now):
        record.refresh(consistent_read=True)
        if record.status in FINAL:
            return "duplicate"
        defer(policy.LEASE_SECONDS)
        raise RetryLater(f"delivery {record.event_id} is being attempted by another copy")
    answer = _post(channel, message.event)
    d = type(record)
    done = datetime.now(UTC)
    common = [d.status_code.set(answer.status_code) if answer.status_code else d.status_code.remove()]
    common += [d.lease_until.remove(), d.updated_at.set(done)]
    if answer.ok:
        record.update(
            actions=[
                *common,
                d.status.set(DELIVERED),
                d.delivered_at.set(done),
                d.error.remove(),
                d.next_attempt_at.remove(),
            ]
        )
        _succeeded(channel)
        return DELIVERED
    error = str(answer.error)
    if receive_count < policy.MAX_ATTEMPTS:
        delay = policy.backoff_seconds(receive_count)
        retry_at = done + timedelta(seconds=delay)
        record.update(
            actions=[
                *common,
                d.status.set(RETRYING),
                d.error.set(error),
                d.next_attempt_at.set(retry_at),
            ]
        )
        defer(delay)
        raise RetryLater(f"attempt {receive_count} failed ({error}); next in {delay} s")
    record.update(actions=[*common, d.status.set(FAILED), d.error.set(error), d.next_attempt_at.remove()])
    if message.event.kind is not EventKind.TEST:
        _failed(channel, error)
    raise DeliveryFailed(f"attempt {receive_count} of {policy.MAX_ATTEMPTS} failed: {error}")


def _succeeded(channel: ChannelRecord) -> None:
    if int(channel.consecutive_failures or 0) > 0:
        records = type(channel)
        channel.update(actions=[records.consecutive_failures.set(0)], condition=records.pk.exists())


def _failed(channel: ChannelRecord, error: str) -> None:
    """Count a delivery that failed to the end; pause the channel at the threshold (once)."""
    from pynamodb.exceptions import UpdateError

    from tradewind.data.channels import ACTIVE, PAUSED
    from tradewind.data.table import condition_failed
    from tradewind.services.notification_messages import paused_reason

    records = type(channel)
    channel.update(actions=[records.consecutive_failures.add(1)], condition=records.pk.exists())
    failures = int(channel.consecutive_failures or 0)
    if failures < policy.PAUSE_AFTER or channel.status != ACTIVE:
        return
    reason = paused_reason(failures, error)
    try:
        channel.update(
            actions=[
                records.status.set(PAUSED),
                records.paused_at.set(datetime.now(UTC)),
                records.paused_reason.set(reason),
            ],
            condition=records.status == ACTIVE,
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return  # paused meanwhile by another delivery: it notified
        raise
    _notify_paused(channel, failures, error)


def _notify_paused(channel: ChannelRecord, failures: int, error: str) -> None:
    from tradewind.alerts import publish
    from tradewind.services.notification_messages import channel_paused
    from tradewind.services.notifications import send

    publish.forget(channel.tenant_id)
    try:
        send(
            channel.tenant_id,
            channel_paused(channel.name, failures, error),
            f"/integrations/{channel.channel_id}",
        )
    except Exception:
        logger.exception("could not notify that channel %s was paused", channel.channel_id)
