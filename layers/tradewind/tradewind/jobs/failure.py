"""MarkFailed: the Catch path of the job workflow, and readable reasons for what went wrong.

Step Functions hands over ``{"Error", "Cause"}``; for a Lambda error the cause is the function's
error payload as JSON. A Distributed Map that gives up only says its tolerated failure threshold was
exceeded, so workers record their own last error on the job (``error``) before failing, and that
is the reason the user reads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tradewind.errors import TradewindError
from tradewind.jobs.errors import JobInputError
from tradewind.jobs.events import announce, notify_outcome
from tradewind.jobs.logs import log
from tradewind.jobs.records import finish, get_record
from tradewind.jobs.views import FAILED, failed_payload

MAX_REASON = 1000
_MAP_GAVE_UP = {"States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed"}


def describe(exc: BaseException) -> str:
    """One line a user can act on: the message, and for input errors every field and problem."""
    if isinstance(exc, TradewindError):
        details = "; ".join(
            f"{'.'.join(str(p) for p in problem.loc)}: {problem.msg}" for problem in exc.problems
        )
        return f"{exc.detail} ({details})" if details else exc.detail
    if isinstance(exc, JobInputError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def reason(caught: dict[str, Any] | None, worker_error: str | None) -> str:
    """The failure reason from the Catch's ``{"Error", "Cause"}`` (and a worker's recorded error)."""
    caught = caught or {}
    error, cause = str(caught.get("Error") or "Unknown"), str(caught.get("Cause") or "")
    if error in _MAP_GAVE_UP:
        text = (
            f"a shard failed after its retries: {worker_error}"
            if worker_error
            else f"a shard failed ({error})"
        )
    elif error == "States.Timeout":
        text = "a step of the job timed out"
    else:
        try:
            payload = json.loads(cause)
        except ValueError:
            payload = None
        if isinstance(payload, dict) and "errorMessage" in payload:
            kind, message = str(payload.get("errorType") or error), str(payload["errorMessage"])
            text = message if kind == JobInputError.__name__ else f"{kind}: {message}"
        else:
            text = f"{error}: {cause}" if cause else error
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def mark_failed(event: dict[str, Any]) -> dict[str, Any]:
    """Set the job ``failed`` with a readable reason (unless it is already final; releasing its
    running slot), notify, publish."""
    from tradewind.services.notification_messages import job_failed

    tenant_id, job_id = str(event["tenant_id"]), str(event["job_id"])
    record = get_record(tenant_id, job_id)
    if record is None:
        return {"tenant_id": tenant_id, "job_id": job_id, "status": None}
    if int(record.resumes or 0) != int(event.get("resumes") or 0):
        # An execution that a resume superseded: the job belongs to the newer one.
        return {"tenant_id": tenant_id, "job_id": job_id, "status": record.status}
    text = reason(event.get("error"), record.error)
    now = datetime.now(UTC)
    if not finish(record, "failed", ("queued", "running"), error=text, finished_at=now, updated_at=now):
        return {"tenant_id": tenant_id, "job_id": job_id, "status": record.status}
    log(tenant_id, job_id, "error", f"failed: {text}")
    notify_outcome(record, job_failed(record, text))
    announce(tenant_id, job_id, FAILED, failed_payload(record))
    return {"tenant_id": tenant_id, "job_id": job_id, "status": "failed", "error": text}
