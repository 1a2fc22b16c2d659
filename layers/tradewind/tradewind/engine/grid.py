"""Run one strategy over a grid of parameter combinations on one series, chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.events import simulate_events
from tradewind.engine.signals import SignalPlan
from tradewind.engine.simulate import ExitRule, SimResult, SimSettings, simulate
from tradewind.strategy.models import RiskExit, Strategy

# The int8 action matrix of one chunk stays within this size. Big chunks amortize the per-bar Python
# overhead; float (bars x combos) matrices are only ever built per block (see ``BLOCK_COMBOS``).
CHUNK_BYTES = 64 * 1024 * 1024
# Without risk exits there is no code matrix, only events and fills: (bars x combos) cells per chunk
# within this many keeps those arrays small enough to be reused from the heap rather than mapped and
# faulted in afresh (which costs more than their arithmetic); fewer, bigger chunks would repeat less
# of the event simulator's per-step loop.
EVENT_CHUNK_CELLS = 16 * 1024 * 1024
# Combinations per equity block handed to the metrics (~17 MB of float64 at 2,148 bars: fewer,
# bigger blocks amortize the metrics' per-call work; the metrics scan each block in cache-sized groups).
BLOCK_COMBOS = 1024
# Combinations per block of the screening pass over segments: its per-segment arrays (~30 per
# combination on a daily series) stay small enough to be reused from the heap instead of being
# mapped and faulted in afresh, which costs more than the arithmetic.
SCREEN_COMBOS = 4096


@dataclass(frozen=True)
class Chunk:
    start: int
    stop: int
    result: SimResult


def chunk_size_for(n_bars: int, n_combos: int, budget: int = CHUNK_BYTES) -> int:
    """Combinations per chunk so that its (bars x combos) cells (an int8 code each) fit ``budget``."""
    return max(1, min(n_combos, budget // max(n_bars, 1)))


def settings_for(strategy: Strategy, plan: SignalPlan, start: int, stop: int, cash: float) -> SimSettings:
    """The simulator settings of combinations ``start:stop`` (parameter references resolved)."""

    def exit_rule(spec: RiskExit | None) -> ExitRule | None:
        if spec is None:
            return None
        if spec.pct is not None:
            return ExitRule("pct", plan.value(spec.pct)[start:stop])
        assert spec.atr is not None
        return ExitRule("atr", plan.value(spec.atr)[start:stop])

    sizing, costs, risk = strategy.sizing, strategy.costs, strategy.risk
    return SimSettings(
        cash=cash,
        fill_next_open=strategy.execution.fill == "next_open",
        close_at_end=strategy.execution.close_at_end,
        commission=costs.commission,
        commission_fixed=costs.commission_fixed,
        slippage=costs.slippage_bps / 10_000.0,
        sizing_mode=sizing.mode,
        sizing_value=None if sizing.value is None else plan.value(sizing.value)[start:stop],
        fractional=sizing.fractional,
        stop_loss=exit_rule(risk.stop_loss),
        take_profit=exit_rule(risk.take_profit),
        trailing_stop=exit_rule(risk.trailing_stop),
    )


def run_grid(
    strategy: Strategy,
    bars: Bars,
    params: dict[str, np.ndarray],
    cash: float,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Chunk]:
    """Simulate every combination (``params`` are equal-length columns); yields one result per chunk."""
    n_combos = len(next(iter(params.values()))) if params else 1
    plan = SignalPlan(strategy, bars, params, n_combos)
    risk = strategy.risk
    events = all(e is None for e in (risk.stop_loss, risk.take_profit, risk.trailing_stop))
    size = chunk_size or chunk_size_for(len(bars), n_combos, EVENT_CHUNK_CELLS if events else CHUNK_BYTES)
    for start in range(0, n_combos, size):
        stop = min(n_combos, start + size)
        settings = settings_for(strategy, plan, start, stop, cash)
        if events and stop - start > 1:  # the event simulator reads only the nonzero codes
            result = simulate_events(bars, plan.events(start, stop), settings)
        else:
            result = simulate(bars, plan.chunk(start, stop), settings)
        yield Chunk(start, stop, result)
        if progress is not None:
            progress(stop, n_combos)
