"""Metrics throughput on the issue's sweep shape: 2,148 bars x 19,701 combos, handed over in chunks.

Synthetic but sweep-like inputs: each combo is in the market about half the time (flat equity
otherwise) with ~30 trades. Prints combos/s for the screening and the full level (metrics only, the
engine excluded), the screening pass a sweep actually runs (from constant-holding segments, no equity
matrix), the time of one full single-backtest metrics row, and the peak memory per chunk.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd
from tradewind.engine.trades import Segments, TradeArrays
from tradewind.metrics import compute_metrics
from tradewind.metrics.compute import segment_screening_columns

N_BARS = 2_148
N_COMBOS = 19_701
CHUNK = 2_048
TRADES_PER_COMBO = 30
CASH = 10_000.0


def _chunk_inputs(rng: np.random.Generator, n_combos: int) -> dict[str, object]:
    close = 100 * np.cumprod(1 + rng.normal(0.0003, 0.012, N_BARS))
    market = np.concatenate(([0.0], close[1:] / close[:-1] - 1))
    edges = np.sort(rng.choice(np.arange(1, N_BARS - 1), (n_combos, 2 * TRADES_PER_COMBO)), axis=1)
    holding = np.zeros((N_BARS, n_combos))
    cols = np.arange(n_combos)
    for k in range(TRADES_PER_COMBO):
        start, stop = edges[:, 2 * k], edges[:, 2 * k + 1]
        np.add.at(holding, (start, cols), 1.0)
        np.add.at(holding, (stop, cols), -1.0)
    in_market = np.cumsum(holding, axis=0) > 0
    equity = CASH * np.cumprod(1 + market[:, None] * in_market, axis=0)
    combo = np.repeat(cols, TRADES_PER_COMBO)
    entry, exit_ = edges[:, 0::2].ravel(), edges[:, 1::2].ravel()
    pnl = rng.normal(20, 300, combo.shape[0])
    f8 = np.ones(combo.shape[0])
    trades = TradeArrays(
        combo,
        entry,
        exit_,
        f8,
        f8,
        f8,
        pnl,
        pnl / 100,
        f8,
        np.zeros(combo.shape[0], np.int8),
        np.zeros(combo.shape[0], bool),
    )
    return {
        "equity": np.asfortranarray(equity),  # the engine hands each combo's bars contiguous
        "trades": trades,
        "exposure": in_market.mean(axis=0),
        "close": close,
        "index": pd.bdate_range("2015-01-02", periods=N_BARS).values,
        "commissions": np.full(n_combos, 12.5),
        "cash": CASH,
    }


def _segments(rng: np.random.Generator, close: np.ndarray, n_combos: int) -> Segments:
    """Each combo alternates flat and all-in long stretches (whole units, a cash residue) between ~60
    random fill bars, equity carried from one stretch to the next, as the engine's fills make them."""
    combo, start, end, cash, units = [], [], [], [], []
    for c in range(n_combos):
        fills = np.unique(rng.integers(1, N_BARS - 1, 2 * TRADES_PER_COMBO)).tolist()
        equity = CASH
        for i, (s, e) in enumerate(zip([0, *fills], [*fills, N_BARS], strict=True)):
            u = float(np.floor(equity / close[s])) if i % 2 else 0.0
            combo.append(c)
            start.append(s)
            end.append(e)
            cash.append(equity - u * close[s])
            units.append(u)
            equity = cash[-1] + u * close[e - 1]
    as_array = np.asarray
    return Segments(
        N_BARS, n_combos, as_array(combo), as_array(start), as_array(end), as_array(cash), as_array(units)
    )


def _sweep_seconds(inputs: dict[str, object], level: str) -> tuple[float, float]:
    """Wall and CPU seconds for the whole sweep's metrics, chunk by chunk (one chunk stands for each).

    CPU time is printed too because the shared 2-core machines inflate wall time when others run.
    """
    n_chunks, last = divmod(N_COMBOS, CHUNK)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n_chunks):
        compute_metrics(**inputs, level=level)  # type: ignore[arg-type]
    scale = 1 + last / CHUNK / n_chunks
    return (time.perf_counter() - wall) * scale, (time.process_time() - cpu) * scale


def main() -> None:
    rng = np.random.default_rng(3)
    inputs = _chunk_inputs(rng, CHUNK)
    print(f"metrics of a {N_BARS:,}-bar x {N_COMBOS:,}-combo sweep in chunks of {CHUNK:,} (engine excluded)")
    for level, target in (("screening", 50_000), ("full", 10_000)):
        compute_metrics(**inputs, level=level)  # type: ignore[arg-type]  # warm-up
        wall, cpu = _sweep_seconds(inputs, level)
        print(
            f"  {level:9s}: {N_COMBOS / wall:>9,.0f} combos/s wall ({wall:.2f} s),"
            f" {N_COMBOS / cpu:>9,.0f} combos/s of CPU time"
            f"  [end-to-end target incl. engine: >= {target:,}/s]"
        )
    segments = _segments(rng, inputs["close"], CHUNK)  # type: ignore[arg-type]
    args = (segments, TradeArrays.empty(), inputs["close"], inputs["index"], CASH)
    segment_screening_columns(*args)  # type: ignore[arg-type]  # warm-up
    n_chunks, last = divmod(N_COMBOS, CHUNK)
    cpu = time.process_time()
    for _ in range(n_chunks):
        segment_screening_columns(*args)  # type: ignore[arg-type]
    cpu = (time.process_time() - cpu) * (1 + last / CHUNK / n_chunks)
    print(
        f"  screening from segments (the sweep's pass, ~{segments.combo.size // CHUNK} per combo):"
        f" {N_COMBOS / cpu:>9,.0f} combos/s of CPU time"
    )
    tracemalloc.start()
    compute_metrics(**inputs, level="full")  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    chunk_mib = CHUNK * N_BARS * 8 / 2**20
    print(
        f"  peak memory of one full chunk: {peak / 2**20:,.0f} MiB (input equity chunk {chunk_mib:,.0f} MiB)"
    )
    one = _chunk_inputs(rng, 1)
    best = min(_timed(lambda: compute_metrics(**one, level="full")) for _ in range(20))  # type: ignore[arg-type]
    print(f"  one backtest, full metrics: {best * 1e3:.2f} ms  [target incl. engine and trade list: <= 2 ms]")


def _timed(call: object) -> float:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
