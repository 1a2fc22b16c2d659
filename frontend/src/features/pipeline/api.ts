/** Server state of the pipeline pages through TanStack Query and the typed client. A run is a job of
 * kind `pipeline`: it lives under `queryKeys.jobs.detail(id)` and its listings under
 * `queryKeys.jobs.list("pipeline", …)`, so the realtime layer patches progress and refetches them when
 * it ends. `usePipelineMessages` adds what only a pipeline's `job.progress` carries (symbols, signals
 * found, a stop asked) and refreshes stats, latest signals and breadth when a run ends. */
import { keepPreviousData, type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { type Schemas, toApiProblem, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { ServerMessage } from "../../api/realtime";
import { useApi } from "../../app/ApiContext";
import { isFinal, jobIdOf } from "../jobs/jobState";
import { LIST_REFRESH_MS } from "../jobs/useJobs";
import { useRealtimeMessages } from "../realtime/RealtimeProvider";
import { retryAfterSeconds, SubmitProblem } from "../backtests/api";

export type PipelineRun = Schemas["PipelineRun"];
export type PipelineRunRequest = Schemas["PipelineRunRequest"];
export type Signal = Schemas["Signal"];
export type SignalPage = Schemas["SignalPage"];
export type BreadthSeries = Schemas["BreadthSeries"];
export type BreadthHistory = Schemas["BreadthHistory"];
export type RunStatus = PipelineRun["status"];
export type Mode = PipelineRun["mode"];
export type Timeframe = PipelineRun["timeframe"];

export const MODES: Mode[] = ["demo", "small", "full"];
export const TIMEFRAMES: Timeframe[] = ["1d", "1w", "1mo", "intraday"];
export const SIDES = ["long", "short", "flat"] as const;
export const ACTIONS = ["buy", "sell", "short", "cover", "close"] as const;
export const SORTS = ["time", "symbol", "strength", "rule", "action", "side"] as const;
export type SortKey = (typeof SORTS)[number];

export interface RunFilters {
  status?: RunStatus;
  mode?: Mode;
  strategy_id?: string;
  date?: string;
}

/** A page of runs (newest first) with the filters; `token` is the page's next_token. */
export function useRuns(filters: RunFilters, token: string | null, limit = 20) {
  const api = useApi();
  const query = { limit, ...filters, ...(token ? { next_token: token } : {}) };
  return useQuery({
    queryKey: queryKeys.jobs.list("pipeline", query),
    queryFn: () => unwrap(api.GET("/pipeline/runs", { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useRun(runId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.detail(runId),
    queryFn: () => unwrap(api.GET("/pipeline/runs/{job_id}", { params: { path: { job_id: runId } } })) as Promise<PipelineRun>,
    enabled: !!runId,
  });
}

export function useStats() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.pipeline.stats, queryFn: () => unwrap(api.GET("/pipeline/stats")), refetchInterval: LIST_REFRESH_MS });
}

/** Put a run the API just answered with (started, stopped) into its detail and the run listings. */
export function rememberRun(queryClient: QueryClient, run: PipelineRun): void {
  queryClient.setQueryData(queryKeys.jobs.detail(run.job_id), run);
  queryClient.setQueriesData<{ items: PipelineRun[]; next_token?: string | null }>({ queryKey: ["jobs", "list", "pipeline"] }, (page) => {
    if (!page || !Array.isArray(page.items)) return page;
    const listed = page.items.some((item) => item.job_id === run.job_id);
    return { ...page, items: listed ? page.items.map((item) => (item.job_id === run.job_id ? run : item)) : [run, ...page.items] };
  });
  void queryClient.invalidateQueries({ queryKey: queryKeys.pipeline.stats });
}

export function useStartRun() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PipelineRunRequest): Promise<PipelineRun> => {
      const { data, error, response } = await api.POST("/pipeline/runs", { body });
      if (!response.ok) throw new SubmitProblem(toApiProblem(error, response), retryAfterSeconds(response.headers.get("Retry-After")));
      return data as PipelineRun;
    },
    onSuccess: (run) => rememberRun(queryClient, run),
  });
}

export function useStopRun() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => unwrap(api.POST("/pipeline/runs/{job_id}/stop", { params: { path: { job_id: runId } } })),
    onSuccess: (run) => rememberRun(queryClient, run),
  });
}

// --- live progress -------------------------------------------------------------------------------

interface PipelineProgress {
  batches_done?: number;
  batches_total?: number;
  symbols_done?: number;
  symbols_total?: number;
  signals_found?: number;
  stop_requested?: boolean;
}

/** A run after a `job.progress` in a pipeline's words: counters only move forward. */
export function applyPipelineProgress(run: PipelineRun, payload: PipelineProgress): PipelineRun {
  if (isFinal(run.status)) return run;
  const more = (current: number, next: number | undefined) => (typeof next === "number" ? Math.max(current, next) : current);
  return {
    ...run,
    batches_done: more(run.batches_done, payload.batches_done),
    symbols_done: more(run.symbols_done, payload.symbols_done),
    signals_found: more(run.signals_found, payload.signals_found),
    batches_total: payload.batches_total ?? run.batches_total,
    symbols_total: payload.symbols_total ?? run.symbols_total,
    stop_requested: run.stop_requested || payload.stop_requested === true,
  };
}

/** One message of a run's topic applied to the pipeline caches (the realtime layer does the rest). */
export function applyPipelineMessage(queryClient: QueryClient, message: ServerMessage): void {
  const runId = jobIdOf(message.topic ?? null);
  if (!runId) return;
  if (message.type === "job.progress" && "signals_found" in message.payload) {
    const patch = (run: PipelineRun) =>
      run.job_id === runId && run.kind === "pipeline" ? applyPipelineProgress(run, message.payload as PipelineProgress) : run;
    queryClient.setQueryData<PipelineRun>(queryKeys.jobs.detail(runId), (run) => (run && run.kind === "pipeline" ? patch(run) : run));
    queryClient.setQueriesData<{ items: PipelineRun[] }>({ queryKey: ["jobs", "list", "pipeline"] }, (page) =>
      page && Array.isArray(page.items) ? { ...page, items: page.items.map(patch) } : page,
    );
  } else if (message.type === "job.completed" || message.type === "job.stopped" || message.type === "job.failed") {
    void queryClient.invalidateQueries({ queryKey: queryKeys.pipeline.all });
    void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.detail(runId) });
  }
}

/** Apply pipeline progress while a pipeline page is mounted. */
export function usePipelineMessages(): void {
  const queryClient = useQueryClient();
  const listener = useCallback((message: ServerMessage) => applyPipelineMessage(queryClient, message), [queryClient]);
  useRealtimeMessages(listener);
}

// --- signals -------------------------------------------------------------------------------------

export interface SignalFilters {
  symbol?: string;
  side?: (typeof SIDES)[number];
  action?: (typeof ACTIONS)[number];
  rule?: string;
  min_strength?: number;
  start?: string;
  end?: string;
  sort: SortKey;
  order: "asc" | "desc";
}

/** The query of the signal routes: filters without empty values. */
export function signalQuery(filters: SignalFilters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== null && value !== "") out[key] = value as string | number;
  return out;
}

/** A page of signals: one run's (`runId`) or the latest across the newest runs. */
export function useSignals(runId: string | null, filters: SignalFilters, token: string | null, limit: number, enabled = true) {
  const api = useApi();
  const query = { ...signalQuery(filters), limit, ...(token ? { next_token: token } : {}) };
  return useQuery({
    queryKey: runId ? [...queryKeys.jobs.detail(runId), "signals", query] : queryKeys.pipeline.signals(query),
    queryFn: (): Promise<SignalPage> =>
      runId
        ? unwrap(api.GET("/pipeline/runs/{job_id}/signals", { params: { path: { job_id: runId }, query } }))
        : unwrap(api.GET("/pipeline/signals", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** What `export?link=true` answers (docs/api.md, Pipeline). */
export interface ExportLink {
  url: string;
  filename: string;
  rows: number;
}

/** Up to this many rows the API answers the file itself; above, a presigned download. */
export const EXPORT_INLINE_ROWS = 10_000;

function save(href: string, filename: string) {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = filename;
  anchor.rel = "noopener";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}

/** Export the filtered signals as CSV or JSON: a small table is fetched (with the key) and saved from
 * memory; a large one is asked as a link (`link=true`) and the presigned URL opened, since a fetch
 * cannot follow the API's 303 to the bucket's origin. */
export function useExportSignals(runId: string | null) {
  const api = useApi();
  return useMutation({
    mutationFn: async ({ filters, format, total }: { filters: SignalFilters; format: "csv" | "json"; total: number }) => {
      const large = total > EXPORT_INLINE_ROWS;
      const query = { ...signalQuery(filters), format, ...(large ? { link: true } : {}) };
      const call = runId
        ? api.GET("/pipeline/runs/{job_id}/signals/export", { params: { path: { job_id: runId }, query }, parseAs: large ? "json" : "blob" })
        : api.GET("/pipeline/signals/export", { params: { query }, parseAs: large ? "json" : "blob" });
      const { data, error, response } = await call;
      if (!response.ok) throw toApiProblem(error, response);
      if (large) {
        const link = data as unknown as ExportLink;
        save(link.url, link.filename);
        return link.filename;
      }
      const filename = `signals-${runId ?? "latest"}.${format}`;
      const url = URL.createObjectURL(data as unknown as Blob);
      save(url, filename);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return filename;
    },
  });
}

// --- breadth -------------------------------------------------------------------------------------

export function useBreadthHistories() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.pipeline.breadthHistories, queryFn: () => unwrap(api.GET("/pipeline/breadth")) });
}

export function useBreadth(universe: string | null, params: { timeframe: string; start?: string; end?: string; max_points: number }) {
  const api = useApi();
  const query = {
    timeframe: params.timeframe as Timeframe,
    max_points: params.max_points,
    ...(params.start ? { start: params.start } : {}),
    ...(params.end ? { end: params.end } : {}),
  };
  return useQuery({
    queryKey: queryKeys.pipeline.breadth(universe ?? "", query),
    queryFn: () => unwrap(api.GET("/pipeline/breadth/{universe}", { params: { path: { universe: universe! }, query } })),
    enabled: !!universe,
    placeholderData: keepPreviousData,
  });
}

/** A run's own breadth (its period only). */
export function useRunBreadth(runId: string, enabled: boolean, maxPoints = 1000) {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.jobs.detail(runId), "breadth", maxPoints],
    queryFn: () => unwrap(api.GET("/pipeline/runs/{job_id}/breadth", { params: { path: { job_id: runId }, query: { max_points: maxPoints } } })),
    enabled,
    staleTime: Infinity,
  });
}
