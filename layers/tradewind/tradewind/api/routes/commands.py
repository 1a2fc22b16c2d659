"""Command routes (docs/commands.md): the catalogue with each command's parameter schema, starting a
run (a job of kind ``command``, queued for the command runner), and the runs' history.

A run is then read, followed, cancelled and deleted through ``/jobs/{id}`` like every job; its log
is ``GET /jobs/{id}/logs`` and ``job.log`` on ``job:{id}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.jobs import SUBMIT_RESPONSES, JobOut, StatusFilter, accepted, list_page
from tradewind.api.pagination import Limit, NextToken, Page

router = APIRouter(prefix="/commands", tags=["commands"])

CommandName = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,64}$", examples=["prune-jobs"])]


class CommandOut(BaseModel):
    name: str
    title: str
    description: str
    params_schema: dict[str, Any] = Field(description="JSON schema of the run's `params`")


class CommandRunRequest(BaseModel):
    params: dict[str, Any] = Field(default_factory=dict, description="validated against the command's schema")
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="the run's name (default: the command's)"
    )


def _out(name: str) -> CommandOut:
    from tradewind.commands import catalogue

    command = catalogue()[name]
    return CommandOut(
        name=command.name,
        title=command.title,
        description=command.description,
        params_schema=command.params.model_json_schema(),
    )


@router.get("", summary="The catalogue: every command, its description and parameter schema")
def list_commands(tenant: Tenant) -> list[CommandOut]:
    from tradewind.commands import catalogue

    return [_out(name) for name in catalogue()]


@router.get("/runs", summary="Command runs, newest first (also GET /jobs?kind=command)")
def list_runs(
    tenant: Tenant, limit: Limit = 50, next_token: NextToken = None, status: StatusFilter = None
) -> Page[JobOut]:
    return list_page(tenant, "command", limit, next_token, status, None)


@router.get("/{name}", responses=problems(404), summary="One command and its parameter schema")
def get_command(tenant: Tenant, name: CommandName) -> CommandOut:
    from tradewind.commands.runs import command

    return _out(command(name).name)


@router.post(
    "/{name}/runs",
    status_code=status.HTTP_202_ACCEPTED,
    responses={202: SUBMIT_RESPONSES[202], 429: SUBMIT_RESPONSES[429], **problems(404, 409, 503)},
    summary="Run a command (422 names the parameter: ['body', 'params', 'days'])",
)
def run(tenant: Tenant, name: CommandName, body: CommandRunRequest, response: Response) -> JobOut:
    from tradewind.commands import runs

    return accepted(response, runs.start(tenant, name, body.params, run_name=body.name), "commands")
