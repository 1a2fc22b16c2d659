"""A tenant's pipeline runs: list (filters, newest first), get, stop, and the stats cards.

Runs are job records of kind ``pipeline``; every read goes through the caller's partition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.data.table import query_page
from tradewind.errors import Conflict, FieldProblem
from tradewind.jobs.events import announce
from tradewind.jobs.lifecycle import get_job
from tradewind.jobs.views import PROGRESS, progress_payload

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition

    from tradewind.data.jobs import JobRecord

KIND = "pipeline"
STATS_WINDOW = 1000
"""``GET /pipeline/stats`` reads at most this many of the newest runs."""


def _ms_hex(moment: datetime) -> str:
    """The 12 hex digits of epoch milliseconds that start a job id (:func:`jobs.submit.new_job_id`)."""
    return f"{int(moment.timestamp() * 1000):012x}"


def index_key(tenant_id: str) -> tuple[str, str]:
    from tradewind.data.jobs import JobRecord

    return JobRecord.kind_index_key(tenant_id, KIND)


def list_runs(
    tenant_id: str,
    limit: int,
    start: dict[str, Any] | None,
    *,
    status: str | None = None,
    mode: str | None = None,
    strategy_id: str | None = None,
    day: date | None = None,
) -> tuple[list[JobRecord], dict[str, Any] | None]:
    """One page of runs, newest first. ``day`` (UTC) is a key range (ids are time-sortable); the other
    filters apply after reading, so a page may be short while more follow (continue with the key)."""
    from tradewind.data.jobs import JobRecord

    hash_key, prefix = index_key(tenant_id)
    key_condition: Condition
    if day is None:
        key_condition = JobRecord.gsi1sk.startswith(prefix)
    else:
        first = datetime.combine(day, time(), tzinfo=UTC)
        after = first + timedelta(days=1)
        key_condition = JobRecord.gsi1sk.between(prefix + _ms_hex(first), prefix + _ms_hex(after))
    condition = None
    for attribute, value in (
        (JobRecord.status, status),
        (JobRecord.mode, mode),
        (JobRecord.strategy_id, strategy_id),
    ):
        if value is not None:
            part = attribute == value
            condition = part if condition is None else condition & part
    return query_page(
        JobRecord.gsi1.query,
        hash_key,
        key_condition,
        limit=limit,
        start=start,
        newest_first=True,
        filter_condition=condition,
    )


def get_run(tenant_id: str, job_id: str) -> JobRecord:
    return get_job(tenant_id, job_id, KIND)


def stop_run(tenant_id: str, job_id: str) -> JobRecord:
    """Ask a running run to stop (409 when it is final): its remaining batches are skipped and it ends
    ``stopped`` with what it finished."""
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed

    record = get_run(tenant_id, job_id)
    now = datetime.now(UTC)
    try:
        record.update(
            actions=[JobRecord.stop_requested.set(True), JobRecord.updated_at.set(now)],
            condition=JobRecord.status.is_in("queued", "running"),
        )
    except Exception as exc:
        if not condition_failed(exc):
            raise
        record.refresh(consistent_read=True)
        if record.status == "paused":
            msg = "the run is paused; resume it to stop it, or cancel it"
            raise Conflict(
                f"run {job_id!r} is paused", [FieldProblem(["path", "job_id"], msg, "paused")]
            ) from None
        msg = f"the run is already {record.status}"
        raise Conflict(
            f"run {job_id!r} is already {record.status}", [FieldProblem(["path", "job_id"], msg, "final")]
        ) from None
    announce(tenant_id, job_id, PROGRESS, progress_payload(record))
    return record


def stats(tenant_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Totals over the newest ``STATS_WINDOW`` runs: how many, by status, the success rate of the
    finished ones, runs started in the last 24 hours and the mean duration of finished ones."""
    from tradewind.data.jobs import JobRecord

    now = now or datetime.now(UTC)
    hash_key, prefix = index_key(tenant_id)
    rows = list(
        JobRecord.gsi1.query(
            hash_key, JobRecord.gsi1sk.startswith(prefix), scan_index_forward=False, limit=STATS_WINDOW
        )
    )
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    finished = [r for r in rows if r.finished_at is not None and r.started_at is not None]
    ended = sum(by_status.get(s, 0) for s in ("succeeded", "failed", "stopped", "cancelled"))
    durations = [(r.finished_at - r.started_at).total_seconds() for r in finished]
    return {
        "total_runs": len(rows),
        "by_status": by_status,
        "success_rate": None if not ended else round(by_status.get("succeeded", 0) / ended, 4),
        "runs_last_24h": sum(1 for r in rows if r.created_at >= now - timedelta(hours=24)),
        "average_duration_seconds": round(sum(durations) / len(durations), 3) if durations else None,
        "window": STATS_WINDOW,
    }
