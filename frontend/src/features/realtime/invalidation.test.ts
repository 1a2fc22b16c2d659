import { QueryClient } from "@tanstack/react-query";
import { expect, it, vi } from "vitest";
import type { Job } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { ServerMessage } from "../../api/realtime";
import { aJob } from "../../test/jobs";
import { applyRealtimeMessage } from "./invalidation";

const msg = (type: string, topic: string, payload: Record<string, unknown>): ServerMessage => ({ type, topic, ts: "t", payload });

function client() {
  const queryClient = new QueryClient();
  queryClient.setQueryData(queryKeys.jobs.list("optimization", { limit: 10 }), { items: [aJob({ status: "running" })], next_token: null });
  queryClient.setQueryData(queryKeys.jobs.detail("j1"), aJob({ status: "running" }));
  const invalidate = vi.spyOn(queryClient, "invalidateQueries").mockResolvedValue();
  return { queryClient, invalidate };
}

it("patches a job's progress into its cached copies without a request, and keeps the rate", () => {
  const { queryClient, invalidate } = client();
  const progress = {
    job_id: "j1",
    status: "running",
    shards_done: 2,
    shards_total: 4,
    combos_done: 16,
    combos_total: 32,
    combos_per_second: 8,
    eta_seconds: 2,
  };
  applyRealtimeMessage(queryClient, msg("job.progress", "job:j1", progress));
  const listed = queryClient.getQueryData<{ items: Job[] }>(queryKeys.jobs.list("optimization", { limit: 10 }))!.items[0];
  expect(listed.progress.percent).toBe(50);
  expect(queryClient.getQueryData<Job>(queryKeys.jobs.detail("j1"))!.progress.combos_done).toBe(16);
  expect(queryClient.getQueryData(queryKeys.jobs.live("j1"))).toEqual({ runsPerSecond: 8, etaSeconds: 2 });
  expect(invalidate).not.toHaveBeenCalled();
});

it("refetches everything about a job and the job lists when it ends", () => {
  const { queryClient, invalidate } = client();
  applyRealtimeMessage(queryClient, msg("job.completed", "job:j1", { job_id: "j1", status: "succeeded", summary: { trades: 1 } }));
  expect(queryClient.getQueryData<Job>(queryKeys.jobs.detail("j1"))!.status).toBe("succeeded");
  expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([queryKeys.jobs.detail("j1"), queryKeys.jobs.lists]);
});

it("refetches the job lists when the tenant's job feed announces a new job", () => {
  const { queryClient, invalidate } = client();
  applyRealtimeMessage(queryClient, msg("job.created", "jobs", { job_id: "j2", status: "queued" }));
  expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([queryKeys.jobs.lists]);
});

it("refetches notifications on the notifications topic, and what the notification is about", () => {
  const { queryClient, invalidate } = client();
  applyRealtimeMessage(queryClient, msg("notification", "notifications", { kind: "job.completed" }));
  applyRealtimeMessage(queryClient, msg("notification", "notifications", { kind: "dataset.ready" }));
  expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([
    queryKeys.notifications.all,
    queryKeys.jobs.lists,
    queryKeys.notifications.all,
    queryKeys.datasets.all,
  ]);
});

it("refetches a dataset and the dataset lists on dataset:<id>, and ignores replies to the connection", () => {
  const { queryClient, invalidate } = client();
  applyRealtimeMessage(queryClient, msg("dataset.status", "dataset:d1", { status: "ready" }));
  applyRealtimeMessage(queryClient, { type: "pong", topic: null, ts: "t", payload: {} });
  expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([queryKeys.datasets.detail("d1"), queryKeys.datasets.lists]);
});
