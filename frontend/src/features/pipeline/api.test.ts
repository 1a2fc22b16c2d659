import { QueryClient } from "@tanstack/react-query";
import { expect, it } from "vitest";
import { queryKeys } from "../../api/queryKeys";
import { applyPipelineMessage, applyPipelineProgress, signalQuery } from "./api";
import { aRun } from "./testData";

it("moves a run's pipeline counters forward only, and keeps a final run as it is", () => {
  const run = aRun({ symbols_done: 3, signals_found: 7 });
  const next = applyPipelineProgress(run, { batches_done: 1, symbols_done: 2, signals_found: 9, stop_requested: true });
  expect([next.batches_done, next.symbols_done, next.signals_found, next.stop_requested]).toEqual([1, 3, 9, true]);
  const done = aRun({ status: "succeeded", signals_found: 4 });
  expect(applyPipelineProgress(done, { signals_found: 10 })).toBe(done);
});

it("patches a run's detail and listings from its topic, and refreshes pipeline reads when it ends", () => {
  const client = new QueryClient();
  client.setQueryData(queryKeys.jobs.detail("r1"), aRun());
  client.setQueryData(queryKeys.jobs.list("pipeline", { limit: 20 }), { items: [aRun(), aRun({ job_id: "r2" })], next_token: null });
  const payload = { batches_done: 1, symbols_done: 5, signals_found: 12, batches_total: 1, symbols_total: 5 };
  applyPipelineMessage(client, { type: "job.progress", topic: "job:r1", ts: "", payload });
  expect(client.getQueryData<ReturnType<typeof aRun>>(queryKeys.jobs.detail("r1"))?.signals_found).toBe(12);
  const list = client.getQueryData<{ items: ReturnType<typeof aRun>[] }>(queryKeys.jobs.list("pipeline", { limit: 20 }));
  expect(list?.items.map((r) => r.signals_found)).toEqual([12, 0]);
  client.setQueryData(queryKeys.pipeline.stats, { total_runs: 1 });
  applyPipelineMessage(client, { type: "job.stopped", topic: "job:r1", ts: "", payload: { status: "stopped" } });
  expect(client.getQueryState(queryKeys.pipeline.stats)?.isInvalidated).toBe(true);
});

it("sends only the filters that are set", () => {
  expect(signalQuery({ sort: "time", order: "desc", symbol: "", side: "long", min_strength: 0 })).toEqual({
    sort: "time",
    order: "desc",
    side: "long",
    min_strength: 0,
  });
});
