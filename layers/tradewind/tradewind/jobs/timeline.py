"""A job's timeline (every status change, its time and cause) and its progress history (samples).

Both are written where the change happens, in the write that makes it, so keeping them costs no
extra round trip:

- **Timeline**: a short list on the job record (``timeline``). ``submitted`` is the record's
  ``created_at``; each later status change appends ``{"at", "status", "cause"}`` with ``list_append``
  in the same update expression that changes the status (plan's ``running``, every final transition
  in :func:`tradewind.jobs.records.finish`, a pause or resume). A job has a handful of entries.
- **Progress history**: a separate item ``JOBPROGRESS#{id}`` (so a list page of job records stays
  small), appended in the same transaction as the worker's or the pipeline's throttled progress
  report (:func:`tradewind.jobs.worker.report`); the record keeps when the last sample was taken
  and how many, so deciding needs no extra read. A sample is taken at most every
  :data:`SAMPLE_SECONDS`, and the interval widens with the job's age (a hundredth of its elapsed
  time), so a long job keeps about a hundred samples spread over its whole run; never more than
  :data:`MAX_SAMPLES` (the last one, 100 %, is always taken).

No pynamodb at import time (the API's cold import).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

SAMPLE_SECONDS = 2.0
"""Seconds between two progress samples of a young job."""
SPREAD = 100
"""An older job samples every ``elapsed / SPREAD`` seconds (about this many samples over its life)."""
MAX_SAMPLES = 300
"""Hard cap on a job's progress samples."""


def iso(moment: datetime | None = None) -> str:
    value = (moment or datetime.now(UTC)).astimezone(UTC)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entry(status: str, cause: str, at: datetime | None = None) -> dict[str, Any]:
    """One timeline entry (the cause cut at 1,000 characters)."""
    return {"at": iso(at), "status": status, "cause": cause[:1000]}


def append_action(step: dict[str, Any]) -> Action:
    """The update action that appends ``step`` to the record's timeline (creating it if absent)."""
    from tradewind.data.jobs import JobRecord

    return JobRecord.timeline.set((JobRecord.timeline | []).append([step]))


def timeline(record: JobRecord) -> list[dict[str, Any]]:
    """Every status change, oldest first: ``submitted`` at creation, then what was recorded."""
    first = {"at": iso(record.created_at), "status": "submitted", "cause": "submitted"}
    if record.cached:
        first["cause"] = "answered from an identical earlier job"
    steps = [dict(step) for step in (record.timeline or [])]
    if record.cached and not steps:  # a cached copy is created final
        steps.append({"at": iso(record.created_at), "status": record.status, "cause": "cached result"})
    return [first, *steps]


def sample_due(record: JobRecord, history_at: float | None, samples: int, now: float, last: bool) -> bool:
    """Whether a report at ``now`` (epoch seconds) takes a sample, given the previous one."""
    if samples >= MAX_SAMPLES + (1 if last else 0):
        return False
    if last or history_at is None:
        return True
    started = record.started_at.timestamp() if record.started_at is not None else now
    interval = max(SAMPLE_SECONDS, (now - started) / SPREAD)
    return now - history_at >= interval


def sample(record: JobRecord, now: datetime) -> dict[str, Any]:
    """What the record's counters say at ``now``: done, total and the rate since the start."""
    done, total = int(record.combos_done or 0), int(record.combos_total or 0)
    rate = None
    if record.started_at is not None:
        elapsed = (now - record.started_at).total_seconds()
        rate = round(done / elapsed, 3) if elapsed > 0 else None
    return {
        "at": iso(now),
        "done": done,
        "total": total,
        "shards_done": int(record.shards_done or 0),
        "shards_total": int(record.shards_total or 0),
        "rate": rate,
    }


def add_sample(transaction: TransactWrite, record: JobRecord, last: bool) -> list[Action]:
    """When a sample is due, append it to the history item in ``transaction`` and return the actions
    the report's own update of the job record adds (when and how many samples were taken); else
    ``[]``. The record was just read by the report, so deciding costs no request."""
    from tradewind.data.jobs import JobProgressHistory, JobRecord

    now = datetime.now(UTC)
    taken = int(record.progress_samples or 0)
    if not sample_due(record, record.progress_sampled_at, taken, now.timestamp(), last):
        return []
    item = JobProgressHistory(*JobProgressHistory.key(record.tenant_id, record.job_id))
    transaction.update(
        item,
        actions=[
            JobProgressHistory.samples.set((JobProgressHistory.samples | []).append([sample(record, now)])),
            JobProgressHistory.sampled_at.set(now.timestamp()),
            JobProgressHistory.tenant_id.set(record.tenant_id),
            JobProgressHistory.job_id.set(record.job_id),
        ],
    )
    return [JobRecord.progress_sampled_at.set(now.timestamp()), JobRecord.progress_samples.add(1)]


def progress_history(record: JobRecord) -> list[dict[str, Any]]:
    """The job's progress samples, oldest first (empty before its first report)."""
    from tradewind.data.jobs import JobProgressHistory

    try:
        item = JobProgressHistory.get(*JobProgressHistory.key(record.tenant_id, record.job_id))
    except JobProgressHistory.DoesNotExist:
        return []
    return [dict(s) for s in item.samples or []]
