"""``GET /jobs/stats``: total, success rate, last 24 h and average duration, overall and per kind.

Computed without a scan that grows with the tenant's history:

- **Counters** (``TENANT#{t}`` / ``JOBSTATS#{kind}``, :class:`tradewind.data.jobs.JobStats`):
  ``created`` is added in the transaction that creates the job (``caps.create_running``, a cached
  copy's save, an import's record), and the final status, the duration (``finished_at - started_at``)
  and how many durations were summed are added in the transaction of
  :func:`tradewind.jobs.records.finish`. A retried or losing final transition fails its condition
  there and counts nothing, so each job is counted once. Deleting a job does not uncount it: the
  figures describe the work done.
- **Last 24 h**: a query of the tenant's jobs whose time-sortable ids fall in the last 24 hours,
  reading only ``kind`` (bounded by a day's jobs: the daily run cap, plus cached copies and imports;
  at most :data:`RECENT_LIMIT` are read).

So the stats cost one query of at most one item per kind, plus one bounded query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

KINDS = ("import", "backtest", "optimization", "pipeline")
ENDINGS = ("succeeded", "failed", "cancelled", "stopped")
RECENT_LIMIT = 5000
"""At most this many of the last 24 hours' jobs are read for the ``last_24h`` figure."""


def _item(record: JobRecord) -> Any:
    from tradewind.data.jobs import JobStats

    return JobStats(*JobStats.key(record.tenant_id, record.kind))


def count_created(transaction: TransactWrite, record: JobRecord, final: str | None = None) -> None:
    """Add one created job of the record's kind (inside the transaction that creates it); ``final``
    for a job created final (a cached copy: no duration)."""
    from tradewind.data.jobs import JobStats

    actions: list[Action] = [
        JobStats.created.add(1),
        JobStats.tenant_id.set(record.tenant_id),
        JobStats.kind.set(record.kind),
    ]
    if final is not None:
        actions.append(getattr(JobStats, final).add(1))
    transaction.update(_item(record), actions=actions)


def count_final(
    transaction: TransactWrite, record: JobRecord, status: str, finished: datetime | None
) -> None:
    """Add the job's final status and duration (inside the transaction that makes it final)."""
    from tradewind.data.jobs import JobStats

    actions: list[Action] = [
        getattr(JobStats, status).add(1),
        JobStats.tenant_id.set(record.tenant_id),
        JobStats.kind.set(record.kind),
    ]
    if record.started_at is not None:
        seconds = max(0.0, ((finished or datetime.now(UTC)) - record.started_at).total_seconds())
        actions += [JobStats.duration_seconds.add(round(seconds, 3)), JobStats.timed.add(1)]
    transaction.update(_item(record), actions=actions)


def _figures(
    created: int, counts: dict[str, int], duration: float, timed: int, recent: int
) -> dict[str, Any]:
    ended = sum(counts.values())
    return {
        "total": created,
        "by_status": counts,
        "active": max(0, created - ended),
        "success_rate": round(counts.get("succeeded", 0) / ended, 4) if ended else None,
        "last_24h": recent,
        "average_duration_seconds": round(duration / timed, 3) if timed else None,
    }


def stats(tenant_id: str, now: datetime | None = None) -> dict[str, Any]:
    """The tenant's figures, overall and per kind (every kind listed, zeros when it never ran)."""
    from tradewind.data.jobs import JobRecord, JobStats
    from tradewind.data.table import tenant_pk

    now = now or datetime.now(UTC)
    rows = {
        row.kind: row for row in JobStats.query(tenant_pk(tenant_id), JobStats.sk.startswith(JobStats.PREFIX))
    }
    since = f"{int((now - timedelta(hours=24)).timestamp() * 1000):012x}"
    recent: dict[str, int] = {}
    pk, prefix = JobRecord.key(tenant_id)
    for job in JobRecord.query(
        pk,
        JobRecord.sk.between(f"{prefix}{since}", f"{prefix}~"),  # "~" sorts after every id
        attributes_to_get=["pk", "sk", "kind"],
        limit=RECENT_LIMIT,
    ):
        recent[job.kind] = recent.get(job.kind, 0) + 1
    kinds = [*KINDS, *sorted(set(rows) - set(KINDS))]
    per_kind: dict[str, dict[str, Any]] = {}
    totals: dict[str, Any] = {"created": 0, "counts": {}, "duration": 0.0, "timed": 0}
    for kind in kinds:
        row = rows.get(kind)
        created = int(row.created or 0) if row else 0
        counts = {s: int(getattr(row, s) or 0) for s in ENDINGS} if row else dict.fromkeys(ENDINGS, 0)
        duration = float(row.duration_seconds or 0) if row else 0.0
        timed = int(row.timed or 0) if row else 0
        per_kind[kind] = _figures(created, counts, duration, timed, recent.get(kind, 0))
        totals["created"] += created
        totals["duration"] += duration
        totals["timed"] += timed
        for status, n in counts.items():
            totals["counts"][status] = totals["counts"].get(status, 0) + n
    overall = _figures(
        totals["created"], totals["counts"], totals["duration"], totals["timed"], sum(recent.values())
    )
    return {**overall, "by_kind": per_kind}
