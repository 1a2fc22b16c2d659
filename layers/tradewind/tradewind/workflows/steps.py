"""The workflow state machine's tasks (``functions/workflow``, docs/workflows.md).

``Begin`` -> ``Step`` (waits for the step's job: ``.waitForTaskToken``) -> ``Advance`` (index + 1)
-> ``More?`` (back to ``Step`` while steps are left) -> ``Succeed``; a Catch on ``Begin`` and
``Step`` goes to ``Fail``, which names the step and its reason, then the execution fails.

- :func:`begin`: ``queued`` -> ``running``; the loop starts at the first step whose job has not
  succeeded (0 for a new run; later for a run resumed after its execution was lost).
- :func:`step`: submits step ``index``'s job once per run and step (a retried task finds the job it
  made: the step's ``job_id`` on the run, and the ``Idempotency-Key`` ``workflow-{run}-{index}`` for
  a task that died between the two), stores the task token on the job, or sends the outcome at once
  when the job is final already (a cached result, a fast command).
- :func:`succeed` / :func:`fail`: the run's final transition, log, notification, ``job:<id>`` message.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.jobs.spec import FINAL_STATUSES

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)


class StepInvalid(Exception):
    """The step's request is no longer valid (a deleted strategy, a cap): not retried."""


class RunEnded(Exception):
    """The run is final already (cancelled): nothing more to do, not retried."""


def idempotency_key(job_id: str, index: int) -> str:
    return f"workflow-{job_id}-{index}"


def _run(event: dict[str, Any]) -> JobRecord:
    from tradewind.jobs.records import get_record

    record = get_record(str(event["tenant_id"]), str(event["job_id"]))
    if record is None or record.kind != "workflow":
        raise RunEnded(f"workflow run {event['job_id']} does not exist")
    if record.status in FINAL_STATUSES:
        raise RunEnded(f"the run is {record.status}")
    return record


def _announce_progress(record: JobRecord) -> None:
    from tradewind.jobs.events import announce
    from tradewind.jobs.views import PROGRESS, progress_payload

    announce(record.tenant_id, record.job_id, PROGRESS, progress_payload(record))


def begin(event: dict[str, Any]) -> dict[str, Any]:
    """Mark the run ``running`` and answer where the loop starts."""
    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.jobs.timeline import append_action, entry

    record = _run(event)
    count = len(record.steps or [])
    if record.status == "queued":
        now = datetime.now(UTC)
        try:
            record.update(
                actions=[
                    JobRecord.status.set("running"),
                    JobRecord.started_at.set(now),
                    JobRecord.updated_at.set(now),
                    append_action(entry("running", f"running {count} steps", now)),
                ],
                condition=JobRecord.status == "queued",
            )
        except Exception as exc:
            if not condition_failed(exc):
                raise
            record = _run(event)  # cancelled meanwhile raises RunEnded
        _announce_progress(record)
    from tradewind.workflows.runs import first_unfinished

    index = first_unfinished(record) if record.resumes else 0
    return {"tenant_id": record.tenant_id, "job_id": record.job_id, "index": index, "count": count}


def step(event: dict[str, Any]) -> dict[str, Any]:
    """Submit step ``index`` (once) and leave its task token on the job; returns its job id."""
    from pydantic import ValidationError

    from tradewind.data.jobs import JobRecord
    from tradewind.data.table import condition_failed
    from tradewind.errors import TradewindError
    from tradewind.jobs import store
    from tradewind.jobs.artifacts import spec_key
    from tradewind.jobs.failure import describe
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import get_record
    from tradewind.schedules import targets
    from tradewind.workflows import callback

    record = _run(event)
    index, token = int(event["index"]), str(event["token"])
    steps = [dict(s) for s in record.steps or []]
    spec = store.get_json(spec_key(record.tenant_id, record.job_id)) or {}
    definition = spec["steps"][index]
    label = steps[index].get("label") or str(index + 1)
    now = datetime.now(UTC)
    record.update(
        actions=[
            JobRecord.shards_done.set(index),
            JobRecord.combos_done.set(index),
            JobRecord.updated_at.set(now),
        ]
    )
    _announce_progress(record)
    job_id = steps[index].get("job_id")
    if not job_id:
        log(record.tenant_id, record.job_id, "info", f"step {index + 1} of {len(steps)}: {label}", step=index)
        try:
            target = targets.parse(definition["target"])
            name = f"{record.name} · {label}"[:100]
            submitted = targets.submit(record.tenant_id, target, idempotency_key(record.job_id, index), name)
        except (TradewindError, ValidationError) as exc:
            reason = describe(exc)[:1000]
            steps[index]["error"] = reason
            record.update(actions=[JobRecord.steps.set(steps)])
            raise StepInvalid(reason) from None
        job_id = submitted.job_id
        steps[index]["job_id"] = job_id
        record.update(actions=[JobRecord.steps.set(steps)])
        log(
            record.tenant_id, record.job_id, "info", f"step {index + 1} started job {job_id}", step_job=job_id
        )
    found = get_record(record.tenant_id, str(job_id))
    if found is None:
        raise StepInvalid(f"the step's job {job_id} was deleted")
    child = found
    try:
        child.update(
            actions=[JobRecord.callback_token.set(token)],
            condition=~JobRecord.status.is_in(*FINAL_STATUSES),
        )
    except Exception as exc:
        if not condition_failed(exc):
            raise
        child.refresh(consistent_read=True)
        callback.send(token, child)  # it ended before the token was stored: answer now
    return {"job_id": job_id}


def succeed(event: dict[str, Any]) -> dict[str, Any]:
    """Every step succeeded: the run succeeds with the steps' job ids as its summary."""
    from tradewind.jobs.events import announce, notify_outcome
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.views import job_message
    from tradewind.services.notification_messages import job_completed

    record = _run(event)
    count = len(record.steps or [])
    summary = {"steps": count, "jobs": [s.get("job_id") for s in record.steps or []]}
    now = datetime.now(UTC)
    if finish(
        record,
        "succeeded",
        ("running",),
        cause=f"{count} steps succeeded",
        summary=summary,
        shards_done=count,
        combos_done=count,
        finished_at=now,
        updated_at=now,
    ):
        log(record.tenant_id, record.job_id, "info", f"all {count} steps succeeded")
        notify_outcome(record, job_completed(record))
        announce(record.tenant_id, record.job_id, *job_message(record))
    return {"job_id": record.job_id, "status": record.status}


def failure_reason(caught: dict[str, Any] | None, index: int | None, label: str | None) -> str:
    """Which step stopped the run and why (``step 2 (backtest) failed: ...``)."""
    from tradewind.jobs.failure import MAX_REASON, reason

    caught = caught or {}
    error, cause = str(caught.get("Error") or ""), str(caught.get("Cause") or "")
    which = "the run" if index is None else f"step {index + 1} ({label})"
    if error == "StepFailed":
        text = f"{which} failed: {cause}"
    elif error in ("StepCancelled", "StepStopped"):
        text = f"{which} was {'cancelled' if error == 'StepCancelled' else 'stopped'}"
    elif error == "StepInvalid" or error == StepInvalid.__name__:
        text = f"{which} could not be submitted: {reason(caught, None).removeprefix('StepInvalid: ')}"
    else:
        text = f"{which} failed: {reason(caught, None)}"
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def fail(event: dict[str, Any]) -> dict[str, Any]:
    """The Catch: fail the run naming the step (unless the run is final: a cancel got there first)."""
    from tradewind.jobs.events import announce, notify_outcome
    from tradewind.jobs.logs import log
    from tradewind.jobs.records import finish
    from tradewind.jobs.views import FAILED, failed_payload
    from tradewind.services.notification_messages import job_failed

    try:
        record = _run(event)
    except RunEnded:
        return {"job_id": event.get("job_id"), "status": "ended"}
    index = event.get("index")
    steps = list(record.steps or [])
    step_index = int(index) if index is not None and 0 <= int(index) < len(steps) else None
    name = None if step_index is None else steps[step_index].get("label")
    text = failure_reason(event.get("error"), step_index, name)
    now = datetime.now(UTC)
    values: dict[str, Any] = {"error": text, "finished_at": now, "updated_at": now}
    if step_index is not None:
        values["failed_step"] = step_index
    if not finish(record, "failed", ("queued", "running"), **values):
        return {"job_id": record.job_id, "status": record.status}
    log(record.tenant_id, record.job_id, "error", f"failed: {text}", step=step_index)
    notify_outcome(record, job_failed(record, text))
    announce(record.tenant_id, record.job_id, FAILED, failed_payload(record))
    return {"job_id": record.job_id, "status": "failed", "error": text}
