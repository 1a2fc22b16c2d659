"""A schedule's fire (the schedule-fire Lambda): submit its target's job for the tenant, once.

The input is what the schedule was created with: ``{"tenant_id", "schedule_id", "scheduled_time"}``
(EventBridge Scheduler replaces ``<aws.scheduler.scheduled-time>`` with the fire's time; a retry of
the same fire carries the same time). The tenant comes from that input, which only the API writes
(from the caller's key) and only the scheduler's role may deliver; the schedule is read in that
tenant's partition.

1. The fire record ``SCHEDFIRE#{id}#{time}`` is put with ``attribute_not_exists``: a retried or
   duplicated fire finds it and returns its job — never a second one. Backtests and optimizations
   also carry the ``Idempotency-Key`` ``schedule-{id}-{time}``.
2. The stored target is parsed and submitted as its own route would (every check, the caps).
3. The fire record and the schedule keep the job, or why it failed: a target no longer valid (a
   deleted strategy, an empty watchlist, a cap) fails this fire with a ``schedule.failed``
   notification naming the reason; the schedule stays as it is and fires again next time.
   An unexpected error (the database, the network) releases the claim and is raised, so the
   scheduler's retry may try again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from tradewind.errors import TradewindError

logger = logging.getLogger(__name__)
FIRE_RETENTION = timedelta(days=90)


def idempotency_key(schedule_id: str, scheduled_time: str) -> str:
    return f"schedule-{schedule_id}-{scheduled_time}"[:255]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"the stored target is no longer valid: {where}: {first['msg']}"
    if isinstance(exc, TradewindError):
        details = "; ".join(
            f"{'.'.join(str(p) for p in problem.loc[2:] or problem.loc)}: {problem.msg}"
            for problem in exc.problems
        )
        return f"{exc.detail}{f' ({details})' if details else ''}"
    return f"{type(exc).__name__}: {exc}"


def fire(event: dict[str, Any]) -> dict[str, Any]:
    """Handle one fire; returns what happened (``submitted``, ``duplicate``, ``failed``, ``gone``)."""
    from pynamodb.exceptions import PutError

    from tradewind.data.table import condition_failed
    from tradewind.schedules import targets
    from tradewind.schedules.records import FireRecord, ScheduleRecord

    tenant_id, schedule_id = str(event["tenant_id"]), str(event["schedule_id"])
    scheduled_time = str(event.get("scheduled_time") or "")
    if not scheduled_time or scheduled_time.startswith("<"):
        scheduled_time = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        schedule = ScheduleRecord.get(*ScheduleRecord.key(tenant_id, schedule_id), consistent_read=True)
    except ScheduleRecord.DoesNotExist:
        logger.warning("schedule %s of %s no longer exists: fire ignored", schedule_id, tenant_id)
        return {"outcome": "gone"}
    now = datetime.now(UTC)
    claim = FireRecord(
        *FireRecord.key(tenant_id, schedule_id, scheduled_time),
        tenant_id=tenant_id,
        schedule_id=schedule_id,
        scheduled_time=scheduled_time,
        fired_at=now,
        status="claimed",
        expires_at=now + FIRE_RETENTION,
    )
    try:
        claim.save(condition=FireRecord.pk.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        earlier = FireRecord.get(
            *FireRecord.key(tenant_id, schedule_id, scheduled_time), consistent_read=True
        )
        logger.info("schedule %s: the fire of %s was handled already", schedule_id, scheduled_time)
        return {"outcome": "duplicate", "job_id": earlier.job_id, "status": earlier.status}
    try:
        target = targets.parse(schedule.target)
        job = targets.submit(tenant_id, target, idempotency_key(schedule_id, scheduled_time), schedule.name)
    except (TradewindError, ValidationError) as exc:
        reason = _reason(exc)[:1000]
        _record(schedule, claim, "failed", now, error=reason, kind=str(schedule.target.get("kind")))
        _notify_failed(schedule, reason)
        return {"outcome": "failed", "error": reason}
    except Exception:
        claim.delete()  # the scheduler's retry of this fire may try again
        raise
    _record(schedule, claim, "submitted", now, job_id=job.job_id, kind=job.kind)
    return {"outcome": "submitted", "job_id": job.job_id}


def _record(
    schedule: Any,
    claim: Any,
    status: str,
    now: datetime,
    *,
    job_id: str | None = None,
    error: str | None = None,
    kind: str | None = None,
) -> None:
    from tradewind.schedules.records import FireRecord, ScheduleRecord

    claim.update(
        actions=[
            FireRecord.status.set(status),
            FireRecord.job_id.set(job_id) if job_id else FireRecord.job_id.remove(),
            FireRecord.error.set(error) if error else FireRecord.error.remove(),
            FireRecord.job_kind.set(kind) if kind else FireRecord.job_kind.remove(),
        ]
    )
    try:
        schedule.update(
            actions=[
                ScheduleRecord.fires.add(1),
                ScheduleRecord.last_fire_at.set(now),
                ScheduleRecord.last_fire_status.set(status),
                ScheduleRecord.last_job_id.set(job_id) if job_id else ScheduleRecord.last_job_id.remove(),
                ScheduleRecord.last_error.set(error) if error else ScheduleRecord.last_error.remove(),
            ],
            condition=ScheduleRecord.pk.exists(),
        )
    except Exception:
        logger.exception("could not record the fire on schedule %s", schedule.schedule_id)


def _notify_failed(schedule: Any, reason: str) -> None:
    """In the app and on the alert channels that subscribe to ``schedule.failed``."""
    from tradewind.alerts.events import EventKind
    from tradewind.alerts.publish import publish
    from tradewind.services.notification_messages import schedule_failed
    from tradewind.services.notifications import send

    message = schedule_failed(schedule.name, reason)
    try:
        send(schedule.tenant_id, message, f"/schedules/{schedule.schedule_id}")
    except Exception:
        logger.exception("could not notify the failed fire of schedule %s", schedule.schedule_id)
    publish(
        schedule.tenant_id,
        EventKind.SCHEDULE_FAILED,
        message.title,
        message.body,
        link=f"/schedules/{schedule.schedule_id}",
        data={"schedule_id": schedule.schedule_id},
    )
