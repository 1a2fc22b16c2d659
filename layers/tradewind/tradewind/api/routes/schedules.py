"""Schedule routes (docs/schedules.md): CRUD, pause/resume, next fire times and the fire history.

Each schedule is a real EventBridge Scheduler schedule named from the caller's tenant; its target is
checked at creation exactly as if it were submitted now (4xx naming the field under
``["body", "target", ...]``), and nothing is started until it fires.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.schedules.models import ScheduleRequest, ScheduleUpdate

router = APIRouter(prefix="/schedules", tags=["schedules"])

ScheduleId = Annotated[str, Path(pattern=r"^[a-f0-9]{1,40}$", examples=["0193a1b2c3d4e5f6a7"])]


class LastFire(BaseModel):
    at: datetime
    status: Literal["claimed", "submitted", "failed"] | None
    job_id: str | None
    error: str | None


class ScheduleOut(BaseModel):
    schedule_id: str
    name: str
    expression: str
    timezone: str
    target: dict[str, Any] = Field(
        description="the job request it submits: {kind, request} or {kind: command, command, params}"
    )
    enabled: bool
    next_fire_times: list[datetime] = Field(
        description="the next 5 (UTC; none while paused or after a one-off)"
    )
    fires: int
    last_fire: LastFire | None
    created_at: datetime
    updated_at: datetime


class Fire(BaseModel):
    scheduled_time: str
    fired_at: datetime
    status: Literal["claimed", "submitted", "failed"] = Field(description="claimed: being submitted now")
    error: str | None = Field(description="why the fire could not start its job")
    job_id: str | None
    job_kind: str | None
    job_status: str | None = Field(description="the job's status now (its outcome once final)")


class NextFires(BaseModel):
    expression: str
    timezone: str
    next_fire_times: list[datetime]


class PreviewRequest(BaseModel):
    expression: str = Field(min_length=6, max_length=256)
    timezone: str = Field(default="UTC", min_length=1, max_length=64)


def _out(record: Any) -> ScheduleOut:
    from tradewind.schedules.service import view

    return ScheduleOut.model_validate(view(record))


@router.get("", summary="Your schedules, newest first")
def list_schedules(tenant: Tenant, limit: Limit = 50, next_token: NextToken = None) -> Page[ScheduleOut]:
    from tradewind.schedules import service

    partition, prefix = service._records().key(tenant)
    start = decode_token(next_token, partition=partition, sort_prefix=prefix)
    items, last = service.list_schedules(tenant, limit, start)
    return Page(items=[_out(r) for r in items], next_token=encode_token(last))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problems(404, 409, 503),
    summary="Create a schedule (the target is checked as if submitted now; nothing starts)",
)
def create(tenant: Tenant, body: ScheduleRequest, response: Response) -> ScheduleOut:
    from tradewind.schedules import service

    record = service.create_schedule(tenant, body)
    response.headers["Location"] = f"/schedules/{record.schedule_id}"
    return _out(record)


@router.post("/preview", summary="The next 5 fire times of an expression in a time zone (creates nothing)")
def preview(tenant: Tenant, body: PreviewRequest) -> NextFires:
    from tradewind.schedules import expressions, service

    service.check_expression(body.expression, body.timezone, ["body"])
    return NextFires(
        expression=body.expression,
        timezone=body.timezone,
        next_fire_times=expressions.next_fires(body.expression.strip(), body.timezone, 5),
    )


@router.get("/{schedule_id}", responses=problems(404), summary="A schedule with its next 5 fire times")
def get(tenant: Tenant, schedule_id: ScheduleId) -> ScheduleOut:
    from tradewind.schedules import service

    return _out(service.get_schedule(tenant, schedule_id))


@router.patch(
    "/{schedule_id}", responses=problems(404, 409, 503), summary="Change a schedule (the fields given)"
)
def update(tenant: Tenant, schedule_id: ScheduleId, body: ScheduleUpdate) -> ScheduleOut:
    from tradewind.schedules import service

    return _out(service.update_schedule(tenant, schedule_id, body))


@router.post("/{schedule_id}/pause", responses=problems(404), summary="Pause: no fire until resumed")
def pause(tenant: Tenant, schedule_id: ScheduleId) -> ScheduleOut:
    from tradewind.schedules import service

    return _out(service.set_enabled(tenant, schedule_id, False))


@router.post("/{schedule_id}/resume", responses=problems(404), summary="Resume a paused schedule")
def resume(tenant: Tenant, schedule_id: ScheduleId) -> ScheduleOut:
    from tradewind.schedules import service

    return _out(service.set_enabled(tenant, schedule_id, True))


@router.delete(
    "/{schedule_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404),
    summary="Delete a schedule and its fire history (its jobs stay)",
)
def delete(tenant: Tenant, schedule_id: ScheduleId) -> None:
    from tradewind.schedules import service

    service.delete_schedule(tenant, schedule_id)


@router.get(
    "/{schedule_id}/fires",
    responses=problems(404),
    summary="Fire history, newest first, with each job's outcome",
)
def fires(
    tenant: Tenant, schedule_id: ScheduleId, limit: Limit = 50, next_token: NextToken = None
) -> Page[Fire]:
    from tradewind.schedules import service

    partition, prefix = service.history_prefix(tenant, schedule_id)
    start = decode_token(next_token, partition=partition, sort_prefix=prefix)
    items, last = service.fire_history(tenant, schedule_id, limit, start)
    return Page(items=[Fire.model_validate(i) for i in items], next_token=encode_token(last))
