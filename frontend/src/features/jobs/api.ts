/** The one job control surface (`/jobs`): every kind listed with filters, the stats, a job's
 * timeline, progress history and log (live: `job.log` lines on `job:<id>` are appended as they come). */
import { type QueryClient, keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { type Job, type JobKind, type JobStatus, type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { ServerMessage } from "../../api/realtime";
import { useApi } from "../../app/ApiContext";
import { useRealtimeMessages, useTopics } from "../realtime/RealtimeProvider";
import { isFinal, jobTopic } from "./jobState";
import { LIST_REFRESH_MS } from "./useJobs";

export type JobStats = Schemas["JobStatsOut"];
export type TimelineEntry = Schemas["TimelineEntry"];
export type ProgressSample = Schemas["ProgressSample"];
export type LogLine = Schemas["LogLine"];

export const KINDS: JobKind[] = ["import", "backtest", "optimization", "pipeline", "command", "workflow"];
export const STATUSES: JobStatus[] = ["queued", "running", "paused", "succeeded", "failed", "cancelled", "stopped"];
/** A page of the jobs list. */
export const PAGE = 25;
/** The live log keeps at most this many lines in the page. */
export const LOG_LINES = 1000;

export interface JobFilters {
  kind?: JobKind;
  status?: JobStatus;
  created_from?: string;
  created_to?: string;
  name?: string;
}

/** Drop the empty filters (the API answers 422 to an empty `name`). */
export function cleanFilters(filters: JobFilters): JobFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== "")) as JobFilters;
}

/** Every kind, newest first, page after page (`next_token`). */
export function useAllJobs(filters: JobFilters, limit = PAGE) {
  const api = useApi();
  const query = cleanFilters(filters);
  return useInfiniteQuery({
    queryKey: [...queryKeys.jobs.lists, "all", { ...query, limit }],
    queryFn: ({ pageParam }) => unwrap(api.GET("/jobs", { params: { query: { ...query, limit, next_token: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_token ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });
}

/** The newest jobs of every kind (one page): the Overview's recent jobs. */
export function useRecentJobs(limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.jobs.lists, "all", { limit }],
    queryFn: () => unwrap(api.GET("/jobs", { params: { query: { limit } } })),
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useJobStats() {
  const api = useApi();
  return useQuery({
    // under the lists: a job that ends or starts refreshes the figures too
    queryKey: [...queryKeys.jobs.lists, "stats"],
    queryFn: () => unwrap(api.GET("/jobs/stats")),
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useJob(jobId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.detail(jobId),
    queryFn: () => unwrap(api.GET("/jobs/{job_id}", { params: { path: { job_id: jobId } } })),
  });
}

/** Refetched with every progress message while the job runs (the timeline and samples grow). */
export function useTimeline(job: Job | undefined) {
  const api = useApi();
  const jobId = job?.job_id ?? "";
  return useQuery({
    queryKey: [...queryKeys.jobs.detail(jobId), "timeline", job?.status],
    queryFn: () => unwrap(api.GET("/jobs/{job_id}/timeline", { params: { path: { job_id: jobId } } })),
    enabled: !!job,
  });
}

export function useProgressHistory(job: Job | undefined) {
  const api = useApi();
  const jobId = job?.job_id ?? "";
  const running = !!job && !isFinal(job.status);
  return useQuery({
    queryKey: [...queryKeys.jobs.detail(jobId), "progress"],
    queryFn: () => unwrap(api.GET("/jobs/{job_id}/progress", { params: { path: { job_id: jobId } } })),
    enabled: !!job,
    refetchInterval: running ? 5_000 : false,
  });
}

/** Merge lines by `seq` (a line may arrive live and in a page), in order, keeping the last `max`. */
export function mergeLines(current: LogLine[], added: LogLine[], max = LOG_LINES): LogLine[] {
  const bySeq = new Map(current.map((line) => [line.seq, line]));
  for (const line of added) bySeq.set(line.seq, line);
  const lines = [...bySeq.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return lines.slice(Math.max(0, lines.length - max));
}

/** The last lines of the job's log, then every `job.log` line pushed on its topic while mounted. */
export function useJobLog(jobId: string, tail = 200) {
  const api = useApi();
  const stored = useQuery({
    queryKey: [...queryKeys.jobs.detail(jobId), "logs", { tail }],
    queryFn: () => unwrap(api.GET("/jobs/{job_id}/logs", { params: { path: { job_id: jobId }, query: { tail } } })),
  });
  const [live, setLive] = useState<LogLine[]>([]);
  useTopics([jobTopic(jobId)]);
  const listener = useCallback(
    (message: ServerMessage) => {
      if (message.type === "job.log" && message.topic === jobTopic(jobId)) {
        setLive((lines) => mergeLines(lines, [message.payload as unknown as LogLine]));
      }
    },
    [jobId],
  );
  useRealtimeMessages(listener);
  return { ...stored, lines: mergeLines(stored.data?.items ?? [], live) };
}

/** After a delete by default: forget the job's queries and refetch the job lists. */
function forgetJob(queryClient: QueryClient, job: Job) {
  queryClient.removeQueries({ queryKey: queryKeys.jobs.detail(job.job_id) });
  return queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists });
}

/** Delete any job (backtest, optimization, pipeline run…) with DELETE /jobs/{id}; `settle` updates the caches after. */
export function useDeleteJob(settle: (queryClient: QueryClient, job: Job) => unknown = forgetJob) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (job: Job) => {
      await unwrap(api.DELETE("/jobs/{job_id}", { params: { path: { job_id: job.job_id } } }));
      return job;
    },
    onSuccess: (job) => settle(queryClient, job),
  });
}

/** Where a job's results are shown (its kind's page); imports: their dataset; command runs: the
 * catalogue (a run's log is on its job page). */
export function resultsPath(job: Pick<Job, "kind" | "job_id" | "dataset_id">): string {
  switch (job.kind) {
    case "backtest":
      return `/backtests/${job.job_id}`;
    case "optimization":
      return `/optimizations/${job.job_id}`;
    case "pipeline":
      return `/pipeline/runs/${job.job_id}`;
    case "command":
      return "/commands";
    default:
      return `/data/datasets/${job.dataset_id}`;
  }
}
