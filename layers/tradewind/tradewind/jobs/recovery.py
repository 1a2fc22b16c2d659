"""No job left behind (issue #13): jobs whose execution is gone, or ended outside the workflow.

How a job can lose the process that drives it, and what happens then (docs/jobs.md, Recovery):

- **Its execution is gone** (``make run`` was stopped: the local cloud keeps DynamoDB, S3 and SQS on
  disk but not Step Functions executions). At start-up :func:`recover_all` finds every ``queued`` or
  ``running`` job (optimization, backtest, pipeline run) whose current execution Step Functions does
  not know (a pipeline run has none: its in-flight deliveries died with the process) and
  :func:`resume_interrupted` resumes it the way a resume does (:func:`tradewind.jobs.pause.restart`):
  ``resumes`` + 1 in one conditional write that also records the interruption and the resume in the
  timeline, then a new execution ``{job_id}-r{n}`` whose plan lists only the shards without a marker
  (or the pipeline batches without a marker, sent again; a workflow run starts ``{job_id}-r{n}`` of its
  state machine, which goes on at the first step whose job has not succeeded:
  ``tradewind.workflows.runs.resume``). Counted work stays counted, so progress goes
  on from where it was and the result equals an uninterrupted run's. A job that cannot be resumed
  (its data changed, the start fails) is failed with the reason: never ``running`` forever.
- **Its execution ended outside the workflow** (AWS: aborted from the console, timed out, a
  ``States.Runtime`` error or a payload over the limit that no Catch sees). An EventBridge rule on the
  state machines' "Execution Status Change" (FAILED, TIMED_OUT, ABORTED) invokes
  :func:`execution_ended` (the ``job_execution_ended`` Lambda; locally the local cloud calls the same
  handler when it sees such an execution), which fails the job with the execution's cause, unless the
  job is final already (MarkFailed or cancel got there first: cancel is what aborts an execution),
  paused (pause never aborts one; a paused job's last execution may end either way), or the execution
  is not the job's current one (a resume retired it).
- **A command run was interrupted** (``make run`` stopped: the command runner's process is gone, and
  the table and the queue are saved at different moments, so its message may be gone too).
  :func:`recover_command` fails a ``running`` run with the reason (a command is not resumed: it may
  have done part of its work, and running it again is the user's choice) and sends a ``queued`` run's
  message again (the runner starts a run only from ``queued``, so a message that survived as well
  runs it once; the other finds it final or failed).
- **A dataset import was interrupted** (the same two moments: the import job and its dataset may be
  ``queued`` or ``running`` with no message left). :func:`recover_import` sends the message again
  from the stored upload, whether it was queued or running: an import is idempotent (a re-run
  rewrites the same Parquet keys and symbol rows and sets the dataset's counts, and the job ends once:
  ``finish`` only from an active status), so a surviving message as well changes nothing. A job whose
  dataset already ended is finished from it; one whose dataset or uploaded file is gone is failed
  naming the restart (and its dataset with it).

No pynamodb, boto3 or pandas at import time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.jobs.spec import FINAL_STATUSES

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)

ACTIVE = ("queued", "running")
"""Statuses a job holds while something is meant to be driving it (paused jobs wait for the user)."""
WORKFLOW_KINDS = ("backtest", "optimization")
"""Kinds run by the job state machine (one current execution, named by ``lifecycle.execution_name``)."""
RECOVERABLE_KINDS = (*WORKFLOW_KINDS, "pipeline", "workflow")
COMMAND_KIND = "command"
"""Command runs (tradewind.commands.runs): failed or queued again at start-up (:func:`recover_command`)."""
IMPORT_KIND = "import"
"""Dataset imports (tradewind.jobs.imports): sent again or finished at start-up (:func:`recover_import`)."""
ENDED_OUTSIDE = ("FAILED", "TIMED_OUT", "ABORTED")
"""Execution statuses the EventBridge rule forwards to :func:`execution_ended`."""
INTERRUPTED = "interrupted"
"""The timeline entry of a job whose execution was lost (then a ``running``/``queued`` entry: the resume)."""
DEFAULT_WHY = "its execution was lost (the local cloud was restarted)"


def active_jobs(kinds: tuple[str, ...] = RECOVERABLE_KINDS) -> Iterator[JobRecord]:
    """Every tenant's ``queued`` or ``running`` job of ``kinds`` (a filtered scan of the job records:
    local start-up and the janitor; the main table holds no bars, only records)."""
    from tradewind.data.jobs import JobRecord

    condition = (
        JobRecord.sk.startswith("JOB#") & JobRecord.status.is_in(*ACTIVE) & JobRecord.kind.is_in(*kinds)
    )
    yield from JobRecord.scan(filter_condition=condition)


def execution_state(record: JobRecord) -> str | None:
    """The status of the job's current execution (``RUNNING``, ``FAILED``...), ``None`` when Step
    Functions does not know it (gone), or ``"NONE"`` for a kind that has no execution."""
    from tradewind import aws
    from tradewind.jobs.lifecycle import execution_arn
    from tradewind.workflows import runs

    if record.kind not in (*WORKFLOW_KINDS, runs.KIND):
        return "NONE"
    arn = (runs.execution_arn if record.kind == runs.KIND else execution_arn)(record.job_id, record.resumes)
    try:
        described = aws.client("stepfunctions").describe_execution(executionArn=arn)
    except Exception as exc:
        if getattr(exc, "response", {}).get("Error", {}).get("Code") == "ExecutionDoesNotExist":
            return None
        raise
    return str(described["status"])


def recover_all(why: str = DEFAULT_WHY) -> dict[str, list[str]]:
    """Resume every active job whose execution is gone (pipeline runs: every active run, their
    in-flight deliveries died with the process); fail those whose execution ended outside the
    workflow; fail or queue again the command runs (:func:`recover_command`); send the imports again
    (:func:`recover_import`). Returns the job ids by what happened (``resumed``, ``failed``,
    ``running``, ``skipped``; ``succeeded`` for an import whose dataset was ready already)."""
    outcome: dict[str, list[str]] = {"resumed": [], "failed": [], "running": [], "skipped": []}
    special = {COMMAND_KIND: recover_command, IMPORT_KIND: recover_import}
    for record in active_jobs((*RECOVERABLE_KINDS, *special)):
        try:
            done = special.get(record.kind, _recover)(record, why)
        except Exception:
            logger.exception("could not recover job %s", record.job_id)
            done = "skipped"
        outcome.setdefault(done, []).append(record.job_id)
    return outcome


def _recover(record: JobRecord, why: str) -> str:
    state = execution_state(record)
    if state is None and record.kind == "workflow":
        from tradewind.workflows.runs import resume

        return resume(record, why)
    if state in (None, "NONE"):
        return resume_interrupted(record, why)
    if state in ENDED_OUTSIDE:
        return _fail_from_state(record, state)
    return "running"


def resume_interrupted(record: JobRecord, why: str = DEFAULT_WHY) -> str:
    """Resume one active job over what is left: ``resumed``, ``failed`` (it could not be, with the
    reason on the job) or ``skipped`` (it changed meanwhile: another process handles it)."""
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs.events import announce
    from tradewind.jobs.logs import log
    from tradewind.jobs.pause import _pipeline_messages, counted_shards, restart
    from tradewind.jobs.timeline import entry
    from tradewind.jobs.views import RESUMED, progress_payload

    messages = None
    if record.kind == "pipeline":
        try:
            messages = _pipeline_messages(record)
        except Exception as exc:  # its data changed (a symbol is gone) or its spec is missing
            return _fail(record, f"could not be resumed after {_short(why)}: {_describe(exc)}")
    total = int(record.shards_total or 0)
    left = (
        total - len(counted_shards(record.tenant_id, record.job_id)) if record.status == "running" else total
    )
    now = datetime.now(UTC)
    resumed_cause = (
        f"resumed over the {left} of {total} {'batches' if record.kind == 'pipeline' else 'shards'} left"
        if record.status == "running"
        else "started again"
    )
    old = int(record.resumes or 0)
    same = (
        JobRecord.resumes.does_not_exist() | (JobRecord.resumes == 0)
        if old == 0
        else JobRecord.resumes == old
    )
    actions: list[Any] = [
        JobRecord.resumes.add(1),
        JobRecord.updated_at.set(now),
        # the interruption and the resume, in the write that makes the resume (one timeline append)
        JobRecord.timeline.set(
            (JobRecord.timeline | []).append(
                [entry(INTERRUPTED, why, now), entry(record.status, resumed_cause, now)]
            )
        ),
    ]
    if record.kind == "pipeline":
        # The process that held the aggregation's claim is gone: let the next worker claim it at once.
        actions.append(JobRecord.aggregating_at.remove())
    try:
        record.update(actions=actions, condition=JobRecord.status.is_in(*ACTIVE) & same)
    except Exception as exc:
        if condition_failed(exc):
            return "skipped"
        raise
    log(record.tenant_id, record.job_id, "warning", f"interrupted: {why}")
    try:
        restart(record, messages)
    except Exception as exc:
        record.refresh(consistent_read=True)
        return _fail(record, f"could not be resumed after {_short(why)}: {_describe(exc)}")
    log(record.tenant_id, record.job_id, "info", resumed_cause, resumes=int(record.resumes or 0), left=left)
    announce(record.tenant_id, record.job_id, RESUMED, progress_payload(record))
    return "resumed"


def recover_command(record: JobRecord, why: str = DEFAULT_WHY) -> str:
    """A command run the restart interrupted: ``failed`` when it was running (with the reason),
    ``resumed`` when it was queued (its message sent again), ``skipped`` when it changed meanwhile."""
    from tradewind import aws
    from tradewind.commands.runs import queue_url
    from tradewind.jobs.logs import log

    if record.status == "running":
        return _fail(
            record,
            f"interrupted by {_short(why)} while it ran; a command is not run again on its own "
            "(it may have done part of its work): run it again",
        )
    if not _append_interruption(record, why, "queued again"):
        return "skipped"
    body = json.dumps({"tenant_id": record.tenant_id, "job_id": record.job_id})
    aws.client("sqs").send_message(QueueUrl=queue_url(), MessageBody=body)
    log(record.tenant_id, record.job_id, "warning", f"interrupted before it ran ({why}): queued again")
    return "resumed"


def recover_import(record: JobRecord, why: str = DEFAULT_WHY) -> str:
    """A dataset import the restart interrupted: ``resumed`` (its message sent again from the stored
    upload), ``succeeded``/``failed`` (finished from its dataset, or failed: dataset or file gone) or
    ``skipped`` (it changed meanwhile)."""
    from tradewind.data import bars
    from tradewind.data.marketdata import FAILED, IMPORTING, QUEUED, READY
    from tradewind.errors import ImportFailure
    from tradewind.jobs import imports as import_jobs
    from tradewind.jobs.logs import log
    from tradewind.services import imports
    from tradewind.services.datasets import enqueue

    dataset = imports.load(record.tenant_id, record.dataset_id or "")
    if dataset is None:
        return _fail(record, f"interrupted by {_short(why)}, and its dataset is gone")
    if dataset.status in (READY, FAILED):  # the import ended; only its job's last write was lost
        error = None if dataset.status == READY else str(dataset.error.message if dataset.error else FAILED)
        summary = {"symbols": int(dataset.symbols_count or 0), "rows": int(dataset.rows or 0)}
        import_jobs.ended(record.tenant_id, record.job_id, error, summary)
        record.refresh(consistent_read=True)
        return str(record.status)
    key = dataset.upload_key or ""
    if dataset.status not in (QUEUED, IMPORTING) or not key or bars.object_size(key) is None:
        text = f"interrupted by {_short(why)}, and its uploaded file is gone: upload it again"
        if dataset.status in (QUEUED, IMPORTING):
            imports.mark_failed(dataset, ImportFailure(text))
            imports.announce(dataset)
        return _fail(record, text)
    if not _append_interruption(record, why, "imported again from the uploaded file"):
        return "skipped"
    message = imports.ImportMessage(
        record.tenant_id, dataset.dataset_id, key, dataset.file_format or "csv", record.job_id
    )
    enqueue(message)
    log(record.tenant_id, record.job_id, "warning", f"interrupted ({why}): the import is sent again")
    return "resumed"


def _append_interruption(record: JobRecord, why: str, cause: str) -> bool:
    """Record the interruption and what recovery does next in the job's timeline, in one write made
    only if its status is still the one read (False: it changed meanwhile, leave it)."""
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs.timeline import entry

    now = datetime.now(UTC)
    steps = [entry(INTERRUPTED, why, now), entry(str(record.status), cause, now)]
    try:
        record.update(
            actions=[
                JobRecord.updated_at.set(now),
                JobRecord.timeline.set((JobRecord.timeline | []).append(steps)),
            ],
            condition=JobRecord.status == record.status,
        )
    except Exception as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def execution_ended(event: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge "Step Functions Execution Status Change" event (FAILED, TIMED_OUT, ABORTED):
    fail the job it ran with the execution's cause, unless the job is final or paused, or the
    execution is not its current one. Returns what was decided (for the handler's log)."""
    from tradewind.jobs.lifecycle import execution_name
    from tradewind.jobs.records import get_record

    detail = event.get("detail") or {}
    status, name = str(detail.get("status") or ""), str(detail.get("name") or "")
    try:
        given = json.loads(detail.get("input") or "{}")
    except ValueError:
        given = {}
    tenant_id, job_id = given.get("tenant_id"), given.get("job_id")
    out: dict[str, Any] = {"execution": name, "status": status, "job_id": job_id}
    if status not in ENDED_OUTSIDE or not tenant_id or not job_id:
        return {**out, "outcome": "ignored"}
    record = get_record(str(tenant_id), str(job_id))
    if record is None:
        return {**out, "outcome": "no such job"}
    if record.status in FINAL_STATUSES or record.status == "paused":
        return {**out, "outcome": record.status}
    if name != execution_name(record.job_id, record.resumes):
        return {**out, "outcome": "retired"}  # a resume replaced it; the job belongs to the newer one
    text = ended_reason(status, detail.get("error"), detail.get("cause"))
    return {**out, "outcome": _fail(record, text)}


def ended_reason(status: str, error: Any, cause: Any) -> str:
    """A readable reason for an execution that ended outside the workflow's own failure path."""
    from tradewind.jobs.failure import MAX_REASON, reason

    if status == "TIMED_OUT":
        text = "the workflow timed out before the job finished"
    elif status == "ABORTED":
        text = "the workflow's execution was stopped outside Tradewind"
    else:
        text = f"the workflow failed outside its steps: {reason({'Error': error, 'Cause': cause}, None)}"
        if not error and not cause:
            text = "the workflow failed outside its steps (no cause given)"
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _fail_from_state(record: JobRecord, state: str) -> str:
    return _fail(record, ended_reason(state, None, None))


def _fail(record: JobRecord, text: str) -> str:
    """Fail an active (or, after a resume that could not start, paused) job: finish, log, notify,
    publish, as MarkFailed does. ``failed``, or the status another transition left."""
    from tradewind.jobs.events import announce, notify_outcome
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.views import FAILED, failed_payload
    from tradewind.services.notification_messages import job_failed

    now = datetime.now(UTC)
    if not finish(record, "failed", (*ACTIVE, "paused"), error=text, finished_at=now, updated_at=now):
        return str(record.status)
    log(record.tenant_id, record.job_id, "error", f"failed: {text}")
    notify_outcome(record, job_failed(record, text))
    announce(record.tenant_id, record.job_id, FAILED, failed_payload(record))
    return "failed"


def _short(why: str) -> str:
    return "a restart" if why == DEFAULT_WHY else "an interruption"


def _describe(exc: BaseException) -> str:
    from tradewind.jobs.failure import describe

    return describe(exc)
