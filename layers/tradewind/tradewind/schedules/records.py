"""Main-table records of schedules (docs/schedules.md, Records).

- ``TENANT#{t}`` / ``SCHEDULE#{id}``: the schedule (name, expression, zone, target, enabled, last fire).
- ``TENANT#{t}`` / ``SCHEDFIRE#{id}#{scheduled time}``: one fire, put with ``attribute_not_exists``
  before anything is submitted, so a retried fire of the same scheduled time finds it and makes no
  second job; it then holds the job it created or why the fire failed. TTL 90 days.
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


class ScheduleRecord(MainTableModel):
    SORT_PREFIX: ClassVar[str] = "SCHEDULE#"

    tenant_id = UnicodeAttribute()
    schedule_id = UnicodeAttribute()
    name = UnicodeAttribute()
    expression = UnicodeAttribute()
    timezone = UnicodeAttribute()
    target = JSONAttribute()
    enabled = BooleanAttribute()
    fires = NumberAttribute(default=0)
    last_fire_at = UTCDateTimeAttribute(null=True)
    last_fire_status = UnicodeAttribute(null=True)  # submitted | failed
    last_job_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    @classmethod
    def key(cls, tenant_id: str, schedule_id: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"{cls.SORT_PREFIX}{schedule_id}"


class FireRecord(MainTableModel):
    tenant_id = UnicodeAttribute()
    schedule_id = UnicodeAttribute()
    scheduled_time = UnicodeAttribute()  # ISO 8601 UTC, as the scheduler passed it
    fired_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()  # claimed | submitted | failed
    job_id = UnicodeAttribute(null=True)
    job_kind = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)

    @staticmethod
    def key(tenant_id: str, schedule_id: str, scheduled_time: str = "") -> tuple[str, str]:
        return tenant_pk(tenant_id), f"SCHEDFIRE#{schedule_id}#{scheduled_time}"
