"""A tenant's workflows (docs/workflows.md): create, read, list, update (versioned), delete.

Every step is checked exactly as if it were submitted now, by the schedules' own target check
(``schedules.targets.check``: one code path for schedules and workflows), and nothing starts.
Problems of every step are reported together, each located at ``["body", "steps", i, "target", ...]``.
Runs are jobs (:mod:`tradewind.workflows.runs`): deleting a workflow leaves its runs listed.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tradewind.data.table import query_page
from tradewind.errors import Conflict, FieldProblem, NotFound, TradewindError
from tradewind.workflows.models import WorkflowRequest, WorkflowUpdate

if TYPE_CHECKING:
    from tradewind.workflows.records import WorkflowRecord

Loc = list[str | int]
ID_LOC: Loc = ["path", "workflow_id"]


def new_workflow_id() -> str:
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(3)}"


def _records() -> type[WorkflowRecord]:
    from tradewind.workflows.records import WorkflowRecord

    return WorkflowRecord


def get_workflow(tenant_id: str, workflow_id: str, loc: Loc | None = None) -> WorkflowRecord:
    """The tenant's workflow, or 404 located at ``loc`` (the path by default)."""
    records = _records()
    try:
        return records.get(*records.key(tenant_id, workflow_id), consistent_read=True)
    except records.DoesNotExist:
        raise NotFound(
            f"workflow {workflow_id!r} not found",
            [FieldProblem(list(loc or ID_LOC), "no such workflow", "not_found")],
        ) from None


def check_steps(tenant_id: str, request: WorkflowRequest) -> list[dict[str, Any]]:
    """Every step checked as if submitted now; the steps as stored. Raises the first step's error
    class with the problems of every step."""
    from tradewind.schedules import targets

    first: TradewindError | None = None
    problems: list[FieldProblem] = []
    for index, step in enumerate(request.steps):
        try:
            targets.check(tenant_id, step.target, ["body", "steps", index, "target"])
        except TradewindError as exc:
            first = first or exc
            problems.extend(exc.problems or [FieldProblem(["body", "steps", index, "target"], exc.detail)])
    if first is not None:
        first.problems = problems
        first.detail = (
            f"{len({tuple(p.loc[:3]) for p in problems})} step(s) cannot be submitted: {first.detail}"
        )
        raise first
    return [step.model_dump(mode="json", exclude_none=True) for step in request.steps]


def create_workflow(tenant_id: str, request: WorkflowRequest) -> WorkflowRecord:
    steps = check_steps(tenant_id, request)
    records = _records()
    now = datetime.now(UTC)
    workflow_id = new_workflow_id()
    record = records(
        *records.key(tenant_id, workflow_id),
        tenant_id=tenant_id,
        workflow_id=workflow_id,
        name=request.name,
        description=request.description,
        steps=steps,
        version=1,
        runs=0,
        created_at=now,
        updated_at=now,
    )
    record.save(condition=records.pk.does_not_exist())
    return record


def update_workflow(tenant_id: str, workflow_id: str, update: WorkflowUpdate) -> WorkflowRecord:
    """Replace the workflow if it is still at ``update.version`` (409 at ``["body", "version"]`` else)."""
    from pynamodb.exceptions import UpdateError

    from tradewind.data.table import condition_failed

    record = get_workflow(tenant_id, workflow_id)
    if int(record.version) != update.version:
        raise _stale(record)
    steps = check_steps(tenant_id, update)
    records = _records()
    now = datetime.now(UTC)
    try:
        record.update(
            actions=[
                records.name.set(update.name),
                records.description.set(update.description)
                if update.description
                else records.description.remove(),
                records.steps.set(steps),
                records.version.add(1),
                records.updated_at.set(now),
            ],
            condition=records.version == update.version,
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        raise _stale(get_workflow(tenant_id, workflow_id)) from None
    return record


def _stale(record: WorkflowRecord) -> Conflict:
    msg = f"the workflow is at version {int(record.version)}; read it again and apply your change"
    return Conflict(
        f"workflow {record.workflow_id!r} changed since you read it",
        [FieldProblem(["body", "version"], msg, "stale_version")],
    )


def delete_workflow(tenant_id: str, workflow_id: str) -> None:
    """Remove the workflow; its runs stay (they are jobs, deleted through ``/jobs``)."""
    get_workflow(tenant_id, workflow_id).delete()


def list_workflows(
    tenant_id: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[WorkflowRecord], dict[str, Any] | None]:
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


def view(record: WorkflowRecord) -> dict[str, Any]:
    return {
        "workflow_id": record.workflow_id,
        "name": record.name,
        "description": record.description,
        "steps": list(record.steps or []),
        "version": int(record.version),
        "runs": int(record.runs or 0),
        "last_run_id": record.last_run_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
