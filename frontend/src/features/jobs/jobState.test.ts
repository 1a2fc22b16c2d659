import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../api/realtime";
import { aJob } from "../../test/jobs";
import { applyJobMessage, jobIdOf, liveOf, newestFirst } from "./jobState";

function message(type: string, payload: Record<string, unknown>): ServerMessage {
  return { type, topic: "job:j1", ts: "2025-01-01T00:00:00.000Z", payload };
}

function progress(done: number, extra: Record<string, unknown> = {}): ServerMessage {
  return message("job.progress", {
    job_id: "j1",
    status: "running",
    shards_done: done,
    shards_total: 4,
    combos_done: done * 8,
    combos_total: 32,
    combos_per_second: 16,
    eta_seconds: (32 - done * 8) / 16,
    ...extra,
  });
}

describe("applyJobMessage", () => {
  const queued = aJob({ status: "queued" });

  it("moves the counters and the percentage on job.progress; the rate and ETA are live-only", () => {
    const job = applyJobMessage(queued, progress(1));
    expect(job.status).toBe("running");
    expect(job.progress).toEqual({ shards_done: 1, shards_total: 4, combos_done: 8, combos_total: 32, percent: 25 });
    expect(liveOf(progress(1))).toEqual({ runsPerSecond: 16, etaSeconds: 1.5 });
  });

  it("never moves counters or status backwards (a snapshot racing a worker's update)", () => {
    const ahead = applyJobMessage(queued, progress(3));
    const late = applyJobMessage(ahead, progress(2, { status: "queued" }));
    expect(late.status).toBe("running");
    expect(late.progress.combos_done).toBe(24);
    expect(late.progress.shards_done).toBe(3);
  });

  it("ends with the summary, the error or the cancelled view, and then ignores progress", () => {
    const running = applyJobMessage(queued, progress(2));
    const summary = { best_params: { fast: 5, slow: 30 }, best_objective: 1.2, combinations: 16 };
    const done = applyJobMessage(running, message("job.completed", { job_id: "j1", status: "succeeded", summary }));
    expect(done).toMatchObject({ status: "succeeded", summary });
    expect(applyJobMessage(done, progress(4))).toBe(done);
    expect(liveOf(message("job.completed", {}))).toEqual({ runsPerSecond: null, etaSeconds: null });

    const failed = applyJobMessage(running, message("job.failed", { job_id: "j1", status: "failed", error: "shard 1 (ZENX): boom" }));
    expect(failed).toMatchObject({ status: "failed", error: "shard 1 (ZENX): boom" });

    const view = aJob({ status: "cancelled", finished_at: "2025-01-01T00:00:05.000Z" });
    expect(applyJobMessage(running, message("job.cancelled", { ...view }))).toEqual(view);
  });
});

it("newestFirst sorts by creation and keeps the first copy of a job", () => {
  const older = aJob({ job_id: "a", created_at: "2025-01-01T00:00:00.000Z" });
  const newer = aJob({ job_id: "b", created_at: "2025-01-02T00:00:00.000Z" });
  const followed = { ...newer, status: "running" as const };
  expect(newestFirst([followed, older, newer]).map((j) => [j.job_id, j.status])).toEqual([
    ["b", "running"],
    ["a", "queued"],
  ]);
});

it("jobIdOf reads a job topic only", () => {
  expect([jobIdOf("job:abc"), jobIdOf("dataset:abc"), jobIdOf(null)]).toEqual(["abc", null, null]);
});
