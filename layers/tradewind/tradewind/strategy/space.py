"""Parameter spaces: the grid of combinations a sweep evaluates, filtered by constraints.

A combination set is columnar (``{name: array}``), so a 20,000-combination grid never becomes 20,000
Python dicts.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy.models import Constraint, Number, Parameter, Strategy

if TYPE_CHECKING:
    import numpy as np

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "!=": operator.ne,
}

# A space entry: fixed value, explicit list, or {"min", "max", "step"}.
SpaceEntry = Number | Sequence[Number] | Mapping[str, Number]
ConstraintLike = Constraint | Callable[[Mapping[str, "np.ndarray"]], "np.ndarray"]


def constraint_holds(c: Constraint, values: Mapping[str, Any]) -> Any:
    """Evaluate a constraint on scalars or on whole columns (then it returns a boolean mask)."""
    right = values[c.right] if isinstance(c.right, str) else c.right
    return _OPS[c.op](values[c.left], right)


def default_params(strategy: Strategy) -> dict[str, Number]:
    """The parameter values a plain backtest uses."""
    return {name: p.default for name, p in strategy.parameters.items()}


def _grid(p: Parameter) -> list[Number]:
    if p.choices:
        return list(p.choices)
    if p.step is None or p.min is None or p.max is None:
        return [p.default]
    count = math.floor((p.max - p.min) / p.step + 1e-9) + 1
    values = [p.min + i * p.step for i in range(count)]
    return [int(v) for v in values] if p.type == "int" else [round(v, 12) for v in values]


def is_swept(p: Parameter) -> bool:
    """Whether a parameter is a sweep dimension by default (it has choices or a stepped range)."""
    return bool(p.choices) or (p.step is not None and p.min is not None and p.max is not None)


def _entry_values(name: str, p: Parameter, entry: SpaceEntry) -> list[Number]:
    if isinstance(entry, Mapping):
        bounds = {"min": p.min, "max": p.max, "step": p.step or 1, **entry}
        return _grid(p.model_copy(update={"choices": None, **bounds}))
    if isinstance(entry, int | float):
        return [entry]
    return list(entry)


def _check_values(name: str, p: Parameter, values: list[Number]) -> list[FieldProblem]:
    loc: list[str | int] = ["space", name]
    if not values:
        return [FieldProblem(loc, "no values to try", "too_short")]
    problems = []
    if p.type == "int" and any(float(v) != int(v) for v in values):
        problems.append(FieldProblem(loc, "must be whole numbers for an int parameter", "int_type"))
    low, high = min(values), max(values)
    if (p.min is not None and low < p.min) or (p.max is not None and high > p.max):
        problems.append(FieldProblem(loc, f"values must lie within [{p.min}, {p.max}]", "range"))
    return problems


def expand(
    strategy: Strategy,
    space: Mapping[str, SpaceEntry] | None = None,
    constraints: Sequence[ConstraintLike] = (),
    max_combinations: int = 5_000_000,
) -> dict[str, np.ndarray]:
    """All combinations of the swept parameters (the others at their default) that pass every constraint.

    ``space`` overrides a parameter's values; without it, parameters with choices or a stepped range
    are swept. The document's constraints always apply; ``constraints`` adds more (a ``Constraint``
    or a function of the columns returning a boolean mask).
    """
    import numpy as np

    space = dict(space or {})
    problems = [
        FieldProblem(["space", name], f"unknown parameter '{name}'", "unknown_parameter")
        for name in space
        if name not in strategy.parameters
    ]
    axes: dict[str, list[Number]] = {}
    for name, p in strategy.parameters.items():
        if name in space:
            axes[name] = _entry_values(name, p, space[name])
            problems += _check_values(name, p, axes[name])
        else:
            axes[name] = _grid(p) if is_swept(p) else [p.default]
    size = math.prod(len(v) for v in axes.values())
    if size > max_combinations:
        problems.append(
            FieldProblem(["space"], f"{size} combinations exceed the limit of {max_combinations}", "too_long")
        )
    if problems:
        raise InvalidInput("The parameter space is invalid.", problems)
    if not axes:
        return {}
    mesh = np.meshgrid(*[np.asarray(v, dtype=np.float64) for v in axes.values()], indexing="ij")
    columns = {name: m.ravel() for name, m in zip(axes, mesh, strict=True)}
    keep = np.ones(size, dtype=bool)
    for c in [*strategy.constraints, *constraints]:
        keep &= np.asarray(
            constraint_holds(c, columns) if isinstance(c, Constraint) else c(columns), dtype=bool
        )
    return {name: col[keep] for name, col in columns.items()}
