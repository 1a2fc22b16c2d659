"""Main-table records of notification channels and their delivery log (docs/alerts.md).

A channel is ``TENANT#{t}`` / ``CHANNEL#{id}``; its secrets (``url``, ``bot_token``,
``signing_secret``) live only here and are never returned by the API. One delivery of one event to
one channel is ``TENANT#{t}`` / ``DELIVERY#{channel}#{event id}``: the key is the idempotency key (a
redelivered message finds it ``delivered`` and posts nothing), and event ids sort by time, so a
descending query on a channel's prefix is its log newest first. Deliveries expire (TTL) after 30 days.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from tradewind.data.table import MainTableModel, tenant_pk

ACTIVE, PAUSED = "active", "paused"


class ChannelRecord(MainTableModel):
    """One channel of an organisation; ``consecutive_failures`` counts final failures since the
    last success (the delivery pauses the channel at a threshold)."""

    SORT_PREFIX: ClassVar[str] = "CHANNEL#"

    tenant_id = UnicodeAttribute()
    channel_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()
    url = UnicodeAttribute(null=True)
    signing_secret = UnicodeAttribute(null=True)
    bot_token = UnicodeAttribute(null=True)
    chat_id = UnicodeAttribute(null=True)
    subscriptions = JSONAttribute()
    status = UnicodeAttribute(default=ACTIVE)
    paused_at = UTCDateTimeAttribute(null=True)
    paused_reason = UnicodeAttribute(null=True)
    consecutive_failures = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute(null=True)

    @classmethod
    def key(cls, tenant_id: str, channel_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a channel (an empty id gives the prefix of all of them)."""
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{channel_id}"


class DeliveryRecord(MainTableModel):
    """One event's delivery to one channel, updated on every attempt.

    ``status``: ``delivering`` (an attempt holds ``lease_until``), ``retrying`` (an attempt failed;
    SQS brings the message back at ``next_attempt_at``), ``delivered``, ``failed`` (the last attempt
    failed: the message goes to the dead-letter queue), ``skipped`` (the channel was paused)."""

    SORT_PREFIX: ClassVar[str] = "DELIVERY#"

    tenant_id = UnicodeAttribute()
    channel_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_kind = UnicodeAttribute()
    title = UnicodeAttribute()
    status = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    status_code = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    delivered_at = UTCDateTimeAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    test = BooleanAttribute(default=False)

    @classmethod
    def key(cls, tenant_id: str, channel_id: str, event_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a delivery (an empty event id gives the prefix of a channel's log)."""
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{channel_id}#{event_id}"
