"""Health routes: liveness is free and readiness touches DynamoDB and S3 for real (both without
authentication, for load balancers and probes); the system status of every resource needs a key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.responses import Response

from tradewind.api.auth import Tenant
from tradewind.api.errors import PROBLEM_JSON, problem_response
from tradewind.services import health

router = APIRouter(prefix="/health", tags=["health"])


class Status(BaseModel):
    status: str = "ok"


class CheckResult(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, CheckResult]


class BuildInfo(BaseModel):
    version: str
    commit: str
    stage: str
    region: str


class ComponentStatus(BaseModel):
    kind: health.ComponentKind
    role: str = Field(
        description="what it is for: main, connections, data, artifacts, import, pipeline, jobs, seed"
    )
    resource: str = Field(description="its name, URL or ARN")
    ok: bool = Field(description="answering; for a dead-letter queue, also empty")
    detail: str
    depth: int | None = Field(
        description="a queue's messages waiting or in flight; a dead-letter queue's waiting"
    )


class SystemStatus(BaseModel):
    ok: bool = Field(description="every component ok")
    components: list[ComponentStatus]
    build: BuildInfo


@router.get("", response_model=Status, summary="Cheap health check (no I/O)")
async def get_health() -> Response:
    return JSONResponse({"status": "ok"})


@router.get("/live", response_model=Status, summary="Liveness: the process answers")
async def get_live() -> Response:
    return JSONResponse({"status": "ok"})


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness: DynamoDB table and S3 data bucket reachable",
    responses={503: {"description": "a dependency failed; `errors` names it", "content": {PROBLEM_JSON: {}}}},
)
def get_ready(request: Request) -> Response:
    checks = health.readiness()
    failed = [c for c in checks if not c.ok]
    if failed:
        return problem_response(
            request,
            503,
            "not ready: " + ", ".join(c.name for c in failed),
            title="Service unavailable",
            errors=[
                {"loc": ["dependencies", c.name], "msg": c.detail, "type": "unavailable"} for c in failed
            ],
        )
    return JSONResponse(
        {"status": "ok", "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    )


@router.get("/info", response_model=BuildInfo, summary="Version, commit, stage and region")
async def get_info() -> BuildInfo:
    return BuildInfo(**health.build_info())


@router.get(
    "/system",
    summary="System status: tables, buckets, queues and dead letters, state machines, build",
)
def get_system(tenant: Tenant) -> SystemStatus:
    """Needs a key (``tenant`` unused): resource names and backlogs are not for the public."""
    components = [ComponentStatus(**vars(c)) for c in health.system_status()]
    return SystemStatus(
        ok=all(c.ok for c in components), components=components, build=BuildInfo(**health.build_info())
    )
