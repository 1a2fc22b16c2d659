"""Main-table record of a tenant's notifications (keys in docs/architecture.md, Data design).

A notification is ``TENANT#{t}`` / ``NOTIF#{id}`` with a time-sortable id, so a descending query on
the ``NOTIF#`` prefix lists newest first. While unread it is also in the sparse ``gsi1`` partition
``TENANT#{t}`` under ``UNREAD#{id}``; marking it read removes those two attributes. That index is the
unread filter, the unread count and the work list of "mark all read" at once, and it stays exact
when TTL (``expires_at``) deletes an old unread notification: a separate counter would drift there.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk


class NotificationRecord(MainTableModel):
    """One notification of a tenant; ``gsi1pk``/``gsi1sk`` are set only while it is unread."""

    SORT_PREFIX: ClassVar[str] = "NOTIF#"
    UNREAD_PREFIX: ClassVar[str] = "UNREAD#"

    tenant_id = UnicodeAttribute()
    notification_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    link = UnicodeAttribute(null=True)
    message = JSONAttribute(null=True)  # {"code", "params"}: rendered per language; absent on old records
    created_at = UTCDateTimeAttribute()
    read_at = UTCDateTimeAttribute(null=True)
    gsi1: Gsi1[NotificationRecord] = Gsi1()

    @classmethod
    def key(cls, tenant_id: str, notification_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a notification (an empty id gives the prefix of all of them)."""
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{notification_id}"

    @classmethod
    def unread_key(cls, tenant_id: str, notification_id: str = "") -> tuple[str, str]:
        """``gsi1`` keys of an unread notification (an empty id gives the prefix of all unread)."""
        return tenant_pk(tenant_id), f"{cls.UNREAD_PREFIX}{notification_id}"
