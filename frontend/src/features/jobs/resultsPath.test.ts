import { expect, it } from "vitest";
import { resultsPath } from "./api";

it("opens each kind's own results page", () => {
  const job = (kind: string) => ({ kind, job_id: "j1", dataset_id: "d1" }) as Parameters<typeof resultsPath>[0];
  expect(["backtest", "optimization", "pipeline", "command", "import"].map((kind) => resultsPath(job(kind)))).toEqual([
    "/backtests/j1",
    "/optimizations/j1",
    "/pipeline/runs/j1",
    "/commands",
    "/data/datasets/d1",
  ]);
});
