import type { Job } from "../api/client";

/** A job as the API lists it, queued with its totals known (what `POST /optimizations` answers). */
export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    job_id: "j1",
    kind: "optimization",
    status: "queued",
    name: "Quick optimization",
    strategy_id: null,
    strategy_version: null,
    strategy_name: "SMA cross",
    dataset_id: "sample",
    symbols: ["ZENX", "QUBIT"],
    progress: { shards_done: 0, shards_total: 4, combos_done: 0, combos_total: 32, percent: 0 },
    summary: null,
    error: null,
    cached: false,
    created_at: "2025-01-01T00:00:00.000Z",
    started_at: null,
    finished_at: null,
    updated_at: "2025-01-01T00:00:00.000Z",
    ...overrides,
  } as Job;
}
