"""The fill rules without risk exits: a loop over each combination's k-th fill, not over bars.

Without stops or targets a position changes only on an action, so the position every combination
would hold if each entry filled follows from the action codes alone, vectorised over all (combination,
action) events: it is the last "reset" action's side (``buy`` long, ``short`` short, ``close`` flat),
made flat by a later ``sell`` of a long or ``cover`` of a short. Only the cash compounding is
sequential, and it is sequential per fill: step k moves every combination that has a k-th fill at
once. An entry that cannot be sized (``qty <= 0``) makes that combination's later path depend on
cash, so such combinations are rerun on the per-bar simulator (docs/engine.md gives the rules).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.signals import BUY, CLOSE, COVER, SELL, SHORT
from tradewind.engine.simulate import (
    Changes,
    SimResult,
    SimSettings,
    exposure_of,
    fees_of,
    per_bar,
    trade_table,
)
from tradewind.engine.trades import EXIT_REASONS

_RESET = np.zeros(6, dtype=bool)
_RESET[[BUY, SHORT, CLOSE]] = True
_SIDE = np.zeros(6, dtype=np.int8)
_SIDE[BUY], _SIDE[SHORT] = 1, -1
_SIGNAL, _REVERSAL, _END = (np.int8(EXIT_REASONS.index(r)) for r in ("signal", "reversal", "end_of_data"))


@dataclasses.dataclass(frozen=True)
class _Fills:
    """Position changes of every combination, combination-major in time order."""

    combo: np.ndarray
    bar: np.ndarray  # the fill bar
    before: np.ndarray  # int8 side before the fill
    after: np.ndarray  # int8 side after it
    raw: np.ndarray  # the fill price before slippage


def simulate_events(bars: Bars, codes: np.ndarray, cfg: SimSettings) -> SimResult:
    """Simulate ``codes`` (n_combos, n_bars) int8 action codes of a strategy with no risk exits."""
    width, n = codes.shape
    fills = _fills(bars, codes, cfg.fill_next_open)
    logs, changes, failed = _compound(fills, width, n, float(bars.close[-1]), cfg)
    if failed.size:
        logs, changes = _rerun(bars, codes, cfg, failed, logs, changes)
    trades = trade_table([logs])
    combo, bar, cash, units = changes
    order = np.argsort(combo, kind="stable")
    starts = np.searchsorted(combo[order], np.arange(width + 1))
    table = Changes(n, width, float(cfg.cash), bar[order], starts, cash[order], units[order])
    return SimResult(trades, exposure_of(trades, width, n), fees_of(trades, width), table)


def _fills(bars: Bars, codes: np.ndarray, next_open: bool) -> _Fills:
    """Where each combination's would-be position changes, from its action events alone."""
    n = codes.shape[1]
    flat = np.flatnonzero(codes != 0)
    combo, bar = np.divmod(flat, n)
    code = codes.reshape(-1)[flat]
    pos = np.arange(flat.size)
    first = np.ones(flat.size, dtype=bool)
    first[1:] = combo[1:] != combo[:-1]
    start = np.maximum.accumulate(np.where(first, pos, 0)) if flat.size else pos
    last_reset = np.maximum.accumulate(np.where(_RESET[code], pos, -1)) if flat.size else pos
    has_reset = last_reset >= start
    side = np.where(has_reset, _SIDE[code[np.maximum(last_reset, 0)]], 0).astype(np.int8)
    anchor = np.where(has_reset, last_reset, start - 1)
    for action, leaves in ((SELL, 1), (COVER, -1)):
        last = np.maximum.accumulate(np.where(code == action, pos, -1)) if flat.size else pos
        side[(side == leaves) & (last > anchor)] = 0
    before = np.empty_like(side)
    before[1:] = side[:-1]
    before[first] = 0
    moves = side != before
    if next_open:
        moves &= bar < n - 1
        fill_bar = bar[moves] + 1
        raw = bars.open[fill_bar]
    else:
        fill_bar = bar[moves]
        raw = bars.close[fill_bar]
    return _Fills(combo[moves], fill_bar, before[moves], side[moves], raw)


def _compound(
    fills: _Fills, width: int, n: int, last_close: float, cfg: SimSettings
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], np.ndarray]:
    """Cash and units through every fill, one step per k-th fill of all combinations at once.

    Returns the trade log columns (as ``trade_table`` reads them), the (combo, bar, cash, units)
    change log and the combinations whose entry could not be sized.
    """
    m = fills.combo.size
    first = np.ones(m, dtype=bool)
    first[1:] = fills.combo[1:] != fills.combo[:-1]
    rank = np.arange(m) - np.maximum.accumulate(np.where(first, np.arange(m), 0)) if m else np.zeros(0, int)
    order = np.argsort(rank, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(rank)))) if m else np.zeros(1, dtype=np.int64)
    combo, bar, raw = fills.combo[order], fills.bar[order], fills.raw[order]
    before = fills.before[order].astype(np.float64)
    after = fills.after[order].astype(np.float64)
    s, rate, fixed = cfg.slippage, cfg.commission, cfg.commission_fixed
    cash = np.full(width, float(cfg.cash))
    units = np.zeros(width)
    entry_bar = np.zeros(width, dtype=np.int64)
    entry_price = np.zeros(width)
    entry_fee = np.zeros(width)
    sizing = cfg.sizing_value
    cash_log, units_log = np.empty(m), np.empty(m)
    exit_price, exit_fee, size = np.empty(m), np.empty(m), np.empty(m)
    open_bar, open_price, open_fee = np.empty(m, dtype=np.int64), np.empty(m), np.empty(m)
    bad = np.zeros(width, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(bounds.size - 1):
            sl = slice(int(bounds[k]), int(bounds[k + 1]))
            idx, d_in, d_out, price_raw = combo[sl], after[sl], before[sl], raw[sl]
            u = units[idx]
            out_price = price_raw * (1.0 + -d_out * s)
            fee = np.abs(u) * out_price * rate + fixed
            held = cash[idx]
            held = np.where(d_out != 0, held + (u * out_price - fee), held)
            exit_price[sl], exit_fee[sl], size[sl] = out_price, fee, u
            open_bar[sl], open_price[sl], open_fee[sl] = entry_bar[idx], entry_price[idx], entry_fee[idx]
            in_price = price_raw * (1.0 + d_in * s)
            if cfg.sizing_mode == "units":
                assert sizing is not None
                qty = sizing[idx]
            else:
                budget = held if cfg.sizing_mode == "all_in" else held * sizing[idx]  # type: ignore[index]
                qty = (budget - fixed) / (in_price * (1.0 + rate))
            if not cfg.fractional:
                qty = np.floor(qty)
            entering = d_in != 0
            bad[idx[entering & ~(qty > 0)]] = True
            new_units = np.where(entering, d_in * qty, 0.0)
            in_fee = qty * in_price * rate + fixed
            held = np.where(entering, held - (new_units * in_price + in_fee), held)
            cash[idx], units[idx] = held, new_units
            entry_bar[idx], entry_price[idx], entry_fee[idx] = bar[sl], in_price, in_fee
            cash_log[sl], units_log[sl] = held, new_units
    closing = before != 0
    reason = np.where(after[closing] != 0, _REVERSAL, _SIGNAL)
    trade_cols = [
        combo[closing],
        open_bar[closing],
        bar[closing],
        open_price[closing],
        exit_price[closing],
        size[closing],
        open_fee[closing],
        exit_fee[closing],
        reason,
        np.zeros(reason.size, dtype=bool),
    ]
    change_cols = [combo, bar, cash_log, units_log]
    live = np.flatnonzero(units != 0)
    if live.size:
        last = np.full(live.size, last_close)
        u = units[live]
        if cfg.close_at_end:
            price = last * (1.0 + -np.sign(u) * s)
            fee = np.abs(u) * price * rate + fixed
            cash[live] += u * price - fee
            units[live] = 0.0
            is_open = False
            change_cols = _append(change_cols, [live, np.full(live.size, n - 1), cash[live], units[live]])
        else:
            price, fee, is_open = last, np.zeros(live.size), True
        ends = [live, entry_bar[live], np.full(live.size, n - 1), entry_price[live], price, u]
        ends += [entry_fee[live], fee, np.full(live.size, _END), np.full(live.size, is_open)]
        trade_cols = _append(trade_cols, ends)
    return tuple(trade_cols), tuple(change_cols), np.flatnonzero(bad)


def _append(columns: list[np.ndarray], more: list[np.ndarray]) -> list[np.ndarray]:
    return [np.concatenate((a, b)) for a, b in zip(columns, more, strict=True)]


def _rerun(
    bars: Bars,
    codes: np.ndarray,
    cfg: SimSettings,
    failed: np.ndarray,
    logs: tuple[np.ndarray, ...],
    changes: tuple[np.ndarray, ...],
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """Replace the logs of combinations ``failed`` with the per-bar simulator's."""
    sizing = None if cfg.sizing_value is None else cfg.sizing_value[failed]
    sub = per_bar(bars, np.ascontiguousarray(codes[failed].T), None, dataclasses.replace(cfg, sizing_value=sizing))
    keep_trades = ~np.isin(logs[0], failed)
    keep_changes = ~np.isin(changes[0], failed)
    t = sub.trades
    redo = [failed[t.combo], t.entry_idx, t.exit_idx, t.entry_price, t.exit_price, t.size]
    entry_fee = t.fees - _exit_fees(t)
    redo += [entry_fee, t.fees - entry_fee, t.exit_reason, t.is_open]
    c = sub.changes
    combos = np.repeat(np.arange(c.width), np.diff(c.combo_start))
    redone = [failed[combos], c.bar, c.cash, c.units]
    return (
        tuple(_append([col[keep_trades] for col in logs], redo)),
        tuple(_append([col[keep_changes] for col in changes], redone)),
    )
