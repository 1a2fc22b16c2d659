import { expect, it } from "vitest";
import type { Dataset } from "../../api/client";
import { aJob } from "../../test/jobs";
import { coverage, jobStats } from "./stats";

const NOW = Date.parse("2025-01-02T12:00:00Z");

it("counts jobs, judges only finished ones and averages their durations", () => {
  const jobs = [
    aJob({ job_id: "a", status: "succeeded", created_at: "2025-01-02T11:00:00Z", started_at: "2025-01-02T11:00:00Z", finished_at: "2025-01-02T11:00:30Z" }),
    aJob({ job_id: "b", status: "failed", created_at: "2025-01-01T11:00:00Z", started_at: "2025-01-01T11:00:00Z", finished_at: "2025-01-01T11:01:30Z" }),
    aJob({ job_id: "c", status: "cancelled", created_at: "2024-12-30T11:00:00Z" }),
    aJob({ job_id: "d", status: "running", created_at: "2025-01-02T11:59:00Z", started_at: "2025-01-02T11:59:00Z" }),
  ];
  expect(jobStats(jobs, NOW)).toEqual({ total: 4, running: 1, successRate: 0.5, last24h: 2, averageSeconds: 60 });
  expect(jobStats([], NOW)).toEqual({ total: 0, running: 0, successRate: null, last24h: 0, averageSeconds: null });
});

it("sums the coverage of ready datasets and spans their dates", () => {
  const base = { source: "upload", synthetic: false, created_at: "x", updated_at: "x" };
  const datasets = [
    { ...base, dataset_id: "a", name: "A", status: "ready", symbols_count: 10, rows: 100, start: "2020-01-01", end: "2021-01-01" },
    { ...base, dataset_id: "b", name: "B", status: "ready", symbols_count: 5, rows: 50, start: "2019-06-01", end: "2020-06-01" },
    { ...base, dataset_id: "c", name: "C", status: "importing", symbols_count: 0, rows: 0, start: null, end: null },
    { ...base, dataset_id: "d", name: "D", status: "failed", symbols_count: 0, rows: 0, start: null, end: null },
  ] as Dataset[];
  expect(coverage(datasets)).toEqual({ datasets: 4, ready: 2, importing: 1, failed: 1, symbols: 15, rows: 150, start: "2019-06-01", end: "2021-01-01" });
});
