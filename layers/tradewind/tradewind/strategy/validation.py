"""Whole-document checks that report every problem at once, each located by its JSON path.

Structural errors come from pydantic; the cross-field rules below (references, cycles, ranges, data
length) need the whole document, so they run once the structure is sound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from tradewind.errors import FieldProblem, InvalidInput
from tradewind.indicators.registry import SPECS
from tradewind.strategy.models import (
    PRICE_COLUMNS,
    AllOf,
    AnyOf,
    Between,
    Comparison,
    Condition,
    Not,
    Parameter,
    ParamRef,
    RiskExit,
    Strategy,
    Value,
)
from tradewind.strategy.space import MAX_COMBINATIONS, amount, steps_between

Loc = list[str | int]


def parse_strategy(document: Any, n_bars: int | None = None) -> Strategy:
    """Parse and validate a document (dict, JSON text or model); ``InvalidInput`` lists all problems."""
    try:
        if isinstance(document, Strategy):
            strategy = document
        elif isinstance(document, str | bytes):
            strategy = Strategy.model_validate_json(document)
        else:
            strategy = Strategy.model_validate(document)
    except ValidationError as exc:
        problems = [FieldProblem(list(e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
        raise InvalidInput("The strategy document is invalid.", problems) from exc
    problems = check_strategy(strategy, n_bars)
    if problems:
        raise InvalidInput("The strategy document is invalid.", problems)
    return strategy


def check_strategy(strategy: Strategy, n_bars: int | None = None) -> list[FieldProblem]:
    """Every cross-field problem of a structurally valid document (empty when it is sound)."""
    return list(_Checker(strategy, n_bars).run())


def check_windows(
    strategy: Strategy, n_bars: int, values: Mapping[str, Sequence[float]] | None = None
) -> list[FieldProblem]:
    """Windows longer than the data, for the parameter ``values`` actually run (default: whole ranges)."""
    return list(_Checker(strategy, n_bars, values).windows())


def parameter_values(p: Parameter) -> list[float]:
    """The extreme values a parameter can take (default, bounds, choices): what range checks need."""
    values = [p.default, *(v for v in (p.min, p.max) if v is not None), *(p.choices or [])]
    return [float(v) for v in values]


def _range_size(low: float, high: float, step: float, loc: Loc) -> Iterator[FieldProblem]:
    """A sweep range is counted, never enumerated: one with more values than a grid may hold is
    refused with its count."""
    count = steps_between(low, high, step)
    if count > MAX_COMBINATIONS:
        msg = f"min..max by step is {amount(count)} values, above the limit of {MAX_COMBINATIONS:,}"
        yield FieldProblem(loc, msg, "too_long")


class _Checker:
    def __init__(
        self, strategy: Strategy, n_bars: int | None, values: Mapping[str, Sequence[float]] | None = None
    ) -> None:
        self.s = strategy
        self.n_bars = n_bars
        self.overrides = values or {}

    def run(self) -> Iterator[FieldProblem]:
        yield from self._parameters()
        yield from self._constraints()
        yield from self._indicators()
        yield from self._cycles()
        yield from self._rules()
        yield from self._sizing()
        yield from self._risk()

    # -- helpers ---------------------------------------------------------------------------------
    def _values(self, value: Value) -> list[float] | None:
        """Possible values of a constant or parameter reference (None: unknown parameter)."""
        if isinstance(value, ParamRef):
            if value.param in self.overrides:
                return [float(v) for v in self.overrides[value.param]]
            p = self.s.parameters.get(value.param)
            return None if p is None else parameter_values(p)
        return [float(value)]

    def _ref(self, value: Value, loc: Loc) -> Iterator[FieldProblem]:
        if isinstance(value, ParamRef) and value.param not in self.s.parameters:
            yield FieldProblem([*loc, "param"], f"unknown parameter '{value.param}'", "unknown_parameter")

    def _series(self, ref: str, loc: Loc) -> Iterator[FieldProblem]:
        name, _, output = ref.partition(".")
        if name in PRICE_COLUMNS and not output:
            return
        indicator = self.s.indicators.get(name)
        if indicator is None:
            yield FieldProblem(
                loc, f"unknown series '{ref}': not a price column nor an indicator", "unknown_series"
            )
            return
        outputs = SPECS[indicator.kind].outputs
        if output and output not in outputs:
            yield FieldProblem(
                loc, f"'{name}' has no output '{output}' (outputs: {', '.join(outputs)})", "unknown_output"
            )

    def _positive(self, value: Value, loc: Loc, what: str) -> Iterator[FieldProblem]:
        yield from self._ref(value, loc)
        values = self._values(value)
        if values and min(values) <= 0:
            yield FieldProblem(loc, f"{what} must be > 0", "greater_than")

    # -- sections --------------------------------------------------------------------------------
    def _parameters(self) -> Iterator[FieldProblem]:
        for name, p in self.s.parameters.items():
            loc: Loc = ["parameters", name]
            if p.type == "int":
                for field in ("default", "min", "max", "step"):
                    v = getattr(p, field)
                    if v is not None and float(v) != int(v):
                        yield FieldProblem(
                            [*loc, field], "must be a whole number for an int parameter", "int_type"
                        )
                if p.choices and any(float(c) != int(c) for c in p.choices):
                    yield FieldProblem(
                        [*loc, "choices"], "must be whole numbers for an int parameter", "int_type"
                    )
            if p.min is not None and p.max is not None and p.min > p.max:
                yield FieldProblem([*loc, "min"], f"min {p.min} is above max {p.max}", "range")
            if p.min is not None and p.default < p.min:
                yield FieldProblem([*loc, "default"], f"default {p.default} is below min {p.min}", "range")
            if p.max is not None and p.default > p.max:
                yield FieldProblem([*loc, "default"], f"default {p.default} is above max {p.max}", "range")
            if p.step is not None:
                if p.step <= 0:
                    yield FieldProblem([*loc, "step"], "step must be > 0", "greater_than")
                elif p.min is not None and p.max is not None:
                    yield from _range_size(p.min, p.max, p.step, [*loc, "step"])
                if p.min is None or p.max is None:
                    yield FieldProblem([*loc, "step"], "a step needs both min and max", "missing")
            if p.choices is not None and not p.choices:
                yield FieldProblem([*loc, "choices"], "choices must not be empty", "too_short")
            for i, c in enumerate(p.choices or []):
                if (p.min is not None and c < p.min) or (p.max is not None and c > p.max):
                    yield FieldProblem([*loc, "choices", i], f"choice {c} is outside [min, max]", "range")

    def _constraints(self) -> Iterator[FieldProblem]:
        from tradewind.strategy.space import constraint_holds

        defaults = {n: float(p.default) for n, p in self.s.parameters.items()}
        for i, c in enumerate(self.s.constraints):
            known = True
            for side in ("left", "right"):
                name = getattr(c, side)
                if isinstance(name, str) and name not in self.s.parameters:
                    known = False
                    yield FieldProblem(
                        ["constraints", i, side], f"unknown parameter '{name}'", "unknown_parameter"
                    )
            if known and not constraint_holds(c, defaults):
                yield FieldProblem(
                    ["constraints", i], "the parameters' defaults violate this constraint", "constraint"
                )

    def _indicators(self) -> Iterator[FieldProblem]:
        for ident, ind in self.s.indicators.items():
            loc: Loc = ["indicators", ident]
            spec = SPECS[ind.kind]
            if ident in PRICE_COLUMNS:
                yield FieldProblem(
                    loc, f"'{ident}' is a price column and cannot name an indicator", "reserved"
                )
            if spec.inputs == "source":
                yield from self._series(ind.source, [*loc, "source"])
            elif "source" in ind.model_fields_set:
                yield FieldProblem(
                    [*loc, "source"], f"{ind.kind} reads the bars directly; remove source", "extra"
                )
            for pname, value in ind.params.items():
                ploc: Loc = [*loc, "params", pname]
                pspec = spec.params.get(pname)
                if pspec is None:
                    known = ", ".join(spec.params)
                    yield FieldProblem(
                        ploc, f"{ind.kind} has no parameter '{pname}' (has: {known})", "unknown_field"
                    )
                    continue
                yield from self._ref(value, ploc)
                values = self._values(value)
                if values is None:
                    continue
                if pspec.integer and any(v != int(v) for v in values):
                    yield FieldProblem(ploc, "must be a whole number", "int_type")
                if min(values) < pspec.minimum:
                    yield FieldProblem(ploc, f"must be >= {pspec.minimum:g}", "greater_than_equal")
        if self.n_bars is not None:
            yield from self.windows()

    def windows(self) -> Iterator[FieldProblem]:
        """Indicator windows and the ATR window longer than ``n_bars``."""
        n_bars = self.n_bars
        if n_bars is None:
            return
        for ident, ind in self.s.indicators.items():
            spec = SPECS[ind.kind]
            for pname, value in ind.params.items():
                pspec = spec.params.get(pname)
                values = self._values(value) if pspec is not None and pspec.is_window else None
                if values and max(values) > n_bars:
                    msg = f"window {max(values):g} is longer than the data ({n_bars} bars)"
                    yield FieldProblem(["indicators", ident, "params", pname], msg, "too_long")
        risk = self.s.risk
        exits = (risk.stop_loss, risk.take_profit, risk.trailing_stop)
        values = self._values(risk.atr_window)
        if any(e is not None and e.atr is not None for e in exits) and values and max(values) > n_bars:
            msg = f"window is longer than the data ({n_bars} bars)"
            yield FieldProblem(["risk", "atr_window"], msg, "too_long")

    def _cycles(self) -> Iterator[FieldProblem]:
        deps = {
            ident: ind.source.partition(".")[0]
            for ident, ind in self.s.indicators.items()
            if SPECS[ind.kind].inputs == "source"
        }
        reported: set[str] = set()
        for start in deps:
            seen: list[str] = []
            node: str | None = start
            while node in deps and node not in seen:
                seen.append(node)
                node = deps[node]
            if node == start and start not in reported:
                reported.update(seen)
                cycle = " -> ".join([*seen, start])
                yield FieldProblem(
                    ["indicators", start, "source"], f"indicators form a cycle: {cycle}", "cycle"
                )

    def _rules(self) -> Iterator[FieldProblem]:
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.s.rules):
            if rule.id in seen:
                yield FieldProblem(
                    ["rules", i, "id"],
                    f"duplicate rule id '{rule.id}' (also rules[{seen[rule.id]}])",
                    "duplicate",
                )
            seen.setdefault(rule.id, i)
            yield from self._condition(rule.when, ["rules", i, "when"])
        if not any(r.enabled for r in self.s.rules):
            yield FieldProblem(["rules"], "at least one rule must be enabled", "missing")

    def _operand(self, value: object, loc: Loc) -> Iterator[FieldProblem]:
        if isinstance(value, str):
            yield from self._series(value, loc)
        elif isinstance(value, ParamRef):
            yield from self._ref(value, loc)

    def _condition(self, cond: Condition, loc: Loc) -> Iterator[FieldProblem]:
        if isinstance(cond, AllOf | AnyOf):
            for j, sub in enumerate(cond.of):
                yield from self._condition(sub, [*loc, "of", j])
        elif isinstance(cond, Not):
            yield from self._condition(cond.of, [*loc, "of"])
        elif isinstance(cond, Comparison | Between):
            sides = ("left", "right") if isinstance(cond, Comparison) else ("left", "lower", "upper")
            for side in sides:
                yield from self._operand(getattr(cond, side), [*loc, side])
            if not any(isinstance(getattr(cond, side), str) for side in sides):
                yield FieldProblem(loc, "at least one operand must be a series", "constant_condition")

    def _sizing(self) -> Iterator[FieldProblem]:
        sizing = self.s.sizing
        loc: Loc = ["sizing", "value"]
        if sizing.mode == "all_in":
            if sizing.value is not None:
                yield FieldProblem(loc, "all_in takes no value", "extra")
            return
        if sizing.value is None:
            yield FieldProblem(loc, f"{sizing.mode} needs a value", "missing")
            return
        yield from self._positive(sizing.value, loc, "the sizing value")
        values = self._values(sizing.value)
        if sizing.mode == "fraction" and values and max(values) > 1:
            yield FieldProblem(loc, "a fraction of equity must be <= 1", "less_than_equal")

    def _risk(self) -> Iterator[FieldProblem]:
        risk = self.s.risk
        for name in ("stop_loss", "take_profit", "trailing_stop"):
            exit_: RiskExit | None = getattr(risk, name)
            if exit_ is None:
                continue
            loc: Loc = ["risk", name]
            if (exit_.pct is None) == (exit_.atr is None):
                yield FieldProblem(loc, "give exactly one of pct or atr", "one_of")
                continue
            if exit_.pct is not None:
                yield from self._positive(exit_.pct, [*loc, "pct"], "a percentage")
                values = self._values(exit_.pct)
                if name != "take_profit" and values and max(values) >= 100:
                    yield FieldProblem([*loc, "pct"], "a stop distance must be < 100%", "less_than")
            else:
                assert exit_.atr is not None
                yield from self._positive(exit_.atr, [*loc, "atr"], "an ATR multiple")
        yield from self._ref(risk.atr_window, ["risk", "atr_window"])
        values = self._values(risk.atr_window)
        if values and (min(values) < 1 or any(v != int(v) for v in values)):
            yield FieldProblem(["risk", "atr_window"], "must be a whole number >= 1", "int_type")
