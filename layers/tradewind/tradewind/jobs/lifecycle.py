"""A tenant's jobs after submission: list, get, cancel, delete.

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
from tradewind.data.table import condition_failed
from tradewind.errors import Conflict, FieldProblem, NotFound
from tradewind.jobs import store
from tradewind.jobs.spec import FINAL_STATUSES
from tradewind.settings import get_settings

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

Loc = list[str | int]
logger = logging.getLogger(__name__)

JOB_ID_LOC: Loc = ["path", "job_id"]


def _records() -> type[JobRecord]:
    from tradewind.data.jobs import JobRecord

    return JobRecord


def get_job(tenant_id: str, job_id: str, kind: str, loc: Loc | None = None) -> JobRecord:
    """The tenant's job of this kind; 404 otherwise (naming ``loc`` when the id came from there)."""
    from tradewind.jobs.records import get_record

    record = get_record(tenant_id, job_id)
    if record is None or record.kind != kind:
        problems = [] if loc is None else [FieldProblem(list(loc), f"no such {kind}", "not_found")]
        raise NotFound(f"{kind} {job_id!r} not found", problems)
    return record


def require_succeeded(record: JobRecord, loc: Loc = JOB_ID_LOC) -> None:
    """409 naming the status (at ``loc``, where the id came from) unless the job has results."""
    if record.status != "succeeded":
        msg = f"the job is {record.status}; results exist once it has succeeded"
        raise Conflict(
            f"{record.kind} {record.job_id!r} is {record.status}",
            [FieldProblem(list(loc), msg, "not_finished")],
        )


def execution_arn(job_id: str) -> str:
    """The job's workflow execution: submit names it after the job, so its ARN follows from the
    state machine's (``arn:...:stateMachine:{name}`` -> ``arn:...:execution:{name}:{job_id}``)."""
    machine = get_settings().job_state_machine_arn
    return f"{machine.replace(':stateMachine:', ':execution:', 1)}:{job_id}"


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
    from tradewind.jobs.views import job_message
    from tradewind.services.notifications import JOB_CANCELLED

    record = _mark_cancelled(get_job(tenant_id, job_id, kind))
    _stop(record)
    announce(tenant_id, job_id, *job_message(record))
    notify_outcome(record, JOB_CANCELLED, f"{label(record)} cancelled", "Cancelled before it finished.")
    return record


def _mark_cancelled(record: JobRecord) -> JobRecord:
    """Set ``cancelled`` (releasing the job's running slot) unless the job is final; 409 naming the
    status it has then."""
    from tradewind.jobs.records import finish

    now = datetime.now(UTC)
    if finish(record, "cancelled", ("queued", "running"), finished_at=now, updated_at=now):
        return record
    msg = f"the job is already {record.status}"
    raise Conflict(
        f"{record.kind} {record.job_id!r} is already {record.status}",
        [FieldProblem(["path", "job_id"], msg, "final")],
    )


def _stop(record: JobRecord) -> None:
    """Stop the execution; a failure only wastes compute (every step skips a final job), so it is logged.

    An execution not started yet (submit starts it right after saving the record) is no error: its
    plan step finds the job final and runs nothing.
    """
    try:
        aws.client("stepfunctions").stop_execution(
            executionArn=execution_arn(record.job_id), error="Cancelled", cause="cancelled through the API"
        )
    except Exception as exc:
        if getattr(exc, "response", {}).get("Error", {}).get("Code") == "ExecutionDoesNotExist":
            logger.info("job %s has no execution yet: its plan step will skip it", record.job_id)
        else:
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
        if not condition_failed(exc):
            raise
