"""A workflow run is a job of kind ``workflow`` (docs/workflows.md): start, list, read, stop.

Starting one snapshots the workflow (``spec.json``: its id, version, name and steps), creates the
``queued`` job with one entry per step, and starts an execution of the workflow state machine named
after the job id (input ``{"tenant_id", "job_id"}``), as the job workflow's submit does. The run
itself takes no running slot and is not counted towards the day: each step's job is, when it is
submitted. It is read, cancelled (stopped) and deleted through ``/jobs`` like every job.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.jobs.spec import FINAL_STATUSES

if TYPE_CHECKING:
    from pynamodb.transactions import TransactWrite

    from tradewind.data.jobs import JobRecord
    from tradewind.workflows.records import WorkflowRecord

KIND = "workflow"
logger = logging.getLogger(__name__)


def state_machine_arn() -> str:
    return os.environ.get("TW_WORKFLOW_STATE_MACHINE_ARN", "")


def execution_arn(job_id: str, resumes: float | None = 0) -> str:
    from tradewind.jobs.lifecycle import execution_name

    machine = state_machine_arn().replace(":stateMachine:", ":execution:", 1)
    return f"{machine}:{execution_name(job_id, resumes)}"


def step_label(step: dict[str, Any]) -> str:
    """What a step is called: its name, else its kind (and command)."""
    target = step.get("target") or {}
    kind = str(target.get("kind", "step"))
    return str(step.get("name") or (f"command {target.get('command')}" if kind == "command" else kind))


def start_run(tenant_id: str, workflow_id: str, *, idempotency_key: str | None = None) -> JobRecord:
    """Create the run's job and start its execution (404 for an unknown workflow). A start that
    fails leaves the run ``failed`` with the reason (nothing ``queued`` forever) and raises."""
    from tradewind.jobs.submit import request_hash, submit_once
    from tradewind.workflows.service import get_workflow

    def prepare() -> WorkflowRecord:
        return get_workflow(tenant_id, workflow_id)

    fingerprint = request_hash(KIND, {"workflow_id": workflow_id})
    return submit_once(
        tenant_id, idempotency_key, fingerprint, prepare, lambda job_id, wf: _start(wf, job_id)
    )


def _start(workflow: WorkflowRecord, job_id: str) -> JobRecord:
    from tradewind import aws
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.submit import save_new_job
    from tradewind.workflows.records import WorkflowRecord

    tenant_id = workflow.tenant_id
    record = _new_record(workflow, job_id)
    spec = {
        "workflow_id": workflow.workflow_id,
        "version": int(workflow.version),
        "name": workflow.name,
        "steps": list(workflow.steps),
    }
    body = json.dumps(spec).encode()
    steps = len(workflow.steps)
    save_new_job(
        record, lambda: store.put_bytes(spec_key(tenant_id, job_id), body, "application/json"), _save_counted
    )
    try:
        workflow.update(
            actions=[WorkflowRecord.runs.add(1), WorkflowRecord.last_run_id.set(job_id)],
            condition=WorkflowRecord.pk.exists(),
        )
    except Exception:  # a counter on the definition: the run itself is what matters
        logger.exception("could not count run %s on workflow %s", job_id, workflow.workflow_id)
    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn(),
            name=job_id,
            input=json.dumps({"tenant_id": tenant_id, "job_id": job_id}),
        )
    except Exception as exc:
        now = datetime.now(UTC)
        reason = f"the workflow could not be started: {type(exc).__name__}: {exc}"[:1000]
        finish(record, "failed", ("queued",), error=reason, finished_at=now, updated_at=now)
        raise
    log(
        tenant_id,
        job_id,
        "info",
        f"queued {steps} steps of {workflow.name}",
        version=spec["version"],
    )
    return record


def _new_record(workflow: WorkflowRecord, job_id: str) -> JobRecord:
    from tradewind.data.jobs import JobRecord
    from tradewind.jobs.submit import request_hash

    tenant_id = workflow.tenant_id
    now = datetime.now(UTC)
    gsi1pk, gsi1sk = JobRecord.kind_index_key(tenant_id, KIND, job_id)
    steps = list(workflow.steps)
    return JobRecord(
        *JobRecord.key(tenant_id, job_id),
        gsi1pk=gsi1pk,
        gsi1sk=gsi1sk,
        tenant_id=tenant_id,
        job_id=job_id,
        kind=KIND,
        status="queued",
        name=workflow.name,
        strategy_name=workflow.name,  # what the jobs list shows and filters by
        workflow_id=workflow.workflow_id,
        dataset_id="",
        symbols=[],
        request_hash=request_hash(KIND, {"steps": steps}),
        shards_total=len(steps),
        combos_total=len(steps),
        steps=[_step_state(i, step) for i, step in enumerate(steps)],
        created_at=now,
        updated_at=now,
    )


def _step_state(index: int, step: dict[str, Any]) -> dict[str, Any]:
    """What the run keeps of a step: its kind, its label (the user's ``name``, else its kind: for
    reasons and job names), the user's name and the command (for a client to label it in its language)."""
    target = step["target"]
    state = {"index": index, "kind": target["kind"], "label": step_label(step), "name": step.get("name")}
    if target.get("command"):
        state["command"] = target["command"]
    return {key: value for key, value in state.items() if value is not None}


def _save_counted(record: JobRecord) -> None:
    """Create the run's record and count it in the job stats (no running slot: its steps take theirs)."""
    from tradewind.jobs.records import transact
    from tradewind.jobs.stats import count_created

    def fill(transaction: TransactWrite) -> None:
        transaction.save(record, condition=type(record).pk.does_not_exist())
        count_created(transaction, record)

    transact(fill)


def list_runs(
    tenant_id: str, workflow_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[JobRecord], dict[str, Any] | None]:
    """The workflow's runs, newest first (the ``workflow`` kind's index range, filtered)."""
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import query_page

    hash_key, prefix = JobRecord.kind_index_key(tenant_id, KIND)
    return query_page(
        JobRecord.gsi1.query,
        hash_key,
        JobRecord.gsi1sk.startswith(prefix),
        limit=limit,
        start=start,
        newest_first=True,
        filter_condition=JobRecord.workflow_id == workflow_id,
        page_size=max(limit, 50),
    )


def step_views(record: JobRecord) -> list[dict[str, Any]]:
    """Each step with its job and that job's status now (``pending`` before it is submitted,
    ``skipped`` when the run ended first, ``failed`` when it could not be submitted)."""
    from tradewind.data.jobs import JobRecord

    steps = list(record.steps or [])
    keys = [JobRecord.key(record.tenant_id, s["job_id"]) for s in steps if s.get("job_id")]
    jobs = {j.job_id: j for j in JobRecord.batch_get(keys)} if keys else {}
    out = []
    for step in steps:
        job = jobs.get(step.get("job_id") or "")
        if job is not None:
            status, error = job.status, job.error if job.status == "failed" else step.get("error")
        elif step.get("error"):
            status, error = "failed", step["error"]
        else:
            status, error = ("skipped" if record.status in FINAL_STATUSES else "pending"), None
        out.append(
            {
                "index": int(step["index"]),
                "name": step.get("name"),
                "label": step.get("label"),
                "kind": step.get("kind"),
                "command": step.get("command"),
                "job_id": step.get("job_id"),
                "status": status,
                "error": error,
            }
        )
    return out


def run_view(record: JobRecord) -> dict[str, Any]:
    from tradewind.jobs.views import job_view

    return {
        **job_view(record),
        "workflow_id": record.workflow_id,
        "failed_step": None if record.failed_step is None else int(record.failed_step),
        "steps": step_views(record),
    }


def resume(record: JobRecord, why: str) -> str:
    """A run whose execution is gone (``make run`` restarted; issue #13): a new execution
    ``{job_id}-r{n}`` that goes on at the first step whose job has not succeeded (a step's job already
    submitted is found again, not submitted twice). ``resumed``, ``skipped`` (it changed meanwhile) or
    ``failed`` (the start failed; the run names why)."""
    from tradewind import aws
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs.lifecycle import execution_name
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.timeline import entry

    old = int(record.resumes or 0)
    same = (
        JobRecord.resumes.does_not_exist() | (JobRecord.resumes == 0)
        if old == 0
        else JobRecord.resumes == old
    )
    now = datetime.now(UTC)
    cause = f"resumed at step {first_unfinished(record) + 1} of {len(record.steps or [])}"
    entries = (JobRecord.timeline | []).append(
        [entry("interrupted", why, now), entry(record.status, cause, now)]
    )
    try:
        record.update(
            actions=[
                JobRecord.resumes.add(1),
                JobRecord.updated_at.set(now),
                JobRecord.timeline.set(entries),
            ],
            condition=JobRecord.status.is_in("queued", "running") & same,
        )
    except Exception as exc:
        if condition_failed(exc):
            return "skipped"
        raise
    log(record.tenant_id, record.job_id, "warning", f"interrupted: {why}")
    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn(),
            name=execution_name(record.job_id, record.resumes),
            input=json.dumps({"tenant_id": record.tenant_id, "job_id": record.job_id}),
        )
    except Exception as exc:
        reason = f"could not be resumed: {type(exc).__name__}: {exc}"[:1000]
        done = datetime.now(UTC)
        finish(record, "failed", ("queued", "running"), error=reason, finished_at=done, updated_at=done)
        return "failed"
    log(record.tenant_id, record.job_id, "info", cause, resumes=int(record.resumes or 0))
    return "resumed"


def first_unfinished(record: JobRecord) -> int:
    """The index of the first step whose job has not succeeded (where a run goes on)."""
    for step in step_views(record):
        if step["status"] != "succeeded":
            return int(step["index"])
    return len(record.steps or [])


def stop(record: JobRecord) -> None:
    """A cancelled run: stop its execution and cancel the job of the step it was waiting for.
    Failures are logged (the run is final already; a step's task finds it so and submits nothing)."""
    from tradewind import aws
    from tradewind.errors import Conflict, NotFound
    from tradewind.jobs.lifecycle import cancel_job
    from tradewind.jobs.records import get_record

    try:
        aws.client("stepfunctions").stop_execution(
            executionArn=execution_arn(record.job_id, record.resumes),
            error="Cancelled",
            cause="cancelled through the API",
        )
    except Exception as exc:
        if getattr(exc, "response", {}).get("Error", {}).get("Code") != "ExecutionDoesNotExist":
            logger.exception("could not stop the execution of workflow run %s", record.job_id)
    for step in record.steps or []:
        child_id = step.get("job_id")
        child = get_record(record.tenant_id, child_id) if child_id else None
        if child is None or child.status in FINAL_STATUSES:
            continue
        try:
            cancel_job(record.tenant_id, child.job_id, by=f"workflow run {record.job_id}")
        except (Conflict, NotFound):
            pass  # it ended meanwhile
        except Exception:
            logger.exception("could not cancel step job %s of run %s", child.job_id, record.job_id)
