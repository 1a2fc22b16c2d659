"""What a client sends to ``/schedules`` and what a schedule's target is (docs/schedules.md).

A target is any job request the API takes today, tagged by its kind: a backtest, an optimization, a
pipeline run (their request bodies as ``POST /backtests``, ``/optimizations`` and
``/pipeline/runs`` take them), a command run (a catalogue name and its parameters) or a workflow run
(a saved workflow's id). A workflow's steps are the first four (:data:`JobTarget`). Only pydantic here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tradewind.jobs.spec import BacktestRequest, OptimizationRequest
from tradewind.pipeline.spec import PipelineRunRequest

ScheduleName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]
Expression = Annotated[
    str,
    Field(
        min_length=6,
        max_length=256,
        description="rate(N minute|minutes|hour|hours|day|days), cron(six AWS fields) or "
        "at(yyyy-mm-ddThh:mm:ss)",
        examples=["cron(30 17 ? * MON-FRI *)", "rate(1 day)", "at(2030-01-02T09:00:00)"],
    ),
]
TimeZone = Annotated[
    str, Field(min_length=1, max_length=64, description="IANA time zone of cron and at", examples=["UTC"])
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BacktestTarget(_Model):
    kind: Literal["backtest"]
    request: BacktestRequest


class OptimizationTarget(_Model):
    kind: Literal["optimization"]
    request: OptimizationRequest


class PipelineTarget(_Model):
    kind: Literal["pipeline"]
    request: PipelineRunRequest


class CommandTarget(_Model):
    kind: Literal["command"]
    command: str = Field(min_length=1, max_length=64, description="a name from GET /commands")
    params: dict[str, Any] = Field(default_factory=dict)


class WorkflowTarget(_Model):
    """A run of a saved workflow (docs/workflows.md): its steps as they are at the fire."""

    kind: Literal["workflow"]
    workflow_id: str = Field(
        min_length=1, max_length=40, pattern=r"^[a-f0-9]+$", description="from GET /workflows"
    )


JobTarget = Annotated[
    BacktestTarget | OptimizationTarget | PipelineTarget | CommandTarget, Field(discriminator="kind")
]
"""One job request: what a workflow's step is (a step cannot be a workflow)."""
Target = Annotated[
    BacktestTarget | OptimizationTarget | PipelineTarget | CommandTarget | WorkflowTarget,
    Field(discriminator="kind"),
]


class ScheduleRequest(_Model):
    """``POST /schedules``."""

    name: ScheduleName
    expression: Expression
    timezone: TimeZone = "UTC"
    target: Target
    enabled: bool = True


class ScheduleUpdate(_Model):
    """``PATCH /schedules/{id}``: the fields given replace the schedule's."""

    name: ScheduleName | None = None
    expression: Expression | None = None
    timezone: TimeZone | None = None
    target: Target | None = None
    enabled: bool | None = None
