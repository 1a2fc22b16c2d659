"""A tenant's jobs after submission: list, get, cancel, delete, and compare backtests.

Every read goes through the caller's tenant partition, so another tenant's job id is simply not
found. A job of the other kind is not found either (``GET /backtests/{id}`` of an optimization).
Cancel is conditional on the status not being final, so it never overrides a job that finished a
moment earlier; the workflow's workers and reduce do nothing for a job already final.
pynamodb and boto3 load on first use, keeping them out of the API Lambda's cold import.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind import aws
from tradewind.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tradewind.jobs import store
from tradewind.jobs.artifacts import RESULT_SUMMARY, result_key
from tradewind.jobs.spec import FINAL_STATUSES

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)

CANCELLED = "job.cancelled"
"""The message on ``job:{id}`` when a job is cancelled (its payload is the job's view)."""
MAX_COMPARED = 10
_NOUN = {"backtest": "backtest", "optimization": "optimization"}


def _records() -> type[JobRecord]:
    from tradewind.data.jobs import JobRecord

    return JobRecord


def get_job(tenant_id: str, job_id: str, kind: str) -> JobRecord:
    """The tenant's job of this kind; 404 otherwise."""
    from tradewind.jobs.records import get_record

    record = get_record(tenant_id, job_id)
    if record is None or record.kind != kind:
        raise NotFound(f"{_NOUN[kind]} {job_id!r} not found")
    return record


def require_succeeded(record: JobRecord) -> None:
    """409 naming the status unless the job has results."""
    if record.status != "succeeded":
        msg = f"the job is {record.status}; results exist once it has succeeded"
        raise Conflict(
            f"{_NOUN[record.kind]} {record.job_id!r} is {record.status}",
            [FieldProblem(["path", "job_id"], msg, "not_finished")],
        )


def list_jobs(
    tenant_id: str,
    kind: str,
    limit: int,
    start: dict[str, Any] | None,
    *,
    status: str | None = None,
    strategy_id: str | None = None,
) -> tuple[list[JobRecord], dict[str, Any] | None]:
    """One page of the tenant's jobs of ``kind``, newest first, optionally filtered.

    Filters apply after the index range is read, so a page may be shorter than ``limit`` while more
    matches follow (continue with the returned key).
    """
    records = _records()
    condition = None
    if status is not None:
        condition = records.status == status
    if strategy_id is not None:
        same = records.strategy_id == strategy_id
        condition = same if condition is None else condition & same
    hash_key, prefix = records.kind_index_key(tenant_id, kind)
    rows = records.gsi1.query(
        hash_key,
        records.gsi1sk.startswith(prefix),
        filter_condition=condition,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=start,
    )
    items = list(rows)
    return items, rows.last_evaluated_key


def list_index_key(tenant_id: str, kind: str) -> tuple[str, str]:
    """The ``gsi1`` partition and sort-key prefix that :func:`list_jobs` reads (a token must lie there)."""
    return _records().kind_index_key(tenant_id, kind)


def cancel_job(tenant_id: str, job_id: str, kind: str) -> JobRecord:
    """Mark the job ``cancelled`` (409 when already final), stop its execution, tell subscribers."""
    from tradewind.jobs.events import announce, label, notify_outcome
    from tradewind.jobs.views import job_view
    from tradewind.services.notifications import JOB_CANCELLED

    record = _mark_cancelled(get_job(tenant_id, job_id, kind))
    _stop(record)
    announce(tenant_id, job_id, CANCELLED, job_view(record))
    notify_outcome(record, JOB_CANCELLED, f"{label(record)} cancelled", "Cancelled before it finished.")
    return record


def _mark_cancelled(record: JobRecord) -> JobRecord:
    """Set ``cancelled`` unless the job is final; 409 naming the status it has then."""
    from pynamodb.exceptions import UpdateError

    records, now = type(record), datetime.now(UTC)
    try:
        record.update(
            actions=[
                records.status.set("cancelled"),
                records.finished_at.set(now),
                records.updated_at.set(now),
            ],
            condition=records.status.is_in("queued", "running"),
        )
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
    else:
        return record
    record.refresh(consistent_read=True)
    msg = f"the job is already {record.status}"
    raise Conflict(
        f"{_NOUN[record.kind]} {record.job_id!r} is already {record.status}",
        [FieldProblem(["path", "job_id"], msg, "final")],
    )


def _stop(record: JobRecord) -> None:
    """Stop the execution; a failure only wastes compute (every step skips a final job), so it is logged."""
    if not record.execution_arn:
        return
    try:
        aws.client("stepfunctions").stop_execution(
            executionArn=record.execution_arn, error="Cancelled", cause="cancelled through the API"
        )
    except Exception:
        logger.exception("could not stop the execution of job %s", record.job_id)


def delete_job(tenant_id: str, job_id: str, kind: str) -> None:
    """Remove the job: cancel it if it still runs, then its objects, shard markers, cache entry, record.

    The record goes last, so a delete that fails halfway can simply be repeated.
    """
    from tradewind.data.jobs import JobHashRecord, ShardMarker

    record = get_job(tenant_id, job_id, kind)
    if record.status not in FINAL_STATUSES:
        with contextlib.suppress(Conflict):  # it finished meanwhile: delete it as it is
            _mark_cancelled(record)
        _stop(record)
    store.delete_job_objects(tenant_id, job_id)
    pk, prefix = ShardMarker.key(tenant_id, job_id)
    with ShardMarker.batch_write() as batch:
        for marker in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix)):
            batch.delete(marker)
    pointer = JobHashRecord(*JobHashRecord.key(tenant_id, record.kind, record.request_hash))
    _delete_if(pointer, JobHashRecord.job_id == job_id)
    _delete_if(record, None)


def _delete_if(item: Any, condition: Any) -> None:
    """Delete ``item`` (when ``condition`` holds); a failed condition means there is nothing of ours."""
    from pynamodb.exceptions import DeleteError

    try:
        item.delete(condition=condition)
    except DeleteError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


def compare_backtests(tenant_id: str, job_ids: list[str]) -> dict[str, Any]:
    """The portfolio metrics of succeeded backtests side by side, in the order asked.

    404 names an id that is not one of the tenant's backtests (``["query", "ids", i]``), 409 one that
    has not succeeded.
    """
    from tradewind.jobs.records import get_record
    from tradewind.metrics.catalog import METRICS

    if not job_ids or len(job_ids) > MAX_COMPARED:
        msg = f"give 1 to {MAX_COMPARED} comma-separated backtest ids"
        raise InvalidInput("invalid ids", [FieldProblem(["query", "ids"], msg, "value_error")])
    jobs: list[JobRecord] = []
    for i, job_id in enumerate(job_ids):
        record = get_record(tenant_id, job_id)
        if record is None or record.kind != "backtest":
            raise NotFound(
                f"backtest {job_id!r} not found", [FieldProblem(["query", "ids", i], "no such backtest")]
            )
        if record.status != "succeeded":
            msg = f"backtest {job_id} is {record.status}"
            raise Conflict(msg, [FieldProblem(["query", "ids", i], msg, "not_finished")])
        jobs.append(record)
    summaries = [store.get_json(result_key(tenant_id, r.job_id, RESULT_SUMMARY)) or {} for r in jobs]
    portfolios = [summary.get("portfolio", {}) for summary in summaries]
    rows = [
        {"metric": m, "label": spec.label, "unit": spec.unit, "values": [p.get(m) for p in portfolios]}
        for m, spec in METRICS.items()
        if any(m in p for p in portfolios)
    ]
    columns = [
        {
            "job_id": r.job_id,
            "name": r.name,
            "strategy_name": r.strategy_name,
            "strategy_id": r.strategy_id,
            "strategy_version": None if r.strategy_version is None else int(r.strategy_version),
            "symbols": list(r.symbols),
            "params": summary.get("params", {}),
            "start": summary.get("start"),
            "end": summary.get("end"),
        }
        for r, summary in zip(jobs, summaries, strict=True)
    ]
    return {"backtests": columns, "metrics": rows}
