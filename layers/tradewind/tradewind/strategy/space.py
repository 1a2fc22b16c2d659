"""Parameter spaces: the grid of combinations a sweep evaluates, filtered by constraints.

Every axis is counted arithmetically (a range's count from its bounds and step, a list's length)
and the product checked against the limit before a single value is built, so ``{"min": 2, "max":
1e15, "step": 1}`` is refused in constant time and memory. A combination set is columnar
(``{name: array}``), so a 20,000-combination grid never becomes 20,000 Python dicts.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.strategy import limits
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

MAX_COMBINATIONS = 5_000_000
"""The default limit on a grid's combinations (the API applies ``settings.max_sweep_combinations``)."""
RANGE_KEYS = ("min", "max", "step")

# A space entry: fixed value, explicit list, or {"min", "max", "step"}.
SpaceEntry = Number | Sequence[Number] | Mapping[str, Number]
ConstraintLike = Constraint | Callable[[Mapping[str, "np.ndarray"]], "np.ndarray"]
Loc = list[str | int]


def constraint_holds(c: Constraint, values: Mapping[str, Any]) -> Any:
    """Evaluate a constraint on scalars or on whole columns (then it returns a boolean mask)."""
    right = values[c.right] if isinstance(c.right, str) else c.right
    return _OPS[c.op](values[c.left], right)


def default_params(strategy: Strategy) -> dict[str, Number]:
    """The parameter values a plain backtest uses."""
    return {name: p.default for name, p in strategy.parameters.items()}


def is_swept(p: Parameter) -> bool:
    """Whether a parameter is a sweep dimension by default (it has choices or a stepped range)."""
    return bool(p.choices) or (p.step is not None and p.min is not None and p.max is not None)


def steps_between(low: Number, high: Number, step: Number) -> int:
    """How many of ``low, low + step, ...`` are <= ``high``, computed without enumerating them.

    A float quotient tolerates rounding (0.1 to 0.3 by 0.1 is 3 values); one too large for a float (a
    tiny step) is counted exactly with fractions. ``step`` must be > 0.
    """
    if high < low:
        return 0
    if isinstance(low, int) and isinstance(high, int) and isinstance(step, int):
        return (high - low) // step + 1
    ratio = (high - low) / step
    if math.isfinite(ratio):
        return math.floor(ratio + 1e-9) + 1
    return math.floor((Fraction(high) - Fraction(low)) / Fraction(step)) + 1


def amount(count: int) -> str:
    """A count for a message: exact with separators, or its order of magnitude when it is huge."""
    return f"{count:,}" if count < limits.MAGNITUDE else f"about 10^{len(str(count)) - 1}"


@dataclass(frozen=True)
class Axis:
    """One parameter's values: listed, or ``count`` steps from ``start``; sized before it is built."""

    count: int
    listed: tuple[Number, ...] | None = None
    start: Number = 0
    step: Number = 1
    integer: bool = False

    @classmethod
    def of(cls, values: Iterable[Number]) -> Axis:
        listed = tuple(values)
        return cls(len(listed), listed)

    @property
    def low(self) -> Number:
        return min(self.listed) if self.listed is not None else self.start

    @property
    def high(self) -> Number:
        return max(self.listed) if self.listed is not None else self._step(self.count - 1)

    def values(self) -> list[Number]:
        if self.listed is not None:
            return list(self.listed)
        return [self._step(i) for i in range(self.count)]

    def _step(self, i: int) -> Number:
        value = self.start + i * self.step
        return int(value) if self.integer else round(value, 12)


def _number(value: Any) -> Number:
    """numpy scalars (from the Python API) as plain ``int``/``float``."""
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _whole(value: Number) -> bool:
    return float(value) == int(value)


def _range(p: Parameter, low: Any, high: Any, step: Any, loc: Loc) -> Axis | list[FieldProblem]:
    """The axis ``low..high`` by ``step``, or what is wrong with the three numbers."""
    problems = []
    for key, value in zip(RANGE_KEYS, (low, high, step), strict=True):
        if value is None:
            problems.append(FieldProblem(loc, f"a range needs {key} (the parameter has none)", "missing"))
        elif (why := limits.problem(value)) is not None:
            problems.append(FieldProblem(loc, f"{key} {why}", "finite_number"))
    if problems:
        return problems
    low, high, step = _number(low), _number(high), _number(step)
    if step <= 0:
        return [FieldProblem(loc, f"step must be > 0 (got {step:g})", "greater_than")]
    if p.type == "int":
        if not all(_whole(v) for v in (low, high, step)):
            msg = "min, max and step must be whole numbers for an int parameter"
            return [FieldProblem(loc, msg, "int_type")]
        low, high, step = int(low), int(high), int(step)
    return Axis(steps_between(low, high, step), start=low, step=step, integer=p.type == "int")


def _listed(p: Parameter, values: Iterable[Any], loc: Loc) -> Axis | list[FieldProblem]:
    listed = list(values)
    for i, value in enumerate(listed):
        if (why := limits.problem(value)) is not None:
            return [FieldProblem([*loc, i], why, "finite_number")]
    axis = Axis.of(_number(v) for v in listed)
    if p.type == "int" and not all(_whole(v) for v in axis.values()):
        return [FieldProblem(loc, "must be whole numbers for an int parameter", "int_type")]
    return axis


def _entry_axis(p: Parameter, entry: Any, loc: Loc) -> Axis | list[FieldProblem]:
    """A space entry's axis: a mapping is a range over the parameter's own bounds and step."""
    if isinstance(entry, Mapping):
        unknown = [str(k) for k in entry if k not in RANGE_KEYS]
        if unknown:
            msg = f"unknown key(s) {', '.join(unknown)}: a range has min, max and step"
            return [FieldProblem(loc, msg, "extra_forbidden")]
        bounds = {"min": p.min, "max": p.max, "step": p.step or 1, **entry}
        return _range(p, bounds["min"], bounds["max"], bounds["step"], loc)
    if limits.is_number(entry):
        return _listed(p, [entry], loc)
    if isinstance(entry, Iterable) and not isinstance(entry, str | bytes):
        return _listed(p, entry, loc)
    return [FieldProblem(loc, "must be a number, a list of numbers or {min, max, step}", "type_error")]


def _own_axis(p: Parameter, loc: Loc) -> Axis | list[FieldProblem]:
    """A parameter's values when the space does not name it: its choices, stepped range or default."""
    if p.choices:
        return _listed(p, p.choices, loc)
    if is_swept(p):
        return _range(p, p.min, p.max, p.step, loc)
    return _listed(p, [p.default], loc)


def _bound_problems(p: Parameter, axis: Axis, loc: Loc) -> list[FieldProblem]:
    if axis.count == 0:
        return [FieldProblem(loc, "no values to try", "too_short")]
    if (p.min is not None and axis.low < p.min) or (p.max is not None and axis.high > p.max):
        return [FieldProblem(loc, f"values must lie within [{p.min}, {p.max}]", "range")]
    return []


def axes(
    strategy: Strategy,
    space: Mapping[str, SpaceEntry] | None = None,
    max_combinations: int = MAX_COMBINATIONS,
) -> dict[str, Axis]:
    """Every parameter's axis, checked and counted, nothing built: ``InvalidInput`` (locs
    ``["space", name]`` or ``["space"]``) for an unknown name, a bad entry or too many combinations."""
    space = dict(space or {})
    problems = [
        FieldProblem(["space", name], f"unknown parameter '{name}'", "unknown_parameter")
        for name in space
        if name not in strategy.parameters
    ]
    found: dict[str, Axis] = {}
    for name, p in strategy.parameters.items():
        loc: Loc = ["space", name]
        axis = _entry_axis(p, space[name], loc) if name in space else _own_axis(p, loc)
        if isinstance(axis, list):
            problems += axis
        elif axis.count > max_combinations:
            msg = f"{amount(axis.count)} values exceed the limit of {max_combinations:,} combinations"
            problems.append(FieldProblem(loc, msg, "too_long"))
        else:
            problems += _bound_problems(p, axis, loc)
            found[name] = axis
    size = math.prod(axis.count for axis in found.values())
    if not problems and size > max_combinations:
        counts = " x ".join(f"{axis.count:,}" for axis in found.values() if axis.count > 1)
        msg = f"{counts} = {size:,} combinations exceed the limit of {max_combinations:,}"
        problems.append(FieldProblem(["space"], msg, "too_long"))
    if problems:
        raise InvalidInput("The parameter space is invalid.", problems)
    return found


def count(
    strategy: Strategy,
    space: Mapping[str, SpaceEntry] | None = None,
    max_combinations: int = MAX_COMBINATIONS,
) -> int:
    """The grid's combinations before constraints, from the axes' counts alone."""
    return math.prod(axis.count for axis in axes(strategy, space, max_combinations).values())


def expand(
    strategy: Strategy,
    space: Mapping[str, SpaceEntry] | None = None,
    constraints: Sequence[ConstraintLike] = (),
    max_combinations: int = MAX_COMBINATIONS,
) -> dict[str, np.ndarray]:
    """All combinations of the swept parameters (the others at their default) that pass every constraint.

    ``space`` overrides a parameter's values; without it, parameters with choices or a stepped range
    are swept. The document's constraints always apply; ``constraints`` adds more (a ``Constraint``
    or a function of the columns returning a boolean mask). The grid is sized (:func:`axes`) before
    it is built.
    """
    import numpy as np

    found = axes(strategy, space, max_combinations)
    if not found:
        return {}
    mesh = np.meshgrid(*[np.asarray(a.values(), dtype=np.float64) for a in found.values()], indexing="ij")
    columns = {name: m.ravel() for name, m in zip(found, mesh, strict=True)}
    keep = np.ones(math.prod(a.count for a in found.values()), dtype=bool)
    for c in [*strategy.constraints, *constraints]:
        keep &= np.asarray(
            constraint_holds(c, columns) if isinstance(c, Constraint) else c(columns), dtype=bool
        )
    return {name: col[keep] for name, col in columns.items()}
