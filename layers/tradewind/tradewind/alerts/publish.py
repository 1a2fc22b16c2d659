"""The one way an event reaches notification channels: :func:`publish`.

Producers (a job's end, a pipeline run's signals, a schedule's failed fire, a failed import) call it
where they already notify in the app. It looks up the organisation's channels that want the event
(cached per process for :data:`CACHE_SECONDS`, so an organisation without channels costs one small
query a minute, and nothing at all where alerts are not configured), narrows the event per channel
(``events.for_subscriptions``) and sends one SQS message per channel to the delivery queue. It never
raises: the producer's outcome is saved already, an alert is best effort on top of it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cachetools import TTLCache

from tradewind.alerts.events import AlertEvent, EventKind, Subscription, for_subscriptions
from tradewind.settings import get_settings

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60
"""How long a process trusts its copy of an organisation's subscriptions (a change made through
another process's API reaches producers within this)."""
SQS_BATCH = 10


@dataclass(frozen=True)
class Subscriber:
    channel_id: str
    subscriptions: tuple[Subscription, ...]


_cache: TTLCache[str, tuple[Subscriber, ...]] = TTLCache(maxsize=4096, ttl=CACHE_SECONDS)
_lock = threading.Lock()


def _load(tenant_id: str) -> tuple[Subscriber, ...]:
    """The organisation's active channels and what they subscribe to (no secrets read)."""
    from tradewind.data.channels import ACTIVE, ChannelRecord

    pk, prefix = ChannelRecord.key(tenant_id)
    rows = ChannelRecord.query(
        pk,
        ChannelRecord.sk.startswith(prefix),
        attributes_to_get=["pk", "sk", "channel_id", "subscriptions", "status"],
    )
    return tuple(
        Subscriber(row.channel_id, tuple(Subscription.from_json(s) for s in row.subscriptions))
        for row in rows
        if row.status == ACTIVE
    )


def subscribers(tenant_id: str) -> tuple[Subscriber, ...]:
    with _lock:
        cached = _cache.get(tenant_id)
    if cached is None:
        cached = _load(tenant_id)
        with _lock:
            _cache[tenant_id] = cached
    return cached


def forget(tenant_id: str | None = None) -> None:
    """Drop the cached subscriptions of one organisation (after a change), or of all."""
    with _lock:
        if tenant_id is None:
            _cache.clear()
        else:
            _cache.pop(tenant_id, None)


def wants(tenant_id: str, kind: EventKind) -> bool:
    """Whether any active channel subscribes to ``kind`` (lets a producer skip building a costly
    event). ``False`` where alerts are not configured; never raises."""
    if not get_settings().alerts_queue_url:
        return False
    try:
        return any(s.event is kind for sub in subscribers(tenant_id) for s in sub.subscriptions)
    except Exception:
        logger.exception("could not read the alert channels of %s", tenant_id)
        return False


def publish(
    tenant_id: str,
    kind: EventKind,
    title: str,
    text: str,
    *,
    link: str | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Queue the event for every active channel that wants it; how many messages were sent."""
    if not wants(tenant_id, kind):
        return 0
    from tradewind.alerts.channels import new_id

    event = AlertEvent(new_id(), kind, title, text, datetime.now(UTC), link, data or {})
    try:
        addressed = [
            (sub.channel_id, narrowed)
            for sub in subscribers(tenant_id)
            if (narrowed := for_subscriptions(event, list(sub.subscriptions))) is not None
        ]
        send(tenant_id, addressed)
    except Exception:
        logger.exception("could not queue %s alert %s of %s", kind, event.event_id, tenant_id)
        return 0
    return len(addressed)


def send(tenant_id: str, addressed: list[tuple[str, AlertEvent]]) -> None:
    """One message per ``(channel id, event)`` on the delivery queue; raises if any was refused."""
    from tradewind.aws import client

    url = get_settings().alerts_queue_url
    for start in range(0, len(addressed), SQS_BATCH):
        chunk = addressed[start : start + SQS_BATCH]
        entries = [
            {
                "Id": str(i),
                "MessageBody": json.dumps(
                    {"tenant_id": tenant_id, "channel_id": channel_id, "event": event.to_json()},
                    default=str,
                ),
            }
            for i, (channel_id, event) in enumerate(chunk)
        ]
        answer = client("sqs").send_message_batch(QueueUrl=url, Entries=entries)
        if answer.get("Failed"):
            raise RuntimeError(f"the delivery queue refused {len(answer['Failed'])} alert message(s)")
