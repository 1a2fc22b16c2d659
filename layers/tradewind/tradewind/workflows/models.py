"""What a client sends to ``/workflows`` (docs/workflows.md). Only pydantic here.

A step is one job request, exactly a schedule's target minus workflows (``schedules.models.JobTarget``):
a backtest, an optimization, a pipeline run or a command run, with an optional label.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tradewind.schedules.models import JobTarget

MAX_STEPS = 20
Label = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkflowStep(_Model):
    name: Label | None = Field(default=None, description="a label for the step (default: its kind)")
    target: JobTarget


class WorkflowRequest(_Model):
    """``POST /workflows``."""

    name: Label
    description: str | None = Field(default=None, max_length=1000)
    steps: list[WorkflowStep] = Field(min_length=1, max_length=MAX_STEPS)


class WorkflowUpdate(WorkflowRequest):
    """``PUT /workflows/{id}``: the whole workflow again, with the version it was read at."""

    version: int = Field(ge=1, description="the version you edited (GET answers it); 409 when it moved on")
