"""The fill rules for one combination with plain Python floats (docs/engine.md).

A single backtest visits ~100 bars with one combination, where numpy's per-call overhead on
one-element arrays costs more than the arithmetic. The formulas are those of the vector simulator,
in the same signed price space (``d * price``) and the same order, so both give identical results;
the property tests run both against the reference.
"""

from __future__ import annotations

import math

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.signals import ChunkSignals
from tradewind.engine.simulate import (
    TARGET,
    Changes,
    ExitRule,
    SimResult,
    SimSettings,
    exposure_of,
    fees_of,
    trade_table,
    with_next,
)
from tradewind.engine.trades import EXIT_REASONS

_REASON = {name: i for i, name in enumerate(EXIT_REASONS)}
_NAN = math.nan
_TARGETS = TARGET.reshape(-1, 3).tolist()


def _fmax(a: float, b: float) -> float:
    """numpy's fmax: the larger, ignoring a NaN."""
    if math.isnan(a):
        return b
    if math.isnan(b):
        return a
    return a if a >= b else b


def simulate_one(bars: Bars, signals: ChunkSignals, cfg: SimSettings) -> SimResult:
    """Simulate the single combination of ``signals``; the result has the vector path's shape."""
    return _One(bars, signals, cfg).run()


class _One:
    def __init__(self, bars: Bars, signals: ChunkSignals, cfg: SimSettings) -> None:
        self.cfg = cfg
        self.codes = signals.codes[0]
        self.bars = bars
        risky = cfg.has_risk_exits  # only risk exits read every bar's open, high and low
        self.open: list[float] = bars.open.tolist() if risky else []
        self.high: list[float] = bars.high.tolist() if risky else []
        self.low: list[float] = bars.low.tolist() if risky else []
        self.atr = None if signals.atr is None else signals.atr[:, 0].tolist()
        self.n = len(bars)
        self.state = 0
        self.units = 0.0
        self.cash = float(cfg.cash)
        self.entry = (0, 0.0, 0.0)  # bar, price, fee
        self.stop = self.target = self.peak = self.trail_dist = _NAN  # signed space, NaN = none
        self.trades: list[tuple[float, ...]] = []
        self.changes: list[tuple[int, float, float]] = []
        sizing = cfg.sizing_value
        self.sizing = 0.0 if sizing is None else float(sizing[0])

    @staticmethod
    def _value(rule: ExitRule | None) -> float:
        return _NAN if rule is None else float(rule.value[0])

    def _distance(self, rule: ExitRule, price: float, atr_bar: int) -> float:
        if rule.mode == "pct":
            return price * float(rule.value[0]) / 100.0
        assert self.atr is not None
        return float(rule.value[0]) * self.atr[atr_bar]

    def close_position(self, price: float, bar: int, reason: int) -> None:
        u = self.units
        fee = abs(u) * price * self.cfg.commission + self.cfg.commission_fixed
        self.cash += u * price - fee
        entry_bar, entry_price, entry_fee = self.entry
        self.trades.append((entry_bar, bar, entry_price, price, u, entry_fee, fee, reason, False))
        self.units, self.state = 0.0, 0
        self.stop = self.target = self.peak = self.trail_dist = _NAN

    def open_position(self, direction: float, raw: float, bar: int, atr_bar: int) -> None:
        cfg = self.cfg
        price = raw * (1.0 + direction * cfg.slippage)
        if cfg.sizing_mode == "units":
            qty = self.sizing
        else:
            budget = self.cash if cfg.sizing_mode == "all_in" else self.cash * self.sizing
            qty = (budget - cfg.commission_fixed) / (price * (1.0 + cfg.commission))
        if not cfg.fractional:
            qty = float(math.floor(qty)) if math.isfinite(qty) else qty
        if not qty > 0:
            return
        u = direction * qty
        fee = qty * price * cfg.commission + cfg.commission_fixed
        self.cash -= u * price + fee
        self.units, self.state = u, int(direction)
        self.entry = (bar, price, fee)
        signed = direction * price
        if cfg.stop_loss is not None:
            self.stop = signed - self._distance(cfg.stop_loss, price, atr_bar)
        if cfg.take_profit is not None:
            self.target = signed + self._distance(cfg.take_profit, price, atr_bar)
        if cfg.trailing_stop is not None:
            self.peak = signed
            if cfg.trailing_stop.mode == "atr":
                self.trail_dist = self._distance(cfg.trailing_stop, price, atr_bar)

    def execute(self, target: int, raw: float, bar: int, atr_bar: int) -> None:
        if target == self.state:
            return
        if self.state != 0:
            reason = _REASON["reversal"] if target != 0 else _REASON["signal"]
            self.close_position(raw * (1.0 + -float(self.state) * self.cfg.slippage), bar, reason)
        if target != 0:
            self.open_position(float(target), raw, bar, atr_bar)
        self.changes.append((bar, self.cash, self.units))

    def risk_exits(self, bar: int) -> None:
        if self.state == 0:
            return
        cfg = self.cfg
        d = float(self.state)
        o, h, lo = self.open[bar], self.high[bar], self.low[bar]
        y_low, y_high = (lo, h) if d > 0 else (-h, -lo)
        stop, trail = self.stop, _NAN
        if cfg.trailing_stop is not None:
            if cfg.trailing_stop.mode == "pct":
                trail = self.peak - abs(self.peak) * float(cfg.trailing_stop.value[0]) / 100.0
            else:
                trail = self.peak - self.trail_dist
            stop = _fmax(self.stop, trail)
        hit_stop, hit_target = y_low <= stop, y_high >= self.target
        if hit_stop or hit_target:
            y_open = d * o
            gap_stop, gap_target = y_open <= stop, y_open >= self.target
            by_stop = gap_stop or (not gap_target and hit_stop)
            y_exit = y_open if gap_stop or gap_target else (stop if by_stop else self.target)
            reason = _REASON["take_profit"]
            if by_stop:
                fixed = self.stop
                tighter = trail > fixed or (math.isnan(fixed) and not math.isnan(trail))
                reason = (
                    _REASON["trailing_stop"]
                    if cfg.trailing_stop is not None and tighter
                    else _REASON["stop_loss"]
                )
            self.close_position(d * y_exit * (1.0 - d * cfg.slippage), bar, reason)
            self.changes.append((bar, self.cash, self.units))
        elif cfg.trailing_stop is not None:
            self.peak = max(self.peak, y_high)

    def run(self) -> SimResult:
        cfg, n = self.cfg, self.n
        active = np.flatnonzero(self.codes)
        if cfg.has_risk_exits:
            visited = np.arange(n)
        else:
            visited = with_next(active, n) if cfg.fill_next_open else active
        b = self.bars  # only the visited bars become Python floats
        columns = (visited, b.open[visited], b.close[visited], self.codes[visited])
        steps = zip(*(column.tolist() for column in columns), strict=True)
        pending: int | None = None
        for t, open_, close, code in steps:
            if pending is not None:
                self.execute(pending, open_, t, t - 1)
                pending = None
            if cfg.has_risk_exits:
                self.risk_exits(t)
            if code:
                target = _TARGETS[code][self.state + 1]
                if not cfg.fill_next_open:
                    self.execute(target, close, t, t)
                elif t < n - 1:
                    pending = target
        return self._finish()

    def _finish(self) -> SimResult:
        n, last = self.n, float(self.bars.close[-1])
        if self.cfg.close_at_end and self.state != 0:
            self.close_position(
                last * (1.0 + -float(self.state) * self.cfg.slippage), n - 1, _REASON["end_of_data"]
            )
            self.changes.append((n - 1, self.cash, self.units))
        if self.state != 0:
            entry_bar, entry_price, entry_fee = self.entry
            self.trades.append(
                (
                    entry_bar,
                    n - 1,
                    entry_price,
                    last,
                    self.units,
                    entry_fee,
                    0.0,
                    _REASON["end_of_data"],
                    True,
                )
            )
        log = []
        if self.trades:
            cols = list(zip(*self.trades, strict=True))
            combo = np.zeros(len(self.trades), dtype=np.int64)
            log.append((combo, *(np.asarray(c) for c in cols)))
        trades = trade_table(log)
        bars = np.asarray([b for b, _, _ in self.changes], dtype=np.int64)
        changes = Changes(
            n,
            1,
            float(self.cfg.cash),
            bars,
            np.asarray([0, len(self.changes)]),
            np.asarray([c for _, c, _ in self.changes], dtype=np.float64),
            np.asarray([u for _, _, u in self.changes], dtype=np.float64),
        )
        return SimResult(trades, exposure_of(trades, 1, n), fees_of(trades, 1), changes)
