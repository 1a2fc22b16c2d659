"""The job workflow's steps run in-process, in the order the state machine runs them (plan, every
shard's worker, reduce), for API tests that need a job to really finish under moto; and the tenant's
job counters as the caps see them."""

from __future__ import annotations

from typing import Any

from tradewind.data.jobs import JobCounter
from tradewind.jobs import plan, reduce, worker
from tradewind.jobs.artifacts import manifest_key
from tradewind.jobs.caps import today
from tradewind.jobs.store import get_json


def run_workflow(tenant_id: str, job_id: str) -> dict[str, Any]:
    """Plan, work every shard of the manifest, reduce; returns reduce's output."""
    event = {"tenant_id": tenant_id, "job_id": job_id}
    plan.plan(event)
    for item in get_json(manifest_key(tenant_id, job_id)) or []:
        worker.work({**event, "shard": item})
    return reduce.reduce(event)


def running(tenant_id: str) -> int:
    """The tenant's jobs holding a running slot, as the concurrency cap counts them."""
    try:
        return int(JobCounter.get(*JobCounter.running_key(tenant_id), consistent_read=True).jobs)
    except JobCounter.DoesNotExist:
        return 0


def started_today(tenant_id: str) -> int:
    """The tenant's jobs started this UTC day, as the daily cap counts them."""
    from datetime import UTC, datetime

    try:
        key = JobCounter.day_key(tenant_id, today(datetime.now(UTC)))
        return int(JobCounter.get(*key, consistent_read=True).jobs)
    except JobCounter.DoesNotExist:
        return 0
