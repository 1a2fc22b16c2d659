"""The fill simulator: action codes in, positions, cash, equity and trades out (docs/engine.md).

``simulate`` picks the path: one combination runs on plain floats (``scalar.py``), rule sets
without risk exits loop over fills instead of bars (``events.py``), and the general path here walks
time with all combinations of a chunk as one numpy vector per bar. Bars where nothing can happen
are skipped: without risk exits only bars with an action (and, for next-open fills, the bar after)
are visited, and only combinations with an action are touched. Cash and units change only at
fills, so every path logs those changes; ``SimResult.equity`` rebuilds the (bars x combos) equity
of a block of combinations on demand instead of writing a huge matrix bar by bar.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.signals import ChunkSignals
from tradewind.engine.trades import EXIT_REASONS, Segments, TradeArrays

# New state for (action, state + 1); states are -1 short, 0 flat, 1 long; actions as in signals.
TARGET = np.array(
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

    @functools.cached_property
    def has_risk_exits(self) -> bool:
        return any(e is not None for e in (self.stop_loss, self.take_profit, self.trailing_stop))


@dataclass(frozen=True)
class SimResult:
    trades: TradeArrays  # combo = column in this chunk
    exposure: np.ndarray  # (n,) fraction of bars closing with a position
    commissions: np.ndarray  # (n,) fees paid
    changes: Changes  # cash and units after every fill

    def equity(self, close: np.ndarray, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Equity at each close (cash + units * close) of combinations ``lo:hi``, (n_bars, hi - lo)."""
        return self.changes.equity(close, lo, self.changes.width if hi is None else hi)


@dataclass(frozen=True)
class Changes:
    """Every (bar, combination, cash after, units after), sorted by combination then time."""

    n_bars: int
    width: int
    cash0: float
    bar: np.ndarray
    combo_start: np.ndarray  # (width + 1,) where each combination's rows begin
    cash: np.ndarray
    units: np.ndarray

    def segments(self, lo: int, hi: int) -> Segments:
        """The constant stretches of combinations ``lo:hi``: one from bar 0, then one per fill bar."""
        a, b = int(self.combo_start[lo]), int(self.combo_start[hi])
        cols, n = hi - lo, self.n_bars
        counts = np.diff(self.combo_start[lo : hi + 1])
        column = np.repeat(np.arange(cols), counts)
        bar = self.bar[a:b]
        last = np.ones(bar.size, dtype=bool)
        last[:-1] = (bar[1:] != bar[:-1]) | (column[1:] != column[:-1])  # a bar closes with its last fill
        firsts = (
            np.searchsorted(np.flatnonzero(last), np.cumsum(counts) - counts)
            if bar.size
            else np.zeros(cols, dtype=np.int64)
        )
        column, bar = column[last], bar[last]
        seg_col = np.insert(column, firsts, np.arange(cols))
        seg_bar = np.insert(bar, firsts, 0)
        end = np.append(seg_bar[1:], n)
        end[:-1][seg_col[1:] != seg_col[:-1]] = n
        return Segments(
            n_bars=n,
            width=cols,
            combo=seg_col,
            start=seg_bar,
            end=end,
            cash=np.insert(self.cash[a:b][last], firsts, self.cash0),
            units=np.insert(self.units[a:b][last], firsts, 0.0),
        )

    def holdings(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Cash and units at each close for combinations ``lo:hi``: the last change at or before the bar.

        Expanded combination-major (``Segments.holdings``) and returned transposed: (n_bars, hi - lo),
        Fortran-ordered.
        """
        cash, units = self.segments(lo, hi).holdings()
        return cash.T, units.T

    def equity(self, close: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """``cash + units * close`` of combinations ``lo:hi``: a Fortran-ordered (n_bars, hi - lo) matrix.

        Computed in place combination-major and kept so: the metrics scan each combination's bars
        along memory, and a transposed copy would cost more than all the arithmetic.
        """
        cash, units = self.holdings(lo, hi)
        units *= close[:, None]
        units += cash
        return units


def simulate(bars: Bars, signals: ChunkSignals, settings: SimSettings) -> SimResult:
    """Run the fill rules for all the chunk's combinations at once from their dense action codes.

    A single combination takes the scalar path (same rules, plain floats), where numpy's per-call
    overhead on one-element arrays would dominate. (Chunks without risk exits never get here:
    ``grid.run_grid`` hands their nonzero codes straight to the event path.)
    """
    if signals.codes.shape[0] == 1:
        from tradewind.engine.scalar import simulate_one

        return simulate_one(bars, signals, settings)
    return simulate_per_bar(bars, signals, settings)


def simulate_per_bar(bars: Bars, signals: ChunkSignals, settings: SimSettings) -> SimResult:
    """Walk every bar that matters with the whole chunk as one vector (any rule set)."""
    return _Simulation(bars, signals, settings).run()


class _Simulation:
    def __init__(self, bars: Bars, signals: ChunkSignals, cfg: SimSettings) -> None:
        self.bars, self.cfg = bars, cfg
        self.actions = bar_major(signals.codes)
        self.atr = signals.atr
        n, width = self.actions.shape
        self.n, self.width = n, width
        self.state = np.zeros(width, dtype=np.int8)
        self.units = np.zeros(width)
        self.cash = np.full(width, float(cfg.cash))
        self.entry_idx = np.zeros(width, dtype=np.int64)
        self.entry_price = np.zeros(width)
        self.entry_fee = np.zeros(width)
        # Risk levels in signed price space (d * price): adverse moves lower them; NaN = none.
        self.stop = np.full(width, np.nan)
        self.target = np.full(width, np.nan)
        self.peak = np.full(width, np.nan)
        self.trail_dist = np.full(width, np.nan)
        self.log: list[tuple[Any, ...]] = []
        self.changes: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []

    # -- bookkeeping -----------------------------------------------------------------------------
    def changed(self, bar: int, idx: np.ndarray) -> None:
        """Log the cash and units of ``idx`` after a fill on ``bar``."""
        self.changes.append((bar, idx, self.cash[idx], self.units[idx]))

    def close_positions(self, idx: np.ndarray, price: np.ndarray, bar: int, reason: np.ndarray) -> None:
        """Exit ``idx`` at fill ``price`` (slippage included) and log the trades."""
        u = self.units[idx]
        fee = np.abs(u) * price * self.cfg.commission + self.cfg.commission_fixed
        self.cash[idx] += u * price - fee
        self._log(idx, bar, price, fee, reason, is_open=False)
        self.units[idx] = 0.0
        self.state[idx] = 0
        if self.cfg.has_risk_exits:
            for level in (self.stop, self.target, self.peak, self.trail_dist):
                level[idx] = np.nan

    def _log(
        self,
        idx: np.ndarray,
        exit_bar: int,
        price: np.ndarray,
        fee: np.ndarray,
        reason: np.ndarray,
        is_open: bool,
    ) -> None:
        """Record trades leaving ``idx``; PnL, returns and fees are derived once, in ``trade_table``."""
        self.log.append(
            (
                idx,
                self.entry_idx[idx],
                exit_bar,
                self.entry_price[idx],
                price,
                self.units[idx],
                self.entry_fee[idx],
                fee,
                reason,
                is_open,
            )
        )

    def open_positions(
        self, idx: np.ndarray, direction: np.ndarray, raw: float, bar: int, atr_bar: int
    ) -> None:
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
    def execute(self, idx: np.ndarray, target: np.ndarray, raw: float, bar: int, atr_bar: int) -> None:
        """Move combinations ``idx`` to their ``target`` state (where it differs) at ``raw`` price."""
        moving = target != self.state[idx]
        if not moving.any():
            return
        changed, new = idx[moving], target[moving]
        cur = self.state[changed]
        leaving = cur != 0
        if leaving.any():
            side = -cur[leaving].astype(np.float64)
            reason = np.where(new[leaving] != 0, _REASON["reversal"], _REASON["signal"]).astype(np.int8)
            self.close_positions(changed[leaving], raw * (1.0 + side * self.cfg.slippage), bar, reason)
        entering = new != 0
        if entering.any():
            self.open_positions(changed[entering], new[entering].astype(np.float64), raw, bar, atr_bar)
        self.changed(bar, changed)

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
            d = self.state[hits].astype(np.float64)
            y_open = d * o
            s_lvl, t_lvl = stop[hits], self.target[hits]
            gap_stop, gap_target = y_open <= s_lvl, y_open >= t_lvl
            by_stop = gap_stop | (~gap_target & hit_stop[hits])
            y_exit = np.where(gap_stop | gap_target, y_open, np.where(by_stop, s_lvl, t_lvl))
            stop_reason: np.ndarray | np.int8 = _REASON["stop_loss"]
            if cfg.trailing_stop is not None:
                fixed, moving = self.stop[hits], trail[hits]
                trailing = (moving > fixed) | (np.isnan(fixed) & ~np.isnan(moving))  # strictly tighter wins
                stop_reason = np.where(trailing, _REASON["trailing_stop"], _REASON["stop_loss"])
            reason = np.where(by_stop, stop_reason, _REASON["take_profit"]).astype(np.int8)
            self.close_positions(hits, d * y_exit * (1.0 - d * cfg.slippage), bar, reason)
            self.changed(bar, hits)
        if cfg.trailing_stop is not None:
            np.maximum(self.peak, y_high, out=self.peak)

    # -- driver ----------------------------------------------------------------------------------
    def _visited(self, active: np.ndarray) -> np.ndarray:
        if self.cfg.has_risk_exits:
            return np.arange(self.n)
        decisions = np.flatnonzero(active)
        if not self.cfg.fill_next_open:
            return decisions
        return with_next(decisions, self.n)

    def run(self) -> SimResult:
        cfg, bars, n = self.cfg, self.bars, self.n
        codes = self.actions
        active: np.ndarray = np.asarray(codes.any(axis=1))
        pending: tuple[np.ndarray, np.ndarray] | None = None
        for t in self._visited(active).tolist():
            if pending is not None:
                self.execute(*pending, float(bars.open[t]), t, t - 1)
                pending = None
            if cfg.has_risk_exits:
                self.risk_exits(t)
            if active[t]:
                idx = np.flatnonzero(codes[t])
                target = TARGET.take(codes[t, idx] * 3 + (self.state[idx] + 1))
                if not cfg.fill_next_open:
                    self.execute(idx, target, float(bars.close[t]), t, t)
                elif t < n - 1:
                    pending = (idx, target)
        return self._finish()

    def _finish(self) -> SimResult:
        n, last_close = self.n, float(self.bars.close[-1])
        live = np.flatnonzero(self.state != 0)
        if self.cfg.close_at_end and live.size:
            side = -self.state[live].astype(np.float64)
            reason = np.full(live.size, _REASON["end_of_data"])
            self.close_positions(live, last_close * (1.0 + side * self.cfg.slippage), n - 1, reason)
            self.changed(n - 1, live)
        live = np.flatnonzero(self.state != 0)
        if live.size:
            price = np.full(live.size, last_close)
            none = np.zeros(live.size)
            self._log(live, n - 1, price, none, np.full(live.size, _REASON["end_of_data"]), True)
        trades = trade_table(self.log)
        return SimResult(
            trades, exposure_of(trades, self.width, n), fees_of(trades, self.width), self._change_table()
        )

    def _change_table(self) -> Changes:
        if self.changes:
            bar = np.concatenate([np.full(idx.size, b, dtype=np.int64) for b, idx, _, _ in self.changes])
            combo = np.concatenate([c[1] for c in self.changes])
            cash = np.concatenate([c[2] for c in self.changes])
            units = np.concatenate([c[3] for c in self.changes])
        else:
            bar, combo = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            cash, units = np.zeros(0), np.zeros(0)
        order = np.argsort(combo, kind="stable")  # per combination, in time order
        starts = np.searchsorted(combo[order], np.arange(self.width + 1))
        return Changes(
            self.n, self.width, float(self.cfg.cash), bar[order], starts, cash[order], units[order]
        )


def bar_major(codes: np.ndarray, block: int = 256) -> np.ndarray:
    """The (n_bars, n) transpose of combination-major codes, block by block (a whole .T copy thrashes
    the cache): the per-bar loop reads one bar's codes at a time."""
    width, n = codes.shape
    out = np.empty((n, width), dtype=codes.dtype)
    for lo in range(0, width, block):
        out[:, lo : lo + block] = codes[lo : lo + block].T
    return out


def with_next(decisions: np.ndarray, n: int) -> np.ndarray:
    """Decision bars and the bars their next-open orders fill on."""
    both = np.union1d(decisions, decisions + 1)
    return both[both < n]


def exposure_of(trades: TradeArrays, width: int, n: int) -> np.ndarray:
    """Fraction of closes with a position.

    A trade holds from its entry bar's close to the bar before its exit.

    An open trade holds through the last bar; a trade that exits on its entry bar holds no close.
    """
    held = np.where(trades.is_open, n - trades.entry_idx, trades.exit_idx - trades.entry_idx)
    return np.bincount(trades.combo, weights=held.astype(np.float64), minlength=width) / n


def fees_of(trades: TradeArrays, width: int) -> np.ndarray:
    """Commissions paid per combination: both sides of closed trades, the entry of open ones."""
    return np.bincount(trades.combo, weights=trades.fees, minlength=width)


def trade_table(log: list[tuple[Any, ...]]) -> TradeArrays:
    """The trade table from logged exits (a scalar exit bar or open flag stands for the whole entry)."""
    if not log:
        return TradeArrays.empty()
    sizes = [len(entry[0]) for entry in log]
    columns = [
        np.concatenate(parts) if isinstance(parts[0], np.ndarray) else np.repeat(np.asarray(parts), sizes)
        for parts in zip(*log, strict=True)
    ]
    order = np.lexsort((columns[1], columns[0]))
    return sorted_trades(*(column[order] for column in columns))


def sorted_trades(
    combo: np.ndarray,
    entry_idx: np.ndarray,
    exit_idx: np.ndarray,
    entry_price: np.ndarray,
    exit_price: np.ndarray,
    size: np.ndarray,
    entry_fee: np.ndarray,
    exit_fee: np.ndarray,
    reason: np.ndarray,
    is_open: np.ndarray,
) -> TradeArrays:
    """The trade table from columns already sorted by combination then entry; PnL derived here."""
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
        exit_reason=reason.astype(np.int8),
        is_open=is_open.astype(bool),
    )
