"""Job routes (docs/jobs.md, One control surface): every kind of job listed, counted, read,
cancelled and deleted through one set of routes, with its timeline, progress history and log.

Creation and results stay per kind (``/backtests``, ``/optimizations``, ``/pipeline/runs``,
``/datasets``). Pause and resume (``POST /jobs/{id}/pause|resume``) join this router.

Imports nothing heavy: the use cases load pynamodb and boto3 on first use.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.jobs import JobId, JobOut, StatusFilter
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.jobs import lifecycle
from tradewind.jobs.spec import JobKind, JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"])

KindFilter = Annotated[JobKind | None, Query(description="only jobs of this kind")]
DateFrom = Annotated[date | None, Query(description="created on or after this UTC date")]
DateTo = Annotated[date | None, Query(description="created on or before this UTC date (inclusive)")]
NameFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="the name (else the strategy's) contains this, any case"),
]


class KindStats(BaseModel):
    total: int = Field(description="jobs created (deleting a job does not uncount it)")
    active: int = Field(description="created and not final yet")
    by_status: dict[str, int] = Field(description="final jobs by their status")
    success_rate: float | None = Field(description="succeeded / final jobs (null before any ended)")
    last_24h: int = Field(description="jobs created in the last 24 hours (of those still kept)")
    average_duration_seconds: float | None = Field(description="start to end, over final jobs that started")


class JobStatsOut(KindStats):
    by_kind: dict[str, KindStats]


class TimelineEntry(BaseModel):
    at: datetime
    # interrupted: its execution was lost, then it was resumed (jobs.recovery); stalled / progressing:
    # no progress for its threshold, then moving again (jobs.stall: events, not statuses)
    status: Literal["submitted", "interrupted", "stalled", "progressing"] | JobStatus | Literal["paused"]
    cause: str = Field(description="what made the change: submitted, planned, a failure's reason, ...")


class Timeline(BaseModel):
    job_id: str
    status: JobStatus
    entries: list[TimelineEntry] = Field(description="oldest first")


class ProgressSample(BaseModel):
    at: datetime
    done: int = Field(description="runs (combinations x symbols) or symbols done")
    total: int
    shards_done: int
    shards_total: int
    rate: float | None = Field(description="done per second since the job started")


class ProgressHistory(BaseModel):
    job_id: str
    status: JobStatus
    samples: list[ProgressSample] = Field(description="oldest first; at most a few hundred")


class LogLine(BaseModel):
    job_id: str
    seq: str = Field(description="orders the job's lines")
    time: datetime
    level: Literal["debug", "info", "warning", "error"]
    message: str
    fields: dict[str, Any]


def _dates(created_from: date | None, created_to: date | None) -> tuple[datetime | None, datetime | None]:
    from datetime import UTC

    if created_from and created_to and created_from > created_to:
        problem = FieldProblem(["query", "created_to"], "must not be before created_from", "value_error")
        raise InvalidInput("created_to is before created_from", [problem])
    low = datetime.combine(created_from, time(), tzinfo=UTC) if created_from else None
    high = datetime.combine(created_to, time.max, tzinfo=UTC) if created_to else None
    return low, high


@router.get("", summary="List your jobs of every kind, newest first, filtered")
def list_jobs(
    tenant: Tenant,
    limit: Limit = 50,
    next_token: NextToken = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    created_from: DateFrom = None,
    created_to: DateTo = None,
    name: NameFilter = None,
) -> Page[JobOut]:
    low, high = _dates(created_from, created_to)
    partition, prefix, partition_attr, sort_attr = lifecycle.search_key(tenant, kind)
    start = decode_token(
        next_token,
        partition=partition,
        partition_attr=partition_attr,
        sort_attr=sort_attr,
        sort_prefix=prefix,
    )
    items, last = lifecycle.search_jobs(
        tenant, limit, start, kind=kind, status=status, created_from=low, created_to=high, name=name
    )
    return Page(items=[JobOut.of(r) for r in items], next_token=encode_token(last))


@router.get("/stats", summary="Total, success rate, last 24 h and average duration, overall and per kind")
def stats(tenant: Tenant) -> JobStatsOut:
    from tradewind.jobs.stats import stats as figures

    return JobStatsOut.model_validate(figures(tenant))


@router.get("/{job_id}", responses=problems(404), summary="Get a job of any kind: status, progress, summary")
def get(tenant: Tenant, job_id: JobId) -> JobOut:
    return JobOut.of(lifecycle.get_job(tenant, job_id))


@router.post(
    "/{job_id}/cancel",
    responses=problems(404, 409),
    summary="Cancel a queued or running job (409 when already final, or for an import)",
)
def cancel(tenant: Tenant, job_id: JobId, request: Request) -> JobOut:
    return JobOut.of(lifecycle.cancel_job(tenant, job_id, by=_who(request)))


@router.delete(
    "/{job_id}",
    responses=problems(404, 409),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a job and its results (a running one is cancelled first)",
)
def delete(tenant: Tenant, job_id: JobId, request: Request) -> None:
    lifecycle.delete_job(tenant, job_id, by=_who(request))


@router.post(
    "/{job_id}/pause",
    responses=problems(404, 409),
    summary="Pause a running optimization or pipeline run: nothing new starts, running shards finish "
    "and count (409 naming the status unless it is running, or for another kind)",
)
def pause(tenant: Tenant, job_id: JobId) -> JobOut:
    from tradewind.jobs import pause as pausing

    return JobOut.of(pausing.pause(tenant, job_id))


@router.post(
    "/{job_id}/resume",
    responses=problems(404, 409),
    summary="Resume a paused job over exactly the shards (batches) not counted yet "
    "(409 naming the status unless it is paused)",
)
def resume(tenant: Tenant, job_id: JobId) -> JobOut:
    from tradewind.jobs import pause as pausing

    return JobOut.of(pausing.resume(tenant, job_id))


@router.get("/{job_id}/timeline", responses=problems(404), summary="Every status change, its time and cause")
def timeline(tenant: Tenant, job_id: JobId) -> Timeline:
    from tradewind.jobs.timeline import timeline as steps

    record = lifecycle.get_job(tenant, job_id)
    return Timeline.model_validate({"job_id": job_id, "status": record.status, "entries": steps(record)})


@router.get("/{job_id}/progress", responses=problems(404), summary="Progress samples over time")
def progress(tenant: Tenant, job_id: JobId) -> ProgressHistory:
    from tradewind.jobs.timeline import progress_history

    record = lifecycle.get_job(tenant, job_id)
    return ProgressHistory.model_validate(
        {"job_id": job_id, "status": record.status, "samples": progress_history(record)}
    )


@router.get("/{job_id}/logs", responses=problems(404), summary="The job's log lines, oldest first, paged")
def logs(
    tenant: Tenant,
    job_id: JobId,
    limit: Limit = 100,
    next_token: NextToken = None,
    tail: Annotated[
        int | None, Query(ge=1, le=1000, description="only the last N lines (next_token then follows them)")
    ] = None,
) -> Page[LogLine]:
    from tradewind.jobs import logs as job_logs

    lifecycle.get_job(tenant, job_id)
    partition, prefix = job_logs.prefix(tenant, job_id)
    start = decode_token(next_token, partition=partition, sort_prefix=prefix)
    items, last = job_logs.read(tenant, job_id, limit, start, None if start is not None else tail)
    return Page(items=[LogLine.model_validate(i) for i in items], next_token=encode_token(last))


def _who(request: Request) -> str:
    """Who asked, for the timeline: the API and the client's product (the first ``User-Agent`` token,
    e.g. ``tradewind-cli/0.1`` or ``Mozilla/5.0``). Keys are per tenant, so that is all there is."""
    agent = (request.headers.get("user-agent") or "").split(" ", 1)[0][:60]
    return f"a request to the API ({agent})" if agent else "a request to the API"
