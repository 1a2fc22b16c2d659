import type { PipelineRun, Signal } from "./api";

export function aRun(overrides: Partial<PipelineRun> = {}): PipelineRun {
  return {
    job_id: "r1",
    kind: "pipeline",
    status: "running",
    name: null,
    strategy_id: null,
    strategy_version: null,
    strategy_name: "SMA cross",
    dataset_id: "sample",
    progress: { shards_done: 0, shards_total: 1, combos_done: 0, combos_total: 5, percent: 0 },
    summary: null,
    error: null,
    cached: false,
    created_at: "2025-01-01T00:00:00.000Z",
    started_at: "2025-01-01T00:00:00.000Z",
    finished_at: null,
    updated_at: "2025-01-01T00:00:00.000Z",
    mode: "demo",
    timeframe: "1d",
    universe: "sample-demo",
    symbols_total: 5,
    symbols_done: 0,
    batches_total: 1,
    batches_done: 0,
    batches_skipped: 0,
    signals_found: 0,
    stop_requested: false,
    ...overrides,
  };
}

export function aSignal(overrides: Partial<Signal> = {}): Signal {
  return {
    symbol: "ZENX",
    time: "2024-03-01T00:00:00Z",
    bar: 120,
    rule: "enter",
    action: "buy",
    side: "long",
    strength: 0.0123,
    close: 101.5,
    values: { fast: 101.2, slow: 100.1 },
    run_id: "r1",
    ...overrides,
  };
}
