/** The Overview's cards, computed in the browser from the job and dataset listings (the API has no
 * aggregate endpoint yet). Pure: `now` is passed in. */
import type { Dataset, Job } from "../../api/client";
import { jobDurationSeconds } from "../jobs/format";
import { isFinal } from "../jobs/jobState";

export interface JobStats {
  /** Jobs in the listings. */
  total: number;
  running: number;
  /** Succeeded over finished (succeeded + failed; cancelled ones are not judged), null with none. */
  successRate: number | null;
  /** Created in the 24 hours before `now`. */
  last24h: number;
  /** Mean start-to-finish time of the finished jobs, null with none. */
  averageSeconds: number | null;
}

export interface Coverage {
  datasets: number;
  ready: number;
  importing: number;
  failed: number;
  /** Symbols over the ready datasets (a symbol in two datasets counts twice). */
  symbols: number;
  rows: number;
  start: string | null;
  end: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function jobStats(jobs: Job[], now: number): JobStats {
  const succeeded = jobs.filter((job) => job.status === "succeeded").length;
  const judged = succeeded + jobs.filter((job) => job.status === "failed").length;
  const durations = jobs.map(jobDurationSeconds).filter((seconds): seconds is number => seconds !== null);
  return {
    total: jobs.length,
    running: jobs.filter((job) => !isFinal(job.status)).length,
    successRate: judged ? succeeded / judged : null,
    last24h: jobs.filter((job) => now - Date.parse(job.created_at) <= DAY_MS).length,
    averageSeconds: durations.length ? durations.reduce((sum, s) => sum + s, 0) / durations.length : null,
  };
}

export function coverage(datasets: Dataset[]): Coverage {
  const ready = datasets.filter((d) => d.status === "ready");
  const starts = ready.map((d) => d.start).filter((s): s is string => !!s);
  const ends = ready.map((d) => d.end).filter((s): s is string => !!s);
  return {
    datasets: datasets.length,
    ready: ready.length,
    importing: datasets.filter((d) => d.status === "queued" || d.status === "importing" || d.status === "awaiting_upload").length,
    failed: datasets.filter((d) => d.status === "failed").length,
    symbols: ready.reduce((sum, d) => sum + (d.symbols_count ?? 0), 0),
    rows: ready.reduce((sum, d) => sum + (d.rows ?? 0), 0),
    start: starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : null,
    end: ends.length ? ends.reduce((a, b) => (a > b ? a : b)) : null,
  };
}
