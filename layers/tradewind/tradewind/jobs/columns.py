"""The columns of an optimization's result table (``table.parquet`` / ``table.csv``) and the
parameter names they reserve (docs/jobs.md, Results).

A row is one combination (per walk-forward window): ``combination``, ``wf_window`` (walk-forward only),
one column per strategy parameter under the parameter's own name, then one per metric. Parameters keep
their names so the table reads as the strategy does (a ``window`` parameter is ``window``, as in
rsi_mean_reversion), so the other columns take names no useful parameter needs, and a parameter
named like one of them is refused at submission (422 naming it) rather than overwriting a column.
The API's rows keep the parts apart (``{"combination", "window", "params", "metrics"}``).

No pandas or pynamodb here (the API's submit path imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradewind.errors import FieldProblem

if TYPE_CHECKING:
    from tradewind.jobs.spec import OptimizationRequest
    from tradewind.strategy.models import Strategy

COMBINATION = "combination"
WF_WINDOW = "wf_window"
"""The walk-forward window's number (tables written before it was namespaced call it ``window``)."""


def reserved() -> frozenset[str]:
    """Names a parameter may not take in an optimization: the table's other columns."""
    from tradewind.metrics.catalog import METRICS

    return frozenset({COMBINATION, WF_WINDOW, *METRICS})


def parameter_problems(strategy: Strategy, request: OptimizationRequest) -> list[FieldProblem]:
    """A 422 problem for each parameter named like another column of the result table."""
    taken = reserved()
    problems = []
    for name in strategy.parameters:
        if name in taken:
            loc: list[str | int] = (
                ["body", "strategy", "parameters", name]
                if request.strategy is not None
                else ["body", "strategy_id"]
            )
            msg = (
                f"parameter '{name}' has the name of a result column (reserved: combination, wf_window and "
                "the metric ids); rename it to optimize this strategy"
            )
            problems.append(FieldProblem(loc, msg, "reserved_name"))
    return problems
