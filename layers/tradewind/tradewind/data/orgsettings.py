"""Main-table record of an organisation's settings: ``TENANT#{org}`` / ``SETTINGS``.

The document is JSON (``tradewind.orgsettings.model.OrgSettingsBody``); ``version`` counts saves and
is the optimistic lock (``PUT /settings`` answers 412 when the client's ``If-Match`` is stale).
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import MainTableModel, tenant_pk


class OrgSettingsRecord(MainTableModel):
    """One organisation's settings (absent until first saved: the defaults apply)."""

    SORT_KEY: ClassVar[str] = "SETTINGS"

    document = JSONAttribute()
    version = NumberAttribute()
    updated_at = UTCDateTimeAttribute()
    updated_by = UnicodeAttribute()

    @classmethod
    def key(cls, org_id: str) -> tuple[str, str]:
        return tenant_pk(org_id), cls.SORT_KEY
