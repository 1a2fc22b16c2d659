"""The organisation's job defaults, applied while a backtest or optimization request is resolved.

Precedence, field by field: what the request says; for costs, then the strategy document's own
costs when it declares any (a non-zero commission or slippage); then the organisation's
``job_defaults``; then the built-in defaults (10,000 cash, no costs). Applied in
``tradewind.jobs.submit`` so every way a job is made (the API, a schedule's fire, a workflow step)
gets them; the resolved spec holds the values, so the job's result and its cache key show them.
"""

from __future__ import annotations

from typing import TypeVar

from tradewind.jobs.spec import BacktestRequest, OptimizationRequest
from tradewind.strategy.models import Costs, Strategy

R = TypeVar("R", BacktestRequest, OptimizationRequest)


def apply_job_defaults(org_id: str, request: R, strategy: Strategy) -> tuple[R, Strategy]:
    """``request`` with the organisation's cash when it gave none, and ``strategy`` with the costs to run."""
    from tradewind.orgsettings.store import get_settings

    defaults = get_settings(org_id).body.job_defaults
    if "cash" not in request.model_fields_set:
        request = request.model_copy(update={"cash": defaults.cash})
    if request.costs is not None:
        costs = request.costs
    elif strategy.costs != Costs():
        return request, strategy
    else:
        costs = Costs(
            commission=defaults.commission,
            commission_fixed=defaults.commission_fixed,
            slippage_bps=defaults.slippage_bps,
        )
    return request, strategy.model_copy(update={"costs": costs})
