/** How the messages of topic `job:<id>` (docs/websocket.md, "Job messages") move a job: progress
 * counters, then exactly one final status. Pure functions, used by the realtime layer to patch the
 * cached job queries in place. */
import type { Job, JobStatus, Schemas } from "../../api/client";
import type { ServerMessage } from "../../api/realtime";

/** The rate and time left that only `job.progress` carries. */
export interface JobLive {
  runsPerSecond: number | null;
  etaSeconds: number | null;
}

export type JobSummary = Job["summary"];
export type OptimizationSummary = { best_params: Record<string, number | string | boolean> | null; best_objective: number | null; combinations: number };
export type BacktestSummary = { return_pct: number | null; sharpe: number | null; max_drawdown_pct: number | null; trades: number };
export type Progress = Schemas["Progress"];

interface ProgressPayload {
  status: JobStatus;
  shards_done: number;
  shards_total: number;
  combos_done: number;
  combos_total: number;
  combos_per_second: number | null;
  eta_seconds: number | null;
}

const FINAL: ReadonlySet<string> = new Set(["succeeded", "failed", "cancelled", "stopped"]);

export function isFinal(status: string): boolean {
  return FINAL.has(status);
}

export function jobTopic(jobId: string): string {
  return `job:${jobId}`;
}

/** The job id a `job:<id>` topic is about, or null. */
export function jobIdOf(topic: string | null): string | null {
  return topic?.startsWith("job:") ? topic.slice(4) : null;
}

/** The job after one message of its topic. A final status never changes again, so a progress
 * message that arrives late (a snapshot racing the completion) is ignored. */
export function applyJobMessage(job: Job, message: ServerMessage): Job {
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
      };
    }
    case "job.paused":
    case "job.resumed": {
      // Pause and resume (docs/jobs.md): the progress payload with the job's new status.
      const p = message.payload as unknown as ProgressPayload;
      return { ...applyJobMessage({ ...job, status: p.status }, { ...message, type: "job.progress" }), status: p.status };
    }
    case "job.completed":
      return { ...job, status: "succeeded", summary: (message.payload.summary ?? null) as JobSummary };
    case "job.failed":
      return { ...job, status: "failed", error: String(message.payload.error ?? "") };
    case "job.cancelled":
      return { ...(message.payload as unknown as Job) };
    default:
      return job;
  }
}

/** The rate and ETA a message sets (cleared by a final message). */
export function liveOf(message: ServerMessage): JobLive | null {
  if (message.type === "job.progress") {
    const p = message.payload as unknown as ProgressPayload;
    return { runsPerSecond: p.combos_per_second, etaSeconds: p.eta_seconds };
  }
  if (message.type === "job.completed" || message.type === "job.failed" || message.type === "job.cancelled") {
    return { runsPerSecond: null, etaSeconds: null };
  }
  return null;
}

/** Newest first (ids are time-sortable, and `created_at` says so too), each job once: the first
 * copy wins. */
export function newestFirst(jobs: Job[]): Job[] {
  const sorted = [...jobs].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  const seen = new Set<string>();
  return sorted.filter((job) => (seen.has(job.job_id) ? false : (seen.add(job.job_id), true)));
}
