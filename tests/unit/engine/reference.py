"""A deliberately simple, one-combination, one-bar-at-a-time backtester written from docs/engine.md.

It shares nothing with the fast engine except the indicator functions (tested on their own against
pandas). Property tests run both on random strategies and data and demand identical results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from tradewind.engine.bars import Bars
from tradewind.indicators.compute import compute
from tradewind.indicators.registry import SPECS
from tradewind.strategy.models import AllOf, AnyOf, Between, Not, ParamRef, RiskExit, Strategy


@dataclass
class RefTrade:
    entry_bar: int
    exit_bar: int
    entry_price: float
    exit_price: float
    size: float
    pnl: float
    return_pct: float
    fees: float
    exit_reason: str
    is_open: bool


@dataclass
class RefResult:
    equity: list[float] = field(default_factory=list)
    trades: list[RefTrade] = field(default_factory=list)


class Position:
    def __init__(self, direction: int, units: float, price: float, fee: float, bar: int) -> None:
        self.direction = direction
        self.units = units  # signed
        self.price = price
        self.fee = fee
        self.bar = bar
        self.stop_level: float | None = None
        self.target_level: float | None = None
        self.peak_price = price  # best price since entry (highest high long, lowest low short)
        self.trail_atr_distance: float | None = None


def reference_backtest(strategy: Strategy, bars: Bars, params: dict[str, float], cash: float) -> RefResult:
    return _Reference(strategy, bars, params, cash).run()


class _Reference:
    def __init__(self, strategy: Strategy, bars: Bars, params: dict[str, float], cash: float) -> None:
        self.s, self.bars, self.params = strategy, bars, params
        self.cash = cash
        self.position: Position | None = None
        self.result = RefResult()
        self.values: dict[str, dict[str, np.ndarray]] = {}
        for name in strategy.indicators:
            self.indicator(name)
        risk = strategy.risk
        self.atr = None
        if any(
            e is not None and e.atr is not None
            for e in (risk.stop_loss, risk.take_profit, risk.trailing_stop)
        ):
            window = int(self.value(risk.atr_window))
            self.atr = compute("atr", bars.close, bars.columns(), {"window": window})["value"]

    # -- inputs ----------------------------------------------------------------------------------
    def value(self, v: object) -> float:
        if isinstance(v, ParamRef):
            return float(self.params[v.param])
        return float(v)  # type: ignore[arg-type]

    def indicator(self, name: str) -> dict[str, np.ndarray]:
        if name not in self.values:
            ind = self.s.indicators[name]
            spec = SPECS[ind.kind]
            params = {k: self.value(v) for k, v in ind.params.items()}
            source_name, _, output = ind.source.partition(".")
            if spec.inputs == "source" and source_name in self.s.indicators:
                upstream = self.indicator(source_name)
                source = upstream[output or SPECS[self.s.indicators[source_name].kind].default_output]
            elif spec.inputs == "source":
                source = self.bars.columns()[ind.source]
            else:
                source = self.bars.close
            self.values[name] = compute(ind.kind, source, self.bars.columns(), params)
        return self.values[name]

    def operand(self, v: object, t: int) -> float:
        if isinstance(v, str):
            name, _, output = v.partition(".")
            if name in self.bars.columns() and not output:
                return float(self.bars.columns()[name][t])
            outputs = self.indicator(name)
            return float(outputs[output or SPECS[self.s.indicators[name].kind].default_output][t])
        return self.value(v)

    def holds(self, c: object, t: int) -> bool:
        if isinstance(c, AllOf):
            return all(self.holds(x, t) for x in c.of)
        if isinstance(c, AnyOf):
            return any(self.holds(x, t) for x in c.of)
        if isinstance(c, Not):
            return not self.holds(c.of, t)
        if isinstance(c, Between):
            x = self.operand(c.left, t)
            return self.operand(c.lower, t) <= x <= self.operand(c.upper, t)
        a, b = self.operand(c.left, t), self.operand(c.right, t)  # type: ignore[attr-defined]
        op = c.op  # type: ignore[attr-defined]
        if op == ">":
            return a > b
        if op == "<":
            return a < b
        if op == ">=":
            return a >= b
        if op == "<=":
            return a <= b
        if t == 0:
            return False
        pa, pb = self.operand(c.left, t - 1), self.operand(c.right, t - 1)  # type: ignore[attr-defined]
        if op == "crosses_above":
            return a > b and pa <= pb
        return a < b and pa >= pb

    def action(self, t: int) -> str | None:
        """The highest-priority enabled rule that holds (earliest in the list on a tie), direction-mapped."""
        best = None
        for rule in self.s.rules:
            if rule.enabled and self.holds(rule.when, t) and (best is None or rule.priority > best.priority):
                best = rule
        if best is None:
            return None
        act = best.action
        if self.s.direction == "long_only":
            return {"short": "close", "cover": None}.get(act, act)
        if self.s.direction == "short_only":
            return {"buy": "close", "sell": None}.get(act, act)
        return act

    # -- fills -----------------------------------------------------------------------------------
    def fee(self, units: float, price: float) -> float:
        return abs(units) * price * self.s.costs.commission + self.s.costs.commission_fixed

    def slipped(self, price: float, buying: bool) -> float:
        slip = self.s.costs.slippage_bps / 10_000.0
        return price * (1.0 + slip) if buying else price * (1.0 - slip)

    def exit(self, bar: int, raw_price: float, reason: str) -> None:
        pos = self.position
        assert pos is not None
        price = self.slipped(raw_price, buying=pos.direction < 0)
        fee = self.fee(pos.units, price)
        self.cash = self.cash + (pos.units * price - fee)
        pnl = pos.units * (price - pos.price) - pos.fee - fee
        ret = pnl / (abs(pos.units) * pos.price) * 100.0
        self.result.trades.append(
            RefTrade(pos.bar, bar, pos.price, price, pos.units, pnl, ret, pos.fee + fee, reason, False)
        )
        self.position = None

    def distance(self, spec: RiskExit, price: float, atr_bar: int) -> float:
        if spec.pct is not None:
            return price * self.value(spec.pct) / 100.0
        assert self.atr is not None
        return self.value(spec.atr) * float(self.atr[atr_bar])

    def enter(self, bar: int, direction: int, raw_price: float, atr_bar: int) -> None:
        costs, sizing = self.s.costs, self.s.sizing
        price = self.slipped(raw_price, buying=direction > 0)
        if sizing.mode == "units":
            qty = self.value(sizing.value)
        else:
            budget = self.cash if sizing.mode == "all_in" else self.cash * self.value(sizing.value)
            qty = (budget - costs.commission_fixed) / (price * (1.0 + costs.commission))
        if not sizing.fractional:
            qty = math.floor(qty)
        if not qty > 0:
            return
        units = direction * qty
        fee = qty * price * costs.commission + costs.commission_fixed
        self.cash = self.cash - (units * price + fee)
        pos = Position(direction, units, price, fee, bar)
        risk = self.s.risk
        if risk.stop_loss is not None:
            pos.stop_level = price - direction * self.distance(risk.stop_loss, price, atr_bar)
        if risk.take_profit is not None:
            pos.target_level = price + direction * self.distance(risk.take_profit, price, atr_bar)
        if risk.trailing_stop is not None and risk.trailing_stop.atr is not None:
            pos.trail_atr_distance = self.distance(risk.trailing_stop, price, atr_bar)
        self.position = pos

    def order(self, action: str | None, bar: int, raw_price: float, atr_bar: int) -> None:
        """Apply an action: a reversal closes first ("reversal"), then opens the other side."""
        current = 0 if self.position is None else self.position.direction
        wanted = {
            None: current,
            "buy": 1,
            "short": -1,
            "close": 0,
            "sell": 0 if current == 1 else current,
            "cover": 0 if current == -1 else current,
        }[action]
        if wanted == current:
            return
        if self.position is not None:
            self.exit(bar, raw_price, "reversal" if wanted != 0 else "signal")
        if wanted != 0:
            self.enter(bar, wanted, raw_price, atr_bar)

    def check_risk(self, t: int) -> None:
        pos = self.position
        if pos is None:
            return
        o, h, lo = (float(self.bars.open[t]), float(self.bars.high[t]), float(self.bars.low[t]))
        d = pos.direction
        # The effective stop: the tighter of the fixed stop and the trailing stop.
        stop, stop_reason = pos.stop_level, "stop_loss"
        trailing = self.s.risk.trailing_stop
        if trailing is not None:
            if trailing.pct is not None:
                trail = pos.peak_price - d * (pos.peak_price * self.value(trailing.pct) / 100.0)
            else:
                assert pos.trail_atr_distance is not None
                trail = pos.peak_price - d * pos.trail_atr_distance
            if not math.isnan(trail) and (stop is None or math.isnan(stop) or d * trail > d * stop):
                stop, stop_reason = trail, "trailing_stop"
        target = pos.target_level
        stop_ok = stop is not None and not math.isnan(stop)
        target_ok = target is not None and not math.isnan(target)
        if d > 0:
            gap_stop, hit_stop = stop_ok and o <= stop, stop_ok and lo <= stop  # type: ignore[operator]
            gap_target, hit_target = target_ok and o >= target, target_ok and h >= target  # type: ignore[operator]
        else:
            gap_stop, hit_stop = stop_ok and o >= stop, stop_ok and h >= stop  # type: ignore[operator]
            gap_target, hit_target = target_ok and o <= target, target_ok and lo <= target  # type: ignore[operator]
        if gap_stop:
            self.exit(t, o, stop_reason)
        elif gap_target:
            self.exit(t, o, "take_profit")
        elif hit_stop:
            self.exit(t, stop, stop_reason)  # type: ignore[arg-type]
        elif hit_target:
            self.exit(t, target, "take_profit")  # type: ignore[arg-type]
        else:
            pos.peak_price = max(pos.peak_price, h) if d > 0 else min(pos.peak_price, lo)

    def run(self) -> RefResult:
        n = len(self.bars)
        next_open = self.s.execution.fill == "next_open"
        pending: str | None = None
        for t in range(n):
            if next_open and t > 0:
                self.order(pending, t, float(self.bars.open[t]), t - 1)
            self.check_risk(t)
            act = self.action(t)
            if next_open:
                pending = act
            else:
                self.order(act, t, float(self.bars.close[t]), t)
            if t == n - 1 and self.s.execution.close_at_end and self.position is not None:
                self.exit(t, float(self.bars.close[t]), "end_of_data")
            units = 0.0 if self.position is None else self.position.units
            self.result.equity.append(self.cash + units * float(self.bars.close[t]))
        pos = self.position
        if pos is not None:
            last = float(self.bars.close[-1])
            pnl = pos.units * (last - pos.price) - pos.fee
            ret = pnl / (abs(pos.units) * pos.price) * 100.0
            self.result.trades.append(
                RefTrade(pos.bar, n - 1, pos.price, last, pos.units, pnl, ret, pos.fee, "end_of_data", True)
            )
        return self.result
