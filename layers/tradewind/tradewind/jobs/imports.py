"""A dataset import as a job of kind ``import`` (docs/jobs.md, Imports are jobs).

The import use case keeps its dataset record (``awaiting_upload`` → ``queued`` → ``importing`` →
``ready`` | ``failed``: what the Data page and submissions read) and, beside it, a ``JobRecord`` of
kind ``import`` moved through the one job lifecycle (``queued`` → ``running`` → ``succeeded`` |
``failed``) by the same steps, so imports list, count, log and show a timeline like every other job.
``complete_upload`` creates the job (counted in the stats in the same transaction) and names it in
the queue message; the worker moves it. A message without a job id (queued before imports were
jobs) imports as before, without a job.

Imports take no running slot and are not capped (the upload's size limit bounds them), and cannot be
cancelled: the file is imported or refused as a whole. Every write here is best effort, as a
progress report is: the dataset's own status is the truth the import must not fail over.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.jobs.logs import log
from tradewind.jobs.timeline import append_action, entry

if TYPE_CHECKING:
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord

KIND = "import"
logger = logging.getLogger(__name__)


def create(tenant_id: str, dataset_id: str, name: str | None, file_format: str, size: int) -> str | None:
    """Record the queued import job; its id, or ``None`` when it could not be written."""
    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.events import announce_created
    from tradewind.jobs.records import transact
    from tradewind.jobs.stats import count_created
    from tradewind.jobs.submit import new_job_id

    job_id = new_job_id()
    now = datetime.now(UTC)
    gsi1pk, gsi1sk = JobRecord.kind_index_key(tenant_id, KIND, job_id)
    record = JobRecord(
        *JobRecord.key(tenant_id, job_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        job_id=job_id,
        kind=KIND,
        status="queued",
        name=name,
        dataset_id=dataset_id,
        symbols=[],
        request_hash="",
        shards_total=1,
        combos_total=1,
        created_at=now,
        updated_at=now,
    )

    def fill(transaction: TransactWrite) -> None:
        transaction.save(record, condition=JobRecord.pk.does_not_exist())
        count_created(transaction, record)

    try:
        transact(fill)
    except Exception:
        logger.exception("could not record the import of dataset %s as a job", dataset_id)
        return None
    log(tenant_id, job_id, "info", f"queued the import of a {file_format} file ({size} bytes)", bytes=size)
    announce_created(record)
    return job_id


def _record(tenant_id: str, job_id: str | None) -> JobRecord | None:
    if not job_id:
        return None
    from tradewind.jobs.records import get_record

    try:
        return get_record(tenant_id, job_id)
    except Exception:
        logger.exception("could not read import job %s", job_id)
        return None


def started(tenant_id: str, job_id: str | None) -> None:
    """The worker took the file: ``running``."""
    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.events import announce
    from tradewind.jobs.views import PROGRESS, progress_payload

    record = _record(tenant_id, job_id)
    if record is None or record.status != "queued":
        return
    now = datetime.now(UTC)
    try:
        record.update(
            actions=[
                JobRecord.status.set("running"),
                JobRecord.started_at.set(now),
                JobRecord.updated_at.set(now),
                append_action(entry("running", "the import worker took the file", now)),
            ],
            condition=JobRecord.status == "queued",
        )
    except Exception:
        logger.exception("could not mark import job %s running", record.job_id)
        return
    log(tenant_id, record.job_id, "info", "validating the file")
    announce(tenant_id, record.job_id, PROGRESS, progress_payload(record))


def ended(tenant_id: str, job_id: str | None, error: str | None, summary: dict[str, Any] | None) -> None:
    """The import is done: ``succeeded`` with its counts, or ``failed`` with the file's problem."""
    from tradewind.jobs.events import announce
    from tradewind.jobs.records import finish
    from tradewind.jobs.views import job_message

    record = _record(tenant_id, job_id)
    if record is None:
        return
    now = datetime.now(UTC)
    status = "failed" if error else "succeeded"
    values: dict[str, Any] = {"finished_at": now, "updated_at": now}
    if error:
        values["error"] = error[:1000]
    else:
        values.update(summary=summary, shards_done=1, combos_done=1)
    try:
        if not finish(record, status, ("queued", "running"), **values):
            return
    except Exception:
        logger.exception("could not finish import job %s", record.job_id)
        return
    if error:
        log(tenant_id, record.job_id, "error", f"failed: {error}")
    else:
        log(tenant_id, record.job_id, "info", "imported", **(summary or {}))
    announce(tenant_id, record.job_id, *job_message(record))
