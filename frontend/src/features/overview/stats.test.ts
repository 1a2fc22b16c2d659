import { expect, it } from "vitest";
import type { Dataset } from "../../api/client";
import { coverage } from "./stats";

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
