"""``TENANT#{t}`` / ``WORKFLOW#{id}``: a saved workflow (name, description, steps, version).

Updates are conditional on the version the client edited (optimistic lock: 409 when it moved on).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from tradewind.data.table import MainTableModel, tenant_pk


class WorkflowRecord(MainTableModel):
    SORT_PREFIX: ClassVar[str] = "WORKFLOW#"

    tenant_id = UnicodeAttribute()
    workflow_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    steps: ListAttribute[Any] = ListAttribute()  # [{"name", "target"}], as WorkflowStep dumps them
    version = NumberAttribute()
    runs = NumberAttribute(null=True)  # runs started (ADDed by each)
    last_run_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    @classmethod
    def key(cls, tenant_id: str, workflow_id: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{workflow_id}"
