/** Server state of the Optimizations pages: a job, its full table a block at a time, heatmap,
 * walk-forward report, download links, the estimate as you type, submit, cancel, delete and the
 * drill-down into one combination. Everything about a job sits under `queryKeys.jobs.detail(id)`, so
 * the realtime layer refetches it when the job finishes. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDebouncedValue } from "@mantine/hooks";
import { useCallback } from "react";
import { type Job, type OptimizationRequest, type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { isFinal } from "../jobs/jobState";
import { useDeleteJob } from "../jobs/api";
import { rememberJob } from "../jobs/useJobs";

export type Estimate = Schemas["Estimate"];
export type TablePage = Schemas["TablePage"];
export type Heatmap = Schemas["Heatmap"];
export type WalkForwardReport = Schemas["WalkForwardReport"];
export type SortOrder = "asc" | "desc";

/** Rows per block of the full table (one request each, fetched as the table scrolls to them). */
export const BLOCK = 500;
/** How long the editor waits after the last keystroke before it asks for an estimate. */
export const ESTIMATE_DEBOUNCE_MS = 400;

export function useOptimization(jobId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.detail(jobId),
    queryFn: () => unwrap(api.GET("/jobs/{job_id}", { params: { path: { job_id: jobId } } })),
    refetchInterval: (query) => (query.state.data && !isFinal(query.state.data.status) ? 20_000 : false),
  });
}

function tableBlockQuery(api: ReturnType<typeof useApi>, jobId: string, block: number, sort: string | undefined, order: SortOrder | undefined) {
  return {
    queryKey: [...queryKeys.jobs.detail(jobId), "table", sort ?? null, order ?? null, block],
    queryFn: () =>
      unwrap(
        api.GET("/optimizations/{job_id}/table", {
          params: { path: { job_id: jobId }, query: { offset: block * BLOCK, limit: BLOCK, ...(sort ? { sort } : {}), ...(order ? { order } : {}) } },
        }),
      ),
    staleTime: Infinity,
  };
}

/** One block of the table sorted by `sort`/`order` (undefined: the objective, its direction). */
export function useTableBlock(jobId: string, block: number, sort: string | undefined, order: SortOrder | undefined, enabled = true) {
  const api = useApi();
  return useQuery({ ...tableBlockQuery(api, jobId, block, sort, order), enabled });
}

/** Fetches a block into the cache ahead of the scroll reaching it (nothing re-renders when it lands). */
export function usePrefetchTableBlock() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useCallback(
    (jobId: string, block: number, sort: string | undefined, order: SortOrder | undefined) =>
      void queryClient.prefetchQuery(tableBlockQuery(api, jobId, block, sort, order)),
    [api, queryClient],
  );
}

export function useHeatmap(jobId: string, x: string | null, y: string | null, metric: string | null, agg: "max" | "mean" | "min") {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.jobs.detail(jobId), "heatmap", x, y, metric, agg],
    queryFn: () =>
      unwrap(
        api.GET("/optimizations/{job_id}/heatmap", {
          params: { path: { job_id: jobId }, query: { x: x as string, y: y as string, agg, ...(metric ? { metric } : {}) } },
        }),
      ),
    enabled: Boolean(x && y && x !== y),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

/** The walk-forward report, or null for a run without walk-forward (the API's 404). */
export function useWalkForward(jobId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.jobs.detail(jobId), "walk-forward"],
    queryFn: async () => {
      const { data, response } = await api.GET("/optimizations/{job_id}/walk-forward", { params: { path: { job_id: jobId } } });
      if (response.status === 404) return null;
      return unwrap(Promise.resolve({ data, response }));
    },
    enabled,
    staleTime: Infinity,
  });
}

/** Fetch a fresh presigned URL and follow it (the URL expires: never cached). */
export function useDownload(jobId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (format: "csv" | "parquet") => unwrap(api.GET("/optimizations/{job_id}/download", { params: { path: { job_id: jobId }, query: { format } } })),
    onSuccess: (link) => {
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.download = link.filename;
      anchor.rel = "noopener";
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
    },
  });
}

/** Backtest one combination: the new backtest job (then open its page). */
export function useDrillDown(jobId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (combination: number) =>
      unwrap(api.POST("/optimizations/{job_id}/combinations/{n}/backtest", { params: { path: { job_id: jobId, n: combination } } })),
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}

/** The best combination of one heatmap cell (its metric in the cell's direction). */
export function useCellCombination(jobId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async ({ where, metric, order }: { where: string[]; metric: string; order: SortOrder }) => {
      const page = await unwrap(
        api.GET("/optimizations/{job_id}/table", { params: { path: { job_id: jobId }, query: { where, sort: metric, order, limit: 1 } } }),
      );
      return page.rows[0]?.combination ?? null;
    },
  });
}

export function useDeleteOptimization() {
  return useDeleteJob((queryClient, job) => {
    queryClient.setQueriesData<{ items: Job[]; next_token?: string | null }>({ queryKey: ["jobs", "list", "optimization"] }, (page) =>
      page ? { ...page, items: page.items.filter((item) => item.job_id !== job.job_id) } : page,
    );
    queryClient.removeQueries({ queryKey: queryKeys.jobs.detail(job.job_id) });
  });
}

export function useSubmitOptimization() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: OptimizationRequest) => unwrap(api.POST("/optimizations", { body: request })),
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}

/** The estimate of `request` (null: nothing to ask yet), asked once typing pauses. */
export function useEstimate(request: OptimizationRequest | null) {
  const api = useApi();
  const [debounced] = useDebouncedValue(request, ESTIMATE_DEBOUNCE_MS);
  const key = debounced ? JSON.stringify(debounced) : null;
  const query = useQuery({
    queryKey: ["optimizations", "estimate", key],
    queryFn: () => unwrap(api.POST("/optimizations/estimate", { body: debounced as OptimizationRequest })),
    enabled: key !== null,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const pending = request !== null && JSON.stringify(request) !== key;
  return { ...query, pending };
}

export function useStrategyList() {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.strategies.all, "list", { limit: 100 }],
    queryFn: () => unwrap(api.GET("/strategies", { params: { query: { limit: 100 } } })),
  });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.strategies.all, "templates"],
    queryFn: () => unwrap(api.GET("/strategies/templates")),
    staleTime: Infinity,
  });
}

export function useTemplate(name: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.strategies.template(name ?? ""),
    queryFn: () => unwrap(api.GET("/strategies/templates/{name}", { params: { path: { name: name as string } } })),
    enabled: Boolean(name),
    staleTime: Infinity,
  });
}

export function useStoredStrategy(strategyId: string | null, version: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.strategies.all, "detail", strategyId, version],
    queryFn: () => unwrap(api.GET("/strategies/{strategy_id}", { params: { path: { strategy_id: strategyId as string }, query: version ? { version } : {} } })),
    enabled: Boolean(strategyId),
    staleTime: 60_000,
  });
}

export function useWatchlists() {
  const api = useApi();
  return useQuery({
    queryKey: ["watchlists", "list", { limit: 200 }],
    queryFn: () => unwrap(api.GET("/watchlists", { params: { query: { limit: 200 } } })),
  });
}
