/** What the fake API answers in the Backtests tests. */
import type { Job } from "../../api/client";
import { aJob } from "../../test/jobs";
import type { BacktestResults, Comparison, Trade } from "./api";

export { SAMPLE_DATASET as SAMPLE } from "../../test/fixtures";

export function aBacktest(overrides: Partial<Job> = {}): Job {
  return aJob({
    job_id: "b1",
    kind: "backtest",
    name: "SMA cross · ZENX, QUBIT · all data",
    progress: { shards_done: 0, shards_total: 2, combos_done: 0, combos_total: 2, percent: 0 },
    ...overrides,
  });
}

export const SUCCEEDED = aBacktest({
  status: "succeeded",
  progress: { shards_done: 2, shards_total: 2, combos_done: 2, combos_total: 2, percent: 100 },
  summary: { return_pct: 12.5, sharpe: 1.234, max_drawdown_pct: -8.2, trades: 3 } as unknown as Job["summary"],
});

export function aTrade(overrides: Partial<Trade> = {}): Trade {
  return {
    symbol: "ZENX",
    entry_time: "2024-01-02T00:00:00Z",
    exit_time: "2024-01-10T00:00:00Z",
    entry_price: 10,
    exit_price: 11,
    size: 100,
    pnl: 100,
    return_pct: 10,
    fees: 1,
    duration_bars: 6,
    exit_reason: "signal",
    is_open: false,
    ...overrides,
  };
}

export const TRADES: Trade[] = [
  aTrade(),
  aTrade({ symbol: "QUBIT", entry_time: "2024-01-03T00:00:00Z", exit_time: "2024-01-20T00:00:00Z", pnl: -50, return_pct: -5, exit_reason: "stop_loss" }),
  aTrade({ entry_time: "2024-02-01T00:00:00Z", exit_time: "2024-02-05T00:00:00Z", pnl: 300, return_pct: 25 }),
];

const curve = (n: number) => ({
  time: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString()),
  equity: Array.from({ length: n }, (_, i) => 10000 + i * 10),
  drawdown_pct: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : 0)),
  benchmark: Array.from({ length: n }, (_, i) => 10000 + i * 5),
});

export const RESULTS: BacktestResults = {
  job_id: "b1",
  portfolio: {
    return_pct: 12.5,
    sharpe: 1.234,
    max_drawdown_pct: -8.2,
    trades: 3,
    win_rate_pct: 66.67,
    equity_final: 11250,
    start: "2024-01-01T00:00:00Z",
    end: "2024-03-01T00:00:00Z",
  },
  symbols: {
    ZENX: { return_pct: 20, sharpe: 1.5, trades: 2 },
    QUBIT: { return_pct: 5, sharpe: 0.4, trades: 1 },
  },
  params: { fast: 10, slow: 30 },
  weights: { ZENX: 0.5, QUBIT: 0.5 },
  start: "2024-01-01T00:00:00Z",
  end: "2024-03-01T00:00:00Z",
  trades: { items: TRADES.slice(0, 1), next_token: "x", total: 3 },
  curves: { portfolio: curve(60), symbols: { ZENX: curve(60), QUBIT: curve(60) } },
};

export const COMPARISON: Comparison = {
  backtests: [
    {
      job_id: "b1",
      name: "Run one",
      strategy_name: "SMA cross",
      strategy_id: null,
      strategy_version: null,
      symbols: ["ZENX"],
      params: { fast: 10 },
      start: null,
      end: null,
    },
    {
      job_id: "b2",
      name: "Run two",
      strategy_name: "SMA cross",
      strategy_id: null,
      strategy_version: null,
      symbols: ["ZENX"],
      params: { fast: 20 },
      start: null,
      end: null,
    },
  ],
  metrics: [
    { metric: "return_pct", label: "Return [%]", unit: "%", values: [12.5, -3] },
    { metric: "sharpe", label: "Sharpe Ratio", unit: "ratio", values: [1.23456, null] },
  ],
};

export const CANDLES = {
  symbol: "ZENX",
  dataset_id: "sample",
  dataset_name: "Sample",
  synthetic: true,
  total: 3,
  count: 3,
  downsampled: false,
  t: [1704067200, 1704153600, 1704240000],
  o: [10, 11, 12],
  h: [11, 12, 13],
  l: [9, 10, 11],
  c: [11, 12, 12.5],
  v: [100, 200, 300],
};
