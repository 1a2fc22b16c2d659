"""What the backtest and optimization routes share: the job body, ids, the Idempotency-Key header,
the 202/200 answer with ``Location``, list filters and the trade-page token.

Imports nothing heavy: the services these routes call load pynamodb, boto3 and pandas on first use.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Header, Path, Query, Response, status
from pydantic import BaseModel, Field

from tradewind.api.errors import PROBLEM_JSON
from tradewind.api.pagination import Page, decode_token, encode_token
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.jobs.caps import CONCURRENCY_RETRY_AFTER
from tradewind.jobs.spec import JobKind, JobStatus

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

JobId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", examples=["0193a1b2c3d4e5f6a7b8c9"])]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description=(
            "Any unique string (a UUID). A retry with the same key and the same request within 24 hours "
            "returns the job the first request created; the same key with another request answers 422."
        ),
    ),
]
StatusFilter = Annotated[JobStatus | None, Query(description="only jobs with this status")]
StrategyFilter = Annotated[str | None, Query(max_length=64, description="only jobs of this stored strategy")]


class Progress(BaseModel):
    shards_done: int
    shards_total: int
    combos_done: int
    combos_total: int = Field(description="combinations x symbols (x walk-forward windows)")
    percent: float


class JobOut(BaseModel):
    """A backtest or optimization: status, progress, the short summary, and why it failed."""

    job_id: str
    kind: JobKind
    status: JobStatus
    name: str | None
    strategy_id: str | None
    strategy_version: int | None
    strategy_name: str | None
    dataset_id: str
    symbols: list[str]
    progress: Progress
    summary: dict[str, Any] | None = Field(
        description="backtest: return_pct, sharpe, max_drawdown_pct, trades; "
        "optimization: best_params, best_objective, combinations"
    )
    error: str | None = Field(description="a readable reason, when failed")
    cached: bool = Field(description="answered from an identical earlier job's result")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    stalled_since: datetime | None = Field(
        default=None,
        description="when the running job was flagged stalled: no progress for its kind's threshold "
        "(docs/jobs.md#stalled-jobs); null when it is not, or moved since. It may still finish",
    )

    @classmethod
    def of(cls, record: JobRecord) -> JobOut:
        from tradewind.jobs.views import job_view

        return cls.model_validate(job_view(record))


SUBMIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": JobOut,
        "description": "Identical work already succeeded: a new job, already `succeeded`, marked `cached`",
    },
    202: {"description": "Accepted: the job is queued; follow it on WebSocket topic `job:{job_id}`"},
    429: {
        "description": "A per-tenant job cap is reached (`errors[0].type` names it: `max_concurrent_jobs` "
        "or `max_job_runs_per_day`; the message gives the count and the cap). Nothing was created.",
        "content": {PROBLEM_JSON: {}},
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait: until the next UTC midnight for the daily cap, "
                f"{CONCURRENCY_RETRY_AFTER} for the concurrency cap",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    },
}


def accepted(response: Response, record: JobRecord, collection: str) -> JobOut:
    """202 with ``Location`` (the job, ``/jobs/{id}``) to follow; 200 for a cached one (already
    succeeded). ``collection`` is the kind's route, where its results are."""
    response.status_code = status.HTTP_200_OK if record.cached else status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/jobs/{record.job_id}"
    return JobOut.of(record)


def list_page(
    tenant_id: str,
    kind: JobKind,
    limit: int,
    next_token: str | None,
    status: str | None,
    strategy_id: str | None,
) -> Page[JobOut]:
    """One page of a tenant's jobs of one kind, newest first; a token from another list is a 422."""
    from tradewind.jobs import lifecycle

    partition, prefix = lifecycle.list_index_key(tenant_id, kind)
    start = decode_token(
        next_token, partition=partition, partition_attr="gsi1pk", sort_attr="gsi1sk", sort_prefix=prefix
    )
    items, last = lifecycle.list_jobs(tenant_id, kind, limit, start, status=status, strategy_id=strategy_id)
    return Page(items=[JobOut.of(r) for r in items], next_token=encode_token(last))


def trades_token(job_id: str, offset: int | None) -> str | None:
    """The ``next_token`` of a trade page: the offset, tied to the job."""
    if offset is None:
        return None
    return encode_token({"pk": {"S": f"TRADES#{job_id}"}, "offset": {"S": str(offset)}})


def trades_offset(job_id: str, token: str | None) -> int:
    start = decode_token(token, partition=f"TRADES#{job_id}")
    if start is None:
        return 0
    offset = start.get("offset", {}).get("S", "")
    if set(start) != {"pk", "offset"} or not (offset.isascii() and offset.isdigit()):  # not "²" nor "٣"
        problem = FieldProblem(["query", "next_token"], "not a token this API issued")
        raise InvalidInput("invalid next_token: not a token this API issued", [problem])
    return int(offset)
