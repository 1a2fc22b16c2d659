"""Telling people about a job: WebSocket messages on ``job:{id}`` and the tenant's notifications.

The job record is the truth; messages only spare a client a poll. So a push that fails is logged and
never fails the step that sent it (a shard must not be retried because a browser went away).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from tradewind.jobs.views import job_view, topic

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord
    from tradewind.services.notification_messages import Message

logger = logging.getLogger(__name__)


def announce(tenant_id: str, job_id: str, event_type: str, payload: dict[str, Any]) -> None:
    """Publish one message on the job's topic; failures are logged, never raised."""
    from tradewind.realtime import publish

    try:
        publish(tenant_id, topic(job_id), event_type, payload)
    except Exception:
        logger.exception("could not publish %s for job %s", event_type, job_id)


JOBS_TOPIC = "jobs"
"""The tenant's job feed: ``job.created`` for every new job, so a job submitted elsewhere (the CLI,
another browser, a schedule) appears in every open job list at once."""


def announce_created(record: JobRecord) -> None:
    """Publish the new job on the tenant's job feed; failures are logged, never raised."""
    from tradewind.realtime import publish

    try:
        publish(record.tenant_id, JOBS_TOPIC, "job.created", job_view(record))
    except Exception:
        logger.exception("could not announce job %s", record.job_id)


def link(record: JobRecord) -> str:
    if record.kind == "workflow":
        return f"/jobs/{record.job_id}"
    return f"/{'backtests' if record.kind == 'backtest' else 'optimizations'}/{record.job_id}"


def notify_outcome(record: JobRecord, message: Message, path: str | None = None) -> None:
    """Persist and push the tenant's notification (at ``path``, else the job's page) and alert the
    channels; failures are logged (the outcome is saved)."""
    from tradewind.services.notifications import send

    where = path or link(record)
    try:
        send(record.tenant_id, message, where)
    except Exception:
        logger.exception("could not notify the outcome of job %s", record.job_id)
    alert_outcome(record, message.kind, message.title, message.body, where)


def alert_outcome(record: JobRecord, kind: str, title: str, body: str, path: str) -> None:
    """Send a succeeded or failed job to the organisation's alert channels (never raises)."""
    from tradewind.alerts.events import EventKind
    from tradewind.alerts.publish import publish
    from tradewind.services.notifications import JOB_COMPLETED, JOB_FAILED

    event = {JOB_COMPLETED: EventKind.JOB_SUCCEEDED, JOB_FAILED: EventKind.JOB_FAILED}.get(kind)
    if event is not None:
        data = {"job_id": record.job_id, "job_kind": record.kind, "status": record.status}
        publish(record.tenant_id, event, title, body, link=path, data=data)
