"""Workflow routes (docs/workflows.md): CRUD of workflows (each step checked as if submitted now),
starting a run (a job of kind ``workflow``) and the runs with each step's status and job.

A run is read, followed, cancelled (which stops it) and deleted through ``/jobs/{id}`` like every job;
``GET /workflows/runs/{id}`` adds its steps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.jobs import SUBMIT_RESPONSES, IdempotencyKey, JobId, JobOut, accepted
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.workflows.models import WorkflowRequest, WorkflowUpdate

router = APIRouter(prefix="/workflows", tags=["workflows"])

WorkflowId = Annotated[str, Path(pattern=r"^[a-f0-9]{1,40}$", examples=["0193a1b2c3d4e5f6a7"])]


class WorkflowOut(BaseModel):
    workflow_id: str
    name: str
    description: str | None
    steps: list[dict[str, Any]] = Field(description="[{name?, target}]: each target a job request")
    version: int = Field(description="send it back with PUT: the update is refused (409) if it moved on")
    runs: int
    last_run_id: str | None
    created_at: datetime
    updated_at: datetime


class StepOut(BaseModel):
    index: int
    name: str | None = Field(description="the step's own name, when it has one")
    label: str | None = Field(description="its name, else its kind (and command): how reasons name it")
    kind: str | None
    command: str | None = Field(description="a command step's command")
    job_id: str | None = Field(description="the job this step created (GET /jobs/{job_id})")
    status: Literal[
        "pending", "skipped", "queued", "running", "paused", "succeeded", "failed", "cancelled", "stopped"
    ] = Field(
        description="the step's job status now; pending before it starts, skipped when the run ended first"
    )
    error: str | None


class WorkflowRunOut(JobOut):
    workflow_id: str | None
    failed_step: int | None = Field(description="the index of the step that failed the run")
    steps: list[StepOut]


def _out(record: Any) -> WorkflowOut:
    from tradewind.workflows.service import view

    return WorkflowOut.model_validate(view(record))


def _run_out(record: Any) -> WorkflowRunOut:
    from tradewind.workflows.runs import run_view

    return WorkflowRunOut.model_validate(run_view(record))


@router.get("", summary="Your workflows, newest first")
def list_workflows(tenant: Tenant, limit: Limit = 50, next_token: NextToken = None) -> Page[WorkflowOut]:
    from tradewind.workflows import service

    partition, prefix = service._records().key(tenant)
    start = decode_token(next_token, partition=partition, sort_prefix=prefix)
    items, last = service.list_workflows(tenant, limit, start)
    return Page(items=[_out(r) for r in items], next_token=encode_token(last))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problems(404, 409, 503),
    summary="Create a workflow (each step checked as if submitted now: ['body', 'steps', 1, 'target', ...])",
)
def create(tenant: Tenant, body: WorkflowRequest, response: Response) -> WorkflowOut:
    from tradewind.workflows import service

    record = service.create_workflow(tenant, body)
    response.headers["Location"] = f"/workflows/{record.workflow_id}"
    return _out(record)


@router.get("/runs/{job_id}", responses=problems(404), summary="A run with each step's status and job")
def get_run(tenant: Tenant, job_id: JobId) -> WorkflowRunOut:
    from tradewind.jobs.lifecycle import get_job

    return _run_out(get_job(tenant, job_id, "workflow", ["path", "job_id"]))


@router.get("/{workflow_id}", responses=problems(404), summary="A workflow and its version")
def get(tenant: Tenant, workflow_id: WorkflowId) -> WorkflowOut:
    from tradewind.workflows import service

    return _out(service.get_workflow(tenant, workflow_id))


@router.put(
    "/{workflow_id}",
    responses=problems(404, 409, 503),
    summary="Replace a workflow (409 on ['body', 'version'] when it changed since you read it)",
)
def update(tenant: Tenant, workflow_id: WorkflowId, body: WorkflowUpdate) -> WorkflowOut:
    from tradewind.workflows import service

    return _out(service.update_workflow(tenant, workflow_id, body))


@router.delete(
    "/{workflow_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404),
    summary="Delete a workflow (its runs stay, as jobs)",
)
def delete(tenant: Tenant, workflow_id: WorkflowId) -> None:
    from tradewind.workflows import service

    service.delete_workflow(tenant, workflow_id)


@router.post(
    "/{workflow_id}/runs",
    status_code=status.HTTP_202_ACCEPTED,
    responses={202: SUBMIT_RESPONSES[202], **problems(404)},
    summary="Run a workflow: a job of kind workflow (stop it with POST /jobs/{id}/cancel)",
)
def run(
    tenant: Tenant, workflow_id: WorkflowId, response: Response, idempotency_key: IdempotencyKey = None
) -> JobOut:
    from tradewind.workflows.runs import start_run

    return accepted(response, start_run(tenant, workflow_id, idempotency_key=idempotency_key), "workflows")


@router.get(
    "/{workflow_id}/runs",
    responses=problems(404),
    summary="A workflow's runs, newest first, with their steps",
)
def runs(
    tenant: Tenant, workflow_id: WorkflowId, limit: Limit = 20, next_token: NextToken = None
) -> Page[WorkflowRunOut]:
    from tradewind.workflows import runs as workflow_runs
    from tradewind.workflows.service import get_workflow

    get_workflow(tenant, workflow_id)
    from tradewind.data.jobs import JobRecord

    partition, prefix = JobRecord.kind_index_key(tenant, "workflow")
    start = decode_token(
        next_token, partition=partition, partition_attr="gsi1pk", sort_attr="gsi1sk", sort_prefix=prefix
    )
    items, last = workflow_runs.list_runs(tenant, workflow_id, limit, start)
    return Page(items=[_run_out(r) for r in items], next_token=encode_token(last))
