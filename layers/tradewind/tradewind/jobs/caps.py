"""Per-tenant caps on jobs: how many may be queued or running at once, how many may start per UTC day.

Both are counters in the main table (:class:`tradewind.data.jobs.JobCounter`) moved only inside
DynamoDB transactions, so they hold across any number of concurrent API and workflow Lambdas:

- a job that will run is created by :func:`create_running` in one transaction with its record
  (``holds_slot`` set), ``ADD jobs 1`` on ``JOBCOUNT#RUNNING`` under ``jobs < max_concurrent_jobs``
  and ``ADD jobs 1`` on ``JOBCOUNT#DAY#{utc date}`` under ``jobs < max_job_runs_per_day`` (that item
  expires by TTL two days after its day). A failed condition writes nothing and is a 429 naming the
  cap and the count, with ``Retry-After``: the seconds until the next UTC midnight for the daily cap,
  :data:`CONCURRENCY_RETRY_AFTER` for the concurrency cap;
- the slot is released by :func:`tradewind.jobs.records.finish`, the one way a job becomes final, in
  the same transaction as the status change: a retried or losing final transition fails its
  condition and releases nothing.

A cached copy (``cached: true``) runs nothing: it is created already final, takes no slot and is not
counted as a run of the day. :func:`check` reads the counters first so that a tenant at a cap is
answered before anything is written; the transaction alone decides.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tradewind.errors import FieldProblem, TooManyRequests
from tradewind.jobs.records import failed_conditions, transact
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

CONCURRENCY_RETRY_AFTER = 30
"""Seconds a client is told to wait when all its running slots are taken (a typical job's length)."""
DAY_COUNTER_TTL = timedelta(days=2)
"""A day's run counter expires this long after the day began (TTL), never while the day runs."""
_RUNNING, _TODAY = 1, 2  # positions of the counters in create_running's transaction


def today(now: datetime) -> str:
    return now.astimezone(UTC).date().isoformat()


def seconds_to_midnight(now: datetime) -> int:
    """Whole seconds (at least 1) until the next UTC midnight, when the daily count starts again."""
    now = now.astimezone(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=UTC)
    return max(1, math.ceil((midnight - now).total_seconds()))


def check(tenant_id: str, now: datetime | None = None) -> None:
    """429 when the tenant is at a cap already (a cheap read before anything is written)."""
    from tradewind.data.jobs import JobCounter

    now = now or datetime.now(UTC)
    day = today(now)
    running_key, day_key = JobCounter.running_key(tenant_id), JobCounter.day_key(tenant_id, day)
    counts = {c.sk: int(c.jobs) for c in JobCounter.batch_get([running_key, day_key])}
    settings = get_settings()
    if counts.get(day_key[1], 0) >= settings.max_job_runs_per_day:
        raise daily_cap(counts[day_key[1]], now)
    if counts.get(running_key[1], 0) >= settings.max_concurrent_jobs:
        raise concurrency_cap(counts[running_key[1]])


def create_running(record: JobRecord, now: datetime | None = None) -> None:
    """Save a new job's record holding a running slot and counted as a run of today, or raise 429
    (nothing written) when either cap is reached."""
    from pynamodb.exceptions import TransactWriteError

    from tradewind.data.jobs import JobCounter, JobRecord
    from tradewind.jobs.stats import count_created

    now = now or datetime.now(UTC)
    settings = get_settings()
    tenant_id, day = record.tenant_id, today(now)
    day_start = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
    record.holds_slot = True
    running = JobCounter(*JobCounter.running_key(tenant_id))
    runs_today = JobCounter(*JobCounter.day_key(tenant_id, day))

    def fill(transaction: TransactWrite) -> None:
        transaction.save(record, condition=JobRecord.pk.does_not_exist())
        transaction.update(
            running,
            actions=[JobCounter.jobs.add(1), JobCounter.tenant_id.set(tenant_id)],
            condition=JobCounter.jobs.does_not_exist() | (JobCounter.jobs < settings.max_concurrent_jobs),
            return_values="ALL_OLD",
        )
        transaction.update(
            runs_today,
            actions=[
                JobCounter.jobs.add(1),
                JobCounter.tenant_id.set(tenant_id),
                JobCounter.expires_at.set(day_start + DAY_COUNTER_TTL),
            ],
            condition=JobCounter.jobs.does_not_exist() | (JobCounter.jobs < settings.max_job_runs_per_day),
            return_values="ALL_OLD",
        )
        count_created(transaction, record)  # GET /jobs/stats (jobs.stats), after the counters' positions

    try:
        transact(fill)
    except TransactWriteError as exc:
        failed = failed_conditions(exc)
        if _TODAY in failed:
            raise daily_cap(_count(failed[_TODAY], settings.max_job_runs_per_day), now) from None
        if _RUNNING in failed:
            raise concurrency_cap(_count(failed[_RUNNING], settings.max_concurrent_jobs)) from None
        raise


def _count(item: dict[str, Any] | None, default: int) -> int:
    try:
        return int((item or {})["jobs"]["N"])
    except (KeyError, TypeError, ValueError):
        return default


def concurrency_cap(count: int) -> TooManyRequests:
    cap = get_settings().max_concurrent_jobs
    msg = f"{count} of your jobs are queued or running; the cap is {cap} at once (max_concurrent_jobs)"
    return TooManyRequests(
        f"Too many jobs at once: {count} queued or running, the cap is {cap}. Retry when one finishes.",
        [FieldProblem([], msg, "max_concurrent_jobs")],
        retry_after=CONCURRENCY_RETRY_AFTER,
    )


def daily_cap(count: int, now: datetime) -> TooManyRequests:
    cap = get_settings().max_job_runs_per_day
    msg = f"{count} jobs started today (UTC); the cap is {cap} a day (max_job_runs_per_day)"
    return TooManyRequests(
        f"Too many jobs today: {count} started since midnight UTC, the cap is {cap}. "
        "Retry after midnight UTC.",
        [FieldProblem([], msg, "max_job_runs_per_day")],
        retry_after=seconds_to_midnight(now),
    )
