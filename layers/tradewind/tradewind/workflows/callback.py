"""The answer a workflow run waits for: when a step's job ends, its Step Functions task token is sent.

The step task (:mod:`tradewind.workflows.steps`) stores the token on the step's job with a write
conditional on the job not being final, and sends the outcome itself when that condition fails (the
job ended first). Every final transition goes through ``jobs.records.finish``, which calls
:func:`job_ended` once it won: it reads the token (a consistent read after its own write, so a token
stored before the transition is always seen) and sends it. Either way the token is sent; a second
send for the same token (both sides raced) is refused by Step Functions and ignored here.

Outcomes: ``SendTaskSuccess`` ``{"job_id", "status": "succeeded"}``; ``SendTaskFailure`` with the
error ``StepFailed``, ``StepCancelled`` or ``StepStopped`` and the job's reason as the cause.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

logger = logging.getLogger(__name__)
STEP_ERRORS = {"failed": "StepFailed", "cancelled": "StepCancelled", "stopped": "StepStopped"}
_NO_STEP_KINDS = ("import", "workflow")


def job_ended(record: JobRecord) -> None:
    """Send the run waiting on this job its outcome, if one waits. Never raises: the job's own
    transition is done; a run that misses its answer fails at its timeout (and the execution-ended
    rule fails it with the cause)."""
    if record.kind in _NO_STEP_KINDS:
        return
    try:
        token = _token(record)
        if token:
            send(token, record)
    except Exception:
        logger.exception("could not answer the workflow run waiting on job %s", record.job_id)


def _token(record: JobRecord) -> str | None:
    from tradewind.data.jobs import JobRecord

    try:
        fresh = JobRecord.get(
            *JobRecord.key(record.tenant_id, record.job_id),
            consistent_read=True,
            attributes_to_get=["callback_token"],
        )
    except JobRecord.DoesNotExist:
        return None
    return fresh.callback_token


def send(token: str, record: JobRecord) -> None:
    """Send the job's final status to the task waiting on ``token`` (a token no longer awaited is ignored)."""
    from tradewind import aws

    client = aws.client("stepfunctions")
    try:
        if record.status == "succeeded":
            output = {"job_id": record.job_id, "status": record.status}
            client.send_task_success(taskToken=token, output=json.dumps(output))
        else:
            cause = record.error or f"the job was {record.status}"
            client.send_task_failure(
                taskToken=token, error=STEP_ERRORS.get(str(record.status), "StepFailed"), cause=cause[:32000]
            )
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code")
        if code in ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist"):
            logger.info("job %s: its run no longer waits (%s)", record.job_id, code)
            return
        raise
