"""A schedule's target: checked exactly as if it were submitted now, and submitted at a fire.

:func:`check` runs the same resolution the job's own route runs (``resolve_backtest``,
``resolve_optimization`` and its size limit, the pipeline's ``resolve_run``, a command's parameter
model and submit-time check; a workflow target: the workflow exists) and starts nothing; the caps are
not checked (they apply at the fire). Problems are located under ``loc``
(``["body", "target", "request", "symbols", 2]``). The same two functions check and submit a
workflow's steps (``tradewind.workflows``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from tradewind.errors import FieldProblem, TradewindError
from tradewind.schedules.models import (
    BacktestTarget,
    CommandTarget,
    OptimizationTarget,
    PipelineTarget,
    Target,
    WorkflowTarget,
)

if TYPE_CHECKING:
    from tradewind.data.jobs import JobRecord

Loc = list[str | int]
TARGET_LOC: Loc = ["body", "target"]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Target)


def parse(stored: dict[str, Any]) -> Any:
    """A stored target (its JSON) as its model again (pydantic ValidationError when no longer valid)."""
    return _ADAPTER.validate_python(stored)


def _relocated(exc: TradewindError, loc: Loc) -> TradewindError:
    exc.problems = [
        FieldProblem([*loc, *p.loc[1:]], p.msg, p.type) if p.loc[:1] == ["body"] else p for p in exc.problems
    ]
    return exc


def check(tenant_id: str, target: Any, loc: Loc = TARGET_LOC) -> None:
    """Everything a submission of the target would check now (404/409/422/503), writing nothing."""
    from tradewind.commands import runs

    try:
        if isinstance(target, BacktestTarget):
            from tradewind.jobs.submit import resolve_backtest

            resolve_backtest(tenant_id, target.request)
        elif isinstance(target, OptimizationTarget):
            from tradewind.jobs.submit import check_size, resolve_optimization

            check_size(resolve_optimization(tenant_id, target.request))
        elif isinstance(target, PipelineTarget):
            from tradewind.pipeline.submit import resolve_run

            resolve_run(tenant_id, target.request)
    except TradewindError as exc:
        raise _relocated(exc, [*loc, "request"]) from None
    if isinstance(target, CommandTarget):
        runs.check(tenant_id, target.command, target.params, loc=[*loc, "params"])
    if isinstance(target, WorkflowTarget):
        from tradewind.workflows.service import get_workflow

        get_workflow(tenant_id, target.workflow_id, loc=[*loc, "workflow_id"])


def submit(tenant_id: str, target: Any, idempotency_key: str, name: str) -> JobRecord:
    """Start the target's job now (caps apply), at most once per ``idempotency_key``."""
    if isinstance(target, BacktestTarget):
        from tradewind.jobs.submit import submit_backtest

        request = target.request.model_copy(update={"name": target.request.name or name})
        return submit_backtest(tenant_id, request, idempotency_key)
    if isinstance(target, OptimizationTarget):
        from tradewind.jobs.submit import submit_optimization

        sweep = target.request.model_copy(update={"name": target.request.name or name})
        return submit_optimization(tenant_id, sweep, idempotency_key)
    if isinstance(target, PipelineTarget):
        from tradewind.pipeline.submit import submit_run

        run = target.request.model_copy(update={"name": target.request.name or name})
        return submit_run(tenant_id, run, idempotency_key)
    if isinstance(target, WorkflowTarget):
        from tradewind.workflows.runs import start_run

        return start_run(tenant_id, target.workflow_id, idempotency_key=idempotency_key)
    from tradewind.commands import runs

    return runs.start(
        tenant_id, target.command, target.params, run_name=name, idempotency_key=idempotency_key
    )
