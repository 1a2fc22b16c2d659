/** Fixtures several features' tests share: the sample dataset, the SMA-cross template, what the job forms load. */
import type { Dataset } from "../api/client";
import type { Route } from "./api";

/** The sample dataset as GET /datasets lists it (ready, synthetic). */
export const SAMPLE_DATASET = {
  dataset_id: "sample",
  name: "Sample universe (synthetic)",
  status: "ready",
  source: "sample",
  synthetic: true,
  symbols_count: 60,
  rows: 1000,
  start: null,
  end: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
} as unknown as Dataset;

/** The SMA-cross template (fast/slow integer parameters) as GET /strategies/templates[/sma_cross] answer it. */
export const SMA_TEMPLATE = {
  template: "sma_cross",
  name: "SMA cross",
  description: null,
  parameters: ["fast", "slow"],
  document: {
    name: "SMA cross",
    rules: [],
    parameters: { fast: { default: 10, min: 2, max: 50, step: 1, type: "int" }, slow: { default: 30, min: 10, max: 200, step: 5, type: "int" } },
  },
};

/** What a job form (backtest, pipeline run) loads: these datasets, no stored strategy, the SMA-cross template. */
export function jobFormRoutes(datasets: unknown[] = [SAMPLE_DATASET]): Record<string, Route> {
  return {
    "GET /datasets?limit=100": { status: 200, body: { items: datasets, next_token: null } },
    "GET /strategies?limit=200": { status: 200, body: { items: [], next_token: null } },
    "GET /strategies/templates": { status: 200, body: { items: [SMA_TEMPLATE] } },
    "GET /strategies/templates/sma_cross": { status: 200, body: SMA_TEMPLATE },
  };
}

/** An answer of POST /optimizations/estimate: 12 runs on one shard. */
export const ESTIMATE = {
  combinations: 12,
  grid_combinations: 12,
  symbols: 1,
  windows: 1,
  runs: 12,
  shards: 1,
  max_runs: 2000000,
  within_limit: true,
  concurrency: 10,
  metrics: "full",
  duration: { per_shard_seconds: 1, worker_seconds: 1, projected_seconds: 4 },
  usage: {},
  cost_usd: { total: 0.0001234 },
  assumptions: {},
};
