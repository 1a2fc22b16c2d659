/** A job as the panel shows it, and how the messages of topic `job:<id>` (docs/websocket.md, "Job
 * messages") move it: progress counters, then exactly one final status. */
import type { BacktestSummary, Job, JobStatus, OptimizationSummary } from "../../api/client";
import type { ServerMessage } from "../../api/realtime";

/** A listed job plus the rate and time left that only `job.progress` carries. */
export interface TrackedJob extends Job {
  runsPerSecond: number | null;
  etaSeconds: number | null;
}

interface ProgressPayload {
  status: JobStatus;
  shards_done: number;
  shards_total: number;
  combos_done: number;
  combos_total: number;
  combos_per_second: number | null;
  eta_seconds: number | null;
}

const FINAL: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);

export function isFinal(status: JobStatus): boolean {
  return FINAL.has(status);
}

export function tracked(job: Job): TrackedJob {
  return { ...job, runsPerSecond: null, etaSeconds: null };
}

export function jobTopic(jobId: string): string {
  return `job:${jobId}`;
}

/** The job after one message of its topic. A final status never changes again, so a progress
 * message that arrives late (a snapshot racing the completion) is ignored. */
export function applyJobMessage(job: TrackedJob, message: ServerMessage): TrackedJob {
  if (isFinal(job.status)) return job;
  switch (message.type) {
    case "job.progress": {
      const p = message.payload as unknown as ProgressPayload;
      // A subscriber's snapshot may be read just before a worker's update yet arrive after it:
      // counters and status only move forward.
      const done = Math.max(p.combos_done, job.progress.combos_done);
      return {
        ...job,
        status: job.status === "running" ? "running" : p.status,
        progress: {
          shards_done: Math.max(p.shards_done, job.progress.shards_done),
          shards_total: p.shards_total,
          combos_done: done,
          combos_total: p.combos_total,
          percent: p.combos_total ? Math.round((1000 * done) / p.combos_total) / 10 : 0,
        },
        runsPerSecond: p.combos_per_second,
        etaSeconds: p.eta_seconds,
      };
    }
    case "job.completed": {
      const summary = message.payload.summary as OptimizationSummary | BacktestSummary | null;
      return { ...job, status: "succeeded", summary, runsPerSecond: null, etaSeconds: null };
    }
    case "job.failed":
      return { ...job, status: "failed", error: String(message.payload.error ?? ""), runsPerSecond: null, etaSeconds: null };
    case "job.cancelled":
      return tracked(message.payload as unknown as Job);
    default:
      return job;
  }
}

/** Newest first (ids are time-sortable, and `created_at` says so too), each job once: the first
 * copy wins, so pass the copies the panel already follows before a fresh listing. */
export function newestFirst(jobs: TrackedJob[]): TrackedJob[] {
  const sorted = [...jobs].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  const seen = new Set<string>();
  const unique: TrackedJob[] = [];
  for (const job of sorted) {
    if (seen.has(job.job_id)) continue;
    seen.add(job.job_id);
    unique.push(job);
  }
  return unique;
}
