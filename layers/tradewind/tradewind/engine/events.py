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
from tradewind.engine.results import concat, select
from tradewind.engine.signals import BUY, CLOSE, COVER, SELL, SHORT, ChunkEvents, ChunkSignals
from tradewind.engine.simulate import (
    Changes,
    SimResult,
    SimSettings,
    exposure_of,
    fees_of,
    simulate_per_bar,
    sorted_trades,
)
from tradewind.engine.trades import EXIT_REASONS, TradeArrays

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


def simulate_events(bars: Bars, events: ChunkEvents, cfg: SimSettings) -> SimResult:
    """Simulate the action ``events`` of a chunk whose strategy has no risk exits."""
    width, n = events.width, events.n_bars
    fills = _fills(bars, events, cfg.fill_next_open)
    trades, changes, failed = _compound(fills, width, n, float(bars.close[-1]), cfg)
    result = SimResult(trades, exposure_of(trades, width, n), fees_of(trades, width), changes)
    return _rerun(bars, events, cfg, failed, result) if failed.size else result


def _fills(bars: Bars, events: ChunkEvents, next_open: bool) -> _Fills:
    """Where each combination's would-be position changes, from its action events alone."""
    n, combo, bar, code = events.n_bars, events.combo, events.bar, events.code
    pos = np.arange(combo.size)
    first = np.ones(combo.size, dtype=bool)
    first[1:] = combo[1:] != combo[:-1]
    start = np.maximum.accumulate(np.where(first, pos, 0)) if combo.size else pos
    last_reset = np.maximum.accumulate(np.where(_RESET[code], pos, -1)) if combo.size else pos
    has_reset = last_reset >= start
    side = np.where(has_reset, _SIDE[code[np.maximum(last_reset, 0)]], 0).astype(np.int8)
    anchor = np.where(has_reset, last_reset, start - 1)
    for action, leaves in ((SELL, 1), (COVER, -1)):
        is_action = code == action
        if not is_action.any():  # e.g. no sell in a buy/close rule set
            continue
        last = np.maximum.accumulate(np.where(is_action, pos, -1))
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
) -> tuple[TradeArrays, Changes, np.ndarray]:
    """Cash and units through every fill: step k moves the k-th fill of every combination at once.

    Combinations are ranked by their number of fills, so step k's combinations are a prefix of that
    order and every step works on slices; everything that does not depend on cash (fill prices,
    which side leaves or enters) is computed before the loop, and the trades after it (a trade's
    entry is its combination's previous fill). Returns the trades, the fills' cash and units, and
    the combinations whose entry could not be sized (left out of both).
    """
    combo, m = fills.combo, fills.combo.size
    counts = np.bincount(combo, minlength=width)
    ranked = np.argsort(-counts, kind="stable")  # rank -> combination
    rank_of = np.empty(width, dtype=np.int64)
    rank_of[ranked] = np.arange(width)
    per_step = np.bincount(counts, minlength=int(counts.max(initial=0)) + 1)[::-1].cumsum()[::-1][1:]
    bounds = np.concatenate(([0], np.cumsum(per_step)))
    first = np.ones(m, dtype=bool)
    first[1:] = combo[1:] != combo[:-1]
    k_of = np.arange(m) - np.maximum.accumulate(np.where(first, np.arange(m), 0)) if m else first
    slot = (bounds[k_of] + rank_of[combo]).astype(np.int64)  # each fill's place in step order

    s, rate, fixed = cfg.slippage, cfg.commission, cfg.commission_fixed
    before, after = fills.before.astype(np.float64), fills.after.astype(np.float64)
    out_price = fills.raw * (1.0 + -before * s)
    in_price = fills.raw * (1.0 + after * s)
    entering = after != 0
    # What the loop reads, moved to step order by one scatter of whole rows (a permutation costs
    # per row touched, not per value).
    by_fill = np.empty((m, 5))
    by_fill[:, 0], by_fill[:, 1], by_fill[:, 2] = out_price, in_price, after
    by_fill[:, 3] = np.where(before != 0, fixed, 0.0)  # no exit, no fee: cash stays exact
    by_fill[:, 4] = in_price * (1.0 + rate)
    by_step = np.empty_like(by_fill)
    _row_view(by_step)[slot] = _row_view(by_fill)
    out_k, in_k, side_k, fixed_out_k, cost_k = by_step.T
    sizing = None if cfg.sizing_value is None else cfg.sizing_value[ranked]
    cash = np.full(width, float(cfg.cash))
    units = np.zeros(width)
    log = np.empty((m, 4))  # qty, entry fee, cash and units after each fill, in step order
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(bounds.size - 1):
            lo, hi = int(bounds[k]), int(bounds[k + 1])
            top = hi - lo  # combinations ranked 0..top-1 have a k-th fill
            u, price = units[:top], out_k[lo:hi]
            held = cash[:top] + (u * price - (np.abs(u) * price * rate + fixed_out_k[lo:hi]))
            if cfg.sizing_mode == "units":
                assert sizing is not None
                qty = sizing[:top]
            else:
                budget = held if cfg.sizing_mode == "all_in" else held * sizing[:top]  # type: ignore[index]
                qty = (budget - fixed) / cost_k[lo:hi]
            if not cfg.fractional:
                qty = np.floor(qty)
            price, side = in_k[lo:hi], side_k[lo:hi]
            enters = side != 0
            new_units = np.where(enters, side * qty, 0.0)
            fee = qty * price * rate + fixed
            cash[:top] = np.where(enters, held - (new_units * price + fee), held)
            units[:top] = new_units
            log[lo:hi, 0], log[lo:hi, 1], log[lo:hi, 2], log[lo:hi, 3] = qty, fee, cash[:top], new_units
    qty, entry_fee, cash_after, units_after = np.take(log, slot, axis=0).T  # back to fill order
    bad = np.zeros(width, dtype=bool)
    bad[combo[entering & ~(qty > 0)]] = True
    keep = ~bad[combo]
    closing = np.flatnonzero(keep & (before != 0))  # never a combination's first fill
    entry = closing - 1
    size = units_after[entry]
    trade_cols = [
        combo[closing],
        fills.bar[entry],
        fills.bar[closing],
        in_price[entry],
        out_price[closing],
        size,
        entry_fee[entry],
        np.abs(size) * out_price[closing] * rate + fixed,
        np.where(after[closing] != 0, _REVERSAL, _SIGNAL),
        np.zeros(closing.size, dtype=bool),
    ]
    if bad.any():
        kept = np.flatnonzero(keep)
        change_cols = [combo[kept], fills.bar[kept], cash_after[kept], units_after[kept]]
    else:
        change_cols = [combo, fills.bar, cash_after, units_after]
    last = np.flatnonzero(keep & np.append(first[1:], True) & (after != 0))  # still open at the end
    if last.size:
        live, u = combo[last], units_after[last]
        if cfg.close_at_end:
            price = np.full(last.size, last_close) * (1.0 + -np.sign(u) * s)
            fee = np.abs(u) * price * rate + fixed
            closed = [live, np.full(live.size, n - 1), cash_after[last] + (u * price - fee), np.zeros_like(u)]
            change_cols = _insert_after(change_cols, closed)
            is_open = False
        else:
            price, fee, is_open = np.full(live.size, last_close), np.zeros(live.size), True
        ends = [live, fills.bar[last], np.full(live.size, n - 1), in_price[last], price, u]
        ends += [entry_fee[last], fee, np.full(live.size, _END), np.full(live.size, is_open)]
        trade_cols = _insert_after(trade_cols, ends)
    starts = np.searchsorted(change_cols[0], np.arange(width + 1))
    changes = Changes(n, width, float(cfg.cash), change_cols[1], starts, change_cols[2], change_cols[3])
    return sorted_trades(*trade_cols), changes, np.flatnonzero(bad)


def _row_view(table: np.ndarray) -> np.ndarray:
    """A C-ordered 2-d array as one opaque item per row, so fancy indexing moves whole rows."""
    return table.view(np.dtype((np.void, table.shape[1] * table.itemsize))).ravel()


def _insert_after(columns: list[np.ndarray], rows: list[np.ndarray]) -> list[np.ndarray]:
    """Combination-sorted ``columns`` with ``rows`` (sorted, one per combination) after each one's own."""
    at = np.searchsorted(columns[0], rows[0], side="right")
    old = np.arange(columns[0].size)
    old += np.searchsorted(at, old, side="right")
    new = at + np.arange(at.size)
    merged = []
    for column, row in zip(columns, rows, strict=True):
        out = np.empty(column.size + row.size, dtype=np.result_type(column, row))
        out[old], out[new] = column, row
        merged.append(out)
    return merged


def _rerun(
    bars: Bars, events: ChunkEvents, cfg: SimSettings, failed: np.ndarray, main: SimResult
) -> SimResult:
    """``main`` (which has no trades or fills of ``failed``) completed by the per-bar simulator."""
    sizing = None if cfg.sizing_value is None else cfg.sizing_value[failed]
    sub_cfg = dataclasses.replace(cfg, sizing_value=sizing)
    sub = simulate_per_bar(bars, ChunkSignals(events.codes(failed), None), sub_cfg)
    redone = dataclasses.replace(sub.trades, combo=failed[sub.trades.combo])
    trades = concat([main.trades, redone])
    trades = select(trades, np.lexsort((trades.entry_idx, trades.combo)))
    width, c, s = main.changes.width, main.changes, sub.changes
    combo = np.repeat(np.arange(width), np.diff(c.combo_start))
    sub_combo = failed[np.repeat(np.arange(s.width), np.diff(s.combo_start))]
    columns = [
        np.concatenate((a, b))
        for a, b in zip((combo, c.bar, c.cash, c.units), (sub_combo, s.bar, s.cash, s.units), strict=True)
    ]
    exposure, commissions = main.exposure.copy(), main.commissions.copy()
    exposure[failed], commissions[failed] = sub.exposure, sub.commissions
    return SimResult(trades, exposure, commissions, _change_table(width, c.n_bars, c.cash0, *columns))


def _change_table(
    width: int, n: int, cash0: float, combo: np.ndarray, bar: np.ndarray, cash: np.ndarray, units: np.ndarray
) -> Changes:
    """The change log sorted by combination (time order kept within each)."""
    order = np.argsort(combo, kind="stable")
    starts = np.searchsorted(combo[order], np.arange(width + 1))
    return Changes(n, width, cash0, bar[order], starts, cash[order], units[order])
