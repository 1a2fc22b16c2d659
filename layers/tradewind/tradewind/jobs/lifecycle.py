"""A tenant's jobs after submission, of every kind: list (one kind, or all with filters), get,
cancel, delete (the routes of ``/jobs``, api/routes/jobs.py).

Every read goes through the caller's tenant partition, so another tenant's job id is simply not
found. Asked for one kind (a kind's results routes), a job of another kind is not found either.
Cancel is conditional on the status not being final, so it never overrides a job that finished a
moment earlier; the workflow's workers and reduce do nothing for a job already final.
pynamodb and boto3 load on first use, keeping them out of the API Lambda's cold import.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewind import aws
from tradewind.data.table import condition_failed, query_page
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


def get_job(tenant_id: str, job_id: str, kind: str | None = None, loc: Loc | None = None) -> JobRecord:
    """The tenant's job (of this kind, when given); 404 otherwise (naming ``loc`` when the id came
    from there)."""
    from tradewind.jobs.records import get_record

    record = get_record(tenant_id, job_id)
    if record is None or (kind is not None and record.kind != kind):
        noun = kind or "job"
        problems = [] if loc is None else [FieldProblem(list(loc), f"no such {noun}", "not_found")]
        raise NotFound(f"{noun} {job_id!r} not found", problems)
    return record


def require_succeeded(record: JobRecord, loc: Loc = JOB_ID_LOC) -> None:
    """409 naming the status (at ``loc``, where the id came from) unless the job has results."""
    if record.status != "succeeded":
        msg = f"the job is {record.status}; results exist once it has succeeded"
        raise Conflict(
            f"{record.kind} {record.job_id!r} is {record.status}",
            [FieldProblem(list(loc), msg, "not_finished")],
        )


def execution_name(job_id: str, resumes: float | None = 0) -> str:
    """The name of the job's current workflow execution: the job id for the one submit starts, then
    ``{job_id}-r{n}`` for the one the ``n``-th resume starts (:mod:`tradewind.jobs.pause`)."""
    return f"{job_id}-r{int(resumes)}" if resumes else job_id


def execution_arn(job_id: str, resumes: float | None = 0) -> str:
    """The job's current workflow execution: its name follows from the job (:func:`execution_name`),
    so its ARN follows from the state machine's (``arn:...:stateMachine:{name}`` ->
    ``arn:...:execution:{name}:{execution name}``)."""
    machine = get_settings().job_state_machine_arn
    return f"{machine.replace(':stateMachine:', ':execution:', 1)}:{execution_name(job_id, resumes)}"


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

    Filters apply after the index range is read; the read goes on until the page holds ``limit``
    matches or the range ends (``query_page``).
    """
    records = _records()
    condition = None
    if status is not None:
        condition = records.status == status
    if strategy_id is not None:
        same = records.strategy_id == strategy_id
        condition = same if condition is None else condition & same
    hash_key, prefix = records.kind_index_key(tenant_id, kind)
    return query_page(
        records.gsi1.query,
        hash_key,
        records.gsi1sk.startswith(prefix),
        limit=limit,
        start=start,
        newest_first=True,
        filter_condition=condition,
    )


SCAN_BUDGET = 1000
"""``GET /jobs`` reads at most this many records per page while looking for matches."""


def _ms_hex(moment: datetime) -> str:
    """The 12 hex digits of epoch milliseconds that start a job id (``jobs.submit.new_job_id``)."""
    return f"{max(0, int(moment.timestamp() * 1000)):012x}"


def search_key(tenant_id: str, kind: str | None) -> tuple[str, str, str, str]:
    """Where :func:`search_jobs` reads: ``(partition, sort-key prefix, partition attr, sort attr)``."""
    records = _records()
    if kind is None:
        pk, prefix = records.key(tenant_id)
        return pk, prefix, "pk", "sk"
    gpk, gprefix = records.kind_index_key(tenant_id, kind)
    return gpk, gprefix, "gsi1pk", "gsi1sk"


def search_jobs(
    tenant_id: str,
    limit: int,
    start: dict[str, Any] | None,
    *,
    kind: str | None = None,
    status: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    name: str | None = None,
) -> tuple[list[JobRecord], dict[str, Any] | None]:
    """One page of the tenant's jobs of every kind (or one), newest first, filtered.

    The kind picks the range read (the table's ``JOB#`` range, or ``gsi1``'s ``JOBS#{kind}#``), the
    date range narrows it (ids start with their creation time), and status and name (contains, any
    case) are matched while reading: a page holds up to ``limit`` matches, reading at most
    :data:`SCAN_BUDGET` records; the returned key continues after the last record read.
    """
    records = _records()
    partition, prefix, _, sort_attr = search_key(tenant_id, kind)
    low = prefix + (_ms_hex(created_from) if created_from else "")
    high = prefix + (_ms_hex(created_to + timedelta(milliseconds=1)) if created_to else "~")
    sort = getattr(records, sort_attr)
    query = records.gsi1.query if kind is not None else records.query
    rows = query(
        partition,
        sort.between(low, high),
        scan_index_forward=False,
        page_size=min(SCAN_BUDGET, max(limit, 50)),
        last_evaluated_key=start,
    )
    needle = name.casefold() if name else None
    items: list[JobRecord] = []
    last: JobRecord | None = None
    exhausted = True
    for read, row in enumerate(rows, start=1):
        last = row
        if (status is None or row.status == status) and (
            needle is None or needle in (row.name or row.strategy_name or "").casefold()
        ):
            items.append(row)
        if len(items) >= limit or read >= SCAN_BUDGET:
            exhausted = False
            break
    if exhausted or last is None:
        return items, None
    key = {"pk": {"S": last.pk}, "sk": {"S": last.sk}}
    if kind is not None:
        key.update(gsi1pk={"S": str(last.gsi1pk)}, gsi1sk={"S": str(last.gsi1sk)})
    return items, key


def list_index_key(tenant_id: str, kind: str) -> tuple[str, str]:
    """The ``gsi1`` partition and sort-key prefix that :func:`list_jobs` reads (a token must lie there)."""
    return _records().kind_index_key(tenant_id, kind)


def cancel_job(tenant_id: str, job_id: str, kind: str | None = None, by: str | None = None) -> JobRecord:
    """Mark the job ``cancelled`` (409 when already final), stop its execution, tell subscribers."""
    from tradewind.jobs.events import announce, notify_outcome
    from tradewind.jobs.logs import log
    from tradewind.jobs.views import job_message
    from tradewind.services.notification_messages import job_cancelled

    record = _mark_cancelled(get_job(tenant_id, job_id, kind), by)
    _stop(record)
    log(tenant_id, job_id, "warning", f"cancelled by {by}" if by else "cancelled")
    announce(tenant_id, job_id, *job_message(record))
    notify_outcome(record, job_cancelled(record))
    return record


def _mark_cancelled(record: JobRecord, by: str | None = None) -> JobRecord:
    """Set ``cancelled`` (releasing the job's running slot) unless the job is final; 409 naming the
    status it has then. An import cannot be cancelled (409): its file is imported or refused whole."""
    from tradewind.jobs.records import finish

    if record.kind == "import" and record.status not in FINAL_STATUSES:
        msg = "an import cannot be cancelled: it ends ready or failed on its own"
        raise Conflict(
            f"import {record.job_id!r} cannot be cancelled",
            [FieldProblem(JOB_ID_LOC, msg, "not_cancellable")],
        )

    now = datetime.now(UTC)
    cause = f"cancelled by {by}" if by else "cancelled"
    only_from = ("queued", "running", "paused")
    if finish(record, "cancelled", only_from, cause=cause, finished_at=now, updated_at=now):
        return record
    msg = f"the job is already {record.status}"
    raise Conflict(
        f"{record.kind} {record.job_id!r} is already {record.status}",
        [FieldProblem(["path", "job_id"], msg, "final")],
    )


def _stop(record: JobRecord) -> None:
    """Stop the execution; a failure only wastes compute (every step skips a final job), so it is logged.

    An execution not started yet (submit starts it right after saving the record) is no error: its
    plan step finds the job final and runs nothing. A pipeline run has no execution: its batches
    find the run final and do nothing. A workflow run stops its own execution and its running step's
    job (``workflows.runs.stop``).
    """
    if record.kind == "workflow":
        from tradewind.workflows.runs import stop

        stop(record)
        return
    if record.kind not in ("backtest", "optimization"):
        return
    try:
        aws.client("stepfunctions").stop_execution(
            executionArn=execution_arn(record.job_id, record.resumes),
            error="Cancelled",
            cause="cancelled through the API",
        )
    except Exception as exc:
        if getattr(exc, "response", {}).get("Error", {}).get("Code") == "ExecutionDoesNotExist":
            logger.info("job %s has no execution yet: its plan step will skip it", record.job_id)
        else:
            logger.exception("could not stop the execution of job %s", record.job_id)


def delete_job(tenant_id: str, job_id: str, kind: str | None = None, by: str | None = None) -> None:
    """Remove the job: cancel it if it still runs, then its objects, shard markers, cache entry, record.

    The record goes last, so a delete that fails halfway can simply be repeated.
    """
    from tradewind.data.jobs import JobHashRecord, ShardMarker

    record = get_job(tenant_id, job_id, kind)
    if record.status not in FINAL_STATUSES:
        with contextlib.suppress(Conflict):  # it finished meanwhile: delete it as it is
            _mark_cancelled(record, by)
        _stop(record)
    store.delete_job_objects(tenant_id, job_id)
    pk, prefix = ShardMarker.key(tenant_id, job_id)
    with ShardMarker.batch_write() as batch:
        for marker in ShardMarker.query(pk, ShardMarker.sk.startswith(prefix)):
            batch.delete(marker)
    from tradewind.jobs.logs import delete_all

    delete_all(tenant_id, job_id)  # its log lines and progress history
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
