"""Reading a job record without loading pynamodb (or pandas) until it is needed.

The realtime snapshot of a ``job:<id>`` topic and every workflow step read the record through here,
so the WebSocket handlers' cold import stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord


def get_record(tenant_id: str, job_id: str) -> JobRecord | None:
    """The job record as it is now (a strongly consistent read), or ``None`` if it does not exist."""
    from tradewind.data.jobs import JobRecord

    try:
        return JobRecord.get(*JobRecord.key(tenant_id, job_id), consistent_read=True)
    except JobRecord.DoesNotExist:
        return None
