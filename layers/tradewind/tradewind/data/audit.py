"""Main-table record of the audit trail (docs/audit.md, Data design).

``TENANT#{org}`` / ``AUDIT#{audit_id}`` with a time-sortable id, so an organisation's records are one
range of its partition, newest first by a descending query, a date range by the sort key. The
``gsi1`` keys ``AUDITDAY#{date}`` / ``{org}#{audit_id}`` list one UTC day's records of every
organisation: the daily export to S3 reads them. ``expires_at`` (TTL) is the retention.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import Gsi1, MainTableModel, tenant_pk


class AuditRecord(MainTableModel):
    """One audited call. Written once (``attribute_not_exists``), never updated."""

    SORT_PREFIX: ClassVar[str] = "AUDIT#"
    DAY_PREFIX: ClassVar[str] = "AUDITDAY#"

    org_id = UnicodeAttribute()
    audit_id = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    method = UnicodeAttribute()
    path = UnicodeAttribute()
    route = UnicodeAttribute()
    target_id = UnicodeAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    status = NumberAttribute()
    outcome = UnicodeAttribute()
    source_ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    details = JSONAttribute(null=True)
    gsi1: Gsi1[AuditRecord] = Gsi1()

    @classmethod
    def key(cls, org_id: str, audit_id: str = "") -> tuple[str, str]:
        """``pk``/``sk`` of a record (an empty id gives the prefix of all of them)."""
        return tenant_pk(org_id), f"{cls.SORT_PREFIX}{audit_id}"

    @classmethod
    def day_key(cls, day: str, org_id: str, audit_id: str) -> tuple[str, str]:
        """``gsi1`` keys: one UTC day (``YYYY-MM-DD``) of every organisation, for the export."""
        return f"{cls.DAY_PREFIX}{day}", f"{org_id}#{audit_id}"
