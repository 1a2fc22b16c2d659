"""Where user schedules live, from ``TW_SCHEDULE_*`` variables (set by the stack on the API Lambda)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

_SAFE_TENANT = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class ScheduleConfig:
    group: str  # the stage's schedule group
    fire_arn: str  # the schedule-fire Lambda every schedule targets
    role_arn: str  # the role EventBridge Scheduler assumes to invoke it


def schedule_config() -> ScheduleConfig:
    env = os.environ
    return ScheduleConfig(
        group=env.get("TW_SCHEDULE_GROUP", "default"),
        fire_arn=env.get("TW_SCHEDULE_FIRE_ARN", ""),
        role_arn=env.get("TW_SCHEDULE_ROLE_ARN", ""),
    )


def scheduler_name(tenant_id: str, schedule_id: str) -> str:
    """The EventBridge schedule's name: ``{tenant}-{id}``, the tenant always the authenticated one
    (a tenant id that is not a valid name part is replaced by a hash of it)."""
    part = (
        tenant_id
        if _SAFE_TENANT.match(tenant_id)
        else "t" + hashlib.sha256(tenant_id.encode()).hexdigest()[:20]
    )
    return f"{part}-{schedule_id}"
