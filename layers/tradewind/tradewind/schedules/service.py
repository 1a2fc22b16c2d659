"""Schedules of a tenant (docs/schedules.md): CRUD, pause/resume, next fire times, fire history.

Each schedule is a record in the tenant's partition and a real EventBridge Scheduler schedule in the
stage's group, named ``{tenant}-{id}`` (:func:`~tradewind.schedules.config.scheduler_name`) from the
authenticated tenant only, whose target is the schedule-fire Lambda with the input
``{"tenant_id", "schedule_id", "scheduled_time": "<aws.scheduler.scheduled-time>"}``. The record is
written first and removed again when the scheduler refuses, so a listed schedule always has its
EventBridge twin (and deleting removes the twin first).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind import aws
from tradewind.data.table import query_page
from tradewind.errors import FieldProblem, InvalidInput, NotFound
from tradewind.schedules import expressions, targets
from tradewind.schedules.config import schedule_config, scheduler_name
from tradewind.schedules.models import ScheduleRequest, ScheduleUpdate

if TYPE_CHECKING:
    from tradewind.schedules.records import ScheduleRecord

NEXT_FIRES = 5
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"


def new_schedule_id() -> str:
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(3)}"


def _records() -> type[ScheduleRecord]:
    from tradewind.schedules.records import ScheduleRecord

    return ScheduleRecord


def check_expression(expression: str, timezone: str, loc: list[str | int]) -> None:
    try:
        expressions.zone(timezone)
    except expressions.ExpressionError as exc:
        raise InvalidInput(str(exc), [FieldProblem([*loc, "timezone"], str(exc))]) from None
    try:
        expressions.validate(expression, timezone)
    except expressions.ExpressionError as exc:
        raise InvalidInput(str(exc), [FieldProblem([*loc, "expression"], str(exc))]) from None


def get_schedule(tenant_id: str, schedule_id: str) -> ScheduleRecord:
    records = _records()
    try:
        return records.get(*records.key(tenant_id, schedule_id), consistent_read=True)
    except records.DoesNotExist:
        raise NotFound(
            f"schedule {schedule_id!r} not found",
            [FieldProblem(["path", "schedule_id"], "no such schedule", "not_found")],
        ) from None


def view(record: ScheduleRecord, now: datetime | None = None) -> dict[str, Any]:
    """What a client reads: the schedule, its next fire times (none while paused) and its last fire."""
    moment = now or datetime.now(UTC)
    upcoming: list[datetime] = []
    if record.enabled:
        try:
            upcoming = expressions.next_fires(
                record.expression, record.timezone, NEXT_FIRES, moment, anchor=record.created_at
            )
        except expressions.ExpressionError:
            upcoming = []
    last = None
    if record.last_fire_at is not None:
        last = {
            "at": record.last_fire_at,
            "status": record.last_fire_status,
            "job_id": record.last_job_id,
            "error": record.last_error,
        }
    return {
        "schedule_id": record.schedule_id,
        "name": record.name,
        "expression": record.expression,
        "timezone": record.timezone,
        "target": record.target,
        "enabled": bool(record.enabled),
        "next_fire_times": upcoming,
        "fires": int(record.fires or 0),
        "last_fire": last,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _eventbridge(record: ScheduleRecord, create: bool) -> None:
    """Create or replace the schedule's EventBridge twin (update takes the whole definition)."""
    config = schedule_config()
    payload = {
        "tenant_id": record.tenant_id,
        "schedule_id": record.schedule_id,
        "scheduled_time": SCHEDULED_TIME,
    }
    definition: dict[str, Any] = {
        "Name": scheduler_name(record.tenant_id, record.schedule_id),
        "GroupName": config.group,
        "ScheduleExpression": record.expression,
        "ScheduleExpressionTimezone": record.timezone,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "State": "ENABLED" if record.enabled else "DISABLED",
        "Description": f"Tradewind schedule {record.schedule_id}"[:512],
        "Target": {
            "Arn": config.fire_arn,
            "RoleArn": config.role_arn,
            "Input": json.dumps(payload),
            "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
        },
    }
    if record.expression.startswith("at("):
        definition["ActionAfterCompletion"] = "NONE"  # the one-off stays listed with its history
    client = aws.client("scheduler")
    if create:
        client.create_schedule(**definition)
        return
    try:
        client.update_schedule(**definition)
    except client.exceptions.ResourceNotFoundException:
        client.create_schedule(**definition)  # the twin was lost (a local restart): make it again


def ensure_eventbridge(record: ScheduleRecord) -> int:
    """Create the schedule's EventBridge twin if it is missing (1 when made): the local cloud's
    restart, whose Scheduler state is not saved (infra/local/ticker.py)."""
    client = aws.client("scheduler")
    try:
        client.get_schedule(
            Name=scheduler_name(record.tenant_id, record.schedule_id), GroupName=schedule_config().group
        )
        return 0
    except client.exceptions.ResourceNotFoundException:
        _eventbridge(record, create=True)
        return 1


def create_schedule(tenant_id: str, request: ScheduleRequest) -> ScheduleRecord:
    """Check everything (expression, zone, target as if submitted now), then record and create it."""
    check_expression(request.expression, request.timezone, ["body"])
    targets.check(tenant_id, request.target)
    records = _records()
    now = datetime.now(UTC)
    schedule_id = new_schedule_id()
    record = records(
        *records.key(tenant_id, schedule_id),
        tenant_id=tenant_id,
        schedule_id=schedule_id,
        name=request.name,
        expression=request.expression.strip(),
        timezone=request.timezone,
        target=request.target.model_dump(mode="json", exclude_none=True),
        enabled=request.enabled,
        fires=0,
        created_at=now,
        updated_at=now,
    )
    record.save(condition=records.pk.does_not_exist())
    try:
        _eventbridge(record, create=True)
    except Exception:
        record.delete()
        raise
    return record


def update_schedule(tenant_id: str, schedule_id: str, update: ScheduleUpdate) -> ScheduleRecord:
    """Replace the fields given (checked as at creation), in the record and in EventBridge."""
    record = get_schedule(tenant_id, schedule_id)
    expression = (update.expression or record.expression).strip()
    timezone = update.timezone or record.timezone
    if update.expression is not None or update.timezone is not None:
        check_expression(expression, timezone, ["body"])
    if update.target is not None:
        targets.check(tenant_id, update.target)
        record.target = update.target.model_dump(mode="json", exclude_none=True)
    if update.name is not None:
        record.name = update.name
    if update.enabled is not None:
        record.enabled = update.enabled
    record.expression, record.timezone = expression, timezone
    record.updated_at = datetime.now(UTC)
    _eventbridge(record, create=False)
    record.save()
    return record


def set_enabled(tenant_id: str, schedule_id: str, enabled: bool) -> ScheduleRecord:
    return update_schedule(tenant_id, schedule_id, ScheduleUpdate(enabled=enabled))


def delete_schedule(tenant_id: str, schedule_id: str) -> None:
    """Remove the EventBridge schedule (already gone is fine), then the record and its fires."""
    from tradewind.schedules.records import FireRecord

    record = get_schedule(tenant_id, schedule_id)
    client = aws.client("scheduler")
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):
        client.delete_schedule(Name=scheduler_name(tenant_id, schedule_id), GroupName=schedule_config().group)
    pk, prefix = FireRecord.key(tenant_id, schedule_id)
    with FireRecord.batch_write() as batch:
        for fire in FireRecord.query(pk, FireRecord.sk.startswith(prefix), attributes_to_get=["pk", "sk"]):
            batch.delete(fire)
    record.delete()


def list_schedules(
    tenant_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[ScheduleRecord], dict[str, Any] | None]:
    records = _records()
    pk, prefix = records.key(tenant_id)
    return query_page(
        records.query,
        pk,
        records.sk.startswith(prefix),
        limit=limit,
        start=start,
        newest_first=True,
    )


def fire_history(
    tenant_id: str, schedule_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Fires newest first, each with the job it created and that job's status now (its outcome)."""
    from tradewind.data.jobs import JobRecord
    from tradewind.schedules.records import FireRecord

    get_schedule(tenant_id, schedule_id)
    pk, prefix = FireRecord.key(tenant_id, schedule_id)
    fires, next_key = query_page(
        FireRecord.query, pk, FireRecord.sk.startswith(prefix), limit=limit, start=start, newest_first=True
    )
    keys = [JobRecord.key(tenant_id, f.job_id) for f in fires if f.job_id]
    jobs = {j.job_id: j for j in JobRecord.batch_get(keys)} if keys else {}
    items = []
    for fire in fires:
        job = jobs.get(fire.job_id or "")
        items.append(
            {
                "scheduled_time": fire.scheduled_time,
                "fired_at": fire.fired_at,
                "status": fire.status,
                "error": fire.error,
                "job_id": fire.job_id,
                "job_kind": fire.job_kind,
                "job_status": job.status if job else None,
            }
        )
    return items, next_key


def history_prefix(tenant_id: str, schedule_id: str) -> tuple[str, str]:
    from tradewind.schedules.records import FireRecord

    return FireRecord.key(tenant_id, schedule_id)
