"""A job's structured log: lines (time, level, message, fields) stored and pushed live.

Each line is one DynamoDB item ``TENANT#{t}`` / ``JOBLOG#{id}#{seq}`` (``seq``: nanoseconds since the
epoch and 4 random hex digits, so lines sort by time and two writers never collide), expiring after
:data:`RETENTION_DAYS` (TTL) and deleted with the job; and one ``job.log`` message on ``job:{id}``.
Steps write a line at the meaningful moments only (plan, each shard or batch done or failed, reduce,
aggregation, cancel, the failure's reason), so a job has about as many lines as shards, plus a few.

Logging is best effort: a line that cannot be stored or pushed is logged to the Lambda's own log
and never fails the step that wrote it. No pynamodb at import time.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tradewind.data.jobs import JobLogLine

Level = Literal["debug", "info", "warning", "error"]
LOG = "job.log"
RETENTION_DAYS = 30
MESSAGE_CHARS = 2000
logger = logging.getLogger(__name__)


def _seq() -> str:
    return f"{time.time_ns():020d}{secrets.token_hex(2)}"


def line_view(item: JobLogLine) -> dict[str, Any]:
    """A stored line as clients read it (the same shape as the ``job.log`` message)."""
    return {
        "job_id": item.job_id,
        "seq": item.sk.rsplit("#", 1)[-1],
        "time": item.time,
        "level": item.level,
        "message": item.message,
        "fields": item.fields or {},
    }


def log(tenant_id: str, job_id: str, level: Level, message: str, **fields: Any) -> None:
    """Store one line and push it as ``job.log`` on the job's topic; failures are only logged."""
    from tradewind.data.jobs import JobLogLine
    from tradewind.jobs.events import announce

    now = datetime.now(UTC)
    try:
        item = JobLogLine(
            *JobLogLine.key(tenant_id, job_id, _seq()),
            tenant_id=tenant_id,
            job_id=job_id,
            time=now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            level=level,
            message=message[:MESSAGE_CHARS],
            fields={k: v for k, v in fields.items() if v is not None} or None,
            expires_at=now + timedelta(days=RETENTION_DAYS),
        )
        item.save()
    except Exception:
        logger.exception("could not store a log line of job %s", job_id)
        return
    announce(tenant_id, job_id, LOG, line_view(item))


def read(
    tenant_id: str, job_id: str, limit: int, start: dict[str, Any] | None, tail: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A page of lines, oldest first, and the key to continue from; ``tail``: the last ``tail`` lines
    (then the key continues after them, for a follower)."""
    from tradewind.data.jobs import JobLogLine
    from tradewind.data.table import query_page

    pk, prefix = JobLogLine.key(tenant_id, job_id)
    if tail is not None:
        rows = list(
            JobLogLine.query(pk, JobLogLine.sk.startswith(prefix), scan_index_forward=False, limit=tail)
        )
        rows.reverse()
        last = {"pk": {"S": rows[-1].pk}, "sk": {"S": rows[-1].sk}} if rows else None
        return [line_view(r) for r in rows], last
    lines, next_key = query_page(
        JobLogLine.query,
        pk,
        JobLogLine.sk.startswith(prefix),
        limit=limit,
        start=start,
    )
    return [line_view(r) for r in lines], next_key


def prefix(tenant_id: str, job_id: str) -> tuple[str, str]:
    from tradewind.data.jobs import JobLogLine

    return JobLogLine.key(tenant_id, job_id)


def delete_all(tenant_id: str, job_id: str) -> None:
    """Remove the job's lines and its progress history (with the job)."""
    from tradewind.data.jobs import JobLogLine, JobProgressHistory

    pk, sk_prefix = JobLogLine.key(tenant_id, job_id)
    with JobLogLine.batch_write() as batch:
        for line in JobLogLine.query(pk, JobLogLine.sk.startswith(sk_prefix), attributes_to_get=["pk", "sk"]):
            batch.delete(line)
    JobProgressHistory(*JobProgressHistory.key(tenant_id, job_id)).delete()
