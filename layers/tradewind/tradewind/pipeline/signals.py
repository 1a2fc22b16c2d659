"""A strategy's decisions on one symbol's bars, as signal rows (docs/pipeline.md, Signals).

A backtest decides on each bar's close: every enabled rule whose condition holds competes, the
highest priority wins (the first listed on a tie), and ``direction`` maps the winner's action, which
may map to nothing. That is ``engine.signals.SignalPlan``'s action code for one combination; this
module evaluates the rules with the engine's own plan and evaluator, so it decides exactly what a
backtest decides, and adds which rule won, how clearly (the strength) and what the rule read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tradewind.engine.api import check_data_length, single_params
from tradewind.engine.bars import Bars
from tradewind.engine.signals import (
    ACTION_CODES,
    BUY,
    DIRECTION_MAP,
    NONE,
    SHORT,
    ConditionEvaluator,
    SignalPlan,
)
from tradewind.strategy.models import AllOf, AnyOf, Between, Condition, Not, Strategy

ACTION_NAMES = {code: name for name, code in ACTION_CODES.items()}
COLUMNS = ("bar", "time", "rule", "action", "side", "strength", "close", "values")


@dataclass(frozen=True)
class SignalTable:
    """One row per bar with a decision, in time order (``values``: the series the rule read)."""

    bar: np.ndarray  # int64 bar numbers
    time: np.ndarray  # datetime64[ns]
    rule: list[str]
    action: list[str]
    side: list[str]
    strength: np.ndarray  # float64
    close: np.ndarray  # float64
    values: list[dict[str, float | None]]

    def __len__(self) -> int:
        return int(self.bar.size)


def side_of(code: int) -> str:
    """The position an action asks for: ``buy`` long, ``short`` short, the others flat."""
    return "long" if code == BUY else "short" if code == SHORT else "flat"


def decisions(strategy: Strategy, plan: SignalPlan) -> tuple[np.ndarray, np.ndarray]:
    """Per bar, the decided action code (``NONE`` for no decision) and the deciding rule's index in
    ``strategy.rules`` (-1 for none): rules are applied lowest priority first, so later ones win,
    exactly as ``SignalPlan`` writes its code matrix."""
    n = len(plan.bars)
    mapping = DIRECTION_MAP[strategy.direction]
    evaluator = ConditionEvaluator(plan, 0, 1)
    code, winner = np.zeros(n, dtype=np.int8), np.full(n, -1, dtype=np.int64)
    enabled = sorted(
        ((rule.priority, -i, i) for i, rule in enumerate(strategy.rules) if rule.enabled),
        key=lambda item: item[:2],
    )
    for *_, i in enabled:
        rule = strategy.rules[i]
        fired = np.broadcast_to(evaluator.condition(rule.when), (1, n))[0]
        action = ACTION_CODES[rule.action]
        code[fired] = mapping.get(action, action)
        winner[fired] = i
    return code, winner


def scan(bars: Bars, strategy: Strategy, params: Mapping[str, float] | None = None) -> SignalTable:
    """Every decision the strategy (with ``params`` over its defaults) takes on ``bars``.

    Raises ``InvalidInput`` when an indicator window is longer than the bars, as a backtest does.
    """
    columns = single_params(strategy, params)
    check_data_length(strategy, columns, len(bars))
    plan = SignalPlan(strategy, bars, columns, 1)
    code, winner = decisions(strategy, plan)
    at = np.flatnonzero(code != NONE)
    strength = np.full(at.size, np.nan)
    values: list[dict[str, float | None]] = [{} for _ in range(at.size)]
    for i in np.unique(winner[at]):
        rows = np.flatnonzero(winner[at] == i)
        when = strategy.rules[int(i)].when
        strength[rows] = Strength(plan).gap(when)[at[rows]]
        for ref in referenced(when):
            series = _series(plan, ref)[at[rows]]
            for row, value in zip(rows.tolist(), series.tolist(), strict=True):
                values[row][ref] = None if value != value else value  # NaN -> None
    return SignalTable(
        bar=at.astype(np.int64),
        time=bars.index[at],
        rule=[strategy.rules[int(i)].id for i in winner[at]],
        action=[ACTION_NAMES[int(c)] for c in code[at]],
        side=[side_of(int(c)) for c in code[at]],
        strength=np.round(strength, 6),
        close=bars.close[at],
        values=values,
    )


def referenced(condition: Condition) -> list[str]:
    """The series a condition reads (price columns and indicator outputs), in first-read order."""
    found: list[str] = []

    def visit(c: Condition) -> None:
        if isinstance(c, AllOf | AnyOf):
            for sub in c.of:
                visit(sub)
        elif isinstance(c, Not):
            visit(c.of)
        else:
            operands = (c.left, c.lower, c.upper) if isinstance(c, Between) else (c.left, c.right)
            found.extend(v for v in operands if isinstance(v, str) and v not in found)

    visit(condition)
    return found


def _series(plan: SignalPlan, ref: str) -> np.ndarray:
    series = plan.series(ref)
    return series.matrix[int(series.column[0])]


class Strength:
    """How clearly a condition holds on each bar: the relative gap between what it compares.

    A comparison (or cross) scores ``|left - right| / max(|left|, |right|)`` capped at 1: 0 on the
    threshold, 1 when the sides differ by the larger one's whole size; ``between`` the gap to the
    nearer bound over the largest magnitude; ``all`` its weakest part, ``any`` its strongest part
    that holds (every part when none does), ``not`` its part's gap (how far from flipping).
    """

    def __init__(self, plan: SignalPlan) -> None:
        self.plan = plan
        self.n = len(plan.bars)
        self.evaluator = ConditionEvaluator(plan, 0, 1)

    def operand(self, v: object) -> np.ndarray:
        if isinstance(v, str):
            return _series(self.plan, v)
        return np.full(self.n, float(self.plan.value(v)[0]))  # type: ignore[arg-type]

    def holds(self, c: Condition) -> np.ndarray:
        return np.broadcast_to(self.evaluator.condition(c), (1, self.n))[0]

    def gap(self, c: Condition) -> np.ndarray:
        if isinstance(c, AllOf):
            return np.minimum.reduce([self.gap(sub) for sub in c.of])
        if isinstance(c, AnyOf):
            gaps = np.vstack([self.gap(sub) for sub in c.of])
            holds = np.vstack([self.holds(sub) for sub in c.of])
            some = holds.any(axis=0)
            return np.where(some, np.where(holds, gaps, -np.inf).max(axis=0), gaps.max(axis=0))
        if isinstance(c, Not):
            return self.gap(c.of)
        if isinstance(c, Between):
            x, lo, hi = (self.operand(v) for v in (c.left, c.lower, c.upper))
            scale = np.maximum.reduce([np.abs(x), np.abs(lo), np.abs(hi)])
            return _relative(np.abs(np.minimum(x - lo, hi - x)), scale)
        a, b = self.operand(c.left), self.operand(c.right)
        return _relative(np.abs(a - b), np.maximum(np.abs(a), np.abs(b)))


def _relative(gap: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``gap / scale`` capped at 1; 0 when both are 0; NaN when an operand was not a number."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(scale > 0, gap / scale, np.where(gap == 0, 0.0, np.nan))
    return np.minimum(ratio, 1.0)
