"""How a portfolio's cash is split between its symbols: one rule for submit, plan, workers and reduce.

Pure and light (no pandas): the API checks a request's weights with the same function the engine
uses to split the cash, so a weight the API accepts is one the workflow runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy import limits


def weight_problems(symbols: list[str], weights: Mapping[str, float] | None) -> list[FieldProblem]:
    """Given weights must name known symbols, be finite and >= 0 and not sum to 0 (locs under
    ``["weights"]``)."""
    if weights is None:
        return []
    problems = [
        FieldProblem(["weights", k], f"{k} is not one of the symbols", "unknown_symbol")
        for k in weights
        if k not in symbols
    ]
    for k, v in weights.items():
        if not limits.in_range(v):  # the API's models refuse these; the Python API reaches here
            problems.append(FieldProblem(["weights", k], limits.NOT_FINITE, "finite_number"))
        elif v < 0:
            problems.append(FieldProblem(["weights", k], "must be >= 0", "greater_than_equal"))
    if sum(weights.get(s, 0.0) for s in symbols) <= 0:
        problems.append(
            FieldProblem(["weights"], "the symbols' weights must sum to more than 0", "greater_than")
        )
    return problems


def normalized_weights(symbols: list[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    """Each symbol's share of the cash: equal by default, else the weights scaled to sum to 1."""
    if weights is None:
        return {s: 1.0 / len(symbols) for s in symbols}
    problems = weight_problems(symbols, weights)
    if problems:
        raise InvalidInput("The portfolio weights are invalid.", problems)
    total = sum(weights.get(s, 0.0) for s in symbols)
    return {s: weights.get(s, 0.0) / total for s in symbols}
