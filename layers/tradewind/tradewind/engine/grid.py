"""Run one strategy over a grid of parameter combinations on one series, chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from tradewind.engine.bars import Bars
from tradewind.engine.signals import SignalPlan
from tradewind.engine.simulate import ExitRule, SimResult, SimSettings, simulate
from tradewind.strategy.models import RiskExit, Strategy

# Equity of one chunk stays around this size; the signal matrices of a chunk are a fraction of it.
# Bigger chunks amortize the per-bar Python overhead; this keeps a 2,000-bar sweep near 2 chunks.
CHUNK_BYTES = 192 * 1024 * 1024


@dataclass(frozen=True)
class Chunk:
    start: int
    stop: int
    result: SimResult


def chunk_size_for(n_bars: int, n_combos: int, budget: int = CHUNK_BYTES) -> int:
    """Combinations per chunk so that one float64 (bars x combos) matrix fits ``budget`` bytes."""
    return max(1, min(n_combos, budget // (8 * max(n_bars, 1))))


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
    record_positions: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Chunk]:
    """Simulate every combination (``params`` are equal-length columns); yields one result per chunk.

    Chunks share one equity buffer: consume a chunk's result before asking for the next one.
    """
    n_combos = len(next(iter(params.values()))) if params else 1
    plan = SignalPlan(strategy, bars, params, n_combos)
    size = chunk_size or chunk_size_for(len(bars), n_combos)
    buffer = np.empty((len(bars), min(size, n_combos)))
    for start in range(0, n_combos, size):
        stop = min(n_combos, start + size)
        signals = plan.chunk(start, stop)
        settings = settings_for(strategy, plan, start, stop, cash)
        result = simulate(bars, signals, settings, record_positions, out=buffer)
        yield Chunk(start, stop, result)
        if progress is not None:
            progress(stop, n_combos)
