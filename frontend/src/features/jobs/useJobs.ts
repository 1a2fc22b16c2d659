/** Server state of jobs through TanStack Query: the recent lists, the live rate/ETA, following each
 * unfinished job on its `job:<id>` topic (the realtime layer patches the cached copies), cancel. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Job, type JobKind, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { useTopics } from "../realtime/RealtimeProvider";
import { isFinal, type JobLive, jobTopic } from "./jobState";

/** Listings refresh this often too: a job submitted elsewhere (CLI, another tab) is on no topic we
 * follow until it is listed (the API has no tenant-wide "job created" event yet). */
export const LIST_REFRESH_MS = 20_000;

/** A connection holds at most 50 topics: follow no more than this many jobs at once. */
const MAX_FOLLOWED = 40;

export function useJobList(kind: JobKind, limit = 10) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.list(kind, { limit }),
    queryFn: () =>
      kind === "backtest"
        ? unwrap(api.GET("/backtests", { params: { query: { limit } } }))
        : unwrap(api.GET("/optimizations", { params: { query: { limit } } })),
    refetchInterval: LIST_REFRESH_MS,
  });
}

/** Follow every queued or running job of `jobs` on its topic while mounted. */
export function useFollowJobs(jobs: Job[]): void {
  useTopics(
    jobs
      .filter((job) => !isFinal(job.status))
      .slice(0, MAX_FOLLOWED)
      .map((job) => jobTopic(job.job_id)),
  );
}

const NO_LIVE: JobLive = { runsPerSecond: null, etaSeconds: null };

/** The rate and ETA of the last `job.progress` (written by the realtime layer; never fetched). */
export function useJobLive(jobId: string): JobLive {
  const { data } = useQuery({ queryKey: queryKeys.jobs.live(jobId), queryFn: () => NO_LIVE, enabled: false, initialData: NO_LIVE, staleTime: Infinity });
  return data;
}

/** Put a job the API just answered with (submitted, cancelled) into the cached lists of its kind. */
export function rememberJob(queryClient: QueryClient, job: Job): void {
  queryClient.setQueryData(queryKeys.jobs.detail(job.job_id), job);
  const put = (page: { items: Job[]; next_token?: string | null }) => {
    const listed = page.items.some((item) => item.job_id === job.job_id);
    return { ...page, items: listed ? page.items.map((item) => (item.job_id === job.job_id ? job : item)) : [job, ...page.items] };
  };
  for (const kind of [job.kind, "all"]) {
    // the kind's listings, and the every-kind ones (one page; the Jobs page's pages are refetched)
    queryClient.setQueriesData<{ items: Job[]; next_token?: string | null }>({ queryKey: ["jobs", "list", kind] }, (page) =>
      page && Array.isArray(page.items) ? put(page) : page,
    );
  }
}

/** Pause a running optimization, or resume a paused one (docs/jobs.md, Pause and resume). */
export function usePauseResume() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ job, action }: { job: Job; action: "pause" | "resume" }) =>
      action === "pause"
        ? unwrap(api.POST("/jobs/{job_id}/pause", { params: { path: { job_id: job.job_id } } }))
        : unwrap(api.POST("/jobs/{job_id}/resume", { params: { path: { job_id: job.job_id } } })),
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}

export function useCancelJob() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // One cancel route serves every kind.
    mutationFn: (job: Job) => unwrap(api.POST("/jobs/{job_id}/cancel", { params: { path: { job_id: job.job_id } } })),
    // The answer is the job's new state: no refetch (a listing read at once may lag behind it).
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}
