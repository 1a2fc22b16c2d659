"""The fill simulator: action codes in, positions, cash, equity and trades out (docs/engine.md).

All combinations of a chunk advance together, one numpy vector per bar. Bars where nothing can
happen are skipped: without risk exits only bars with an action (and, for next-open fills, the bar
after) are visited, and equity between visited bars is written in blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.signals import ChunkSignals
from tradewind.engine.trades import EXIT_REASONS, TradeArrays

# New state for (action, state + 1); states are -1 short, 0 flat, 1 long; actions as in signals.
_TARGET = np.array(
    [
        [-1, 0, 1],  # none: keep
        [1, 1, 1],  # buy
        [-1, 0, 0],  # sell: leaves a long only
        [-1, -1, -1],  # short
        [0, 0, 1],  # cover: leaves a short only
        [0, 0, 0],  # close
    ],
    dtype=np.int8,
).ravel()
_REASON = {name: np.int8(i) for i, name in enumerate(EXIT_REASONS)}


@dataclass(frozen=True)
class ExitRule:
    """A risk exit's distance: ``pct`` of the reference price or ``atr`` multiples of the entry ATR."""

    mode: Literal["pct", "atr"]
    value: np.ndarray  # (n,) one per combination


@dataclass(frozen=True)
class SimSettings:
    cash: float
    fill_next_open: bool = True
    close_at_end: bool = False
    commission: float = 0.0
    commission_fixed: float = 0.0
    slippage: float = 0.0  # fraction of the price (bps / 10,000)
    sizing_mode: Literal["all_in", "fraction", "units"] = "all_in"
    sizing_value: np.ndarray | None = None  # (n,) fraction or units per combination
    fractional: bool = False
    stop_loss: ExitRule | None = None
    take_profit: ExitRule | None = None
    trailing_stop: ExitRule | None = None

    @property
    def has_risk_exits(self) -> bool:
        return any(e is not None for e in (self.stop_loss, self.take_profit, self.trailing_stop))


@dataclass(frozen=True)
class SimResult:
    equity: np.ndarray  # (n_bars, n) equity at each close
    trades: TradeArrays  # combo = column in this chunk
    exposure: np.ndarray  # (n,) fraction of bars closing with a position
    commissions: np.ndarray  # (n,) fees paid
    positions: np.ndarray | None  # (n_bars, n) signed units at each close, when recorded


def simulate(
    bars: Bars,
    signals: ChunkSignals,
    settings: SimSettings,
    record_positions: bool = False,
    out: np.ndarray | None = None,
) -> SimResult:
    """Run the fill rules over every bar for all the chunk's combinations at once.

    ``out`` is an optional (n_bars, >= n) float64 buffer for the equity, reused between chunks so a
    sweep touches fresh memory only once.
    """
    return _Simulation(bars, signals, settings, record_positions, out).run()


class _Simulation:
    def __init__(
        self, bars: Bars, signals: ChunkSignals, cfg: SimSettings, record_positions: bool, out: np.ndarray | None
    ) -> None:
        self.bars, self.cfg = bars, cfg
        self.actions = signals.actions
        self.atr = signals.atr
        n, width = self.actions.shape
        self.n, self.width = n, width
        self.state = np.zeros(width, dtype=np.int8)
        self.units = np.zeros(width)
        self.cash = np.full(width, float(cfg.cash))
        self.fees = np.zeros(width)
        self.entry_idx = np.zeros(width, dtype=np.int64)
        self.entry_price = np.zeros(width)
        self.entry_fee = np.zeros(width)
        # Risk levels in signed price space (d * price): adverse moves lower them; NaN = none.
        self.stop = np.full(width, np.nan)
        self.target = np.full(width, np.nan)
        self.peak = np.full(width, np.nan)
        self.trail_dist = np.full(width, np.nan)
        self.equity = np.empty((n, width)) if out is None else out[:, :width]
        self.positions = np.empty((n, width)) if record_positions else None
        self.filled = 0
        self.log: list[tuple[np.ndarray, ...]] = []

    # -- bookkeeping -----------------------------------------------------------------------------
    def flush(self, upto: int) -> None:
        """Write equity (and positions) of rows [filled, upto) from the current cash and units."""
        if upto <= self.filled:
            return
        rows = slice(self.filled, upto)
        np.multiply(self.units, self.bars.close[rows, None], out=self.equity[rows])
        self.equity[rows] += self.cash
        if self.positions is not None:
            self.positions[rows] = self.units
        self.filled = upto

    def close_positions(self, idx: np.ndarray, price: np.ndarray, bar: int, reason: np.ndarray) -> None:
        """Exit ``idx`` at fill ``price`` (slippage included) and log the trades."""
        u = self.units[idx]
        fee = np.abs(u) * price * self.cfg.commission + self.cfg.commission_fixed
        self.cash[idx] += u * price - fee
        self.fees[idx] += fee
        self._log(idx, bar, price, fee, reason, is_open=False)
        self.units[idx] = 0.0
        self.state[idx] = 0
        for level in (self.stop, self.target, self.peak, self.trail_dist):
            level[idx] = np.nan

    def _log(self, idx: np.ndarray, exit_bar: int, price: np.ndarray, fee: np.ndarray, reason: np.ndarray, is_open: bool) -> None:
        """Record trades leaving ``idx``; PnL and returns are derived once, in ``_trade_table``."""
        n = idx.size
        self.log.append(
            (idx, self.entry_idx[idx], np.full(n, exit_bar), self.entry_price[idx], price, self.units[idx],
             self.entry_fee[idx], fee, reason, np.full(n, is_open))
        )

    def open_positions(self, idx: np.ndarray, direction: np.ndarray, raw: float, bar: int, atr_bar: int) -> None:
        """Enter ``idx`` in ``direction`` at the raw price ``raw`` (slippage added here)."""
        cfg = self.cfg
        price = raw * (1.0 + direction * cfg.slippage)
        if cfg.sizing_mode == "units":
            assert cfg.sizing_value is not None
            qty = cfg.sizing_value[idx].copy()
        else:
            budget = self.cash[idx] if cfg.sizing_mode == "all_in" else self.cash[idx] * cfg.sizing_value[idx]  # type: ignore[index]
            qty = (budget - cfg.commission_fixed) / (price * (1.0 + cfg.commission))
        if not cfg.fractional:
            qty = np.floor(qty)
        ok = qty > 0
        if not ok.all():
            idx, direction, price, qty = idx[ok], direction[ok], price[ok], qty[ok]
        if idx.size == 0:
            return
        u = direction * qty
        fee = qty * price * cfg.commission + cfg.commission_fixed
        self.cash[idx] -= u * price + fee
        self.fees[idx] += fee
        self.units[idx] = u
        self.state[idx] = direction
        self.entry_idx[idx] = bar
        self.entry_price[idx] = price
        self.entry_fee[idx] = fee
        signed = direction * price
        if cfg.stop_loss is not None:
            self.stop[idx] = signed - self._distance(cfg.stop_loss, idx, price, atr_bar)
        if cfg.take_profit is not None:
            self.target[idx] = signed + self._distance(cfg.take_profit, idx, price, atr_bar)
        if cfg.trailing_stop is not None:
            self.peak[idx] = signed
            if cfg.trailing_stop.mode == "atr":
                self.trail_dist[idx] = self._distance(cfg.trailing_stop, idx, price, atr_bar)

    def _distance(self, rule: ExitRule, idx: np.ndarray, price: np.ndarray, atr_bar: int) -> np.ndarray:
        if rule.mode == "pct":
            return price * rule.value[idx] / 100.0
        assert self.atr is not None
        row = self.atr[atr_bar]
        atr = row[idx] if row.shape[0] > 1 else np.full(idx.size, row[0])
        return rule.value[idx] * atr

    # -- the three moments of a bar --------------------------------------------------------------
    def execute(self, target: np.ndarray, raw: float, bar: int, atr_bar: int) -> None:
        """Move every combination whose ``target`` state differs from its state, at ``raw`` price."""
        changed = np.flatnonzero(target != self.state)
        if changed.size == 0:
            return
        self.flush(bar)
        new = target[changed]
        cur = self.state[changed]
        leaving = cur != 0
        if leaving.any():
            idx = changed[leaving]
            side = -cur[leaving].astype(np.float64)
            reason = np.where(new[leaving] != 0, _REASON["reversal"], _REASON["signal"]).astype(np.int8)
            self.close_positions(idx, raw * (1.0 + side * self.cfg.slippage), bar, reason)
        entering = new != 0
        if entering.any():
            self.open_positions(changed[entering], new[entering].astype(np.float64), raw, bar, atr_bar)

    def risk_exits(self, bar: int) -> None:
        """Stops and targets intrabar from high/low; a gap through a level fills at the open."""
        cfg = self.cfg
        o, h, lo = self.bars.open[bar], self.bars.high[bar], self.bars.low[bar]
        long = self.state > 0
        y_low = np.where(long, lo, -h)
        y_high = np.where(long, h, -lo)
        stop = self.stop
        if cfg.trailing_stop is not None:
            if cfg.trailing_stop.mode == "pct":
                trail = self.peak - np.abs(self.peak) * cfg.trailing_stop.value / 100.0
            else:
                trail = self.peak - self.trail_dist
            stop = np.fmax(self.stop, trail)
        hit_stop = y_low <= stop
        hit_target = y_high >= self.target
        hits = np.flatnonzero(hit_stop | hit_target)
        if hits.size:
            self.flush(bar)
            d = self.state[hits].astype(np.float64)
            y_open = d * o
            s_lvl, t_lvl = stop[hits], self.target[hits]
            gap_stop, gap_target = y_open <= s_lvl, y_open >= t_lvl
            by_stop = gap_stop | (~gap_target & hit_stop[hits])
            y_exit = np.where(gap_stop | gap_target, y_open, np.where(by_stop, s_lvl, t_lvl))
            stop_reason = _REASON["stop_loss"]
            if cfg.trailing_stop is not None:
                fixed, moving = self.stop[hits], trail[hits]
                trailing = (moving > fixed) | (np.isnan(fixed) & ~np.isnan(moving))  # strictly tighter wins
                stop_reason = np.where(trailing, _REASON["trailing_stop"], _REASON["stop_loss"])
            reason = np.where(by_stop, stop_reason, _REASON["take_profit"]).astype(np.int8)
            self.close_positions(hits, d * y_exit * (1.0 - d * cfg.slippage), bar, reason)
        if cfg.trailing_stop is not None:
            np.maximum(self.peak, y_high, out=self.peak)

    # -- driver ----------------------------------------------------------------------------------
    def _visited(self) -> np.ndarray:
        if self.cfg.has_risk_exits:
            return np.arange(self.n)
        decisions = np.flatnonzero(self.actions.any(axis=1))
        if not self.cfg.fill_next_open:
            return decisions
        return _with_next(decisions, self.n)

    def run(self) -> SimResult:
        cfg, bars, n = self.cfg, self.bars, self.n
        codes = self.actions
        row_active = codes.any(axis=1)
        pending: np.ndarray | None = None
        pending_bar = -2
        for t in self._visited().tolist():
            if cfg.fill_next_open and pending is not None and pending_bar == t - 1:
                self.execute(pending, float(bars.open[t]), t, t - 1)
            pending = None
            if cfg.has_risk_exits:
                self.risk_exits(t)
            if row_active[t]:
                target = _TARGET.take(codes[t] * 3 + (self.state + 1))
                if not cfg.fill_next_open:
                    self.execute(target, float(bars.close[t]), t, t)
                elif t < n - 1:
                    pending, pending_bar = target, t
        return self._finish()

    def _finish(self) -> SimResult:
        n, last_close = self.n, float(self.bars.close[-1])
        live = np.flatnonzero(self.state != 0)
        if self.cfg.close_at_end and live.size:
            self.flush(n - 1)
            side = -self.state[live].astype(np.float64)
            reason = np.full(live.size, _REASON["end_of_data"])
            self.close_positions(live, last_close * (1.0 + side * self.cfg.slippage), n - 1, reason)
        self.flush(n)
        live = np.flatnonzero(self.state != 0)
        if live.size:
            price = np.full(live.size, last_close)
            none = np.zeros(live.size)
            self._log(live, n - 1, price, none, np.full(live.size, _REASON["end_of_data"]), True)
        trades = _trade_table(self.log)
        return SimResult(self.equity, trades, _exposure(trades, self.width, n), self.fees, self.positions)


def _with_next(decisions: np.ndarray, n: int) -> np.ndarray:
    """Decision bars and the bars their next-open orders fill on."""
    both = np.union1d(decisions, decisions + 1)
    return both[both < n]


def _exposure(trades: TradeArrays, width: int, n: int) -> np.ndarray:
    """Fraction of closes with a position: a trade holds from its entry bar's close to the bar before its exit.

    An open trade holds through the last bar; a trade that exits on its entry bar holds no close.
    """
    held = np.where(trades.is_open, n - trades.entry_idx, trades.exit_idx - trades.entry_idx)
    return np.bincount(trades.combo, weights=held.astype(np.float64), minlength=width) / n


def _trade_table(log: list[tuple[np.ndarray, ...]]) -> TradeArrays:
    if not log:
        return TradeArrays.empty()
    combo, entry_idx, exit_idx, entry_price, exit_price, size, entry_fee, exit_fee, reason, is_open = (
        np.concatenate(parts) for parts in zip(*log, strict=True)
    )
    order = np.lexsort((entry_idx, combo))
    combo, entry_idx, exit_idx = combo[order], entry_idx[order], exit_idx[order]
    entry_price, exit_price, size = entry_price[order], exit_price[order], size[order]
    entry_fee, exit_fee = entry_fee[order], exit_fee[order]
    pnl = size * (exit_price - entry_price) - entry_fee - exit_fee
    return TradeArrays(
        combo=combo.astype(np.int64),
        entry_idx=entry_idx.astype(np.int64),
        exit_idx=exit_idx.astype(np.int64),
        entry_price=entry_price,
        exit_price=exit_price,
        size=size,
        pnl=pnl,
        return_pct=pnl / (np.abs(size) * entry_price) * 100.0,
        fees=entry_fee + exit_fee,
        exit_reason=reason[order].astype(np.int8),
        is_open=is_open[order].astype(bool),
    )
