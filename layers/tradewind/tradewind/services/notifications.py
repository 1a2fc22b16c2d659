"""Notifications: persisted per tenant, pushed live on the tenant's ``notifications`` topic.

:func:`notify` saves first and pushes second: the record is the truth (listed, counted, marked read),
the push only spares an open browser a poll, so a push that fails is logged and never fails the
producer. Unread state lives in a sparse index (see :mod:`tradewind.data.notifications`), which keeps
the unread list, the count and "mark all read" exact even when TTL removes old notifications.
pynamodb loads on first use (:func:`_records`), keeping it out of the API Lambda's cold import.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.data.table import condition_failed, query_page
from tradewind.errors import NotFound

if TYPE_CHECKING:
    from tradewind.data.marketdata import DatasetRecord
    from tradewind.data.notifications import NotificationRecord
    from tradewind.services.notification_messages import Message

logger = logging.getLogger(__name__)

TOPIC = "notifications"
MESSAGE_TYPE = "notification"
JOB_COMPLETED, JOB_FAILED, DATASET_READY, DATASET_FAILED = (
    "job.completed",
    "job.failed",
    "dataset.ready",
    "dataset.failed",
)
JOB_CANCELLED = "job.cancelled"
JOB_STALLED = "job.stalled"  # a running job made no progress for its threshold (tradewind.jobs.stall)
SCHEDULE_FAILED = "schedule.failed"  # a schedule's fire could not start its job (tradewind.schedules.fire)
CHANNEL_PAUSED = "channel.paused"  # an alert channel failed repeatedly (tradewind.alerts.delivery)
KINDS = frozenset(
    {
        JOB_COMPLETED,
        JOB_FAILED,
        JOB_CANCELLED,
        JOB_STALLED,
        DATASET_READY,
        DATASET_FAILED,
        SCHEDULE_FAILED,
        CHANNEL_PAUSED,
    }
)
RETENTION = timedelta(days=90)
"""Notifications expire (DynamoDB TTL) this long after they were created."""
MAX_COUNTED = 1000
"""The unread count stops here (it reads the unread index): a badge shows "999+" from 1000 on."""
MAX_TITLE, MAX_BODY = 200, 2000


@dataclass(frozen=True)
class Notification:
    notification_id: str
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None
    message: dict[str, Any] | None = None
    """``{"code", "params"}`` for a client to render in its language (``None`` on old records)."""


def _records() -> type[NotificationRecord]:
    from tradewind.data.notifications import NotificationRecord

    return NotificationRecord


def _view(record: NotificationRecord) -> Notification:
    return Notification(
        record.notification_id,
        record.kind,
        record.title,
        record.body,
        record.link,
        record.created_at,
        record.read_at,
        record.message,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def new_id() -> str:
    """A time-sortable id: milliseconds since the epoch (12 hex digits), then 40 random bits."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(5)}"


def send(tenant_id: str, message: Message, link: str | None = None) -> Notification | None:
    """:func:`notify` with a built message (:mod:`tradewind.services.notification_messages`): its
    English text and its code + params for clients that render it in their language."""
    return notify(tenant_id, message.kind, message.title, message.body, link, message=message.stored())


def notify(
    tenant_id: str,
    kind: str,
    title: str,
    body: str,
    link: str | None = None,
    *,
    message: dict[str, Any] | None = None,
) -> Notification | None:
    """Save an unread notification, then push it to the tenant's ``notifications`` subscribers;
    ``None`` when the organisation's settings turned this kind off (``GET /settings``). Producers
    call :func:`send`, which also stores the ``message`` (code + params) the web app translates.

    An unknown ``kind`` raises ``ValueError`` (a producer bug, like an unknown topic).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; one of {sorted(KINDS)}")
    from tradewind.orgsettings.store import get_settings

    if not get_settings(tenant_id).body.in_app(kind):
        return None
    records, notification_id = _records(), new_id()
    now = datetime.now(UTC)
    gsi1pk, gsi1sk = records.unread_key(tenant_id, notification_id)
    record = records(
        *records.key(tenant_id, notification_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        notification_id=notification_id,
        kind=kind,
        title=_clip(title, MAX_TITLE),
        body=_clip(body, MAX_BODY),
        link=link,
        message=message,
        created_at=now,
        expires_at=now + RETENTION,
    )
    record.save(condition=records.pk.does_not_exist())
    notification = _view(record)
    _push(tenant_id, notification)
    return notification


def _push(tenant_id: str, notification: Notification) -> None:
    from tradewind.realtime import publish

    try:
        publish(tenant_id, TOPIC, MESSAGE_TYPE, asdict(notification))
    except Exception:
        logger.exception("could not push notification %s (it is saved)", notification.notification_id)


def list_notifications(
    tenant_id: str, limit: int, start: dict[str, Any] | None, *, unread_only: bool = False
) -> tuple[list[Notification], dict[str, Any] | None]:
    """One page, newest first (all, or only the unread), and the key to continue from."""
    records = _records()
    if unread_only:
        hash_key, prefix = records.unread_key(tenant_id)
        rows, next_key = query_page(
            records.gsi1.query,
            hash_key,
            records.gsi1sk.startswith(prefix),
            limit=limit,
            start=start,
            newest_first=True,
        )
    else:
        pk, prefix = records.key(tenant_id)
        rows, next_key = query_page(
            records.query, pk, records.sk.startswith(prefix), limit=limit, start=start, newest_first=True
        )
    return [_view(r) for r in rows], next_key


def unread_count(tenant_id: str) -> int:
    """How many notifications are unread, up to :data:`MAX_COUNTED`."""
    records = _records()
    hash_key, prefix = records.unread_key(tenant_id)
    return records.gsi1.count(hash_key, records.gsi1sk.startswith(prefix), limit=MAX_COUNTED)


def _mark(record: NotificationRecord, at: datetime) -> bool:
    """Mark one notification read; False when it was already read or is gone (nothing changed)."""
    from pynamodb.exceptions import UpdateError

    records = type(record)
    try:
        record.update(
            actions=[records.read_at.set(at), records.gsi1pk.remove(), records.gsi1sk.remove()],
            condition=records.pk.exists() & records.read_at.does_not_exist(),
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def mark_read(tenant_id: str, notification_id: str) -> Notification:
    """Mark one notification read (idempotent: a read one keeps its first ``read_at``); 404 if absent."""
    records = _records()
    try:
        record = records.get(*records.key(tenant_id, notification_id))
        if record.read_at is None and not _mark(record, datetime.now(UTC)):
            record.refresh()  # marked concurrently: show the winner's read_at
    except records.DoesNotExist:
        raise NotFound(f"notification {notification_id!r} not found") from None
    return _view(record)


def _unread(tenant_id: str) -> Iterator[NotificationRecord]:
    records = _records()
    hash_key, prefix = records.unread_key(tenant_id)
    return iter(records.gsi1.query(hash_key, records.gsi1sk.startswith(prefix)))


def mark_all_read(tenant_id: str) -> int:
    """Mark every unread notification read; returns how many this call changed."""
    now = datetime.now(UTC)
    return sum(_mark(record, now) for record in _unread(tenant_id))


def notify_dataset_outcome(record: DatasetRecord) -> None:
    """Tell the tenant a dataset import ended ``ready`` or ``failed`` (called by the import paths).

    The import's outcome is already saved and announced: failing to notify is logged, never raised,
    so it cannot make the import retry.
    """
    from tradewind.data.marketdata import FAILED
    from tradewind.services.notification_messages import dataset_failed, dataset_ready

    link = f"/datasets/{record.dataset_id}"
    error = record.error
    failed = record.status == FAILED and error is not None
    message = dataset_failed(record) if failed else dataset_ready(record)
    try:
        send(record.tenant_id, message, link)
    except Exception:
        logger.exception("could not notify the outcome of dataset %s", record.dataset_id)
    if failed:
        from tradewind.alerts.events import EventKind
        from tradewind.alerts.publish import publish

        data = {"dataset_id": record.dataset_id, "row": error.row if error else None}
        publish(record.tenant_id, EventKind.IMPORT_FAILED, message.title, message.body, link=link, data=data)
